/**
 * openapi/api.yaml → the HTTP API (v2) definition of the Task API, openapi/http-api.gen.json, which
 * template.yaml deploys when `ApiType` is `HTTP`. Never edited by hand: `npm run generate` writes it and
 * `npm run generate:check` fails CI when it is stale.
 *
 * What an HTTP API cannot do is handled here, each explicitly (apigw-http-semantics.md §12):
 * - no API keys or usage plans: the API key scheme leaves every security requirement (H2.2: one
 *   authorization per route);
 * - the Cognito user pool authorizer becomes a JWT authorizer on the same pool (H7.5), its audience the
 *   pool's app clients; the Lambda TOKEN authorizer becomes a REQUEST authorizer with payload 1.0, whose
 *   event carries the same `authorizationToken` and `methodArn` (H8.3), so the same function serves both;
 * - no mock, VTL or AWS-service integrations: every operation is a Lambda proxy integration with payload
 *   1.0 (the REST proxy event, H5.1), to the function named after its operationId; the OPTIONS mocks go,
 *   the gateway's CORS configuration answers preflights instead (H9), built from what those mocks sent;
 * - no request validators or gateway responses: the handlers validate (and answer problem+json); what
 *   API Gateway itself answers is its fixed `{"message": ...}` JSON (H10), declared as such per status.
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCfnYaml } from '../emulator/template/cfn-yaml.js';
import { readContract, REPO_ROOT, type Json } from './contract.js';

export const HTTP_API_DEFINITION_PATH = resolve(REPO_ROOT, 'openapi/http-api.gen.json');
const TEMPLATE_PATH = resolve(REPO_ROOT, 'template.yaml');

type Obj = { [key: string]: Json };
const isObject = (v: Json | undefined): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const clone = <T extends Json>(v: T): T => JSON.parse(JSON.stringify(v)) as T;

const REST_ONLY_ROOT_KEYS = ['x-amazon-apigateway-api-key-source', 'x-amazon-apigateway-request-validators', 'x-amazon-apigateway-gateway-responses'];
const REST_ONLY_OPERATION_KEYS = ['x-amazon-apigateway-request-validator', 'x-amazon-apigateway-auth', 'x-amazon-apigateway-api-key-required'];
/** Statuses only REST's gateway answers: 502 (a Lambda error is 500 on HTTP, H6.7), 504 (503, H10.5), 414 (R7.17). */
const REST_ONLY_STATUSES = ['502', '504', '414'];
/** Statuses only API Gateway answers here (authorizers, throttling, size), in its fixed JSON (H10). */
const GATEWAY_STATUSES = ['401', '403', '413', '429'];
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const LAMBDA_URI = 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${%s.Arn}/invocations';
/** CORS answers by the gateway are added only for requests with an Origin (H9.2): never a declared header. */
const CORS_HEADER = /^access-control-/i;

const INFO = [
  'The Task API as an API Gateway HTTP API (v2), generated from openapi/api.yaml (the REST API\'s contract) by',
  'infra/http-api-definition.ts: do not edit. Same routes, schemas and handlers; every route is a Lambda proxy',
  'integration (payload 1.0), Cognito ID tokens are checked by a JWT authorizer and the admin route by the same',
  'Lambda authorizer. No API keys, usage plans, request validation, mapping templates, caching or gateway',
  'responses: the handlers validate and answer application/problem+json; what API Gateway answers itself',
  '(401, 403, 404, 413, 429, 500, 503) is its fixed JSON `{"message": ...}`.',
].join('\n');

/** The function that serves an operation on the HTTP API: `getTask` → `GetTaskFunction`. */
export function functionFor(operationId: string): string {
  return `${operationId.charAt(0).toUpperCase()}${operationId.slice(1)}Function`;
}

/** What the definition needs from template.yaml: the app clients of each user pool (the JWT audience). */
export interface TemplateFacts {
  clientsOfPool: Record<string, string[]>;
}

/** The user pool clients of template.yaml, by the logical id of their pool. */
export function templateFacts(path = TEMPLATE_PATH): TemplateFacts {
  const template = parseCfnYaml(readFileSync(path, 'utf8'), path) as { Resources: Record<string, { Type: string; Properties?: Obj }> };
  const clientsOfPool: Record<string, string[]> = {};
  for (const [id, r] of Object.entries(template.Resources)) {
    const pool = r.Type === 'AWS::Cognito::UserPoolClient' ? (r.Properties?.UserPoolId as Obj | undefined)?.Ref : undefined;
    if (typeof pool === 'string') (clientsOfPool[pool] ??= []).push(id);
  }
  return { clientsOfPool };
}

