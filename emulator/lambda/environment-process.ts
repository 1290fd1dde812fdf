/**
 * One execution environment seen from the gateway: a child process, as Lambda runs each environment in its own
 * sandbox. Whatever the function does to its process (exit, kill itself, crash, exhaust memory on or off the JS
 * heap) ends this environment only; the invocation then fails as Lambda reports it (Runtime.ExitError...).
 */
import { ChildProcess, fork, spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { enforceLimit, OwnTime, type LambdaClock } from './clock.js';
import type { LambdaError, InvokeMessage, WorkerInit, WorkerMessage } from './environment-messages.js';
import { MAX_RESPONSE_BYTES } from './types.js';
import { CustomRuntimeProcess, type CustomRuntimeLaunch } from './runtime-api.js';
import { endFunctionProcesses, environmentGroups } from './function-processes.js';

/** What python-bootstrap.py reads from its argument: the handler, where its code is, the context's fixed fields. */
export interface PythonInit {
  handler: string;
  codeDir: string;
  extraPaths: string[];
  context: WorkerInit['context'];
  /** As WorkerInit's: the WebSocket APIs' execute-api hosts and their local ports (python-bootstrap.py). */
  localHosts?: WorkerInit['localHosts'];
}

/** A Python function's environment: the interpreter that runs the runtime interface client (python-bootstrap.py). */
export interface PythonLaunch {
  command: string;
  /** The function's working directory: its code, as /var/task is on Lambda. */
  cwd: string;
}

/** `log`: what the invocation wrote, when it asked for its log (Invoke's LogType Tail) and its runtime kept it. */
export type RunOutcome =
  | { kind: 'result'; payload: unknown; payloadJson: string; raw?: boolean; log?: string }
  | { kind: 'streamed'; log?: string }
  | { kind: 'error'; error: LambdaError; log?: string }
  | { kind: 'timeout'; elapsedMs: number }
  | { kind: 'deadline' }
  | { kind: 'exit'; error: LambdaError };

export interface EnvironmentSettings {
  /** The runtime interface client: worker.ts bundled (a CommonJS file), or python-bootstrap.py. */
  script: string;
  /** Set for a Python function: the script runs on this interpreter instead of Node (same messages, as JSON lines). */
  python?: PythonLaunch;
  /** Set for a custom runtime (provided.al2023...): its bootstrap runs instead, served the Lambda runtime API. */
  custom?: CustomRuntimeLaunch;
  init: WorkerInit | PythonInit;
  env: Record<string, string>;
  generation: number;
  /** MemorySize: caps the JS heap (--max-old-space-size) and the process's resident memory (watchdog). */
  memoryMb: number;
  clock: LambdaClock;
  /** Where the function's output goes (runtime.ts FunctionOutput). */
  functionStdout?: FunctionOutput;
  /** A Node.js environment a debugger attaches to (--debug-port): the inspector's port on 127.0.0.1. */
  inspectPort?: number;
}

/**
 * Where the functions' output goes: the gateway's stdout, its stderr when stdout carries a result (`invoke`), or an
 * open file (`--log-file`) that takes their stderr and Lambda's own lines too, as `sam local -l` writes both streams there.
 */
export type FunctionOutput = 'stdout' | 'stderr' | { fd: number };

/** The child's stdout and stderr for a FunctionOutput. */
export function functionStdio(output: FunctionOutput | undefined): { stdout: 'inherit' | NodeJS.WriteStream | number; stderr: 'inherit' | number } {
  if (typeof output === 'object') return { stdout: output.fd, stderr: output.fd };
  return { stdout: output === 'stderr' ? process.stderr : 'inherit', stderr: 'inherit' };
}

interface Pending {
  id: number;
  requestId: string;
  resolve: (outcome: RunOutcome) => void;
  /** InvokeWithResponseStream: each piece of the response as the function writes it. */
  onChunk?: (bytes: Uint8Array) => void;
}

/** How often the resident memory of a live environment is checked against its MemorySize. */
const MEMORY_CHECK_MS = 50;

/** Go's os.ProcessState wording, which Lambda's "Runtime exited with error: ..." messages use. */
const SIGNAL_WORDS: Partial<Record<NodeJS.Signals, string>> = {
  SIGKILL: 'killed',
  SIGTERM: 'terminated',
  SIGABRT: 'aborted',
  SIGSEGV: 'segmentation fault',
  SIGINT: 'interrupt',
  SIGBUS: 'bus error',
};

/** Resident set size of a process in MB (Linux); undefined where /proc is not available. */
function residentMb(pid: number): number | undefined {
  try {
    const match = /^VmRSS:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** Peak resident set size of a process in MB (Linux VmHWM: the high-water mark since it started); undefined where unknown. */
function peakResidentMb(pid: number): number | undefined {
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Math.round(Number(match[1]) / 1024) : undefined;
  } catch {
    return undefined;
  }
}

/** Whether resident memory can be read here (Linux /proc): asked once, not at every invocation (a file read each). */
let procReadable: boolean | undefined;
function canReadResidentMemory(): boolean {
  // This process's own entry: a child that has already exited must not decide it for all.
  procReadable ??= residentMb(process.pid) !== undefined;
  return procReadable;
}

let nextId = 1;

/**
 * The descriptor the gateway's IPC channel has in an environment. Not 3, Node's default: 3 is the first descriptor a
 * process has beyond its standard streams, the one tools and functions write to by convention (`>&3`), and a write
 * there went into the channel, where the gateway read it as a message: a Node.js environment then waited for the rest
 * of a message that never came, until the function's Timeout, and a Python one's line that was no JSON threw in the
 * gateway itself. At 10 it is past the single-digit descriptors a POSIX shell redirects; the descriptors between stay
 * closed, so the function's own files open there as they would, and a write to 3 fails at once in the function
 * (Python: EBADF; Node.js: EINVAL, 3 being Node's own epoll descriptor), which the function sees as its own error.
 */
export const CHANNEL_FD = 10;

/** The stdio of a Node.js or Python environment: no stdin, the function's output, the channel at CHANNEL_FD. */
function environmentStdio(stdout: 'inherit' | NodeJS.WriteStream | number, stderr: 'inherit' | number): ('ignore' | 'inherit' | 'ipc' | NodeJS.WriteStream | number)[] {
  return ['ignore', stdout, stderr, ...Array<'ignore'>(CHANNEL_FD - 3).fill('ignore'), 'ipc'];
}

/** The function's JSON result; text that is no JSON (no runtime here sends it) fails as Lambda's marshalling does. */
function parsedResult(payload: string): RunOutcome {
  if (payload.length > MAX_RESPONSE_BYTES / 4 && Buffer.byteLength(payload) > MAX_RESPONSE_BYTES) {
    const errorMessage = `Response payload size exceeded maximum allowed payload size (${MAX_RESPONSE_BYTES} bytes).`;
    return { kind: 'error', error: { errorType: 'Function.ResponseSizeTooLarge', errorMessage, stackTrace: [] } };
  }
  try {
    return { kind: 'result', payload: JSON.parse(payload), payloadJson: payload };
  } catch (error) {
    return { kind: 'error', error: { errorType: 'Runtime.MarshalError', errorMessage: `Unable to marshal response: ${(error as Error).message}`, stackTrace: [] } };
  }
}

/** A streaming function's bytes from a plain Invoke: JSON when they are JSON, else the text itself, marked raw. */
function rawResult(text: string): RunOutcome {
  try {
    return { kind: 'result', payload: JSON.parse(text), payloadJson: text };
  } catch {
    return { kind: 'result', payload: text, payloadJson: text, raw: true };
  }
}

/** Lambda gives a function of up to 1,769 MB one vCPU or less (Lambda Developer Guide, "Memory and computing power"). */
const ONE_VCPU_MB = 1769;

/**
 * The Node flags of a Node.js execution environment: the heap capped at MemorySize, as Lambda caps it, and a 2 MB
 * semi-space (Lambda's bootstrap gives MemorySize/20), a trade between memory and speed measured with `npm run bench`
 * (two interleaved runs each, GetItem route): 1 MB gave 0.58-0.61 of the baseline at 225 MB for the tree, 2 MB
 * 0.70-0.71 at 237-242 MB, 4 MB 0.76-0.78 but 255 MB (over the 250 MB target), the default (16 MB) 0.73-0.74 at 310 MB.
 * Measured again on 2026-12-05, one bench run each on a quiet machine: 2 MB 0.64 / 0.59 / 0.68 (GetItem at 10 and 50
 * connections, secured route) at 229 MB, 4 MB 0.56 / 0.59 / 0.64 at 248 MB: the larger semi-space no longer pays.
 * Up to one vCPU's worth of memory, garbage collection runs on the environment's own thread (--single-threaded-gc), as
 * on a Lambda that has no second core for V8's helper threads: here, where environments, the gateway and its services
 * share a few cores, the helpers cost more CPU than they save (interleaved rounds on the GetItem route: 0.78 of the
 * environments' CPU per request, 1.17 of the throughput, memory unchanged).
 */
export function environmentFlags(memoryMb: number): string[] {
  return [`--max-old-space-size=${memoryMb}`, '--max-semi-space-size=2', ...(memoryMb <= ONE_VCPU_MB ? ['--single-threaded-gc'] : [])];
}

export class ExecutionEnvironment {
  readonly ready: Promise<LambdaError | undefined>;
  /** Modules its init phase loaded from outside the function's code, layers and runtime (python.ts outsideCodeNotice, outside-packages.ts). */
  outsideModules: [string, string][] = [];
  readonly generation: number;
  /** Resolves once the process is gone and its messages are read. */
  readonly closed: Promise<void>;
  dead = false;
  invocations = 0;
  private readonly child: ChildProcess | CustomRuntimeProcess;
  /** What every process the function starts inherits (endStarted). */
  private readonly logStreamName: string | undefined;
  private startedEnded = false;
  private readonly clock: LambdaClock;
  private pending: Pending | undefined;
  private outOfMemory = false;
  private memoryWatch: NodeJS.Timeout | undefined;
  private readonly memoryMb: number;
  /** The process's peak memory when the last invocation ended (REPORT's Max Memory Used); undefined when unknown. */
  lastPeakMemoryMb: number | undefined;

  constructor(settings: EnvironmentSettings) {
    this.generation = settings.generation;
    this.clock = settings.clock;
    const { stdout, stderr } = functionStdio(settings.functionStdout);
    this.child = settings.custom
      ? new CustomRuntimeProcess(settings.custom, settings.env, settings.init.context, stdout, stderr)
      : settings.python
      ? // Node's IPC channel in its JSON mode (one document per line) is one a process in another language can speak;
        // -B: no __pycache__ written into the function's folders (Lambda's task root is read-only too).
        spawn(settings.python.command, ['-u', '-B', settings.script, JSON.stringify(settings.init)], {
          env: settings.env,
          cwd: settings.python.cwd,
          stdio: environmentStdio(stdout, stderr),
          serialization: 'json',
          detached: environmentGroups,
        })
      : fork(settings.script, [JSON.stringify(settings.init)], {
          env: settings.env,
          // The function's code folder is its working directory, as /var/task is on Lambda (relative reads resolve there).
          ...(settings.env.LAMBDA_TASK_ROOT && existsSync(settings.env.LAMBDA_TASK_ROOT) ? { cwd: settings.env.LAMBDA_TASK_ROOT } : {}),
          // Not the gateway's own flags (tsx loader, inspector): a fresh Node, with the heap capped as Lambda caps it.
          execArgv: [...environmentFlags(settings.memoryMb), ...(settings.inspectPort === undefined ? [] : [`--inspect-brk=127.0.0.1:${settings.inspectPort}`])],
          stdio: environmentStdio(stdout, stderr),
          serialization: 'advanced',
          detached: environmentGroups,
        });
    this.logStreamName = settings.env.AWS_LAMBDA_LOG_STREAM_NAME;
    this.memoryMb = settings.memoryMb;
    // Watched while the environment works (init, then each invocation): Lambda freezes an environment between
    // invocations, so an idle one cannot grow; reading /proc 20 times a second for every idle environment was
    // most of an idle gateway's CPU.
    this.watchMemory();
    let exitedDuringInit: (error: LambdaError) => void = () => undefined;
    this.ready = new Promise((resolve) => {
      exitedDuringInit = resolve;
      this.child.on('message', (msg: WorkerMessage) => {
        if (msg.type === 'ready' || msg.type === 'init-error') {
          if (msg.type === 'ready' && msg.outside) this.outsideModules = msg.outside;
          if (!this.pending) this.unwatchMemory();
          resolve(msg.type === 'ready' ? undefined : msg.error);
        } else this.onMessage(msg);
      });
    });
    // 'close' (not 'exit'): every message the process sent before dying has been delivered by then.
    this.closed = new Promise((resolve) => {
      this.child.once('close', (code, signal) => {
        this.endStarted();
        const error = this.exitError(code, signal, 'Runtime exited during init');
        exitedDuringInit(error);
        this.onExit(code, signal);
        resolve();
      });
    });
    this.child.on('error', () => (this.dead = true));
    // Before 'close': a process the function started may hold the environment's stdout open, which delays 'close'.
    if (this.child instanceof ChildProcess) this.child.once('exit', () => this.endStarted());
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** The process's resident memory is checked against MemorySize: off-heap allocations (Buffers) count too. */
  private watchMemory(): void {
    const pid = this.child.pid;
    if (this.memoryWatch || pid === undefined || !canReadResidentMemory()) return;
    const limitMb = this.memoryMb;
    this.memoryWatch = setInterval(() => {
      const rss = residentMb(pid);
      if (rss === undefined || rss <= limitMb) return;
      this.outOfMemory = true;
      this.kill();
    }, MEMORY_CHECK_MS);
    this.memoryWatch.unref();
  }

  private unwatchMemory(): void {
    clearInterval(this.memoryWatch);
    this.memoryWatch = undefined;
  }

  private exitError(code: number | null, signal: NodeJS.Signals | null, prefix: string): LambdaError {
    const errorType = this.outOfMemory ? 'Runtime.OutOfMemory' : 'Runtime.ExitError';
    // A clean exit (status 0) gives no reason, in Lambda's words as AWS recorded them.
    if (!signal && code === 0 && !this.outOfMemory) return { errorType, errorMessage: `${prefix} without providing a reason`, stackTrace: [] };
    const status = signal ? `signal: ${SIGNAL_WORDS[signal] ?? signal}` : `exit status ${code}`;
    return { errorType, errorMessage: `${prefix} with error: ${status}`, stackTrace: [] };
  }

  private onMessage(msg: WorkerMessage): void {
    if (msg.type === 'crash') {
      this.dead = true;
      return;
    }
    const p = this.pending;
    if (!p || msg.type === 'ready' || msg.type === 'init-error' || msg.id !== p.id) return;
    if (msg.type === 'chunk') return p.onChunk?.(msg.data);
    this.pending = undefined;
    if (msg.peakRssKb !== undefined) this.lastPeakMemoryMb = Math.round(msg.peakRssKb / 1024);
    const log = msg.log === undefined ? {} : { log: msg.log };
    if (msg.type === 'end') return p.resolve({ kind: 'streamed', ...log });
    if (msg.type === 'result' && msg.raw) return p.resolve({ ...rawResult(msg.payload), ...log });
    p.resolve({ ...(msg.type === 'result' ? parsedResult(msg.payload) : { kind: 'error', error: msg.error }), ...log });
  }

  private onExit(code: number | null, signal: NodeJS.Signals | null): void {
    this.dead = true;
    this.unwatchMemory();
    this.clock.forget?.(this.child.pid);
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const error = this.exitError(code, signal, `RequestId: ${p.requestId} Error: Runtime exited`);
    p.resolve({ kind: 'exit', error });
  }

  /**
   * Run one invocation; the function's Timeout and the caller's deadline, both counted in the environment's own
   * time (see clock.ts), end it, and this environment with it. `untimed` (a function under a debugger): the Timeout is
   * still what `getRemainingTimeInMillis` counts down from, but nothing ends the invocation.
   */
  run(eventJson: string, { requestId, traceId, tenantId, clientContext, tail, untimed, qualified }: { requestId: string; traceId: string; tenantId?: string; clientContext?: string; tail?: true; untimed?: true; qualified?: InvokeMessage['qualified'] }, timeoutMs: number, deadlineMs: number | undefined, onChunk?: (bytes: Uint8Array) => void): Promise<RunOutcome> {
    this.invocations += 1;
    this.lastPeakMemoryMb = undefined;
    const id = nextId++;
    const own = new OwnTime(this.clock, this.child.pid);
    return new Promise<RunOutcome>((resolve) => {
      const cancels: (() => void)[] = [];
      const settle = (outcome: RunOutcome): void => {
        for (const cancel of cancels) cancel();
        this.unwatchMemory();
        this.notePeakMemory();
        resolve(outcome);
      };
      const end = (outcome: RunOutcome): void => {
        this.pending = undefined;
        // Read before the kill: a killed process's peak is gone with it.
        this.notePeakMemory();
        this.kill();
        settle(outcome);
      };
      this.pending = { id, requestId, resolve: settle, ...(onChunk ? { onChunk } : {}) };
      this.watchMemory();
      if (!untimed) cancels.push(enforceLimit(this.clock, own, timeoutMs, (elapsedMs) => end({ kind: 'timeout', elapsedMs })));
      if (deadlineMs !== undefined) cancels.push(enforceLimit(this.clock, own, deadlineMs, () => end({ kind: 'deadline' })));
      if (this.dead || !this.child.connected) return end({ kind: 'exit', error: this.exitError(this.child.exitCode, this.child.signalCode, `RequestId: ${requestId} Error: Runtime exited`) });
      const message: InvokeMessage = { id, eventJson, requestId, traceId, deadline: Date.now() + timeoutMs, ...(onChunk ? { stream: true } : {}), ...(tenantId === undefined ? {} : { tenantId }), ...(clientContext === undefined ? {} : { clientContext }), ...(tail ? { tail } : {}), ...(qualified ? { qualified } : {}) };
      this.child.send(message);
    });
  }

  /** Keeps the first reading of an invocation's end: one taken after its process was killed finds nothing and changes nothing. */
  /** Read from /proc only when the environment's last message did not say it (a kill, or a runtime that does not). */
  private notePeakMemory(): void {
    const pid = this.child.pid;
    if (this.lastPeakMemoryMb !== undefined || pid === undefined || !canReadResidentMemory()) return;
    this.lastPeakMemoryMb = peakResidentMb(pid);
  }

  private kill(): void {
    this.dead = true;
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
    this.endStarted();
  }

  /**
   * Ends the processes the function started (a tool, a local server), as Lambda ends a sandbox whole: once the
   * environment is killed or has exited, whichever comes first (the rest would find the same processes).
   */
  private endStarted(): void {
    if (this.startedEnded || this.logStreamName === undefined) return;
    this.startedEnded = true;
    endFunctionProcesses({ logStreamName: this.logStreamName, pid: this.child.pid });
  }

  async terminate(): Promise<void> {
    this.kill();
    await this.closed;
  }
}
