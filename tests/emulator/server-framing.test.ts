/**
 * Request framing over raw sockets, on a REST and an HTTP API (the shared suite's fixtures, served by the node:http
 * adapter): chunked bodies with extensions and trailers, request smuggling attempts (Content-Length with
 * Transfer-Encoding, codings HTTP/1.1 does not frame), bad chunk sizes, and an Expect other than 100-continue. Every
 * refusal is a complete answer on a closed connection, and no request hidden in a body is ever run.
 */
import { connect } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { serveGateway } from '../../emulator/server.js';
import { harness } from './conformance/harness.js';
import { httpHarness } from './http-api/harness.js';
import { HTTP_TEMPLATE, REST_TEMPLATE } from './shared/adapter.js';
import { continueExchange, exchange as rawExchange, header } from './support/raw-http.js';

interface Raw {
  status: number;
  headers: [string, string][];
  body: Buffer;
}

/** Writes raw bytes and reads every answer until the server closes the connection (a test that hangs here is the failure). */
function exchange(port: number, request: string): Promise<Raw[]> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    const chunks: Buffer[] = [];
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('error', reject);
    socket.on('end', () => resolve(answers(Buffer.concat(chunks))));
    socket.write(request);
  });
}

/** The answers in what came back, split by their Content-Length. */
function answers(bytes: Buffer): Raw[] {
  const out: Raw[] = [];
  for (let rest = bytes; rest.length > 0; ) {
    const end = rest.indexOf('\r\n\r\n');
    const head = rest.subarray(0, end).toString('latin1').split('\r\n');
    const headers = head.slice(1).map((line): [string, string] => [line.slice(0, line.indexOf(':')), line.slice(line.indexOf(':') + 1).trim()]);
    const length = Number(headers.find(([n]) => n.toLowerCase() === 'content-length')?.[1] ?? 0);
    out.push({ status: Number(head[0]?.split(' ')[1]), headers, body: rest.subarray(end + 4, end + 4 + length) });
    rest = rest.subarray(end + 4 + length);
  }
  return out;
}

const value = (raw: Raw | undefined, name: string) => raw?.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];

const rest = await harness('SharedApi', {}, REST_TEMPLATE);
const http = await httpHarness('SharedApi', HTTP_TEMPLATE);
const apis = [
  { type: 'rest', stage: '/test', served: await serveGateway(rest.gateway, 0), invoker: rest.invoker },
  { type: 'http', stage: '', served: await serveGateway(http.gateway, 0), invoker: http.invoker },
];
afterAll(() => Promise.all(apis.map((a) => a.served.close())));

