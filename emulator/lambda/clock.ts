/**
 * Time as the Lambda limits see it. Lambda's init limit (10 s) and a function's Timeout measure the time the
 * function had to run; on a loaded machine an environment process also waits for a CPU, and that wait is the
 * machine's slowness, not the function's. So the limits count wall time minus the time the environment's
 * process spent runnable but waiting in the kernel's run queue (Linux /proc/<pid>/schedstat). A function that
 * sleeps or hangs accrues its time as on AWS; a function busy on the CPU accrues it as long as it gets the CPU.
 */
import { closeSync, openSync, readSync } from 'node:fs';

export interface LambdaClock {
  /** Monotonic wall time, ms. */
  now(): number;
  /** Calls fn after ms of wall time; returns a function that cancels it. */
  after(ms: number, fn: () => void): () => void;
  /** Total ms the process has waited for a CPU since it started (0 when the platform does not say). */
  cpuWaitMs(pid: number | undefined): number;
  /** The process is gone: drop whatever was kept to read its times. */
  forget?(pid: number | undefined): void;
}

// Read on every invocation: one pread on a descriptor kept open per process rather than open/fstat/read/close.
const schedstatFiles = new Map<number, number>();
const schedstatBuffer = Buffer.alloc(128);

function forgetSchedstat(pid: number | undefined): void {
  const fd = pid === undefined ? undefined : schedstatFiles.get(pid);
  if (fd === undefined) return;
  schedstatFiles.delete(pid as number);
  try {
    closeSync(fd);
  } catch {
    // already closed
  }
}

/** /proc/<pid>/schedstat: "<ns on cpu> <ns waiting on a run queue> <timeslices>" (main thread, where JS runs). */
function runQueueWaitMs(pid: number | undefined): number {
  if (pid === undefined || process.platform !== 'linux') return 0;
  try {
    let fd = schedstatFiles.get(pid);
    if (fd === undefined) {
      fd = openSync(`/proc/${pid}/schedstat`, 'r');
      schedstatFiles.set(pid, fd);
    }
    // A descriptor of a process that has exited fails to read (ESRCH), even if its pid is reused.
    const length = readSync(fd, schedstatBuffer, 0, schedstatBuffer.length, 0);
    const fields = schedstatBuffer.toString('latin1', 0, length).split(' ');
    return Number(fields[1]) / 1e6 || 0;
  } catch {
    forgetSchedstat(pid);
    return 0;
  }
}

export const systemClock: LambdaClock = {
  now: () => performance.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
  cpuWaitMs: runQueueWaitMs,
  forget: forgetSchedstat,
};

/** Time an environment process has had to run since `start`: wall time minus its wait for a CPU. */
export class OwnTime {
  private readonly startedAt: number;
  private readonly waitAtStart: number;

  constructor(
    private readonly clock: LambdaClock,
    private readonly pid: number | undefined,
  ) {
    this.startedAt = clock.now();
    this.waitAtStart = clock.cpuWaitMs(pid);
  }

  elapsedMs(): number {
    const wall = this.clock.now() - this.startedAt;
    return Math.max(0, wall - Math.max(0, this.clock.cpuWaitMs(this.pid) - this.waitAtStart));
  }

  /** Wall time since start (what the caller waited). */
  wallMs(): number {
    return this.clock.now() - this.startedAt;
  }
}

/**
 * Calls onExpire once `own` has reached limitMs. The timer is armed for the time still missing and re-armed
 * when it fires early (the process waited for a CPU meanwhile), so a loaded machine only delays the verdict.
 */
export function enforceLimit(clock: LambdaClock, own: OwnTime, limitMs: number, onExpire: (elapsedMs: number) => void): () => void {
  // No limit (a function under a debugger): no timer, which a setTimeout past 2^31 - 1 ms would fire at once.
  if (!Number.isFinite(limitMs)) return () => undefined;
  let cancel = (): void => undefined;
  const arm = (): void => {
    const elapsed = own.elapsedMs();
    if (elapsed >= limitMs) return onExpire(elapsed);
    cancel = clock.after(Math.max(1, limitMs - elapsed), arm);
  };
  // Own time never exceeds wall time: while the wall clock is short of the limit, so is own time, and the first
  // timer is armed without reading the process's CPU wait (one read less per invocation).
  const wall = own.wallMs();
  if (wall < limitMs) cancel = clock.after(Math.max(1, limitMs - wall), arm);
  else arm();
  return () => cancel();
}
