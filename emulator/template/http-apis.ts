/**
 * AWS::Serverless::HttpApi and implicit `Events: Type: HttpApi` → HttpApiSpec: the OpenAPI document
 * SAM would generate (H1.4-H1.13), then API Gateway's import of it (H2), plus the stage (H1.3).
 */
import { definition } from './apis.js';
import { applyGlobals } from './globals.js';
import { checkIntegrationQuota, formatVersion, importHttpApiDocument, readCors } from './http-api-document.js';
import { attachedToSamHttpApi, plainHttpApis, stageSpec } from './http-api-resources.js';
import { apiOrReported, type ApiRefusals } from './per-api.js';
import { TemplateError, type ApiGatewayGrant, type FunctionSpec, type HttpApiNote, type HttpApiSpec, type OpenApiDocument } from './model.js';
import { restApiIdFor, type Stack } from './stack.js';
import { aliasedArn } from './uris.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
type Json = Record<string, unknown>;

/** H1.4: the implicit API's logical id. */
export const IMPLICIT_HTTP_API = 'ServerlessHttpApi';

/** SAM HttpApi properties with no effect on requests served locally, and why. */
const IGNORED: Record<string, string> = {
  Name: 'only the API name (info.title)',
  Description: 'documentation only',
  Tags: 'tags have no effect on requests',
  FailOnWarnings: 'import warnings are not reproduced',
  DisableExecuteApiEndpoint: 'the local endpoint is always served',
  PropagateTags: 'tags have no effect on requests',
};
const NOT_EMULATED: Record<string, string> = {
  Domain: 'custom domains are not served; the API is served at its stage path',
};

/** H1.13: properties SAM writes into the document, refused with a DefinitionUri (SAM's messages, in SAM's order). */
const NEEDS_INLINE_BODY: [string, string][] = [
  ['CorsConfiguration', "Cors works only with inline OpenApi specified in 'DefinitionBody' property."],
  ['Auth', "Auth works only with inline OpenApi specified in the 'DefinitionBody' property."],
  ['Tags', "Tags works only with inline OpenApi specified in the 'DefinitionBody' property."],
  ['DisableExecuteApiEndpoint', "DisableExecuteApiEndpoint works only within 'DefinitionBody' property."],
  ['Name', "Name works only with inline OpenApi specified in the 'DefinitionBody' property."],
  ['Description', "Description works only with inline OpenApi specified in the 'DefinitionBody' property."],
];

/** Whether SAM acts on a property: DisableExecuteApiEndpoint whenever given, the others when truthy as Python reads them. */
function samUses(name: string, value: unknown): boolean {
  if (name === 'DisableExecuteApiEndpoint') return value !== undefined && value !== null;
  if (Array.isArray(value)) return value.length > 0;
  if (isRecord(value)) return Object.keys(value).length > 0;
  return Boolean(value);
}

const INVALID_DOCUMENT = "Invalid OpenApi document. Invalid values or missing keys for 'openapi' or 'paths' in 'DefinitionBody'.";

/** H1.14: SAM edits an inline document only when `openapi` is 3.x and `paths` a map (OpenApiEditor.is_valid; YAML's 3.0 is Python's "3.0"). */
function samCanEdit(doc: OpenApiDocument): boolean {
  const version = typeof doc.openapi === 'string' || typeof doc.openapi === 'number' ? formatVersion(doc.openapi) : '';
  return isRecord(doc.paths) && /^3(\.\d)(\.\d)?$/.test(version);
}

/** H1.14: SAM's error when it must edit an invalid inline document: an event's (functions are translated first), else the first property's. */
function samEditProblem(props: Json, events: HttpEvent[]): string | undefined {
  if (events.length > 0) return INVALID_DOCUMENT;
  if (samUses('CorsConfiguration', props.CorsConfiguration)) return "Unable to add Cors configuration because 'DefinitionBody' does not contain a valid OpenApi definition.";
  if (samUses('Auth', props.Auth)) return "Unable to add Auth configuration because 'DefinitionBody' does not contain a valid OpenApi definition.";
  if (samUses('Tags', props.Tags)) return "Unable to add `Tags` because 'DefinitionBody' does not contain a valid OpenApi definition.";
  return ['DisableExecuteApiEndpoint', 'Name', 'Description'].some((name) => samUses(name, props[name])) ? INVALID_DOCUMENT : undefined;
}

