/**
 * Conformance: `$context` as a request template iterates and prints it, as AWS answered LocalStack's recorded
 * test_sqs_amz_json_protocol (an unauthenticated POST whose template walked `$context.keySet()` and its nested maps).
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { whenReceived } from '../support/echo-backend.js';
import { loadSamResources } from '../support/template-text.js';
import { sendRequest } from './harness.js';

// The endpoint answers with the rendered request template it received.
const server = createServer((req, res) => whenReceived(req, (seen) => res.writeHead(200, ['Content-Type', 'application/json']).end(seen.body)));
await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const keysOf = (ref: string) => `#foreach($k in ${ref}.keySet())$k#if($foreach.hasNext),#end#end`;
const TEMPLATE = [
  `{"context": "${keysOf('$context')}"`,
  `"identityKeys": "${keysOf('$context.identity')}"`,
  `"requestOverrideKeys": "${keysOf('$context.requestOverride')}"`,
  `"responseOverrideKeys": "${keysOf('$context.responseOverride')}"`,
  `"authorizerKeys": "${keysOf('$context.authorizer')}"`,
  `"identity": "$context.get('identity')", "identityRef": "$context.identity"`,
  `"requestOverride": "$context.requestOverride", "header": "$context.requestOverride.header", "path": "$context.requestOverride.get('path')"`,
  `"querystring": "$context.requestOverride.querystring", "responseHeader": "$context.responseOverride.header"`,
  `"sourceIp": "$context.identity.sourceIp", "user": "$context.identity.user", "endpointRequestId": "$context.awsEndpointRequestId"`,
  `"whole": "$context", "bodyMap": "$input.path('$.m')"}`,
].join(', ');

const template = await loadSamResources(`  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: testing
      DefinitionBody:
        swagger: '2.0'
        info: {title: context-keyset, version: '1'}
        paths:
          /dump:
            post:
              responses: {'200': {description: ok}}
              x-amazon-apigateway-integration:
                type: http
                httpMethod: POST
                uri: http://127.0.0.1:${(server.address() as AddressInfo).port}/
                passthroughBehavior: never
                requestTemplates: {application/json: '${TEMPLATE.replaceAll("'", "''")}'}
                responses: {default: {statusCode: '200'}}
`);
const gateway = createGateway({ api: template.apis[0]!, template, invoker: new FakeInProcessInvoker(template), log: () => undefined });
const got = await sendRequest(gateway, { method: 'POST', path: '/testing/dump', body: '{"m":{"k":"v"}}', headers: [['Content-Type', 'application/json']] });
const dump = (): Record<string, string> => {
  expect(got.status).toBe(200);
  return got.json() as Record<string, string>;
};
const sorted = (csv: string | undefined) => (csv ?? '').split(',').filter(Boolean).sort();

describe('LS-rec test_sqs_amz_json_protocol: $context in a request template', () => {
  it('$context.keySet() lists the 18 keys AWS listed: no authorizer (none ran), no error, no awsEndpointRequestId', () => {
    expect(sorted(dump().context)).toEqual(
      ['accountId', 'apiId', 'deploymentId', 'domainName', 'domainPrefix', 'extendedRequestId', 'httpMethod', 'identity', 'path', 'protocol', 'requestId', 'requestOverride', 'requestTime', 'requestTimeEpoch', 'resourceId', 'resourcePath', 'responseOverride', 'stage'],
    );
  });

  it('the nested maps list the keys AWS listed: identity\'s twelve, requestOverride header/path/querystring, responseOverride header, authorizer none', () => {
    const d = dump();
    expect(sorted(d.identityKeys)).toEqual(['accessKey', 'accountId', 'caller', 'cognitoAuthenticationProvider', 'cognitoAuthenticationType', 'cognitoIdentityId', 'cognitoIdentityPoolId', 'principalOrgId', 'sourceIp', 'user', 'userAgent', 'userArn']);
    expect(sorted(d.requestOverrideKeys)).toEqual(['header', 'path', 'querystring']);
    expect(sorted(d.responseOverrideKeys)).toEqual(['header']);
    expect(d.authorizerKeys).toBe('');
  });

  it('$context\'s nested maps print as the empty string, by reference or by get()', () => {
    const d = dump();
    expect([d.identity, d.identityRef, d.requestOverride, d.header, d.path, d.querystring, d.responseHeader]).toEqual(['', '', '', '', '', '', '']);
    // $context printed whole shows what keySet() lists, those maps empty.
    expect(d.whole).toMatch(/^\{accountId=\d+, .*stage=testing.*\}$/);
    expect(d.whole).toMatch(/identity=, /);
    expect(d.whole).toMatch(/requestOverride=[,}]/);
    expect(d.whole).toMatch(/responseOverride=[,}]/);
    expect(d.whole).not.toMatch(/authorizer=|error=|awsEndpointRequestId=/);
  });

  it('neighbour: their entries and the keys left out of keySet() still read by name; a map from the body still prints {k=v} (R3.4)', () => {
    const d = dump();
    expect(d.sourceIp).toBe('127.0.0.1');
    expect(d.user).toBe('');
    expect(d.endpointRequestId).not.toBe('');
    expect(d.bodyMap).toBe('{k=v}');
  });
});
