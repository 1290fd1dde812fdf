/**
 * Non-proxy integration plumbing shared by mock, Lambda (`aws`) and AWS service integrations: request template selection
 * with passthrough (R2.2, R2.4), integration response selection (R2.6), responseParameters (R2.9),
 * response templates (R2.3) and $context.responseOverride (R2.12).
 */
import { contentHandlingOf, type ContentHandling } from './content-handling.js';
import { GatewayError, selectTemplate } from './gateway-responses.js';
import { isValidHeader, mappedResponseHeaders } from './header-table.js';
import { isObject, type Json } from './routes.js';
import { CasedHeaders } from './wire-headers.js';
import { readOverrides, renderTemplate, type VtlContext } from './vtl/engine.js';

export type Passthrough = 'WHEN_NO_MATCH' | 'WHEN_NO_TEMPLATES' | 'NEVER';

/** R2.4: case-insensitive in OpenAPI, WHEN_NO_MATCH by default (R1.5). */
export function passthroughBehavior(integration: Json): Passthrough {
  const raw = typeof integration.passthroughBehavior === 'string' ? integration.passthroughBehavior.toUpperCase() : 'WHEN_NO_MATCH';
  if (raw === 'WHEN_NO_MATCH' || raw === 'WHEN_NO_TEMPLATES' || raw === 'NEVER') return raw;
  throw new Error(`x-amazon-apigateway-integration.passthroughBehavior "${String(integration.passthroughBehavior)}" is not WHEN_NO_MATCH, WHEN_NO_TEMPLATES or NEVER`);
}

function stringMap(value: unknown): Record<string, string> {
  if (!isObject(value)) return {};
  return Object.fromEntries(Object.entries(value).filter(([, v]) => typeof v === 'string')) as Record<string, string>;
}

/**
 * R2.2/R2.4/R2.5/R0.6: the request template for the request's media type (or `$default`), or a passthrough,
 * or 415 UNSUPPORTED_MEDIA_TYPE.
 */
export function selectRequestTemplate(integration: Json, mediaType: string): { template: string } | { passthrough: true } {
  const templates = stringMap(integration.requestTemplates);
  const keys = Object.keys(templates);
  const key = keys.find((k) => k.toLowerCase() === mediaType) ?? (templates.$default !== undefined ? '$default' : undefined);
  if (key !== undefined) return { template: templates[key] as string };
  const behavior = passthroughBehavior(integration);
  if (behavior === 'WHEN_NO_MATCH' || (behavior === 'WHEN_NO_TEMPLATES' && keys.length === 0)) return { passthrough: true };
  throw new GatewayError('UNSUPPORTED_MEDIA_TYPE');
}

/** Java `Pattern.matches`: the whole input must match; `.` stops at line terminators (no DOTALL). */
export function javaFullMatch(pattern: string, input: string): boolean {
  let regex: RegExp;
  try {
    regex = new RegExp(`^(?:${pattern})$`);
  } catch {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `responses key "${pattern}" is not a valid regular expression` });
  }
  return regex.test(input);
}

/**
 * R2.6: each key other than `default` is a Java regex matched against the WHOLE selection value (the status
 * string, or a Lambda errorMessage; "" when there is none) — [AMBIGUOUS] full match chosen. [AMBIGUOUS]
 * tie-break: the first matching key in document order wins. Nothing matches → `default`, else undefined.
 */
export function selectIntegrationResponse(integration: Json, value: string): Json | undefined {
  const responses = isObject(integration.responses) ? integration.responses : {};
  for (const [pattern, response] of Object.entries(responses)) {
    if (pattern === 'default' || !isObject(response)) continue;
    if (javaFullMatch(pattern, value)) return response;
  }
  const fallback = responses.default;
  return isObject(fallback) ? fallback : undefined;
}

/**
 * R2.6: the selected integration response's statusCode must be a method response of the operation (an OpenAPI
 * `responses` key). [AMBIGUOUS] an OpenAPI `default` response declares no status: AWS keys method responses by code.
 */
export function assertDeclaredStatus(operation: Json, selected: Json, location: string): void {
  const status = String(selected.statusCode ?? '');
  const declared = isObject(operation.responses) ? Object.keys(operation.responses) : [];
  if (!declared.includes(status)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', {
      log: `${location}: the selected integration response has statusCode ${JSON.stringify(selected.statusCode)}, which is not a method response (responses: ${declared.join(', ') || 'none'})`,
    });
  }
}

