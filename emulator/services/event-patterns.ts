/**
 * EventBridge's event patterns (EventBridge User Guide, "Event patterns"), shared by EventBridge rules and Lambda's
 * event filtering (FilterCriteria use the same syntax): a pattern matches when each of its fields matches the
 * event's field of the same name; a field's list of matchers matches when one of them does: a value (exact), or
 * `prefix`, `suffix`, `anything-but`, `numeric`, `exists`, `equals-ignore-case`, `wildcard`; `$or` lists alternative
 * patterns; a list in the event matches when one of its items does.
 */

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether any of the patterns matches the data (an empty list of patterns matches everything). */
export function matchesAnyPattern(patterns: unknown[], data: Record<string, unknown>): boolean {
  return patterns.length === 0 || patterns.some((pattern) => isRecord(pattern) && matchesPattern(pattern, data));
}

/** Whether one pattern matches the data. */
export function matchesPattern(pattern: Record<string, unknown>, data: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return Array.isArray(expected) && expected.some((alternative) => isRecord(alternative) && matchesPattern(alternative, data));
    const value = isRecord(data) ? data[key] : undefined;
    if (isRecord(expected)) return matchesPattern(expected, value);
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
  if ('wildcard' in matcher) return typeof value === 'string' && typeof matcher.wildcard === 'string' && wildcard(matcher.wildcard).test(value);
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (isRecord(but) && typeof but.prefix === 'string') return typeof value === 'string' && !value.startsWith(but.prefix);
    if (isRecord(but) && typeof but.suffix === 'string') return typeof value === 'string' && !value.endsWith(but.suffix);
    return !(Array.isArray(but) ? but : [but]).includes(value);
  }
  if ('numeric' in matcher) return typeof value === 'number' && Array.isArray(matcher.numeric) && numeric(matcher.numeric, value);
  return false;
}

/** `*` matches any run of characters; `\*` is a literal star. */
function wildcard(pattern: string): RegExp {
  const parts = pattern.split(/(?<!\\)\*/).map((part) => part.replace(/\\\*/g, '*').replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${parts.join('.*')}$`, 's');
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
