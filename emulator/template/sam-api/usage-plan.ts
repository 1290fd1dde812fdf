/** SAM `Auth.UsagePlan` → the AWS::ApiGateway::UsagePlan, ApiKey and UsagePlanKey resources SAM generates. */
import { TemplateError } from '../model.js';
import type { RawResource } from '../stack.js';
import { isJson, type Json } from './document.js';

const PLAN_PROPERTIES = ['UsagePlanName', 'Description', 'Quota', 'Tags', 'Throttle'];

/** SHARED plans collect every API that asks for one into ServerlessUsagePlan / ServerlessApiKey. */
export class UsagePlans {
  private readonly shared = { apiStages: [] as Json[], stageKeys: [] as Json[] };
  readonly resources: Record<string, RawResource> = {};

  /** Adds the resources for one API's Auth.UsagePlan; the stage is referenced as `<Api>.Stage` (its stage name). */
  add(api: string, usagePlan: unknown, file: string): void {
    if (usagePlan === undefined) return;
    const key = `Resources.${api}.Properties.Auth.UsagePlan`;
    if (!isJson(usagePlan)) throw new TemplateError(file, key, "'UsagePlan' must be a dictionary");
    const allowed = ['CreateUsagePlan', ...PLAN_PROPERTIES];
    if (Object.keys(usagePlan).some((k) => !allowed.includes(k))) throw new TemplateError(file, key, "Invalid property for 'UsagePlan'");
    const mode = usagePlan.CreateUsagePlan;
    if (mode === undefined) throw new TemplateError(file, key, "'CreateUsagePlan' is a required field for UsagePlan.");
    if (!['SHARED', 'PER_API', 'NONE'].includes(String(mode))) throw new TemplateError(file, key, "'CreateUsagePlan' accepts one of ['SHARED', 'PER_API', 'NONE'].");
    if (mode === 'NONE') return;
    const apiStage = { ApiId: { Ref: api }, Stage: { Ref: `${api}.Stage` } };
    const stageKey = { RestApiId: { Ref: api }, StageName: { Ref: `${api}.Stage` } };
    const [plan, apiKey, planKey] = mode === 'SHARED' ? ['ServerlessUsagePlan', 'ServerlessApiKey', 'ServerlessUsagePlanKey'] : [`${api}UsagePlan`, `${api}ApiKey`, `${api}UsagePlanKey`];
    let apiStages: Json[] = [apiStage];
    let stageKeys: Json[] = [stageKey];
    if (mode === 'SHARED') {
      this.shared.apiStages.push(apiStage);
      this.shared.stageKeys.push(stageKey);
      apiStages = this.shared.apiStages;
      stageKeys = this.shared.stageKeys;
    }
    const planProps: Json = { ApiStages: apiStages };
    for (const name of PLAN_PROPERTIES) if (usagePlan[name]) planProps[name] = usagePlan[name];
    this.resources[plan] = { Type: 'AWS::ApiGateway::UsagePlan', Properties: planProps };
    this.resources[apiKey] = { Type: 'AWS::ApiGateway::ApiKey', Properties: { Enabled: true, StageKeys: stageKeys } };
    this.resources[planKey] = { Type: 'AWS::ApiGateway::UsagePlanKey', Properties: { KeyId: { Ref: apiKey }, KeyType: 'API_KEY', UsagePlanId: { Ref: plan } } };
  }
}

/**
 * `<Api>.ApiKey`, `<Api>.UsagePlan`, `<Api>.UsagePlanKey` (SAM's referenceable properties): the logical id of what
 * the API's Auth.UsagePlan generated (`<Api>ApiKey` with PER_API, `ServerlessApiKey` with SHARED), '' when it
 * generated none (SAM then resolves nothing; with `refuse`, that error is thrown instead), undefined when `name` is no
 * such property of an AWS::Serverless::Api.
 */
export function usagePlanPiece(resources: Record<string, RawResource>, name: string, refuse?: (message: string) => Error): string | undefined {
  const match = /^(.+)\.(ApiKey|UsagePlan|UsagePlanKey)$/.exec(name);
  if (!match || resources[match[1] as string]?.Type !== 'AWS::Serverless::Api') return undefined;
  const [, api, piece] = match as unknown as [string, string, string];
  if (resources[`${api}${piece}`]?.Type === `AWS::ApiGateway::${piece}`) return `${api}${piece}`;
  const stageKeys = resources.ServerlessApiKey?.Properties.StageKeys;
  const shares = Array.isArray(stageKeys) && stageKeys.some((k) => isJson(k) && isJson(k.RestApiId) && k.RestApiId.Ref === api);
  if (shares && resources[`Serverless${piece}`]) return `Serverless${piece}`;
  if (refuse) throw refuse(`${name}: SAM generates an ${piece} only for Auth.UsagePlan with CreateUsagePlan PER_API or SHARED, and ${api} has none`);
  return '';
}
