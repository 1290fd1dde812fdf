/**
 * Conformance: a REST Lambda proxy integration with responseTransferMode STREAM (uri
 * `2021-11-15/functions/<arn>/response-streaming-invocations`) through the real Lambda runtime: the function's
 * `awslambda.HttpResponseStream.from` prelude gives the status, headers and cookies, and its body reaches the client
 * as it is written, before the function has ended. A stream without a prelude, or a failure before it, is a 502.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type ServerResponse } from 'node:http';
import { connect, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';

// The function waits on this endpoint between its two events; the test answers once it has read the first.
const waiting: ServerResponse[] = [];
let arrived: () => void = () => undefined;
const release = createServer((_req, res) => {
  waiting.push(res);
  arrived();
});
await new Promise<void>((r) => release.listen(0, '127.0.0.1', r));

const dir = mkdtempSync(join(tmpdir(), 'streaming-'));
const code = resolve('tests/emulator/fixtures/streaming');
const streamingUri = (fn: string) => `!Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2021-11-15/functions/\${${fn}.Arn}/response-streaming-invocations'`;
const route = (fn: string) => `{ type: aws_proxy, httpMethod: POST, responseTransferMode: STREAM, credentials: 'arn:aws:iam::123456789012:role/invoke', uri: ${streamingUri(fn)} }`;
writeFileSync(
  join(dir, 'template.yaml'),
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    `  Function: { CodeUri: '${code}', Runtime: nodejs22.x, Timeout: 10, Environment: { Variables: { RELEASE_URL: 'http://127.0.0.1:${(release.address() as AddressInfo).port}/' } } }`,
    'Resources:',
    '  Streamer: { Type: AWS::Serverless::Function, Properties: { Handler: stream.handler } }',
    '  Plain: { Type: AWS::Serverless::Function, Properties: { Handler: stream.plain } }',
    '  Closed: { Type: AWS::Serverless::Function, Properties: { Handler: stream.handler, ReservedConcurrentExecutions: 0 } }',
    "  UrlStreamer: { Type: AWS::Serverless::Function, Properties: { Handler: stream.handler, FunctionUrlConfig: { AuthType: NONE, InvokeMode: RESPONSE_STREAM, Cors: { AllowOrigins: ['https://app.example'] } } } }",
    '  Api:',
    '    Type: AWS::Serverless::Api',
    '    Properties:',
    '      StageName: prod',
    '      DefinitionBody:',
    '        openapi: 3.0.1',
    '        info: { title: streaming, version: "1" }',
    '        paths:',
    `          /stream: { get: { x-amazon-apigateway-integration: ${route('Streamer')} } }`,
    `          /plain: { get: { x-amazon-apigateway-integration: ${route('Plain')} } }`,
    `          /closed: { get: { x-amazon-apigateway-integration: ${route('Closed')} } }`,
    `          /buffered: { get: { x-amazon-apigateway-integration: { type: aws_proxy, httpMethod: POST, credentials: 'arn:aws:iam::123456789012:role/invoke', uri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Streamer.Arn}/invocations' } } }`,
  ].join('\n'),
);

let emulator: RunningEmulator;
let base = '';
const logged: string[] = [];
beforeAll(async () => {
  emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), maxConcurrency: 1, log: (line) => logged.push(line) });
  base = emulator.apis[0]!.url;
});
afterAll(async () => {
  for (const res of waiting) res.end();
  release.close();
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('responseTransferMode STREAM', () => {
  it('the prelude gives status, headers and cookies; the first event arrives while the function still runs', async () => {
    // Prepare
    const released = new Promise<void>((r) => (arrived = r));

    // Act
    const res = await fetch(`${base}/stream`);
    const reader = res.body!.getReader();
    const first = await reader.read();
    await released;
    const stillRunning = waiting.length === 1;
    waiting.shift()!.end('go');
    let rest = '';
    for (let next = await reader.read(); !next.done; next = await reader.read()) rest += Buffer.from(next.value).toString();

    // Assess
    expect(res.status).toBe(201);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.get('x-streamed')).toBe('yes');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2; Path=/']);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(Buffer.from(first.value!).toString()).toBe('data: one\n\n');
    expect(stillRunning).toBe(true);
    expect(rest).toBe('data: two\n\n');
  });

  it.each([
    { given: 'a stream without a prelude (no HttpResponseStream.from)', path: '/stream?mode=raw' },
    { given: 'a failure before the prelude', path: '/stream?mode=throw' },
    { given: 'a failure after HttpResponseStream.from but before any write (the prelude is sent with the first write)', path: '/stream?mode=prelude-then-throw' },
    { given: 'a function that does not stream (choice)', path: '/plain' },
    { given: 'a streaming function behind a buffered integration (its bytes are no proxy result)', path: '/buffered?mode=quick' },
  ])('$given answers 502 Internal server error', async ({ path }) => {
    const res = await fetch(`${base}${path}`);
    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
  });

  it('R1.55 a function Lambda throttles (ReservedConcurrentExecutions 0) answers 500 Internal server error, as a buffered proxy does, not the 502 of a failing function', async () => {
    const res = await fetch(`${base}/closed`);

    expect([res.status, await res.json()]).toEqual([500, { message: 'Internal server error' }]);
  });

  it('the route is reported emulated, and responseTransferMode with it', () => {
    expect(emulator.apis[0]!.routes.find((r) => r.path === '/stream')).toMatchObject({ emulated: true, functionLogicalId: 'Streamer' });
    expect(emulator.apis[0]!.support.find((s) => s.subject === 'x-amazon-apigateway-integration.responseTransferMode')?.status).toBe('emulated');
  });
});

/** A raw GET of `url`: all the bytes the server sent before it closed the connection. */
function rawGet(url: string): Promise<string> {
  const { hostname, port, pathname, search } = new URL(url);
  return new Promise((resolvePromise, reject) => {
    const socket = connect(Number(port), hostname);
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolvePromise(text));
    socket.write(`GET ${pathname}${search} HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`);
  });
}

