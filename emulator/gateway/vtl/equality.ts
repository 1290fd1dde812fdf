/** Velocity's `==` as API Gateway runs it (R3.5 plus Velocity's ASTEQNode rules). */
import { renderValue } from './render-value.js';

const isBlank = (v: unknown) => v === undefined || v === null || v === '';

function deepEqual(a: unknown, b: unknown): boolean {
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
