/**
 * A streamed answer (responseTransferMode STREAM, Reply.stream) written at the client's pace: each chunk the socket
 * cannot take at once waits for `drain` (or the client going away), and what it waited with is gone once it is over.
 */
import { get } from 'node:http';
import { afterAll, describe, expect, it } from 'vitest';
import { serveGateway } from '../../emulator/server.js';
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
