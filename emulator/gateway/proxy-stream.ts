/**
 * A REST Lambda proxy integration with responseTransferMode STREAM: API Gateway invokes with
 * InvokeWithResponseStream, reads the function's HTTP prelude (a JSON object with statusCode, headers,
 * multiValueHeaders and cookies, then 8 NUL bytes, as `awslambda.HttpResponseStream.from` writes it) and sends the
 * rest to the client as the function writes it.
 */
import type { InvokeOutcome } from '../lambda/types.js';
import { oversizedHeaders, parseProxyResponse, proxyHeaderPairs, proxyResultToResponse } from './proxy-response.js';
import { Reply } from './reply.js';

const DELIMITER = Buffer.alloc(8);

/**
 * [AMBIGUOUS] A streamed answer whose invocation failed after its prelude went out: the status and some bytes are
 * sent, so the client can only be told by the stream's end. The connection is cut without the last chunk, so that
 * the client sees an incomplete answer (curl: "transfer closed with outstanding read data"), not a complete one.
 */
export class StreamInterrupted extends Error {}

/**
 * Pieces pushed by the invocation, read once by the client's response; ends when the invocation does. A reader that
 * stops (`return()`: the client went away, or asked with HEAD) lets go of it: what is held and what the function
 * still writes is dropped, as the function may run on (on AWS too) and would otherwise fill memory until it ends.
 */
export class ChunkQueue implements AsyncIterable<Uint8Array> {
  private readonly pieces: Uint8Array[] = [];
  private held = 0;
  private ended = false;
  private dropped = false;
  private failure: StreamInterrupted | undefined;
  private wake: (() => void) | undefined;

  /** Ends the stream as failed: what was pushed is read first, then the failure. */
  fail(failure: StreamInterrupted): void {
    this.failure = failure;
    this.end();
  }

  push(piece: Uint8Array): void {
    if (piece.byteLength > 0 && !this.dropped) {
      this.pieces.push(piece);
      this.held += piece.byteLength;
    }
    this.wake?.();
  }

  end(): void {
    this.ended = true;
    this.wake?.();
  }

  /** The bytes pushed and not read yet: what the gateway holds for its client. */
  get heldBytes(): number {
    return this.held;
  }

  /** No one reads on: drops what is held and what comes, and ends a read waiting for the next piece. */
  private drop(): void {
    this.dropped = true;
    this.pieces.length = 0;
    this.held = 0;
    this.wake?.();
  }

