/**
 * `aws apigateway get-usage` over the local usage store: per usage plan, each key's [used, remaining] per day
 * between two dates (remaining = the quota left at the end of that day, within its quota period).
 */
import type { ApiKeyRegistry } from '../identity/api-keys.js';
import { quotaPeriod, utcDay } from './quota-period.js';
import type { UsageData } from './usage.js';

const DAY_MS = 86_400_000;

export interface PlanUsage {
  usagePlanId: string;
  /** The plan's logical id (not in AWS's answer; the local ids are derived from it). */
  usagePlan: string;
  startDate: string;
  endDate: string;
  /** keyId → one [used, remaining] pair per day; remaining is null when the plan has no quota. */
  items: Record<string, [number, number | null][]>;
  /** keyId → the key's logical id (not in AWS's answer). */
  keys: Record<string, string>;
}

/** Parses a YYYY-MM-DD date (UTC midnight), or throws a message naming the option. */
export function parseDay(text: string, option: string): number {
  const ms = /^\d{4}-\d{2}-\d{2}$/.test(text) ? Date.parse(`${text}T00:00:00Z`) : Number.NaN;
  if (!Number.isFinite(ms) || utcDay(ms) !== text) throw new Error(`${option}: expected a date YYYY-MM-DD, got ${JSON.stringify(text)}`);
  return ms;
}

/** get-usage for every plan of the template (or one), from `start` to `end` inclusive (UTC midnights). */
export function usageReport(registry: ApiKeyRegistry, data: UsageData, start: number, end: number, planFilter?: string): PlanUsage[] {
  return stacksUsageReport([{ stack: '', registry }], data, start, end, planFilter);
}

/**
 * usageReport over the plans of every stack of a template: a nested stack's (`stack` its path, `Child/`) are named
 * by that path, as the start report lists them, and `planFilter` may name one so.
 */
export function stacksUsageReport(stacks: { stack: string; registry: ApiKeyRegistry }[], data: UsageData, start: number, end: number, planFilter?: string): PlanUsage[] {
  if (end < start) throw new Error('--end-date: must not be before --start-date');
  const plans = stacks.flatMap(({ stack, registry }) =>
    registry.plans.filter((p) => !planFilter || p.id === planFilter || `${stack}${p.logicalId}` === planFilter).map((plan) => ({ stack, registry, plan })),
  );
  if (planFilter && plans.length === 0) throw new Error(`--usage-plan: no usage plan ${JSON.stringify(planFilter)} in the template`);
  return plans.map(({ stack, registry, plan }) => {
    const items: PlanUsage['items'] = {};
    const keys: PlanUsage['keys'] = {};
    for (const logicalId of plan.keyLogicalIds) {
      const key = registry.keys.find((k) => k.logicalId === logicalId);
      if (!key) continue;
      const days = data[plan.id]?.[key.id] ?? {};
      keys[key.id] = `${stack}${key.logicalId}`;
      items[key.id] = [];
      for (let day = start; day <= end; day += DAY_MS) {
        const used = days[utcDay(day)] ?? 0;
        let remaining: number | null = null;
        if (plan.quota) {
          const periodStart = utcDay(quotaPeriod(plan.quota, day).start);
          const usedInPeriod = Object.entries(days).filter(([d]) => d >= periodStart && d <= utcDay(day)).reduce((sum, [, n]) => sum + n, 0);
          remaining = Math.max(0, plan.quota.limit - usedInPeriod);
        }
        items[key.id]!.push([used, remaining]);
      }
    }
    return { usagePlanId: plan.id, usagePlan: `${stack}${plan.logicalId}`, startDate: utcDay(start), endDate: utcDay(end), items, keys };
  });
}
