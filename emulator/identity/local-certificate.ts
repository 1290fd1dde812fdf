/**
 * A self-signed certificate for serving the local gateway over HTTPS on localhost. Function processes trust it through
 * NODE_EXTRA_CA_CERTS (Node) or AWS_CA_BUNDLE (botocore). Node's crypto signs but cannot build X.509 certificates, and
 * we take no dependency for it, so the certificate is assembled here in DER by hand.
 */
import { X509Certificate, createHash, createPrivateKey, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rootCertificates } from 'node:tls';

export interface LocalCertificate {
  certPem: string;
  keyPem: string;
  certPath: string;
  bundlePath: string;
}

const DAY_MS = 86_400_000;
const VALID_DAYS = 825; // the longest lifetime Apple platforms accept for a TLS server certificate
const RENEW_WITHIN_DAYS = 30; // renew early so a long-running gateway never serves an expired certificate
const NAME = 'sam-local-gateway';

function length(n: number): Buffer {
  if (n < 0x80) return Buffer.from([n]);
  const bytes: number[] = [];
  for (let rest = n; rest > 0; rest = Math.floor(rest / 256)) bytes.unshift(rest & 0xff);
  return Buffer.from([0x80 | bytes.length, ...bytes]);
}

function tlv(tag: number, content: Buffer): Buffer {
  return Buffer.concat([Buffer.from([tag]), length(content.length), content]);
}

function integer(value: Buffer | number): Buffer {
  let bytes = typeof value === 'number' ? Buffer.from([value]) : value;
  // DER wants the minimal encoding, and a set top bit would make the value negative.
  let start = 0;
  while (start < bytes.length - 1 && bytes[start] === 0 && (bytes[start + 1] ?? 0) < 0x80) start++;
  bytes = bytes.subarray(start);
  if ((bytes[0] ?? 0) >= 0x80) bytes = Buffer.concat([Buffer.from([0]), bytes]);
  return tlv(0x02, bytes);
}

function oid(dotted: string): Buffer {
  const [first = 0, second = 0, ...rest] = dotted.split('.').map(Number);
  const bytes: number[] = [40 * first + second];
  for (const arc of rest) {
    const base128: number[] = [arc & 0x7f];
    for (let v = Math.floor(arc / 128); v > 0; v = Math.floor(v / 128)) base128.unshift(0x80 | (v & 0x7f));
    bytes.push(...base128);
  }
  return tlv(0x06, Buffer.from(bytes));
}

const sequence = (...items: Buffer[]): Buffer => tlv(0x30, Buffer.concat(items));
const set = (...items: Buffer[]): Buffer => tlv(0x31, Buffer.concat(items));
const explicit = (tagNumber: number, content: Buffer): Buffer => tlv(0xa0 | tagNumber, content);
const octetString = (content: Buffer): Buffer => tlv(0x04, content);
const bitString = (content: Buffer, unusedBits = 0): Buffer => tlv(0x03, Buffer.concat([Buffer.from([unusedBits]), content]));
const utf8String = (text: string): Buffer => tlv(0x0c, Buffer.from(text, 'utf8'));
const TRUE = tlv(0x01, Buffer.from([0xff]));

function time(date: Date): Buffer {
  const iso = date.toISOString(); // YYYY-MM-DDTHH:MM:SS.sssZ
  const digits = iso.slice(0, 19).replace(/[-:T]/g, '') + 'Z';
  // RFC 5280 4.1.2.5: UTCTime through 2049, GeneralizedTime from 2050 on.
  return date.getUTCFullYear() < 2050 ? tlv(0x17, Buffer.from(digits.slice(2), 'ascii')) : tlv(0x18, Buffer.from(digits, 'ascii'));
}

function extension(id: string, critical: boolean, value: Buffer): Buffer {
  return critical ? sequence(oid(id), TRUE, octetString(value)) : sequence(oid(id), octetString(value));
}

