/**
 * AWS Signature Version 4, both ways: the embedded services (Authorization header) and API Gateway's IAM
 * authorization (header or presigned query, identity/iam.ts) verify that a request was signed with the local
 * credentials the emulator gives its functions, and the emulator signs its own calls (CloudFormation-like
 * table creation, API Gateway's DynamoDB and AWS service integrations) with them.
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
  /** Set when the signature is outside the accepted time window ("Signature expired" / "not yet current"). */
  expired?: true;
}

const ALGORITHM = 'AWS4-HMAC-SHA256';
/** A presigned URL lives at most 7 days (X-Amz-Expires). */
const MAX_PRESIGNED_SECONDS = 7 * 24 * 60 * 60;

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

/** Non-S3 services sign the path as sent, normalised (no empty, `.` or `..` segments) and each segment encoded once more (the SDK's uriEscapePath). */
function canonicalPath(path: string): string {
  const segments: string[] = [];
  for (const segment of path.split('/')) {
    if (segment === '' || segment === '.') continue;
    if (segment === '..') segments.pop();
    else segments.push(escapeUri(segment));
  }
  const trailing = segments.length > 0 && path.endsWith('/') ? '/' : '';
  return `/${segments.join('/')}${trailing}`;
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
  // A name the request chose (SignedHeaders=constructor) is never one of Object.prototype's members.
  const value = Object.hasOwn(headers, name) ? headers[name] : undefined;
  return Array.isArray(value) ? value.join(',') : value;
}

/** S3 signs the path exactly as sent (its keys may hold empty and dot segments); other services its normalised form. */
function canonicalRequest(req: SignedRequest, signedHeaders: string[], payloadHash: string, pathAsSent = false): string {
  const queryAt = req.url.indexOf('?');
  const path = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
  const query = queryAt < 0 ? '' : req.url.slice(queryAt + 1);
  const headerLines = signedHeaders.map((name) => `${name}:${(headerValue(req.headers, name) ?? '').trim().replace(/\s+/g, ' ')}\n`);
  return [req.method.toUpperCase(), pathAsSent ? path || '/' : canonicalPath(path), canonicalQuery(query), headerLines.join(''), signedHeaders.join(';'), payloadHash].join('\n');
}

/**
 * Signing keys already derived, by secret and scope. A key changes once a day per region and service, so the four
 * HMACs deriving it (half of the hashing of a verified request) are done once, as the SDKs' signers cache it too.
 */
const signingKeys = new Map<string, Buffer>();
/** Enough for every scope a session signs in; past it the cache starts over rather than grow with hostile scopes. */
const MAX_SIGNING_KEYS = 64;

/** SigV4's signing key for a credential scope's date, region and service. */
export function signingKey(secretAccessKey: string, date: string, region: string, service: string): Buffer {
  const id = `${secretAccessKey}\n${date}\n${region}\n${service}`;
  let key = signingKeys.get(id);
  if (key === undefined) {
    key = hmac(hmac(hmac(hmac(`AWS4${secretAccessKey}`, date), region), service), 'aws4_request');
    if (signingKeys.size >= MAX_SIGNING_KEYS) signingKeys.clear();
    signingKeys.set(id, key);
  }
  return key;
}

/** SigV4's string to sign for a canonical request under a credential scope `date/region/service/aws4_request`. */
function stringToSignOf(amzDate: string, scope: string, canonical: string): string {
  return [ALGORITHM, amzDate, scope, sha256(canonical)].join('\n');
}

/** The hex signature of a string to sign under its credential scope. */
function computeSignature(secretAccessKey: string, scope: string, stringToSign: string): string {
  const [date = '', region = '', service = ''] = scope.split('/');
  return createHmac('sha256', signingKey(secretAccessKey, date, region, service)).update(stringToSign).digest('hex');
}

/** `20260130T101112Z` for a date. */
export function amzDate(now: Date): string {
  return now.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}

/** An ISO 8601 basic date-time that exists: `20261136T...` or hour 26 is no date (Date.UTC would roll it over). */
function parseAmzDate(text: string): number | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(text);
  if (!m) return undefined;
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return amzDate(new Date(ms)) === text ? ms : undefined;
}

