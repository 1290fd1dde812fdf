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

/** One stack's functions, `path` its place in the template (`''` for the root, `Child/` for a nested stack). */
export interface DebugStack {
  path: string;
  functions: ReadonlyMap<string, FunctionSpec>;
}

/** The function under the debugger and the stack it is in (`path`, as DebugStack's). */
export type DebugTarget = FunctionDebug & { path: string };

/**
 * The function under the debugger, or a TemplateError saying why none can be (file: the template's path). A nested
 * stack's function is named by its full path (`Child/Function`, the SAM CLI's function identifier), or by its logical
 * id when no other function has it: a full path first, then a logical id, as the SAM CLI's SamFunctionProvider.get
 * looks functions up (its warm containers debug the functions whose logical id is --debug-function).
 */
export function debuggedFunction(file: string, stacks: readonly DebugStack[], request: DebugRequest): DebugTarget {
  const all = stacks.flatMap(({ path, functions }) => [...functions.values()].map((spec) => ({ path, spec, fullPath: `${path}${spec.logicalId}` })));
  const nodeFunctions = all.filter((f) => isNode(f.spec) && !f.spec.unavailable).map((f) => f.fullPath);
  const named = request.functionLogicalId;
  if (named !== undefined) {
    const byId = all.filter((f) => f.spec.logicalId === named);
    const found = all.find((f) => f.fullPath === named) ?? (byId.length === 1 ? byId[0] : undefined);
    if (byId.length > 1 && !found) throw new TemplateError(file, '--debug-function', `${named} is the logical id of a function in several stacks (${byId.map((f) => f.fullPath).join(', ')}): name one by its full path`);
    if (!found) throw new TemplateError(file, '--debug-function', `no function ${named} in this template (its Node.js functions: ${nodeFunctions.join(', ') || 'none'})`);
    if (!isNode(found.spec)) {
      throw new TemplateError(file, '--debug-function', `${named} runs ${found.spec.runtime}: only Node.js functions run under a debugger here (the Node inspector); debug a Python function with debugpy started from its own code`);
    }
    return { path: found.path, functionLogicalId: found.spec.logicalId, port: request.port };
  }
  const only = nodeFunctions.length === 1 ? all.find((f) => f.fullPath === nodeFunctions[0]) : undefined;
  if (only) return { path: only.path, functionLogicalId: only.spec.logicalId, port: request.port };
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
