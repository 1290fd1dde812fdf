/**
 * The document a function's runtime answers Invoke with when the function fails: what `sam local invoke` prints and
 * what an API Gateway Lambda (non-proxy) integration receives as its body (R2.7). Each runtime writes its own shape.
 */
import { isCustomRuntime, isPythonRuntime } from '../template/functions.js';
import type { InvokeFunctionError } from './types.js';

/** Errors Lambda itself reports, not the function's runtime (a timeout, an exit, a response too large): `{errorType, errorMessage}` only. */
const LAMBDA_ERRORS = new Set(['Sandbox.Timedout', 'Runtime.ExitError', 'Runtime.OutOfMemory', 'Function.ResponseSizeTooLarge', 'Runtime.InvalidEntrypoint']);

/**
 * The Node.js runtime's `{errorType, errorMessage, trace}`; the Python runtime's `{errorMessage, errorType, requestId,
 * stackTrace}`; a custom runtime's as it posted it (`{errorMessage, errorType}`, a stackTrace when it sent one); Lambda's own `{errorType, errorMessage}` for the errors it reports itself (`{errorMessage, errorType}` for a response too large), as AWS recorded them.
 */
export function errorDocument(error: Pick<InvokeFunctionError, 'errorType' | 'errorMessage' | 'stackTrace' | 'requestId'>, runtime: string): Record<string, unknown> {
  // Lambda writes this one errorMessage first (AWS's answer in LocalStack's recorded test_lambda_too_large_response).
  if (error.errorType === 'Function.ResponseSizeTooLarge') return { errorMessage: error.errorMessage, errorType: error.errorType };
  if (LAMBDA_ERRORS.has(error.errorType)) return { errorType: error.errorType, errorMessage: error.errorMessage };
  if (isPythonRuntime(runtime)) return { errorMessage: error.errorMessage, errorType: error.errorType, requestId: error.requestId ?? '', stackTrace: error.stackTrace };
  if (isCustomRuntime(runtime)) return { errorMessage: error.errorMessage, errorType: error.errorType, ...(error.stackTrace.length > 0 ? { stackTrace: error.stackTrace } : {}) };
  return { errorType: error.errorType, errorMessage: error.errorMessage, trace: error.stackTrace };
}
