/**
 * The X-Ray trace id Lambda gives each invocation (`_X_AMZN_TRACE_ID`, the runtime API's Lambda-Runtime-Trace-Id):
 * the caller's Root and Sampled when it traced the request (API Gateway passes its X-Amzn-Trace-Id on), a new Root
 * otherwise, and a Parent of Lambda's own (the function's segment). The X-Ray SDK and Powertools Tracer read it; the
 * X-Ray SDK refuses to record without it.
 */
import { randomFillSync } from 'node:crypto';

/**
 * Random hex from a pool refilled 4 KB at a time: one synchronous randomBytes call per invocation cost about 2% of the
 * gateway's main thread under load (a profile of the bench's trivial route). Trace ids need no more than that.
 */
const pool = Buffer.alloc(4096);
let offset = pool.length;
function randomHex(bytes: number): string {
  if (offset + bytes > pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  offset += bytes;
  return pool.toString('hex', offset - bytes, offset);
}

const ROOT = /(?:^|;)\s*Root=(1-[0-9a-f]{8}-[0-9a-f]{24})\s*(?:;|$)/i;
const SAMPLED = /(?:^|;)\s*Sampled=([01])\s*(?:;|$)/;

/** Lambda's `_X_AMZN_TRACE_ID` for one invocation: `Root=...;Parent=<16 hex>;Sampled=<0|1>`. */
export function invocationTraceId(callerHeader: string | undefined, nowMs: number): string {
  const root = callerHeader ? ROOT.exec(callerHeader)?.[1] : undefined;
  const sampled = (root && callerHeader ? SAMPLED.exec(callerHeader)?.[1] : undefined) ?? '0';
  const ownRoot = `1-${Math.floor(nowMs / 1000).toString(16).padStart(8, '0')}-${randomHex(12)}`;
  return `Root=${root ?? ownRoot};Parent=${randomHex(8)};Sampled=${sampled}`;
}
