/**
 * Part 2's identity checks plugged into the gateway pipeline: the pipeline's IdentityStage hook implemented
 * over ApiIdentityChecks (authorizer, then API key: R0.3, R0.4), turning each denied outcome into the
 * GatewayError whose gateway response API Gateway sends (section 8), and an allowed one into
 * `requestContext.authorizer` (R1.31, R1.32) and `requestContext.identity.apiKey/apiKeyId` (R1.29).
 */
import { GatewayError } from '../gateway/gateway-responses.js';
import type { IdentityOutcome as GatewayOutcome, IdentityStage, MethodSecurity } from '../gateway/identity.js';
import { buildProxyEvent } from '../gateway/proxy-event.js';
import type { RequestState } from '../gateway/request-state.js';
import type { OperationRoute } from '../gateway/routes.js';
import type { RouteInfo, SupportItem } from '../gateway/types.js';
import type { ApiSpec, LoadedTemplate } from '../template/model.js';
import type { AuthorizerRequest } from './authorizer-event.js';
import type { IdentityDenied } from './outcome.js';
import { ApiIdentityChecks, type ApiIdentityOptions } from './stage.js';

/** The OpenAPI key of a route's method ("get", ... or x-amazon-apigateway-any-method for ANY). */
function methodKey(method: string): string {
  return method === 'ANY' ? 'x-amazon-apigateway-any-method' : method.toLowerCase();
}

/** The GatewayError API Gateway answers a denied identity check with (R6.4, R7.6, R7.11, R7.13, R7.14). */
export function deniedToGatewayError(denied: IdentityDenied): GatewayError {
  // `message` is $context.error.message: "Unauthorized", "Forbidden", the ACCESS_DENIED text, or null for
  // AUTHORIZER_CONFIGURATION_ERROR; the gateway response (default or customised, R8.3) renders it.
  const status = denied.status === undefined ? {} : { status: denied.status };
  const template = denied.template === undefined ? {} : { template: denied.template };
  return new GatewayError(denied.responseType, { message: denied.message, ...status, ...template, errorType: denied.errorType, log: `${denied.responseType}: ${denied.reason}` });
}

/** What the authorizers see of a request: the same maps and requestContext the proxy event carries (R7.8). */
export function authorizerRequest(state: RequestState, template: Pick<LoadedTemplate, 'accountId'>, api: Pick<ApiSpec, 'restApiId' | 'stageVariables'>): AuthorizerRequest {
  const env = { accountId: template.accountId, apiId: api.restApiId, stageVariables: api.stageVariables };
  const event = buildProxyEvent(state, env, []);
  const { authorizer: _none, ...requestContext } = event.requestContext as Record<string, unknown>;
  return {
    httpMethod: state.httpMethod,
    path: String(event.path),
    resource: String(event.resource),
    headers: (event.headers as Record<string, string> | null) ?? {},
    multiValueHeaders: (event.multiValueHeaders as Record<string, string[]> | null) ?? {},
    queryStringParameters: event.queryStringParameters as Record<string, string> | null,
    multiValueQueryStringParameters: event.multiValueQueryStringParameters as Record<string, string[]> | null,
    pathParameters: event.pathParameters as Record<string, string> | null,
    stageVariables: event.stageVariables as Record<string, string> | null,
    requestContext,
  };
}

/** API Gateway's identity stage for one API: Lambda/Cognito authorizers, then the API key of the method. */
export class GatewayIdentityStage implements IdentityStage {
  readonly checks: ApiIdentityChecks;

  constructor(private readonly options: ApiIdentityOptions) {
    this.checks = new ApiIdentityChecks(options);
  }

  /** Whether the method's identity checks can run locally (IAM auth and broken authorizers cannot). */
  supports(_security: MethodSecurity, route: OperationRoute): boolean {
    return this.checks.supports(route.resourcePath, methodKey(route.method)).ok;
  }

  /** Why a route's identity checks cannot run, or undefined when they can (for the startup report). */
  unsupportedReason(method: string, path: string): string | undefined {
    const result = this.checks.supports(path, methodKey(method));
    return result.ok ? undefined : result.detail;
  }

  /** Runs the checks; on success fills `state.authorizer` and `state.apiKey` for the integration. */
  async run(state: RequestState, _security: MethodSecurity, route: OperationRoute): Promise<GatewayOutcome> {
    const request = authorizerRequest(state, this.options.template, this.options.api);
    const received = { method: state.httpMethod, target: `${state.contextPath}${state.rawQuery ? `?${state.rawQuery}` : ''}`, headers: state.headers, body: state.body };
    const outcome = await this.checks.check(route.resourcePath, methodKey(route.method), request, received);
    if (!outcome.ok) return { ok: false, error: deniedToGatewayError(outcome) };
    // Lambda: {principalId, integrationLatency, ...stringified context}; Cognito: {claims} (R1.31, R1.32).
    if (outcome.authorizer) state.authorizer = outcome.authorizer;
    // R1.28: identity.accessKey/accountId/caller/user/userArn of the verified signer.
    if (outcome.iam) state.iam = outcome.iam;
    // R1.29: only key-required methods get identity.apiKey / apiKeyId (the check sets apiKey only for them).
    if (outcome.apiKey) state.apiKey = { value: outcome.apiKey.value, id: outcome.apiKey.id };
    return { ok: true };
  }
}

/** Builds the identity stage of one API (the LocalLambdaService is the authorizers' invoker). */
export function createIdentityStage(options: ApiIdentityOptions): GatewayIdentityStage {
  return new GatewayIdentityStage(options);
}

/** Route report lines say why a secured route is not emulated (the pipeline only knows that it is not). */
export function explainRoutes(routes: RouteInfo[], stage: GatewayIdentityStage): RouteInfo[] {
  return routes.map((route) => {
    if (route.emulated || (!route.authorizer && !route.apiKeyRequired)) return route;
    const why = stage.unsupportedReason(route.method, route.path);
    return why ? { ...route, detail: why } : route;
  });
}

/** Keys of a security scheme that say its authorizer is applied: each NOT EMULATED with why when that authorizer cannot run. */
const AUTHORIZER_KEYS = new Set(['x-amazon-apigateway-authorizer', 'x-amazon-apigateway-authtype']);

/** R7: the x-amazon-apigateway-authorizer (and each of its keys) of a scheme whose authorizer cannot run is not EMULATED, as its routes are not. */
export function explainAuthorizers(items: SupportItem[], stage: GatewayIdentityStage): SupportItem[] {
  return items.map((item) => {
    // A key of the authorizer (R7.2) stands one level down, under the x-amazon-apigateway-authorizer it belongs to.
    const ofAuthorizer = item.subject.startsWith('x-amazon-apigateway-authorizer.');
    const scheme = (ofAuthorizer ? /^(?:components\.securitySchemes|securityDefinitions)\.([^.]+)\.x-amazon-apigateway-authorizer$/ : /^(?:components\.securitySchemes|securityDefinitions)\.([^.]+)$/).exec(item.location)?.[1];
    if (scheme === undefined || item.status !== 'emulated' || (!ofAuthorizer && !AUTHORIZER_KEYS.has(item.subject))) return item;
    const why = stage.checks.authorizerProblem(scheme);
    return why === undefined ? item : { ...item, status: 'not-emulated', detail: why };
  });
}
