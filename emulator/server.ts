/** node:http as a thin adapter over the gateway's fetch(Request) -> Response. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Gateway } from './gateway/types.js';

/** API Gateway's payload limit (R11.14); one byte more is enough for the gateway to answer 413. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

/** Reads the body, keeping at most MAX_BODY_BYTES + 1 bytes in memory whatever the client sends. */
async function readBody(req: IncomingMessage): Promise<Buffer<ArrayBuffer> | undefined> {
  const chunks: Buffer[] = [];
  let kept = 0;
  for await (const chunk of req) {
    const buffer = chunk as Buffer;
    if (kept > MAX_BODY_BYTES) continue;
    chunks.push(buffer.subarray(0, MAX_BODY_BYTES + 1 - kept));
    kept += Math.min(buffer.byteLength, MAX_BODY_BYTES + 1 - kept);
  }
  return chunks.length > 0 ? Buffer.concat(chunks) : undefined;
}

/** Turns a node request into a standard Request; the raw header list keeps the client's header-name case (R1.13). */
async function toRequest(req: IncomingMessage, origin: string): Promise<Request> {
  const body = await readBody(req);
  const headers = new Headers();
  for (let i = 0; i < req.rawHeaders.length; i += 2) headers.append(req.rawHeaders[i]!, req.rawHeaders[i + 1]!);
  const method = req.method ?? 'GET';
  const hasBody = body !== undefined && method !== 'GET' && method !== 'HEAD';
  return new Request(new URL(req.url ?? '/', origin), { method, headers, body: hasBody ? body : undefined });
}

async function writeResponse(res: ServerResponse, response: Response, method: string): Promise<void> {
  const headers: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    headers[name] = name === 'set-cookie' ? response.headers.getSetCookie() : value;
  });
  // API Gateway answers with a Content-Length, never chunked: buffer the (at most 10 MB) body first.
  const body = response.body === null ? undefined : Buffer.from(await response.arrayBuffer());
  // RFC 9110 §8.6: no Content-Length on 204 and 304.
  if (response.status !== 204 && response.status !== 304) headers['content-length'] = String(body?.byteLength ?? 0);
  res.writeHead(response.status, headers);
  res.end(method === 'HEAD' ? undefined : body);
}

export interface ListeningServer {
  server: Server;
  port: number;
  close(): Promise<void>;
}

/** Serve one API (one execute-api host) on 127.0.0.1:port. */
export async function serveGateway(gateway: Gateway, port: number, host = '127.0.0.1'): Promise<ListeningServer> {
  const server = createServer((req, res) => {
    const origin = `http://${req.headers.host ?? `${host}:${port}`}`;
    toRequest(req, origin)
      .then((request) => gateway.fetch(request, { remoteAddress: req.socket.remoteAddress, rawHeaders: req.rawHeaders }))
      .then((response) => writeResponse(res, response, req.method ?? 'GET'))
      .catch((error: unknown) => {
        // The gateway answers every request itself; reaching this is an emulator bug, said loudly.
        console.error('emulator: unhandled error while serving', req.method, req.url, error);
        if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
        res.end('{"message":"Internal server error"}');
      });
  });
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const actual = (server.address() as AddressInfo).port;
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
