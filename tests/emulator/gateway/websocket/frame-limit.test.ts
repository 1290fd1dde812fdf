/**
 * WebSocket frame quota (emulator/gateway/websocket/frame-limit.ts; Developer Guide, "Quotas for configuring and
 * running a WebSocket API": frames of at most 32 KB, a larger one closes the connection with 1009, and what API
 * Gateway sends is split into frames of at most 32 KB): the frame-header reader on what a client sends, and the
 * sender, on a real `ws` server and a raw TCP client that reads the frames it gets.
 */
import { connect, type Socket } from 'node:net';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { frameSizeWatch, MAX_FRAME_BYTES, sendInFrames } from '../../../../emulator/gateway/websocket/frame-limit.js';
import { serverFrames } from './support.js';

/** A frame header as a client writes it (masked unless told otherwise): FIN, opcode, the length in its shortest form. */
function header(length: number, { masked = true, opcode = 0x1, fin = true } = {}): Buffer {
  const first = (fin ? 0x80 : 0) | opcode;
  const mask = masked ? Buffer.from([1, 2, 3, 4]) : Buffer.alloc(0);
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) return Buffer.concat([Buffer.from([first, maskBit | length]), mask]);
  if (length < 65_536) {
    const ext = Buffer.alloc(2);
    ext.writeUInt16BE(length);
    return Buffer.concat([Buffer.from([first, maskBit | 126]), ext, mask]);
  }
  const ext = Buffer.alloc(8);
  ext.writeUInt32BE(Math.floor(length / 2 ** 32));
  ext.writeUInt32BE(length % 2 ** 32, 4);
  return Buffer.concat([Buffer.from([first, maskBit | 127]), ext, mask]);
}

const frame = (length: number, options?: Parameters<typeof header>[1]) => Buffer.concat([header(length, options), Buffer.alloc(length, 0x61)]);

/** Feed `bytes` in chunks of `size` bytes; the payload lengths the watch reported. */
function watch(bytes: Buffer, size: number, limit = MAX_FRAME_BYTES): number[] {
  const tripped: number[] = [];
  const feed = frameSizeWatch(limit, (length) => tripped.push(length));
  for (let at = 0; at < bytes.length; at += size) feed(bytes.subarray(at, at + size));
  return tripped;
}

describe('frameSizeWatch: the frames a client sends, measured from their headers', () => {
  describe.each([
    { chunking: 'whole', size: Number.MAX_SAFE_INTEGER },
    { chunking: 'byte by byte', size: 1 },
    { chunking: 'in 7-byte pieces', size: 7 },
  ])('bytes arriving $chunking', ({ size }) => {
    it.each([
      { given: 'a 7-bit length (125 bytes)', bytes: () => frame(125), want: [] },
      { given: 'a 16-bit length at the limit (32768 bytes)', bytes: () => frame(32_768), want: [] },
      { given: 'a 16-bit length one over the limit (32769 bytes)', bytes: () => frame(32_769), want: [32_769] },
      { given: 'a 64-bit length (70000 bytes)', bytes: () => frame(70_000), want: [70_000] },
      { given: 'an unmasked frame over the limit', bytes: () => frame(40_000, { masked: false }), want: [40_000] },
      { given: 'frames at the limit, then a continuation frame over it', bytes: () => Buffer.concat([frame(32_768, { fin: false }), frame(100), frame(32_770, { opcode: 0 })]), want: [32_770] },
      { given: 'a 64-bit length past 2^53 (header only)', bytes: () => Buffer.from([0x82, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4]), want: [2 ** 64 - 1] },
      { given: 'a close frame and a ping between data frames', bytes: () => Buffer.concat([frame(10), frame(2, { opcode: 0x9 }), frame(32_768), frame(2, { opcode: 0x8 })]), want: [] },
    ])('WS fact 11 (32 KB frames): $given → $want', ({ bytes, want }) => {
      expect(watch(bytes(), size)).toEqual(want);
    });
  });

  it('reports once, at the first oversize frame, and reads nothing after it', () => {
    // Prepare
    const bytes = Buffer.concat([frame(5), frame(33_000), frame(34_000)]);

    // Act
    const tripped = watch(bytes, 1000);

    // Assess
    expect(tripped).toEqual([33_000]);
  });

  it('counts a payload split across many chunks as one frame', () => {
    // Prepare: one frame at the limit whose payload arrives in 1-byte pieces, then a small frame.
    const bytes = Buffer.concat([frame(MAX_FRAME_BYTES), frame(3)]);

    // Act / Assess
    expect(watch(bytes, 1)).toEqual([]);
    expect(watch(bytes, 1, MAX_FRAME_BYTES - 1)).toEqual([MAX_FRAME_BYTES]);
  });
});

