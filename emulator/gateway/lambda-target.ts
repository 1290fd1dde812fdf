/** The function a Lambda integration (proxy or custom) invokes, with the checks API Gateway makes before it calls it. */
import type { InvokeOptions, InvokeOutcome, LambdaInvoker } from '../lambda/types.js';
import type { FunctionSpec, LoadedTemplate } from '../template/model.js';
import type { ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import type { RequestState } from './request-state.js';
import type { OperationRoute } from './routes.js';
import { qualifierInUri, undefinedStageVariables, withStageVariables } from '../template/uris.js';

/**
 * execute-api ARN of this request, as Lambda sees it in a permission's SourceArn: `<api>/<stage>/<VERB>/<path>`.
 * The path is the matched resource with its values (R11.7: `/items/` is resource `/items`), never the raw path.
 */
export function sourceArnOf(template: Pick<LoadedTemplate, 'region' | 'accountId'>, env: ApiEnvironment, state: RequestState): string {
  return `arn:aws:execute-api:${template.region}:${template.accountId}:${env.apiId}/${state.stage}/${state.httpMethod}${resourceWithValues(state)}`;
}

function resourceWithValues(state: RequestState): string {
  const route = state.route;
  if (!route) return state.path;
  return route.resourcePath.replace(/\{([^{}+]+)\+?\}/g, (_, name: string) => route.pathParameters?.[name] ?? '');
}

/**
 * R1.1 the integration must call Lambda with POST; the uri's `${stageVariables.x}` are the stage's (R3.22); R1.54 API Gateway must hold a permission to invoke
 * the function (AWS::Lambda::Permission or a SAM Api event), unless the integration invokes it with a role (`credentials`).
 * Either failing is a 500, logged with why.
 */
export function lambdaTarget(op: OperationRoute, state: RequestState, env: ApiEnvironment, template: LoadedTemplate): FunctionSpec {
  const integration = op.integration ?? {};
  if (String(integration.httpMethod ?? '').toUpperCase() !== 'POST') {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: a Lambda integration's httpMethod must be POST (R1.1)` });
  }
  const uri = withStageVariables(String(integration.uri ?? ''), env.stageVariables);
  const missing = undefinedStageVariables(uri);
  if (missing.length > 0) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: integration uri uses stage variable(s) ${missing.join(', ')} that stage ${state.stage} does not define` });
  }
  const fn = template.functionForUri(uri);
  if (!fn) throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: integration uri ${uri} names no function of the template` });
  const sourceArn = sourceArnOf(template, env, state);
  if (!invokesWithRole(integration) && !template.apiGatewayMayInvoke(fn.logicalId, sourceArn)) {
    const log = `${op.location}: API Gateway has no permission to invoke ${fn.logicalId} for ${sourceArn} (R1.54): add an AWS::Lambda::Permission for apigateway.amazonaws.com (or a SAM Api event)`;
    throw new GatewayError('API_CONFIGURATION_ERROR', { log });
  }
  return fn;
}

/**
 * The alias or version a Lambda integration's uri names after the function (SAM's, for a function with
 * AutoPublishAlias: its alias), which Lambda runs it as: the function's context names that qualified ARN.
 */
export function lambdaQualifier(op: OperationRoute, env: ApiEnvironment): { qualifier: string } | Record<string, never> {
  const qualifier = qualifierInUri(withStageVariables(String(op.integration?.uri ?? ''), env.stageVariables));
  return qualifier === undefined ? {} : { qualifier };
}

/** An integration's `credentials` (a role ARN, or the caller's identity): API Gateway then needs no resource-based permission. */
export function invokesWithRole(integration: Record<string, unknown>): boolean {
  return typeof integration.credentials === 'string' && integration.credentials !== '';
}

/**
 * R1.55 [AMBIGUOUS]: when the Lambda service itself fails (not the function), API Gateway answers
 * 502 Internal server error; the emulator treats its own invoke failures the same way, via DEFAULT_5XX.
 * Lambda's throttle (the function's reserved concurrency in use) is 500 Internal server error, which no integration
 * response can map: what AWS answered a 2016 forum thread and a 2025 re:Post question. So is Lambda's refusal of the
 * request (a tenant id that does not fit the function's tenancy), as for the other Invoke errors API Gateway meets.
 */
export async function invokeLambda(invoker: LambdaInvoker, fn: FunctionSpec, event: unknown, deadlineMs: number, options: Pick<InvokeOptions, 'eventJson' | 'traceHeader' | 'tenantId' | 'requestId' | 'qualifier'> = {}): Promise<InvokeOutcome> {
  try {
    const outcome = await invoker.invoke(fn.logicalId, event, { deadlineMs, ...options });
    if (outcome.kind === 'function-error' && (outcome.throttled || outcome.refused)) {
      const why = outcome.throttled ? 'Lambda throttled the invocation' : `Lambda refused the invocation (${outcome.errorType})`;
      throw Object.assign(new GatewayError('DEFAULT_5XX', { status: 500, log: `${fn.logicalId}: ${why}: ${outcome.errorMessage} (R1.55)` }), { meta: { functionLogicalId: fn.logicalId } });
    }
    return outcome;
  } catch (error) {
    if (error instanceof GatewayError) throw error;
    const why = error instanceof Error ? error.message : String(error);
    throw Object.assign(new GatewayError('DEFAULT_5XX', { status: 502, log: `${fn.logicalId}: the local Lambda service failed: ${why} (R1.55)` }), {
      meta: { functionLogicalId: fn.logicalId },
    });
  }
}
