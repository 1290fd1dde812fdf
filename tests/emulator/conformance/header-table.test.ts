/**
 * Conformance: API Gateway REST's header table (DG:known "important notes"), as the gateway applies it to
 * Lambda proxy results, mapped method-response headers and the request headers an integration sees (R1.13).
 */
import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { FIDELITY_TEMPLATE, echoed, harness, type Got } from './harness.js';

const h = await harness('FidelityApi', {}, FIDELITY_TEMPLATE);
/** The function answers with exactly this proxy result. */
const reply = (result: unknown, headers: [string, string][] = []) => h.send({ method: 'POST', path: '/v1/reply', body: JSON.stringify(result), headers });
const wireNames = (got: Got) => got.wire.map(([n]) => n);
const wireValue = (got: Got, name: string) => got.wire.find(([n]) => n === name)?.[1];

describe('response headers from a Lambda proxy result', () => {
  it.each([
    { name: 'Authorization', value: 'Bearer x' },
    { name: 'Connection', value: 'close' },
    { name: 'Content-MD5', value: 'Q2hlY2sgSW50ZWdyaXR5IQ==' },
    { name: 'Date', value: 'Thu, 01 Jan 1970 00:00:00 GMT' },
    { name: 'Max-Forwards', value: '3' },
    { name: 'Server', value: 'my-server' },
    { name: 'User-Agent', value: 'agent/1' },
    { name: 'WWW-Authenticate', value: 'Basic realm="x"' },
    { name: 'x-amzn-RequestId', value: 'from-the-function' },
  ])('restricted $name is renamed x-amzn-Remapped-$name with its value', async ({ name, value }) => {
    const got = await reply({ statusCode: 200, headers: { [name]: value }, body: 'ok' });
    expect(got.status).toBe(200);
    expect(wireValue(got, `x-amzn-Remapped-${name}`)).toBe(value);
    expect(got.wire.filter(([n, v]) => n.toLowerCase() === name.toLowerCase() && v === value)).toEqual([]);
    expect(got.text).toBe('ok');
  });

  it.each([
    { name: 'Transfer-Encoding', value: 'chunked' },
    { name: 'Expect', value: '100-continue' },
    { name: 'Host', value: 'elsewhere.example' },
    { name: 'Proxy-Authenticate', value: 'Basic' },
    { name: 'TE', value: 'trailers' },
    { name: 'Trailer', value: 'Expires' },
    { name: 'Upgrade', value: 'websocket' },
    { name: 'Via', value: '1.1 function' },
    { name: 'Keep-Alive', value: 'timeout=5' },
  ])('$name is dropped, not renamed', async ({ name, value }) => {
    const got = await reply({ statusCode: 200, headers: { [name]: value, 'X-Neighbour': 'kept' }, body: 'ok' });
    expect(got.status).toBe(200);
    expect(got.wire.some(([n]) => n.toLowerCase().endsWith(name.toLowerCase()))).toBe(false);
    expect(wireValue(got, 'X-Neighbour')).toBe('kept');
  });

  it.each([
    { name: 'Age', value: '10' },
    { name: 'Pragma', value: 'no-cache' },
    { name: 'Warn', value: '110 - "stale"' },
    { name: 'Content-Encoding', value: 'identity' },
    { name: 'Cache-Control', value: 'no-store' },
  ])('neighbour: $name passes through unchanged', async ({ name, value }) => {
    const got = await reply({ statusCode: 200, headers: { [name]: value }, body: 'ok' });
    expect(wireValue(got, name)).toBe(value);
  });

  it.each([
    { given: '11', remapped: undefined },
    { given: '5', remapped: '5' },
    { given: 'lots', remapped: 'lots' },
  ])('[AMBIGUOUS] Content-Length $given for an 11-byte body: the gateway computes its own, a disagreeing value is renamed', async ({ given, remapped }) => {
    const got = await reply({ statusCode: 200, headers: { 'Content-Length': given }, body: 'hello world' });
    expect(got.text).toBe('hello world');
    expect(got.headers.get('content-length')).toBeNull();
    expect(wireValue(got, 'x-amzn-Remapped-Content-Length')).toBe(remapped);
  });

  it('x-amzn-RequestId from the function does not replace the gateway’s own', async () => {
    const got = await reply({ statusCode: 200, headers: { 'x-amzn-RequestId': 'from-the-function' } });
    expect(got.headers.get('x-amzn-requestid')).toBe(h.entries.at(-1)?.requestId);
  });

  it('header names keep the case the function gave (headers and multiValueHeaders)', async () => {
    const got = await reply({ statusCode: 200, headers: { 'X-Custom-Case': 'a', 'content-TYPE': 'text/plain' }, multiValueHeaders: { 'X-Multi-Case': ['1', '2'] }, body: 'ok' });
    expect(wireNames(got)).toEqual(expect.arrayContaining(['X-Custom-Case', 'content-TYPE', 'X-Multi-Case', 'x-amzn-RequestId', 'x-amz-apigw-id', 'X-Amzn-Trace-Id']));
    expect(wireValue(got, 'X-Multi-Case')).toBe('1, 2');
  });

  it.each([
    { label: 'a line feed', headers: { 'X-Bad': 'a\nb' } },
    { label: 'a NUL', headers: { 'X-Bad': 'a\u0000b' } },
    { label: 'a space in the name', headers: { 'X Bad': 'v' } },
    { label: 'an empty name', headers: { '': 'v' } },
  ])('[AMBIGUOUS] a header no HTTP response can carry ($label) makes the result malformed: 502', async ({ headers }) => {
    const got = await reply({ statusCode: 200, headers, body: 'ok' });
    expect(got.status).toBe(502);
    expect(got.json()).toEqual({ message: 'Internal server error' });
  });

  it('neighbour: a non-ASCII header value is no error; it goes out as its UTF-8 bytes', async () => {
    const got = await reply({ statusCode: 200, headers: { 'X-Price': '5 €' }, body: 'ok' });
    expect(got.status).toBe(200);
    expect(Buffer.from(wireValue(got, 'X-Price') ?? '', 'latin1').toString('utf8')).toBe('5 €');
  });
});

