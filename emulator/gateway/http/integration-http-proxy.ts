/**
 * An HTTP API's HTTP proxy integration (H2.3, H3.5, H10.10): the request goes to the endpoint URL, path variables
 * filled, the client's query string kept (the `$default` route appends the request path too), and the endpoint's
 * answer comes back as it was sent. The endpoint call itself is the REST gateway's (integration-http.ts).
 */
import type { HttpIntegrationSpec } from '../../template/model.js';
import { withStageVariables } from '../../template/uris.js';
import { localExecuteApi, sendToEndpoint, type Endpoint, type EndpointAnswer } from '../integration-http.js';
import { Reply } from '../reply.js';
import { headerValue, type HeaderList } from '../request-state.js';
import { integrationTraceHeader, traceFor } from '../trace.js';
import { CasedHeaders } from '../wire-headers.js';
import { HttpGatewayError } from './errors.js';
import type { HttpRequestState } from './state.js';

/** Hop-by-hop headers: they describe one connection, so they are not forwarded either way (RFC 9110 7.6.1). */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'proxy-authenticate', 'proxy-authorization', 'te', 'trailer', 'transfer-encoding', 'upgrade']);
/** Headers the gateway writes itself on the endpoint request: Host is the endpoint's, the length is the body's. */
const REWRITTEN = new Set(['host', 'content-length', 'x-amzn-trace-id', 'forwarded', 'x-forwarded-for', 'x-forwarded-proto', 'x-forwarded-port', 'x-forwarded-host']);

/** A path variable's value (decoded, H4.3) back in URL form: each segment percent-encoded, its slashes kept. */
function pathValue(value: string): string {
  return value.split('/').map(encodeURIComponent).join('/');
}

/** What a URL parser reads as `.` or `..`, percent-encoded dots included (WHATWG URL, "single-dot" and "double-dot" segments). */
const DOT_SEGMENT = /^(?:\.|%2e){1,2}$/i;

/**
 * Whether a path the endpoint URL is built from names a dot segment. The request URL's own were resolved before
 * routing, but decoding (H4.3) makes new ones (`..%2F..%2Fetc` is `../../etc` once decoded), and a URL parser would
 * resolve them out of the integration uri's path.
 */
function climbs(state: HttpRequestState): boolean {
  const paths = [...Object.values(state.match?.pathParameters ?? {}), state.path, state.mappedPath ?? ''];
  return paths.some((path) => path.split('/').some((segment) => DOT_SEGMENT.test(segment)));
}

/**
 * The endpoint URL: stage variables and `{name}` (or `{proxy+}`) filled from the matched route's path; for the
 * `$default` route the request path (after a named stage) appended (H3.5); the client's query string after any the
 * URI has; H11.6's `overwrite:path` replaces the uri's path. Undefined when what is left is no http(s) URL or still names a variable.
 */
export function endpointUrl(integration: HttpIntegrationSpec, state: HttpRequestState, localApis?: ReadonlyMap<string, string>): URL | undefined {
  const params = state.match?.pathParameters ?? {};
  const filled = withStageVariables(integration.uri, state.stage?.stageVariables).replace(/\{([^{}]+?)\+?\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : pathValue(value);
  });
  if (!URL.canParse(filled) || /\{[^{}]*\}/.test(filled)) return undefined;
  const url = new URL(filled);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return undefined;
  if (state.mappedPath !== undefined) url.pathname = state.mappedPath;
  // The path as routed, decoded once (H4.3): a `%` left in it starts an escape (any other was refused), sent as it is.
  else if (state.match?.route.routeKey === '$default' && state.path !== '/') url.pathname = url.pathname.replace(/\/$/, '') + state.path;
  if (state.rawQueryString !== '') url.search = url.search === '' ? state.rawQueryString : `${url.search.slice(1)}&${state.rawQueryString}`;
  return localExecuteApi(url, localApis);
}

/** RFC 7239 node: an IPv6 address is quoted in brackets. */
function node(ip: string): string {
  return ip.includes(':') ? `"[${ip}]"` : ip;
}

/**
 * H10.10: the client's headers less hop-by-hop ones; X-Forwarded-* become one standard `Forwarded` header, the
 * caller's addresses first, then this hop (client address, the API's host, protocol); the trace header is the gateway's.
 */
export function endpointHeaders(state: HttpRequestState): HeaderList {
  const headers = state.headers.filter(([name]) => !HOP_BY_HOP.has(name.toLowerCase()) && !REWRITTEN.has(name.toLowerCase()));
  const previous = headerValue(state.headers, 'forwarded');
  const forwardedFor = (headerValue(state.headers, 'x-forwarded-for') ?? '')
    .split(',')
    .map((ip) => ip.trim())
    .filter(Boolean)
    .map((ip) => `for=${node(ip)}`);
  const host = headerValue(state.headers, 'host');
  const hop = [`for=${node(state.sourceIp)}`, ...(host ? [`host=${host}`] : []), 'proto=http'].join(';');
  headers.push(['Forwarded', [...(previous ? [previous] : []), ...forwardedFor, hop].join(', ')]);
  headers.push(['X-Amzn-Trace-Id', integrationTraceHeader(traceFor(state.headers, state.timeEpoch))]);
  return headers;
}

/** The endpoint's answer for the client: status, headers and body as sent, less hop-by-hop headers and its own length. */
export function clientReply(answer: EndpointAnswer): Reply {
  const headers = new CasedHeaders();
  for (const [name, value] of answer.headers) {
    const lower = name.toLowerCase();
    if (!HOP_BY_HOP.has(lower) && lower !== 'content-length') headers.append(name, value);
  }
  const body = [204, 304].includes(answer.status) || answer.body.byteLength === 0 ? null : new Uint8Array(answer.body);
  return new Reply(answer.status, headers, body);
}

/**
 * H2.3: the `http_proxy` integration. [AMBIGUOUS] H10.4/H10.5 (choices, README): an endpoint that cannot be reached
 * answers 500 Internal Server Error, one that does not answer within timeoutInMillis 503 Service Unavailable, as a
 * Lambda integration's failure and timeout do here.
 */
export async function runHttpProxy(integration: HttpIntegrationSpec, state: HttpRequestState, localApis?: ReadonlyMap<string, string>): Promise<Reply> {
  // [AMBIGUOUS] what AWS sends for such a path is not recorded: it is refused, as a path that does not decode is (H4.3).
  if (climbs(state)) throw new HttpGatewayError(400, `the path ${state.rawPath} names a dot segment once decoded: it would leave the integration uri's path`);
  const url = endpointUrl(integration, state, localApis);
  if (!url) throw new HttpGatewayError(500, `integration uri ${JSON.stringify(integration.uri)} is not an http(s) URL with every {variable} filled`);
  const method = !integration.method || integration.method === 'ANY' ? state.method : integration.method;
  return answerOf({ method, url, headers: endpointHeaders(state), body: state.body }, integration.timeoutInMillis, `${method} ${url.href}`);
}

/** The endpoint's answer for the client; [AMBIGUOUS] H10.4/H10.5: no connection answers 500, no answer in time 503. */
export async function answerOf(endpoint: Endpoint, timeoutMs: number, why: string): Promise<Reply> {
  try {
    return clientReply(await sendToEndpoint(endpoint, timeoutMs));
  } catch (error) {
    if ((error as Error).name === 'TimeoutError') throw new HttpGatewayError(503, `${why} gave no answer within ${timeoutMs} ms (H10.5)`);
    throw new HttpGatewayError(500, `${why} failed: ${(error as Error).message} (H10.4)`);
  }
}
