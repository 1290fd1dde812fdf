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

/** Whether one pattern matches the data; a nested pattern matches a list of objects when one of them matches. */
export function matchesPattern(pattern: Record<string, unknown>, data: unknown): boolean {
  return Object.entries(pattern).every(([key, expected]) => {
    if (key === '$or') return Array.isArray(expected) && expected.some((alternative) => isRecord(alternative) && matchesPattern(alternative, data));
    const value = isRecord(data) ? data[key] : undefined;
    if (isRecord(expected)) return Array.isArray(value) ? value.some((item) => matchesPattern(expected, item)) : matchesPattern(expected, value);
    if (!Array.isArray(expected)) return false;
    return expected.some((matcher) => matchesValue(matcher, value));
  });
}

/**
 * A leaf: exists matching "only works on leaf nodes" (a field holding an object, or a list of them, is not one): `exists:
 * true` does not match such a field and `exists: false` does (a DynamoDB stream record's NewImage attribute is an
 * object such as {"S": ...}: AWS answered LocalStack's recorded test_dynamodb_event_filter[exists_false_filter] by
 * invoking for a record that has the attribute).
 */
const isLeaf = (value: unknown): boolean => !isRecord(value) && !(Array.isArray(value) && value.some(isRecord));

/** One matcher against a field's value; a list value matches when one of its items does. */
function matchesValue(matcher: unknown, value: unknown): boolean {
  if (isRecord(matcher) && 'exists' in matcher) return matcher.exists === true ? value !== undefined && isLeaf(value) : value === undefined || !isLeaf(value);
  if (value === undefined) return false;
  if (Array.isArray(value)) return value.some((item) => matchesValue(matcher, item));
  if (!isRecord(matcher)) return matcher === value;
  if ('prefix' in matcher) return typeof value === 'string' && textMatches('prefix', matcher.prefix, value);
  if ('suffix' in matcher) return typeof value === 'string' && textMatches('suffix', matcher.suffix, value);
  if ('equals-ignore-case' in matcher) return typeof value === 'string' && textMatches('equals-ignore-case', matcher['equals-ignore-case'], value);
  if ('wildcard' in matcher) return typeof value === 'string' && textMatches('wildcard', matcher.wildcard, value);
  if ('anything-but' in matcher) {
    const but = matcher['anything-but'];
    if (isRecord(but)) {
      // {prefix}, {suffix}, {wildcard} or {equals-ignore-case}, each with one text or a list of them.
      const [kind, texts] = Object.entries(but)[0] ?? [];
      return typeof value === 'string' && kind !== undefined && !(Array.isArray(texts) ? texts : [texts]).some((text) => textMatches(kind, text, value));
    }
    return !(Array.isArray(but) ? but : [but]).includes(value);
  }
  if ('numeric' in matcher) return typeof value === 'number' && Array.isArray(matcher.numeric) && numeric(matcher.numeric, value);
  if ('cidr' in matcher) return typeof value === 'string' && typeof matcher.cidr === 'string' && inCidr(value, matcher.cidr);
  return false;
}

/** The text matchers; `prefix` and `suffix` also take `{"equals-ignore-case": text}`. */
function textMatches(kind: string, spec: unknown, value: string): boolean {
  const ignoreCase = isRecord(spec) && typeof spec['equals-ignore-case'] === 'string';
  const text = ignoreCase ? (spec['equals-ignore-case'] as string) : spec;
  if (typeof text !== 'string') return false;
  const [have, want] = ignoreCase || kind === 'equals-ignore-case' ? [value.toLowerCase(), text.toLowerCase()] : [value, text];
  if (kind === 'prefix') return have.startsWith(want);
  if (kind === 'suffix') return have.endsWith(want);
  if (kind === 'equals-ignore-case') return have === want;
  if (kind === 'wildcard') return wildcard(text).test(value);
  return false;
}

/** The matchers this module evaluates; any other matches nothing (patternProblems names it at start). */
const OPERATORS = new Set(['exists', 'prefix', 'suffix', 'equals-ignore-case', 'wildcard', 'anything-but', 'numeric', 'cidr']);

/**
 * What is wrong with a pattern, for the startup report: operators not evaluated here (each matches nothing), and
 * what AWS refuses (InvalidEventPatternException): a field whose value is neither a list of matchers nor a nested
 * pattern, `numeric` with something other than numbers.
 */
export function patternProblems(pattern: unknown): string[] {
  const problems = new Set<string>();
  const walk = (node: unknown, path: string): void => {
    for (const [key, value] of Object.entries(node as Record<string, unknown>)) {
      const at = path ? `${path}.${key}` : key;
      if (key === '$or' && Array.isArray(value)) {
        for (const alternative of value) if (isRecord(alternative)) walk(alternative, path);
      } else if (isRecord(value)) walk(value, at);
      else if (!Array.isArray(value)) problems.add(`${at}: ${JSON.stringify(value)} is not a list of values: AWS refuses the pattern (InvalidEventPatternException)`);
      else {
        for (const item of value) {
          if (!isRecord(item)) continue;
          for (const op of Object.keys(item)) if (!OPERATORS.has(op)) problems.add(`the matcher "${op}" is not evaluated locally: it matches nothing`);
          if ('numeric' in item && !(Array.isArray(item.numeric) && item.numeric.every((x, i) => (i % 2 === 0 ? typeof x === 'string' : typeof x === 'number')))) {
            problems.add(`${at}: numeric ${JSON.stringify(item.numeric)} needs operators and numbers: AWS refuses the pattern (InvalidEventPatternException)`);
          }
        }
      }
    }
  };
  if (isRecord(pattern)) walk(pattern, '');
  return [...problems];
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
