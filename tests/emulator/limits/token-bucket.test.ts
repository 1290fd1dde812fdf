import { describe, expect, it } from 'vitest';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { TokenBucket } from '../../../emulator/limits/token-bucket.js';

/** Sends `n` requests at the clock's current instant; returns how many got a token. */
function burst(bucket: TokenBucket, clock: ManualClock, n: number): number {
  let accepted = 0;
  for (let i = 0; i < n; i++) {
    if (bucket.hasToken(clock.now())) {
      bucket.take();
      accepted++;
    }
  }
  return accepted;
}

describe('R6.8 token bucket', () => {
  it.each([
    { name: 'a full bucket admits exactly burst requests at once', limit: { rate: 50, burst: 100 }, sent: 150, want: 100 },
    { name: 'burst 1 admits one of two immediate requests (A15)', limit: { rate: 10, burst: 1 }, sent: 2, want: 1 },
    { name: 'rate 0 and burst 0 throttle every request', limit: { rate: 0, burst: 0 }, sent: 5, want: 0 },
    { name: 'fewer requests than burst are all admitted', limit: { rate: 1, burst: 10 }, sent: 9, want: 9 },
  ])('R6.8 $name', ({ limit, sent, want }) => {
    const clock = new ManualClock();
    expect(burst(new TokenBucket(limit, clock.now()), clock, sent)).toBe(want);
  });

  it.each([
    { name: 'an empty bucket gains rate tokens a second', waitMs: 1000, want: 50 },
    { name: 'half a second gives half the rate', waitMs: 500, want: 25 },
    { name: 'refill never exceeds burst', waitMs: 60_000, want: 100 },
    { name: 'less than one token worth of time gives nothing', waitMs: 19, want: 0 },
  ])('R6.8 $name', ({ waitMs, want }) => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ rate: 50, burst: 100 }, clock.now());
    expect(burst(bucket, clock, 100)).toBe(100);
    clock.advance(waitMs);
    expect(burst(bucket, clock, 1000)).toBe(want);
  });

  it('R6.8 a client at twice the rate is admitted at the rate once the burst is spent', () => {
    const clock = new ManualClock();
    const bucket = new TokenBucket({ rate: 50, burst: 100 }, clock.now());
    let accepted = 0;
    // 100 requests a second for 10 s, one every 10 ms.
    for (let i = 0; i < 1000; i++) {
      accepted += burst(bucket, clock, 1);
      clock.advance(10);
    }
    // burst + rate × the 9.99 s between the first and the last request.
    expect(accepted).toBe(Math.floor(100 + 50 * 9.99));
  });

  it('R6.8 a clock that moves backwards adds no tokens and removes none', () => {
    const clock = new ManualClock(10_000);
    const bucket = new TokenBucket({ rate: 1, burst: 2 }, clock.now());
    expect(burst(bucket, clock, 1)).toBe(1);
    clock.set(5_000);
    expect(burst(bucket, clock, 5)).toBe(1);
  });
});
