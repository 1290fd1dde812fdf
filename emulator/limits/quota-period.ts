/**
 * Quota periods (R6.14, R6.16). [AMBIGUOUS R6.16] AWS does not document the boundaries; the emulator uses UTC
 * midnights and reads `Offset` as CloudFormation's QuotaSettings describes it: the day the period starts.
 * DAY: every UTC day (offset 0 only). WEEK: from UTC midnight of weekday `offset` (0 = Sunday, 1 = Monday...).
 * MONTH: from UTC midnight of day `offset + 1` of the month (0 = the 1st).
 */
import type { QuotaSettings } from './plan-limits.js';

const DAY_MS = 86_400_000;

function utcMidnight(epochMs: number): number {
  return Math.floor(epochMs / DAY_MS) * DAY_MS;
}

/** Start (inclusive) and end (exclusive) of the quota period that contains `now`, in epoch ms. */
export function quotaPeriod(quota: Pick<QuotaSettings, 'period' | 'offset'>, now: number): { start: number; end: number } {
  const today = utcMidnight(now);
  if (quota.period === 'DAY') return { start: today, end: today + DAY_MS };
  if (quota.period === 'WEEK') {
    const weekday = new Date(today).getUTCDay();
    const start = today - ((weekday - quota.offset + 7) % 7) * DAY_MS;
    return { start, end: start + 7 * DAY_MS };
  }
  const d = new Date(today);
  const day = quota.offset + 1;
  let year = d.getUTCFullYear();
  let month = d.getUTCMonth();
  if (d.getUTCDate() < day) month -= 1;
  if (month < 0) {
    month = 11;
    year -= 1;
  }
  return { start: Date.UTC(year, month, day), end: Date.UTC(year, month + 1, day) };
}

/** "2026-11-30": the UTC day of an instant, as usage is kept and reported (get-usage dates). */
export function utcDay(epochMs: number): string {
  return new Date(utcMidnight(epochMs)).toISOString().slice(0, 10);
}
