/** Random request and trace ids, drawn from one batch of CSPRNG bytes rather than one call into it per id. */
import { randomBytes } from 'node:crypto';

const BATCH_BYTES = 4096;
let pool = Buffer.alloc(0);
let offset = 0;

/** `bytes` fresh random bytes, as text in `encoding` (e.g. 12 hex bytes of an X-Ray trace root, R1.26). */
export function randomText(bytes: number, encoding: 'hex' | 'base64'): string {
  if (offset + bytes > pool.length) {
    pool = randomBytes(Math.max(BATCH_BYTES, bytes));
    offset = 0;
  }
  offset += bytes;
  return pool.toString(encoding, offset - bytes, offset);
}
