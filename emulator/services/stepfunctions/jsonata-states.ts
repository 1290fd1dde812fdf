/**
 * States whose QueryLanguage is JSONata (developer guide, "Transforming data with JSONata in Step Functions"): no
 * InputPath, Parameters, ResultSelector, ResultPath or OutputPath; `Arguments` is what a Task calls with (a Parallel's
 * branches start with it), `Output` what the state outputs (by default a Task's, Parallel's or Map's result, any other
 * state's input), `Assign` the variables it sets (evaluated with Output, against the variables as they were), a
 * Choice rule's `Condition`, a Map's `Items` (or ItemReader's `Arguments`), `ItemSelector` and `ItemBatcher`, and any
 * number or text field as an expression. A Catch's Output gets `$states.errorOutput` (and is it by default).
 */
import { randomBytes } from 'node:crypto';
import { StatesError, type Json } from './json.js';
import { assignVariables, evaluateExpression, evaluateJsonata, isExpression, type StatesBinding } from './jsonata.js';
import { checkedMaxItems } from './item-reader.js';
import { itemBatches } from './map-settings.js';
import type { Variables } from './variables.js';

const isRecord = (v: unknown): v is Record<string, Json> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A JSONata Map's items and how each becomes an iteration's input. */
export interface JsonataItems {
  items: Json[];
  select?: (index: number, item: Json) => Promise<Json>;
}

/** The interpreter's machinery a JSONata state runs on. */
export interface JsonataRunner {
  now(): number;
  sleep(ms: number, signal: AbortSignal): Promise<void>;
  task(name: string, state: Record<string, Json>, parameters: Json, input: Json, context: Json, signal: AbortSignal, taskToken: string | undefined): Promise<Json>;
  parallel(state: Record<string, Json>, input: Json, signal: AbortSignal): Promise<Json>;
  map(name: string, state: Record<string, Json>, input: Json, context: Json, signal: AbortSignal, items: JsonataItems): Promise<Json>;
  /** An ItemReader's items: its object read with `parameters` (its Arguments, evaluated), at most `limit` of them (0: all). */
  readItems(name: string, reader: Record<string, Json>, parameters: Json, limit: number, signal: AbortSignal): Promise<Json[]>;
}

type Attempt = { output: Json; next?: string } | { error: StatesError };

/** A number field given as a number or an expression (TimeoutSeconds, Seconds, MaxConcurrency...). */
async function numberField(state: Record<string, Json>, field: string, states: StatesBinding, variables: ReadonlyMap<string, Json>): Promise<number | undefined> {
  const value = state[field];
  if (value === undefined) return undefined;
  const evaluated = isExpression(value) ? await evaluateExpression(value, field, states, variables) : value;
  if (typeof evaluated !== 'number') throw new StatesError('States.QueryEvaluationError', `The field '${field}' must be a number, not ${JSON.stringify(evaluated ?? null)}`);
  return evaluated;
}

/** The state's Output (or `fallback` without one) and its Assign, both against the variables it started with. */
async function finish(state: Record<string, Json>, states: StatesBinding, variables: Variables, fallback: Json): Promise<Json> {
  const output = state.Output === undefined ? fallback : await evaluateJsonata(state.Output, 'Output', states, variables);
  await assignVariables(state.Assign, states, variables);
  return output;
}

/** A Catch of a JSONata state: its Output (the error output by default) and its Assign. */
export async function jsonataCatch(catcher: Record<string, Json>, states: StatesBinding, variables: Variables): Promise<Json> {
  return finish(catcher, states, variables, states.errorOutput ?? null);
}

/** One attempt at a JSONata state: its output and next state, or the error a Fail state raises. */
export async function jsonataAttempt(runner: JsonataRunner, name: string, state: Record<string, Json>, input: Json, context: Json, variables: Variables, signal: AbortSignal): Promise<Attempt> {
  const states: StatesBinding = { input, context };
  const text = async (field: string): Promise<string> => {
    const value = state[field];
    const evaluated = isExpression(value) ? await evaluateExpression(value, field, states, variables) : value;
    return typeof evaluated === 'string' ? evaluated : evaluated === undefined ? '' : JSON.stringify(evaluated);
  };
  switch (state.Type) {
    case 'Pass':
    case 'Succeed':
      return { output: await finish(state, states, variables, input) };
    case 'Fail':
      return { error: new StatesError(await text('Error'), await text('Cause')) };
    case 'Choice':
      return choice(name, state, states, variables);
    case 'Wait': {
      const seconds = await numberField(state, 'Seconds', states, variables);
      const at = seconds === undefined ? Date.parse(await text('Timestamp')) : runner.now() + seconds * 1000;
      if (Number.isNaN(at)) throw new StatesError('States.QueryEvaluationError', `The Timestamp of the state '${name}' is not an ISO-8601 date-time`);
      await runner.sleep(at - runner.now(), signal);
      return { output: await finish(state, states, variables, input) };
    }
    case 'Task': {
      // Shaped like AWS's (long, opaque, starting AQ), as the JSONPath states' token.
      const taskToken = typeof state.Resource === 'string' && state.Resource.endsWith('.waitForTaskToken') ? `AQ${randomBytes(96).toString('base64url')}` : undefined;
      const taskContext = taskToken && isRecord(context) ? { ...context, Task: { Token: taskToken } } : context;
      const parameters = state.Arguments === undefined ? input : await evaluateJsonata(state.Arguments, 'Arguments', { input, context: taskContext }, variables);
      const timeout = await numberField(state, 'TimeoutSeconds', states, variables);
      const heartbeat = await numberField(state, 'HeartbeatSeconds', states, variables);
      const limits = { ...state, ...(timeout !== undefined ? { TimeoutSeconds: timeout } : {}), ...(heartbeat !== undefined ? { HeartbeatSeconds: heartbeat } : {}) };
      const result = await runner.task(name, limits, parameters, input, context, signal, taskToken);
      return { output: await finish(state, { ...states, result }, variables, result) };
    }
    case 'Parallel': {
      const branchInput = state.Arguments === undefined ? input : await evaluateJsonata(state.Arguments, 'Arguments', states, variables);
      const result = await runner.parallel(state, branchInput, signal);
      return { output: await finish(state, { ...states, result }, variables, result) };
    }
    case 'Map':
      return map(runner, name, state, states, variables, signal);
    default:
      throw new StatesError('States.Runtime', `The state '${name}' has no type the interpreter runs`);
  }
}