/** Headers that make a request pass verifySignature: x-amz-date, x-amz-security-token (if any) and Authorization. */
export function signRequest(
  credentials: LocalCredentials,
  request: { method: string; url: URL; headers: Record<string, string>; body: string | Uint8Array; region: string; service: string; now?: Date },
): Record<string, string> {
  const date = amzDate(request.now ?? new Date());
  const headers: Record<string, string> = { ...lowerCased(request.headers), host: request.url.host, 'x-amz-date': date };
  if (credentials.sessionToken) headers['x-amz-security-token'] = credentials.sessionToken;
  const body = Buffer.from(request.body);
  // S3 wants the payload hash as a header and signs it as given (UNSIGNED-PAYLOAD included), the path as sent.
  const s3 = request.service === 's3';
  if (s3) headers['x-amz-content-sha256'] ??= sha256(body);
  const names = Object.keys(headers).sort();
  const scope = `${date.slice(0, 8)}/${request.region}/${request.service}/aws4_request`;
  const signable: SignedRequest = { method: request.method, url: `${request.url.pathname}${request.url.search}`, headers, body };
  const canonical = canonicalRequest(signable, names, s3 ? headers['x-amz-content-sha256']! : sha256(body), s3);
  const signature = computeSignature(credentials.secretAccessKey, scope, stringToSignOf(date, scope, canonical));
  const { host: _host, ...sent } = headers;
  return { ...sent, authorization: `${ALGORITHM} Credential=${credentials.accessKeyId}/${scope}, SignedHeaders=${names.join(';')}, Signature=${signature}` };
}

function lowerCased(headers: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
}

/** What a request presents as its signature, from the Authorization header or the presigned query (X-Amz-*). */
interface Presented {
  keyId: string;
  scope: string[];
  signedHeaders: string[];
  signature: string;
  /** X-Amz-Date as sent. */
  date: string;
  token: string | undefined;
  /** Presigned URLs only: X-Amz-Expires in seconds. */
  expiresSeconds?: number;
  /** The canonical query: the presigned form's X-Amz-Signature is not part of what was signed. */
  query: string;
}

const HEADER_PARTS = ['Credential', 'Signature', 'SignedHeaders'] as const;
const QUERY_PARAMS = ['X-Amz-Algorithm', 'X-Amz-Credential', 'X-Amz-Signature', 'X-Amz-SignedHeaders', 'X-Amz-Date'] as const;

function incomplete(message: string): SignatureProblem {
  return { type: 'IncompleteSignatureException', message };
}

/**
 * AWS no longer echoes a malformed Authorization header in its IncompleteSignature messages but its SHA-256 in
 * Base64 ("... in Authorization header (hashed with SHA-256 and encoded with Base64): '<hash>'.", API Gateway and
 * DynamoDB answers quoted from 2025 on; before, the header itself: serverless/serverless#3205). Which bytes are
 * hashed is not documented; the header's value is assumed.
 */
function hashedHeader(authorization: string): string {
  return createHash('sha256').update(authorization).digest('base64');
}

/** The header form, or AWS's IncompleteSignature message naming every missing part. */
function fromHeader(req: SignedRequest, authorization: string, query: string): Presented | SignatureProblem {
  const space = authorization.indexOf(' ');
  const rest = space < 0 ? '' : authorization.slice(space + 1);
  const fields: Record<string, string> = {};
  for (const part of rest.split(',').map((p) => p.trim()).filter(Boolean)) {
    const eq = part.indexOf('=');
    if (eq <= 0) return incomplete(`Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashedHeader(authorization)}'.`);
    fields[part.slice(0, eq).trim()] = part.slice(eq + 1).trim();
  }
  const date = headerValue(req.headers, 'x-amz-date') ?? '';
  const missing = HEADER_PARTS.filter((name) => !fields[name]).map((name) => `Authorization header requires '${name}' parameter.`);
  if (parseAmzDate(date) === undefined) missing.push("Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.");
  if (authorization.slice(0, space < 0 ? undefined : space) !== ALGORITHM && missing.length === 0) missing.push(`Unsupported AWS 'algorithm': '${authorization.slice(0, space < 0 ? undefined : space)}'.`);
  if (missing.length > 0) return incomplete(`${missing.join(' ')} (Hashed with SHA-256 and encoded with Base64) Authorization=${hashedHeader(authorization)}`);
  const [keyId = '', ...scope] = fields.Credential!.split('/');
  return { keyId, scope, signedHeaders: fields.SignedHeaders!.split(';'), signature: fields.Signature!, date, token: headerValue(req.headers, 'x-amz-security-token'), query };
}

