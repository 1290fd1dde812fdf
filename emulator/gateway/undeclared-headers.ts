/**
 * R2.9: integration responseParameters may only set headers the method response declares, from a mapping expression
 * or a single-quoted static value; AWS import rejects the others.
 */
import type { OpenApiDocument } from '../template/model.js';
import { deref, isObject, listOperations } from './routes.js';
import type { SupportItem } from './types.js';

function declaredHeaders(doc: OpenApiDocument, operation: Record<string, unknown>, status: string): string[] | undefined {
  const responses = isObject(operation.responses) ? operation.responses : {};
  const response = deref(doc, responses[status]);
  if (!isObject(response)) return undefined;
  return isObject(response.headers) ? Object.keys(response.headers).map((h) => h.toLowerCase()) : [];
}

/**
 * A single-quoted static value, or an expression from one of the sources a mapping reads (R2.9): an integration
 * response reads the integration's answer, not the method request (AWS's parameter mapping source reference lists
 * integration.response.*, stageVariables, context and static values); a gateway response reads the method request.
 */
const MAPPING_VALUE = {
  integration: /^('.*'|(integration\.response|stageVariables|context)\.\S+)$/s,
  gateway: /^('.*'|(method\.request|stageVariables|context)\.\S+)$/s,
};
const SOURCES = {
  integration: 'integration.response.header.<name>, integration.response.body(.<path>), stageVariables.<name>, context.<name>',
  gateway: 'method.request.header.<name> (path, querystring), stageVariables.<name>, context.<name>',
};

/**
 * A value that is neither: SAM's Cors writes AllowOrigin as given, so `AllowOrigin: "*"` (no inner quotes) becomes
 * the value `*`, which API Gateway's import refuses, failing the deploy (a-poor/todo-together's api/template.yaml).
 */
function unquotedValueItem(key: string, value: string, location: string, kind: keyof typeof MAPPING_VALUE): SupportItem {
  const owner = kind === 'integration' ? 'x-amazon-apigateway-integration.responses' : 'x-amazon-apigateway-gateway-responses';
  // A value that reads like a source (method.request.header.Origin) wants another source, not quotes.
  const hint = /^[A-Za-z]+\.[A-Za-z]/.test(value) ? `it maps from ${SOURCES[kind]} or a single-quoted static value` : `a static value is single-quoted: "'${value}'"`;
  return {
    subject: `${owner}.responseParameters.${key}`,
    location,
    status: 'not-emulated',
    detail: `${JSON.stringify(value)} is no mapping expression (${hint}): AWS import rejects it ("Invalid mapping expression specified: ${value}"), so the deploy fails; locally the header is not set`,
  };
}

/**
 * Lists each `method.response.header.<X>` mapping whose header is not declared under the selected status's
 * `responses.<code>.headers`. API Gateway's importer fails on these ("Invalid mapping expression specified"); the
 * emulator still maps them (so local behaviour matches the intent) and reports each one; and each value that is no
 * mapping expression, which the importer refuses too.
 */
export function undeclaredHeaderItems(doc: OpenApiDocument): SupportItem[] {
  const items: SupportItem[] = [];
  for (const op of listOperations(doc)) {
    const responses = isObject(op.integration?.responses) ? op.integration.responses : {};
    for (const [pattern, response] of Object.entries(responses)) {
      if (!isObject(response) || !isObject(response.responseParameters)) continue;
      const status = String(response.statusCode ?? '');
      const declared = declaredHeaders(doc, op.operation, status);
      for (const [key, value] of Object.entries(response.responseParameters)) {
        const where = `${op.location}.x-amazon-apigateway-integration.responses.${pattern}`;
        if (typeof value === 'string' && !MAPPING_VALUE.integration.test(value)) items.push(unquotedValueItem(key, value, where, 'integration'));
        const header = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
        if (!header || declared?.includes(header.toLowerCase())) continue;
        items.push({
          subject: `x-amazon-apigateway-integration.responses.responseParameters.${key}`,
          location: where,
          status: 'not-emulated',
          detail: `header ${header} is not declared in responses.${status}.headers: AWS import rejects this mapping ("Invalid mapping expression specified"); the emulator does not, and applies it`,
        });
      }
    }
  }
  return [...items, ...gatewayResponseValueItems(doc)];
}

/** The same for gateway responses (SAM's GatewayResponses Headers are written as given, as its Cors values are). */
function gatewayResponseValueItems(doc: OpenApiDocument): SupportItem[] {
  const responses = doc['x-amazon-apigateway-gateway-responses'];
  return Object.entries(isObject(responses) ? responses : {}).flatMap(([type, response]) =>
    Object.entries(isObject(response) && isObject(response.responseParameters) ? response.responseParameters : {})
      .filter(([, value]) => typeof value === 'string' && !MAPPING_VALUE.gateway.test(value))
      .map(([key, value]) => unquotedValueItem(key, String(value), `x-amazon-apigateway-gateway-responses.${type}`, 'gateway')),
  );
}
