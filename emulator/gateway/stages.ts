/**
 * Several stages of one REST API deployment on one port. SAM's deployment of an API without OpenApiVersion also
 * creates a stage named "Stage" (its AWS::ApiGateway::Deployment's StageName), which API Gateway serves beside the
 * API's own stage with the stage's defaults: same routes and integrations, no variables, method settings, cache,
 * access log or usage plan of its own.
 */
import type { ApiSpec } from '../template/model.js';
import type { ConnectionInfo, Gateway, GatewayRequest, SupportItem } from './types.js';
import { splitStage } from './router.js';

/** The API's deployment as another stage with the stage's defaults: what a Deployment's StageName creates. */
export function defaultStage(api: ApiSpec, stageName: string): ApiSpec {
  const { extraStages: _served, accessLog: _log, ...deployment } = api;
  return { ...deployment, stageName, stageVariables: null, methodSettings: [], cacheClusterEnabled: false };
}

/** The API's own support items, then what only another stage has (a web ACL associated with it alone): never silent. */
function withOthers(own: SupportItem[], others: ReadonlyMap<string, Gateway>): SupportItem[] {
  const seen = new Set(own.map((item) => JSON.stringify(item)));
  const merged = [...own];
  for (const item of [...others.values()].flatMap((gateway) => gateway.support)) {
    const key = JSON.stringify(item);
    if (seen.has(key)) continue;
    seen.add(key);
    merged.push(item);
  }
  return merged;
}

/** R11.1: a request goes to the stage its path starts with; the API's own stage answers every other (R11.2: 403). */
export function stagesGateway(own: Gateway, others: ReadonlyMap<string, Gateway>): Gateway {
  if (others.size === 0) return own;
  const pick = (request: GatewayRequest, connection: ConnectionInfo | undefined): Gateway => {
    // As the pipeline reads it (initialState): the raw path, leading slashes collapsed (splitStage).
    const path = connection?.path ?? new URL(request.url).pathname;
    for (const [name, gateway] of others) if (splitStage(path, name)) return gateway;
    return own;
  };
  return {
    respond: (request, connection) => pick(request, connection).respond(request, connection),
    fetch: (request, connection) => pick(request, connection).fetch(request, connection),
    ...(own.headRefusal ? { headRefusal: (request: GatewayRequest, connection?: ConnectionInfo) => pick(request, connection).headRefusal?.(request, connection) } : {}),
    routes: own.routes,
    support: withOthers(own.support, others),
  };
}
