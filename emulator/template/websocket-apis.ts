/**
 * WebSocket APIs: AWS::ApiGatewayV2::Api with ProtocolType WEBSOCKET and its Route, Integration, Authorizer,
 * RouteResponse and Stage resources (plain CloudFormation, or what sam-websocket-api.ts generated from SAM's
 * AWS::Serverless::WebSocketApi).
 * AWS Developer Guide, "WebSocket APIs" (websocket-api-develop-routes, -integrations, -lambda-auth, -route-response).
 */
import { TemplateError, type HttpApiNote } from './model.js';
import { restApiIdFor, type Stack } from './stack.js';
import { apiOrReported, type ApiRefusals } from './per-api.js';
import { routeTarget } from './route-target.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
type Json = Record<string, unknown>;

const V2 = 'AWS::ApiGatewayV2::';
/** API Gateway's default and longest integration timeout for WebSocket APIs (50 ms to 29 s). */
export const WEBSOCKET_INTEGRATION_TIMEOUT_MS = 29_000;

export interface WebSocketIntegrationSpec {
  /** AWS_PROXY, AWS, MOCK, HTTP or HTTP_PROXY. */
  type: string;
  uri: string;
  timeoutMs: number;
  /** CredentialsArn: API Gateway invokes with this role, so no resource-based permission is needed. */
  credentials?: string;
  /** AWS (non-proxy) integrations: IntegrationMethod, RequestTemplates by selection key, TemplateSelectionExpression, RequestParameters. */
  method?: string;
  requestTemplates?: Record<string, string>;
  templateSelectionExpression?: string;
  requestParameters?: Record<string, string>;
  /** Its IntegrationResponse resources (AWS integrations of two-way routes map their answer with them). */
  responses?: WebSocketIntegrationResponse[];
  location: string;
}

export interface WebSocketIntegrationResponse {
  /** `$default` or a `/regex/` matched against the service's status code (or a function's error message). */
  key: string;
  templates?: Record<string, string>;
  templateSelectionExpression?: string;
}

export interface WebSocketRouteSpec {
  routeKey: string;
  integration?: WebSocketIntegrationSpec;
  authorizationType: 'NONE' | 'CUSTOM' | 'AWS_IAM';
  authorizer?: string;
  apiKeyRequired: boolean;
  /** The route has a RouteResponse (two-way): the integration's answer is sent back to the client. */
  twoWay: boolean;
  location: string;
  /** A Target that names no integration (routeTarget): the route is not emulated, whatever its key. */
  targetProblem?: string;
}

export interface WebSocketAuthorizerSpec {
  name: string;
  /** The REQUEST authorizer's Lambda invocation URI. */
  uri: string;
  /** `route.request.header.Auth`, `route.request.querystring.token`, `stageVariables.x`, `context.x`. */
  identitySource: string[];
  credentials?: string;
  location: string;
}

export interface WebSocketStageSpec {
  name: string;
  stageVariables: Record<string, string>;
}

export interface WebSocketApiSpec {
  logicalId: string;
  apiId: string;
  /** `$request.body.action` (the JSON path after `$request.body`), or a constant such as `$default`. */
  routeSelectionExpression: string;
  stages: WebSocketStageSpec[];
  routes: WebSocketRouteSpec[];
  authorizers: Record<string, WebSocketAuthorizerSpec>;
  notes: HttpApiNote[];
  source: string;
}

/** Whether an AWS::ApiGatewayV2::Api is a WebSocket API. */
export function isWebSocketApi(props: Json): boolean {
  return String(props.ProtocolType ?? '').toUpperCase() === 'WEBSOCKET';
}

/** The template's WebSocket APIs; one that cannot be read is reported and not served (per-api.ts). */
export function loadWebSocketApis(stack: Stack, refusals: ApiRefusals): WebSocketApiSpec[] {
  return Object.entries(stack.resources).flatMap(([id, res]) => {
    if (res.Type !== `${V2}Api`) return [];
    const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Json;
    if (!isWebSocketApi(props)) return [];
    return apiOrReported(id, refusals, () => webSocketApi(stack, id, props)) ?? [];
  });
}

