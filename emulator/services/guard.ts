/**
 * What keeps the embedded services closed to everything but local processes holding the local credentials:
 * a web page can neither read nor change local data, directly (CORS) or through DNS rebinding.
 */
import type { IncomingMessage } from 'node:http';
import { verifySignature, type LocalCredentials, type SignatureProblem } from './sigv4.js';

export interface EndpointGuard {
  /** Requests must be SigV4-signed with these; when absent only the browser checks apply. */
  credentials?: LocalCredentials;
  /** Prefix of error `__type`s (DynamoDB answers `com.amazon.coral.service#...`). */
  typePrefix?: string;
  /** Injectable clock for the signature's 15-minute window. */
  now?: () => number;
  /** Any Host name: the user bound the endpoint to a non-loopback address (`start-lambda --host 0.0.0.0`). */
  anyHost?: boolean;
}

export interface Refusal {
  status: number;
  type: SignatureProblem['type'] | 'AccessDeniedException';
  message: string;
}

/**
 * A Host header naming this machine: anything else may be DNS rebinding (a page's name resolved to 127.0.0.1). An
 * SDK's operation host prefix before the address (`sync-127.0.0.1`, StartSyncExecution) names it too: no browser can
 * send it (a URL's host ending in a number must be an address).
 */
export const LOOPBACK_HOST = /^((?:[a-z0-9-]+-)?127\.\d{1,3}\.\d{1,3}\.\d{1,3}|localhost|\[::1\])(:\d+)?$/i;

/** Headers only browsers send: with any of them the request comes from a web page, not from a function or a tool. */
// Not Sec-Fetch-Mode: Node's own fetch sends it (`cors`) on every request.
const BROWSER_HEADERS = ['origin', 'sec-fetch-site', 'access-control-request-method'];

/**
 * Why this request is refused, or undefined when it may be served: a browser request (Origin, Sec-Fetch-*,
 * any OPTIONS preflight) or a non-loopback Host (DNS rebinding) is a 403 with no Access-Control-* header,
 * then the SigV4 signature must verify with the local credentials (400, as AWS answers signature errors).
 */
export function refusal(req: IncomingMessage, body: Buffer, guard: EndpointGuard): Refusal | undefined {
  const browserHeader = BROWSER_HEADERS.find((name) => req.headers[name] !== undefined);
  if (req.method === 'OPTIONS' || browserHeader) {
    const why = browserHeader ? `its ${browserHeader} header` : 'an OPTIONS request';
    return { status: 403, type: 'AccessDeniedException', message: `the local emulator's AWS endpoints refuse requests from web pages (${why})` };
  }
  // HTTP/2 names the host in its :authority pseudo-header.
  const host = req.headers.host ?? (req.headers[':authority'] as string | undefined) ?? '';
  if (!guard.anyHost && !LOOPBACK_HOST.test(host)) {
    return { status: 403, type: 'AccessDeniedException', message: `the local emulator's AWS endpoints answer only loopback Host names, not ${JSON.stringify(host)}` };
  }
  if (!guard.credentials) return undefined;
  const problem = verifySignature({ method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body }, guard.credentials, guard.now ? { now: guard.now() } : {});
  return problem ? { status: 400, ...problem } : undefined;
}

/** A refusal as the query protocol's services (SQS, SNS, CloudFormation) name it in their XML errors. */
export interface QueryRefusal {
  status: number;
  code: string;
  message: string;
}

/** The query protocol's codes and statuses for the JSON protocols' signature errors (AWS's common errors). */
const QUERY_CODES: Record<string, { code: string; status: number }> = {
  MissingAuthenticationTokenException: { code: 'MissingAuthenticationToken', status: 403 },
  IncompleteSignatureException: { code: 'IncompleteSignature', status: 400 },
  UnrecognizedClientException: { code: 'InvalidClientTokenId', status: 403 },
  // An expired signature too: SQS and SNS answer "Signature expired: ..." as SignatureDoesNotMatch.
  InvalidSignatureException: { code: 'SignatureDoesNotMatch', status: 403 },
  AccessDeniedException: { code: 'AccessDenied', status: 403 },
};

/**
 * A refusal (or an unreadable request) in the query protocol's terms: SQS's and SNS's SDKs parse `<ErrorResponse>`
 * and read its Code, so a JSON body or a JSON protocol name left them with an unparsable or unknown error.
 */
export function queryRefusal(refused: { status: number; type: string; message: string }): QueryRefusal {
  const known = Object.hasOwn(QUERY_CODES, refused.type) ? QUERY_CODES[refused.type] : undefined;
  return { status: known?.status ?? refused.status, code: known?.code ?? refused.type.replace(/Exception$/, ''), message: refused.message };
}
