/**
 * Invoke's `LogType: Tail` (API Reference, Invoke: X-Amz-Log-Result, "the last 4 KB of the execution log"): what an
 * invocation wrote, between Lambda's START and its END and REPORT lines, base64-encoded. The execution environment
 * keeps what the function writes to stdout and stderr while the invocation asked for it (`OutputTail`); the gateway
 * adds Lambda's own lines around it (`logResult`).
 */
import { endLine, reportLine, startLine, timeoutLine, type InvocationReport } from './platform-log.js';

/** How much of the log Invoke returns: its last 4 KB (LocalStack's AWS-validated tests decode up to 4,096 bytes). */
export const LOG_TAIL_BYTES = 4096;

type Write = (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;

/**
 * In an execution environment: a copy of what the process writes to stdout and stderr during one invocation, its
 * last LOG_TAIL_BYTES only (an invocation that logs megabytes keeps 4 KB). Costs nothing while no invocation asks.
 */
export class OutputTail {
  private pieces: Buffer[] | undefined;
  private bytes = 0;

  /** Tees both streams' `write` (before anything else wraps them, so the runtime's console lines pass here too). */
  constructor(streams: NodeJS.WriteStream[]) {
    for (const stream of streams) {
      const raw = stream.write.bind(stream) as Write;
      stream.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
        if (this.pieces) this.keep(typeof chunk === 'string' ? Buffer.from(chunk) : Buffer.from(chunk));
        return raw(chunk, ...rest);
      }) as typeof stream.write;
    }
  }

  /** An invocation begins: kept from now on when it asked for its log, else nothing is kept. */
  begin(wanted: boolean): void {
    this.pieces = wanted ? [] : undefined;
    this.bytes = 0;
  }

  /** The invocation's output so far (undefined when it did not ask); keeping stops. */
  take(): string | undefined {
    const pieces = this.pieces;
    this.pieces = undefined;
    return pieces && Buffer.concat(pieces).toString('utf8');
  }

  private keep(piece: Buffer): void {
    const pieces = this.pieces!;
    pieces.push(piece);
    this.bytes += piece.byteLength;
    while (pieces.length > 1 && this.bytes - pieces[0]!.byteLength >= LOG_TAIL_BYTES) this.bytes -= pieces.shift()!.byteLength;
  }
}

/**
 * X-Amz-Log-Result: base64 of the last 4 KB of the invocation's log lines: START, the function's output, Lambda's
 * timeout notice when its Timeout ended it, END, and REPORT, which ends with a tab in AWS's answers (LocalStack's
 * recorded `test_invocation_with_logs`). The last bytes are cut as bytes, as Lambda cuts them.
 */
export function logResult(output: string, report: InvocationReport, { version, timedOut: timedOutAt }: { version?: string | undefined; timedOut?: { at: Date; elapsedMs: number } | undefined } = {}): string {
  const lines = [startLine(report.requestId, version)];
  if (output !== '') lines.push(output.endsWith('\n') ? output.slice(0, -1) : output);
  if (timedOutAt) lines.push(timeoutLine(timedOutAt.at, report.requestId, timedOutAt.elapsedMs));
  lines.push(endLine(report.requestId), `${reportLine(report)}\t`);
  const log = Buffer.from(`${lines.join('\n')}\n`);
  return log.subarray(Math.max(0, log.byteLength - LOG_TAIL_BYTES)).toString('base64');
}
