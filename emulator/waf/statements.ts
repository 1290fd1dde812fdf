/** AWS WAF rule statements the emulator evaluates (W5, W6); anything else is named by `unsupportedIn`. */
import { isIP, type BlockList } from 'node:net';
import type { Clock } from '../limits/clock.js';
import { templateRegex, type TemplateRegex } from '../gateway/template-regex.js';
import { fieldValue, SUPPORTED_FIELDS, SUPPORTED_TRANSFORMS, transform, type WafRequest } from './request.js';

type Json = Record<string, unknown>;
const isObject = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

export interface StatementContext {
  req: WafRequest;
  /** Labels added by rules evaluated earlier in this web ACL evaluation (W2.5). */
  labels: Set<string>;
  bodyLimit: number;
  clock: Clock;
  refs: References;
  rate: RateCounters;
}

/** The template's IP sets and regex pattern sets, by the ARN a rule's reference resolves to. */
export interface References {
  ipSet(arn: string): BlockList | undefined;
  regexSet(arn: string): TemplateRegex[] | undefined;
}

/** W6.4: a sliding window per aggregation instance; keeps only the Limit + 1 most recent instants per instance. */
export class RateCounters {
  private readonly windows = new WeakMap<object, Map<string, number[]>>();

  /** Records a request of `instance` now; true when the instance is over `limit` requests within `windowSec`. */
  record(rule: object, instance: string, limit: number, windowSec: number, now: number): boolean {
    let byInstance = this.windows.get(rule);
    if (!byInstance) this.windows.set(rule, (byInstance = new Map()));
    const times = (byInstance.get(instance) ?? []).filter((t) => t > now - windowSec * 1000);
    times.push(now);
    if (times.length > limit + 1) times.splice(0, times.length - (limit + 1));
    byInstance.set(instance, times);
    return times.length > limit;
  }
}

const POSITIONS: Record<string, (value: string, search: string) => boolean> = {
  EXACTLY: (v, s) => v === s,
  STARTS_WITH: (v, s) => v.startsWith(s),
  ENDS_WITH: (v, s) => v.endsWith(s),
  CONTAINS: (v, s) => v.includes(s),
  // W5.1: the search string bounded by non-word characters or the value's ends.
  CONTAINS_WORD: (v, s) => new RegExp(`(^|[^A-Za-z0-9_])${s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}([^A-Za-z0-9_]|$)`).test(v),
};

const COMPARE: Record<string, (a: number, b: number) => boolean> = {
  EQ: (a, b) => a === b,
  NE: (a, b) => a !== b,
  LE: (a, b) => a <= b,
  LT: (a, b) => a < b,
  GE: (a, b) => a >= b,
  GT: (a, b) => a > b,
};

/** W5.4 / W6.1: the client IP (TCP peer) or the first address of the forwarded-IP header; null when malformed. */
function clientIp(req: WafRequest, forwarded: unknown): string | null {
  if (!isObject(forwarded)) return req.sourceIp;
  const name = String(forwarded.HeaderName ?? 'X-Forwarded-For').toLowerCase();
  const value = req.headers.filter(([n]) => n.toLowerCase() === name).at(-1)?.[1];
  const first = value?.split(',')[0]?.trim() ?? '';
  return isIP(first) ? first : null;
}

/** W4.2, W4.3: past the inspection limits of Body, Headers or Cookies, their OversizeHandling decides (CONTINUE: inspect what was forwarded). */
function oversizeVerdict(field: unknown, oversize: boolean): boolean | undefined {
  if (!oversize) return undefined;
  const spec = isObject(field) ? Object.values(field)[0] : undefined;
  const handling = isObject(spec) ? String(spec.OversizeHandling ?? 'CONTINUE') : 'CONTINUE';
  if (handling === 'MATCH') return true;
  if (handling === 'NO_MATCH') return false;
  return undefined;
}

const wafRegexes = new Map<string, TemplateRegex>();

/** A WAF pattern, compiled once: it runs on what clients send, so on a linear-time engine when it could backtrack. */
export function wafRegex(pattern: string): TemplateRegex {
  let regex = wafRegexes.get(pattern);
  if (!regex) wafRegexes.set(pattern, (regex = templateRegex(pattern, 'find')));
  return regex;
}

/** Whether one text of the field (after the transformations) satisfies the statement. */
function textMatches(kind: string, s: Json, value: string, ctx: StatementContext): boolean {
  if (kind === 'SizeConstraintStatement') return COMPARE[String(s.ComparisonOperator)]!(Buffer.byteLength(value, 'latin1'), Number(s.Size));
  if (kind === 'ByteMatchStatement') return POSITIONS[String(s.PositionalConstraint)]!(value, String(s.SearchString));
  if (kind === 'RegexMatchStatement') return wafRegex(String(s.RegexString)).test(value);
  return (ctx.refs.regexSet(String(s.ARN ?? s.Arn)) ?? []).some((r) => r.test(value));
}

