/**
 * `$context.error.validationErrorString` text. API Gateway validates with a Java draft-4 validator whose
 * messages look like `[instance value ("x") not found in enum (possible values: ["a","b"])]`; we reproduce
 * that wording (messages joined by ", " inside one pair of brackets), with the JSON pointer of the failing
 * instance appended as ` at /path` when it is not the root, so a developer can find the field. A caller's
 * value is quoted only up to MAX_QUOTED_CHARS and at most MAX_LISTED_ERRORS messages are listed: the text
 * names the field and the rule without echoing a large body back (AWS documents no wording to follow).
 */
import type { ErrorObject } from 'ajv';

function typeName(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'number') return Number.isInteger(value) ? 'integer' : 'number';
  return typeof value;
}

function at(instance: unknown, pointer: string): unknown {
  return pointer
    .split('/')
    .slice(1)
    .map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'))
    .reduce<unknown>((acc, key) => (acc !== null && typeof acc === 'object' ? (acc as Record<string, unknown>)[key] : undefined), instance);
}

/** At most this many characters of a caller's string are quoted back (a 10 MB value must not come back whole). */
export const MAX_QUOTED_CHARS = 64;

/** JSON.stringify, with a long string cut to MAX_QUOTED_CHARS and marked as cut ("…"); the rule's numbers stay exact. */
function quote(value: unknown): string {
  if (typeof value !== 'string' || value.length <= MAX_QUOTED_CHARS) return JSON.stringify(value) ?? 'null';
  return JSON.stringify(`${value.slice(0, MAX_QUOTED_CHARS)}…`);
}

function describe(error: ErrorObject, value: unknown): string {
  const p = error.params as Record<string, unknown>;
  const s = JSON.stringify;
  switch (error.keyword) {
    case 'enum':
      return `instance value (${quote(value)}) not found in enum (possible values: ${s(p.allowedValues)})`;
    case 'required':
      return `object has missing required properties (${s(p.missing ?? [p.missingProperty])})`;
    case 'type':
      return `instance type (${typeName(value)}) does not match any allowed primitive type (allowed: ${s(String(p.type).split(','))})`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: [${quote(p.additionalProperty)}]`;
    case 'minLength':
      return `string ${quote(value)} is too short (length: ${String(value).length}, required minimum: ${String(p.limit)})`;
    case 'maxLength':
      return `string ${quote(value)} is too long (length: ${String(value).length}, maximum allowed: ${String(p.limit)})`;
    case 'minimum':
      return `numeric instance is lower than the required minimum (minimum: ${String(p.limit)}, found: ${s(value)})`;
    case 'maximum':
      return `numeric instance is greater than the required maximum (maximum: ${String(p.limit)}, found: ${s(value)})`;
    case 'pattern':
      return `ECMA 262 regex ${s(p.pattern)} does not match input string ${quote(value)}`;
    case 'format':
      return `string ${quote(value)} is invalid against requested format ${s(p.format)}`;
    case 'minItems':
      return `array is too short: must have at least ${String(p.limit)} elements but instance has ${(value as unknown[]).length} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${String(p.limit)} elements but instance has ${(value as unknown[]).length} elements`;
    default:
      return `${error.keyword}: ${error.message ?? 'invalid'}`;
  }
}

/** At most this many messages are listed; the rest are counted (each one may come from a caller's key). */
export const MAX_LISTED_ERRORS = 10;

/**
 * The Java validator names every missing property of one object in one message, in the schema's `required` order
 * (`object has missing required properties (["datetime","email"])`); ajv reports each apart, in that order.
 */
function requiredTogether(errors: ErrorObject[]): ErrorObject[] {
  const out: ErrorObject[] = [];
  const groups = new Map<string, string[]>();
  for (const error of errors) {
    if (error.keyword !== 'required') {
      out.push(error);
      continue;
    }
    const key = `${error.instancePath}\0${error.schemaPath}`;
    const name = String((error.params as { missingProperty?: unknown }).missingProperty);
    const group = groups.get(key);
    if (group) group.push(name);
    else {
      const missing = [name];
      groups.set(key, missing);
      out.push({ ...error, params: { ...error.params, missing } });
    }
  }
  return out;
}

/** Joins ajv errors into one AWS-like bracketed string, bounded in size whatever the body holds. */
export function formatAjvErrors(all: ErrorObject[], instance: unknown): string {
  const errors = requiredTogether(all);
  const parts = errors.slice(0, MAX_LISTED_ERRORS).map((e) => {
    const text = describe(e, at(instance, e.instancePath));
    return e.instancePath ? `${text} at ${e.instancePath}` : text;
  });
  if (errors.length > MAX_LISTED_ERRORS) parts.push(`and ${errors.length - MAX_LISTED_ERRORS} more`);
  return `[${parts.join(', ')}]`;
}
