/** HTTP API conformance: the Lambda event, payload format 2.0 (H4) and 1.0 (H5). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CFN_TEMPLATE, echoedV2, httpHarness } from './harness.js';

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
    // Users report forms base64-encoded by HTTP APIs (Slack slash commands: middy PR 603) and function URLs.
    { contentType: 'application/x-www-form-urlencoded', base64: true },
    { contentType: 'application/x-www-form-urlencoded; charset=utf-8', base64: true },
    { contentType: 'application/octet-stream', base64: true },
    { contentType: 'image/png', base64: true },
  ])('H4.11 [AMBIGUOUS] a $contentType body is base64-encoded: $base64', async ({ contentType, base64 }) => {
    const event = echoedV2(await h.send({ method: 'PUT', path: '/things', body: 'héllo', headers: [['Content-Type', contentType]] }));
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? Buffer.from('héllo').toString('base64') : 'héllo');
  });

  it.each([
    { given: 'no Content-Type', headers: [] as [string, string][] },
    { given: 'text/plain in another charset', headers: [['Content-Type', 'text/plain; charset=iso-8859-1']] as [string, string][] },
  ])('H4.11 [AMBIGUOUS] bytes that are no UTF-8 with $given arrive base64, whole (as text they were lost)', async ({ headers }) => {
    const bytes = new Uint8Array([0x68, 0xe9, 0x80, 0xff, 0x00, 0x41]);

    const event = echoedV2(await h.send({ method: 'PUT', path: '/things', body: bytes, headers }));

    expect(event.isBase64Encoded).toBe(true);
    expect(Buffer.from(event.body ?? '', 'base64')).toEqual(Buffer.from(bytes));
  });

  it('a leading byte-order mark is kept (the body as sent: a signature over it still holds)', async () => {
    const event = echoedV2(await h.send({ method: 'PUT', path: '/things', body: new Uint8Array([0xef, 0xbb, 0xbf, 0x68, 0x69]), headers: [['Content-Type', 'text/plain']] }));

    expect([event.isBase64Encoded, event.body]).toEqual([false, '\uFEFFhi']);
  });

  it('the neighbour: UTF-8 text with no Content-Type arrives as text', async () => {
    const event = echoedV2(await h.send({ method: 'PUT', path: '/things', body: 'héllo' }));

    expect([event.isBase64Encoded, event.body]).toEqual([false, 'héllo']);
  });

  it.each([
    { host: 'localhost:3000', prefix: 'localhost' },
    { host: 'abc123.execute-api.localhost:3000', prefix: 'abc123' },
    { host: '127.0.0.1:3000', prefix: '127.0.0.1' },
  ])('H4.16 [AMBIGUOUS] Host $host: domainName and headers.host keep the port, domainPrefix ($prefix) has none', async ({ host, prefix }) => {
    const event = echoedV2(await h.send({ path: '/pets/dog/3', headers: [['Host', host]] }));
    expect([event.requestContext.domainName, event.requestContext.domainPrefix, event.headers.host]).toEqual([host, prefix, host]);
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
  it('H5.1 / H5.2 the REST proxy shape plus version "1.0"; $default stage, route path as resource', async () => {
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
    expect(event.requestContext.resourcePath).toBe('/v1/{item}');
    expect(event.requestContext).not.toHaveProperty('deploymentId');
  });

  // Live HTTP API 1.0 events (published captures: eu-central-1 `ANY /handler/{proxy+}` of 2022-02-06, ap-northeast-2
  // `ANY /View-usage-history-API` of 2023-03-14, us-east-1 `POST /users/{userId}/inventories` of 2021-09-11): resourceId
  // is the route key, identity has cognitoAmr null, and Content-Length "0" is in the headers of a bodiless request.
  it('H5.2 resourceId is the route key, identity.cognitoAmr is null, Content-Length "0" without a body', async () => {
    const event = JSON.parse((await h.send({ path: '/v1/abc' })).text) as APIGatewayProxyEvent & { requestContext: { identity: Record<string, unknown> } };
    expect(event.requestContext.resourceId).toBe('GET /v1/{item}');
    expect(Object.keys(event.requestContext.identity).slice(0, 5)).toEqual(['accessKey', 'accountId', 'caller', 'cognitoAmr', 'cognitoAuthenticationProvider']);
    expect(event.requestContext.identity.cognitoAmr).toBeNull();
    expect([event.headers['Content-Length'], event.multiValueHeaders['Content-Length']]).toEqual(['0', ['0']]);
  });

  // Live 1.0 events from clients sending lower-case names: "Host" and "User-Agent" re-cased, "authorization" as sent
  // (us-east-1 2024-08-01, a browser); REST re-cases Authorization instead (R1.13).
  it('H5.4 Host and User-Agent are re-cased, authorization keeps the case it was sent with', async () => {
    const event = JSON.parse((await h.send({ path: '/v1/abc', headers: [['host', 'example.test'], ['user-agent', 'ua/1'], ['authorization', 'Bearer x'], ['accept', '*/*']] })).text) as APIGatewayProxyEvent;
    expect(Object.keys(event.headers).filter((n) => ['host', 'user-agent', 'authorization', 'accept'].includes(n.toLowerCase())).sort()).toEqual(['Host', 'User-Agent', 'accept', 'authorization']);
    expect(Object.keys(event.multiValueHeaders)).toContain('Host');
  });

  it('H5.2 with a body, Content-Length is its byte length', async () => {
    const cfn = await httpHarness('PlainApi', CFN_TEMPLATE);
    const event = JSON.parse((await cfn.send({ method: 'POST', path: '/items', body: 'héllo', headers: [['Content-Type', 'text/plain']] })).text) as APIGatewayProxyEvent;
    expect(event.headers['Content-Length']).toBe('6');
  });

  // Live HTTP API 1.0 events with a named stage: "path": "/default/View-usage-history-API" (stage default, ap-northeast-2,
  // 2023-03-14) and "/dev/api/core/services" (stage dev, us-east-1, 2024-08-01), the same as requestContext.path.
  it('H5.3 with a named stage both path and requestContext.path carry the stage segment', async () => {
    const named = await httpHarness('AuthApi');
    const token = named.token({});
    const got = await named.send({ path: '/dev/me-v1', headers: [['Authorization', token]] });
    const event = JSON.parse(got.text) as APIGatewayProxyEvent;
    expect(event.path).toBe('/dev/me-v1');
    expect(event.requestContext.path).toBe('/dev/me-v1');
    expect(event.requestContext.stage).toBe('dev');
  });
});

