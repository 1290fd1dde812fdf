/**
 * The Java methods templates call on values (R3.3: `$input.path` gives Java Strings, Lists and Maps), where
 * JavaScript's method of the same name differs or is missing. velocityjs consults these before its own.
 */
import { templateRegex, type TemplateRegex } from '../template-regex.js';
import { deepEqual } from './equality.js';
import { JavaCollection, listedKeys, renderValue } from './render-value.js';
import { javaReplaceAll, javaReplaceFirst } from './util.js';

interface Call {
  property: string;
  context: unknown;
  params: unknown[];
}

type Method = { uid: string; match: (call: Call) => boolean; resolve: (call: Call) => unknown };

const isString = (v: unknown): v is string => typeof v === 'string';
const isMap = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v);
const UNSAFE_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

/** Collection.size / String.length. */
export function size(value: unknown): number {
  if (typeof value === 'string' || Array.isArray(value)) return value.length;
  return value !== null && typeof value === 'object' ? Object.keys(value).length : 0;
}

/** java.lang.String#split: the argument is a regex, and trailing empty strings are removed. */
function javaSplit(input: string, pattern: unknown): string[] {
  const parts = input.split(new RegExp(String(pattern)));
  if (input === '') return [''];
  while (parts.length > 0 && parts[parts.length - 1] === '') parts.pop();
  return parts;
}

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;
/** A JSON integer beyond 2^53 is a BigInt (exact-json.ts). */
const isNumeric = (v: unknown): v is number | bigint => (typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint';
/** An Integer in Java: a whole number within int's range (a larger one is a Long). */
const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v) && v >= INT_MIN && v <= INT_MAX;
const isLong = (v: unknown): boolean => typeof v === 'bigint' || (typeof v === 'number' && Number.isInteger(v) && !isInteger(v));

/** Integer.parseInt / Long.parseLong: an optional sign and decimal digits within the type's range, else NumberFormatException. */
function javaParse(value: unknown, bits: 32 | 64): number | bigint | undefined {
  if (typeof value !== 'string') return undefined;
  const parsed = /^[+-]?\d+$/.test(value) ? BigInt(value) : undefined;
  if (parsed === undefined || BigInt.asIntN(bits, parsed) !== parsed) throw new Error(`NumberFormatException: For input string: "${value}"`);
  return Number.isSafeInteger(Number(parsed)) ? Number(parsed) : parsed;
}

/** Number#intValue / #longValue: Java's narrowing, which wraps a Long and truncates (and clamps) a Double. */
function javaNarrow(value: number | bigint, bits: 32 | 64): number | bigint {
  if (typeof value === 'bigint' || Number.isInteger(value)) {
    const narrowed = BigInt.asIntN(bits, BigInt(value));
    return Number.isSafeInteger(Number(narrowed)) ? Number(narrowed) : narrowed;
  }
  const [min, max] = bits === 32 ? [INT_MIN, INT_MAX] : [-(2 ** 63), 2 ** 63 - 1];
  return Number.isFinite(value) ? Math.min(max, Math.max(min, Math.trunc(value))) : 0;
}

/**
 * String#substring / #charAt: an index outside the string throws StringIndexOutOfBoundsException, which fails the
 * template on AWS, where JavaScript's clamps (`"abc".substring(0, 10)` is "abc") or gives "" and the template goes on.
 */
function javaSubstring(s: string, params: unknown[]): string | undefined {
  const begin = params[0];
  const end = params.length > 1 ? params[1] : s.length;
  if (!Number.isInteger(begin) || !Number.isInteger(end)) return undefined;
  if ((begin as number) < 0 || (end as number) > s.length || (begin as number) > (end as number)) {
    throw new Error(`StringIndexOutOfBoundsException: begin ${String(begin)}, end ${String(end)}, length ${s.length}`);
  }
  return s.substring(begin as number, end as number);
}

function javaCharAt(s: string, index: unknown): string | undefined {
  if (!Number.isInteger(index)) return undefined;
  if ((index as number) < 0 || (index as number) >= s.length) throw new Error(`StringIndexOutOfBoundsException: index ${String(index)}, length ${s.length}`);
  return s.charAt(index as number);
}

