/**
 * Intrinsic functions of JSONPath states (developer guide, "Intrinsic functions"; the spec's "Intrinsic Functions"):
 * `States.Name(arg, ...)` in a `.$` field, whose arguments are string literals in single quotes, numbers, booleans,
 * null, paths on the input (`$.x`), the context object (`$$.x`) or a variable (`$name.x`), and nested calls.
 */
import { createHash, randomUUID } from 'node:crypto';
import { isJsonObject, type Json, jsonEquals, StatesError } from './json.js';
import { pathSource, tryReadPath, type VariableValues } from './paths.js';

export interface IntrinsicOptions {
  /** The workflow's variables, which `$name` paths read (none outside a JSONPath state's scope). */
  variables?: VariableValues;
  /** A number in [0, 1), as Math.random gives: States.MathRandom uses it (tests make it predictable). */
  random?: () => number;
  /** A version 4 UUID, as States.UUID returns. */
  uuid?: () => string;
}

/** A string literal keeps which of its characters were escaped, so that States.Format can tell `\{` from `{`. */
type Arg = { kind: 'value'; value: Json; escaped?: boolean[] } | { kind: 'path'; path: string } | { kind: 'call'; name: string; args: Arg[] };

/** How deep intrinsic calls may nest: the guide allows "up to 10 intrinsic functions within a field" (read here as depth, the lenient reading). */
const MAX_DEPTH = 10;
/** The guide's limit on the input of the Base64 and Hash intrinsics. */
const MAX_CHARS = 10_000;
/** States.ArrayRange: "The newly generated array can't contain more than 1000 items." */
const MAX_RANGE = 1000;

const failure = (cause: string): StatesError => new StatesError('States.IntrinsicFailure', cause);

/** Whether a `.$` field's value is an intrinsic function call rather than a path (Step Functions tells them apart by the `States.` name). */
export function isIntrinsic(s: string): boolean {
  return /^States\.[A-Za-z][A-Za-z0-9]*\(.*\)$/s.test(s);
}

class Parser {
  private i = 0;
  constructor(private readonly text: string) {}

  parse(): Arg {
    const call = this.call(1);
    this.spaces();
    if (this.i !== this.text.length) throw this.error('text after the closing parenthesis');
    return call;
  }

  private error(why: string): StatesError {
    return failure(`The intrinsic function '${this.text}' is not valid: ${why} (at position ${this.i})`);
  }

  private spaces(): void {
    while (/\s/.test(this.text[this.i] ?? '')) this.i++;
  }

  private call(depth: number): Arg {
    if (depth > MAX_DEPTH) throw this.error(`intrinsic functions nest more than ${MAX_DEPTH} deep`);
    const head = /^States\.([A-Za-z][A-Za-z0-9]*)\(/.exec(this.text.slice(this.i));
    if (!head) throw this.error('a States.* function call is expected');
    this.i += head[0].length;
    const args: Arg[] = [];
    this.spaces();
    if (this.text[this.i] === ')') {
      this.i++;
      return { kind: 'call', name: head[1] as string, args };
    }
    for (;;) {
      args.push(this.arg(depth));
      this.spaces();
      const c = this.text[this.i++];
      if (c === ')') return { kind: 'call', name: head[1] as string, args };
      if (c !== ',') throw this.error("',' or ')' expected");
    }
  }

  private arg(depth: number): Arg {
    this.spaces();
    const rest = this.text.slice(this.i);
    if (rest.startsWith("'")) return this.string();
    if (rest.startsWith('$')) return this.path();
    if (rest.startsWith('States.')) return this.call(depth + 1);
    const literal = /^(?:-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null)(?![A-Za-z0-9_])/.exec(rest);
    if (!literal) throw this.error('an argument is expected');
    this.i += literal[0].length;
    return { kind: 'value', value: JSON.parse(literal[0]) as Json };
  }

  /** A literal: `\` escapes the next character (the spec reserves ' { } and \ ). */
  private string(): Arg {
    let value = '';
    const escaped: boolean[] = [];
    this.i++;
    while (this.i < this.text.length && this.text[this.i] !== "'") {
      const isEscape = this.text[this.i] === '\\' && this.i + 1 < this.text.length;
      if (isEscape) this.i++;
      value += this.text[this.i];
      escaped.push(isEscape);
      this.i++;
    }
    if (this.i >= this.text.length) throw this.error('a string literal is not closed');
    this.i++;
    return { kind: 'value', value, escaped };
  }

  /** A path runs to the next `,` or `)` outside its brackets and quotes. */
  private path(): Arg {
    const start = this.i;
    let depth = 0;
    let quote: string | undefined;
    for (; this.i < this.text.length; this.i++) {
      const c = this.text[this.i] as string;
      if (quote !== undefined) {
        if (c === '\\') this.i++;
        else if (c === quote) quote = undefined;
      } else if (c === "'" || c === '"') quote = c;
      else if (c === '[' || c === '(') depth++;
      else if (c === ']' || (c === ')' && depth > 0)) depth--;
      else if (depth === 0 && (c === ',' || c === ')')) break;
    }
    return { kind: 'path', path: this.text.slice(start, this.i).trim() };
  }
}

const describe = (value: Json): string => (value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value === 'object' ? 'an object' : `a ${typeof value}`);

function expectArity(name: string, args: unknown[], min: number, max = min): void {
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : max === Infinity ? `at least ${min}` : `${min} to ${max}`;
    throw failure(`States.${name} takes ${wanted} argument(s), not ${args.length}`);
  }
}