/** A Choice: the first rule whose Condition is true (its own Output and Assign, else the state's), or the Default. */
async function choice(name: string, state: Record<string, Json>, states: StatesBinding, variables: Variables): Promise<Attempt> {
  const rules = Array.isArray(state.Choices) ? state.Choices.filter(isRecord) : [];
  for (const [i, rule] of rules.entries()) {
    const holds = await evaluateExpression(String(rule.Condition), `Choices[${i}].Condition`, states, variables);
    if (typeof holds !== 'boolean') throw new StatesError('States.QueryEvaluationError', `The Condition of the state '${name}' Choices[${i}] must be true or false, not ${JSON.stringify(holds ?? null)}`);
    if (!holds) continue;
    const own = { Output: rule.Output ?? state.Output, Assign: rule.Assign ?? state.Assign } as Record<string, Json>;
    return { output: await finish(own, states, variables, states.input), next: rule.Next as string };
  }
  if (typeof state.Default !== 'string') throw new StatesError('States.NoChoiceMatched', `No Choice Rules matched and no Default was specified in state '${name}'`);
  return { output: await finish(state, states, variables, states.input), next: state.Default };
}

/**
 * A Map: its Items (the input by default) or its ItemReader's (the object its Arguments name, at most ReaderConfig's
 * MaxItems), each through ItemSelector, grouped by ItemBatcher (MaxItemsPerBatch, MaxInputBytesPerBatch, BatchInput),
 * with its settings given as numbers or expressions.
 */
async function map(runner: JsonataRunner, name: string, state: Record<string, Json>, states: StatesBinding, variables: Variables, signal: AbortSignal): Promise<Attempt> {
  const items = isRecord(state.ItemReader) ? await readerItems(runner, name, state.ItemReader, states, variables, signal) : state.Items === undefined ? states.input : await evaluateJsonata(state.Items, 'Items', states, variables);
  if (!Array.isArray(items)) throw new StatesError('States.QueryEvaluationError', `The Items of the state '${name}' must be a JSON array, not ${JSON.stringify(items)}`);
  const settings: Record<string, Json> = { ...state };
  for (const field of ['MaxConcurrency', 'ToleratedFailureCount', 'ToleratedFailurePercentage']) {
    const value = await numberField(state, field, states, variables);
    if (value !== undefined) settings[field] = value;
  }
  const selector = state.ItemSelector;
  const context = states.context;
  const select = selector === undefined ? undefined : (index: number, item: Json) => evaluateJsonata(selector, 'ItemSelector', { input: states.input, context: isRecord(context) ? { ...context, Map: { Item: { Index: index, Value: item } } } : context }, variables);
  // Batched, each child gets a batch of the items ItemSelector made; otherwise one item, selected as it starts.
  const batched = isRecord(state.ItemBatcher) ? await batches(state.ItemBatcher, select ? await Promise.all(items.map((item, i) => select(i, item))) : items, states, variables) : undefined;
  const result = await runner.map(name, settings, states.input, context, signal, batched ? { items: batched } : { items, ...(select ? { select } : {}) });
  return { output: await finish(state, { ...states, result }, variables, result) };
}

/** A JSONata ItemReader's items: its Arguments and ReaderConfig's MaxItems evaluated, the object read. */
async function readerItems(runner: JsonataRunner, name: string, reader: Record<string, Json>, states: StatesBinding, variables: Variables, signal: AbortSignal): Promise<Json[]> {
  const parameters = reader.Arguments === undefined ? {} : await evaluateJsonata(reader.Arguments, 'ItemReader.Arguments', states, variables);
  const config = isRecord(reader.ReaderConfig) ? reader.ReaderConfig : {};
  const limit = checkedMaxItems(await numberField(config, 'MaxItems', states, variables));
  return runner.readItems(name, reader, parameters, limit, signal);
}

/** A JSONata ItemBatcher's batches: its limits given as numbers or expressions, its BatchInput evaluated. */
async function batches(batcher: Record<string, Json>, items: Json[], states: StatesBinding, variables: Variables): Promise<Json[]> {
  const limits: Record<string, Json> = {};
  for (const field of ['MaxItemsPerBatch', 'MaxInputBytesPerBatch']) {
    const value = await numberField(batcher, field, states, variables);
    if (value !== undefined) limits[field] = value;
  }
  const batchInput = batcher.BatchInput === undefined ? undefined : await evaluateJsonata(batcher.BatchInput, 'ItemBatcher.BatchInput', states, variables);
  return itemBatches(items, limits, states.input, states.context, batchInput);
}