/** Event AuthorizationScopes without an Authorizer: they apply with the DefaultAuthorizer (H1.10). */
type EventScopes = WeakMap<Json, unknown[]>;

interface HttpEvent {
  functionId: string;
  eventId: string;
  props: Json;
}

/** Every HTTP API of the template: SAM HttpApi (explicit and implicit) and plain AWS::ApiGatewayV2::Api. */
export function loadHttpApis(stack: Stack, globals: unknown, functions: Map<string, FunctionSpec>, warnings: string[], refusals: ApiRefusals): HttpApiSpec[] {
  const events = httpEvents(stack);
  const ids = new Set(Object.entries(stack.resources).filter(([, r]) => r.Type === 'AWS::Serverless::HttpApi').map(([id]) => id));
  if (events.some((e) => apiOf(e) === IMPLICIT_HTTP_API) && !stack.resources[IMPLICIT_HTTP_API]) ids.add(IMPLICIT_HTTP_API);
  const apis = [...ids].flatMap((id) => {
    const props = applyGlobals(globals, 'HttpApi', stack.resources[id]?.Properties ?? {});
    return apiOrReported(id, refusals, () => serverlessHttpApi(stack, id, props, events.filter((e) => apiOf(e) === id), functions, warnings)) ?? [];
  });
  for (const event of events) {
    if (!ids.has(apiOf(event))) {
      throw new TemplateError(stack.file, `Resources.${event.functionId}.Properties.Events.${event.eventId}.Properties.ApiId`, 'must reference an AWS::Serverless::HttpApi of this template');
    }
  }
  return [...apis, ...plainHttpApis(stack, warnings, refusals)];
}

function httpEvents(stack: Stack): HttpEvent[] {
  const out: HttpEvent[] = [];
  for (const [functionId, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::Serverless::Function' || !isRecord(res.Properties.Events)) continue;
    for (const [eventId, event] of Object.entries(res.Properties.Events)) {
      if (isRecord(event) && event.Type === 'HttpApi') out.push({ functionId, eventId, props: isRecord(event.Properties) ? event.Properties : {} });
    }
  }
  return out;
}

/** The HttpApi an event belongs to: `ApiId: !Ref X`, or the implicit API (H1.4). */
function apiOf(event: HttpEvent): string {
  const ref = event.props.ApiId;
  if (ref === undefined) return IMPLICIT_HTTP_API;
  return isRecord(ref) && typeof ref.Ref === 'string' ? ref.Ref : String(ref);
}

// H1.8: the permission SAM writes for each HttpApi event: "<api>/*/<METHOD><path>" with ANY and every
// path variable as "*" and no trailing slash; the $default event covers "<api>/*/*".
/** The Lambda permissions SAM creates for HttpApi events (H1.8). */
export function httpApiEventGrants(stack: Stack): ApiGatewayGrant[] {
  const base = `arn:aws:execute-api:${stack.opts.region}:${stack.opts.accountId}`;
  return httpEvents(stack).map((event) => {
    const props = stack.resolve({ Path: event.props.Path, Method: event.props.Method }, `Resources.${event.functionId}.Properties.Events.${event.eventId}.Properties`) as Json;
    const apiId = restApiIdFor(apiOf(event));
    if (props.Path === undefined && props.Method === undefined) return { functionLogicalId: event.functionId, sourceArn: `${base}:${apiId}/*/*` };
    const method = String(props.Method ?? 'ANY').toUpperCase();
    const path = String(props.Path ?? '').replace(/\{[^}]+\}/g, '*').replace(/(.)\/$/, '$1');
    return { functionLogicalId: event.functionId, sourceArn: `${base}:${apiId}/*/${method === 'ANY' ? '*' : method}${path}` };
  });
}

