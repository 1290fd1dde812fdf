/**
 * `--debug-port` and `--debug-function`, as `sam local` reads them: the Node.js function a debugger attaches to. With
 * warm containers (always, here) and several functions but no `--debug-function`, the SAM CLI warns and debugs
 * nothing; here that is refused, naming the candidates (deliberately: a start that ignores the debugger asked for
 * looks like a debugger that never attaches), unless one Node.js function is the only one it can attach to.
 */
import { createServer } from 'node:net';
import type { FunctionSpec } from '../template/model.js';
import { TemplateError } from '../template/model.js';
import type { FunctionDebug } from './runtime-options.js';

/** What the command line asked for: a port, and the function when it named one. */
export interface DebugRequest {
  port: number;
  functionLogicalId?: string;
}

const isNode = (spec: FunctionSpec): boolean => /^nodejs/.test(spec.runtime);

/** The function under the debugger, or a TemplateError saying why none can be (file: the template's path). */
export function debuggedFunction(file: string, functions: ReadonlyMap<string, FunctionSpec>, request: DebugRequest): FunctionDebug {
  const nodeFunctions = [...functions.values()].filter((f) => isNode(f) && !f.unavailable).map((f) => f.logicalId);
  const named = request.functionLogicalId;
  if (named !== undefined) {
    const spec = functions.get(named);
    if (!spec) throw new TemplateError(file, '--debug-function', `no function ${named} in this template (its Node.js functions: ${nodeFunctions.join(', ') || 'none'})`);
    if (!isNode(spec)) {
      throw new TemplateError(file, '--debug-function', `${named} runs ${spec.runtime}: only Node.js functions run under a debugger here (the Node inspector); debug a Python function with debugpy started from its own code`);
    }
    return { functionLogicalId: named, port: request.port };
  }
  if (nodeFunctions.length === 1) return { functionLogicalId: nodeFunctions[0]!, port: request.port };
  throw new TemplateError(file, '--debug-port', nodeFunctions.length === 0 ? 'no Node.js function to debug in this template' : `name the function to debug with --debug-function (one of ${nodeFunctions.join(', ')}): one inspector port serves one function`);
}

/**
 * Refuses a port that something already listens on at start (another debugger, the gateway itself run with node
 * --inspect): there the environment's inspector could not listen, and Node runs it anyway, unpaused, with no debugger
 * and (debugged) no time limit. `sam local -d` fails too then, Docker refusing to publish a port in use.
 */
export async function assertInspectorPortFree(file: string, port: number): Promise<void> {
  const inUse = await new Promise<boolean>((resolve) => {
    const probe = createServer();
    probe.once('error', () => resolve(true));
    probe.listen(port, '127.0.0.1', () => probe.close(() => resolve(false)));
  });
  if (inUse) throw new TemplateError(file, '--debug-port', `127.0.0.1:${port} is in use: the debugged function's inspector could not listen there (choose another port, or end what listens on it)`);
}

/** The start report's line for the function under the debugger. */
export function debugNote(debug: FunctionDebug, timeoutSeconds: number): string {
  return (
    `${debug.functionLogicalId}: runs under the Node.js inspector on 127.0.0.1:${debug.port}: its environment starts on its first request, paused before its first line until a debugger attaches ` +
    `(VS Code: an "attach" configuration with "port": ${debug.port}; or chrome://inspect); one environment at a time, and while it is debugged ` +
    `neither the 10 s init limit, its Timeout (${timeoutSeconds} s) nor API Gateway's integration timeout ends an invocation, as under sam local`
  );
}
