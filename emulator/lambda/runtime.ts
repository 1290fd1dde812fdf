/** A docker-free Lambda service: each function runs in child-process execution environments, warm between calls. */
import { randomUUID } from 'node:crypto';
import { existsSync, writeSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FunctionSpec, LoadedTemplate } from '../template/model.js';
import { TemplateError } from '../template/model.js';
import { unavailableAt } from '../template/functions.js';
import type { InvokeOptions, InvokeOutcome, LambdaInvoker } from './types.js';
import { FunctionBuilder, type BuiltFunction } from './build.js';
import { startEnvironment, type PythonFunction, type ReadyFunction } from './environment-start.js';
import { ExecutionEnvironment, type RunOutcome } from './environment-process.js';
import { OwnTime, systemClock, type LambdaClock } from './clock.js';
import { defaultConcurrency, FunctionPool, QueueTimeout, SCALE_OUT, type Lease } from './pool.js';
import { debuggedTenantTurn, tenancyRefusal, tenantPool } from './tenancy.js';
import { CodeChanges, fileEventsRead } from './code-changes.js';
import { CodeWatchers } from './code-watch.js';
import { initialized, toInvokeOutcome } from './phases.js';
import { invocationTraceId } from './trace-id.js';
import { endLine, reportLine, startLine, timeoutLine, type InvocationReport } from './platform-log.js';
import { logResult } from './log-tail.js';
import { importHint } from './install-hint.js';
import { findPython, isPythonRuntime, outsideCodeNotice, requirementsHint, type PythonInterpreter } from './python.js';
import { nodeOutsideNotice } from './outside-packages.js';
import { layerMounts } from './layer-paths.js';
import { functionExternalsNotice } from './external-packages.js';
import { noticeEfsMount } from './efs-hint.js';
import { bootstrapProblem, findBootstrap, isCustomRuntime, NO_BOOTSTRAP, toolchainBuild, type CustomFunction } from './custom-runtime.js';
import { generateCredentials } from '../services/credentials.js';
import type { LocalCredentials } from '../services/sigv4.js';
import type { LocalLambdaOptions } from './runtime-options.js';

export type { LocalLambdaOptions } from './runtime-options.js';

/** The files a Node.js function run from its folder loads: a change to one is a change to the function. */
const NODE_SOURCE = (name: string): boolean => /\.(?:js|mjs|cjs|json)$/.test(name);
/** A custom runtime's folder: its bootstrap and whatever it reads (not an editor's swap and backup files). */
const ANY_FILE = (name: string): boolean => !name.startsWith('.') && !name.endsWith('~');

interface FunctionState {
  spec: FunctionSpec;
  /** Node.js: the built handler module; Python: the interpreter and the code's directory; custom: the bootstrap. */
  built?: Promise<ReadyFunction>;
  current?: ReadyFunction;
  pool?: FunctionPool;
  /** A tenant-isolated function's environments by tenant, instead of `pool` (tenancy.ts). */
  tenants?: Map<string, FunctionPool>;
  /** The function under a debugger, tenant-isolated: the last tenant's turn (tenancy.ts debuggedTenantTurn). */
  debugTurn?: Promise<void>;
  /** Invocations under way or waiting for an environment: what ReservedConcurrentExecutions counts. */
  inFlight: number;
  /** With codeWatch: the changes to its code seen since its last request. */
  changes?: CodeChanges;
  /** Its code folder is watched already (one watcher each, whatever its builds did). */
  watching?: boolean;
  /** Its layers' local folders are watched already. */
  layersWatched?: boolean;
  /** A Node.js function run from its folder: after a change its handler file is looked for again (it may be new). */
  relocatable?: boolean;
  /** Built here with esbuild, without --watch: built again after `sam build` runs again. */
  rebuilt?: boolean;
}

/** Lambda's TooManyRequestsException for a function whose reserved concurrency is in use (Reason ReservedFunctionConcurrentInvocationLimitExceeded). */
function throttled(reserved: number): InvokeOutcome {
  return { kind: 'function-error', errorType: 'TooManyRequestsException', errorMessage: `Rate Exceeded. (ReservedConcurrentExecutions ${reserved}: ReservedFunctionConcurrentInvocationLimitExceeded)`, stackTrace: [], cold: false, durationMs: 0, throttled: true, ...(reserved === 0 ? { zeroReserved: true as const } : {}) };
}

