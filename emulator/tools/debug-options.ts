/** `-d/--debug-port` and `--debug-function`, read as `sam local start-api`, `start-lambda` and `invoke` read them. */
import type { DebugRequest } from '../lambda/debug.js';
import { UsageError } from './args.js';

export const DEBUG_OPTIONS = {
  'debug-port': { type: 'string', short: 'd' },
  'debug-function': { type: 'string' },
} as const;

export const DEBUG_USAGE = `  -d, --debug-port <n>          run a Node.js function under the inspector on 127.0.0.1:<n>, paused until a
                                debugger attaches; no time limit ends it while debugged (as sam local -d)
  --debug-function <LogicalId>  the function to debug (needed when the template has several Node.js functions)`;

/** The debug request of the command line, or undefined without --debug-port (--debug-function alone is an error). */
export function parseDebug(values: { 'debug-port'?: string; 'debug-function'?: string }, usage?: string): DebugRequest | undefined {
  const text = values['debug-port'];
  if (text === undefined) {
    if (values['debug-function'] !== undefined) throw new UsageError('--debug-function needs --debug-port', usage);
    return undefined;
  }
  const port = Number(text);
  if (!/^\d+$/.test(text) || !Number.isInteger(port) || port < 1 || port > 65535) throw new UsageError(`--debug-port: not a port number: ${text}`, usage);
  return { port, ...(values['debug-function'] === undefined ? {} : { functionLogicalId: values['debug-function'] }) };
}
