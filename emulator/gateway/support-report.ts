/** The startup report: which routes and which x-amazon-apigateway-* keys the emulator honours. */
import { javaPatternProblem } from './java-regex.js';
import type { FunctionSpec, LoadedTemplate, OpenApiDocument } from '../template/model.js';
import type { RouteInfo, SupportItem } from './types.js';
import { methodAuthType, methodSecurity, securitySchemes, type IdentityStage } from './identity.js';
import { dynamoDbAction } from './integration-dynamodb.js';
import { declaresBodyModel, selectValidator, undeclaredValidator } from './request-validation.js';
import { endpointVariable, parseServiceUri, serviceEndpoint, type ServiceEndpoints } from './aws-service-uri.js';
import { functionOutsideTemplate, undefinedStageVariables, withStageVariables } from '../template/uris.js';
import { OPENAPI_VERBS } from '../template/openapi-verbs.js';
import { integrationType, isObject, listOperations, type Json, type OperationRoute } from './routes.js';
import { invokesWithRole } from './lambda-target.js';
import { missingAuthorizerPermission, type AuthorizerApi } from './authorizer-permission.js';
import { inSecurityScheme, OUTSIDE_SCHEME_KEY, outsideSchemeVerdict } from './authorizer-placement.js';
import { BUILTIN_RESPONSES, NOT_CUSTOMISABLE } from './gateway-responses.js';

const PREFIX = 'x-amazon-apigateway-';

export type Verdict = { status: SupportItem['status']; detail?: string };

const ROOT_AND_PATH_KEYS: Record<string, Verdict> = {
  'gateway-responses': { status: 'emulated' },
  'request-validators': { status: 'emulated' },
  'request-validator': { status: 'emulated' },
  'binary-media-types': { status: 'emulated' },
  'any-method': { status: 'emulated' },
  'api-key-source': { status: 'not-emulated', detail: 'API keys are not checked yet (part 2)' },
  authorizer: { status: 'not-emulated', detail: 'authorizers are not emulated yet (part 2)' },
  authtype: { status: 'not-emulated', detail: 'authorizers are not emulated yet (part 2)' },
  auth: { status: 'not-emulated', detail: 'x-amazon-apigateway-auth needs the identity stage' },
  policy: { status: 'not-emulated', detail: 'resource policies are not evaluated' },
  'minimum-compression-size': { status: 'ignored', detail: 'responses are never compressed locally' },
  'endpoint-configuration': { status: 'ignored', detail: 'endpoint type / VPC endpoints have no local meaning' },
  // REST API security policies (2025): the TLS versions and ciphers of the API's endpoint, and how strictly a custom
  // domain's requests are held to them; what a console export of such an API writes at its root.
  'security-policy': { status: 'ignored', detail: "the TLS security policy of the API's endpoint: the local endpoint answers plain HTTP (or --ssl-cert-file's TLS) whatever it names" },
  'endpoint-access-mode': { status: 'ignored', detail: "the endpoint access mode of a security policy: custom domains are not served and the local endpoint's TLS is not policed" },
  documentation: { status: 'ignored', detail: 'documentation parts do not affect requests' },
  'importexport-version': { status: 'ignored', detail: 'import format marker only' },
  'tag-value': { status: 'ignored', detail: 'tags do not affect requests' },
  cors: { status: 'ignored', detail: 'HTTP API key; REST CORS is an OPTIONS method' },
};

