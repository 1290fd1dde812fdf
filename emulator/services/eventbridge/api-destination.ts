/**
 * An EventBridge API destination target (User Guide, "API destinations as targets"): the event (the target input) is
 * sent to the destination's InvocationEndpoint with its HttpMethod, each `*` of the endpoint filled by the target's
 * PathParameterValues, with the target's HttpParameters merged with the connection's InvocationHttpParameters (the
 * connection's values win, API Reference "HttpParameters"), EventBridge's own headers and the connection's
 * authorization: an API key header, Basic credentials, or an OAuth client-credentials token fetched from its
 * AuthorizationEndpoint, kept until it expires and fetched again after a 401 or 407. A request gets 5 seconds.
 * Only 2xx is delivered; EventBridge retries 429 and 5xx for up to 24 hours, here a failed delivery is logged as the
 * other targets' are. The endpoint is called for real: outside this machine unless it names a local API.
 */
import type { ApiDestinationSpec, ConnectionHttpParameters } from '../../template/model.js';
import { parameterValue, type TargetHttpParameters } from './api-target.js';
import { OAuthTokens, sendAuthorized, withQuery } from './connection-auth.js';

export { OAuthTokens };

/** The headers EventBridge adds to every request to an API destination (User Guide, "Headers included in requests"). */
export const API_DESTINATION_HEADERS: Readonly<Record<string, string>> = {
  'User-Agent': 'Amazon/EventBridge/ApiDestinations',
  'Content-Type': 'application/json; charset=utf-8',
  Range: 'bytes=0-1048575',
  'Accept-Encoding': 'gzip,deflate',
  Connection: 'close',
};

/** EventBridge's client timeout for an API destination request. */
const TIMEOUT_MS = 5000;
/** At most this much of an answer is read (EventBridge asks for the first MiB with its Range header). */
const ANSWER_BYTES = 1024 * 1024;

export interface ApiDestinationCalls {
  destinations: ApiDestinationSpec[];
  /** A deployed URL of the template's own APIs made its local one (local-api-urls.ts). */
  localUrl?: (url: string) => string;
  /** The request limit: 5 s by default, as EventBridge's. */
  timeoutMs?: number;
  /** Milliseconds now, for OAuth tokens' expiry. */
  now?: () => number;
}

/** The endpoint with each `*` filled in order by PathParameterValues, or why it cannot be. */
function endpointUrl(endpoint: string, values: string[], event: unknown): URL | string {
  const wildcards = endpoint.split('*').length - 1;
  if (wildcards !== values.length) return `the endpoint ${endpoint} has ${wildcards} wildcard(s) and PathParameterValues ${values.length} value(s)`;
  let i = 0;
  return new URL(endpoint.replace(/\*/g, () => encodeURIComponent(parameterValue(values[i++] ?? '', event))));
}

/** The body: the input, with the connection's body parameters added when it is a JSON object. */
function bodyOf(input: string, parameters: ConnectionHttpParameters): string {
  if (parameters.body.length === 0) return input;
  try {
    const parsed: unknown = JSON.parse(input);
    if (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed)) return JSON.stringify({ ...parsed, ...Object.fromEntries(parameters.body) });
  } catch {
    // Not JSON: sent as it is.
  }
  return input;
}

/** Sends one event to an API destination: undefined when it answered 2xx, else what went wrong. */
export async function invokeApiDestination(destination: ApiDestinationSpec, parameters: TargetHttpParameters | undefined, event: unknown, input: string, calls: ApiDestinationCalls, tokens: OAuthTokens): Promise<string | undefined> {
  if (destination.problem || !destination.connection) return destination.problem ?? 'it has no connection';
  const connection = destination.connection;
  const local = calls.localUrl ? calls.localUrl(destination.endpoint) : destination.endpoint;
  const url = endpointUrl(local, parameters?.pathParameterValues ?? [], event);
  if (typeof url === 'string') return url;
  withQuery(url, Object.entries(parameters?.queryStringParameters ?? {}).map(([k, v]) => [k, parameterValue(v, event)]));
  withQuery(url, connection.invocation.query);
  const headers: Record<string, string> = { ...Object.fromEntries(Object.entries(parameters?.headerParameters ?? {}).map(([k, v]) => [k, parameterValue(v, event)])), ...Object.fromEntries(connection.invocation.headers), ...API_DESTINATION_HEADERS };
  const body = destination.method === 'HEAD' ? undefined : bodyOf(input, connection.invocation);
  try {
    const answer = await sendAuthorized(url, destination.method, headers, body, connection, tokens, { timeoutMs: calls.timeoutMs ?? TIMEOUT_MS, timeoutText: "EventBridge's limit for an API destination", maxBytes: ANSWER_BYTES });
    if (answer.status >= 200 && answer.status < 300) return undefined;
    return `${destination.method} ${url.origin}${url.pathname} answered ${answer.status}${answer.status === 429 || answer.status >= 500 ? ' (EventBridge would retry it)' : ''}: ${answer.text.slice(0, 200)}`;
  } catch (error) {
    return `${destination.method} ${url.origin}${url.pathname}: ${(error as Error).message}`;
  }
}
