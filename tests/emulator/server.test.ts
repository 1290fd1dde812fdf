/**
 * Requests that are not valid HTTP never reach the gateway (openapi/api.yaml says so: they are refused
 * before the API, in the front end's format): the server still answers each one completely and closes
 * the connection, so no client is left waiting.
 */
import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGateway, type ListeningServer } from '../../emulator/server.js';
import type { Gateway } from '../../emulator/gateway/types.js';

let served: ListeningServer;
let reached = 0;
/** FAKE gateway: counts the requests that get through the HTTP parser. */
const gateway: Gateway = {
  fetch: () => {
    reached += 1;
    return Promise.resolve(new Response('{}', { status: 200 }));
  },
  routes: [],
  support: [],
};

beforeAll(async () => {
  served = await serveGateway(gateway, 0);
});
afterAll(async () => {
  await served.close();
});

/** Sends raw bytes and resolves with everything the server wrote once it closes the connection. */
function exchange(raw: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect(served.port, '127.0.0.1', () => socket.end(raw));
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    socket.once('error', reject);
    socket.once('close', () => resolve(Buffer.concat(chunks).toString('latin1')));
  });
}

describe('requests that are not valid HTTP', () => {
  it.each([
    { given: 'a header value with a control character (\\x01)', raw: 'GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Test: a\x01b\r\n\r\n', status: 400 },
    { given: 'a header value with a NUL byte', raw: 'GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Test: a\x00b\r\n\r\n', status: 400 },
    { given: 'a header block over 16 KB', raw: `GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(20 * 1024)}\r\n\r\n`, status: 431 },
  ])('$given: a complete $status, the connection closed, the gateway never reached', async ({ raw, status }) => {
    const before = reached;
    const answer = await exchange(raw);
    expect(answer.startsWith(`HTTP/1.1 ${status} `)).toBe(true);
    expect(reached).toBe(before);
  });

  it('the neighbour: a tab in a header value is valid HTTP and reaches the gateway', async () => {
    const before = reached;
    const answer = await exchange('GET /v1/tasks HTTP/1.1\r\nHost: x\r\nX-Test: a\tb\r\nConnection: close\r\n\r\n');
    expect(answer.startsWith('HTTP/1.1 200 ')).toBe(true);
    expect(reached).toBe(before + 1);
  });
});
