/** node:http as a thin adapter over the gateway's respond(request) -> Reply (its fetch(Request) -> Response without the Fetch objects). */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createNetServer, type AddressInfo, type Server as NetServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { createServer as createTlsServer } from 'node:tls';
import { wholeBody, type Reply } from './gateway/reply.js';
import type { ConnectionInfo, Gateway, GatewayRequest } from './gateway/types.js';
import { wireHeaders } from './gateway/wire-headers.js';
import { announcesBody, holdEnd, hostCount, malformedRequestResponse, parseRawRequestHead, rawHttpResponse, rawTargetPath, releaseEnd, replaying, requestUrl, safeHeaderValue, writeStreamBody } from './wire.js';

/** API Gateway's payload limit (R11.14); one byte more is enough for the gateway to answer 413. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Methods a Fetch Request refuses to carry; the gateway still answers them (as an unknown method), and sees them as Fetch would. */
const FORBIDDEN_FETCH_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** Methods Fetch upper-cases whatever their case (any other keeps the case sent). */
const NORMALIZED_FETCH_METHODS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'POST', 'PUT']);
/** API Gateway's verbs (R8.9, H3.3): sent in another case, they reach the gateway by the raw path, their body unread. */
const SERVED_VERBS = new Set(['DELETE', 'GET', 'HEAD', 'OPTIONS', 'PATCH', 'POST', 'PUT']);
/** Framing is the server's alone: whatever the gateway passed, these are computed here. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

/**
 * node's own cap on a request head. Above API Gateway's (R11.15: 10,240 bytes of header values and a URL of 10,240
 * characters, header names not counted), so that the gateway, not node, refuses a head AWS refuses; node's default
 * (16 KB) refused heads AWS accepts (a long URL with long headers, or many headers).
 */
const MAX_HEAD_BYTES = 64 * 1024;

/** Whether a body may follow the head (a length, or chunks): a refusal that does not read it closes the connection. */
function mayHaveBody(req: IncomingMessage): boolean {
  return req.headers['transfer-encoding'] !== undefined || Number(req.headers['content-length'] ?? 0) > 0;
}

/** A Content-Length over API Gateway's payload limit (R8.8). */
function declaredOversize(req: IncomingMessage): boolean {
  return Number(req.headers['content-length'] ?? 0) > MAX_BODY_BYTES;
}

/** Reads the body, keeping at most MAX_BODY_BYTES + 1 bytes in memory whatever the client sends. */
function readBody(req: IncomingMessage): Promise<Buffer<ArrayBuffer> | undefined> {
  // Events rather than an async iterator: most requests have no body, and the iterator's promises cost per request.
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let kept = 0;
    req.on('data', (buffer: Buffer) => {
      if (kept > MAX_BODY_BYTES) return;
      chunks.push(buffer.subarray(0, MAX_BODY_BYTES + 1 - kept));
      kept += Math.min(buffer.byteLength, MAX_BODY_BYTES + 1 - kept);
    });
    req.once('end', () => resolve(chunks.length > 0 ? Buffer.concat(chunks) : undefined));
    req.once('error', reject);
    // The client went away before its request was complete: nothing left to answer.
    req.once('close', () => {
      if (!req.complete) reject(new Error('the client closed the connection before the request was complete'));
    });
  });
}

/** Fetch Headers for the raw pairs; a pair Fetch refuses is skipped (it is still in rawHeaders, which the gateway reads). */
function fetchHeaders(rawHeaders: string[]): Headers {
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    try {
      headers.append(rawHeaders[i]!, rawHeaders[i + 1]!);
    } catch {
      // refused by Fetch: see above
    }
  }
  return headers;
}

/** The Host header's value as Fetch would give it (repeated values joined), or undefined. */
function hostOf(rawHeaders: string[]): string | undefined {
  let host: string | undefined;
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    if (rawHeaders[i]!.toLowerCase() === 'host') host = host === undefined ? rawHeaders[i + 1]! : `${host}, ${rawHeaders[i + 1]!}`;
  }
  return host;
}

/**
 * What the client sent, as the pipeline reads it (GatewayRequest): what a Fetch Request would hold, but its Headers
 * are built only if read (the pipeline reads rawHeaders), and no URL copy or AbortSignal is made per request.
 */