/** What an invocation of a closed service meets: a closed pool's refusal (pool.ts). */
const closedError = (): Error => new Error('the function pool is closed');

/** New code: every warm environment of the function goes (each tenant's too), busy ones once they finish. */
function retireEnvironments(state: FunctionState): void {
  for (const pool of [state.pool, ...(state.tenants?.values() ?? [])]) pool?.retireAll();
}

export class LocalLambdaService implements LambdaInvoker {
  private readonly functions = new Map<string, FunctionState>();
  private readonly builder: FunctionBuilder;
  private closed = false;
  /** Watchers of the code folders of functions run as they are (code-changes.ts); built ones are watched by esbuild. */
  private readonly codeWatchers: CodeWatchers;
  private readonly credentials: LocalCredentials;
  private readonly clock: LambdaClock;
  /** The gateway's own lines (a folder it cannot watch, an install hint): options.notice, stderr by default. */
  private readonly notice: (line: string) => void;
  /** Node.js and Python functions built by their Makefile: where their code is now and where it came from. */
  private readonly made = new Map<string, { taskRoot: string; origin: string }>();
  /** Functions whose modules from outside their code folder (noticeOutside) or External packages were already named. */
  private readonly outsideNoticed = new Set<string>();

  constructor(
    private readonly template: Pick<LoadedTemplate, 'path' | 'region' | 'functions'>,
    private readonly options: LocalLambdaOptions = {},
  ) {
    this.builder = new FunctionBuilder(template.path, options.buildDir);
    this.credentials = options.credentials ?? generateCredentials();
    this.clock = options.clock ?? systemClock;
    const notice = (this.notice = options.notice ?? ((line: string) => process.stderr.write(`${line}\n`)));
    const codeWatch = options.codeWatch ?? options.watch ?? false;
    for (const [id, spec] of template.functions) this.functions.set(id, { spec, inFlight: 0, ...(codeWatch ? { changes: new CodeChanges(id, spec.codeDir, notice) } : {}) });
    this.codeWatchers = new CodeWatchers({ ...options, notice });
    if (codeWatch) this.codeWatchers.watchSamBuild(this.samBuild, () => [...this.functions].map(([id, state]) => [id, state.changes]));
    this.builder.plan([...template.functions.values()].filter((f) => !f.unavailable && !isPythonRuntime(f.runtime) && !isCustomRuntime(f.runtime)));
  }

  /** Lambda's limit on a function's init phase (module load). */
  private initLimitMs(spec: FunctionSpec): number {
    return this.debugged(spec) ? Infinity : (this.options.initTimeoutMs ?? 10_000);
  }

  /** The function under a debugger (--debug-port): one environment, nothing timed (runtime-options.ts debug). */
  private debugged(spec: FunctionSpec): boolean {
    return this.options.debug?.functionLogicalId === spec.logicalId;
  }

  /** `sam build`'s output folder for this stack's functions and layers (LocalLambdaOptions.samBuildDir). */
  private get samBuild(): string {
    return this.options.samBuildDir ?? join(dirname(this.template.path), '.aws-sam', 'build');
  }

  /**
   * Build every function that can run here now, so that configuration and compile errors show at startup; resolves
   * with each function that did not build and why (its invocations fail with that error, the others run).
   */
  async prepare(): Promise<{ logicalId: string; error: string }[]> {
    // A function whose every invocation fails is listed with its reason, as one that did not build.
    const runnable = [...this.functions.values()].filter((s) => !s.spec.unavailable || s.spec.invocationsFail);
    const outcomes = await Promise.all(
      runnable.map((state) =>
        this.ensureBuilt(state).then(
          () => {
            const current = state.current;
            if (!current || !('taskRoot' in current)) return undefined;
            if (current.bootstrap === undefined) {
              const error = `no bootstrap in ${current.taskRoot} nor in a layer: Lambda fails its invocations (Runtime.InvalidEntrypoint: ${NO_BOOTSTRAP})`;
              return { logicalId: state.spec.logicalId, error };
            }
            const problem = bootstrapProblem(current.bootstrap);
            return problem ? { logicalId: state.spec.logicalId, error: problem } : undefined;
          },
          (error: unknown) => ({ logicalId: state.spec.logicalId, error: error instanceof Error ? error.message : String(error) }),
        ),
      ),
    );
    return outcomes.filter((o) => o !== undefined);
  }

