/**
 * One Lambda execution environment, the child process's entry: loads the handler once (init phase), then
 * serves one invocation at a time over the IPC channel, like the Node.js runtime interface client.
 * Self-contained (node built-ins only): it is bundled into one CommonJS file.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { format, types } from 'node:util';
import { dirname, join, sep } from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { redirectLocalHosts, resolvePrefixedAddresses, type LocalHosts } from './local-hosts.js';
import { pointSdkV2AtLocalEndpoints } from './sdk-v2-endpoints.js';
import { OutputTail } from './log-tail.js';

export interface WorkerInit {
  file: string;
  exportName: string;
  handler: string;
  sourcemap: boolean;
  /** Load the handler as CommonJS, with `.js` files under this directory compiled as CommonJS (Lambda's package boundary). */
  commonjsRoot?: string;
  /** A file URL from which `@aws-sdk/*` imports resolve when the function's folders lack them (runtime-provided SDK). */
  sdkParentUrl?: string;
  /** The function's layers: the local folder each stands for under /opt (lambda/layer-paths.ts), the one that wins first. */
  layerMounts?: { opt: string; dir: string }[];
  /** Execute-api hosts of the template's WebSocket APIs and their local ports (lambda/local-hosts.ts). */
  localHosts?: LocalHosts;
  /** nodejs24.x and later: a handler with a callback parameter is refused at init, and the context has no succeed/fail/done. */
  noCallbacks?: boolean;
  context: {
    functionName: string;
    functionVersion: string;
    invokedFunctionArn: string;
    memoryLimitInMB: string;
    logGroupName: string;
    logStreamName: string;
  };
}

export interface InvokeMessage {
  id: number;
  /** The event as JSON: Lambda hands functions a JSON document. */
  eventJson: string;
  requestId: string;
  /** `_X_AMZN_TRACE_ID` of this invocation, set in the environment as the Node.js runtime sets it. */
  traceId: string;
  /** Epoch ms at which the function's Timeout expires. */
  deadline: number;
  /** InvokeWithResponseStream: the response goes back as `chunk` messages and an `end`, as it is written. */
  stream?: boolean;
  /** A tenant-isolated function's tenant: the context's tenantId (Lambda-Runtime-Aws-Tenant-Id for a custom runtime). */
  tenantId?: string;
  /** Invoke's client context as JSON: the context's clientContext, parsed (Lambda-Runtime-Client-Context for a custom runtime). */
  clientContext?: string;
  /** Invoke's LogType Tail: the invocation's last message carries what it wrote (`log`, its last 4 KB). */
  tail?: true;
}

export interface LambdaError {
  errorType: string;
  errorMessage: string;
  stackTrace: string[];
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'init-error'; error: LambdaError }
  | { type: 'result'; id: number; payload: string; raw?: boolean; peakRssKb?: number; log?: string }
  | { type: 'chunk'; id: number; data: Uint8Array }
  | { type: 'end'; id: number; peakRssKb?: number; log?: string }
  | { type: 'error'; id: number; error: LambdaError; peakRssKb?: number; log?: string }
  | { type: 'crash'; error: LambdaError };

