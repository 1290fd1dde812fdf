/** Test helper: the StatesError a task or execution step fails with (the test fails when none is thrown). */
import { StatesError } from '../../../../emulator/services/stepfunctions/json.js';

export async function failure(act: Promise<unknown>): Promise<{ error: string; cause: string }> {
  try {
    await act;
  } catch (error) {
    if (error instanceof StatesError) return { error: error.error, cause: error.cause };
    throw error;
  }
  throw new Error('no StatesError was thrown');
}
