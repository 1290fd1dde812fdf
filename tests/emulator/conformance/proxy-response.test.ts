/** Conformance: proxy results (R1.40-R1.49), failures (R1.50-R1.57) and configuration (R1.1). */
import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';
import type { LambdaInvoker } from '../../../emulator/lambda/types.js';

const h = await harness();
const ISE = { message: 'Internal server error' };
const shape = (name: string, headers: [string, string][] = []) => h.send({ path: `/test/shape?case=${name}`, headers });

describe('1.3 proxy response rules', () => {
  it.each([
    { rule: 'A7 / R1.40 unknown top-level key', name: 'extraKey' },
    { rule: 'A8 / R1.43 object body', name: 'objectBody' },
    { rule: 'R1.43 array body', name: 'arrayBody' },
    { rule: 'R1.42 non-numeric statusCode', name: 'statusNonNumeric' },
    // [AMBIGUOUS] a 1xx is an interim answer, never a final one: sent, it left the client waiting for the real one.
    { rule: 'R1.42 statusCode 100', name: 'statusContinue' },
    { rule: 'R1.42 statusCode "101"', name: 'statusSwitching' },
    { rule: 'R1.42 statusCode 199', name: 'statusEarlyHints' },
    { rule: 'R1.42 statusCode 600', name: 'statusOver' },
    { rule: 'R1.44 bare string result', name: 'justString' },
    { rule: 'R1.50 empty (null) result', name: 'nothing' },
    { rule: 'R1.45 multiValueHeaders value not an array', name: 'multiInvalid' },
    { rule: 'R1.52 result over the 6 MB Lambda payload limit', name: 'huge' },
    // [AMBIGUOUS] AWS documents no limit on an answer's headers: the request's 10,240 bytes (R11.15) is applied.
    { rule: 'R11.15 100,000 response headers', name: 'manyHeaders' },
    { rule: 'R11.15 a 1 MB response header value (multiValueHeaders)', name: 'bigHeader' },
  ])('$rule → 502 Internal server error (R1.51)', async ({ name }) => {
    const got = await shape(name);
    expect(got.status).toBe(502);
    expect(got.json()).toEqual(ISE);
    expect(got.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
  });

  it('A11 / R1.42 numeric-string statusCode "201" → 201, empty body, application/json', async () => {
    const got = await shape('statusString');
    expect(got.status).toBe(201);
    expect(got.text).toBe('');
    expect(got.headers.get('content-type')).toBe('application/json');
  });

  // R1.43: a number or boolean body is read as its text, as a string header value is (AWS's own sample
  // aws-serverless-samfarm-api returned `body: 42`; aws-sam-cli issue 1124 / PR 1263 matched it locally).
  it.each([
    { name: 'numberBody', want: '42' },
    { name: 'decimalBody', want: '1.5' },
    { name: 'boolBody', want: 'false' },
  ])('R1.43 a scalar body ($name) is answered as its text: $want', async ({ name, want }) => {
    const got = await shape(name);
    expect(got.status).toBe(200);
    expect(got.text).toBe(want);
  });

  it('R1.41 only headers → 200 with empty body', async () => {
    const got = await shape('onlyHeaders');
    expect(got.status).toBe(200);
    expect(got.text).toBe('');
    expect(got.headers.get('test-header')).toBe('value');
  });

  it('R1.45 boolean header values are stringified; headers: null is accepted', async () => {
    expect((await shape('boolHeader')).headers.get('x-flag')).toBe('true');
    const nullHeaders = await shape('headersNull');
    expect(nullHeaders.status).toBe(200);
    expect(nullHeaders.text).toBe('ok');
  });

  it('R1.46 multiValueHeaders are comma-joined, multi values first, merged with headers', async () => {
    expect((await shape('multi')).headers.get('test-multi')).toBe('value-multi, value2, value-solo');
  });

  it.each([
    { name: 'onlyHeaders', want: 'application/json' },
    { name: 'contentType', want: 'text/plain' },
  ])('R1.47 Content-Type defaults to application/json unless set ($name → $want)', async ({ name, want }) => {
    expect((await shape(name)).headers.get('content-type')).toBe(want);
  });

  it.each([
    { accept: 'application/json', want: Buffer.from('test-data').toString('base64'), said: true },
    { accept: 'image/png', want: 'test-data', said: false },
  ])('R1.48 isBase64Encoded body is decoded only when Accept is binary, and the log says when it is not (Accept $accept)', async ({ accept, want, said }) => {
    const before = h.logs.length;

    const got = await shape('base64', [['Accept', accept]]);

    expect(got.text).toBe(want);
    const notes = h.logs.slice(before).filter((l) => l.includes('R1.48'));
    expect(notes).toEqual(said ? [expect.stringMatching(/isBase64Encoded: true.*sent as base64 text.*Accept "application\/json".*binaryMediaTypes/)] : []);
  });

  it('R1.49 a 4xx from the handler passes through unchanged (no gateway response)', async () => {
    const got = await shape('clientError');
    expect(got.status).toBe(404);
    expect(got.json()).toEqual({ message: 'from lambda' });
    expect(got.headers.get('x-amzn-errortype')).toBeNull();
  });

  it('R1.41 a 204 from the handler has no body', async () => {
    const got = await shape('noContent');
    expect(got.status).toBe(204);
    expect(got.text).toBe('');
  });
});

describe('1.4 failure outcomes', () => {
  it('A9 / R1.50 handler throws → 502 Internal server error', async () => {
    const got = await h.send({ path: '/test/throw' });
    expect(got.status).toBe(502);
    // Byte for byte: AWS writes its integration-side 5xx bodies with a space after the colon (36 bytes recorded).
    expect(got.text).toBe('{"message": "Internal server error"}');
    expect(got.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(got.headers.get('x-amzn-requestid')).toMatch(/-/);
  });

  it('A10 / R1.53 / R1.56 / R11.16 handler slower than its timeoutInMillis (200 ms here) → 504 Endpoint request timed out', async () => {
    // The 504 comes from the deadline the gateway gives the invoker (its timeoutInMillis), not from elapsed time here.
    const got = await h.send({ path: '/test/sleep' });
    expect(got.status).toBe(504);
    expect(got.text).toBe('{"message": "Endpoint request timed out"}');
    expect(h.invoker.calls.at(-1)?.deadlineMs).toBe(200);
  });

  it.each([
    { given: 'a function API Gateway has no permission to invoke', path: '/test/nopermission' },
    { given: 'a permission whose SourceArn names another route', path: '/test/scoped/other' },
  ])('R1.54 $given → 500 Internal server error, the function not called', async ({ path }) => {
    const before = h.invoker.calls.length;
    const got = await h.send({ path });

    expect(got.status).toBe(500);
    expect(got.json()).toEqual(ISE);
    expect(h.invoker.calls.length).toBe(before);
    expect(h.logs.at(-1)).toMatch(/has no permission to invoke .* \(R1\.54\)/);
  });

  it('R1.54 the startup report names the routes whose function API Gateway may not invoke', () => {
    const byPath = new Map(h.gateway.routes.map((r) => [`${r.method} ${r.path}`, r]));

    expect(byPath.get('GET /nopermission')?.detail).toMatch(/no AWS::Lambda::Permission lets API Gateway invoke NoPermissionFunction/);
    expect(byPath.get('GET /items')?.detail).toBeUndefined();
  });

  it('R1.54 an integration with credentials (a role) invokes the function with no permission, and the report says nothing is missing', async () => {
    // Prepare
    const before = h.invoker.calls.length;

    // Act
    const got = await h.send({ path: '/test/nopermission/role' });

    // Assess
    expect(got.status).toBe(200);
    expect(h.invoker.calls.slice(before).map((c) => c.functionLogicalId)).toEqual(['NoPermissionFunction']);
    expect(h.gateway.routes.find((r) => r.path === '/nopermission/role')?.detail).toBeUndefined();
  });

  it('R1.54 a permission whose SourceArn names this route lets API Gateway invoke the function', async () => {
    expect((await h.send({ path: '/test/scoped/allowed' })).status).toBe(200);
  });

  it('R1.55 [AMBIGUOUS] the Lambda service itself failing (not the function) → 502 Internal server error', async () => {
    // A fake Lambda service that refuses every call, as a throttled or unavailable Lambda would.
    const unavailable: LambdaInvoker = { invoke: () => Promise.reject(new Error('TooManyRequestsException: Rate exceeded')) };
    const failing = await harness('ConformanceApi', { invoker: unavailable });

    const got = await failing.send({ path: '/test/a' });

    expect(got.status).toBe(502);
    expect(got.json()).toEqual(ISE);
    expect(failing.logs.at(-1)).toMatch(/the local Lambda service failed: TooManyRequestsException.*\(R1\.55\)/);
  });

  it('R1.1 an aws_proxy integration whose httpMethod is not POST → 500 Internal server error', async () => {
    const got = await h.send({ path: '/test/nonpost' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual(ISE);
  });

  it('R1.4 proxy integrations ignore requestTemplates, responses and passthroughBehavior', async () => {
    const got = await h.send({ path: '/test/proxy-ignores-templates', headers: [['Content-Type', 'application/xml']] });
    expect(got.status).toBe(200);
    expect(JSON.parse(got.text)).toMatchObject({ resource: '/proxy-ignores-templates' });
  });

  it.each([
    { rule: 'R1.2 a uri naming a function that is not in the template', path: '/test/unknown-function', why: /no AWS::Serverless::Function or AWS::Lambda::Function of the template: the function is outside it, nothing local runs it/ },
    { rule: 'R1.3 R12.4 aws_proxy to DynamoDB (not a Lambda function): API Gateway\'s refusal', path: '/test/proxy-to-dynamodb', why: /Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations\. \(R1\.3, R12\.4\)/ },
  ])('$rule → 500, reported not emulated', async ({ path, why }) => {
    const got = await h.send({ path });
    expect(got.status).toBe(500);
    expect(h.logs.at(-1)).toMatch(why);
    expect(h.gateway.routes.find((r) => `/test${r.path}` === path)).toMatchObject({ emulated: false, detail: expect.stringMatching(why) });
  });

  it('R1.57 [AMBIGUOUS] the Lambda-error 502 is customised through DEFAULT_5XX; R1.53 the 504 is INTEGRATION_TIMEOUT', async () => {
    const custom = await harness('CustomResponsesApi');
    const failed = await custom.send({ path: '/custom/throw' });
    expect(failed.status).toBe(502);
    expect(failed.json()).toEqual({ fault5xx: 'Internal server error', kind: 'DEFAULT_5XX' });
    const timedOut = await custom.send({ path: '/custom/sleep' });
    expect(timedOut.status).toBe(504);
    expect(timedOut.json()).toEqual({ fault5xx: 'Endpoint request timed out', kind: 'INTEGRATION_TIMEOUT' });
  });

  it('every request is logged once with status, latency, function and cold flag', async () => {
    const local = await harness();
    await local.send({ path: '/test/a' });
    await local.send({ path: '/test/a' });
    expect(local.entries.map((e) => [e.method, e.path, e.status, e.functionLogicalId, e.cold])).toEqual([
      ['GET', '/test/a', 200, 'EchoFunction', true],
      ['GET', '/test/a', 200, 'EchoFunction', false],
    ]);
    expect(local.entries[0]?.latencyMs).toBeGreaterThanOrEqual(0);
  });
});
