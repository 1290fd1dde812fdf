/**
 * One Lambda execution environment, the child process's entry: loads the handler once (init phase), then
 * serves one invocation at a time over the IPC channel, like the Node.js runtime interface client.
 * Self-contained (node built-ins only, as are the lambda/ modules it imports): it is bundled into one CommonJS file.
 */
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { redirectLocalHosts, resolvePrefixedAddresses } from './local-hosts.js';
import { pointSdkV2AtLocalEndpoints } from './sdk-v2-endpoints.js';
import { OutputTail } from './log-tail.js';
import type { InvokeMessage, LambdaError, WorkerInit, WorkerMessage } from './environment-messages.js';
import { namedError, NO_REASON, NodeJsExit, runtimeError, toLambdaError, UnhandledPromiseRejection } from './runtime-errors.js';
import { installLambdaConsole, logError, setConsoleRequestId } from './runtime-console.js';
import { importWithRuntimeSdk, loadError, mountLayers, requireAsLambda } from './handler-loading.js';
import { endOwnProcesses } from './function-processes.js';
import { modulesOutside } from './outside-modules.js';
import { BEFORE_FIRST_WRITE, installAwsLambdaGlobal, STREAMING, type ResponseStream } from './awslambda-global.js';

type Callback = (err?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: unknown, callback: Callback) => unknown;

/**
 * How the invocation under way ends if the event loop empties before it settled, as the Node.js runtime's beforeExit
 * listener ends it (Runtime.js _setDefaultExitListener): an async handler fails with Runtime.NodeJsExit, any other
 * handler (a callback never called, a plain function's promise that never settles) answers null. While an invocation
 * runs, the IPC channel does not keep the process alive, so 'beforeExit' fires here as it does on Lambda; it keeps it
 * alive again as soon as the invocation settles (or the loop empties).
 */
let onEmptyLoop: (() => void) | undefined;
process.on('beforeExit', () => {
  process.channel?.ref();
  const settle = onEmptyLoop;
  onEmptyLoop = undefined;
  settle?.();
});

/** What the invocation under way writes, kept when it asked for its log (Invoke's LogType Tail). */
const outputTail = new OutputTail([process.stdout, process.stderr]);

function post(message: WorkerMessage, then?: () => void): void {
  // An invocation's last message carries the process's peak memory (REPORT's Max Memory Used), measured here so the
  // gateway reads no /proc file per request, and its output when it asked for its log.
  if (message.type === 'result' || message.type === 'end' || message.type === 'error') {
    message.peakRssKb = process.resourceUsage().maxRSS;
    const log = outputTail.take();
    if (log !== undefined) message.log = log;
  }
  if (process.connected) process.send?.(message, undefined, {}, () => then?.());
  else then?.();
}

const init = JSON.parse(process.argv[2] ?? '{}') as WorkerInit;
let handler: Handler | undefined;
let current: number | undefined;

/** A failure outside any invocation's promise chain ends the environment, as the runtime's process exits (129). */
function crash(err: unknown, label: 'Uncaught Exception' | 'Unhandled Promise Rejection'): void {
  logError(label, err);
  const error = toLambdaError(err);
  // 'crash' first: the parent must know this environment is gone before the invocation is released.
  // Exit once the messages are written: exiting at once could drop them.
  const exit = (): never => process.exit(129);
  if (current === undefined) return post({ type: 'crash', error }, exit);
  post({ type: 'crash', error });
  post({ type: 'error', id: current, error }, exit);
}
process.on('uncaughtException', (err) => crash(err, 'Uncaught Exception'));
process.on('unhandledRejection', (reason) => crash(new UnhandledPromiseRejection(reason), 'Unhandled Promise Rejection'));

async function load(): Promise<void> {
  installAwsLambdaGlobal();
  installLambdaConsole();
  if (init.sourcemap) process.setSourceMapsEnabled(true);
  if (init.layerMounts && init.layerMounts.length > 0) mountLayers(init.layerMounts, !init.commonjsRoot);
  if (init.localHosts) redirectLocalHosts(init.localHosts);
  resolvePrefixedAddresses();
  pointSdkV2AtLocalEndpoints();
  let mod: Record<string, unknown>;
  try {
    mod = init.commonjsRoot ? requireAsLambda(init.file, init.commonjsRoot) : await importWithRuntimeSdk(pathToFileURL(init.file).href, init.sdkParentUrl);
  } catch (err) {
    const error = loadError(err, init.file);
    return initFailure('Uncaught Exception', error, error.stackTrace.join('\n'));
  }
  // A property path, as the runtime's _resolveHandler walks it; a CommonJS module imported here has its exports as default.
  const at = (root: unknown): unknown => init.exportName.split('.').reduce<unknown>((value, key) => (value as Record<string, unknown> | undefined)?.[key], root);
  const fn = at(mod) ?? at(mod.default);
  if (typeof fn !== 'function') {
    // The runtime's two messages (UserFunction.js): nothing exported under the name, or something that is no function.
    const errorMessage = fn ? `${init.handler} is not a function` : `${init.handler} is undefined or not exported`;
    const error = toLambdaError(runtimeError('HandlerNotFound', errorMessage));
    return initFailure('Uncaught Exception', error, error.stackTrace.join('\n'));
  }
  // nodejs24.x's runtime reads a third parameter as a callback, which it no longer supports: refused before any invocation.
  if (init.noCallbacks && (fn as Handler).length >= 3 && (fn as unknown as Record<symbol, unknown>)[STREAMING] !== 'response') {
    return initFailure('Init Error', { errorType: 'Runtime.CallbackHandlerDeprecated', errorMessage: CALLBACK_HANDLER_DEPRECATED, stackTrace: [] });
  }
  handler = fn as Handler;
  const outside = init.packageFolders ? modulesOutside(init.packageFolders.roots, init.packageFolders.taskRoot) : [];
  post(outside.length > 0 ? { type: 'ready', outside } : { type: 'ready' });
}

