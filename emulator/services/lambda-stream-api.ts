/**
 * Lambda's InvokeWithResponseStream (API Reference: POST /2021-11-15/functions/{name}/response-streaming-invocations):
 * 200 and an event stream (event-stream.ts) of PayloadChunk events, the response as the function writes it, then one
 * InvokeComplete event ({ErrorCode, ErrorDetails, LogResult}). A function that streams (awslambda.streamifyResponse,
 * a custom runtime's streaming response) is passed on piece by piece; one that does not has its whole payload sent
 * as one chunk, as Lambda sends it.
 */
import type { ServerResponse } from 'node:http';
import type { InvokeOutcome } from '../lambda/types.js';
import { eventMessage } from './event-stream.js';

/**
 * [AMBIGUOUS] The stream's Content-Type (the SDK's ResponseStreamContentType): Lambda passes on the one the function's
 * runtime set; the local runtimes do not pass theirs on, so every stream says application/octet-stream, the Node.js
 * runtime's default for a response stream.
 */
const STREAM_CONTENT_TYPE = 'application/octet-stream';

/** The InvokeComplete event's fields (InvokeWithResponseStreamCompleteEvent); none is set when all went well. */
interface Completion {
  ErrorCode?: string;
  ErrorDetails?: string;
  LogResult?: string;
}

/**
 * [AMBIGUOUS] A failed invocation's InvokeComplete: ErrorCode is the error's type (`Error`, `Sandbox.Timedout`, as the
 * runtime reports it to Lambda in its Lambda-Runtime-Function-Error-Type trailer) and ErrorDetails its message: no
 * recording of AWS's answer was found.
 */
function completion(outcome: InvokeOutcome): Completion {
  const log = outcome.kind !== 'deadline-exceeded' && outcome.logResult !== undefined ? { LogResult: outcome.logResult } : {};
  if (outcome.kind === 'function-error') return { ErrorCode: outcome.errorType, ErrorDetails: outcome.errorMessage, ...log };
  if (outcome.kind === 'deadline-exceeded') return { ErrorCode: 'Sandbox.Timedout', ErrorDetails: 'Task timed out' };
  return log;
}

/**
 * Runs the invocation and streams its answer. Nothing is sent until the first piece or the end: an invocation Lambda
 * refuses before it runs (throttled, a function that cannot run here) gets the plain answer `refused` writes instead.
 */
export async function streamInvocation(
  res: ServerResponse,
  invoke: (onChunk: (bytes: Uint8Array) => void) => Promise<InvokeOutcome>,
  headers: Record<string, string>,
  refused: (outcome: InvokeOutcome | Error) => true | undefined,
): Promise<void> {
  let started = false;
  const start = (): void => {
    if (started) return;
    started = true;
    res.writeHead(200, { ...headers, 'content-type': STREAM_CONTENT_TYPE });
  };
  const chunk = (bytes: Uint8Array): void => {
    if (bytes.byteLength === 0 || res.destroyed) return;
    start();
    res.write(eventMessage('PayloadChunk', 'application/octet-stream', bytes));
  };
  const outcome = await invoke(chunk).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  if (!started && refused(outcome)) return;
  if (outcome instanceof Error) return;
  // A function that does not stream answered as a whole (a Python function, a plain Invoke's result): one chunk.
  if (outcome.kind === 'ok' && outcome.payloadJson !== undefined) chunk(Buffer.from(outcome.payloadJson));
  start();
  if (res.destroyed) return;
  res.end(eventMessage('InvokeComplete', 'application/json', Buffer.from(JSON.stringify(completion(outcome)))));
}
