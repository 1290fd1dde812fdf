/**
 * How an execution environment of a function whose code is ready starts, per runtime: Lambda's variables and context
 * object, then the Node.js worker (layers' node_modules and the runtime's AWS SDK on NODE_PATH), the Python bootstrap
 * (the function's and layers' paths) or a custom runtime's bootstrap, in a child process (environment-process.ts).
 */
import { delimiter, dirname, join } from 'node:path';
import type { FunctionSpec } from '../template/model.js';
import type { BuiltFunction } from './build.js';
import type { LambdaClock } from './clock.js';
import { isCustomRuntime, type CustomFunction } from './custom-runtime.js';
import { lambdaEnvironment, logStreamName, type EnvironmentOptions } from './environment.js';
import { ExecutionEnvironment, type FunctionOutput } from './environment-process.js';
import { layerMounts, libraryLayerPaths, nodeLayerPaths, pythonLayerPaths, type LayerMount } from './layer-paths.js';
import type { LocalHosts } from './local-hosts.js';
import { isPythonRuntime, pythonBootstrap, pythonExtraPaths, type PythonInterpreter } from './python.js';
import { runtimeModules } from './runtime-modules.js';
import type { WorkerInit } from './environment-messages.js';
import { workerScript } from './worker-script.js';

/** A Python function ready to run: nothing to build, an interpreter found for its Runtime, its code's directory. */
export interface PythonFunction extends PythonInterpreter {
  codeDir: string;
}

/** Node.js: the built handler module; Python: the interpreter and the code's directory; custom: the bootstrap. */
export type ReadyFunction = BuiltFunction | PythonFunction | CustomFunction;

/** What every environment of the service starts with, beside the function and its code. */
export interface StartSettings extends EnvironmentOptions {
  clock: LambdaClock;
  /** `sam build`'s output folder (layers built there are mounted from it). */
  samBuild: string;
  functionStdout?: FunctionOutput;
  localHosts?: () => LocalHosts;
  /** The inspector's port, for the Node.js function under a debugger (runtime-options.ts debug). */
  inspectPort?: number;
}

/**
 * Lambda's path variables, in their local places: PWD the working directory (the task root); LAMBDA_RUNTIME_DIR the
 * folder of the local runtime interface client, where Lambda's is /var/runtime; LD_LIBRARY_PATH the task root and its
 * lib/, then the layers' lib/ (/opt/lib), after which Lambda lists only its own runtime's and system folders (the host's
 * LD_LIBRARY_PATH, when set, follows); PYTHONPATH the runtime folder, as Lambda's is $LAMBDA_RUNTIME_DIR (the function's
 * and layers' folders go on sys.path, python-bootstrap.py, as Lambda's bootstrap puts them there). The unreserved ones
 * (LD_LIBRARY_PATH, PYTHONPATH) a function's own Environment may set, and then keeps. AWS_LAMBDA_RUNTIME_API is not
 * set for Node.js and Python: their environments talk to the gateway over an IPC channel, and an address that
 * nothing answers would leave a library that polls it waiting (custom runtimes get the runtime API's, runtime-api.ts).
 */
function setPaths(env: Record<string, string>, spec: FunctionSpec, settings: { cwd: string; runtimeDir?: string; mounts: LayerMount[]; python?: true }): void {
  env.PWD = settings.cwd;
  if (settings.runtimeDir) env.LAMBDA_RUNTIME_DIR = settings.runtimeDir;
  const own = (name: string): boolean => Object.hasOwn(spec.environment, name);
  const taskRoot = env.LAMBDA_TASK_ROOT ?? settings.cwd;
  const host = process.env.LD_LIBRARY_PATH ? [process.env.LD_LIBRARY_PATH] : [];
  if (!own('LD_LIBRARY_PATH')) env.LD_LIBRARY_PATH = [taskRoot, join(taskRoot, 'lib'), ...libraryLayerPaths(settings.mounts), ...host].join(delimiter);
  if (settings.python && settings.runtimeDir && !own('PYTHONPATH')) env.PYTHONPATH = settings.runtimeDir;
}