const INTEGRATION_KEYS: Record<string, Verdict> = {
  type: { status: 'emulated' },
  uri: { status: 'emulated' },
  httpMethod: { status: 'emulated' },
  timeoutInMillis: { status: 'emulated' },
  passthroughBehavior: { status: 'emulated', detail: 'mock, aws and http integrations (ignored by aws_proxy and http_proxy, R1.4)' },
  requestTemplates: { status: 'emulated', detail: 'mock, aws and http integrations (ignored by aws_proxy and http_proxy, R1.4)' },
  responses: { status: 'emulated', detail: 'mock, aws and http integrations (ignored by aws_proxy and http_proxy, R1.4)' },
  cacheKeyParameters: { status: 'not-emulated', detail: 'stage caching is not emulated' },
  cacheNamespace: { status: 'not-emulated', detail: 'stage caching is not emulated' },
  requestParameters: { status: 'emulated', detail: 'mappings are evaluated and refused at run time as on AWS; X-Amz-Invocation-Type selects a Lambda invocation type; other mapped values have nowhere to go for Lambda, mock and DynamoDB integrations (R2.10)' },
  contentHandling: { status: 'emulated', detail: 'CONVERT_TO_TEXT/BINARY on mock, aws and http integrations and their responses (R2.11; an http or AWS service answer is taken as text)' },
  credentials: { status: 'ignored', detail: 'no IAM locally: the role is not assumed and its policy not checked; with a role, API Gateway needs no resource-based permission (R1.54)' },
  connectionType: { status: 'emulated', detail: 'INTERNET, the default (VPC_LINK makes the route not emulated)' },
  connectionId: { status: 'not-emulated', detail: 'VPC links are not emulated' },
  tlsConfig: { status: 'ignored', detail: 'no TLS to backends locally' },
  responseTransferMode: { status: 'emulated', detail: 'STREAM with a response-streaming-invocations uri: the Lambda response is sent as the function writes it; an http_proxy answer is sent once whole' },
  payloadFormatVersion: { status: 'ignored', detail: "an HTTP API key: a REST API's Lambda proxy event is always the 1.0 format (what a REST import does with the key is not recorded)" },
};

const PROXY_TYPES = new Set(['aws_proxy', 'http_proxy']);
/** R1.4: the integration keys a proxy integration ignores (no mapping, no integration responses). */
const PROXY_IGNORED = new Set(['passthroughBehavior', 'requestTemplates', 'responses']);

/** What the emulator does with IAM authorization, for the report (the choice is documented in the README). */
export const IAM_NOTE = 'SigV4 signature checked against the local credentials; IAM policies are not evaluated (any valid signature by the local access key is allowed)';

/** Keys an identity stage (part 2) emulates: Lambda and Cognito authorizers and the API key source. */
const IDENTITY_KEYS = new Set(['api-key-source', 'authorizer', 'authtype', 'auth']);

/** Integration keys a stage cache (emulator/limits/cache.ts) emulates. */
const CACHE_KEYS: Record<string, Verdict> = {
  cacheKeyParameters: { status: 'emulated', detail: 'stage cache key (R9.3)' },
  cacheNamespace: { status: 'emulated', detail: 'stage cache key in place of the resource path (R9.3)' },
};

/**
 * R8: a gateway response type API Gateway does not have (its types are upper case: `DEFAULT_4xx` is none) is never
 * answered with here; API Gateway's own handling of it (refused at import, or dropped) is not recorded.
 */
function unknownResponseTypes(types: string[]): string {
  const hint = (type: string) => (type.toUpperCase() in BUILTIN_RESPONSES ? ` (the type is ${type.toUpperCase()}: response types are upper case)` : '');
  return `${types.map((t) => `${JSON.stringify(t)}${hint(t)}`).join(', ')}: no gateway response type of API Gateway, never applied`;
}

function verdictFor(key: string, underIntegration: string | undefined, owner: Json = {}, withIdentity = false, withCache = false): Verdict {
  if (underIntegration !== undefined) return (withCache ? CACHE_KEYS[key] : undefined) ?? INTEGRATION_KEYS[key] ?? { status: 'not-emulated', detail: 'unknown integration key' };
  const name = key.slice(PREFIX.length);
  if (withIdentity && name === 'auth') {
    const type = methodAuthType(owner);
    if (type === 'AWS_IAM') return { status: 'emulated', detail: `IAM: ${IAM_NOTE}` };
    return type === 'NONE' ? { status: 'emulated' } : { status: 'not-emulated', detail: `type ${JSON.stringify(type ?? null)}: API Gateway takes AWS_IAM or NONE` };
  }
  // R6.3: the header named in the report's key list is not where such an API reads its key.
  if (withIdentity && name === 'api-key-source' && owner[key] === 'AUTHORIZER') return { status: 'emulated', detail: "AUTHORIZER: a method's API key is the usageIdentifierKey its Lambda authorizer returns, not the x-api-key header (R6.3)" };
  if (withIdentity && IDENTITY_KEYS.has(name)) {
    const iam = owner[`${PREFIX}authtype`] === 'awsSigv4' && owner[`${PREFIX}authorizer`] === undefined;
    return iam ? { status: 'emulated', detail: `IAM (awsSigv4): ${IAM_NOTE}` } : { status: 'emulated' };
  }
  return ROOT_AND_PATH_KEYS[name] ?? { status: 'not-emulated', detail: 'unknown extension' };
}

