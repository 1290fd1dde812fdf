/**
 * The error an AWS SDK v3 call failed with, as a caller sees it (code, message, HTTP status), for tests comparing the
 * embedded services' refusals with AWS's.
 */
import { expect } from 'vitest';

export interface Refusal {
  name: string;
  message: string;
  status: number | undefined;
}

/** The refusal `call` ended with; the test fails when the call succeeded or threw something that is no service error. */
export async function serviceRefusal(call: Promise<unknown>): Promise<Refusal> {
  const outcome = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(Error);
  const error = outcome as Error & { $metadata?: { httpStatusCode?: number } };
  expect(error.$metadata).toBeDefined();
  return { name: error.name, message: error.message, status: error.$metadata?.httpStatusCode };
}
