/**
 * Requests signed by the AWS SDK's own SigV4 signer (@smithy/signature-v4, what every SDK v3 client and
 * `aws4`-style tools implement), for execute-api: the gateway must accept exactly what the SDK produces.
 */
import { createHash, createHmac, type Hash, type Hmac } from 'node:crypto';
import { SignatureV4 } from '@smithy/signature-v4';
import type { LocalCredentials } from '../../emulator/services/sigv4.js';

type SourceData = string | ArrayBuffer | ArrayBufferView;
const bytes = (data: SourceData): string | Uint8Array =>
  typeof data === 'string' ? data : data instanceof ArrayBuffer ? new Uint8Array(data) : new Uint8Array(data.buffer, data.byteOffset, data.byteLength);

/** The SDK's Checksum contract over node:crypto (SHA-256, HMAC when given a key). */
export class NodeSha256 {
  private hash: Hash | Hmac;
  constructor(private readonly secret?: SourceData) {
    this.hash = this.fresh();
  }
  private fresh(): Hash | Hmac {
    return this.secret === undefined ? createHash('sha256') : createHmac('sha256', bytes(this.secret));
  }
  update(data: SourceData): void {
    this.hash.update(bytes(data));
  }
  async digest(): Promise<Uint8Array> {
    return this.hash.digest();
  }
  reset(): void {
    this.hash = this.fresh();
  }
}

export interface ToSign {
  method?: string;
  /** Full URL: path as it will be sent (with the stage) and query. */
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /** When the signature is made (the gateway's clock in tests). */
  at: Date;
  credentials: Pick<LocalCredentials, 'accessKeyId' | 'secretAccessKey'> & { sessionToken?: string };
  region?: string;
  service?: string;
}

function signer(input: ToSign): SignatureV4 {
  return new SignatureV4({ service: input.service ?? 'execute-api', region: input.region ?? 'us-east-1', credentials: input.credentials, sha256: NodeSha256 });
}

function httpRequest(input: ToSign) {
  const url = new URL(input.url);
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of url.searchParams) {
    const seen = query[k];
    query[k] = seen === undefined ? v : [...(Array.isArray(seen) ? seen : [seen]), v];
  }
  return {
    method: input.method ?? 'GET',
    protocol: url.protocol,
    hostname: url.hostname,
    port: Number(url.port),
    path: url.pathname,
    query,
    headers: { host: url.host, ...(input.headers ?? {}) },
    ...(input.body !== undefined ? { body: input.body } : {}),
  };
}

/** The headers to send (Authorization, X-Amz-Date, X-Amz-Content-Sha256, X-Amz-Security-Token...), host left to fetch. */
export async function signedHeaders(input: ToSign): Promise<Record<string, string>> {
  const signed = await signer(input).sign(httpRequest(input), { signingDate: input.at });
  const { host: _host, ...headers } = signed.headers as Record<string, string>;
  return headers;
}

/** A presigned URL (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Date, X-Amz-Expires, X-Amz-SignedHeaders, X-Amz-Signature). */
export async function presignedUrl(input: ToSign & { expiresIn?: number }): Promise<string> {
  const signed = await signer(input).presign(httpRequest(input), { signingDate: input.at, expiresIn: input.expiresIn ?? 900 });
  const url = new URL(input.url);
  const search = Object.entries(signed.query as Record<string, string | string[]>)
    .flatMap(([k, v]) => (Array.isArray(v) ? v : [v]).map((one) => `${encodeURIComponent(k)}=${encodeURIComponent(one)}`))
    .join('&');
  return `${url.origin}${url.pathname}?${search}`;
}