  /**
   * `--warm-containers EAGER` (as `sam local`): one environment of every function that can run is started and
   * its init phase run before serving, so that the first request is warm. Resolves with each init error. Not the
   * function under a debugger: its init waits for the debugger, which attaches once a request has started it.
   */
  async warm(): Promise<{ logicalId: string; error?: string }[]> {
    const runnable = [...this.functions.values()].filter((s) => !s.spec.unavailable && !this.debugged(s.spec));
    return Promise.all(
      runnable.map(async (state) => {
        let pool: FunctionPool;
        try {
          pool = await this.ensureBuilt(state);
        } catch (error) {
          return { logicalId: state.spec.logicalId, error: error instanceof Error ? error.message : String(error) };
        }
        const lease = await pool.acquire();
        try {
          if (!lease.cold) return { logicalId: state.spec.logicalId };
          const init = await initialized(lease.env, new OwnTime(this.clock, lease.env.pid), undefined, this.clock, this.initLimitMs(state.spec));
          if (init.kind === 'ready') {
            this.noticeOutside(state.spec, lease.env);
            return { logicalId: state.spec.logicalId };
          }
          await lease.env.terminate();
          // The start report carries what to install, as a request's notice does (a package requirements.txt lists).
          return { logicalId: state.spec.logicalId, error: init.kind === 'failed' ? `${init.error.errorType}: ${init.error.errorMessage}${this.importHint(init.error.errorMessage, state.spec)}` : 'init did not complete' };
        } finally {
          pool.release(lease.env);
        }
      }),
    );
  }

  /**
   * Lambda Invoke (RequestResponse): cold or warm, with the function's Timeout and the caller's deadline. The
   * deadline counts wall time while waiting for a free environment, then the environment's own time (clock.ts):
   * a machine too loaded to give a cold start its CPU does not turn into an integration or authorizer timeout.
   */
  async invoke(functionLogicalId: string, event: unknown, options: InvokeOptions = {}): Promise<InvokeOutcome> {
    const state = this.state(functionLogicalId);
    const refused = tenancyRefusal(state.spec, options.tenantId);
    if (refused) return refused;
    const reserved = state.spec.reservedConcurrency;
    // Lambda throttles at once what its reserved concurrency has no room for; it never queues a synchronous call.
    if (reserved !== undefined && state.inFlight >= reserved) return throttled(reserved);
    state.inFlight += 1;
    const changes = state.changes;
    changes?.begin();
    let endTurn: (() => void) | undefined;
    try {
      if (options.tenantId !== undefined && this.debugged(state.spec)) {
        endTurn = await debuggedTenantTurn(state, options.tenantId);
        // The service closed while this call waited its turn: a pool made now would outlive it (as a closed pool refuses).
        if (this.closed) throw closedError();
      }
      if (changes) await this.pickUpChanges(state, changes);
      const outcome = await this.invokeWithin(state, event, options);
      // Whoever passes the error on (the Invoke API, a destination, a Step Functions cause) writes the runtime's document.
      return outcome.kind === 'function-error' ? { ...outcome, runtime: state.spec.runtime } : outcome;
    } finally {
      endTurn?.();
      state.inFlight -= 1;
      changes?.end();
    }
  }

  /**
   * Before a request: the code changes seen since the last one retire the function's warm environments (one reload
   * for a burst of them), so that it never runs code older than what is on disk, as `sam local` never does (a new
   * container per invocation, or its observer's reload with --warm-containers). A function whose folder cannot be
   * watched gets a new environment per invocation, as without --warm-containers `sam local` gives one.
   */
  private async pickUpChanges(state: FunctionState, changes: CodeChanges): Promise<void> {
    if (state.watching || state.layersWatched) await fileEventsRead();
    const files = changes.take();
    if (files.length > 0) {
      if (state.rebuilt) this.builder.refresh(state.spec.logicalId);
      if (state.relocatable || state.rebuilt) state.built = undefined;
      retireEnvironments(state);
      this.options.onReload?.(state.spec.logicalId, files);
    } else if (changes.unwatched && !this.options.warmContainers) retireEnvironments(state);
  }

