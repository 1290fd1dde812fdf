/**
 * The `awslambda` global Lambda's Node.js runtime gives handlers, for response streaming. Runs inside the execution
 * environment, bundled into worker.ts's file: node built-ins only.
 */
import { Writable } from 'node:stream';

/** How the Node.js runtime marks a handler wrapped by `awslambda.streamifyResponse`. */
export const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
/** What `awslambda.HttpResponseStream.from` writes between its JSON prelude and the payload: 8 NUL bytes. */
const PRELUDE_DELIMITER = new Uint8Array(8);
/** Where a response stream of this runtime keeps a prelude until its first write (the runtime's `_onBeforeFirstWrite`). */
export const BEFORE_FIRST_WRITE = Symbol('beforeFirstWrite');
export type ResponseStream = Writable & { setContentType?: (type: string) => void; [BEFORE_FIRST_WRITE]?: Buffer | null };

/**
 * The `awslambda` global Lambda's Node.js runtime gives functions for response streaming: `streamifyResponse` marks a
 * handler `(event, responseStream, context)`, and `HttpResponseStream.from` writes the HTTP prelude (status, headers,
 * cookies) API Gateway and function URLs read before the payload.
 */
export function installAwsLambdaGlobal(): void {
  const scope = globalThis as { awslambda?: unknown };
  if (scope.awslambda !== undefined) return;
  scope.awslambda = {
    streamifyResponse: <T extends (...args: never[]) => unknown>(fn: T): T => Object.assign(fn, { [STREAMING]: 'response' }),
    HttpResponseStream: {
      from(stream: ResponseStream, prelude: unknown): Writable {
        stream.setContentType?.('application/vnd.awslambda.http-integration-response');
        const bytes = Buffer.concat([Buffer.from(JSON.stringify(prelude ?? {})), PRELUDE_DELIMITER]);
        // As Lambda's runtime does, the prelude goes out with the first write (or the end): a handler that fails
        // before writing anything has sent nothing, and its invocation fails as a whole.
        if (stream[BEFORE_FIRST_WRITE] === null) stream[BEFORE_FIRST_WRITE] = bytes;
        else stream.write(bytes);
        return stream;
      },
    },
  };
}
