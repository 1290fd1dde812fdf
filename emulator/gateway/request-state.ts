/** What API Gateway knows about one request as it moves through the pipeline ($context source). */
import { randomUUID, createHash } from 'node:crypto';
import { randomText } from './random-ids.js';
import type { RouteMatch } from './router.js';
import type { OperationRoute } from './routes.js';
import type { TraceHeader } from './trace.js';
import type { IamCaller } from '../identity/iam.js';
import type { GatewayRequest } from './types.js';

export type HeaderList = [name: string, value: string][];

/** Filled by the identity stage (part 2): becomes requestContext.authorizer / $context.authorizer (R1.30-R1.32). */
export type AuthorizerContext = Record<string, unknown>;

export interface RequestState {
  requestId: string;
  extendedRequestId: string;
  requestTimeEpoch: number;
  httpMethod: string;
  stage: string;
  /** Full request path including the stage, as sent ($context.path, R1.22). */
  contextPath: string;
  /** Path after the stage, as sent, still URL-encoded. */
  path: string;
  /** Headers in request order with the client's casing when known. */
  headers: HeaderList;
  /** Decoded query pairs in request order (R1.15/R1.16). */
  query: [string, string][];
  /** The query string as sent, without `?` (what a SigV4 signature covers). */
  rawQuery?: string;
  body: Uint8Array;
  sourceIp: string;
  /** X-Ray trace of the request (the caller's Root when given). */
  trace: TraceHeader;
  route?: RouteMatch<OperationRoute>;
  /** Set by an IdentityStage. */
  authorizer?: AuthorizerContext;
  /** Set by an IdentityStage for key-required methods (R1.29). */
  apiKey?: { value: string; id: string };
  /** Set by an IdentityStage for IAM-authorized methods: the verified signer (R1.28). */
  iam?: IamCaller;
  /** The gateway response this request got, if any: `$context.error.*` of the access log. */
  gatewayError?: { message: string | null; responseType: string };
  /**
   * The integration's latency and the status a Lambda proxy answer gave: `$context.integration*` of the access log.
   * `service`: a DynamoDB, AWS service or HTTP backend answered, not Lambda (Lambda's own 200 is not its status).
   */
  integration?: { latencyMs: number; status?: number; service?: boolean; requestId?: string };
  /** The status the backend of a non-proxy integration answered (DynamoDB, an AWS service, an HTTP endpoint). */
  endpointStatus?: number;
  /** Set by the stage's web ACL (W1.5): `$context.wafResponseCode` and `$context.webaclArn`; unset without one. */
  waf?: { responseCode: 'WAF_ALLOW' | 'WAF_BLOCK'; webAclArn: string };
}

/** Last value of a header, case-insensitive (HTTP semantics). */
export function headerValue(headers: HeaderList, name: string): string | undefined {
  const lower = name.toLowerCase();
  let found: string | undefined;
  for (const [n, v] of headers) if (n.toLowerCase() === lower) found = v;
  return found;
}

/**
 * R1.27 / H4.16: `domainPrefix`, the first label of `domainName` (the Host header). A label holds no port
 * (`localhost:3000` is `localhost`, where the whole value came out), and an IP address has no labels, so it is the
 * whole address ([AMBIGUOUS]: AWS's domain is always a DNS name).
 */
export function domainPrefixOf(domainName: string): string {
  const host = domainName.replace(/:\d*$/, '');
  if (/^\[.*\]$/.test(host) || /^\d{1,3}(?:\.\d{1,3}){3}$/.test(host)) return host;
  return host.split('.')[0] ?? host;
}

/** Header pairs from Node's rawHeaders (exact client casing) or, failing that, from the Fetch Headers. */
export function readHeaders(request: GatewayRequest, rawHeaders?: string[]): HeaderList {
  if (rawHeaders && rawHeaders.length > 0) {
    const list: HeaderList = [];
    for (let i = 0; i + 1 < rawHeaders.length; i += 2) list.push([rawHeaders[i] as string, rawHeaders[i + 1] as string]);
    return list;
  }
  const list: HeaderList = [];
  request.headers.forEach((value, name) => {
    if (name === 'set-cookie') return;
    list.push([name, value]);
  });
  for (const cookie of request.headers.getSetCookie()) list.push(['set-cookie', cookie]);
  if (!headerValue(list, 'host')) list.unshift(['host', new URL(request.url).host]);
  return list;
}