interface Children {
  routes: [string, Json][];
  integrations: Map<string, Json>;
  authorizers: [string, Json][];
  stages: [string, Json][];
  routeResponses: Json[];
  integrationResponses: Json[];
}

function childrenOf(stack: Stack, apiId: string, notes: HttpApiNote[]): Children {
  const out: Children = { routes: [], integrations: new Map(), authorizers: [], stages: [], routeResponses: [], integrationResponses: [] };
  for (const [id, res] of Object.entries(stack.resources)) {
    if (!res.Type.startsWith(V2) || res.Type === `${V2}Api`) continue;
    const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Json;
    if (props.ApiId !== apiId) continue;
    const kind = res.Type.slice(V2.length);
    const location = `Resources.${id}`;
    if (kind === 'Route') out.routes.push([id, props]);
    else if (kind === 'Integration') out.integrations.set(id, props);
    else if (kind === 'Authorizer') out.authorizers.push([id, props]);
    else if (kind === 'Stage') out.stages.push([id, props]);
    else if (kind === 'RouteResponse') out.routeResponses.push(props);
    else if (kind === 'Deployment') notes.push({ subject: res.Type, location, status: 'ignored', detail: 'every stage serves the template as it is' });
    else if (kind === 'IntegrationResponse') out.integrationResponses.push(props);
    else if (kind === 'Model') notes.push({ subject: res.Type, location, status: 'ignored', detail: 'request models are not validated' });
    else notes.push({ subject: res.Type, location, status: 'not-emulated', detail: 'no effect on the locally served API' });
  }
  return out;
}

function webSocketApi(stack: Stack, id: string, props: Json): WebSocketApiSpec {
  const key = `Resources.${id}.Properties`;
  const expression = props.RouteSelectionExpression;
  if (typeof expression !== 'string' || expression === '') throw new TemplateError(stack.file, `${key}.RouteSelectionExpression`, 'is required for a WebSocket API');
  const apiId = restApiIdFor(id);
  const notes: HttpApiNote[] = [];
  const children = childrenOf(stack, apiId, notes);
  unapplied('Api', props, key, notes);
  for (const [sid, p] of children.stages) unapplied('Stage', p, `Resources.${sid}.Properties`, notes);
  if (props.ApiKeySelectionExpression !== undefined) notes.push({ subject: 'ApiKeySelectionExpression', location: key, status: 'ignored', detail: 'API keys are not required of WebSocket routes locally' });
  if (props.Body !== undefined || props.BodyS3Location !== undefined) notes.push({ subject: 'Body', location: key, status: 'not-emulated', detail: 'a WebSocket API cannot be imported from OpenAPI: only its Route resources are served' });
  const authorizers = Object.fromEntries(children.authorizers.map(([aid, p]) => [aid, authorizerSpec(stack, aid, p, notes)]));
  const twoWay = new Set(children.routeResponses.map((r) => String(r.RouteId ?? '')));
  const routes = children.routes.map(([rid, p]) => routeSpec(stack, rid, p, children, authorizers, twoWay.has(rid), notes));
  const seen = new Set<string>();
  for (const route of routes) {
    if (seen.has(route.routeKey)) throw new TemplateError(stack.file, `${route.location}.RouteKey`, `route ${route.routeKey} is declared twice`);
    seen.add(route.routeKey);
  }
  const stages = children.stages.map(([, p]) => stageSpec(stack, p));
  if (!stages.length) notes.push({ subject: 'Stage', location: key, status: 'not-emulated', detail: 'no AWS::ApiGatewayV2::Stage: nothing can connect' });
  return { logicalId: id, apiId, routeSelectionExpression: expression, stages, routes, authorizers, notes, source: `${stack.file}#/Resources/${id}` };
}

