/**
 * API Gateway REST's header table ("Amazon API Gateway important notes", REST APIs): which client headers
 * reach the integration, and which integration headers reach the client as sent, renamed
 * `x-amzn-Remapped-<name>`, or dropped.
 */
import type { HeaderList } from './request-state.js';

/** The integration column of the table that applies. `mock` and AWS service integrations follow the Lambda column. */
export type HeaderColumn = 'http' | 'http_proxy' | 'lambda';

/** Request headers dropped before every integration (the table's "Dropped" request cells). */
const REQUEST_DROPPED = new Set(['content-md5', 'expect', 'max-forwards', 'proxy-authenticate', 'server', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'www-authenticate']);
/** Per-column additions: Connection never reaches a Lambda; Via only reaches a Lambda; Content-Encoding never reaches an http_proxy. */
const REQUEST_DROPPED_BY_COLUMN: Record<HeaderColumn, Set<string>> = {
  http: new Set(['via']),
  http_proxy: new Set(['via', 'content-encoding']),
  lambda: new Set(['connection']),
};

/** Response headers renamed `x-amzn-Remapped-<name>`; Date and Server are then supplied by the gateway itself. */
const RESPONSE_REMAPPED = new Set(['authorization', 'connection', 'content-md5', 'date', 'max-forwards', 'server', 'user-agent', 'www-authenticate']);
/** Response headers dropped; hop-by-hop headers outside the table are dropped too, since they describe a connection the client never had. */
const RESPONSE_DROPPED = new Set(['expect', 'host', 'proxy-authenticate', 'te', 'transfer-encoding', 'trailer', 'upgrade', 'keep-alive', 'proxy-connection']);
const RESPONSE_DROPPED_BY_COLUMN: Record<HeaderColumn, Set<string>> = {
  http: new Set(['accept']),
  http_proxy: new Set(['via']),
  lambda: new Set(['via']),
};

/** Headers the gateway sets on every integration response; an integration's own value is renamed, as AWS does for x-amzn-RequestId. */
const GATEWAY_OWNED = new Set(['x-amzn-requestid', 'x-amz-apigw-id', 'x-amzn-trace-id']);

/** Whether a client header reaches the integration (the table's request columns). */
export function reachesIntegration(name: string, column: HeaderColumn = 'lambda'): boolean {
  const lower = name.toLowerCase();
  return !REQUEST_DROPPED.has(lower) && !REQUEST_DROPPED_BY_COLUMN[column].has(lower);
}

/** The client's headers as the integration sees them (the table's request columns). */
export function integrationRequestHeaders(headers: HeaderList, column: HeaderColumn = 'lambda'): HeaderList {
  return headers.filter(([name]) => reachesIntegration(name, column));
}

/**
 * Applies the table's response columns to an integration's headers: restricted names are renamed
 * `x-amzn-Remapped-<name>` (case kept after the prefix) or dropped. Content-Length is the gateway's own:
 * an integration value that disagrees with the body is renamed. [AMBIGUOUS] the table lists Content-Length as
 * passthrough, which cannot hold when it disagrees with the body; renaming keeps the value visible.
 */
export function clientResponseHeaders(headers: HeaderList, column: HeaderColumn, bodyBytes: number): HeaderList {
  const out: HeaderList = [];
  // An http_proxy endpoint's Content-Length is always renamed, and its own X-Amzn-Trace-Id passes as sent (the gateway
  // adds none there), as AWS answered LocalStack's recorded http_proxy tests.
  const proxied = column === 'http_proxy';
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (RESPONSE_DROPPED.has(lower) || RESPONSE_DROPPED_BY_COLUMN[column].has(lower)) continue;
    const owned = GATEWAY_OWNED.has(lower) && !(proxied && lower === 'x-amzn-trace-id');
    const remap = RESPONSE_REMAPPED.has(lower) || owned || (lower === 'content-length' && (proxied || value.trim() !== String(bodyBytes)));
    if (lower === 'content-length' && !remap) continue;
    out.push(remap ? [`x-amzn-Remapped-${name}`, value] : [name, value]);
  }
  return out;
}

/**
 * Method response headers mapped by an integration response (`method.response.header.*`, non-proxy integrations) have
 * a table of their own, the same for mock, Lambda, http and AWS service integrations as recorded against AWS
 * (LocalStack's header-remapping test): only Transfer-Encoding is dropped; TE and Via pass, while Expect, Host,
 * Proxy-Authenticate, Trailer and Upgrade are renamed with the proxy table's renamed names.
 */
const MAPPED_DROPPED = new Set(['transfer-encoding', 'keep-alive', 'proxy-connection']);
const MAPPED_REMAPPED = new Set([...RESPONSE_REMAPPED, 'content-length', 'expect', 'host', 'proxy-authenticate', 'trailer', 'upgrade', ...GATEWAY_OWNED]);

/** Applies the mapped-header table to a method response's mapped headers (see above). */
export function mappedResponseHeaders(headers: HeaderList): HeaderList {
  const out: HeaderList = [];
  for (const [name, value] of headers) {
    const lower = name.toLowerCase();
    if (MAPPED_DROPPED.has(lower)) continue;
    out.push(MAPPED_REMAPPED.has(lower) ? [`x-amzn-Remapped-${name}`, value] : [name, value]);
  }
  return out;
}

/** A control character other than tab: no HTTP field value may hold one. */
export function isControlChar(char: string): boolean {
  const code = char.charCodeAt(0);
  return (code < 0x20 && code !== 0x09) || code === 0x7f;
}

/** Whether an HTTP/1.1 response can carry this header at all: a token name, a value without control characters but tab. */
export function isValidHeader(name: string, value: string): boolean {
  return /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/.test(name) && ![...value].some(isControlChar);
}