/** Lists every x-amazon-apigateway-* key anywhere in the document (and each integration sub-key); `withIdentity`/`withCache`: those stages are plugged in. */
export function extensionItems(doc: OpenApiDocument, withIdentity = false, withCache = false, endpoints?: ServiceEndpoints): SupportItem[] {
  const items: SupportItem[] = [];
  const visit = (node: unknown, location: string): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => visit(n, `${location}[${i}]`));
    if (!isObject(node)) return;
    for (const [key, value] of Object.entries(node)) {
      const where = location ? `${location}.${key}` : key;
      if (key === `${PREFIX}integration` && isObject(value)) {
        const unserved = unservedIntegration(value, endpoints);
        const proxy = typeof value.type === 'string' && PROXY_TYPES.has(value.type.toLowerCase()) ? value.type.toLowerCase() : undefined;
        for (const sub of Object.keys(value)) {
          const verdict: Verdict = unserved
            ? { status: 'not-emulated', detail: unservedText(unserved, value) }
            : proxy && PROXY_IGNORED.has(sub)
              ? { status: 'ignored', detail: `${proxy} integration: API Gateway ignores it, as the emulator does (R1.4)` }
              : verdictFor(sub, key, {}, false, withCache);
          items.push({ subject: `${key}.${sub}`, location: where, ...verdict });
        }
        items.push(...unknownResponseKeys(value.responses, `${key}.responses`, `${where}.responses`, INTEGRATION_RESPONSE_KEYS), ...nestedExtensions(value, where));
        continue;
      }
      if (key === `${PREFIX}authorizer` && isObject(value)) {
        const inScheme = inSecurityScheme(location);
        const verdict = inScheme ? verdictFor(key, undefined, node, withIdentity) : outsideSchemeVerdict(location);
        items.push({ subject: key, location: location || '(root)', ...verdict }, ...authorizerKeyItems(value, where, inScheme ? verdict : OUTSIDE_SCHEME_KEY), ...nestedExtensions(value, where));
        continue;
      }
      // R5.8: the import resolves references within the document only; an app's build bundles the others in first.
      if (key === '$ref' && typeof value === 'string' && !value.startsWith('#')) {
        items.push({ subject: `$ref ${JSON.stringify(value)}`, location: where, status: 'not-emulated', detail: "a reference outside the document: API Gateway's import takes only references within it (R5.8), so the document must be bundled before it is deployed; locally a body validated against it answers 500" });
        continue;
      }
      const undeclared = key === `${PREFIX}request-validator` ? undeclaredValidator(doc, value) : undefined;
      const unknownTypes = key === `${PREFIX}gateway-responses` && isObject(value) ? Object.keys(value).filter((type) => !(type in BUILTIN_RESPONSES)) : [];
      if (unknownTypes.length > 0) items.push({ subject: key, location: where, status: 'not-emulated', detail: unknownResponseTypes(unknownTypes) });
      for (const type of key === `${PREFIX}gateway-responses` && isObject(value) ? Object.keys(value).filter((t) => NOT_CUSTOMISABLE.has(t)) : []) {
        items.push({ subject: `${key}.${type}`, location: `${where}.${type}`, status: 'ignored', detail: 'API Gateway does not apply this customisation (R8.8, a documented known issue): the built-in answer is sent' });
      }
      const verdict: Verdict = undeclared ? { status: 'ignored', detail: `"${undeclared}" is not declared in ${PREFIX}request-validators: API Gateway's import drops it with a warning, so nothing is validated` } : verdictFor(key, undefined, node, withIdentity);
      if (key.startsWith(PREFIX)) items.push({ subject: key, location: location || '(root)', ...verdict });
      for (const [pattern, at] of modelPatterns(key, value, where)) {
        const problem = javaPatternProblem(pattern);
        // One item per pattern (the report groups items by subject): each is named with its own reason.
        if (problem) items.push({ subject: `pattern ${JSON.stringify(pattern)}`, location: at, status: 'not-emulated', detail: `${problem}; it matches every value locally` });
      }
      if (key === `${PREFIX}gateway-responses`) items.push(...unknownResponseKeys(value, key, where, GATEWAY_RESPONSE_KEYS));
      if (key !== `${PREFIX}gateway-responses` && key !== `${PREFIX}request-validators`) visit(value, where);
      else items.push(...nestedExtensions(value, where));
    }
  };
  visit(doc, '');
  items.push(...unappliedSchemeItems(doc));
  items.push(...unknownOperationKeys(doc));
  items.push(...unvalidatedItems(doc));
  for (const key of ['servers', 'basePath'] as const) {
    if (doc[key] !== undefined) items.push({ subject: key, location: key, status: 'ignored', detail: 'basePath import mode "ignore": paths are served from the stage root (R11.5)' });
  }
  // Said at start because a document may rely on it: its methods are served with no authorizer and no key.
  if (Array.isArray(doc.security) && doc.security.length > 0) {
    items.push({ subject: 'security (root level)', location: 'security', status: 'ignored', detail: "API Gateway applies only an operation's own security (R6.2): a method without one requires no authorizer and no API key" });
  }
  return items;
}