/** The HTTP API definition derived from `contract`. */
export function httpApiDefinition(contract: Obj = readContract() as Obj, facts: TemplateFacts = templateFacts()): Obj {
  const doc = clone(contract);
  const cors = corsConfiguration(doc);
  for (const key of REST_ONLY_ROOT_KEYS) delete doc[key];
  const components = doc.components as Obj;
  const schemes = components.securitySchemes as Obj;
  const apiKeySchemes = Object.keys(schemes).filter((name) => !isObject((schemes[name] as Obj)['x-amazon-apigateway-authorizer']));
  for (const name of apiKeySchemes) delete schemes[name];
  for (const [name, scheme] of Object.entries(schemes)) schemes[name] = httpAuthorizer(name, scheme as Obj, facts);
  for (const [path, item] of Object.entries(doc.paths as Obj)) {
    for (const method of METHODS.filter((m) => isObject((item as Obj)[m]))) {
      const op = (item as Obj)[method] as Obj;
      const kind = String((op['x-amazon-apigateway-integration'] as Obj).type);
      if (method === 'options' && kind === 'mock') delete (item as Obj)[method];
      else (item as Obj)[method] = httpOperation(op, apiKeySchemes, `${method} ${path}`);
    }
  }
  doc['x-amazon-apigateway-cors'] = cors;
  // GatewayMessage (the contract's schema of API Gateway's own answers) is every gateway error's body on an HTTP API (H10.9).
  const responses = components.responses as Obj;
  responses.GatewayMessage = { description: 'Answered by API Gateway itself (authorizer, throttling, size or timeout).', content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayMessage' } } } };
  // 413 and 503 come from API Gateway (its JSON message, H10; a function's timeout is its 503, H10.5) and from the
  // functions (a body over 65,536 characters; the task store throttled, with Retry-After).
  responses.GatewayMessageOrProblem = {
    // No declared headers: the function's 503 sends Retry-After, API Gateway's own does not.
    description: "API Gateway's own answer (its JSON message) or the function's problem: 413 content-too-large, or 503 unavailable with a Retry-After header.",
    content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayMessage' } }, 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } },
  };
  // H7.6: the JWT authorizer's 401 comes with no Content-Type (AWS's capture), `*/*` here; a Lambda authorizer's is JSON.
  responses.GatewayUnauthorized = {
    description: 'Answered by API Gateway itself: the JWT authorizer refused the token (with `www-authenticate: Bearer ...` and no Content-Type) or the Lambda authorizer did (application/json).',
    content: { 'application/json': { schema: { $ref: '#/components/schemas/GatewayMessage' } }, '*/*': { schema: { $ref: '#/components/schemas/GatewayMessage' } } },
  };
  // A handler's 500 is a problem; API Gateway's own 500 (a function error, H6.7) is its JSON message.
  const internal = responses.InternalError as Obj;
  (internal.content as Obj)['application/json'] = { schema: { $ref: '#/components/schemas/GatewayMessage' } };
  // A handler's 400 is a problem; a path that does not percent-decode twice is API Gateway's own 400 (H4.3).
  const badRequest = responses.BadRequest as Obj;
  (badRequest.content as Obj)['application/json'] = { schema: { $ref: '#/components/schemas/GatewayMessage' } };
  withoutCorsHeaders(doc);
  pruneUnreferenced(doc);
  doc.info = { ...(doc.info as Obj), description: INFO };
  return doc;
}

/** H2.8: a Cognito pool authorizer becomes a JWT authorizer on the pool, a TOKEN authorizer a REQUEST one with payload 1.0. */
function httpAuthorizer(name: string, scheme: Obj, facts: TemplateFacts): Obj {
  const rest = scheme['x-amazon-apigateway-authorizer'] as Obj;
  const identitySource = identitySourceOf(rest.identitySource, scheme);
  const description: Obj = scheme.description === undefined ? {} : { description: scheme.description };
  if (rest.type === 'cognito_user_pools') {
    const arns = rest.providerARNs as Json[];
    const pool = arns.length === 1 && isObject(arns[0]) ? (arns[0]['Fn::GetAtt'] as Json[] | undefined)?.[0] : undefined;
    if (typeof pool !== 'string') throw new Error(`components.securitySchemes.${name}: providerARNs must be one Fn::GetAtt [Pool, Arn] (got ${JSON.stringify(arns)})`);
    const clients = facts.clientsOfPool[pool] ?? [];
    if (clients.length === 0) throw new Error(`components.securitySchemes.${name}: template.yaml has no AWS::Cognito::UserPoolClient of ${pool} (the JWT audience)`);
    return {
      type: 'oauth2',
      ...description,
      'x-amazon-apigateway-authorizer': {
        type: 'jwt',
        identitySource,
        jwtConfiguration: { issuer: { 'Fn::Sub': `https://cognito-idp.\${AWS::Region}.amazonaws.com/\${${pool}}` }, audience: clients.map((c) => ({ Ref: c })) },
      },
    };
  }
  if (rest.type === 'token' || rest.type === 'request') {
    return {
      type: 'apiKey',
      name: scheme.name ?? 'Authorization',
      in: 'header',
      ...description,
      'x-amazon-apigateway-authorizer': {
        type: 'request',
        authorizerUri: rest.authorizerUri ?? null,
        authorizerPayloadFormatVersion: '1.0',
        ...(rest.authorizerResultTtlInSeconds === undefined ? {} : { authorizerResultTtlInSeconds: rest.authorizerResultTtlInSeconds }),
        identitySource,
      },
    };
  }
  throw new Error(`components.securitySchemes.${name}: authorizer type ${String(rest.type)} has no HTTP API equivalent`);
}

/** `method.request.header.X` → `$request.header.X` (H8.4); a TOKEN authorizer's default is the Authorization header. */
function identitySourceOf(source: Json | undefined, scheme: Obj): string {
  const text = typeof source === 'string' ? source : `method.request.header.${String(scheme.name ?? 'Authorization')}`;
  return text
    .split(',')
    .map((s) => s.trim().replace(/^method\.request\.(header|querystring)\./, '$$request.$1.'))
    .join(',');
}

/** One operation: a Lambda proxy integration (payload 1.0), security without API keys, HTTP's responses. */
function httpOperation(op: Obj, apiKeySchemes: string[], where: string): Obj {
  const rest = op['x-amazon-apigateway-integration'] as Obj;
  const operationId = String(op.operationId);
  const fn = functionFor(operationId);
  const uri = { 'Fn::Sub': LAMBDA_URI.replace('%s', fn) };
  const proxied = rest.type === 'aws_proxy';
  if ((proxied || rest.type === 'aws') && JSON.stringify(rest.uri).includes(':lambda:path/') && JSON.stringify(rest.uri) !== JSON.stringify(uri)) {
    throw new Error(`${where}: the REST integration invokes ${JSON.stringify(rest.uri)}, not ${fn}: the HTTP API would invoke another function`);
  }
  const out: Obj = { ...op };
  for (const key of REST_ONLY_OPERATION_KEYS) delete out[key];
  if (!proxied) {
    const what = rest.type === 'mock' ? 'a mock integration' : 'an AWS integration with mapping templates';
    out.description = `On the REST API this operation is ${what}, which HTTP APIs do not have (H12.1): here ${fn} serves it.`;
  }
  out['x-amazon-apigateway-integration'] = {
    type: 'aws_proxy',
    httpMethod: 'POST',
    uri,
    payloadFormatVersion: '1.0',
    timeoutInMillis: rest.timeoutInMillis ?? 29000,
  };
  if (Array.isArray(op.security)) {
    out.security = (op.security as Obj[]).map((req) => Object.fromEntries(Object.entries(req).filter(([name]) => !apiKeySchemes.includes(name)))).filter((req) => Object.keys(req).length > 0);
  }
  out.responses = httpResponses(op.responses as Obj);
  return out;
}

/** Statuses both API Gateway (its JSON message) and a function (a problem) answer, when the operation declares them. */
const SHARED_STATUSES = ['413', '503'];

function httpResponses(responses: Obj): Obj {
  const out: Obj = {};
  for (const [status, response] of Object.entries(responses)) {
    if (REST_ONLY_STATUSES.includes(status)) continue;
    if (SHARED_STATUSES.includes(status)) out[status] = { $ref: '#/components/responses/GatewayMessageOrProblem' };
    else out[status] = GATEWAY_STATUSES.includes(status) ? { $ref: `#/components/responses/${status === '401' ? 'GatewayUnauthorized' : 'GatewayMessage'}` } : response;
  }
  // Every route now invokes a function: its failure is API Gateway's 500 (H6.7), its timeout a 503 (H10.5).
  out['500'] ??= { $ref: '#/components/responses/InternalError' };
  out['503'] ??= { $ref: '#/components/responses/GatewayMessage' };
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => a.localeCompare(b)));
}

