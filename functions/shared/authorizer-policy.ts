/** The admin TOKEN authorizer's result: principal, context (strings only) and an IAM policy. */
import type { APIGatewayAuthorizerResult } from 'aws-lambda';
import type { AdminClaims } from './jwt.js';

/**
 * The resource the policy covers: every method under /admin of the same API and stage. The result
 * is cached per token (authorizerResultTtlInSeconds), so a policy naming only the first methodArn
 * would wrongly deny the token's next admin route.
 */
export function adminResource(methodArn: string): string {
  const match = /^(arn:[^:]+:execute-api:[^:]+:[^:]+:[^/]+\/[^/]+)\//.exec(methodArn);
  if (!match?.[1]) throw new Error(`methodArn is not an execute-api method ARN: ${methodArn}`);
  return `${match[1]}/*/admin/*`;
}

/** Allow for the `admin` role, Deny otherwise. */
export function authorizerResult(claims: AdminClaims, methodArn: string): APIGatewayAuthorizerResult {
  const effect = claims.roles.includes('admin') ? 'Allow' : 'Deny';
  return {
    principalId: claims.sub,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Action: 'execute-api:Invoke', Effect: effect, Resource: adminResource(methodArn) }],
    },
    context: { userId: claims.sub, email: claims.email ?? '', roles: claims.roles.join(',') },
  };
}
