/**
 * The integration request and the integration-response stage shared by the `aws` integrations (Lambda non-proxy
 * and AWS services): request template or passthrough (R2.1-R2.5), then response selection and mapping (R2.6-R2.12).
 */
import { contextVariables, type ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import { assertDeclaredStatus, buildMethodResponse, selectIntegrationResponse, selectRequestTemplate, type MethodResponse } from './integration-response.js';
import { acceptMediaType, requestMediaType, requestParams, type RequestState } from './request-state.js';
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
  passthrough: boolean;
  /** $context.requestOverride.* set by the request template (R2.12). */
  overrides?: VtlOverrides;
}

/** R2.2/R2.4/R2.5/R0.6: renders the request template chosen by Content-Type, or passes the body through, or 415. */
export function renderIntegrationRequest(integration: Json, state: RequestState, env: ApiEnvironment): IntegrationRequest {
  const raw = new TextDecoder().decode(state.body);
  const selection = selectRequestTemplate(integration, requestMediaType(state.headers));
  if (!('template' in selection)) return { body: raw, passthrough: true };
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
}

/**
 * R2.6: selects the integration response (no match and no default → 500), checks its status is a declared method
 * response, then maps it (R2.3, R2.9, R2.12) with a fresh $context and $input over the integration body.
 */
export function respondFromIntegration(op: OperationRoute, result: IntegrationResult, state: RequestState, env: ApiEnvironment): MethodResponse {
  const integration = op.integration ?? {};
  const selected = selectIntegrationResponse(integration, result.selectionValue);
  if (!selected) {
    throw new GatewayError('API_CONFIGURATION_ERROR', {
      log: `${op.location}: no integration response matches ${JSON.stringify(result.selectionValue)} and there is no default`,
    });
  }
  assertDeclaredStatus(op.operation, selected, op.location);
  const params = requestParams(state);
  const context = contextVariables(state, env);
  const vtl = { input: { body: result.body, params }, context, stageVariables: env.stageVariables };
  const sources = { context, stageVariables: env.stageVariables, integrationHeaders: result.headers, integrationBody: result.body };
  return buildMethodResponse(selected, acceptMediaType(state.headers), vtl, sources);
}
