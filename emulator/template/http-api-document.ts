/**
 * What API Gateway's OpenAPI import makes of an HTTP API document (H2): routes with their
 * integrations and authorization, authorizers, the CORS configuration, and notes for the report.
 */
import {
  TemplateError,
  type HttpApiNote,
  type HttpAuthorizerSpec,
  type HttpCorsSpec,
  type HttpIntegrationSpec,
  type HttpRouteSpec,
  type OpenApiDocument,
} from './model.js';
import { requestMappings, responseMappings } from './http-parameter-mapping.js';
import { serviceParameters } from './http-service-subtypes.js';
import { substituteAwsVariables } from './aws-variables.js';
import { checkPathItems, OPENAPI_VERBS } from './openapi-verbs.js';
import { unreadAuthorizerKeys, unreadDocumentKeys } from './http-api-keys.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const VERBS = OPENAPI_VERBS;

/** H2.4 [AMBIGUOUS]: API v2/CFN default of 30 s (not SAM's documented 5 s). */
export const DEFAULT_HTTP_TIMEOUT_MS = 30_000;

export interface ImportedDocument {
  routes: HttpRouteSpec[];
  authorizers: Record<string, HttpAuthorizerSpec>;
  cors?: HttpCorsSpec;
  notes: HttpApiNote[];
  /** H3.9: the integrations the import creates: one per operation's own, one per shared `$ref`. */
  integrations: number;
}

/** H3.9: integrations per HTTP API, a quota AWS does not raise (its 300 routes per API it raises on request). */
export const MAX_HTTP_INTEGRATIONS = 300;

/** H3.9: an API with more integrations than the quota is one AWS would not create. */
export function checkIntegrationQuota(count: number, source: string, key: string): void {
  if (count > MAX_HTTP_INTEGRATIONS) {
    throw new TemplateError(source, key, `${count} integrations: an HTTP API has at most ${MAX_HTTP_INTEGRATIONS}, a quota AWS does not raise (H3.9)`);
  }
}

/** A list of strings from an array or a comma-separated string (H2.8 accepts both). */
export function stringList(value: unknown): string[] {
  if (Array.isArray(value)) return value.map(String).map((s) => s.trim()).filter(Boolean);
  if (typeof value === 'string') return value.split(',').map((s) => s.trim()).filter(Boolean);
  return [];
}

