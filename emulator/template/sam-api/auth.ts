/** SAM `Auth` (Api and event level) → security schemes and method security, as the SAM translator writes them. */
import { TemplateError } from '../model.js';
import { isJson, type Json, type SamDocument } from './document.js';

/** SAM's AWS_IAM invoke role meaning "the caller's credentials". */
const CALLER_CREDENTIALS = 'arn:aws:iam::*:user/*';

/** A SAM authorizer (Auth.Authorizers.<name>) as an x-amazon-apigateway-authorizer security scheme. */
export function authorizerScheme(name: string, config: Json, api: string, file: string): Json {
  const where = `Resources.${api}.Properties.Auth.Authorizers.${name}`;
  const identity = config.Identity === undefined ? undefined : config.Identity;
  if (identity !== undefined && !isJson(identity)) throw new TemplateError(file, `${where}.Identity`, 'must be a map');
  const payload = config.FunctionPayloadType ?? 'TOKEN';
  if (payload !== 'TOKEN' && payload !== 'REQUEST') throw new TemplateError(file, `${where}.FunctionPayloadType`, `${name} Authorizer has invalid 'FunctionPayloadType': ${String(payload)}.`);
  const isCognito = Boolean(config.UserPoolArn);
  const header = identity?.Header ? identity.Header : 'Authorization';
  const scheme: Json = {
    type: 'apiKey',
    name: !isCognito && payload === 'REQUEST' ? 'Unused' : header,
    in: 'header',
    'x-amazon-apigateway-authtype': isCognito ? 'cognito_user_pools' : 'custom',
  };
  const authorizer: Json = {};
  if (isCognito) {
    authorizer.type = 'cognito_user_pools';
    authorizer.providerARNs = Array.isArray(config.UserPoolArn) ? config.UserPoolArn : [config.UserPoolArn];
  } else {
    authorizer.type = payload === 'REQUEST' ? 'request' : 'token';
    authorizer.authorizerUri = { 'Fn::Sub': ['arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${__FunctionArn__}/invocations', { __FunctionArn__: config.FunctionArn }] };
    if (identity?.ReauthorizeEvery !== undefined && identity.ReauthorizeEvery !== null) authorizer.authorizerResultTtlInSeconds = identity.ReauthorizeEvery;
    if (config.FunctionInvokeRole && config.FunctionInvokeRole !== 'NONE') authorizer.authorizerCredentials = config.FunctionInvokeRole;
    if (payload === 'REQUEST') {
      const sources = requestIdentitySources(identity ?? {});
      if (sources.length === 0 && missingTtlOrPositive(identity)) {
        throw new TemplateError(file, where, `${name} Authorizer must specify Identity with at least one of Headers, QueryStrings, StageVariables, or Context.`);
      }
      if (sources.length > 0) authorizer.identitySource = sources.join(', ');
    }
  }
  if ((isCognito || payload === 'TOKEN') && identity?.ValidationExpression) authorizer.identityValidationExpression = identity.ValidationExpression;
  scheme['x-amazon-apigateway-authorizer'] = authorizer;
  return scheme;
}

/** A REQUEST authorizer may omit its identity sources only when caching is off (ReauthorizeEvery 0). */
function missingTtlOrPositive(identity: Json | undefined): boolean {
  const ttl = Number(identity?.ReauthorizeEvery);
  return identity?.ReauthorizeEvery === undefined || Number.isNaN(ttl) || ttl > 0;
}

function requestIdentitySources(identity: Json): string[] {
  const prefixes: [string, string][] = [
    ['Headers', 'method.request.header.'],
    ['QueryStrings', 'method.request.querystring.'],
    ['StageVariables', 'stageVariables.'],
    ['Context', 'context.'],
  ];
  return prefixes.flatMap(([key, prefix]) => (Array.isArray(identity[key]) ? identity[key].map((v) => `${prefix}${String(v)}`) : []));
}

/** What an Api event says about its method's auth (Auth.Authorizer, AuthorizationScopes, ApiKeyRequired). */
export interface EventAuth {
  authorizer?: string;
  scopes?: unknown[];
  apiKeyRequired?: boolean;
}

