/** Route authorization of an HTTP API (H0.3): JWT (H7), Lambda (H8), IAM (SigV4 with the local credentials, H4.19). */
import type { CognitoPools } from '../../identity/cognito.js';
import { HttpLambdaAuthorizer } from '../../identity/http-lambda-authorizer.js';
import { checkIam, type IamOptions } from '../../identity/iam.js';
import { jwtClaimsForEvent, jwtShapeProblem, verifyJwt } from '../../identity/jwt-authorizer.js';
import type { LambdaInvoker } from '../../lambda/types.js';
import type { HttpApiSpec, HttpAuthorizerSpec, HttpRouteSpec, LoadedTemplate } from '../../template/model.js';
import { HttpGatewayError } from './errors.js';
import { decodedPath, eventV1, eventV2, type HttpApiContext } from './events.js';
import type { HttpRequestState } from './state.js';

export interface AuthorizationOptions {
  api: HttpApiSpec;
  template: LoadedTemplate;
  invoker: LambdaInvoker;
  cognito?: CognitoPools;
  now: () => number;
  /** The local credentials and clock AWS_IAM routes are checked with; without them those routes are not emulated. */
  iam?: IamOptions;
}

/** H8.4: one identity source's value; `$request.header` case-insensitive, the others exact. */
export function identityValue(state: HttpRequestState, source: string, api: HttpApiContext): string | undefined {
  const [, kind, name] = /^\$(request\.header|request\.querystring|context|stageVariables)\.(.+)$/.exec(source) ?? [];
  if (kind === 'request.header') {
    const values = state.headers.filter(([n]) => n.toLowerCase() === name!.toLowerCase()).map(([, v]) => v);
    return values.length ? values.join(',') : undefined;
  }
  if (kind === 'request.querystring') {
    const values = state.query.filter(([k]) => k === name).map(([, v]) => v);
    return values.length ? values.join(',') : undefined;
  }
  if (kind === 'stageVariables') return state.stage?.stageVariables?.[name!];
  if (kind === 'context') {
    let node: unknown = eventV2(state, api).requestContext;
    for (const part of name!.split('.')) node = typeof node === 'object' && node !== null ? (node as Record<string, unknown>)[part] : undefined;
    return node === undefined || node === null ? undefined : String(node);
  }
  return undefined;
}

/**
 * H8.2: the route ARN a Lambda authorizer gets: `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}`,
 * the path as the same event's rawPath has it (decoded twice, H4.3).
 */
export function routeArnOf(state: HttpRequestState, api: HttpApiContext & { region: string }): string {
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.apiId}/${state.stage?.name ?? '$default'}/${state.method}${decodedPath(state.path)}`;
}

/** H8.2/H8.3: the Lambda REQUEST authorizer's event, 2.0 (routeArn, identity list) or 1.0 (methodArn, joined identity). */
export function authorizerEvent(spec: Pick<HttpAuthorizerSpec, 'payloadFormatVersion'>, state: HttpRequestState, api: HttpApiContext, identity: string[], routeArn: string): Record<string, unknown> {
  if (spec.payloadFormatVersion === '2.0') {
    const { body: _b, isBase64Encoded: _i, version: _v, ...rest } = eventV2(state, api);
    return { version: '2.0', type: 'REQUEST', routeArn, identitySource: identity, ...rest };
  }
  const v1 = eventV1(state, api);
  const joined = identity.join(',');
  const pick = ['resource', 'path', 'httpMethod', 'headers', 'queryStringParameters', 'pathParameters', 'stageVariables', 'requestContext'];
  return { version: '1.0', type: 'REQUEST', methodArn: routeArn, identitySource: joined, authorizationToken: joined, ...Object.fromEntries(pick.map((k) => [k, v1[k]])) };
}

/**
 * H7.6: the JWT 401 carries a `www-authenticate` challenge: the bare scheme when no token came, else the reason (live
 * answers: `Bearer` for a request without a token, `... error_description="token contains an invalid number of segments"`).
 */
function jwtChallenge(reason: string): Record<string, string> {
  if (reason === 'the token is missing') return { 'www-authenticate': 'Bearer' };
  return { 'www-authenticate': `Bearer scope="" error="invalid_token" error_description="${reason.replace(/"/g, "'")}"` };
}

