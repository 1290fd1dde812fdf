/** Conformance: the Lambda proxy event, payload 1.0 (reference 1.2, R1.10-R1.29), checked field by field. */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { echoed, harness } from './harness.js';

const h = await harness();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

describe('1.2 proxy event fields', () => {
  it('A5 / R1.15-R1.21 a bare GET has null query, path params and body, no authorizer', async () => {
    const event = echoed(await h.send({ path: '/test/a' }));
    expect(event.queryStringParameters).toBeNull();
    expect(event.multiValueQueryStringParameters).toBeNull();
    expect(event.pathParameters).toBeNull();
    expect(event.body).toBeNull();
    expect(event.isBase64Encoded).toBe(false);
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('R1.18 stageVariables is the stage map', async () => {
    expect(echoed(await h.send({ path: '/test/a' })).stageVariables).toEqual({ color: 'blue' });
  });

  it('R1.10 resource is the template path, equal to requestContext.resourcePath', async () => {
    const event = echoed(await h.send({ path: '/test/items/42' }));
    expect(event.resource).toBe('/items/{id}');
    expect(event.requestContext.resourcePath).toBe('/items/{id}');
  });

  it('R1.10 requestContext.operationName is the method`s operationId; a method without one has none', async () => {
    expect((echoed(await h.send({ path: '/test/items/42' })).requestContext as unknown as Record<string, unknown>).operationName).toBe('getItem');
    expect(echoed(await h.send({ path: '/test/a' })).requestContext).not.toHaveProperty('operationName');
  });

  it('R1.11 path has no stage prefix and stays URL-encoded', async () => {
    const event = echoed(await h.send({ path: '/test/greedy/api/user/test%2Balias@gmail.com' }));
    expect(event.path).toBe('/greedy/api/user/test%2Balias@gmail.com');
  });

  it.each(['a%00b', 'a%2500b'])('R1.11 / R1.17 [AMBIGUOUS] an encoded NUL (%s) stays encoded in path, requestContext.path and pathParameters', async (id) => {
    const event = echoed(await h.send({ path: `/test/items/${id}` }));
    expect([event.path, event.requestContext.path, event.pathParameters]).toEqual([`/items/${id}`, `/test/items/${id}`, { id }]);
    expect(JSON.stringify(event)).not.toContain('\\u0000');
  });

  it('R1.11 a leading // after the stage collapses in path but not in requestContext.path', async () => {
    const event = echoed(await h.send({ path: '/test//greedy/x' }));
    expect(event.path).toBe('/greedy/x');
    expect(event.requestContext.path).toBe('/test//greedy/x');
  });

  it('R1.12 httpMethod is the actual verb', async () => {
    expect(echoed(await h.send({ method: 'POST', path: '/test/a', body: 'x' })).httpMethod).toBe('POST');
  });

  it('R1.13 header names keep client case, Authorization/User-Agent are capitalised, Content-Length dropped', async () => {
    const event = echoed(
      await h.send({ method: 'POST', path: '/test/a', body: 'abc', headers: [['X-Custom-Header', 'v1'], ['aUThorization', 'tok'], ['user-agent', 'ua/1'], ['Content-Length', '3']] }),
    );
    expect(event.headers['X-Custom-Header']).toBe('v1');
    expect(event.headers.Authorization).toBe('tok');
    expect(event.headers['User-Agent']).toBe('ua/1');
    expect(event.headers).not.toHaveProperty('aUThorization');
    expect(Object.keys(event.headers).map((k: string) => k.toLowerCase())).not.toContain('content-length');
    expect(event.headers.Host).toBe('localhost:3000');
  });

  it.each([
    { given: 'no X-Forwarded-For', headers: [] as [string, string][], want: { for: '127.0.0.1' } },
    { given: 'a chain the caller sent (any case)', headers: [['x-forwarded-for', '203.0.113.7']] as [string, string][], want: { for: '203.0.113.7, 127.0.0.1' } },
  ])('R1.13 API Gateway adds X-Forwarded-For/Port/Proto ($given)', async ({ headers, want }) => {
    // Act
    const event = echoed(await h.send({ path: '/test/a', headers }));

    // Assess
    expect(event.headers['X-Forwarded-For']).toBe(want.for);
    expect(event.headers['X-Forwarded-Port']).toBe('3000');
    expect(event.headers['X-Forwarded-Proto']).toBe('http');
    expect(event.multiValueHeaders['X-Forwarded-For']).toEqual([want.for]);
    expect(Object.keys(event.headers).filter((k) => k.toLowerCase() === 'x-forwarded-for')).toEqual(['X-Forwarded-For']);
  });

  it('R1.13 [AMBIGUOUS] / R1.14 a repeated header: last value in headers, all values in multiValueHeaders', async () => {
    const event = echoed(await h.send({ path: '/test/a', headers: [['X-Rep', 'one'], ['X-Rep', 'two']] }));
    expect(event.headers['X-Rep']).toBe('two');
    expect(event.multiValueHeaders['X-Rep']).toEqual(['one', 'two']);
    expect(Object.keys(event.multiValueHeaders).sort()).toEqual(Object.keys(event.headers).sort());
  });

  it('A4 / R1.15 / R1.16 last query value wins; multi keeps order', async () => {
    const event = echoed(await h.send({ path: '/test/a?x=1&x=2&y=3' }));
    expect(event.queryStringParameters).toEqual({ x: '2', y: '3' });
    expect(event.multiValueQueryStringParameters).toEqual({ x: ['1', '2'], y: ['3'] });
  });

  it.each([
    { query: 'q=a+b', want: 'a b' },
    { query: 'q=a%20b', want: 'a b' },
    { query: 'q=a%2Bb', want: 'a+b' },
  ])('R1.15 / R11.13 query values are URL-decoded before the integration: $query → "$want"', async ({ query, want }) => {
    expect(echoed(await h.send({ path: `/test/a?${query}` })).queryStringParameters?.q).toBe(want);
  });

  it.each([
    { query: 'a=1;b=2', want: { a: '1', b: '2' } },
    { query: 'a=1;a=2&b=3', want: { a: '2', b: '3' } },
    { query: 'a=1%3Bb=2', want: { a: '1;b=2' } },
  ])('R11.13 a raw ";" in the query string splits values, an encoded one does not: $query', async ({ query, want }) => {
    expect(echoed(await h.send({ path: `/test/a?${query}` })).queryStringParameters).toEqual(want);
  });

  it('R1.17 path parameter values are not URL-decoded', async () => {
    expect(echoed(await h.send({ path: '/test/items/a%20b' })).pathParameters).toEqual({ id: 'a%20b' });
  });

  it('R1.19 / R1.20 a text body is passed raw with isBase64Encoded false', async () => {
    const event = echoed(await h.send({ method: 'POST', path: '/test/a', body: '{"k": 1}', headers: [['Content-Type', 'application/json']] }));
    expect(event.body).toBe('{"k": 1}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it('R1.19 a text body`s leading byte-order mark is kept, as sent', async () => {
    const event = echoed(await h.send({ method: 'POST', path: '/test/a', body: new Uint8Array([0xef, 0xbb, 0xbf, 0x6f, 0x6b]), headers: [['Content-Type', 'text/plain']] }));
    expect(event.body).toBe('\uFEFFok');
  });

  it('R1.19 a body whose Content-Type is a binary media type is base64-encoded', async () => {
    const bytes = new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0xff]);
    const event = echoed(await h.send({ method: 'POST', path: '/test/binary', body: bytes, headers: [['Content-Type', 'image/png']] }));
    expect(event.isBase64Encoded).toBe(true);
    expect(event.body).toBe(Buffer.from(bytes).toString('base64'));
  });

  it('R1.21 requestContext has exactly the recorded keys', async () => {
    const event = echoed(await h.send({ path: '/test/a' }));
    expect(Object.keys(event.requestContext).sort()).toEqual(
      ['accountId', 'apiId', 'deploymentId', 'domainName', 'domainPrefix', 'extendedRequestId', 'httpMethod', 'identity', 'path', 'protocol', 'requestId', 'requestTime', 'requestTimeEpoch', 'resourceId', 'resourcePath', 'stage'].sort(),
    );
    expect(event.requestContext.accountId).toBe('123456789012');
    expect(event.requestContext.apiId).toBe(h.api.restApiId);
  });

  it('R1.22 / R1.23 requestContext.path has the stage prefix; stage is the stage name', async () => {
    const event = echoed(await h.send({ path: '/test/items/' }));
    expect(event.requestContext.path).toBe('/test/items/');
    expect(event.requestContext.stage).toBe('test');
  });

  it('R1.24 requestTime is CLF and requestTimeEpoch a number of ms, both the time the request arrived (the gateway\'s clock)', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 5, 7, 8, 9, 123));
    const clocked = await harness('ConformanceApi', { clock });

    const first = echoed(await clocked.send({ path: '/test/a' }));
    clock.advance(61_000);
    const later = echoed(await clocked.send({ path: '/test/a' }));

    expect(first.requestContext).toMatchObject({ requestTime: '05/Mar/2026:07:08:09 +0000', requestTimeEpoch: Date.UTC(2026, 2, 5, 7, 8, 9, 123) });
    expect(later.requestContext).toMatchObject({ requestTime: '05/Mar/2026:07:09:10 +0000', requestTimeEpoch: Date.UTC(2026, 2, 5, 7, 9, 10, 123) });
  });

  it('R1.25 requestId is a UUID echoed as x-amzn-RequestId; extendedRequestId as x-amz-apigw-id', async () => {
    const got = await h.send({ path: '/test/a' });
    const event = echoed(got);
    expect(event.requestContext.requestId).toMatch(UUID);
    expect(got.headers.get('x-amzn-requestid')).toBe(event.requestContext.requestId);
    expect(got.headers.get('x-amz-apigw-id')).toBe(event.requestContext.extendedRequestId);
  });

  it('R1.26 protocol is HTTP/1.1', async () => {
    expect(echoed(await h.send({ path: '/test/a' })).requestContext.protocol).toBe('HTTP/1.1');
  });

  it('R1.27 domainName is the Host header, domainPrefix its first label', async () => {
    const event = echoed(await h.send({ path: '/test/a', headers: [['Host', 'abc123.execute-api.localhost']] }));
    expect(event.requestContext.domainName).toBe('abc123.execute-api.localhost');
    expect(event.requestContext.domainPrefix).toBe('abc123');
  });

  // [AMBIGUOUS] AWS is reached on port 443 and names no port; a local gateway's port stays in domainName and Host, so a
  // function's `http://${domainName}/${stage}` links come back here (as sam local's REST events keep it, Flask's request.host).
  it.each([
    { host: 'localhost:3000', prefix: 'localhost' },
    { host: 'abc123.execute-api.localhost:3000', prefix: 'abc123' },
    { host: '127.0.0.1:3000', prefix: '127.0.0.1' },
    { host: '[::1]:3000', prefix: '[::1]' },
  ])('R1.27 Host $host: domainName and the Host header keep the port, domainPrefix ($prefix) has none', async ({ host, prefix }) => {
    const event = echoed(await h.send({ path: '/test/a', headers: [['Host', host]] }));
    expect([event.requestContext.domainName, event.requestContext.domainPrefix]).toEqual([host, prefix]);
    expect([event.headers.Host, event.multiValueHeaders.Host]).toEqual([host, [host]]);
  });

  it('R1.28 / R1.29 identity: IAM fields null, sourceIp and userAgent set, no apiKey keys', async () => {
    const event = echoed(await h.send({ path: '/test/a', headers: [['User-Agent', 'probe/2']] }));
    expect(event.requestContext.identity).toEqual({
      accessKey: null,
      accountId: null,
      caller: null,
      cognitoAuthenticationProvider: null,
      cognitoAuthenticationType: null,
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      principalOrgId: null,
      sourceIp: '127.0.0.1',
      user: null,
      userAgent: 'probe/2',
      userArn: null,
    });
  });

  it('R1.5 the default integration timeout is 29000 ms, passed to the invoker as the deadline', async () => {
    await h.send({ path: '/test/a' });
    expect(h.invoker.calls.at(-1)?.deadlineMs).toBe(29000);
  });
});