/** Reads an imported HTTP API document (H2.1-H2.9, H1.5): refuses what the import refuses. */
export function importHttpApiDocument(raw: OpenApiDocument, source: string, aws: { region: string; accountId: string }): ImportedDocument {
  const doc = substituteAwsVariables(raw, aws);
  if (doc.swagger !== undefined || typeof doc.openapi !== 'string' || !doc.openapi.startsWith('3.')) {
    throw new TemplateError(source, 'openapi', 'HTTP APIs import OpenAPI 3.0 documents only (H2.1)');
  }
  if (!isRecord(doc.paths)) throw new TemplateError(source, 'paths', "Invalid OpenApi document: missing 'paths' (H1.14)");
  checkPathItems(doc.paths, source);
  const notes: HttpApiNote[] = [];
  const authorizers = readAuthorizers(doc, source, notes);
  const routes: HttpRouteSpec[] = [];
  let inline = 0;
  const shared = new Set<string>();
  for (const [path, item] of Object.entries(doc.paths)) {
    if (!isRecord(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      const verb = VERBS[key];
      if (!verb || !isRecord(op)) continue;
      const integration = op['x-amazon-apigateway-integration'];
      if (isRecord(integration) && typeof integration.$ref === 'string') shared.add(integration.$ref);
      else if (isRecord(integration)) inline += 1;
      const location = `paths.${path}.${key}`;
      const isDefault = path === '$default' || path === '/$default' || op.isDefaultRoute === true;
      const routeKey = isDefault ? '$default' : `${verb} ${path}`;
      routes.push({ routeKey, ...readIntegration(doc, op, source, location), ...readSecurity(doc, op, authorizers, source, location), location });
      noteOperation(op, location, notes);
    }
  }
  if (Array.isArray(doc.security)) {
    notes.push({ subject: 'security (root level)', location: 'security', status: 'ignored', detail: 'only operation-level security is applied, as on REST import (R6.2)' });
  }
  const cors = isRecord(doc['x-amazon-apigateway-cors']) ? readCors(doc['x-amazon-apigateway-cors'], source, 'x-amazon-apigateway-cors') : undefined;
  for (const key of Object.keys(doc).filter((k) => k.startsWith('x-amazon-apigateway-') && k !== 'x-amazon-apigateway-cors')) {
    notes.push({ subject: key, location: key, status: 'ignored', detail: 'no effect on requests served locally' });
  }
  notes.push(...unreadDocumentKeys(doc));
  return { routes, authorizers, ...(cors ? { cors } : {}), notes, integrations: inline + shared.size };
}

function noteOperation(op: Record<string, unknown>, location: string, notes: HttpApiNote[]): void {
  if (op.requestBody !== undefined) notes.push({ subject: 'requestBody', location, status: 'ignored', detail: 'HTTP APIs do not validate requests (H2.2)' });
}

/**
 * A payload format version as API Gateway reads it: YAML `2.0` unquoted is the number 2, which SAM passes through
 * and API Gateway accepts as "2.0".
 */
export function formatVersion(v: unknown): string {
  return typeof v === 'number' && Number.isInteger(v) ? v.toFixed(1) : String(v ?? '');
}

/** Why a route whose integration has no payloadFormatVersion is not served (H2.3). */
export const MISSING_PAYLOAD_VERSION = 'the integration has no payloadFormatVersion, which API Gateway requires for HTTP APIs ("1.0" or "2.0", H2.3)';

/** H2.3: inline or `$ref` to components.x-amazon-apigateway-integrations; payloadFormatVersion required. */
function readIntegration(doc: OpenApiDocument, op: Record<string, unknown>, source: string, location: string): { integration?: HttpIntegrationSpec } {
  let raw = op['x-amazon-apigateway-integration'];
  if (isRecord(raw) && typeof raw.$ref === 'string') {
    const name = /^#\/components\/x-amazon-apigateway-integrations\/(.+)$/.exec(raw.$ref)?.[1];
    const shared = isRecord(doc.components) ? doc.components['x-amazon-apigateway-integrations'] : undefined;
    raw = name && isRecord(shared) ? shared[name] : undefined;
    if (!isRecord(raw)) throw new TemplateError(source, `${location}.x-amazon-apigateway-integration.$ref`, 'does not resolve');
  }
  if (!isRecord(raw)) return {};
  const key = `${location}.x-amazon-apigateway-integration`;
  const extras = { method: raw.httpMethod, connectionType: raw.connectionType, subtype: raw.integrationSubtype, requestParameters: raw.requestParameters, responseParameters: raw.responseParameters };
  if (raw.payloadFormatVersion === undefined) {
    // [AMBIGUOUS] H2.3: AWS documents the field as required and not what its import does without it; only this
    // route is left unserved (reported, answering 500), the rest of the API is served. '1.0' is a placeholder never read.
    const spec = integrationSpec(raw.type, raw.uri, '1.0', raw.timeoutInMillis, source, key, raw.credentials, extras);
    return { integration: { ...spec, notServed: MISSING_PAYLOAD_VERSION } };
  }
  const version = formatVersion(raw.payloadFormatVersion);
  if (version !== '1.0' && version !== '2.0') throw new TemplateError(source, `${key}.payloadFormatVersion`, 'must be "1.0" or "2.0" for HTTP APIs (H2.3)');
  return { integration: integrationSpec(raw.type, raw.uri, version, raw.timeoutInMillis, source, key, raw.credentials, extras) };
}

/** Checks the H2.3/H2.4 ranges shared by OpenAPI and AWS::ApiGatewayV2::Integration. */
export interface IntegrationExtras {
  method?: unknown;
  connectionType?: unknown;
  subtype?: unknown;
  requestParameters?: unknown;
  responseParameters?: unknown;
}

export function integrationSpec(type: unknown, uri: unknown, version: '1.0' | '2.0', timeout: unknown, source: string, key: string, credentials?: unknown, endpoint: IntegrationExtras = {}): HttpIntegrationSpec {
  const lowered = String(type ?? '').toLowerCase();
  if (lowered !== 'aws_proxy' && version !== '1.0') throw new TemplateError(source, `${key}.payloadFormatVersion`, 'only Lambda proxy integrations accept "2.0" (H2.3)');
  const ms = timeout === undefined ? DEFAULT_HTTP_TIMEOUT_MS : Number(timeout);
  if (!Number.isInteger(ms) || ms < 50 || ms > 30_000) throw new TemplateError(source, `${key}.timeoutInMillis`, 'must be 50-30000 (H2.4)');
  const method = typeof endpoint.method === 'string' && endpoint.method !== '' ? { method: endpoint.method.toUpperCase() } : {};
  const connection = typeof endpoint.connectionType === 'string' ? { connectionType: endpoint.connectionType.toUpperCase() } : {};
  // An AWS service integration's requestParameters name the action's parameters, not H11.6 mappings.
  const subtype = typeof endpoint.subtype === 'string' && endpoint.subtype !== '' ? { subtype: endpoint.subtype } : {};
  if (subtype.subtype !== undefined && version !== '1.0') throw new TemplateError(source, `${key}.payloadFormatVersion`, 'AWS service integrations (integrationSubtype) accept only "1.0" (H2.3)');
  const service = subtype.subtype === undefined ? undefined : { serviceParameters: serviceParameters(subtype.subtype, endpoint.requestParameters, source, cfnKeys(key)) };
  const request = subtype.subtype === undefined ? requestMappings(endpoint.requestParameters, source, `${key}.requestParameters`) : undefined;
  const response = responseMappings(endpoint.responseParameters, source, `${key}.responseParameters`);
  const mapped = { ...(request?.length ? { requestParameters: request } : {}), ...(response && Object.keys(response).length ? { responseParameters: response } : {}) };
  return { type: lowered, uri: typeof uri === 'string' ? uri : '', payloadFormatVersion: version, timeoutInMillis: ms, ...roleOf(credentials), ...method, ...connection, ...subtype, ...service, ...mapped };
}

/** Where an integration's subtype and parameters are written: CloudFormation's property names or the OpenAPI extension's. */
function cfnKeys(key: string): { subtype: string; parameters: string } {
  const cfn = key.endsWith('.Properties');
  return { subtype: `${key}.${cfn ? 'IntegrationSubtype' : 'integrationSubtype'}`, parameters: `${key}.${cfn ? 'RequestParameters' : 'requestParameters'}` };
}

/** A role ARN given as credentials (any non-empty string: locally a role is neither assumed nor checked). */
function roleOf(credentials: unknown): { credentials?: string } {
  return typeof credentials === 'string' && credentials !== '' ? { credentials } : {};
}

/** H2.2/H2.9: one authorization per operation; its scopes from the requirement. */
function readSecurity(
  doc: OpenApiDocument,
  op: Record<string, unknown>,
  authorizers: Record<string, HttpAuthorizerSpec>,
  source: string,
  location: string,
): Pick<HttpRouteSpec, 'authorizationType' | 'authorizer' | 'authorizationScopes'> {
  const none = { authorizationType: 'NONE' as const, authorizationScopes: [] };
  const requirements = Array.isArray(op.security) ? op.security.filter(isRecord) : [];
  const names = requirements.flatMap((r) => Object.keys(r).map((name) => ({ name, scopes: r[name] })));
  if (names.length === 0) return none;
  if (names.length > 1) throw new TemplateError(source, `${location}.security`, 'an HTTP API route takes one authorization only (H2.2)');
  const { name, scopes } = names[0]!;
  const schemes = isRecord(doc.components) && isRecord(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const scheme = schemes[name];
  if (isRecord(scheme) && scheme['x-amazon-apigateway-authtype'] === 'awsSigv4') return { authorizationType: 'AWS_IAM', authorizationScopes: [] };
  const authorizer = authorizers[name];
  if (!authorizer) throw new TemplateError(source, `${location}.security.${name}`, 'names no x-amazon-apigateway-authorizer in components.securitySchemes');
  const list = Array.isArray(scopes) ? scopes.map(String) : [];
  return { authorizationType: authorizer.type === 'jwt' ? 'JWT' : 'CUSTOM', authorizer: name, authorizationScopes: list };
}

function readAuthorizers(doc: OpenApiDocument, source: string, notes: HttpApiNote[]): Record<string, HttpAuthorizerSpec> {
  const schemes = isRecord(doc.components) && isRecord(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  const out: Record<string, HttpAuthorizerSpec> = {};
  for (const [name, scheme] of Object.entries(schemes)) {
    if (!isRecord(scheme) || !isRecord(scheme['x-amazon-apigateway-authorizer'])) continue;
    const raw = scheme['x-amazon-apigateway-authorizer'];
    const location = `components.securitySchemes.${name}.x-amazon-apigateway-authorizer`;
    const jwt = isRecord(raw.jwtConfiguration) ? raw.jwtConfiguration : {};
    // H2.8: an openIdConnect scheme's URL names the issuer when jwtConfiguration.issuer is absent.
    const oidc = typeof scheme.openIdConnectUrl === 'string' ? scheme.openIdConnectUrl.replace(/\/\.well-known\/openid-configuration$/, '') : undefined;
    out[name] = authorizerSpec(
      {
        name,
        type: raw.type,
        identitySource: raw.identitySource,
        issuer: jwt.issuer ?? oidc,
        audience: jwt.audience,
        authorizerUri: raw.authorizerUri,
        payloadFormatVersion: raw.authorizerPayloadFormatVersion,
        enableSimpleResponses: raw.enableSimpleResponses,
        ttlSeconds: raw.authorizerResultTtlInSeconds,
        credentials: raw.authorizerCredentials,
      },
      source,
      location,
    );
    notes.push(...unreadAuthorizerKeys(raw, location));
    if (raw.authorizerCredentials !== undefined) {
      notes.push({ subject: 'authorizerCredentials', location, status: 'ignored', detail: 'no IAM locally: the role is not assumed and its policy not checked; with a role, API Gateway needs no resource-based permission to invoke the authorizer (H1.11)' });
    }
  }
  return out;
}

/** Raw authorizer fields, as OpenAPI and AWS::ApiGatewayV2::Authorizer both give them. */
export interface RawAuthorizer {
  name: string;
  type: unknown;
  identitySource: unknown;
  issuer: unknown;
  audience: unknown;
  authorizerUri: unknown;
  payloadFormatVersion: unknown;
  enableSimpleResponses: unknown;
  ttlSeconds: unknown;
  credentials?: unknown;
}

/** H2.8, H8.1, H8.7: validated authorizer; Lambda authorizers need a payload format version. */
export function authorizerSpec(raw: RawAuthorizer, source: string, location: string): HttpAuthorizerSpec {
  const type = String(raw.type ?? '').toLowerCase();
  if (type !== 'jwt' && type !== 'request') throw new TemplateError(source, `${location}.type`, 'must be jwt or request for HTTP APIs (H2.8)');
  const identitySource = stringList(raw.identitySource);
  if (type === 'jwt') {
    if (typeof raw.issuer !== 'string') throw new TemplateError(source, `${location}.jwtConfiguration.issuer`, 'is required for a JWT authorizer (H2.8)');
    return {
      name: raw.name,
      type,
      identitySource: identitySource.length ? identitySource : ['$request.header.Authorization'],
      issuer: raw.issuer,
      audience: stringList(raw.audience),
      payloadFormatVersion: '2.0',
      enableSimpleResponses: false,
      ttlSeconds: 0,
      location,
    };
  }
  const version = formatVersion(raw.payloadFormatVersion);
  if (version !== '1.0' && version !== '2.0') throw new TemplateError(source, `${location}.authorizerPayloadFormatVersion`, 'must be "1.0" or "2.0" (H8.1)');
  const simple = raw.enableSimpleResponses === true || raw.enableSimpleResponses === 'true';
  if (simple && version !== '2.0') throw new TemplateError(source, `${location}.enableSimpleResponses`, 'needs authorizerPayloadFormatVersion "2.0" (H8.1)');
  // [AMBIGUOUS] H8.7: no TTL given means no caching (SAM writes one only from ReauthorizeEvery).
  const ttl = raw.ttlSeconds === undefined ? 0 : Number(raw.ttlSeconds);
  if (!Number.isInteger(ttl) || ttl < 0 || ttl > 3600) throw new TemplateError(source, `${location}.authorizerResultTtlInSeconds`, 'must be 0-3600 (H8.7)');
  if (ttl > 0 && identitySource.length === 0) throw new TemplateError(source, `${location}.identitySource`, 'caching needs at least one identity source (H8.7)');
  for (const s of identitySource) {
    if (!/^\$(request\.header|request\.querystring|context|stageVariables)\.[^.].*$/.test(s)) {
      throw new TemplateError(source, `${location}.identitySource`, `unsupported identity source "${s}" (H8.4)`);
    }
  }
  if (typeof raw.authorizerUri !== 'string') throw new TemplateError(source, `${location}.authorizerUri`, 'is required for a Lambda authorizer');
  return { name: raw.name, type, identitySource, audience: [], authorizerUri: raw.authorizerUri, payloadFormatVersion: version, enableSimpleResponses: simple, ttlSeconds: ttl, location, ...roleOf(raw.credentials) };
}

/**
 * H2.7 / CFN CorsConfiguration (keys in either case) → HttpCorsSpec; `*` with credentials is refused (H9.5) unless
 * `wildcardWithCredentials` (a function URL: Lambda accepts the pair and echoes the request's origin, gateway/http/cors.ts).
 */
export function readCors(raw: Record<string, unknown>, source: string, location: string, wildcardWithCredentials = false): HttpCorsSpec {
  const get = (name: string): unknown => raw[name] ?? raw[name[0]!.toUpperCase() + name.slice(1)];
  const cors: HttpCorsSpec = {
    allowOrigins: stringList(get('allowOrigins')),
    allowMethods: stringList(get('allowMethods')).map((m) => m.toUpperCase()),
    allowHeaders: stringList(get('allowHeaders')).map((h) => h.toLowerCase()),
    exposeHeaders: stringList(get('exposeHeaders')).map((h) => h.toLowerCase()),
    allowCredentials: get('allowCredentials') === true || get('allowCredentials') === 'true',
  };
  const maxAge = get('maxAge');
  if (maxAge !== undefined) cors.maxAge = Number(maxAge);
  if (cors.allowCredentials && cors.allowOrigins.includes('*') && !wildcardWithCredentials) {
    throw new TemplateError(source, location, "allow-credentials is not supported if 'allow-origin' is * (H9.5)");
  }
  return cors;
}
