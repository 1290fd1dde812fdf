/** Function and state machine `Events: Type: Api` as the SAM translator reads them, and the Lambda permission it writes for a function's. */
import { TemplateError } from '../model.js';
import type { RawResource, Stack } from '../stack.js';
import { isJson, type Json } from './document.js';

/** SAM's logical id of the API that function Api events without RestApiId go to. */
export const IMPLICIT_API = 'ServerlessRestApi';

export interface ApiEvent {
  /** The function's logical id, or the state machine's when `stateMachine`. */
  functionId: string;
  /** An AWS::Serverless::StateMachine's event: SAM integrates it with Step Functions' StartExecution, not Lambda. */
  stateMachine?: boolean;
  eventId: string;
  /** Logical id of the AWS::Serverless::Api, or undefined when RestApiId is not a reference to this template. */
  apiId: string | undefined;
  /** The RestApiId as written (for the permission's SourceArn). */
  restApiId: unknown;
  path: string;
  method: string;
  auth: Json;
  properties: Json;
  /** Where the event is, for messages. */
  key: string;
}

/** The event types SAM accepts on an AWS::Serverless::StateMachine (an HttpApi event there makes it refuse the template). */
const STATE_MACHINE_EVENTS = new Set(['Api', 'Schedule', 'ScheduleV2', 'CloudWatchEvent', 'EventBridgeRule']);

/** Every `Api` event of every AWS::Serverless::Function and AWS::Serverless::StateMachine, in template order. */
export function apiEvents(stack: Stack): ApiEvent[] {
  const out: ApiEvent[] = [];
  for (const [functionId, res] of Object.entries(stack.resources)) {
    const stateMachine = res.Type === 'AWS::Serverless::StateMachine';
    if ((res.Type !== 'AWS::Serverless::Function' && !stateMachine) || !isJson(res.Properties.Events)) continue;
    for (const [eventId, event] of Object.entries(res.Properties.Events)) {
      if (stateMachine && isJson(event) && !STATE_MACHINE_EVENTS.has(String(event.Type))) {
        throw new TemplateError(stack.file, `Resources.${functionId}.Properties.Events.${eventId}.Type`, `Event Type is: ${String(event.Type)}; a state machine takes ${[...STATE_MACHINE_EVENTS].join(', ')} (SAM refuses this template)`);
      }
      if (!isJson(event) || event.Type !== 'Api') continue;
      const key = `Resources.${functionId}.Properties.Events.${eventId}.Properties`;
      const raw = isJson(event.Properties) ? event.Properties : {};
      // RestApiId stays as written: it may name an API of another stack (Fn::ImportValue) that is not resolvable here.
      const properties = stack.resolve({ ...raw, RestApiId: undefined }, key);
      if (!isJson(properties)) throw new TemplateError(stack.file, key, 'Properties should be a map.');
      const restApiId = raw.RestApiId ?? { Ref: IMPLICIT_API };
      const path = properties.Path;
      const method = properties.Method;
      if (typeof path !== 'string' || path === '') throw new TemplateError(stack.file, `${key}.Path`, 'is required (a string)');
      if (typeof method !== 'string' || method === '') throw new TemplateError(stack.file, `${key}.Method`, 'is required (a string)');
      if (properties.Auth !== undefined && !isJson(properties.Auth)) throw new TemplateError(stack.file, `${key}.Auth`, 'must be a map');
      out.push({ functionId, ...(stateMachine ? { stateMachine } : {}), eventId, apiId: apiLogicalId(restApiId), restApiId, path, method: method.toLowerCase(), auth: isJson(properties.Auth) ? properties.Auth : {}, properties, key });
    }
  }
  return out;
}

/** The event types SAM's translator knows (its eventsources' resource_type). */
export const FUNCTION_EVENTS = ['AlexaSkill', 'Api', 'CloudWatchEvent', 'CloudWatchLogs', 'Cognito', 'DocumentDB', 'DynamoDB', 'EventBridgeRule', 'HttpApi', 'IoTRule', 'Kinesis', 'MQ', 'MSK', 'S3', 'SNS', 'SQS', 'Schedule', 'ScheduleV2', 'SelfManagedKafka'];

