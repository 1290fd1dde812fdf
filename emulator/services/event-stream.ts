/**
 * AWS's event stream encoding (application/vnd.amazon.eventstream), what the SDKs read an event-stream response with
 * (InvokeWithResponseStream): each message is its total and headers lengths with their CRC32, the headers, the
 * payload and the message's CRC32, all big-endian.
 */
import { crc32 } from 'node:zlib';

/** The header value type of a string (the encoding's type 7). */
const STRING = 7;

/** One event message: `:message-type` event, its `:event-type` and `:content-type`, and its payload. */
export function eventMessage(eventType: string, contentType: string, payload: Uint8Array): Buffer {
  const headers = Buffer.concat(
    Object.entries({ ':event-type': eventType, ':content-type': contentType, ':message-type': 'event' }).map(([name, value]) => {
      const nameBytes = Buffer.from(name);
      const valueBytes = Buffer.from(value);
      const head = Buffer.alloc(1 + nameBytes.byteLength + 3);
      head.writeUInt8(nameBytes.byteLength, 0);
      nameBytes.copy(head, 1);
      head.writeUInt8(STRING, 1 + nameBytes.byteLength);
      head.writeUInt16BE(valueBytes.byteLength, 2 + nameBytes.byteLength);
      return Buffer.concat([head, valueBytes]);
    }),
  );
  const total = 12 + headers.byteLength + payload.byteLength + 4;
  const message = Buffer.alloc(total);
  message.writeUInt32BE(total, 0);
  message.writeUInt32BE(headers.byteLength, 4);
  message.writeUInt32BE(crc32(message.subarray(0, 8)), 8);
  headers.copy(message, 12);
  Buffer.from(payload.buffer, payload.byteOffset, payload.byteLength).copy(message, 12 + headers.byteLength);
  message.writeUInt32BE(crc32(message.subarray(0, total - 4)), total - 4);
  return message;
}
