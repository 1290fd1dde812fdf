/** HTTP/1.1 wire details the node adapter needs beyond node:http: request targets, raw heads and raw answers. */
import { STATUS_CODES, type ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import { Duplex } from 'node:stream';
import { isControlChar } from './gateway/header-table.js';
import { StreamInterrupted } from './gateway/proxy-stream.js';
import { headerOctets } from './gateway/wire-headers.js';

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
/** Whether safeHeaderValue has anything to change: controls but tab, DEL, or characters above U+00FF. */
function needsCleaning(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const code = value.charCodeAt(i);
    if ((code < 0x20 && code !== 0x09) || code === 0x7f || code > 0xff) return true;
  }
  return false;
}
const TOKEN = /^[!#$%&'*+\-.^_`|~0-9A-Za-z]+$/;

/**
 * The URL of a request target. Only its path and query are ever taken from the target: a target such as
 * `//evil.example/x` is a path with a doubled slash, never a host; absolute-form (`http://host/v1/x`) gives
 * its path; authority-form and `*` give `/`, which no stage serves. The origin comes from a well-formed Host.
 */
export function requestUrl(target: string, hostHeader: string | undefined, fallbackHost: string): URL {
  // The pattern lets through what only looks like a host (port 99999, 999.999.999.999, xn--zz): URL refuses those.
  const usable = hostHeader !== undefined && HOST.test(hostHeader) && URL.canParse(`http://${hostHeader}`);
  const url = new URL(`http://${usable ? hostHeader : fallbackHost}`);
  let pathAndQuery = '/';
  if (target.startsWith('/')) pathAndQuery = target;
  else if (/^https?:\/\//i.test(target)) {
    const absolute = URL.canParse(target) ? new URL(target) : undefined;
    pathAndQuery = absolute ? `${absolute.pathname}${absolute.search}` : '/';
  }
  const withoutFragment = pathAndQuery.split('#')[0] as string;
  const q = withoutFragment.indexOf('?');
  url.pathname = q < 0 ? withoutFragment : withoutFragment.slice(0, q);
  url.search = q < 0 ? '' : withoutFragment.slice(q);
  return url;
}

/**
 * The path of an origin-form target as sent (up to `?` or `#`), its bytes outside visible ASCII percent-encoded
 * (node reads the target's bytes as Latin-1); undefined for other forms, whose path the URL gives.
 */
export function rawTargetPath(target: string): string | undefined {
  if (!target.startsWith('/')) return undefined;
  const end = target.search(/[?#]/);
  const path = end < 0 ? target : target.slice(0, end);
  return /[^\x21-\x7e]/.test(path) ? path.replace(/[^\x21-\x7e]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`) : path;
}

/** How many Host headers raw header pairs hold. */
export function hostCount(rawHeaders: string[]): number {
  let count = 0;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) if (rawHeaders[i]!.toLowerCase() === 'host') count += 1;
  return count;
}

/** Whether raw header pairs announce a body (a length over 0, or a transfer coding). */
export function announcesBody(rawHeaders: string[]): boolean {
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const name = rawHeaders[i]!.toLowerCase();
    if (name === 'transfer-encoding' || (name === 'content-length' && rawHeaders[i + 1]!.trim() !== '0')) return true;
  }
  return false;
}

/**
 * Method, target and headers of a request head node's parser refused (an unknown method token). `failedAt` is where
 * the parser stopped, inside the method: requests pipelined before it may share the packet, so the head starts where
 * the method's token characters do (a body ending in token characters right before it is read as part of the method).
 */
export function parseRawRequestHead(packet: Buffer, failedAt = 0): { method: string; target: string; rawHeaders: string[] } | undefined {
  let start = Math.min(Math.max(failedAt, 0), packet.length);
  while (start > 0 && TOKEN.test(String.fromCharCode(packet[start - 1]!))) start -= 1;
  const text = packet.subarray(start).toString('latin1');
  const end = text.indexOf('\r\n\r\n');
  const lines = (end < 0 ? text : text.slice(0, end)).split('\r\n');
  const [method, target, version, ...rest] = (lines[0] ?? '').split(' ');
  // What node's parser refuses in a head it reads is refused here too: a target outside visible ASCII, controls in values.
  if (!method || !TOKEN.test(method) || !target || /[^\x21-\x7e]/.test(target) || rest.length > 0 || !/^HTTP\/1\.[01]$/.test(version ?? '')) return undefined;
  const rawHeaders: string[] = [];
  for (const line of lines.slice(1)) {
    const colon = line.indexOf(':');
    const value = line.slice(colon + 1).trim();
    if (colon <= 0 || !TOKEN.test(line.slice(0, colon)) || [...value].some(isControlChar)) return undefined;
    rawHeaders.push(line.slice(0, colon), value);
  }
  return { method, target, rawHeaders };
}

/** A header value node will write: UTF-8 text goes out as its bytes (node refuses characters above U+00FF), controls but tab removed. */
export function safeHeaderValue(value: string): string {
  // Nearly every value is printable Latin-1 already: only the others are taken apart character by character.
  if (!needsCleaning(value)) return value;
  return [...headerOctets(value)].filter((c) => !isControlChar(c)).join('');
}

/**
 * A complete HTTP/1.1 response that closes the connection, for sockets node:http no longer answers on. To a HEAD
 * (`headOnly`) it is the head alone, with the body's length (RFC 9110 §9.3.2: no content in an answer to HEAD).
 */
export function rawHttpResponse(status: number, rawHeaders: string[], body: Buffer, headOnly = false): Buffer {
  const lines = [`HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Unknown'}`, `Date: ${new Date().toUTCString()}`];
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) lines.push(`${rawHeaders[i]}: ${safeHeaderValue(rawHeaders[i + 1] as string)}`);
  lines.push(`Content-Length: ${body.byteLength}`, 'Connection: close', '', '');
  const head = Buffer.from(lines.join('\r\n'), 'latin1');
  return headOnly ? head : Buffer.concat([head, body]);
}

/** What each refusal of node's HTTP/1.1 parser means, in words a client can act on. */
const PARSE_FAILURES: Record<string, string> = {
  HPE_HEADER_OVERFLOW: 'the request line and headers exceed the size limit',
  HPE_INVALID_HEADER_TOKEN: 'a header name or value contains a character HTTP does not allow (a control character, or a space in a name)',
  HPE_INVALID_URL: 'the request target contains a character HTTP does not allow',
  HPE_INVALID_VERSION: 'the request line does not end with HTTP/1.0 or HTTP/1.1',
  HPE_INVALID_CONSTANT: 'the request line is not METHOD TARGET HTTP/1.1',
  HPE_INVALID_METHOD: 'the request line does not start with a method',
  HPE_PAUSED_H2_UPGRADE: 'HTTP/2 without TLS (h2c) is not served; use HTTP/1.1',
  HPE_INVALID_CONTENT_LENGTH: 'Content-Length is not a number',
  HPE_UNEXPECTED_CONTENT_LENGTH: 'Content-Length is repeated or sent with Transfer-Encoding',
  HPE_INVALID_TRANSFER_ENCODING: 'Transfer-Encoding is not one HTTP allows',
  HPE_INVALID_CHUNK_SIZE: 'a chunk of the body has no valid size',
  ERR_HTTP_REQUEST_TIMEOUT: 'the request was not received in time',
  MISSING_HOST: 'an HTTP/1.1 request must have a Host header (RFC 9112 section 3.2)',
  UNREAD_BODY: 'its method is one API Gateway serves written in another case (HTTP methods are case-sensitive: POST, not post) and it has a body, which cannot be read past the method node refuses; send the method in upper case',
  REPEATED_HOST: 'it has more than one Host header, which names no one host (RFC 9112 section 3.2)',
  EXPECTATION_FAILED: 'its Expect header asks for something other than 100-continue, the only expectation HTTP defines (RFC 9110 section 10.1.1)',
};

/**
 * The answer to a request node's parser refused before any API saw it ([AMBIGUOUS], see emulator/README.md):
 * 431 for an oversized head, 408 for a request that never completed, 417 for an Expect other than 100-continue, 400
 * otherwise; a problem+json body
 * (RFC 9457, `about:blank`) saying what was wrong (its head alone when the request is known to be a HEAD), then the
 * connection closes.
 */
export function malformedRequestResponse(code: string | undefined, headOnly = false): Buffer {
  const status = code === 'HPE_HEADER_OVERFLOW' ? 431 : code === 'ERR_HTTP_REQUEST_TIMEOUT' ? 408 : code === 'EXPECTATION_FAILED' ? 417 : 400;
  const why = PARSE_FAILURES[code ?? ''] ?? 'the request is not valid HTTP/1.1';
  const body = { type: 'about:blank', title: STATUS_CODES[status] ?? 'Bad Request', status, detail: `The request was refused before reaching the API: ${why}.` };
  return rawHttpResponse(status, ['Content-Type', 'application/problem+json'], Buffer.from(JSON.stringify(body)), headOnly);
}

/** The end() of sockets whose answer the adapter still has to write on the raw socket itself. */
const heldEnds = new WeakMap<Socket, Socket['end']>();

/**
 * Keeps node's HTTP server from ending a connection that still owes an answer written on the raw socket (a parser's
 * refusal, a method node refuses): when the client half-closes, node ends the socket at once, having no response of
 * its own in progress, and the answer made after that was dropped unsent. releaseEnd gives end() back.
 */
export function holdEnd(socket: Socket): void {
  if (heldEnds.has(socket)) return;
  heldEnds.set(socket, socket.end);
  socket.end = ((..._args: unknown[]) => socket) as Socket['end'];
}

/** Gives a socket held by holdEnd its end() back, to send the answer it owes. */
export function releaseEnd(socket: Socket): void {
  const end = heldEnds.get(socket);
  if (!end) return;
  heldEnds.delete(socket);
  socket.end = end;
}

/**
 * The connection as a stream that replays the bytes already read: node:http2 and node:tls read a net.Socket through
 * its native handle, past anything JavaScript has already taken from it, so they get this wrapper instead.
 */
export function replaying(socket: Socket, seen: Buffer): Duplex {
  const stream = new Duplex({
    read: () => void socket.resume(),
    write: (chunk: Buffer, _encoding, done) => void socket.write(chunk, done),
    final: (done) => {
      socket.end();
      done();
    },
    destroy: (error, done) => {
      socket.destroy(error ?? undefined);
      done(error);
    },
  });
  stream.push(seen);
  socket.on('data', (chunk: Buffer) => {
    if (!stream.push(chunk)) socket.pause();
  });
  socket.once('end', () => stream.push(null));
  socket.once('close', () => stream.destroy());
  socket.on('error', (error) => stream.destroy(error));
  return stream;
}

/** The response's drain or close, whichever comes first; neither listener outlives it (one wait per chunk written). */
function drainedOrClosed(res: ServerResponse): Promise<void> {
  return new Promise<void>((resolve) => {
    const done = (): void => {
      res.off('drain', done).off('close', done);
      resolve();
    };
    res.on('drain', done).on('close', done);
  });
}

/**
 * The body of a streamed integration response (responseTransferMode STREAM), its head written: chunked, each piece
 * written as it arrives, at the client's pace. A client that goes away stops the writing; the integration runs on, as
 * on AWS. The stream is let go (its iterator's return()) as soon as no one will read it, at once when no body is sent
 * (`headOnly`: HEAD, 204, 304): what the function still writes is then dropped, not held until it ends.
 */
export async function writeStreamBody(res: ServerResponse, stream: AsyncIterable<Uint8Array>, headOnly: boolean): Promise<void> {
  const pieces = stream[Symbol.asyncIterator]();
  const letGo = (): void => void pieces.return?.();
  if (headOnly) {
    letGo();
    return void res.end();
  }
  res.once('close', letGo);
  try {
    for (let next = await pieces.next(); !next.done; next = await pieces.next()) {
      if (res.destroyed) return;
      if (!res.write(next.value)) await drainedOrClosed(res);
    }
  } catch (error) {
    if (!(error instanceof StreamInterrupted)) throw error;
    // Cut without the last chunk: the client sees the answer is incomplete (proxy-stream.ts). Ending the socket sends
    // what was written first (the response's first write is still corked in this tick; a destroy would drop it).
    if (res.socket) return void res.socket.end();
    return void res.destroy();
  } finally {
    res.off('close', letGo);
    letGo();
  }
  if (!res.destroyed) res.end();
}
