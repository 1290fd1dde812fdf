/** How API Gateway's VTL prints values (R3.4, R3.5): Map Java-style, List as compact JSON, null as "". */
import { stringifyExactJson } from './exact-json.js';

/**
 * A Java collection view of a Map (`keySet()`, `values()`): iterated as a list, printed as Java's AbstractCollection
 * prints, `[a, b]`, where a List from the body is a JSON array and prints as compact JSON (R3.4).
 */
export class JavaCollection<T = unknown> extends Array<T> {}

const PRINTS_EMPTY = Symbol('printsEmpty');
const KEYSET_HIDDEN = Symbol('keySetHidden');

/**
 * Marks one of `$context`'s nested objects (identity, requestOverride and its maps, responseOverride and its header
 * map): AWS prints each as the empty string, where a map from the body prints `{k=v}` (LS-rec test_sqs_amz_json_protocol).
 */
export function printsEmpty<T extends object>(value: T): T {
  Object.defineProperty(value, PRINTS_EMPTY, { value: true, enumerable: false });
  return value;
}

/** Names a map's keys that `keySet()`/`values()` leave out while `$map.key` still reads them (see contextVariables). */
export function hideFromKeySet<T extends object>(value: T, keys: string[]): T {
  Object.defineProperty(value, KEYSET_HIDDEN, { value: new Set(keys), enumerable: false });
  return value;
}

/** The keys `keySet()` lists: all own keys but those hideFromKeySet named. */
export function listedKeys(map: Record<string, unknown>): string[] {
  const hidden = (map as { [KEYSET_HIDDEN]?: Set<string> })[KEYSET_HIDDEN];
  return hidden ? Object.keys(map).filter((k) => !hidden.has(k)) : Object.keys(map);
}

/** Top-level rendering of a reference in template output. */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return renderNested(value);
}

function renderNested(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof JavaCollection) return `[${value.map((item) => renderNested(item)).join(', ')}]`;
  if (Array.isArray(value)) return stringifyExactJson(value);
  if (typeof value === 'object') {
    if (PRINTS_EMPTY in value) return '';
    const own = (value as { toString?: unknown }).toString;
    if (typeof own === 'function' && own !== Object.prototype.toString) return String(value);
    const map = value as Record<string, unknown>;
    return `{${listedKeys(map)
      .map((k) => `${k}=${renderNested(map[k])}`)
      .join(', ')}}`;
  }
  return String(value);
}