/** Event-level Auth on one method, checked as SAM checks it against the API's Auth. */
export function applyEventAuth(editor: SamDocument, path: string, method: string, auth: EventAuth, apiAuth: Json, where: { file: string; key: string }): void {
  const authorizers = isJson(apiAuth.Authorizers) ? apiAuth.Authorizers : undefined;
  const name = auth.authorizer;
  const fail = (message: string): never => {
    throw new TemplateError(where.file, where.key, message);
  };
  if (name && name !== 'AWS_IAM') {
    if (name === 'NONE' && !apiAuth.DefaultAuthorizer) {
      fail(`Unable to set Authorizer on API method [${method}] for path [${path}] because 'NONE' is only a valid value when a DefaultAuthorizer on the API is specified.`);
    }
    // SAM's two sentences (eventsources/push.py): an API with no Authorizers at all, or without this one.
    if (name !== 'NONE' && (!authorizers || Object.keys(authorizers).length === 0)) {
      fail(`Unable to set Authorizer [${name}] on API method [${method}] for path [${path}] because the related API does not define any Authorizers.`);
    }
    if (name !== 'NONE' && !authorizers?.[name]) {
      fail(`Unable to set Authorizer [${name}] on API method [${method}] for path [${path}] because it wasn't defined in the API's Authorizers.`);
    }
  }
  if (auth.scopes && !name) fail('AuthorizationScopes works only when Authorizer is set');
  if (auth.apiKeyRequired === false && !apiAuth.ApiKeyRequired) {
    fail(`Unable to set ApiKeyRequired [False] on API method [${method}] for path [${path}] because the related API does not specify any ApiKeyRequired.`);
  }
  const op = editor.method(path, method);
  if (name) {
    const config = name !== 'NONE' && authorizers ? authorizers[name] : undefined;
    const scopes = auth.scopes ?? (isJson(config) ? config.AuthorizationScopes : undefined) ?? [];
    op.security = [...editor.security(op, path, method), { [name]: scopes }];
    if (isIam(op)) editor.addIamDefinition();
  }
  if (auth.apiKeyRequired !== undefined) {
    if (auth.apiKeyRequired) editor.addApiKeyDefinition();
    op.security = [...editor.security(op, path, method), { [auth.apiKeyRequired ? 'api_key' : 'api_key_false']: [] }];
  }
}

const isIam = (op: Json): boolean => Array.isArray(op.security) && isJson(op.security[0]) && 'AWS_IAM' in op.security[0];

/** The credentials SAM gives an aws_proxy integration under AWS_IAM auth (InvokeRole, default: the caller's). */
export function iamCredentials(eventAuth: Json, apiAuth: Json): unknown {
  const methodIam = eventAuth.Authorizer === 'AWS_IAM';
  const defaultIam = apiAuth.DefaultAuthorizer === 'AWS_IAM' && Object.keys(eventAuth).length === 0;
  if (!methodIam && !defaultIam) return undefined;
  const role = (methodIam ? eventAuth.InvokeRole : undefined) ?? apiAuth.InvokeRole;
  if (role === 'NONE' || ('InvokeRole' in (methodIam ? eventAuth : apiAuth) && !role)) return undefined;
  return role && role !== 'CALLER_CREDENTIALS' ? role : CALLER_CREDENTIALS;
}