const method = (name: string, applies: (context: unknown) => boolean, resolve: (call: Call) => unknown): Method => ({
  uid: name,
  match: (call) => call.property === name && applies(call.context),
  resolve,
});
const any = () => true;

/** Patterns of `String#matches` already read, by source: a template's are few, and each is matched on every request. */
const matchesPatterns = new Map<string, TemplateRegex>();

/**
 * Java's `String#matches`: the whole string, Java's syntax, counted in code points (`.{1,200}` takes 200 emoji, which
 * JavaScript's engine without Unicode mode counted as 400), and safe on a client's value (template-regex.ts).
 */
function javaMatches(pattern: string, value: string): boolean {
  let regex = matchesPatterns.get(pattern);
  if (regex === undefined) {
    regex = templateRegex(pattern, 'full');
    if (matchesPatterns.size >= 256) matchesPatterns.clear();
    matchesPatterns.set(pattern, regex);
  }
  return regex.test(value);
}

/** Java methods on template values, in the order velocityjs tries them. */
export const JAVA_METHODS: Method[] = [
  method('isEmpty', any, ({ context }) => size(context) === 0),
  method('length', isString, ({ context }) => (context as string).length),
  method('containsKey', any, ({ context, params }) => isMap(context) && Object.hasOwn(context, String(params[0]))),
  method('contains', isString, ({ context, params }) => (context as string).includes(renderValue(params[0]))),
  // List#contains: Java's equals on each element.
  method('contains', Array.isArray, ({ context, params }) => (context as unknown[]).some((item) => deepEqual(item, params[0]))),
  method('equals', any, ({ context, params }) => deepEqual(context, params[0])),
  method('equalsIgnoreCase', isString, ({ context, params }) => isString(params[0]) && (context as string).toLowerCase() === params[0].toLowerCase()),
  // String#replace is literal and replaces every occurrence (JavaScript's replaces the first).
  method('replace', isString, ({ context, params }) => (context as string).split(renderValue(params[0])).join(renderValue(params[1]))),
  method('replaceAll', isString, ({ context, params }) => javaReplaceAll(context as string, params[0], params[1])),
  method('replaceFirst', isString, ({ context, params }) => javaReplaceFirst(context as string, params[0], params[1])),
  method('matches', isString, ({ context, params }) => javaMatches(String(params[0]), context as string)),
  method('split', isString, ({ context, params }) => javaSplit(context as string, params[0])),
  method('substring', isString, ({ context, params }) => javaSubstring(context as string, params)),
  method('charAt', isString, ({ context, params }) => javaCharAt(context as string, params[0])),
  // Java collection views: they print `[a, b]`, not as JSON (render-value.ts).
  method('values', isMap, ({ context }) => JavaCollection.from(listedKeys(context as Record<string, unknown>).map((k) => (context as Record<string, unknown>)[k]))),
  method('keySet', isMap, ({ context }) => JavaCollection.from(listedKeys(context as Record<string, unknown>))),
  // Map#put answers the previous value (null renders ""), List#add true: `$map.put(...)` in output prints that.
  method('put', isMap, ({ context, params }) => {
    const map = context as Record<string, unknown>;
    const key = String(params[0]);
    if (UNSAFE_KEYS.has(key)) return undefined;
    const previous = Object.hasOwn(map, key) ? map[key] : undefined;
    map[key] = params[1];
    return previous;
  }),
  method('add', Array.isArray, ({ context, params }) => {
    const list = context as unknown[];
    if (params.length > 1) return void list.splice(Number(params[0]), 0, params[1]);
    list.push(params[0]);
    return true;
  }),
  // Integer's and Long's static parsers, which Velocity calls through any instance: templates convert a parameter
  // with `#set($Integer = 0)` then `$Integer.parseInt($input.params('limit'))`.
  method('parseInt', isInteger, ({ params }) => javaParse(params[0], 32)),
  method('valueOf', isInteger, ({ params }) => (isInteger(params[0]) ? params[0] : javaParse(params[0], 32))),
  method('parseLong', isLong, ({ params }) => javaParse(params[0], 64)),
  method('intValue', isNumeric, ({ context }) => javaNarrow(context as number | bigint, 32)),
  method('longValue', isNumeric, ({ context }) => javaNarrow(context as number | bigint, 64)),
  method('toString', any, ({ context }) => renderValue(context)),
];
