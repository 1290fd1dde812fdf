/** ULID task ids: 48-bit millisecond time + 80 random bits, Crockford base32, so ids sort by creation time. */
import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

let lastTime = -1;
let lastRandom: bigint = 0n;

function encode(value: bigint, length: number): string {
  let out = '';
  for (let i = 0; i < length; i += 1) {
    out = ALPHABET[Number(value & 31n)] + out;
    value >>= 5n;
  }
  return out;
}

/**
 * A new ULID. Within one millisecond the random part is incremented (monotonic ULID), so ids
 * created by this process always sort in creation order, even several per millisecond.
 */
export function newId(now: number = Date.now()): string {
  if (now <= lastTime) {
    lastRandom = (lastRandom + 1n) & ((1n << 80n) - 1n);
    now = lastTime;
  } else {
    lastTime = now;
    lastRandom = BigInt(`0x${randomBytes(10).toString('hex')}`);
  }
  return encode(BigInt(now), 10) + encode(lastRandom, 16);
}

/** The creation time encoded in a ULID. */
export function idTime(id: string): number {
  let value = 0;
  for (const ch of id.slice(0, 10)) value = value * 32 + ALPHABET.indexOf(ch);
  return value;
}
