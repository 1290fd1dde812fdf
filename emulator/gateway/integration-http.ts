/**
 * HTTP integrations: `http_proxy` forwards the method request and returns the endpoint's answer as is;
 * `http` maps the request (template, requestParameters) and the response (selection by status, R2.6-R2.12).
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { withStageVariables } from '../template/uris.js';
import type { ApiEnvironment } from './context.js';
import { GatewayError, addStandardHeaders } from './gateway-responses.js';
import { clientResponseHeaders, integrationRequestHeaders, type HeaderColumn } from './header-table.js';
import { integrationParameters, type IntegrationParameters } from './integration-parameters.js';
import { endpointResult, integrationTimeout, renderIntegrationRequest, respondFromIntegration } from './integration-request.js';
import type { MethodResponse } from './integration-response.js';
import type { HeaderList, RequestState } from './request-state.js';
import type { Json, OperationRoute } from './routes.js';
import { integrationTraceHeader } from './trace.js';
import { FORWARDED_NAMES, forwardedHeaders } from './proxy-event.js';
import { Reply } from './reply.js';
import { CasedHeaders } from './wire-headers.js';

export interface Endpoint {
  method: string;
  url: URL;
  /** The path as the uri spelt it once filled, when `url` resolved dot segments in it ([AMBIGUOUS], rawDotPath). */
  path?: string;
  headers: HeaderList;
  body: Uint8Array;
}

export interface EndpointAnswer {
  status: number;
  headers: HeaderList;
  body: Buffer;
}

/** Headers the gateway computes itself for the endpoint request. */
const OWN_REQUEST_HEADERS = new Set(['host', 'content-length', 'connection', 'keep-alive', 'x-amzn-trace-id']);
/**
 * Mapped request headers (requestParameters) an HTTP endpoint never receives: AWS drops Connection, Expect,
 * Proxy-Authenticate, TE and Via silently (LocalStack's AWS-validated header-remapping test); node cannot send a
 * Trailer on a request framed with its length, so that one is dropped too (AWS sends it).
 */
const MAPPED_DROPPED = new Set(['connection', 'expect', 'proxy-authenticate', 'te', 'via', 'trailer', 'keep-alive']);

/**
 * `{name}` in an integration uri from the mapped path parameters, then the method request's (a choice, see README).
 * A brace in a value is percent-encoded, as a URL path has it: `/{id}` sent by a client is text, never a variable left
 * unfilled (that was a 500 of the client's making).
 */
export function fillPathVariables(raw: string, state: RequestState, params: IntegrationParameters): string {
  return raw.replace(/\{([^{}]+)\}/g, (whole, name: string) => {
    const value = params.path[name] ?? state.route?.pathParameters?.[name.replace(/\+$/, '')];
    return value === undefined ? whole : value.replace(/[{}]/g, (brace) => (brace === '{' ? '%7B' : '%7D'));
  });
}

