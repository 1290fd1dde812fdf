/**
 * API Gateway's throttling and quotas for one API stage (R6.5, R6.7-R6.17): token buckets at every level, in the
 * order API Gateway applies them (R6.10), and the usage plan's quota per key.
 */
import { GatewayError } from '../gateway/gateway-responses.js';
import type { LimitsHook } from '../gateway/hooks.js';
import type { RequestState } from '../gateway/request-state.js';
import { listOperations, type OperationRoute } from '../gateway/routes.js';
import type { SupportItem } from '../gateway/types.js';
import { planStageOf, type ApiKeyRecord, type ApiKeyRegistry, type UsagePlanRecord } from '../identity/api-keys.js';
import type { ApiSpec, LoadedTemplate } from '../template/model.js';
import type { Clock } from './clock.js';
import { accountLimit, methodSettingsFor } from './method-settings.js';
import { describeThrottle, planMethodKey } from './plan-limits.js';
import { TokenBucket, type ThrottleLimit } from './token-bucket.js';
import type { UsageMeter } from './usage.js';

/** What every API of one emulator shares: the clock, the account's bucket (R6.11), per-key buckets and usage (R6.7). */
export class AccountLimits {
  readonly account: TokenBucket;
  private readonly buckets = new Map<string, TokenBucket>();

  constructor(
    readonly clock: Clock,
    readonly usage: UsageMeter,
    region: string,
  ) {
    this.account = new TokenBucket(accountLimit(region), clock.now());
  }

  /** The bucket with this id, created full on first use. */
  bucket(id: string, limit: ThrottleLimit): TokenBucket {
    let found = this.buckets.get(id);
    if (!found) {
      found = new TokenBucket(limit, this.clock.now());
      this.buckets.set(id, found);
    }
    return found;
  }
}

interface Level {
  bucket: TokenBucket;
  what: string;
}

/** The limits of one API stage, plugged into its pipeline as the LimitsHook. */
export class StageLimits implements LimitsHook {
  private readonly keysById: Map<string, ApiKeyRecord>;
  private readonly stageBuckets = new Map<string, TokenBucket | null>();

  constructor(
    private readonly api: ApiSpec,
    private readonly template: LoadedTemplate,
    private readonly registry: ApiKeyRegistry,
    private readonly shared: AccountLimits,
  ) {
    this.keysById = new Map(registry.keys.map((k) => [k.id, k]));
    // Read every method's settings now, so that a bad MethodSettings value stops the start, not a request.
    for (const op of listOperations(api.openapi)) this.stageBucket(op);
  }

  /**
   * R6.10 in order: usage-plan method throttle, plan (per-key) throttle, stage method throttle, account. The quota
   * is checked first and throttling next. [AMBIGUOUS R6.17] A request refused by either is not counted; a request
   * throttled at one level takes no token from the others.
   */
  admit(state: RequestState, route: OperationRoute, keyRequired: boolean): GatewayError | undefined {
    const now = this.shared.clock.now();
    const levels: Level[] = [];
    // R6.5: only key-required methods are metered by the key's usage plan.
    const metered = keyRequired ? this.meteredPlan(state) : undefined;
    if (metered) {
      const { plan, key } = metered;
      if (plan.quota && this.shared.usage.usedInPeriod(plan.id, key.id, plan.quota) >= plan.quota.limit) {
        return new GatewayError('QUOTA_EXCEEDED', { log: `QUOTA_EXCEEDED: key ${key.logicalId} used its quota of usage plan ${plan.logicalId} (${plan.quota.limit}/${plan.quota.period})` });
      }
      const methodKey = planMethodKey(route.resourcePath, route.method);
      const methodLimit = planStageOf(plan, this.stageRef())?.methodThrottles.get(methodKey);
      // R6.7: buckets are per key and plan, so all the plan's stages share them; method buckets are per API stage.
      if (methodLimit) levels.push({ bucket: this.shared.bucket(`${plan.id}|${key.id}|${this.api.restApiId}/${this.api.stageName}|${methodKey}`, methodLimit), what: `usage plan ${plan.logicalId} method ${methodKey} for key ${key.logicalId}` });
      if (plan.throttle) levels.push({ bucket: this.shared.bucket(`${plan.id}|${key.id}`, plan.throttle), what: `usage plan ${plan.logicalId} for key ${key.logicalId}` });
    }
    const stage = this.stageBucket(route);
    if (stage) levels.push({ bucket: stage, what: `stage ${this.api.stageName} MethodSettings for ${route.method} ${route.resourcePath}` });
    levels.push({ bucket: this.shared.account, what: 'the account' });
    const empty = levels.find((l) => !l.bucket.hasToken(now));
    if (empty) return new GatewayError('THROTTLED', { log: `THROTTLED by ${empty.what} (${describeThrottle(empty.bucket.limit)})` });
    for (const level of levels) level.bucket.take();
    if (metered) this.shared.usage.count(metered.plan.id, metered.key.id);
    return undefined;
  }

  /** Startup-report items: the stage's method throttles and the account limit, all enforced. */
  support(): SupportItem[] {
    const where = `${this.api.logicalId} stage ${this.api.stageName}`;
    const items: SupportItem[] = [];
    if (this.api.methodSettings.length > 0) {
      items.push({ subject: 'MethodSettings', location: where, status: 'emulated', detail: 'throttling and caching enforced; LoggingLevel, MetricsEnabled and DataTraceEnabled ignored (no CloudWatch locally)' });
    }
    for (const op of listOperations(this.api.openapi)) {
      const settings = methodSettingsFor(this.api, op.method, op.resourcePath, this.template.region, this.template.path);
      if (settings.throttle) {
        items.push({ subject: `MethodSettings throttling ${op.method} ${op.resourcePath}`, location: where, status: 'emulated', detail: `${describeThrottle(settings.throttle)} per method (from ${settings.sources.join(', ')})` });
      }
    }
    items.push({ subject: 'account throttling', location: this.template.region, status: 'emulated', detail: `${describeThrottle(accountLimit(this.template.region))} shared by every API (R6.11)` });
    return items;
  }

  private stageRef() {
    return { restApiId: this.api.restApiId, apiLogicalId: this.api.logicalId, stage: this.api.stageName };
  }

  private meteredPlan(state: RequestState): { plan: UsagePlanRecord; key: ApiKeyRecord } | undefined {
    const key = state.apiKey ? this.keysById.get(state.apiKey.id) : undefined;
    const plan = key ? this.registry.planFor(key, this.stageRef()) : undefined;
    return key && plan ? { plan, key } : undefined;
  }

  /** R6.10 level 2: one bucket per method of the stage, shared by every client (null: no stage throttle). */
  private stageBucket(route: OperationRoute): TokenBucket | null {
    const id = `${route.method} ${route.resourcePath}`;
    let found = this.stageBuckets.get(id);
    if (found === undefined) {
      const settings = methodSettingsFor(this.api, route.method, route.resourcePath, this.template.region, this.template.path);
      found = settings.throttle ? new TokenBucket(settings.throttle, this.shared.clock.now()) : null;
      this.stageBuckets.set(id, found);
    }
    return found;
  }
}
