/**
 * A stage's MethodSettings (CloudFormation `AWS::ApiGateway::Stage` / SAM `AWS::Serverless::Api`) resolved for one
 * method: throttling (R6.10, R6.13) and caching (R9.1, R9.2).
 */
import type { ApiSpec } from '../template/model.js';
import { templateBoolean, templateNumber } from './numbers.js';
import type { ThrottleLimit } from './token-bucket.js';

/** R6.11: the account-level limit, per region. */
export function accountLimit(region: string): ThrottleLimit {
  return ['af-south-1', 'eu-south-1'].includes(region) ? { rate: 2500, burst: 1250 } : { rate: 10_000, burst: 5000 };
}

export const DEFAULT_CACHE_TTL_SECONDS = 300;
export const MAX_CACHE_TTL_SECONDS = 3600;

export type UnauthorizedCacheControlStrategy = 'FAIL_WITH_403' | 'SUCCEED_WITH_RESPONSE_HEADER' | 'SUCCEED_WITHOUT_RESPONSE_HEADER';

export interface MethodSettingsFor {
  /** The stage's per-method throttle, when MethodSettings set one (R6.10 level 2). */
  throttle?: ThrottleLimit;
  /** Whether responses of this method are cached: the stage has a cache cluster and CachingEnabled applies (R9.2). */
  caching: boolean;
  ttlSeconds: number;
  requireAuthorizationForCacheControl: boolean;
  unauthorizedCacheControlHeaderStrategy: UnauthorizedCacheControlStrategy;
  /** Which MethodSettings entries applied, for the startup report ("/~1health GET", "/* *"). */
  sources: string[];
  /** The `*` method entry (label) whose CachingEnabled was passed over because this method is no GET (R9.2). */
  getOnlyCaching?: string;
}

/** `/~1tasks~1{taskId}` → `/tasks/{taskId}`, `/` → `/`, `/*` → `*` (R6.13: `/` is encoded as `~1`). */
export function decodeSettingPath(raw: string): string {
  if (raw === '/*' || raw === '*') return '*';
  const body = raw.startsWith('/') ? raw.slice(1) : raw;
  const decoded = body.replace(/~1/g, '/').replace(/~0/g, '~');
  // [AMBIGUOUS R6.13] an unencoded "/tasks" is read as the path it spells.
  return decoded.startsWith('/') ? decoded : `/${decoded}`;
}

interface Entry {
  path: string;
  method: string;
  raw: Record<string, unknown>;
  label: string;
}

function entries(api: ApiSpec): Entry[] {
  return api.methodSettings.map((raw) => {
    const path = decodeSettingPath(String(raw.ResourcePath ?? '/*'));
    const method = String(raw.HttpMethod ?? '*').toUpperCase();
    return { path, method, raw, label: `${String(raw.ResourcePath ?? '/*')} ${method}` };
  });
}

/**
 * The entries that apply to a method, most specific first: exact path + method, exact path + `*`, then `/*` + `*`.
 * [AMBIGUOUS] A field a specific entry leaves out is inherited from the less specific ones, as the console shows
 * per-method overrides "inherited from stage".
 */
function applicable(api: ApiSpec, method: string, resourcePath: string): Entry[] {
  const all = entries(api);
  const rank = (e: Entry): number => {
    if (e.path === resourcePath && e.method === method) return 0;
    if (e.path === resourcePath && e.method === '*') return 1;
    if (e.path === '*' && e.method === method) return 2;
    if (e.path === '*' && e.method === '*') return 3;
    return -1;
  };
  return all.filter((e) => rank(e) >= 0).sort((a, b) => rank(a) - rank(b));
}

function first<T>(list: Entry[], read: (e: Entry) => T | undefined): { value: T; entry: Entry } | undefined {
  for (const entry of list) {
    const value = read(entry);
    if (value !== undefined) return { value, entry };
  }
  return undefined;
}

/** What the stage's MethodSettings say for one method (`method` "GET"..., `resourcePath` the OpenAPI path). */
export function methodSettingsFor(api: ApiSpec, method: string, resourcePath: string, region: string, file: string): MethodSettingsFor {
  const list = applicable(api, method, resourcePath);
  const where = (e: Entry, field: string) => `${api.logicalId}.MethodSettings[${e.label}].${field}`;
  // A negative limit (-1) is how API Gateway shows "not set" for a method: it falls through to the next level.
  const num = (field: string, integer: boolean) => (e: Entry) => {
    const n = templateNumber(e.raw[field], file, where(e, field), { integer });
    return n === undefined || n < 0 ? undefined : n;
  };
  const rate = first(list, num('ThrottlingRateLimit', false));
  const burst = first(list, num('ThrottlingBurstLimit', true));
  const account = accountLimit(region);
  // A stage throttle with one field set takes the other from the account default, as GetStage reports it.
  const throttle = rate || burst ? { rate: rate?.value ?? account.rate, burst: burst?.value ?? account.burst } : undefined;
  let passedOver: string | undefined;
  const enabled = first(list, (e) => {
    const flag = templateBoolean(e.raw.CachingEnabled);
    // R9.2: a stage-wide (`*` method) CachingEnabled caches GET methods only; other verbs need their own entry.
    if (flag === true && e.method === '*' && method !== 'GET') {
      passedOver ??= e.label;
      return undefined;
    }
    return flag;
  });
  const ttl = first(list, (e) => templateNumber(e.raw.CacheTtlInSeconds, file, where(e, 'CacheTtlInSeconds'), { min: 0, max: MAX_CACHE_TTL_SECONDS, integer: true }));
  const requireAuth = first(list, (e) => templateBoolean(e.raw.RequireAuthorizationForCacheControl));
  const strategy = first(list, (e) => {
    const s = e.raw.UnauthorizedCacheControlHeaderStrategy;
    return s === 'FAIL_WITH_403' || s === 'SUCCEED_WITH_RESPONSE_HEADER' || s === 'SUCCEED_WITHOUT_RESPONSE_HEADER' ? s : undefined;
  });
  const ttlSeconds = ttl?.value ?? DEFAULT_CACHE_TTL_SECONDS;
  const used = [rate, burst, enabled, ttl].filter((x) => x !== undefined).map((x) => x.entry.label);
  return {
    ...(throttle ? { throttle } : {}),
    caching: api.cacheClusterEnabled && enabled?.value === true && ttlSeconds > 0,
    ttlSeconds,
    // [AMBIGUOUS R9.5] defaults are the console's: authorization required, ignore the header and add a warning.
    requireAuthorizationForCacheControl: requireAuth?.value ?? true,
    unauthorizedCacheControlHeaderStrategy: strategy?.value ?? 'SUCCEED_WITH_RESPONSE_HEADER',
    sources: [...new Set(used)],
    ...(passedOver && enabled === undefined && api.cacheClusterEnabled ? { getOnlyCaching: passedOver } : {}),
  };
}