/** What a REST authorizer's key does here by its type (R7.2): a Lambda authorizer (token, request) or a Cognito one. */
function authorizerKeyVerdict(key: string, type: string): Verdict {
  const cognito = type === 'cognito_user_pools';
  switch (key) {
    case 'type':
    case 'identitySource':
      return { status: 'emulated' };
    case 'authorizerUri':
      return cognito ? { status: 'ignored', detail: 'a cognito_user_pools authorizer invokes no function' } : { status: 'emulated' };
    case 'authorizerCredentials':
      return { status: 'ignored', detail: 'no IAM locally: the role is not assumed and its policy not checked; with a role, API Gateway needs no AWS::Lambda::Permission to invoke the authorizer, and none is asked for here (R1.54, R7.14)' };
    case 'identityValidationExpression':
      return type === 'request' ? { status: 'ignored', detail: 'read for TOKEN and Cognito authorizers only (R7.2): a REQUEST authorizer is invoked without it' } : { status: 'emulated', detail: cognito ? "matched against the token's aud (R7.23)" : 'the token matched in full before the authorizer is invoked (R7.7)' };
    case 'authorizerResultTtlInSeconds':
      return cognito ? { status: 'ignored', detail: "a Cognito authorizer's results are not cached here: each request's token is verified" } : { status: 'emulated', detail: 'results cached by identity for that long (R7.18)' };
    case 'providerARNs':
      return cognito ? { status: 'emulated', detail: "the template's user pools it names verify the tokens" } : { status: 'ignored', detail: 'read for cognito_user_pools authorizers only (R7.2)' };
    case 'authorizerPayloadFormatVersion':
    case 'enableSimpleResponses':
    case 'jwtConfiguration':
      return { status: 'ignored', detail: "an HTTP API key (the extension's reference: 'For HTTP APIs'), no key of a REST authorizer (R7.2): its event and the answer read from it are REST's here; what API Gateway's REST import does with the key is not recorded" };
    default:
      return { status: 'not-emulated', detail: "no key of a REST authorizer (R7.2): never applied here; what API Gateway's import does with it is not recorded" };
  }
}

/** R7.2: one item per key of an x-amazon-apigateway-authorizer, as NOT EMULATED as the authorizer itself when it is. */
function authorizerKeyItems(authorizer: Record<string, unknown>, where: string, parent: Verdict): SupportItem[] {
  const type = String(authorizer.type ?? '').toLowerCase();
  return Object.keys(authorizer).map((key) => ({ subject: `${PREFIX}authorizer.${key}`, location: where, ...(parent.status === 'emulated' ? authorizerKeyVerdict(key, type) : parent) }));
}