/**
 * A new execution environment of `spec` on its ready code (Lambda's init runs in it on its first invocation);
 * `madeRoot`: where the function's Makefile wrote its code, its LAMBDA_TASK_ROOT.
 */
export function startEnvironment(spec: FunctionSpec, ready: ReadyFunction, generation: number, settings: StartSettings, madeRoot?: string): ExecutionEnvironment {
  const stream = logStreamName();
  const context = {
    functionName: spec.functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: spec.arn,
    memoryLimitInMB: String(spec.memorySizeMb),
    logGroupName: `/aws/lambda/${spec.functionName}`,
    logStreamName: stream,
  };
  const env = lambdaEnvironment(spec, stream, settings);
  const common = { env, generation, memoryMb: spec.memorySizeMb, clock: settings.clock, functionStdout: settings.functionStdout };
  if (madeRoot) env.LAMBDA_TASK_ROOT = madeRoot;
  const mounts = layerMounts(spec.layers, settings.samBuild);
  if (isCustomRuntime(spec.runtime)) {
    const { taskRoot, bootstrap } = ready as CustomFunction;
    env.LAMBDA_TASK_ROOT = taskRoot;
    setPaths(env, spec, { cwd: taskRoot, mounts });
    return new ExecutionEnvironment({ ...common, script: '', custom: { bootstrap: bootstrap ?? '', cwd: taskRoot }, init: { handler: spec.handler, codeDir: taskRoot, extraPaths: [], context } });
  }
  const hosts = settings.localHosts?.();
  const localHosts = hosts && Object.keys(hosts).length > 0 ? { localHosts: hosts } : {};
  if (isPythonRuntime(spec.runtime)) {
    const { executable, codeDir } = ready as PythonFunction;
    const extraPaths = [...pythonExtraPaths(spec, settings.samBuild), ...pythonLayerPaths(mounts, spec.runtime)];
    const init = { handler: spec.handler, codeDir, extraPaths, context, ...localHosts };
    const script = pythonBootstrap();
    setPaths(env, spec, { cwd: codeDir, runtimeDir: dirname(script), mounts, python: true });
    return new ExecutionEnvironment({ ...common, script, python: { command: executable, cwd: codeDir }, init });
  }
  const built = ready as BuiltFunction;
  const major = Number(/^nodejs(\d+)/.exec(spec.runtime)?.[1] ?? 20);
  // nodejs18.x and later provide the AWS SDK v3 (earlier runtimes gave v2, which is not provided locally).
  const sdk = major >= 18 ? runtimeModules() : null;
  const taskRoot = env.LAMBDA_TASK_ROOT ?? spec.codeDir;
  const script = workerScript();
  const packageRoots = [taskRoot, ...mounts.map((m) => m.dir), ...(sdk ? [sdk.nodeModules] : []), dirname(script)];
  const init: WorkerInit = {
    file: built.file,
    exportName: built.exportName,
    handler: spec.handler,
    sourcemap: built.sourcemap,
    // nodejs24.x removed callback handlers and context.succeed/fail/done (its runtime refuses them at init).
    ...(major >= 24 ? { noCallbacks: true } : {}),
    ...(built.commonjsRoot ? { commonjsRoot: built.commonjsRoot } : {}),
    ...(sdk ? { sdkParentUrl: sdk.parentUrl } : {}),
    ...(mounts.length > 0 ? { layerMounts: mounts } : {}),
    ...(built.runsInPlace ? { packageFolders: { taskRoot, roots: packageRoots } } : {}),
    context,
    ...localHosts,
  };
  // Lambda's order: the layers' node_modules, then the runtime's own (the AWS SDK), then the task root (/var/task).
  env.NODE_PATH = [...nodeLayerPaths(mounts, spec.runtime), ...(sdk ? [sdk.nodeModules] : []), taskRoot].join(delimiter);
  setPaths(env, spec, { cwd: taskRoot, runtimeDir: dirname(script), mounts });
  return new ExecutionEnvironment({ ...common, script, init, ...(settings.inspectPort === undefined ? {} : { inspectPort: settings.inspectPort }) });
}
