/**
 * The one place where the contract suite's targets differ. The suite runs unchanged against the REST
 * API (template.yaml's default, in `npm test`) and the HTTP API variant (`ApiType=HTTP`, `npm run test:contract:http`,
 * a CI step of its own), and against the CDK stack's synthesized template (`npm run test:contract:cdk`,
 * after `npm run cdk:synth`). CONTRACT_API chooses: `rest` (the default), `http` or `cdk`; CONTRACT_TEMPLATE
 * may name another synthesized template for `cdk`.
 *
 * What differs (apigw-http-semantics.md §12-13): an HTTP API has no API keys, usage plans, caching,
 * request validation or gateway responses. So the document responses are checked against is the
 * generated HTTP definition (openapi/http-api.gen.json), what the REST gateway's validator rejected
 * the handlers reject, and what API Gateway itself answers is its fixed `{"message": ...}` JSON.
 */
import { fileURLToPath } from 'node:url';

export type VariantName = 'rest' | 'http' | 'cdk';

/** What a test expects when API Gateway itself answers, named by the REST gateway response type. */
export type GatewayAnswer =
  /** The contract's gateway response of this type (REST: status, problem+json constants, headers). */
  | { kind: 'gateway-response'; type: string }
  /**
   * API Gateway's fixed JSON message (HTTP APIs, H10), with the headers it always sends; its Content-Type is
   * application/json unless `contentType` says otherwise (null: none, as the JWT authorizer's 401, H7.6).
   */
  | { kind: 'message'; status: number; message: string; headers: Record<string, RegExp>; contentType?: string | null }
  /** A problem answered by a handler, since the gateway does not check this on this variant. */
  | { kind: 'handler-problem'; status: number; type: string };

export interface Variant {
  name: VariantName;
  /** The template the local target serves. */
  templatePath: string;
  /** Template parameters the local target is started with. */
  parameterOverrides: Record<string, string>;
  /**
   * Logical ids of what the local target needs, as prefixes: CDK appends a hash to each construct's id
   * (`TaskApiAF5FA34D`); exactly one resource must have each prefix.
   */
  ids: { api: string; basicPlan: string; adminSecret: string };
  /** The OpenAPI document every response is validated against. */
  documentPath: string;
  /** Why this variant has no API keys (its suite registers the H12.1 tests instead of the INVALID_API_KEY ones), or undefined. */
  noApiKeys: string | undefined;
  /** A response to a route the document does not have: the schema and media type it must have. */
  unmatchedRoute: { schema: string; mediaTypes: string[] };
  /** What API Gateway answers, by the REST gateway response type the REST API answers with. */
  gatewayAnswer(type: GatewayType): GatewayAnswer;
}

/**
 * The REST gateway response types the suite provokes, plus two it needs told apart on HTTP: the Lambda
 * authorizer's 401 (no JWT challenge) and a body that is not JSON (the REST validator's BAD_REQUEST_BODY).
 */
export type GatewayType =
  | 'INVALID_API_KEY'
  | 'UNAUTHORIZED'
  | 'UNAUTHORIZED_LAMBDA'
  | 'ACCESS_DENIED'
  | 'BAD_REQUEST_BODY'
  | 'MALFORMED_JSON'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'MISSING_AUTHENTICATION_TOKEN'
  | 'REQUEST_TOO_LARGE';

const REST_TYPE: Partial<Record<GatewayType, string>> = { UNAUTHORIZED_LAMBDA: 'UNAUTHORIZED', MALFORMED_JSON: 'BAD_REQUEST_BODY' };
/** R8.8 / R11.14: answers no gateway response can customise on a REST API (the contract's customisation is not applied). */
const REST_FIXED: Partial<Record<GatewayType, GatewayAnswer>> = {
  REQUEST_TOO_LARGE: { kind: 'message', status: 413, message: 'Request Too Long', headers: { 'x-amzn-requestid': /\S/, 'x-amzn-errortype': /^BadRequestException$/ } },
};

const repoFile = (path: string): string => fileURLToPath(new URL(`../../../../${path}`, import.meta.url));
const doc = (name: string): string => repoFile(`openapi/${name}`);
const TEMPLATE = repoFile('template.yaml');
const TASK_API_IDS = { api: 'TaskApi', basicPlan: 'BasicUsagePlan', adminSecret: 'AdminJwtSecret' };
const PROBLEM = 'api.yaml#/components/schemas/Problem';

