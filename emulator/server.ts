/** node:http as a thin adapter over the gateway's fetch(Request) -> Response. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { ConnectionInfo, Gateway } from './gateway/types.js';
import { responseBytes, wireHeaders } from './gateway/wire-headers.js';
import { malformedRequestResponse, parseRawRequestHead, rawHttpResponse, requestUrl, safeHeaderValue } from './wire.js';

/** API Gateway's payload limit (R11.14); one byte more is enough for the gateway to answer 413. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Methods a Fetch Request refuses to carry; the gateway still answers them (as an unknown method). */
const FORBIDDEN_FETCH_METHODS = new Set(['CONNECT', 'TRACE', 'TRACK']);
/** Framing is the server's alone: whatever the gateway passed, these are computed here. */
const FRAMING = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive']);

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

/** A standard Request for what the client sent, and the method when Fetch cannot hold it. */
function buildRequest(method: string, target: string, rawHeaders: string[], fallbackHost: string, body?: Buffer<ArrayBuffer>): { request: Request; connection: Pick<ConnectionInfo, 'method' | 'rawHeaders'> } {
  const headers = new Headers();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    try {
      headers.append(rawHeaders[i]!, rawHeaders[i + 1]!);
    } catch {
      // A header Fetch refuses is still in rawHeaders, which is what the gateway reads.
    }
  }
  const forbidden = FORBIDDEN_FETCH_METHODS.has(method.toUpperCase());
  const fetchMethod = forbidden ? 'GET' : method;
  const hasBody = body !== undefined && fetchMethod !== 'GET' && fetchMethod !== 'HEAD';
  const hostHeader = headers.get('host') ?? undefined;
  const request = new Request(requestUrl(target, hostHeader, fallbackHost), { method: fetchMethod, headers, body: hasBody ? body : undefined });
  return { request, connection: { rawHeaders, ...(forbidden ? { method } : {}) } };
}

/** Header pairs for writeHead as a flat raw array, which keeps each name's case (node lower-cases object keys). */
function rawHeaderArray(response: Response): string[] {
  const raw: string[] = [];
  for (const [name, value] of wireHeaders(response)) {
    if (FRAMING.has(name.toLowerCase())) continue;
    raw.push(name, safeHeaderValue(value));
  }
  return raw;
}

async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  // API Gateway answers with a Content-Length, never chunked: buffer the (at most 10 MB) body first.
  const body = response.body === null ? undefined : await responseBytes(response);
  const raw = rawHeaderArray(response);
  // RFC 9110 §8.6: no Content-Length on 204 and 304.
  if (response.status !== 204 && response.status !== 304) raw.push('Content-Length', String(body?.byteLength ?? 0));
  res.writeHead(response.status, raw);
  res.end(method === 'HEAD' ? undefined : body);
}

/** Reaching this is an emulator bug: say it loudly, answer 500 if still possible, and never leave the client waiting. */
function failResponse(res: ServerResponse, req: IncomingMessage, error: unknown): void {
  // A body that never arrived whole (client gone, or refused by the parser and answered in 'clientError') is no bug.
  if (!req.complete) {
    res.destroy();
    return;
  }
  console.error('emulator: unhandled error while serving', req.method, req.url, error);
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

export interface ListeningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Serve one API (one execute-api host) on 127.0.0.1:port. */
export async function serveGateway(gateway: Gateway, port: number, host = '127.0.0.1'): Promise<ListeningServer> {
  let fallbackHost = `${host}:${port}`;
  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    readBody(req)
      .then((body) => {
        const { request, connection } = buildRequest(method, req.url ?? '/', req.rawHeaders, fallbackHost, body);
        return gateway.fetch(request, { remoteAddress: req.socket.remoteAddress, ...connection });
      })
      .then((response) => writeResponse(res, response, method))
      .catch((error: unknown) => failResponse(res, req, error));
  });
  // Requests node's parser hands over but not to the request handler: answered by the gateway on the raw socket.
  const answerRaw = (socket: Socket, method: string, target: string, rawHeaders: string[]): void => {
    Promise.resolve()
      .then(() => {
        const { request, connection } = buildRequest(method, target, rawHeaders, fallbackHost);
        return gateway.fetch(request, { remoteAddress: socket.remoteAddress, ...connection });
      })
      .then(async (response) => rawHttpResponse(response.status, rawHeaderArray(response), await responseBytes(response)))
      .catch((error: unknown) => {
        console.error('emulator: unhandled error while serving', method, target, error);
        return rawHttpResponse(500, ['Content-Type', 'application/json'], Buffer.from('{"message":"Internal server error"}'));
      })
      .then((bytes) => socket.end(bytes));
  };
  server.on('connect', (req: IncomingMessage, socket: Socket) => answerRaw(socket, 'CONNECT', req.url ?? '', req.rawHeaders));
  server.on('clientError', (error: NodeJS.ErrnoException & { rawPacket?: Buffer }, socket: Socket) => {
    const head = error.code === 'HPE_INVALID_METHOD' && error.rawPacket ? parseRawRequestHead(error.rawPacket) : undefined;
    if (head && socket.writable) return answerRaw(socket, head.method, head.target, head.rawHeaders);
    if (socket.writable) socket.end(malformedRequestResponse(error.code));
    else socket.destroy();
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
  fallbackHost = `${host}:${actual}`;
  return {
    server,
    port: actual,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
