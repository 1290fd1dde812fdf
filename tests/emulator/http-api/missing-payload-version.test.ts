/**
 * [AMBIGUOUS] H2.3: an HTTP API integration without payloadFormatVersion. AWS documents the field as required ("If you
 * create a Lambda integration by using the AWS CLI, CloudFormation, or an SDK, you must specify a payloadFormatVersion",
 * DG http-api-develop-integrations-lambda) but not what the import does without it. Choice: that route alone is left
 * unserved (reported not emulated, answering 500); the API's other routes are served. SAM (samtranslator
 * eventsources/push.py) leaves such an integration alone unless an HttpApi event on the same path and method gives
 * PayloadFormatVersion or TimeoutInMillis, which it then writes into it.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createHttpGateway } from '../../../emulator/gateway/http/pipeline.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { sendRequest } from '../conformance/harness.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';

const uri = "!Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Fn.Arn}/invocations'";
const integration = (extra: string) => `x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: ${uri}${extra}}`;
const samApi = (id: string, events = '') => `  ${id}:
    Type: AWS::Serverless::HttpApi
    Properties:
      DefinitionBody:
        openapi: '3.0.1'
        info: {title: ${id}, version: '1'}
        paths:
          /versioned:
            get:
              ${integration(", payloadFormatVersion: '2.0'")}
          /bare:
            get:
              ${integration('')}
${events}`;

const dir = mkdtempSync(join(tmpdir(), 'http-pfv-'));
writeFileSync(join(dir, 'app.mjs'), 'export const handler = async (event) => ({ statusCode: 200, body: event.version });\n');
writeFileSync(
  join(dir, 'template.yaml'),
  `Transform: AWS::Serverless-2016-10-31
Resources:
${samApi('Api')}${samApi('EventApi')}  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${dir}
      Handler: app.handler
      Runtime: nodejs20.x
      Events:
        Versioned: {Type: HttpApi, Properties: {ApiId: !Ref Api, Path: /versioned, Method: get}}
        Bare: {Type: HttpApi, Properties: {ApiId: !Ref EventApi, Path: /bare, Method: get, PayloadFormatVersion: '1.0', TimeoutInMillis: 5000}}
  CfnApi:
    Type: AWS::ApiGatewayV2::Api
    Properties: {Name: CfnApi, ProtocolType: HTTP}
  CfnIntegration:
    Type: AWS::ApiGatewayV2::Integration
    Properties: {ApiId: !Ref CfnApi, IntegrationType: AWS_PROXY, IntegrationUri: ${uri}}
  CfnRoute:
    Type: AWS::ApiGatewayV2::Route
    Properties: {ApiId: !Ref CfnApi, RouteKey: 'GET /bare', Target: !Sub 'integrations/\${CfnIntegration}'}
  CfnStage:
    Type: AWS::ApiGatewayV2::Stage
    Properties: {ApiId: !Ref CfnApi, StageName: $default}
`,
);
const template = await loadTemplate(join(dir, 'template.yaml'));

function gatewayOf(id: string) {
  const invoker = new FakeInProcessInvoker(template);
  const api = template.httpApis.find((a) => a.logicalId === id)!;
  const gateway = createHttpGateway({ api, template, invoker, log: () => {} });
  return { api, gateway, invoker, send: (path: string) => sendRequest(gateway, { path }) };
}

describe('[AMBIGUOUS] H2.3 an integration without payloadFormatVersion', () => {
  it('leaves the API served: the other route answers, that one is reported not emulated and answers 500 without an invocation', async () => {
    const h = gatewayOf('Api');

    const versioned = await h.send('/versioned');
    const bare = await h.send('/bare');

    expect([versioned.status, versioned.text]).toEqual([200, '2.0']);
    expect(bare.status).toBe(500);
    expect(bare.json()).toEqual({ message: 'Internal Server Error' });
    expect(h.invoker.calls).toHaveLength(1);
    expect(h.gateway.routes.find((r) => r.path === '/bare')).toMatchObject({ emulated: false, detail: expect.stringContaining('no payloadFormatVersion') });
  });

  it('on an AWS::ApiGatewayV2::Integration (no PayloadFormatVersion): the route is reported not emulated, the API still loads', () => {
    const h = gatewayOf('CfnApi');

    expect(h.gateway.routes).toEqual([expect.objectContaining({ path: '/bare', emulated: false, detail: expect.stringContaining('no payloadFormatVersion') })]);
  });

});

describe('H1.6 an HttpApi event on a path and method the DefinitionBody already integrates', () => {
  it("SAM writes the event's PayloadFormatVersion and TimeoutInMillis into the document's own integration", async () => {
    const h = gatewayOf('EventApi');

    const bare = await h.send('/bare');

    expect(h.api.routes.find((r) => r.routeKey === 'GET /bare')?.integration).toMatchObject({ payloadFormatVersion: '1.0', timeoutInMillis: 5000 });
    expect([bare.status, bare.text]).toEqual([200, '1.0']);
  });
});
