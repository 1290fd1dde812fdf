/**
 * What one hop to an execution environment costs: an invocation message to a child process over Node's IPC channel
 * and its result message back, as the gateway and emulator/lambda/worker.ts exchange them (advanced serialization,
 * the environment's V8 flags), one at a time and nothing else. The baseline calls its handler in-process: every
 * proxied request costs the gateway at least this much more CPU than the baseline, whatever the gateway's own code does.
 */
import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { processCpuMs } from './process-tree.js';
import { environmentFlags } from '../emulator/lambda/environment-process.js';

export interface HopCost {
  roundTrips: number;
  /** Wall time per round trip, microseconds. */
  wallUs: number;
  /** CPU time per round trip, microseconds: the sending process's main thread, and the child process (all threads). */
  cpuUs: { sender: number; environment: number };
}

const ECHO = fileURLToPath(new URL('./ipc-echo.cjs', import.meta.url));

/** Round trips for `seconds` after a warm-up of `warmupSeconds`, each message carrying `eventJson` and each answer `resultJson`. */
export async function measureHop(eventJson: string, resultJson: string, seconds: number, warmupSeconds = 1): Promise<HopCost> {
  const child = fork(ECHO, [resultJson], { execArgv: environmentFlags(512), serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  const pid = child.pid as number;
  let id = 0;
  const roundTrip = (): Promise<void> =>
    new Promise((resolve, reject) => {
      const sent = ++id;
      child.once('message', (msg: { id: number; payload: string }) => (msg.id === sent && msg.payload.length === resultJson.length ? resolve() : reject(new Error(`hop: unexpected answer to message ${sent}`))));
      child.send({ id: sent, eventJson, requestId: `hop-${sent}`, deadline: Date.now() + 10_000 });
    });
  const runFor = async (ms: number): Promise<number> => {
    let count = 0;
    for (const end = performance.now() + ms; performance.now() < end; count += 1) await roundTrip();
    return count;
  };
  try {
    await runFor(warmupSeconds * 1000);
    const cpu = (): { sender: number; environment: number } => {
      const c = processCpuMs(pid);
      return { sender: processCpuMs(process.pid).main, environment: c.main + c.others };
    };
    const [before, start] = [cpu(), performance.now()];
    const roundTrips = await runFor(seconds * 1000);
    const [after, wallMs] = [cpu(), performance.now() - start];
    const per = (ms: number): number => (ms * 1000) / roundTrips;
    return { roundTrips, wallUs: per(wallMs), cpuUs: { sender: per(after.sender - before.sender), environment: per(after.environment - before.environment) } };
  } finally {
    child.disconnect();
  }
}
