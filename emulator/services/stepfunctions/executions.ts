/**
 * The embedded Step Functions service (API Reference): the template's state machines, their executions run by the
 * interpreter, and the API actions a function, an API Gateway integration or a test calls: StartExecution,
 * StartSyncExecution, DescribeExecution, StopExecution, ListExecutions, GetExecutionHistory, DescribeStateMachine,
 * ListStateMachines, SendTaskSuccess / Failure / Heartbeat. Time comes from the injected clock.
 */
import { randomUUID } from 'node:crypto';
import type { StateMachineSpec } from '../../template/model.js';
import { checkDefinition } from './definition.js';
import { Interpreter } from './interpreter.js';
import { MAX_PAYLOAD_BYTES } from './state-errors.js';
import { StatesError, type Json } from './json.js';
import { taskRunner, type Pattern, type TaskServices } from './task-resources.js';

/** An API error: its `__type` code, message and HTTP status. */
export class SfnError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

export type ExecutionStatus = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface HistoryEvent {
  timestamp: number;
  type: string;
  id: number;
  previousEventId: number;
  [details: string]: Json;
}

interface Execution {
  arn: string;
  name: string;
  machine: StateMachineSpec;
  input: string;
  status: ExecutionStatus;
  startDate: number;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  history: HistoryEvent[];
  controller: AbortController;
  done: Promise<void>;
}

/** One execution's end, for the log. */
export interface ExecutionReport {
  machine: string;
  name: string;
  /** Its ARN: an express execution's has an id after the name, which DescribeExecution needs. */
  executionArn: string;
  status: ExecutionStatus;
  error?: string;
  cause?: string;
}

export interface StepFunctionsOptions {
  region: string;
  accountId: string;
  /** Epoch ms (Date.now by default). */
  now?: () => number;
  /** Runs fn after ms (a timer by default); returns its cancel. */
  after?: (ms: number, fn: () => void) => () => void;
  random?: () => number;
  onExecution?: (report: ExecutionReport) => void;
}

/** The services a task reaches, but Step Functions itself (this class answers those). */
export type OtherServices = Omit<TaskServices, 'startExecution' | 'sfn' | 'waitForToken'>;

/** setTimeout's longest delay (about 24.8 days): a longer wait (a year-long Wait state) is armed in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** Calls fn after ms, however long; returns its cancel. */
export function longTimer(ms: number, fn: () => void): () => void {
  let t: NodeJS.Timeout;
  const arm = (left: number) => {
    t = setTimeout(() => (left > MAX_TIMER_MS ? arm(left - MAX_TIMER_MS) : fn()), Math.min(Math.max(0, left), MAX_TIMER_MS));
  };
  arm(ms);
  return () => clearTimeout(t);
}

