/** What a LocalLambdaService is started with (runtime.ts): its services, limits, clock, builds, watches and outputs. */
import type { watch } from 'node:fs';
import type { FunctionOutput } from './environment-process.js';
import type { LambdaClock } from './clock.js';
import type { ScaleOut } from './pool.js';
import type { LocalHosts } from './local-hosts.js';
import type { LocalCredentials } from '../services/sigv4.js';

export interface LocalLambdaOptions {
  /** Endpoints of emulated services (AWS_ENDPOINT_URL_DYNAMODB...), given to every function. */
  extraEnvironment?: Record<string, string>;
  /** The functions' role credentials (generated when absent): the embedded services accept only these. */
  credentials?: LocalCredentials;
  /** Loopback endpoint for AWS services the emulator does not serve (becomes AWS_ENDPOINT_URL); may be per function. */
  notServedEndpoint?: string | ((functionName: string) => string);
  /**
   * Execution environments per function. Lambda would start one per concurrent request; locally more
   * environments than cores only contend for the CPU (measured: 10 environments on 2 cores served ~40%
   * fewer requests than 2), so by default there is one per core and further requests queue.
   */
  maxConcurrencyPerFunction?: number;
  /**
   * Without maxConcurrencyPerFunction: how far past one per core a function scales out for calls that wait
   * (pool.ts ScaleOut); SCALE_OUT by default. A given maxConcurrencyPerFunction is a hard cap: no scale-out.
   */
  scaleOut?: ScaleOut;
  /** Lambda's limit on a function's init phase (module load); 10 s by default, as on AWS. */
  initTimeoutMs?: number;
  /** Wall time, timers and CPU wait, for the init limit, Timeout and deadlines (tests drive a fake one). */
  clock?: LambdaClock;
  /** Where builds go; `<cwd>/.emulator/build` by default. */
  buildDir?: string;
  /**
   * `sam build`'s output for this stack (build-output.ts samBuildDir), where a function or layer built by sam build is
   * looked for: `.aws-sam/build` beside the template by default; a nested stack's is under its root template's.
   */
  samBuildDir?: string;
  /** Rebuild on source change and replace warm environments with the new code (implies codeWatch). */
  watch?: boolean;
  /**
   * Watch the folders of functions run as they are (plain Node.js, Python, custom runtimes, sam build's output): a
   * change retires their warm environments before the next request, as `sam local` runs changed code in every mode
   * but `--warm-containers ... --no-watch` (code-changes.ts). Off by default here (one-shot invocations need none).
   */
  codeWatch?: boolean;
  /** `--warm-containers`: without it, a function whose folder cannot be watched gets a new environment per invocation. */
  warmContainers?: 'EAGER' | 'LAZY';
  /** Called when a new build or changed code has been picked up (for `npm run dev` logs), with the changed files if known. */
  onReload?: (logicalId: string, changedFiles?: string[]) => void;
  /** Each change the code watch saw, as it comes (tests wait for it instead of sleeping). */
  onCodeChange?: (logicalId: string, path: string) => void;
  /** The gateway's own notices (a folder that cannot be watched, a function writing into its code folder): stderr by default. */
  notice?: (line: string) => void;
  /** A line when a go or makefile build starts and when it ends (custom-runtime.ts ToolchainWhere.progress): `notice` by default. */
  buildProgress?: (line: string) => void;
  /** fs.watch, for the code watch (tests give one that fails as a machine out of inotify watches does). */
  watchFolder?: typeof watch;
  /** Where the functions' output goes: stdout, stderr (`invoke`, whose stdout is the result), or a --log-file. */
  functionStdout?: FunctionOutput;
  /**
   * Where Lambda's own log lines of each invocation go (START, END, REPORT): by default where the functions' stdout
   * goes, so that they sit among the function's output as in its log stream; never into a response.
   */
  platformLog?: (line: string) => void;
  /** Execute-api URLs of the template's APIs in the functions' variables, made their local URLs (environment.ts). */
  localUrls?: (value: string) => string;
  /** Execute-api hosts of the template's WebSocket APIs -> their local ports, read as each Node.js environment starts. */
  localHosts?: () => LocalHosts;
  /**
   * `--debug-port`: this Node.js function's environment starts under the inspector, paused before its first line
   * (`--inspect-brk` on 127.0.0.1:port) until a debugger attaches, one environment at a time, and neither the init
   * limit, its Timeout nor the caller's deadline ends it while it is stopped at a breakpoint, as `sam local` runs a
   * function it debugs (debug.ts).
   */
  debug?: FunctionDebug;
}

/** The function a debugger attaches to, and where. */
export interface FunctionDebug {
  functionLogicalId: string;
  port: number;
}