describe('H4.2 routeKey: the matched route as written, or "$default"', () => {
  it.each([
    { given: 'a static route', api: 'ServerlessHttpApi', method: 'GET', path: '/pets/dog/1', routeKey: 'GET /pets/dog/1' },
    { given: 'a route with a variable', api: 'ServerlessHttpApi', method: 'GET', path: '/pets/dog/9', routeKey: 'GET /pets/dog/{id}' },
    { given: 'a greedy route', api: 'ServerlessHttpApi', method: 'GET', path: '/pets/cat/1', routeKey: 'GET /pets/{proxy+}' },
    { given: 'an ANY route (the request verb is not in the key)', api: 'ServerlessHttpApi', method: 'DELETE', path: '/things/1', routeKey: 'ANY /{proxy+}' },
    { given: 'the $default route', api: 'ServerlessHttpApi', method: 'GET', path: '/', routeKey: '$default' },
    { given: 'a named stage (its segment is not in the key)', api: 'AuthApi', method: 'PATCH', path: '/dev/open', routeKey: 'ANY /open' },
  ])('H4.2 $given: $method $path → "$routeKey", at the top and in requestContext', async ({ api, method, path, routeKey }) => {
    // Prepare
    const gateway = api === 'ServerlessHttpApi' ? h : await httpHarness(api);

    // Act
    const event = echoedV2(await gateway.send({ method, path }));

    // Assess
    expect(event.routeKey).toBe(routeKey);
    expect(event.requestContext.routeKey).toBe(routeKey);
  });

  it('H4.2 neighbour: payload 1.0 has no routeKey; its resource is the route path', async () => {
    // Act
    const event = JSON.parse((await h.send({ path: '/v1/abc' })).text) as Record<string, unknown>;

    // Assess
    expect(event).not.toHaveProperty('routeKey');
    expect(event.resource).toBe('/v1/{item}');
  });
});

