/**
 * One loopback port that speaks both HTTP/1.1 and HTTP/2 without TLS (h2c with prior knowledge), as the AWS SDK's
 * NodeHttp2Handler does against an `http://` endpoint (Kinesis SubscribeToShard, streaming clients). Node's HTTP/1.1
 * parser refuses the HTTP/2 preface with a bare 400 that such a client reports only as "Protocol error", so each
 * connection's first bytes choose the server: the preface goes to a node:http2 server with the same handler.
 */
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttp2Server, type Http2ServerRequest, type Http2ServerResponse } from 'node:http2';
import { createServer as createNetServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { replaying } from '../wire.js';

/** The connection preface every HTTP/2 client sends first (RFC 9113 §3.4). */
const PREFACE = Buffer.from('PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n', 'latin1');

/** A request handler both protocols can call (node's http2 compatibility API mirrors node:http's). */
export type DualHandler = (req: IncomingMessage, res: ServerResponse) => void;

export interface DualServer {
  /** 127.0.0.1 port both protocols answer on. */
  port: number;
  close(): Promise<void>;
}


/**
 * How long a connection may stay silent before its first bytes, and an HTTP/2 session idle: node:http's own
 * headersTimeout (60 s) for what HTTP/1.1 connections get once they reach it, and what AWS endpoints do with idle
 * connections (they close them).
 */
export const IDLE_CONNECTION_MS = 60_000;

/** Reads a connection's first bytes until they either are the HTTP/2 preface or cannot become it. */
function sniff(socket: Socket, decide: (stream: Socket | Duplex, http2: boolean) => void, idleMs: number): void {
  let seen = Buffer.alloc(0);
  // A connection that never says which protocol it speaks is closed, as node:http closes one that sends no request.
  socket.setTimeout(idleMs, () => socket.destroy());
  const onData = (chunk: Buffer): void => {
    socket.setTimeout(0);
    seen = Buffer.concat([seen, chunk]);
    const length = Math.min(seen.byteLength, PREFACE.byteLength);
    const matches = seen.subarray(0, length).equals(PREFACE.subarray(0, length));
    if (matches && seen.byteLength < PREFACE.byteLength) return;
    socket.off('data', onData);
    socket.off('end', onEnd);
    socket.pause();
    if (matches) return decide(replaying(socket, seen), true);
    // node:http reads the socket from JavaScript, so bytes put back are read again.
    socket.unshift(seen);
    decide(socket, false);
  };
  // A client that closes before its first bytes decide anything: the HTTP/1.1 server sees what it sent.
  const onEnd = (): void => {
    socket.setTimeout(0);
    socket.off('data', onData);
    if (seen.byteLength > 0) socket.unshift(seen);
    decide(socket, false);
  };
  socket.on('data', onData);
  socket.once('end', onEnd);
}

/** Serves `handler` over HTTP/1.1 and h2c on one 127.0.0.1 port (free unless given). */
export async function listenDual(handler: DualHandler, port = 0, host = '127.0.0.1', idleMs = IDLE_CONNECTION_MS): Promise<DualServer> {
  // Node's own timeouts for a request's head (408 after idleMs) and whole body (after 5 x idleMs), as on a listening
  // node:http server: they run only once the server has emitted 'listening', which this one, handed its connections,
  // never does by itself. Without them a partial head or a half-sent body held its connection forever.
  const http1 = createHttpServer({ headersTimeout: idleMs, requestTimeout: 5 * idleMs, connectionsCheckingInterval: Math.min(30_000, Math.max(10, idleMs / 4)) }, handler);
  http1.emit('listening');
  const http2 = createHttp2Server(handler as unknown as (req: Http2ServerRequest, res: Http2ServerResponse) => void);
  // An HTTP/2 session with no frame for this long is closed (node:http2 keeps one forever by default; with a timeout
  // and no 'timeout' listener it destroys the session itself).
  http2.setTimeout(idleMs);
  const sockets = new Set<Socket>();
  const front: Server = createNetServer((socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
    // A reset before the protocol is known must not become an uncaught error.
    socket.on('error', () => socket.destroy());
    sniff(socket, (stream, isHttp2) => {
      (isHttp2 ? http2 : http1).emit('connection', stream);
      socket.resume();
    }, idleMs);
  });
  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.listen(port, host, () => resolve());
  });
  return {
    port: (front.address() as AddressInfo).port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const socket of sockets) socket.destroy();
        // Stops its connection checks (it never listened: the error that says so is not one).
        http1.close(() => undefined);
        front.close(() => resolve());
      }),
  };
}
