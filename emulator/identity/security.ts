/**
 * Which identity checks an OpenAPI operation asks API Gateway for: its authorizer (7.1) and whether it
 * requires an API key (6.1), read from the operation's own `security` (root `security` is ignored, R6.2).
 */
import { TemplateError, type OpenApiDocument } from '../template/model.js';
import { methodAuthType } from '../gateway/identity.js';
import { compileFullMatch } from './patterns.js';
import type { TemplateRegex } from '../gateway/template-regex.js';

export type AuthorizerType = 'token' | 'request' | 'cognito_user_pools';

/** One parsed `method.request.header.X` / `method.request.querystring.X` / `stageVariables.X` / `context.X`. */
export interface IdentitySource {
  kind: 'header' | 'querystring' | 'stageVariables' | 'context';
  name: string;
  /** As written, e.g. "method.request.header.Authorization". */
  expression: string;
}

export interface AuthorizerConfig {
  /** The security scheme's name (the authorizer's name in API Gateway). */
  schemeName: string;
  type: AuthorizerType;
  /** `x-amazon-apigateway-authtype` (free-form for Lambda authorizers, R7.1). */
  authType?: string;
  /** The scheme's `name`: the token header for TOKEN and Cognito authorizers (R7.3). */
  headerName: string;
  authorizerUri?: string;
  identitySources: IdentitySource[];
  identityValidationExpression?: string;
  /** Full-match regex for identityValidationExpression (R7.7, Java Pattern.matches). */
  identityValidationPattern?: TemplateRegex;
  /** authorizerResultTtlInSeconds: default 300, 0 disables caching (R7.18). */
  ttlSeconds: number;
  providerARNs: string[];
}

export interface OperationSecurity {
  authorizer?: AuthorizerConfig;
  /** OAuth scopes listed for a Cognito authorizer; empty means ID-token mode (R7.4, R7.22). */
  scopes: string[];
  apiKeyRequired: boolean;
  /** IAM authorization (`x-amazon-apigateway-authtype: awsSigv4`, SAM's AWS_IAM, R7.1, R13.7): a SigV4-signed caller. */
  iam: boolean;
  /** Schemes the emulator does not emulate: the gateway should answer 500 for the route. */
  unsupported: string[];
}

const DEFAULT_TTL_SECONDS = 300;
const MAX_TTL_SECONDS = 3600;

/** Read the root `x-amazon-apigateway-api-key-source` (default HEADER, R6.3). */
export function apiKeySource(doc: OpenApiDocument, source = 'openapi'): 'HEADER' | 'AUTHORIZER' {
  const value = doc['x-amazon-apigateway-api-key-source'] ?? 'HEADER';
  if (value === 'HEADER' || value === 'AUTHORIZER') return value;
  throw new TemplateError(source, 'x-amazon-apigateway-api-key-source', `must be HEADER or AUTHORIZER, got ${JSON.stringify(value)}`);
}

/** The authorizer and API-key requirement of one operation (R6.1, R6.2, R7.1-R7.4, R13.6). */
export function operationSecurity(doc: OpenApiDocument, path: string, method: string, source = 'openapi'): OperationSecurity {
  const where = `paths.${path}.${method}`;
  const operation = doc.paths?.[path]?.[method] as Record<string, unknown> | undefined;
  if (!operation) throw new TemplateError(source, where, 'no such operation');
  const security = operation.security ?? [];
  if (!Array.isArray(security)) throw new TemplateError(source, `${where}.security`, 'must be a list');
  const result: OperationSecurity = { scopes: [], apiKeyRequired: false, iam: false, unsupported: [] };
  const authType = methodAuthType(operation);
  // x-amazon-apigateway-auth: the method's authorization type written directly (DG: AWS_IAM or NONE).
  if (authType === 'AWS_IAM') result.iam = true;
  else if (authType !== undefined && authType !== 'NONE') result.unsupported.push(`x-amazon-apigateway-auth type ${authType} (AWS_IAM or NONE only)`);
  // API Gateway does not treat the list as OpenAPI alternatives: every scheme named anywhere applies.
  for (const requirement of security as unknown[]) {
    for (const [name, scopes] of Object.entries((requirement ?? {}) as Record<string, unknown>)) {
      applyScheme(result, doc, name, scopes, source, `${where}.security`);
    }
  }
  return result;
}

function applyScheme(result: OperationSecurity, doc: OpenApiDocument, name: string, scopes: unknown, source: string, where: string): void {
  if (name === 'NONE') return; // SAM's marker for "no default authorizer here" (R13.7)
  const scheme = securitySchemes(doc)[name] as Record<string, unknown> | undefined;
  if (!scheme) throw new TemplateError(source, `${where}.${name}`, 'names no security scheme in components.securitySchemes');
  const schemeWhere = `components.securitySchemes.${name}`;
  const authorizer = scheme['x-amazon-apigateway-authorizer'] as Record<string, unknown> | undefined;
  if (!authorizer) {
    const isKey = scheme.type === 'apiKey' && scheme.in === 'header' && String(scheme.name).toLowerCase() === 'x-api-key';
    if (isKey) result.apiKeyRequired = true;
    else if (scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') {
      if (result.authorizer) throw new TemplateError(source, where, `names IAM (${name}) and the authorizer ${result.authorizer.schemeName}; API Gateway allows one authorization type per method`);
      result.iam = true;
    } else result.unsupported.push(`${name}: security scheme without x-amazon-apigateway-authorizer`);
    return;
  }
  if (result.iam) throw new TemplateError(source, where, `names IAM and the authorizer ${name}; API Gateway allows one authorization type per method`);
  if (result.authorizer) {
    throw new TemplateError(source, where, `names two authorizers (${result.authorizer.schemeName}, ${name}); API Gateway allows one per method`);
  }
  result.authorizer = parseAuthorizer(name, scheme, authorizer, source, schemeWhere);
  result.scopes = Array.isArray(scopes) ? scopes.map(String) : [];
}

