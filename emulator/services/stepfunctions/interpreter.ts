/**
 * The Amazon States Language interpreter (JSONPath states, and JSONata ones through jsonata-states.ts): Pass, Task,
 * Choice, Wait, Succeed, Fail, Parallel and Map, with each state's input and output processing, Retry and Catch, task
 * and execution timeouts, the workflow's variables. Time (waits, retry intervals, timeouts) comes from the injected
 * `after`, tasks from the injected `runTask`, so that tests drive both.
 */
import { randomBytes } from 'node:crypto';
import { evaluateChoiceRule } from './choice.js';
import { mapProcessor } from './definition.js';
import { shown, StatesError, type Json } from './json.js';
import { itemBatches, mapSettings } from './map-settings.js';
import { applyResultPath, readPath, readSelectingPath, selectPath, tryReadPath } from './paths.js';
import { evaluatePayloadTemplate } from './payload.js';
import { readItems, readObjectItems } from './item-reader.js';
import { evaluateIntrinsic, isIntrinsic } from './intrinsics.js';
import { jsonataAttempt, jsonataCatch, type JsonataItems, type JsonataRunner } from './jsonata-states.js';
import { Variables } from './variables.js';
import { errorMatches, oversized, StateRuntimeError, TaskResultTooLarge, tooLarge, UNCATCHABLE } from './state-errors.js';
import { historyNames } from './task-history.js';

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** One Task state's call, its parameters evaluated. */
export interface TaskCall {
  resource: string;
  parameters: Json;
  stateName: string;
  /** `$$.Task.Token`, for a `.waitForTaskToken` resource. */
  taskToken?: string;
  heartbeatSeconds?: number;
  signal: AbortSignal;
  /** A `.waitForTaskToken` call went out: its answer, before the token comes back (history's TaskSubmitted). */
  onSubmitted?: (output: Json) => void;
  /** The execution's ARN and its state machine's (events:putEvents adds them to each entry's Resources). */
  executionArn?: string;
  stateMachineArn?: string;
}

export interface InterpreterDeps {
  /** Epoch ms. */
  now(): number;
  /** Calls fn after ms; returns its cancel. */
  after(ms: number, fn: () => void): () => void;
  /** Runs a task; throws StatesError when it fails. */
  runTask(call: TaskCall): Promise<Json>;
  random?(): number;
  /** A history event (GetExecutionHistory), in order; its id when recorded. */
  onEvent?(type: string, details: Record<string, Json>): number | undefined;
}

/** `$$.Execution` and `$$.StateMachine` of an execution. */
export interface ExecutionInfo {
  /** The definition's top-level QueryLanguage (JSONPath when absent). */
  queryLanguage?: string;
  id: string;
  name: string;
  input: Json;
  startTime: string;
  roleArn: string;
  stateMachineId: string;
  stateMachineName: string;
}

/** Resolves after ms, or rejects with the signal's reason when it aborts first. */
function sleep(deps: InterpreterDeps, ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason as Error);
    const onAbort = () => {
      cancel();
      reject(signal.reason as Error);
    };
    const cancel = deps.after(Math.max(0, ms), () => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    });
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * A child signal that aborts with its parent (a task, a Parallel branch, a Map iteration). `release` once it is done:
 * left on the execution's signal, each would stay a listener for as long as the execution runs.
 */
function childSignal(parent: AbortSignal): { controller: AbortController; release: () => void } {
  const controller = new AbortController();
  const onAbort = (): void => controller.abort(parent.reason);
  if (parent.aborted) controller.abort(parent.reason);
  else parent.addEventListener('abort', onAbort, { once: true });
  return { controller, release: () => parent.removeEventListener('abort', onAbort) };
}

export class Interpreter {
  constructor(
    private readonly deps: InterpreterDeps,
    private readonly execution: ExecutionInfo,
  ) {}

  private context(stateName: string, entered: string, retryCount: number, extra: Record<string, Json> = {}): Json {
    const e = this.execution;
    return {
      Execution: { Id: e.id, Input: e.input, Name: e.name, RoleArn: e.roleArn, StartTime: e.startTime, RedriveCount: 0 },
      StateMachine: { Id: e.stateMachineId, Name: e.stateMachineName },
      State: { Name: stateName, EnteredTime: entered, RetryCount: retryCount },
      ...extra,
    };
  }

  private event(type: string, details: Record<string, Json>): number | undefined {
    return this.deps.onEvent?.(type, details);
  }