/** Api-level Auth: authorizer schemes, DefaultAuthorizer and ApiKeyRequired on every method with an integration. */
export function applyApiAuth(editor: SamDocument, auth: Json, api: string, file: string): void {
  const key = `Resources.${api}.Properties.Auth`;
  const known = ['Authorizers', 'DefaultAuthorizer', 'InvokeRole', 'AddDefaultAuthorizerToCorsPreflight', 'AddApiKeyRequiredToCorsPreflight', 'ApiKeyRequired', 'ResourcePolicy', 'UsagePlan'];
  if (Object.keys(auth).some((k) => !known.includes(k))) throw new TemplateError(file, key, "Invalid value for 'Auth' property");
  const configs = auth.Authorizers === undefined ? {} : auth.Authorizers;
  if (!isJson(configs)) throw new TemplateError(file, `${key}.Authorizers`, 'must be a map');
  const schemes: Record<string, Json> = {};
  if (auth.DefaultAuthorizer === 'AWS_IAM') schemes.AWS_IAM = {};
  for (const [name, config] of Object.entries(configs)) {
    if (!isJson(config)) throw new TemplateError(file, `${key}.Authorizers.${name}`, 'must be a map');
    schemes[name] = config;
  }
  const defs = Object.keys(schemes).length > 0 ? editor.securityDefinitions() : {};
  for (const [name, config] of Object.entries(schemes)) {
    defs[name] = name === 'AWS_IAM' && Object.keys(config).length === 0 ? iamScheme() : authorizerScheme(name, config, api, file);
  }
  const defaultName = auth.DefaultAuthorizer;
  if (defaultName !== undefined && Object.keys(schemes).length > 0) {
    if (typeof defaultName !== 'string') throw new TemplateError(file, `${key}.DefaultAuthorizer`, 'DefaultAuthorizer is not a string.');
    if (!schemes[defaultName]) {
      throw new TemplateError(file, `${key}.DefaultAuthorizer`, `Unable to set DefaultAuthorizer because '${defaultName}' was not defined in 'Authorizers'.`);
    }
    const scopes = isJson(configs[defaultName]) && Array.isArray(configs[defaultName].AuthorizationScopes) ? configs[defaultName].AuthorizationScopes : [];
    const names = new Set(['AWS_IAM', ...Object.keys(schemes)]);
    for (const path of editor.paths()) setDefaultAuthorizer(editor, path, defaultName, scopes, names, auth.AddDefaultAuthorizerToCorsPreflight !== false);
  }
  if (auth.ApiKeyRequired) {
    editor.addApiKeyDefinition();
    for (const path of editor.paths()) setDefaultApiKey(editor, path, auth.AddApiKeyRequiredToCorsPreflight !== false);
  }
}

/**
 * The Auth.Authorizers no method uses once SAM has set them (no DefaultAuthorizer, no event's Auth.Authorizer, no
 * `security` of the document names them): SAM deploys them unused, so the routes they were written for are open, on
 * AWS as here. Said at start, since nothing answers differently to show it.
 */
export function unusedAuthorizers(editor: SamDocument, auth: Json, key: string): string[] {
  if (!isJson(auth.Authorizers)) return [];
  const used = new Set<string>();
  for (const path of editor.paths()) {
    for (const [method, op] of editor.methodsOf(path)) for (const requirement of editor.security(op, path, method)) for (const name of Object.keys(requirement)) used.add(name);
  }
  return Object.keys(auth.Authorizers)
    .filter((name) => !used.has(name))
    .map((name) => `${key}.Authorizers.${name}: no method uses it (it is not the DefaultAuthorizer, and no event's Auth.Authorizer names it): SAM deploys it unused and every route of the API answers without it, on AWS as here`);
}

function iamScheme(): Json {
  return { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
}

/** The default authorizer on a path's methods, unless the method names its own authorizer or NONE. */
function setDefaultAuthorizer(editor: SamDocument, path: string, name: string, scopes: unknown, authorizerNames: Set<string>, preflight: boolean): void {
  for (const [method, op] of editor.methodsOf(path)) {
    if (!preflight && method === 'options') continue;
    const existing = editor.security(op, path, method);
    const others = existing.filter((s) => !Object.keys(s).some((k) => authorizerNames.has(k)));
    const own = existing.filter((s) => Object.keys(s).some((k) => authorizerNames.has(k)));
    const none = others.findIndex((s) => 'NONE' in s);
    let chosen: Json[] = [];
    if (none > -1) others.splice(none, 1);
    else chosen = own.length > 0 ? own : [{ [name]: scopes }];
    const security = [...others, ...chosen];
    if (security.length === 0) continue;
    op.security = security;
    if (isIam(op)) editor.addIamDefinition();
  }
}

/** ApiKeyRequired on a path's methods, unless the method said ApiKeyRequired: false. */
function setDefaultApiKey(editor: SamDocument, path: string, preflight: boolean): void {
  for (const [method, op] of editor.methodsOf(path)) {
    const existing = editor.security(op, path, method);
    const others = existing.filter((s) => !('api_key' in s || 'api_key_false' in s));
    const optedOut = existing.some((s) => 'api_key_false' in s);
    let security = [...others, ...(optedOut ? [] : [{ api_key: [] }])];
    if (method === 'options' && !preflight) security = others;
    if (JSON.stringify(security) !== JSON.stringify(existing)) op.security = security;
  }
}

