/**
 * Choice rules (the spec's "Choice State"; developer guide, "Choice workflow state"): the boolean combinators And, Or
 * and Not, and comparisons of the value a Variable path selects with a literal or with the value of a second path
 * (the *Path operators), plus the type tests Is*.
 */
import { isJsonObject, type Json, StatesError } from './json.js';
import { tryReadPath, type VariableValues } from './paths.js';

type Kind = 'String' | 'Numeric' | 'Boolean' | 'Timestamp';
type Comparison = 'Equals' | 'LessThan' | 'GreaterThan' | 'LessThanEquals' | 'GreaterThanEquals';

const COMPARISONS: Comparison[] = ['Equals', 'LessThan', 'GreaterThan', 'LessThanEquals', 'GreaterThanEquals'];
const KINDS: Kind[] = ['String', 'Numeric', 'Boolean', 'Timestamp'];
const TYPE_TESTS = ['IsNull', 'IsPresent', 'IsNumeric', 'IsString', 'IsBoolean', 'IsTimestamp'] as const;
/** Fields of a rule that are not its condition. */
const NOT_CONDITION = new Set(['Next', 'Comment', 'Assign', 'Output']);
const COMBINATORS = ['And', 'Or', 'Not'] as const;

/** Every comparison operator: kind, comparison, and whether its value is a path. BooleanEquals is the only Boolean one. */
const OPERATORS = new Map<string, { kind: Kind; comparison: Comparison; isPath: boolean }>();
for (const kind of KINDS)
  for (const comparison of kind === 'Boolean' ? (['Equals'] as Comparison[]) : COMPARISONS)
    for (const isPath of [false, true]) OPERATORS.set(`${kind}${comparison}${isPath ? 'Path' : ''}`, { kind, comparison, isPath });

/** RFC 3339 as the guide narrows it: an uppercase T between date and time, an uppercase Z or a numeric offset. */
const TIMESTAMP = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(?:(Z)|([+-])(\d{2}):(\d{2}))$/;

/** A timestamp as (seconds since the epoch, fraction digits), so that precision beyond milliseconds still compares; undefined when not valid. */
function parseTimestamp(text: string): { seconds: number; fraction: string } | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [year, month, day, hour, minute, second] = m.slice(1, 7).map(Number) as [number, number, number, number, number, number];
  const [offsetHours, offsetMinutes] = [Number(m[10] ?? 0), Number(m[11] ?? 0)];
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1];
  if (days === undefined || day < 1 || day > days || hour > 23 || minute > 59 || second > 59 || offsetHours > 23 || offsetMinutes > 59) return undefined;
  const date = new Date(0);
  // setUTCFullYear, not Date.UTC: Date.UTC reads years 0 to 99 as 1900 to 1999.
  date.setUTCFullYear(year, month - 1, day);
  date.setUTCHours(hour, minute, second, 0);
  const offset = (m[9] === '-' ? -1 : 1) * (offsetHours * 3600 + offsetMinutes * 60);
  return { seconds: date.getTime() / 1000 - offset, fraction: m[7] ?? '' };
}

function compareTimestamps(a: { seconds: number; fraction: string }, b: { seconds: number; fraction: string }): number {
  if (a.seconds !== b.seconds) return a.seconds - b.seconds;
  const width = Math.max(a.fraction.length, b.fraction.length);
  const [fa, fb] = [a.fraction.padEnd(width, '0'), b.fraction.padEnd(width, '0')];
  return fa === fb ? 0 : fa < fb ? -1 : 1;
}

/** Orders two values of a kind; undefined when either is not of that kind (the guide: the comparison is then false). */
function order(kind: Kind, value: Json, expected: Json): number | undefined {
  if (kind === 'Numeric') return typeof value === 'number' && typeof expected === 'number' ? value - expected : undefined;
  if (kind === 'Boolean') return typeof value === 'boolean' && typeof expected === 'boolean' ? Number(value) - Number(expected) : undefined;
  if (typeof value !== 'string' || typeof expected !== 'string') return undefined;
  // Strings compare by UTF-16 code unit, as Java's String.compareTo does.
  if (kind === 'String') return value === expected ? 0 : value < expected ? -1 : 1;
  const [a, b] = [parseTimestamp(value), parseTimestamp(expected)];
  return a && b ? compareTimestamps(a, b) : undefined;
}