describe('response headers mapped by responseParameters and $context.responseOverride (mock)', () => {
  it('Date and Connection are renamed, a wrong Content-Length renamed, Transfer-Encoding dropped, the override renamed', async () => {
    const got = await h.send({ path: '/v1/mock/restricted' });
    expect(got.status).toBe(200);
    expect(got.text).toBe('{"mock":true}\n');
    expect(wireValue(got, 'x-amzn-Remapped-Date')).toBe('yesterday');
    expect(wireValue(got, 'x-amzn-Remapped-Connection')).toBe('upgrade');
    expect(wireValue(got, 'x-amzn-Remapped-Content-Length')).toBe('999');
    expect(wireValue(got, 'x-amzn-Remapped-WWW-Authenticate')).toBe('Basic realm="x"');
    expect(got.wire.some(([n]) => /transfer-encoding/i.test(n))).toBe(false);
    expect(['date', 'connection', 'content-length', 'www-authenticate'].filter((n) => got.headers.has(n))).toEqual([]);
    expect(wireValue(got, 'X-Kept-Case')).toBe('kept');
  });
});

describe('request headers API Gateway drops before the integration', () => {
  const DROPPED: [string, string][] = [
    ['Content-MD5', 'Q2hlY2sgSW50ZWdyaXR5IQ=='],
    ['Expect', '100-continue'],
    ['Max-Forwards', '3'],
    ['Proxy-Authenticate', 'Basic'],
    ['Server', 'client-side'],
    ['TE', 'trailers'],
    ['Trailer', 'Expires'],
    ['Transfer-Encoding', 'chunked'],
    ['Upgrade', 'websocket'],
    ['WWW-Authenticate', 'Basic'],
  ];
  const KEPT: [string, string][] = [
    ['Via', '1.1 proxy'],
    ['Pragma', 'no-cache'],
    ['X-Custom', 'yes'],
  ];

  it.each(DROPPED)('%s is absent from the proxy event (headers and multiValueHeaders)', async (name, value) => {
    const event = echoed(await h.send({ path: '/v1/reply', headers: [[name, value], ...KEPT] }));
    expect(Object.keys(event.headers).map((n) => n.toLowerCase())).not.toContain(name.toLowerCase());
    expect(Object.keys(event.multiValueHeaders).map((n) => n.toLowerCase())).not.toContain(name.toLowerCase());
    for (const [kept, keptValue] of KEPT) expect(event.headers[kept]).toBe(keptValue);
  });

  it('they are absent from $input.params().header too, and the neighbours are there', async () => {
    const got = await h.send({ path: '/v1/mock/params', headers: [...DROPPED, ...KEPT] });
    const names = (got.json() as { headers: string }).headers.split(',').filter(Boolean);
    for (const [name] of DROPPED) expect(names).not.toContain(name);
    for (const [name] of KEPT) expect(names).toContain(name);
  });
});

