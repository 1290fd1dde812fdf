/**
 * The embedded S3 endpoint on a loopback port: path-style requests (an SDK given an IP endpoint addresses buckets
 * by path), signed with the local credentials in the Authorization header or a presigned URL, answered as S3 answers.
 * Functions reach it through AWS_ENDPOINT_URL_S3; API Gateway's S3 integrations through the same URL; uploads and
 * deletes raise the buckets' event notifications (notifications.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { listenDual } from '../h2c.js';
import { verifySignature, type LocalCredentials, type SignatureProblem } from '../sigv4.js';
import { isV2, verifyV2 } from './sigv2.js';
import { LOOPBACK_HOST } from '../guard.js';
import { clientWentAway } from '../request-body.js';
import { errorXml, hostId, S3Error } from './errors.js';
import { isFormUpload } from './post-object.js';
import { answerS3, targetOf, type S3Answer, type S3Change } from './operations.js';
import { bucketNameProblem, S3Store, type S3Clock } from './store.js';
import { corsHeaders, matchingRule, preflight } from './cors.js';
import type { BucketCorsRule } from '../../template/model.js';

/** Uploads are held in memory: larger bodies are refused as S3 refuses objects over its own limit. */
export const MAX_UPLOAD_BYTES = 64 * 1024 * 1024;

export interface S3ServerOptions {
  credentials: LocalCredentials;
  region: string;
  /** The template's buckets, created at start. */
  buckets?: string[];
  port?: number;
  clock?: S3Clock;
  /** Each object created or removed (the buckets' event notifications). */
  onChange?: (change: S3Change) => void;
  /** Buckets' CorsRules by bucket name: preflights and the Access-Control-* headers of web pages' requests. */
  cors?: Map<string, BucketCorsRule[]>;
  /** Buckets whose OwnershipControls allow ACLs (the others refuse them, as S3's default does). */
  aclBuckets?: Set<string>;
  /** How long an upload's body may stall before S3's RequestTimeout (S3: about 20 s). */
  idleTimeoutMs?: number;
}

export interface S3Server {
  /** e.g. http://127.0.0.1:41237, the value for AWS_ENDPOINT_URL_S3 */
  url: string;
  store: S3Store;
  /** The template's buckets S3 would refuse, each with why. */
  refused: string[];
  /** The same, by bucket name: S3's error code and message (`InvalidBucketName: must be...`). */
  refusedBuckets: ReadonlyMap<string, string>;
  close(): Promise<void>;
}


/** A signature problem in S3's words (S3 answers 403 for all but a malformed Authorization). */
function signatureError(problem: SignatureProblem, presigned: boolean): S3Error {
  switch (problem.type) {
    case 'MissingAuthenticationTokenException':
      return new S3Error('AccessDenied', 'Access Denied', 403);
    case 'IncompleteSignatureException':
      return presigned
        ? new S3Error('AuthorizationQueryParametersError', problem.message, 400)
        : new S3Error('AuthorizationHeaderMalformed', `The authorization header is malformed; ${problem.message}`, 400);
    case 'UnrecognizedClientException':
      return new S3Error('InvalidAccessKeyId', 'The AWS Access Key Id you provided does not exist in our records.', 403);
    default:
      if (problem.expired && presigned) return new S3Error('AccessDenied', 'Request has expired', 403);
      if (problem.expired) return new S3Error('RequestTimeTooSkewed', 'The difference between the request time and the current time is too large.', 403);
      return new S3Error('SignatureDoesNotMatch', 'The request signature we calculated does not match the signature you provided. Check your key and signing method.', 403);
  }
}

/**
 * Why S3 would not take this request from this caller, or undefined: other hosts (DNS rebinding), bad signatures.
 * Unlike the other local services, S3 takes requests from web pages: a presigned URL is made for a browser, and the
 * signature (made with the local secret, which no page holds) is what admits a request, as on AWS.
 */