  /** Runs a machine (the definition, a Parallel branch, a Map processor) from StartAt to its end, in its variables' scope; its output. */
  async run(machine: Record<string, Json>, input: Json, signal: AbortSignal, variables: Variables = new Variables()): Promise<Json> {
    const states = machine.States as Record<string, Record<string, Json>>;
    let name = machine.StartAt as string;
    let value = input;
    for (;;) {
      if (signal.aborted) throw signal.reason as Error;
      const state = states[name]!;
      const type = state.Type as string;
      const entered = this.event(`${type}StateEntered`, { name, input: value });
      const step = await this.step(name, state, value, signal, variables);
      if ('output' in step) {
        // As AWS's history shows them: each value as JSON text.
        const assigned = variables.takeAssigned();
        const shownAssigned = assigned && { assignedVariables: Object.fromEntries(Object.entries(assigned).map(([k, v]) => [k, JSON.stringify(v)])), assignedVariablesDetails: { truncated: false } };
        this.event(`${type}StateExited`, { name, output: step.output, ...shownAssigned });
        if (!('next' in step)) return step.output;
        value = step.output;
        name = step.next;
        continue;
      }
      throw step.error.error === 'States.Runtime' && !(step.error instanceof StateRuntimeError) ? new StateRuntimeError(name, entered, step.error.cause) : step.error;
    }
  }

  /** One state: what it outputs and where the machine goes, or its error after Retry and Catch. */
  private async step(name: string, state: Record<string, Json>, rawInput: Json, signal: AbortSignal, variables: Variables): Promise<{ output: Json; next: string } | { output: Json } | { error: StatesError }> {
    const finish = (output: Json): { output: Json; next: string } | { output: Json } => {
      if (oversized(output)) throw new StatesError('States.DataLimitExceeded', tooLarge(name));
      return state.End === true || typeof state.Next !== 'string' ? { output } : { output, next: state.Next };
    };
    const entered = new Date(this.deps.now()).toISOString();
    const language = typeof state.QueryLanguage === 'string' ? state.QueryLanguage : this.execution.queryLanguage;
    const jsonataState = language === 'JSONata';
    variables.takeAssigned();
    const retries = Array.isArray(state.Retry) ? state.Retry.filter(isRecord) : [];
    const attempts = retries.map(() => 0);
    for (;;) {
      const retryCount = attempts.reduce((a, b) => a + b, 0);
      const context = this.context(name, entered, retryCount);
      try {
        if (jsonataState) {
          const step = await jsonataAttempt(this.jsonataRunner(variables), name, state, rawInput, context, variables, signal);
          if ('error' in step) return step;
          return state.Type === 'Choice' || state.Type === 'Succeed' ? (step as { output: Json; next: string } | { output: Json }) : finish(step.output);
        }
        // A JSONPath state's Assign is evaluated with its paths, against the variables it was entered with, and set once its output is.
        switch (state.Type) {
          case 'Succeed':
            return { output: selectPath(state.OutputPath as string | null | undefined, selectPath(state.InputPath as string | null | undefined, rawInput, context, variables), context, variables) };
          case 'Fail':
            return { error: this.failure(state, rawInput, context, variables) };
          case 'Choice': {
            const { assigned, ...chosen } = this.choice(name, state, rawInput, context, variables);
            if (assigned) variables.assign(assigned);
            return chosen;
          }
          default: {
            const { output, assigned } = await this.work(name, state, rawInput, context, signal, variables);
            const done = finish(output);
            if (assigned) variables.assign(assigned);
            return done;
          }
        }
      } catch (caught) {
        if (!(caught instanceof StatesError)) throw caught;
        if (signal.aborted) throw signal.reason as Error;
        const terminal = UNCATCHABLE.has(caught.error) && !(caught instanceof TaskResultTooLarge);
        const retry = retries.findIndex((r) => errorMatches(r.ErrorEquals, caught.error, terminal));
        const retrier = retries[retry];
        if (retrier && attempts[retry]! < (typeof retrier.MaxAttempts === 'number' ? retrier.MaxAttempts : 3)) {
          await sleep(this.deps, this.retryDelay(retrier, attempts[retry]!), signal);
          attempts[retry]! += 1;
          continue;
        }
        const catcher = (Array.isArray(state.Catch) ? state.Catch.filter(isRecord) : []).find((c) => errorMatches(c.ErrorEquals, caught.error, terminal));
        if (!catcher) return { error: caught };
        const errorOutput = { Error: caught.error, Cause: caught.cause };
        try {
          if (jsonataState) return { output: await jsonataCatch(catcher, { input: rawInput, context, errorOutput }, variables), next: catcher.Next as string };
          // A Catch's Assign reads the error output as `$` (and the variables the state was entered with).
          const assigned = this.assignment(catcher.Assign, errorOutput, context, variables);
          const output = applyResultPath(rawInput, catcher.ResultPath === undefined ? '$' : (catcher.ResultPath as string | null), errorOutput);
          if (assigned) variables.assign(assigned);
          return { output, next: catcher.Next as string };
        } catch (error) {
          if (error instanceof StatesError) return { error };
          throw error;
        }
      }
    }
  }

