/** Warm execution environments of one function: reuse idle ones, grow under concurrency up to a cap. */
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

export class FunctionPool {
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waiters: Waiter[] = [];
  private closed = false;
  /** Bumped when the code is rebuilt: environments of an older generation are retired. */
  generation = 0;

  constructor(
    private readonly create: (generation: number) => ExecutionEnvironment,
    private readonly maxSize: number,
    private readonly clock: LambdaClock,
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
    if (this.all.size < this.maxSize) return { env: this.spawn(), cold: true };
    return new Promise((resolve, reject) => {
      const cancel = maxWaitMs === undefined ? () => undefined : this.clock.after(maxWaitMs, () => waiter.reject(new QueueTimeout()));
      const waiter: Waiter = {
        resolve: (lease) => {
          cancel();
          resolve(lease);
        },
        reject: (reason) => {
          cancel();
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
      if (waiter) waiter.resolve({ env: this.spawn(), cold: true });
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter.resolve({ env, cold: false });
    else this.idle.push(env);
  }

  /** New code: idle environments go now, busy ones when they finish. */
  retireAll(): void {
    this.generation += 1;
    for (const env of this.idle.splice(0)) this.discard(env);
  }

  get size(): number {
    return this.all.size;
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
    if (!env.dead) void env.terminate();
  }
}
