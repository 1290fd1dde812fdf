/**
 * API keys and usage plans as API Gateway holds them (section 6): built from the template's
 * AWS::ApiGateway::ApiKey / UsagePlan / UsagePlanKey resources, checked per request (R6.4). Each plan's throttle
 * and quota are enforced by emulator/limits/ (R6.7-R6.17).
 */
import { describeQuota, describeThrottle, parseMethodThrottles, parseQuota, parseThrottle, type PlanLimits } from '../limits/plan-limits.js';
import type { ThrottleLimit } from '../limits/token-bucket.js';
import { TemplateError, type IdentityResources } from '../template/model.js';
import { apiKeyIdFor, randomToken, refersTo, usagePlanIdFor } from './local-ids.js';
import type { LocalState } from './local-state.js';
import { invalidApiKey, type IdentityAllowed, type IdentityDenied } from './outcome.js';

export interface ApiKeyRecord {
  logicalId: string;
  id: string;
  name: string;
  value: string;
  enabled: boolean;
  /** Where the value comes from, for the startup report. */
  valueSource: 'template' | 'local';
}

export interface UsagePlanRecord extends PlanLimits {
  logicalId: string;
  id: string;
  name: string;
  /** Each API stage of the plan with its per-method throttles keyed "/path/METHOD" (R6.12). */
  apiStages: { apiId: string; stage: string; methodThrottles: Map<string, ThrottleLimit> }[];
  keyLogicalIds: string[];
  /** "throttle rate 10/s burst 20", "quota 1000/MONTH" ... for the startup report. */
  limits: string[];
}

/** What identifies an API stage in a usage plan: the RestApi id (or, leniently, its logical id) and the stage. */
export interface ApiStageRef {
  restApiId: string;
  apiLogicalId?: string;
  stage: string;
}

export interface ApiKeyCheckInput {
  source: 'HEADER' | 'AUTHORIZER';
  /** The `X-API-Key` header value (HEADER source). */
  headerValue?: string | null;
  /** The authorizer's `usageIdentifierKey` (AUTHORIZER source). */
  authorizerUsageKey?: string | null;
  restApiId: string;
  /** Also accepted as ApiStages[].ApiId, in case a reference to the API was left as its logical id. */
  apiLogicalId?: string;
  stage: string;
}

export type ApiKeyOutcome = (IdentityAllowed & { apiKey: NonNullable<IdentityAllowed['apiKey']> }) | IdentityDenied;

/** The parts of a LoadedTemplate the identity modules read. */
export interface TemplateIdentity {
  identity: IdentityResources;
  /** template.yaml, for error messages. */
  path: string;
  accountId: string;
}

const MIN_KEY_LENGTH = 20;
const MAX_KEY_LENGTH = 128;
const GENERATED_KEY_LENGTH = 40;

/** The API keys and usage plans of one template, with their local values. */
export class ApiKeyRegistry {
  private constructor(
    readonly keys: ApiKeyRecord[],
    readonly plans: UsagePlanRecord[],
  ) {}

  /** Build keys and plans from the template; values come from the template or the local folder (R6.6). */
  static fromTemplate(template: TemplateIdentity, state: LocalState): ApiKeyRegistry {
    const { identity, path, accountId } = template;
    const keys = identity.apiKeys.map((k) => toKey(k.logicalId, k.properties, state, path, accountId));
    assertUniqueValues(keys, path);
    const plans = identity.usagePlans.map((p) => toPlan(p.logicalId, p.properties, path, accountId));
    for (const link of identity.usagePlanKeys) attachKey(link, keys, plans, path);
    assertOnePlanPerStage(keys, plans, path);
    return new ApiKeyRegistry(keys, plans);
  }

  /** API Gateway's key check for a key-required method: 403 INVALID_API_KEY unless valid for this stage (R6.3, R6.4). */
  checkApiKey(input: ApiKeyCheckInput): ApiKeyOutcome {
    const value = input.source === 'HEADER' ? input.headerValue : input.authorizerUsageKey;
    if (!value) return invalidApiKey(`no API key (source ${input.source})`);
    const key = this.keys.find((k) => k.value === value);
    if (!key) return invalidApiKey('unknown API key');
    if (!key.enabled) return invalidApiKey(`API key ${key.logicalId} is disabled`);
    const plan = this.planFor(key, input);
    if (!plan) return invalidApiKey(`API key ${key.logicalId} is in no usage plan for ${input.restApiId}/${input.stage}`);
    return { ok: true, apiKey: { value: key.value, id: key.id, usagePlanId: plan.id } };
  }