function securitySchemes(doc: OpenApiDocument): Record<string, unknown> {
  const components = (doc.components ?? {}) as Record<string, unknown>;
  return ((components.securitySchemes ?? doc.securityDefinitions ?? {}) as Record<string, unknown>) ?? {};
}

/** The authorizer of a security scheme (its x-amazon-apigateway-authorizer), or undefined when it has none. */
export function schemeAuthorizer(doc: OpenApiDocument, schemeName: string, source = 'openapi'): AuthorizerConfig | undefined {
  const scheme = securitySchemes(doc)[schemeName] as Record<string, unknown> | undefined;
  const authorizer = scheme?.['x-amazon-apigateway-authorizer'] as Record<string, unknown> | undefined;
  return scheme && authorizer ? parseAuthorizer(schemeName, scheme, authorizer, source, `components.securitySchemes.${schemeName}`) : undefined;
}

function parseAuthorizer(
  schemeName: string,
  scheme: Record<string, unknown>,
  raw: Record<string, unknown>,
  source: string,
  where: string,
): AuthorizerConfig {
  const type = String(raw.type ?? '').toLowerCase();
  if (type !== 'token' && type !== 'request' && type !== 'cognito_user_pools') {
    throw new TemplateError(source, `${where}.x-amazon-apigateway-authorizer.type`, `must be token, request or cognito_user_pools, got ${JSON.stringify(raw.type)}`);
  }
  const headerName = typeof scheme.name === 'string' ? scheme.name : 'Authorization';
  const ttlSeconds = raw.authorizerResultTtlInSeconds === undefined ? DEFAULT_TTL_SECONDS : Number(raw.authorizerResultTtlInSeconds);
  if (!Number.isInteger(ttlSeconds) || ttlSeconds < 0 || ttlSeconds > MAX_TTL_SECONDS) {
    throw new TemplateError(source, `${where}.x-amazon-apigateway-authorizer.authorizerResultTtlInSeconds`, `must be an integer 0-${MAX_TTL_SECONDS} (R7.18)`);
  }
  const defaultSource = type === 'request' ? '' : `method.request.header.${headerName}`;
  const identitySources = parseIdentitySources(String(raw.identitySource ?? defaultSource), source, where);
  // An empty expression is no expression, as the console's blank field is (a Ref to a parameter defaulting to ""):
  // matched in full it would refuse every token before the authorizer runs.
  const expression = typeof raw.identityValidationExpression === 'string' && raw.identityValidationExpression !== '' ? raw.identityValidationExpression : undefined;
  const config: AuthorizerConfig = {
    schemeName,
    type,
    headerName,
    identitySources,
    ttlSeconds,
    providerARNs: Array.isArray(raw.providerARNs) ? raw.providerARNs.map(String) : [],
  };
  if (typeof scheme['x-amazon-apigateway-authtype'] === 'string') config.authType = scheme['x-amazon-apigateway-authtype'];
  if (typeof raw.authorizerUri === 'string') config.authorizerUri = raw.authorizerUri;
  if (expression !== undefined && type !== 'request') {
    config.identityValidationExpression = expression;
    config.identityValidationPattern = compileFullMatch(expression, source, `${where}.x-amazon-apigateway-authorizer.identityValidationExpression`);
  }
  if (type !== 'cognito_user_pools' && !config.authorizerUri) {
    throw new TemplateError(source, `${where}.x-amazon-apigateway-authorizer.authorizerUri`, 'is required for Lambda authorizers');
  }
  return config;
}

/** Parse a comma-separated identitySource (R7.3): path parameters cannot be identity sources. */
export function parseIdentitySources(text: string, source = 'openapi', where = 'identitySource'): IdentitySource[] {
  const out: IdentitySource[] = [];
  for (const expression of text.split(',').map((s) => s.trim()).filter(Boolean)) {
    const match = /^(?:method\.request\.(header|querystring)\.|(stageVariables)\.|(context)\.)(.+)$/.exec(expression);
    if (!match) {
      throw new TemplateError(source, `${where}.x-amazon-apigateway-authorizer.identitySource`, `unsupported identity source "${expression}" (header, querystring, stageVariables or context only, R7.3)`);
    }
    const kind = (match[1] ?? match[2] ?? match[3]) as IdentitySource['kind'];
    out.push({ kind, name: match[4] as string, expression });
  }
  return out;
}
