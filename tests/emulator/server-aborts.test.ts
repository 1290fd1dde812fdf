/**
 * Clients that go away: mid-body, while the answer is being made, and mid-answer. The node:http adapter runs nothing
 * for a request whose body never arrived, writes nothing to a connection that is gone, reports none of it as its own
 * failure, and serves the next client. Each test waits for the server's side of the connection to close (an event),
 * never for time to pass.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { formatRequestLine } from '../../emulator/report.js';
import { serveGateway } from '../../emulator/server.js';
import { fetchFrom, Reply } from '../../emulator/gateway/reply.js';
import type { Gateway } from '../../emulator/gateway/types.js';

let reached = 0;
let release: () => void = () => undefined;
let arrived: () => void = () => undefined;
/** FAKE gateway: counts the requests it gets; /slow answers once the test releases it, /big with 5 MB. */
const respond: Gateway['respond'] = async (request) => {
  reached += 1;
  const path = new URL(request.url).pathname;
  if (path === '/slow') {
    const released = new Promise<void>((resolve) => (release = resolve));
    arrived();
    await released;
  }
  return new Reply(200, new Headers(), path === '/big' ? 'x'.repeat(5 * 1024 * 1024) : 'ok');
};
type ClientClosed = { method: string; path: string; latencyMs: number };
const closedByClient: ClientClosed[] = [];
let noticed: (request: ClientClosed) => void = () => undefined;
const served = await serveGateway({ routes: [], support: [], respond, fetch: fetchFrom(respond) }, 0, '127.0.0.1', undefined, {
  onClientClosed: (request) => {
    closedByClient.push(request);
    noticed(request);
  },
});
afterAll(() => served.close());
beforeEach(() => (closedByClient.length = 0));

const errors = vi.spyOn(console, 'error');
beforeEach(() => errors.mockClear());
afterEach(() => expect(errors).not.toHaveBeenCalled());

/** Opens a connection and resolves with the client's socket and the server's side of it. */
async function open(): Promise<{ client: Socket; server: Socket }> {
  const accepted = once(served.server, 'connection') as Promise<[Socket]>;
  const client = connect(served.port, '127.0.0.1');
  await once(client, 'connect');
  const [server] = await accepted;
  return { client, server };
}

/** The server's side of a connection has closed (its 'error', a reset by the client, is not a failure here). */
const closed = (socket: Socket) => new Promise((resolve) => socket.once('close', resolve));

/** One complete exchange on a new connection: what the next client gets. */
function next(): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(served.port, '127.0.0.1', () => socket.write('GET /next HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n'));
    let text = '';
    socket.on('data', (c: Buffer) => (text += c.toString('latin1')));
    socket.on('end', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('a client that goes away', () => {
  it.each([
    { given: 'mid-body (10 bytes of a declared 1,000)', head: 'Content-Length: 1000', sent: '0123456789' },
    { given: 'mid-chunked-body', head: 'Transfer-Encoding: chunked', sent: '5\r\nhel' },
  ])('$given: the gateway is never reached, the next client is served', async ({ head, sent }) => {
    const { client, server } = await open();
    const before = reached;
    client.write(`POST /upload HTTP/1.1\r\nHost: localhost\r\n${head}\r\n\r\n${sent}`);

    client.destroy();
    await closed(server);

    expect(reached).toBe(before);
    expect(await next()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('mid-body: the request log is told, once, with the method and the path as sent (no query)', async () => {
    const { client } = await open();
    const told = new Promise<ClientClosed>((resolve) => (noticed = resolve));
    const headRead = once(served.server, 'request');
    client.write('PUT /v1/items/7?draft=1 HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000\r\n\r\n0123456789');
    // The server has the head (gone before it, the request was never there to log).
    await headRead;

    client.destroy();
    const request = await told;

    expect({ ...request, latencyMs: typeof request.latencyMs }).toEqual({ method: 'PUT', path: '/v1/items/7', latencyMs: 'number' });
    expect(await next()).toMatch(/^HTTP\/1\.1 200 /);
    expect(closedByClient).toHaveLength(1);
  });

  it('neighbour: a body the parser refuses (a bad chunk size) is answered 400, not logged as closed by the client', async () => {
    const { client, server } = await open();
    client.write('POST /upload HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\nhello\r\n0\r\n\r\n');
    let answer = '';
    client.on('data', (c: Buffer) => (answer += c.toString('latin1')));

    await closed(server);
    // One more exchange: whatever the refused request's promise still had to run has run.
    expect(await next()).toMatch(/^HTTP\/1\.1 200 /);

    expect(answer).toMatch(/^HTTP\/1\.1 400 /);
    expect(closedByClient).toEqual([]);
  });

  it('the request log line: method, path, 499 and why, on one line', () => {
    const line = formatRequestLine({ requestId: 'r', method: 'PUT', path: '/v1/items/7', status: 499, latencyMs: 3.25, clientClosed: true });

    expect(line).toBe('PUT /v1/items/7 499 3.3ms (client closed the connection before its request was complete; nothing answered)');
  });

  it('while its answer is being made: the answer made after goes nowhere, the next client is served', async () => {
    const { client, server } = await open();
    const atGateway = new Promise<void>((resolve) => (arrived = resolve));
    client.write('GET /slow HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await atGateway;

    // The server keeps its side open for the answer (a half-close may still want it): it closes once that is out.
    client.destroy();
    release();
    await closed(server);

    expect(await next()).toMatch(/^HTTP\/1\.1 200 /);
  });

  it('mid-answer (after the first bytes of 5 MB): the connection ends with nothing logged, the next client is served', async () => {
    const { client, server } = await open();
    client.write('GET /big HTTP/1.1\r\nHost: localhost\r\n\r\n');
    await once(client, 'data');

    client.destroy();
    await closed(server);

    expect(await next()).toMatch(/^HTTP\/1\.1 200 /);
  });
});
