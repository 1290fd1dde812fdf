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
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ApiDestinationSpec, ConnectionAuthorization, ConnectionHttpParameters } from '../../template/model.js';
import { parameterValue, type TargetHttpParameters } from './api-target.js';

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

interface Answer {
  status: number;
  text: string;
}

/** One HTTP request with the limit; rejects on a network error or a timeout. */
function send(url: URL, method: string, headers: Record<string, string>, body: string | undefined, timeoutMs: number): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const sendRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const req = sendRequest(url, { method, headers: { ...headers, ...(body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) }) }, timeout: timeoutMs }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < ANSWER_BYTES) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs / 1000} s (EventBridge's limit for an API destination)`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** `name: value` pairs onto a URL's query string. */
function withQuery(url: URL, pairs: Iterable<[string, string]>): URL {
  for (const [name, value] of pairs) url.searchParams.set(name, value);
  return url;
}

/** Caches each connection's OAuth token until it expires. */
export class OAuthTokens {
  private readonly tokens = new Map<string, { header: string; expires: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  forget(connection: string): void {
    this.tokens.delete(connection);
  }

  /**
   * The Authorization header for a client-credentials connection: the token endpoint is called with the client's
   * credentials as HTTP Basic (RFC 6749 2.3.1) and the OAuthHttpParameters (body parameters form-encoded, as RFC 6749
   * 4.4.2 has it: an [AMBIGUOUS] choice, EventBridge does not document the encoding), and its access_token is sent
   * as `Bearer`.
   */
  async header(connection: string, auth: Extract<ConnectionAuthorization, { type: 'OAUTH_CLIENT_CREDENTIALS' }>, timeoutMs: number): Promise<string> {
    const cached = this.tokens.get(connection);
    if (cached && cached.expires > this.now()) return cached.header;
    const url = withQuery(new URL(auth.endpoint), auth.parameters.query);
    const form = new URLSearchParams(auth.parameters.body).toString();
    const get = auth.method === 'GET';
    if (get) withQuery(url, auth.parameters.body);
    const headers = { ...Object.fromEntries(auth.parameters.headers), Authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}`, ...(get ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }) };
    const answer = await send(url, auth.method, headers, get ? undefined : form, timeoutMs);
    if (answer.status < 200 || answer.status >= 300) throw new Error(`its connection's token endpoint ${url.origin}${url.pathname} answered ${answer.status}: ${answer.text.slice(0, 200)}`);
    let token: { access_token?: unknown; expires_in?: unknown };
    try {
      token = JSON.parse(answer.text) as typeof token;
    } catch {
      throw new Error(`its connection's token endpoint answered no JSON: ${answer.text.slice(0, 200)}`);
    }
    if (typeof token.access_token !== 'string') throw new Error("its connection's token endpoint answered no access_token");
    const header = `Bearer ${token.access_token}`;
    const lifetime = Number(token.expires_in);
    this.tokens.set(connection, { header, expires: Number.isFinite(lifetime) && lifetime > 0 ? this.now() + lifetime * 1000 : Number.POSITIVE_INFINITY });
    return header;
  }
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
  const { authorization, invocation, logicalId } = destination.connection;
  const timeoutMs = calls.timeoutMs ?? TIMEOUT_MS;
  const local = calls.localUrl ? calls.localUrl(destination.endpoint) : destination.endpoint;
  const url = endpointUrl(local, parameters?.pathParameterValues ?? [], event);
  if (typeof url === 'string') return url;
  withQuery(url, Object.entries(parameters?.queryStringParameters ?? {}).map(([k, v]) => [k, parameterValue(v, event)]));
  withQuery(url, invocation.query);
  const headers: Record<string, string> = { ...Object.fromEntries(Object.entries(parameters?.headerParameters ?? {}).map(([k, v]) => [k, parameterValue(v, event)])), ...Object.fromEntries(invocation.headers), ...API_DESTINATION_HEADERS };
  if (authorization.type === 'API_KEY') headers[authorization.name] = authorization.value;
  if (authorization.type === 'BASIC') headers.Authorization = `Basic ${Buffer.from(`${authorization.username}:${authorization.password}`).toString('base64')}`;
  const body = destination.method === 'HEAD' ? undefined : bodyOf(input, invocation);
  const attempt = async (): Promise<Answer> => {
    if (authorization.type === 'OAUTH_CLIENT_CREDENTIALS') headers.Authorization = await tokens.header(logicalId, authorization, timeoutMs);
    return send(url, destination.method, headers, body, timeoutMs);
  };
  try {
    let answer = await attempt();
    // An OAuth token is fetched again when the endpoint answers 401 or 407 (User Guide, "Connections").
    if (authorization.type === 'OAUTH_CLIENT_CREDENTIALS' && (answer.status === 401 || answer.status === 407)) {
      tokens.forget(logicalId);
      answer = await attempt();
    }
    if (answer.status >= 200 && answer.status < 300) return undefined;
    return `${destination.method} ${url.origin}${url.pathname} answered ${answer.status}${answer.status === 429 || answer.status >= 500 ? ' (EventBridge would retry it)' : ''}: ${answer.text.slice(0, 200)}`;
  } catch (error) {
    return `${destination.method} ${url.origin}${url.pathname}: ${(error as Error).message}`;
  }
}