function refusal(req: IncomingMessage, body: Buffer, credentials: LocalCredentials, clock: S3Clock): S3Error | undefined {
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? '';
  if (!LOOPBACK_HOST.test(host)) return new S3Error('AccessDenied', `the local emulator's S3 answers only loopback Host names, not ${JSON.stringify(host)}`, 403);
  const url = req.url ?? '/';
  // A form upload to a bucket signs its policy, not the request: postObject checks that signature.
  if (req.method === 'POST' && isFormUpload(req.headers['content-type']) && /^\/+[^/?]+\/*(\?|$)/.test(url)) return undefined;
  if (isV2({ method: req.method ?? 'GET', url, headers: req.headers })) return verifyV2({ method: req.method ?? 'GET', url, headers: req.headers }, credentials, clock.now());
  const presigned = /[?&]X-Amz-Algorithm=/.test(url);
  if (req.headers.authorization !== undefined && !presigned && req.headers['x-amz-content-sha256'] === undefined) {
    return new S3Error('InvalidRequest', 'Missing required header for this request: x-amz-content-sha256', 400);
  }
  const problem = verifySignature({ method: req.method ?? 'GET', url, headers: req.headers, body }, credentials, { presigned: true, s3: true, now: clock.now(), service: 's3' });
  return problem ? signatureError(problem, presigned) : undefined;
}

class RequestTimeout extends Error {}

/** The body, undefined past MAX_UPLOAD_BYTES (the rest is drained); RequestTimeout when it stalls for idleMs. */
function readBody(req: IncomingMessage, idleMs: number): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let timer = setTimeout(() => reject(new RequestTimeout()), idleMs);
    const settle = () => clearTimeout(timer);
    req.on('data', (chunk: Buffer) => {
      clearTimeout(timer);
      timer = setTimeout(() => reject(new RequestTimeout()), idleMs);
      size += chunk.byteLength;
      if (size > MAX_UPLOAD_BYTES) {
        settle();
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.on('end', () => {
      settle();
      resolve(size > MAX_UPLOAD_BYTES ? undefined : Buffer.concat(chunks));
    });
    req.on('error', (error) => {
      settle();
      reject(error);
    });
  });
}

function send(res: ServerResponse, method: string | undefined, answer: S3Answer, requestId: string): void {
  if (res.destroyed) return;
  const body = typeof answer.body === 'string' ? Buffer.from(answer.body) : answer.body;
  const headers: Record<string, string> = { 'x-amz-request-id': requestId, 'x-amz-id-2': hostId(requestId), server: 'AmazonS3', ...answer.headers };
  // HEAD and 304 answers describe a body they do not send; every other answer carries its own length.
  if (method !== 'HEAD' && answer.status !== 304) headers['content-length'] = String(body.length);
  res.writeHead(answer.status, headers);
  res.end(method === 'HEAD' || answer.status === 304 ? undefined : body);
}

function errorAnswer(error: S3Error, requestId: string, method: string | undefined): S3Answer {
  return method === 'HEAD' ? { status: error.status, headers: {}, body: '' } : { status: error.status, headers: { 'content-type': 'application/xml' }, body: errorXml(error, requestId) };
}

/** The bucket's CORS rules applied to one request: its preflight's answer, or the headers its answer gets. */
function withCors(req: IncomingMessage, rules: Map<string, BucketCorsRule[]> | undefined): { preflight(requestId: string): S3Answer; add(answer: S3Answer): S3Answer } {
  const header = (name: string): string | undefined => {
    const v = req.headers[name];
    return Array.isArray(v) ? v.join(',') : v;
  };
  let target: ReturnType<typeof targetOf> | undefined;
  try {
    target = targetOf(req.url ?? '/');
  } catch {
    target = undefined;
  }
  const bucketRules = target?.bucket === undefined ? undefined : rules?.get(target.bucket);
  const origin = header('origin');
  return {
    preflight(requestId) {
      try {
        const headers = preflight(bucketRules, origin, header('access-control-request-method'), header('access-control-request-headers'), target?.key === undefined ? 'BUCKET' : 'OBJECT');
        return { status: 200, headers, body: '' };
      } catch (error) {
        if (!(error instanceof S3Error)) throw error;
        return errorAnswer(error, requestId, 'OPTIONS');
      }
    },
    add(answer) {
      const rule = origin && bucketRules ? matchingRule(bucketRules, origin, req.method ?? 'GET') : undefined;
      return rule && origin ? { ...answer, headers: { ...answer.headers, ...corsHeaders(rule, origin) } } : answer;
    },
  };
}

/** Headers a presigned URL carries in its query, which S3 applies as if sent as headers (metadata, ACL, storage class...). */
const HOISTED = /^x-amz-(meta-.+|acl|grant-[a-z-]+|storage-class|tagging|server-side-encryption|website-redirect-location)$/;

/** The request's headers with those a presigned URL's query names (a header sent as such wins). */
function withQueryHeaders(req: IncomingMessage): IncomingMessage['headers'] {
  const url = req.url ?? '/';
  if (!/[?&](X-Amz-Signature|Signature)=/.test(url)) return req.headers;
  const hoisted: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(url.slice(url.indexOf('?') + 1))) {
    const lower = name.toLowerCase();
    if (HOISTED.test(lower) && req.headers[lower] === undefined) hoisted[lower] = value;
  }
  return Object.keys(hoisted).length === 0 ? req.headers : { ...req.headers, ...hoisted };
}

/** Start the endpoint on 127.0.0.1 (free port unless given), with the template's buckets. */
export async function startS3(options: S3ServerOptions): Promise<S3Server> {
  const clock = options.clock ?? { now: () => Date.now() };
  const store = new S3Store(clock);
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    const requestId = randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase();
    readBody(req, options.idleTimeoutMs ?? 20_000)
      .then((body) => {
        if (body === undefined) {
          return send(res, req.method, errorAnswer(new S3Error('EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (the local emulator holds objects in memory: at most ${MAX_UPLOAD_BYTES} bytes).`, 400), requestId, req.method), requestId);
        }
        const cors = withCors(req, options.cors);
        if (req.method === 'OPTIONS') return send(res, req.method, cors.preflight(requestId), requestId);
        const refused = refusal(req, body, options.credentials, clock);
        if (refused) return send(res, req.method, cors.add(errorAnswer(refused, requestId, req.method)), requestId);
        const answer = answerS3({ method: req.method ?? 'GET', url: req.url ?? '/', headers: withQueryHeaders(req), body }, { store, credentials: options.credentials, region: options.region, requestId, allowsAcls: (b) => options.aclBuckets?.has(b) ?? false, ...(options.onChange ? { onChange: options.onChange } : {}) });
        send(res, req.method, cors.add(answer), requestId);
      })
      .catch((error: unknown) => {
        if (error instanceof RequestTimeout) {
          // As S3 does: the stalled upload is answered, and the connection closed (its rest would be read as a request).
          res.shouldKeepAlive = false;
          const timeout = new S3Error('RequestTimeout', 'Your socket connection to the server was not read from or written to within the timeout period. Idle connections will be closed.', 400);
          return send(res, req.method, errorAnswer(timeout, requestId, req.method), requestId);
        }
        if (clientWentAway(req, error)) return;
        // Never a dropped connection: an unexpected failure is S3's InternalError, and the log says what it was.
        console.error(`emulator: S3 could not handle ${req.method} ${req.url}:`, error);
        if (!res.headersSent) send(res, req.method, errorAnswer(new S3Error('InternalError', 'We encountered an internal error. Please try again.', 500), requestId, req.method), requestId);
      });
  };
  const server = await listenDual(handler, options.port);
  const refusedBuckets = new Map<string, string>();
  for (const name of options.buckets ?? []) {
    const problem = bucketNameProblem(name);
    if (problem) refusedBuckets.set(name, bucketRefusal(name, problem));
    else if (!store.has(name)) store.createBucket(name);
  }
  const refused = [...refusedBuckets].map(([name, why]) => `S3 bucket ${name}: not created: ${why}`);
  return { url: `http://127.0.0.1:${server.port}`, store, refused, refusedBuckets, close: () => server.close() };
}

/**
 * Why a template's bucket is not created: S3's InvalidBucketName, or first the placeholder its name holds (a parameter
 * with no value, a GetAtt of a resource not created), since a value given would likely make the name valid.
 */
function bucketRefusal(name: string, problem: string): string {
  const placeholder = /emulator-(?:unresolved|fake):[\w/.:]*\w/.exec(name)?.[0];
  return placeholder ? `its name holds the placeholder "${placeholder}" (no such value locally), which S3 refuses (InvalidBucketName: ${problem})` : `InvalidBucketName: ${problem}`;
}