/** Whether the statement matches the request (W5, W6). */
export function matches(statement: Json, ctx: StatementContext): boolean {
  const [kind, raw] = Object.entries(statement)[0] ?? [];
  const s = isObject(raw) ? raw : {};
  switch (kind) {
    case 'AndStatement':
      return (s.Statements as Json[]).every((x) => matches(x, ctx));
    case 'OrStatement':
      return (s.Statements as Json[]).some((x) => matches(x, ctx));
    case 'NotStatement':
      return !matches(s.Statement as Json, ctx);
    case 'LabelMatchStatement': {
      const key = String(s.Key);
      if (s.Scope === 'NAMESPACE') return [...ctx.labels].some((l) => l.startsWith(key.endsWith(':') ? key : `${key}:`));
      return [...ctx.labels].some((l) => l === key || l.endsWith(`:${key}`));
    }
    case 'ByteMatchStatement':
    case 'RegexMatchStatement':
    case 'RegexPatternSetReferenceStatement':
    case 'SizeConstraintStatement': {
      const field = fieldValue(s.FieldToMatch as Json, ctx.req, ctx.bodyLimit);
      if (!field) return false;
      const forced = oversizeVerdict(s.FieldToMatch, field.oversize);
      if (forced !== undefined) return forced;
      // W5.6: a component with several texts (query arguments, header keys and values) matches when one of them does.
      return field.texts.some((text) => textMatches(kind, s, transform(text, s.TextTransformations), ctx));
    }
    case 'IPSetReferenceStatement': {
      const ip = clientIp(ctx.req, s.IPSetForwardedIPConfig);
      const forwarded = s.IPSetForwardedIPConfig as Json | undefined;
      if (ip === null) return String(forwarded?.FallbackBehavior) === 'MATCH';
      return ctx.refs.ipSet(String(s.Arn))?.check(ip, isIP(ip) === 6 ? 'ipv6' : 'ipv4') ?? false;
    }
    case 'RateBasedStatement': {
      if (isObject(s.ScopeDownStatement) && !matches(s.ScopeDownStatement, ctx)) return false;
      const forwarded = s.AggregateKeyType === 'FORWARDED_IP' ? (s.ForwardedIPConfig ?? {}) : undefined;
      const ip = clientIp(ctx.req, forwarded);
      if (ip === null) return String((forwarded as Json).FallbackBehavior) === 'MATCH';
      const instance = s.AggregateKeyType === 'CONSTANT' ? '*' : ip;
      return ctx.rate.record(s, instance, Number(s.Limit), Number(s.EvaluationWindowSec ?? 300), ctx.clock.now());
    }
    default:
      return false;
  }
}

const EVALUATED = new Set(['AndStatement', 'OrStatement', 'NotStatement', 'LabelMatchStatement', 'ByteMatchStatement', 'RegexMatchStatement', 'RegexPatternSetReferenceStatement', 'SizeConstraintStatement', 'IPSetReferenceStatement', 'RateBasedStatement']);

/** Why the statement cannot be evaluated locally (empty when it can): unknown statements, fields, transformations, references. */
export function unsupportedIn(statement: unknown, known: References): string[] {
  if (!isObject(statement)) return ['a statement that is not a map'];
  const [kind, raw] = Object.entries(statement)[0] ?? [];
  const s = isObject(raw) ? raw : {};
  if (!kind || !EVALUATED.has(kind)) return [`${kind ?? 'an empty statement'} (W5.8)`];
  const out: string[] = [];
  if (kind === 'AndStatement' || kind === 'OrStatement') {
    if (!Array.isArray(s.Statements)) return [`${kind} without Statements`];
    for (const x of s.Statements) out.push(...unsupportedIn(x, known));
  }
  if (kind === 'NotStatement') out.push(...unsupportedIn(s.Statement, known));
  if (kind === 'RateBasedStatement') {
    if (!['IP', 'FORWARDED_IP', 'CONSTANT', undefined].includes(s.AggregateKeyType as string | undefined)) out.push(`RateBasedStatement AggregateKeyType ${String(s.AggregateKeyType)}`);
    if (!Number.isFinite(Number(s.Limit))) out.push('RateBasedStatement without a numeric Limit');
    if (s.ScopeDownStatement !== undefined) out.push(...unsupportedIn(s.ScopeDownStatement, known));
  }
  if (s.FieldToMatch !== undefined) {
    const field = Object.keys(isObject(s.FieldToMatch) ? s.FieldToMatch : {})[0];
    if (!field || !SUPPORTED_FIELDS.includes(field)) out.push(`FieldToMatch ${field ?? '(none)'}`);
  }
  for (const t of Array.isArray(s.TextTransformations) ? s.TextTransformations : []) {
    const type = String((t as Json).Type);
    if (!SUPPORTED_TRANSFORMS.includes(type)) out.push(`TextTransformation ${type}`);
  }
  if (kind === 'ByteMatchStatement' && !POSITIONS[String(s.PositionalConstraint)]) out.push(`PositionalConstraint ${String(s.PositionalConstraint)}`);
  if (kind === 'SizeConstraintStatement' && !COMPARE[String(s.ComparisonOperator)]) out.push(`ComparisonOperator ${String(s.ComparisonOperator)}`);
  if (kind === 'RegexMatchStatement') {
    try {
      wafRegex(String(s.RegexString));
    } catch {
      out.push(`RegexString ${JSON.stringify(s.RegexString)} is not a pattern RE2 or JavaScript reads (W5.2)`);
    }
  }
  if (kind === 'IPSetReferenceStatement' && !known.ipSet(String(s.Arn))) out.push(`IP set ${String(s.Arn)} is not an AWS::WAFv2::IPSet of this template`);
  if (kind === 'RegexPatternSetReferenceStatement' && !known.regexSet(String(s.ARN ?? s.Arn))) out.push(`regex pattern set ${String(s.ARN ?? s.Arn)} is not an AWS::WAFv2::RegexPatternSet of this template`);
  return out;
}