  /** IntervalSeconds x BackoffRate^attempt, capped by MaxDelaySeconds, with FULL jitter when asked. */
  private retryDelay(retrier: Record<string, Json>, attempt: number): number {
    const interval = typeof retrier.IntervalSeconds === 'number' ? retrier.IntervalSeconds : 1;
    const rate = typeof retrier.BackoffRate === 'number' ? retrier.BackoffRate : 2;
    let seconds = interval * rate ** attempt;
    if (typeof retrier.MaxDelaySeconds === 'number') seconds = Math.min(seconds, retrier.MaxDelaySeconds);
    if (retrier.JitterStrategy === 'FULL') seconds *= (this.deps.random ?? Math.random)();
    return seconds * 1000;
  }

  /** A JSONPath state's Assign: its `.$` fields read `value` (the state's result, input or error output), `$$` and the variables. */
  private assignment(assign: Json | undefined, value: Json, context: Json, variables: Variables): Record<string, Json> | undefined {
    if (assign === undefined) return undefined;
    if (!isRecord(assign)) throw new StatesError('States.Runtime', 'Assign must be a JSON object');
    return evaluatePayloadTemplate(assign, value, context, this.templateOptions(variables)) as Record<string, Json>;
  }

  /** What a JSONPath state's `.$` fields read besides the input and the context object: the variables (and the tests' random). */
  private templateOptions(variables: Variables): { variables: Variables; random?: () => number } {
    return { variables, ...(this.deps.random ? { random: this.deps.random } : {}) };
  }

  private failure(state: Record<string, Json>, input: Json, context: Json, variables: Variables): StatesError {
    const text = (literal: Json | undefined, path: Json | undefined, field: string): string => {
      if (typeof path === 'string') {
        // ErrorPath and CausePath take an intrinsic function too (States.Format...).
        const value = isIntrinsic(path) ? evaluateIntrinsic(path, input, context, { variables }) : readPath(path, input, context, field, variables);
        return typeof value === 'string' ? value : JSON.stringify(value);
      }
      return typeof literal === 'string' ? literal : '';
    };
    return new StatesError(text(state.Error, state.ErrorPath, 'ErrorPath'), text(state.Cause, state.CausePath, 'CausePath'));
  }

  /** The first rule that holds (its Assign, else the state's) or the Default (the state's Assign), over the input InputPath selects. */
  private choice(name: string, state: Record<string, Json>, rawInput: Json, context: Json, variables: Variables): { output: Json; next: string; assigned: Record<string, Json> | undefined } {
    const input = selectPath(state.InputPath as string | null | undefined, rawInput, context, variables);
    const rule = (Array.isArray(state.Choices) ? state.Choices.filter(isRecord) : []).find((r) => evaluateChoiceRule(r, input, context, variables));
    const next = rule ? (rule.Next as string) : typeof state.Default === 'string' ? state.Default : undefined;
    if (next === undefined) throw new StatesError('States.NoChoiceMatched', `No Choice Rules matched and no Default was specified in state '${name}'`);
    const assigned = this.assignment(rule?.Assign ?? state.Assign, input, context, variables);
    return { output: selectPath(state.OutputPath as string | null | undefined, input, context, variables), next, assigned };
  }