function asArray(name: string, value: Json, what = 'argument'): Json[] {
  if (!Array.isArray(value)) throw failure(`States.${name}: the ${what} must be an array, not ${describe(value)}`);
  return value;
}

function asString(name: string, value: Json, what = 'argument'): string {
  if (typeof value !== 'string') throw failure(`States.${name}: the ${what} must be a string, not ${describe(value)}`);
  return value;
}

/** Integer arguments: the guide has Step Functions round a non-integer one to the nearest integer. */
function asInteger(name: string, value: Json, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value)) throw failure(`States.${name}: the ${what} must be a number, not ${describe(value)}`);
  return Math.round(value);
}

function limited(name: string, value: string): string {
  if (value.length > MAX_CHARS) throw failure(`States.${name}: the input has ${value.length} characters; at most ${MAX_CHARS} are allowed`);
  return value;
}

/** A `{}` placeholder starts at i, unless one of its braces was escaped. */
const placeholderAt = (template: string, escaped: boolean[], i: number): boolean => template[i] === '{' && template[i + 1] === '}' && !escaped[i] && !escaped[i + 1];

function countPlaceholders(template: string, escaped: boolean[]): number {
  let count = 0;
  for (let i = 0; i < template.length; i++) if (placeholderAt(template, escaped, i)) count++;
  return count;
}

/**
 * An argument as States.Format writes it: a string as is, an object or a list as Java prints its map or list
 * (`{Arg1=1, Arg2=[]}`, strings unquoted), which is what Step Functions answers for them.
 */
function formatted(value: Json): string {
  if (typeof value === 'string') return value;
  if (Array.isArray(value)) return `[${value.map(formatted).join(', ')}]`;
  if (isJsonObject(value)) return `{${Object.entries(value).map(([key, item]) => `${key}=${formatted(item)}`).join(', ')}}`;
  return JSON.stringify(value);
}

/** Replaces the placeholders in order; an unmatched brace stays as it is (the guide says nothing of it). */
function format(template: string, escaped: boolean[], values: Json[]): string {
  let out = '';
  let next = 0;
  for (let i = 0; i < template.length; i++) {
    if (placeholderAt(template, escaped, i)) {
      const value = values[next++] as Json;
      out += formatted(value);
      i++;
    } else out += template[i];
  }
  return out;
}

/** A small seeded generator (mulberry32): the same seed gives the same numbers, as States.MathRandom's seed promises. */
function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const HASHES: Record<string, string> = { MD5: 'md5', 'SHA-1': 'sha1', 'SHA-256': 'sha256', 'SHA-384': 'sha384', 'SHA-512': 'sha512' };
const INT32 = { min: -2147483648, max: 2147483647 };

type Fn = (values: Json[], args: Arg[], options: IntrinsicOptions) => Json;