function serverlessHttpApi(stack: Stack, id: string, props: Json, events: HttpEvent[], functions: Map<string, FunctionSpec>, warnings: string[]): HttpApiSpec {
  const key = `Resources.${id}.Properties`;
  // [H1.1 vs samtranslator 1.110] With no definition and no events SAM still writes its empty skeleton, to which
  // AWS::ApiGatewayV2::Route resources may add routes: the translator, not the reference's "error", is followed.
  const loaded = definition(stack, id, props, warnings);
  const source = loaded?.source ?? `${stack.file}#/Resources/${id} (generated by SAM)`;
  // H1.4: the implicit API starts from SAM's skeleton.
  const doc: OpenApiDocument = loaded?.doc ?? { openapi: '3.0.1', info: { version: '1.0', title: stack.opts.stackName }, paths: {} };
  const inline = props.DefinitionUri === undefined;
  if (!inline) {
    for (const [name, message] of NEEDS_INLINE_BODY) if (samUses(name, props[name])) throw new TemplateError(stack.file, `${key}.${name}`, `${message} (H1.13)`);
  }
  // H1.14: SAM refuses to edit an inline document that is not OpenAPI 3.x with paths (a Swagger 2.0 body is H2.1's refusal).
  const problem = inline && doc.swagger === undefined && !samCanEdit(doc) ? samEditProblem(props, events) : undefined;
  if (problem) throw new TemplateError(stack.file, `${key}.DefinitionBody`, `${problem} (H1.14)`);
  doc.paths ??= {};
  const routeSettings = isRecord(props.RouteSettings) ? { ...(stack.resolve(props.RouteSettings, `${key}.RouteSettings`) as Json) } : {};
  const scopes: EventScopes = new WeakMap();
  const auth = isRecord(props.Auth) ? (stack.resolve(props.Auth, `${key}.Auth`) as Json) : undefined;
  for (const event of events) addEvent(stack, doc, event, functions, { routeSettings, scopes, apiAuth: auth ?? {}, implicit: !loaded, fromUri: inline ? undefined : { api: id, warnings } });
  if (auth) applyAuth(doc, auth, scopes, stack, `${key}.Auth`);
  if (props.CorsConfiguration !== undefined) applyCors(doc, stack.resolve(props.CorsConfiguration, `${key}.CorsConfiguration`), stack.file, `${key}.CorsConfiguration`);
  // H1.13: with FailOnWarnings SAM renames the path key `$default` to `/$default` (SAM issue 2297); isDefaultRoute keeps it the $default route.
  const paths = doc.paths as Record<string, unknown>;
  if (inline && samUses('FailOnWarnings', stack.resolve(props.FailOnWarnings, `${key}.FailOnWarnings`)) && paths.$default !== undefined) {
    paths['/$default'] = paths.$default;
    delete paths.$default;
  }
  const notes: HttpApiNote[] = [];
  const imported = importHttpApiDocument(doc, source, stack.opts);
  const { routes, authorizers, integrations } = attachedToSamHttpApi(stack, id, imported, notes);
  checkIntegrationQuota(integrations, stack.file, key);
  const stageProps = {
    StageName: props.StageName ?? '$default',
    StageVariables: props.StageVariables,
    DefaultRouteSettings: props.DefaultRouteSettings,
    RouteSettings: routeSettings,
    AccessLogSettings: props.AccessLogSettings,
  };
  notes.unshift(...imported.notes);
  for (const [name, why] of Object.entries(IGNORED)) if (props[name] !== undefined) notes.push({ subject: name, location: key, status: 'ignored', detail: why });
  for (const [name, why] of Object.entries(NOT_EMULATED)) {
    if (props[name] !== undefined) notes.push({ subject: name, location: key, status: 'not-emulated', detail: why });
  }
  const stage = stageSpec(stack, stageProps, key, notes);
  return {
    logicalId: id,
    apiId: restApiIdFor(id),
    stages: [stage],
    routes,
    authorizers,
    ...(imported.cors ? { cors: imported.cors } : {}),
    source,
    notes,
    definition: doc,
  };
}