/** Authorizers of one HTTP API, built once (their caches live as long as the gateway). */
export class HttpAuthorization {
  private readonly lambdas = new Map<string, HttpLambdaAuthorizer>();

  constructor(private readonly options: AuthorizationOptions) {}

  /** Why a route's authorization cannot run locally, or undefined. */
  unsupported(route: HttpRouteSpec): string | undefined {
    if (route.authorizationType === 'AWS_IAM' && !this.options.iam) return 'IAM (AWS_IAM) authorization needs the local credentials';
    const spec = route.authorizer ? this.options.api.authorizers[route.authorizer] : undefined;
    return spec ? this.authorizerProblem(spec) : undefined;
  }

  /**
   * Why an authorizer cannot run locally (an issuer that is no pool of the template, no function to invoke, a function
   * that cannot run here, as REST APIs' authorizers say), or undefined.
   */
  authorizerProblem(spec: HttpAuthorizerSpec): string | undefined {
    if (spec.type === 'jwt' && !this.localJwks(spec)) return `JWT issuer ${spec.issuer ?? '?'} is not a user pool of this template (its JWKS cannot be fetched locally)`;
    if (spec.type !== 'request') return undefined;
    const fn = this.options.template.functionForUri(spec.authorizerUri ?? '');
    if (!fn) return `authorizer ${spec.name} invokes no function of the template`;
    // One whose every invocation fails (its code not built) is served: the authorizer fails as on API Gateway.
    return fn.unavailable && !fn.invocationsFail ? `function ${fn.logicalId}: ${fn.unavailable}` : undefined;
  }

  /**
   * H7.1/H7.6: a JWT route refuses a request without a token (or with one that is no JWT) with 401 before its issuer
   * is asked, so a route whose issuer cannot be reached locally still answers that request as on AWS: throws that
   * 401, else does nothing.
   */
  refuseMissingJwt(state: HttpRequestState, route: HttpRouteSpec, api: HttpApiContext): void {
    const spec = route.authorizationType === 'JWT' && route.authorizer ? this.options.api.authorizers[route.authorizer] : undefined;
    if (spec?.type !== 'jwt') return;
    const token = identityValue(state, spec.identitySource[0] ?? '$request.header.Authorization', api);
    const problem = jwtShapeProblem(token);
    if (problem) throw new HttpGatewayError(401, `JWT authorizer ${spec.name}: ${problem}`, jwtChallenge(problem));
  }

  /** Runs the route's authorizer; sets `state.authorizer` or throws the gateway's 401/403/500. */
  async run(state: HttpRequestState, route: HttpRouteSpec, api: HttpApiContext): Promise<void> {
    if (route.authorizationType === 'AWS_IAM') return this.iam(state);
    const spec = route.authorizer ? this.options.api.authorizers[route.authorizer] : undefined;
    if (!spec) return;
    if (spec.type === 'jwt') return this.jwt(state, route, spec, api);
    return this.lambda(state, spec, api);
  }

