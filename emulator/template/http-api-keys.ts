/**
 * The keys of an imported HTTP API document the gateway does not read, each accounted for in the start report (never
 * silent): x-amazon-apigateway-* extensions on a path or an operation, and the integration and authorizer keys it
 * does not apply.
 */
import type { HttpApiNote, OpenApiDocument } from './model.js';
import { OPENAPI_VERBS } from './openapi-verbs.js';

const PREFIX = 'x-amazon-apigateway-';
const INTEGRATION = `${PREFIX}integration`;

/** What an HTTP API integration is read for (http-api-document.ts readIntegration); `$ref` names a shared one. */
const READ_INTEGRATION_KEYS = new Set(['type', 'uri', 'httpMethod', 'payloadFormatVersion', 'timeoutInMillis', 'credentials', 'connectionType', 'integrationSubtype', 'requestParameters', 'responseParameters', '$ref']);
const IGNORED_INTEGRATION_KEYS: Record<string, string> = {
  connectionId: 'VPC links are not emulated (connectionType VPC_LINK makes the route not emulated)',
  tlsConfig: "no TLS settings toward backends locally: an https backend's certificate is checked for its URL's host",
  description: 'documentation only',
  // An AWS::ApiGatewayV2::Integration property for WebSocket APIs only; an HTTP API deploys with it in its document.
  passthroughBehavior: "a WebSocket API integration's setting: an HTTP API integration has no request template to pass through",
};

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Each integration key not applied, and each x-amazon-apigateway-* key nested inside the integration. */
function integrationNotes(integration: Record<string, unknown>, location: string): HttpApiNote[] {
  const notes: HttpApiNote[] = [];
  for (const [key, value] of Object.entries(integration)) {
    const where = `${location}.${key}`;
    const ignored = IGNORED_INTEGRATION_KEYS[key];
    if (ignored !== undefined) notes.push({ subject: `${INTEGRATION}.${key}`, location: where, status: 'ignored', detail: ignored });
    else if (!READ_INTEGRATION_KEYS.has(key)) notes.push({ subject: `${INTEGRATION}.${key}`, location: where, status: 'not-emulated', detail: 'unknown integration key: never applied' });
    notes.push(...nestedExtensions(value, where));
  }
  return notes;
}

function nestedExtensions(value: unknown, where: string): HttpApiNote[] {
  if (Array.isArray(value)) return value.flatMap((v, i) => nestedExtensions(v, `${where}[${i}]`));
  if (!isRecord(value)) return [];
  return Object.entries(value).flatMap(([key, child]) => [
    ...(key.startsWith(PREFIX) ? [{ subject: key, location: `${where}.${key}`, status: 'not-emulated' as const, detail: 'unknown extension at this place: never applied' }] : []),
    ...nestedExtensions(child, `${where}.${key}`),
  ]);
}

/** What an HTTP API authorizer is read for (http-api-document.ts readAuthorizers); authorizerCredentials is noted there. */
const READ_AUTHORIZER_KEYS = new Set(['type', 'identitySource', 'jwtConfiguration', 'authorizerUri', 'authorizerPayloadFormatVersion', 'enableSimpleResponses', 'authorizerResultTtlInSeconds', 'authorizerCredentials']);
/** H2.8: keys of a REST authorizer (R7.2) an HTTP API authorizer has none of. */
const REST_AUTHORIZER_KEYS = new Set(['identityValidationExpression', 'providerARNs']);

/** H2.8: each key of an HTTP API's x-amazon-apigateway-authorizer (at `location`) the gateway does not read. */
export function unreadAuthorizerKeys(authorizer: Record<string, unknown>, location: string): HttpApiNote[] {
  return Object.keys(authorizer)
    .filter((key) => !READ_AUTHORIZER_KEYS.has(key))
    .map((key) => ({
      subject: `${PREFIX}authorizer.${key}`,
      location,
      ...(REST_AUTHORIZER_KEYS.has(key)
        ? { status: 'ignored' as const, detail: "a REST authorizer key (R7.2), REST-only (H2.8): an HTTP API authorizer is invoked without it; what API Gateway's HTTP API import does with it is not recorded" }
        : { status: 'not-emulated' as const, detail: "no key of an HTTP API authorizer (H2.8): never applied here; what API Gateway's import does with it is not recorded" }),
    }));
}

const notRead = (key: string, location: string, what: string): HttpApiNote => ({ subject: key, location, status: 'ignored', detail: `not an extension HTTP APIs read on ${what}: no effect on requests` });

/** H2: the document's path- and operation-level extensions and integration keys the gateway does not apply. */
export function unreadDocumentKeys(doc: OpenApiDocument): HttpApiNote[] {
  const notes: HttpApiNote[] = [];
  for (const [path, item] of Object.entries(isRecord(doc.paths) ? doc.paths : {})) {
    if (!isRecord(item)) continue;
    for (const [key, op] of Object.entries(item)) {
      const location = `paths.${path}.${key}`;
      if (OPENAPI_VERBS[key] === undefined) {
        if (key.startsWith(PREFIX)) notes.push(notRead(key, location, 'a path'));
        continue;
      }
      if (!isRecord(op)) continue;
      for (const opKey of Object.keys(op).filter((k) => k.startsWith(PREFIX) && k !== INTEGRATION)) notes.push(notRead(opKey, `${location}.${opKey}`, 'an operation'));
      const integration = op[INTEGRATION];
      if (isRecord(integration)) notes.push(...integrationNotes(integration, `${location}.${INTEGRATION}`));
    }
  }
  const shared = isRecord(doc.components) ? doc.components[`${INTEGRATION}s`] : undefined;
  for (const [name, integration] of Object.entries(isRecord(shared) ? shared : {})) {
    if (isRecord(integration)) notes.push(...integrationNotes(integration, `components.${INTEGRATION}s.${name}`));
  }
  return notes;
}
