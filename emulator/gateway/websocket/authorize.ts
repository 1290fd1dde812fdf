/**
 * Authorization of a WebSocket API's $connect route (Developer Guide, "Controlling access to WebSocket APIs"):
 * AWS_IAM checks the upgrade request's SigV4 signature; a REQUEST Lambda authorizer gets the handshake's headers,
 * query string and stage variables, and its policy must allow the `$connect` route ARN. Its principalId and context
 * reach every later event of the connection as requestContext.authorizer.
 */
import type { IncomingMessage } from 'node:http';
import type { LambdaInvoker } from '../../lambda/types.js';
import type { LoadedTemplate } from '../../template/model.js';
import type { WebSocketApiSpec, WebSocketAuthorizerSpec, WebSocketRouteSpec } from '../../template/websocket-apis.js';
import { checkIam, type IamOptions } from '../../identity/iam.js';
import { evaluatePolicy, parseAuthorizerOutput } from '../../identity/authorizer-policy.js';
import { AUTHORIZER_TIMEOUT_MS } from '../../identity/lambda-authorizer.js';
import { allValues } from '../name-maps.js';
import { headerMaps, webSocketId, webSocketRequestContext, type Connection } from './events.js';
import { handshakeRefusal, type HandshakeRefusal } from './errors.js';
import { sourceArnFor } from './routes.js';

export interface ConnectAuthorization {
  route: WebSocketRouteSpec;
  api: WebSocketApiSpec;
  template: LoadedTemplate;
  invoker: LambdaInvoker;
  iam: IamOptions;
  req: IncomingMessage;
  connection: Connection;
  headerPairs: [string, string][];
  query: [string, string][];
  log: (line: string) => void;
}

/** Allowed (with the authorizer's principalId and context, if any) or refused with the handshake's answer. */
export async function authorizeConnect(input: ConnectAuthorization): Promise<{ context?: Record<string, unknown> } | { refusal: HandshakeRefusal }> {
  const { route, api, log } = input;
  if (route.authorizationType === 'AWS_IAM') {
    const outcome = checkIam({ method: 'GET', target: input.req.url ?? '/', headers: input.headerPairs, body: new Uint8Array() }, input.iam);
    if (outcome.ok) return {};
    log(`websocket ${api.logicalId} $connect: IAM authorization refused: ${outcome.problem.message}`);
    return { refusal: handshakeRefusal(403) };
  }
  if (route.authorizationType !== 'CUSTOM' || !route.authorizer) return {};
  const authorizer = api.authorizers[route.authorizer]!;
  const missing = authorizer.identitySource.find((source) => !identityValue(source, input));
  // An identity source absent or empty: 401 without invoking the authorizer.
  if (missing) {
    log(`websocket ${api.logicalId} $connect: identity source ${missing} is missing: 401 without invoking ${authorizer.name}`);
    return { refusal: handshakeRefusal(401) };
  }
  return invokeAuthorizer(authorizer, input);
}

function identityValue(source: string, input: ConnectAuthorization): string | undefined {
  const [, kind, name] = /^(route\.request\.header|route\.request\.querystring|stageVariables|context)\.(.+)$/.exec(source) ?? [];
  if (!name) return undefined;
  const value =
    kind === 'route.request.header'
      ? input.headerPairs.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1]
      : kind === 'route.request.querystring'
        ? input.query.find(([n]) => n === name)?.[1]
        : kind === 'stageVariables'
          ? input.connection.stageVariables[name]
          : String(webSocketRequestContext(input.connection, '$connect', 'CONNECT', input.connection.connectedAt, '')[name] ?? '');
  return value === undefined || value === '' ? undefined : value;
}

async function invokeAuthorizer(authorizer: WebSocketAuthorizerSpec, input: ConnectAuthorization): Promise<{ context?: Record<string, unknown> } | { refusal: HandshakeRefusal }> {
  const { api, template, connection, log } = input;
  const fn = template.functionForUri(authorizer.uri);
  const where = `websocket ${api.logicalId} $connect: authorizer ${authorizer.name}`;
  if (!fn) {
    log(`${where} invokes no function of the template (${authorizer.uri})`);
    return { refusal: handshakeRefusal(500) };
  }
  const methodArn = sourceArnFor(template, connection, '$connect');
  const authorizerArn = `arn:aws:execute-api:${template.region}:${template.accountId}:${api.apiId}/authorizers/${authorizer.name}`;
  if (!authorizer.credentials && !template.apiGatewayMayInvoke(fn.logicalId, authorizerArn) && !template.apiGatewayMayInvoke(fn.logicalId, methodArn)) {
    log(`${where}: API Gateway has no permission to invoke ${fn.logicalId} for ${authorizerArn}`);
    return { refusal: handshakeRefusal(500) };
  }
  const query = input.query;
  const event: Record<string, unknown> = {
    type: 'REQUEST',
    methodArn,
    ...headerMaps(input.headerPairs),
    // Present as {} when the URL has none (as captured from AWS).
    queryStringParameters: Object.fromEntries(query),
    multiValueQueryStringParameters: allValues(query),
    stageVariables: connection.stageVariables,
    requestContext: webSocketRequestContext(connection, '$connect', 'CONNECT', connection.connectedAt, webSocketId()),
  };
  let outcome;
  try {
    outcome = await input.invoker.invoke(fn.logicalId, event, { deadlineMs: AUTHORIZER_TIMEOUT_MS });
  } catch (error) {
    log(`${where}: the local Lambda service failed: ${error instanceof Error ? error.message : String(error)}`);
    return { refusal: handshakeRefusal(500) };
  }
  if (outcome.kind !== 'ok') {
    log(`${where}: ${outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'timed out'}`);
    // A Lambda authorizer that throws "Unauthorized" is a 401, as on REST APIs.
    return { refusal: handshakeRefusal(outcome.kind === 'function-error' && outcome.errorMessage === 'Unauthorized' ? 401 : 500) };
  }
  const parsed = parseAuthorizerOutput(outcome.payload);
  if (!parsed.ok) {
    log(`${where}: ${parsed.reason}`);
    return { refusal: handshakeRefusal(500) };
  }
  if (evaluatePolicy(parsed.result.statements, methodArn) !== 'allow') {
    log(`${where}: its policy does not allow ${methodArn}: 403`);
    return { refusal: handshakeRefusal(403) };
  }
  const context: Record<string, unknown> = { ...parsed.result.context };
  if (parsed.result.principalId !== undefined) context.principalId = parsed.result.principalId;
  return { context };
}