describe('X-Amzn-Trace-Id', () => {
  const ROOT = /^1-[0-9a-f]{8}-[0-9a-f]{24}$/;
  const rootOf = (value: string | undefined) => /Root=([^;]+)/.exec(value ?? '')?.[1];

  it('is sent on integration responses as Root=1-<epoch seconds>-<24 hex>;Sampled=0, the same Root the event carries', async () => {
    const clock = new ManualClock(Date.UTC(2026, 2, 5, 7, 8, 9, 999));
    const clocked = await harness('FidelityApi', { clock }, FIDELITY_TEMPLATE);
    const got = await clocked.send({ path: '/v1/reply' });
    const sent = got.headers.get('x-amzn-trace-id');
    expect(sent).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Sampled=0$/);
    const root = rootOf(sent ?? '') as string;
    expect(parseInt(root.slice(2, 10), 16)).toBe(Math.floor(clock.now() / 1000));
    expect(echoed(got).headers['X-Amzn-Trace-Id']).toBe(`Root=${root}`);
    expect(echoed(got).multiValueHeaders['X-Amzn-Trace-Id']).toEqual([`Root=${root}`]);
  });

  it('each request gets its own Root', async () => {
    const [a, b] = await Promise.all([h.send({ path: '/v1/reply' }), h.send({ path: '/v1/reply' })]);
    expect(rootOf(a.headers.get('x-amzn-trace-id') ?? '')).not.toBe(rootOf(b.headers.get('x-amzn-trace-id') ?? ''));
  });

  it('the caller’s Root, Parent and Sampled are honoured, and sent back as the caller gave them (as AWS answered LocalStack`s recorded test)', async () => {
    const caller = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    const got = await h.send({ path: '/v1/reply', headers: [['x-amzn-trace-id', caller]] });
    expect(got.headers.get('x-amzn-trace-id')).toBe(caller);
    const event = echoed(got);
    expect(event.headers['X-Amzn-Trace-Id']).toBe(caller);
    expect(Object.keys(event.headers).filter((n) => n.toLowerCase() === 'x-amzn-trace-id')).toEqual(['X-Amzn-Trace-Id']);
  });

  it.each(['Root=not-a-root', 'Parent=53995c3f42cd8ad8;Sampled=1', 'garbage'])('a caller header without a valid Root (%s) gets a fresh one', async (caller) => {
    const got = await h.send({ path: '/v1/reply', headers: [['X-Amzn-Trace-Id', caller]] });
    expect(rootOf(got.headers.get('x-amzn-trace-id') ?? '')).toMatch(ROOT);
    expect(echoed(got).headers['X-Amzn-Trace-Id']).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24}$/);
  });

  it.each(['Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0', 'Root=1-5759e988-bd862e3fe1be46a994272793'])(
    'neighbour: a caller header without Parent (%s) comes back with one API Gateway generated; the event keeps Root and Sampled only',
    async (caller) => {
      const got = await h.send({ path: '/v1/reply', headers: [['X-Amzn-Trace-Id', caller]] });
      expect(got.headers.get('x-amzn-trace-id')).toMatch(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=0$/);
      expect(echoed(got).headers['X-Amzn-Trace-Id']).toBe('Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=0');
    },
  );

  it('R4.1 a mock integration`s answer carries none (no backend was called), but the request id headers', async () => {
    const got = await h.send({ path: '/v1/mock/params' });
    expect(got.status).toBe(200);
    expect(got.headers.get('x-amzn-trace-id')).toBeNull();
    expect(got.headers.get('x-amzn-requestid')).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('gateway responses (403 Missing Authentication Token) carry none, as recorded', async () => {
    const got = await h.send({ path: '/v1/nowhere' });
    expect(got.status).toBe(403);
    expect(got.headers.get('x-amzn-trace-id')).toBeNull();
  });
});

