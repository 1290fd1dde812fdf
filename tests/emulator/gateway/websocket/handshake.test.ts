/**
 * What is no WebSocket opening handshake (RFC 6455 4.2.1) is refused with 400 before any route runs: $connect is not
 * invoked for a connection that could never be made. Each refusal is a complete HTTP answer, then the connection closes.
 */
import { connect as tcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bounded, startWsApp, wsApi, wsRoute, type WsApp } from './support.js';

const KEY = 'dGhlIHNhbXBsZSBub25jZQ==';

/** Sends a raw request head and reads until the server closes the connection. */
function exchange(port: number, head: string): Promise<string> {
  return bounded(
    new Promise<string>((resolve, reject) => {
      const socket = tcp(port, '127.0.0.1');
      let answer = '';
      socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
      socket.on('error', reject);
      socket.on('close', () => resolve(answer));
      socket.write(head);
    }),
    'the answer to a raw handshake',
  );
}

const upgrade = (lines: string[], method = 'GET', start = `${method} /prod HTTP/1.1\r\nHost: localhost`) => `${start}\r\nConnection: Upgrade\r\n${lines.join('\r\n')}\r\n\r\n`;
const VALID = ['Upgrade: websocket', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13'];

describe('WebSocket handshakes that are not', () => {
  let app: WsApp;

  beforeAll(async () => {
    app = await startWsApp([wsApi(), wsRoute('ConnectRoute', '$connect')].join(''));
  });
  afterAll(async () => {
    await app?.close();
  });

  it.each([
    { why: 'no Sec-WebSocket-Key', head: upgrade(['Upgrade: websocket', 'Sec-WebSocket-Version: 13']) },
    { why: 'a key that is not 16 bytes of base64', head: upgrade(['Upgrade: websocket', 'Sec-WebSocket-Key: c2hvcnQ=', 'Sec-WebSocket-Version: 13']) },
    { why: 'Sec-WebSocket-Version 8', head: upgrade(['Upgrade: websocket', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 8']) },
    { why: 'method POST', head: upgrade(['Upgrade: websocket', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13', 'Content-Length: 0'], 'POST') },
    { why: 'Upgrade: h2c', head: upgrade(['Upgrade: h2c', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13']) },
    { why: 'HTTP/1.0 (RFC 6455 4.1 asks for HTTP/1.1 at least)', head: upgrade(VALID, 'GET', 'GET /prod HTTP/1.0\r\nHost: localhost') },
    { why: 'no Host header', head: upgrade(VALID, 'GET', 'GET /prod HTTP/1.1') },
    { why: 'a subprotocol offered twice', head: upgrade([...VALID, 'Sec-WebSocket-Protocol: chat, chat']) },
    { why: 'a subprotocol that is no token', head: upgrade([...VALID, 'Sec-WebSocket-Protocol: chat room']) },
  ])('$why: 400 and the connect route is not invoked', async ({ head }) => {
    // Prepare
    const before = app.events().length;

    // Act
    const answer = await exchange(app.api().port, head);

    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 400 Bad Request\r\n/);
    expect(answer).toContain('{"message":"Bad Request"}');
    expect(app.events().length).toBe(before);
  });

  it.each([
    { why: 'an escape that is no UTF-8 (%E0%A4%A)', path: '/prod%E0%A4%A' },
    { why: 'a lone %', path: '/pr%od' },
    { why: 'a stage the API does not have', path: '/dev' },
    // An absolute-form target that is no URL: the handshake failed with a 500 (Invalid URL).
    { why: 'an absolute-form target that is no URL (http://[1]/prod)', path: 'http://[1]/prod' },
  ])('a stage path with $why: 403 (names no stage) and the connect route is not invoked', async ({ path }) => {
    // Prepare
    const before = app.events().length;

    // Act
    const answer = await exchange(app.api().port, upgrade(VALID, 'GET', `GET ${path} HTTP/1.1\r\nHost: localhost`));

    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 403 Forbidden\r\n/);
    expect(app.events().length).toBe(before);
  });

  it('a valid raw handshake is switched (101) after $connect ran', async () => {
    // Prepare
    const before = app.events().length;

    // Act
    const answer = await new Promise<string>((resolve, reject) => {
      const socket = tcp(app.api().port, '127.0.0.1');
      socket.once('data', (chunk: Buffer) => {
        resolve(chunk.toString('latin1'));
        socket.destroy();
      });
      socket.on('error', reject);
      socket.write(upgrade(['Upgrade: websocket', `Sec-WebSocket-Key: ${KEY}`, 'Sec-WebSocket-Version: 13']));
    });

    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 101 Switching Protocols\r\n/);
    expect(answer).toContain('Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=');
    expect(app.events().length).toBe(before + 1);
  });
});
