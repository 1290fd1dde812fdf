/**
 * Plain CloudFormation HTTP APIs (what CDK and hand-written templates use): AWS::ApiGatewayV2::Api with
 * ProtocolType HTTP, its Body or its Route/Integration/Authorizer resources, and its Stage resources (H0.1, H3.1).
 */
import { authorizerSpec, checkIntegrationQuota, formatVersion, importHttpApiDocument, integrationSpec, MISSING_PAYLOAD_VERSION, readCors, stringList } from './http-api-document.js';
import {
  TemplateError,
  type AccessLogSpec,
  type HttpApiNote,
  type HttpApiSpec,
  type HttpAuthorizerSpec,
  type HttpRouteSpec,
  type HttpStageSpec,
  type HttpThrottleSettings,
  type OpenApiDocument,
} from './model.js';
import { restApiIdFor, type Stack } from './stack.js';
import { apiOrReported, type ApiRefusals } from './per-api.js';
import { accessLogSetting, s3Document } from './apis.js';
import { isWebSocketApi } from './websocket-apis.js';
import { routeTarget } from './route-target.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
type Json = Record<string, unknown>;

const V2 = 'AWS::ApiGatewayV2::';
/** ApiGatewayV2 resource types with no local effect, and why. */
const OTHER_TYPES: Record<string, HttpApiNote['status']> = {
  [`${V2}VpcLink`]: 'not-emulated',
  [`${V2}Deployment`]: 'ignored',
  [`${V2}RouteResponse`]: 'ignored',
  [`${V2}IntegrationResponse`]: 'ignored',
  [`${V2}Model`]: 'ignored',
};

/** Stage props (StageName, StageVariables, DefaultRouteSettings, RouteSettings) → HttpStageSpec (H1.3, H11.2, H11.4). */
export function stageSpec(stack: Stack, raw: Json, key: string, notes: HttpApiNote[]): HttpStageSpec {
  const props = stack.resolve(raw, key) as Json;
  const name = String(props.StageName ?? '$default');
  const vars = isRecord(props.StageVariables) ? props.StageVariables : {};
  const defaults = isRecord(props.DefaultRouteSettings) ? props.DefaultRouteSettings : {};
  const routes = isRecord(props.RouteSettings) ? props.RouteSettings : {};
  const location = `${key} (stage ${name})`;
  const routeThrottle: Record<string, HttpThrottleSettings> = {};
  for (const [routeKey, settings] of Object.entries(routes)) if (isRecord(settings)) routeThrottle[routeKey] = throttleOf(settings, `${location} RouteSettings.${routeKey}`, notes);
  if (Object.keys(vars).length) notes.push({ subject: 'StageVariables', location, status: 'emulated', detail: 'in events and identity sources' });
  for (const name of ['AutoDeploy', 'Tags']) {
    if (props[name] !== undefined) notes.push({ subject: name, location, status: 'ignored', detail: 'no effect on requests served locally' });
  }
  const accessLog = accessLogSetting(props.AccessLogSettings);
  if (props.AccessLogSettings !== undefined) notes.push(accessLogNote(accessLog, location));
  return {
    name,
    stageVariables: Object.keys(vars).length ? Object.fromEntries(Object.entries(vars).map(([k, v]) => [k, String(v)])) : null,
    defaultThrottle: throttleOf(defaults, `${location} DefaultRouteSettings`, notes),
    routeThrottle,
    ...(accessLog ? { accessLog } : {}),
  };
}

/** H11.5: how the report shows an access log setting (one without a Format writes nothing). */
function accessLogNote(accessLog: AccessLogSpec | undefined, location: string): HttpApiNote {
  return accessLog
    ? { subject: 'AccessLogSettings', location, status: 'emulated', detail: `each request's line (its Format's $context variables) in the request log, under ${accessLog.destinationArn}` }
    : { subject: 'AccessLogSettings', location, status: 'ignored', detail: 'no Format: nothing is logged' };
}

