/** Warm execution environments of one function: reuse idle ones, grow under concurrency up to a cap. */
import { ExecutionEnvironment } from './environment-worker.js';

export interface Lease {
  env: ExecutionEnvironment;
  cold: boolean;
}

export class FunctionPool {
  private readonly all = new Set<ExecutionEnvironment>();
  private readonly idle: ExecutionEnvironment[] = [];
  private readonly waiters: ((lease: Lease) => void)[] = [];
  /** Bumped when the code is rebuilt: environments of an older generation are retired. */
  generation = 0;

  constructor(
    private readonly create: (generation: number) => ExecutionEnvironment,
    private readonly maxSize: number,
  ) {}

  /** A warm idle environment if any (most recently used first, as Lambda tends to), else a new one, else wait. */
  acquire(): Promise<Lease> | Lease {
    for (let env = this.idle.pop(); env; env = this.idle.pop()) {
      if (!env.dead && env.generation === this.generation) return { env, cold: false };
      this.discard(env);
    }
    if (this.all.size < this.maxSize) return { env: this.spawn(), cold: true };
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  release(env: ExecutionEnvironment): void {
    if (env.dead || env.generation !== this.generation) {
      this.discard(env);
      const waiter = this.waiters.shift();
      if (waiter) waiter({ env: this.spawn(), cold: true });
      return;
    }
    const waiter = this.waiters.shift();
    if (waiter) waiter({ env, cold: false });
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