export interface MappingSources {
  context: Record<string, unknown>;
  stageVariables: Record<string, string> | null;
  integrationHeaders: Record<string, string>;
  integrationBody: string;
}

function lookup(root: unknown, keys: string[]): unknown {
  return keys.reduce<unknown>((acc, k) => (isObject(acc) ? acc[k] : undefined), root);
}

/** R2.8: a JSON string met on the way (a Lambda errorMessage holding JSON) is deserialised and walked into. */
function lookupBody(root: unknown, keys: string[]): unknown {
  return keys.reduce<unknown>((acc, k) => {
    let node = acc;
    if (typeof node === 'string') {
      try {
        node = JSON.parse(node);
      } catch {
        return undefined;
      }
    }
    return isObject(node) ? node[k] : undefined;
  }, root);
}

/** R2.9: value of one responseParameters expression; undefined when it names nothing. */
export function mappingValue(expr: string, sources: MappingSources): string | undefined {
  const quoted = /^'(.*)'$/s.exec(expr);
  if (quoted) return quoted[1];
  const [root, ...rest] = expr.split('.');
  if (root === 'context') return stringOrUndefined(lookup(sources.context, rest));
  if (root === 'stageVariables') return sources.stageVariables?.[rest.join('.')];
  const header = /^integration\.response\.(?:header|multivalueheader)\.(.+)$/.exec(expr);
  if (header) return sources.integrationHeaders[(header[1] as string).toLowerCase()];
  if (expr === 'integration.response.body') return sources.integrationBody;
  const bodyPath = /^integration\.response\.body\.(.+)$/.exec(expr);
  if (bodyPath) {
    try {
      return stringOrUndefined(lookupBody(JSON.parse(sources.integrationBody), (bodyPath[1] as string).split('.')));
    } catch {
      return undefined;
    }
  }
  return undefined;
}

function stringOrUndefined(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  return typeof v === 'object' ? JSON.stringify(v) : String(v);
}

export interface MethodResponse {
  status: number;
  headers: CasedHeaders;
  body: string;
  /** R2.11: the selected integration response's contentHandling, applied when the answer is sent. */
  contentHandling?: ContentHandling;
  /** R2.11: binary integration data passed through as it came (sent instead of `body`, never converted). */
  bytes?: Uint8Array;
}

/**
 * Builds the method response from a selected integration response (R2.3, R2.9, R2.12); headers set by
 * responseParameters or responseOverride pass the header table (renamed x-amzn-Remapped-<name> or dropped).
 */
export function buildMethodResponse(selected: Json, accept: string, vtl: VtlContext, sources: MappingSources): MethodResponse {
  const status = Number(selected.statusCode ?? 200);
  if (!Number.isInteger(status)) throw new GatewayError('API_CONFIGURATION_ERROR', { log: `integration response statusCode "${String(selected.statusCode)}" is not an integer` });
  const mapped: [string, string][] = [];
  for (const [key, expr] of Object.entries(stringMap(selected.responseParameters))) {
    const name = /^method\.response\.header\.(.+)$/.exec(key)?.[1];
    const value = name ? mappingValue(expr, sources) : undefined;
    if (name && value !== undefined) mapped.push([name, value]);
  }
  const chosen = selectTemplate(stringMap(selected.responseTemplates), accept);
  // An empty template is no template: API Gateway stores `""` as null (read back as null, aws-cli issue 1610), the
  // console's "no mapping template", whose answer is the integration's body as it came.
  const body = chosen && chosen[1] !== '' ? renderTemplate(chosen[1], vtl).output : sources.integrationBody;
  // Read from $context after rendering: a mock's request template shares it, so its overrides count too.
  const overrides = readOverrides(vtl.context);
  mapped.push(...Object.entries(overrides.headers));
  const headers = new CasedHeaders();
  // [AMBIGUOUS] a mapped value no HTTP response can carry is left out rather than failing the request.
  const valid = mapped.filter(([name, value]) => isValidHeader(name, value));
  for (const [name, value] of mappedResponseHeaders(valid)) headers.set(name, value);
  if (!headers.has('Content-Type')) headers.set('Content-Type', chosen ? chosen[0] : 'application/json');
  const handling = contentHandlingOf(selected.contentHandling);
  return { status: overrides.status ?? status, headers, body, ...(handling ? { contentHandling: handling } : {}) };
}
