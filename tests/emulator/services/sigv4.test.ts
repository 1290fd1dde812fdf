import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signingKey, signRequest, verifySignature, type SignedRequest } from '../../../emulator/services/sigv4.js';
import { SignatureV4 } from '@smithy/signature-v4';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { NodeSha256 } from '../../support/sigv4-signer.js';

const NOW = Date.UTC(2026, 0, 30, 10, 0, 0);
const URL_ = new URL('http://127.0.0.1:4567/some/path?b=2&a=1');

function signedRequest(overrides: Partial<SignedRequest> = {}, signedAt = NOW): SignedRequest {
  const body = '{"TableName":"t"}';
  const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url: URL_, headers: { 'X-Amz-Target': 'DynamoDB_20120810.Scan' }, body, region: 'us-east-1', service: 'dynamodb', now: new Date(signedAt) });
  return { method: 'POST', url: '/some/path?b=2&a=1', headers: { ...headers, host: URL_.host }, body: Buffer.from(body), ...overrides };
}

describe('SigV4 verification of the embedded services', () => {
  it('accepts what signRequest signs', () => {
    expect(verifySignature(signedRequest(), TEST_CREDENTIALS, { now: NOW })).toBeUndefined();
  });

  it.each([
    { given: 'no Authorization header', req: () => ({ ...signedRequest(), headers: { host: URL_.host } }), want: 'MissingAuthenticationTokenException' },
    { given: 'another algorithm', req: () => { const r = signedRequest(); return { ...r, headers: { ...r.headers, authorization: 'AWS3 x' } }; }, want: 'IncompleteSignatureException' },
    { given: 'no X-Amz-Date', req: () => { const r = signedRequest(); const { 'x-amz-date': _d, ...h } = r.headers; return { ...r, headers: h }; }, want: 'IncompleteSignatureException' },
    { given: 'another path', req: () => signedRequest({ url: '/other?b=2&a=1' }), want: 'InvalidSignatureException' },
    { given: 'another query', req: () => signedRequest({ url: '/some/path?b=3&a=1' }), want: 'InvalidSignatureException' },
    { given: 'another method', req: () => signedRequest({ method: 'PUT' }), want: 'InvalidSignatureException' },
    { given: 'another body', req: () => signedRequest({ body: Buffer.from('{}') }), want: 'InvalidSignatureException' },
    { given: 'a changed signed header', req: () => { const r = signedRequest(); return { ...r, headers: { ...r.headers, 'x-amz-target': 'DynamoDB_20120810.DeleteTable' } }; }, want: 'InvalidSignatureException' },
    { given: 'a signature 16 minutes old', req: () => signedRequest({}, NOW - 16 * 60 * 1000), want: 'InvalidSignatureException' },
  ])('refuses $given: $want', ({ req, want }) => {
    expect(verifySignature(req(), TEST_CREDENTIALS, { now: NOW })?.type).toBe(want);
  });

  it.each(['20261136T100000Z', '20260130T260000Z', '20260130T100074Z', '20260230T100000Z'])('refuses an X-Amz-Date that is no date (%s): IncompleteSignatureException', (date) => {
    const r = signedRequest();

    expect(verifySignature({ ...r, headers: { ...r.headers, 'x-amz-date': date } }, TEST_CREDENTIALS, { now: NOW })?.type).toBe('IncompleteSignatureException');
  });

  it('accepts a signature 14 minutes old (AWS allows 15 minutes of clock skew)', () => {
    expect(verifySignature(signedRequest({}, NOW - 14 * 60 * 1000), TEST_CREDENTIALS, { now: NOW })).toBeUndefined();
  });

  it('accepts an unsigned extra header added after signing (only SignedHeaders count)', () => {
    const r = signedRequest();
    expect(verifySignature({ ...r, headers: { ...r.headers, 'user-agent': 'x' } }, TEST_CREDENTIALS, { now: NOW })).toBeUndefined();
  });

  it('refuses the right signature under another access key id', () => {
    expect(verifySignature(signedRequest(), { ...TEST_CREDENTIALS, accessKeyId: 'ASIAOTHER' }, { now: NOW })?.type).toBe('UnrecognizedClientException');
  });

  it.each([
    { given: 'the services (no presigned option)', options: {}, want: 'MissingAuthenticationTokenException' },
    { given: 'execute-api (presigned accepted)', options: { presigned: true }, want: 'InvalidSignatureException' },
  ])('a presigned query on $given: $want', ({ options, want }) => {
    const query = 'X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=' + encodeURIComponent(`${TEST_CREDENTIALS.accessKeyId}/20260130/us-east-1/execute-api/aws4_request`) + '&X-Amz-Date=20260130T100000Z&X-Amz-SignedHeaders=host&X-Amz-Signature=00';
    const req: SignedRequest = { method: 'GET', url: `/p?${query}`, headers: { host: URL_.host }, body: Buffer.alloc(0) };
    expect(verifySignature(req, TEST_CREDENTIALS, { now: NOW, ...options })?.type).toBe(want);
  });

  it.each([
    { given: 'x-amz-content-sha256 honoured (services)', hashBody: false, want: undefined },
    { given: 'the body hashed as received (execute-api)', hashBody: true, want: 'InvalidSignatureException' },
  ])('a body that differs from its signed x-amz-content-sha256: $given', ({ hashBody, want }) => {
    const body = '{"TableName":"t"}';
    const contentHash = createHash('sha256').update(body).digest('hex');
    const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url: URL_, headers: { 'x-amz-content-sha256': contentHash }, body, region: 'us-east-1', service: 'dynamodb', now: new Date(NOW) });
    const req: SignedRequest = { method: 'POST', url: '/some/path?b=2&a=1', headers: { ...headers, host: URL_.host }, body: Buffer.from('{"TableName":"other"}') };
    expect(verifySignature(req, TEST_CREDENTIALS, { now: NOW, hashBody })?.type).toBe(want);
  });
});

