/** Stage throttling of an HTTP API (H11.2): one token bucket per route, route settings over stage defaults. */
import { accountLimit } from '../../limits/method-settings.js';
import { TokenBucket } from '../../limits/token-bucket.js';
import type { HttpStageSpec, HttpThrottleSettings } from '../../template/model.js';

/** H11.1: the account's limits bound a setting that is left out (neither is enforced when both are). */
const ACCOUNT = accountLimit('us-east-1');

/** Token buckets on an injectable clock (no timers: tokens are computed from elapsed time). */
export class StageThrottle {
  private readonly buckets = new Map<string, TokenBucket>();

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
    const now = this.now();
    let bucket = this.buckets.get(routeKey);
    if (!bucket) {
      bucket = new TokenBucket({ rate: rateLimit ?? ACCOUNT.rate, burst: burstLimit ?? ACCOUNT.burst }, now);
      this.buckets.set(routeKey, bucket);
    }
    if (!bucket.hasToken(now)) return false;
    bucket.take();
    return true;
  }
}
