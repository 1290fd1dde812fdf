/** The boundary between the gateway and the local Lambda service. */

export interface InvokeOk {
  kind: 'ok';
  payload: unknown;
  cold: boolean;
  durationMs: number;
}

/** The function failed: it threw, rejected, crashed or hit its own Timeout ("Task timed out after N seconds"). */
export interface InvokeFunctionError {
  kind: 'function-error';
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
  cold: boolean;
  durationMs: number;
}

/** The caller's own deadline (the integration timeout) passed before the function answered. */
export interface InvokeDeadlineExceeded {
  kind: 'deadline-exceeded';
  durationMs: number;
}

export type InvokeOutcome = InvokeOk | InvokeFunctionError | InvokeDeadlineExceeded;

export interface LambdaInvoker {
  /**
   * Invoke a function synchronously (RequestResponse). `deadlineMs` is the caller's timeout
   * (API Gateway's timeoutInMillis); the function's own Timeout is enforced by the runtime.
   */
  invoke(functionLogicalId: string, event: unknown, options?: { deadlineMs?: number }): Promise<InvokeOutcome>;
}