/**
 * The IncompleteSignature problem of an Authorization header that is no complete SigV4 header (a bearer token, say),
 * as AWS words it; undefined when the header has SigV4's form (whether or not its signature holds).
 */
export function incompleteAuthorization(authorization: string, headers: SignedRequest['headers']): SignatureProblem | undefined {
  const presented = fromHeader({ method: '', url: '', headers, body: Buffer.alloc(0) }, authorization, '');
  return 'type' in presented ? presented : undefined;
}

/** The presigned query form (X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=...&X-Amz-Signature=...). */
function fromQuery(pairs: [string, string][]): Presented | SignatureProblem {
  const get = (name: string) => pairs.find(([k]) => k === name)?.[1];
  const absent = QUERY_PARAMS.filter((name) => !get(name));
  if (absent.length > 0 || get('X-Amz-Algorithm') !== ALGORITHM || parseAmzDate(get('X-Amz-Date')!) === undefined) {
    return incomplete(`AWS query-string parameters must include ${QUERY_PARAMS.map((n) => `'${n}'`).join(', ')}. Re-examine the query-string parameters.`);
  }
  const expires = get('X-Amz-Expires');
  const expiresSeconds = expires === undefined ? undefined : Number(expires);
  if (expiresSeconds !== undefined && (!Number.isInteger(expiresSeconds) || expiresSeconds < 1 || expiresSeconds > MAX_PRESIGNED_SECONDS)) {
    return incomplete(`X-Amz-Expires must be a whole number of seconds between 1 and ${MAX_PRESIGNED_SECONDS}, got '${expires}'.`);
  }
  const [keyId = '', ...scope] = get('X-Amz-Credential')!.split('/');
  const query = pairs.filter(([k]) => k !== 'X-Amz-Signature').map(([k, v]) => `${escapeUri(k)}=${escapeUri(v)}`).join('&');
  return {
    keyId,
    scope,
    signedHeaders: get('X-Amz-SignedHeaders')!.split(';'),
    signature: get('X-Amz-Signature')!,
    date: get('X-Amz-Date')!,
    token: get('X-Amz-Security-Token'),
    ...(expiresSeconds === undefined ? {} : { expiresSeconds }),
    query,
  };
}

function queryPairs(query: string): [string, string][] {
  return query
    .split('&')
    .filter((p) => p !== '')
    .map((p) => {
      const eq = p.indexOf('=');
      return eq < 0 ? [safeDecode(p), ''] : [safeDecode(p.slice(0, eq)), safeDecode(p.slice(eq + 1))];
    });
}

/** How a verifier reads signatures; the embedded services take the defaults, execute-api (IAM auth) its own. */
export interface VerifyOptions {
  /** Epoch milliseconds (the injectable clock); Date.now() by default. */
  now?: number;
  /** The accepted clock skew: AWS services allow 15 minutes, API Gateway 5. */
  maxSkewMinutes?: number;
  /** The credential scope must name this service and region when given. */
  service?: string;
  region?: string;
  /** Accept the presigned query form (X-Amz-Algorithm...) too; the services read the Authorization header only. */
  presigned?: boolean;
  /** Hash the body as received and ignore x-amz-content-sha256 (execute-api has no unsigned payloads). */
  hashBody?: boolean;
  /**
   * S3's variant: the path is signed as sent, the payload hash is x-amz-content-sha256 as sent (a hash,
   * UNSIGNED-PAYLOAD or STREAMING-…; S3 checks a hash against the body itself) and a presigned URL's is UNSIGNED-PAYLOAD.
   */
  s3?: boolean;
}

/** AWS's answer when the signature is outside the accepted window (or past a presigned URL's expiry). */
function timeProblem(presented: Presented, signedAt: number, now: number, maxSkewMinutes: number): SignatureProblem | undefined {
  const skew = maxSkewMinutes * 60 * 1000;
  const at = (ms: number) => amzDate(new Date(ms));
  if (signedAt - now > skew) {
    return { type: 'InvalidSignatureException', expired: true, message: `Signature not yet current: ${presented.date} is still later than ${at(now + skew)} (${at(now)} + ${maxSkewMinutes} min.)` };
  }
  if (presented.expiresSeconds !== undefined) {
    const lifetime = presented.expiresSeconds * 1000;
    if (now - signedAt <= lifetime) return undefined;
    return { type: 'InvalidSignatureException', expired: true, message: `Signature expired: ${presented.date} is now earlier than ${at(now - lifetime)} (${at(now)} - ${presented.expiresSeconds} sec.)` };
  }
  if (now - signedAt > skew) {
    return { type: 'InvalidSignatureException', expired: true, message: `Signature expired: ${presented.date} is now earlier than ${at(now - skew)} (${at(now)} - ${maxSkewMinutes} min.)` };
  }
  return undefined;
}

