/**
 * A streamed answer (responseTransferMode STREAM, Reply.stream) written at the client's pace: each chunk the socket
 * cannot take at once waits for `drain` (or the client going away), and what it waited with is gone once it is over.
 * A client that reads no more of it (gone mid-stream, or asking with HEAD) has nothing held for it.
 */
import { get, request, type ServerResponse } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { serveGateway } from '../../emulator/server.js';
import { startStreamedProxy, type ChunkQueue } from '../../emulator/gateway/proxy-stream.js';
import type { InvokeOutcome } from '../../emulator/lambda/types.js';
import { fetchFrom, Reply } from '../../emulator/gateway/reply.js';
import type { Gateway } from '../../emulator/gateway/types.js';

/** Chunks larger than the response's buffer: every write of one waits for drain. */
const CHUNK = 256 * 1024;
const CHUNKS = 24;

async function* chunks(): AsyncIterable<Uint8Array> {
  for (let i = 0; i < CHUNKS; i += 1) yield new Uint8Array(CHUNK).fill(97 + (i % 26));
}

/** FAKE gateway: every request is answered with the stream above. */
const respond: Gateway['respond'] = async () => new Reply(200, new Headers({ 'content-type': 'application/octet-stream' }), null, chunks());
const served = await serveGateway({ routes: [], support: [], respond, fetch: fetchFrom(respond) }, 0);
afterAll(() => served.close());

/** The answer's byte count, read as it comes. */
const download = (): Promise<number> =>
  new Promise((resolve, reject) => {
    get({ host: '127.0.0.1', port: served.port, path: '/stream' }, (res) => {
      let bytes = 0;
      res.on('data', (chunk: Buffer) => (bytes += chunk.byteLength));
      res.once('end', () => resolve(bytes));
      res.once('error', reject);
    }).once('error', reject);
  });

describe('a streamed answer that waits for drain chunk after chunk', () => {
  it('arrives whole, and leaves no listener behind per chunk (no MaxListenersExceededWarning for close or drain)', async () => {
    // Prepare
    const warnings: Error[] = [];
    const onWarning = (warning: Error) => warnings.push(warning);
    process.on('warning', onWarning);

    // Act
    const bytes = await download();
    // Warnings are emitted on the next tick of the process that added the listener.
    await new Promise<void>((resolve) => setImmediate(resolve));
    process.off('warning', onWarning);

    // Assess
    expect(bytes).toBe(CHUNK * CHUNKS);
    expect(warnings.filter((w) => w.name === 'MaxListenersExceededWarning').map((w) => w.message)).toEqual([]);
  });
});

/** A function streaming through startStreamedProxy, its pieces pushed by the test; it ends when the test says. */
function streamingFunction() {
  let push: (bytes: Uint8Array) => void = () => undefined;
  let finish: () => void = () => undefined;
  const ended = new Promise<InvokeOutcome>((resolve) => (finish = () => resolve({ kind: 'ok', payload: undefined, cold: false, durationMs: 1 })));
  const started = startStreamedProxy((onChunk) => {
    push = onChunk;
    onChunk(Buffer.concat([Buffer.from('{"statusCode":200}'), Buffer.alloc(8), Buffer.from('first')]));
    return ended;
  }, []);
  return { started, push: (bytes: Uint8Array) => push(bytes), finish: () => finish() };
}

/** A gateway answering each request with a fresh streaming function's answer; `latest` is that function and its queue. */
async function streamingGateway() {
  const latest: { fn?: ReturnType<typeof streamingFunction>; queue?: ChunkQueue } = {};
  const respond: Gateway['respond'] = async () => {
    latest.fn = streamingFunction();
    const start = await latest.fn.started;
    if (start.kind !== 'reply') throw new Error(`the stream did not start: ${start.kind}`);
    latest.queue = start.reply.stream as ChunkQueue;
    return start.reply;
  };
  const served = await serveGateway({ routes: [], support: [], respond, fetch: fetchFrom(respond) }, 0);
  return { served, latest };
}

/** What the function writes once the client reads no more: 200 pieces of 64 KiB (12.5 MiB). */
const LATE_PIECES = 200;
const LATE_PIECE = 64 * 1024;

describe('a streamed answer the client reads no more of', () => {
  it('a client gone mid-stream: what the function writes after is dropped, not held until it ends, and the answer leaves no listener', async () => {
    // Prepare
    const { served, latest } = await streamingGateway();
    const responses: ServerResponse[] = [];
    served.server.on('request', (_req, res: ServerResponse) => responses.push(res));
    const serverClosed = new Promise<void>((resolve) => served.server.once('request', (_req, res: ServerResponse) => res.once('close', () => resolve())));

    let noticed = false;
    void serverClosed.then(() => (noticed = true));

    // Act: the client reads the first piece and goes away; the function writes on, then ends.
    const client = request({ host: '127.0.0.1', port: served.port, path: '/stream' }, (res) => res.once('data', () => client.destroy()));
    client.once('error', () => undefined).end();
    // The gateway (its connection half-open, httpAllowHalfOpen) learns the client is gone when a write to it fails:
    // the function writes a piece a turn until then. The check runs once every listener of the 'close' has.
    while (!noticed) {
      latest.fn?.push(new Uint8Array(LATE_PIECE));
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    for (let i = 0; i < LATE_PIECES; i += 1) latest.fn?.push(new Uint8Array(LATE_PIECE));
    const held = latest.queue?.heldBytes;
    latest.fn?.finish();
    await new Promise<void>((resolve) => setImmediate(resolve));
    await served.close();

    // Assess
    expect(held).toBe(0);
    const [res] = responses as [ServerResponse];
    expect([res.listenerCount('close'), res.listenerCount('drain')]).toEqual([0, 0]);
  });

  it('a HEAD: the head is sent and no body is held while the function writes on', async () => {
    // Prepare
    const { served, latest } = await streamingGateway();

    // Act
    const status = await new Promise<number>((resolve, reject) => {
      const client = request({ host: '127.0.0.1', port: served.port, path: '/stream', method: 'HEAD' }, (res) => {
        res.resume();
        res.once('end', () => resolve(res.statusCode ?? 0));
      });
      client.once('error', reject).end();
    });
    for (let i = 0; i < LATE_PIECES; i += 1) latest.fn?.push(new Uint8Array(LATE_PIECE));
    const held = latest.queue?.heldBytes;
    latest.fn?.finish();
    await served.close();

    // Assess
    expect([status, held]).toEqual([200, 0]);
  });
});
