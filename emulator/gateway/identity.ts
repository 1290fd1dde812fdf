/**
 * The identity hook of the pipeline (authorizer, then API key: R0.3, R0.4). Part 1 only works out what a
 * method requires; part 2 implements IdentityStage and passes it to createGateway().
 */
import type { OpenApiDocument } from '../template/model.js';
import type { GatewayError } from './gateway-responses.js';
import type { RequestState } from './request-state.js';
import { isObject, type Json, type OperationRoute } from './routes.js';

export interface MethodSecurity {
  /** Name of the security scheme that is an API Gateway authorizer (Lambda, Cognito or IAM). */
  authorizer?: string;
  authorizerScheme?: Json;
  /** R6.1: an `x-api-key` header apiKey scheme without an authorizer. */
  apiKeyRequired: boolean;
}

/** Security schemes of an OpenAPI 3 (components.securitySchemes) or Swagger 2 (securityDefinitions) document. */
export function securitySchemes(doc: OpenApiDocument): Record<string, Json> {
  const components = isObject(doc.components) ? doc.components.securitySchemes : undefined;
  const schemes = isObject(components) ? components : isObject(doc.securityDefinitions) ? doc.securityDefinitions : {};
  return Object.fromEntries(Object.entries(schemes).filter(([, v]) => isObject(v))) as Record<string, Json>;
}

/** An operation's `x-amazon-apigateway-auth` type, upper-cased (DG: `AWS_IAM` or `NONE`, case-insensitive), or undefined. */
export function methodAuthType(operation: Json): string | undefined {
  const auth = operation['x-amazon-apigateway-auth'];
  return isObject(auth) && typeof auth.type === 'string' ? auth.type.toUpperCase() : undefined;
}

/** The security scheme an `x-amazon-apigateway-auth: {type: AWS_IAM}` method behaves as. */
export const IAM_AUTH_SCHEME: Json = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };

/** What a method requires: only operation-level `security` counts (R6.2: root security is ignored by import). */
export function methodSecurity(doc: OpenApiDocument, operation: Json): MethodSecurity {
  const schemes = securitySchemes(doc);
  const result: MethodSecurity = methodAuthType(operation) === 'AWS_IAM' ? { apiKeyRequired: false, authorizer: 'AWS_IAM', authorizerScheme: IAM_AUTH_SCHEME } : { apiKeyRequired: false };
  const requirements = Array.isArray(operation.security) ? operation.security : [];
  for (const requirement of requirements) {
    if (!isObject(requirement)) continue;
    for (const name of Object.keys(requirement)) {
      const scheme = schemes[name];
      if (!scheme) continue;
      if (scheme['x-amazon-apigateway-authorizer'] !== undefined || scheme['x-amazon-apigateway-authtype'] !== undefined) {
        result.authorizer = name;
        result.authorizerScheme = scheme;
      } else if (scheme.type === 'apiKey' && String(scheme.in).toLowerCase() === 'header' && String(scheme.name).toLowerCase() === 'x-api-key') {
        result.apiKeyRequired = true;
      }
    }
  }
  return result;
}

/**
 * R7.3/R7.21: the header a Cognito user pools authorizer takes its token from (its identitySource, else the scheme's
 * name), or undefined when the method's authorizer is not a Cognito one.
 */
export function cognitoTokenHeader(security: MethodSecurity): string | undefined {
  const scheme = security.authorizerScheme;
  const authorizer = scheme?.['x-amazon-apigateway-authorizer'];
  if (!isObject(authorizer) || String(authorizer.type).toLowerCase() !== 'cognito_user_pools') return undefined;
  const source = typeof authorizer.identitySource === 'string' ? /^method\.request\.header\.(.+)$/.exec(authorizer.identitySource.trim())?.[1] : undefined;
  return source ?? (typeof scheme?.name === 'string' ? scheme.name : 'Authorization');
}

export type IdentityOutcome = { ok: true } | { ok: false; error: GatewayError };

/**
 * Implemented by part 2. `run` is called after routing and before validation, only for methods whose
 * `methodSecurity` names an authorizer or requires an API key. It may set `state.authorizer` (becomes
 * requestContext.authorizer, R1.31/R1.32) and `state.apiKey` (R1.29), and fails with a GatewayError
 * (UNAUTHORIZED, ACCESS_DENIED, INVALID_API_KEY, THROTTLED, QUOTA_EXCEEDED, AUTHORIZER_CONFIGURATION_ERROR...).
 */
export interface IdentityStage {
  /** Whether this stage can serve the method; when false the method answers 500 "not emulated". */
  supports(security: MethodSecurity, route: OperationRoute): boolean;
  run(state: RequestState, security: MethodSecurity, route: OperationRoute): Promise<IdentityOutcome>;
}
