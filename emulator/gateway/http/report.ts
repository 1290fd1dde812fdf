/** What the startup report says about an HTTP API: every route and setting emulated, ignored or not. */
import type { FunctionSpec, HttpApiSpec, HttpAuthorizerSpec, HttpCorsSpec, HttpIntegrationSpec, HttpRouteSpec, LoadedTemplate } from '../../template/model.js';
import { SERVICE_SUBTYPES } from '../../template/http-service-subtypes.js';
import { functionOutsideTemplate, isStreamingUri } from '../../template/uris.js';
import { endpointVariable, serviceEndpoint, type ServiceEndpoints } from '../aws-service-uri.js';
import type { RouteInfo, SupportItem } from '../types.js';
import { IAM_NOTE } from '../support-report.js';
import { unfilledVariablesItem } from '../access-log.js';
import { splitRouteKey } from './routing.js';

/** The function a route's Lambda integration invokes: a function URL's own, else the one its uri names. */
export function integrationFunction(integration: HttpIntegrationSpec, template: Pick<LoadedTemplate, 'functionForUri' | 'functions'>): FunctionSpec | undefined {
  return integration.functionLogicalId !== undefined ? template.functions.get(integration.functionLogicalId) : template.functionForUri(integration.uri);
}

/** Why the gateway cannot serve a route's integration locally (a function that cannot run here among them), or undefined. */
export function routeProblem(route: HttpRouteSpec, template: Pick<LoadedTemplate, 'functionForUri' | 'functions'>, endpoints?: ServiceEndpoints): string | undefined {
  if (!route.integration) return route.targetProblem ?? 'the route has no integration';
  if (route.integration.notServed) return route.integration.notServed;
  if (route.integration.connectionType === 'VPC_LINK') return 'private integrations (connectionType VPC_LINK: a load balancer or Cloud Map service in a VPC) are not emulated';
  if (route.integration.subtype !== undefined) {
    const service = SERVICE_SUBTYPES[route.integration.subtype]?.service ?? '';
    if (serviceEndpoint(service, endpoints)) return undefined;
    return `AWS service integration ${route.integration.subtype}: set ${endpointVariable(service)} or AWS_ENDPOINT_URL in the gateway's environment to forward it to your own ${service} endpoint`;
  }
  if (route.integration.type === 'http_proxy') {
    return /^(?:https?:\/\/|\$\{stageVariables\.)/i.test(route.integration.uri) ? undefined : `http_proxy integration uri ${JSON.stringify(route.integration.uri)} is not an http(s) URL`;
  }
  if (route.integration.type !== 'aws_proxy') return `${route.integration.type} integrations are not emulated (Lambda and HTTP proxy only)`;
  if (isStreamingUri(route.integration.uri)) return 'response streaming (response-streaming-invocations) is a REST API integration: HTTP APIs invoke with Invoke';
  if (!/:lambda:path\/2015-03-31\/functions\//.test(route.integration.uri)) return `integration uri ${JSON.stringify(route.integration.uri)} names no Lambda function`;
  const fn = integrationFunction(route.integration, template);
  // Not refused at start: AWS deploys an integration naming another stack's function (and --strict refuses the route).
  if (!fn) return functionOutsideTemplate(route.integration.uri);
  // A function whose every invocation fails (its code not built) is served: the request fails as Lambda fails it.
  if (fn.unavailable && !fn.invocationsFail) return `function ${fn.logicalId}: ${fn.unavailable}`;
  return undefined;
}

/**
 * H6.8: the execute-api ARN Lambda sees as SourceArn: `<api>/<stage>/<VERB><route path>`, or `<api>/<stage>/$default` for
 * the `$default` route. Choice (undocumented): the path is the matched route's, `{id}` and `{proxy+}` as written, not
 * the request's: the `$default` route's ARN names the route, not the request (the console's permission ending in
 * `/$default`, aws-sam issue 1860), and CDK's HttpLambdaIntegration grants any stage and verb on `<route path>`, braces
 * included. The verb is the request's (an ANY route's permissions are written with `*`).
 */
export function httpSourceArn(template: Pick<LoadedTemplate, 'region' | 'accountId'>, apiId: string, stage: string, routeKey: string, method: string): string {
  const arn = `arn:aws:execute-api:${template.region}:${template.accountId}:${apiId}/${stage}`;
  const key = splitRouteKey(routeKey);
  return key ? `${arn}/${method}${key.path}` : `${arn}/${routeKey}`;
}

const REPORTED_TYPES: Record<string, RouteInfo['integration']> = { aws_proxy: 'aws_proxy', http_proxy: 'http_proxy' };

/** H6.8/H1.11: why API Gateway could not invoke the route's function or authorizer (the route answers 500), or undefined; a role given as credentials needs no permission. */
function permissionProblem(api: HttpApiSpec, template: LoadedTemplate, route: HttpRouteSpec): string | undefined {
  const missing = api.functionUrl?.missingPermissions;
  if (missing) return `answers 403: AuthType NONE needs an AWS::Lambda::Permission granting ${missing.join(' and ')} to Principal "*" on the function`;
  const arn = `arn:aws:execute-api:${template.region}:${template.accountId}:${api.apiId}`;
  const key = splitRouteKey(route.routeKey);
  const fn = route.integration ? integrationFunction(route.integration, template) : undefined;
  const stage = api.stages[0]?.name ?? '$default';
  const sourceArn = httpSourceArn(template, api.apiId, stage, route.routeKey, key?.method === 'ANY' || !key ? 'GET' : key.method);
  if (fn && !route.integration?.credentials && !template.apiGatewayMayInvoke(fn.logicalId, sourceArn)) {
    return `answers 500: no permission for API Gateway to invoke ${fn.logicalId} (H6.8)`;
  }
  const authorizer = route.authorizer ? api.authorizers[route.authorizer] : undefined;
  const authorizerFn = authorizer?.authorizerUri ? template.functionForUri(authorizer.authorizerUri) : undefined;
  if (authorizerFn && !authorizer?.credentials && !template.apiGatewayMayInvoke(authorizerFn.logicalId, `${arn}/authorizers/${authorizer!.name}`)) {
    return `answers 500: no permission for API Gateway to invoke authorizer ${authorizerFn.logicalId} (H1.11)`;
  }
  return undefined;
}

/** What the route's integration calls: the Lambda payload version, or the HTTP endpoint and its method. */
function integrationSummary(route: HttpRouteSpec, endpoints?: ServiceEndpoints): string {
  const integration = route.integration;
  const service = integration?.subtype === undefined ? undefined : SERVICE_SUBTYPES[integration.subtype];
  const endpoint = service && serviceEndpoint(service.service, endpoints);
  if (endpoint) return `${integration!.subtype} forwarded to ${endpoint.url} (${endpoint.variable}), signed with the local credentials`;
  if (integration?.type === 'http_proxy') return `${integration.method ?? 'ANY'} ${integration.uri}${route.routeKey === '$default' ? ' + request path' : ''}`;
  return `payload ${integration?.payloadFormatVersion}`;
}

/** One line per route; a route the emulator cannot serve is marked and answers 500. */
export function httpRouteReport(api: HttpApiSpec, template: LoadedTemplate, authorizationProblem: (route: HttpRouteSpec) => string | undefined, endpoints?: ServiceEndpoints): RouteInfo[] {
  return api.routes.map((route) => {
    const key = splitRouteKey(route.routeKey);
    const problem = routeProblem(route, template, endpoints) ?? authorizationProblem(route);
    const fn = route.integration ? integrationFunction(route.integration, template) : undefined;
    const scopes = route.authorizationScopes.length ? ` scopes=${route.authorizationScopes.join(',')}` : '';
    const iam = route.authorizationType === 'AWS_IAM' ? `; IAM: ${IAM_NOTE}` : '';
    const info: RouteInfo = {
      method: key?.method ?? '$default',
      path: key?.path ?? '',
      integration: route.integration ? (route.integration.subtype !== undefined ? 'aws-service' : (REPORTED_TYPES[route.integration.type] ?? 'aws-service')) : 'none',
      apiKeyRequired: false,
      emulated: problem === undefined,
      detail: problem ?? permissionProblem(api, template, route) ?? `${integrationSummary(route, endpoints)}${scopes}${iam}`,
    };
    if (fn) info.functionLogicalId = fn.logicalId;
    const resources = [/^Resources\.([^.]+)\.Properties$/.exec(route.location)?.[1], route.integrationResource].filter((id) => id !== undefined);
    if (resources.length > 0) info.resources = resources;
    if (route.authorizer) info.authorizer = route.authorizer;
    else if (route.authorizationType === 'AWS_IAM') Object.assign(info, { authorizer: 'AWS_IAM', iam: true });
    return info;
  });
}

/**
 * What a CORS configuration leaves out that every browser preflight of some kind needs (H9.1, H9.6: a preflight whose
 * method or headers it does not allow is answered without CORS headers, so the browser sends nothing): '' for none.
 * `CorsConfiguration: true` (or an origin string) is AllowOrigins alone, which no preflight passes.
 */
function preflightGaps(cors: HttpCorsSpec): string {
  if (cors.allowMethods.length === 0) return "; WARNING: no AllowMethods, so every preflight is answered without CORS headers and browsers send only simple requests (CorsConfiguration: true or an origin sets AllowOrigins alone): list the methods, or '*'";
  if (cors.allowHeaders.length === 0) return "; WARNING: no AllowHeaders, so a preflight asking for any header (Content-Type: application/json, Authorization) is answered without CORS headers: list them, or '*'";
  return '';
}

/**
 * Authorizers (NOT EMULATED with why when `problem` names one, as its routes are), CORS, stages and every other
 * declared setting (H12: what HTTP APIs lack is never declared).
 */
export function httpSupportItems(api: HttpApiSpec, problem: (spec: HttpAuthorizerSpec) => string | undefined = () => undefined): SupportItem[] {
  const items: SupportItem[] = [...api.notes];
  for (const spec of Object.values(api.authorizers)) {
    const what = spec.type === 'jwt' ? `JWT authorizer (issuer ${spec.issuer ?? '?'})` : `Lambda authorizer (payload ${spec.payloadFormatVersion}${spec.enableSimpleResponses ? ', simple responses' : ''}, TTL ${spec.ttlSeconds} s)`;
    const why = problem(spec);
    items.push({ subject: `authorizer ${spec.name}`, location: spec.location, status: why ? 'not-emulated' : 'emulated', detail: why ? `${what}: ${why}` : what });
  }
  if (api.cors) items.push({ subject: 'CORS configuration', location: api.source, status: 'emulated', detail: `preflights answered by the gateway, headers added (H9)${preflightGaps(api.cors)}` });
  if (api.routes.some((r) => r.authorizationType === 'AWS_IAM')) items.push({ subject: 'IAM authorization (AWS_IAM)', location: api.source, status: 'emulated', detail: IAM_NOTE });
  for (const stage of api.stages) {
    const where = stage.name === '$default' ? 'served at the root' : `served under /${stage.name}`;
    items.push({ subject: `stage ${stage.name}`, location: api.source, status: 'emulated', detail: where });
    if (stage.accessLog) items.push(...unfilledVariablesItem(stage.accessLog, `${api.source} stage ${stage.name}`));
  }
  return items;
}
