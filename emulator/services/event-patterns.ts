/**
 * EventBridge's event patterns (EventBridge User Guide, "Event patterns"), shared by EventBridge rules and Lambda's
 * event filtering (FilterCriteria use the same syntax): a pattern matches when each of its fields matches the
 * event's field of the same name; a field's list of matchers matches when one of them does: a value (exact), or
 * `prefix`, `suffix`, `anything-but`, `numeric`, `exists`, `equals-ignore-case`, `wildcard`, `cidr`; `$or` lists alternative
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
  if ('cidr' in matcher) return typeof value === 'string' && typeof matcher.cidr === 'string' && inCidr(value, matcher.cidr);
  return false;
}

/** The matchers this module evaluates; any other matches nothing (patternProblems names it at start). */
const OPERATORS = new Set(['exists', 'prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'cidr']);

/** Operators a pattern uses that are not evaluated here (each matches nothing): for the startup report. */
export function patternProblems(pattern: unknown): string[] {
  const found = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) {
        if (isRecord(item)) for (const key of Object.keys(item)) if (!OPERATORS.has(key)) found.add(key);
      }
    } else if (isRecord(node)) for (const [key, value] of Object.entries(node)) walk(key === '$or' && Array.isArray(value) ? { ...value } : value);
  };
  walk(pattern);
  return [...found].map((op) => `the matcher "${op}" is not evaluated locally: it matches nothing`);
}

/** An IPv4 or IPv6 address inside a CIDR block (`10.0.0.0/24`, `2001:db8::/32`). */
function inCidr(address: string, cidr: string): boolean {
  const [network, bitsText] = cidr.split('/');
  const a = ipBits(address);
  const n = ipBits(network ?? '');
  if (!a || !n || a.length !== n.length) return false;
  const bits = bitsText === undefined ? a.length : Number(bitsText);
  if (!Number.isInteger(bits) || bits < 0 || bits > a.length) return false;
  return a.slice(0, bits) === n.slice(0, bits);
}

/** An address as a string of bits (32 for IPv4, 128 for IPv6), or undefined when it is not one. */
function ipBits(text: string): string | undefined {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (v4) {
    const octets = v4.slice(1).map(Number);
    return octets.every((o) => o <= 255) ? octets.map((o) => o.toString(2).padStart(8, '0')).join('') : undefined;
  }
  if (!text.includes(':')) return undefined;
  const [head, tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const groups = (part: string | undefined) => (part ? part.split(':') : []);
  const left = groups(head);
  const right = groups(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const all = [...left, ...Array<string>(Math.max(0, fill)).fill('0'), ...right];
  if (all.length !== 8 || !all.every((g) => /^[0-9a-f]{1,4}$/i.test(g))) return undefined;
  return all.map((g) => parseInt(g, 16).toString(2).padStart(16, '0')).join('');
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
