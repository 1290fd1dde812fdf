/**
 * The Node.js runtime's console and its error lines, as a function's logs show them (text or JSON log format).
 * Runs inside the execution environment, bundled into worker.ts's file: node built-ins only.
 */
import { format } from 'node:util';
import { toLambdaError } from './runtime-errors.js';

/** The request id of the invocation under way: what the runtime's console lines carry (`undefined` during init, as on Lambda). */
let consoleRequestId: string | undefined;

/** A new invocation under way: its console lines carry its request id. */
export function setConsoleRequestId(requestId: string): void {
  consoleRequestId = requestId;
}

/**
 * The Node.js runtime's console. Text log format: each line `<ISO time>\t<request id>\t<LEVEL>\t<message>`, the
 * message formatted as console.log formats it; newlines stay newlines (Lambda turns them into \r so that CloudWatch keeps
 * one event; a terminal would draw them over each other). JSON log format (LoggingConfig, AWS_LAMBDA_LOG_FORMAT): one
 * `{"timestamp","level","requestId","message"}` object per line, below AWS_LAMBDA_LOG_LEVEL dropped.
 */
export function installLambdaConsole(): void {
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

/**
 * The line the Node.js runtime logs when an invocation fails ('Invoke Error') or the environment does ('Uncaught
 * Exception', 'Unhandled Promise Rejection'): in the text format the label and the error as a tab-led JSON document,
 * in the JSON format the error itself as the message.
 */
export function logError(label: string, err: unknown): void {
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