/** H1.5-H1.7, H1.10, H11.2: the operation SAM writes for one HttpApi event. */
function addEvent(stack: Stack, doc: OpenApiDocument, event: HttpEvent, functions: Map<string, FunctionSpec>, into: EventTarget): void {
  const { routeSettings, implicit } = into;
  const key = `Resources.${event.functionId}.Properties.Events.${event.eventId}.Properties`;
  const props = stack.resolve(event.props, key) as Json;
  const fn = functions.get(event.functionId);
  if (!fn) throw new TemplateError(stack.file, key, 'HttpApi events need an AWS::Serverless::Function');
  const isDefault = props.Path === undefined && props.Method === undefined;
  const path = isDefault ? '$default' : String(props.Path ?? '');
  const rawMethod = isDefault ? 'any' : String(props.Method ?? 'any').toLowerCase();
  const method = rawMethod === 'any' ? 'x-amazon-apigateway-any-method' : rawMethod;
  // SAM's plugin writes an event's RouteSettings into the API's property, whatever its document.
  if (isRecord(props.RouteSettings)) routeSettings[isDefault ? '$default' : rawMethod === 'any' ? path : `${rawMethod.toUpperCase()} ${path}`] = props.RouteSettings;
  const paths = doc.paths as Record<string, Json>;
  if (into.fromUri) {
    // H1.6: SAM edits only a DefinitionBody (push.py returns when there is none): a DefinitionUri document gets
    // no route from an event, only its permission.
    const served = [method, 'x-amazon-apigateway-any-method'].some((m) => isRecord(paths[path]?.[m]) && (paths[path][m] as Json)['x-amazon-apigateway-integration'] !== undefined);
    if (!served) into.fromUri.warnings.push(`${key}: SAM adds no ${rawMethod.toUpperCase()} ${path} to ${into.fromUri.api}'s own DefinitionUri (only the Lambda permission), so the route does not exist on AWS either; write it in the document`);
    return;
  }
  const auth = isRecord(props.Auth) ? props.Auth : undefined;
  if (auth && Object.keys(auth).length > 0) checkEventAuth(auth, into.apiAuth, { method, path: isDefault ? '/$default' : path }, (message) => new TemplateError(stack.file, `${key}.Auth`, `${message} (H1.10)`));
  const item = (paths[path] ??= {});
  const existing = isRecord(item[method]) ? item[method] : undefined;
  if (existing?.['x-amazon-apigateway-integration'] !== undefined) {
    if (implicit) throw new TemplateError(stack.file, key, `API method '${rawMethod}' defined multiple times for path '${path}'. (H1.6)`);
    addPathParameters(existing, path);
    // SAM (eventsources/push.py, _add_openapi_integration) still writes the event's TimeoutInMillis and
    // PayloadFormatVersion into the document's own integration (add_timeout_to_method, add_payload_format_version_to_method).
    const integration = existing['x-amazon-apigateway-integration'];
    if (isRecord(integration)) {
      if (props.TimeoutInMillis !== undefined) integration.timeoutInMillis = props.TimeoutInMillis;
      if (props.PayloadFormatVersion !== undefined) integration.payloadFormatVersion = props.PayloadFormatVersion;
    }
    return;
  }
  const operation: Json = { ...(existing ?? {}), responses: {} };
  addPathParameters(operation, path);
  operation['x-amazon-apigateway-integration'] = {
    type: 'aws_proxy',
    httpMethod: 'POST',
    payloadFormatVersion: formatVersion(props.PayloadFormatVersion ?? '2.0'),
    // SAM points a function's events at the alias AutoPublishAlias publishes: Lambda runs the function as that alias.
    uri: `arn:aws:apigateway:${stack.opts.region}:lambda:path/2015-03-31/functions/${aliasedArn(stack, fn)}/invocations`,
    ...(props.TimeoutInMillis !== undefined ? { timeoutInMillis: props.TimeoutInMillis } : {}),
  };
  if (isDefault) operation.isDefaultRoute = true;
  if (auth?.Authorizer === 'NONE') operation.security = [];
  else if (typeof auth?.Authorizer === 'string') operation.security = [{ [auth.Authorizer]: Array.isArray(auth.AuthorizationScopes) ? auth.AuthorizationScopes : null }];
  else if (Array.isArray(auth?.AuthorizationScopes)) into.scopes.set(operation, auth.AuthorizationScopes);
  item[method] = operation;
}