/**
 * R5.1: a body model or a required parameter no request validator applies to is never checked, on AWS as here; said,
 * since the document reads as if it were (SAM's RequestModel `Required: true` and RequestParameters `Required: true`
 * write them, and add a validator only with ValidateBody/ValidateParameters).
 */
function unvalidatedItems(doc: OpenApiDocument): SupportItem[] {
  const bodies: string[] = [];
  const parameters: string[] = [];
  for (const op of listOperations(doc)) {
    const validator = selectValidator(doc, op.operation);
    const name = `${op.method} ${op.resourcePath}`;
    if (!validator?.body && declaresBodyModel(op.operation)) bodies.push(name);
    // A path parameter is there whenever the method matches: only header and query ones can be missing.
    if (!validator?.params && op.parameters.some((p) => p.required && (p.in === 'header' || p.in === 'query'))) parameters.push(name);
  }
  const validators = 'no x-amazon-apigateway-request-validator';
  return [
    ...(bodies.length > 0 ? [{ subject: 'request models not validated', location: 'paths', status: 'ignored' as const, detail: `${bodies.join(', ')}: ${validators} with validateRequestBody applies (R5.1), so a body reaches the integration unchecked, as on AWS (SAM: RequestModel ValidateBody: true adds one)` }] : []),
    ...(parameters.length > 0 ? [{ subject: 'required parameters not checked', location: 'paths', status: 'ignored' as const, detail: `${parameters.join(', ')}: ${validators} with validateRequestParameters applies (R5.1), so a request without them reaches the integration, as on AWS (SAM: RequestParameters needs ValidateParameters: true on a RequestModel)` }] : []),
  ];
}

/** What an integration response (R2.6-R2.11) and a gateway response (R8) are read for; any other key is never applied. */
const INTEGRATION_RESPONSE_KEYS = new Set(['statusCode', 'responseParameters', 'responseTemplates', 'contentHandling']);
const GATEWAY_RESPONSE_KEYS = new Set(['statusCode', 'responseParameters', 'responseTemplates']);

/** Each key of each response of a map (`responses.default.responseTemplatez`) API Gateway does not read: ignored, with why. */
function unknownResponseKeys(responses: unknown, subject: string, where: string, known: ReadonlySet<string>): SupportItem[] {
  if (!isObject(responses)) return [];
  return Object.entries(responses).flatMap(([name, response]) =>
    isObject(response)
      ? Object.keys(response)
          .filter((k) => !known.has(k) && !k.startsWith(PREFIX))
          .map((k): SupportItem => ({ subject: `${subject}.*.${k}`, location: `${where}.${name}.${k}`, status: 'ignored', detail: `API Gateway reads only ${[...known].join(', ')} of a response${k === 'selectionPattern' ? ` (its selection pattern is its key, ${JSON.stringify(name)})` : ''}: never applied` }))
      : [],
  );
}

/** The x-amazon-apigateway-* keys nested inside a key whose own sub-keys are listed apart (an integration, the gateway responses). */
function nestedExtensions(value: unknown, where: string): SupportItem[] {
  const found: SupportItem[] = [];
  const walk = (node: unknown, at: string, depth: number): void => {
    if (Array.isArray(node)) return node.forEach((n, i) => walk(n, `${at}[${i}]`, depth + 1));
    if (!isObject(node)) return;
    for (const [key, child] of Object.entries(node)) {
      if (depth > 0 && key.startsWith(PREFIX)) found.push({ subject: key, location: `${at}.${key}`, status: 'not-emulated', detail: 'unknown extension at this place: never applied' });
      walk(child, `${at}.${key}`, depth + 1);
    }
  };
  walk(value, where, 0);
  return found;
}

/**
 * The security schemes an operation names that API Gateway does not apply: one with neither x-amazon-apigateway-authorizer
 * nor -authtype that is no `x-api-key` header key (an oauth2, openIdConnect or http bearer scheme of the OpenAPI spec).
 * Not applied locally either (identity.ts methodSecurity): the method is served without that authorization.
 */