describe('H4.10 body: the request body as a string, omitted when empty', () => {
  it.each([
    // H4.6: `content-length: "0"` without a body, as live 2.0 events show it (awsdocs/aws-lambda-developer-guide
    // sample-apps/nodejs-apig/event-v2.json, a browser GET; a curl GET to an ap-northeast-2 HTTP API, 2023-01-25).
    { given: 'a GET without a body', method: 'GET', body: undefined, contentType: undefined, want: { isBase64Encoded: false }, length: '0' },
    { given: 'an empty JSON body', method: 'POST', body: '', contentType: 'application/json', want: { isBase64Encoded: false }, length: '0' },
    { given: 'an empty binary body', method: 'PUT', body: new Uint8Array(0), contentType: 'application/octet-stream', want: { isBase64Encoded: false }, length: '0' },
    { given: 'a JSON body', method: 'POST', body: '{"a":1}', contentType: 'application/json', want: { body: '{"a":1}', isBase64Encoded: false }, length: '7' },
    { given: 'a body of one space', method: 'POST', body: ' ', contentType: 'text/plain', want: { body: ' ', isBase64Encoded: false }, length: '1' },
    { given: 'a binary body (base64, H4.11)', method: 'PUT', body: new Uint8Array([0, 1, 2]), contentType: 'application/octet-stream', want: { body: 'AAEC', isBase64Encoded: true }, length: '3' },
  ])('H4.10 $given', async ({ method, body, contentType, want, length }) => {
    // Prepare
    const headers: [string, string][] = contentType ? [['Content-Type', contentType]] : [];

    // Act
    const event = echoedV2(await h.send({ method, path: '/things', headers, ...(body !== undefined ? { body } : {}) }));

    // Assess
    expect('body' in event).toBe(want.body !== undefined);
    expect({ body: event.body, isBase64Encoded: event.isBase64Encoded }).toEqual({ body: undefined, ...want });
    expect(event.headers['content-length']).toBe(length);
  });

  it.each([
    { given: 'an empty body', body: '', want: null },
    { given: 'a body', body: 'x', want: 'x' },
  ])('H4.10 neighbour: payload 1.0 sends $given as $want (the REST shape keeps the key)', async ({ body, want }) => {
    // Prepare
    const cfn = await httpHarness('PlainApi', CFN_TEMPLATE);

    // Act
    const event = JSON.parse((await cfn.send({ method: 'POST', path: '/items', body, headers: [['Content-Type', 'text/plain']] })).text) as Record<string, unknown>;

    // Assess
    expect(event).toHaveProperty('body', want);
    expect(event.isBase64Encoded).toBe(false);
  });
});

describe('H4.14 requestContext.time (CLF, UTC) and timeEpoch (epoch ms) on the gateway clock', () => {
  it.each([
    { given: 'the DG example', at: Date.UTC(2020, 2, 12, 19, 3, 58), time: '12/Mar/2020:19:03:58 +0000' },
    { given: 'a one-digit day and month at midnight', at: Date.UTC(2026, 0, 1), time: '01/Jan/2026:00:00:00 +0000' },
    { given: 'one-digit hours, minutes and seconds, with milliseconds', at: Date.UTC(2024, 1, 9, 7, 5, 3, 999), time: '09/Feb/2024:07:05:03 +0000' },
    { given: 'the last second of a year', at: Date.UTC(2021, 11, 31, 23, 59, 59, 500), time: '31/Dec/2021:23:59:59 +0000' },
  ])('H4.14 $given: $time', async ({ at, time }) => {
    // Prepare
    const t = await httpHarness('ServerlessHttpApi');
    t.clock.nowMs = at;

    // Act
    const event = echoedV2(await t.send({ path: '/pets/dog/1' }));

    // Assess
    expect(event.requestContext.time).toBe(time);
    expect(event.requestContext.timeEpoch).toBe(at);
    expect(typeof event.requestContext.timeEpoch).toBe('number');
  });

  it('H4.14 neighbour: payload 1.0 has the same instant as requestTime and requestTimeEpoch', async () => {
    // Prepare
    const t = await httpHarness('ServerlessHttpApi');
    t.clock.nowMs = Date.UTC(2024, 1, 9, 7, 5, 3, 999);

    // Act
    const event = JSON.parse((await t.send({ path: '/v1/abc' })).text) as APIGatewayProxyEvent;

    // Assess
    expect(event.requestContext.requestTime).toBe('09/Feb/2024:07:05:03 +0000');
    expect(event.requestContext.requestTimeEpoch).toBe(t.clock.nowMs);
  });
});