/** H2.7: the CORS configuration that answers what the contract's OPTIONS mocks answered. */
function corsConfiguration(doc: Obj): Obj {
  const origins = new Set<string>();
  const methods = new Set<string>();
  const headers = new Set<string>();
  let maxAge: number | undefined;
  const apiKeyHeaders = Object.values((doc.components as Obj).securitySchemes as Obj)
    .filter((s) => isObject(s) && !isObject(s['x-amazon-apigateway-authorizer']))
    .map((s) => String((s as Obj).name).toLowerCase());
  const literal = (value: Json | undefined): string | undefined => (typeof value === 'string' ? value.replace(/^'(.*)'$/, '$1') : undefined);
  for (const item of Object.values(doc.paths as Obj)) {
    const options = (item as Obj).options as Obj | undefined;
    const integration = options?.['x-amazon-apigateway-integration'] as Obj | undefined;
    if (integration?.type !== 'mock') continue;
    const params = ((integration.responses as Obj).default as Obj).responseParameters as Obj;
    const origin = params['method.response.header.Access-Control-Allow-Origin'];
    const sub = isObject(origin) ? origin['Fn::Sub'] : origin;
    if (typeof sub === 'string') origins.add(sub.replace(/^'(.*)'$/, '$1'));
    for (const m of literal(params['method.response.header.Access-Control-Allow-Methods'])?.split(',') ?? []) methods.add(m.trim());
    for (const h of literal(params['method.response.header.Access-Control-Allow-Headers'])?.split(',') ?? []) if (!apiKeyHeaders.includes(h.trim().toLowerCase())) headers.add(h.trim());
    const age = literal(params['method.response.header.Access-Control-Max-Age']);
    if (age !== undefined) maxAge = Math.max(maxAge ?? 0, Number(age));
  }
  if (origins.size !== 1) throw new Error(`the OPTIONS mocks must allow one origin expression, found ${[...origins].join(', ') || 'none'}`);
  const expose = new Set<string>();
  for (const item of Object.values(doc.paths as Obj)) {
    for (const op of Object.values(item as Obj)) {
      for (const response of Object.values(isObject(op) && isObject(op.responses) ? op.responses : {})) {
        for (const name of Object.keys(isObject(response) && isObject(response.headers) ? response.headers : {})) if (!CORS_HEADER.test(name)) expose.add(name);
      }
    }
  }
  const origin = [...origins][0] as string;
  return {
    allowOrigins: [origin.includes('${') ? { 'Fn::Sub': origin } : origin],
    allowMethods: [...methods].sort(),
    allowHeaders: [...headers].sort(),
    exposeHeaders: [...expose].sort(),
    ...(maxAge === undefined ? {} : { maxAge }),
  };
}

function withoutCorsHeaders(node: Json): void {
  if (Array.isArray(node)) node.forEach(withoutCorsHeaders);
  if (!isObject(node)) return;
  if (isObject(node.headers) && (isObject(node.content) || typeof node.description === 'string')) {
    for (const name of Object.keys(node.headers)) if (CORS_HEADER.test(name)) delete node.headers[name];
    if (Object.keys(node.headers).length === 0) delete node.headers;
  }
  Object.values(node).forEach(withoutCorsHeaders);
}

/** Components no operation refers to any more (the preflight response, REST-only errors, the CORS header). */
function pruneUnreferenced(doc: Obj): void {
  const components = doc.components as Obj;
  for (let changed = true; changed; ) {
    changed = false;
    const text = JSON.stringify(doc);
    for (const section of ['responses', 'headers', 'schemas']) {
      const entries = components[section];
      if (!isObject(entries)) continue;
      for (const name of Object.keys(entries)) {
        const ref = `"#/components/${section}/${name}"`;
        if (!text.includes(ref)) {
          delete entries[name];
          changed = true;
        }
      }
    }
  }
}