describe('[AMBIGUOUS] a function that fails after its stream started: the connection is cut without the last chunk', () => {
  it.each([
    { given: 'REST responseTransferMode STREAM', url: () => `${base}/stream?mode=write-then-throw` },
    { given: 'a function URL with RESPONSE_STREAM', url: () => `${emulator.apis.find((a) => a.logicalId === 'UrlStreamerUrl')!.url}/?mode=write-then-throw` },
  ])('$given: 200, what was written, and no terminating chunk (the client sees an incomplete answer)', async ({ url }) => {
    const text = await rawGet(url());

    expect(text).toMatch(/^HTTP\/1\.1 200 /);
    expect(text).toMatch(/\r\n\r\n[0-9a-f]+\r\npart one\r\n/);
    expect(text.endsWith('0\r\n\r\n')).toBe(false);
  });

  it.each([
    { given: 'REST, a failure before the prelude (the 502)', url: () => `${base}/stream?mode=throw`, error: 'boom before the prelude' },
    { given: 'REST, a failure after the stream started', url: () => `${base}/stream?mode=write-then-throw`, error: 'boom in the middle of the stream' },
    { given: 'a function URL, a failure before anything is written (the 502)', url: () => `${emulator.apis.find((a) => a.logicalId === 'UrlStreamerUrl')!.url}/?mode=throw`, error: 'boom before the prelude' },
    { given: 'a function URL, a failure after the stream started', url: () => `${emulator.apis.find((a) => a.logicalId === 'UrlStreamerUrl')!.url}/?mode=write-then-throw`, error: 'boom in the middle of the stream' },
  ])('$given: the function`s error is logged once, with the request id the client got', async ({ url, error }) => {
    // Prepare
    const before = logged.length;

    // Act
    const text = await rawGet(url());
    const requestId = /\r\n(?:x-amzn-requestid|x-amzn-RequestId): ([^\r]+)\r\n/i.exec(text)?.[1];
    await expect.poll(() => logged.slice(before).filter((line) => line.includes(error)).length).toBeGreaterThan(0);

    // Assess
    const lines = logged.slice(before).filter((line) => line.includes(error));
    expect(lines).toEqual([expect.stringContaining(`[${requestId}] `)]);
  });

  it('the neighbour: a stream that ends well ends with the terminating chunk', async () => {
    const text = await rawGet(`${emulator.apis.find((a) => a.logicalId === 'UrlStreamerUrl')!.url}/?mode=status`);

    expect(text.endsWith('0\r\n\r\n')).toBe(true);
  });
});

describe('a function URL with InvokeMode RESPONSE_STREAM', () => {
  const url = () => emulator.apis.find((a) => a.logicalId === 'UrlStreamerUrl')!.url;

  it('a prelude gives status, headers and cookies; the body follows, with the Cors headers for an allowed origin', async () => {
    const res = await fetch(`${url()}/?mode=quick`, { headers: { origin: 'https://app.example' } });
    expect(res.status).toBe(201);
    expect(res.headers.get('access-control-allow-origin')).toBe('https://app.example');
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    expect(res.headers.getSetCookie()).toEqual(['a=1', 'b=2; Path=/']);
    expect(res.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(await res.text()).toBe('data: one\n\ndata: two\n\n');
  });

  it('a stream without a prelude is the payload itself: 200, application/octet-stream (not an error, as on a REST API)', async () => {
    const res = await fetch(`${url()}/?mode=raw`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/octet-stream');
    expect(await res.text()).toBe('no prelude');
  });

  it.each(['throw', 'prelude-then-throw'])('a failure before anything is written (%s) answers 502, Lambda`s text', async (mode) => {
    const res = await fetch(`${url()}/?mode=${mode}`);
    expect([res.status, await res.text()]).toEqual([502, 'Internal Server Error']);
  });

  it('a stream ended after its prelude alone answers the prelude`s status and headers, no body', async () => {
    const res = await fetch(`${url()}/?mode=prelude-only`);
    expect([res.status, res.headers.get('x-only'), await res.text()]).toEqual([204, 'prelude', '']);
  });

  it('a prelude key Lambda does not read (`status`) is ignored: 200 and the body, as AWS answered LocalStack`s recorded test', async () => {
    const res = await fetch(`${url()}/?mode=status`);
    expect([res.status, res.headers.get('content-type'), await res.text()]).toEqual([200, 'text/plain', 'Hello, world!']);
  });
});
