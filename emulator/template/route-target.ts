/** An AWS::ApiGatewayV2::Route's Target (HTTP and WebSocket APIs): the integration it names, or why it names none. */

export interface RouteTarget {
  /** The logical id of the AWS::ApiGatewayV2::Integration a `integrations/<id>` Target names. */
  integration?: string;
  /** Why a Target that is set reaches no integration (a Lambda ARN written where `integrations/<id>` belongs). */
  problem?: string;
}

/**
 * API Gateway routes a request only to an integration of the route's API, named `integrations/<IntegrationId>`. A
 * Target of another form (a function's ARN, which the Api's quick-create Target takes but a Route does not) attaches
 * nothing: said, so that a route whose function never runs is not listed as served.
 */
export function routeTarget(target: unknown): RouteTarget {
  if (target === undefined || target === null || target === '') return {};
  const id = typeof target === 'string' ? /^integrations\/(.+)$/.exec(target)?.[1] : undefined;
  if (id !== undefined) return { integration: id };
  const shown = typeof target === 'string' ? target : JSON.stringify(target);
  return {
    problem: `Target ${JSON.stringify(shown)} is not integrations/<IntegrationId>: a route reaches only an AWS::ApiGatewayV2::Integration of its API, so no integration runs (declare one with the function as its IntegrationUri and set Target: !Sub integrations/\${ThatIntegration})`,
  };
}
