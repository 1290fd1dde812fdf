/**
 * One port for plain HTTP and TLS (a WebSocket API's port: clients connect with ws://, functions post to
 * https://<domainName>/<stage>/@connections): the first byte tells them apart, and each is answered by the same gateway.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { connect as tcpConnect, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as tlsConnect } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveGateway, type ListeningServer } from '../../emulator/server.js';
import { fetchFrom, Reply } from '../../emulator/gateway/reply.js';
import type { Gateway } from '../../emulator/gateway/types.js';
import { localCertificate, type LocalCertificate } from '../../emulator/identity/local-certificate.js';
import { httpsGet } from './support/https-get.js';

const respond: Gateway['respond'] = async (request) => new Reply(200, new Headers({ 'content-type': 'text/plain' }), `${request.method} ${new URL(request.url).pathname}`);
const gateway: Gateway = { respond, fetch: fetchFrom(respond), routes: [], support: [] };

describe('serveGateway with TLS on the same port', () => {
  let dir: string;
  let certificate: LocalCertificate;
  let server: ListeningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'server-tls-'));
    certificate = localCertificate(dir);
    server = await serveGateway(gateway, 0, '127.0.0.1', undefined, { tls: { key: certificate.keyPem, cert: certificate.certPem } });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers plain HTTP', async () => {
    // Act
    const response = await fetch(`http://127.0.0.1:${server.port}/prod/plain`);

    // Assess
    expect(response.status).toBe(200);
    expect(await response.text()).toBe('GET /prod/plain');
  });

  it.each(['127.0.0.1', 'localhost'])('answers HTTPS to %s for a client that trusts the local certificate', async (host) => {
    // Act
    const response = await httpsGet(`https://${host}:${server.port}/prod/@connections/abc`, certificate.certPem);

    // Assess
    expect(response).toEqual({ status: 200, body: 'GET /prod/@connections/abc' });
  });

  it('is refused by a client that does not trust it (the handshake fails, nothing is answered)', async () => {
    // Act
    const refused = httpsGet(`https://127.0.0.1:${server.port}/x`);

    // Assess
    await expect(refused).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('serves plain and TLS requests one after the other on fresh connections alike', async () => {
    // Act
    const answers = await Promise.all([fetch(`http://127.0.0.1:${server.port}/a`).then((r) => r.text()), httpsGet(`https://localhost:${server.port}/b`, certificate.certPem).then((r) => r.body), fetch(`http://127.0.0.1:${server.port}/c`).then((r) => r.text())]);

    // Assess
    expect(answers).toEqual(['GET /a', 'GET /b', 'GET /c']);
  });
});

/** Writes `raw` and collects what comes back until the server closes the connection. */
function stalled(socket: Socket, raw: string | Buffer): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = '';
    socket.on('data', (chunk: Buffer) => (answer += chunk.toString('latin1')));
    socket.on('error', reject);
    socket.on('close', () => resolve(answer));
    socket.write(raw);
  });
}

describe('serveGateway with TLS on the same port: clients that stall', () => {
  // Short limits, so that the test waits for the server's answer, not for minutes (the real ones: 10 s and 30 s); long
  // enough that a loaded machine's TLS handshake never makes the neighbour's complete request late.
  const stalling = { requestTimeoutMs: 4_000, headersTimeoutMs: 2_000 };
  let dir: string;
  let certificate: LocalCertificate;
  let server: ListeningServer;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'server-tls-stall-'));
    certificate = localCertificate(dir);
    server = await serveGateway(gateway, 0, '127.0.0.1', stalling, { tls: { key: certificate.keyPem, cert: certificate.certPem } });
  });

  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a plain head that never ends is answered 408 and the connection closed, as on a port without TLS', async () => {
    // Act
    const answer = await stalled(tcpConnect(server.port, '127.0.0.1'), 'GET /prod HTTP/1.1\r\nHost: x\r\n');

    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a head that never ends over TLS is answered 408 and the connection closed', async () => {
    // Prepare
    const socket = tlsConnect({ port: server.port, host: '127.0.0.1', ca: certificate.certPem, servername: 'localhost' });
    await new Promise<void>((resolve, reject) => socket.once('secureConnect', resolve).once('error', reject));

    // Act
    const answer = await stalled(socket, 'GET /prod HTTP/1.1\r\nHost: x\r\n');

    // Assess
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  });

  it('a TLS handshake that stops after its first byte is cut off', async () => {
    // Act: 0x16 sends the connection to TLS, whose handshake then never comes.
    const answer = await stalled(tcpConnect(server.port, '127.0.0.1'), Buffer.from([0x16]));

    // Assess
    expect(answer).toBe('');
  });

  it('the neighbour: a complete request over TLS under those limits is answered', async () => {
    // Act
    const response = await httpsGet(`https://localhost:${server.port}/prod/in-time`, certificate.certPem);

    // Assess
    expect(response).toEqual({ status: 200, body: 'GET /prod/in-time' });
  });
});
