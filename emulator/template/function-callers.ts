/**
 * Who in the template can invoke each function, as far as the start report needs it: a function whose only callers
 * are API routes (or event sources that never run locally) is reached only if one of those is served, which the start
 * knows once its routes are built (start-gaps.ts). Anything else naming the function (a rule, a state machine, another
 * function's environment, a nested stack's Outputs...) may call it, so such a function is never claimed unreached.
 */
import type { RawResource } from './stack.js';

/** A function's callers when every one is an API route or an event that runs nowhere locally. */
export interface RouteOnlyCallers {
  /** The APIs (logical ids) whose routes or events name the function. */
  apis: string[];
  /** Its own events no local event source runs (`{ event: 'Fn.Readings', type: 'IoTRule' }`). */
  unrun: { event: string; type: string }[];
}

const API_TYPES = new Set(['AWS::Serverless::Api', 'AWS::Serverless::HttpApi', 'AWS::ApiGateway::RestApi', 'AWS::ApiGatewayV2::Api']);
/** Resources that name a function without ever invoking it: grants, its logs and alarms, its deployment. */
const NEVER_CALLS = ['AWS::Lambda::Permission', 'AWS::IAM::', 'AWS::Logs::', 'AWS::CloudWatch::', 'AWS::CodeDeploy::', 'AWS::Serverless::Connector'];
/** Function events the gateway serves as routes; SERVED_EVENTS run locally (services/local-events.ts and the rest). */
const ROUTE_EVENTS: Record<string, string> = { Api: 'RestApiId', HttpApi: 'ApiId' };
const IMPLICIT_API: Record<string, string> = { Api: 'ServerlessRestApi', HttpApi: 'ServerlessHttpApi' };
const SERVED_EVENTS = new Set(['SQS', 'DynamoDB', 'Kinesis', 'SNS', 'S3', 'EventBridgeRule', 'CloudWatchEvent', 'Schedule', 'ScheduleV2']);
/**
 * Where, inside an API, a function is no route's own integration: an authorizer runs for every route it guards, and a
 * stage variable's function is named by routes the report may not resolve.
 */
const INDIRECT_KEYS = new Set(['Auth', 'x-amazon-apigateway-authorizer', 'AuthorizerUri', 'Authorizers', 'StageVariables', 'Variables']);

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Whether `value` names `id` (Ref, Fn::GetAtt, `${id}` or `${id.Attr}` in a Fn::Sub) or the function's literal `name`. */
function names(value: unknown, id: string, name: string | undefined): boolean {
  if (typeof value === 'string') return value.includes(`\${${id}}`) || value.includes(`\${${id}.`) || (name !== undefined && value.includes(name));
  if (Array.isArray(value)) return value.some((v) => names(v, id, name));
  if (!isRecord(value)) return false;
  if (value.Ref === id) return true;
  const getAtt = value['Fn::GetAtt'];
  if ((Array.isArray(getAtt) && getAtt[0] === id) || (typeof getAtt === 'string' && getAtt.split('.')[0] === id)) return true;
  return Object.values(value).some((v) => names(v, id, name));
}

/** Whether `value` names the function under one of INDIRECT_KEYS. */
function namesIndirectly(value: unknown, id: string, name: string | undefined): boolean {
  if (Array.isArray(value)) return value.some((v) => namesIndirectly(v, id, name));
  if (!isRecord(value)) return false;
  return Object.entries(value).some(([key, v]) => (INDIRECT_KEYS.has(key) ? names(v, id, name) : namesIndirectly(v, id, name)));
}

/** The API a resource of API Gateway belongs to: itself, or the one its RestApiId/ApiId Refs; undefined when unknown. */
function apiOf(id: string, res: RawResource): string | undefined {
  if (API_TYPES.has(res.Type)) return id;
  const ref = res.Properties.RestApiId ?? res.Properties.ApiId;
  return isRecord(ref) && typeof ref.Ref === 'string' ? ref.Ref : undefined;
}

/** A function's own events: the APIs of its route events and its unrun ones, or undefined when one runs locally. */
function ownEvents(id: string, res: RawResource): RouteOnlyCallers | undefined {
  const events = isRecord(res.Properties.Events) ? res.Properties.Events : {};
  const out: RouteOnlyCallers = { apis: [], unrun: [] };
  for (const [eventId, event] of Object.entries(events)) {
    const type = isRecord(event) && typeof event.Type === 'string' ? event.Type : undefined;
    if (type === undefined || SERVED_EVENTS.has(type)) return undefined;
    const apiKey = ROUTE_EVENTS[type];
    if (apiKey === undefined) {
      out.unrun.push({ event: `${id}.${eventId}`, type });
      continue;
    }
    const ref = isRecord(event) && isRecord(event.Properties) ? event.Properties[apiKey] : undefined;
    const api = ref === undefined ? IMPLICIT_API[type] : isRecord(ref) && typeof ref.Ref === 'string' ? ref.Ref : undefined;
    if (api === undefined) return undefined;
    out.apis.push(api);
  }
  return out;
}

/**
 * The template's own functions (before SAM generates anything) whose every caller is an API route or an event that
 * runs nowhere locally, with those APIs and events. `nested`: a nested stack's Outputs may reach its parent's routes.
 */
export function routeOnlyFunctions(resources: Record<string, RawResource>, outputs: unknown, nested: boolean): Map<string, RouteOnlyCallers> {
  const found = new Map<string, RouteOnlyCallers>();
  for (const [id, res] of Object.entries(resources)) {
    if (res.Type !== 'AWS::Serverless::Function' && res.Type !== 'AWS::Lambda::Function') continue;
    const callers = ownEvents(id, res);
    if (callers === undefined) continue;
    const name = typeof res.Properties.FunctionName === 'string' ? res.Properties.FunctionName : undefined;
    if (nested && names(outputs, id, name)) continue;
    let other = false;
    for (const [otherId, caller] of Object.entries(resources)) {
      if (otherId === id || NEVER_CALLS.some((prefix) => caller.Type.startsWith(prefix)) || !names(caller.Properties, id, name)) continue;
      const api = caller.Type.startsWith('AWS::ApiGateway') || API_TYPES.has(caller.Type) ? apiOf(otherId, caller) : undefined;
      // An authorizer or a stage is no route; a resource of no known API may be anything.
      if (api !== undefined && !/::(?:Authorizer|Stage)$/.test(caller.Type) && !namesIndirectly(caller.Properties, id, name)) {
        callers.apis.push(api);
        continue;
      }
      other = true;
      break;
    }
    if (!other && (callers.apis.length > 0 || callers.unrun.length > 0)) found.set(id, { apis: [...new Set(callers.apis)], unrun: callers.unrun });
  }
  return found;
}