type Callback = (err?: unknown, result?: unknown) => void;
type Handler = (event: unknown, context: unknown, callback: Callback) => unknown;

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
function toLambdaError(err: unknown): LambdaError {
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
class NodeJsExit extends Error {
  constructor() {
    super('The Lambda runtime client detected an unexpected Node.js exit code. This is most commonly caused by a Promise that was never settled. For more information, see https://nodejs.org/docs/latest/api/process.html#exit-codes');
  }
}
NodeJsExit.prototype.name = 'Runtime.NodeJsExit';

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

/** What `context.fail()` and a promise rejected with no reason fail with, as the runtime does: the string 'handled'. */
const NO_REASON = 'handled';

/**
 * The runtime's wrapper of an unhandled rejection's reason: named Runtime.UnhandledPromiseRejection, its message the
 * reason as text (an Error reads "Error: <message>"), its stack its own.
 */
class UnhandledPromiseRejection extends Error {
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

type CompiledModule = { _compile(source: string, filename: string): void };

/**
 * Lambda sees only the deployment package: a `.js` file with no package.json between it and the package
 * root is CommonJS there, even when a package.json above the code directory (a repo's "type": "module")
 * would make Node load it as ESM here. Such files are compiled as CommonJS, whoever requires them.
 */
function requireAsLambda(file: string, root: string): Record<string, unknown> {
  const extensions = (Module as unknown as { _extensions: Record<string, (m: CompiledModule, filename: string) => void> })._extensions;
  const nodeDefault = extensions['.js'] as (m: CompiledModule, filename: string) => void;
  const ownPackageJson = (filename: string): boolean => {
    for (let dir = dirname(filename); dir.startsWith(root); dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json'))) return true;
      if (dir === root) break;
    }
    return false;
  };
  extensions['.js'] = (module, filename) => {
    if (filename.startsWith(root + sep) && !ownPackageJson(filename)) return module._compile(readFileSync(filename, 'utf8'), filename);
    return nodeDefault(module, filename);
  };
  return createRequire(file)(file) as Record<string, unknown>;
}

/**
 * Lambda's runtime provides the AWS SDK v3 to ES modules too. Resolve hooks cost a loader thread, so they are added
 * only when an `@aws-sdk/*` import failed; the handler is then imported again under a new URL (a failed import stays
 * cached under its own), which is safe because a module whose imports do not resolve has not run.
 */
async function importWithRuntimeSdk(url: string): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (!init.sdkParentUrl || !missingSdkPackage(error)) throw error;
    const hook = `const parent = ${JSON.stringify(init.sdkParentUrl)};
export async function resolve(specifier, context, next) {
  try { return await next(specifier, context); } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@aws-sdk/')) throw error;
    try { return await next(specifier, { ...context, parentURL: parent }); } catch { throw error; }
  }
}`;
    Module.register(`data:text/javascript,${encodeURIComponent(hook)}`);
    return (await import(`${url}?runtime-sdk`)) as Record<string, unknown>;
  }
}

/** The `@aws-sdk/...` package an import failed to find, if that is why it failed. */
function missingSdkPackage(error: unknown): string | undefined {
  return /Cannot find (?:module|package) '(@aws-sdk\/[^/']+)/.exec(error instanceof Error ? error.message : '')?.[1];
}

/**
 * A path under /opt (`require('/opt/nodejs/util')`, `import '/opt/nodejs/util.mjs'`) is read from the layers' local
 * folders, as Lambda would read it from the layers it extracted there: CommonJS through Node's resolver, ES modules
 * through a resolve hook (added only for a function that has layers).
 */