  /** The usage plan that holds `key` for this API stage (R6.6: at most one). */
  planFor(key: ApiKeyRecord, stage: ApiStageRef): UsagePlanRecord | undefined {
    return this.plans.find((p) => p.keyLogicalIds.includes(key.logicalId) && planStageOf(p, stage) !== undefined);
  }

  /**
   * Each usage plan's logical id → its local API key value (an array when the plan has several keys); `stack` is a
   * nested stack's path (`Child/`), put before each logical id as its resources are named.
   */
  keyValuesByPlan(stack = ''): Record<string, string | string[]> {
    const out: Record<string, string | string[]> = {};
    for (const plan of this.plans) {
      const values = plan.keyLogicalIds.map((id) => this.keys.find((k) => k.logicalId === id)?.value ?? '');
      if (values.length === 1) out[`${stack}${plan.logicalId}`] = values[0] as string;
      else if (values.length > 1) out[`${stack}${plan.logicalId}`] = values;
    }
    return out;
  }

  /**
   * Startup-report lines, one per API key of a usage plan (a key in no plan is accepted by no method, as in API
   * Gateway): the key's logical id, its local value, and the plans it is in, each key once whatever its plans.
   * `stack` as keyValuesByPlan's.
   */
  keyLines(stack = ''): string[] {
    const plansOf = new Map<string, string[]>();
    for (const plan of this.plans) for (const id of plan.keyLogicalIds) plansOf.set(id, [...(plansOf.get(id) ?? []), plan.logicalId]);
    return this.keys
      .filter((key) => plansOf.has(key.logicalId))
      .map((key) => {
        const plans = plansOf.get(key.logicalId)!;
        return `${stack}${key.logicalId}: ${key.value} (usage plan${plans.length > 1 ? 's' : ''} ${plans.map((p) => `${stack}${p}`).join(', ')}${key.enabled ? '' : '; disabled: refused'})`;
      });
  }

  /** Startup-report lines: plans, their keys, and their throttle/quota (6.3, 6.4), all enforced; `stack` as keyValuesByPlan's. */
  summary(stack = ''): string[] {
    return this.plans.map((p) => {
      const keys = p.keyLogicalIds
        .map((id) => this.keys.find((k) => k.logicalId === id))
        .map((k) => (k ? `${stack}${k.logicalId}${k.enabled ? '' : ' (disabled)'}` : '?'))
        .join(', ');
      const stages = p.apiStages.map((s) => `${s.apiId}/${s.stage}`).join(', ') || 'no API stage';
      const limits = p.limits.length ? `${p.limits.join(', ')}: EMULATED (enforced per key across all stages of the plan, R6.7)` : 'no limits';
      return `usage plan ${stack}${p.logicalId} [${stages}] keys: ${keys || 'none'}; ${limits}`;
    });
  }
}

/** The plan's entry for an API stage, if the plan names it. */
export function planStageOf(plan: UsagePlanRecord, stage: ApiStageRef): UsagePlanRecord['apiStages'][number] | undefined {
  return plan.apiStages.find((s) => (s.apiId === stage.restApiId || s.apiId === stage.apiLogicalId) && s.stage === stage.stage);
}

function toKey(logicalId: string, props: Record<string, unknown>, state: LocalState, file: string, accountId: string): ApiKeyRecord {
  const where = `Resources.${logicalId}.Properties`;
  const templateValue = props.Value;
  if (templateValue !== undefined && typeof templateValue !== 'string') {
    throw new TemplateError(file, `${where}.Value`, 'must be a string');
  }
  if (typeof templateValue === 'string' && (templateValue.length < MIN_KEY_LENGTH || templateValue.length > MAX_KEY_LENGTH)) {
    throw new TemplateError(file, `${where}.Value`, `API key value must be ${MIN_KEY_LENGTH}-${MAX_KEY_LENGTH} characters (R6.6)`);
  }
  const value = templateValue ?? state.getOrCreate('api-keys', logicalId, () => randomToken(GENERATED_KEY_LENGTH));
  return {
    logicalId,
    id: apiKeyIdFor(logicalId, accountId),
    name: typeof props.Name === 'string' ? props.Name : logicalId,
    value,
    // CloudFormation's default for AWS::ApiGateway::ApiKey Enabled is false (SAM's generated keys set true).
    enabled: props.Enabled === true || props.Enabled === 'true',
    valueSource: templateValue === undefined ? 'local' : 'template',
  };
}

