/**
 * R1.54 for a REST API's Lambda authorizer: API Gateway invokes its function with the authorizer's own ARN,
 * `arn:aws:execute-api:<region>:<account>:<apiId>/authorizers/<authorizerId>`, so a resource-based permission must
 * allow that ARN unless the authorizer names authorizerCredentials (a role). Without either, each request that
 * reaches the authorizer answers 500 AUTHORIZER_CONFIGURATION_ERROR (R7.14).
 */
import type { LoadedTemplate } from '../template/model.js';
import { restApiIdFor } from '../template/stack.js';
import { isObject } from './routes.js';
import { withStageVariables } from '../template/uris.js';

/** The REST API whose authorizer it is: an AWS::ApiGateway::Authorizer's id is the Ref CloudFormation gives it. */
export interface AuthorizerApi {
  logicalId: string;
  restApiId: string;
  /** Security scheme name → the id of the AWS::ApiGateway::Authorizer it was made from. */
  authorizerIds?: Record<string, string>;
  /** The stage's variables, which an authorizerUri may name its function with. */
  stageVariables?: Record<string, string> | null;
}

/**
 * The ARN API Gateway invokes an authorizer's function with. A document's authorizer has no resource and so no id a
 * template can name: the local one is stable per API and scheme, and matched only by the wildcards AWS's would be.
 */
export function restAuthorizerArn(template: LoadedTemplate, api: AuthorizerApi, schemeName: string): string {
  const id = api.authorizerIds?.[schemeName] ?? restApiIdFor(`${api.logicalId}/authorizers/${schemeName}`);
  return `arn:aws:execute-api:${template.region}:${template.accountId}:${api.restApiId}/authorizers/${id}`;
}

/** R1.54/R7.14: why API Gateway may not invoke a REST Lambda authorizer's function (undefined when it may, or it is no Lambda authorizer of the template). */
export function missingAuthorizerPermission(template: LoadedTemplate, api: AuthorizerApi, schemeName: string, authorizer: unknown): string | undefined {
  if (!isObject(authorizer) || String(authorizer.type).toLowerCase() === 'cognito_user_pools') return undefined;
  if (typeof authorizer.authorizerCredentials === 'string' && authorizer.authorizerCredentials !== '') return undefined;
  const fn = typeof authorizer.authorizerUri === 'string' ? template.functionForUri(withStageVariables(authorizer.authorizerUri, api.stageVariables)) : undefined;
  if (!fn) return undefined;
  const arn = restAuthorizerArn(template, api, schemeName);
  if (template.apiGatewayMayInvoke(fn.logicalId, arn)) return undefined;
  return `no AWS::Lambda::Permission lets API Gateway invoke authorizer ${schemeName}'s function ${fn.logicalId} for ${arn} and the authorizer has no authorizerCredentials`;
}