/**
 * Query pairs URL-decoded (`+` and %20 → space) in request order. R11.13: a raw `;` splits pairs as `&` does (an
 * encoded one, %3B, is a character of its value).
 */
export function readQuery(url: URL): [string, string][] {
  if (!url.search.includes(';')) return [...url.searchParams.entries()];
  return [...new URLSearchParams(url.search.replaceAll(';', '&')).entries()];
}

/** "JJfKqFpRoAMEJQg="-shaped id like AWS's extendedRequestId / x-amz-apigw-id. */
export function newExtendedRequestId(): string {
  return randomText(11, 'base64');
}

/** $context.requestId: a UUID, also sent as x-amzn-RequestId (R1.25). */
export function newRequestId(): string {
  return randomUUID();
}

/** A stable short id (resourceId, deploymentId) derived from a name. */
export function stableId(name: string, length = 6): string {
  const key = `${length}:${name}`;
  let id = stableIds.get(key);
  if (id === undefined) {
    id = createHash('sha256').update(name).digest('hex').slice(0, length);
    // Names are per API and stage (a handful); the bound only guards against a caller hashing request data.
    if (stableIds.size >= 1000) stableIds.clear();
    stableIds.set(key, id);
  }
  return id;
}
/** stableId's answers: a context (deploymentId...) is built per request, a SHA-256 each time was measurable. */
const stableIds = new Map<string, string>();

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** $context.requestTime in CLF: "04/Mar/2020:19:15:17 +0000" (R1.24). */
export function clfTime(epochMs: number): string {
  const d = new Date(epochMs);
  const two = (n: number) => String(n).padStart(2, '0');
  return `${two(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${two(d.getUTCHours())}:${two(d.getUTCMinutes())}:${two(d.getUTCSeconds())} +0000`;
}

/** The request's media type (no parameters, lower-case), `application/json` when absent (R2.2, R5.4). */
export function requestMediaType(headers: HeaderList): string {
  const raw = headerValue(headers, 'content-type');
  const media = raw?.split(';')[0]?.trim().toLowerCase();
  return media ? media : 'application/json';
}

/** The first Accept value's media type, `application/json` when absent (R2.3: only the first value counts). */
export function acceptMediaType(headers: HeaderList): string {
  const raw = headerValue(headers, 'accept');
  const media = raw?.split(',')[0]?.split(';')[0]?.trim().toLowerCase();
  return media ? media : 'application/json';
}

// Does a media type match one of the API's binaryMediaTypes (R1.19, R1.48)? "*/*" matches any type and
// "type/*" any subtype of that type; an entry with a "*" on the left alone ("*/test") matches nothing, not even
// an Accept spelled the same (AWS's answer to LocalStack's binary-media-type test), and a type without a subtype
// only matches an entry spelled the same.
/** Binary media type matching as API Gateway does it (R1.19, R1.48); see the rules above. */
export function matchesBinaryMediaType(mediaType: string | undefined, binaryMediaTypes: string[]): boolean {
  const media = mediaType?.split(';')[0]?.trim().toLowerCase();
  if (!media) return false;
  const slash = media.indexOf('/');
  const type = slash > 0 ? media.slice(0, slash) : undefined;
  const hasSubtype = slash > 0 && slash < media.length - 1;
  return binaryMediaTypes.some((entry) => {
    const pattern = entry.split(';')[0]!.trim().toLowerCase();
    if (pattern === '*/*') return true;
    if (pattern.startsWith('*/')) return false;
    if (pattern === media) return true;
    return hasSubtype && pattern.endsWith('/*') && pattern.slice(0, -2) === type;
  });
}

/** R1.48 / DG:known: only the first value of the Accept header decides whether the answer is binary. */
export function acceptIsBinary(headers: HeaderList, binaryMediaTypes: string[]): boolean {
  const first = headerValue(headers, 'accept')?.split(',')[0];
  return matchesBinaryMediaType(first, binaryMediaTypes);
}

