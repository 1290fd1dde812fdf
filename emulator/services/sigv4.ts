/**
 * AWS Signature Version 4 (Authorization header form), both ways: the embedded services verify that a request
 * was signed with the local credentials the emulator gives its functions, and the emulator signs its own calls
 * (CloudFormation-like table creation, API Gateway's DynamoDB integration) with them.
 */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** The credentials functions get as AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY / AWS_SESSION_TOKEN. */
export interface LocalCredentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** What the verifier reads of a request: the raw path with its query, the headers as node gives them, the exact body. */
export interface SignedRequest {
  method: string;
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

/** Why a request was refused, as AWS names it (400 for every signature problem, as DynamoDB and Secrets Manager answer). */
export interface SignatureProblem {
  type: 'MissingAuthenticationTokenException' | 'IncompleteSignatureException' | 'UnrecognizedClientException' | 'InvalidSignatureException';
  message: string;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** AWS refuses a signature whose date is more than 15 minutes away from its own clock. */
const MAX_SKEW_MS = 15 * 60 * 1000;

const sha256 = (data: string | Buffer): string => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string): Buffer => createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding as SigV4 wants it: encodeURIComponent plus the five characters it leaves alone. */
function escapeUri(text: string): string {
  return encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, '%20'));
  } catch {
    return text;
  }
}

/** Non-S3 services sign the path as sent, each segment encoded once more (the SDK's uriEscapePath). */
function canonicalPath(path: string): string {
  return path.split('/').map(escapeUri).join('/') || '/';
}

function canonicalQuery(query: string): string {
  if (query === '') return '';
  const pairs = query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      const [k, v] = eq < 0 ? [p, ''] : [p.slice(0, eq), p.slice(eq + 1)];
      return [escapeUri(safeDecode(k)), escapeUri(safeDecode(v))] as const;
    });
  pairs.sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0));
  return pairs.map(([k, v]) => `${k}=${v}`).join('&');
}

function headerValue(headers: SignedRequest['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value.join(',') : value;
}

function canonicalRequest(req: SignedRequest, signedHeaders: string[], payloadHash: string): string {
  const queryAt = req.url.indexOf('?');
  const path = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : req.url.slice(queryAt + 1);
  const headerLines = signedHeaders.map((name) => `${name}:${(headerValue(req.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`);
  return [req.method.toUpperCase(), canonicalPath(path), canonicalQuery(query), headerLines.join(''), signedHeaders.join(';'), payloadHash].join('\n');
}

/** The hex signature of a canonical request under a credential scope `date/region/service/aws4_request`. */
function computeSignature(secretAccessKey: string, amzDate: string, scope: string, canonical: string): string {
  const [date = '', region = '', service = ''] = scope.split('/');
  const key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
  return createHmac('sha256', key).update([ALGORITHM, amzDate, scope, sha256(canonical)].join('\n')).digest('hex');
}

/** `20260130T101112Z` for a date. */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  return m ? Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!) : undefined;
}

/** Headers that make a request pass verifySignature: x-amz-date, x-amz-security-token (if any) and Authorization. */
export function signRequest(
  credentials: LocalCredentials,
  request: { method: string; url: URL; headers: Record<string, string>; body: string; region: string; service: string; now?: Date },
): Record<string, string> {
  const date = amzDate(request.now ?? new Date());
  const headers: Record<string, string> = { ...lowerCased(request.headers), host: request.url.host, 'x-amz-date': date };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const names = Object.keys(headers).sort();
  const scope = `${date.slice(0, 8)}/${request.region}/${request.service}/aws4_request`;
  const signable: SignedRequest = { method: request.method, url: `${request.url.pathname}${request.url.search}`, headers, body: Buffer.from(request.body) };
  const canonical = canonicalRequest(signable, names, sha256(signable.body));
  const signature = computeSignature(credentials.secretAccessKey, date, scope, canonical);
  const { host: _host, ...sent } = headers;
  return { ...sent, authorization: `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

function parseAuthorization(header: string): Record<string, string> | undefined {
  if (!header.startsWith(`${ALGORITHM} `)) return undefined;
  const fields: Record<string, string> = {};
  for (const part of header.slice(ALGORITHM.length + 1).split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  return fields;
}

/**
 * Checks a request's SigV4 Authorization header against the local credentials, in the order AWS reports
 * problems: missing, incomplete, unknown access key, expired, wrong signature. Undefined when it is valid.
 */
export function verifySignature(req: SignedRequest, credentials: LocalCredentials, now: number = Date.now()): SignatureProblem | undefined {
  const authorization = headerValue(req.headers, 'authorization');
  if (!authorization) return { type: 'MissingAuthenticationTokenException', message: 'Request is missing Authentication Token' };
  const fields = parseAuthorization(authorization);
  const date = headerValue(req.headers, 'x-amz-date') ?? '';
  const signedAt = parseAmzDate(date);
  if (!fields?.Credential || !fields.SignedHeaders || !fields.Signature || signedAt === undefined) {
    return { type: 'IncompleteSignatureException', message: `Authorization header requires ${ALGORITHM} with 'Credential', 'SignedHeaders', 'Signature' and an ISO-8601 basic 'X-Amz-Date' header.` };
  }
  const [keyId, ...scopeParts] = fields.Credential.split('/');
  const scope = scopeParts.join('/');
  const token = headerValue(req.headers, 'x-amz-security-token');
  if (keyId !== credentials.accessKeyId || (token !== undefined && token !== credentials.sessionToken)) {
    return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  if (Math.abs(now - signedAt) > MAX_SKEW_MS) {
    return { type: 'InvalidSignatureException', message: `Signature expired: ${date} is more than 15 min. away from the local clock (${amzDate(new Date(now))}).` };
  }
  const signedHeaders = fields.SignedHeaders.split(';');
  const payloadHash = headerValue(req.headers, 'x-amz-content-sha256') ?? sha256(req.body);
  const problem: SignatureProblem = {
    type: 'InvalidSignatureException',
    message: 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.',
  };
  if (!signedHeaders.includes('host') || scopeParts.length !== 4 || scopeParts[0] !== date.slice(0, 8) || scopeParts[3] !== 'aws4_request') return problem;
  const expected = Buffer.from(computeSignature(credentials.secretAccessKey, date, scope, canonicalRequest(req, signedHeaders, payloadHash)));
  const given = Buffer.from(fields.Signature);
  return given.length === expected.length && timingSafeEqual(given, expected) ? undefined : problem;
}
