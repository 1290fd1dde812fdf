/** AWS service integration to DynamoDB, `type: aws` + `arn:aws:apigateway:<region>:dynamodb:action/<Action>` (section 12). */
import { callDynamoDb, type DynamoDbTarget } from '../services/dynamodb.js';
import type { ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import { integrationTimeout, renderIntegrationRequest, respondFromIntegration } from './integration-request.js';
import type { MethodResponse } from './integration-response.js';
import type { RequestState } from './request-state.js';
import type { OperationRoute } from './routes.js';
import { integrationParameters } from './integration-parameters.js';

/** The DynamoDB action named by an integration URI, or undefined when the URI is not a DynamoDB action (R12.1). */
export function dynamoDbAction(uri: unknown): string | undefined {
  return typeof uri === 'string' ? /^arn:[^:]+:apigateway:[^:]*:dynamodb:action\/([A-Za-z]+)$/.exec(uri)?.[1] : undefined;
}

/**
 * R12.1-R12.3: POSTs the rendered request template (or the passthrough body) to the embedded DynamoDB; the
 * integration status is DynamoDB's HTTP status, the body its raw JSON; the response is selected by status pattern.
 */
export async function runDynamoDb(op: OperationRoute, state: RequestState, env: ApiEnvironment, target: Partial<DynamoDbTarget> | undefined): Promise<MethodResponse> {
  const endpoint = target?.endpoint;
  const integration = op.integration ?? {};
  const action = dynamoDbAction(integration.uri);
  if (!action) throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: integration uri ${JSON.stringify(integration.uri)} is not a DynamoDB action` });
  if (!endpoint || !target.credentials) {
    throw new GatewayError('API_CONFIGURATION_ERROR', {
      log: `${op.location}: DynamoDB ${action} integration, but no embedded DynamoDB is running (createGateway services.dynamodb is not set)`,
    });
  }
  integrationParameters(integration, state, env, true); // R2.10: mapped headers do not change a DynamoDB call; refusals show
  const request = renderIntegrationRequest(integration, state, env);
  const timeout = integrationTimeout(integration);
  let res: Response;
  let text: string;
  try {
    // API Gateway calls DynamoDB with the integration's role; locally, signed with the local credentials.
    res = await callDynamoDb({ endpoint, credentials: target.credentials }, action, request.body, AbortSignal.timeout(timeout));
    text = await res.text();
  } catch (error) {
    const name = (error as Error).name;
    if (name === 'TimeoutError' || name === 'AbortError') {
      throw new GatewayError('INTEGRATION_TIMEOUT', { log: `${op.location}: DynamoDB ${action} gave no answer within ${timeout} ms` });
    }
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: DynamoDB at ${endpoint} unreachable: ${(error as Error).message}` });
  }
  const headers: Record<string, string> = {};
  res.headers.forEach((value, name) => (headers[name] = value));
  return respondFromIntegration(op, { selectionValue: String(res.status), status: res.status, body: text, headers }, state, env);
}