class IncomingRequest implements GatewayRequest {
  private fetchHeaders: Headers | undefined;

  private body: Buffer<ArrayBuffer> | undefined;

  constructor(
    readonly method: string,
    readonly url: string,
    private readonly rawHeaders: string[],
  ) {}

  /**
   * The body once read, whatever the method: a GET's body reaches the integration as a regional API passes it on
   * (dropped here as a Fetch Request would drop it, the function got a null body without a word).
   */
  attach(body: Buffer<ArrayBuffer> | undefined): void {
    this.body = body;
  }

  get headers(): Headers {
    this.fetchHeaders ??= fetchHeaders(this.rawHeaders);
    return this.fetchHeaders;
  }

  arrayBuffer(): Promise<ArrayBuffer> {
    const body = this.body;
    return Promise.resolve(body ? body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) : new ArrayBuffer(0));
  }
}

/** The request for the gateway from its head (its body attached once read), and the method when Fetch could not hold it. */
function buildRequest(method: string, target: string, rawHeaders: string[], fallbackHost: string): { request: IncomingRequest; connection: Pick<ConnectionInfo, 'method' | 'rawHeaders' | 'path' | 'target'> } {
  const upper = method.toUpperCase();
  const forbidden = FORBIDDEN_FETCH_METHODS.has(upper);
  const fetchMethod = forbidden ? 'GET' : NORMALIZED_FETCH_METHODS.has(upper) ? upper : method;
  const url = requestUrl(target, hostOf(rawHeaders), fallbackHost).href;
  const request = new IncomingRequest(fetchMethod, url, rawHeaders);
  const path = rawTargetPath(target);
  return { request, connection: { rawHeaders, target, ...(forbidden ? { method } : {}), ...(path !== undefined ? { path } : {}) } };
}

/**
 * Header pairs for writeHead as a flat raw array, which keeps each name's case (node lower-cases object keys). A
 * connection kept open says so itself: node would add `Keep-Alive: timeout=65`, a header API Gateway never sends.
 */
function rawHeaderArray(reply: Reply, res?: ServerResponse): string[] {
  const raw: string[] = res?.shouldKeepAlive ? ['Connection', 'keep-alive'] : [];
  for (const [name, value] of wireHeaders(reply)) {
    if (FRAMING.has(name.toLowerCase())) continue;
    raw.push(name, safeHeaderValue(value));
  }
  return raw;
}

function writeResponse(res: ServerResponse, reply: Reply, method: string): void | Promise<void> {
  // A 1xx is interim in HTTP: written as the answer, it would leave the client waiting for the final one.
  if (reply.status < 200) throw new Error(`the gateway's answer has the interim status ${reply.status}`);
  if (reply.stream) {
    res.writeHead(reply.status, rawHeaderArray(reply, res));
    return writeStreamBody(res, reply.stream, method === 'HEAD' || reply.status === 204 || reply.status === 304);
  }
  // API Gateway answers with a Content-Length, never chunked: the (at most 10 MB) body is whole already.
  const body = reply.body === null ? undefined : reply.bytes();
  const raw = rawHeaderArray(reply, res);
  // RFC 9110 §8.6: no Content-Length on 204 and 304.
  if (reply.status !== 204 && reply.status !== 304) raw.push('Content-Length', String(body?.byteLength ?? 0));
  res.writeHead(reply.status, raw);
  res.end(method === 'HEAD' ? undefined : body);
}

/** How long a refused client may go on sending what the refusal does not read before its connection is cut. */
const LINGER_MS = 5_000;

/** Connections ended by a refusal: a request parsed from what the client still sends on one is dropped unanswered. */
const lingering = new WeakSet<Socket>();
/** The request that ends its connection (RFC 9112 §9.6), once complete what follows it is dropped as on `lingering`. */
const lastRequests = new WeakMap<Socket, IncomingMessage>();
const dropsWhatFollows = (socket: Socket): boolean => lingering.has(socket) || lastRequests.get(socket)?.complete === true;

/**
 * RFC 9112 §9.6 (tear-down): the answer goes out with a FIN, then what the client still sends is read and dropped
 * until it closes too (or LINGER_MS passes). Closed at once, the bytes still coming would be answered by a TCP reset,
 * and a client that gets the reset before reading the answer never sees it (curl: "Connection reset by peer").
 */