describe.each(apis)('$type API: request framing on the wire', ({ type, stage, served, invoker }) => {
  const upload = (headers: string, body: string) => `POST ${stage}/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\n${headers}\r\n${body}`;
  /** A request a smuggler hides in the body of another: it must never reach the function. */
  const hidden = `GET ${stage}/items/smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n`;
  const smuggledRan = () => invoker.calls.some((c) => JSON.stringify(c.event).includes('smuggled'));

  it('R1.19 / H4.10 a chunked body with chunk extensions and trailer fields reaches the function whole; the event carries no framing header', async () => {
    const [answer] = await exchange(served.port, upload('Transfer-Encoding: chunked\r\nTrailer: X-Trailing\r\nConnection: close\r\n', '3\r\nabc\r\n2;ext=1\r\nde\r\n0\r\nX-Trailing: late\r\n\r\n'));

    expect(answer?.status).toBe(200);
    const event = JSON.parse(answer?.body.toString() ?? '{}') as { body: string; headers: Record<string, string> };
    expect(event.body).toBe('abcde');
    const names = Object.keys(event.headers).map((n) => n.toLowerCase());
    expect(names.filter((n) => ['transfer-encoding', 'trailer', 'x-trailing'].includes(n))).toEqual([]);
    // H4.6: an HTTP API states the body's length; the REST event has no Content-Length (R1.13).
    expect(event.headers['content-length']).toBe(type === 'http' ? '5' : undefined);
  });

  it('R1.19 / H4.10 [AMBIGUOUS] a GET with a body: the event carries it, as a regional API passes it on', async () => {
    const [answer] = await exchange(served.port, `GET ${stage}/items/1 HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: 7\r\nConnection: close\r\n\r\n{"a":1}`);

    expect(answer?.status).toBe(200);
    expect((JSON.parse(answer?.body.toString() ?? '{}') as { body: unknown }).body).toBe('{"a":1}');
  });

  it.each([
    { given: 'Content-Length and Transfer-Encoding together', framing: 'Content-Length: 5\r\nTransfer-Encoding: chunked\r\n', body: `0\r\n\r\n${hidden}` },
    { given: 'Transfer-Encoding and Content-Length together', framing: 'Transfer-Encoding: chunked\r\nContent-Length: 40\r\n', body: `0\r\n\r\n${hidden}` },
    { given: 'Transfer-Encoding chunked, then identity', framing: 'Transfer-Encoding: chunked\r\nTransfer-Encoding: identity\r\n', body: `0\r\n\r\n${hidden}` },
    { given: 'a coding that does not end with chunked (gzip)', framing: 'Transfer-Encoding: gzip\r\n', body: hidden },
    { given: 'Content-Length given twice, the same', framing: 'Content-Length: 3\r\nContent-Length: 3\r\n', body: `abc${hidden}` },
    { given: 'a Content-Length list ("3, 3")', framing: 'Content-Length: 3, 3\r\n', body: `abc${hidden}` },
    { given: 'a signed Content-Length (+3)', framing: 'Content-Length: +3\r\n', body: `abc${hidden}` },
    { given: 'a chunk size over 64 bits', framing: 'Transfer-Encoding: chunked\r\n', body: `fffffffffffffffffff\r\n${hidden}` },
    { given: 'a negative chunk size', framing: 'Transfer-Encoding: chunked\r\n', body: `-1\r\n${hidden}` },
    { given: 'a chunk size written 0x3', framing: 'Transfer-Encoding: chunked\r\n', body: `0x3\r\nabc\r\n0\r\n\r\n${hidden}` },
    { given: 'chunk data longer than its size', framing: 'Transfer-Encoding: chunked\r\n', body: `3\r\nabcdef\r\n0\r\n\r\n${hidden}` },
  ])('request smuggling: $given is a 400 problem+json, the connection closed, nothing in the body run', async ({ framing, body }) => {
    const calls = invoker.calls.length;

    const got = await exchange(served.port, upload(framing, body));

    expect(got.map((a) => a.status)).toEqual([400]);
    expect([value(got[0], 'Content-Type'), value(got[0], 'Connection')]).toEqual(['application/problem+json', 'close']);
    expect(invoker.calls.length).toBe(calls);
    expect(smuggledRan()).toBe(false);
  });

  it('RFC 9110 §10.1.1 an Expect other than 100-continue is a 417 problem+json, the connection closed, its body (a request) never run', async () => {
    const calls = invoker.calls.length;

    const got = await exchange(served.port, upload(`Expect: bogus\r\nContent-Length: ${hidden.length}\r\n`, hidden));

    expect(got.map((a) => a.status)).toEqual([417]);
    expect([value(got[0], 'Content-Type'), value(got[0], 'Connection'), value(got[0], 'Keep-Alive')]).toEqual(['application/problem+json', 'close', undefined]);
    expect(JSON.parse(got[0]?.body.toString() ?? '{}')).toMatchObject({ type: 'about:blank', status: 417, detail: expect.stringMatching(/Expect/) });
    expect(invoker.calls.length).toBe(calls);
    expect(smuggledRan()).toBe(false);
  });

  it.each([
    { given: 'an Expect other than 100-continue', refused: upload('Expect: bogus\r\nContent-Length: 2\r\n', 'ab'), status: 417 },
    { given: 'two Host headers', refused: `GET ${stage}/items/2 HTTP/1.1\r\nHost: a.example\r\nHost: b.example\r\n\r\n`, status: 400 },
    { given: 'no Host', refused: `GET ${stage}/items/2 HTTP/1.1\r\nX-A: 1\r\n\r\n`, status: 400 },
    { given: 'a request line without a version (HTTP/0.9)', refused: `GET ${stage}/items/2\r\n\r\n`, status: 400 },
  ])('a request pipelined before $given is answered first, in order, then the refusal', async ({ refused, status }) => {
    const got = await exchange(served.port, `GET ${stage}/items/1 HTTP/1.1\r\nHost: localhost\r\n\r\n${refused}`);

    expect(got.map((a) => a.status)).toEqual([200, status]);
  });

  it.each(['GET', 'get'])('RFC 9112 §3.2 %s with two Host headers is a 400 problem+json, the connection closed, no function run', async (method) => {
    const calls = invoker.calls.length;

    const got = await exchange(served.port, `${method} ${stage}/items/1 HTTP/1.1\r\nHost: a.example\r\nhost: b.example\r\n\r\n`);

    expect(got.map((a) => a.status)).toEqual([400]);
    expect([value(got[0], 'Content-Type'), value(got[0], 'Connection')]).toEqual(['application/problem+json', 'close']);
    expect(JSON.parse(got[0]?.body.toString() ?? '{}')).toMatchObject({ detail: expect.stringMatching(/more than one Host/) });
    expect(invoker.calls.length).toBe(calls);
  });

  it.each(['post', 'Post'])('%s with a body: a 400 problem+json saying why, never the function run without its body', async (method) => {
    const calls = invoker.calls.length;

    const got = await exchange(served.port, `${method} ${stage}/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello`);

    expect(got.map((a) => a.status)).toEqual([400]);
    expect(JSON.parse(got[0]?.body.toString() ?? '{}')).toMatchObject({ status: 400, detail: expect.stringMatching(/case-sensitive/) });
    expect(invoker.calls.length).toBe(calls);
  });

  it('Post with a control character splitting a header line (hiding a Transfer-Encoding): a 400, no function run', async () => {
    const calls = invoker.calls.length;

    const got = await exchange(served.port, `Post ${stage}/upload HTTP/1.1\r\nHost: localhost\r\nContent-Type: text/plain\r\x7f\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n`);

    expect(got.map((a) => a.status)).toEqual([400]);
    expect(invoker.calls.length).toBe(calls);
  });

  it('neighbour: an unknown method with a body is still the unknown method (R8.9 403, H3.3 404), no function run', async () => {
    const calls = invoker.calls.length;

    const got = await exchange(served.port, `FOO ${stage}/upload HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n\r\nhello`);

    expect(got.map((a) => a.status)).toEqual([type === 'rest' ? 403 : 404]);
    expect(invoker.calls.length).toBe(calls);
  });

  it.each([
    { given: 'head, in lower case (answered on the raw socket)', request: `head ${stage}/items/1 HTTP/1.1\r\nHost: localhost\r\n\r\n`, status: type === 'rest' ? 403 : 404 },
    { given: 'two Host headers', request: `HEAD ${stage}/items/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n`, status: 400 },
    { given: 'two Host headers, in lower case', request: `head ${stage}/items/1 HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n`, status: 400 },
    { given: 'an Expect other than 100-continue', request: `HEAD ${stage}/items/1 HTTP/1.1\r\nHost: localhost\r\nExpect: bogus\r\n\r\n`, status: 417 },
    { given: 'no Host', request: `HEAD ${stage}/items/1 HTTP/1.1\r\n\r\n`, status: 400 },
    { given: 'HTTP/2.0 in its request line', request: `HEAD ${stage}/items/1 HTTP/2.0\r\nHost: localhost\r\n\r\n`, status: 400 },
  ])('RFC 9110 §9.3.2 a HEAD refused for $given: the refusal\'s head and length, no content after it', async ({ request, status }) => {
    const got = await rawExchange(served.port, [request], { methods: ['HEAD'] });

    expect(got.answers.map((a) => a.status)).toEqual([status]);
    expect(Number(header(got.answers[0], 'content-length'))).toBeGreaterThan(0);
    expect(got.rest.toString('latin1')).toBe('');
  });

  it.each([
    { given: 'Connection: close', first: `GET ${stage}/items/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n` },
    { given: 'HTTP/1.0 without keep-alive', first: `GET ${stage}/items/1 HTTP/1.0\r\nHost: localhost\r\n\r\n` },
  ])('RFC 9112 §9.6 requests pipelined after one with $given are never run: its answer, then the connection closes', async ({ first }) => {
    const calls = invoker.calls.length;

    const got = await exchange(served.port, `${first}${upload('Content-Length: 5\r\n', 'hello')}${hidden}get ${stage}/items/smuggled HTTP/1.1\r\nHost: localhost\r\n\r\n`);

    expect(got.map((a) => a.status)).toEqual([200]);
    expect(invoker.calls.length).toBe(calls + 1);
    expect(smuggledRan()).toBe(false);
  });

  it('neighbour: the last request\'s own body, refused by the parser (a bad chunk size), is still answered 400', async () => {
    const got = await exchange(served.port, upload('Connection: close\r\nTransfer-Encoding: chunked\r\n', 'zz\r\nhello\r\n0\r\n\r\n'));

    expect(got.map((a) => a.status)).toEqual([400]);
  });

  it('neighbour: HTTP/1.0 with Connection: keep-alive keeps the connection for the next request', async () => {
    const got = await exchange(served.port, `GET ${stage}/items/1 HTTP/1.0\r\nHost: localhost\r\nConnection: keep-alive\r\n\r\nGET ${stage}/items/2 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);

    expect(got.map((a) => a.status)).toEqual([200, 200]);
  });

  it('neighbour: get without a body is still served as GET', async () => {
    const got = await exchange(served.port, `get ${stage}/items/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`);

    expect(got.map((a) => a.status)).toEqual([200]);
  });

  it('neighbour: Expect: 100-Continue in another case is the one expectation: 100 Continue, then the answer', async () => {
    const text = await continueExchange(served.port, upload('Expect: 100-Continue\r\nContent-Length: 2\r\nConnection: close\r\n', ''), 'ab');

    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 /);
  });
});
