/**
 * Request handling shared by the embedded AWS service endpoints: bounded bodies, only requests from local
 * processes signed with the local credentials, and no request can crash the emulator.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { refusal, type EndpointGuard, type Refusal } from './guard.js';

/** AWS JSON requests to these endpoints are small; anything larger is refused rather than buffered. */
const DEFAULT_MAX_BODY_BYTES = 1024 * 1024;

class BodyTooLarge extends Error {}

/** A request whose body could not be read: too large, or broken off. */
export interface ReadFailure {
  status: 413 | 400;
  type: 'RequestEntityTooLargeException' | 'SerializationException';
  message: string;
}

/** The client closed its connection before its request was read: no one is left to answer, and nothing went wrong here. */
export function clientWentAway(req: IncomingMessage, error: unknown): boolean {
  return req.destroyed && (error as { code?: unknown } | null)?.code === 'ECONNRESET';
}

/** The request body, read up to `maxBytes`. */
function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      // Over the cap: nothing more is kept, and the 413 goes out at once (the socket closes once it is written).
      if (size > maxBytes) reject(new BodyTooLarge());
      else chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export interface GuardedOptions {
  /** Browser and signature checks run before the handler; a refused request never reaches it. */
  guard: EndpointGuard;
  maxBodyBytes?: number;
  /** The service's own words for a body over maxBodyBytes (Lambda's Invoke: "Request must be smaller than ..."). */
  tooLargeMessage?: string;
  contentType?: string;
  /**
   * How a refusal (or a body too large or unreadable) is written, for a protocol whose errors are not AWS JSON (the
   * query protocol's XML); AWS JSON by default.
   */
  answerRefusal?: (req: IncomingMessage, res: ServerResponse, refused: Refusal | ReadFailure) => void;
}

/**
 * Wraps an endpoint's handler: reads the body with a size cap, refuses what the guard refuses, and turns
 * anything the handler throws into an AWS-style error answer, so a malformed request never takes the emulator down.
 */
export function guardedHandler(
  service: string,
  handle: (req: IncomingMessage, res: ServerResponse, body: string, raw: Buffer) => void,
  options: GuardedOptions,
): (req: IncomingMessage, res: ServerResponse) => void {
  const contentType = options.contentType ?? 'application/x-amz-json-1.1';
  return (req, res) => {
    readBody(req, options.maxBodyBytes ?? DEFAULT_MAX_BODY_BYTES)
      .then((raw) => {
        const refused = refusal(req, raw, options.guard);
        if (!refused) return handle(req, res, raw.toString('utf8'), raw);
        if (options.answerRefusal) return options.answerRefusal(req, res, refused);
        res.writeHead(refused.status, { 'content-type': contentType, 'x-amzn-errortype': refused.type, 'x-amzn-requestid': crypto.randomUUID() });
        res.end(JSON.stringify({ __type: `${options.guard.typePrefix ?? ''}${refused.type}`, message: refused.message }));
      })
      .catch((error: unknown) => {
        if (clientWentAway(req, error)) return;
        const tooLarge = error instanceof BodyTooLarge;
        if (!tooLarge) console.error(`emulator: ${service} endpoint could not handle ${req.method} ${req.url}:`, error);
        if (res.headersSent || res.destroyed) return;
        // A body still arriving is not read to its end: the connection closes once the answer is out.
        if (tooLarge) res.once('finish', () => req.destroy());
        const failure: ReadFailure = tooLarge ? { status: 413, type: 'RequestEntityTooLargeException', message: options.tooLargeMessage ?? 'request body too large' } : { status: 400, type: 'SerializationException', message: 'malformed request' };
        if (options.answerRefusal) {
          if (tooLarge) res.setHeader('connection', 'close');
          return options.answerRefusal(req, res, failure);
        }
        res.writeHead(failure.status, { 'content-type': contentType, ...(tooLarge ? { connection: 'close' } : {}) });
        res.end(JSON.stringify({ __type: failure.type, message: failure.message }));
      });
  };
}

/** An AWS JSON protocol answer: the payload, a request id, and for an error its `__type` as `x-amzn-ErrorType`. */
export function sendAwsJson(res: ServerResponse, status: number, payload: unknown, contentType: string): void {
  if (res.headersSent || res.destroyed) return;
  const headers: Record<string, string> = { 'content-type': contentType, 'x-amzn-requestid': crypto.randomUUID() };
  if (status >= 400) headers['x-amzn-errortype'] = String((payload as { __type: string }).__type);
  res.writeHead(status, headers);
  res.end(JSON.stringify(payload));
}

/** An AWS JSON protocol request's body: its object, or the SerializationException AWS answers for anything else. */
export function jsonObjectBody(body: string): { input: Record<string, unknown> } | { problem: { __type: 'SerializationException'; message: string } } {
  let input: unknown;
  try {
    input = JSON.parse(body || '{}');
  } catch {
    return { problem: { __type: 'SerializationException', message: 'The request body is not valid JSON.' } };
  }
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return { problem: { __type: 'SerializationException', message: 'The request body is not a JSON object.' } };
  return { input: input as Record<string, unknown> };
}