  private async next(): Promise<IteratorResult<Uint8Array>> {
    for (;;) {
      if (this.dropped) return { done: true, value: undefined };
      const piece = this.pieces.shift();
      if (piece) {
        this.held -= piece.byteLength;
        return { done: false, value: piece };
      }
      if (this.failure) throw this.failure;
      if (this.ended) return { done: true, value: undefined };
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    return {
      next: () => this.next(),
      return: () => {
        this.drop();
        return Promise.resolve({ done: true, value: undefined });
      },
    };
  }
}

/** What the invocation produced before the client's answer could start. */
export type StreamStart = { kind: 'reply'; reply: Reply } | { kind: 'failed'; outcome: InvokeOutcome } | { kind: 'malformed'; reason: string };

/**
 * Starts the streamed invocation (`invoke` with the chunk callback) and settles once the prelude has arrived, with
 * the client's Reply whose body streams the rest, or when the invocation ended first: with its failure, or as
 * malformed when it ended without a prelude (a function that does not stream, choice). `gatewayHeaders` are those
 * API Gateway adds to every proxy answer. `preludeOptional` (function URLs): a stream that does not start with a
 * JSON object, or ends without a delimiter, is the payload itself, answered 200.
 */
export function startStreamedProxy(invoke: (onChunk: (bytes: Uint8Array) => void) => Promise<InvokeOutcome>, gatewayHeaders: [string, string][], options: { preludeOptional?: boolean } = {}): Promise<StreamStart> {
  return new Promise((resolve) => {
    let head: Buffer | undefined = Buffer.alloc(0);
    const body = new ChunkQueue();
    // A function URL's stream may be the payload alone: no prelude, 200 and the bytes as written.
    const plain = (): void => {
      const headers = new Headers({ 'content-type': 'application/octet-stream' });
      for (const [name, value] of gatewayHeaders) headers.set(name, value);
      body.push(head ?? new Uint8Array());
      head = undefined;
      resolve({ kind: 'reply', reply: new Reply(200, headers, null, body) });
    };
    const onChunk = (bytes: Uint8Array): void => {
      if (head === undefined) return body.push(bytes);
      head = Buffer.concat([head, bytes]);
      // A prelude is a JSON object: a stream that starts otherwise has none.
      if (options.preludeOptional && head.byteLength > 0 && head[0] !== 0x7b) return plain();
      const at = head.indexOf(DELIMITER);
      if (at < 0) return;
      const prelude = head.subarray(0, at).toString('utf8');
      const rest = head.subarray(at + DELIMITER.byteLength);
      head = undefined;
      const reply = preludeReply(prelude, gatewayHeaders, body, options.preludeOptional === true);
      if (typeof reply === 'string') {
        body.end();
        return resolve({ kind: 'malformed', reason: reply });
      }
      body.push(rest);
      resolve({ kind: 'reply', reply });
    };
    invoke(onChunk).then(
      (outcome) => {
        if (head !== undefined) {
          if (outcome.kind !== 'ok') resolve({ kind: 'failed', outcome });
          else if (options.preludeOptional) plain();
          else resolve({ kind: 'malformed', reason: 'the streamed response has no metadata prelude (awslambda.HttpResponseStream.from) before its payload' });
          return body.end();
        }
        if (outcome.kind !== 'ok') body.fail(new StreamInterrupted(`the invocation failed after its answer started: ${outcome.kind}`));
        else body.end();
      },
      (error: unknown) => {
        body.end();
        if (head !== undefined) resolve({ kind: 'malformed', reason: `the Lambda service failed: ${error instanceof Error ? error.message : String(error)}` });
      },
    );
  });
}

/** The prelude as a proxy response's status and headers (cookies as Set-Cookie), or why it is malformed. */
function preludeReply(prelude: string, gatewayHeaders: [string, string][], body: ChunkQueue, lenient: boolean): Reply | string {
  let meta: unknown;
  try {
    meta = JSON.parse(prelude === '' ? '{}' : prelude);
  } catch {
    return `Malformed Lambda proxy response: the streaming prelude is not JSON: ${prelude.slice(0, 200)}`;
  }
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) return 'Malformed Lambda proxy response: the streaming prelude is not a JSON object';
  const { cookies, ...rest } = meta as Record<string, unknown>;
  // A function URL ignores prelude keys it does not know (`{status: 200}` answered 200 with the body, as AWS recorded).
  const known = lenient ? Object.fromEntries(Object.entries(rest).filter(([k]) => ['statusCode', 'headers', 'multiValueHeaders'].includes(k))) : rest;
  const parsed = parseProxyResponse({ statusCode: 200, ...known, body: '' });
  if (!parsed.ok) return parsed.reason;
  const cookieHeaders = (Array.isArray(cookies) ? cookies : []).map((cookie) => ['Set-Cookie', String(cookie)] as const);
  // The cookies count with the headers toward the bound on a function's answer headers (proxy-response.ts).
  const oversized = cookieHeaders.length > 0 ? oversizedHeaders([...proxyHeaderPairs(known), ...cookieHeaders]) : undefined;
  if (oversized) return `Malformed Lambda proxy response: ${oversized}`;
  const head = proxyResultToResponse(parsed.result, false, gatewayHeaders);
  for (const [, cookie] of cookieHeaders) head.headers.append('Set-Cookie', cookie);
  head.headers.delete('content-length');
  return new Reply(head.status, head.headers, null, body);
}