function mountLayers(mounts: { opt: string; dir: string }[], esm: boolean): void {
  const local = (optPath: string): string[] => mounts.filter((m) => optPath === m.opt || optPath.startsWith(`${m.opt}/`)).map((m) => m.dir + optPath.slice(m.opt.length));
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolveFilename = resolver._resolveFilename;
  resolver._resolveFilename = function (request, ...rest) {
    if (request.startsWith('/opt/')) {
      for (const candidate of local(request)) {
        try {
          return resolveFilename.call(this, candidate, ...rest);
        } catch {
          // Not in this layer: the next one, then Node's own error for /opt.
        }
      }
    }
    return resolveFilename.call(this, request, ...rest);
  };
  if (!esm) return;
  const hook = `import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
const mounts = ${JSON.stringify(mounts)};
export async function resolve(specifier, context, next) {
  const path = specifier.startsWith('file:///opt/') ? decodeURIComponent(specifier.slice(7)) : specifier.startsWith('/opt/') ? specifier : undefined;
  if (path !== undefined) {
    for (const m of mounts) {
      if (path !== m.opt && !path.startsWith(m.opt + '/')) continue;
      try { return await next(pathToFileURL(m.dir + path.slice(m.opt.length)).href, context); } catch {}
    }
  }
  return next(specifier, context);
}`;
  Module.register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/**
 * A failure to load the handler's module, as the runtime interface client classifies it: a syntax error is
 * Runtime.UserCodeSyntaxError, a CommonJS module not found (or no handler file) Runtime.ImportModuleError, each with
 * the error's name before its message; anything else (an ES module's missing package, ERR_MODULE_NOT_FOUND, or an
 * error the module's own code threw) is reported as it was thrown.
 */
function loadError(err: unknown): LambdaError {
  const e = toLambdaError(err);
  if (err instanceof SyntaxError) return { ...e, errorType: 'Runtime.UserCodeSyntaxError', errorMessage: `SyntaxError: ${e.errorMessage}` };
  if ((err as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND' || !existsSync(init.file)) return { ...e, errorType: 'Runtime.ImportModuleError', errorMessage: `${e.errorType}: ${e.errorMessage}` };
  return e;
}

/** The request id of the invocation under way: what the runtime's console lines carry (`undefined` during init, as on Lambda). */
let consoleRequestId: string | undefined;

/**
 * The Node.js runtime's console. Text log format: each line `<ISO time>\t<request id>\t<LEVEL>\t<message>`, the
 * message formatted as console.log formats it; newlines stay newlines (Lambda turns them into \r so that CloudWatch keeps
 * one event; a terminal would draw them over each other). JSON log format (LoggingConfig, AWS_LAMBDA_LOG_FORMAT): one
 * `{"timestamp","level","requestId","message"}` object per line, below AWS_LAMBDA_LOG_LEVEL dropped.
 */
function installLambdaConsole(): void {
  const write = logLineWriter();
  const levels = { log: 'INFO', info: 'INFO', warn: 'WARN', error: 'ERROR', debug: 'DEBUG', trace: 'TRACE' } as const;
  const json = process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON';
  const order = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];
  const least = order.indexOf((process.env.AWS_LAMBDA_LOG_LEVEL ?? 'INFO').toUpperCase());
  for (const [method, level] of Object.entries(levels)) {
    (console as unknown as Record<string, (...args: unknown[]) => void>)[method] = json
      ? (...args: unknown[]) => {
          if (order.indexOf(level) >= least) write(jsonLogLine(level, args));
        }
      : (...args: unknown[]) => {
          write(`${new Date().toISOString()}\t${consoleRequestId}\t${level}\t${format(...args)}`);
        };
  }
}

/**
 * Writes one runtime log line on its own line: Lambda's runtime logs through its own channel, so a function's raw
 * `process.stdout.write` without a newline never runs into the next console line, as it would on a shared stdout.
 */
function logLineWriter(): (line: string) => void {
  const stdout = process.stdout;
  const raw = stdout.write.bind(stdout) as (chunk: string | Uint8Array, ...rest: unknown[]) => boolean;
  let midLine = false;
  stdout.write = ((chunk: string | Uint8Array, ...rest: unknown[]) => {
    const length = chunk.length;
    if (length > 0) midLine = typeof chunk === 'string' ? !chunk.endsWith('\n') : chunk[length - 1] !== 0x0a;
    return raw(chunk, ...rest);
  }) as typeof stdout.write;
  return (line) => {
    raw(midLine ? `\n${line}\n` : `${line}\n`);
    midLine = false;
  };
}

/** An error as the JSON log format writes it: its class, message and stack lines, then its own enumerable fields. */
const errorFields = (error: Error) => ({ errorType: error.constructor?.name ?? 'UnknownError', errorMessage: error.message, stackTrace: typeof error.stack === 'string' ? error.stack.split('\n') : [], ...error });

/** An error as the text log format writes it: name, message, code, its own fields, the stack as lines. */
const textErrorFields = (error: Error) => ({ errorType: error.name, errorMessage: error.message, code: (error as { code?: unknown }).code, ...error, ...(typeof error.stack === 'string' ? { stack: error.stack.split('\n') } : {}) });

/** An Error of the runtime's own kind (Runtime.ImportModuleError...): its name and stack not enumerable, as an Error's are. */
function namedError(name: string, message: string, stack: string): Error {
  const error = new Error(message);
  Object.defineProperty(error, 'name', { value: name, enumerable: false, configurable: true, writable: true });
  Object.defineProperty(error, 'stack', { value: stack, enumerable: false, configurable: true, writable: true });
  return error;
}

/**
 * The line the Node.js runtime logs when an invocation fails ('Invoke Error') or the environment does ('Uncaught
 * Exception', 'Unhandled Promise Rejection'): in the text format the label and the error as a tab-led JSON document,
 * in the JSON format the error itself as the message.
 */
function logError(label: string, err: unknown): void {
  const error = err instanceof Error ? err : new Error(String(err));
  if (process.env.AWS_LAMBDA_LOG_FORMAT?.toUpperCase() === 'JSON') return console.error(error);
  let document: string;
  try {
    document = JSON.stringify(error, (_key, value: unknown) => (value instanceof Error ? textErrorFields(value) : value));
  } catch {
    // A cycle or a BigInt among its own fields: the error's name, message and stack only.
    document = JSON.stringify(toLambdaError(error));
  }
  console.error(label, `\t${document}`);
}

/** One JSON log line: a single value is the message as it is (an Error as its fields); several are formatted, the first Error's fields beside. */
function jsonLogLine(level: string, args: unknown[]): string {
  const line: Record<string, unknown> = { timestamp: new Date().toISOString(), level, requestId: consoleRequestId };
  if (args.length <= 1) {
    line.message = args[0];
    try {
      return JSON.stringify(line, (_key, value: unknown) => (value instanceof Error ? errorFields(value) : value));
    } catch {
      // A cycle, a BigInt: the message as console.log would show it.
      return JSON.stringify({ ...line, message: format(args[0]) });
    }
  }
  const error = args.find((a): a is Error => a instanceof Error);
  return JSON.stringify({ ...line, message: format(...args), ...(error ? errorFields(error) : {}) });
}

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
    mod = init.commonjsRoot ? requireAsLambda(init.file, init.commonjsRoot) : await importWithRuntimeSdk(pathToFileURL(init.file).href);
  } catch (err) {
    const error = loadError(err);
    return initFailure('Uncaught Exception', error, error.stackTrace.join('\n'));
  }
  const fromDefault = (mod.default as Record<string, unknown> | undefined)?.[init.exportName];
  const fn = mod[init.exportName] ?? fromDefault;
  if (typeof fn !== 'function') {
    // The runtime's two messages (UserFunction.js): nothing exported under the name, or something that is no function.
    const errorMessage = fn ? `${init.handler} is not a function` : `${init.handler} is undefined or not exported`;
    return initFailure('Uncaught Exception', { errorType: 'Runtime.HandlerNotFound', errorMessage, stackTrace: [] });
  }
  // nodejs24.x's runtime reads a third parameter as a callback, which it no longer supports: refused before any invocation.
  if (init.noCallbacks && (fn as Handler).length >= 3 && (fn as unknown as Record<symbol, unknown>)[STREAMING] !== 'response') {
    return initFailure('Init Error', { errorType: 'Runtime.CallbackHandlerDeprecated', errorMessage: CALLBACK_HANDLER_DEPRECATED, stackTrace: [] });
  }
  handler = fn as Handler;
  post({ type: 'ready' });
}

