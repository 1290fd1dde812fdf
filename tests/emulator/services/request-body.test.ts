/**
 * The body reading every embedded AWS endpoint shares (services/request-body.ts): a client that goes away in the middle
 * of its body leaves no error in the log (nothing went wrong here, and no one is left to answer), while a body that
 * cannot be read for another reason still gets its answer.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { connect } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { guardedHandler } from '../../../emulator/services/request-body.js';

let server: Server;
let port: number;
const handled: string[] = [];
/** Each request's server side, to learn when the server has seen it end. */
const requests: IncomingMessage[] = [];
beforeAll(async () => {
  const handler = guardedHandler('Test', (_req, res, body) => {
    handled.push(body);
    res.end('{}');
  }, { guard: {} });
  server = createServer((req, res) => {
    requests.push(req);
    handler(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));
afterEach(() => vi.restoreAllMocks());

/** Sends the head and part of a body, then resets the connection once the server has the request. */
async function abortMidBody(head: string, part: string): Promise<IncomingMessage> {
  const seen = requests.length;
  const socket = connect(port, '127.0.0.1');
  socket.on('error', () => undefined);
  socket.write(`${head}\r\n\r\n${part}`);
  await vi.waitUntil(() => requests.length > seen, { interval: 1 });
  const req = requests[seen]!;
  const closed = new Promise<void>((resolve) => req.once('close', () => resolve()));
  socket.resetAndDestroy();
  await closed;
  // The handler's rejection settles in the microtasks after the close: one turn of the loop lets them run.
  await new Promise<void>((resolve) => setImmediate(resolve));
  return req;
}

describe('guardedHandler: a client that goes away mid-body', () => {
  it.each([
    { given: 'a Content-Length body cut short', head: 'POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 1000', part: '{"TableName":' },
    { given: 'a chunked body cut short', head: 'POST / HTTP/1.1\r\nHost: localhost\r\nTransfer-Encoding: chunked', part: '5\r\nabcde\r\n' },
  ])('$given: nothing is logged and the handler never runs', async ({ head, part }) => {
    // Prepare
    const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const before = handled.length;

    // Act
    const req = await abortMidBody(head, part);

    // Assess
    expect(req.destroyed).toBe(true);
    expect(errors).not.toHaveBeenCalled();
    expect(handled.length).toBe(before);
  });

  it('a whole request after it is answered as usual (the endpoint is unharmed)', async () => {
    await abortMidBody('POST / HTTP/1.1\r\nHost: localhost\r\nContent-Length: 50', '{');

    const response = await fetch(`http://127.0.0.1:${port}/`, { method: 'POST', body: '{"a":1}' });

    expect(response.status).toBe(200);
    expect(handled.at(-1)).toBe('{"a":1}');
  });
});
