/**
 * How an execution environment of a function whose code is ready starts, per runtime: Lambda's variables and context
 * object, then the Node.js worker (layers' node_modules and the runtime's AWS SDK on NODE_PATH), the Python bootstrap
 * (the function's and layers' paths) or a custom runtime's bootstrap, in a child process (environment-process.ts).
 */
import { delimiter } from 'node:path';
import type { FunctionSpec } from '../template/model.js';
import type { BuiltFunction } from './build.js';
import type { LambdaClock } from './clock.js';
import { isCustomRuntime, type CustomFunction } from './custom-runtime.js';
import { lambdaEnvironment, logStreamName, type EnvironmentOptions } from './environment.js';
import { ExecutionEnvironment, type FunctionOutput } from './environment-process.js';
import { layerMounts, nodeLayerPaths, pythonLayerPaths } from './layer-paths.js';
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
  if (isCustomRuntime(spec.runtime)) {
    const { taskRoot, bootstrap } = ready as CustomFunction;
    env.LAMBDA_TASK_ROOT = taskRoot;
    return new ExecutionEnvironment({ ...common, script: '', custom: { bootstrap: bootstrap ?? '', cwd: taskRoot }, init: { handler: spec.handler, codeDir: taskRoot, extraPaths: [], context } });
  }
  const mounts = layerMounts(spec.layers, settings.samBuild);
  const hosts = settings.localHosts?.();
  const localHosts = hosts && Object.keys(hosts).length > 0 ? { localHosts: hosts } : {};
  if (isPythonRuntime(spec.runtime)) {
    const { executable, codeDir } = ready as PythonFunction;
    const extraPaths = [...pythonExtraPaths(spec, settings.samBuild), ...pythonLayerPaths(mounts, spec.runtime)];
    const init = { handler: spec.handler, codeDir, extraPaths, context, ...localHosts };
    return new ExecutionEnvironment({ ...common, script: pythonBootstrap(), python: { command: executable, cwd: codeDir }, init });
  }
  const built = ready as BuiltFunction;
  const major = Number(/^nodejs(\d+)/.exec(spec.runtime)?.[1] ?? 20);
  // nodejs18.x and later provide the AWS SDK v3 (earlier runtimes gave v2, which is not provided locally).
  const sdk = major >= 18 ? runtimeModules() : null;
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
    context,
    ...localHosts,
  };
  // Lambda's order: the layers' node_modules, then the runtime's own (the AWS SDK).
  const nodePath = [...nodeLayerPaths(mounts, spec.runtime), ...(sdk ? [sdk.nodeModules] : [])];
  if (nodePath.length > 0) env.NODE_PATH = nodePath.join(delimiter);
  return new ExecutionEnvironment({ ...common, script: workerScript(), init });
}