const FUNCTIONS: Record<string, Fn> = {
  Format: (values, args) => {
    expectArity('Format', values, 1, Infinity);
    const [template, ...rest] = values;
    const first = args[0];
    const escaped = first?.kind === 'value' ? (first.escaped ?? []) : [];
    const text = asString('Format', template as Json, 'first argument');
    const wanted = countPlaceholders(text, escaped);
    if (wanted !== rest.length) throw failure(`States.Format: the format string has ${wanted} placeholder(s) but ${rest.length} argument(s) follow it`);
    return format(text, escaped, rest);
  },
  StringToJson: ([text, ...rest]) => {
    expectArity('StringToJson', [text, ...rest], 1);
    const source = asString('StringToJson', text as Json);
    // Step Functions answers null for an empty or blank string rather than failing.
    if (source.trim() === '') return null;
    try {
      return JSON.parse(source) as Json;
    } catch (error) {
      if (error instanceof StatesError) throw error;
      throw failure(`States.StringToJson: the argument is not JSON text: ${JSON.stringify(text)}`);
    }
  },
  JsonToString: (values) => {
    expectArity('JsonToString', values, 1);
    return JSON.stringify(values[0]);
  },
  Array: (values) => values,
  ArrayPartition: (values) => {
    expectArity('ArrayPartition', values, 2);
    const array = asArray('ArrayPartition', values[0] as Json, 'first argument');
    const size = asInteger('ArrayPartition', values[1] as Json, 'chunk size');
    if (size < 1) throw failure(`States.ArrayPartition: the chunk size must be a positive integer, not ${size}`);
    const chunks: Json[] = [];
    for (let i = 0; i < array.length; i += size) chunks.push(array.slice(i, i + size));
    return chunks;
  },
  ArrayContains: (values) => {
    expectArity('ArrayContains', values, 2);
    return asArray('ArrayContains', values[0] as Json, 'first argument').some((item) => jsonEquals(item, values[1] as Json));
  },
  ArrayRange: (values) => {
    expectArity('ArrayRange', values, 3);
    const [start, end, step] = (['start', 'end', 'step'] as const).map((what, i) => asInteger('ArrayRange', values[i] as Json, what)) as [number, number, number];
    if (step === 0) throw failure('States.ArrayRange: the step must not be 0');
    const count = Math.floor((end - start) / step) + 1;
    if (count > MAX_RANGE) throw failure(`States.ArrayRange: the range has ${count} items; at most ${MAX_RANGE} are allowed`);
    return Array.from({ length: Math.max(0, count) }, (_, i) => start + i * step);
  },
  ArrayGetItem: (values) => {
    expectArity('ArrayGetItem', values, 2);
    const array = asArray('ArrayGetItem', values[0] as Json, 'first argument');
    const index = values[1];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0) throw failure(`States.ArrayGetItem: the index must be a non-negative integer, not ${JSON.stringify(index)}`);
    if (index >= array.length) throw failure(`States.ArrayGetItem: the index ${index} is out of bounds of an array of ${array.length} item(s)`);
    return array[index] as Json;
  },
  ArrayLength: (values) => {
    expectArity('ArrayLength', values, 1);
    return asArray('ArrayLength', values[0] as Json).length;
  },
  ArrayUnique: (values) => {
    expectArity('ArrayUnique', values, 1);
    const unique: Json[] = [];
    for (const item of asArray('ArrayUnique', values[0] as Json)) if (!unique.some((kept) => jsonEquals(kept, item))) unique.push(item);
    return unique;
  },
  Base64Encode: (values) => {
    expectArity('Base64Encode', values, 1);
    return Buffer.from(limited('Base64Encode', asString('Base64Encode', values[0] as Json)), 'utf8').toString('base64');
  },
  Base64Decode: (values) => {
    expectArity('Base64Decode', values, 1);
    const text = limited('Base64Decode', asString('Base64Decode', values[0] as Json));
    // Buffer.from ignores what is not base64; Step Functions refuses it. Unpadded input is accepted.
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.replace(/=+$/, '').length % 4 === 1) throw failure(`States.Base64Decode: the argument is not base64: ${JSON.stringify(text)}`);
    return Buffer.from(text, 'base64').toString('utf8');
  },
  Hash: (values) => {
    expectArity('Hash', values, 2);
    const data = limited('Hash', asString('Hash', values[0] as Json, 'data'));
    const algorithm = HASHES[asString('Hash', values[1] as Json, 'algorithm')];
    if (algorithm === undefined) throw failure(`States.Hash: the algorithm must be one of ${Object.keys(HASHES).join(', ')}, not ${JSON.stringify(values[1])}`);
    return createHash(algorithm).update(data, 'utf8').digest('hex');
  },
  JsonMerge: (values) => {
    expectArity('JsonMerge', values, 3);
    const [left, right, deep] = values as [Json, Json, Json];
    if (!isJsonObject(left) || !isJsonObject(right)) throw failure('States.JsonMerge: the first two arguments must be objects');
    if (typeof deep !== 'boolean') throw failure('States.JsonMerge: the third argument must be a boolean');
    if (deep) throw failure('States.JsonMerge: only the shallow merge is supported; the third argument must be false');
    return { ...left, ...right };
  },
  MathRandom: (values, _args, options) => {
    expectArity('MathRandom', values, 2, 3);
    const start = asInteger('MathRandom', values[0] as Json, 'start');
    const end = asInteger('MathRandom', values[1] as Json, 'end');
    if (end <= start) throw failure(`States.MathRandom: the end (${end}) must be greater than the start (${start})`);
    const random = options.random ?? (values.length === 3 ? seeded(asInteger('MathRandom', values[2] as Json, 'seed')) : Math.random);
    // Start inclusive, end exclusive, as the spec's range reads (the guide does not say).
    return start + Math.floor(random() * (end - start));
  },
  MathAdd: (values) => {
    expectArity('MathAdd', values, 2);
    const [a, b] = [asInteger('MathAdd', values[0] as Json, 'first argument'), asInteger('MathAdd', values[1] as Json, 'second argument')];
    if ([a, b].some((n) => n < INT32.min || n > INT32.max)) throw failure(`States.MathAdd: the arguments must be between ${INT32.min} and ${INT32.max}`);
    return a + b;
  },
  StringSplit: (values) => {
    expectArity('StringSplit', values, 2);
    const text = asString('StringSplit', values[0] as Json, 'first argument');
    // The delimiter is a set of characters, and empty pieces are dropped (as the guide's '.+,=' example shows).
    const delimiters = new Set(Array.from(asString('StringSplit', values[1] as Json, 'delimiter')));
    const pieces: string[] = [];
    let piece = '';
    for (const c of text) {
      if (!delimiters.has(c)) piece += c;
      else if (piece !== '') {
        pieces.push(piece);
        piece = '';
      }
    }
    if (piece !== '') pieces.push(piece);
    return pieces;
  },
  UUID: (values, _args, options) => {
    expectArity('UUID', values, 0);
    return (options.uuid ?? randomUUID)();
  },
};

