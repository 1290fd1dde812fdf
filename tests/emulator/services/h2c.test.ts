/**
 * The not-served endpoint over HTTP/2 without TLS (h2c prior knowledge), as SDK clients built with NodeHttp2Handler
 * reach an http:// AWS_ENDPOINT_URL: they get the same NotImplemented answer as HTTP/1.1 clients, on the first
 * attempt, and no connection is left hanging whatever the first bytes are.
 */
import { connect as connectHttp2, type ClientHttp2Session } from 'node:http2';
import { connect } from 'node:net';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { NodeHttp2Handler } from '@smithy/node-http-handler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startNotServed, type NotServedServer } from '../../../emulator/services/not-served.js';
import { listenDual, type DualServer } from '../../../emulator/services/h2c.js';

let server: NotServedServer;
const lines: string[] = [];
beforeAll(async () => {
  server = await startNotServed({ log: (line) => lines.push(line) });
});
afterAll(() => server.close());

/** One HTTP/2 request on `session`: status, headers and body text. */
function request(session: ClientHttp2Session, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Record<string, unknown>; text: string }> {
  return new Promise((resolve, reject) => {
    const stream = session.request({ ':method': 'POST', ...headers });
    let status = 0;
    let responseHeaders: Record<string, unknown> = {};
    let text = '';
    stream.on('response', (h) => {
      status = Number(h[':status']);
      responseHeaders = h;
    });
    stream.setEncoding('utf8');
    stream.on('data', (chunk: string) => (text += chunk));
    stream.on('end', () => resolve({ status, headers: responseHeaders, text }));
    stream.on('error', reject);
    stream.end(body);
  });
}

/** Writes raw bytes, half-closes, and reads until the server closes (a test that hangs here is the failure). */
function rawExchange(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.end(bytes);
  });
}

describe('HTTP/2 (h2c) clients of the not-served endpoint', () => {
  it('an SDK client with NodeHttp2Handler gets NotImplemented on its first attempt, and the call is logged', async () => {
    const client = new DynamoDBClient({
      endpoint: server.endpointFor('StreamFunction'),
      region: 'eu-west-1',
      credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
      requestHandler: new NodeHttp2Handler(),
    });
    try {
      const error = (await client.send(new ListTablesCommand({})).catch((e: unknown) => e)) as Error & { $metadata: { httpStatusCode: number; attempts: number } };
      expect(error.name).toBe('NotImplemented');
      expect(error.message).toBe('dynamodb.ListTables is not served by the local emulator');
      expect(error.$metadata).toMatchObject({ httpStatusCode: 501, attempts: 1 });
      expect(lines).toContain('StreamFunction called dynamodb.ListTables, which the local emulator does not serve');
    } finally {
      client.destroy();
    }
  });

  it('two requests on one HTTP/2 session are both answered (Kinesis JSON target)', async () => {
    const session = connectHttp2(server.url);
    try {
      const headers = { ':path': '/fn/F', 'x-amz-target': 'Kinesis_20131202.SubscribeToShard', 'content-type': 'application/x-amz-json-1.1' };
      const [first, second] = await Promise.all([request(session, headers, '{}'), request(session, headers, '{}')]);
      for (const answer of [first, second]) {
        expect(answer.status).toBe(501);
        expect(answer.headers['x-amzn-errortype']).toBe('NotImplemented');
        expect(JSON.parse(answer.text)).toMatchObject({ __type: 'NotImplemented', message: 'Kinesis.SubscribeToShard is not served by the local emulator' });
      }
    } finally {
      session.close();
    }
  });

  it('the neighbour: a browser request over HTTP/2 is refused as over HTTP/1.1 (403, nothing logged)', async () => {
    const session = connectHttp2(server.url);
    try {
      const logged = lines.length;
      const answer = await request(session, { ':path': '/fn/F', origin: 'https://evil.example', 'x-amz-target': 'Kinesis_20131202.ListStreams' }, '{}');
      expect(answer.status).toBe(403);
      expect(answer.headers['access-control-allow-origin']).toBeUndefined();
      expect(lines.length).toBe(logged);
    } finally {
      session.close();
    }
  });

  it.each([
    { given: 'half the HTTP/2 preface, then the client closes (no request to answer)', bytes: 'PRI * HT', want: /^$/ },
    { given: 'an HTTP/1.1 request with the method PRI', bytes: 'PRI /fn/F HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n', want: /^HTTP\/1\.1 4\d\d/ },
    { given: 'an HTTP/1.1 request', bytes: 'POST /fn/F HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Amz-Target: Kinesis_20131202.ListStreams\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}', want: /^HTTP\/1\.1 501/ },
  ])('$given: answered over HTTP/1.1 or closed, never left hanging', async ({ bytes, want }) => {
    expect(await rawExchange(Number(new URL(server.url).port), bytes)).toMatch(want);
  });
});

describe('idle connections on a dual-protocol port (listenDual): closed, as AWS endpoints close theirs', () => {
  const IDLE_MS = 300;
  let dual: DualServer;
  beforeAll(async () => {
    // As the services' handlers do: the answer once the whole body is in.
    dual = await listenDual((req, res) => req.resume().on('end', () => res.end('answered')), 0, '127.0.0.1', IDLE_MS);
  });
  afterAll(() => dual.close());

  it('a connection that sends nothing is closed once it has been silent for the idle time', async () => {
    const socket = connect(dual.port, '127.0.0.1');
    const opened = Date.now();

    await new Promise<void>((resolve) => socket.once('close', () => resolve()));

    expect(Date.now() - opened).toBeGreaterThanOrEqual(IDLE_MS - 50);
  });

  it('an HTTP/2 session left idle after its request is closed by the server', async () => {
    const session = connectHttp2(`http://127.0.0.1:${dual.port}`);
    const closed = new Promise<void>((resolve) => session.once('close', () => resolve()));

    const answer = await request(session, { ':path': '/' }, '');
    await closed;

    expect(answer).toMatchObject({ status: 200, text: 'answered' });
  });

  it.each([
    { given: 'a request head never finished', bytes: 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\n' },
    { given: 'a body never finished', bytes: 'POST / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 10\r\n\r\nab' },
  ])('$given: 408 and the connection closed, as a listening node:http server does', async ({ bytes }) => {
    const socket = connect(dual.port, '127.0.0.1');
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.write(bytes);

    await new Promise<void>((resolve) => socket.once('close', () => resolve()));

    expect(text).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('the neighbour: a connection that speaks at once is answered (HTTP/1.1)', async () => {
    expect(await rawExchange(dual.port, 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n')).toMatch(/^HTTP\/1\.1 200[^]*answered$/);
  });
});
