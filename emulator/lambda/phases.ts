/** The two phases of an invocation as Lambda reports them: the init phase's bound, and the invoke phase's outcome. */
import type { InvokeOutcome } from './types.js';
import type { ExecutionEnvironment, RunOutcome } from './environment-process.js';
import { enforceLimit, type LambdaClock, type OwnTime } from './clock.js';

/**
 * The init phase, bounded by Lambda's init limit and by the caller's deadline, whichever comes first; both
 * count the environment's own time (see clock.ts).
 */
export function initialized(
  env: ExecutionEnvironment,
  own: OwnTime,
  deadlineMs: number | undefined,
  clock: LambdaClock,
  limitMs: number,
): Promise<{ kind: 'ready' } | { kind: 'deadline' } | { kind: 'failed'; error: { errorType: string; errorMessage: string; stackTrace: string[] } }> {
  return new Promise((resolve) => {
    const cancels: (() => void)[] = [];
    const settle: typeof resolve = (value) => {
      for (const cancel of cancels) cancel();
      resolve(value);
    };
    cancels.push(
      enforceLimit(clock, own, limitMs, () => {
        const errorMessage = `Init phase did not complete within ${(limitMs / 1000).toFixed(2)} seconds`;
        settle({ kind: 'failed', error: { errorType: 'Runtime.InitTimeout', errorMessage, stackTrace: [] } });
      }),
    );
    if (deadlineMs !== undefined) cancels.push(enforceLimit(clock, own, deadlineMs, () => settle({ kind: 'deadline' })));
    void env.ready.then((error) => settle(error ? { kind: 'failed', error } : { kind: 'ready' }));
  });
}

export function toInvokeOutcome(outcome: RunOutcome, cold: boolean, durationMs: number, requestId: string): InvokeOutcome {
  switch (outcome.kind) {
    case 'result':
      return { kind: 'ok', payload: outcome.payload, payloadJson: outcome.payloadJson, ...(outcome.raw ? { raw: true } : {}), cold, durationMs };
    case 'streamed':
      return { kind: 'ok', payload: undefined, cold, durationMs };
    case 'error':
    case 'exit':
      return { kind: 'function-error', ...outcome.error, cold, durationMs };
    case 'timeout': {
      const errorMessage = `RequestId: ${requestId} Error: Task timed out after ${(outcome.elapsedMs / 1000).toFixed(2)} seconds`;
      return { kind: 'function-error', errorType: 'Sandbox.Timedout', errorMessage, stackTrace: [], cold, durationMs };
    }
    case 'deadline':
      return { kind: 'deadline-exceeded', durationMs };
  }
}
