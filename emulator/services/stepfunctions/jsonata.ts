/**
 * JSONata in Step Functions (developer guide, "Transforming data with JSONata in Step Functions"): a string that is
 * wholly `{% expression %}` is evaluated with the reserved `$states` (input, result, errorOutput, context) and the
 * workflow's variables bound; any other string, number or literal stays as written, objects and arrays field by field.
 * An expression that fails, or yields nothing where a value is needed, is `States.QueryEvaluationError`.
 */
import type jsonataModule from 'jsonata';
import { StatesError, type Json } from './json.js';
import type { Variables } from './variables.js';

type Expression = ReturnType<typeof jsonataModule>;

let loading: Promise<typeof jsonataModule> | undefined;

/**
 * The jsonata package, loaded once, when a state machine with JSONata states is created (start.ts) or its first
 * expression runs: most templates have none, and every start would pay for reading it.
 */
export function loadJsonata(): Promise<typeof jsonataModule> {
  return (loading ??= import('jsonata').then((m) => m.default));
}

/** `$states` of one evaluation. */
export interface StatesBinding {
  input: Json;
  context: Json;
  result?: Json;
  errorOutput?: Json;
}

const EXPRESSION = /^\{%([\s\S]*)%\}$/;
const compiled = new Map<string, Expression>();

/** Whether a value is a JSONata expression string. */
export function isExpression(value: unknown): value is string {
  return typeof value === 'string' && EXPRESSION.test(value);
}

async function expression(text: string, field: string): Promise<Expression> {
  let found = compiled.get(text);
  if (!found) {
    const jsonata = await loadJsonata();
    try {
      found = jsonata(EXPRESSION.exec(text)![1]!);
    } catch (error) {
      throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${text}' specified for the field '${field}' could not be parsed: ${(error as Error).message}`);
    }
    // Compiled once per text: a Map's expressions run once per item.
    if (compiled.size < 10_000) compiled.set(text, found);
  }
  return found;
}

/** JSONata's values back to JSON: its sequences are arrays, functions and undefined are not values. */
function toJson(value: unknown): Json | undefined {
  if (value === undefined || typeof value === 'function') return undefined;
  return JSON.parse(JSON.stringify(value)) as Json;
}

/** One `{% %}` expression's value; undefined when it yields nothing (a field left out). */
export async function evaluateExpression(text: string, field: string, states: StatesBinding, variables: ReadonlyMap<string, Json>): Promise<Json | undefined> {
  const bindings: Record<string, unknown> = { ...Object.fromEntries(variables), states };
  try {
    return toJson(await (await expression(text, field)).evaluate({}, bindings));
  } catch (error) {
    if (error instanceof StatesError) throw error;
    throw new StatesError('States.QueryEvaluationError', `An error occurred while evaluating the JSONata expression '${text}' specified for the field '${field}': ${(error as Error).message}`);
  }
}

/**
 * A field's value (Arguments, Output, Assign's values, ItemSelector...): every `{% %}` string in it evaluated; a
 * top-level expression that yields nothing is an error, a nested one leaves its key out.
 */
export async function evaluateJsonata(template: Json, field: string, states: StatesBinding, variables: ReadonlyMap<string, Json>): Promise<Json> {
  const value = await evaluateTemplate(template, field, states, variables);
  if (value === undefined) throw new StatesError('States.QueryEvaluationError', `The JSONata expression '${String(template)}' specified for the field '${field}' returned nothing (undefined)`);
  return value;
}

async function evaluateTemplate(template: Json, field: string, states: StatesBinding, variables: ReadonlyMap<string, Json>): Promise<Json | undefined> {
  if (isExpression(template)) return evaluateExpression(template, field, states, variables);
  if (Array.isArray(template)) {
    const items = await Promise.all(template.map((item, i) => evaluateTemplate(item, `${field}[${i}]`, states, variables)));
    return items.map((item) => item ?? null);
  }
  if (typeof template === 'object' && template !== null) {
    const entries = await Promise.all(Object.entries(template).map(async ([key, value]) => [key, await evaluateTemplate(value, `${field}.${key}`, states, variables)] as const));
    return Object.fromEntries(entries.filter(([, value]) => value !== undefined)) as Json;
  }
  return template;
}

/**
 * A state's Assign: every value evaluated against the variables as they were when the state started (Assign and
 * Output are evaluated together), then all assigned at once (variables.ts).
 */
export async function assignVariables(assign: Json | undefined, states: StatesBinding, variables: Variables): Promise<void> {
  if (assign === undefined || assign === null) return;
  if (typeof assign !== 'object' || Array.isArray(assign)) throw new StatesError('States.Runtime', 'Assign must be a JSON object');
  variables.assign((await evaluateJsonata(assign, 'Assign', states, variables)) as Record<string, Json>);
}
