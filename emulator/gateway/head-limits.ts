/**
 * API Gateway's limits on a request's head, before any route is matched: a REST API takes at most 10,240 bytes of
 * header values and a URL of at most 10,240 characters (R11.15); an HTTP API at most 10,240 bytes of request line and
 * header values together (H10.7). What AWS answers past them is undocumented ([AMBIGUOUS] in both references; a user
 * reports the words "HTTP header is larger than 10240 bytes."). Chosen: the answer the gateway gives a head over
 * node's own cap (wire.ts; 64 KB, server.ts), 431 for headers and 414 for a URL, a problem+json body naming the limit.
 * Such a head reached the API locally and fails on AWS, which is what a developer wants to learn here. Not
 * distinguished: the 8,192-character URL limit of edge-optimized and private REST APIs.
 */
import { STATUS_CODES } from 'node:http';
import { Reply } from './reply.js';
import type { ConnectionInfo, GatewayRequest } from './types.js';

/** R11.15 and H10.7: 10,240 bytes (regional REST APIs and HTTP APIs). */
export const HEAD_LIMIT = 10_240;

/** Bytes of the header values as sent: node gives them as Latin-1 text, one character per byte. */
function headerValueBytes(request: GatewayRequest, connection: ConnectionInfo | undefined): number {
  let total = 0;
  const raw = connection?.rawHeaders;
  if (raw) {
    for (let i = 1; i < raw.length; i += 2) total += (raw[i] as string).length;
    return total;
  }
  request.headers.forEach((value) => (total += Buffer.byteLength(value, 'latin1')));
  return total;
}

/** The request target's length as sent (node's URL re-encodes `'`, `"`, `<`, `>`: three characters each); else the URL's path and query. */
function targetLength(request: GatewayRequest, connection: ConnectionInfo | undefined): number {
  if (connection?.target !== undefined) return connection.target.length;
  // request.url is absolute (`http://host/path?query`): read by position, not parsed again (this runs on every request).
  const url = request.url;
  const pathAt = url.indexOf('/', url.indexOf('//') + 2);
  if (pathAt < 0) return 1;
  const queryAt = url.indexOf('?', pathAt);
  const query = queryAt < 0 ? 0 : url.length - queryAt;
  const path = connection?.path?.length ?? (queryAt < 0 ? url.length : queryAt) - pathAt;
  return path + query;
}

function refusal(status: 414 | 431, detail: string): Reply {
  const title = STATUS_CODES[status] as string;
  const body = JSON.stringify({ type: 'about:blank', title, status, detail: `The request was refused before reaching the API: ${detail}.` });
  return new Reply(status, new Headers({ 'content-type': 'application/problem+json' }), body);
}

/** R11.15: a REST API's refusal of a URL over 10,240 characters (414) or header values over 10,240 bytes (431). */
export function restHeadRefusal(request: GatewayRequest, connection: ConnectionInfo | undefined): Reply | undefined {
  const target = targetLength(request, connection);
  if (target > HEAD_LIMIT) return refusal(414, `its URL has ${target} characters, over the ${HEAD_LIMIT} a REST API takes (R11.15)`);
  const headers = headerValueBytes(request, connection);
  if (headers > HEAD_LIMIT) return refusal(431, `its header values take ${headers} bytes, over the ${HEAD_LIMIT} a REST API takes (R11.15)`);
  return undefined;
}

/** H10.7: an HTTP API's refusal of a request line and header values over 10,240 bytes together (414 when the line alone is). */
export function httpHeadRefusal(request: GatewayRequest, connection: ConnectionInfo | undefined): Reply | undefined {
  // `METHOD SP target SP HTTP/1.1`
  const line = (connection?.method ?? request.method).length + 1 + targetLength(request, connection) + 9;
  if (line > HEAD_LIMIT) return refusal(414, `its request line has ${line} bytes, over the ${HEAD_LIMIT} an HTTP API takes with the header values (H10.7)`);
  const total = line + headerValueBytes(request, connection);
  if (total > HEAD_LIMIT) return refusal(431, `its request line and header values take ${total} bytes, over the ${HEAD_LIMIT} an HTTP API takes (H10.7)`);
  return undefined;
}