  /**
   * Pass, Task, Wait, Parallel and Map: InputPath, Parameters, the work, ResultSelector, Assign (over the result as
   * ResultSelector leaves it; a Wait's over its input), ResultPath, OutputPath. The values to assign, not yet set.
   */
  private async work(name: string, state: Record<string, Json>, rawInput: Json, context: Json, signal: AbortSignal, variables: Variables): Promise<{ output: Json; assigned: Record<string, Json> | undefined }> {
    const input = selectPath(state.InputPath as string | null | undefined, rawInput, context, variables);
    let result: Json;
    if (state.Type === 'Wait') {
      await sleep(this.deps, this.waitMs(state, input, context, variables), signal);
      const assigned = this.assignment(state.Assign, input, context, variables);
      return { output: selectPath(state.OutputPath as string | null | undefined, input, context, variables), assigned };
    }
    // Shaped like AWS's (long, opaque, starting AQ): the service tells its own tokens from text that is none.
    const taskToken = state.Type === 'Task' && typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken') ? `AQ${randomBytes(96).toString('base64url')}` : undefined;
    const paramContext = taskToken && isRecord(context) ? { ...context, Task: { Token: taskToken } } : context;
    // A Map's Parameters is its older name for ItemSelector (applied per item).
    const effective = state.Parameters !== undefined && state.Type !== 'Map' ? evaluatePayloadTemplate(state.Parameters, input, paramContext, this.templateOptions(variables)) : input;
    switch (state.Type) {
      case 'Pass':
        result = state.Result !== undefined ? state.Result : effective;
        break;
      case 'Task':
        result = await this.task(name, state, effective, input, context, signal, taskToken, variables);
        break;
      case 'Parallel':
        result = await this.parallel(state, effective, signal, variables);
        break;
      default:
        result = await this.map(name, state, input, context, signal, variables);
        break;
    }
    if (state.ResultSelector !== undefined && state.Type !== 'Pass') result = evaluatePayloadTemplate(state.ResultSelector, result, context, { variables });
    const assigned = this.assignment(state.Assign, result, context, variables);
    const placed = applyResultPath(rawInput, state.ResultPath === undefined ? '$' : (state.ResultPath as string | null), result);
    return { output: selectPath(state.OutputPath as string | null | undefined, placed, context, variables), assigned };
  }

  private waitMs(state: Record<string, Json>, input: Json, context: Json, variables: Variables): number {
    const fail = (why: string) => new StatesError('States.Runtime', why);
    if (typeof state.Seconds === 'number') return state.Seconds * 1000;
    if (typeof state.SecondsPath === 'string') {
      const path = state.SecondsPath;
      const read = tryReadPath(path, input, context, variables);
      // Step Functions' words for each way the path misses a whole, non-negative number of seconds.
      if (!read.found) throw fail(`The SecondsPath parameter does not reference an input value: ${path}`);
      const seconds = read.value;
      if (typeof seconds !== 'number' || !Number.isInteger(seconds)) throw fail(`The SecondsPath parameter cannot be parsed as a long value: ${path} == ${shown(seconds)}`);
      if (seconds < 0) throw fail(`The SecondsPath parameter references a negative value: ${path} == ${seconds}`);
      return seconds * 1000;
    }
    const stamp = typeof state.Timestamp === 'string' ? state.Timestamp : typeof state.TimestampPath === 'string' ? readPath(state.TimestampPath, input, context, 'TimestampPath', variables) : undefined;
    // RFC 3339 with a Z or an offset, as the Wait state requires (a local time is no instant).
    const at = typeof stamp === 'string' && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(stamp) ? Date.parse(stamp) : Number.NaN;
    if (Number.isNaN(at)) {
      const format = 'ISO-8601 extended offset date-time format string';
      throw fail(typeof state.TimestampPath === 'string' ? `The TimestampPath parameter does not reference a valid ${format}: ${state.TimestampPath} == ${shown(stamp ?? null)}` : `The Timestamp field cannot be parsed as an ${format}: ${shown(stamp ?? null)}`);
    }
    return at - this.deps.now();
  }