/** The endpoint URL of an http integration, every `{name}` filled, and its path as spelt when the URL resolved dot segments in it. */
function endpointUrl(op: OperationRoute, state: RequestState, env: ApiEnvironment, params: IntegrationParameters): { url: URL; path?: string } {
  const filled = fillPathVariables(withStageVariables(String(op.integration?.uri ?? ''), env.stageVariables), state, params);
  if (!URL.canParse(filled) || !/^https?:$/.test(new URL(filled).protocol) || /\{[^{}]+\}/.test(filled)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: integration uri ${JSON.stringify(filled)} is not an http(s) URL with every {variable} mapped` });
  }
  return { url: localExecuteApi(new URL(filled), env.localApis), ...rawDotPath(filled) };
}

/**
 * [AMBIGUOUS] A path value holding dot segments (`{proxy}` = `a/../../admin`, or `%2e%2e`) is sent to the endpoint as
 * the filled uri spells it: an HTTP client sends the path it is given, and a WHATWG URL would resolve the segments,
 * taking the request above the uri's base path (`/api/v2/a/../../admin` reached `/admin`). What the endpoint makes of
 * them is its own affair, as on AWS. Only such paths, of visible ASCII, are kept apart from the URL.
 */
export function rawDotPath(filled: string): { path?: string } {
  const path = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*([^?#]*)/i.exec(filled)?.[1] ?? '';
  return /(?:^|\/)(?:\.|%2e){1,2}(?:\/|$)/i.test(path) && /^[\x21-\x7e]+$/.test(path) ? { path } : {};
}

/** `<api-id>.execute-api.<region>.amazonaws.com` (or `.amazonaws.com.cn`), the host API Gateway gives every API. */
const EXECUTE_API_HOST = /^([a-z0-9]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;

/**
 * An endpoint on the execute-api URL of an API this run serves (one API of the template calling another, as
 * serverless-patterns' apigw-rest-apigw-rest does) is that API's local origin, same path and query; any other URL
 * is left as written.
 */
export function localExecuteApi(url: URL, localApis: ReadonlyMap<string, string> | undefined): URL {
  const id = EXECUTE_API_HOST.exec(url.hostname.toLowerCase())?.[1];
  const origin = id === undefined ? undefined : localApis?.get(id);
  return origin === undefined ? url : new URL(`${url.pathname}${url.search}`, origin);
}

/** Sends one request to an HTTP integration's endpoint with node:http, so the body comes back exactly as sent (no decompression). */
export function sendToEndpoint(endpoint: Endpoint, timeoutMs: number): Promise<EndpointAnswer> {
  const call = endpoint.url.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    // A raw header array keeps names' case; node then adds no Host of its own: Host is the endpoint's (header table),
    // unless requestParameters mapped one, which API Gateway sends instead. Nor a Content-Length: API Gateway frames
    // every request with its length, `Content-Length: 0` for none (node would send an empty POST chunked, and a body on
    // a GET unframed, which the endpoint read as the start of a next request).
    const mappedHost = endpoint.headers.some(([n]) => n.toLowerCase() === 'host');
    const headers = [...(mappedHost ? [] : [['Host', endpoint.url.host]]), ...endpoint.headers, ['Content-Length', String(endpoint.body.byteLength)]].flat();
    const { protocol, hostname, port, search } = endpoint.url;
    const path = endpoint.path === undefined ? `${endpoint.url.pathname}${search}` : `${endpoint.path}${search}`;
    const req = call({ protocol, hostname: hostname.replace(/^\[(.*)\]$/, '$1'), port, path, method: endpoint.method, headers, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const headers: HeaderList = [];
        for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) headers.push([res.rawHeaders[i]!, res.rawHeaders[i + 1]!]);
        resolve({ status: res.statusCode ?? 502, headers, body: Buffer.concat(chunks) });
      });
    });
    req.on('timeout', () => req.destroy(Object.assign(new Error('timeout'), { name: 'TimeoutError' })));
    req.on('error', reject);
    req.end(endpoint.body.byteLength > 0 ? endpoint.body : undefined);
  });
}

/** R1.53-like outcomes for an HTTP endpoint: no answer in time is 504 INTEGRATION_TIMEOUT, no answer at all INTEGRATION_FAILURE. */
export async function callEndpoint(op: OperationRoute, endpoint: Endpoint, timeoutMs: number): Promise<EndpointAnswer> {
  try {
    return await sendToEndpoint(endpoint, timeoutMs);
  } catch (error) {
    const why = `${op.location}: ${endpoint.method} ${endpoint.url.href}`;
    if ((error as Error).name === 'TimeoutError') throw new GatewayError('INTEGRATION_TIMEOUT', { log: `${why} gave no answer within ${timeoutMs} ms` });
    throw new GatewayError('INTEGRATION_FAILURE', { log: `${why} failed: ${(error as Error).message}` });
  }
}

/** The integration request's headers: `base` less what the gateway sets itself, the mapped ones (a mapped Host included), trace and API id. */
export function requestHeaders(base: HeaderList, params: IntegrationParameters, state: RequestState, env: ApiEnvironment): HeaderList {
  const mapped = new Set(Object.keys(params.header).map((n) => n.toLowerCase()));
  const headers = base.filter(([n]) => !OWN_REQUEST_HEADERS.has(n.toLowerCase()) && !mapped.has(n.toLowerCase()));
  const sent = Object.entries(params.header).filter(([n]) => !MAPPED_DROPPED.has(n.toLowerCase()));
  headers.push(...sent, ['X-Amzn-Trace-Id', integrationTraceHeader(state.trace)], ['X-Amzn-Apigateway-Api-Id', env.apiId]);
  return headers;
}

/** The endpoint's url with the query pairs added, its spelt path kept. */
function withEndpointQuery(endpoint: { url: URL; path?: string }, pairs: [string, string][]): { url: URL; path?: string } {
  return { ...endpoint, url: withQuery(endpoint.url, pairs) };
}

/** The pairs appended to a URL's query string, after what the integration URI itself carries. */
export function withQuery(url: URL, pairs: [string, string][]): URL {
  for (const [k, v] of pairs) url.searchParams.append(k, v);
  return url;
}

/** `integration.request.querystring.*` mappings as pairs, a multi-valued one once per value (R2.10). */
export const mappedQuery = (params: IntegrationParameters): [string, string][] => Object.entries(params.querystring).flatMap(([k, vs]) => vs.map((v): [string, string] => [k, v]));

/** The integration's httpMethod; `ANY` (or none) sends the client's own verb, as AWS does. */
export function integrationMethod(integration: Json, state: RequestState, fallback: string): string {
  const configured = String(integration.httpMethod ?? fallback).toUpperCase();
  return configured === 'ANY' ? state.httpMethod : configured;
}

/**
 * The method request's headers as an http_proxy endpoint gets them: the header table's, with API Gateway's own
 * X-Forwarded-For (the caller's chain, then its address), X-Forwarded-Port and X-Forwarded-Proto in place of what the
 * caller sent (R1.13), as a REST API's endpoint received them on AWS (fireprox issue 39: `X-Forwarded-For: <client>`,
 * `X-Forwarded-Port: 443`, `X-Forwarded-Proto: https`; LocalStack's recorded HTTP_PROXY test: the endpoint's
 * X-Forwarded-For held more than the gateway's own address, which alone reached the non-proxy `http` one).
 */
function proxiedRequestHeaders(state: RequestState): HeaderList {
  const forwarded = new Set(FORWARDED_NAMES);
  return [...integrationRequestHeaders(state.headers, 'http_proxy').filter(([n]) => !forwarded.has(n.toLowerCase())), ...forwardedHeaders(state)];
}

/** `http_proxy`: the method request forwarded (headers per the header table, query string, body), the answer returned as is. */
export async function runHttpProxy(op: OperationRoute, state: RequestState, env: ApiEnvironment): Promise<Reply> {
  const integration = op.integration ?? {};
  const params = integrationParameters(integration, state, env, false);
  const mapped = new Set(Object.keys(params.querystring));
  const query = [...state.query.filter(([k]) => !mapped.has(k)), ...mappedQuery(params)];
  const endpoint: Endpoint = {
    method: integrationMethod(integration, state, 'ANY'),
    ...withEndpointQuery(endpointUrl(op, state, env, params), query),
    headers: requestHeaders(proxiedRequestHeaders(state), params, state, env),
    body: state.body,
  };
  const answer = await callEndpoint(op, endpoint, integrationTimeout(integration));
  return endpointResponse(answer, state, 'http_proxy');
}

/** The endpoint's answer on its way to the client: header table applied, names in the endpoint's case. */
function endpointResponse(answer: EndpointAnswer, state: RequestState, column: HeaderColumn): Reply {
  const headers = new CasedHeaders();
  const body = [204, 304].includes(answer.status) ? null : new Uint8Array(answer.body);
  for (const [n, v] of clientResponseHeaders(answer.headers, column, body?.byteLength ?? 0)) headers.append(n, v);
  addStandardHeaders(headers, state);
  return new Reply(answer.status, headers, body);
}

/** R2.10 + R2.12: the rendered request (template or passthrough) and the mapped parameters, `requestOverride`s winning. */
export function mappedRequest(integration: Json, state: RequestState, env: ApiEnvironment, awsIntegration: boolean): { body: Uint8Array; params: IntegrationParameters } {
  const params = integrationParameters(integration, state, env, awsIntegration);
  const rendered = renderIntegrationRequest(integration, state, env);
  const overrides = rendered.overrides?.request;
  const merged: IntegrationParameters = {
    header: { ...params.header, ...overrides?.header },
    querystring: { ...params.querystring, ...Object.fromEntries(Object.entries(overrides?.querystring ?? {}).map(([k, v]) => [k, [v]])) },
    path: { ...params.path, ...overrides?.path },
  };
  // A passed-through body goes out as the bytes received (an image upload); a rendered template as its UTF-8 text.
  return { body: rendered.bytes ?? new TextEncoder().encode(rendered.body), params: merged };
}

/**
 * Headers API Gateway sends to a non-proxy integration before the mapped ones: it asks for JSON, names itself, keeps
 * the Content-Type of a body it sends (none for an empty one, as recorded against AWS).
 */
export function nonProxyBaseHeaders(state: RequestState, env: ApiEnvironment, bodyBytes: number): HeaderList {
  const contentType = bodyBytes > 0 ? state.headers.find(([n]) => n.toLowerCase() === 'content-type') : undefined;
  return [['Accept', 'application/json'], ['User-Agent', `AmazonAPIGateway_${env.apiId}`], ...(contentType ? [contentType] : [])];
}

/** `http`: request template or passthrough and requestParameters out; integration response selected by the endpoint's status. */
export async function runHttp(op: OperationRoute, state: RequestState, env: ApiEnvironment, binaryMediaTypes: string[] = []): Promise<MethodResponse> {
  const integration = op.integration ?? {};
  const { body, params: merged } = mappedRequest(integration, state, env, false);
  const bytes = body;
  const endpoint: Endpoint = {
    method: integrationMethod(integration, state, state.httpMethod),
    ...withEndpointQuery(endpointUrl(op, state, env, merged), mappedQuery(merged)),
    headers: requestHeaders(nonProxyBaseHeaders(state, env, bytes.byteLength), merged, state, env),
    body: bytes,
  };
  const answer = await callEndpoint(op, endpoint, integrationTimeout(integration));
  const headers: Record<string, string> = {};
  for (const [n, v] of answer.headers) headers[n.toLowerCase()] = v;
  return respondFromIntegration(op, endpointResult(answer.status, headers, answer.body, binaryMediaTypes), state, env, binaryMediaTypes);
}
