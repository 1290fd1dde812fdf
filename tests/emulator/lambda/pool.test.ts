/**
 * Unit: an exclusive FunctionPool (the function under a debugger, lambda/runtime.ts): its one inspector port serves one
 * process, so an environment retired by a code change has exited before the next one starts. Started beside the
 * exiting one, the new environment's inspector could not bind the port and it would run with no debugger.
 */
import { describe, expect, it } from 'vitest';
import { systemClock } from '../../../emulator/lambda/clock.js';
import type { ExecutionEnvironment } from '../../../emulator/lambda/environment-process.js';
import { FunctionPool } from '../../../emulator/lambda/pool.js';

/** An environment standing in for a process: its exit comes when the test says. */
function fakeEnvironment(generation: number) {
  let exit = (): void => undefined;
  const exited = new Promise<void>((resolve) => (exit = resolve));
  const env = { generation, dead: false, terminated: false, terminate: () => ((env.terminated = true), exited), exit };
  return env;
}

describe.each([
  { given: 'idle when the code changed', busy: false },
  { given: 'busy when the code changed', busy: true },
])('an exclusive pool whose environment was $given', ({ busy }) => {
  it('starts the next environment only once the retired one has exited', async () => {
    // Prepare: one environment in use, then retired by new code (released first when idle).
    const made: ReturnType<typeof fakeEnvironment>[] = [];
    const pool = new FunctionPool((generation) => made[made.push(fakeEnvironment(generation)) - 1] as unknown as ExecutionEnvironment, 1, systemClock, undefined, { exclusive: true });
    const first = await pool.acquire();
    if (!busy) pool.release(first.env);
    pool.retireAll();

    // Act: the next call, while the retired environment is still exiting.
    const next = Promise.resolve(pool.acquire());
    if (busy) pool.release(first.env);
    await Promise.resolve();
    const startedWhileExiting = made.length;
    made[0]!.exit();
    const lease = await next;

    // Assess
    expect(made[0]!.terminated).toBe(true);
    expect(startedWhileExiting).toBe(1);
    expect(lease).toEqual({ env: made[1], cold: true });
  });
});
