/** Lambda custom (non-proxy) integration, `type: aws` with a Lambda URI (reference section 2). */
import { randomUUID } from 'node:crypto';
import type { LoadedTemplate } from '../template/model.js';
import { queuedNote, type LambdaInvoker } from '../lambda/types.js';
import type { ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import { integrationTimeout, renderIntegrationRequest, respondFromIntegration, type IntegrationResult } from './integration-request.js';
import type { MethodResponse } from './integration-response.js';
import type { RequestState } from './request-state.js';
import type { OperationRoute } from './routes.js';
import { integrationParameters } from './integration-parameters.js';
import { invokeLambda, lambdaQualifier, lambdaTarget } from './lambda-target.js';
import { errorDocument } from '../lambda/error-document.js';
import { integrationTraceHeader } from './trace.js';

/** Lambda's 6 MB synchronous invoke limit (R11.14). */
const MAX_LAMBDA_PAYLOAD_BYTES = 6 * 1024 * 1024;

export interface LambdaRun {
  response: MethodResponse;
  functionLogicalId: string;
  cold?: boolean;
}

/** Tags an error with the function it concerns, for the request log line. */
function withMeta(error: GatewayError, meta: { functionLogicalId: string; cold?: boolean }): GatewayError {
  return Object.assign(error, { meta });
}

/**
 * R2.1: Lambda receives JSON. An empty payload is `{}`. [AMBIGUOUS] a payload that is not JSON (e.g. an XML body
 * passed through) is refused by Lambda's Invoke API (InvalidRequestContentException); API Gateway answers 500.
 */
export function lambdaEvent(payload: string, where: string): unknown {
  if (payload.trim() === '') return {};
  try {
    return JSON.parse(payload) as unknown;
  } catch (error) {
    throw new GatewayError('API_CONFIGURATION_ERROR', {
      log: `${where}: Lambda rejects the integration request: Could not parse request body into json (${(error as Error).message}); payload starts ${JSON.stringify(payload.slice(0, 80))}`,
    });
  }
}

/**
 * R2.1/R2.6/R2.7: success → integration status 200, body = the function's result as its runtime wrote it, selection value "" (only
 * `default` or a pattern matching the empty string, like `.*`, applies). Function error → body = the runtime's error
 * document (Python `{"errorMessage","errorType","requestId","stackTrace"}`, Node.js `{"errorType","errorMessage","trace"}`),
 * selection value = errorMessage.
 */
export function lambdaIntegrationResult(
  outcome: { kind: 'ok'; payload: unknown; payloadJson?: string } | { kind: 'function-error'; errorMessage: string; errorType: string; stackTrace: string[]; requestId?: string },
  runtime: string,
): IntegrationResult {
  if (outcome.kind === 'ok') return { selectionValue: '', body: outcome.payloadJson ?? JSON.stringify(outcome.payload ?? null), headers: {} };
  return { selectionValue: outcome.errorMessage, body: JSON.stringify(errorDocument(outcome, runtime)), headers: {} };
}

/**
 * R2.10: Lambda's X-Amz-Invocation-Type, from requestParameters or a request template's requestOverride (R2.12).
 * Lambda refuses any value but RequestResponse, Event and DryRun; API Gateway then answers 500.
 */
function invocationType(headers: Record<string, string>): 'RequestResponse' | 'Event' | 'DryRun' {
  const value = invokeHeader(headers, 'x-amz-invocation-type') ?? 'RequestResponse';
  if (value === 'RequestResponse' || value === 'Event' || value === 'DryRun') return value;
  throw new GatewayError('API_CONFIGURATION_ERROR', { log: `Lambda refuses X-Amz-Invocation-Type ${JSON.stringify(value)} (InvalidParameterValueException)` });
}

function invokeHeader(headers: Record<string, string>, lower: string): string | undefined {
  const name = Object.keys(headers).find((n) => n.toLowerCase() === lower);
  return name === undefined ? undefined : headers[name];
}

/**
 * Lambda's X-Amz-Tenant-Id mapped from the method request (requestParameters, or a template's requestOverride): the
 * tenant a tenant-isolated function runs for (Lambda Developer Guide, "Invoking Lambda functions with tenant isolation").
 */
export function mappedTenantId(headers: Record<string, string>): { tenantId?: string } {
  const tenantId = invokeHeader(headers, 'x-amz-tenant-id');
  return tenantId === undefined ? {} : { tenantId };
}

/** Runs a Lambda custom integration end to end: template, invoke with the integration timeout, response mapping. */
export async function runLambda(op: OperationRoute, state: RequestState, env: ApiEnvironment, invoker: LambdaInvoker, template: LoadedTemplate): Promise<LambdaRun> {
  const integration = op.integration ?? {};
  const fn = lambdaTarget(op, state, env, template);
  const request = renderIntegrationRequest(integration, state, env);
  if (Buffer.byteLength(request.body) > MAX_LAMBDA_PAYLOAD_BYTES) throw new GatewayError('REQUEST_TOO_LARGE');
  const event = lambdaEvent(request.body, `${op.location} (${fn.logicalId})`);
  const headers = { ...integrationParameters(integration, state, env, true).header, ...(request.overrides?.request.header ?? {}) };
  const type = invocationType(headers);
  const tenant = mappedTenantId(headers);
  if (type !== 'RequestResponse') {
    // Event: Lambda queues the call and answers at once with no payload; the function runs on its own (its own
    // failures are Lambda's to retry, with the function's destinations, never API Gateway's). DryRun: Lambda only
    // checks it could invoke.
    if (type === 'Event') {
      const options = { traceHeader: integrationTraceHeader(state.trace), ...tenant };
      if (invoker.invokeEvent) invoker.invokeEvent(fn.logicalId, event, options);
      else void invoker.invoke(fn.logicalId, event, options).catch(() => undefined);
    }
    const accepted = { selectionValue: '', body: '', headers: {} };
    return { response: respondFromIntegration(op, accepted, state, env), functionLogicalId: fn.logicalId };
  }
  const timeout = integrationTimeout(integration);
  // Lambda's request id for this invocation: $context.integration.requestId of the access log (kept by the pipeline's timing).
  const requestId = randomUUID();
  state.integration = { latencyMs: 0, requestId };
  const outcome = await invokeLambda(invoker, fn, event, timeout, { traceHeader: integrationTraceHeader(state.trace), requestId, ...tenant, ...lambdaQualifier(op, env) });
  const meta = { functionLogicalId: fn.logicalId, ...('cold' in outcome ? { cold: outcome.cold } : {}) };
  if (outcome.kind === 'deadline-exceeded') {
    throw withMeta(new GatewayError('INTEGRATION_TIMEOUT', { log: `${fn.logicalId}: no answer within ${timeout} ms${queuedNote(outcome)}` }), meta);
  }
  try {
    return { response: respondFromIntegration(op, lambdaIntegrationResult(outcome, fn.runtime), state, env), ...meta };
  } catch (error) {
    if (error instanceof GatewayError) throw withMeta(error, meta);
    throw Object.assign(error as Error, { meta });
  }
}
