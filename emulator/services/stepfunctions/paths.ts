/**
 * Paths of the Amazon States Language ("Paths" and "Reference Paths" in the spec; "Processing input and output" in the
 * developer guide): a JSONPath rooted at `$` (the state's input), `$$` (the context object) or `$name` (the workflow's
 * variable `name`, developer guide, "Passing data between states with variables"). Step Functions
 * evaluates them with Jayway JsonPath, so the behaviour around edges follows it: a definite path (only names and
 * single indexes) yields one value or fails; any wildcard, deep scan, union, slice or filter makes the path
 * indefinite, and it yields the list of what it matched, which may be empty.
 */
import { isJsonObject, type Json, jsonEquals, StatesError } from './json.js';

/** A filter's test of one node (`@`), with the document's root for `$` operands. */
type Filter = (node: Json, root: Json) => boolean;
type Operand = (node: Json, root: Json) => Json | undefined;

type Step =
  | { kind: 'name'; name: string }
  | { kind: 'index'; index: number }
  | { kind: 'names'; names: string[] }
  | { kind: 'indexes'; indexes: number[] }
  | { kind: 'wildcard' }
  | { kind: 'slice'; start: number | undefined; end: number | undefined; step: number }
  | { kind: 'filter'; test: Filter }
  | { kind: 'scan'; step: Step };

interface ParsedPath {
  /** `$`, `$$`, or the name of the variable a `$name` path reads. */
  root: '$' | '$$' | { variable: string };
  steps: Step[];
}

/** The workflow's variables, by name (variables.ts keeps them). */
export type VariableValues = ReadonlyMap<string, Json>;

/** A variable's name after the `$` (Unicode identifier characters, as JSONata's variables and the guide's names). */
const VARIABLE_NAME = /^[\p{ID_Start}_][\p{ID_Continue}\u200c\u200d]*/u;

const invalid = (path: string, why: string): StatesError => new StatesError('States.Runtime', `Invalid JSONPath '${path}': ${why}`);

