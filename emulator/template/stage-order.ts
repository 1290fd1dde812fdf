/**
 * A usage plan, an API key's StageKeys and a base path mapping name a REST API's stage, which must exist when
 * CloudFormation creates them. The stage is a resource of its own (the Stage SAM generates for an AWS::Serverless::Api,
 * `<Api><StageName>Stage`; a RestApi's Stage or Deployment with a StageName) and a stage *name* orders nothing, so
 * without a DependsOn or a reference CloudFormation may create them first and fail (SAM's issues #32, #192, #1669; the
 * fix SAM documents: DependsOn the generated stage, or `Stage: !Ref <Api>.Stage`). Locally every stage exists from the
 * start, so the order is only said.
 */
import { createdBefore } from './deployment-order.js';
import { samStageLogicalId } from './sam-generated.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** [list property or '', API id key, stage key, what CloudFormation answers] per resource type naming a stage. */
const STAGE_USERS: Record<string, [string, string, string, string]> = {
  'AWS::ApiGateway::UsagePlan': ['ApiStages', 'ApiId', 'Stage', 'API Stage not found'],
  'AWS::ApiGateway::ApiKey': ['StageKeys', 'RestApiId', 'StageName', 'Invalid stage identifier specified'],
  'AWS::ApiGateway::BasePathMapping': ['', 'RestApiId', 'Stage', 'Invalid stage identifier specified'],
};

type Resolve = (value: unknown, key: string) => unknown;

/** The resources that make stage `stage` of REST API `api`, by logical id; [] when none of the template does. */
function stageMakers(resources: Record<string, unknown>, api: string, stage: string, resolve: Resolve): string[] {
  const apiRes = resources[api];
  const sam = api === 'ServerlessRestApi' && apiRes === undefined ? {} : isRecord(apiRes) && apiRes.Type === 'AWS::Serverless::Api' ? apiRes.Properties : undefined;
  if (sam !== undefined) {
    // StageName is no Globals property of Api (SAM refuses it there); the implicit API's stage is Prod.
    const raw = isRecord(sam) && sam.StageName !== undefined ? sam.StageName : api === 'ServerlessRestApi' ? 'Prod' : undefined;
    return raw !== undefined && resolve(raw, `Resources.${api}.Properties.StageName`) === stage ? [samStageLogicalId(api, raw, false)] : [];
  }
  if (!isRecord(apiRes) || apiRes.Type !== 'AWS::ApiGateway::RestApi') return [];
  return Object.entries(resources)
    .filter(([, r]) => isRecord(r) && (r.Type === 'AWS::ApiGateway::Stage' || r.Type === 'AWS::ApiGateway::Deployment') && isRecord(r.Properties) && isRecord(r.Properties.RestApiId) && r.Properties.RestApiId.Ref === api)
    .filter(([id, r]) => resolve((r as { Properties: Record<string, unknown> }).Properties.StageName, `Resources.${id}.Properties.StageName`) === stage)
    .map(([id]) => id);
}

/** One warning per stage a usage plan, API key or base path mapping names without CloudFormation ordering it first. */
export function stagesCreatedAfterUsers(resources: Record<string, unknown>, resolve: Resolve): string[] {
  const warnings: string[] = [];
  for (const [id, res] of Object.entries(resources)) {
    const kind = isRecord(res) ? STAGE_USERS[res.Type as string] : undefined;
    if (!kind || !isRecord(res) || !isRecord(res.Properties)) continue;
    const [list, apiKey, stageKey, failure] = kind;
    const entries = list === '' ? [res.Properties] : Array.isArray(res.Properties[list]) ? (res.Properties[list] as unknown[]) : [];
    const generated = new Set<string>();
    const before = createdBefore(resources, id, generated);
    entries.forEach((entry, i) => {
      if (!isRecord(entry) || !isRecord(entry[apiKey]) || typeof (entry[apiKey] as Record<string, unknown>).Ref !== 'string') return;
      const api = (entry[apiKey] as Record<string, string>).Ref as string;
      // `!Ref <Api>.Stage` names SAM's stage: the reference orders it.
      if (isRecord(entry[stageKey]) && entry[stageKey].Ref === `${api}.Stage`) return;
      const where = `Resources.${id}.Properties.${list === '' ? '' : `${list}[${i}].`}${stageKey}`;
      let stage: unknown;
      try {
        stage = resolve(entry[stageKey], where);
      } catch {
        return; // an unresolvable stage is reported where the resource is read
      }
      if (typeof stage !== 'string') return;
      const makers = stageMakers(resources, api, stage, resolve);
      if (makers.length === 0 || makers.some((m) => before.has(m) || generated.has(m))) return;
      const fix = resources[makers[0] as string] === undefined && makers.length === 1 ? `DependsOn: ${makers[0]}, or ${stageKey}: !Ref ${api}.Stage` : `DependsOn: ${makers[0]}`;
      warnings.push(
        `${where}: names stage ${stage} of ${api} without depending on ${makers.join(' or ')}, the resource that creates it (${fix}): CloudFormation may create ${id} first, and the deploy fails with "${failure}"; served here as if created after it`,
      );
    });
  }
  return warnings;
}
