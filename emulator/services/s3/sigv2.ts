/**
 * S3's older signature (S3 User Guide, "Authenticating Requests (AWS Signature Version 2)"), which boto3 still uses
 * for presigned URLs on a custom endpoint (`?AWSAccessKeyId=…&Signature=…&Expires=…`) and the AWS SDK for
 * JavaScript v2 in some set-ups (`Authorization: AWS <key>:<signature>`): an HMAC-SHA1 over the method, Content-MD5,
 * Content-Type, the date (Expires for a URL), the x-amz-* headers and the resource with its sub-resources.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import type { LocalCredentials } from '../sigv4.js';
import { S3Error } from './errors.js';

/** The query parameters that are part of the signed resource (sub-resources and response overrides). */
const SUBRESOURCES = new Set([
  'accelerate', 'acl', 'analytics', 'cors', 'delete', 'inventory', 'lifecycle', 'location', 'logging', 'metrics', 'notification', 'object-lock',
  'partNumber', 'policy', 'replication', 'requestPayment', 'restore', 'select', 'select-type', 'tagging', 'torrent', 'uploadId', 'uploads',
  'versionId', 'versioning', 'versions', 'website', 'response-cache-control', 'response-content-disposition', 'response-content-encoding',
  'response-content-language', 'response-content-type', 'response-expires',
]);

/** Clock skew S3 accepts on a signed Date. */
const MAX_SKEW_MS = 15 * 60 * 1000;

interface Request {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
}

const headerOf = (req: Request, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const decode = (text: string): string => {
  try {
    return decodeURIComponent(text.replace(/\+/g, ' '));
  } catch {
    return text;
  }
};

/** Whether the request is signed the Version 2 way (then verifyV2 decides). */
export function isV2(req: Request): boolean {
  return /^AWS [^:\s]+:/.test(headerOf(req, 'authorization') ?? '') || /[?&]AWSAccessKeyId=/.test(req.url);
}

/** The string S3 signs for this request, the date line given. */
function stringToSign(req: Request, pairs: [string, string][], dateLine: string, fromQuery: boolean): string {
  const queryAt = req.url.indexOf('?');
  const path = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
  const amz = new Map<string, string[]>();
  const add = (name: string, value: string) => amz.set(name, [...(amz.get(name) ?? []), value.trim()]);
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-') && value !== undefined) add(name, Array.isArray(value) ? value.join(',') : value);
  }
  // A presigned URL carries the x-amz-* "headers" it was signed with in its query.
  if (fromQuery) for (const [name, value] of pairs) if (name.toLowerCase().startsWith('x-amz-') && !amz.has(name.toLowerCase())) add(name.toLowerCase(), value);
  const amzLines = [...amz.keys()].sort().map((name) => `${name}:${amz.get(name)!.join(',')}\n`);
  const sub = pairs.filter(([name]) => SUBRESOURCES.has(name)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  const resource = `${path}${sub.length > 0 ? `?${sub.map(([k, v]) => (v === '' ? k : `${k}=${v}`)).join('&')}` : ''}`;
  const query = (name: string) => (fromQuery ? pairs.find(([k]) => k.toLowerCase() === name)?.[1] : undefined);
  const md5 = headerOf(req, 'content-md5') ?? query('content-md5') ?? '';
  const type = headerOf(req, 'content-type') ?? query('content-type') ?? '';
  return `${req.method.toUpperCase()}\n${md5.trim()}\n${type.trim()}\n${dateLine}\n${amzLines.join('')}${resource}`;
}

/** Why S3 refuses this Version 2 signature, or undefined when it is the local credentials' and current. */
export function verifyV2(req: Request, credentials: LocalCredentials, now: number): S3Error | undefined {
  const queryAt = req.url.indexOf('?');
  const pairs = (queryAt < 0 ? '' : req.url.slice(queryAt + 1))
    .split('&')
    .filter(Boolean)
    .map((p): [string, string] => {
      const eq = p.indexOf('=');
      return eq < 0 ? [decode(p), ''] : [decode(p.slice(0, eq)), decode(p.slice(eq + 1))];
    });
  const param = (name: string) => pairs.find(([k]) => k === name)?.[1];
  const header = headerOf(req, 'authorization');
  const fromQuery = !(header && /^AWS /.test(header));
  let keyId: string;
  let signature: string;
  let dateLine: string;
  if (fromQuery) {
    keyId = param('AWSAccessKeyId') ?? '';
    signature = param('Signature') ?? '';
    const expires = param('Expires');
    if (!signature || expires === undefined || !/^\d+$/.test(expires)) {
      return new S3Error('AccessDenied', 'Query-string authentication requires the Signature, Expires and AWSAccessKeyId parameters', 403);
    }
    if (now > Number(expires) * 1000) return new S3Error('AccessDenied', 'Request has expired', 403, { Expires: new Date(Number(expires) * 1000).toISOString(), ServerTime: new Date(now).toISOString() });
    dateLine = expires;
  } else {
    const match = /^AWS ([^:\s]+):(\S+)$/.exec(header!);
    if (!match) return new S3Error('InvalidArgument', 'AWS authorization header is invalid.  Expected AwsAccessKeyId:signature', 400);
    [, keyId, signature] = match as unknown as [string, string, string];
    const amzDate = headerOf(req, 'x-amz-date');
    const date = amzDate ?? headerOf(req, 'date');
    const at = date === undefined ? NaN : Date.parse(date);
    if (Number.isNaN(at)) return new S3Error('AccessDenied', 'AWS authentication requires a valid Date or x-amz-date header', 403);
    if (Math.abs(now - at) > MAX_SKEW_MS) return new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
    // With x-amz-date the Date line is empty: the date is signed among the x-amz-* headers.
    dateLine = amzDate === undefined ? (date ?? '') : '';
  }
  if (keyId !== credentials.accessKeyId) return new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
  const token = headerOf(req, 'x-amz-security-token') ?? (fromQuery ? param('x-amz-security-token') : undefined);
  if (token !== undefined && token !== credentials.sessionToken) return new S3Error('InvalidToken', 'The provided token is malformed or otherwise invalid.', 400);
  const expected = Buffer.from(createHmac('sha1', credentials.secretAccessKey).update(stringToSign(req, pairs, dateLine, fromQuery), 'utf8').digest('base64'));
  const given = Buffer.from(signature);
  if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  return new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);
}