describe('SigV4 signing keys, derived once per secret and scope', () => {
  // The derivation example of the IAM User Guide ("Create a signed AWS API request", signing key), published with its result.
  const DOC_SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
  const DOC_KEY = 'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d';

  it('derives the documented key, the same the second time (from the cache)', () => {
    expect(signingKey(DOC_SECRET, '20120215', 'us-east-1', 'iam').toString('hex')).toBe(DOC_KEY);
    expect(signingKey(DOC_SECRET, '20120215', 'us-east-1', 'iam').toString('hex')).toBe(DOC_KEY);
  });

  it.each([
    { given: 'another secret', args: ['other-secret', '20120215', 'us-east-1', 'iam'] },
    { given: 'another date', args: [DOC_SECRET, '20120216', 'us-east-1', 'iam'] },
    { given: 'another region', args: [DOC_SECRET, '20120215', 'eu-west-1', 'iam'] },
    { given: 'another service', args: [DOC_SECRET, '20120215', 'us-east-1', 'dynamodb'] },
  ] as { given: string; args: [string, string, string, string] }[])('derives a different key for $given once the documented one is cached', ({ args }) => {
    signingKey(DOC_SECRET, '20120215', 'us-east-1', 'iam');
    expect(signingKey(...args).toString('hex')).not.toBe(DOC_KEY);
  });

  it('still derives the documented key after more scopes than the cache holds', () => {
    for (let day = 1; day <= 100; day += 1) signingKey(DOC_SECRET, `201201${String(day).padStart(2, '0')}`, 'us-east-1', 'iam');
    expect(signingKey(DOC_SECRET, '20120215', 'us-east-1', 'iam').toString('hex')).toBe(DOC_KEY);
  });

  it('refuses a request signed with the right secret when verified against another, after the right key is cached', () => {
    expect(verifySignature(signedRequest(), TEST_CREDENTIALS, { now: NOW })).toBeUndefined();
    expect(verifySignature(signedRequest(), { ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret' }, { now: NOW })?.type).toBe('InvalidSignatureException');
  });
});

describe('SigV4 of an HTTP/2 request (the Kinesis client`s): the host signed as :authority', () => {
  /** What the SDK's NodeHttp2Handler clients send: no host header, `:authority` among the signed headers. */
  async function http2Request(signedHeaders: Record<string, string>): Promise<SignedRequest> {
    const body = '{"StreamName":"s"}';
    const signer = new SignatureV4({ service: 'kinesis', region: 'us-east-1', credentials: TEST_CREDENTIALS, sha256: NodeSha256 });
    const signed = await signer.sign({ method: 'POST', protocol: 'http:', hostname: URL_.hostname, port: Number(URL_.port), path: '/', query: {}, headers: { 'content-type': 'application/x-amz-json-1.1', ...signedHeaders }, body }, { signingDate: new Date(NOW) });
    return { method: 'POST', url: '/', headers: { ...(signed.headers as Record<string, string>), ':authority': URL_.host }, body: Buffer.from(body) };
  }

  it('accepts it', async () => {
    expect(verifySignature(await http2Request({ ':authority': URL_.host }), TEST_CREDENTIALS, { now: NOW })).toBeUndefined();
  });

  it('refuses a signature that signs neither host nor :authority', async () => {
    expect(verifySignature(await http2Request({}), TEST_CREDENTIALS, { now: NOW })?.type).toBe('InvalidSignatureException');
  });
});
