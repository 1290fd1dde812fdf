/**
 * Usage-plan usage per key and UTC day (what `aws apigateway get-usage` reports), kept in the local folder like the
 * API key values so that quotas survive a restart (R6.14). Counts live in memory and are written behind: at most
 * once a second while requests arrive, and on close.
 */
import type { LocalState } from '../identity/local-state.js';
import type { Clock } from './clock.js';
import type { QuotaSettings } from './plan-limits.js';
import { quotaPeriod, utcDay } from './quota-period.js';

/** planId → keyId → "YYYY-MM-DD" → requests counted that day. */
export type UsageData = Record<string, Record<string, Record<string, number>>>;

/** get-usage serves the last 90 days; older days are dropped when usage is written. */
const KEEP_DAYS = 90;
const FLUSH_DELAY_MS = 1000;

function isCounts(value: unknown): value is Record<string, number> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && Object.values(value).every((n) => Number.isInteger(n) && (n as number) >= 0);
}

/** Reads the usage store, keeping only well-formed entries (a hand-edited file cannot crash the gateway). */
export function readUsage(state: LocalState): UsageData {
  const out: UsageData = {};
  for (const [plan, keys] of Object.entries(state.read('usage'))) {
    if (typeof keys !== 'object' || keys === null) continue;
    for (const [key, days] of Object.entries(keys as Record<string, unknown>)) {
      if (isCounts(days)) (out[plan] ??= {})[key] = { ...days };
    }
  }
  return out;
}

/** Requests counted per plan, key and day; the quota check reads it (R6.15). */
export class UsageMeter {
  private readonly data: UsageData;
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly state: LocalState,
    private readonly clock: Clock,
  ) {
    this.data = readUsage(state);
  }

  /** Requests counted for the key in the quota period that contains now. */
  usedInPeriod(planId: string, keyId: string, quota: Pick<QuotaSettings, 'period' | 'offset'>): number {
    const days = this.data[planId]?.[keyId];
    if (!days) return 0;
    const { start } = quotaPeriod(quota, this.clock.now());
    const first = utcDay(start);
    let used = 0;
    for (const [day, n] of Object.entries(days)) if (day >= first) used += n;
    return used;
  }

  /** Counts one request for the key today. */
  count(planId: string, keyId: string): void {
    const days = ((this.data[planId] ??= {})[keyId] ??= {});
    const day = utcDay(this.clock.now());
    days[day] = (days[day] ?? 0) + 1;
    this.timer ??= setTimeout(() => this.flushInBackground(), FLUSH_DELAY_MS).unref();
  }

  /** The counts as kept (for `npm run usage` and tests). */
  snapshot(): UsageData {
    return structuredClone(this.data);
  }

  /** A write-behind that fails (folder removed, disk full) is reported, never thrown into the event loop. */
  private flushInBackground(): void {
    try {
      this.flush();
    } catch (error) {
      console.error(`usage: could not write ${this.state.fileOf('usage')}: ${(error as Error).message}`);
    }
  }

  /** Writes the counts to the local folder now (the emulator calls it on close). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    const oldest = utcDay(this.clock.now() - KEEP_DAYS * 86_400_000);
    for (const keys of Object.values(this.data)) {
      for (const days of Object.values(keys)) for (const day of Object.keys(days)) if (day < oldest) delete days[day];
    }
    this.state.write('usage', this.data);
  }
}
