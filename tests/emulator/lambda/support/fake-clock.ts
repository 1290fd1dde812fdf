/** A fake LambdaClock the test moves by hand: no test waits on real time for a limit to pass. */
import type { LambdaClock } from '../../../../emulator/lambda/clock.js';

interface Timer {
  at: number;
  ms: number;
  fn: () => void;
}

export class FakeClock implements LambdaClock {
  private wallMs = 0;
  private waitMs = 0;
  private timers: Timer[] = [];
  private watchers: { ms: number; count: number; resolve: () => void }[] = [];

  now(): number {
    return this.wallMs;
  }

  after(ms: number, fn: () => void): () => void {
    const timer = { at: this.wallMs + ms, ms, fn };
    this.timers.push(timer);
    this.notify();
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  }

  cpuWaitMs(): number {
    return this.waitMs;
  }

  /** Resolves once `count` timers of `ms` are armed (an invocation or an init has reached its limit check). */
  armed(ms: number, count = 1): Promise<void> {
    return new Promise((resolve) => {
      this.watchers.push({ ms, count, resolve });
      this.notify();
    });
  }

  /** Moves wall time on by `ms`, of which `waitingForCpuMs` the environments spent waiting for a CPU; fires due timers. */
  advance(ms: number, waitingForCpuMs = 0): void {
    this.wallMs += ms;
    this.waitMs += waitingForCpuMs;
    for (;;) {
      const due = this.timers.filter((t) => t.at <= this.wallMs).sort((a, b) => a.at - b.at)[0];
      if (!due) return;
      this.timers = this.timers.filter((t) => t !== due);
      due.fn();
    }
  }

  private notify(): void {
    this.watchers = this.watchers.filter((w) => {
      const done = this.timers.filter((t) => t.ms === w.ms).length >= w.count;
      if (done) w.resolve();
      return !done;
    });
  }
}
