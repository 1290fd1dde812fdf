/**
 * A scheduler tests drive instead of time: `after` records timers (the `after(ms, fn)` the Step Functions interpreter
 * and service take), `advance` fires the due ones in order, `runAll` every one until none is left.
 */

/** Lets every pending promise continuation run (a macrotask: the microtask queue drains before it). */
export const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export class FakeScheduler {
  private seq = 0;
  private timers: { at: number; seq: number; fn: () => void }[] = [];

  constructor(public current: number) {}

  readonly now = (): number => this.current;

  readonly after = (ms: number, fn: () => void): (() => void) => {
    const timer = { at: this.current + ms, seq: this.seq++, fn };
    this.timers.push(timer);
    return () => {
      this.timers = this.timers.filter((t) => t !== timer);
    };
  };

  /** Timers still waiting. */
  get pending(): number {
    return this.timers.length;
  }

  async advance(ms: number): Promise<void> {
    const target = this.current + ms;
    for (;;) {
      await settle();
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.current = due.at;
      due.fn();
    }
    this.current = target;
    await settle();
  }

  /** Fires every timer, in order, until none is left (bounded). */
  async runAll(): Promise<void> {
    for (let i = 0; i < 1000; i++) {
      await settle();
      const next = [...this.timers].sort((a, b) => a.at - b.at || a.seq - b.seq)[0];
      if (!next) return;
      await this.advance(next.at - this.current);
    }
    throw new Error('timers kept coming');
  }
}