/** The steps of a path after its root; `stop` ends a name early (inside a filter, where operators follow names). */
function parseSteps(text: string, start: number, path: string, stop = /[.[]/): { steps: Step[]; end: number } {
  const steps: Step[] = [];
  let i = start;
  while (i < text.length) {
    const c = text[i];
    if (c === '.' && text[i + 1] === '.') {
      i += 2;
      const inner = text[i] === '[' ? parseBracket(text, i, path) : text[i] === '*' ? { step: { kind: 'wildcard' } as Step, end: i + 1 } : readName(text, i, path, stop);
      steps.push({ kind: 'scan', step: inner.step });
      i = inner.end;
    } else if (c === '.' && text[i + 1] === '[') {
      // `$.[0]`: Jayway's JsonPath (Step Functions' own) reads a dot before a bracket as the bracket alone.
      const next = parseBracket(text, i + 1, path);
      steps.push(next.step);
      i = next.end;
    } else if (c === '.') {
      const next = text[i + 1] === '*' ? { step: { kind: 'wildcard' } as Step, end: i + 2 } : readName(text, i + 1, path, stop);
      steps.push(next.step);
      i = next.end;
    } else if (c === '[') {
      const next = parseBracket(text, i, path);
      steps.push(next.step);
      i = next.end;
    } else break;
  }
  return { steps, end: i };
}

function readName(text: string, start: number, path: string, stop: RegExp): { step: Step; end: number } {
  let end = start;
  while (end < text.length && !stop.test(text[end] as string)) end++;
  if (end === start) throw invalid(path, `a name is missing at position ${start}`);
  return { step: { kind: 'name', name: text.slice(start, end) }, end };
}

/** Reads a quoted name in a bracket ('name' or "name", a backslash escaping the next character). */
function readQuoted(text: string, start: number, path: string): { value: string; end: number } {
  const quote = text[start];
  let value = '';
  let i = start + 1;
  while (i < text.length && text[i] !== quote) {
    if (text[i] === '\\' && i + 1 < text.length) i++;
    value += text[i];
    i++;
  }
  if (i >= text.length) throw invalid(path, 'a quoted name is not closed');
  return { value, end: i + 1 };
}

const skipSpaces = (text: string, i: number): number => {
  while (text[i] === ' ') i++;
  return i;
};

function parseBracket(text: string, open: number, path: string): { step: Step; end: number } {
  let i = skipSpaces(text, open + 1);
  const close = (step: Step, at: number): { step: Step; end: number } => {
    const j = skipSpaces(text, at);
    if (text[j] !== ']') throw invalid(path, `']' expected at position ${j}`);
    return { step, end: j + 1 };
  };
  if (text[i] === '*') return close({ kind: 'wildcard' }, i + 1);
  if (text[i] === '?') {
    const filter = compileFilter(text, i + 1, path);
    return close({ kind: 'filter', test: filter.test }, filter.end);
  }
  if (text[i] === "'" || text[i] === '"') {
    const names: string[] = [];
    for (;;) {
      const quoted = readQuoted(text, i, path);
      names.push(quoted.value);
      i = skipSpaces(text, quoted.end);
      if (text[i] !== ',') break;
      i = skipSpaces(text, i + 1);
    }
    return close(names.length === 1 ? { kind: 'name', name: names[0] as string } : { kind: 'names', names }, i);
  }
  const end = text.indexOf(']', i);
  if (end < 0) throw invalid(path, "']' is missing");
  const raw = text.slice(i, end).replaceAll(' ', '');
  const integer = (s: string): number => {
    if (!/^-?\d+$/.test(s)) throw invalid(path, `'${s}' is not an index`);
    return Number(s);
  };
  if (raw.includes(':')) {
    const [from = '', to = '', by = ''] = raw.split(':');
    const step = by === '' ? 1 : integer(by);
    if (step <= 0) throw invalid(path, 'a slice step must be positive');
    return { step: { kind: 'slice', start: from === '' ? undefined : integer(from), end: to === '' ? undefined : integer(to), step }, end: end + 1 };
  }
  if (raw.includes(',')) return { step: { kind: 'indexes', indexes: raw.split(',').map(integer) }, end: end + 1 };
  return { step: { kind: 'index', index: integer(raw) }, end: end + 1 };
}

/** Jayway's comparisons: equality is structural; order needs two numbers or two strings; a missing operand matches nothing. */
function compare(op: string, left: Json | undefined, right: Json | undefined): boolean {
  if (left === undefined || right === undefined) return false;
  if (op === '==') return jsonEquals(left, right);
  if (op === '!=') return !jsonEquals(left, right);
  const ordered = (typeof left === 'number' && typeof right === 'number') || (typeof left === 'string' && typeof right === 'string');
  if (!ordered) return false;
  return op === '<' ? left < right : op === '<=' ? left <= right : op === '>' ? left > right : left >= right;
}

/** A filter `?(...)`: `@` and `$` paths, literals, == != < <= > >=, a bare path as an existence test, ! && || and parentheses. */
function compileFilter(text: string, start: number, path: string): { test: Filter; end: number } {
  let i = start;
  const fail = (why: string): StatesError => invalid(path, `filter: ${why} at position ${i}`);
  const eat = (token: string): boolean => {
    i = skipSpaces(text, i);
    if (!text.startsWith(token, i)) return false;
    i += token.length;
    return true;
  };
  const operand = (): Operand => {
    i = skipSpaces(text, i);
    const c = text[i];
    if (c === '@' || c === '$') {
      const parsed = parseSteps(text, i + 1, path, /[.[ )=!<>&|,]/);
      i = parsed.end;
      return (node, root) => {
        const read = evaluateSteps(parsed.steps, c === '@' ? node : root, root);
        return read.found ? read.value : undefined;
      };
    }
    if (c === "'" || c === '"') {
      const quoted = readQuoted(text, i, path);
      i = quoted.end;
      return () => quoted.value;
    }
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)/.exec(text.slice(i));
    if (!literal) throw fail('an operand is expected');
    i += literal[0].length;
    const value = JSON.parse(literal[0]) as Json;
    return () => value;
  };
  const comparison = (): Filter => {
    const left = operand();
    i = skipSpaces(text, i);
    const op = ['==', '!=', '<=', '>=', '<', '>'].find((candidate) => text.startsWith(candidate, i));
    if (op === undefined) return (node, root) => left(node, root) !== undefined;
    i += op.length;
    const right = operand();
    return (node, root) => compare(op, left(node, root), right(node, root));
  };
  const unary = (): Filter => {
    if (eat('!')) {
      const inner = unary();
      return (node, root) => !inner(node, root);
    }
    if (eat('(')) {
      const inner = or();
      if (!eat(')')) throw fail("')' expected");
      return inner;
    }
    return comparison();
  };
  const and = (): Filter => {
    let test = unary();
    while (eat('&&')) {
      const [a, b] = [test, unary()];
      test = (node, root) => a(node, root) && b(node, root);
    }
    return test;
  };
  const or = (): Filter => {
    let test = and();
    while (eat('||')) {
      const [a, b] = [test, and()];
      test = (node, root) => a(node, root) || b(node, root);
    }
    return test;
  };
  if (!eat('(')) throw fail("'(' expected");
  const test = or();
  if (!eat(')')) throw fail("')' expected");
  return { test, end: i };
}