/** What an event is when SAM refuses it as none, in the translator's words; undefined for an event it reads. */
function refusal(eventId: string, event: unknown): { what: string; words: string } | undefined {
  if (!isJson(event)) return { what: Array.isArray(event) ? 'a list' : JSON.stringify(event), words: "Type of property 'Events' is invalid." };
  if (event.Type !== undefined && FUNCTION_EVENTS.includes(String(event.Type))) return undefined;
  const given = event.Type === undefined ? 'None' : String(event.Type);
  const meant = FUNCTION_EVENTS.find((t) => t.toLowerCase() === given.toLowerCase());
  return { what: event.Type === undefined ? 'a map without Type' : `Type ${given}${meant ? ` (${meant} is meant: the type is case-sensitive)` : ', no event type of SAM'}`, words: `Event with id [${eventId}] is invalid. Resource dict has missing or invalid value for key Type. Event Type is: ${given}.` };
}

/**
 * A function's events SAM refuses as no event at all: a value that is no map (a `Policies:` list indented under
 * Events), a map without a Type, a Type SAM does not know (`API`). Nothing is served for them; each is named with the
 * translator's own words. (A state machine's are refused by apiEvents.)
 */
export function unreadEvents(stack: Stack): string[] {
  const out: string[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if ((res.Type !== 'AWS::Serverless::Function' && res.Type !== 'AWS::Serverless::StateMachine') || !isJson(res.Properties.Events)) continue;
    for (const [eventId, event] of Object.entries(res.Properties.Events)) {
      const refused = refusal(eventId, event);
      if (refused) out.push(`Resources.${id}.Properties.Events.${eventId}: ${refused.what}, no event: SAM refuses the template (Resource with id [${id}] is invalid. ${refused.words}); nothing is served for it here`);
    }
  }
  return out;
}

/** RestApiId names an API of this template when it is `Ref: X` or the plain logical id. */
function apiLogicalId(restApiId: unknown): string | undefined {
  if (typeof restApiId === 'string') return restApiId;
  return isJson(restApiId) && typeof restApiId.Ref === 'string' && Object.keys(restApiId).length === 1 ? restApiId.Ref : undefined;
}

/**
 * The AWS::Lambda::Permission SAM writes for an Api event: any stage, the event's method (`*` for ANY)
 * and its path with every `{param}` / `{proxy+}` as `*` and no trailing slash.
 */
export function eventPermission(event: ApiEvent, stageSuffix: string): [string, RawResource] {
  const path = event.path.replace(/^(.+)\/$/, '$1').replace(/\{([a-zA-Z0-9._-]+|[a-zA-Z0-9._-]+\+|proxy\+)\}/g, '*');
  const method = event.method === 'any' ? '*' : event.method.toUpperCase();
  const sourceArn = {
    'Fn::Sub': [`arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${__ApiId__}/\${__Stage__}/${method}${path}`, { __ApiId__: event.restApiId, __Stage__: '*' }],
  };
  const properties = { Action: 'lambda:InvokeFunction', FunctionName: { Ref: event.functionId }, Principal: 'apigateway.amazonaws.com', SourceArn: sourceArn };
  return [`${event.functionId}${event.eventId}Permission${stageSuffix}`, { Type: 'AWS::Lambda::Permission', Properties: properties }];
}

/** The permission SAM writes for a Lambda authorizer (any authorizer of the API may invoke it). */
export function authorizerPermission(api: string, name: string, functionArn: unknown): [string, RawResource] {
  const sourceArn = { 'Fn::Sub': ['arn:aws:execute-api:${AWS::Region}:${AWS::AccountId}:${__ApiId__}/authorizers/*', { __ApiId__: { Ref: api } }] };
  const properties = { Action: 'lambda:InvokeFunction', FunctionName: functionArn, Principal: 'apigateway.amazonaws.com', SourceArn: sourceArn };
  return [`${api}${name}AuthorizerPermission`, { Type: 'AWS::Lambda::Permission', Properties: properties }];
}

/**
 * The role SAM writes for a state machine's Api event (`<Machine><Event>Role`), which API Gateway starts executions
 * with: created here so that `!GetAtt` of it resolves (roles are not evaluated locally).
 */
export function stateMachineEventRole(event: ApiEvent): [string, RawResource] {
  const statement = { Action: 'states:StartExecution', Effect: 'Allow', Resource: { Ref: event.functionId } };
  const properties = {
    AssumeRolePolicyDocument: { Version: '2012-10-17', Statement: [{ Action: ['sts:AssumeRole'], Effect: 'Allow', Principal: { Service: ['apigateway.amazonaws.com'] } }] },
    Policies: [{ PolicyName: `${event.functionId}${event.eventId}RoleStartExecutionPolicy`, PolicyDocument: { Statement: [statement] } }],
  };
  return [`${event.functionId}${event.eventId}Role`, { Type: 'AWS::IAM::Role', Properties: properties }];
}