const STAGE_SETTINGS = 'throttling, logging and metrics of WebSocket routes are not applied locally';
/** Properties that change nothing locally, by resource, and why: the report lists each one a template sets. */
const UNAPPLIED: Record<'Api' | 'Stage' | 'Route' | 'Integration', Record<string, string>> = {
  Api: { DisableSchemaValidation: 'request models are not validated', DisableExecuteApiEndpoint: 'the local endpoint is always served' },
  Stage: { AccessLogSettings: 'access logs of WebSocket stages are not written', DefaultRouteSettings: STAGE_SETTINGS, RouteSettings: STAGE_SETTINGS, ClientCertificateId: 'no client certificates locally' },
  Route: { RequestParameters: 'required route parameters are not checked', RequestModels: 'request models are not validated', ModelSelectionExpression: 'request models are not validated' },
  Integration: {
    ContentHandlingStrategy: 'messages reach the integration as the client sent them (a binary frame base64 encoded)',
    PassthroughBehavior: 'a message no request template matches is passed through as it is',
    ConnectionType: 'integrations reach this machine, never a VPC link',
  },
};

function unapplied(kind: keyof typeof UNAPPLIED, props: Json, location: string, notes: HttpApiNote[]): void {
  for (const [name, why] of Object.entries(UNAPPLIED[kind])) {
    if (props[name] === undefined || (name === 'ConnectionType' && props[name] === 'INTERNET')) continue;
    notes.push({ subject: name, location, status: 'ignored', detail: why });
  }
}

function stringMap(record: Json): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

function stageSpec(stack: Stack, p: Json): WebSocketStageSpec {
  const vars = isRecord(p.StageVariables) ? p.StageVariables : {};
  return { name: String(p.StageName ?? ''), stageVariables: Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])) };
}

/** A Lambda ARN (what V2 integrations often give) as the invocation URI API Gateway stores. */
function invocationUri(stack: Stack, uri: unknown): string {
  const text = typeof uri === 'string' ? uri : '';
  return /^arn:[^:]+:lambda:/.test(text) ? `arn:aws:apigateway:${stack.opts.region}:lambda:path/2015-03-31/functions/${text}/invocations` : text;
}

