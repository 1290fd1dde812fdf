/**
 * What S3 reads of an upload's body before storing it: the `aws-chunked` content encoding the SDKs use for streamed
 * and trailing-checksum uploads (`x-amz-content-sha256: STREAMING-…`), and the integrity checks it makes: the signed
 * payload hash, Content-MD5 and the additional x-amz-checksum-<algorithm> (S3 User Guide, "Checking object
 * integrity"; API Reference, "Signature Calculations for the Authorization Header: Transferring Payload in Multiple
 * Chunks").
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { S3Error } from './errors.js';

export interface Payload {
  body: Buffer;
  /** Trailing headers of an aws-chunked body (x-amz-checksum-crc32...), lower-cased. */
  trailers: Record<string, string>;
}

const malformed = (why: string): S3Error => new S3Error('IncompleteBody', `The request body terminated unexpectedly (aws-chunked: ${why}).`, 400);

/** `<hex size>[;chunk-signature=…]\r\n<data>\r\n` … `0[;…]\r\n` then trailer lines and a blank line. */
export function decodeAwsChunked(raw: Buffer): Payload {
  const chunks: Buffer[] = [];
  let at = 0;
  for (;;) {
    const lineEnd = raw.indexOf('\r\n', at, 'latin1');
    if (lineEnd < 0) throw malformed('a chunk size line without CRLF');
    const sizeText = raw.toString('latin1', at, lineEnd).split(';')[0]!.trim();
    if (!/^[0-9a-fA-F]{1,16}$/.test(sizeText)) throw malformed(`chunk size ${JSON.stringify(sizeText.slice(0, 20))}`);
    const size = parseInt(sizeText, 16);
    at = lineEnd + 2;
    if (size === 0) break;
    if (at + size + 2 > raw.length) throw malformed('a chunk longer than the body');
    chunks.push(raw.subarray(at, at + size));
    at += size;
    if (raw.toString('latin1', at, at + 2) !== '\r\n') throw malformed('chunk data not followed by CRLF');
    at += 2;
  }
  const trailers: Record<string, string> = {};
  for (const line of raw.toString('latin1', at).split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) trailers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}

/** CRC-32C (Castagnoli), which node:zlib lacks: a table-driven reflected CRC. */
const CRC32C_TABLE = (() => {
  const table = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    table[n] = c >>> 0;
  }
  return table;
})();

function crc32c(data: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of data) crc = CRC32C_TABLE[(crc ^ byte) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

const uint32Base64 = (n: number): string => {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n >>> 0);
  return b.toString('base64');
};

/** The base64 checksum S3 computes for an algorithm it offers; undefined for one not computed here (CRC64NVME). */
export function checksumOf(algorithm: string, body: Buffer): string | undefined {
  switch (algorithm) {
    case 'crc32':
      return uint32Base64(crc32(body));
    case 'crc32c':
      return uint32Base64(crc32c(body));
    case 'sha1':
      return createHash('sha1').update(body).digest('base64');
    case 'sha256':
      return createHash('sha256').update(body).digest('base64');
    default:
      return undefined;
  }
}

const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'];

/**
 * The upload's body as S3 stores it, after its checks: the payload hash the request was signed with
 * (XAmzContentSHA256Mismatch), Content-MD5 (InvalidDigest / BadDigest) and one additional checksum, from a header or
 * an aws-chunked trailer (BadDigest). Returns the checksum S3 keeps with the object, if any. `expectedMd5As`: how a
 * BadDigest shows the Content-MD5 given (PutObject: hex).
 */
export function readUpload(headers: Record<string, string | string[] | undefined>, raw: Buffer, expectedMd5As: 'hex' | 'base64' = 'base64'): { body: Buffer; checksum?: { algorithm: string; value: string } } {
  const header = (name: string): string | undefined => {
    const v = headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  const contentSha = header('x-amz-content-sha256');
  const chunked = /^STREAMING-/.test(contentSha ?? '') || /(^|,)\s*aws-chunked\s*(,|$)/i.test(header('content-encoding') ?? '');
  const { body, trailers } = chunked ? decodeAwsChunked(raw) : { body: raw, trailers: {} };
  if (contentSha && /^[0-9a-f]{64}$/i.test(contentSha)) {
    const actual = createHash('sha256').update(body).digest('hex');
    if (actual !== contentSha.toLowerCase()) {
      throw new S3Error('XAmzContentSHA256Mismatch', "The provided 'x-amz-content-sha256' header does not match what was computed.", 400, { ClientComputedContentSHA256: contentSha, S3ComputedContentSHA256: actual });
    }
  }
  const declaredLength = header('x-amz-decoded-content-length');
  if (chunked && declaredLength !== undefined && Number(declaredLength) !== body.length) throw malformed(`x-amz-decoded-content-length ${declaredLength}, ${body.length} bytes received`);
  const md5 = header('content-md5');
  if (md5 !== undefined) {
    if (Buffer.from(md5, 'base64').length !== 16) throw new S3Error('InvalidDigest', 'The Content-MD5 you specified was invalid.', 400, { 'Content-MD5': md5 });
    const calculated = createHash('md5').update(body).digest('base64');
    // S3 shows the digest it was given in hex for PutObject and as sent for UploadPart; the calculated one in base64.
    const expected = expectedMd5As === 'hex' ? Buffer.from(md5, 'base64').toString('hex') : md5;
    if (calculated !== md5) throw new S3Error('BadDigest', 'The Content-MD5 you specified did not match what we received.', 400, { ExpectedDigest: expected, CalculatedDigest: calculated });
  }
  for (const algorithm of CHECKSUM_ALGORITHMS) {
    const given = header(`x-amz-checksum-${algorithm}`) ?? trailers[`x-amz-checksum-${algorithm}`];
    if (given === undefined) continue;
    const computed = checksumOf(algorithm, body);
    if (computed !== undefined && computed !== given) {
      throw new S3Error('BadDigest', `The ${algorithm.toUpperCase()} you specified did not match the calculated checksum.`, 400);
    }
    return { body, checksum: { algorithm: algorithm.toUpperCase(), value: given } };
  }
  return { body };
}
