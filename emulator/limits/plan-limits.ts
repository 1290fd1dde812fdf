/** A usage plan's throttle and quota (R6.7-R6.16), read from `AWS::ApiGateway::UsagePlan` properties. */
import { TemplateError } from '../template/model.js';
import { templateNumber } from './numbers.js';
import type { ThrottleLimit } from './token-bucket.js';

export type QuotaPeriod = 'DAY' | 'WEEK' | 'MONTH';

/** R6.14: `limit` requests a `period`; `offset` is the day the period starts (see quota-period.ts). */
export interface QuotaSettings {
  limit: number;
  period: QuotaPeriod;
  offset: number;
}

export interface PlanLimits {
  /** The plan's per-key throttle (`Throttle`), R6.10 level 1. */
  throttle?: ThrottleLimit;
  quota?: QuotaSettings;
}

const PERIOD_OFFSET_MAX: Record<QuotaPeriod, number> = { DAY: 0, WEEK: 6, MONTH: 27 };

/**
 * `{RateLimit, BurstLimit}` → a token-bucket limit. [AMBIGUOUS] With only one of the two set, a missing burst is the
 * rate (at least 1) and a missing rate is the burst: the bucket never holds more than a second's worth.
 */
export function parseThrottle(raw: unknown, file: string, key: string): ThrottleLimit | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new TemplateError(file, key, 'must be a map of RateLimit and BurstLimit');
  const t = raw as Record<string, unknown>;
  const rate = templateNumber(t.RateLimit, file, `${key}.RateLimit`, { min: 0 });
  const burst = templateNumber(t.BurstLimit, file, `${key}.BurstLimit`, { min: 0, integer: true });
  if (rate === undefined && burst === undefined) return undefined;
  return { rate: rate ?? (burst as number), burst: burst ?? Math.max(1, Math.ceil(rate as number)) };
}

/** `{Limit, Period, Offset}` → quota settings; an offset past the period's length is refused as CloudFormation does. */
export function parseQuota(raw: unknown, file: string, key: string): QuotaSettings | undefined {
  if (raw === undefined || raw === null) return undefined;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new TemplateError(file, key, 'must be a map of Limit, Period and Offset');
  const q = raw as Record<string, unknown>;
  const limit = templateNumber(q.Limit, file, `${key}.Limit`, { min: 0, integer: true });
  if (limit === undefined) throw new TemplateError(file, `${key}.Limit`, 'is required');
  const period = q.Period;
  if (period !== 'DAY' && period !== 'WEEK' && period !== 'MONTH') throw new TemplateError(file, `${key}.Period`, `must be DAY, WEEK or MONTH, got ${JSON.stringify(period)}`);
  const offset = templateNumber(q.Offset, file, `${key}.Offset`, { min: 0, max: PERIOD_OFFSET_MAX[period], integer: true }) ?? 0;
  return { limit, period, offset };
}

/** R6.12: a plan's per-method throttles for one API stage, keyed `"/path/METHOD"` (root `"//GET"`). */
export function parseMethodThrottles(raw: unknown, file: string, key: string): Map<string, ThrottleLimit> {
  const out = new Map<string, ThrottleLimit>();
  if (raw === undefined || raw === null) return out;
  if (typeof raw !== 'object' || Array.isArray(raw)) throw new TemplateError(file, key, 'must map "/path/METHOD" to {RateLimit, BurstLimit}');
  for (const [method, value] of Object.entries(raw as Record<string, unknown>)) {
    if (!/^\/.*\/[A-Z*]+$/.test(method)) throw new TemplateError(file, `${key}.${method}`, 'keys are "/resourcePath/HTTPMETHOD", e.g. "/tasks/GET" (R6.12)');
    const limit = parseThrottle(value, file, `${key}.${method}`);
    if (limit) out.set(method, limit);
  }
  return out;
}

/** The usage-plan method key of a method (R6.12): resource path + "/" + method; the root is "//GET". */
export function planMethodKey(resourcePath: string, method: string): string {
  return `${resourcePath}/${method}`;
}

/** "rate 50/s burst 100" for the startup report. */
export function describeThrottle(t: ThrottleLimit): string {
  return `throttle rate ${t.rate}/s burst ${t.burst}`;
}

/** "quota 10000/MONTH" (+ " offset n") for the startup report. */
export function describeQuota(q: QuotaSettings): string {
  return `quota ${q.limit}/${q.period}${q.offset ? ` offset ${q.offset}` : ''}`;
}