/**
 * H1.10: an event's Auth, checked against its API's Auth as SAM's transform checks it (push.py
 * `_add_auth_to_openapi_integration`, SAM's messages): the deploy fails on each of these, so the API is not served.
 */
function checkEventAuth(auth: Json, apiAuth: Json, at: { method: string; path: string }, refuse: (message: string) => Error): void {
  const on = `on API method [${at.method}] for path [${at.path}]`;
  const name = auth.Authorizer ?? apiAuth.DefaultAuthorizer;
  if (!name) throw refuse("'Auth' section requires either an explicit 'Authorizer' set or a 'DefaultAuthorizer' configured on the HttpApi.");
  const authorizers = Object.keys(apiAuth).length > 0 ? apiAuth.Authorizers : {};
  const iamEnabled = apiAuth.EnableIamAuthorizer === true;
  if (name !== 'NONE' && !(name === 'AWS_IAM' && iamEnabled) && (typeof name !== 'string' || !isRecord(authorizers))) {
    throw refuse(`Unable to set Authorizer [${String(name)}] ${on}. The method authorizer must be a string with a corresponding dict entry in the api authorizer.`);
  }
  if (name === 'NONE') {
    if (!apiAuth.DefaultAuthorizer) throw refuse(`Unable to set Authorizer ${on} because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`);
  } else if (name !== 'AWS_IAM' || !iamEnabled) {
    const defined = authorizers as Json;
    if (Object.keys(defined).length === 0) throw refuse(`Unable to set Authorizer [${String(name)}] ${on} because the related API does not define any Authorizers.`);
    if (!defined[name as string]) throw refuse(`Unable to set Authorizer [${String(name)}] ${on} because it wasn't defined in the API's Authorizers.`);
  }
  if (auth.AuthorizationScopes !== undefined && !Array.isArray(auth.AuthorizationScopes)) {
    throw refuse(`Unable to set Authorizer ${on} because 'AuthorizationScopes' must be a list of strings.`);
  }
}

/** Where an HttpApi event writes: the stage's RouteSettings, scopes for Auth, and, for a DefinitionUri API, only warnings. */
interface EventTarget {
  routeSettings: Json;
  scopes: EventScopes;
  /** The API's Auth, resolved ({} without one): what an event's Auth is checked against. */
  apiAuth: Json;
  implicit: boolean;
  fromUri: { api: string; warnings: string[] } | undefined;
}

/** H1.7: every `{name}` of the event's Path is a required path parameter of the operation; one of that name already there is made so. */
function addPathParameters(operation: Json, path: string): void {
  const names = [...path.matchAll(/\{(.*?)\}/g)].map((m) => m[1]!);
  if (names.length === 0) return;
  const parameters: unknown[] = Array.isArray(operation.parameters) ? operation.parameters : [];
  for (const name of names) {
    const existing = parameters.find((p): p is Json => isRecord(p) && p.name === name);
    if (existing) Object.assign(existing, { in: 'path', required: true });
    else parameters.push({ name, in: 'path', required: true });
  }
  operation.parameters = parameters;
}

/** H1.9/H1.10: Auth.Authorizers → securitySchemes; DefaultAuthorizer on every integrated method but OPTIONS. */
function applyAuth(doc: OpenApiDocument, auth: Json, eventScopes: EventScopes, stack: Stack, key: string): void {
  const components = (doc.components ??= {}) as Json;
  const schemes = ((components.securitySchemes as Json | undefined) ??= {}) as Json;
  const defaultScopes: Record<string, unknown> = {};
  for (const [name, raw] of Object.entries(isRecord(auth.Authorizers) ? auth.Authorizers : {})) {
    if (!isRecord(raw)) continue;
    defaultScopes[name] = raw.AuthorizationScopes;
    schemes[name] = isRecord(raw.JwtConfiguration) ? jwtScheme(raw) : lambdaScheme(raw, stack, `${key}.Authorizers.${name}`);
  }
  if (auth.EnableIamAuthorizer === true) schemes.AWS_IAM = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
  const fallback = typeof auth.DefaultAuthorizer === 'string' ? auth.DefaultAuthorizer : undefined;
  for (const item of Object.values(doc.paths ?? {})) {
    for (const [method, op] of Object.entries(item)) {
      if (!isRecord(op) || !isRecord(op['x-amazon-apigateway-integration'])) continue;
      if (Array.isArray(op.security)) {
        // An event naming an authorizer without scopes takes the authorizer's (H1.10).
        for (const req of op.security.filter(isRecord)) for (const n of Object.keys(req)) req[n] ??= defaultScopes[n] ?? [];
        continue;
      }
      if (fallback && method !== 'options') op.security = [{ [fallback]: eventScopes.get(op) ?? defaultScopes[fallback] ?? [] }];
    }
  }
}

