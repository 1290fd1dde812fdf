/** How API Gateway's VTL prints values (R3.4, R3.5): Map Java-style, List as compact JSON, null as "". */

/**
 * A Java collection view of a Map (`keySet()`, `values()`): iterated as a list, printed as Java's AbstractCollection
 * prints, `[a, b]`, where a List from the body is a JSON array and prints as compact JSON (R3.4).
 */
export class JavaCollection<T = unknown> extends Array<T> {}

/** Top-level rendering of a reference in template output. */
export function renderValue(value: unknown): string {
  if (value === undefined || value === null) return '';
  return renderNested(value);
}

function renderNested(value: unknown): string {
  if (value === undefined || value === null) return 'null';
  if (value instanceof JavaCollection) return `[${value.map((item) => renderNested(item)).join(', ')}]`;
  if (Array.isArray(value)) return JSON.stringify(value);
  if (typeof value === 'object') {
    const own = (value as { toString?: unknown }).toString;
    if (typeof own === 'function' && own !== Object.prototype.toString) return String(value);
    return `{${Object.entries(value as Record<string, unknown>)
      .map(([k, v]) => `${k}=${renderNested(v)}`)
      .join(', ')}}`;
  }
  return String(value);
}