function lingeringClose(socket: Socket, lingerMs = LINGER_MS, last?: Uint8Array): void {
  if (socket.destroyed) return;
  releaseEnd(socket);
  // node's parser stays on the socket: what it still reads there is dropped, never served (see `lingering`).
  lingering.add(socket);
  // Once both sides have ended, the socket destroys itself (autoDestroy), after the answer is flushed.
  if (last) socket.end(last);
  else socket.end();
  const timer = setTimeout(() => socket.destroy(), lingerMs).unref();
  socket.once('close', () => clearTimeout(timer));
  socket.resume();
}

/** Reaching this is an emulator bug: say it loudly, answer 500 if still possible, and never leave the client waiting. */
function failResponse(res: ServerResponse, req: IncomingMessage, error: unknown): void {
  // A body that never arrived whole (client gone, or refused by the parser and answered in 'clientError') is no bug.
  if (!req.complete) {
    res.destroy();
    return;
  }
  console.error('emulator: unhandled error while serving', req.method, req.url, error);
  answerInternalError(res);
}

/** The 500 of a failure in the adapter or gateway itself, on a connection closed after it. */
function answerInternalError(res: ServerResponse): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  try {
    const body = '{"message":"Internal server error"}';
    res.writeHead(500, ['Content-Type', 'application/json', 'x-amzn-ErrorType', 'InternalServerErrorException', 'Content-Length', String(body.length), 'Connection', 'close']);
    res.end(body);
  } catch {
    res.destroy();
  }
}

/**
 * Runs a request handler so that what it throws before any promise holds it (in node's request event) answers 500
 * and is logged, where it ended the gateway's process. Its body is not read: node closes the connection after.
 */
function guarded(handle: (req: IncomingMessage, res: ServerResponse) => void): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    try {
      handle(req, res);
    } catch (error) {
      console.error('emulator: unhandled error while serving', req.method, req.url, error);
      answerInternalError(res);
    }
  };
}

/** What node's parser reports when the client ends (FIN) or resets the connection before its request is whole. */
const CLIENT_GONE = new Set(['HPE_INVALID_EOF_STATE', 'ECONNRESET']);

/** The answers still being written on each connection, so that a refusal on the raw socket comes after them. */
class InFlight {
  private readonly open = new WeakMap<Socket, { owed: { req: IncomingMessage; answered: Promise<void> }[]; refused: boolean; clientGone?: boolean }>();

  private of(socket: Socket) {
    let entry = this.open.get(socket);
    if (!entry) this.open.set(socket, (entry = { owed: [], refused: false }));
    return entry;
  }

  started(req: IncomingMessage, res: ServerResponse): void {
    const entry = this.of(req.socket);
    const owed = { req, answered: new Promise<void>((resolve) => res.once('close', resolve)) };
    entry.owed.push(owed);
    void owed.answered.then(() => entry.owed.splice(entry.owed.indexOf(owed), 1));
  }

  /**
   * Resolves once every answer owed on the connection is written (or the connection is gone). A request the parser
   * cut short (its body never whole: the refusal is about it) is owed nothing but the refusal.
   */
  settled(socket: Socket): Promise<void> {
    const entry = this.of(socket);
    return Promise.all(entry.owed.filter((o) => o.req.complete).map((o) => o.answered)).then(() => undefined);
  }

  /** Whether the client closed the connection mid-request: what the parser then reports is the client's doing, not a refusal. */
  clientGone(socket: Socket): boolean {
    return this.open.get(socket)?.clientGone ?? false;
  }

  /** True the first time a connection's request is refused by the parser; false after. `code` is the parser's error. */
  refuse(socket: Socket, code?: string): boolean {
    const entry = this.of(socket);
    if (code !== undefined && CLIENT_GONE.has(code)) entry.clientGone = true;
    if (entry.refused) return false;
    entry.refused = true;
    return true;
  }
}

export interface ListeningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/**
 * How long a client has to send its whole request (head and body), and its head alone; then it is answered 408 and
 * the connection closed. Node's defaults (5 minutes, 1 minute, checked every 30 s) let a stalled client hold a
 * connection far longer than any API Gateway request lives (29 s integration timeout). Receiving only: a slow
 * function is bounded by its own timeouts, not these.
 */
