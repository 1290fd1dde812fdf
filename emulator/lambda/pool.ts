/**
 * Warm execution environments of one function: reuse idle ones, grow under concurrency up to a cap, and past it, as
 * Lambda scales out, for a call that has waited long for one (a slow function's concurrent calls).
 */
import { availableParallelism } from 'node:os';
import type { LambdaClock } from './clock.js';
import type { ExecutionEnvironment } from './environment-process.js';

export interface Lease {
  env: ExecutionEnvironment;
  cold: boolean;
}

/** The caller's deadline passed while it waited for a free execution environment. */
export class QueueTimeout extends Error {
  constructor() {
    super('no execution environment became free before the deadline');
    this.name = 'QueueTimeout';
  }
}

interface Waiter {
  resolve(lease: Lease): void;
  reject(reason: unknown): void;
}

/**
 * Past the pool's size, Lambda starts an environment for every concurrent call; locally one more starts for a call
 * that has waited `afterMs` for a free one, up to `ceiling` environments, and each leaves again when it has no call
 * waiting. Quick calls are served by the pool's own environments (more would only contend for the cores); slow
 * calls run side by side instead of queueing into the integration timeout.
 */
export interface ScaleOut {
  ceiling: number;
  afterMs: number;
}

export class FunctionPool {
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waiters: Waiter[] = [];
  private closed = false;
  /** An exclusive pool's discarded environments until their processes have exited. */
  private readonly ending = new Set<Promise<void>>();
  /** Bumped when the code is rebuilt: environments of an older generation are retired. */
  generation = 0;

  constructor(
    private readonly create: (generation: number) => ExecutionEnvironment,
    private readonly maxSize: number,
    private readonly clock: LambdaClock,
    private readonly scaleOut?: ScaleOut,
    /**
     * One process at a time (the function under a debugger: one inspector port): a new environment starts once the
     * ones discarded have exited, as beside them its inspector could not bind the port.
     */
    private readonly settings: { exclusive?: boolean } = {},
  ) {}

  /**
   * A warm idle environment if any (most recently used first, as Lambda tends to), else a new one,
   * else wait in line, for at most `maxWaitMs` (the caller's deadline): then it rejects with QueueTimeout.
   */
  acquire(maxWaitMs?: number): Promise<Lease> | Lease {
    if (this.closed) return Promise.reject(new Error('the function pool is closed'));
    for (let env = this.idle.pop(); env; env = this.idle.pop()) {
      if (!env.dead && env.generation === this.generation) return { env, cold: false };
      this.discard(env);
    }
    if (this.all.size < this.maxSize) return this.ending.size === 0 ? { env: this.spawn(), cold: true } : this.afterEnding().then(() => this.acquire(maxWaitMs));
    return new Promise((resolve, reject) => {
      const cancel = maxWaitMs === undefined ? () => undefined : this.clock.after(maxWaitMs, () => waiter.reject(new QueueTimeout()));
      const cancelScaleOut = this.scaleOut ? this.clock.after(this.scaleOut.afterMs, () => this.startOneFor(waiter)) : () => undefined;
      const waiter: Waiter = {
        resolve: (lease) => {
          cancel();
          cancelScaleOut();
          resolve(lease);
        },
        reject: (reason) => {
          cancel();
          cancelScaleOut();
          const index = this.waiters.indexOf(waiter);
          if (index >= 0) this.waiters.splice(index, 1);
          reject(reason);
        },
      };
      this.waiters.push(waiter);
    });
  }

  release(env: ExecutionEnvironment): void {
    if (env.dead || env.generation !== this.generation) {
      this.discard(env);
      const waiter = this.waiters.shift();
      if (!waiter) return;
      if (this.ending.size === 0) waiter.resolve({ env: this.spawn(), cold: true });
      else void this.afterEnding().then(() => (this.closed ? waiter.reject(new Error('the function pool is closed')) : waiter.resolve({ env: this.spawn(), cold: true })));
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ env, cold: false });
    // An environment started past the pool's size leaves once no call waits for it.
    else if (this.all.size > this.maxSize) this.discard(env);
    else this.idle.push(env);
  }

  /** A call has waited scaleOut.afterMs: it gets an environment of its own if the ceiling allows one. */
  private startOneFor(waiter: Waiter): void {
    const index = this.waiters.indexOf(waiter);
    if (index < 0 || this.closed || this.all.size >= (this.scaleOut?.ceiling ?? this.maxSize)) return;
    this.waiters.splice(index, 1);
    waiter.resolve({ env: this.spawn(), cold: true });
  }

  /** New code: idle environments go now, busy ones when they finish. */
  retireAll(): void {
    this.generation += 1;
    for (const env of this.idle.splice(0)) this.discard(env);
  }

  get size(): number {
    return this.all.size;
  }

  /** Invocations running in its environments or waiting for one. */
  get busy(): number {
    return this.all.size - this.idle.length + this.waiters.length;
  }

  async close(): Promise<void> {
    this.closed = true;
    // Callers still in line get an error instead of waiting forever.
    for (const waiter of this.waiters.splice(0)) waiter.reject(new Error('the function pool is closed'));
    const envs = [...this.all];
    this.all.clear();
    this.idle.length = 0;
    await Promise.all(envs.map((e) => e.terminate()));
  }

  private spawn(): ExecutionEnvironment {
    const env = this.create(this.generation);
    this.all.add(env);
    return env;
  }

  private discard(env: ExecutionEnvironment): void {
    this.all.delete(env);
    if (!this.settings.exclusive) {
      if (!env.dead) void env.terminate();
      return;
    }
    // Dead or not, its process may not have exited yet: terminate() resolves once it has.
    const ended = env.terminate();
    this.ending.add(ended);
    void ended.finally(() => this.ending.delete(ended));
  }

  /** Once every discarded environment of an exclusive pool has exited. */
  private async afterEnding(): Promise<void> {
    await Promise.all(this.ending);
  }
}

/**
 * Scale-out past one environment per core: a call that has waited 1 s for an environment gets one of its own, up to
 * 10 per function (Lambda's own bound is the account's concurrency, 1,000 by default; ten processes are what a laptop
 * holds without noticing).
 */
export const SCALE_OUT: ScaleOut = { ceiling: 10, afterMs: 1000 };

/** One execution environment per core (at least 2, so that a slow call does not block every other). */
export function defaultConcurrency(): number {
  return Math.max(2, availableParallelism());
}