function jwtScheme(raw: Json): Json {
  const jwt = raw.JwtConfiguration as Json;
  return {
    type: 'oauth2',
    'x-amazon-apigateway-authorizer': {
      type: 'jwt',
      jwtConfiguration: { issuer: jwt.issuer ?? jwt.Issuer, audience: jwt.audience ?? jwt.Audience },
      identitySource: raw.IdentitySource ?? '$request.header.Authorization',
    },
  };
}

function lambdaScheme(raw: Json, stack: Stack, key: string): Json {
  if (raw.AuthorizerPayloadFormatVersion === undefined) throw new TemplateError(stack.file, `${key}.AuthorizerPayloadFormatVersion`, 'is required for a Lambda authorizer (H1.9)');
  const identity = isRecord(raw.Identity) ? raw.Identity : {};
  const list = (v: unknown, prefix: string) => (Array.isArray(v) ? v.map((n) => `${prefix}${String(n)}`) : []);
  const sources = [
    ...list(identity.Headers, '$request.header.'),
    ...list(identity.QueryStrings, '$request.querystring.'),
    ...list(identity.StageVariables, '$stageVariables.'),
    ...list(identity.Context, '$context.'),
  ];
  return {
    type: 'apiKey',
    name: 'Unused',
    in: 'header',
    'x-amazon-apigateway-authorizer': {
      type: 'request',
      authorizerUri: `arn:aws:apigateway:${stack.opts.region}:lambda:path/2015-03-31/functions/${String(raw.FunctionArn)}/invocations`,
      authorizerPayloadFormatVersion: formatVersion(raw.AuthorizerPayloadFormatVersion),
      ...(sources.length ? { identitySource: sources } : {}),
      ...(identity.ReauthorizeEvery !== undefined ? { authorizerResultTtlInSeconds: identity.ReauthorizeEvery } : {}),
      ...(raw.EnableSimpleResponses === true ? { enableSimpleResponses: true } : {}),
      // SAM writes FunctionInvokeRole as the authorizer's credentials: API Gateway then invokes it with that role.
      ...(typeof raw.FunctionInvokeRole === 'string' ? { authorizerCredentials: raw.FunctionInvokeRole } : {}),
    },
  };
}

/** H1.12: true, an origin, or a map merged over the document's x-amazon-apigateway-cors. */
function applyCors(doc: OpenApiDocument, value: unknown, file: string, key: string): void {
  if (value === false) return;
  const existing = isRecord(doc['x-amazon-apigateway-cors']) ? doc['x-amazon-apigateway-cors'] : {};
  let given: Json;
  if (value === true) given = { allowOrigins: ['*'] };
  else if (typeof value === 'string') given = { allowOrigins: [value] };
  else if (isRecord(value)) {
    const allowed = ['AllowOrigins', 'AllowHeaders', 'AllowMethods', 'ExposeHeaders', 'MaxAge', 'AllowCredentials'];
    const extra = Object.keys(value).filter((k) => !allowed.includes(k));
    if (extra.length) throw new TemplateError(file, key, `unknown key(s) ${extra.join(', ')} (H1.12)`);
    given = Object.fromEntries(Object.entries(value).map(([k, v]) => [k[0]!.toLowerCase() + k.slice(1), v]));
  } else throw new TemplateError(file, key, 'must be true, an origin or a map (H1.12)');
  const merged = { ...existing, ...given };
  readCors(merged, file, key);
  doc['x-amazon-apigateway-cors'] = merged;
}