  private async invokeWithin(state: FunctionState, event: unknown, options: InvokeOptions): Promise<InvokeOutcome> {
    const started = this.clock.now();
    const shared = state.pool && state.built ? state.pool : await this.ensureBuilt(state);
    const tenant = options.tenantId;
    const pool = tenant === undefined ? shared : tenantPool((state.tenants ??= new Map()), tenant, () => this.newPool(state));
    const elapsed = (): number => this.clock.now() - started;
    let spentMs = 0;
    // A function stopped at a breakpoint outlives its caller's deadline (the integration timeout), as under sam local.
    const deadlineMs = this.debugged(state.spec) ? undefined : options.deadlineMs;
    const remaining = (): number | undefined => (deadlineMs === undefined ? undefined : Math.max(0, deadlineMs - spentMs));
    let lease: Lease;
    try {
      lease = await pool.acquire(remaining());
    } catch (error) {
      if (error instanceof QueueTimeout) return { kind: 'deadline-exceeded', durationMs: elapsed(), queued: true };
      throw error;
    }
    spentMs = elapsed();
    const requestId = options.requestId ?? randomUUID();
    let initDurationMs: number | undefined;
    try {
      if (lease.cold) {
        const own = new OwnTime(this.clock, lease.env.pid);
        const init = await initialized(lease.env, own, remaining(), this.clock, this.initLimitMs(state.spec));
        initDurationMs = own.elapsedMs();
        spentMs += initDurationMs;
        if (init.kind !== 'ready') {
          await lease.env.terminate();
          if (init.kind === 'deadline') return { kind: 'deadline-exceeded', durationMs: elapsed() };
          // What to install where is ours: a notice on the terminal; callers get Lambda's message as Lambda words it.
          const hint = this.importHint(init.error.errorMessage, state.spec);
          if (hint) this.notice(`${state.spec.logicalId}: ${hint.trim().replace(/^\(([\s\S]*)\)$/, '$1')}`);
          // An environment that dies during init fails the invocation that started it, named by its request id.
          const errorMessage = init.error.errorType === 'Runtime.InvalidEntrypoint' ? `RequestId: ${requestId} Error: ${init.error.errorMessage}` : init.error.errorMessage.replace(/^Runtime exited during init/, `RequestId: ${requestId} Error: Runtime exited`);
          return { kind: 'function-error', ...init.error, errorMessage, cold: true, durationMs: elapsed() };
        }
        this.noticeOutside(state.spec, lease.env);
      }
      // Lambda hands the function JSON: the event travels as JSON text, serialized once.
      const eventJson = options.eventJson ?? JSON.stringify(event) ?? 'null';
      const traceId = invocationTraceId(options.traceHeader, Date.now());
      const qualified = options.qualifier !== undefined && options.qualifier !== '$LATEST' ? { invokedFunctionArn: `${state.spec.arn}:${options.qualifier}`, functionVersion: '1' } : undefined;
      const version = options.version ?? qualified?.functionVersion;
      this.platformLog(startLine(requestId, version));
      const runStarted = this.clock.now();
      const caller = { ...(qualified ? { qualified } : {}), ...(this.debugged(state.spec) ? { untimed: true as const } : {}), ...(tenant === undefined ? {} : { tenantId: tenant }), ...(options.clientContext === undefined ? {} : { clientContext: options.clientContext }), ...(options.logTail ? { tail: options.logTail } : {}) };
      const outcome = await lease.env.run(eventJson, { requestId, traceId, ...caller }, state.spec.timeoutSeconds * 1000, remaining(), options.onChunk);
      const report = this.logInvocationEnd(outcome, { requestId, durationMs: this.clock.now() - runStarted, memorySizeMb: state.spec.memorySizeMb, maxMemoryUsedMb: lease.env.lastPeakMemoryMb, initDurationMs });
      const result = toInvokeOutcome(outcome, lease.cold, elapsed(), requestId);
      const tail = options.logTail && result.kind !== 'deadline-exceeded' ? { logResult: logResult('log' in outcome ? (outcome.log ?? '') : '', report.line, { version, timedOut: report.timedOut }) } : {};
      if (result.kind === 'function-error') noticeEfsMount(result.errorMessage, state.spec, this.notice);
      return result.kind === 'function-error' ? { ...result, requestId, ...tail } : { ...result, ...tail };
    } finally {
      pool.release(lease.env);
    }
  }

