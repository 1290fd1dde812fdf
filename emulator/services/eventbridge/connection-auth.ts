/**
 * An EventBridge connection's authorization of an HTTP request (User Guide, "Connections for HTTP endpoint targets"),
 * shared by API destinations and Step Functions' HTTP Task: an API key header, HTTP Basic credentials, or an OAuth
 * client-credentials token fetched from the connection's AuthorizationEndpoint, kept until it expires and fetched
 * again when the endpoint answers 401 or 407 ("OAUTH tokens are refreshed when a 401 or 407 response is returned").
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ConnectionAuthorization, ConnectionHttpParameters } from '../../template/model.js';

/** A connection as requests use it: its authorization and the parameters it adds to every request. */
export interface ConnectionUse {
  logicalId: string;
  authorization: ConnectionAuthorization;
  invocation: ConnectionHttpParameters;
}

export interface HttpAnswer {
  status: number;
  statusText: string;
  /** Node's rawHeaders: name, value, name, value... */
  rawHeaders: string[];
  contentType: string;
  text: string;
}

export interface SendLimits {
  timeoutMs: number;
  /** What a timeout is said to be: whose limit it is. */
  timeoutText: string;
  /** At most this many bytes of the answer are kept. */
  maxBytes: number;
  signal?: AbortSignal;
}

/** One HTTP(S) request; rejects on a network error or when no answer came within the limit. */
export function sendHttp(url: URL, method: string, headers: Record<string, string>, body: string | undefined, limits: SendLimits): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const sendRequest = url.protocol === 'https:' ? httpsRequest : httpRequest;
    const length = body === undefined ? {} : { 'Content-Length': String(Buffer.byteLength(body)) };
    const req = sendRequest(url, { method, headers: { ...headers, ...length }, timeout: limits.timeoutMs, ...(limits.signal ? { signal: limits.signal } : {}) }, (res: IncomingMessage) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (chunk: Buffer) => {
        if (size < limits.maxBytes) chunks.push(chunk);
        size += chunk.length;
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', rawHeaders: res.rawHeaders, contentType: res.headers['content-type'] ?? '', text: Buffer.concat(chunks).subarray(0, limits.maxBytes).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new TimeoutError(`no answer within ${limits.timeoutMs / 1000} s (${limits.timeoutText})`)));
    req.on('error', reject);
    req.end(body);
  });
}

/** No answer came within the limit. */
export class TimeoutError extends Error {}

/** `name: value` pairs onto a URL's query string, each replacing one of that name. */
export function withQuery(url: URL, pairs: Iterable<[string, string]>): URL {
  for (const [name, value] of pairs) url.searchParams.set(name, value);
  return url;
}

type OAuth = Extract<ConnectionAuthorization, { type: 'OAUTH_CLIENT_CREDENTIALS' }>;

/** Each connection's OAuth token, kept until it expires. */
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
  async header(connection: string, auth: OAuth, timeoutMs: number): Promise<string> {
    const cached = this.tokens.get(connection);
    if (cached && cached.expires > this.now()) return cached.header;
    const url = withQuery(new URL(auth.endpoint), auth.parameters.query);
    const get = auth.method === 'GET';
    if (get) withQuery(url, auth.parameters.body);
    const headers = { ...Object.fromEntries(auth.parameters.headers), Authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString('base64')}`, ...(get ? {} : { 'Content-Type': 'application/x-www-form-urlencoded' }) };
    const answer = await sendHttp(url, auth.method, headers, get ? undefined : new URLSearchParams(auth.parameters.body).toString(), { timeoutMs, timeoutText: "the connection's token endpoint", maxBytes: 1024 * 1024 });
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

/**
 * Sends a request with the connection's authorization (its headers win over the request's); an OAuth connection whose
 * endpoint answers 401 or 407 gets a new token and the request is sent once more.
 */
export async function sendAuthorized(url: URL, method: string, headers: Record<string, string>, body: string | undefined, connection: ConnectionUse, tokens: OAuthTokens, limits: SendLimits): Promise<HttpAnswer> {
  const { authorization, logicalId } = connection;
  const sent = { ...headers };
  if (authorization.type === 'API_KEY') sent[authorization.name] = authorization.value;
  if (authorization.type === 'BASIC') sent.Authorization = `Basic ${Buffer.from(`${authorization.username}:${authorization.password}`).toString('base64')}`;
  const attempt = async (): Promise<HttpAnswer> => {
    if (authorization.type === 'OAUTH_CLIENT_CREDENTIALS') sent.Authorization = await tokens.header(logicalId, authorization, limits.timeoutMs);
    return sendHttp(url, method, sent, body, limits);
  };
  const answer = await attempt();
  if (authorization.type !== 'OAUTH_CLIENT_CREDENTIALS' || (answer.status !== 401 && answer.status !== 407)) return answer;
  tokens.forget(logicalId);
  return attempt();
}