const holds = (comparison: Comparison, n: number): boolean =>
  comparison === 'Equals' ? n === 0 : comparison === 'LessThan' ? n < 0 : comparison === 'GreaterThan' ? n > 0 : comparison === 'LessThanEquals' ? n <= 0 : n >= 0;

/** StringMatches: `*` matches any run of characters, `\*` a literal star and `\\` a literal backslash; any other backslash is itself (the spec names no other escape). */
function matchesPattern(pattern: string, text: string): boolean {
  const tokens: (string | null)[] = [];
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '\\' && (pattern[i + 1] === '*' || pattern[i + 1] === '\\')) tokens.push(pattern[++i] as string);
    else tokens.push(c === '*' ? null : c);
  }
  // Greedy with one backtrack point (the last star): linear in practice, never exponential.
  let [t, p, star, mark] = [0, 0, -1, 0];
  while (t < text.length) {
    if (p < tokens.length && tokens[p] !== null && tokens[p] === text[t]) [t, p] = [t + 1, p + 1];
    else if (p < tokens.length && tokens[p] === null) [star, mark, p] = [p, t, p + 1];
    else if (star >= 0) [p, mark, t] = [star + 1, mark + 1, mark + 1];
    else return false;
  }
  while (p < tokens.length && tokens[p] === null) p++;
  return p === tokens.length;
}

function typeTest(test: (typeof TYPE_TESTS)[number], value: Json): boolean {
  switch (test) {
    case 'IsNull':
      return value === null;
    case 'IsNumeric':
      return typeof value === 'number';
    case 'IsString':
      return typeof value === 'string';
    case 'IsBoolean':
      return typeof value === 'boolean';
    case 'IsTimestamp':
      return typeof value === 'string' && parseTimestamp(value) !== undefined;
    case 'IsPresent':
      return true;
  }
}

const operatorsOf = (rule: Record<string, Json>): string[] => Object.keys(rule).filter((key) => key !== 'Variable' && !NOT_CONDITION.has(key));

const invalidPath = (path: string): StatesError => new StatesError('States.Runtime', `Invalid path '${path}': The choice state's condition path references an invalid value.`);

/** Evaluates one Choice rule as Step Functions does: a comparison whose Variable (or *Path value) selects nothing fails with States.Runtime, IsPresent excepted; values of the wrong type compare false. */
export function evaluateChoiceRule(rule: Record<string, Json>, input: Json, context: Json, variables?: VariableValues): boolean {
  const nested = (value: Json | undefined): Record<string, Json> => {
    if (!isJsonObject(value)) throw new StatesError('States.Runtime', `A choice rule must be an object, not ${JSON.stringify(value)}`);
    return value;
  };
  if (Array.isArray(rule.And)) return rule.And.every((inner) => evaluateChoiceRule(nested(inner), input, context, variables));
  if (Array.isArray(rule.Or)) return rule.Or.some((inner) => evaluateChoiceRule(nested(inner), input, context, variables));
  if (rule.Not !== undefined) return !evaluateChoiceRule(nested(rule.Not), input, context, variables);
  const problems = choiceRuleProblems(rule);
  if (problems.length > 0) throw new StatesError('States.Runtime', `The choice rule ${JSON.stringify(rule)} is not valid: ${problems.join('; ')}`);
  const variable = rule.Variable as string;
  const operator = operatorsOf(rule)[0] as string;
  const expected = rule[operator] as Json;
  const read = tryReadPath(variable, input, context, variables);
  if (operator === 'IsPresent') return read.found === expected;
  if (!read.found) throw invalidPath(variable);
  if ((TYPE_TESTS as readonly string[]).includes(operator)) return typeTest(operator as (typeof TYPE_TESTS)[number], read.value) === expected;
  if (operator === 'StringMatches') return typeof read.value === 'string' && matchesPattern(expected as string, read.value);
  const { kind, comparison, isPath } = OPERATORS.get(operator) as { kind: Kind; comparison: Comparison; isPath: boolean };
  let against = expected;
  if (isPath) {
    const other = tryReadPath(expected as string, input, context, variables);
    if (!other.found) throw invalidPath(expected as string);
    against = other.value;
  }
  const n = order(kind, read.value, against);
  return n !== undefined && holds(comparison, n);
}

