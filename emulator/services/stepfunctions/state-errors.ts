/**
 * The errors of states as Step Functions names and words them: which ones a Retry or Catch takes, a task result over
 * the payload limit, States.Runtime with the state that raised it (the interpreter's, interpreter.ts).
 */
import { StatesError, type Json } from './json.js';

/** The payload size limit of every state's input and output (256 KiB). */
export const MAX_PAYLOAD_BYTES = 262_144;

/** Errors neither `States.ALL` nor `States.TaskFailed` catch: the execution fails with them. */
export const UNCATCHABLE = new Set(['States.Runtime', 'States.DataLimitExceeded']);

/**
 * A task's result over the payload limit: a failure of the task (TaskFailed / LambdaFunctionFailed), which a Catch of
 * `States.ALL` takes on AWS, unlike a state's own output over the limit.
 */
export class TaskResultTooLarge extends StatesError {}

/**
 * States.Runtime as Step Functions words it: the state and the id of its StateEntered event first ("An error occurred
 * while executing the state 'X' (entered at the event id #2). …"); a Parallel or Map around it adds nothing.
 */
export class StateRuntimeError extends StatesError {
  constructor(state: string, enteredId: number | undefined, cause: string) {
    super('States.Runtime', `An error occurred while executing the state '${state}'${enteredId !== undefined ? ` (entered at the event id #${enteredId})` : ''}. ${cause}`);
  }
}

/** Whether a Retry or Catch's ErrorEquals names this error (the guide's "Error names"). */
export function errorMatches(errorEquals: Json | undefined, error: string, terminal = UNCATCHABLE.has(error)): boolean {
  if (!Array.isArray(errorEquals)) return false;
  return errorEquals.some((name) => {
    if (name === error) return true;
    if (terminal) return false;
    // A missed heartbeat is a timeout too (the guide's States.Timeout); States.TaskFailed matches every error but a timeout.
    if (name === 'States.Timeout') return error === 'States.HeartbeatTimeout';
    return name === 'States.ALL' || (name === 'States.TaskFailed' && error !== 'States.Timeout' && error !== 'States.HeartbeatTimeout');
  });
}

/** Step Functions' States.DataLimitExceeded cause, word for word: `who` is the state, or a task's function ARN or service. */
export const tooLarge = (who: string): string => `The state/task '${who}' returned a result with a size exceeding the maximum number of bytes service limit.`;

export const oversized = (value: Json): boolean => Buffer.byteLength(JSON.stringify(value) ?? 'null') > MAX_PAYLOAD_BYTES;