const rest: Variant = {
  name: 'rest',
  templatePath: TEMPLATE,
  parameterOverrides: { ApiType: 'REST', EnableCaching: 'true' },
  ids: TASK_API_IDS,
  documentPath: doc('api.yaml'),
  noApiKeys: undefined,
  unmatchedRoute: { schema: PROBLEM, mediaTypes: ['application/problem+json'] },
  gatewayAnswer: (type) => REST_FIXED[type] ?? { kind: 'gateway-response', type: REST_TYPE[type] ?? type },
};

const REQUEST_ID = { 'apigw-requestid': /\S/ };
const HTTP_ANSWERS: Record<GatewayType, GatewayAnswer> = {
  // H12.1: no API keys; a request without one is never refused for it (the API-key tests are skipped).
  INVALID_API_KEY: { kind: 'message', status: 403, message: 'Forbidden', headers: REQUEST_ID },
  // H7.6: a JWT rejection carries a challenge (the bare scheme when no token came) and no Content-Type, as AWS's
  // capture shows; a Lambda authorizer's 401 (H8.4, H8.9) has no challenge.
  UNAUTHORIZED: { kind: 'message', status: 401, message: 'Unauthorized', contentType: null, headers: { ...REQUEST_ID, 'www-authenticate': /^Bearer($| scope="" error="invalid_token" error_description=")/ } },
  UNAUTHORIZED_LAMBDA: { kind: 'message', status: 401, message: 'Unauthorized', headers: REQUEST_ID },
  // H8.6 [AMBIGUOUS], the emulator's documented choice: a policy denial is 403 Forbidden.
  ACCESS_DENIED: { kind: 'message', status: 403, message: 'Forbidden', headers: REQUEST_ID },
  // H2.2: no request validation; the handlers validate the body and answer the same problem type.
  BAD_REQUEST_BODY: { kind: 'handler-problem', status: 400, type: 'urn:task-api:problem:validation' },
  MALFORMED_JSON: { kind: 'handler-problem', status: 400, type: 'urn:task-api:problem:malformed-json' },
  UNSUPPORTED_MEDIA_TYPE: { kind: 'handler-problem', status: 415, type: 'urn:task-api:problem:unsupported-media-type' },
  // H10.1: an unmatched route is 404 Not Found, not REST's 403 Missing Authentication Token.
  MISSING_AUTHENTICATION_TOKEN: { kind: 'message', status: 404, message: 'Not Found', headers: REQUEST_ID },
  // H10.4 [AMBIGUOUS], the emulator's documented choice: an event over Lambda's 6 MB is a 500 on an HTTP API.
  REQUEST_TOO_LARGE: { kind: 'message', status: 500, message: 'Internal Server Error', headers: REQUEST_ID },
};

const http: Variant = {
  name: 'http',
  templatePath: TEMPLATE,
  parameterOverrides: { ApiType: 'HTTP' },
  ids: { ...TASK_API_IDS, api: 'TaskHttpApi' },
  documentPath: doc('http-api.gen.json'),
  noApiKeys: 'HTTP APIs have no API keys or usage plans (H12.1)',
  unmatchedRoute: { schema: 'api.yaml#/components/schemas/GatewayMessage', mediaTypes: ['application/json'] },
  gatewayAnswer: (type) => HTTP_ANSWERS[type],
};

/** The CDK stack as `npm run cdk:synth` writes it: the REST API, so REST's answers; its settings are synth-time (no parameters). */
const cdk = (templatePath: string): Variant => ({ ...rest, name: 'cdk', templatePath, parameterOverrides: {} });

/** The variant named by CONTRACT_API (default `rest`); an unknown name fails fast. */
export function selectedVariant(env: { CONTRACT_API?: string | undefined; CONTRACT_TEMPLATE?: string | undefined } = process.env): Variant {
  const { CONTRACT_API: name, CONTRACT_TEMPLATE: template } = env;
  const chosen = (name ?? 'rest').trim().toLowerCase() || 'rest';
  if (chosen === 'rest') return rest;
  if (chosen === 'http') return http;
  if (chosen === 'cdk') return cdk(template?.trim() ? template : repoFile('infra/cdk/cdk.out/TaskApi.template.json'));
  throw new Error(`CONTRACT_API=${name}: expected rest, http or cdk`);
}

/** The one logical id among `ids` that starts with `prefix` (CDK's ids carry a hash suffix). */
export function logicalIdFor(prefix: string, ids: string[], what: string): string {
  const found = ids.filter((id) => id === prefix || (id.startsWith(prefix) && /^[0-9A-F]{8}$/.test(id.slice(prefix.length))));
  if (found.length !== 1) throw new Error(`${what}: expected one logical id ${prefix} (or ${prefix}<hash>), found ${found.length ? found.join(', ') : 'none'} among ${ids.join(', ')}`);
  return found[0] as string;
}

export const variant = selectedVariant();