function throttleOf(settings: Json, location: string, notes: HttpApiNote[]): HttpThrottleSettings {
  const out: HttpThrottleSettings = {};
  if (settings.ThrottlingBurstLimit !== undefined) out.burstLimit = Number(settings.ThrottlingBurstLimit);
  if (settings.ThrottlingRateLimit !== undefined) out.rateLimit = Number(settings.ThrottlingRateLimit);
  if (out.burstLimit !== undefined || out.rateLimit !== undefined) notes.push({ subject: 'Throttling', location, status: 'emulated', detail: 'token bucket per route (H11.2)' });
  for (const name of ['DetailedMetricsEnabled', 'DataTraceEnabled', 'LoggingLevel']) {
    if (settings[name] !== undefined) notes.push({ subject: name, location, status: 'ignored', detail: 'metrics and logs are not emulated' });
  }
  return out;
}

/** A Lambda integration URI as API Gateway stores it; V2 resources often give the bare function ARN. */
function invocationUri(stack: Stack, uri: unknown): string {
  const text = typeof uri === 'string' ? uri : '';
  return /^arn:[^:]+:lambda:/.test(text) ? `arn:aws:apigateway:${stack.opts.region}:lambda:path/2015-03-31/functions/${text}/invocations` : text;
}

interface Children {
  routes: [string, Json][];
  integrations: Map<string, Json>;
  authorizers: [string, Json][];
  stages: [string, Json][];
}

function childrenOf(stack: Stack, apiId: string, notes: HttpApiNote[]): Children {
  const out: Children = { routes: [], integrations: new Map(), authorizers: [], stages: [] };
  for (const [id, res] of Object.entries(stack.resources)) {
    if (!res.Type.startsWith(V2) || res.Type === `${V2}Api`) continue;
    const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Json;
    // A domain name belongs to no API, and a mapping to the API it names (it may be a REST API).
    if (props.ApiId !== apiId) continue;
    const kind = res.Type.slice(V2.length);
    if (kind === 'Route') out.routes.push([id, props]);
    else if (kind === 'Integration') out.integrations.set(id, props);
    else if (kind === 'Authorizer') out.authorizers.push([id, props]);
    else if (kind === 'Stage') out.stages.push([id, props]);
    else if (kind === 'ApiMapping') notes.push({ subject: res.Type, location: `Resources.${id}`, status: 'not-emulated', detail: `custom domain mapping${typeof props.ApiMappingKey === 'string' && props.ApiMappingKey ? ` /${props.ApiMappingKey}` : ''}: not served; the API answers on its own local port (R11.4)` });
    else notes.push({ subject: res.Type, location: `Resources.${id}`, status: OTHER_TYPES[res.Type] ?? 'not-emulated', detail: 'no effect on the locally served API' });
  }
  return out;
}

/** AWS::ApiGatewayV2::Api (ProtocolType HTTP) with a Body and/or Route resources, served by its stages. */
export function plainHttpApis(stack: Stack, warnings: string[], refusals: ApiRefusals): HttpApiSpec[] {
  return Object.entries(stack.resources).flatMap(([id, res]) => (res.Type === `${V2}Api` ? (apiOrReported(id, refusals, () => plainHttpApi(stack, id, res.Properties, warnings)) ?? []) : []));
}