describe('H4.15 requestId: the id of the apigw-requestid header', () => {
  const ID = /^[A-Za-z0-9+/]{15}=$/;

  it('H4.15 the 2.0 event\'s requestId is the response\'s apigw-requestid, shaped like "Mc7UVioPPHcEKPA="; each request has its own', async () => {
    // Act
    const first = await h.send({ path: '/pets/dog/1' });
    const second = await h.send({ path: '/pets/dog/1' });

    // Assess
    const ids = [first, second].map((got) => [echoedV2(got).requestContext.requestId, got.headers.get('apigw-requestid')]);
    expect(ids[0]![0]).toBe(ids[0]![1]);
    expect(ids[1]![0]).toBe(ids[1]![1]);
    expect(ids[0]![0]).toMatch(ID);
    expect(ids[0]![0]).not.toBe(ids[1]![0]);
  });

  it('H4.15 payload 1.0: requestId and extendedRequestId are both the header\'s id', async () => {
    // Act
    const got = await h.send({ path: '/v1/abc' });

    // Assess
    const context = (JSON.parse(got.text) as APIGatewayProxyEvent).requestContext;
    expect(context.requestId).toBe(got.headers.get('apigw-requestid'));
    expect(context.extendedRequestId).toBe(context.requestId);
  });

  it('H4.15 the Lambda authorizer sees the same id as the integration and the client', async () => {
    // Prepare
    const named = await httpHarness('AuthApi');

    // Act
    const got = await named.send({ path: '/dev/simple/1', headers: [['x-key', 'allow-id']] });

    // Assess
    const authorizerEvent = named.invoker.calls[0]?.event as { requestContext: { requestId: string } };
    expect(authorizerEvent.requestContext.requestId).toBe(got.headers.get('apigw-requestid'));
    expect(echoedV2(got).requestContext.requestId).toBe(got.headers.get('apigw-requestid'));
  });

  it('H4.15 a gateway error carries an id of the same shape', async () => {
    // Act
    const got = await h.send({ path: '/boom' });

    // Assess
    expect(got.status).toBe(500);
    expect(got.headers.get('apigw-requestid')).toMatch(ID);
  });
});

describe('H5.4 [AMBIGUOUS] header-name case in payload 1.0', () => {
  const sent: [string, string][] = [['X-Mixed-Case', 'a'], ['X-Mixed-Case', 'b'], ['content-TYPE', 'text/plain']];

  it('H5.4 [AMBIGUOUS] payload 1.0 keeps the names as the client sent them, in headers and multiValueHeaders', async () => {
    // Act
    const event = JSON.parse((await h.send({ path: '/v1/abc', headers: sent })).text) as APIGatewayProxyEvent;

    // Assess
    expect(Object.keys(event.headers)).toEqual(expect.arrayContaining(['X-Mixed-Case', 'content-TYPE']));
    expect(event.headers).not.toHaveProperty('x-mixed-case');
    expect(event.multiValueHeaders['X-Mixed-Case']).toEqual(['a', 'b']);
    expect(event.multiValueHeaders).not.toHaveProperty('x-mixed-case');
  });

  it('H5.4 neighbour: payload 2.0 lower-cases the same names (H4.6)', async () => {
    // Act
    const event = echoedV2(await h.send({ path: '/pets/dog/1', headers: sent }));

    // Assess
    expect(event.headers['x-mixed-case']).toBe('a,b');
    expect(event.headers['content-type']).toBe('text/plain');
    expect(event.headers).not.toHaveProperty('X-Mixed-Case');
  });
});