  /** Lambda's own lines, in one write (each is a syscall on the gateway's thread, which every request goes through). */
  private platformLog(...lines: string[]): void {
    if (this.options.platformLog) return lines.forEach((line) => this.options.platformLog!(line));
    const output = this.options.functionStdout;
    // Written at once, as the functions' own lines are (their processes write to the same file, appending).
    if (typeof output === 'object') writeSync(output.fd, `${lines.join('\n')}\n`);
    else (output === 'stderr' ? process.stderr : process.stdout).write(`${lines.join('\n')}\n`);
  }

  /**
   * Lambda's lines after an invocation: the timeout notice when its Timeout ended it, then END and REPORT; returns
   * what they said, for the invocation's log tail (log-tail.ts).
   */
  private logInvocationEnd(outcome: RunOutcome, report: { requestId: string; durationMs: number; memorySizeMb: number; maxMemoryUsedMb: number | undefined; initDurationMs: number | undefined }): { line: InvocationReport; timedOut?: { at: Date; elapsedMs: number } } {
    const timedOut = outcome.kind === 'timeout' ? { at: new Date(), elapsedMs: outcome.elapsedMs } : undefined;
    // A timeout's duration is the time the limit counted (the environment's own), as its message says.
    const durationMs = timedOut ? timedOut.elapsedMs : report.durationMs;
    const { maxMemoryUsedMb, initDurationMs, ...rest } = report;
    const line: InvocationReport = { ...rest, durationMs, ...(maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb }), ...(initDurationMs === undefined ? {} : { initDurationMs }), ...(timedOut ? { timedOut: true } : {}) };
    this.platformLog(...(timedOut ? [timeoutLine(timedOut.at, report.requestId, timedOut.elapsedMs)] : []), endLine(report.requestId), reportLine(line));
    return { line, ...(timedOut ? { timedOut } : {}) };
  }

  /** Once per function: the modules its init reached outside its code folder, which Lambda's zip lacks (python.ts, outside-packages.ts). */
  private noticeOutside(spec: FunctionSpec, env: ExecutionEnvironment): void {
    if (this.outsideNoticed.has(spec.logicalId)) return;
    const notice = isPythonRuntime(spec.runtime) ? outsideCodeNotice(spec, env.outsideModules) : nodeOutsideNotice(spec, env.outsideModules);
    if (notice) this.notice(notice);
    this.outsideNoticed.add(spec.logicalId);
  }

  /** Why an import failed here when Lambda's runtime or `sam build` would have provided it: what to install, where. */
  private importHint(errorMessage: string, spec: FunctionSpec): string {
    const templateDir = dirname(this.template.path);
    const layerDirs = layerMounts(spec.layers, this.samBuild).map((m) => m.dir);
    return isPythonRuntime(spec.runtime) ? requirementsHint(errorMessage, spec, this.samBuild) : importHint(errorMessage, spec.runtime, spec.codeDir, templateDir, layerDirs);
  }

  /** The local interpreter of each Python Runtime the template's functions declare (after prepare), for the report. */
  async pythonInterpreters(): Promise<Map<string, PythonInterpreter | undefined>> {
    const runtimes = new Set([...this.functions.values()].filter((s) => !s.spec.unavailable && isPythonRuntime(s.spec.runtime)).map((s) => s.spec.runtime));
    const found = await Promise.all([...runtimes].map(async (runtime) => [runtime, await findPython(runtime)] as const));
    return new Map(found);
  }

  /** What runs each custom-runtime or Makefile-built function that can start (after prepare), for the startup report. */
  customNotes(): string[] {
    return [...this.functions.values()].flatMap(({ spec, current }) => {
      const made = this.made.get(spec.logicalId);
      if (made) return [`${spec.logicalId}: ${spec.runtime}, runs from ${relative(process.cwd(), made.taskRoot) || made.taskRoot} (${made.origin})`];
      if (!current || !('taskRoot' in current) || current.bootstrap === undefined || bootstrapProblem(current.bootstrap)) return [];
      return [`${spec.logicalId}: ${spec.runtime}, runs ${relative(process.cwd(), current.bootstrap) || current.bootstrap} (${current.origin})`];
    });
  }

  /** Number of live execution environments of a function (for reports and tests). */
  environmentCount(functionLogicalId: string): number {
    const state = this.state(functionLogicalId);
    return [...(state.tenants?.values() ?? [])].reduce((sum, pool) => sum + pool.size, state.pool?.size ?? 0);
  }

  /** Terminate every environment and stop the builders (and their watchers). */
  async close(): Promise<void> {
    this.closed = true;
    this.codeWatchers.close();
    const pools = [...this.functions.values()].flatMap((s) => [s.pool, ...(s.tenants?.values() ?? [])]).map((pool) => pool?.close());
    await Promise.all([...pools, this.builder.dispose()]);
  }

  private state(id: string): FunctionState {
    const state = this.functions.get(id);
    if (!state) throw new TemplateError(this.template.path, `Resources.${id}`, 'no AWS::Serverless::Function with this logical id');
    return state;
  }

  private async ensureBuilt(state: FunctionState): Promise<FunctionPool> {
    // Closed, the service builds nothing more (its builder is disposed, its watchers closed).
    if (this.closed) throw closedError();
    if (!state.built) {
      this.watchLayers(state);
      const runtime = state.spec.runtime;
      if (state.spec.unavailable) {
        state.built = Promise.reject(new TemplateError(this.template.path, ...unavailableAt(state.spec.logicalId, state.spec.unavailable)));
      } else if (isPythonRuntime(runtime)) {
        state.built = this.pythonFunction(state.spec);
      } else if (isCustomRuntime(runtime)) {
        state.built = this.customFunction(state.spec);
      } else if (runtime !== '' && !runtime.startsWith('nodejs')) {
        const err = new TemplateError(this.template.path, `Resources.${state.spec.logicalId}.Properties.Runtime`, `${runtime} cannot run locally (Node.js, Python and custom runtimes only)`);
        state.built = Promise.reject(err);
      } else if (state.spec.customBuild) {
        state.built = this.madeNodeFunction(state.spec);
      } else {
        const onRebuilt = this.options.watch ? (b: BuiltFunction) => this.reload(state, b) : undefined;
        state.built = this.builder.build(state.spec, onRebuilt);
        // Run from its folder as it is (no build, so no esbuild watcher): its sources are watched here, from its first
        // build on, whether it loaded or not (a handler file written after the start is then found by the next one).
        // Built with esbuild (a no-op for one run from its folder): without --watch, built again when sam build runs again.
        state.rebuilt = !onRebuilt && state.spec.inlineCode === undefined;
        if (!state.spec.build && state.spec.inlineCode === undefined) {
          state.relocatable = true;
          this.watchRunFolder(state.spec.logicalId, { taskRoot: state.spec.codeDir }, NODE_SOURCE);
        }
      }
      state.built.catch(() => undefined);
    }
    const pending = state.built;
    const built = await pending;
    if (!this.outsideNoticed.has(`external:${state.spec.logicalId}`) && 'externals' in built && built.externals) {
      this.outsideNoticed.add(`external:${state.spec.logicalId}`);
      const notice = functionExternalsNotice(state.spec, built.file, built.externals, this.samBuild);
      if (notice) this.notice(notice);
    }
    // A function run from its folder looked for again after a change (the handler file may be new); a rebuild meanwhile wins.
    if (state.built === pending) state.current = built;
    if (!state.pool) {
      state.pool = this.newPool(state);
    }
    return state.pool;
  }

  private newPool(state: FunctionState): FunctionPool {
    // A pool made after close() (a new tenant's, a build that ended after it) would start a process nothing ends.
    if (this.closed) throw closedError();
    // One inspector port: the function under a debugger has one environment, and concurrent calls wait for it.
    const cap = this.debugged(state.spec) ? 1 : this.options.maxConcurrencyPerFunction;
    return new FunctionPool((gen) => this.spawn(state, gen), cap ?? defaultConcurrency(), this.clock, cap === undefined ? (this.options.scaleOut ?? SCALE_OUT) : undefined, { exclusive: this.debugged(state.spec) });
  }

  /** Where a function's code is once its toolchain built it (custom-runtime.ts toolchainBuild). */
  private toolchainBuild(spec: FunctionSpec): Promise<{ taskRoot: string; origin: string }> {
    const progress = this.options.buildProgress ?? this.notice;
    return toolchainBuild(spec, { outDir: () => this.builder.customOutDir(spec.logicalId), samBuild: this.samBuild, templatePath: this.template.path, progress, now: () => this.clock.now() });
  }

  /** A custom runtime's code (toolchainBuild) and the bootstrap Lambda would start in it. */
  private async customFunction(spec: FunctionSpec): Promise<CustomFunction> {
    const { taskRoot, origin } = await this.toolchainBuild(spec);
    this.watchRunFolder(spec.logicalId, { taskRoot, origin }, ANY_FILE);
    return { taskRoot, origin, bootstrap: findBootstrap(spec, taskRoot, layerMounts(spec.layers, this.samBuild)) };
  }

  /** A Node.js function whose Makefile builds it: made, then loaded from what the Makefile wrote, as from a CodeUri. */
  private async madeNodeFunction(spec: FunctionSpec): Promise<BuiltFunction> {
    const { taskRoot, origin } = await this.toolchainBuild(spec);
    this.made.set(spec.logicalId, { taskRoot, origin });
    this.watchRunFolder(spec.logicalId, { taskRoot, origin }, NODE_SOURCE);
    return this.builder.build({ ...spec, codeDir: taskRoot });
  }

  private async pythonFunction(spec: FunctionSpec): Promise<PythonFunction> {
    const interpreter = await findPython(spec.runtime);
    if (!interpreter) throw new TemplateError(this.template.path, `Resources.${spec.logicalId}.Properties.Runtime`, `${spec.runtime}: no python3 on PATH to run it`);
    let codeDir = spec.inlineCode === undefined ? spec.codeDir : await this.builder.writeInlineSource(spec, 'index.py');
    if (spec.customBuild) {
      const made = await this.toolchainBuild(spec);
      this.made.set(spec.logicalId, made);
      codeDir = made.taskRoot;
    }
    if (spec.inlineCode === undefined) this.watchRunFolder(spec.logicalId, { taskRoot: codeDir, origin: this.made.get(spec.logicalId)?.origin }, (name) => name.endsWith('.py'));
    return { ...interpreter, codeDir };
  }

  /** Its layers' local folders (`ContentUri`), which it reads as /opt: changed, as its code, for `sam local` too (its observer watches them). */
  private watchLayers(state: FunctionState): void {
    const local = (state.spec.layers ?? []).filter((layer) => existsSync(layer.contentDir));
    if (!state.changes || state.layersWatched || local.length === 0) return;
    state.layersWatched = true;
    const runtime = state.spec.runtime;
    const isSource = isPythonRuntime(runtime) ? (name: string) => name.endsWith('.py') : isCustomRuntime(runtime) ? ANY_FILE : NODE_SOURCE;
    for (const layer of local) this.codeWatchers.watch(state.spec.logicalId, state.changes, layer.contentDir, isSource);
  }

  /** Code a function runs from a folder as it is (not one this gateway's go or make build wrote): watched for changes. */
  private watchRunFolder(logicalId: string, run: { taskRoot: string; origin?: string }, isSource: (name: string) => boolean): void {
    const state = this.functions.get(logicalId);
    if (!state?.changes || state.watching || run.origin?.startsWith('built with')) return;
    state.watching = true;
    this.codeWatchers.watch(logicalId, state.changes, run.taskRoot, isSource);
  }

  private reload(state: FunctionState, built: ReadyFunction): void {
    if (this.closed) return;
    // A function whose first build failed runs from its first good one.
    state.built = Promise.resolve(built);
    state.current = built;
    retireEnvironments(state);
    this.options.onReload?.(state.spec.logicalId);
  }

  private spawn(state: FunctionState, generation: number): ExecutionEnvironment {
    const inspectPort = this.debugged(state.spec) ? this.options.debug?.port : undefined;
    const settings = { region: this.template.region, ...this.options, credentials: this.credentials, clock: this.clock, samBuild: this.samBuild, inspectPort };
    return startEnvironment(state.spec, state.current!, generation, settings, this.made.get(state.spec.logicalId)?.taskRoot);
  }
}
