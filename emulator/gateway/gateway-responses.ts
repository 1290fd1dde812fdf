/** API Gateway-generated responses (R8): types, defaults, DEFAULT_4XX/5XX fallback and OpenAPI overrides. */
import type { OpenApiDocument } from '../template/model.js';
import { contextVariables, type ApiEnvironment } from './context.js';
import { acceptMediaType, type RequestState } from './request-state.js';
import { requestParams } from './proxy-event.js';
import { isObject } from './routes.js';
import { responseTraceHeader } from './trace.js';
import { Reply } from './reply.js';
import { CasedHeaders } from './wire-headers.js';

export type GatewayResponseType =
  | 'ACCESS_DENIED'
  | 'API_CONFIGURATION_ERROR'
  | 'AUTHORIZER_CONFIGURATION_ERROR'
  | 'AUTHORIZER_FAILURE'
  | 'BAD_REQUEST_BODY'
  | 'BAD_REQUEST_PARAMETERS'
  | 'DEFAULT_4XX'
  | 'DEFAULT_5XX'
  | 'EXPIRED_TOKEN'
  | 'INTEGRATION_FAILURE'
  | 'INTEGRATION_TIMEOUT'
  | 'INVALID_API_KEY'
  | 'INVALID_SIGNATURE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'QUOTA_EXCEEDED'
  | 'REQUEST_TOO_LARGE'
  | 'RESOURCE_NOT_FOUND'
  | 'THROTTLED'
  | 'UNAUTHORIZED'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'WAF_FILTERED';

interface Builtin {
  status?: number;
  message: string | null;
  errorType?: string;
  template?: string;
}

const JSON_TEMPLATE = '{"message":$context.error.messageString}';
/**
 * The integration-side 5xx answers are written with a space after the colon: 36 bytes for `{"message": "Internal
 * server error"}` in LocalStack's AWS-validated recording, and `{"message": "Endpoint request timed out"}` as users
 * quote AWS's 504. The 4xx answers and the authorizer's 500 keep the compact form AWS sends for them.
 */
const SPACED_JSON_TEMPLATE = '{"message": $context.error.messageString}';

/** R8.1/R8.2 built-in defaults. Messages/error types not recorded anywhere are best guesses (marked). */
export const BUILTIN_RESPONSES: Record<GatewayResponseType, Builtin> = {
  ACCESS_DENIED: { status: 403, message: 'User is not authorized to access this resource', errorType: 'AccessDeniedException', template: '{"Message":$context.error.messageString}' },
  API_CONFIGURATION_ERROR: { status: 500, message: 'Internal server error', errorType: 'InternalServerErrorException', template: SPACED_JSON_TEMPLATE },
  AUTHORIZER_CONFIGURATION_ERROR: { status: 500, message: null, errorType: 'AuthorizerConfigurationException' },
  AUTHORIZER_FAILURE: { status: 500, message: null, errorType: 'AuthorizerConfigurationException' }, // guess
  BAD_REQUEST_BODY: { status: 400, message: 'Invalid request body', errorType: 'BadRequestException' },
  BAD_REQUEST_PARAMETERS: { status: 400, message: 'Missing required request parameters', errorType: 'BadRequestException' },
  DEFAULT_4XX: { message: null },
  DEFAULT_5XX: { message: 'Internal server error', errorType: 'InternalServerErrorException', template: SPACED_JSON_TEMPLATE },
  EXPIRED_TOKEN: { status: 403, message: 'The security token included in the request is expired', errorType: 'ExpiredTokenException' }, // guess
  INTEGRATION_FAILURE: { status: 504, message: 'Internal server error', errorType: 'InternalServerErrorException', template: SPACED_JSON_TEMPLATE }, // guess
  INTEGRATION_TIMEOUT: { status: 504, message: 'Endpoint request timed out', errorType: 'InternalServerErrorException', template: SPACED_JSON_TEMPLATE },
  INVALID_API_KEY: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
  INVALID_SIGNATURE: { status: 403, message: 'Invalid signature', errorType: 'InvalidSignatureException' }, // guess
  MISSING_AUTHENTICATION_TOKEN: { status: 403, message: 'Missing Authentication Token', errorType: 'MissingAuthenticationTokenException' },
  QUOTA_EXCEEDED: { status: 429, message: 'Limit Exceeded', errorType: 'LimitExceededException' },
  // R11.14: `{"message": "Request Too Long"}`, spaced as recorded.
  REQUEST_TOO_LARGE: { status: 413, message: 'Request Too Long', errorType: 'BadRequestException', template: SPACED_JSON_TEMPLATE },
  RESOURCE_NOT_FOUND: { status: 404, message: 'Not Found', errorType: 'NotFoundException' }, // guess
  THROTTLED: { status: 429, message: 'Too Many Requests', errorType: 'TooManyRequestsException' },
  UNAUTHORIZED: { status: 401, message: 'Unauthorized', errorType: 'UnauthorizedException' },
  UNSUPPORTED_MEDIA_TYPE: { status: 415, message: 'Unsupported Media Type', errorType: 'UnsupportedMediaTypeException' },
  // [AMBIGUOUS W3.2] AWS does not record the type; the KC 403 table lists WAF among the ForbiddenException causes.
  WAF_FILTERED: { status: 403, message: 'Forbidden', errorType: 'ForbiddenException' },
};

