/**
 * `Expect: 100-continue` on a pipelined request (RFC 9110 §10.1.1): its interim `100 Continue` goes out once the
 * answers before it are written, never inside one of them, and not at all once its final answer is made (§15.2.1).
 * The fake gateway holds the first answer until the second request has been answered (events, not time), as a slow
 * function ahead of a quick refusal does.
 */
import { once } from 'node:events';
import { afterAll, describe, expect, it } from 'vitest';
import { serveGateway } from '../../emulator/server.js';
import { fetchFrom, Reply } from '../../emulator/gateway/reply.js';
import type { Gateway } from '../../emulator/gateway/types.js';
import { continueExchange, exchange } from './support/raw-http.js';

let secondAnswered: () => void = () => undefined;
let secondHeadRead: Promise<unknown> = Promise.resolve();
/**
 * FAKE gateway: /first answers once /second has been answered (and written: one macrotask later), /held once the
 * server has read the head of the request after it; any other path at once.
 */
const respond: Gateway['respond'] = async (request) => {
  const path = new URL(request.url).pathname;
  if (path === '/first') await new Promise<void>((resolve) => (secondAnswered = resolve));
  else if (path === '/held') await secondHeadRead;
  else setImmediate(() => secondAnswered());
  return new Reply(path === '/second' ? 403 : 200, new Headers({ 'content-type': 'text/plain' }), `${request.method} ${path}`);
};
const served = await serveGateway({ routes: [], support: [], respond, fetch: fetchFrom(respond) }, 0);
afterAll(() => served.close());

describe('Expect: 100-continue behind an answer still being made', () => {
  it.each([
    { given: 'a body sent at once', second: 'POST /second HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}' },
    { given: 'no body', second: 'GET /second HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nConnection: close\r\n\r\n' },
  ])('$given, answered before the first answer is out: the first answer, then the second whole, no 100 inside or after it', async ({ second }) => {
    const got = await exchange(served.port, [`GET /first HTTP/1.1\r\nHost: localhost\r\n\r\n${second}`]);

    expect(got.answers.map((a) => [a.status, a.body.toString()])).toEqual([
      [200, 'GET /first'],
      [403, second.split(' ', 2).join(' ')],
    ]);
    expect(got.rest.toString()).toBe('');
  });

  it('a client that waits for 100 Continue before its body gets it once the answer before is out, then its answer', async () => {
    secondHeadRead = once(served.server, 'checkContinue');

    const text = await continueExchange(served.port, 'GET /held HTTP/1.1\r\nHost: localhost\r\n\r\nPOST /second HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n', '{}');

    expect(text).toMatch(/^HTTP\/1\.1 200 [^]*GET \/heldHTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 403 [^]*POST \/second$/);
  });

  it('neighbour: alone on its connection, 100 Continue comes first, then the answer', async () => {
    const got = await exchange(served.port, ['POST /second HTTP/1.1\r\nHost: localhost\r\nExpect: 100-continue\r\nContent-Length: 2\r\nConnection: close\r\n\r\n{}']);

    expect(got.answers.map((a) => a.status)).toEqual([100, 403]);
  });
});
