/** What of a WebSocket route can run locally, and the execute-api ARN its Lambda permission is checked against. */
import type { FunctionSpec } from '../../template/model.js';
import type { WebSocketApiSpec, WebSocketRouteSpec } from '../../template/websocket-apis.js';
import type { Connection } from './events.js';
import { awsIntegrationProblem, type WebSocketServices } from './integration-aws.js';

/** Why the route cannot run here (answered as an integration failure), or undefined when it can. */
export function routeProblem(route: WebSocketRouteSpec, template: { functionForUri(uri: string): FunctionSpec | undefined }, api: Pick<WebSocketApiSpec, 'authorizers'>, services?: WebSocketServices): string | undefined {
  const integration = route.integration;
  const lifecycle = route.routeKey === '$connect' || route.routeKey === '$disconnect';
  if (route.authorizer) {
    const authorizer = api.authorizers[route.authorizer];
    const fn = authorizer ? template.functionForUri(authorizer.uri) : undefined;
    if (authorizer && !fn) return `authorizer ${authorizer.name} invokes no function of the template (${authorizer.uri})`;
    if (fn?.unavailable) return `authorizer ${authorizer!.name}: ${fn.logicalId} cannot run locally: ${fn.unavailable}`;
  }
  if (route.targetProblem) return route.targetProblem;
  if (!integration) return lifecycle ? undefined : 'no integration: the route cannot answer';
  // $connect's and $disconnect's answers are never sent as frames: only a message route's route response would be.
  if (integration.type === 'MOCK') return route.twoWay && !lifecycle ? "a MOCK integration's route response is not emulated" : undefined;
  if (integration.type === 'AWS') return awsIntegrationProblem(integration, template, services);
  if (integration.type !== 'AWS_PROXY') return `${integration.type} integrations of WebSocket APIs are not emulated (Lambda proxy, AWS and MOCK are)`;
  const fn = template.functionForUri(integration.uri);
  if (!fn) return `integration ${integration.location} invokes no function of the template (${integration.uri})`;
  if (fn.unavailable) return `${fn.logicalId} cannot run locally: ${fn.unavailable}`;
  return undefined;
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<routeKey>`: the SourceArn Lambda sees for a route. */
export function sourceArnFor(template: { region: string; accountId: string }, connection: Pick<Connection, 'apiId' | 'stage'>, routeKey: string): string {
  return `arn:aws:execute-api:${template.region}:${template.accountId}:${connection.apiId}/${connection.stage}/${routeKey}`;
}