/** An init failure: logged as the runtime logs it (`label`), then reported to the gateway. */
function initFailure(label: string, error: LambdaError, stack = `${error.errorType}: ${error.errorMessage}`): void {
  logError(label, namedError(error.errorType, error.errorMessage, stack));
  post({ type: 'init-error', error });
}

/** The nodejs24.x runtime's refusal of a handler with a callback parameter (`handler.length >= 3`), in its words. */
const CALLBACK_HANDLER_DEPRECATED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/**
 * A streaming handler's invocation: what it writes to its response stream goes back as it is written (a `chunk`
 * each, then `end`) for InvokeWithResponseStream, or whole as the result for a plain Invoke, as Lambda buffers it.
 * The invocation ends when the stream ends; a handler that resolves without ending it has it ended for it.
 */
function invokeStreaming(msg: InvokeMessage, fn: Handler, context: Record<string, unknown>): void {
  const collected: Buffer[] = [];
  let failed = false;
  const fail = (err: unknown): void => {
    if (failed || current !== msg.id) return;
    failed = true;
    current = undefined;
    logError('Invoke Error', err);
    post({ type: 'error', id: msg.id, error: toLambdaError(err) });
  };
  const send = (chunk: Buffer, done: () => void): void => {
    const prelude = stream[BEFORE_FIRST_WRITE];
    stream[BEFORE_FIRST_WRITE] = undefined;
    const bytes = prelude ? Buffer.concat([prelude, chunk]) : chunk;
    if (bytes.byteLength === 0) return done();
    if (msg.stream) post({ type: 'chunk', id: msg.id, data: new Uint8Array(bytes) }, () => done());
    else {
      collected.push(bytes);
      done();
    }
  };
  const stream: ResponseStream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      send(chunk, done);
    },
    final(done) {
      const finish = (): void => {
        if (!failed && current === msg.id) {
          current = undefined;
          // A plain Invoke of a streaming function returns the bytes it wrote (prelude included), not a JSON document.
          post(msg.stream ? { type: 'end', id: msg.id } : { type: 'result', id: msg.id, payload: Buffer.concat(collected).toString('utf8'), raw: true });
        }
        done();
      };
      // Ended with nothing written after its prelude: the prelude still goes out (a status and headers, no body).
      if (stream[BEFORE_FIRST_WRITE] && !failed) send(Buffer.alloc(0), finish);
      else finish();
    },
  });
  Object.assign(stream, { setContentType: () => undefined, [BEFORE_FIRST_WRITE]: null });
  stream.on('error', fail);
  try {
    const returned = fn(JSON.parse(msg.eventJson), stream as unknown as Record<string, unknown>, context as unknown as Callback) as Promise<unknown> | undefined;
    if (returned && typeof returned.then === 'function') returned.then(() => (stream.writableEnded ? undefined : stream.end()), fail);
  } catch (err) {
    fail(err);
  }
}

