/**
 * Hostile requests on raw sockets against the whole emulator (startEmulator, as `sam-local-gateway start-api` serves),
 * on a REST and an HTTP API (fixtures/hostile: a Lambda proxy route, a greedy {proxy+} ANY route, a mock, an HTTP
 * proxy integration, a Lambda authorizer, an API key, a binary media type, CORS). Each request is one table row with
 * what each API type answers; every answer is also checked whole (support/hostile-apis.ts expectWellFormed): API
 * Gateway's answer with its request id, or the front end's problem+json refusal on a closed connection, never a hang.
 * server-framing.test.ts holds the framing (smuggling) cases, server-aborts.test.ts the clients that go away.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { exchange, header } from './support/raw-http.js';
import { hostile, startHostileApis, stillServes, type HostileApi } from './support/hostile-apis.js';

const served = await startHostileApis();
afterAll(() => served.close());

const MB = 1024 * 1024;
const H = 'Host: localhost\r\nConnection: close\r\n';
/** A request to a path under the API's stage; `extra` header lines end with CRLF. */
const req = (api: HostileApi, method: string, path: string, extra = '', body = '') =>
  `${method} ${api.stage}${path} HTTP/1.1\r\n${H}${extra}${body && !/content-length|transfer-encoding/i.test(extra) ? `Content-Length: ${Buffer.byteLength(body, 'latin1')}\r\n` : ''}\r\n${body}`;

interface FrontEndRow {
  given: string;
  request: (api: HostileApi) => string | Buffer;
  status: number;
  detail: RegExp;
}

/** What the front end refuses before any API: never logged by the gateway, no function run. */
const FRONT_END: FrontEndRow[] = [
  { given: 'a request line with no version (HTTP/0.9)', request: (a) => `GET ${a.stage}/items/1\r\n\r\n`, status: 400, detail: /HTTP\/1\.0 or HTTP\/1\.1/ },
  { given: 'HTTP/2.0 in the request line', request: (a) => `GET ${a.stage}/items/1 HTTP/2.0\r\n${H}\r\n`, status: 400, detail: /HTTP\/1\.0 or HTTP\/1\.1/ },
  { given: 'HTTP/1.2 in the request line', request: (a) => `GET ${a.stage}/items/1 HTTP/1.2\r\n${H}\r\n`, status: 400, detail: /HTTP\/1\.0 or HTTP\/1\.1/ },
  { given: 'an authority-form target on GET', request: () => `GET localhost:443 HTTP/1.1\r\n${H}\r\n`, status: 400, detail: /target/ },
  { given: 'HTTP/1.1 without Host', request: (a) => `GET ${a.stage}/items/1 HTTP/1.1\r\nConnection: close\r\n\r\n`, status: 400, detail: /Host/ },
  { given: 'an obs-fold header line', request: (a) => req(a, 'GET', '/items/1', 'X-A: a\r\n  folded\r\n'), status: 400, detail: /header/ },
  ...['X(A)', 'X A', 'X-A ', '', 'X\u00e9'].map((name) => ({ given: `the header name ${JSON.stringify(name)}`, request: (a: HostileApi) => Buffer.from(req(a, 'GET', '/items/1', `${name}: v\r\n`), 'latin1'), status: 400, detail: /header/ })),
  ...['\0', '\x01', '\x7f', '\r'].map((c) => ({ given: `${JSON.stringify(c)} in a header value`, request: (a: HostileApi) => req(a, 'GET', '/items/1', `X-A: a${c}b\r\n`), status: 400, detail: /./ })),
  ...['\0', '\t', '\x7f', '\xe9', '\xff', '\x80'].map((c) => ({ given: `${JSON.stringify(c)} in the path`, request: (a: HostileApi) => Buffer.from(req(a, 'GET', `/items/a${c}b`), 'latin1'), status: 400, detail: /target/ })),
  ...['\0', '\xe9', '\x7f'].map((c) => ({ given: `${JSON.stringify(c)} in the query`, request: (a: HostileApi) => Buffer.from(req(a, 'GET', `/items/1?q=a${c}b`), 'latin1'), status: 400, detail: /target/ })),
  { given: 'a Content-Length that is no number', request: (a) => req(a, 'POST', '/items/1', 'Content-Length: abc\r\n'), status: 400, detail: /Content-Length/ },
  { given: 'a Content-Length over 2^64', request: (a) => req(a, 'POST', '/items/1', 'Content-Length: 99999999999999999999\r\n'), status: 400, detail: /Content-Length/ },
  { given: 'two different Content-Lengths', request: (a) => req(a, 'POST', '/items/1', 'Content-Length: 3\r\nContent-Length: 4\r\n', 'abcd'), status: 400, detail: /Content-Length/ },
  { given: 'a chunk without its CRLF', request: (a) => req(a, 'POST', '/items/1', 'Transfer-Encoding: chunked\r\n', '3\r\nabcX0\r\n\r\n'), status: 400, detail: /./ },
  { given: 'a trailer line that is no field', request: (a) => req(a, 'POST', '/items/1', 'Transfer-Encoding: chunked\r\n', '3\r\nabc\r\n0\r\nBad Trailer\r\n\r\n'), status: 400, detail: /header/ },
  { given: 'chunked applied twice', request: (a) => req(a, 'POST', '/items/1', 'Transfer-Encoding: chunked, chunked\r\n', '0\r\n\r\n'), status: 400, detail: /Transfer-Encoding/ },
  { given: 'the h2c preface', request: () => 'PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', status: 400, detail: /HTTP\/2/ },
  { given: 'TLS on the plain port', request: () => Buffer.from([0x16, 0x03, 0x01, 0x00, 0x05, 0x68, 0x65, 0x6c, 0x6c, 0x6f]), status: 400, detail: /method/ },
  { given: 'R11.15 / H10.7 a URL of 10,241 characters', request: (a) => req(a, 'GET', `/items/${'a'.repeat(10_241)}`), status: 414, detail: /10240/ },
  { given: 'R11.15 / H10.7 10,241 bytes of header values', request: (a) => req(a, 'GET', '/items/1', `X-A: ${'a'.repeat(10_241)}\r\n`), status: 431, detail: /10240/ },
  { given: 'a head over 64 KB', request: (a) => req(a, 'GET', '/items/1', `X-A: ${'a'.repeat(70_000)}\r\n`), status: 431, detail: /size limit/ },
];