function readArgument(path: string, input: Json, context: Json, variables: VariableValues | undefined): ReturnType<typeof tryReadPath> {
  try {
    return tryReadPath(path, input, context, variables);
  } catch (error) {
    throw error instanceof StatesError ? failure(error.cause) : error;
  }
}

function evaluate(arg: Arg, input: Json, context: Json, options: IntrinsicOptions): Json {
  if (arg.kind === 'value') return arg.value;
  if (arg.kind === 'path') {
    const read = readArgument(arg.path, input, context, options.variables);
    if (!read.found) throw new StatesError('States.Runtime', `The JsonPath argument '${arg.path}' could not be found in ${pathSource(arg.path, input, context, options.variables)}`);
    return read.value;
  }
  const fn = FUNCTIONS[arg.name];
  if (fn === undefined) throw failure(`States.${arg.name} is not an intrinsic function`);
  return fn(
    arg.args.map((inner) => evaluate(inner, input, context, options)),
    arg.args,
    options,
  );
}

/** Evaluates one intrinsic function call as Step Functions does in a `.$` field; a bad call fails with States.IntrinsicFailure, a path with no value with States.Runtime. */
export function evaluateIntrinsic(expression: string, input: Json, context: Json, options: IntrinsicOptions = {}): Json {
  return evaluate(new Parser(expression).parse(), input, context, options);
}