describe('R1.48 binary media types: which Accept makes a base64 result binary', () => {
  const png = Buffer.from('test-data').toString('base64');
  it.each([
    { accept: 'image/png', binary: true },
    { accept: 'image/png, text/html', binary: true },
    { accept: 'text/html, image/png', binary: false },
    { accept: 'font/woff2', binary: true },
    { accept: 'font/woff2;q=0.9', binary: true },
    { accept: 'font', binary: false },
    { accept: 'font/', binary: false },
    // An entry "*/x-star-left" matches nothing, not even itself: AWS answered LocalStack's recorded test so.
    { accept: '*/x-star-left', binary: false },
    { accept: 'text/x-star-left', binary: false },
    { accept: 'image/*', binary: false },
    { accept: '*/*', binary: false },
    { accept: 'application/json', binary: false },
  ])('Accept: $accept → binary $binary (only the first value counts, an entry */x matches nothing, an Accept wildcard is no match, a type needs a subtype)', async ({ accept, binary }) => {
    const got = await reply({ statusCode: 200, headers: { 'Content-Type': 'image/png' }, body: png, isBase64Encoded: true }, [['Accept', accept]]);
    expect(got.status).toBe(200);
    expect(got.text).toBe(binary ? 'test-data' : png);
  });

  it.each([
    { body: 'dGVzdC1kYXRh', want: 'test-data' },
    { body: 'dGVzdA', want: 'test' },
    { body: 'dGVzdA==', want: 'test' },
    { body: '', want: '' },
  ])('valid base64 "$body" is decoded', async ({ body, want }) => {
    const got = await reply({ statusCode: 200, body, isBase64Encoded: true }, [['Accept', 'image/png']]);
    expect(got.status).toBe(200);
    expect(got.text).toBe(want);
  });

  it.each(['not base64!', 'dGVz dA==', 'dGVzdA=', 'a', 'dGVz_A-='])('isBase64Encoded with a body that is not base64 ("%s") → 500 when it must be decoded', async (body) => {
    const got = await reply({ statusCode: 200, body, isBase64Encoded: true }, [['Accept', 'image/png']]);
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
  });

  it('neighbour: the same body is returned verbatim when Accept is not binary', async () => {
    const got = await reply({ statusCode: 200, body: 'not base64!', isBase64Encoded: true }, [['Accept', 'text/plain']]);
    expect(got.status).toBe(200);
    expect(got.text).toBe('not base64!');
  });

  it.each([
    { contentType: 'font/woff2', base64: true },
    { contentType: 'font', base64: false },
    { contentType: 'text/x-star-left', base64: false },
  ])('R1.19 request Content-Type $contentType → event body base64 $base64', async ({ contentType, base64 }) => {
    const event = echoed(await h.send({ method: 'PUT', path: '/v1/reply', body: 'abc', headers: [['Content-Type', contentType]] }));
    expect(event.isBase64Encoded).toBe(base64);
    expect(event.body).toBe(base64 ? Buffer.from('abc').toString('base64') : 'abc');
  });
});
