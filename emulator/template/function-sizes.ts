/** A function's Timeout and MemorySize as Lambda takes them, with its defaults for a value CloudFormation would refuse. */

/**
 * Lambda's Timeout, a whole number of seconds from 1 to 900, else 3 with a warning: CloudFormation refuses the others,
 * and SAM CLI reads 0 as unset; served with 0 every call would time out at once.
 */
export function timeoutSeconds(value: unknown, key: string, warnings: string[]): number {
  return wholeWithin(value, { min: 1, max: 900, unit: 'seconds', fallback: 3, fallbackText: '3 s' }, key, warnings);
}

/**
 * Lambda's MemorySize, a whole number of MB from 128 to 10240, else 128 with a warning: CloudFormation refuses the
 * others, and a function run with 0 MB (a parameter's placeholder) was killed at once on every invocation.
 */
export function memorySizeMb(value: unknown, key: string, warnings: string[]): number {
  return wholeWithin(value, { min: 128, max: 10_240, unit: 'MB', fallback: 128, fallbackText: '128 MB' }, key, warnings);
}

interface Range {
  min: number;
  max: number;
  unit: string;
  fallback: number;
  fallbackText: string;
}

/** The value when it is a whole number in the range; Lambda's default otherwise (none given: silently). */
function wholeWithin(value: unknown, range: Range, key: string, warnings: string[]): number {
  if (value === undefined || value === null) return range.fallback;
  const n = Number(value);
  if (typeof value !== 'boolean' && String(value).trim() !== '' && Number.isInteger(n) && n >= range.min && n <= range.max) return n;
  warnings.push(`${key}: ${JSON.stringify(value)} is not a whole number of ${range.unit} from ${range.min} to ${range.max} (CloudFormation would refuse the template); locally the function runs with Lambda's default, ${range.fallbackText}`);
  return range.fallback;
}
