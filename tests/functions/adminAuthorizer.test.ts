import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signAdminToken } from '../../functions/shared/jwt.js';
import { loadEvent, tokenEvent } from '../support/events.js';
import { ADMIN_KEY, startHandlerEnv, type HandlerEnv } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Handler = (event: APIGatewayTokenAuthorizerEvent, context: Context) => Promise<APIGatewayAuthorizerResult>;
let env: HandlerEnv;
let handler: Handler;

beforeAll(async () => {
  env = await startHandlerEnv();
  ({ handler } = (await import('../../functions/adminAuthorizer.js')) as { handler: Handler });
});
afterAll(async () => {
  await env.close();
});

const now = () => Math.floor(Date.now() / 1000);
const claims = (over: Record<string, unknown> = {}) => ({ sub: 'admin-7f3a', email: 'ops@example.com', roles: ['admin'], iss: 'task-api', iat: now(), exp: now() + 300, ...over });
const invoke = (token: string) => handler(tokenEvent(token), fakeContext('AdminAuthorizerFunction'));

describe('adminAuthorizer (key from the local Secrets Manager, JSON {"signingKey"})', () => {
  it('allows an admin on every admin route of the stage, with string-only context', async () => {
    const result = await invoke(`Bearer ${signAdminToken(claims(), ADMIN_KEY)}`);
    expect(result).toEqual({
      principalId: 'admin-7f3a',
      policyDocument: {
        Version: '2012-10-17',
        Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/v1/*/admin/*' }],
      },
      context: { userId: 'admin-7f3a', email: 'ops@example.com', roles: 'admin' },
    });
  });

  it('denies a valid token without the admin role', async () => {
    const result = await invoke(`Bearer ${signAdminToken(claims({ roles: ['reader', 'ops'] }), ADMIN_KEY)}`);
    expect(result.policyDocument.Statement[0]).toMatchObject({ Effect: 'Deny' });
    expect(result.context?.roles).toBe('reader,ops');
  });

  it('rejects the token of events/adminAuthorizer.json (its signature is a placeholder)', async () => {
    const event = loadEvent<APIGatewayTokenAuthorizerEvent>('adminAuthorizer');
    await expect(handler(event, fakeContext())).rejects.toThrow(/^Unauthorized$/);
  });

  it('the HTTP API calls it as a REQUEST authorizer (payload 1.0): the same answer for the same token (H8.3, H8.5)', async () => {
    // Prepare
    const token = `Bearer ${signAdminToken(claims(), ADMIN_KEY)}`;
    const request = { ...loadEvent<APIGatewayTokenAuthorizerEvent>('adminAuthorizer-http'), authorizationToken: token, identitySource: token };
    // Act
    const [asRequest, asToken] = [await handler(request, fakeContext('AdminAuthorizerFunction')), await invoke(token)];
    // Assess
    expect(asRequest.policyDocument.Statement[0]).toMatchObject({ Effect: 'Allow', Resource: 'arn:aws:execute-api:us-east-1:123456789012:abc123defg/v1/*/admin/*' });
    expect(asRequest).toEqual(asToken);
  });

  it('rejects the REQUEST event of events/adminAuthorizer-http.json (placeholder signature) as Unauthorized (401)', async () => {
    await expect(handler(loadEvent<APIGatewayTokenAuthorizerEvent>('adminAuthorizer-http'), fakeContext())).rejects.toThrow(/^Unauthorized$/);
  });

  it.each([
    { name: 'expired', token: () => `Bearer ${signAdminToken(claims({ exp: now() - 5 }), ADMIN_KEY)}` },
    { name: 'forged', token: () => `Bearer ${signAdminToken(claims(), 'not-the-key')}` },
    { name: 'wrong issuer', token: () => `Bearer ${signAdminToken(claims({ iss: 'x' }), ADMIN_KEY)}` },
    { name: 'no Bearer prefix', token: () => signAdminToken(claims(), ADMIN_KEY) },
  ])('$name → Unauthorized (401)', async ({ token }) => {
    const error = await invoke(token()).then(() => new Error('expected a rejection'), (e: Error) => e);
    expect(error.message).toBe('Unauthorized');
    // Lambda's error document carries the stack as `trace` (sam local invoke prints it): no frame of ours in it.
    expect(error.stack).toBe('Error: Unauthorized');
  });
});
