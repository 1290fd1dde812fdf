/**
 * The processes a function started (a tool, a local server, a daemon) end with its execution environment, as Lambda
 * ends a sandbox whole. They are found by what every process a function starts inherits: its environment's unique
 * AWS_LAMBDA_LOG_STREAM_NAME, read from /proc/<pid>/environ.
 *
 * Why not a process group of each environment's own (spawn's `detached`): node can only make one with setsid(),
 * which also makes a session, and Linux schedules each session as a group of its own (sched_autogroup); the
 * gateway's threads then had one share of the CPU against every busy environment's one share, measured 5-12% more
 * CPU per request and 10% fewer requests served on the secured bench route. Where there is no /proc (macOS), there
 * are no autogroups either: each environment leads a process group of its own there, ended whole.
 */
import { readdirSync, readFileSync } from 'node:fs';

const PROC = '/proc';

/** Whether this platform lists processes and their environments in /proc (Linux). */
const canReadEnvirons = (() => {
  try {
    readFileSync(`${PROC}/self/environ`);
    return true;
  } catch {
    return false;
  }
})();

const VARIABLE = 'AWS_LAMBDA_LOG_STREAM_NAME=';

/**
 * The live processes whose environment names one of these log streams (AWS_LAMBDA_LOG_STREAM_NAME as a whole
 * variable), except this process; each process read once whatever the number of streams. Processes of other users,
 * and those gone while being read, are skipped.
 */
export function processesOfStreams(streams: ReadonlySet<string>, proc = PROC): Map<number, string> {
  const found = new Map<number, string>();
  let entries: string[];
  try {
    entries = readdirSync(proc);
  } catch {
    return found;
  }
  for (const entry of entries) {
    if (!/^\d+$/.test(entry) || Number(entry) === process.pid) continue;
    let environ: string;
    try {
      environ = readFileSync(`${proc}/${entry}/environ`, 'latin1');
    } catch {
      continue;
    }
    // A whole variable: after the NUL that ends the one before it, or first (the NUL prepended stands for it).
    const at = `\0${environ}`.indexOf(`\0${VARIABLE}`);
    if (at === -1) continue;
    const from = at + VARIABLE.length;
    const end = environ.indexOf('\0', from);
    const stream = environ.slice(from, end === -1 ? undefined : end);
    if (streams.has(stream)) found.set(Number(entry), stream);
  }
  return found;
}

/** Whether an environment is spawned as a process group of its own (spawn's `detached`): where /proc cannot be read. */
export const environmentGroups = !canReadEnvirons && process.platform !== 'win32';

/** Whether a process with this pid exists (EPERM: it does, as another user's); for what gateways leave named by pid. */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const pending = new Set<string>();

/**
 * Ends (SIGKILL) every process an environment started, as Lambda ends a sandbox whole: its process group where
 * environments have one, else, on the next turn, those found by its log stream name (environments ending together,
 * as at the gateway's close, share one reading of /proc).
 */
export function endFunctionProcesses(environment: { logStreamName: string; pid: number | undefined }): void {
  if (environmentGroups) return endGroup(environment.pid);
  if (!canReadEnvirons) return;
  if (pending.size === 0) setImmediate(endPending);
  pending.add(environment.logStreamName);
}

/**
 * In an environment whose gateway is gone (its channel closed: the gateway was killed, even with SIGKILL, and could
 * not end them): ends the processes its function started, as Lambda ends a sandbox whole, before the environment
 * exits. Where environments lead a process group, the group goes, this process with it. Synchronous: it runs on the
 * way out.
 */
export function endOwnProcesses(logStreamName: string | undefined): void {
  if (environmentGroups) return endGroup(process.pid);
  if (!canReadEnvirons || !logStreamName) return;
  killAll(processesOfStreams(new Set([logStreamName])).keys());
}

function killAll(pids: Iterable<number>): void {
  for (const pid of pids) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // Gone since it was read (ESRCH).
    }
  }
}

function endGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    // No process left in the group (ESRCH).
  }
}

function endPending(): void {
  const streams = new Set(pending);
  pending.clear();
  killAll(processesOfStreams(streams).keys());
}