function toPlan(logicalId: string, props: Record<string, unknown>, file: string, accountId: string): UsagePlanRecord {
  const base = `Resources.${logicalId}.Properties`;
  const where = `${base}.ApiStages`;
  const raw = props.ApiStages ?? [];
  if (!Array.isArray(raw)) throw new TemplateError(file, where, 'must be a list of {ApiId, Stage}');
  const limits: string[] = [];
  const apiStages = raw.map((entry: unknown, i) => {
    const s = (entry ?? {}) as Record<string, unknown>;
    if (typeof s.ApiId !== 'string' || typeof s.Stage !== 'string') {
      throw new TemplateError(file, `${where}[${i}]`, 'ApiId and Stage must resolve to strings');
    }
    const methodThrottles = parseMethodThrottles(s.Throttle, file, `${where}[${i}].Throttle`);
    for (const [method, t] of methodThrottles) limits.push(`${s.Stage} ${method} ${describeThrottle(t)}`);
    return { apiId: s.ApiId, stage: s.Stage, methodThrottles };
  });
  const throttle = parseThrottle(props.Throttle, file, `${base}.Throttle`);
  const quota = parseQuota(props.Quota, file, `${base}.Quota`);
  if (throttle) limits.unshift(describeThrottle(throttle));
  if (quota) limits.push(describeQuota(quota));
  const name = typeof props.UsagePlanName === 'string' ? props.UsagePlanName : logicalId;
  return {
    logicalId,
    id: usagePlanIdFor(logicalId, accountId),
    name,
    apiStages,
    keyLogicalIds: [],
    limits,
    ...(throttle ? { throttle } : {}),
    ...(quota ? { quota } : {}),
  };
}

function attachKey(
  link: { logicalId: string; properties: Record<string, unknown> },
  keys: ApiKeyRecord[],
  plans: UsagePlanRecord[],
  file: string,
): void {
  const where = `Resources.${link.logicalId}.Properties`;
  const keyType = link.properties.KeyType ?? 'API_KEY';
  if (keyType !== 'API_KEY') throw new TemplateError(file, `${where}.KeyType`, 'only API_KEY is supported');
  const key = keys.find((k) => refersTo(link.properties.KeyId, k.logicalId, [k.id]));
  if (!key) throw new TemplateError(file, `${where}.KeyId`, 'names no AWS::ApiGateway::ApiKey of this template');
  const plan = plans.find((p) => refersTo(link.properties.UsagePlanId, p.logicalId, [p.id]));
  if (!plan) throw new TemplateError(file, `${where}.UsagePlanId`, 'names no AWS::ApiGateway::UsagePlan of this template');
  if (!plan.keyLogicalIds.includes(key.logicalId)) plan.keyLogicalIds.push(key.logicalId);
}

function assertUniqueValues(keys: ApiKeyRecord[], file: string): void {
  const seen = new Map<string, string>();
  for (const k of keys) {
    const other = seen.get(k.value);
    if (other) throw new TemplateError(file, `Resources.${k.logicalId}.Properties.Value`, `same value as ${other}; API key values are unique (R6.6)`);
    seen.set(k.value, k.logicalId);
  }
}

function assertOnePlanPerStage(keys: ApiKeyRecord[], plans: UsagePlanRecord[], file: string): void {
  for (const key of keys) {
    const stages = new Map<string, string>();
    for (const plan of plans.filter((p) => p.keyLogicalIds.includes(key.logicalId))) {
      for (const s of plan.apiStages) {
        const id = `${s.apiId}/${s.stage}`;
        const other = stages.get(id);
        if (other) {
          throw new TemplateError(file, `Resources.${key.logicalId}`, `in usage plans ${other} and ${plan.logicalId} for the same API stage ${id} (R6.6)`);
        }
        stages.set(id, plan.logicalId);
      }
    }
  }
}