function unappliedSchemes(doc: OpenApiDocument, operation: Json): string[] {
  const schemes = securitySchemes(doc);
  const requirements = Array.isArray(operation.security) ? operation.security.filter(isObject) : [];
  return [...new Set(requirements.flatMap((r) => Object.keys(r)))].filter((name) => {
    const scheme = schemes[name];
    if (!scheme || scheme[`${PREFIX}authorizer`] !== undefined || scheme[`${PREFIX}authtype`] !== undefined) return false;
    return !(scheme.type === 'apiKey' && String(scheme.in).toLowerCase() === 'header' && String(scheme.name).toLowerCase() === 'x-api-key');
  });
}

const UNAPPLIED = 'a security scheme without x-amazon-apigateway-authorizer is no API Gateway authorization (its import ignores it): the method is served without it';

/** One IGNORED item per security scheme some operation names and API Gateway does not apply (unappliedSchemes). */
function unappliedSchemeItems(doc: OpenApiDocument): SupportItem[] {
  const names = new Set(listOperations(doc).flatMap((op) => unappliedSchemes(doc, op.operation)));
  const schemes = securitySchemes(doc);
  const where = doc.swagger === undefined ? 'components.securitySchemes' : 'securityDefinitions';
  return [...names].map((name) => ({ subject: `security scheme ${name}`, location: `${where}.${name}`, status: 'ignored', detail: `type ${String(schemes[name]?.type)}: ${UNAPPLIED}` }));
}

/** The path item fields OpenAPI defines besides its operations; `trace` is left out of the report (no claim about it). */
const PATH_ITEM_FIELDS = new Set(['parameters', 'summary', 'description', 'servers', '$ref', 'trace']);

/**
 * A path item key that is no operation API Gateway knows (`any`, `GET`): its import makes no method of it (the SAM CLI
 * serves `any` as ANY), so requests to that method answer as for a method the document lacks.
 */
function unknownOperationKeys(doc: OpenApiDocument): SupportItem[] {
  return Object.entries(doc.paths ?? {}).flatMap(([path, item]) =>
    Object.keys(isObject(item) ? item : {})
      .filter((key) => !(key in OPENAPI_VERBS) && !PATH_ITEM_FIELDS.has(key) && !key.startsWith('x-'))
      .map((key): SupportItem => ({
        subject: `paths.${path}.${key}`,
        location: `paths.${path}.${key}`,
        status: 'ignored',
        detail: `not an OpenAPI operation (${key.toLowerCase() === 'any' ? 'ANY is x-amazon-apigateway-any-method' : `operations are lower case: ${key.toLowerCase()}`}): API Gateway's import makes no method of it`,
      })),
  );
}

/** A model's `pattern` (a string, not a property named so) or `patternProperties` names: Java patterns (java-regex.ts). */
function modelPatterns(key: string, value: unknown, where: string): [string, string][] {
  if (key === 'pattern' && typeof value === 'string') return [[value, where]];
  if (key === 'patternProperties' && isObject(value)) return Object.keys(value).map((name) => [name, `${where}.${name}`]);
  return [];
}

/** Whether an integration uri invokes a Lambda function (`...:lambda:path/...`). */
export function isLambdaUri(uri: unknown): boolean {
  return typeof uri === 'string' && uri.includes(':lambda:path/');
}

/** Why an integration cannot be served ("type vpc_link", "aws-service sqs (...)"), or undefined when it can. */
function unservedIntegration(integration: Json, endpoints?: ServiceEndpoints): string | undefined {
  const type = typeof integration.type === 'string' ? integration.type.toLowerCase() : 'none';
  // A private integration reaches a load balancer inside a VPC through the link: nothing local stands for either.
  if (String(integration.connectionType ?? '').toUpperCase() === 'VPC_LINK') return `${type} through a VPC link (connectionType VPC_LINK)`;
  if (type === 'aws_proxy' || type === 'mock' || type === 'http' || type === 'http_proxy') return undefined;
  const uri = typeof integration.uri === 'string' ? integration.uri : '';
  if (type === 'aws' && (isLambdaUri(uri) || dynamoDbAction(uri))) return undefined;
  if (type !== 'aws') return `type ${type}`;
  const service = parseServiceUri(uri)?.service;
  if (!service) return `aws-service ${/:apigateway:[^:]*:([^:]+):/.exec(uri)?.[1] ?? uri}`;
  return serviceEndpoint(service, endpoints) ? undefined : `aws-service ${service}`;
}

