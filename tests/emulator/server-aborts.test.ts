/**
 * Clients that go away: mid-body, while the answer is being made, and mid-answer. The node:http adapter runs nothing
 * for a request whose body never arrived, writes nothing to a connection that is gone, reports none of it as its own
 * failure, and serves the next client. Each test waits for the server's side of the connection to close (an event),
 * never for time to pass.
 */
import { once } from 'node:events';
import { connect, type Socket } from 'node:net';
import { afterAll, afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
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
const served = await serveGateway({ routes: [], support: [], respond, fetch: fetchFrom(respond) }, 0);
afterAll(() => served.close());

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
