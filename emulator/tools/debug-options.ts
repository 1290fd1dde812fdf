/** `-d/--debug-port` and `--debug-function`, read as `sam local start-api`, `start-lambda` and `invoke` read them. */
import type { DebugRequest } from '../lambda/debug.js';
import { UsageError } from './args.js';

export const DEBUG_OPTIONS = {
  // Several times, as the SAM CLI's -d (click multiple=True): some runtimes' debuggers take two ports.
  'debug-port': { type: 'string', short: 'd', multiple: true },
  'debug-function': { type: 'string' },
} as const;

export const DEBUG_USAGE = `  -d, --debug-port <n>          run a Node.js function under the inspector on 127.0.0.1:<n>, paused until a
                                debugger attaches; no time limit ends it while debugged (as sam local -d)
  --debug-function <LogicalId>  the function to debug (needed when the template has several Node.js functions;
                                a nested stack's as Child/LogicalId; without --debug-port it is ignored, as in sam local)`;

type DebugValues = { 'debug-port'?: string[]; 'debug-function'?: string };

/**
 * The debug request of the command line, or undefined without --debug-port (--debug-function alone debugs nothing).
 * Of several ports the first is the inspector's: the SAM CLI starts Node.js with --inspect-brk on its debug_ports[0]
 * (lambda_container.py) and only publishes the others (debugOptionLines says so).
 */
export function parseDebug(values: DebugValues, usage?: string): DebugRequest | undefined {
  const texts = values['debug-port'];
  if (texts === undefined || texts.length === 0) return undefined;
  for (const text of texts) {
    const port = Number(text);
    if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--debug-port: not a port number: ${text}`, usage);
  }
  return { port: Number(texts[0]), ...(values['debug-function'] === undefined ? {} : { functionLogicalId: values['debug-function'] }) };
}

/**
 * The stderr lines for a --debug-function without --debug-port (often a samconfig debug_function kept for the days a
 * port is given): the SAM CLI debugs nothing then (its DebugContext is false without ports) and starts as usual; and
 * for the ports after the first, on which no Node.js inspector listens (the SAM CLI publishes them from its container).
 */
export function debugOptionLines(values: DebugValues): string[] {
  const named = values['debug-function'];
  const [first, ...others] = values['debug-port'] ?? [];
  if (first === undefined) return named !== undefined ? [`sam-local-gateway: --debug-function ${named} ignored: no --debug-port (sam local debugs only with a port too)`] : [];
  return others.length > 0 ? [`sam-local-gateway: --debug-port ${others.join(', ')} unused: a Node.js function's inspector listens on the first port given (${first}), as under sam local, which publishes the others from the container where nothing listens on them`] : [];
}