  /** A Task's call, bounded by its TimeoutSeconds (States.Timeout). */
  private async task(name: string, state: Record<string, Json>, parameters: Json, input: Json, context: Json, signal: AbortSignal, taskToken: string | undefined, variables?: Variables): Promise<Json> {
    const timeoutSeconds = typeof state.TimeoutSeconds === 'number' ? state.TimeoutSeconds : typeof state.TimeoutSecondsPath === 'string' ? readSelectingPath(state.TimeoutSecondsPath, input, context, variables) : undefined;
    const heartbeat = typeof state.HeartbeatSeconds === 'number' ? state.HeartbeatSeconds : undefined;
    const { controller, release } = childSignal(signal);
    const names = historyNames(state.Resource as string, this.execution.id);
    // The service's answer to a call waiting for its token is recorded once it comes (TaskStarted, TaskSubmitted, then the token's outcome).
    const onSubmitted = taskToken && !names.lambda ? (output: Json) => this.event('TaskSubmitted', { ...names.started[1], output }) : undefined;
    const call: TaskCall = { resource: state.Resource as string, parameters, stateName: name, executionArn: this.execution.id, stateMachineArn: this.execution.stateMachineId, signal: controller.signal, ...(taskToken ? { taskToken } : {}), ...(heartbeat !== undefined ? { heartbeatSeconds: heartbeat } : {}), ...(onSubmitted ? { onSubmitted } : {}) };
    this.event(names.scheduled[0], { ...names.scheduled[1], ...(names.lambda ? { input: parameters } : { parameters }) });
    this.event(names.started[0], names.started[1]);
    const running = this.deps.runTask(call);
    let cancel = () => undefined as void;
    // The execution stopped (StopExecution, its timeout, the emulator closing): its task is not waited for.
    let onStop = (): void => undefined;
    const stopped = new Promise<never>((_, reject) => {
      onStop = () => reject(signal.reason as Error);
      if (signal.aborted) onStop();
      else signal.addEventListener('abort', onStop, { once: true });
    });
    stopped.catch(() => undefined);
    const limited = typeof timeoutSeconds === 'number' && timeoutSeconds > 0
      ? Promise.race([running, stopped, new Promise<never>((_, reject) => {
          cancel = this.deps.after(timeoutSeconds * 1000, () => {
            controller.abort(new StatesError('States.Timeout', `The task '${name}' timed out after ${timeoutSeconds} seconds`));
            reject(new StatesError('States.Timeout', ''));
          });
        })])
      : Promise.race([running, stopped]);
    try {
      const output = await limited;
      // The limit holds for what the task returns, even when ResultPath discards it.
      if (oversized(output)) throw new TaskResultTooLarge('States.DataLimitExceeded', tooLarge(names.lambda ? call.resource : String(names.failed[1].resourceType)));
      this.event(names.succeeded[0], { ...names.succeeded[1], output });
      return output;
    } catch (error) {
      if (error instanceof StatesError) {
        const timedOut = error.error === 'States.Timeout' || error.error === 'States.HeartbeatTimeout';
        // A timeout has no cause: AWS's TaskTimedOut / LambdaFunctionTimedOut events carry the error alone.
        this.event(timedOut ? names.timedOut[0] : names.failed[0], { ...names.failed[1], error: error.error, ...(error.cause !== '' ? { cause: error.cause } : {}) });
      }
      throw error;
    } finally {
      cancel();
      release();
      signal.removeEventListener('abort', onStop);
      running.catch(() => undefined);
    }
  }

  /** What a JSONata state runs with the interpreter's own machinery (jsonata-states.ts). */
  private jsonataRunner(variables: Variables): JsonataRunner {
    return {
      now: () => this.deps.now(),
      sleep: (ms, signal) => sleep(this.deps, ms, signal),
      task: (name, state, parameters, input, context, signal, taskToken) => this.task(name, state, parameters, input, context, signal, taskToken),
      parallel: (state, input, signal) => this.parallel(state, input, signal, variables),
      map: (name, state, input, context, signal, items) => this.map(name, state, input, context, signal, variables, items),
      readItems: (name, reader, parameters, limit, signal) => readObjectItems(reader, parameters, () => limit, this.itemGetter(name, signal)),
    };
  }

  /** Every branch on the same input, at once; their outputs in order. The first branch to fail fails the state. */
  private async parallel(state: Record<string, Json>, input: Json, signal: AbortSignal, variables: Variables): Promise<Json> {
    const branches = (state.Branches as Json[]).filter(isRecord);
    const { controller, release } = childSignal(signal);
    this.event('ParallelStateStarted', {});
    try {
      // A branch reads the variables as they were and assigns its own: none of them reach the outer scope.
      const outputs = await Promise.all(branches.map((b) => this.run(b, input, controller.signal, variables.inner())));
      this.event('ParallelStateSucceeded', {});
      return outputs;
    } catch (error) {
      controller.abort(error);
      this.event('ParallelStateFailed', {});
      throw error;
    } finally {
      release();
    }
  }

  /** A Distributed Map's items from its ItemReader: the S3 object read with the workflow's own S3 GetObject call. */
  private async readerItems(name: string, reader: Record<string, Json>, input: Json, context: Json, signal: AbortSignal, variables: Variables): Promise<Json[]> {
    return readItems(reader, input, context, this.itemGetter(name, signal), variables);
  }