/** An API Gateway-generated failure on its way to becoming a gateway response. */
export class GatewayError extends Error {
  constructor(
    readonly type: GatewayResponseType,
    readonly detail: {
      message?: string | null;
      status?: number;
      validationErrorString?: string;
      log?: string;
      /** x-amzn-ErrorType when it is not the type's own (IAM: EXPIRED_TOKEN sends InvalidSignatureException). */
      errorType?: string;
      /** The built-in template when it is not the type's own; a customisation (R8.3) still wins. */
      template?: string;
    } = {},
  ) {
    super(detail.log ?? `${type}: ${detail.message ?? BUILTIN_RESPONSES[type].message}`);
    this.name = 'GatewayError';
  }
}

interface Customisation {
  statusCode?: string | number;
  responseParameters?: Record<string, string>;
  responseTemplates?: Record<string, string>;
}

function customisation(doc: OpenApiDocument, type: string): Customisation | undefined {
  const all = doc['x-amazon-apigateway-gateway-responses'];
  const entry = isObject(all) ? all[type] : undefined;
  return isObject(entry) ? (entry as Customisation) : undefined;
}

/**
 * R8.8: response types API Gateway answers with its built-in default whatever the API customises ("Customizing the
 * default gateway response for 413 REQUEST_TOO_LARGE isn't currently supported"); DEFAULT_4XX does not reach them either.
 */
export const NOT_CUSTOMISABLE: ReadonlySet<string> = new Set<GatewayResponseType>(['REQUEST_TOO_LARGE']);

/** R8.3: the type's own customisation, else the customised DEFAULT_4XX/5XX of its class, else the built-in. */
function resolve(doc: OpenApiDocument, type: GatewayResponseType, status: number): Customisation {
  if (NOT_CUSTOMISABLE.has(type)) return {};
  const own = customisation(doc, type);
  if (own) return own;
  const fallback = customisation(doc, status >= 500 ? 'DEFAULT_5XX' : 'DEFAULT_4XX');
  return fallback ?? {};
}

/** R2.3 selection: exact Accept key, else application/json, else the first template. */
export function selectTemplate(templates: Record<string, string> | undefined, accept: string): [string, string] | undefined {
  if (!templates) return undefined;
  const entries = Object.entries(templates);
  if (entries.length === 0) return undefined;
  const exact = entries.find(([k]) => k.toLowerCase() === accept);
  return exact ?? entries.find(([k]) => k.toLowerCase() === 'application/json') ?? entries[0];
}

