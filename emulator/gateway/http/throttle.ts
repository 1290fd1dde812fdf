/** Stage throttling of an HTTP API (H11.2): one token bucket per route, route settings over stage defaults. */
import type { HttpStageSpec, HttpThrottleSettings } from '../../template/model.js';

/** H11.1: the account's limits bound a setting that is left out (neither is enforced when both are). */
const ACCOUNT_BURST = 5_000;
const ACCOUNT_RATE = 10_000;

interface Bucket {
  tokens: number;
  updatedMs: number;
}

/** Token buckets on an injectable clock (no timers: tokens are computed from elapsed time). */
export class StageThrottle {
  private readonly buckets = new Map<string, Bucket>();

  constructor(
    private readonly stage: HttpStageSpec,
    private readonly now: () => number,
  ) {}

  /** The limits that apply to a route key: its RouteSettings, else DefaultRouteSettings. */
  limits(routeKey: string): HttpThrottleSettings {
    return { ...this.stage.defaultThrottle, ...(this.stage.routeThrottle[routeKey] ?? {}) };
  }

  /** H11.1: take one token; false means 429. Burst is the bucket size, rate its refill per second. */
  take(routeKey: string): boolean {
    const { burstLimit, rateLimit } = this.limits(routeKey);
    if (burstLimit === undefined && rateLimit === undefined) return true;
    const size = burstLimit ?? ACCOUNT_BURST;
    const rate = rateLimit ?? ACCOUNT_RATE;
    const now = this.now();
    const bucket = this.buckets.get(routeKey) ?? { tokens: size, updatedMs: now };
    const elapsed = Math.max(0, now - bucket.updatedMs) / 1000;
    const refilled = Math.min(size, elapsed > 0 ? bucket.tokens + elapsed * rate : bucket.tokens);
    const allowed = refilled >= 1;
    this.buckets.set(routeKey, { tokens: allowed ? refilled - 1 : refilled, updatedMs: now });
    return allowed;
  }
}
