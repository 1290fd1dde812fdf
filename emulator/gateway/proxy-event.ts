/** The Lambda proxy integration input, payload format 1.0, as recorded on AWS (reference section 1.2). */
import { requestContext, type ApiEnvironment } from './context.js';
import { reachesIntegration } from './header-table.js';
import { headerValue, matchesBinaryMediaType, type RequestState } from './request-state.js';
import { allValues, joinedValues } from './name-maps.js';
import { integrationTraceHeader } from './trace.js';

/** The X-Forwarded-* headers API Gateway sets itself on a REST method request, whatever the caller sent (R1.13). */
export const FORWARDED_NAMES = ['x-forwarded-for', 'x-forwarded-port', 'x-forwarded-proto'];

/**
 * Content-Length is recorded absent from proxy events (R1.13); the trace and X-Forwarded-* headers are API Gateway's
 * own, set below whatever the caller sent; the header table drops the others.
 */
const DROPPED = new Set(['content-length', 'x-amzn-trace-id', ...FORWARDED_NAMES]);
/** Headers CloudFront re-cases (R1.13). */
const CANONICAL: Record<string, string> = { authorization: 'Authorization', 'user-agent': 'User-Agent' };
/**
 * HTTP APIs' payload 1.0 re-cases Host and User-Agent and leaves Authorization as sent: live 1.0 events from clients
 * sending lower-case names (browsers and curl over HTTP/2) show "Host", "User-Agent" and "authorization" (us-east-1
 * 2024-08-01, ap-northeast-2 2023-03-14, eu-central-1 2022-02-06).
 */
export const HTTP_API_V1_CANONICAL: Record<string, string> = { host: 'Host', 'user-agent': 'User-Agent' };

function headerMaps(state: RequestState, canonical: Record<string, string>): { headers: Record<string, string>; multi: Record<string, string[]> } {
  const pairs: [string, string][] = [];
  for (const [rawName, value] of state.headers) {
    const lower = rawName.toLowerCase();
    if (DROPPED.has(lower) || !reachesIntegration(lower)) continue;
    pairs.push([Object.hasOwn(canonical, lower) ? canonical[lower]! : rawName, value]);
  }
  // [AMBIGUOUS R1.13] a repeated header keeps its last value in `headers`, like the query string. API Gateway always
  // adds its trace header (carrying the caller's Root when it sent one) and its X-Forwarded-* ones, over the caller's.
  const added = gatewayAddedHeaders(state);
  return { headers: { ...joinedValues(pairs), ...Object.fromEntries(added) }, multi: { ...allValues(pairs), ...allValues(added) } };
}

/**
 * R1.13: API Gateway adds X-Forwarded-For (the chain the caller sent, then the caller's address), X-Forwarded-Port
 * and X-Forwarded-Proto; locally the port the request came in on (its Host) and http, as the HTTP API events here.
 */
export function forwardedHeaders(state: RequestState): [string, string][] {
  const chain = headerValue(state.headers, 'x-forwarded-for');
  const port = /:(\d+)$/.exec(headerValue(state.headers, 'host') ?? '')?.[1] ?? '80';
  return [
    ['X-Forwarded-For', chain ? `${chain}, ${state.sourceIp}` : state.sourceIp],
    ['X-Forwarded-Port', port],
    ['X-Forwarded-Proto', 'http'],
  ];
}

/** R1.13: the headers API Gateway sets on the method request whatever the caller sent: its trace header and X-Forwarded-*. */
export function gatewayAddedHeaders(state: RequestState): [string, string][] {
  return [['X-Amzn-Trace-Id', integrationTraceHeader(state.trace)], ...forwardedHeaders(state)];
}

/**
 * The method request's parameters as `$input.params()`, request validation and parameter mappings see them: the
 * headers as the integration gets them, API Gateway's own trace and X-Forwarded-* headers included (a template's
 * `$input.params('X-Forwarded-For')` is the caller's address chain, as in the proxy event, R1.13).
 */
export function requestParams(state: RequestState): {
  path: Record<string, string>;
  querystring: Record<string, string>;
  header: Record<string, string>;
} {
  const added = gatewayAddedHeaders(state);
  const replaced = new Set(added.map(([name]) => name.toLowerCase()));
  const sent = state.headers.filter(([k]) => reachesIntegration(k) && !replaced.has(k.toLowerCase()));
  return { path: { ...(state.route?.pathParameters ?? {}) }, querystring: joinedValues(state.query), header: { ...joinedValues(sent), ...Object.fromEntries(added) } };
}

/** R1.15/R1.16: last value wins in the single map; null when there is no query string. */
function queryMaps(state: RequestState): { single: Record<string, string> | null; multi: Record<string, string[]> | null } {
  if (state.query.length === 0) return { single: null, multi: null };
  return { single: joinedValues(state.query), multi: allValues(state.query) };
}

/** R1.19/R1.20: null without a body; base64 when the Content-Type is a binary media type. */
function bodyOf(state: RequestState, binaryMediaTypes: string[]): { body: string | null; isBase64Encoded: boolean } {
  if (state.body.byteLength === 0) return { body: null, isBase64Encoded: false };
  const contentType = headerValue(state.headers, 'content-type')?.split(';')[0]?.trim();
  if (matchesBinaryMediaType(contentType, binaryMediaTypes)) {
    return { body: Buffer.from(state.body).toString('base64'), isBase64Encoded: true };
  }
  // ignoreBOM: a leading U+FEFF is kept, as sent (the decoder's default drops it).
  return { body: new TextDecoder('utf-8', { ignoreBOM: true }).decode(state.body), isBase64Encoded: false };
}

/** R1.11: path after the stage, still encoded, trailing slash kept; a leading "//" collapses to "/". */
function eventPath(state: RequestState): string {
  return state.path.replace(/^\/{2,}/, '/');
}

/**
 * The method's operation name (an OpenAPI operationId, a Method's OperationName) as `requestContext.operationName`,
 * where API Gateway puts it (AWS's own event types carry it: aws-lambda-go 1.13, aws-lambda-java-libs); none without one.
 */
function withOperationName(context: Record<string, unknown>, state: RequestState): Record<string, unknown> {
  const name = state.route?.route.operation.operationId;
  return typeof name === 'string' && name !== '' ? { ...context, operationName: name } : context;
}

/** Builds the proxy event (R1.10-R1.29) for the matched route. */
export function buildProxyEvent(state: RequestState, env: ApiEnvironment, binaryMediaTypes: string[], canonical: Record<string, string> = CANONICAL): Record<string, unknown> {
  const { headers, multi } = headerMaps(state, canonical);
  const query = queryMaps(state);
  return {
    resource: state.route?.resourcePath ?? '',
    path: eventPath(state),
    httpMethod: state.httpMethod,
    headers,
    multiValueHeaders: multi,
    queryStringParameters: query.single,
    multiValueQueryStringParameters: query.multi,
    pathParameters: state.route?.pathParameters ? { ...state.route.pathParameters } : null,
    stageVariables: env.stageVariables ? { ...env.stageVariables } : null,
    requestContext: withOperationName(requestContext(state, env), state),
    ...bodyOf(state, binaryMediaTypes),
  };
}
