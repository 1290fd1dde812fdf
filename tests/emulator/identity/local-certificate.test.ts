import { execFile, spawnSync } from 'node:child_process';
import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { createSelfSignedCertificate, localCertificate } from '../../../emulator/identity/local-certificate.js';

const execFileAsync = promisify(execFile);
const DAY_MS = 86_400_000;
const hasPython = spawnSync('python3', ['--version']).status === 0;

async function withServer<T>(pair: { certPem: string; keyPem: string }, body: (port: number) => Promise<T>): Promise<T> {
  const server = https.createServer({ key: pair.keyPem, cert: pair.certPem }, (_req, res) => res.end('ok'));
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  try {
    return await body((server.address() as AddressInfo).port);
  } finally {
    server.closeAllConnections();
    server.close();
  }
}

function get(url: string, ca?: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = https.get(url, { ...(ca ? { ca } : {}), agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve(body));
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function withTempDir<T>(body: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), 'local-certificate-'));
  try {
    return body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function withTempDirAsync<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), 'local-certificate-'));
  try {
    return await body(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('createSelfSignedCertificate', () => {
  it('builds a self-signed CA certificate for localhost that X509Certificate parses and verifies', () => {
    // Prepare
    const now = new Date('2030-06-15T12:00:00Z');

    // Act
    const { certPem, keyPem } = createSelfSignedCertificate(now);
    const cert = new X509Certificate(certPem);

    // Assess
    expect(certPem).toMatch(/^-----BEGIN CERTIFICATE-----\n/);
    expect(certPem.split('\n').every((line) => line.length <= 64)).toBe(true);
    expect(keyPem).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
    expect(cert.subject).toContain('CN=sam-local-gateway local CA');
    expect(cert.subject).toContain('O=sam-local-gateway');
    expect(cert.issuer).toBe(cert.subject);
    expect(cert.subjectAltName).toContain('DNS:localhost');
    expect(cert.subjectAltName).toContain('IP Address:127.0.0.1');
    expect(cert.subjectAltName).toMatch(/IP Address:(::1|0:0:0:0:0:0:0:1)\b/);
    expect(cert.ca).toBe(true);
    expect(cert.keyUsage).toEqual(['1.3.6.1.5.5.7.3.1']); // Node reports the extended key usages: serverAuth
    expect(cert.checkIssued(cert)).toBe(true);
    expect(cert.verify(cert.publicKey)).toBe(true);
    expect(Date.parse(cert.validFrom)).toBe(now.getTime() - DAY_MS);
    expect(Date.parse(cert.validTo)).toBe(now.getTime() + 825 * DAY_MS);
    expect(cert.checkHost('localhost')).toBe('localhost');
    expect(cert.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(cert.checkHost('example.com')).toBeUndefined();
    expect(BigInt(`0x${cert.serialNumber}`)).toBeGreaterThan(0n);
  });

  it('gives each certificate its own key and serial number', () => {
    // Prepare
    const now = new Date();

    // Act
    const first = new X509Certificate(createSelfSignedCertificate(now).certPem);
    const second = new X509Certificate(createSelfSignedCertificate(now).certPem);

    // Assess
    expect(first.serialNumber).not.toBe(second.serialNumber);
    expect(first.verify(second.publicKey)).toBe(false);
  });

  it('switches to GeneralizedTime for dates from 2050 on', () => {
    // Prepare
    const now = new Date('2049-12-01T00:00:00Z');

    // Act
    const cert = new X509Certificate(createSelfSignedCertificate(now).certPem);

    // Assess
    expect(new Date(cert.validFrom).toISOString()).toBe('2049-11-30T00:00:00.000Z');
    expect(new Date(cert.validTo).toISOString()).toBe(new Date(now.getTime() + 825 * DAY_MS).toISOString());
    expect(new Date(cert.validTo).getUTCFullYear()).toBe(2052);
  });
});

describe('TLS with the local certificate', () => {
  it('completes a handshake for localhost and 127.0.0.1 when trusted, and fails when not', async () => {
    // Prepare
    const pair = createSelfSignedCertificate();

    await withServer(pair, async (port) => {
      // Act
      const byName = await get(`https://localhost:${port}/`, pair.certPem);
      const byIp = await get(`https://127.0.0.1:${port}/`, pair.certPem);
      const untrusted = await get(`https://localhost:${port}/`).then(
        () => undefined,
        (error: NodeJS.ErrnoException) => error,
      );

      // Assess
      expect(byName).toBe('ok');
      expect(byIp).toBe('ok');
      expect(untrusted?.code).toBe('DEPTH_ZERO_SELF_SIGNED_CERT');
    });
  });

  it('is trusted by a child Node process through NODE_EXTRA_CA_CERTS', async () => {
    await withTempDirAsync(async (dir) => {
      // Prepare
      const local = localCertificate(dir);
      await withServer(local, async (port) => {
        const code = `require('https').get('https://localhost:${port}/', (res) => { let b = ''; res.on('data', (d) => (b += d)); res.on('end', () => console.log(b)); }).on('error', (e) => { console.error(e.code || e.message); process.exit(1); });`;

        // Act
        const { stdout } = await execFileAsync(process.execPath, ['-e', code], {
          env: { ...process.env, NODE_EXTRA_CA_CERTS: local.certPath },
          timeout: 20_000,
        });

        // Assess
        expect(stdout.trim()).toBe('ok');
      });
    });
  });

  it.runIf(hasPython)('is trusted by Python ssl through the CA bundle', async () => {
    await withTempDirAsync(async (dir) => {
      // Prepare
      const local = localCertificate(dir);
      await withServer(local, async (port) => {
        const code = [
          'import http.client, ssl, sys',
          'ctx = ssl.create_default_context(cafile=sys.argv[1])',
          'conn = http.client.HTTPSConnection("localhost", int(sys.argv[2]), context=ctx, timeout=15)',
          'conn.request("GET", "/")',
          'print(conn.getresponse().read().decode())',
        ].join('\n');

        // Act
        const { stdout } = await execFileAsync('python3', ['-c', code, local.bundlePath, String(port)], { timeout: 20_000 });

        // Assess
        expect(stdout.trim()).toBe('ok');
      });
    });
  });
});

describe('localCertificate', () => {
  it('names the execute-api hosts asked for, and makes a new certificate when the stored one does not name them', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'local-cert-names-'));
    try {
      const plain = localCertificate(dir);

      // Act
      const named = localCertificate(dir, new Date(), ['*.execute-api.us-east-1.amazonaws.com']);
      const again = localCertificate(dir, new Date(), ['*.execute-api.us-east-1.amazonaws.com']);

      // Assess
      const cert = new X509Certificate(named.certPem);
      expect(named.certPem).not.toBe(plain.certPem);
      expect(again.certPem).toBe(named.certPem);
      expect(cert.subjectAltName).toContain('DNS:*.execute-api.us-east-1.amazonaws.com');
      expect(cert.checkHost('abc123defg.execute-api.us-east-1.amazonaws.com')).toBe('*.execute-api.us-east-1.amazonaws.com');
      expect(cert.checkHost('abc123defg.execute-api.eu-west-1.amazonaws.com')).toBeUndefined();
      expect(cert.checkHost('localhost')).toBe('localhost');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reuses the stored certificate, renews it near expiry, and keeps the key private', () => {
    withTempDir((dir) => {
      // Prepare
      const now = new Date();

      // Act
      const first = localCertificate(dir, now);
      const again = localCertificate(dir, now);
      const later = localCertificate(dir, new Date(now.getTime() + 800 * DAY_MS));

      // Assess
      expect(first.certPath).toBe(join(dir, 'tls', 'localhost-cert.pem'));
      expect(first.bundlePath).toBe(join(dir, 'tls', 'ca-bundle.pem'));
      expect(again.certPem).toBe(first.certPem);
      expect(again.keyPem).toBe(first.keyPem);
      expect(later.certPem).not.toBe(first.certPem);
      expect(later.keyPem).not.toBe(first.keyPem);
      expect(readFileSync(later.certPath, 'utf8')).toBe(later.certPem);
      expect(statSync(join(dir, 'tls', 'localhost-key.pem')).mode & 0o777).toBe(0o600);
    });
  });

  it('keeps a reused key private too (one left readable by others is made 0600) and makes a new local folder 0700', () => {
    withTempDir((parent) => {
      // Prepare
      const dir = join(parent, '.local');
      localCertificate(dir);
      const keyPath = join(dir, 'tls', 'localhost-key.pem');
      chmodSync(keyPath, 0o644);

      // Act
      const reused = localCertificate(dir);

      // Assess
      expect(reused.keyPem).toBe(readFileSync(keyPath, 'utf8'));
      expect(statSync(keyPath).mode & 0o777).toBe(0o600);
      expect(statSync(dir).mode & 0o777).toBe(0o700);
      expect(statSync(join(dir, 'tls')).mode & 0o777).toBe(0o700);
    });
  });

  it('writes a CA bundle of the certificate followed by the public roots', () => {
    withTempDir((dir) => {
      // Prepare
      const local = localCertificate(dir);

      // Act
      const bundle = readFileSync(local.bundlePath, 'utf8');
      const bundleMtime = statSync(local.bundlePath).mtimeMs;
      localCertificate(dir);

      // Assess
      expect(bundle.startsWith(local.certPem)).toBe(true);
      expect(bundle.match(/-----BEGIN CERTIFICATE-----/g)?.length ?? 0).toBeGreaterThan(100);
      expect(statSync(local.bundlePath).mtimeMs).toBe(bundleMtime);
    });
  });

  it('replaces a key that does not match the stored certificate', () => {
    withTempDir((dir) => {
      // Prepare
      const first = localCertificate(dir);
      const stranger = createSelfSignedCertificate();
      const keyPath = join(dir, 'tls', 'localhost-key.pem');
      // A key from another certificate, as an interrupted earlier write could leave behind.
      writeFileSync(keyPath, stranger.keyPem);

      // Act
      const next = localCertificate(dir);

      // Assess
      expect(next.certPem).not.toBe(first.certPem);
      expect(new X509Certificate(next.certPem).checkPrivateKey(createPrivateKey(next.keyPem))).toBe(true);
      expect(readFileSync(keyPath, 'utf8')).toBe(next.keyPem);
    });
  });
});