function plainHttpApi(stack: Stack, id: string, raw: Json, warnings: string[]): HttpApiSpec | undefined {
  const key = `Resources.${id}.Properties`;
  const props = stack.resolve(raw, key) as Json;
  // A WebSocket API is read by websocket-apis.ts.
  if (isWebSocketApi(props)) return undefined;
  if (props.ProtocolType !== undefined && props.ProtocolType !== 'HTTP') {
    warnings.push(`${key}.ProtocolType: ${String(props.ProtocolType)} APIs are not served (HTTP and WEBSOCKET only)`);
    return undefined;
  }
  const apiId = restApiIdFor(id);
  const notes: HttpApiNote[] = [];
  const children = childrenOf(stack, apiId, notes);
  const source = `${stack.file}#/Resources/${id}`;
  // A document on S3 is read when it is a CDK asset of this cloud assembly; otherwise the API has only its resources.
  const s3Body = props.Body === undefined && props.BodyS3Location !== undefined ? s3Document(stack, id, `${key}.BodyS3Location`) : undefined;
  if (props.BodyS3Location !== undefined && props.Body === undefined && !s3Body) warnings.push(`${key}.BodyS3Location: the document on S3 is not fetched; only the API's Route resources are served`);
  const body = isRecord(props.Body) ? (props.Body as OpenApiDocument) : s3Body;
  const imported = body
    ? importHttpApiDocument(body, `${source}/Properties/${s3Body ? 'BodyS3Location' : 'Body'}`, stack.opts)
    : { routes: [] as HttpRouteSpec[], authorizers: {} as Record<string, HttpAuthorizerSpec>, notes: [] as HttpApiNote[], integrations: 0 };
  const { routes, authorizers, integrations } = withChildren(stack, children, imported);
  checkIntegrationQuota(integrations, stack.file, key);
  if (typeof props.Target === 'string') {
    // Quick create: Target makes a `$default` (or RouteKey) route and a `$default` stage; a URL target an HTTP proxy
    // integration (payload 1.0, the only one it takes), a function a Lambda proxy one (payload 2.0).
    const integration = /^https?:\/\//i.test(props.Target) ? integrationSpec('http_proxy', props.Target, '1.0', undefined, stack.file, key, undefined, { method: 'ANY' }) : integrationSpec('aws_proxy', invocationUri(stack, props.Target), '2.0', undefined, stack.file, key);
    routes.push({ routeKey: String(props.RouteKey ?? '$default'), integration, authorizationType: 'NONE', authorizationScopes: [], location: `${key}.Target` });
    if (!children.stages.length) children.stages.push([`${id}.Target`, { StageName: '$default' }]);
  }
  const stages = children.stages.map(([sid, p]) => stageSpec(stack, p, `Resources.${sid}.Properties`, notes));
  if (!stages.length) notes.push({ subject: 'Stage', location: key, status: 'not-emulated', detail: 'no AWS::ApiGatewayV2::Stage: every request answers 404 (H0.1)' });
  // On AWS the execute-api endpoint is then off (only a custom domain reaches the API): locally it is what serves it.
  if (props.DisableExecuteApiEndpoint === true || props.DisableExecuteApiEndpoint === 'true') notes.push({ subject: 'DisableExecuteApiEndpoint', location: key, status: 'ignored', detail: 'the local endpoint is always served' });
  const cors = isRecord(props.CorsConfiguration) ? readCors(props.CorsConfiguration, stack.file, `${key}.CorsConfiguration`) : imported.cors;
  const definition = body ? { definition: body } : {};
  return { logicalId: id, apiId, stages, routes, authorizers, ...(cors ? { cors } : {}), source, notes: [...imported.notes, ...notes], ...definition };
}

/** The routes and authorizers of an imported document plus those of the API's Route and Authorizer resources. */
function withChildren(stack: Stack, children: Children, imported: { routes: HttpRouteSpec[]; authorizers: Record<string, HttpAuthorizerSpec>; integrations: number }) {
  const authorizers = { ...imported.authorizers, ...resourceAuthorizers(stack, children.authorizers) };
  // H3.9: the document's integrations and the API's Integration resources count together.
  return { authorizers, routes: [...imported.routes, ...resourceRoutes(stack, children, authorizers)], integrations: imported.integrations + children.integrations.size };
}

/**
 * Route, Integration and Authorizer resources that name a SAM HttpApi (`ApiId: !Ref MyHttpApi`) add to the API that
 * SAM's document created, as they do in AWS; SAM's own stage serves them, so Stage resources of that API are reported.
 */
