/**
 * The deploy settings of the CDK stack: template.yaml's Parameters with the same defaults and the
 * same constraints, given at synth time (`npx cdk deploy -c enableWaf=true`) because CDK resolves
 * them into the template instead of deferring them to CloudFormation parameters.
 */
export const LOG_LEVELS = ['DEBUG', 'INFO', 'WARN', 'ERROR'] as const;
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 180, 365] as const;

export interface TaskApiSettings {
  /** API Gateway stage name (first path segment of the invoke URL). */
  stageName: string;
  /** The one origin browsers may call the API from (CORS). */
  allowedOrigin: string;
  logLevel: (typeof LOG_LEVELS)[number];
  /** Stage-wide steady-state requests per second, per method. */
  throttlingRateLimit: number;
  /** Stage-wide burst, per method. */
  throttlingBurstLimit: number;
  /** Provision the stage cache; only GET /health is cached (it does not depend on the caller). */
  enableCaching: boolean;
  cacheTtlSeconds: number;
  /** Associate a WAFv2 web ACL (managed rules and a per-IP rate limit) with the stage. */
  enableWaf: boolean;
  wafRateLimitPer5Min: number;
  logRetentionDays: (typeof LOG_RETENTION_DAYS)[number];
}

export const DEFAULT_SETTINGS: TaskApiSettings = {
  stageName: 'v1',
  allowedOrigin: 'http://localhost:5173',
  logLevel: 'INFO',
  throttlingRateLimit: 100,
  throttlingBurstLimit: 200,
  enableCaching: false,
  cacheTtlSeconds: 60,
  enableWaf: false,
  wafRateLimitPer5Min: 2000,
  logRetentionDays: 30,
};

/** Thrown for a setting outside template.yaml's AllowedPattern / AllowedValues / MinValue / MaxValue. */
export class SettingsError extends Error {}

const fail = (name: string, value: unknown, rule: string): never => {
  throw new SettingsError(`setting ${name}=${JSON.stringify(value)}: ${rule}`);
};

function asNumber(name: string, value: unknown): number {
  const n = typeof value === 'number' ? value : typeof value === 'string' && value.trim() !== '' ? Number(value) : NaN;
  return Number.isFinite(n) ? n : fail(name, value, 'must be a number');
}

function asBoolean(name: string, value: unknown): boolean {
  if (value === true || value === 'true') return true;
  if (value === false || value === 'false') return false;
  return fail(name, value, "must be 'true' or 'false'");
}

function oneOf<T>(name: string, value: T, allowed: readonly T[]): T {
  return allowed.includes(value) ? value : fail(name, value, `must be one of ${allowed.join(', ')}`);
}

function atLeast(name: string, value: number, min: number, max = Infinity): number {
  return value >= min && value <= max ? value : fail(name, value, `must be between ${min} and ${max}`);
}

/**
 * Settings from `-c name=value` context strings (or typed values), checked as CloudFormation checks
 * template.yaml's parameters; unknown names are refused so that a typo never deploys a default.
 */
export function settingsFrom(given: Record<string, unknown>): TaskApiSettings {
  const unknown = Object.keys(given).filter((k) => !(k in DEFAULT_SETTINGS));
  if (unknown.length > 0) throw new SettingsError(`unknown setting(s) ${unknown.join(', ')}; known: ${Object.keys(DEFAULT_SETTINGS).join(', ')}`);
  const v = { ...DEFAULT_SETTINGS, ...given } as Record<keyof TaskApiSettings, unknown>;
  const stageName = String(v.stageName);
  if (!/^[A-Za-z0-9_-]{1,128}$/.test(stageName)) fail('stageName', stageName, 'must match ^[A-Za-z0-9_-]{1,128}$');
  const allowedOrigin = String(v.allowedOrigin);
  // The origin is written into the API's header mappings between single quotes (R13.4).
  if (!/^(\*|https?:\/\/[A-Za-z0-9.-]+(:[0-9]{1,5})?)$/.test(allowedOrigin)) fail('allowedOrigin', allowedOrigin, "must be '*' or scheme://host[:port]");
  return {
    stageName,
    allowedOrigin,
    logLevel: oneOf('logLevel', String(v.logLevel) as TaskApiSettings['logLevel'], LOG_LEVELS),
    throttlingRateLimit: asNumber('throttlingRateLimit', v.throttlingRateLimit),
    throttlingBurstLimit: asNumber('throttlingBurstLimit', v.throttlingBurstLimit),
    enableCaching: asBoolean('enableCaching', v.enableCaching),
    cacheTtlSeconds: atLeast('cacheTtlSeconds', asNumber('cacheTtlSeconds', v.cacheTtlSeconds), 0, 3600),
    enableWaf: asBoolean('enableWaf', v.enableWaf),
    wafRateLimitPer5Min: atLeast('wafRateLimitPer5Min', asNumber('wafRateLimitPer5Min', v.wafRateLimitPer5Min), 100),
    logRetentionDays: oneOf('logRetentionDays', asNumber('logRetentionDays', v.logRetentionDays) as TaskApiSettings['logRetentionDays'], LOG_RETENTION_DAYS),
  };
}
