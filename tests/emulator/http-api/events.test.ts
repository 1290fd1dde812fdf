/** HTTP API conformance: the Lambda event, payload format 2.0 (H4) and 1.0 (H5). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { echoedV2, httpHarness } from './harness.js';

const h = await httpHarness('ServerlessHttpApi');

describe('H4 payload format 2.0', () => {
  it('B4 / H4.6 / H4.7 repeated query names and headers are comma-joined; header names lower-cased', async () => {
    const event = echoedV2(await h.send({ path: '/pets/dog/1?x=1&x=2&y=a%20b', headers: [['X-A', '1'], ['X-A', '2'], ['User-Agent', 'tests/1']] }));
    expect(event.queryStringParameters).toEqual({ x: '1,2', y: 'a b' });
    expect(event.rawQueryString).toBe('x=1&x=2&y=a%20b');
    expect(event.headers['x-a']).toBe('1,2');
    expect(Object.keys(event.headers).every((n) => n === n.toLowerCase())).toBe(true);
    expect(event.requestContext.http.userAgent).toBe('tests/1');
  });

  it('B5 / H4.4 / H4.9-H4.12 a bare request has no queryStringParameters, body, cookies, pathParameters or stageVariables keys', async () => {
    const event = echoedV2(await h.send({ path: '/pets/dog/1' }));
    for (const key of ['queryStringParameters', 'body', 'cookies', 'pathParameters', 'stageVariables']) expect(event).not.toHaveProperty(key);
    expect(event.rawQueryString).toBe('');
    expect(event.isBase64Encoded).toBe(false);
    expect(event.version).toBe('2.0');
  });

  it('H4.5 [AMBIGUOUS] cookies become an array, one per cookie, and leave the headers', async () => {
    const event = echoedV2(await h.send({ path: '/pets/dog/1', headers: [['Cookie', 'a=1; b=2'], ['Cookie', 'c=3']] }));
    expect(event.cookies).toEqual(['a=1', 'b=2', 'c=3']);
    expect(event.headers).not.toHaveProperty('cookie');
  });

  it('H4.6 API Gateway adds x-forwarded-*, x-amzn-trace-id, and content-length with a body', async () => {
    const event = echoedV2(await h.send({ method: 'POST', path: '/things', body: '{"a":1}', headers: [['Content-Type', 'application/json']] }));
    expect(event.headers['x-forwarded-for']).toBe('127.0.0.1');
    expect(event.headers['x-forwarded-port']).toBe('3000');
    expect(event.headers['x-forwarded-proto']).toBe('http');
    expect(event.headers['x-amzn-trace-id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
    expect(event.headers['content-length']).toBe('7');
    expect(event.body).toBe('{"a":1}');
    expect(event.isBase64Encoded).toBe(false);
  });

  it.each([
    { contentType: 'text/plain', base64: false },
    { contentType: 'application/json; charset=utf-8', base64: false },
    { contentType: 'application/vnd.api+json', base64: false },
    { contentType: 'application/x-www-form-urlencoded', base64: false },
    { contentType: 'application/octet-stream', base64: true },
    { contentType: 'image/png', base64: true },
  ])('H4.11 [AMBIGUOUS] a $contentType body is base64-encoded: $base64', async ({ contentType, base64 }) => {
    const event = echoedV2(await h.send({ method: 'PUT', path: '/things', body: 'héllo', headers: [['Content-Type', contentType]] }));
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? Buffer.from('héllo').toString('base64') : 'héllo');
  });

  it('H4.8 / H4.13-H4.16 requestContext: ids, http, domain, time', async () => {
    const got = await h.send({ path: '/pets/dog/3', headers: [['Host', 'abc123.execute-api.us-east-1.amazonaws.com']] });
    const event = echoedV2(got);
    const ctx = event.requestContext;
    expect(ctx.accountId).toBe('123456789012');
    expect(ctx.apiId).toBe(h.api.apiId);
    expect(ctx.domainName).toBe('abc123.execute-api.us-east-1.amazonaws.com');
    expect(ctx.domainPrefix).toBe('abc123');
    expect(ctx.http).toEqual({ method: 'GET', path: '/pets/dog/3', protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: '' });
    expect(ctx.requestId).toBe(got.headers.get('apigw-requestid'));
    expect(ctx.time).toBe('01/Jan/2026:00:00:00 +0000');
    expect(ctx.timeEpoch).toBe(h.clock.nowMs);
    expect(ctx).not.toHaveProperty('authorizer');
  });

  it('H4.12 stageVariables of the stage reach the event', async () => {
    const named = await httpHarness('AuthApi');
    expect(echoedV2(await named.send({ path: '/dev/open' })).stageVariables).toEqual({ color: 'blue' });
  });
});

describe('H5 payload format 1.0', () => {
  it('H5.1 / H5.2 the REST proxy shape plus version "1.0"; $default stage, resourceId null, route path as resource', async () => {
    const got = await h.send({ path: '/v1/abc?q=1&q=2', headers: [['X-A', 'x']] });
    expect(got.status).toBe(200);
    const event = JSON.parse(got.text) as APIGatewayProxyEvent & { version: string };
    expect(event.version).toBe('1.0');
    expect(event.resource).toBe('/v1/{item}');
    expect(event.path).toBe('/v1/abc');
    expect(event.httpMethod).toBe('GET');
    expect(event.pathParameters).toEqual({ item: 'abc' });
    expect(event.multiValueQueryStringParameters).toEqual({ q: ['1', '2'] });
    expect(event.stageVariables).toBeNull();
    expect(event.body).toBeNull();
    expect(event.requestContext.stage).toBe('$default');
    expect(event.requestContext.resourceId).toBeNull();
    expect(event.requestContext.resourcePath).toBe('/v1/{item}');
    expect(event.requestContext).not.toHaveProperty('deploymentId');
  });

  it('H5.3 with a named stage requestContext.path carries the stage segment; path does not', async () => {
    const named = await httpHarness('AuthApi');
    const token = named.token({});
    const got = await named.send({ path: '/dev/me-v1', headers: [['Authorization', token]] });
    const event = JSON.parse(got.text) as APIGatewayProxyEvent;
    expect(event.path).toBe('/me-v1');
    expect(event.requestContext.path).toBe('/dev/me-v1');
    expect(event.requestContext.stage).toBe('dev');
  });
});
