/**
 * A REST API declared with CloudFormation resources instead of a Body (what CDK's `RestApi` and
 * hand-written templates produce): AWS::ApiGateway::RestApi + Resource + Method + Authorizer + Model +
 * RequestValidator + GatewayResponse, turned into the OpenAPI document API Gateway would export for the
 * deployed API, so that every gateway behaviour the emulator has for OpenAPI applies unchanged.
 */
import { TemplateError, type OpenApiDocument } from './model.js';
import { restApiIdFor, type Stack } from './stack.js';
import { withArticle } from './article.js';
import { createdBefore, restApiOf } from './deployment-order.js';

type Json = Record<string, unknown>;

const isRecord = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);
const isTrue = (v: unknown): boolean => v === true || v === 'true';

/** API Gateway creates these two models in every REST API; methods may name them without declaring them. */
const BUILT_IN_MODELS: Record<string, Json> = {
  Empty: { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Empty Schema', type: 'object' },
  Error: { $schema: 'http://json-schema.org/draft-04/schema#', title: 'Error Schema', type: 'object', properties: { message: { type: 'string' } } },
};

const METHODS = new Set(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS', 'ANY']);

/** RestApi properties and what they become (undefined: reported as not applied). */
const REST_API_EXTENSIONS: Record<string, string> = {
  ApiKeySourceType: 'x-amazon-apigateway-api-key-source',
  MinimumCompressionSize: 'x-amazon-apigateway-minimum-compression-size',
  Policy: 'x-amazon-apigateway-policy',
  EndpointConfiguration: 'x-amazon-apigateway-endpoint-configuration',
};
const REST_API_NOT_APPLIED: Record<string, string> = {
  BodyS3Location: 'the document on S3 is not fetched',
  CloneFrom: 'the API it clones is not in this template',
  DisableExecuteApiEndpoint: 'the local endpoint is always served',
  Mode: 'import modes apply to a Body only',
  Parameters: 'import parameters apply to a Body only',
  SecurityPolicy: 'no TLS locally: the endpoint is plain HTTP',
  EndpointAccessMode: 'no TLS locally: the endpoint is plain HTTP',
};

/** One API's child resources, by the id `Ref` gives them. */
interface Parts {
  resources: Map<string, { logicalId: string; parentId: string; pathPart: string }>;
  methods: { logicalId: string; props: Json }[];
  authorizers: Map<string, { logicalId: string; props: Json }>;
  models: { logicalId: string; props: Json }[];
  validators: Map<string, { logicalId: string; name: string; props: Json }>;
  gatewayResponses: { logicalId: string; props: Json }[];
}

const CHILD_TYPES = new Set([
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::Authorizer',
  'AWS::ApiGateway::Model',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::GatewayResponse',
]);

/** The OpenAPI 3 document (with x-amazon-apigateway-* extensions) of a RestApi built from resources. */
export function restApiFromResources(stack: Stack, apiId: string, props: Json, warnings: string[]): OpenApiDocument {
  const key = `Resources.${apiId}.Properties`;
  const parts = collect(stack, apiId);
  const doc: OpenApiDocument = { openapi: '3.0.1', info: { title: String(props.Name ?? apiId), version: '1.0' }, paths: {} };
  if (props.Description !== undefined) (doc.info as Json).description = props.Description;
  for (const [name, extension] of Object.entries(REST_API_EXTENSIONS)) if (props[name] !== undefined) doc[extension] = props[name];
  for (const [name, why] of Object.entries(REST_API_NOT_APPLIED)) if (props[name] !== undefined) warnings.push(`${key}.${name}: not applied locally (${why})`);
  const schemas = models(stack, parts);
  const schemes = securitySchemes(stack, parts);
  const root = String(stack.getAtt(apiId, 'RootResourceId', `${key}`));
  const paths = resourcePaths(stack, parts, root);
  for (const method of parts.methods) addMethod(stack, doc, method, { paths, root, schemas, parts, warnings });
  Object.assign(schemes, implicitSchemes(doc, schemes));
  const components: Json = { schemas };
  if (Object.keys(schemes).length > 0) components.securitySchemes = schemes;
  doc.components = components;
  const validators = Object.fromEntries(
    [...parts.validators.values()].map((v) => [v.name, { validateRequestBody: isTrue(v.props.ValidateRequestBody), validateRequestParameters: isTrue(v.props.ValidateRequestParameters) }]),
  );
  if (Object.keys(validators).length > 0) doc['x-amazon-apigateway-request-validators'] = validators;
  const responses = gatewayResponses(stack, parts);
  if (Object.keys(responses).length > 0) doc['x-amazon-apigateway-gateway-responses'] = responses;
  return doc;
}

/** Path → resource id of an API built from resources: the ids Ref of its AWS::ApiGateway::Resource and its RootResourceId give. */
export function resourceIdsByPath(stack: Stack, apiId: string): Record<string, string> {
  const root = String(stack.getAtt(apiId, 'RootResourceId', `Resources.${apiId}`));
  return Object.fromEntries([...resourcePaths(stack, collect(stack, apiId), root)].map(([id, path]) => [path, id]));
}

/** `<VERB> <path>` → the AWS::ApiGateway::Method resource that declares it (the start report names it with its route). */
export function methodRoutesOf(stack: Stack, apiId: string): Record<string, string> {
  const parts = collect(stack, apiId);
  const paths = resourcePaths(stack, parts, String(stack.getAtt(apiId, 'RootResourceId', `Resources.${apiId}`)));
  return Object.fromEntries(parts.methods.map((m) => [`${String(m.props.HttpMethod ?? '').toUpperCase()} ${paths.get(String(m.props.ResourceId)) ?? ''}`, m.logicalId]));
}

/** Each AWS::ApiGateway::Authorizer of an API by the scheme name it becomes (its Name): its id is its Ref. */
export function authorizerIdsOf(stack: Stack, apiId: string): Record<string, string> {
  return Object.fromEntries([...collect(stack, apiId).authorizers].map(([id, { logicalId, props }]) => [typeof props.Name === 'string' ? props.Name : logicalId, id]));
}

/** The AWS::ApiGateway::Method resources of an API (reported when the API has a Body, which they do not extend locally). */
export function methodResourcesOf(stack: Stack, apiId: string): string[] {
  return collect(stack, apiId).methods.map((m) => m.logicalId);
}

/**
 * R8: the AWS::ApiGateway::GatewayResponse resources of an API served from a document (a SAM Api, a RestApi's Body):
 * each is PutGatewayResponse on the API CloudFormation imported the document into, so it replaces the document's
 * response of its type. A stage has it from the API's first deployment made after it: one that does not depend on it
 * (SAM's generated deployment never does) may be made before it, which is said.
 */
export function applyGatewayResponseResources(stack: Stack, apiId: string, doc: Json, warnings: string[]): void {
  const parts = collect(stack, apiId);
  if (parts.gatewayResponses.length === 0) return;
  const own = doc['x-amazon-apigateway-gateway-responses'];
  doc['x-amazon-apigateway-gateway-responses'] = { ...(isRecord(own) ? own : {}), ...gatewayResponses(stack, parts) };
  const resources = stack.resources as unknown as Record<string, Json>;
  const sam = resources[apiId]?.Type === 'AWS::Serverless::Api';
  const deployments = Object.entries(resources).filter(([, r]) => r.Type === 'AWS::ApiGateway::Deployment' && restApiOf(r) === apiId).map(([id]) => id);
  for (const { logicalId, props } of parts.gatewayResponses) {
    if (!sam && deployments.length > 0 && deployments.every((d) => createdBefore(resources, d).has(logicalId))) continue;
    warnings.push(
      `Resources.${logicalId}: no deployment of ${apiId} depends on it (${sam ? "SAM's generated deployment never does" : 'neither by DependsOn nor by a reference'}): ` +
        `on AWS a first deploy may make the stage before it, which then answers its ${String(props.ResponseType)} without it until the API is deployed again; served here as if deployed after it`,
    );
  }
}

/** Every child resource whose RestApiId is this API (only that property is resolved to decide). */
function collect(stack: Stack, apiId: string): Parts {
  const restApiId = restApiIdFor(apiId);
  const parts: Parts = { resources: new Map(), methods: [], authorizers: new Map(), models: [], validators: new Map(), gatewayResponses: [] };
  for (const [logicalId, res] of Object.entries(stack.resources)) {
    if (!CHILD_TYPES.has(res.Type)) continue;
    const key = `Resources.${logicalId}.Properties`;
    if (stack.resolve(res.Properties.RestApiId, `${key}.RestApiId`) !== restApiId) continue;
    const props = stack.resolve(res.Properties, key) as Json;
    const id = String(stack.refResource(logicalId, key));
    switch (res.Type) {
      case 'AWS::ApiGateway::Resource':
        if (typeof props.PathPart !== 'string' || props.PathPart === '') throw new TemplateError(stack.file, `${key}.PathPart`, 'is required');
        parts.resources.set(id, { logicalId, parentId: String(props.ParentId), pathPart: props.PathPart });
        break;
      case 'AWS::ApiGateway::Method':
        parts.methods.push({ logicalId, props });
        break;
      case 'AWS::ApiGateway::Authorizer':
        parts.authorizers.set(id, { logicalId, props });
        break;
      case 'AWS::ApiGateway::Model':
        parts.models.push({ logicalId, props });
        break;
      case 'AWS::ApiGateway::RequestValidator':
        parts.validators.set(id, { logicalId, name: typeof props.Name === 'string' ? props.Name : logicalId, props });
        break;
      default:
        parts.gatewayResponses.push({ logicalId, props });
    }
  }
  return parts;
}

/** Resource id → full path ("/items/{id}"), following ParentId up to the RootResourceId. */
function resourcePaths(stack: Stack, parts: Parts, root: string): Map<string, string> {
  const paths = new Map<string, string>([[root, '/']]);
  const siblings = new Map<string, string>();
  const pathOf = (id: string, seen: Set<string>): string => {
    const known = paths.get(id);
    if (known !== undefined) return known;
    const res = parts.resources.get(id) as { logicalId: string; parentId: string; pathPart: string };
    const key = `Resources.${res.logicalId}.Properties.ParentId`;
    if (seen.has(id)) throw new TemplateError(stack.file, key, 'the ParentId chain is circular');
    if (res.parentId !== root && !parts.resources.has(res.parentId)) {
      throw new TemplateError(stack.file, key, `${JSON.stringify(res.parentId)} is neither the API's RootResourceId nor one of its AWS::ApiGateway::Resource`);
    }
    const parent = pathOf(res.parentId, new Set([...seen, id]));
    if (/\{[^}]+\+\}$/.test(parent)) throw new TemplateError(stack.file, key, `a greedy path variable (${parent}) cannot have child resources`);
    const path = `${parent === '/' ? '' : parent}/${res.pathPart}`;
    const clash = siblings.get(path);
    if (clash) throw new TemplateError(stack.file, `Resources.${res.logicalId}.Properties.PathPart`, `another resource (${clash}) already has the path ${path}`);
    siblings.set(path, res.logicalId);
    paths.set(id, path);
    return path;
  };
  for (const id of parts.resources.keys()) pathOf(id, new Set());
  return paths;
}

/** Models by name (Ref of a Model is its name), with the built-in Empty and Error models. */
function models(stack: Stack, parts: Parts): Json {
  const out: Json = { ...BUILT_IN_MODELS };
  for (const { logicalId, props } of parts.models) {
    const key = `Resources.${logicalId}.Properties.Schema`;
    let schema: unknown = props.Schema ?? {};
    if (typeof schema === 'string') {
      try {
        schema = JSON.parse(schema) as unknown;
      } catch {
        throw new TemplateError(stack.file, key, 'is not valid JSON');
      }
    }
    if (!isRecord(schema)) throw new TemplateError(stack.file, key, 'must be a JSON schema object');
    out[stack.physicalName(logicalId)] = modelRefsToLocal(schema);
  }
  return out;
}

/** A model names another by its full URL (https://apigateway.amazonaws.com/restapis/<id>/models/<Name>); locally that is #/components/schemas/<Name>. */
function modelRefsToLocal(value: unknown): Json {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (!isRecord(v)) return v;
    return Object.fromEntries(
      Object.entries(v).map(([k, x]) => [k, k === '$ref' && typeof x === 'string' ? x.replace(/^https:\/\/apigateway\.amazonaws\.com\/restapis\/[^/]+\/models\//, '#/components/schemas/') : walk(x)]),
    );
  };
  return walk(value) as Json;
}

/** Authorizers as security schemes, named by their Name as API Gateway exports them. */
function securitySchemes(stack: Stack, parts: Parts): Json {
  const out: Json = {};
  for (const { logicalId, props } of parts.authorizers.values()) {
    const key = `Resources.${logicalId}.Properties`;
    const name = typeof props.Name === 'string' ? props.Name : logicalId;
    if (out[name] !== undefined) throw new TemplateError(stack.file, `${key}.Name`, `another authorizer of this API is named ${name}`);
    const type = String(props.Type ?? '').toUpperCase();
    if (!['TOKEN', 'REQUEST', 'COGNITO_USER_POOLS'].includes(type)) throw new TemplateError(stack.file, `${key}.Type`, `must be TOKEN, REQUEST or COGNITO_USER_POOLS, got ${JSON.stringify(props.Type)}`);
    if (type !== 'REQUEST' && typeof props.IdentitySource !== 'string') throw new TemplateError(stack.file, `${key}.IdentitySource`, `is required for a ${type} authorizer`);
    if (type === 'COGNITO_USER_POOLS' && !Array.isArray(props.ProviderARNs)) throw new TemplateError(stack.file, `${key}.ProviderARNs`, 'is required for a COGNITO_USER_POOLS authorizer');
    if (type !== 'COGNITO_USER_POOLS' && typeof props.AuthorizerUri !== 'string') throw new TemplateError(stack.file, `${key}.AuthorizerUri`, `is required for a ${type} authorizer`);
    const authorizer: Json = { type: type.toLowerCase() };
    const copy: [string, string][] = [
      ['AuthorizerUri', 'authorizerUri'],
      ['AuthorizerCredentials', 'authorizerCredentials'],
      ['IdentitySource', 'identitySource'],
      ['IdentityValidationExpression', 'identityValidationExpression'],
      ['ProviderARNs', 'providerARNs'],
    ];
    for (const [from, to] of copy) if (props[from] !== undefined) authorizer[to] = props[from];
    if (props.AuthorizerResultTtlInSeconds !== undefined) authorizer.authorizerResultTtlInSeconds = Number(props.AuthorizerResultTtlInSeconds);
    const header = /^method\.request\.header\.(.+)$/.exec(String(props.IdentitySource ?? ''))?.[1];
    out[name] = {
      type: 'apiKey',
      name: header ?? 'Unused',
      in: 'header',
      'x-amazon-apigateway-authtype': typeof props.AuthType === 'string' ? props.AuthType : type === 'COGNITO_USER_POOLS' ? 'cognito_user_pools' : 'custom',
      'x-amazon-apigateway-authorizer': authorizer,
    };
  }
  return out;
}

/** The API-key and IAM schemes API Gateway exports for methods with ApiKeyRequired / AWS_IAM. */
function implicitSchemes(doc: OpenApiDocument, declared: Json): Json {
  const used = new Set<string>();
  for (const item of Object.values(doc.paths ?? {})) {
    for (const op of Object.values(item)) {
      const security = isRecord(op) && Array.isArray(op.security) ? op.security : [];
      for (const requirement of security) if (isRecord(requirement)) Object.keys(requirement).forEach((n) => used.add(n));
    }
  }
  const out: Json = {};
  if (used.has('api_key') && declared.api_key === undefined) out.api_key = { type: 'apiKey', name: 'x-api-key', in: 'header' };
  if (used.has('sigv4') && declared.sigv4 === undefined) out.sigv4 = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' };
  return out;
}

function gatewayResponses(stack: Stack, parts: Parts): Json {
  const out: Json = {};
  for (const { logicalId, props } of parts.gatewayResponses) {
    const type = String(props.ResponseType ?? '');
    if (type === '') throw new TemplateError(stack.file, `Resources.${logicalId}.Properties.ResponseType`, 'is required');
    if (out[type] !== undefined) throw new TemplateError(stack.file, `Resources.${logicalId}.Properties.ResponseType`, `another GatewayResponse of this API is ${type}`);
    const response: Json = {};
    if (props.StatusCode !== undefined) response.statusCode = String(props.StatusCode);
    if (props.ResponseParameters !== undefined) response.responseParameters = props.ResponseParameters;
    if (props.ResponseTemplates !== undefined) response.responseTemplates = props.ResponseTemplates;
    out[type] = response;
  }
  return out;
}

interface MethodContext {
  paths: Map<string, string>;
  root: string;
  schemas: Json;
  parts: Parts;
  warnings: string[];
}

/** One AWS::ApiGateway::Method → paths.<path>.<verb>. */
function addMethod(stack: Stack, doc: OpenApiDocument, method: { logicalId: string; props: Json }, ctx: MethodContext): void {
  const { logicalId, props } = method;
  const key = `Resources.${logicalId}.Properties`;
  const verb = String(props.HttpMethod ?? '').toUpperCase();
  if (!METHODS.has(verb)) throw new TemplateError(stack.file, `${key}.HttpMethod`, `must be one of ${[...METHODS].join(', ')}, got ${JSON.stringify(props.HttpMethod)}`);
  const path = ctx.paths.get(String(props.ResourceId));
  if (path === undefined) throw new TemplateError(stack.file, `${key}.ResourceId`, `${JSON.stringify(props.ResourceId)} is not a resource of this API`);
  const methodKey = verb === 'ANY' ? 'x-amazon-apigateway-any-method' : verb.toLowerCase();
  const item = ((doc.paths as Record<string, Json>)[path] ??= {});
  if (item[methodKey] !== undefined) throw new TemplateError(stack.file, `${key}.HttpMethod`, `${path} already has ${withArticle(verb)} method`);
  const operation: Json = {};
  if (typeof props.OperationName === 'string') operation.operationId = props.OperationName;
  const parameters = methodParameters(stack, path, props.RequestParameters, `${key}.RequestParameters`);
  if (parameters.length > 0) operation.parameters = parameters;
  const body = requestBody(stack, props.RequestModels, ctx.schemas, `${key}.RequestModels`);
  if (body) operation.requestBody = body;
  operation.responses = methodResponses(stack, props.MethodResponses, ctx.schemas, `${key}.MethodResponses`);
  const security = methodSecurity(stack, props, ctx.parts, key);
  if (security.length > 0) operation.security = security;
  if (props.RequestValidatorId !== undefined) {
    const validator = ctx.parts.validators.get(String(props.RequestValidatorId));
    if (!validator) throw new TemplateError(stack.file, `${key}.RequestValidatorId`, `${JSON.stringify(props.RequestValidatorId)} is not a RequestValidator of this API`);
    operation['x-amazon-apigateway-request-validator'] = validator.name;
  }
  if (isRecord(props.Integration)) operation['x-amazon-apigateway-integration'] = integration(stack, props.Integration, `${key}.Integration`, ctx.warnings);
  item[methodKey] = operation;
}

const PARAMETER_LOCATION: Record<string, string> = { path: 'path', querystring: 'query', header: 'header' };

/** Path variables of the resource path, then `method.request.<location>.<name>: required` (R5.2). */
function methodParameters(stack: Stack, path: string, requested: unknown, key: string): Json[] {
  const out: Json[] = [...path.matchAll(/\{([^}+]+)\+?\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (requested === undefined) return out;
  if (!isRecord(requested)) throw new TemplateError(stack.file, key, 'must be a map of method.request.<location>.<name> to true/false');
  for (const [expression, required] of Object.entries(requested)) {
    const match = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/.exec(expression);
    if (!match) throw new TemplateError(stack.file, `${key}.${expression}`, 'is not method.request.path|querystring|header.<name>');
    const location = PARAMETER_LOCATION[(match[1] as string).replace('multivalue', '')] as string;
    const name = match[2] as string;
    if (location === 'path') {
      // A required path parameter the resource path lacks can never be given: AWS's validator reports it missing on
      // every request (LocalStack's AWS-validated test: "[x-header-param, issuer, qs1]"), so it is kept.
      if (isTrue(required) && !out.some((p) => p.name === name)) out.push({ name, in: 'path', required: true, schema: { type: 'string' } });
      continue;
    }
    out.push({ name, in: location, required: isTrue(required), schema: { type: 'string' } });
  }
  return out;
}

function modelRef(stack: Stack, name: unknown, schemas: Json, key: string): Json {
  if (typeof name !== 'string' || schemas[name] === undefined) throw new TemplateError(stack.file, key, `${JSON.stringify(name)} names no model of this API`);
  return { $ref: `#/components/schemas/${name}` };
}

function requestBody(stack: Stack, requestModels: unknown, schemas: Json, key: string): Json | undefined {
  if (!isRecord(requestModels) || Object.keys(requestModels).length === 0) return undefined;
  const content = Object.fromEntries(Object.entries(requestModels).map(([type, name]) => [type, { schema: modelRef(stack, name, schemas, `${key}.${type}`) }]));
  return { content };
}

function methodResponses(stack: Stack, list: unknown, schemas: Json, key: string): Json {
  const out: Json = {};
  if (list === undefined) return out;
  if (!Array.isArray(list)) throw new TemplateError(stack.file, key, 'must be a list');
  list.forEach((raw, i) => {
    const r = isRecord(raw) ? raw : {};
    const status = String(r.StatusCode ?? '');
    if (!/^[1-5]\d\d$/.test(status)) throw new TemplateError(stack.file, `${key}[${i}].StatusCode`, `must be an HTTP status code, got ${JSON.stringify(r.StatusCode)}`);
    const response: Json = { description: `${status} response` };
    const headers = Object.keys(isRecord(r.ResponseParameters) ? r.ResponseParameters : {})
      .map((p) => /^method\.response\.header\.(.+)$/.exec(p)?.[1])
      .filter((h): h is string => h !== undefined);
    if (headers.length > 0) response.headers = Object.fromEntries(headers.map((h) => [h, { schema: { type: 'string' } }]));
    if (isRecord(r.ResponseModels)) {
      response.content = Object.fromEntries(Object.entries(r.ResponseModels).map(([type, name]) => [type, { schema: modelRef(stack, name, schemas, `${key}[${i}].ResponseModels.${type}`) }]));
    }
    out[status] = response;
  });
  return out;
}

/** AuthorizationType + AuthorizerId (+ AuthorizationScopes) and ApiKeyRequired → the operation's security requirements. */
function methodSecurity(stack: Stack, props: Json, parts: Parts, key: string): Json[] {
  const out: Json[] = [];
  const type = String(props.AuthorizationType ?? 'NONE').toUpperCase();
  if (type === 'AWS_IAM') out.push({ sigv4: [] });
  else if (type === 'CUSTOM' || type === 'COGNITO_USER_POOLS') {
    const authorizer = parts.authorizers.get(String(props.AuthorizerId));
    if (!authorizer) throw new TemplateError(stack.file, `${key}.AuthorizerId`, `${JSON.stringify(props.AuthorizerId)} is not an Authorizer of this API (AuthorizationType ${type})`);
    const isCognito = String(authorizer.props.Type).toUpperCase() === 'COGNITO_USER_POOLS';
    if (isCognito !== (type === 'COGNITO_USER_POOLS')) {
      throw new TemplateError(stack.file, `${key}.AuthorizationType`, `${type} does not match the ${String(authorizer.props.Type)} authorizer ${authorizer.logicalId}`);
    }
    const scopes = isCognito && Array.isArray(props.AuthorizationScopes) ? props.AuthorizationScopes.map(String) : [];
    out.push({ [typeof authorizer.props.Name === 'string' ? authorizer.props.Name : authorizer.logicalId]: scopes });
  } else if (type !== 'NONE') {
    throw new TemplateError(stack.file, `${key}.AuthorizationType`, `must be NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS, got ${JSON.stringify(props.AuthorizationType)}`);
  }
  if (isTrue(props.ApiKeyRequired)) out.push({ api_key: [] });
  return out;
}

const INTEGRATION_PROPERTIES: Record<string, string> = {
  Uri: 'uri',
  IntegrationHttpMethod: 'httpMethod',
  RequestTemplates: 'requestTemplates',
  RequestParameters: 'requestParameters',
  PassthroughBehavior: 'passthroughBehavior',
  ContentHandling: 'contentHandling',
  Credentials: 'credentials',
  CacheKeyParameters: 'cacheKeyParameters',
  CacheNamespace: 'cacheNamespace',
  ConnectionType: 'connectionType',
  ConnectionId: 'connectionId',
  // A private integration's load balancer (VPC link v2); the VPC_LINK route is reported as not emulated.
  IntegrationTarget: 'integrationTarget',
  TlsConfig: 'tlsConfig',
  ResponseTransferMode: 'responseTransferMode',
};

/** Method.Integration → x-amazon-apigateway-integration; IntegrationResponses keyed by SelectionPattern ("default" without one). */
function integration(stack: Stack, raw: Json, key: string, warnings: string[]): Json {
  const type = String(raw.Type ?? '').toUpperCase();
  if (!['AWS', 'AWS_PROXY', 'HTTP', 'HTTP_PROXY', 'MOCK'].includes(type)) {
    throw new TemplateError(stack.file, `${key}.Type`, `must be AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK, got ${JSON.stringify(raw.Type)}`);
  }
  const out: Json = { type: type.toLowerCase() };
  for (const [name, value] of Object.entries(raw)) {
    if (name === 'Type' || name === 'IntegrationResponses') continue;
    if (name === 'TimeoutInMillis') out.timeoutInMillis = Number(value);
    else if (INTEGRATION_PROPERTIES[name]) out[INTEGRATION_PROPERTIES[name]] = value;
    else warnings.push(`${key}.${name}: unknown Integration property, ignored`);
  }
  if (raw.IntegrationResponses === undefined) return out;
  if (!Array.isArray(raw.IntegrationResponses)) throw new TemplateError(stack.file, `${key}.IntegrationResponses`, 'must be a list');
  const responses: Json = {};
  raw.IntegrationResponses.forEach((r: unknown, i: number) => {
    const where = `${key}.IntegrationResponses[${i}]`;
    if (!isRecord(r) || r.StatusCode === undefined) throw new TemplateError(stack.file, `${where}.StatusCode`, 'is required');
    // CloudFormation reads a scalar as the string it is written as: `SelectionPattern: 403` is the pattern "403".
    const written = typeof r.SelectionPattern === 'number' || typeof r.SelectionPattern === 'boolean' ? String(r.SelectionPattern) : r.SelectionPattern;
    const pattern = typeof written === 'string' && written !== '' ? written : 'default';
    if (responses[pattern] !== undefined) {
      warnings.push(`${where}: another integration response already has SelectionPattern ${JSON.stringify(pattern)}; this one is never selected`);
      return;
    }
    const response: Json = { statusCode: String(r.StatusCode) };
    if (r.ResponseParameters !== undefined) response.responseParameters = r.ResponseParameters;
    if (r.ResponseTemplates !== undefined) response.responseTemplates = r.ResponseTemplates;
    if (r.ContentHandling !== undefined) response.contentHandling = r.ContentHandling;
    responses[pattern] = response;
  });
  out.responses = responses;
  return out;
}
