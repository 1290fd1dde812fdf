/** The boundary between the gateway and the local Lambda service. */

/** Lambda's limit on a synchronous invocation's response: 6 MB and the 100 bytes AWS's error message names (R1.52). */
export const MAX_RESPONSE_BYTES = 6_291_556;

/** Lambda's limit on a synchronous invocation's event: 6 MB (R11.14; Invoke refuses more, RequestEntityTooLargeException). */
export const MAX_REQUEST_BYTES = 6 * 1024 * 1024;

/** Whether an event's JSON is over Lambda's limit, counting its UTF-8 bytes only when its length leaves a doubt. */
export function overRequestLimit(eventJson: string): boolean {
  return eventJson.length * 3 > MAX_REQUEST_BYTES && Buffer.byteLength(eventJson) > MAX_REQUEST_BYTES;
}

export interface InvokeOk {
  kind: 'ok';
  /** The result; undefined when it was streamed (`onChunk`). */
  payload: unknown;
  /**
   * The payload's JSON text as the function's runtime wrote it (Python's `json.dumps` spaces its separators): what
   * Invoke returns, byte for byte, and its size without serializing it again.
   */
  payloadJson?: string;
  /** The payload is a streaming function's output from a plain Invoke, not JSON: `payload` is its text. */
  raw?: boolean;
  cold: boolean;
  durationMs: number;
  /** Asked for (InvokeOptions.logTail): Invoke's X-Amz-Log-Result, base64 of the invocation's last 4 KB of log. */
  logResult?: string;
}

/** The function failed: it threw, rejected, crashed or hit its own Timeout ("Task timed out after N seconds"). */
export interface InvokeFunctionError {
  kind: 'function-error';
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
  /** The invocation's request id (the Python runtime's error document carries it). */
  requestId?: string;
  /** The function's runtime, which shapes its error document (error-document.ts). */
  runtime?: string;
  cold: boolean;
  durationMs: number;
  /**
   * Lambda refused the invocation before it ran: the function's ReservedConcurrentExecutions were all in use
   * (TooManyRequestsException). An error to every caller that retries errors; the Invoke API answers it 429.
   */
  throttled?: true;
  /** A throttled invocation's function has ReservedConcurrentExecutions 0: it never runs (asynchronous events are discarded at once). */
  zeroReserved?: true;
  /**
   * Lambda refused the Invoke request itself (InvalidParameterValueException, HTTP 400): the function never ran. A
   * tenant-isolated function invoked without a tenant id, or another function invoked with one.
   */
  refused?: true;
  /** Asked for (InvokeOptions.logTail): Invoke's X-Amz-Log-Result, base64 of the invocation's last 4 KB of log. */
  logResult?: string;
}

/** The caller's own deadline (the integration timeout) passed before the function answered. */
export interface InvokeDeadlineExceeded {
  kind: 'deadline-exceeded';
  durationMs: number;
  /** It passed while the invocation waited for an environment: the function never ran (every one was busy). */
  queued?: true;
}

/** What a log line adds to a deadline that passed in the queue: why a quick function "timed out". */
export function queuedNote(outcome: { queued?: true }): string {
  return outcome.queued ? '; it never ran: every environment of its function was busy (more with --max-concurrency)' : '';
}

export type InvokeOutcome = InvokeOk | InvokeFunctionError | InvokeDeadlineExceeded;

export interface InvokeOptions {
  deadlineMs?: number;
  /** The event as JSON when the caller has serialized it already (to measure it): sent as it is, not again. */
  eventJson?: string;
  /**
   * InvokeWithResponseStream: the response arrives here piece by piece as the function writes it (a function that
   * does not stream sends its whole JSON result as one piece); the outcome's payload is then undefined.
   */
  onChunk?: (bytes: Uint8Array) => void;
  /** The X-Amzn-Trace-Id the caller sent on (API Gateway's): its Root and Sampled become the invocation's trace id. */
  traceHeader?: string;
  /** Invoke's X-Amz-Tenant-Id: the tenant whose environments run a tenant-isolated function (FunctionSpec.tenantIsolation). */
  tenantId?: string;
  /** Invoke's X-Amz-Client-Context, decoded: the JSON object the function's context carries (Node.js `clientContext`, Python `client_context`). */
  clientContext?: string;
  /** The invocation's request id when the caller has one already (a function URL's answer carries Lambda's). */
  requestId?: string;
  /** Invoke's LogType Tail: the outcome carries the invocation's log (`logResult`) when the function ran. */
  logTail?: true;
  /** The version that runs, as its START line names it: `1` when Invoke named a published version or an alias; `$LATEST` by default. */
  version?: string;
  /**
   * The alias or version the caller named (an integration URI's `function:Name:live`): the function's context gets
   * that qualified ARN as its invoked ARN, and version 1 runs, as its START line says; $LATEST or none, the function's own.
   */
  qualifier?: string;
}

export interface LambdaInvoker {
  /**
   * Invoke a function synchronously (RequestResponse). `deadlineMs` is the caller's timeout
   * (API Gateway's timeoutInMillis); the function's own Timeout is enforced by the runtime.
   */
  invoke(functionLogicalId: string, event: unknown, options?: InvokeOptions): Promise<InvokeOutcome>;
  /**
   * Lambda's asynchronous invocation (InvocationType Event): queued, then retried and sent to destinations and
   * dead-letter queues as the function's settings say. Without it, a caller invokes once and ignores the outcome.
   */
  invokeEvent?(functionLogicalId: string, event: unknown, options?: InvokeOptions): void;
}
