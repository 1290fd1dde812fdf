/** One execution environment (a worker thread) seen from the parent: init, invoke, timeout, crash. */
import { Worker } from 'node:worker_threads';
import type { LambdaError, InvokeMessage, WorkerInit, WorkerMessage } from './worker.js';

export type RunOutcome =
  | { kind: 'result'; payload: unknown }
  | { kind: 'error'; error: LambdaError }
  | { kind: 'timeout'; elapsedMs: number }
  | { kind: 'deadline' }
  | { kind: 'exit'; error: LambdaError };

export interface WorkerScript {
  source: string | URL;
  eval: boolean;
}

interface Pending {
  id: number;
  requestId: string;
  resolve: (outcome: RunOutcome) => void;
}

let nextId = 1;

export class ExecutionEnvironment {
  readonly ready: Promise<LambdaError | undefined>;
  dead = false;
  invocations = 0;
  private readonly worker: Worker;
  private pending: Pending | undefined;

  constructor(
    script: WorkerScript,
    init: WorkerInit,
    env: Record<string, string>,
    readonly generation: number,
    memoryMb?: number,
  ) {
    // MemorySize caps the function's JS heap: a leak ends this environment, as Lambda ends one out of memory.
    const resourceLimits = memoryMb ? { maxOldGenerationSizeMb: memoryMb } : undefined;
    this.worker = new Worker(script.source, { eval: script.eval, workerData: init, env, stdout: false, stderr: false, ...(resourceLimits ? { resourceLimits } : {}) });
    this.ready = new Promise((resolve) => {
      const onMessage = (msg: WorkerMessage): void => {
        if (msg.type === 'ready') resolve(undefined);
        else if (msg.type === 'init-error') resolve(msg.error);
        else this.onMessage(msg);
      };
      this.worker.on('message', onMessage);
      this.worker.once('exit', (code) => {
        resolve({ errorType: 'Runtime.ExitError', errorMessage: `Runtime exited during init with exit status ${code}`, stackTrace: [] });
        this.onExit(code);
      });
      this.worker.on('error', (err) => this.onMessage({ type: 'crash', error: { errorType: err.name, errorMessage: err.message, stackTrace: (err.stack ?? '').split('\n') } }));
    });
  }

  private onMessage(msg: WorkerMessage): void {
    const p = this.pending;
    if (msg.type === 'crash') {
      this.dead = true;
      return;
    }
    if (!p || (msg.type !== 'result' && msg.type !== 'error') || msg.id !== p.id) return;
    this.pending = undefined;
    p.resolve(msg.type === 'result' ? { kind: 'result', payload: JSON.parse(msg.payload) } : { kind: 'error', error: msg.error });
  }

  private onExit(code: number): void {
    this.dead = true;
    const p = this.pending;
    if (!p) return;
    this.pending = undefined;
    const errorMessage = `RequestId: ${p.requestId} Error: Runtime exited with error: exit status ${code}`;
    p.resolve({ kind: 'exit', error: { errorType: 'Runtime.ExitError', errorMessage, stackTrace: [] } });
  }

  /** Run one invocation; the function's Timeout and the caller's deadline both end it (and this environment). */
  run(event: unknown, requestId: string, timeoutMs: number, deadlineMs: number | undefined): Promise<RunOutcome> {
    this.invocations += 1;
    const started = performance.now();
    const id = nextId++;
    return new Promise<RunOutcome>((resolve) => {
      const deadlineFirst = deadlineMs !== undefined && deadlineMs < timeoutMs;
      const timer = setTimeout(() => {
        this.pending = undefined;
        void this.terminate();
        resolve(deadlineFirst ? { kind: 'deadline' } : { kind: 'timeout', elapsedMs: performance.now() - started });
      }, deadlineFirst ? deadlineMs : timeoutMs);
      this.pending = {
        id,
        requestId,
        resolve: (outcome) => {
          clearTimeout(timer);
          resolve(outcome);
        },
      };
      const message: InvokeMessage = { id, event, requestId, deadline: Date.now() + timeoutMs };
      this.worker.postMessage(message);
    });
  }

  async terminate(): Promise<void> {
    this.dead = true;
    await this.worker.terminate();
  }
}