// Live AWS events (July 2026 captures of one request through each front door): an HTTP API hands its integration the
// path percent-decoded, a function URL decodes requestContext.http.path only; the query string stays as sent.
describe('H4.3 [AMBIGUOUS] the path reaches the integration percent-decoded twice, the query string as sent', () => {
  // The given/want rows of the first block are AWS's own answers: paths sent to an HTTP API's $default route and the
  // rawPath its function received (live captures of July 2026, us-west-2, hotsock/voker vokerhttp/testdata/ingress-paths.json).
  it.each([
    { given: 'a space (%20)', path: '/capture/space%20value', want: '/capture/space value' },
    { given: 'an encoded ? (the path is cut there)', path: '/capture/question%3Fvalue', want: '/capture/question' },
    { given: 'an encoded #', path: '/capture/hash%23value', want: '/capture/hash#value' },
    { given: 'an encoded slash (%2F)', path: '/capture/slash%2Fvalue', want: '/capture/slash/value' },
    { given: 'UTF-8 escapes', path: '/capture/unicode-%CE%BB-%E4%B8%96%E7%95%8C', want: '/capture/unicode-λ-世界' },
    { given: 'a double-encoded slash (%252F)', path: '/capture/literal%252Fvalue', want: '/capture/literal/value' },
    { given: 'a double-encoded ? (%253F, not cut)', path: '/capture/literal%253Fvalue', want: '/capture/literal?value' },
    { given: 'a double-encoded % (%2525)', path: '/capture/literal%2525value', want: '/capture/literal%value' },
    { given: 'a plus sign (not form encoding)', path: '/capture/a+b', want: '/capture/a+b' },
    { given: 'a truncated UTF-8 escape after an ASCII one', path: '/capture/%41%E2%82', want: '/capture/A%E2%82' },
    { given: 'no escape at all', path: '/capture/plain', want: '/capture/plain' },
  ])('payload 2.0: $given gives rawPath and http.path $want', async ({ path, want }) => {
    // Act
    const event = echoedV2(await h.send({ path: `${path}?redirect=https%3A%2F%2Fexample.com&literalPlus=a+b` }));

    // Assess
    expect(event.rawPath).toBe(want);
    expect(event.requestContext.http.path).toBe(want);
    expect(event.rawQueryString).toBe('redirect=https%3A%2F%2Fexample.com&literalPlus=a+b');
    expect(event.queryStringParameters).toEqual({ redirect: 'https://example.com', literalPlus: 'a b' });
  });

  it.each([
    { given: 'a % that decodes to a % starting no escape (captured: refused)', path: '/capture/percent%25done' },
    { given: 'a % that starts no escape', path: '/capture/100%zz' },
    { given: 'a lone % at the end', path: '/capture/100%' },
  ])('$given → 400 {"message":"Bad Request"}, nothing invoked', async ({ path }) => {
    const before = h.invoker.calls.length;
    const got = await h.send({ path });
    expect(got.status).toBe(400);
    expect(got.json()).toEqual({ message: 'Bad Request' });
    expect(h.invoker.calls.length).toBe(before);
  });

  it.each([
    { given: 'an encoded space', path: '/pets/dog/space%20value', routeKey: 'GET /pets/dog/{id}', params: { id: 'space value' } },
    { given: 'a double-encoded slash: one segment, decoded to a slash', path: '/pets/dog/a%252Fb', routeKey: 'GET /pets/dog/{id}', params: { id: 'a/b' } },
    { given: 'an encoded slash: two segments, so the greedy route', path: '/pets/dog/a%2Fb', routeKey: 'GET /pets/{proxy+}', params: { proxy: 'dog/a/b' } },
    { given: 'an encoded static segment (%31 is 1)', path: '/pets/dog/%31', routeKey: 'GET /pets/dog/1', params: undefined },
    { given: 'an encoded letter in a static segment', path: '/p%65ts/dog/2', routeKey: 'GET /pets/dog/{id}', params: { id: '2' } },
  ])('H3.4 / H4.9 routed on the path decoded once, variables decoded once more: $given', async ({ path, routeKey, params }) => {
    const event = echoedV2(await h.send({ path }));
    expect(event.routeKey).toBe(routeKey);
    expect(event.pathParameters).toEqual(params);
  });

  // [AMBIGUOUS] nothing records what AWS does with an encoded NUL; it is a character like any other, as in query values.
  it.each(['a%00b', 'a%2500b'])('an encoded NUL (%s) is passed on decoded, as a NUL in rawPath, http.path and pathParameters', async (id) => {
    const event = echoedV2(await h.send({ path: `/pets/dog/${id}` }));
    expect([event.rawPath, event.requestContext.http.path, event.pathParameters]).toEqual(['/pets/dog/a\u0000b', '/pets/dog/a\u0000b', { id: 'a\u0000b' }]);
  });

  it('payload 1.0: an encoded NUL is a NUL in path and pathParameters too', async () => {
    const event = JSON.parse((await h.send({ path: '/v1/a%00b' })).text) as APIGatewayProxyEvent;
    expect([event.path, event.pathParameters]).toEqual(['/v1/a\u0000b', { item: 'a\u0000b' }]);
  });

  it('payload 1.0: path, requestContext.path and pathParameters are decoded too', async () => {
    const event = JSON.parse((await h.send({ path: '/v1/space%20value' })).text) as APIGatewayProxyEvent;
    expect(event.path).toBe('/v1/space value');
    expect(event.requestContext.path).toBe('/v1/space value');
    expect(event.pathParameters).toEqual({ item: 'space value' });
  });
});

