/**
 * A client that half-closes its side (shutdown(SHUT_WR), `nc -N`, curl's upload end) right after its request still
 * gets every answer, including the ones the node:http adapter writes on the raw socket itself: a method node's parser
 * refuses (`get`, `propfind`) and the refusals that come after answers still owed. The fake gateway answers only once
 * the server has seen the half-close, so the answer is always made after it (an event, never a sleep).
 */
import { once } from 'node:events';
import type { Socket } from 'node:net';
import { afterAll, describe, expect, it } from 'vitest';
import { serveGateway } from '../../emulator/server.js';
import { fetchFrom, Reply } from '../../emulator/gateway/reply.js';
import type { Gateway } from '../../emulator/gateway/types.js';
import { exchange } from './support/raw-http.js';

let halfClosed: Promise<unknown> = Promise.resolve();
/** FAKE gateway: answers `<method> <path>` once the client's half-close has reached the server. */
const respond: Gateway['respond'] = async (request) => {
  await halfClosed;
  return new Reply(200, new Headers({ 'content-type': 'text/plain' }), `${request.method} ${new URL(request.url).pathname}`);
};
const served = await serveGateway({ routes: [], support: [], respond, fetch: fetchFrom(respond) }, 0);
served.server.on('connection', (socket: Socket) => (halfClosed = once(socket, 'end')));
afterAll(() => served.close());

describe('a client that half-closes after its request', () => {
  it.each([
    { given: 'a lower-case method (answered on the raw socket)', request: 'get /a HTTP/1.1\r\nHost: localhost\r\n\r\n', want: [[200, 'GET /a']] },
    { given: 'an unknown lower-case method', request: 'propfind /a HTTP/1.1\r\nHost: localhost\r\n\r\n', want: [[200, 'propfind /a']] },
    { given: 'a request, then one node refuses (a bad header name)', request: 'GET /a HTTP/1.1\r\nHost: localhost\r\n\r\nGET /b HTTP/1.1\r\nHost: localhost\r\nX(A): v\r\n\r\n', want: [[200, 'GET /a'], [400]] },
    { given: 'a request, then one with two Host headers', request: 'GET /a HTTP/1.1\r\nHost: localhost\r\n\r\nGET /b HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n', want: [[200, 'GET /a'], [400]] },
    { given: 'a request, then a lower-case one', request: 'GET /a HTTP/1.1\r\nHost: localhost\r\n\r\nget /b HTTP/1.1\r\nHost: localhost\r\n\r\n', want: [[200, 'GET /a'], [200, 'GET /b']] },
  ])('$given: every answer is written before the connection closes', async ({ request, want }) => {
    const got = await exchange(served.port, [request], { halfClose: true });

    expect(got.ended).toBe('closed');
    expect(got.answers.map((a, i) => (want[i]?.length === 1 ? [a.status] : [a.status, a.body.toString()]))).toEqual(want);
  });

  it('neighbour: an upper-case method was always answered', async () => {
    const got = await exchange(served.port, ['GET /a HTTP/1.1\r\nHost: localhost\r\n\r\n'], { halfClose: true });

    expect(got.answers.map((a) => [a.status, a.body.toString()])).toEqual([[200, 'GET /a']]);
  });
});
