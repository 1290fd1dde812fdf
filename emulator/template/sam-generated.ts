/**
 * Resources SAM's transform generates and a template may name with Ref or Fn::GetAtt though it never writes them:
 * the stage of an API, the EventBridge rule of a function's or state machine's event.
 */
import { createHash } from 'node:crypto';
import type { Stack } from './stack.js';
import { ruleBusName } from './ref-values.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The logical id of the stage SAM generates for API `id` from its StageName as written (`raw`). As the SAM translator
 * names it: a literal alphanumeric StageName gives `<Api><StageName>Stage`, an HttpApi's `$default` (its default)
 * `<Api>ApiGatewayDefaultStage`, any other literal `<Api>Stage` and the first 10 hex digits of the name's SHA-1, an
 * intrinsic `<Api>Stage`.
 */
export function samStageLogicalId(id: string, raw: unknown, http: boolean): string {
  if (typeof raw === 'string' && /^[A-Za-z0-9]+$/.test(raw)) return `${id}${raw}Stage`;
  if (http && (raw === undefined || raw === '$default')) return `${id}ApiGatewayDefaultStage`;
  if (typeof raw === 'string' && raw !== '') return `${id}Stage${createHash('sha1').update(raw).digest('hex').slice(0, 10)}`;
  return `${id}Stage`;
}

/** The stage SAM generates for an API, by its logical id (samStageLogicalId); Ref gives its name. */
export function samStageName(stack: Stack, name: string): string | undefined {
  const apis: [string, unknown, boolean][] = [['ServerlessRestApi', 'Prod', false], ['ServerlessHttpApi', '$default', true]];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Serverless::Api' || res.Type === 'AWS::Serverless::HttpApi') apis.push([id, res.Properties.StageName, res.Type === 'AWS::Serverless::HttpApi']);
  }
  for (const [id, raw, http] of apis) {
    if (!name.startsWith(id) || name !== samStageLogicalId(id, raw, http)) continue;
    const stage = raw === undefined ? (http ? '$default' : undefined) : stack.resolve(raw, `Resources.${id}.Properties.StageName`);
    if (typeof stage === 'string') return stage;
  }
  return undefined;
}

const RULE_EVENTS = new Set(['EventBridgeRule', 'CloudWatchEvent', 'Schedule']);

/**
 * The name of the rule SAM generates for event `eventId` of `id`: its RuleName (EventBridgeRule, CloudWatchEvent) or
 * Name (Schedule), else the one CloudFormation gives the resource `<id><eventId>`, the stack's name before it.
 */
export function samRuleName(stack: Stack, id: string, eventId: string, props: Record<string, unknown>, type: unknown): string {
  const given = type === 'Schedule' ? props.Name : props.RuleName;
  return typeof given === 'string' ? given : `${stack.opts.stackName}-${id}${eventId}`;
}

/**
 * The AWS::Events::Rule SAM generates, `<Resource><Event>`, for an EventBridgeRule, CloudWatchEvent or Schedule event
 * of a function or state machine: its name and its bus ('' for the default bus, as a Schedule's always is).
 */
export function samEventRule(stack: Stack, name: string): { name: string; bus: string } | undefined {
  for (const [id, res] of Object.entries(stack.resources)) {
    if ((res.Type !== 'AWS::Serverless::Function' && res.Type !== 'AWS::Serverless::StateMachine') || !name.startsWith(id) || !isRecord(res.Properties.Events)) continue;
    const event = res.Properties.Events[name.slice(id.length)];
    if (!isRecord(event) || !RULE_EVENTS.has(event.Type as string)) continue;
    const eventId = name.slice(id.length);
    const props = stack.resolve(isRecord(event.Properties) ? event.Properties : {}, `Resources.${id}.Properties.Events.${eventId}.Properties`) as Record<string, unknown>;
    return { name: samRuleName(stack, id, eventId, props, event.Type), bus: event.Type === 'Schedule' ? '' : ruleBusName(props.EventBusName) };
  }
  return undefined;
}
