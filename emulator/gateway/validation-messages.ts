/**
 * `$context.error.validationErrorString` text. API Gateway validates with a Java draft-4 validator whose
 * messages look like `[instance value ("x") not found in enum (possible values: ["a","b"])]`; we reproduce
 * that wording (messages joined by ", " inside one pair of brackets), with the JSON pointer of the failing
 * instance appended as ` at /path` when it is not the root, so a developer can find the field.
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

function describe(error: ErrorObject, value: unknown): string {
  const p = error.params as Record<string, unknown>;
  const s = JSON.stringify;
  switch (error.keyword) {
    case 'enum':
      return `instance value (${s(value)}) not found in enum (possible values: ${s(p.allowedValues)})`;
    case 'required':
      return `object has missing required properties (${s([p.missingProperty])})`;
    case 'type':
      return `instance type (${typeName(value)}) does not match any allowed primitive type (allowed: ${s(String(p.type).split(','))})`;
    case 'additionalProperties':
      return `object instance has properties which are not allowed by the schema: ${s([p.additionalProperty])}`;
    case 'minLength':
      return `string ${s(value)} is too short (length: ${String(value).length}, required minimum: ${String(p.limit)})`;
    case 'maxLength':
      return `string ${s(value)} is too long (length: ${String(value).length}, maximum allowed: ${String(p.limit)})`;
    case 'minimum':
      return `numeric instance is lower than the required minimum (minimum: ${String(p.limit)}, found: ${s(value)})`;
    case 'maximum':
      return `numeric instance is greater than the required maximum (maximum: ${String(p.limit)}, found: ${s(value)})`;
    case 'pattern':
      return `ECMA 262 regex ${s(p.pattern)} does not match input string ${s(value)}`;
    case 'format':
      return `string ${s(value)} is invalid against requested format ${s(p.format)}`;
    case 'minItems':
      return `array is too short: must have at least ${String(p.limit)} elements but instance has ${(value as unknown[]).length} elements`;
    case 'maxItems':
      return `array is too long: must have at most ${String(p.limit)} elements but instance has ${(value as unknown[]).length} elements`;
    default:
      return `${error.keyword}: ${error.message ?? 'invalid'}`;
  }
}

/** Joins ajv errors into one AWS-like bracketed string. */
export function formatAjvErrors(errors: ErrorObject[], instance: unknown): string {
  const parts = errors.map((e) => {
    const text = describe(e, at(instance, e.instancePath));
    return e.instancePath ? `${text} at ${e.instancePath}` : text;
  });
  return `[${parts.join(', ')}]`;
}
