/** MOCK integrations (reference section 4): the request template decides the status, responses map it. */
import { contextVariables, type ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import { assertDeclaredStatus, buildMethodResponse, selectIntegrationResponse, selectRequestTemplate, type MethodResponse } from './integration-response.js';
import { acceptMediaType, requestMediaType, type RequestState } from './request-state.js';
import { requestParams } from './proxy-event.js';
import { isObject, type OperationRoute } from './routes.js';
import { renderTemplate } from './vtl/engine.js';

/**
 * R4.1/R4.5: statusCode from the rendered request template. JSON first; the non-JSON `{statusCode: 200}`
 * CDK emits is tolerated (R4.4 recommendation). A numeric string is accepted.
 */
export function parseMockStatus(output: string): number {
  let status: unknown;
  try {
    const parsed: unknown = JSON.parse(output);
    status = parsed !== null && typeof parsed === 'object' ? (parsed as Record<string, unknown>).statusCode : undefined;
  } catch {
    status = /["']?statusCode["']?\s*:\s*["']?(\d+)/.exec(output)?.[1];
  }
  const n = typeof status === 'string' && /^\d+$/.test(status.trim()) ? Number(status) : status;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `mock integration: Unable to parse statusCode from request template output ${JSON.stringify(output)}` });
  }
  return n;
}

/**
 * Runs a mock integration and builds the method response (R4.1-R4.5, R2.3-R2.12). The request and response
 * templates share one `$context` and one set of VTL variables: `$context.requestOverride`/`responseOverride` and
 * variables #set in the request template are seen by the response template and shape the response. As for every
 * integration (R2.6), a selected integration response whose status the method does not declare is a 500.
 */
export function runMock(op: OperationRoute, state: RequestState, env: ApiEnvironment): MethodResponse {
  const integration = op.integration ?? {};
  const params = requestParams(state);
  const requestBody = new TextDecoder().decode(state.body);
  const selection = selectRequestTemplate(integration, requestMediaType(state.headers));
  const context = contextVariables(state, env);
  const variables: Record<string, unknown> = {};
  // [AMBIGUOUS R4.4] without a request template (passthrough) the mock answers integration status 200,
  // which selects a pattern matching "200" or else `default`.
  let status = 200;
  if ('template' in selection) {
    const rendered = renderTemplate(selection.template, { input: { body: requestBody, params }, context, stageVariables: env.stageVariables, variables });
    status = parseMockStatus(rendered.output);
  }
  const selected = selectIntegrationResponse(integration, String(status));
  if (!selected) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `mock integration: no integration response matches status ${status} and there is no default` });
  }
  // A mock declaring no responses at all keeps answering: a good share of hand-written mock templates do (API
  // Gateway refuses them at deploy time, so this is no runtime behaviour to copy); one declaring some is held to them.
  if (isObject(op.operation.responses) && Object.keys(op.operation.responses).length > 0) assertDeclaredStatus(op.operation, selected, op.location);
  const vtl = { input: { body: '', params }, context, stageVariables: env.stageVariables, variables };
  const sources = { context, stageVariables: env.stageVariables, integrationHeaders: {}, integrationBody: '' };
  return buildMethodResponse(selected, acceptMediaType(state.headers), vtl, sources);
}
