/**
 * Conformance: stage variables in an `http_proxy` uri, as AWS answered LocalStack's recorded
 * test_import_with_stage_variables: `http://${stageVariables.TestHost}/${stageVariables.testPath}?${stageVariables.querystring}`
 * reaches the endpoint with the stage's host, path and query; on a stage without those variables the uri names no
 * host, and the client gets 500 `{"message": "Internal server error"}` with `x-amzn-ErrorType: InternalServerErrorException`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { whenReceived } from '../support/echo-backend.js';
import { loadSamResources } from '../support/template-text.js';
import { sendRequest } from './harness.js';

const server = createServer((req, res) =>
  whenReceived(req, (seen) => {
    const url = new URL(seen.url, 'http://x');
    res.writeHead(200, ['Content-Type', 'application/json']).end(JSON.stringify({ args: Object.fromEntries(url.searchParams), data: seen.body, method: seen.method, path: url.pathname }));
  }),
);
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
afterAll(() => {
  server.closeAllConnections();
  server.close();
});
const host = `127.0.0.1:${(server.address() as AddressInfo).port}`;

const gatewayWith = async (variables: string) => {
  const template = await loadSamResources(`  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
${variables}      DefinitionBody:
        openapi: 3.0.1
        info: {title: stage-variables, version: '1'}
        paths:
          /path1:
            get:
              responses: {'200': {description: OK}}
              x-amazon-apigateway-integration:
                type: http_proxy
                httpMethod: POST
                payloadFormatVersion: '1.0'
                uri: 'http://\${stageVariables.TestHost}/\${stageVariables.testPath}?\${stageVariables.querystring}'
`);
  return createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
};

describe('LS-rec test_import_with_stage_variables', () => {
  it('the stage`s variables fill the uri`s host, path and query: POST /test-path?qs_key=qs_value', async () => {
    const gateway = await gatewayWith(`      Variables: {TestHost: '${host}', testPath: test-path, querystring: qs_key=qs_value}\n`);
    const got = await sendRequest(gateway, { path: '/v1/path1' });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ args: { qs_key: 'qs_value' }, data: '', method: 'POST', path: '/test-path' });
  });

  it('a stage without them: the uri has no host, 500 Internal server error, InternalServerErrorException', async () => {
    const gateway = await gatewayWith('');
    const got = await sendRequest(gateway, { path: '/v1/path1' });
    expect([got.status, got.json(), got.headers.get('x-amzn-errortype')]).toEqual([500, { message: 'Internal server error' }, 'InternalServerErrorException']);
  });
});

describe('LS-rec test_apigw_stage_variables[dev|local] (validated, asserted in code)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stage-variables-'));
  writeFileSync(join(dir, 'fns.mjs'), 'export const echo = async (event) => event;');
  const lambdaApi = async (variables: string, functionRef: string) => {
    const template = await loadSamResources(`  Echo:
    Type: AWS::Serverless::Function
    Properties: {FunctionName: stage-echo, CodeUri: ${dir}, Handler: fns.echo, Runtime: nodejs22.x}
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: dev
${variables}      DefinitionBody:
        swagger: '2.0'
        info: {title: stage-variables-lambda, version: '1'}
        paths:
          /test:
            post:
              responses: {'200': {description: OK}}
              x-amazon-apigateway-integration:
                type: aws
                httpMethod: POST
                uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/arn:aws:lambda:\${AWS::Region}:\${AWS::AccountId}:function:${functionRef}/invocations'
                credentials: arn:aws:iam::123456789012:role/apigateway-invoke
                requestTemplates: {application/json: '{ "version": "$stageVariables.version" }'}
                responses: {default: {statusCode: '200'}}
`);
    return createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
  };

  it.each([
    { given: 'dev: the function named by a stage variable, version 1.0', variables: '      Variables: {lambdaFunction: stage-echo, version: \'1.0\'}\n', ref: '${!stageVariables.lambdaFunction}', want: { version: '1.0' } },
    { given: 'local: no variables, $stageVariables.version is empty', variables: '', ref: 'stage-echo', want: { version: '' } },
  ])('R3.22 $given', async ({ variables, ref, want }) => {
    const got = await sendRequest(await lambdaApi(variables, ref), { method: 'POST', path: '/dev/test', body: '{"test": "test"}', headers: [['Content-Type', 'application/json']] });
    expect([got.status, got.json()]).toEqual([200, want]);
  });
});
