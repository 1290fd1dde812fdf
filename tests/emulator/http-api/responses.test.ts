/** HTTP API conformance: Lambda responses (H6) and the errors API Gateway answers itself (H10). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpHarness } from './harness.js';

const h = await httpHarness('ServerlessHttpApi');
const shape = (name: string, path = '/shape') => h.send({ path, headers: [['x-shape', name]] });

describe('H6.1-H6.6 payload 2.0 responses', () => {
  it.each([
    { rule: 'B8 / H6.2 an object without statusCode is the JSON body', name: 'object', body: '{"message":"hi"}' },
    { rule: 'B9 / H6.2 a string is the body, unquoted', name: 'string', body: 'hello' },
    { rule: 'H6.4 a number is the body', name: 'number', body: '3' },
    { rule: 'H6.4 a list is the body', name: 'list', body: '["hello",3,true]' },
    { rule: 'H6.3 body/headers without statusCode are not interpreted', name: 'body-without-status', body: '{"body":"x","headers":{"x-a":"1"}}' },
    { rule: 'H6.2 no result at all is the JSON null', name: 'undefined', body: 'null' },
  ])('$rule', async ({ name, body }) => {
    const got = await shape(name);
    expect(got.status).toBe(200);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.text).toBe(body);
    expect(got.headers.get('x-a')).toBeNull();
  });

  it('B10 / H6.1 statusCode, one set-cookie per cookie, body', async () => {
    const got = await shape('cookies');
    expect(got.status).toBe(201);
    expect(got.headers.getSetCookie()).toEqual(['s=1', 't=2; Path=/']);
    expect(got.text).toBe('x');
  });

  it.each([
    { given: 'payload 2.0', path: '/shape' },
    { given: 'payload 1.0', path: '/shape-v1' },
  ])('H6.1 a structured response naming no Content-Type is sent as text/plain; charset=utf-8 ($given)', async ({ path }) => {
    const got = await shape('no-content-type', path);
    expect(got.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(got.text).toBe('plain');
  });

  it.each([
    { given: 'payload 2.0', path: '/shape' },
    { given: 'payload 1.0', path: '/shape-v1' },
  ])('H6.1 neighbour: a structured response naming its Content-Type keeps it ($given)', async ({ path }) => {
    expect((await shape('base64', path)).headers.get('content-type')).toBe('application/octet-stream');
  });

  it('H6.5 [AMBIGUOUS] a numeric-string statusCode is accepted', async () => {
    expect((await shape('numeric-string')).status).toBe(418);
  });

  it('H6.6 isBase64Encoded bodies are decoded whatever the content type', async () => {
    const got = await shape('base64');
    expect(got.text).toBe('binary!');
    expect(got.headers.get('content-type')).toBe('application/octet-stream');
  });

  it.each([
    { rule: 'H6.7 a statusCode that is not a number', name: 'bad-status' },
    { rule: 'H6.5 [AMBIGUOUS] an interim statusCode (100): no final answer', name: 'interim-status' },
    { rule: 'H6.7 isBase64Encoded with a body that is not base64', name: 'bad-base64' },
    { rule: 'H6.7 a header value with CR LF in it', name: 'crlf-header' },
    { rule: 'H6.7 a cookie with CR LF in it', name: 'crlf-cookie' },
    { rule: 'H6.5 [AMBIGUOUS] statusCode 101 (a protocol switch)', name: 'switching-status' },
    { rule: 'H6.7 a header value that is an object', name: 'bad-headers' },
  ])('$rule → 500 Internal Server Error, one log line and no stack', async ({ name }) => {
    const before = h.logs.length;
    const got = await shape(name);
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
    expect(h.logs.slice(before)).toEqual([expect.not.stringMatching(/\n\s+at /)]);
  });

  it('H6.9 payload 1.0: isBase64Encoded with a body that is not base64 → 500', async () => {
    const got = await shape('bad-base64', '/shape-v1');
    expect(got.status).toBe(500);
  });
});

describe('H6.9 payload 1.0 responses', () => {
  it('H6.9 the REST proxy contract: multiValueHeaders are sent', async () => {
    const got = await shape('v1-multi', '/shape-v1');
    expect(got.status).toBe(200);
    expect(got.headers.get('x-m')).toBe('a, b');
    expect(got.text).toBe('v1');
  });

  it('H6.9 [AMBIGUOUS] no inference in 1.0: an object without statusCode-shape keys is a 500, not REST\'s 502', async () => {
    const got = await shape('object', '/shape-v1');
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
  });
});

describe('H10 responses of API Gateway itself', () => {
  it('B11 / H6.7 / H10.4 a function error is 500 Internal Server Error, with apigw-requestid', async () => {
    const got = await h.send({ path: '/boom' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
    expect(got.headers.get('apigw-requestid')).toBeTruthy();
    expect(h.logs.some((l) => l.includes('boom'))).toBe(true);
  });

  it('H10.5 [AMBIGUOUS] / H2.4 an integration that outlives TimeoutInMillis is 503 Service Unavailable', async () => {
    const got = await h.send({ path: '/hang' });
    expect(got.status).toBe(503);
    expect(got.json()).toEqual({ message: 'Service Unavailable' });
    expect(h.invoker.calls.at(-1)?.deadlineMs).toBe(50);
  });

  it('H2.4 [AMBIGUOUS] the integration timeout defaults to 30 000 ms', async () => {
    await h.send({ path: '/pets/dog/1' });
    expect(h.invoker.calls.at(-1)?.deadlineMs).toBe(30_000);
  });

  it('H10.7 [AMBIGUOUS] a body over 10 MB is 413 and reaches no function', async () => {
    const before = h.invoker.calls.length;
    const got = await h.send({ method: 'POST', path: '/things', body: new Uint8Array(10 * 1024 * 1024 + 1) });
    expect(got.status).toBe(413);
    expect(got.json()).toEqual({ message: 'Request Entity Too Large' });
    expect(h.invoker.calls.length).toBe(before);
  });

  it('H10.4 [AMBIGUOUS] a body under 10 MB that makes the event larger than Lambda`s 6 MB limit: the invocation fails, 500, no function runs', async () => {
    const before = h.invoker.calls.length;
    const got = await h.send({ method: 'POST', path: '/things', body: 'x'.repeat(7 * 1024 * 1024) });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
    expect(h.invoker.calls.length).toBe(before);
  });

  it('H10.8 [AMBIGUOUS] success responses carry apigw-requestid and no REST request headers', async () => {
    const got = await shape('string');
    expect(got.headers.get('apigw-requestid')).toBeTruthy();
    expect(got.headers.get('x-amzn-requestid')).toBeNull();
    expect(got.headers.get('x-amz-apigw-id')).toBeNull();
  });
});

const auth = await httpHarness('AuthApi');

describe('H10.3 [AMBIGUOUS] a JWT without the route\'s scopes and a Lambda authorizer\'s denial are 403 Forbidden', () => {
  const access = (scope: string) => auth.token({ tokenUse: 'access', scope });

  it.each([
    { given: 'a valid JWT lacking the route scope', path: '/dev/scoped', headers: (): [string, string][] => [['Authorization', access('openid profile')]], status: 403, message: 'Forbidden' },
    { given: 'a simple response isAuthorized false', path: '/dev/simple/1', headers: (): [string, string][] => [['x-key', 'nope']], status: 403, message: 'Forbidden' },
    { given: 'a policy with an explicit Deny', path: '/dev/policy', headers: (): [string, string][] => [['x-key', 'deny']], status: 403, message: 'Forbidden' },
    { given: 'a policy allowing another ARN only', path: '/dev/policy', headers: (): [string, string][] => [['x-key', 'elsewhere']], status: 403, message: 'Forbidden' },
    { given: 'neighbour (H10.2): no JWT at all', path: '/dev/scoped', headers: (): [string, string][] => [], status: 401, message: 'Unauthorized' },
    { given: 'neighbour (H10.2): the Lambda identity source missing', path: '/dev/simple/1', headers: (): [string, string][] => [], status: 401, message: 'Unauthorized' },
    { given: 'neighbour: a JWT with the scope', path: '/dev/scoped', headers: (): [string, string][] => [['Authorization', access('tasks/read')]], status: 200, message: undefined },
  ])('H10.3 $given → $status', async ({ path, headers, status, message }) => {
    // Act
    const got = await auth.send({ path, headers: headers() });

    // Assess
    expect(got.status).toBe(status);
    if (message !== undefined) expect(got.json()).toEqual({ message });
  });
});

/** An API whose document asks for REST gateway responses and maps the integration's 500: neither can change a gateway error. */
const dir = mkdtempSync(join(tmpdir(), 'http-errors-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const CUSTOMIZED = join(dir, 'template.yaml');
writeFileSync(
  CUSTOMIZED,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    `  Thrower: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, CodeUri: ${resolve('tests/emulator/fixtures/http-api/functions')}, Handler: thrower.handler } }`,
    '  Api:',
    '    Type: AWS::Serverless::HttpApi',
    '    Properties:',
    '      DefinitionBody:',
    '        openapi: 3.0.1',
    '        info: { title: errors, version: "1" }',
    '        x-amazon-apigateway-gateway-responses:',
    '          DEFAULT_4XX:',
    '            statusCode: 400',
    "            responseParameters: { gatewayresponse.header.x-custom: \"'yes'\" }",
    "            responseTemplates: { application/json: '{\"custom\":true}' }",
    '        paths:',
    '          /boom:',
    '            get:',
    '              x-amazon-apigateway-integration:',
    '                type: aws_proxy',
    "                payloadFormatVersion: '2.0'",
    "                credentials: 'arn:aws:iam::123456789012:role/invoke'",
    "                uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Thrower.Arn}/invocations'",
    "                responseParameters: { '500': { 'overwrite:statuscode': '200', 'overwrite:header.content-type': text/plain } }",
  ].join('\n'),
);

describe('H10.9 gateway errors are JSON and cannot be customized', () => {
  it.each([
    { given: 'no route (H10.1)', api: 'AuthApi', path: '/dev/nowhere', status: 404, message: 'Not Found', type: 'application/json' },
    // H7.6: AWS's captured JWT 401 has no Content-Type.
    { given: 'no JWT (H10.2)', api: 'AuthApi', path: '/dev/me', status: 401, message: 'Unauthorized', type: null },
    { given: 'a denial (H10.3)', api: 'AuthApi', path: '/dev/policy', key: 'deny', status: 403, message: 'Forbidden', type: 'application/json' },
    { given: 'a function error (H10.4)', api: 'ServerlessHttpApi', path: '/boom', status: 500, message: 'Internal Server Error', type: 'application/json' },
  ])('H10.9 $given: $status {"message":"$message"} as $type', async ({ api, path, key, status, message, type }) => {
    // Prepare
    const t = await httpHarness(api);

    // Act
    const got = await t.send({ path, headers: key ? [['x-key', key]] : [] });

    // Assess
    expect(got.status).toBe(status);
    expect(got.headers.get('content-type')).toBe(type);
    expect(got.text).toBe(JSON.stringify({ message }));
  });

  it.each([
    { given: 'x-amazon-apigateway-gateway-responses (REST only) leaves the 404 as it is', path: '/nowhere', status: 404, message: 'Not Found' },
    { given: 'the route\'s responseParameters for 500 do not map the gateway\'s own 500', path: '/boom', status: 500, message: 'Internal Server Error' },
  ])('H10.9 $given', async ({ path, status, message }) => {
    // Prepare
    const t = await httpHarness('Api', CUSTOMIZED);

    // Act
    const got = await t.send({ path });

    // Assess
    expect(got.status).toBe(status);
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.headers.get('x-custom')).toBeNull();
    expect(got.json()).toEqual({ message });
    expect(t.api.notes).toContainEqual(expect.objectContaining({ subject: 'x-amazon-apigateway-gateway-responses', status: 'ignored' }));
  });
});
