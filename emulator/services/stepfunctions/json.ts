/** JSON values as state machines see them, and the runtime error a state fails with. */

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** A runtime failure of a state, by its Step Functions error name (States.Runtime, States.IntrinsicFailure...) and cause. */
export class StatesError extends Error {
  constructor(
    readonly error: string,
    override readonly cause: string,
  ) {
    super(`${error}: ${cause}`);
    this.name = 'StatesError';
  }
}

/** A value as Step Functions writes it in a cause: text as it is, anything else as JSON. */
export const shown = (value: Json): string => (typeof value === 'string' ? value : JSON.stringify(value));

/** A JSON object (not an array, not null). */
export const isJsonObject = (value: Json | undefined): value is { [key: string]: Json } => typeof value === 'object' && value !== null && !Array.isArray(value);

/** Structural equality, as JSON compares: key order does not matter, 1.0 and 1 are the same number. */
export function jsonEquals(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((item, i) => jsonEquals(item, b[i] as Json));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((key) => Object.hasOwn(b, key) && jsonEquals(a[key] as Json, b[key] as Json));
  }
  return false;
}

/** An embedded service's error answer. */
export class ServiceCallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}
