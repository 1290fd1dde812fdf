/** The events an HTTP API sends to Lambda: payload format 2.0 (H4) and 1.0 (H5). */
import { randomText } from '../random-ids.js';
import { reachesIntegration } from '../header-table.js';
import { joinedValues } from '../name-maps.js';
import { buildProxyEvent, HTTP_API_V1_CANONICAL } from '../proxy-event.js';
import { clfTime, domainPrefixOf, headerValue, type RequestState } from '../request-state.js';
import type { OperationRoute } from '../routes.js';
import { traceFor } from '../trace.js';
import type { HttpRequestState } from './state.js';

export interface HttpApiContext {
  accountId: string;
  apiId: string;
  /** A Lambda function URL: its event names the caller's account ("anonymous" without IAM) and has null path parameters and stage variables. */
  functionUrl?: boolean;
}

/**
 * [AMBIGUOUS] H4.11: textual bodies are sent as text, every other content type base64-encoded. A form
 * (`application/x-www-form-urlencoded`) arrives base64 on HTTP APIs and function URLs, as users report (Slack slash
 * commands behind an HTTP API, middy PR 603; a function URL's form post, LeanerCloud/CUDly PR 1483).
 */
export function isTextual(contentType: string | undefined): boolean {
  const media = (contentType ?? '').split(';')[0]!.trim().toLowerCase();
  if (media === '') return true;
  return (
    media.startsWith('text/') ||
    media === 'application/json' ||
    media.endsWith('+json') ||
    media === 'application/xml' ||
    media.endsWith('+xml') ||
    media === 'application/javascript'
  );
}

// ignoreBOM: a leading U+FEFF is kept, as sent (the decoder's default drops it, and 3 bytes of a signed body with it).
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * [AMBIGUOUS] H4.11: a textual body as text, others base64; a body that is no UTF-8 (bytes sent with no Content-Type,
 * or a text type in another charset) base64 too: as text its bytes would be lost (each invalid one a U+FFFD).
 */
function bodyOf(state: HttpRequestState): { body?: string; isBase64Encoded: boolean } {
  if (state.body.byteLength === 0) return { isBase64Encoded: false };
  if (isTextual(headerValue(state.headers, 'content-type'))) {
    try {
      return { body: UTF8.decode(state.body), isBase64Encoded: false };
    } catch {
      // Not UTF-8: below, whole.
    }
  }
  return { body: Buffer.from(state.body).toString('base64'), isBase64Encoded: true };
}

/** H4.5: one entry per cookie of the Cookie header(s). */
function cookiesOf(state: HttpRequestState): string[] {
  return state.headers
    .filter(([n]) => n.toLowerCase() === 'cookie')
    .flatMap(([, v]) => v.split(';'))
    .map((c) => c.trim())
    .filter(Boolean);
}

/**
 * H4.6: lower-cased names, repeats comma-joined; the headers API Gateway adds (content-length always). [AMBIGUOUS] H4.5: `cookie` moves to
 * `cookies`; a function URL keeps it in `headers` too (Lambda's event, as a live capture shows it). [AMBIGUOUS] The
 * client headers the 1.0 event leaves out (the REST table's: the connection's framing, `transfer-encoding`, `te`,
 * `trailer`, `upgrade`, `expect`...) are left out here too: a chunked request's event said `transfer-encoding: chunked`
 * beside the `content-length` API Gateway states, two framings of one body.
 */
function headersOf(state: HttpRequestState, functionUrl: boolean): Record<string, string> {
  const sent: [string, string][] = [];
  for (const [raw, value] of state.headers) {
    const name = raw.toLowerCase();
    if ((name === 'cookie' && !functionUrl) || name === 'content-length' || !reachesIntegration(name)) continue;
    sent.push([name, value]);
  }
  const out = joinedValues(sent, ',');
  out['x-forwarded-for'] = out['x-forwarded-for'] ? `${out['x-forwarded-for']}, ${state.sourceIp}` : state.sourceIp;
  out['x-forwarded-port'] = state.port;
  out['x-forwarded-proto'] = 'http';
  out['x-amzn-trace-id'] ??= `Root=1-${Math.floor(state.timeEpoch / 1000).toString(16)}-${randomText(12, 'hex')}`;
  // An HTTP API states the body's length even when there is none: a GET arrives with `content-length: "0"` (live
  // captures: awsdocs/aws-lambda-developer-guide sample-apps/nodejs-apig/event-v2.json, a browser GET; a curl GET to
  // t8uwvi810g.execute-api.ap-northeast-2 of 2023-01-25). A function URL keeps it only with a body (no capture says else).
  if (state.body.byteLength > 0 || !functionUrl) out['content-length'] = String(state.body.byteLength);
  return out;
}

