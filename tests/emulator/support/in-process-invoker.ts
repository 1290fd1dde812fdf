/**
 * FAKE LambdaInvoker for gateway tests until the real worker runtime is wired in: it imports the fixture's
 * handler module in this process and calls it. It honours the caller's deadlineMs and the function's own
 * Timeout, and reports cold starts per function, but has no isolation, no environment and no worker pool.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import type { InvokeOutcome, LambdaInvoker } from '../../../emulator/lambda/types.js';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

export class FakeInProcessInvoker implements LambdaInvoker {
  private readonly loaded = new Map<string, Handler>();
  readonly calls: { functionLogicalId: string; event: unknown; deadlineMs?: number; requestId?: string }[] = [];
  /**
   * Functions whose calls end as if the caller's deadline passed first (the outcome the real runtime reports for a
   * handler slower than the integration timeout), at once: the handler is not run and no time passes.
   */
  readonly deadlineExceeded = new Set<string>();

  constructor(private readonly template: LoadedTemplate) {}

  private async handler(logicalId: string): Promise<{ fn: Handler; cold: boolean }> {
    const cached = this.loaded.get(logicalId);
    if (cached) return { fn: cached, cold: false };
    const spec = this.template.functions.get(logicalId);
    if (!spec) throw new Error(`FakeInProcessInvoker: no function ${logicalId} in ${this.template.path}`);
    const [file, exportName] = spec.handler.split('.') as [string, string];
    const mod = (await import(pathToFileURL(join(spec.codeDir, `${file}.mjs`)).href)) as Record<string, Handler>;
    const fn = mod[exportName];
    if (typeof fn !== 'function') throw new Error(`FakeInProcessInvoker: ${spec.handler} does not export a function`);
    this.loaded.set(logicalId, fn);
    return { fn, cold: true };
  }

  async invoke(functionLogicalId: string, event: unknown, options?: { deadlineMs?: number; requestId?: string }): Promise<InvokeOutcome> {
    this.calls.push({ functionLogicalId, event, ...(options?.deadlineMs !== undefined ? { deadlineMs: options.deadlineMs } : {}), ...(options?.requestId !== undefined ? { requestId: options.requestId } : {}) });
    if (this.deadlineExceeded.has(functionLogicalId)) return { kind: 'deadline-exceeded', durationMs: options?.deadlineMs ?? 0 };
    const started = performance.now();
    const { fn, cold } = await this.handler(functionLogicalId);
    const timeoutMs = (this.template.functions.get(functionLogicalId)?.timeoutSeconds ?? 3) * 1000;
    const timers: NodeJS.Timeout[] = [];
    const after = <T>(ms: number, value: T) => new Promise<T>((r) => timers.push(setTimeout(() => r(value), ms)));
    const durationMs = () => Math.round(performance.now() - started);
    const run = fn(event, { functionName: functionLogicalId, awsRequestId: options?.requestId ?? crypto.randomUUID() }).then(
      (payload): InvokeOutcome => ({ kind: 'ok', payload: payload ?? null, cold, durationMs: durationMs() }),
      (error: unknown): InvokeOutcome => functionError(error, cold, durationMs()),
    );
    const races: Promise<InvokeOutcome>[] = [run, after<InvokeOutcome>(timeoutMs, functionError(new Error(`Task timed out after ${timeoutMs / 1000} seconds`), cold, timeoutMs))];
    if (options?.deadlineMs !== undefined) races.push(after<InvokeOutcome>(options.deadlineMs, { kind: 'deadline-exceeded', durationMs: options.deadlineMs }));
    try {
      return await Promise.race(races);
    } finally {
      timers.forEach(clearTimeout);
    }
  }
}

function functionError(error: unknown, cold: boolean, durationMs: number): InvokeOutcome {
  const err = error instanceof Error ? error : new Error(String(error));
  return { kind: 'function-error', errorType: err.name, errorMessage: err.message, stackTrace: (err.stack ?? '').split('\n').slice(1), cold, durationMs };
}
