/**
 * Edits an API Gateway Swagger/OpenAPI document the way the SAM translator does when it turns
 * `AWS::Serverless::Api` properties and function `Api` events into the RestApi `Body`.
 */
import { TemplateError } from '../model.js';

export type Json = Record<string, unknown>;

export const isJson = (v: unknown): v is Json => typeof v === 'object' && v !== null && !Array.isArray(v);

const INTEGRATION = 'x-amazon-apigateway-integration';
export const ANY_METHOD = 'x-amazon-apigateway-any-method';
/** Path-item keys that are not methods. */
const NOT_METHODS = new Set(['summary', 'description', 'parameters']);
const ALL_METHODS = ['OPTIONS', 'GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH'];

/** SAM's empty document for an API it generates: Swagger 2.0 titled with the stack name. */
export function skeleton(): Json {
  return { swagger: '2.0', info: { version: '1.0', title: { Ref: 'AWS::StackName' } }, paths: {} };
}

/** SAM's test for a document it may edit: a `paths` map and a `swagger` or OpenAPI 3 version. */
export function isEditable(doc: unknown): doc is Json & { paths: Record<string, Json> } {
  if (!isJson(doc) || !isJson(doc.paths)) return false;
  if (doc.swagger) return true;
  return typeof doc.openapi === 'string' && /^3(\.\d)(\.\d)?$/.test(doc.openapi);
}

/** `ANY` → x-amazon-apigateway-any-method, other methods lower case. */
export function methodKey(method: string): string {
  const lower = method.toLowerCase();
  return lower === 'any' ? ANY_METHOD : lower;
}

/** A document SAM edits, with the checks it makes while editing. */
export class SamDocument {
  constructor(
    readonly doc: Json & { paths: Record<string, Json> },
    private readonly file: string,
    private readonly key: string,
  ) {}

  private fail(message: string): never {
    throw new TemplateError(this.file, this.key, message);
  }

  /** The method object at path+method, created empty when absent (SAM's add_path). */
  method(path: string, method: string): Json {
    const item = (this.doc.paths[path] ??= {});
    if (!isJson(item)) this.fail(`Value of '${path}' path must be a dictionary according to Swagger spec.`);
    const key = methodKey(method);
    const op = (item[key] ??= {});
    if (!isJson(op)) this.fail(`Value of '${path}' ${key} must be a dictionary.`);
    return op;
  }

  hasIntegration(path: string, method: string): boolean {
    const item = this.doc.paths[path];
    const op = isJson(item) ? item[methodKey(method)] : undefined;
    return isJson(op) && isJson(op[INTEGRATION]);
  }

  /** Whether a request for `method path` reaches one of the document's integrations: the method's or ANY's, at the path or at it without a trailing slash (R11.7). */
  serves(path: string, method: string): boolean {
    const bare = path === '/' ? path : path.replace(/\/+$/, '');
    return [path, bare].some((p) => this.hasIntegration(p, method) || this.hasIntegration(p, 'any'));
  }

  /** aws_proxy integration to a function (the Api event), with `responses: {}` when the method has none. */
  addLambdaIntegration(path: string, method: string, uri: unknown, timeoutInMillis?: unknown): void {
    const op = this.method(path, method);
    op[INTEGRATION] = { type: 'aws_proxy', httpMethod: 'POST', uri, ...(timeoutInMillis ? { timeoutInMillis } : {}) };
    op.responses ??= {};
  }

  /**
   * A state machine's Api event, as SAM writes it: an `aws` integration calling Step Functions' StartExecution with the
   * event's role, the request body as the execution's input (a template), 200 and 400 answered as the service's.
   */
  addStateMachineIntegration(path: string, method: string, stateMachineId: string, roleId: string, unescape: boolean): void {
    const op = this.method(path, method);
    const input = unescape ? `$util.escapeJavaScript($input.json('$')).replaceAll("\\\\'","'")` : `$util.escapeJavaScript($input.json('$'))`;
    op[INTEGRATION] = {
      type: 'aws',
      httpMethod: 'POST',
      uri: { 'Fn::Sub': 'arn:${AWS::Partition}:apigateway:${AWS::Region}:states:action/StartExecution' },
      credentials: { 'Fn::GetAtt': [roleId, 'Arn'] },
      requestTemplates: { 'application/json': { 'Fn::Sub': `{"input": "${input}", "stateMachineArn": "\${${stateMachineId}}"}` } },
      responses: { '200': { statusCode: '200' }, '400': { statusCode: '400' } },
    };
    op.responses = { '200': { description: 'OK' }, '400': { description: 'Bad Request' } };
  }