/** R8.6: plain `$context.a.b` / `$stageVariables.x` substitution, no VTL. Unknown names render empty. */
export function substitute(template: string, vars: { context: Record<string, unknown>; stageVariables: Record<string, string> | null }): string {
  const tail = String.raw`((?:\.[A-Za-z0-9_-]+|\['[^']*'\])+)`;
  const pattern = new RegExp(String.raw`\$\{(context|stageVariables)${tail}\}|\$(context|stageVariables)${tail}`, 'g');
  return template.replace(pattern, (...m: string[]) => {
    const root = (m[1] ?? m[3]) as string;
    const path = (m[2] ?? m[4]) as string;
    const keys = [...path.matchAll(/\.([A-Za-z0-9_-]+)|\['([^']*)'\]/g)].map((m) => (m[1] ?? m[2]) as string);
    let value: unknown = root === 'context' ? vars.context : (vars.stageVariables ?? {});
    for (const key of keys) value = isObject(value) ? value[key] : undefined;
    return value === undefined || value === null ? (keys.at(-1) === 'messageString' ? 'null' : '') : String(value);
  });
}

function parameterValue(expr: string, state: RequestState): string | undefined {
  const quoted = /^'(.*)'$/s.exec(expr);
  if (quoted) return quoted[1];
  const match = /^method\.request\.(header|path|querystring)\.(.+)$/.exec(expr);
  if (!match) return undefined;
  const params = requestParams(state);
  const bag = params[match[1] as 'header' | 'path' | 'querystring'];
  const name = match[2] as string;
  if (match[1] !== 'header') return bag[name];
  const key = Object.keys(bag).find((k) => k.toLowerCase() === name.toLowerCase());
  return key === undefined ? undefined : bag[key];
}

/** Builds the answer API Gateway sends for an error it generated itself (R8.1-R8.7). */
export function gatewayResponse(doc: OpenApiDocument, error: GatewayError, state: RequestState, env: ApiEnvironment): Reply {
  const builtin = BUILTIN_RESPONSES[error.type];
  const defaultStatus = error.detail.status ?? builtin.status ?? (error.type === 'DEFAULT_4XX' ? 400 : 500);
  const custom = resolve(doc, error.type, defaultStatus);
  const status = custom.statusCode !== undefined && custom.statusCode !== null ? Number(custom.statusCode) : defaultStatus;
  const message = error.detail.message !== undefined ? error.detail.message : builtin.message;
  state.gatewayError = { message, responseType: error.type };
  const context = contextVariables(state, env, { message, responseType: error.type, validationErrorString: error.detail.validationErrorString });
  // An empty map (what SAM writes for GatewayResponses with headers only) customises no body: the default one stays.
  const customTemplates = custom.responseTemplates && Object.keys(custom.responseTemplates).length > 0 ? custom.responseTemplates : undefined;
  const templates = customTemplates ?? { 'application/json': error.detail.template ?? builtin.template ?? JSON_TEMPLATE };
  const chosen = selectTemplate(templates, acceptMediaType(state.headers));
  const headers = new CasedHeaders();
  if (chosen) headers.set('Content-Type', chosen[0]);
  for (const [key, expr] of Object.entries(custom.responseParameters ?? {})) {
    const header = /^gatewayresponse\.header\.(.+)$/.exec(key);
    const value = typeof expr === 'string' ? parameterValue(expr, state) : undefined;
    if (header && value !== undefined) headers.set(header[1] as string, value);
  }
  addStandardHeaders(headers, state);
  const errorType = error.detail.errorType ?? builtin.errorType;
  if (errorType) headers.set('x-amzn-ErrorType', errorType);
  const body = chosen ? substitute(chosen[1], { context, stageVariables: env.stageVariables }) : '';
  return new Reply(status, headers, body);
}

/** x-amzn-RequestId and x-amz-apigw-id on every response (R1.25). */
export function addStandardHeaders(headers: Headers, state: RequestState): void {
  headers.set('x-amzn-RequestId', state.requestId);
  headers.set('x-amz-apigw-id', state.extendedRequestId);
}

/** The headers API Gateway adds to an integration's response: the standard ones (R1.25) and its X-Ray trace id. */
export function integrationGatewayHeaders(state: RequestState): [string, string][] {
  return [
    ['x-amzn-RequestId', state.requestId],
    ['x-amz-apigw-id', state.extendedRequestId],
    ['X-Amzn-Trace-Id', responseTraceHeader(state.trace)],
  ];
}

/** API Gateway's fixed 10 MB payload limit (R8.8, R11.14). */
export const MAX_PAYLOAD_BYTES = 10 * 1024 * 1024;

/** R8.8: the 413 for bodies over 10 MB cannot be customised; fixed content type and text. */
export function payloadTooLarge(state: RequestState): Reply {
  const headers = new CasedHeaders();
  headers.set('Content-Type', 'text; charset=utf-8');
  addStandardHeaders(headers, state);
  return new Reply(413, headers, `HTTP content length exceeded ${MAX_PAYLOAD_BYTES} bytes.`);
}
