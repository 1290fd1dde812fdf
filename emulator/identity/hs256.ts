/** HS256 JWTs, as the template's Lambda authorizer verifies them with its Secrets Manager secret. */
import { createHmac } from 'node:crypto';

/** Sign claims as a compact HS256 JWT. */
export function signHs256(claims: Record<string, unknown>, secret: string): string {
  const header = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(JSON.stringify(claims)).toString('base64url');
  const signature = createHmac('sha256', secret).update(`${header}.${payload}`).digest('base64url');
  return `${header}.${payload}.${signature}`;
}

/** The admin token `npm run token -- --admin-token` prints: sub, email, roles, iat, exp, iss "task-api" (what the admin authorizer requires). */
export function adminTokenClaims(input: { sub: string; roles: string[]; email?: string; ttlSeconds?: number; now?: number }): Record<string, unknown> {
  const iat = input.now ?? Math.floor(Date.now() / 1000);
  return {
    sub: input.sub,
    ...(input.email ? { email: input.email } : {}),
    roles: input.roles,
    iat,
    exp: iat + (input.ttlSeconds ?? 3600),
    iss: 'task-api',
  };
}