describe.each(served.apis)('$type API: what the front end refuses', (api) => {
  it.each(FRONT_END)('$given: $status problem+json saying why, the connection closed, the API never reached', async ({ request, status, detail }) => {
    const seen = api.entries.length;

    const got = await hostile(api, [request(api)]);

    expect(got.answers.map((a) => a.status)).toEqual([status]);
    expect(JSON.parse(got.answers[0]!.body.toString())).toMatchObject({ detail: expect.stringMatching(detail) });
    expect(api.entries.length).toBe(seen);
    await stillServes(api);
  });
});

interface GatewayRow {
  given: string;
  request: (api: HostileApi) => string | Buffer;
  method?: string;
  want: Record<HostileApi['type'], number>;
  /** Whether the echo function (or the HTTP backend) runs: never for a request API Gateway refuses. */
  runs: boolean | Record<HostileApi['type'], boolean>;
  errorType?: string;
}

const GATEWAY: GatewayRow[] = [
  { given: 'an absolute-form target', request: (a) => `GET http://example.com${a.stage}/items/1 HTTP/1.1\r\n${H}\r\n`, want: { rest: 200, http: 200 }, runs: true },
  { given: 'HTTP/1.0 without Host', request: (a) => `GET ${a.stage}/items/1 HTTP/1.0\r\n\r\n`, want: { rest: 200, http: 200 }, runs: true },
  { given: 'R8.9 / H10.1 OPTIONS *', request: () => `OPTIONS * HTTP/1.1\r\n${H}\r\n`, want: { rest: 403, http: 404 }, runs: false, errorType: 'MissingAuthenticationTokenException' },
  { given: 'R8.9 / H10.1 CONNECT', request: () => `CONNECT localhost:443 HTTP/1.1\r\nHost: localhost\r\n\r\n`, want: { rest: 403, http: 404 }, runs: false, errorType: 'MissingAuthenticationTokenException' },
  { given: 'R11.11 / H3.3 PROPFIND, which ANY does not serve', request: (a) => req(a, 'PROPFIND', '/anything'), want: { rest: 403, http: 404 }, runs: false, errorType: 'MissingAuthenticationTokenException' },
  { given: 'a lower-case get', request: (a) => req(a, 'get', '/items/1'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'R11.9 HEAD falls to the greedy ANY route: its length, no body', request: (a) => req(a, 'HEAD', '/items/1'), method: 'HEAD', want: { rest: 200, http: 200 }, runs: true },
  { given: 'R11.13 repeated query keys', request: (a) => req(a, 'GET', '/items/1?a=1&a=2&a=&b&c=%E9'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'a thousand query parameters under the URL limit', request: (a) => req(a, 'GET', `/items/1?${Array.from({ length: 1000 }, (_, i) => `k${i % 97}=${i}`).join('&')}`), want: { rest: 200, http: 200 }, runs: true },
  { given: 'a thousand headers under the header limit', request: (a) => req(a, 'GET', '/items/1', Array.from({ length: 1000 }, (_, i) => `x-h${i}: v\r\n`).join('')), want: { rest: 200, http: 200 }, runs: true },
  { given: 'bytes over 0x7f in a header value', request: (a) => Buffer.from(req(a, 'GET', '/items/1', 'X-A: caf\xe9\xff\r\n'), 'latin1'), want: { rest: 200, http: 200 }, runs: true },
  { given: '%C0%AF (an overlong escape) in a path segment', request: (a) => req(a, 'GET', '/items/%C0%AF'), want: { rest: 200, http: 200 }, runs: true },
  { given: '%00 in a path segment', request: (a) => req(a, 'GET', '/items/a%00b'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'H4.3 %2F in a path segment (an HTTP API routes it as a slash: the greedy route)', request: (a) => req(a, 'GET', '/items/a%2Fb'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'H4.3 a path that does not percent-decode', request: (a) => req(a, 'GET', '/items/%zz'), want: { rest: 200, http: 400 }, runs: { rest: true, http: false } },
  { given: '.. and . segments', request: (a) => req(a, 'GET', '/items/../items/./1'), want: { rest: 200, http: 200 }, runs: true },
  { given: '// and a trailing slash', request: (a) => req(a, 'GET', '//items//1/'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'a GET with a body', request: (a) => req(a, 'GET', '/items/1', 'Content-Type: text/plain\r\n', 'hello'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'an OPTIONS with a body', request: (a) => req(a, 'OPTIONS', '/anything', 'Content-Type: text/plain\r\n', 'hello'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'Expect: 100-continue: 100, then the answer', request: (a) => req(a, 'POST', '/anything', 'Expect: 100-continue\r\n', '{}'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'bytes that are no UTF-8 as application/json', request: (a) => Buffer.from(req(a, 'POST', '/anything', 'Content-Type: application/json\r\n', '"\xff\xfe"'), 'latin1'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'binary bytes as the binary media type', request: (a) => Buffer.from(req(a, 'POST', '/anything', 'Content-Type: application/octet-stream\r\n', '\x00\xff\xfe\x01'), 'latin1'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'Content-Encoding gzip over bytes that are no gzip (passed on as sent)', request: (a) => req(a, 'POST', '/anything', 'Content-Type: application/json\r\nContent-Encoding: gzip\r\n', 'notgzip'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'R11.14 / H10.4 a 7 MB body for a Lambda integration', request: (a) => req(a, 'POST', '/anything', 'Content-Type: text/plain\r\n', 'a'.repeat(7 * MB)), want: { rest: 413, http: 500 }, runs: false },
  { given: 'R8.8 a declared length over 10 MB', request: (a) => req(a, 'POST', '/anything', `Content-Length: ${10 * MB + 1}\r\n`), want: { rest: 413, http: 413 }, runs: false },
  { given: 'R8.8 a chunked body over 10 MB', request: (a) => req(a, 'POST', '/anything', 'Transfer-Encoding: chunked\r\n', `${(10 * MB + 1).toString(16)}\r\n${'a'.repeat(10 * MB + 1)}\r\n0\r\n\r\n`), want: { rest: 413, http: 413 }, runs: false },
  { given: 'R7.6 / H10.2 no token for the authorizer', request: (a) => req(a, 'GET', '/guarded'), want: { rest: 401, http: 401 }, runs: false, errorType: 'UnauthorizedException' },
  { given: 'R7.13 / H10.3 a token the authorizer refuses', request: (a) => req(a, 'GET', '/guarded', 'Authorization: deny\r\n'), want: { rest: 401, http: 403 }, runs: false, errorType: 'UnauthorizedException' },
  { given: 'a token with bytes over 0x7f', request: (a) => Buffer.from(req(a, 'GET', '/guarded', 'Authorization: \xe9\xff\r\n'), 'latin1'), want: { rest: 401, http: 403 }, runs: false },
  { given: 'the token the authorizer allows', request: (a) => req(a, 'GET', '/guarded', 'Authorization: allow\r\n'), want: { rest: 200, http: 200 }, runs: true },
  { given: 'an HTTP proxy integration with .. in {proxy}: REST passes it on (R1.11), an HTTP API refuses it', request: (a) => req(a, 'GET', '/backend/a/../../etc'), want: { rest: 200, http: 400 }, runs: { rest: true, http: false } },
  { given: 'an HTTP proxy integration with a chunked body', request: (a) => req(a, 'POST', '/backend/x', 'Transfer-Encoding: chunked\r\n', '3\r\nabc\r\n0\r\n\r\n'), want: { rest: 200, http: 200 }, runs: true },
];

describe.each(served.apis)('$type API: what API Gateway answers', (api) => {
  it.each(GATEWAY)('$given', async ({ request, method, want, runs, errorType }) => {
    const [seen, hits] = [api.entries.length, api.backendHits()];
    const mustRun = typeof runs === 'boolean' ? runs : runs[api.type];

    const got = await hostile(api, [request(api)], method ? [method] : undefined);

    const final = got.answers.filter((a) => a.status >= 200);
    expect(final.map((a) => a.status)).toEqual([want[api.type]]);
    const ran = api.entries.slice(seen).some((e) => e.functionLogicalId !== undefined) || api.backendHits() > hits;
    expect(ran).toBe(mustRun);
    if (errorType && api.type === 'rest') expect(header(final[0], 'x-amzn-ErrorType')).toBe(errorType);
    // H10.8: an HTTP API's own answers carry no REST error type.
    if (api.type === 'http') expect(header(final[0], 'x-amzn-ErrorType')).toBeUndefined();
    if (method === 'HEAD') expect([Number(header(final[0], 'content-length')) > 0, final[0]!.body.byteLength, got.rest.byteLength]).toEqual([true, 0, 0]);
  });

  it('R1.15 / H4.7 repeated query keys reach the function as every value, in order', async () => {
    const got = await hostile(api, [req(api, 'GET', '/items/1?a=1&a=2&a=')]);

    const event = JSON.parse(got.answers[0]!.body.toString()) as { multiValueQueryStringParameters?: Record<string, string[]>; queryStringParameters?: Record<string, string> };
    if (api.type === 'rest') expect(event.multiValueQueryStringParameters?.a).toEqual(['1', '2', '']);
    else expect(event.queryStringParameters?.a).toBe('1,2,');
  });

  it('pipelined requests in one write are answered in order, each with its own request id, a HEAD without its body', async () => {
    const keep = (method: string, path: string) => `${method} ${api.stage}${path} HTTP/1.1\r\nHost: localhost\r\n\r\n`;
    const methods = ['GET', 'HEAD', 'PROPFIND', 'GET', 'GET'];
    const got = await hostile(api, [keep('GET', '/items/1') + keep('HEAD', '/items/2') + keep('PROPFIND', '/items/3') + keep('GET', '/guarded') + req(api, 'GET', '/items/5')], methods);

    expect(got.answers.map((a) => a.status)).toEqual([200, 200, api.type === 'rest' ? 403 : 404, 401, 200]);
    const ids = got.answers.map((a) => header(a, api.type === 'rest' ? 'x-amzn-RequestId' : 'apigw-requestid'));
    expect(new Set(ids).size).toBe(5);
    expect(JSON.parse(got.answers[4]!.body.toString())).toMatchObject({ pathParameters: { id: '5' } });
  });

  it('a request pipelined after a malformed one is never run: the answers before it, then the refusal', async () => {
    const seen = api.entries.length;
    const got = await hostile(api, [`GET ${api.stage}/items/1 HTTP/1.1\r\nHost: localhost\r\n\r\nGET /x HTTP/1.1\r\nHost: localhost\r\nX(A): v\r\n\r\n${req(api, 'GET', '/items/3')}`]);

    expect(got.answers.map((a) => a.status)).toEqual([200, 400]);
    expect(api.entries.length).toBe(seen + 1);
  });

  it('a client that never reads a 3 MB answer holds no one else up; the API serves the next client', async () => {
    const body = Buffer.alloc(3 * MB, 0x61);
    const slow = await new Promise<Socket>((resolve) => {
      const socket = connect(api.port, '127.0.0.1');
      socket.pause();
      socket.write(`POST ${api.stage}/anything HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: ${body.byteLength}\r\n\r\n`);
      socket.write(body, () => resolve(socket));
    });

    await stillServes(api);
    slow.destroy();
    await stillServes(api);
  });

  it('a client that sends half a head then closes: nothing reaches the API, the next client is served', async () => {
    const seen = api.entries.length;

    const got = await exchange(api.port, [`POST ${api.stage}/anything HTTP/1.1\r\nHost: localhost\r\nContent-Le`], { halfClose: true });

    expect(got.ended).toBe('closed');
    expect(api.entries.length).toBe(seen);
    await stillServes(api);
  });
});

describe('REST API: API keys, the mock and the binary media type', () => {
  const rest = served.apis.find((a) => a.type === 'rest')!;

  it.each([
    { given: 'no key', key: '', status: 403 },
    { given: 'a key with bytes over 0x7f', key: 'x-api-key: \xe9\xff\r\n', status: 403 },
    { given: 'R1.13 two keys, the valid one last (the last value counts)', key: `x-api-key: bad\r\nx-api-key: ${rest.apiKey}\r\n`, status: 200 },
    { given: 'R1.13 two keys, the valid one first', key: `x-api-key: ${rest.apiKey}\r\nx-api-key: bad\r\n`, status: 403 },
  ])('R6.4 $given: $status', async ({ key, status }) => {
    const got = await hostile(rest, [Buffer.from(req(rest, 'GET', '/keyed', key), 'latin1')]);

    expect(got.answers.map((a) => a.status)).toEqual([status]);
    if (status === 403) expect([header(got.answers[0], 'x-amzn-ErrorType'), got.answers[0]!.body.toString()]).toEqual(['ForbiddenException', '{"message":"Forbidden"}']);
  });

  it.each([
    { accept: '*/*', mock: [200, '{"mock": true}'] },
    { accept: 'text/html', mock: [200, '{"mock": true}'] },
    { accept: 'application/xml', mock: [200, '{"mock": true}'] },
    // The response table of R2.11: text data for a binary Accept is base64-decoded, and {"mock": true} is no base64.
    { accept: 'application/octet-stream', mock: [500, '{"message": "Internal server error"}'] },
  ])('R2.3 / R8.1 / R2.11 Accept: $accept: the mock answers $mock.0, a gateway response is its application/json template', async ({ accept, mock }) => {
    const got = await hostile(rest, [req(rest, 'GET', '/mock', `Accept: ${accept}\r\n`)]);
    const refused = await hostile(rest, [req(rest, 'PROPFIND', '/mock', `Accept: ${accept}\r\n`)]);

    expect([got.answers[0]!.status, got.answers[0]!.body.toString()]).toEqual(mock);
    expect([refused.answers[0]!.status, header(refused.answers[0], 'content-type'), refused.answers[0]!.body.toString()]).toEqual([403, 'application/json', '{"message":"Missing Authentication Token"}']);
  });
});
