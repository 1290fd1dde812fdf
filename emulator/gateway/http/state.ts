/** What an HTTP API knows about one request ($context of H4.8-H4.16). */
import type { HttpRouteSpec, HttpStageSpec } from '../../template/model.js';
import { headerValue, newExtendedRequestId, readHeaders, type HeaderList } from '../request-state.js';
import type { ConnectionInfo, GatewayRequest } from '../types.js';
import type { HttpRouteMatch } from './routing.js';

export interface HttpRequestState {
  /** H4.15: the id also sent as `apigw-requestid` ("Mc7UVioPPHcEKPA=" shape). */
  requestId: string;
  timeEpoch: number;
  method: string;
  /** H4.3: the path as received, stage segment included. */
  rawPath: string;
  /** H4.4: without "?", "" when none. */
  rawQueryString: string;
  /** The path after the stage segment; on an HTTP API percent-decoded once, as routed (H4.3). */
  path: string;
  /** H4.3: an HTTP API's path as routed (decoded once, cut at a `?` the decoding produced), stage segment included. */
  routedPath?: string;
  stage?: HttpStageSpec;
  headers: HeaderList;
  /** Decoded query pairs in request order. */
  query: [string, string][];
  body: Uint8Array;
  sourceIp: string;
  /** The local port the request came in on (x-forwarded-port). */
  port: string;
  match?: HttpRouteMatch;
  /** H11.6 `overwrite:path`: the path the integration gets instead of the request's. */
  mappedPath?: string;
  /** Set by the route's authorizer: `requestContext.authorizer` of the integration event. */
  authorizer?: Record<string, unknown>;
  /** The message of the error this request was answered with: `$context.error.message` of the access log. */
  errorMessage?: string;
  /** The Lambda integration's latency, the status it answered, its error: `$context.integration*` of the access log. */
  /** `service`: an HTTP or AWS service endpoint answered (its status is the integration's own), not Lambda. */
  integration?: { latencyMs: number; status?: number; error?: string; service?: boolean; endpointRequestId?: string; requestId?: string };
  /** H8.10: the principalId of a Lambda authorizer's policy response (`$context.authorizer.principalId`). */
  authorizerPrincipalId?: string;
}

/** The request as received, before stage and route selection. */
export function initialHttpState(request: GatewayRequest, connection: ConnectionInfo | undefined, now: number): HttpRequestState {
  const url = new URL(request.url);
  const headers = readHeaders(request, connection?.rawHeaders);
  const host = headerValue(headers, 'host') ?? url.host;
  return {
    requestId: newExtendedRequestId(),
    timeEpoch: now,
    // Fetch cannot carry TRACE, TRACK or CONNECT: the adapter passes the method beside the request (as REST reads it).
    method: (connection?.method ?? request.method).toUpperCase(),
    rawPath: connection?.path ?? url.pathname,
    rawQueryString: url.search.replace(/^\?/, ''),
    path: connection?.path ?? url.pathname,
    headers,
    query: [...url.searchParams.entries()],
    body: new Uint8Array(),
    sourceIp: (connection?.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, ''),
    port: /:(\d+)$/.exec(host)?.[1] ?? (url.protocol === 'https:' ? '443' : '80'),
  };
}

/** The route key of the matched route ("GET /pets/{id}" or "$default"). */
export function routeKeyOf(state: HttpRequestState): string {
  return state.match?.route.routeKey ?? '-';
}

/** The route of the request, once matched. */
export function matchedRoute(state: HttpRequestState): HttpRouteSpec {
  if (!state.match) throw new Error('no route matched yet');
  return state.match.route;
}