  /** The S3 GetObject call an ItemReader reads its object with; its failure is States.ItemReaderFailed. */
  private itemGetter(name: string, signal: AbortSignal): (parameters: Json) => Promise<Json> {
    return async (parameters: Json): Promise<Json> => {
      try {
        return await this.deps.runTask({ resource: 'arn:aws:states:::aws-sdk:s3:getObject', parameters, stateName: name, executionArn: this.execution.id, stateMachineArn: this.execution.stateMachineId, signal });
      } catch (error) {
        // The read's own failure is the ItemReader's, as the developer guide names it (States.ItemReaderFailed).
        if (error instanceof StatesError && !signal.aborted) throw new StatesError('States.ItemReaderFailed', `Map state '${name}' could not read its items: ${error.error}: ${error.cause}`);
        throw error;
      }
    };
  }

  /** Each item of ItemsPath (or of the ItemReader) through the processor, at most MaxConcurrency at once, with the tolerated failures. */
  private async map(name: string, state: Record<string, Json>, input: Json, context: Json, signal: AbortSignal, variables: Variables, jsonata?: JsonataItems): Promise<Json> {
    const read = jsonata ? jsonata.items : isRecord(state.ItemReader) ? await this.readerItems(name, state.ItemReader, input, context, signal, variables) : state.ItemsPath === undefined ? input : readPath(state.ItemsPath as string, input, context, undefined, variables);
    if (!Array.isArray(read)) throw new StatesError('States.Runtime', `Map state '${name}' ItemsPath must reference a JSON array, got ${JSON.stringify(read)}`);
    const selector = jsonata ? undefined : (state.ItemSelector ?? state.Parameters);
    const withItem = (index: number, value: Json): Json => (isRecord(context) ? { ...context, Map: { Item: { Index: index, Value: value } } } : context);
    // With an ItemBatcher each child gets a batch of the selected items; without, one item, selected as it starts.
    const batcher = isRecord(state.ItemBatcher) && !jsonata ? state.ItemBatcher : undefined;
    const options = this.templateOptions(variables);
    const items = batcher
      ? itemBatches(read.map((item, index) => (selector !== undefined ? evaluatePayloadTemplate(selector, input, withItem(index, item), options) : item)), batcher, input, context, batcher.BatchInput === undefined ? undefined : evaluatePayloadTemplate(batcher.BatchInput, input, context, options), variables)
      : read;
    const selectEach = selector !== undefined && !batcher;
    const processor = mapProcessor(state)!;
    // An inline iteration reads the outer variables; a Distributed Map's child workflow sees none of them.
    const distributed = isRecord(processor.ProcessorConfig) && processor.ProcessorConfig.Mode === 'DISTRIBUTED';
    const { maxConcurrency, toleratedCount, toleratedPercent } = mapSettings(state, input, context, variables);
    const limit = maxConcurrency > 0 ? maxConcurrency : items.length || 1;
    const tolerating = toleratedCount !== undefined || toleratedPercent !== undefined;
    const { controller, release } = childSignal(signal);
    const results: Json[] = new Array<Json>(items.length).fill(null);
    let failures = 0;
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < items.length) {
        const index = next++;
        const item = items[index]!;
        this.event('MapIterationStarted', { name, index });
        try {
          const itemInput = jsonata?.select ? await jsonata.select(index, item) : selectEach ? evaluatePayloadTemplate(selector, input, withItem(index, item), options) : item;
          results[index] = await this.run(processor, itemInput, controller.signal, distributed ? new Variables() : variables.inner());
          this.event('MapIterationSucceeded', { name, index });
        } catch (error) {
          if (!controller.signal.aborted) this.event('MapIterationFailed', { name, index });
          if (!(error instanceof StatesError) || !tolerating || controller.signal.aborted) throw error;
          failures += 1;
          const overCount = toleratedCount !== undefined && failures > toleratedCount;
          const overPercent = toleratedPercent !== undefined && (failures / items.length) * 100 > toleratedPercent;
          if (overCount || overPercent || (toleratedCount === undefined && toleratedPercent === undefined)) {
            throw new StatesError('States.ExceedToleratedFailureThreshold', `The specified tolerated failure threshold was exceeded (${failures} of ${items.length} items failed)`);
          }
          results[index] = { Error: error.error, Cause: error.cause };
        }
      }
    };
    this.event('MapStateStarted', { length: items.length });
    try {
      await Promise.all(Array.from({ length: Math.min(limit, Math.max(items.length, 1)) }, worker));
    } catch (error) {
      controller.abort(error);
      this.event('MapStateFailed', {});
      throw error;
    } finally {
      release();
    }
    this.event('MapStateSucceeded', {});
    return results;
  }
}