  /** Every (normalised method, operation) of a path that has an API Gateway integration. */
  *methodsOf(path: string): Generator<[string, Json]> {
    const item = this.doc.paths[path];
    if (!isJson(item)) return;
    for (const [name, op] of Object.entries(item)) {
      if (NOT_METHODS.has(name) || !isJson(op) || !isJson(op[INTEGRATION])) continue;
      yield [methodKey(name), op];
    }
  }

  paths(): string[] {
    return Object.keys(this.doc.paths);
  }

  /** The section holding security schemes: securityDefinitions (Swagger) — moved to components by `toOpenApi3`. */
  securityDefinitions(): Json {
    const defs = (this.doc.securityDefinitions ??= {});
    if (!isJson(defs)) this.fail('securityDefinitions must be a dictionary.');
    return defs;
  }

  /** The `api_key` scheme SAM adds for ApiKeyRequired (kept if the document already has one). */
  addApiKeyDefinition(): void {
    const defs = this.securityDefinitions();
    defs.api_key ??= { type: 'apiKey', name: 'x-api-key', in: 'header' };
  }

  addIamDefinition(): void {
    const defs = this.securityDefinitions();
    defs.AWS_IAM ??= { 'x-amazon-apigateway-authtype': 'awsSigv4', type: 'apiKey', name: 'Authorization', in: 'header' };
  }

  security(op: Json, path: string, method: string): Json[] {
    const security = op.security ?? [];
    if (!Array.isArray(security)) this.fail(`Type of security for path ${path} method ${method} must be a list`);
    return security.filter(isJson);
  }

  /** Cors: an OPTIONS mock method answering the preflight on every path that has none. */
  addCors(path: string, cors: CorsSettings): void {
    const item = this.doc.paths[path];
    // R10.7: CORS in the document and in the property merge per path; an OPTIONS the document has is kept (SAM's add_cors).
    if (!isJson(item) || item.options !== undefined) return;
    const allowMethods = cors.allowMethods ?? `'${allowedMethods(item)}'`;
    const parameters: Json = { 'method.response.header.Access-Control-Allow-Origin': cors.allowOrigin };
    const headers: Json = { 'Access-Control-Allow-Origin': { type: 'string' } };
    if (cors.allowHeaders) {
      parameters['method.response.header.Access-Control-Allow-Headers'] = cors.allowHeaders;
      headers['Access-Control-Allow-Headers'] = { type: 'string' };
    }
    if (allowMethods) {
      parameters['method.response.header.Access-Control-Allow-Methods'] = allowMethods;
      headers['Access-Control-Allow-Methods'] = { type: 'string' };
    }
    if (cors.maxAge !== undefined && cors.maxAge !== null) {
      parameters['method.response.header.Access-Control-Max-Age'] = cors.maxAge;
      headers['Access-Control-Max-Age'] = { type: 'integer' };
    }
    if (cors.allowCredentials === true) {
      parameters['method.response.header.Access-Control-Allow-Credentials'] = "'true'";
      headers['Access-Control-Allow-Credentials'] = { type: 'string' };
    }
    item.options = {
      summary: 'CORS support',
      consumes: ['application/json'],
      produces: ['application/json'],
      [INTEGRATION]: {
        type: 'mock',
        requestTemplates: { 'application/json': '{\n  "statusCode" : 200\n}\n' },
        responses: { default: { statusCode: '200', responseParameters: parameters, responseTemplates: { 'application/json': '{}\n' } } },
      },
      responses: { '200': { description: 'Default response for CORS method', headers } },
    };
  }