  /**
   * H4.19: a SigV4 signature by the local key (IAM policies are not evaluated). [AMBIGUOUS] AWS documents no
   * bodies for HTTP APIs: no signature is 403 {"message":"Forbidden"}, any other refusal 403 with AWS's SigV4 message.
   */
  private iam(state: HttpRequestState): void {
    const target = `${state.rawPath}${state.rawQueryString ? `?${state.rawQueryString}` : ''}`;
    const outcome = checkIam({ method: state.method, target, headers: state.headers, body: state.body }, this.options.iam!, this.options.api.functionUrl ? 'lambda' : 'execute-api');
    if (!outcome.ok) {
      const { type, message } = outcome.problem;
      const sent = type === 'MissingAuthenticationTokenException' ? undefined : message;
      throw new HttpGatewayError(403, `IAM: ${type}: ${message.split('\n')[0]}`, {}, sent);
    }
    const { caller } = outcome;
    state.authorizer = {
      iam: { accessKey: caller.accessKey, accountId: caller.accountId, callerId: caller.userId, cognitoIdentity: null, principalOrgId: null, userArn: caller.userArn, userId: caller.userId },
    };
  }

  private localJwks(spec: HttpAuthorizerSpec) {
    const pool = this.options.cognito?.poolForIssuer(spec.issuer);
    return pool ? this.options.cognito!.jwks(pool) : undefined;
  }

  private jwt(state: HttpRequestState, route: HttpRouteSpec, spec: HttpAuthorizerSpec, api: HttpApiContext): void {
    const token = identityValue(state, spec.identitySource[0] ?? '$request.header.Authorization', api);
    const outcome = verifyJwt(token, route.authorizationScopes, { issuer: spec.issuer ?? '', audience: spec.audience, jwks: this.localJwks(spec), now: this.options.now });
    if (!outcome.ok) throw new HttpGatewayError(outcome.status, `JWT authorizer ${spec.name}: ${outcome.reason}`, outcome.status === 401 ? jwtChallenge(outcome.reason) : {});
    // H4.17: scopes null unless the route lists scopes.
    state.authorizer = { jwt: { claims: jwtClaimsForEvent(outcome.claims), scopes: route.authorizationScopes.length ? outcome.tokenScopes : null } };
  }

  private async lambda(state: HttpRequestState, spec: HttpAuthorizerSpec, api: HttpApiContext): Promise<void> {
    const { template } = this.options;
    const fn = template.functionForUri(spec.authorizerUri ?? '');
    if (!fn) throw new HttpGatewayError(500, `authorizer ${spec.name} invokes no function of the template`);
    const values = spec.identitySource.map((s) => identityValue(state, s, api));
    const identity = values.every((v) => v !== undefined && v !== '') ? (values as string[]) : undefined;
    const routeArn = routeArnOf(state, { ...api, region: template.region });
    // H1.11: API Gateway needs a permission to invoke the authorizer too (unless it invokes with a role); without one clients get 500.
    const authorizerArn = `arn:aws:execute-api:${template.region}:${template.accountId}:${api.apiId}/authorizers/${spec.name}`;
    if (identity && !spec.credentials && !template.apiGatewayMayInvoke(fn.logicalId, authorizerArn)) {
      throw new HttpGatewayError(500, `authorizer ${spec.name}: API Gateway has no permission to invoke ${fn.logicalId} (H1.11)`);
    }
    const authorizer = this.lambdaFor(spec, fn.logicalId);
    const outcome = await authorizer.authorize(identity, identity ? authorizerEvent(spec, state, api, identity, routeArn) : undefined, routeArn);
    if (!outcome.ok) throw new HttpGatewayError(outcome.status, `Lambda authorizer ${spec.name}: ${outcome.reason}`);
    state.authorizer = { lambda: outcome.context };
    if (outcome.principalId !== undefined) state.authorizerPrincipalId = outcome.principalId;
  }

  private lambdaFor(spec: HttpAuthorizerSpec, functionLogicalId: string): HttpLambdaAuthorizer {
    let found = this.lambdas.get(spec.name);
    if (!found) {
      found = new HttpLambdaAuthorizer({ functionLogicalId, simpleResponses: spec.enableSimpleResponses, ttlSeconds: spec.ttlSeconds, invoker: this.options.invoker, now: this.options.now });
      this.lambdas.set(spec.name, found);
    }
    return found;
  }
}