export function attachedToSamHttpApi(stack: Stack, apiLogicalId: string, imported: { routes: HttpRouteSpec[]; authorizers: Record<string, HttpAuthorizerSpec>; integrations: number }, notes: HttpApiNote[]) {
  const children = childrenOf(stack, restApiIdFor(apiLogicalId), notes);
  for (const [sid] of children.stages) notes.push({ subject: `${V2}Stage`, location: `Resources.${sid}`, status: 'ignored', detail: `only the stage SAM generates for ${apiLogicalId} is served` });
  return withChildren(stack, children, imported);
}

function resourceAuthorizers(stack: Stack, list: [string, Json][]): Record<string, HttpAuthorizerSpec> {
  const out: Record<string, HttpAuthorizerSpec> = {};
  for (const [id, p] of list) {
    const jwt = isRecord(p.JwtConfiguration) ? p.JwtConfiguration : {};
    out[id] = authorizerSpec(
      {
        name: id,
        type: p.AuthorizerType,
        identitySource: p.IdentitySource,
        issuer: jwt.Issuer,
        audience: jwt.Audience,
        authorizerUri: p.AuthorizerUri,
        payloadFormatVersion: p.AuthorizerPayloadFormatVersion,
        enableSimpleResponses: p.EnableSimpleResponses,
        ttlSeconds: p.AuthorizerResultTtlInSeconds,
        credentials: p.AuthorizerCredentialsArn,
      },
      stack.file,
      `Resources.${id}.Properties`,
    );
  }
  return out;
}

function resourceRoutes(stack: Stack, children: Children, authorizers: Record<string, HttpAuthorizerSpec>): HttpRouteSpec[] {
  return children.routes.map(([id, p]) => {
    const key = `Resources.${id}.Properties`;
    const { integration: target, problem } = routeTarget(p.Target);
    const raw = target === undefined ? undefined : children.integrations.get(target);
    if (target !== undefined && !raw) throw new TemplateError(stack.file, `${key}.Target`, `names no AWS::ApiGatewayV2::Integration of this API (${target})`);
    const route: HttpRouteSpec = { routeKey: String(p.RouteKey ?? ''), authorizationType: 'NONE', authorizationScopes: stringList(p.AuthorizationScopes), location: key, ...(problem ? { targetProblem: problem } : {}) };
    if (raw) {
      // [AMBIGUOUS] H2.3: without PayloadFormatVersion only this route is left unserved, as on import (http-api-document.ts).
      const missing = raw.PayloadFormatVersion === undefined;
      const version = missing ? '1.0' : formatVersion(raw.PayloadFormatVersion);
      if (version !== '1.0' && version !== '2.0') throw new TemplateError(stack.file, `Resources.${target}.Properties.PayloadFormatVersion`, 'must be "1.0" or "2.0" for HTTP APIs (H2.3)');
      const endpoint = { method: raw.IntegrationMethod, connectionType: raw.ConnectionType, subtype: raw.IntegrationSubtype, requestParameters: raw.RequestParameters, responseParameters: raw.ResponseParameters };
      route.integration = integrationSpec(raw.IntegrationType, invocationUri(stack, raw.IntegrationUri), version, raw.TimeoutInMillis, stack.file, `Resources.${target}.Properties`, raw.CredentialsArn, endpoint);
      if (missing) route.integration.notServed = MISSING_PAYLOAD_VERSION;
      route.integrationResource = target;
    }
    const type = String(p.AuthorizationType ?? 'NONE').toUpperCase();
    if (type === 'JWT' || type === 'CUSTOM') {
      const name = String(p.AuthorizerId ?? '');
      if (!authorizers[name]) throw new TemplateError(stack.file, `${key}.AuthorizerId`, 'names no AWS::ApiGatewayV2::Authorizer of this API');
      route.authorizationType = type;
      route.authorizer = name;
    } else if (type === 'AWS_IAM') route.authorizationType = 'AWS_IAM';
    return route;
  });
}