function invoke(msg: InvokeMessage): void {
  current = msg.id;
  outputTail.begin(msg.tail === true);
  setConsoleRequestId(msg.requestId);
  process.env._X_AMZN_TRACE_ID = msg.traceId;
  let settled = false;
  const finish: Callback = (err, result) => {
    if (settled) return;
    settled = true;
    current = undefined;
    if (onEmptyLoop) {
      onEmptyLoop = undefined;
      process.channel?.ref();
    }
    if (err !== undefined && err !== null) {
      logError('Invoke Error', err);
      return post({ type: 'error', id: msg.id, error: toLambdaError(err) });
    }
    let payload: string;
    try {
      payload = JSON.stringify(result === undefined ? null : result);
    } catch {
      // As the runtime's RAPID client: a result JSON.stringify refuses (a cycle, a BigInt) fails the invocation with
      // its own error, whatever JSON.stringify said.
      const error = new Error('Unable to stringify response body');
      logError('Invoke Error', error);
      return post({ type: 'error', id: msg.id, error: toLambdaError(error) });
    }
    if (!msg.stream) return post({ type: 'result', id: msg.id, payload });
    // A function that does not stream, invoked with InvokeWithResponseStream: its whole result is the one chunk.
    post({ type: 'chunk', id: msg.id, data: new TextEncoder().encode(payload) });
    post({ type: 'end', id: msg.id });
  };
  const context = {
    ...init.context,
    ...msg.qualified,
    awsRequestId: msg.requestId,
    ...(msg.tenantId === undefined ? {} : { tenantId: msg.tenantId }),
    // The Node.js runtime's context always has the key: undefined when the invocation carried no client context.
    clientContext: msg.clientContext === undefined ? undefined : (JSON.parse(msg.clientContext) as unknown),
    getRemainingTimeInMillis: () => Math.max(0, msg.deadline - Date.now()),
    // nodejs24.x's context has none of these: a handler calling them gets the TypeError it gets there.
    ...(init.noCallbacks
      ? {}
      : {
          // Choice: the flag is honoured as a value only; the response is sent when the callback runs either way.
          callbackWaitsForEmptyEventLoop: true,
          done: finish,
          succeed: (result: unknown) => finish(null, result),
          fail: (err: unknown) => finish(err ?? NO_REASON),
        }),
  };
  if (handler && (handler as unknown as Record<symbol, unknown>)[STREAMING] === 'response') return invokeStreaming(msg, handler, context);
  runHandler(msg, context, finish);
}

/** Calls the handler with the callback that settles this invocation; a promise it returns settles it too. */
function runHandler(msg: InvokeMessage, context: Record<string, unknown>, finish: Callback): void {
  // nodejs24.x calls handler(event, context) and awaits what it returns, a plain value as a promise's.
  if (init.noCallbacks) {
    // Its promise is awaited: one still pending when nothing is left to run ends as the other runtimes end it.
    onEmptyLoop = () => finish(new NodeJsExit());
    process.channel?.unref();
    try {
      const twoArguments = handler as unknown as (event: unknown, context: unknown) => unknown;
      Promise.resolve(twoArguments(JSON.parse(msg.eventJson), context)).then((r) => finish(null, r), (e: unknown) => finish(e ?? NO_REASON));
    } catch (err) {
      finish(err);
    }
    return;
  }
  const isAsync = handler?.constructor.name === 'AsyncFunction';
  onEmptyLoop = () => (isAsync ? finish(new NodeJsExit()) : finish(null, null));
  process.channel?.unref();
  try {
    // Only a handler that may return no promise needs the snapshot (not on the path of async handlers).
    const before = isAsync ? undefined : activeResources();
    const returned = handler?.(JSON.parse(msg.eventJson), context, finish);
    if (returned && typeof (returned as Promise<unknown>).then === 'function') {
      (returned as Promise<unknown>).then((r) => finish(null, r), (e: unknown) => finish(e ?? NO_REASON));
    } else if ((handler?.length ?? 0) < 3) {
      nullWhenIdle(msg.id, before ?? new Map(), finish);
    }
  } catch (err) {
    finish(err);
  }
}

/** Each kind of resource keeping the event loop alive (timers, sockets...), counted. */
function activeResources(): Map<string, number> {
  const counts = new Map<string, number>();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/**
 * A handler that returns no promise and takes no callback: the Node.js runtime answers null once the event loop is
 * empty (its beforeExit hook), unless `context.succeed`, `done` or `fail` answered first, as `aws-serverless-express`'s
 * `proxy(server, event, context)` does. Here the environment's own channel keeps the loop alive, so "empty" is: no
 * more timers, sockets or other handles than before the handler ran.
 */
function nullWhenIdle(id: number, before: Map<string, number>, finish: Callback): void {
  const check = setInterval(() => {
    if (current !== id) return clearInterval(check);
    for (const [kind, count] of activeResources()) if (count > (before.get(kind) ?? 0)) return;
    clearInterval(check);
    finish(null, null);
  }, 1);
  // The check itself must not count as work the function left pending.
  check.unref();
}

process.on('message', (msg: InvokeMessage) => invoke(msg));
// Ctrl-C in a terminal sends SIGINT to its whole foreground process group, the environments included (sam local's
// containers are not in it): the gateway ends its environments itself as it shuts down, and one that died of the
// signal first failed the invocation under way with a 502. A listener rather than SIG_IGN, which Node resets at
// start: the function's own SIGINT listeners still run (and one that exits still ends the process), as before.
process.on('SIGINT', () => undefined);
// The gateway went away (even killed without a chance to clean up): an environment never outlives it, nor do the
// processes its function started, which the gateway would have ended with it. The name is read now: the function
// may change its own process.env.
const logStreamName = process.env.AWS_LAMBDA_LOG_STREAM_NAME;
process.on('disconnect', () => {
  endOwnProcesses(logStreamName);
  process.exit(0);
});
void load();
