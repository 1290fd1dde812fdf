/** What the S3 suites assert of a refused call. */
import { S3ServiceException } from '@aws-sdk/client-s3';
import { expect } from 'vitest';

/** The service error the SDK raised (name, status), or a failure when the call succeeded. */
export async function failure(call: Promise<unknown>): Promise<{ name: string; status: number | undefined }> {
  const outcome = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(S3ServiceException);
  const error = outcome as S3ServiceException;
  return { name: error.name, status: error.$metadata.httpStatusCode };
}
