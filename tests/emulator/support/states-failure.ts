/** A Step Functions runtime failure caught in a test: its error name and cause. */
import { StatesError } from '../../../emulator/services/stepfunctions/json.js';

/** Runs a function that should throw a StatesError and gives back its error name and cause (a test failure otherwise). */
export function statesFailure(act: () => unknown): { error: string; cause: string } {
  try {
    act();
  } catch (error) {
    if (error instanceof StatesError) return { error: error.error, cause: error.cause };
    throw error;
  }
  throw new Error('no StatesError was thrown');
}
