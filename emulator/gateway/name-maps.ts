/**
 * Maps keyed by names a client chose (header names, query keys), built on a Map so that `constructor`, `toString` or
 * `__proto__` are names like any other: as keys of a plain object they read as Object.prototype's members (a header
 * `constructor` was Object's function) or set its prototype (`__proto__` was dropped). API Gateway passes them on.
 */

/** Each name's values in the order sent, the names in the order first seen. */
export function allValues(pairs: Iterable<readonly [string, string]>): Record<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [name, value] of pairs) {
    const values = out.get(name);
    if (values) values.push(value);
    else out.set(name, [value]);
  }
  return Object.fromEntries(out);
}

/** Each name's values joined with `separator` (the last one alone with no separator). */
export function joinedValues(pairs: Iterable<readonly [string, string]>, separator?: string): Record<string, string> {
  const all = allValues(pairs);
  return Object.fromEntries(Object.entries(all).map(([name, values]) => [name, separator === undefined ? values.at(-1)! : values.join(separator)]));
}
