/**
 * The one clock behind every time-dependent limit (token buckets, quota periods, cache TTLs, WAF rate windows),
 * so that tests drive time instead of sleeping.
 */

/** Milliseconds since the epoch, like Date.now(). */
export interface Clock {
  now(): number;
}

/** Wall-clock time: what the emulator uses when it serves requests. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that moves only when told to (tests, demos): `advance(ms)` or `set(epochMs)`. */
export class ManualClock implements Clock {
  constructor(private current: number = Date.UTC(2026, 0, 1)) {}

  now(): number {
    return this.current;
  }

  advance(ms: number): void {
    if (!Number.isFinite(ms) || ms < 0) throw new RangeError(`ManualClock.advance: expected ms >= 0, got ${ms}`);
    this.current += ms;
  }

  set(epochMs: number): void {
    this.current = epochMs;
  }
}
