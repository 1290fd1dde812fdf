import { describe, expect, it } from 'vitest';
import { enforceLimit, OwnTime, systemClock } from '../../../emulator/lambda/clock.js';
import { FakeClock } from './support/fake-clock.js';

describe("Lambda limits count the environment's own time, not the machine's load", () => {
  it.each([
    { given: 'an idle machine: the limit passes with the wall clock', advances: [[1000, 0]], wantExpiredAt: 1000 },
    { given: 'a loaded machine: time waiting for a CPU does not count', advances: [[1000, 600], [600, 0]], wantExpiredAt: 1000 },
    { given: 'a loaded machine: still short of the limit after 1.5 s of wall time', advances: [[1000, 600], [500, 0]], wantExpiredAt: undefined },
    { given: 'a sleeping function accrues its time as on AWS (no CPU wait)', advances: [[400, 0], [400, 0], [200, 0]], wantExpiredAt: 1000 },
  ])('$given', ({ advances, wantExpiredAt }) => {
    const clock = new FakeClock();
    const own = new OwnTime(clock, 1234);
    let expiredAt: number | undefined;

    enforceLimit(clock, own, 1000, (elapsed) => (expiredAt = elapsed));
    for (const [ms, waiting] of advances) clock.advance(ms!, waiting);

    expect(expiredAt).toBe(wantExpiredAt);
  });

  it('cancelling stops the check', () => {
    const clock = new FakeClock();
    let expired = false;

    const cancel = enforceLimit(clock, new OwnTime(clock, 1), 100, () => (expired = true));
    cancel();
    clock.advance(1000);

    expect(expired).toBe(false);
  });

  it('the system clock reads the run-queue wait of a live process from /proc', () => {
    const first = systemClock.cpuWaitMs(process.pid);

    expect(first).toBeGreaterThanOrEqual(0);
    expect(systemClock.cpuWaitMs(process.pid)).toBeGreaterThanOrEqual(first);
    expect(systemClock.cpuWaitMs(2 ** 30)).toBe(0);
  });
});