/** Why an integration is not served, with how to have it forwarded when it calls an AWS service. */
function unservedText(unserved: string, integration: Json): string {
  const service = parseServiceUri(integration.uri)?.service;
  const hint = service ? `: set ${endpointVariable(service)} or AWS_ENDPOINT_URL in the gateway's environment to forward it to your own ${service} endpoint` : '';
  return `integration ${unserved} is not emulated yet${hint}`;
}

/** Where an AWS service integration is forwarded, for the startup report. */
function forwardedTo(op: OperationRoute, endpoints?: ServiceEndpoints): string | undefined {
  const uri = integrationType(op) === 'aws' ? parseServiceUri(op.integration?.uri) : undefined;
  if (!uri || isLambdaUri(op.integration?.uri) || dynamoDbAction(op.integration?.uri)) return undefined;
  const endpoint = serviceEndpoint(uri.service, endpoints);
  return endpoint && `${uri.service} ${uri.kind}/${uri.target} forwarded to ${endpoint.url} (${endpoint.variable}), signed with the local credentials`;
}

function routeIntegration(op: OperationRoute): RouteInfo['integration'] {
  const type = integrationType(op);
  if (type === 'aws' && typeof op.integration?.uri === 'string' && !isLambdaUri(op.integration.uri)) return 'aws-service';
  if (type === 'aws_proxy' || type === 'aws' || type === 'mock' || type === 'http' || type === 'http_proxy') return type;
  return 'none';
}

/** Why a route's authorizer or API key check cannot be run yet (it must be known before identity runs, R0.3). */
export function identityNotEmulated(doc: OpenApiDocument, op: OperationRoute, identity?: IdentityStage): string | undefined {
  // Never passed through unauthenticated: a type API Gateway does not take here is not served.
  const authType = methodAuthType(op.operation);
  if (authType !== undefined && authType !== 'AWS_IAM' && authType !== 'NONE') return `x-amazon-apigateway-auth type ${JSON.stringify(authType)} is not emulated (AWS_IAM or NONE only)`;
  const security = methodSecurity(doc, op.operation);
  if ((security.authorizer || security.apiKeyRequired) && !identity?.supports(security, op)) {
    return security.authorizer ? `authorizer "${security.authorizer}" is not emulated yet` : 'API key checks are not emulated yet';
  }
  return undefined;
}

/** Why a route's integration cannot be served yet; AWS reaches the integration only after identity and validation (R0.1-R0.5). */
export function integrationNotEmulated(op: OperationRoute, template: LoadedTemplate, stageVariables?: Record<string, string> | null, endpoints?: ServiceEndpoints): string | undefined {
  const type = routeIntegration(op);
  if (type === 'none' || !op.integration) return 'the method has no x-amazon-apigateway-integration';
  const unserved = unservedIntegration(op.integration, endpoints);
  if (unserved) return unservedText(unserved, op.integration);
  // CloudFormation resolves no intrinsic in a document it does not read (BodyS3Location, DefinitionUri): what is left
  // there is an object API Gateway cannot take as a uri.
  if (op.integration.uri !== undefined && typeof op.integration.uri !== 'string') {
    return `the integration uri is ${JSON.stringify(op.integration.uri)}, not a string: CloudFormation resolves no intrinsic function in a document it does not read (BodyS3Location, DefinitionUri)`;
  }
  const uri = withStageVariables(String(op.integration.uri ?? ''), stageVariables);
  // R1.3, R12.4: API Gateway refuses to create an aws_proxy integration of any other service (BadRequestException).
  const service = type === 'aws_proxy' ? parseServiceUri(uri)?.service : undefined;
  if (service && service !== 'lambda' && service !== 'firehose') {
    return `API Gateway refuses this integration: Integrations of type 'AWS_PROXY' currently only supports Lambda function and Firehose stream invocations. (R1.3, R12.4)`;
  }
  // A stage variable the stage lacks is a request-time 500 (logged), as on AWS, not an unemulated feature.
  if ((type === 'aws_proxy' || type === 'aws') && undefinedStageVariables(uri).length === 0) {
    const fn = template.functionForUri(uri);
    if (!fn) return functionOutsideTemplate(uri);
    // A function whose every invocation fails (its code not built) is served: the request fails as Lambda fails it.
    if (fn.unavailable && !fn.invocationsFail) return `function ${fn.logicalId}: ${fn.unavailable}`;
  }
  return undefined;
}

