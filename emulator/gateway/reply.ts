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

export class Reply {
  constructor(
    readonly status: number,
    readonly headers: Headers,
    readonly body: ReplyBody = null,
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

/** `Gateway.fetch` from `Gateway.respond`: the same pipeline, its Reply made a standard Response. */
export function fetchFrom(respond: Gateway['respond']): Gateway['fetch'] {
  return async (request, connection) => fetchResponse(await respond(request, connection));
}
