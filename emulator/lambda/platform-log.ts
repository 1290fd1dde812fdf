/**
 * The lines Lambda itself writes to a function's log stream around each invocation (START, END, REPORT, and the
 * timeout notice), as `sam local invoke` and `sam local start-api` print them beside the function's own output.
 * Not INIT_START: its runtime version and version ARN are AWS-assigned identifiers a local runtime cannot know.
 */

/** What the REPORT line of one invocation says. */
export interface InvocationReport {
  requestId: string;
  durationMs: number;
  memorySizeMb: number;
  /** The environment's peak resident memory; left out of the line when this machine cannot say (no invented figure). */
  maxMemoryUsedMb?: number;
  /** Set on a cold start only: the init phase's duration, which Lambda reports on the first invocation of an environment. */
  initDurationMs?: number;
  timedOut?: boolean;
}

/**
 * Lambda's START line, written when an invocation begins (Lambda Developer Guide, "Lambda function logs"), naming the
 * version that runs (`1` for a published version or an alias of it, as LocalStack's recorded test_invocation_with_qualifier shows).
 */
export function startLine(requestId: string, version = '$LATEST'): string {
  return `START RequestId: ${requestId} Version: ${version}`;
}

/** Lambda's END line, written when an invocation ends, whatever its outcome. */
export function endLine(requestId: string): string {
  return `END RequestId: ${requestId}`;
}

/** Lambda's notice of an invocation its Timeout ended, written before END: `<ISO time> <request id> Task timed out after N.NN seconds`. */
export function timeoutLine(at: Date, requestId: string, elapsedMs: number): string {
  return `${at.toISOString()} ${requestId} Task timed out after ${(elapsedMs / 1000).toFixed(2)} seconds`;
}

/**
 * Lambda's REPORT line: tab-separated fields, durations in ms to two decimals, billed duration rounded up to the
 * whole millisecond (Lambda bills in 1 ms increments), Init Duration on a cold start, `Status: timeout` on a timeout.
 */
export function reportLine(report: InvocationReport): string {
  const fields = [
    `REPORT RequestId: ${report.requestId}`,
    `Duration: ${report.durationMs.toFixed(2)} ms`,
    // At least 1 ms: a sub-millisecond invocation is still billed its first millisecond.
    `Billed Duration: ${Math.max(1, Math.ceil(report.durationMs))} ms`,
    `Memory Size: ${report.memorySizeMb} MB`,
    ...(report.maxMemoryUsedMb === undefined ? [] : [`Max Memory Used: ${report.maxMemoryUsedMb} MB`]),
    ...(report.initDurationMs === undefined ? [] : [`Init Duration: ${report.initDurationMs.toFixed(2)} ms`]),
    ...(report.timedOut ? ['Status: timeout'] : []),
  ];
  return fields.join('\t');
}
