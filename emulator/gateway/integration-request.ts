/**
 * The integration request and the integration-response stage shared by the `aws` integrations (Lambda non-proxy
 * and AWS services): request template or passthrough (R2.1-R2.5), then response selection and mapping (R2.6-R2.12).
 */
import { contextVariables, type ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import { assertDeclaredStatus, buildMethodResponse, selectIntegrationResponse, selectRequestTemplate, type MethodResponse } from './integration-response.js';
import { binaryResponseConversion, contentHandlingOf } from './content-handling.js';
import { acceptIsBinary, acceptMediaType, matchesBinaryMediaType, requestMediaType, type RequestState } from './request-state.js';
import { requestParams } from './proxy-event.js';
import type { Json, OperationRoute } from './routes.js';
import { renderTemplate, type VtlOverrides } from './vtl/engine.js';

const DEFAULT_TIMEOUT_MS = 29_000;

/** R1.5/R1.56: the integration's timeoutInMillis, 29 000 ms when absent or not a positive number. */
export function integrationTimeout(integration: Json): number {
  const configured = Number(integration.timeoutInMillis ?? DEFAULT_TIMEOUT_MS);
  return Number.isFinite(configured) && configured > 0 ? configured : DEFAULT_TIMEOUT_MS;
}

export interface IntegrationRequest {
  /** The rendered request template, or the raw method request body on passthrough (R2.1). */
  body: string;
  /** On passthrough, the method request body's bytes as received: binary data stays binary for an http or AWS service endpoint. */
  bytes?: Uint8Array;
  passthrough: boolean;
  /** $context.requestOverride.* set by the request template (R2.12). */
  overrides?: VtlOverrides;
}

/** R2.2/R2.4/R2.5/R0.6: renders the request template chosen by Content-Type, or passes the body through, or 415. */
export function renderIntegrationRequest(integration: Json, state: RequestState, env: ApiEnvironment): IntegrationRequest {
  const raw = new TextDecoder().decode(state.body);
  const selection = selectRequestTemplate(integration, requestMediaType(state.headers));
  if (!('template' in selection)) return { body: raw, bytes: state.body, passthrough: true };
  const vtl = { input: { body: raw, params: requestParams(state) }, context: contextVariables(state, env), stageVariables: env.stageVariables };
  const rendered = renderTemplate(selection.template, vtl);
  return { body: rendered.output, passthrough: false, overrides: rendered.overrides };
}

export interface IntegrationResult {
  /** What the integration response's patterns are matched against: a status string, or a Lambda errorMessage. */
  selectionValue: string;
  body: string;
  /** Integration response headers, lower-case names (integration.response.header.*). */
  headers: Record<string, string>;
  /** R2.11: the integration's answer when it is binary data (its Content-Type one of the binaryMediaTypes). */
  bytes?: Uint8Array;
  /** An endpoint's HTTP status (not set for Lambda, whose selection value is its errorMessage). */
  status?: number;
}

/**
 * R2.6: selects the integration response (no match and no default → 500), checks its status is a declared method
 * response, then maps it (R2.3, R2.9, R2.12) with a fresh $context and $input over the integration body.
 */
export function respondFromIntegration(op: OperationRoute, answer: IntegrationResult, state: RequestState, env: ApiEnvironment, binaryMediaTypes: string[] = []): MethodResponse {
  const integration = op.integration ?? {};
  // `$context.integration.status` of the access log: what the backend answered, before the integration response maps it.
  if (answer.status !== undefined) state.endpointStatus = answer.status;
  const selected = selectIntegrationResponse(integration, answer.selectionValue);
  if (!selected) {
    throw new GatewayError('API_CONFIGURATION_ERROR', {
      log: `${op.location}: no integration response matches ${JSON.stringify(answer.selectionValue)} and there is no default`,
    });
  }
  assertDeclaredStatus(op.operation, selected, op.location);
  let result = answer;
  if (answer.bytes) {
    // R2.11, binary integration data: kept as bytes (no template can render them), or base64-encoded into text.
    const kept = binaryResponseConversion(acceptIsBinary(state.headers, binaryMediaTypes), contentHandlingOf(selected.contentHandling)) === 'keep';
    if (kept) return binaryMethodResponse(selected, { ...answer, body: '' }, state, env, answer.bytes);
    result = { ...answer, body: Buffer.from(answer.bytes).toString('base64') };
  }
  return methodResponseOf(selected, result, state, env);
}

/** R2.11: binary data passed through: status and mapped headers as selected, the bytes as the body, no template. */
function binaryMethodResponse(selected: Json, result: IntegrationResult, state: RequestState, env: ApiEnvironment, bytes: Uint8Array): MethodResponse {
  const { contentHandling: _handled, ...method } = methodResponseOf({ ...selected, responseTemplates: undefined }, result, state, env);
  return { ...method, bytes };
}

function methodResponseOf(selected: Json, result: IntegrationResult, state: RequestState, env: ApiEnvironment): MethodResponse {
  const params = requestParams(state);
  const context = contextVariables(state, env);
  const vtl = { input: { body: result.body, params }, context, stageVariables: env.stageVariables };
  const sources = { context, stageVariables: env.stageVariables, integrationHeaders: result.headers, integrationBody: result.body };
  return buildMethodResponse(selected, acceptMediaType(state.headers), vtl, sources);
}

/** An endpoint's answer as an integration result: status as the selection value, its bytes kept when they are binary data (R2.11). */
export function endpointResult(status: number, headers: Record<string, string>, body: Buffer, binaryMediaTypes: string[]): IntegrationResult {
  const binary = binaryMediaTypes.length > 0 && matchesBinaryMediaType(headers['content-type'], binaryMediaTypes);
  return { selectionValue: String(status), status, body: binary ? '' : body.toString('utf8'), headers, ...(binary ? { bytes: new Uint8Array(body) } : {}) };
}
