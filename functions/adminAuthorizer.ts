/**
 * The admin Lambda authorizer: `Authorization: Bearer <HS256 JWT>` signed with the key in Secrets Manager.
 * The REST API calls it as a TOKEN authorizer; the HTTP API as a REQUEST authorizer with payload 1.0, whose
 * event carries the same two fields (`authorizationToken` = the identity source's value, `methodArn`) and
 * which takes the same IAM policy answer.
 */
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { authorizerResult } from './shared/authorizer-policy.js';
import { requireEnv } from './shared/config.js';
import { framelessError } from './shared/errors.js';
import { InvalidTokenError, verifyHs256 } from './shared/jwt.js';
import { instrument, logger } from './shared/observability.js';
import { signingKey } from './shared/secrets.js';

const secretId = requireEnv('ADMIN_JWT_SECRET_ID');

const BEARER = /^Bearer (\S+)$/;

/** API Gateway turns exactly this message into a 401. */
const unauthorized = (): Error => framelessError('Unauthorized');

/** What the authorizer reads of a TOKEN event, and of an HTTP API REQUEST event of payload 1.0. */
export type AdminAuthorizerEvent = Pick<APIGatewayTokenAuthorizerEvent, 'authorizationToken' | 'methodArn'>;

async function authorize(event: AdminAuthorizerEvent, _context: Context): Promise<APIGatewayAuthorizerResult> {
  const token = BEARER.exec(event.authorizationToken ?? '')?.[1];
  if (!token) throw unauthorized();
  const key = await signingKey(secretId);
  try {
    return authorizerResult(verifyHs256(token, key), event.methodArn);
  } catch (error) {
    if (!(error instanceof InvalidTokenError)) throw error;
    logger.info('token rejected', { reason: error.message });
    throw unauthorized();
  }
}

// A TOKEN event carries no request id (only the REQUEST one does): logs correlate on the Lambda request id.
export const handler = instrument(authorize, () => undefined);