/** Execution names: 1-80 characters, none of whitespace, brackets, wildcards, the listed punctuation or control characters. */
const INVALID_NAME_CHARACTERS = /[\s<>{}[\]?*"#%\\^|~`$&,;:/]/;
const invalidName = (name: string): boolean => INVALID_NAME_CHARACTERS.test(name) || [...name].some((c) => c.charCodeAt(0) <= 0x1f || (c.charCodeAt(0) >= 0x7f && c.charCodeAt(0) <= 0x9f));

const seconds = (ms: number): number => ms / 1000;

/** The task tokens this service issues (the interpreter's `taskToken`): anything else is not a token at all. */
const TASK_TOKEN = /^AQ[A-Za-z0-9+/=_-]{60,2046}$/;
const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** The event-details key of a history event type: `TaskStateEntered` → `stateEnteredEventDetails`. */
function detailsKey(type: string): string {
  const state = /^(Pass|Task|Choice|Wait|Succeed|Fail|Parallel|Map)State(Entered|Exited)$/.exec(type);
  if (state) return `state${state[2]}EventDetails`;
  return `${type.charAt(0).toLowerCase()}${type.slice(1)}EventDetails`;
}

export class StepFunctions {
  private readonly machines = new Map<string, StateMachineSpec>();
  private readonly executions = new Map<string, Execution>();
  private readonly tokens = new Map<string, { resolve: (output: Json) => void; reject: (error: StatesError) => void; heartbeat?: () => void }>();
  /** Tokens whose task has closed (answered, timed out, its execution ended): SendTask* with one is TaskTimedOut. */
  private readonly closedTokens = new Set<string>();
  private readonly now: () => number;
  private readonly after: (ms: number, fn: () => void) => () => void;
  private readonly created: number;

  constructor(
    machines: StateMachineSpec[],
    private readonly services: OtherServices,
    private readonly options: StepFunctionsOptions,
  ) {
    for (const m of machines) this.machines.set(m.arn, m);
    this.now = options.now ?? Date.now;
    this.after = options.after ?? longTimer;
    this.created = this.now();
  }

  /** One API action (the X-Amz-Target's operation) with its JSON input. */
  async handle(action: string, input: Record<string, unknown>): Promise<unknown> {
    switch (action) {
      case 'StartExecution':
        return this.startExecution(input);
      case 'StartSyncExecution':
        return this.startSyncExecution(input);
      case 'DescribeExecution':
        return this.describeExecution(input);
      case 'StopExecution':
        return this.stopExecution(input);
      case 'ListExecutions':
        return this.listExecutions(input);
      case 'GetExecutionHistory':
        return this.history(input);
      case 'DescribeStateMachine':
        return this.describeStateMachine(input);
      case 'DescribeStateMachineForExecution':
        return this.describeStateMachine({ stateMachineArn: this.execution(input.executionArn).machine.arn });
      case 'ListStateMachines':
        return { stateMachines: [...this.machines.values()].map((m) => ({ stateMachineArn: m.arn, name: m.name, type: m.type, creationDate: seconds(this.created) })) };
      case 'SendTaskSuccess':
        return this.sendTask(input, 'success');
      case 'SendTaskFailure':
        return this.sendTask(input, 'failure');
      case 'SendTaskHeartbeat':
        return this.sendTask(input, 'heartbeat');
      default:
        throw new SfnError('UnknownOperationException', `${action} is not served by the local emulator's Step Functions`);
    }
  }

  private machine(arn: unknown): StateMachineSpec {
    if (typeof arn !== 'string' || !/^arn:[^:]+:states:[^:]*:\d{12}:stateMachine:[^:]+$/.test(arn)) throw new SfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
    const machine = this.machines.get(arn);
    if (!machine) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
    return machine;
  }

  /**
   * The machine StartExecution and StartSyncExecution run: the one `arn` names, or whose alias or version it names
   * (`…:stateMachine:<name>:<alias>`, `…:<name>:1`), as the API's stateMachineArn accepts either.
   */
  private startable(arn: unknown): StateMachineSpec {
    const qualified = typeof arn === 'string' ? /^(arn:[^:]+:states:[^:]*:\d{12}:stateMachine:[^:]+):([^:]+)$/.exec(arn) : null;
    if (!qualified) return this.machine(arn);
    const machine = this.machine(qualified[1]);
    const aliases = machine.aliases ?? [];
    if (!aliases.includes(qualified[2] as string) && !(aliases.length > 0 && qualified[2] === '1')) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${String(arn)}'`);
    return machine;
  }

  private execution(arn: unknown): Execution {
    if (typeof arn !== 'string' || !/^arn:[^:]+:states:[^:]*:\d{12}:(execution|express):/.test(arn)) throw new SfnError('InvalidArn', `Invalid Arn: 'Resource type not valid in this context: ${String(arn)}'`);
    const execution = this.executions.get(arn);
    if (!execution) throw new SfnError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
    return execution;
  }

  /** StartExecution's checks, then the execution, running. */
  private begin(input: Record<string, unknown>): Execution {
    const machine = this.startable(input.stateMachineArn);
    const name = input.name === undefined ? randomUUID() : input.name;
    if (typeof name !== 'string' || name.length < 1 || name.length > 80 || invalidName(name)) throw new SfnError('InvalidName', `Invalid Name: '${String(name)}'`);
    const inputText = input.input === undefined ? '{}' : input.input;
    if (typeof inputText !== 'string') throw new SfnError('InvalidExecutionInput', 'Invalid State Machine Execution Input: input must be a string');
    if (Buffer.byteLength(inputText) > MAX_PAYLOAD_BYTES) throw new SfnError('InvalidExecutionInput', `Invalid State Machine Execution Input: the input is larger than ${MAX_PAYLOAD_BYTES} bytes`);
    let parsed: Json;
    try {
      parsed = JSON.parse(inputText) as Json;
    } catch (error) {
      throw new SfnError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${(error as Error).message}'`);
    }
    const base = `arn:aws:states:${this.options.region}:${this.options.accountId}`;
    const arn = machine.type === 'EXPRESS' ? `${base}:express:${machine.name}:${name}:${randomUUID()}` : `${base}:execution:${machine.name}:${name}`;
    const existing = this.executions.get(arn);
    if (existing) {
      // StartExecution is idempotent for a running standard execution of the same name and input.
      if (existing.status === 'RUNNING' && existing.input === inputText) return existing;
      throw new SfnError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    if (!machine.definition) throw new SfnError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${machine.arn}' (${machine.unavailable ?? 'no definition'})`);
    const execution: Execution = { arn, name, machine, input: inputText, status: 'RUNNING', startDate: this.now(), history: [], controller: new AbortController(), done: Promise.resolve() };
    this.executions.set(arn, execution);
    execution.done = this.run(execution, parsed);
    return execution;
  }

  private record(execution: Execution, type: string, details: Record<string, Json>): number {
    const id = execution.history.length + 1;
    execution.history.push({ timestamp: seconds(this.now()), type, id, previousEventId: id - 1, [detailsKey(type)]: details });
    return id;
  }

  private async run(execution: Execution, input: Json): Promise<void> {
    const definition = execution.machine.definition as Record<string, Json>;
    this.record(execution, 'ExecutionStarted', { input: execution.input, inputDetails: { truncated: false }, roleArn: `arn:aws:iam::${this.options.accountId}:role/local-step-functions` });
    const interpreter = new Interpreter(
      {
        now: this.now,
        after: this.after,
        // Methods named, not spread: services given as a class instance keep their prototype's methods.
        runTask: taskRunner({ invokeFunction: (r, p, t) => this.services.invokeFunction(r, p, t), call: (s, a, i) => this.services.call(s, a, i), startExecution: (i, p, s) => this.startTaskExecution(i, p, s), sfn: (a, i) => this.handle(a, i) as Promise<Json>, waitForToken: (t, s, h) => this.waitForToken(t, s, h), ...(this.services.apis ? { apis: this.services.apis } : {}), ...(this.services.http ? { http: this.services.http } : {}) }),
        ...(this.options.random ? { random: this.options.random } : {}),
        // Once the execution ended (stopped, timed out) its history ends: a task answering later adds nothing.
        // The history holds payloads as JSON text (input, output, a task's parameters).
        onEvent: (type, details) => (execution.status !== 'RUNNING' ? undefined : this.record(execution, type, Object.fromEntries(Object.entries(details).map(([k, v]) => [k, k === 'input' || k === 'output' || k === 'parameters' ? JSON.stringify(v) : v])))),
      },
      {
        id: execution.arn,
        name: execution.name,
        ...(typeof definition.QueryLanguage === 'string' ? { queryLanguage: definition.QueryLanguage } : {}),
        input,
        startTime: new Date(execution.startDate).toISOString(),
        roleArn: `arn:aws:iam::${this.options.accountId}:role/local-step-functions`,
        stateMachineId: execution.machine.arn,
        stateMachineName: execution.machine.name,
      },
    );
    const timeout = typeof definition.TimeoutSeconds === 'number' ? definition.TimeoutSeconds : undefined;
    const cancelTimeout = timeout ? this.after(timeout * 1000, () => execution.controller.abort(new StatesError('States.Timeout', `The execution timed out after ${timeout} seconds`))) : () => undefined;
    try {
      const output = await interpreter.run(definition, input, execution.controller.signal);
      this.finish(execution, 'SUCCEEDED', { output: JSON.stringify(output) });
    } catch (error) {
      const reason = execution.controller.signal.aborted ? (execution.controller.signal.reason as unknown) : error;
      if (reason instanceof StatesError && reason.error === 'States.Timeout' && execution.controller.signal.aborted) this.finish(execution, 'TIMED_OUT', { error: reason.error, cause: reason.cause });
      else if (execution.controller.signal.aborted) this.finish(execution, 'ABORTED', reason instanceof StatesError ? { error: reason.error, cause: reason.cause } : {});
      else if (error instanceof StatesError) this.finish(execution, 'FAILED', { error: error.error, cause: error.cause });
      else this.finish(execution, 'FAILED', { error: 'States.Runtime', cause: `The local interpreter failed: ${(error as Error).message}` });
    } finally {
      cancelTimeout();
    }
  }

  private finish(execution: Execution, status: ExecutionStatus, result: { output?: string; error?: string; cause?: string }): void {
    if (execution.status !== 'RUNNING') return;
    execution.status = status;
    execution.stopDate = this.now();
    if (result.output !== undefined) execution.output = result.output;
    // A Fail state may name no Error or Cause: the execution then has none (not an empty one).
    if (result.error) execution.error = result.error;
    if (result.cause) execution.cause = result.cause;
    const type = { SUCCEEDED: 'ExecutionSucceeded', FAILED: 'ExecutionFailed', TIMED_OUT: 'ExecutionTimedOut', ABORTED: 'ExecutionAborted', RUNNING: '' }[status];
    const failure = { ...(execution.error !== undefined ? { error: execution.error } : {}), ...(execution.cause !== undefined ? { cause: execution.cause } : {}) };
    this.record(execution, type, status === 'SUCCEEDED' ? { output: result.output ?? 'null', outputDetails: { truncated: false } } : failure);
    this.options.onExecution?.({ machine: execution.machine.logicalId, name: execution.name, executionArn: execution.arn, status, ...failure });
  }

  private startExecution(input: Record<string, unknown>): unknown {
    const execution = this.begin(input);
    return { executionArn: execution.arn, startDate: seconds(execution.startDate) };
  }

  private async startSyncExecution(input: Record<string, unknown>): Promise<unknown> {
    const machine = this.startable(input.stateMachineArn);
    if (machine.type !== 'EXPRESS') throw new SfnError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const execution = this.begin(input);
    await execution.done;
    const duration = (execution.stopDate ?? this.now()) - execution.startDate;
    return {
      ...this.describe(execution),
      status: execution.status === 'TIMED_OUT' ? 'TIMED_OUT' : execution.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'FAILED',
      // Unlike DescribeExecution, AWS's synchronous answer has outputDetails even when a failure left no output.
      outputDetails: { included: true },
      billingDetails: { billedMemoryUsedInMB: 64, billedDurationInMilliseconds: Math.max(100, Math.ceil(duration / 100) * 100) },
    };
  }

  private describe(execution: Execution): Record<string, unknown> {
    return {
      executionArn: execution.arn,
      stateMachineArn: execution.machine.arn,
      name: execution.name,
      status: execution.status,
      startDate: seconds(execution.startDate),
      ...(execution.stopDate !== undefined ? { stopDate: seconds(execution.stopDate) } : {}),
      input: execution.input,
      inputDetails: { included: true },
      ...(execution.output !== undefined ? { output: execution.output, outputDetails: { included: true } } : {}),
      ...(execution.error !== undefined ? { error: execution.error } : {}),
      ...(execution.cause !== undefined ? { cause: execution.cause } : {}),
    };
  }

  private describeExecution(input: Record<string, unknown>): unknown {
    return this.describe(this.execution(input.executionArn));
  }

  private stopExecution(input: Record<string, unknown>): unknown {
    const execution = this.execution(input.executionArn);
    if (execution.status === 'RUNNING') {
      const error = text(input.error);
      const cause = text(input.cause);
      this.finish(execution, 'ABORTED', { ...(error !== undefined ? { error } : {}), ...(cause !== undefined ? { cause } : {}) });
      execution.controller.abort(new StatesError(error ?? 'States.Aborted', cause ?? ''));
    }
    return { stopDate: seconds(execution.stopDate ?? this.now()) };
  }

  private listExecutions(input: Record<string, unknown>): unknown {
    const machine = this.machine(input.stateMachineArn);
    if (machine.type === 'EXPRESS') throw new SfnError('StateMachineTypeNotSupported', 'This operation is not supported by this type of state machine');
    const filter = text(input.statusFilter);
    const all = [...this.executions.values()].filter((e) => e.machine === machine && (filter === undefined || e.status === filter)).reverse();
    const { page, nextToken } = paged(all, input);
    return { executions: page.map((e) => ({ executionArn: e.arn, stateMachineArn: machine.arn, name: e.name, status: e.status, startDate: seconds(e.startDate), ...(e.stopDate !== undefined ? { stopDate: seconds(e.stopDate) } : {}) })), ...(nextToken ? { nextToken } : {}) };
  }

  private history(input: Record<string, unknown>): unknown {
    const execution = this.execution(input.executionArn);
    const events = input.reverseOrder === true ? [...execution.history].reverse() : execution.history;
    const { page, nextToken } = paged(events, input);
    return { events: page, ...(nextToken ? { nextToken } : {}) };
  }

  private describeStateMachine(input: Record<string, unknown>): unknown {
    const machine = this.machine(input.stateMachineArn);
    return {
      stateMachineArn: machine.arn,
      name: machine.name,
      status: 'ACTIVE',
      definition: JSON.stringify(machine.definition ?? {}),
      roleArn: `arn:aws:iam::${this.options.accountId}:role/local-step-functions`,
      type: machine.type,
      creationDate: seconds(this.created),
      loggingConfiguration: { level: 'OFF', includeExecutionData: false },
      tracingConfiguration: { enabled: false },
    };
  }

  private sendTask(input: Record<string, unknown>, kind: 'success' | 'failure' | 'heartbeat'): unknown {
    const token = input.taskToken;
    if (typeof token !== 'string' || !TASK_TOKEN.test(token)) throw new SfnError('InvalidToken', 'Invalid Token: The provided token is not valid');
    const waiting = this.tokens.get(token);
    if (!waiting && this.closedTokens.has(token)) throw new SfnError('TaskTimedOut', 'Task Timed Out');
    if (!waiting) throw new SfnError('TaskDoesNotExist', 'Task Does Not Exist');
    if (kind === 'heartbeat') {
      waiting.heartbeat?.();
      return {};
    }
    if (kind === 'success') {
      const output = input.output;
      let parsed: Json;
      try {
        parsed = JSON.parse(typeof output === 'string' ? output : '') as Json;
      } catch {
        throw new SfnError('InvalidOutput', `Invalid Output: '${String(output)}'`);
      }
      this.tokens.delete(token);
      waiting.resolve(parsed);
    } else {
      this.tokens.delete(token);
      waiting.reject(new StatesError(text(input.error) ?? '', text(input.cause) ?? ''));
    }
    return {};
  }

  /** A `.waitForTaskToken` task: resolved by SendTaskSuccess, failed by SendTaskFailure or a missed heartbeat. */
  private waitForToken(token: string, signal: AbortSignal, heartbeatSeconds?: number): Promise<Json> {
    return new Promise((resolve, reject) => {
      let cancelHeartbeat = () => undefined as void;
      const armHeartbeat = () => {
        cancelHeartbeat();
        if (heartbeatSeconds === undefined) return;
        cancelHeartbeat = this.after(heartbeatSeconds * 1000, () => settle(() => reject(new StatesError('States.HeartbeatTimeout', `No heartbeat in ${heartbeatSeconds} seconds`))));
      };
      const settle = (fn: () => void) => {
        this.tokens.delete(token);
        this.closedTokens.add(token);
        cancelHeartbeat();
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const onAbort = () => settle(() => reject(signal.reason as Error));
      signal.addEventListener('abort', onAbort, { once: true });
      this.tokens.set(token, { resolve: (output) => settle(() => resolve(output)), reject: (error) => settle(() => reject(error)), heartbeat: armHeartbeat });
      armHeartbeat();
    });
  }

  /** `states:startExecution` from a task: the started execution, or with `.sync` its end (a failure fails the task). */
  private async startTaskExecution(input: Record<string, Json>, pattern: Pattern, signal: AbortSignal): Promise<Json> {
    let execution: Execution;
    try {
      execution = this.begin({ stateMachineArn: input.StateMachineArn, input: typeof input.Input === 'string' ? input.Input : JSON.stringify(input.Input ?? {}), ...(input.Name !== undefined ? { name: input.Name } : {}) });
    } catch (error) {
      if (error instanceof SfnError) throw new StatesError(`StepFunctions.${error.code}Exception`, error.message);
      throw error;
    }
    // The integration answers with the service's response as the Java SDK writes it: PascalCase members, dates in ms.
    if (pattern !== 'sync' && pattern !== 'sync:2') return { ExecutionArn: execution.arn, StartDate: execution.startDate };
    const stop = () => this.stopExecution({ executionArn: execution.arn });
    signal.addEventListener('abort', stop, { once: true });
    await execution.done;
    signal.removeEventListener('abort', stop);
    const described = this.describe(execution);
    const pascal: Record<string, Json> = { ...Object.fromEntries(Object.entries(described).map(([k, v]) => [k.charAt(0).toUpperCase() + k.slice(1), (k === 'startDate' || k === 'stopDate' ? Math.round((v as number) * 1000) : isDetails(v) ? { Included: v.included } : v) as Json])), RedriveCount: 0 };
    // A child that did not succeed fails the task; the cause is its description, as the Java SDK writes it.
    if (execution.status !== 'SUCCEEDED') throw new StatesError(`States.${execution.status === 'TIMED_OUT' ? 'Timeout' : 'TaskFailed'}`, JSON.stringify(pascal));
    const output: Json = pattern === 'sync:2' ? (JSON.parse(execution.output ?? 'null') as Json) : (execution.output ?? null);
    return { ...pascal, Output: output };
  }

  /** An EventBridge rule's target: StartExecution with the rule's input; undefined when it started, else why not. */
  startFromTarget(stateMachineArn: string, input: string): string | undefined {
    try {
      this.begin({ stateMachineArn, input });
      return undefined;
    } catch (error) {
      if (error instanceof SfnError) return `${error.code}: ${error.message}`;
      throw error;
    }
  }

  /** What each state machine is, for the report: its type and what of its definition is not run here. */
  notes(): string[] {
    return [...this.machines.values()].flatMap((m) => {
      const skipped = (m.notApplied ?? []).map((line) => `${m.logicalId}.${line.replace(': ', ' not applied: ')}`);
      if (!m.definition) return [`${m.logicalId} (${m.type}): not run: ${m.unavailable ?? 'no definition'}`, ...skipped];
      const report = checkDefinition(m.definition);
      return [
        `${m.logicalId} (${m.type}): ${Object.keys((m.definition.States as object | undefined) ?? {}).length} states, run by the embedded Step Functions`,
        ...report.problems.map((p) => `${m.logicalId}: Step Functions would refuse this definition (InvalidDefinition): ${p}`),
        ...report.notEmulated.map((p) => `${m.logicalId}: not emulated: ${p}`),
        ...skipped,
      ];
    });
  }

  /** Waits for every running execution to end, aborting them first (at close). */
  async close(): Promise<void> {
    for (const execution of this.executions.values()) if (execution.status === 'RUNNING') execution.controller.abort(new StatesError('States.Aborted', 'the emulator stopped'));
    await Promise.all([...this.executions.values()].map((e) => e.done.catch(() => undefined)));
  }
}

const isDetails = (v: unknown): v is { included: boolean } => typeof v === 'object' && v !== null && 'included' in v;

/** maxResults (1-1000, 100 by default) and nextToken (an offset, opaque to callers) over a list. */
function paged<T>(items: T[], input: Record<string, unknown>): { page: T[]; nextToken?: string } {
  const max = typeof input.maxResults === 'number' && input.maxResults > 0 ? Math.min(input.maxResults, 1000) : 100;
  const start = typeof input.nextToken === 'string' ? Number.parseInt(Buffer.from(input.nextToken, 'base64url').toString(), 10) || 0 : 0;
  const page = items.slice(start, start + max);
  return { page, ...(start + max < items.length ? { nextToken: Buffer.from(String(start + max)).toString('base64url') } : {}) };
}
