/** Velocity 1.7's operators as API Gateway runs them: `==` (R3.5 plus ASTEQNode), truth in #if/&&/||/!, comparisons, arithmetic. */
import { renderValue } from './render-value.js';

const isBlank = (v: unknown) => v === undefined || v === null || v === '';

/** Java's equals on template values: same kind and same content (a Map's entries in any order). */
export function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((v, i) => deepEqual(v, (b as unknown[])[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/**
 * R3.5: null (or a missing value) equals "" and null; otherwise null equals nothing. Numbers compare by value;
 * values of one kind compare by content (a List or Map by its entries, order-free for a Map, as Java's equals);
 * values of different kinds compare by their string forms, as Velocity does, so an empty list is not "" ("[]").
 */
export function velocityEquals(a: unknown, b: unknown): boolean {
  if (isBlank(a) && isBlank(b)) return true;
  if (a === undefined || a === null || b === undefined || b === null) return false;
  const kind = (v: unknown) => (Array.isArray(v) ? 'list' : typeof v);
  if (kind(a) === kind(b)) return typeof a === 'object' ? deepEqual(a, b) : a === b;
  return renderValue(a) === renderValue(b);
}

/** Velocity 1.7's truth (ASTReference.evaluate): only null and false are false; "", 0 and empty lists are true. */
export function velocityTruth(value: unknown): boolean {
  return value !== undefined && value !== null && value !== false;
}

/** A JSON integer beyond 2^53 is a BigInt (exact-json.ts), as it is a Long or a BigInteger in Java. */
const isNumber = (v: unknown): v is number | bigint => (typeof v === 'number' && !Number.isNaN(v)) || typeof v === 'bigint';
const isWhole = (v: number | bigint) => typeof v === 'bigint' || Number.isInteger(v);

/** Whole operands one of which is a BigInt, in BigInt arithmetic; the result back to a number when that is exact. */
function bigArithmetic(operator: string, a: bigint, b: bigint): unknown {
  if ((operator === '/' || operator === '%') && b === 0n) return undefined;
  const result = operator === '+' ? a + b : operator === '-' ? a - b : operator === '*' ? a * b : operator === '/' ? a / b : a % b;
  return Number.isSafeInteger(Number(result)) ? Number(result) : result;
}

/** `<`, `>`, `<=`, `>=` compare numbers only; anything else is false (Velocity logs the error and goes on). */
export function velocityCompare(operator: string, a: unknown, b: unknown): boolean {
  if (!isNumber(a) || !isNumber(b)) return false;
  if (operator === '<') return a < b;
  if (operator === '>') return a > b;
  return operator === '<=' ? a <= b : a >= b;
}

/**
 * `+ - * / %` as Velocity 1.7's MathUtils: null when an operand is null or not a number (then `#set` keeps the old
 * value, R3.5 renders ""), except `+` with a string, which concatenates; integers divide as Java's integers do
 * (5 / 2 is 2); dividing by zero is null.
 */
export function velocityArithmetic(operator: string, a: unknown, b: unknown): unknown {
  if (a === undefined || a === null || b === undefined || b === null) return undefined;
  if (operator === '+' && (typeof a === 'string' || typeof b === 'string')) return renderValue(a) + renderValue(b);
  if (!isNumber(a) || !isNumber(b)) return undefined;
  if (typeof a === 'bigint' || typeof b === 'bigint') {
    if (isWhole(a) && isWhole(b)) return bigArithmetic(operator, BigInt(a), BigInt(b));
    return velocityArithmetic(operator, Number(a), Number(b));
  }
  const integers = Number.isInteger(a) && Number.isInteger(b);
  switch (operator) {
    case '+':
      return a + b;
    case '-':
      return a - b;
    case '*':
      return a * b;
    case '/':
      if (b === 0) return undefined;
      return integers ? Math.trunc(a / b) : a / b;
    default:
      return b === 0 ? undefined : a % b;
  }
}
