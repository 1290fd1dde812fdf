/**
 * Lambda's event filtering for SQS (Lambda Developer Guide, "Lambda event filtering"): a record passes when one of
 * the FilterCriteria's patterns matches it. Patterns use EventBridge's syntax: values listed to match exactly, or
 * `prefix`, `suffix`, `anything-but`, `numeric`, `exists`, `equals-ignore-case`; a JSON body is matched field by
 * field, a body that is not JSON only as a whole text.
 */
import type { SqsRecord } from './event-source.js';

/** The record as filters see it: its body parsed when it is JSON. */
export function recordForFilter(record: SqsRecord): Record<string, unknown> {
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body);
  } catch {
    // plain text: matched as it is
  }
  return { ...record, body };
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether any of the patterns matches the data (an empty list of patterns matches everything). */
export function matchesAnyFilter(patterns: unknown[], data: Record<string, unknown>): boolean {
  return patterns.length === 0 || patterns.some((pattern) => isRecord(pattern) && matchesObject(pattern, data));
}

function matchesObject(pattern: Record<string, unknown>, data: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    const value = isRecord(data) ? data[key] : undefined;
    if (isRecord(expected)) return matchesObject(expected, value);
    if (!Array.isArray(expected)) return false;
    return expected.some((matcher) => matchesValue(matcher, value));
  });
}

/** One matcher against a field's value; a list value matches when one of its items does. */
function matchesValue(matcher: unknown, value: unknown): boolean {
  if (isRecord(matcher) && 'exists' in matcher) return (value !== undefined) === (matcher.exists === true);
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.some((item) => matchesValue(matcher, item));
  if (!isRecord(matcher)) return matcher === value;
  if ('prefix' in matcher) return typeof value === 'string' && typeof matcher.prefix === 'string' && value.startsWith(matcher.prefix);
  if ('suffix' in matcher) return typeof value === 'string' && typeof matcher.suffix === 'string' && value.endsWith(matcher.suffix);
  if ('equals-ignore-case' in matcher) return typeof value === 'string' && typeof matcher['equals-ignore-case'] === 'string' && value.toLowerCase() === matcher['equals-ignore-case'].toLowerCase();
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (isRecord(but) && typeof but.prefix === 'string') return typeof value === 'string' && !value.startsWith(but.prefix);
    return !(Array.isArray(but) ? but : [but]).includes(value);
  }
  if ('numeric' in matcher) return typeof value === 'number' && Array.isArray(matcher.numeric) && numeric(matcher.numeric, value);
  return false;
}

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  '=': (a, b) => a === b,
  '<': (a, b) => a < b,
  '<=': (a, b) => a <= b,
  '>': (a, b) => a > b,
  '>=': (a, b) => a >= b,
};

function numeric(conditions: unknown[], value: number): boolean {
  for (let i = 0; i + 1 < conditions.length; i += 2) {
    const compare = COMPARE[String(conditions[i])];
    if (!compare || typeof conditions[i + 1] !== 'number' || !compare(value, conditions[i + 1] as number)) return false;
  }
  return conditions.length >= 2;
}
