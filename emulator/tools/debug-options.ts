/** `-d/--debug-port` and `--debug-function`, read as `sam local start-api`, `start-lambda` and `invoke` read them. */
import type { DebugRequest } from '../lambda/debug.js';
import { UsageError } from './args.js';

export const DEBUG_OPTIONS = {
  'debug-port': { type: 'string', short: 'd' },
  'debug-function': { type: 'string' },
} as const;

export const DEBUG_USAGE = `  -d, --debug-port <n>          run a Node.js function under the inspector on 127.0.0.1:<n>, paused until a
                                debugger attaches; no time limit ends it while debugged (as sam local -d)
  --debug-function <LogicalId>  the function to debug (needed when the template has several Node.js functions;
                                a nested stack's as Child/LogicalId; without --debug-port it is ignored, as in sam local)`;

type DebugValues = { 'debug-port'?: string; 'debug-function'?: string };

/** The debug request of the command line, or undefined without --debug-port (--debug-function alone debugs nothing). */
export function parseDebug(values: DebugValues, usage?: string): DebugRequest | undefined {
  const text = values['debug-port'];
  if (text === undefined) return undefined;
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--debug-port: not a port number: ${text}`, usage);
  return { port, ...(values['debug-function'] === undefined ? {} : { functionLogicalId: values['debug-function'] }) };
}

/**
 * The stderr line for a --debug-function without --debug-port (often a samconfig debug_function kept for the days a
 * port is given): the SAM CLI debugs nothing then (its DebugContext is false without ports) and starts as usual.
 */
export function debugOptionLines(values: DebugValues): string[] {
  const named = values['debug-function'];
  return named !== undefined && values['debug-port'] === undefined ? [`sam-local-gateway: --debug-function ${named} ignored: no --debug-port (sam local debugs only with a port too)`] : [];
}