function routeSpec(stack: Stack, id: string, p: Json, children: Children, authorizers: Record<string, WebSocketAuthorizerSpec>, twoWay: boolean, notes: HttpApiNote[]): WebSocketRouteSpec {
  const key = `Resources.${id}.Properties`;
  const routeKey = String(p.RouteKey ?? '');
  if (!routeKey) throw new TemplateError(stack.file, `${key}.RouteKey`, 'is required');
  const route: WebSocketRouteSpec = { routeKey, authorizationType: 'NONE', apiKeyRequired: p.ApiKeyRequired === true || p.ApiKeyRequired === 'true', twoWay, location: key };
  unapplied('Route', p, key, notes);
  const { integration: target, problem } = routeTarget(p.Target);
  if (problem) route.targetProblem = problem;
  if (target !== undefined) {
    const raw = children.integrations.get(target);
    if (!raw) throw new TemplateError(stack.file, `${key}.Target`, `names no AWS::ApiGatewayV2::Integration of this API (${target})`);
    unapplied('Integration', raw, `Resources.${target}.Properties`, notes);
    const timeout = raw.TimeoutInMillis === undefined ? WEBSOCKET_INTEGRATION_TIMEOUT_MS : Number(raw.TimeoutInMillis);
    if (!Number.isInteger(timeout) || timeout < 50 || timeout > WEBSOCKET_INTEGRATION_TIMEOUT_MS) {
      throw new TemplateError(stack.file, `Resources.${target}.Properties.TimeoutInMillis`, 'must be an integer from 50 to 29000 for a WebSocket API');
    }
    route.integration = {
      type: String(raw.IntegrationType ?? '').toUpperCase(),
      uri: invocationUri(stack, raw.IntegrationUri),
      timeoutMs: timeout,
      ...(typeof raw.CredentialsArn === 'string' && raw.CredentialsArn ? { credentials: raw.CredentialsArn } : {}),
      ...(typeof raw.IntegrationMethod === 'string' ? { method: raw.IntegrationMethod.toUpperCase() } : {}),
      ...(isRecord(raw.RequestTemplates) ? { requestTemplates: stringMap(raw.RequestTemplates) } : {}),
      ...(typeof raw.TemplateSelectionExpression === 'string' ? { templateSelectionExpression: raw.TemplateSelectionExpression } : {}),
      ...(isRecord(raw.RequestParameters) ? { requestParameters: stringMap(raw.RequestParameters) } : {}),
      responses: children.integrationResponses.filter((r) => r.IntegrationId === target).map((r) => ({
        key: String(r.IntegrationResponseKey ?? '$default'),
        ...(isRecord(r.ResponseTemplates) ? { templates: stringMap(r.ResponseTemplates) } : {}),
        ...(typeof r.TemplateSelectionExpression === 'string' ? { templateSelectionExpression: r.TemplateSelectionExpression } : {}),
      })),
      location: `Resources.${target}.Properties`,
    };
  }
  const type = String(p.AuthorizationType ?? 'NONE').toUpperCase();
  if (type === 'CUSTOM') {
    const name = String(p.AuthorizerId ?? '');
    if (!authorizers[name]) throw new TemplateError(stack.file, `${key}.AuthorizerId`, 'names no AWS::ApiGatewayV2::Authorizer of this API');
    route.authorizationType = 'CUSTOM';
    route.authorizer = name;
  } else if (type === 'AWS_IAM') route.authorizationType = 'AWS_IAM';
  else if (type !== 'NONE') throw new TemplateError(stack.file, `${key}.AuthorizationType`, 'must be NONE, AWS_IAM or CUSTOM for a WebSocket API');
  if (route.authorizationType !== 'NONE' && routeKey !== '$connect') throw new TemplateError(stack.file, `${key}.AuthorizationType`, 'only the $connect route of a WebSocket API can have an authorizer');
  if (route.apiKeyRequired) notes.push({ subject: 'ApiKeyRequired', location: key, status: 'ignored', detail: 'API keys are not checked on WebSocket routes locally' });
  return route;
}

function authorizerSpec(stack: Stack, id: string, p: Json, notes: HttpApiNote[]): WebSocketAuthorizerSpec {
  const key = `Resources.${id}.Properties`;
  const type = String(p.AuthorizerType ?? '').toUpperCase();
  if (type !== 'REQUEST') throw new TemplateError(stack.file, `${key}.AuthorizerType`, 'must be REQUEST for a WebSocket API');
  const sources = Array.isArray(p.IdentitySource) ? p.IdentitySource.map(String) : typeof p.IdentitySource === 'string' ? p.IdentitySource.split(',').map((s) => s.trim()) : [];
  for (const source of sources) {
    if (!/^(route\.request\.(header|querystring)\.[^.\s]+|stageVariables\.[^.\s]+|context\.[^\s]+)$/.test(source)) {
      throw new TemplateError(stack.file, `${key}.IdentitySource`, `${source} is not route.request.header.<name>, route.request.querystring.<name>, stageVariables.<name> or context.<name>`);
    }
  }
  if (p.AuthorizerResultTtlInSeconds !== undefined) notes.push({ subject: 'AuthorizerResultTtlInSeconds', location: key, status: 'ignored', detail: 'WebSocket authorizers run once per connection' });
  return {
    name: id,
    uri: invocationUri(stack, p.AuthorizerUri),
    identitySource: sources,
    ...(typeof p.AuthorizerCredentialsArn === 'string' && p.AuthorizerCredentialsArn ? { credentials: p.AuthorizerCredentialsArn } : {}),
    location: key,
  };
}