/** Why a route cannot be served yet, or undefined when it can (then it behaves as on AWS). */
export function notEmulatedReason(doc: OpenApiDocument, op: OperationRoute, template: LoadedTemplate, identity?: IdentityStage, stageVariables?: Record<string, string> | null, endpoints?: ServiceEndpoints): string | undefined {
  return identityNotEmulated(doc, op, identity) ?? integrationNotEmulated(op, template, stageVariables, endpoints);
}

/** R1.54 at start: a function that no permission lets API Gateway invoke from this route (checked on a sample path). */
function missingPermission(template: LoadedTemplate, api: { restApiId: string; stageName: string }, op: OperationRoute, fn: FunctionSpec): string | undefined {
  const method = op.method === 'ANY' ? 'GET' : op.method;
  const samplePath = op.resourcePath.replace(/\{[^}]+\}/g, 'x');
  const arn = `arn:aws:execute-api:${template.region}:${template.accountId}:${api.restApiId}/${api.stageName}/${method}${samplePath}`;
  if (invokesWithRole(op.integration ?? {}) || template.apiGatewayMayInvoke(fn.logicalId, arn)) return undefined;
  return `no AWS::Lambda::Permission lets API Gateway invoke ${fn.logicalId} here: requests answer 500, as on AWS (R1.54)`;
}

/** The API a route report is for: its ids, stage and, built from resources, its Method and Authorizer resources. */
type ReportedApi = AuthorizerApi & { stageName: string; stageVariables?: Record<string, string> | null; methodResources?: Record<string, string> };

/** One RouteInfo per (resource, method) of the document. */
export function routeReport(doc: OpenApiDocument, template: LoadedTemplate, identity?: IdentityStage, api?: ReportedApi, endpoints?: ServiceEndpoints): RouteInfo[] {
  return listOperations(doc).map((op) => {
    const security = methodSecurity(doc, op.operation);
    const fn = op.integration && typeof op.integration.uri === 'string' ? template.functionForUri(withStageVariables(op.integration.uri, api?.stageVariables)) : undefined;
    const reason = notEmulatedReason(doc, op, template, identity, api?.stageVariables, endpoints);
    const scheme = security.authorizerScheme;
    const iam = scheme?.['x-amazon-apigateway-authtype'] === 'awsSigv4' && scheme['x-amazon-apigateway-authorizer'] === undefined;
    const problem = fn && api && !reason ? missingPermission(template, api, op, fn) : reason ? undefined : forwardedTo(op, endpoints);
    const authorizerProblem = security.authorizer && api && !reason ? missingAuthorizerPermission(template, api, security.authorizer, scheme?.['x-amazon-apigateway-authorizer']) : undefined;
    const unapplied = unappliedSchemes(doc, op.operation).map((name) => `security scheme ${name} not applied (no x-amazon-apigateway-authorizer): served without it`);
    const resource = api?.methodResources?.[`${op.method} ${op.resourcePath}`];
    const warning = [iam && !reason ? `IAM: ${IAM_NOTE}` : undefined, ...unapplied, authorizerProblem && `authorizer answers 500: ${authorizerProblem}, as on AWS (R1.54, R7.14)`, problem].filter(Boolean).join('; ') || undefined;
    return {
      method: op.method,
      path: op.resourcePath,
      integration: routeIntegration(op),
      ...(fn ? { functionLogicalId: fn.logicalId } : {}),
      ...(security.authorizer ? { authorizer: security.authorizer } : {}),
      ...(iam ? { iam: true as const } : {}),
      apiKeyRequired: security.apiKeyRequired,
      emulated: reason === undefined,
      ...(reason || warning ? { detail: reason ?? warning } : {}),
      ...(resource ? { resources: [resource] } : {}),
    };
  });
}