export interface ReceiveLimits {
  requestTimeoutMs: number;
  headersTimeoutMs: number;
  /** How long a refused connection lingers for the client to close it (lingeringClose); LINGER_MS by default. */
  lingerMs?: number;
}

const RECEIVE_LIMITS: ReceiveLimits = { requestTimeoutMs: 30_000, headersTimeoutMs: 10_000 };

/** What a server may add to plain HTTP: WebSocket upgrades, and TLS on the same port. */
export interface ServeExtras {
  /** Requests with `Upgrade: websocket` (a WebSocket API's handshake). */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
  /** Also answer TLS on the port (told apart by the first byte): functions reach `https://<domainName>/<stage>`. */
  tls?: { key: string; cert: string };
  /**
   * A request whose client closed the connection before sending it whole: the gateway never saw it (API Gateway's
   * access log has no line for it either), but the request log says it came. The path is as sent, without query.
   */
  onClientClosed?: (request: { method: string; path: string; latencyMs: number }) => void;
}

/** How long a connection may stay silent before its first byte tells TLS from plain HTTP. */
const FIRST_BYTE_TIMEOUT_MS = 10_000;

/**
 * One port for plain HTTP and TLS: a TLS handshake starts with a record of type 22 (0x16), an HTTP request with a
 * method's letter. Each connection is handed whole to the server it belongs to.
 */
function sniffingServer(server: Server, tls: { key: string; cert: string }, limits: ReceiveLimits): NetServer {
  // A TLS handshake that stalls is cut off as a stalled head would be answered (node's default waits 2 minutes).
  const secure = createTlsServer({ key: tls.key, cert: tls.cert, ALPNProtocols: ['http/1.1'], handshakeTimeout: limits.headersTimeoutMs });
  secure.on('secureConnection', (socket) => server.emit('connection', socket));
  secure.on('tlsClientError', (_error, socket) => socket.destroy());
  return createNetServer({ pauseOnConnect: true }, (socket) => {
    socket.setTimeout(FIRST_BYTE_TIMEOUT_MS, () => socket.destroy());
    socket.once('data', (first: Buffer) => {
      socket.setTimeout(0);
      socket.pause();
      // TLS reads a net.Socket from its handle, past the byte read here: it gets a stream that hands that byte first.
      if (first[0] === 0x16) return void secure.emit('connection', replaying(socket, first));
      socket.unshift(first);
      server.emit('connection', socket);
      socket.resume();
    });
    socket.on('error', () => socket.destroy());
    socket.resume();
  });
}