/** An init failure: logged as the runtime logs it (`label`), then reported to the gateway. */
function initFailure(label: string, error: LambdaError, stack = `${error.errorType}: ${error.errorMessage}`): void {
  logError(label, namedError(error.errorType, error.errorMessage, stack));
  post({ type: 'init-error', error });
}

/** The nodejs24.x runtime's refusal of a handler with a callback parameter (`handler.length >= 3`), in its words. */
const CALLBACK_HANDLER_DEPRECATED =
  'ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node.js 24. You need to modify this function to use a supported handler signature to use Node.js 24 or later. For more information see https://docs.aws.amazon.com/lambda/latest/dg/nodejs-handler.html.';

/** How the Node.js runtime marks a handler wrapped by `awslambda.streamifyResponse`. */
const STREAMING = Symbol.for('aws.lambda.runtime.handler.streaming');
/** What `awslambda.HttpResponseStream.from` writes between its JSON prelude and the payload: 8 NUL bytes. */
const PRELUDE_DELIMITER = new Uint8Array(8);
/** Where a response stream of this runtime keeps a prelude until its first write (the runtime's `_onBeforeFirstWrite`). */
const BEFORE_FIRST_WRITE = Symbol('beforeFirstWrite');
type ResponseStream = Writable & { setContentType?: (type: string) => void; [BEFORE_FIRST_WRITE]?: Buffer | null };

/**
 * The `awslambda` global Lambda's Node.js runtime gives functions for response streaming: `streamifyResponse` marks a
 * handler `(event, responseStream, context)`, and `HttpResponseStream.from` writes the HTTP prelude (status, headers,
 * cookies) API Gateway and function URLs read before the payload.
 */
function installAwsLambdaGlobal(): void {
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
  consoleRequestId = msg.requestId;
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
// The gateway went away (even killed without a chance to clean up): an environment never outlives it.
process.on('disconnect', () => process.exit(0));
void load();