function parsePath(path: string): ParsedPath {
  if (!path.startsWith('$')) throw invalid(path, 'a path starts with $');
  const variable = pathVariable(path);
  const root = path.startsWith('$$') ? '$$' : variable !== undefined ? { variable } : '$';
  const { steps, end } = parseSteps(path, root === '$$' ? 2 : 1 + (variable?.length ?? 0), path);
  if (end !== path.length) throw invalid(path, `unexpected '${path[end]}' at position ${end}`);
  return { root, steps };
}

/** The variable a path reads (`$name...`), or undefined for `$` and `$$` paths and what is no path. */
export function pathVariable(path: string): string | undefined {
  if (!path.startsWith('$') || path.startsWith('$$')) return undefined;
  return VARIABLE_NAME.exec(path.slice(1))?.[0];
}

/** What a path starts from: the input, the context object, or a variable's value (undefined when it is not assigned). */
function rootValue(root: ParsedPath['root'], input: Json, context: Json, variables: VariableValues | undefined): Json | undefined {
  if (root === '$') return input;
  if (root === '$$') return context;
  return variables?.get(root.variable);
}

/** Why a variable has no value: no state of the scope assigned it (or it is `$states`, which JSONPath states do not have). */
const unassigned = (name: string): string => (name === 'states' ? "'$states' is reserved to JSONata states" : `no state assigned '$${name}'`);

/**
 * Where a path found nothing, in words for a cause: the input or context object it read (as JSON), or the variable
 * (its value, or that no state assigned it: `$states` is JSONata's alone).
 */
export function pathSource(path: string, input: Json, context: Json, variables?: VariableValues): string {
  const name = pathVariable(path);
  if (name === undefined) return `the input '${JSON.stringify(path.startsWith('$$') ? context : input)}'`;
  const value = variables?.get(name);
  return value !== undefined ? `the variable '$${name}' ('${JSON.stringify(value)}')` : `the variables: ${unassigned(name)}`;
}

const isDefinite = (steps: Step[]): boolean => steps.every((step) => step.kind === 'name' || step.kind === 'index');

const childrenOf = (node: Json): Json[] => (Array.isArray(node) ? node : isJsonObject(node) ? Object.values(node) : []);

const at = (array: Json[], index: number): Json[] => {
  const i = index < 0 ? array.length + index : index;
  return i >= 0 && i < array.length ? [array[i] as Json] : [];
};

function applyStep(step: Step, node: Json, root: Json): Json[] {
  switch (step.kind) {
    case 'name':
      return isJsonObject(node) && Object.hasOwn(node, step.name) ? [node[step.name] as Json] : [];
    case 'names':
      return isJsonObject(node) ? step.names.filter((name) => Object.hasOwn(node, name)).map((name) => node[name] as Json) : [];
    case 'index':
      return Array.isArray(node) ? at(node, step.index) : [];
    case 'indexes':
      return Array.isArray(node) ? step.indexes.flatMap((index) => at(node, index)) : [];
    case 'wildcard':
      return childrenOf(node);
    case 'slice': {
      if (!Array.isArray(node)) return [];
      const bound = (n: number | undefined, fallback: number): number => (n === undefined ? fallback : n < 0 ? Math.max(0, node.length + n) : Math.min(n, node.length));
      const out: Json[] = [];
      for (let i = bound(step.start, 0); i < bound(step.end, node.length); i += step.step) out.push(node[i] as Json);
      return out;
    }
    case 'filter':
      // Jayway tests an array's items, and any other node itself.
      return (Array.isArray(node) ? node : [node]).filter((item) => step.test(item, root));
    case 'scan': {
      const out: Json[] = [];
      const visit = (current: Json): void => {
        out.push(...applyStep(step.step, current, root));
        childrenOf(current).forEach(visit);
      };
      visit(node);
      return out;
    }
  }
}

/** Evaluates parsed steps from a node: `found` is false when a definite path has no value there. */
function evaluateSteps(steps: Step[], node: Json, root: Json): { found: true; value: Json } | { found: false } {
  let nodes: Json[] = [node];
  for (const step of steps) nodes = nodes.flatMap((current) => applyStep(step, current, root));
  if (!isDefinite(steps)) return { found: true, value: nodes };
  return nodes.length === 0 ? { found: false } : { found: true, value: nodes[0] as Json };
}

/**
 * Reads a path, telling a value that is not there (found: false) apart from a path that is not valid (it throws). A
 * `$name` path reads the variable's value; a variable no state assigned is not there.
 */
export function tryReadPath(path: string, input: Json, context: Json, variables?: VariableValues): { found: true; value: Json } | { found: false } {
  const parsed = parsePath(path);
  const root = rootValue(parsed.root, input, context, variables);
  if (root === undefined) return { found: false };
  return evaluateSteps(parsed.steps, root, root);
}

