/**
 * Errors as the Node.js runtime interface client makes and reports them (its Errors.js): the document of a failed
 * invocation or init, and the runtime's own error kinds. Runs inside the execution environment, bundled into
 * worker.ts's file: node built-ins only.
 */
import { types } from 'node:util';
import type { LambdaError } from './environment-messages.js';

/**
 * What the Node.js runtime interface client counts as an error (its Errors.js): a native Error, from any realm, or
 * any value whose name, message and stack are non-empty strings (a hand-made `{name, message, stack}`).
 */
function isErrorLike(err: unknown): err is Error {
  if (types.isNativeError(err)) return true;
  const e = err as { name?: unknown; message?: unknown; stack?: unknown } | null | undefined;
  return !!e && typeof e.name === 'string' && e.name !== '' && typeof e.message === 'string' && e.message !== '' && typeof e.stack === 'string' && e.stack !== '';
}

/**
 * Lambda's Node runtime reports errors as {errorType: name, errorMessage, trace}; anything else as {errorType: its
 * typeof, errorMessage: its toString()}; a value it cannot read that way as the runtime's own 'handled' document.
 */
export function toLambdaError(err: unknown): LambdaError {
  try {
    if (isErrorLike(err)) return { errorType: err.name, errorMessage: err.message, stackTrace: (err.stack ?? '').split('\n') };
    return { errorType: typeof err, errorMessage: (err as { toString(): string }).toString(), stackTrace: [] };
  } catch {
    return { errorType: 'handled', errorMessage: 'callback called with Error argument, but there was a problem while retrieving one or more of its message, name, and stack', stackTrace: [] };
  }
}

/**
 * The runtime's error for an async handler whose promise is still pending when nothing is left to run (its Errors.js
 * NodeJsExit, raised from its beforeExit listener).
 */
export class NodeJsExit extends Error {
  constructor() {
    super('The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes');
  }
}
NodeJsExit.prototype.name = 'Runtime.NodeJsExit';

/** What `context.fail()` and a promise rejected with no reason fail with, as the runtime does: the string 'handled'. */
export const NO_REASON = 'handled';

/**
 * The runtime's wrapper of an unhandled rejection's reason: named Runtime.UnhandledPromiseRejection, its message the
 * reason as text (an Error reads "Error: <message>"), its stack its own.
 */
export class UnhandledPromiseRejection extends Error {
  constructor(reason: unknown) {
    let message: string;
    try {
      message = reason === undefined ? '' : String(reason);
    } catch {
      // A reason with no text (Object.create(null), a Symbol's own errors): the wrapper still reports the rejection.
      message = '';
    }
    super(message);
  }
}
UnhandledPromiseRejection.prototype.name = 'Runtime.UnhandledPromiseRejection';

/**
 * An error of the runtime's own kinds (Errors.js: HandlerNotFound, ImportModuleError, UserCodeSyntaxError...), made
 * where the runtime makes it: named `Runtime.<kind>`, so its trace opens with `Runtime.<kind>: <message>` and goes on
 * with the frames of the loader that raised it (the runtime's own, under /var/runtime on Lambda), never an empty trace.
 */
export function runtimeError(kind: string, message: string): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: `Runtime.${kind}`, enumerable: false, configurable: true, writable: true });
  // Captured again once named: the stack's first line is written with the name it has at capture.
  Error.captureStackTrace(error, runtimeError);
  return error;
}

/** An Error of the runtime's own kind (Runtime.ImportModuleError...): its name and stack not enumerable, as an Error's are. */
export function namedError(name: string, message: string, stack: string): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: name, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(error, 'stack', { value: stack, enumerable: false, configurable: true, writable: true });
  return error;
}