function pem(label: string, der: Buffer): string {
  const lines = der.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN ${label}-----\n${lines.join('\n')}\n-----END ${label}-----\n`;
}

/**
 * Generate an ECDSA P-256 key and a self-signed X.509 v3 CA certificate for localhost, 127.0.0.1, ::1 and `dnsNames`
 * (`*.execute-api.<region>.amazonaws.com`: the hosts functions build from an API id, sent here by the runtime).
 */
export function createSelfSignedCertificate(now: Date = new Date(), dnsNames: readonly string[] = []): { certPem: string; keyPem: string } {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const spki = publicKey.export({ type: 'spki', format: 'der' });
  const jwk = publicKey.export({ format: 'jwk' });
  // The subject key identifier hashes the subjectPublicKey bit string: the uncompressed point 04 || x || y.
  const point = Buffer.concat([Buffer.from([4]), Buffer.from(jwk.x ?? '', 'base64url'), Buffer.from(jwk.y ?? '', 'base64url')]);

  const serial = randomBytes(16);
  serial[0] = (serial[0] ?? 0) & 0x7f; // serial numbers must be positive
  const ecdsaWithSha256 = sequence(oid('1.2.840.10045.4.3.2'));
  const name = sequence(set(sequence(oid('2.5.4.10'), utf8String(NAME))), set(sequence(oid('2.5.4.3'), utf8String(`${NAME} local CA`))));
  const notBefore = new Date(now.getTime() - DAY_MS); // tolerate clocks a little behind ours
  const notAfter = new Date(now.getTime() + VALID_DAYS * DAY_MS);
  const altNames = sequence(
    tlv(0x82, Buffer.from('localhost', 'ascii')),
    ...dnsNames.map((dns) => tlv(0x82, Buffer.from(dns, 'ascii'))),
    tlv(0x87, Buffer.from([127, 0, 0, 1])),
    tlv(0x87, Buffer.from([0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1])),
  );
  const extensions = sequence(
    extension('2.5.29.19', true, sequence(TRUE)),
    // digitalSignature (bit 0) for the TLS handshake, keyCertSign (bit 5) so it can anchor itself as a CA.
    extension('2.5.29.15', true, bitString(Buffer.from([0x84]), 2)),
    extension('2.5.29.37', false, sequence(oid('1.3.6.1.5.5.7.3.1'))),
    extension('2.5.29.17', false, altNames),
    extension('2.5.29.14', false, octetString(createHash('sha1').update(point).digest())),
  );
  const tbs = sequence(
    explicit(0, integer(2)),
    integer(serial),
    ecdsaWithSha256,
    name,
    sequence(time(notBefore), time(notAfter)),
    name,
    spki,
    explicit(3, extensions),
  );
  const signature = sign('sha256', tbs, privateKey);
  const certificate = sequence(tbs, ecdsaWithSha256, bitString(signature));
  return { certPem: pem('CERTIFICATE', certificate), keyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString() };
}

function reusable(certPem: string, keyPem: string, now: Date, dnsNames: readonly string[]): boolean {
  try {
    const cert = new X509Certificate(certPem);
    const remaining = Date.parse(cert.validTo) - now.getTime();
    const names = (cert.subjectAltName ?? '').split(', ');
    if (!dnsNames.every((dns) => names.includes(`DNS:${dns}`))) return false;
    return remaining >= RENEW_WITHIN_DAYS * DAY_MS && cert.checkPrivateKey(createPrivateKey(keyPem));
  } catch {
    return false; // unreadable or mismatched files: start over rather than serve a broken pair
  }
}

/**
 * The gateway's certificate under `<dir>/tls`, reused while valid for 30 more days and naming `dnsNames`, plus a CA
 * bundle of it and Node's roots.
 */
export function localCertificate(dir: string, now: Date = new Date(), dnsNames: readonly string[] = []): LocalCertificate {
  const tlsDir = join(dir, 'tls');
  const certPath = join(tlsDir, 'localhost-cert.pem');
  const keyPath = join(tlsDir, 'localhost-key.pem');
  const bundlePath = join(tlsDir, 'ca-bundle.pem');
  // Private like the rest of the local folder (LocalState's 0700), whichever of them makes it first.
  mkdirSync(tlsDir, { recursive: true, mode: 0o700 });

  let pair: { certPem: string; keyPem: string } | undefined;
  if (existsSync(certPath) && existsSync(keyPath)) {
    const existing = { certPem: readFileSync(certPath, 'utf8'), keyPem: readFileSync(keyPath, 'utf8') };
    if (reusable(existing.certPem, existing.keyPem, now, dnsNames)) {
      pair = existing;
      // A key kept from before (copied, restored, written by hand) may be readable by others: it signs for localhost.
      if ((statSync(keyPath).mode & 0o077) !== 0) chmodSync(keyPath, 0o600);
    }
  }
  if (!pair) {
    pair = createSelfSignedCertificate(now, dnsNames);
    writeFileSync(keyPath, pair.keyPem, { mode: 0o600 });
    chmodSync(keyPath, 0o600); // the mode option only applies when the file is created
    writeFileSync(certPath, pair.certPem);
  }

  // AWS_CA_BUNDLE replaces botocore's trust store, so the bundle must keep the public roots for real AWS endpoints.
  const bundle = [pair.certPem.trimEnd(), ...rootCertificates.map((root) => root.trimEnd())].join('\n') + '\n';
  if (!existsSync(bundlePath) || readFileSync(bundlePath, 'utf8') !== bundle) writeFileSync(bundlePath, bundle);
  return { ...pair, certPath, bundlePath };
}
