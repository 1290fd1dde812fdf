/** AWS service integration to DynamoDB, `type: aws` + `arn:aws:apigateway:<region>:dynamodb:action/<Action>` (section 12). */
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
 * The AWS JSON 1.0 call API Gateway makes with the integration's role. Locally no IAM: dynalite only checks that
 * an AWS4 Authorization header and a date are present, so a well-formed dummy signature is sent.
 */
async function callDynamoDb(endpoint: string, action: string, body: string, timeoutMs: number): Promise<Response> {
  return fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${action}`,
      'x-amz-date': '20000101T000000Z',
      authorization: 'AWS4-HMAC-SHA256 Credential=apigateway/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host;x-amz-date;x-amz-target, Signature=0',
    },
    body,
    signal: AbortSignal.timeout(timeoutMs),
  });
}

/**
 * R12.1-R12.3: POSTs the rendered request template (or the passthrough body) to the embedded DynamoDB; the
 * integration status is DynamoDB's HTTP status, the body its raw JSON; the response is selected by status pattern.
 */
export async function runDynamoDb(op: OperationRoute, state: RequestState, env: ApiEnvironment, endpoint: string | undefined): Promise<MethodResponse> {
  const integration = op.integration ?? {};
  const action = dynamoDbAction(integration.uri);
  if (!action) throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: integration uri ${JSON.stringify(integration.uri)} is not a DynamoDB action` });
  if (!endpoint) {
    throw new GatewayError('API_CONFIGURATION_ERROR', {
      log: `${op.location}: DynamoDB ${action} integration, but no embedded DynamoDB is running (createGateway services.dynamodbEndpoint is not set)`,
    });
  }
  integrationParameters(integration, state, env, true); // R2.10: mapped headers do not change a DynamoDB call; refusals show
  const request = renderIntegrationRequest(integration, state, env);
  const timeout = integrationTimeout(integration);
  let res: Response;
  let text: string;
  try {
    res = await callDynamoDb(endpoint, action, request.body, timeout);
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
  return respondFromIntegration(op, { selectionValue: String(res.status), body: text, headers }, state, env);
}
