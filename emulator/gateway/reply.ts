/**
 * The gateway's answer as its pipeline builds it: a status, Fetch `Headers` and the body as text or bytes.
 * Why not a Fetch Response on the way through: on Node 20 every Response builds a body stream (about 30 µs a
 * request, a tenth of the gateway's own time on a trivial route), and nothing between the integration and the
 * socket reads the body as a stream. `Gateway.fetch` makes the standard Response at the edge (`fetchResponse`);
 * the node:http adapter writes a Reply as it is.
 */
import type { Gateway } from './types.js';
import { fetchResponse } from './wire-headers.js';

/** Text is sent as UTF-8; null is no body at all (204, 304, a preflight). */
export type ReplyBody = string | Uint8Array<ArrayBuffer> | null;

/** What the gateway answers (status, headers, body), before the node:http adapter or fetch Response writes it. */
export class Reply {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: ReplyBody = null,
    /** A body sent as it is produced (a streamed integration response); `body` is then null. */
    readonly stream?: AsyncIterable<Uint8Array>,
  ) {}

  /** The body's bytes as they go on the wire (a view, not a copy, when the body is bytes). */
  bytes(): Buffer<ArrayBuffer> {
    const body = this.body;
    if (body === null) return Buffer.alloc(0);
    if (typeof body === 'string') return Buffer.from(body);
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  }

  text(): string {
    return typeof this.body === 'string' ? this.body : this.bytes().toString('utf8');
  }

  json(): unknown {
    return JSON.parse(this.text());
  }
}

/** The whole body of a Reply, a streamed one read to its end. */
export async function wholeBody(reply: Reply): Promise<Buffer> {
  if (!reply.stream) return reply.bytes();
  const chunks: Uint8Array[] = [];
  for await (const chunk of reply.stream) chunks.push(chunk);
  return Buffer.concat(chunks);
}

/** `Gateway.fetch` from `Gateway.respond`: the same pipeline, its Reply made a standard Response. */
export function fetchFrom(respond: Gateway['respond']): Gateway['fetch'] {
  return async (request, connection) => fetchResponse(await respond(request, connection));
}