/** Serve one API (one execute-api host) on 127.0.0.1:port. */
export async function serveGateway(gateway: Gateway, port: number, host = '127.0.0.1', limits: ReceiveLimits = RECEIVE_LIMITS, extras: ServeExtras = {}): Promise<ListeningServer> {
  let fallbackHost = `${host}:${port}`;
  const timeouts = {
    requestTimeout: limits.requestTimeoutMs,
    headersTimeout: Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs),
    // How often node looks for expired requests: a tenth of the limit, so a stalled client is answered close to it.
    connectionsCheckingInterval: Math.max(10, Math.floor(Math.min(limits.headersTimeoutMs, limits.requestTimeoutMs) / 10)),
  };
  const onRequest = (req: IncomingMessage, res: ServerResponse, expectsContinue = false): void => {
    // Pipelined after a refusal on the same connection: the client is gone as far as the API is concerned.
    if (dropsWhatFollows(req.socket)) return void req.resume();
    const method = req.method ?? 'GET';
    // node's parser lets `HTTP/2.0` and a request line without a version (HTTP/0.9) through: neither is HTTP/1.x.
    if (req.httpVersionMajor !== 1) return refuseAfterOwed(req, 'HPE_INVALID_VERSION');
    // node's own refusal of this (requireHostHeader) was an empty 400 with no word of why.
    if (req.httpVersionMinor === 1 && req.headers.host === undefined) return refuseAfterOwed(req, 'MISSING_HOST');
    // RFC 9112 §3.2: a server MUST answer 400; node takes the first and the pipeline read the last (two domainNames).
    if (hostCount(req.rawHeaders) > 1) return refuseAfterOwed(req, 'REPEATED_HOST');
    // RFC 9112 §9.6: the last request of its connection (Connection: close, HTTP/1.0): what is pipelined after it is
    // never run (node handed it over, and its function ran for an answer never sent) nor refused.
    if (!res.shouldKeepAlive) lastRequests.set(req.socket, req);
    inFlight.started(req, res);
    const { request, connection } = buildRequest(method, req.url ?? '/', req.rawHeaders, fallbackHost);
    const info: ConnectionInfo = { remoteAddress: req.socket.remoteAddress, ...connection, ...(gateway.headRefusal ? { headChecked: true } : {}) };
    // R11.15 / H10.7: a head over API Gateway's limits is answered at once, its body neither waited for nor asked for.
    const refused = gateway.headRefusal?.(request, info);
    // R8.8: a declared length over the limit is refused from its head (the gateway reads the header): the body is not
    // waited for, and the connection closes once the 413 is out (what follows would be read as a request).
    const oversized = declaredOversize(req);
    if (oversized || (refused && mayHaveBody(req))) {
      res.shouldKeepAlive = false;
      // Nothing after this request on the connection is served: node may parse a pipelined one before the answer is out.
      lingering.add(req.socket);
      // node closes such a connection with destroySoon() once the answer is out: closed at once, the body still coming
      // would be answered by a TCP reset that can drop the refusal unread (RFC 9112 §9.6): this one lingers instead.
      const socket = req.socket as Socket & { destroySoon(): void };
      socket.destroySoon = () => lingeringClose(socket, limits.lingerMs);
    }
    if (refused) {
      req.resume();
      return void Promise.resolve(writeResponse(res, refused, method)).catch((error: unknown) => failResponse(res, req, error));
    }
    // A pipelined answer is buffered until those before it are out (node slipped its 100 between that answer's head and
    // body): the 100 waits for its turn, and is not sent once the final answer is made (RFC 9110 §15.2.1).
    if (expectsContinue && !oversized) void (res.socket ? res.writeContinue() : res.once('socket', () => !res.headersSent && res.writeContinue()));
    const started = performance.now();
    (oversized ? Promise.resolve(undefined) : readBody(req))
      .then((body) => {
        request.attach(body);
        return gateway.respond(request, info);
      })
      .then((response) => writeResponse(res, response, method))
      .catch((error: unknown) => {
        // Cut short by the client, not refused by the parser or a timeout (those are answered in 'clientError').
        if (!req.complete && inFlight.clientGone(req.socket)) extras.onClientClosed?.({ method, path: rawTargetPath(req.url ?? '/') ?? req.url ?? '/', latencyMs: performance.now() - started });
        failResponse(res, req, error);
      });
  };
  /**
   * A request the front end refuses from its head (malformedRequestResponse's code), answered once the answers owed
   * to requests pipelined before it are written; its body is read and dropped, and nothing after it is served.
   */
  const refuseAfterOwed = (req: IncomingMessage, code: string): void => {
    const socket = req.socket;
    req.resume();
    if (dropsWhatFollows(socket)) return;
    lingering.add(socket);
    holdEnd(socket);
    void inFlight.settled(socket).then(() => (socket.writable ? lingeringClose(socket, limits.lingerMs, malformedRequestResponse(code, req.method === 'HEAD')) : socket.destroy()));
  };
  const server = createServer({ ...timeouts, maxHeaderSize: MAX_HEAD_BYTES, requireHostHeader: false }, guarded((req, res) => onRequest(req, res)));
  // Expect: 100-continue: the client is told to send its body only when it is not refused from its head already.
  server.on('checkContinue', guarded((req, res) => onRequest(req, res, true)));
  // Requests node's parser hands over but not to the request handler: answered by the gateway on the raw socket, once
  // the answers to the requests pipelined before them are written (node would cut them off: ends the connection).
  const inFlight = new InFlight();
  const answerRaw = (socket: Socket, method: string, target: string, rawHeaders: string[]): void => {
    if (dropsWhatFollows(socket)) return;
    inFlight
      .settled(socket)
      .then(() => {
        const { request, connection } = buildRequest(method, target, rawHeaders, fallbackHost);
        return gateway.respond(request, { remoteAddress: socket.remoteAddress, ...connection });
      })
      .then(async (reply) => rawHttpResponse(reply.status, rawHeaderArray(reply), await wholeBody(reply), method.toUpperCase() === 'HEAD'))
      .catch((error: unknown) => {
        console.error('emulator: unhandled error while serving', method, target, error);
        return rawHttpResponse(500, ['Content-Type', 'application/json'], Buffer.from('{"message":"Internal server error"}'));
      })
      // Lingers, as every refusal on the raw socket: a client that never closes does not keep the connection forever.
      .then((bytes) => (socket.writable ? lingeringClose(socket, limits.lingerMs, bytes) : socket.destroy()));
  };
  server.on('connect', (req: IncomingMessage, socket: Socket) => answerRaw(socket, 'CONNECT', req.url ?? '', req.rawHeaders));
  // An Expect other than 100-continue is refused as the parser's refusals are (417, problem+json, closed): node's own
  // answer was a chunked 417 with Keep-Alive on a connection kept open, its body unread, unlike every other refusal.
  server.on('checkExpectation', (req: IncomingMessage) => refuseAfterOwed(req, 'EXPECTATION_FAILED'));
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer; bytesParsed?: number }, socket: Socket) => {
    // The parser stays failed: more bytes from the client raise the error again, answered once.
    if (dropsWhatFollows(socket) || !inFlight.refuse(socket, error.code)) return;
    holdEnd(socket); // answered here, on the raw socket: the client's half-close must not end it first
    const head = error.code === 'HPE_INVALID_METHOD' && error.rawPacket ? parseRawRequestHead(error.rawPacket, error.bytesParsed) : undefined;
    // `post` with a body would reach its function as a POST without it: the body cannot be read past node's refusal.
    const unreadBody = head !== undefined && SERVED_VERBS.has(head.method.toUpperCase()) && announcesBody(head.rawHeaders);
    const repeatedHost = head !== undefined && hostCount(head.rawHeaders) > 1;
    if (head && !unreadBody && !repeatedHost && socket.writable) return answerRaw(socket, head.method, head.target, head.rawHeaders);
    const code = repeatedHost ? 'REPEATED_HOST' : unreadBody ? 'UNREAD_BODY' : error.code;
    const headOnly = head?.method.toUpperCase() === 'HEAD'; // known only for a method node refused (`head`)
    void inFlight.settled(socket).then(() => (socket.writable ? lingeringClose(socket, limits.lingerMs, malformedRequestResponse(code, headOnly)) : socket.destroy()));
  });
  if (extras.upgrade) server.on('upgrade', extras.upgrade);
  server.keepAliveTimeout = 65_000;
  // node keeps the first ~1,000 header lines of a request and drops the others unsaid: the function lost headers, a
  // second Host among them went unseen, and R11.15 / H10.7 counted what was left. MAX_HEAD_BYTES bounds the head.
  server.maxHeadersCount = 0;
  // A client that half-closes after its request (`shutdown(SHUT_WR)`, nc -N) still gets its answer: node would end
  // the connection at once and drop answers still being made (undocumented switch of node's http server, default off).
  (server as Server & { httpAllowHalfOpen: boolean }).httpAllowHalfOpen = true;
  const listener: Server | NetServer = extras.tls ? sniffingServer(server, extras.tls, limits) : server;
  // Connections node's HTTP server no longer tracks (upgraded ones, ones whose first byte has not come) end on close too.
  const sockets = new Set<Socket>();
  if (extras.upgrade || extras.tls) {
    listener.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
  }
  await new Promise<void>((resolve, reject) => {
    listener.once('error', reject);
    listener.listen(port, host, () => resolve());
  });
  // node's HTTP server starts the timer that answers stalled heads and bodies 408 when it listens itself; behind the
  // sniffing listener it never does, so it is told (and close() below stops that timer with server.close()).
  if (listener !== server) server.emit('listening');
  const actual = (listener.address() as AddressInfo).port;
  fallbackHost = `${host}:${actual}`;
  return {
    server,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        for (const socket of sockets) socket.destroy();
        if (listener === server) return void server.close(() => resolve());
        // Never listening itself, it answers ERR_SERVER_NOT_RUNNING; what matters is the timer it stops.
        server.close(() => undefined);
        listener.close(() => resolve());
      }),
  };
}
