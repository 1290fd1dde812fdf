/**
 * API Gateway's WebSocket frame quota (Developer Guide, "Quotas for configuring and running a WebSocket API"): a
 * frame carries at most 32 KB, a message at most 128 KB; "if a larger message (or larger frame size) is received, the
 * connection is closed with code 1009". The `ws` library has one limit for both, so the frames a client sends are
 * measured here, from their headers (RFC 6455 5.2), before `ws` reads them; and what API Gateway sends is cut into
 * frames of at most 32 KB, as the quota says it does for @connections posts.
 */
import type { WebSocket } from 'ws';

/** The largest frame payload a WebSocket API takes or sends: 32 KB. */
export const MAX_FRAME_BYTES = 32 * 1024;

/**
 * A reader of the bytes a client sends, chunk by chunk as they arrive: calls `onOversize` once, at the header of the
 * first frame whose payload is over `limit`. Only headers are parsed; payloads are skipped, however they are split.
 */
export function frameSizeWatch(limit: number, onOversize: (payloadLength: number) => void): (chunk: Buffer) => void {
  let header = Buffer.alloc(0);
  let skip = 0;
  let tripped = false;
  return (chunk) => {
    let at = 0;
    while (!tripped && at < chunk.length) {
      if (skip > 0) {
        const n = Math.min(skip, chunk.length - at);
        skip -= n;
        at += n;
        continue;
      }
      // Collect a whole header (2 to 14 bytes) before reading it: a chunk may end anywhere.
      const want = header.length < 2 ? 2 : headerLength(header);
      if (header.length < want) {
        const n = Math.min(want - header.length, chunk.length - at);
        header = Buffer.concat([header, chunk.subarray(at, at + n)]);
        at += n;
        if (header.length < 2 || header.length < headerLength(header)) continue;
      }
      const length = payloadLength(header);
      header = Buffer.alloc(0);
      if (length > limit) {
        tripped = true;
        onOversize(length);
        return;
      }
      skip = length;
    }
  };
}

/** Bytes of a frame header from its first two bytes: the extended length (16 or 64 bits) and the mask key. */
function headerLength(first: Buffer): number {
  const len7 = first[1]! & 0x7f;
  const masked = (first[1]! & 0x80) !== 0;
  return 2 + (len7 === 126 ? 2 : len7 === 127 ? 8 : 0) + (masked ? 4 : 0);
}

function payloadLength(header: Buffer): number {
  const len7 = header[1]! & 0x7f;
  if (len7 === 126) return header.readUInt16BE(2);
  // A 64-bit length past 2^53 is as oversize as any: read as a double, it stays above every limit.
  if (len7 === 127) return header.readUInt32BE(2) * 2 ** 32 + header.readUInt32BE(6);
  return len7;
}

/** Send a message as API Gateway does: in frames of at most 32 KB (continuation frames after the first). */
export function sendInFrames(socket: WebSocket, data: string | Buffer, binary: boolean): void {
  if (socket.readyState !== socket.OPEN) return;
  const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
  if (bytes.length <= MAX_FRAME_BYTES) return void socket.send(bytes, { binary });
  for (let at = 0; at < bytes.length; at += MAX_FRAME_BYTES) {
    socket.send(bytes.subarray(at, at + MAX_FRAME_BYTES), { binary, fin: at + MAX_FRAME_BYTES >= bytes.length });
  }
}