/** Reads a Path as Step Functions does (Jayway JsonPath): `$` is the input, `$$` the context object, `$name` a variable; a definite path with no value fails with States.Runtime, an indefinite one gives the list of its matches. */
export function readPath(path: string, input: Json, context: Json, field?: string, variables?: VariableValues): Json {
  const read = tryReadPath(path, input, context, variables);
  if (!read.found) throw new StatesError('States.Runtime', `The JSONPath '${path}'${field !== undefined ? ` specified for the field '${field}'` : ''} could not be found in ${pathSource(path, input, context, variables)}`);
  return read.value;
}

/**
 * Jayway JsonPath's words for a path with no value, which Step Functions passes on for InputPath, OutputPath and
 * TimeoutSecondsPath: a missing leaf is "No results for path: $['a']['b']", a missing step before it "Missing property
 * in path $['a']".
 */
function jaywayNotFound(path: string, input: Json, context: Json, variables: VariableValues | undefined): string {
  const parsed = parsePath(path);
  if (typeof parsed.root === 'object' && !variables?.has(parsed.root.variable)) return `No results for path: $${parsed.root.variable} (${unassigned(parsed.root.variable)})`;
  let node: Json | undefined = rootValue(parsed.root, input, context, variables);
  let shown = typeof parsed.root === 'object' ? `$${parsed.root.variable}` : '$';
  for (const [i, step] of parsed.steps.entries()) {
    if (step.kind !== 'name' && step.kind !== 'index') break;
    shown += step.kind === 'name' ? `['${step.name}']` : `[${step.index}]`;
    const here: Json = node ?? null;
    const next: Json | undefined = step.kind === 'name' ? (isJsonObject(here) ? here[step.name] : undefined) : Array.isArray(here) ? here[step.index] : undefined;
    if (next === undefined && step.kind === 'name' && isJsonObject(here) && i < parsed.steps.length - 1) return `Missing property in path ${shown}`;
    node = next;
  }
  return `No results for path: ${shown}`;
}

/** A path that selects a state's input or output (InputPath, OutputPath, TimeoutSecondsPath): its value, or States.Runtime in Step Functions' words. */
export function readSelectingPath(path: string, input: Json, context: Json, variables?: VariableValues): Json {
  const read = tryReadPath(path, input, context, variables);
  if (!read.found) throw new StatesError('States.Runtime', `Invalid path '${path}' : ${jaywayNotFound(path, input, context, variables)}`);
  return read.value;
}

/** The spec's Reference Path: only `.name`, `['name']` and `[index]` steps, so it names one node (negative indexes are refused: a node is named from the start). */
export function isReferencePath(s: string): boolean {
  try {
    return parsePath(s).steps.every((step) => step.kind === 'name' || (step.kind === 'index' && step.index >= 0));
  } catch {
    return false;
  }
}

/** The ResultPath field: `$` (or none) replaces the input with the result, null keeps the input, a reference path sets the result inside a copy of the input, creating missing objects; otherwise States.ResultPathMatchFailure. */
export function applyResultPath(input: Json, resultPath: string | null | undefined, result: Json): Json {
  if (resultPath === null) return input;
  if (resultPath === undefined || resultPath === '$') return result;
  // ResultPath places the result in the input: neither the context object nor a variable is somewhere to place it.
  if (resultPath.startsWith('$$') || pathVariable(resultPath) !== undefined || !isReferencePath(resultPath)) throw new StatesError('States.Runtime', `The ResultPath '${resultPath}' is not a reference path on the input`);
  const steps = parsePath(resultPath).steps as ({ kind: 'name'; name: string } | { kind: 'index'; index: number })[];
  const fail = (): StatesError => new StatesError('States.ResultPathMatchFailure', `Unable to apply ResultPath '${resultPath}' to input '${JSON.stringify(input)}'`);
  const copy = structuredClone(input);
  let node: Json = copy;
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    if (step.kind === 'name') {
      if (!isJsonObject(node)) throw fail();
      // Only a missing field is created: a field holding anything but an object or array is not overwritten.
      if (last) node[step.name] = result;
      else if (!Object.hasOwn(node, step.name)) node = node[step.name] = {};
      else node = node[step.name] as Json;
    } else {
      if (!Array.isArray(node) || step.index >= node.length) throw fail();
      if (last) node[step.index] = result;
      else node = node[step.index] as Json;
    }
  });
  return copy;
}

/** InputPath and OutputPath: null gives the empty object {}, no path passes the value through, a path selects from it (or from a variable). */
export function selectPath(path: string | null | undefined, value: Json, context: Json, variables?: VariableValues): Json {
  if (path === null) return {};
  if (path === undefined) return value;
  return readSelectingPath(path, value, context, variables);
}