/** The credential scope `date/region/service/aws4_request` against the request, worded as AWS words it. */
function scopeProblem(presented: Presented, options: VerifyOptions): SignatureProblem | undefined {
  const [date = '', region = '', service = '', terminator = ''] = presented.scope;
  const invalid = (message: string): SignatureProblem => ({ type: 'InvalidSignatureException', message });
  if (date !== presented.date.slice(0, 8)) {
    return invalid(`Date in Credential scope does not match YYYYMMDD from ISO-8601 version of date from HTTP: '${date}' != '${presented.date.slice(0, 8)}', from '${presented.date}'.`);
  }
  if (options.region !== undefined && region !== options.region) return invalid(`Credential should be scoped to a valid region, not '${region}'. `);
  if (options.service !== undefined && service !== options.service) return invalid(`Credential should be scoped to correct service: '${options.service}'. `);
  if (terminator !== 'aws4_request' || presented.scope.length !== 4) return invalid(`Credential should be scoped with a valid terminator: 'aws4_request', not '${presented.scope.slice(3).join('/')}'. `);
  return undefined;
}

/**
 * Checks a request's SigV4 signature against the local credentials, in the order AWS reports problems:
 * missing, incomplete, unknown access key or token, expired, wrong scope, wrong signature. Undefined when valid.
 */
export function verifySignature(req: SignedRequest, credentials: LocalCredentials, options: VerifyOptions = {}): SignatureProblem | undefined {
  const queryAt = req.url.indexOf('?');
  const path = queryAt < 0 ? req.url : req.url.slice(0, queryAt);
  const rawQuery = queryAt < 0 ? '' : req.url.slice(queryAt + 1);
  const pairs = queryPairs(rawQuery);
  const authorization = headerValue(req.headers, 'authorization');
  const signedInQuery = options.presigned === true && pairs.some(([k]) => k === 'X-Amz-Algorithm');
  if (!authorization && !signedInQuery) return { type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' };
  const presented = authorization ? fromHeader(req, authorization, rawQuery) : fromQuery(pairs);
  if ('type' in presented) return presented;
  if (presented.keyId !== credentials.accessKeyId || (presented.token !== undefined && presented.token !== credentials.sessionToken)) {
    return { type: 'UnrecognizedClientException', message: 'The security token included in the request is invalid.' };
  }
  const now = options.now ?? Date.now();
  const late = timeProblem(presented, parseAmzDate(presented.date)!, now, options.maxSkewMinutes ?? 15);
  if (late) return late;
  const wrongScope = scopeProblem(presented, options);
  if (wrongScope) return wrongScope;
  const declaredHash = headerValue(req.headers, 'x-amz-content-sha256');
  const payloadHash = options.s3 && !authorization ? 'UNSIGNED-PAYLOAD' : !options.hashBody && declaredHash !== undefined ? declaredHash : sha256(req.body);
  const canonical = canonicalRequest({ ...req, url: `${path}?${presented.query}` }, presented.signedHeaders, payloadHash, options.s3);
  const scope = presented.scope.join('/');
  const stringToSign = stringToSignOf(presented.date, scope, canonical);
  const expected = Buffer.from(computeSignature(credentials.secretAccessKey, scope, stringToSign));
  const given = Buffer.from(presented.signature);
  // The Host must be signed: as `host` over HTTP/1.1, as `:authority` by the SDK clients that speak HTTP/2 (Kinesis).
  const hostSigned = presented.signedHeaders.includes('host') || presented.signedHeaders.includes(':authority');
  if (hostSigned && given.length === expected.length && timingSafeEqual(given, expected)) return undefined;
  return {
    type: 'InvalidSignatureException',
    message:
      'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.' +
      `\n\nThe Canonical String for this request should have been\n'${canonical}'\n\nThe String-to-Sign should have been\n'${stringToSign}'\n`,
  };
}