/**
 * [AMBIGUOUS] H4.3: an HTTP API hands its integration the request path percent-decoded (`rawPath`, `http.path`, payload
 * 1.0's `path`), as live captures show (`/capture/space%20value` arrives as `/capture/space value`, `/a%2Fb` as
 * `/a/b`), twice over (routedHttpPath); a function URL decodes `http.path` only, once. A run of escapes that is not
 * UTF-8 has its ASCII escapes decoded and its other bytes left as they came.
 */
export function decodedPath(path: string): string {
  if (!path.includes('%')) return path;
  return path.replace(/(?:%[0-9A-Fa-f]{2})+/g, (run) => {
    try {
      return decodeURIComponent(run);
    } catch {
      // Not UTF-8 as a whole: its ASCII escapes are decoded, the other bytes stay escaped.
      return run.replace(/%[0-7][0-9A-Fa-f]/g, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
    }
  });
}

/** One percent-decoding, or undefined when a `%` starts no escape. */
function decodedOnce(path: string): string | undefined {
  return /%(?![0-9A-Fa-f]{2})/.test(path) ? undefined : decodedPath(path);
}

/**
 * H4.3: the path an HTTP API routes on, as live captures show its front end reads it: decoded once (so `%2F` separates
 * segments and `/h%65llo` is `/hello`), cut at a `?` that decoding made, and decodable once more, since the event gets
 * it decoded twice (`%252F` arrives as `/`); undefined when either decoding meets a `%` that starts no escape
 * (`/x/percent%25done` is refused).
 */
export function routedHttpPath(rawPath: string): string | undefined {
  const once = decodedOnce(rawPath);
  const routed = once?.split('?')[0];
  return routed === undefined || decodedOnce(routed) === undefined ? undefined : routed;
}

/** H4.3: the request path of the event (`requestContext.http.path`, payload 1.0's `path`), decoded twice on an HTTP API. */
export function eventPath(state: HttpRequestState): string {
  return decodedPath(state.routedPath ?? state.rawPath);
}

/** H4.7: repeated names comma-joined, values decoded. */
function queryOf(state: HttpRequestState): Record<string, string> | undefined {
  if (state.query.length === 0) return undefined;
  return joinedValues(state.query, ',');
}

/** H4.8, H4.13-H4.16: requestContext of payload 2.0 (and of the 2.0 authorizer event, H8.2). */
function requestContextV2(state: HttpRequestState, api: HttpApiContext): Record<string, unknown> {
  const domainName = headerValue(state.headers, 'host') ?? 'localhost';
  const caller = (state.authorizer?.iam as { accountId?: string } | undefined)?.accountId;
  return {
    accountId: api.functionUrl ? (caller ?? 'anonymous') : api.accountId,
    apiId: api.apiId,
    // A function URL's event has `authentication: null` beside the IAM caller only: with AuthType NONE neither key is
    // there (live NONE events; an AWS engineer on serverless-java-container#460: only IAM auth brings "authentication").
    ...(api.functionUrl && state.authorizer ? { authentication: null } : {}),
    ...(state.authorizer ? { authorizer: state.authorizer } : {}),
    domainName,
    domainPrefix: domainPrefixOf(domainName),
    http: {
      method: state.method,
      path: eventPath(state),
      protocol: 'HTTP/1.1',
      sourceIp: state.sourceIp,
      userAgent: headerValue(state.headers, 'user-agent') ?? '',
    },
    requestId: state.requestId,
    routeKey: state.match?.route.routeKey ?? '$default',
    stage: state.stage?.name ?? '$default',
    time: clfTime(state.timeEpoch),
    timeEpoch: state.timeEpoch,
  };
}

/** H4.1-H4.12: the payload 2.0 event; absent parts are omitted, not null. */
export function eventV2(state: HttpRequestState, api: HttpApiContext): Record<string, unknown> {
  const cookies = cookiesOf(state);
  const query = queryOf(state);
  const params = state.match?.pathParameters;
  const vars = state.stage?.stageVariables;
  return {
    version: '2.0',
    routeKey: state.match?.route.routeKey ?? '$default',
    rawPath: api.functionUrl ? state.rawPath : eventPath(state),
    rawQueryString: state.rawQueryString,
    ...(cookies.length ? { cookies } : {}),
    headers: headersOf(state, api.functionUrl === true),
    ...(query ? { queryStringParameters: query } : {}),
    requestContext: requestContextV2(state, api),
    ...(params ? { pathParameters: { ...params } } : {}),
    ...bodyOf(state),
    ...(vars ? { stageVariables: { ...vars } } : {}),
  };
}

/** The REST pipeline's view of this request, so that payload 1.0 is built by the REST event builder (H5.1). */
function asRestState(state: HttpRequestState): RequestState {
  const routePath = state.match?.routePath ?? state.path;
  const route: OperationRoute = { method: state.method, resourcePath: routePath, operation: {}, parameters: [], integration: undefined, location: state.match?.route.location ?? '' };
  return {
    requestId: state.requestId,
    extendedRequestId: state.requestId,
    requestTimeEpoch: state.timeEpoch,
    httpMethod: state.method,
    stage: state.stage?.name ?? '$default',
    contextPath: eventPath(state),
    path: decodedPath(state.path),
    headers: state.headers,
    query: state.query,
    body: state.body,
    sourceIp: state.sourceIp,
    trace: traceFor(state.headers, state.timeEpoch),
    route: { route, resourcePath: routePath, pathParameters: state.match?.pathParameters ?? null },
    ...v1Identity(state.authorizer),
  };
}

/** [AMBIGUOUS] H5.1: an IAM caller fills `requestContext.identity` as on REST (R1.28), with no `authorizer`. */
function v1Identity(authorizer: Record<string, unknown> | undefined): Pick<RequestState, 'authorizer' | 'iam'> {
  if (!authorizer) return {};
  const iam = authorizer.iam as { accessKey: string; accountId: string; userId: string; userArn: string } | undefined;
  if (iam) return { iam: { accessKey: iam.accessKey, accountId: iam.accountId, userId: iam.userId, userArn: iam.userArn } };
  return { authorizer: v1Authorizer(authorizer) };
}

/** H5.2: JWT claims as `{claims, scopes}`; a Lambda authorizer's context as REST shows it. */
function v1Authorizer(authorizer: Record<string, unknown>): Record<string, unknown> {
  if (authorizer.jwt !== undefined) return authorizer.jwt as Record<string, unknown>;
  if (authorizer.lambda !== undefined) return authorizer.lambda as Record<string, unknown>;
  return authorizer;
}

/**
 * H5.1-H5.3: the REST proxy event plus `version: "1.0"`, no deploymentId. [AMBIGUOUS] H5.4: header names keep the
 * client's case, as in the REST event (2.0 lower-cases them, H4.6).
 *
 * Where live HTTP API 1.0 events differ from REST's (five published captures, 2021-2024: eu-central-1 `ANY
 * /handler/{proxy+}`, ap-northeast-2 `ANY /View-usage-history-API`, us-east-1 `POST /users/{userId}/inventories`...):
 * `resourceId` is the route key (the DG example's null is not what AWS sends), `identity` has `cognitoAmr: null`, and
 * the headers carry `Content-Length`, "0" without a body (a browser GET as well as a bodiless POST). With a named
 * stage the top-level `path` carries the stage segment as `requestContext.path` does (`/default/View-usage-history-API`
 * for stage `default`, `/dev/api/core/services` for stage `dev`, 2023 and 2024 captures).
 */
export function eventV1(state: HttpRequestState, api: HttpApiContext): Record<string, unknown> {
  const event = buildProxyEvent(asRestState(state), { accountId: api.accountId, apiId: api.apiId, stageVariables: state.stage?.stageVariables ?? null }, [], HTTP_API_V1_CANONICAL);
  const { deploymentId: _none, identity, ...context } = event.requestContext as Record<string, unknown>;
  const body = bodyOf(state);
  const length = String(state.body.byteLength);
  return {
    version: '1.0',
    ...event,
    path: context.path,
    headers: { ...(event.headers as Record<string, string>), 'Content-Length': length },
    multiValueHeaders: { ...(event.multiValueHeaders as Record<string, string[]>), 'Content-Length': [length] },
    requestContext: { ...context, identity: withCognitoAmr(identity as Record<string, unknown>), resourceId: state.match?.route.routeKey ?? '$default' },
    body: body.body ?? null,
    isBase64Encoded: body.isBase64Encoded,
  };
}

/** The REST identity with HTTP API 1.0's `cognitoAmr: null` after `caller`, where live events place it. */
function withCognitoAmr(identity: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(identity)) {
    out[key] = value;
    if (key === 'caller') out.cognitoAmr = null;
  }
  return out;
}