  /** Request model of an event (RequestModel.Model): a body parameter (Swagger) or requestBody (OpenAPI 3). */
  addRequestModel(path: string, method: string, model: string, required: unknown): void {
    const op = this.method(path, method);
    const name = model.toLowerCase();
    if (this.doc.swagger !== undefined) {
      const parameters = Array.isArray(op.parameters) ? op.parameters : [];
      parameters.push({ in: 'body', name, schema: { $ref: `#/definitions/${name}` }, ...(required !== undefined ? { required } : {}) });
      op.parameters = parameters;
    } else if (isEditable(this.doc)) {
      op.requestBody = { content: { 'application/json': { schema: { $ref: `#/components/schemas/${name}` } } }, ...(required !== undefined ? { required } : {}) };
    }
  }

  /** A request validator named as SAM names it (body-only, params-only, body-and-params, no-validation). */
  addRequestValidator(path: string, method: string, body: boolean, params: boolean): void {
    const name = body && params ? 'body-and-params' : body ? 'body-only' : params ? 'params-only' : 'no-validation';
    const validators = isJson(this.doc['x-amazon-apigateway-request-validators']) ? this.doc['x-amazon-apigateway-request-validators'] : {};
    validators[name] ??= { validateRequestBody: body, validateRequestParameters: params };
    this.doc['x-amazon-apigateway-request-validators'] = validators;
    this.method(path, method)['x-amazon-apigateway-request-validator'] = name;
  }

  /** RequestParameters of an event: string parameters, and cache key parameters when Caching is true. */
  addRequestParameters(path: string, method: string, parameters: { name: string; required: unknown; caching: unknown }[]): void {
    const op = this.method(path, method);
    const list = Array.isArray(op.parameters) ? op.parameters : [];
    for (const p of parameters) {
      const [where, name] = splitOnce(p.name.replace('method.request.', ''));
      list.push({ in: where === 'querystring' ? 'query' : where, name, required: p.required, type: 'string' });
      const integration = op[INTEGRATION];
      if (p.caching === true && isJson(integration)) {
        integration.cacheKeyParameters = [...(Array.isArray(integration.cacheKeyParameters) ? integration.cacheKeyParameters : []), p.name];
      }
    }
    op.parameters = list;
  }
}

export interface CorsSettings {
  allowOrigin: unknown;
  allowHeaders?: unknown;
  allowMethods?: unknown;
  maxAge?: unknown;
  allowCredentials?: unknown;
}

function splitOnce(text: string): [string, string] {
  const dot = text.indexOf('.');
  return [text.slice(0, dot), text.slice(dot + 1)];
}

/** Access-Control-Allow-Methods from a path's methods: every method for ANY, else the methods plus OPTIONS, sorted. */
function allowedMethods(item: Json): string {
  const names = Object.keys(item);
  const methods = names.includes(ANY_METHOD) ? ALL_METHODS : [...names, 'options'];
  return [...new Set(methods.map((m) => m.toUpperCase()))].sort().join(',');
}

/**
 * OpenApiVersion 3: what SAM does after editing — securityDefinitions → components.securitySchemes,
 * definitions → components.schemas, and the CORS OPTIONS responses in OpenAPI 3 form. R13.9: the version that
 * decides is `OpenApiVersion` when set, else the document's `openapi`; a `swagger` document is left as it is.
 */
export function toOpenApi3(doc: Json, openApiVersion?: string): void {
  const version = openApiVersion ?? doc.openapi;
  if (doc.swagger !== undefined || typeof version !== 'string' || !/^3(\.\d)(\.\d)?$/.test(version)) return;
  for (const [from, to] of [['securityDefinitions', 'securitySchemes'], ['definitions', 'schemas']] as const) {
    if (!isJson(doc[from]) || Object.keys(doc[from]).length === 0) continue;
    const components = isJson(doc.components) ? doc.components : {};
    components[to] = doc[from];
    doc.components = components;
    delete doc[from];
  }
  for (const item of Object.values(isJson(doc.paths) ? doc.paths : {})) {
    const options = isJson(item) ? item.options : undefined;
    if (!isJson(options)) continue;
    delete options.consumes;
    delete options.produces;
    const ok = isJson(options.responses) ? options.responses['200'] : undefined;
    if (!isJson(ok) || !isJson(ok.headers)) continue;
    for (const [name, header] of Object.entries(ok.headers)) ok.headers[name] = { schema: header };
  }
}
