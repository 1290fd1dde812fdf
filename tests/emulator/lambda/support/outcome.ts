/** The result of an invocation that must have succeeded: a failed one fails the test with what came back instead. */
import type { InvokeOutcome } from '../../../../emulator/lambda/types.js';

export function payload(outcome: InvokeOutcome): Record<string, unknown> {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.payload as Record<string, unknown>;
}