const isPath = (s: Json | undefined): boolean => {
  if (typeof s !== 'string') return false;
  try {
    tryReadPath(s, null, null);
    return true;
  } catch {
    return false;
  }
};

/** What a literal operand must be, by operator; undefined when any operand is fine. */
function operandProblem(operator: string, operand: Json): string | undefined {
  const spec = OPERATORS.get(operator);
  if (spec?.isPath) return isPath(operand) ? undefined : `${operator} needs a path, not ${JSON.stringify(operand)}`;
  const kind = spec?.kind ?? (operator === 'StringMatches' ? 'String' : 'Boolean');
  if (kind === 'Timestamp') return typeof operand === 'string' && parseTimestamp(operand) ? undefined : `${operator} needs an RFC 3339 timestamp, not ${JSON.stringify(operand)}`;
  const type = kind === 'Numeric' ? 'number' : kind === 'String' ? 'string' : 'boolean';
  return typeof operand === type ? undefined : `${operator} needs a ${type}, not ${JSON.stringify(operand)}`;
}

/** What AWS refuses in a Choice rule when the state machine is created (States.Runtime would follow at run time here): no operator, several, an unknown one, an operand of the wrong type, a *Path operator without a path. */
export function choiceRuleProblems(rule: Record<string, Json>): string[] {
  const combinators = COMBINATORS.filter((key) => key in rule);
  if (combinators.length > 0) {
    const others = Object.keys(rule).filter((key) => !NOT_CONDITION.has(key) && !(COMBINATORS as readonly string[]).includes(key));
    if (combinators.length > 1) return [`a rule has one of And, Or, Not, not ${combinators.join(' and ')}`];
    if (others.length > 0) return [`a rule with ${combinators[0]} cannot also have ${others.join(', ')}`];
    const key = combinators[0] as (typeof COMBINATORS)[number];
    const value = rule[key];
    const inner = (item: Json | undefined, where: string): string[] => (isJsonObject(item) ? choiceRuleProblems(item).map((problem) => `${where}: ${problem}`) : [`${where}: a rule must be an object`]);
    if (key === 'Not') return inner(value, 'Not');
    if (!Array.isArray(value) || value.length === 0) return [`${key} needs a non-empty list of rules`];
    return value.flatMap((item, i) => inner(item, `${key}[${i}]`));
  }
  const problems: string[] = [];
  if (!isPath(rule.Variable)) problems.push(rule.Variable === undefined ? 'the rule has no Variable' : `the Variable ${JSON.stringify(rule.Variable)} is not a path`);
  const operators = operatorsOf(rule);
  const known = (operator: string): boolean => OPERATORS.has(operator) || operator === 'StringMatches' || (TYPE_TESTS as readonly string[]).includes(operator);
  const unknown = operators.filter((operator) => !known(operator));
  problems.push(...unknown.map((operator) => `unknown comparison operator ${operator}`));
  if (operators.length === 0) problems.push('the rule has no comparison operator');
  else if (operators.length > 1) problems.push(`the rule has more than one comparison operator: ${operators.join(', ')}`);
  else if (unknown.length === 0) {
    const problem = operandProblem(operators[0] as string, rule[operators[0] as string] as Json);
    if (problem !== undefined) problems.push(problem);
  }
  return problems;
}