describe('sendInFrames: what API Gateway sends, in frames of at most 32 KB', () => {
  let server: WebSocketServer | undefined;
  let client: Socket | undefined;
  afterEach(async () => {
    client?.destroy();
    if (server) await new Promise((resolve) => server!.close(resolve));
    server = undefined;
  });

  /** Send `data` from a ws server to a raw client; the bytes the client got once the server closed (1000). */
  async function received(data: string | Buffer, binary: boolean): Promise<Buffer> {
    server = new WebSocketServer({ port: 0, host: '127.0.0.1' });
    await once(server, 'listening');
    const { port } = server.address() as { port: number };
    server.once('connection', (ws: WebSocket) => {
      sendInFrames(ws, data, binary);
      ws.close(1000);
    });
    const socket = connect(port, '127.0.0.1');
    client = socket;
    const chunks: Buffer[] = [];
    socket.on('data', (chunk: Buffer) => chunks.push(chunk));
    await once(socket, 'connect');
    socket.write(['GET / HTTP/1.1', `Host: 127.0.0.1:${port}`, 'Upgrade: websocket', 'Connection: Upgrade', `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`, 'Sec-WebSocket-Version: 13', '', ''].join('\r\n'));
    // The server's close frame is the last thing it writes: read until it is there.
    for (;;) {
      const frames = Buffer.concat(chunks).includes('\r\n\r\n') ? serverFrames(Buffer.concat(chunks)) : [];
      if (frames.at(-1)?.opcode === 0x8) return Buffer.concat(chunks);
      await once(socket, 'data');
    }
  }

  it.each([
    { given: 'a 100 KB text message', data: 'x'.repeat(100 * 1024), binary: false, want: [{ opcode: 1, fin: false, length: 32_768 }, { opcode: 0, fin: false, length: 32_768 }, { opcode: 0, fin: false, length: 32_768 }, { opcode: 0, fin: true, length: 4096 }] },
    { given: 'a 40000-byte binary message', data: Buffer.alloc(40_000, 7), binary: true, want: [{ opcode: 2, fin: false, length: 32_768 }, { opcode: 0, fin: true, length: 7232 }] },
    { given: 'a message of exactly 32 KB', data: 'y'.repeat(32_768), binary: false, want: [{ opcode: 1, fin: true, length: 32_768 }] },
    { given: 'a small message', data: 'hello', binary: false, want: [{ opcode: 1, fin: true, length: 5 }] },
  ])('WS fact 11 (32 KB frames): $given', async ({ data, binary, want }) => {
    // Act
    const bytes = await received(data, binary);

    // Assess: the data frames, then the close frame.
    const frames = serverFrames(bytes);
    expect(frames.slice(0, -1)).toEqual(want);
    expect(frames.at(-1)?.opcode).toBe(0x8);
  });

  it('splits text at byte boundaries: the fragments together are the message, multi-byte characters included', async () => {
    // Prepare: 20000 three-byte characters (60000 bytes): the first fragment ends inside one.
    const text = '€'.repeat(20_000);

    // Act
    const bytes = await received(text, false);

    // Assess
    const frames = serverFrames(bytes);
    expect(frames.slice(0, -1).map((f) => f.length)).toEqual([32_768, 60_000 - 32_768]);
    let at = bytes.indexOf('\r\n\r\n') + 4;
    const payload: Buffer[] = [];
    for (const f of frames.slice(0, -1)) {
      const ext = f.length >= 126 ? (f.length < 65_536 ? 2 : 8) : 0;
      payload.push(bytes.subarray(at + 2 + ext, at + 2 + ext + f.length));
      at += 2 + ext + f.length;
    }
    expect(Buffer.concat(payload).toString('utf8')).toBe(text);
  });
});
