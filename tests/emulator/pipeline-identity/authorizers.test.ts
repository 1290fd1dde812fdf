/**
 * Lambda TOKEN / REQUEST and Cognito authorizers through the real pipeline and worker-thread functions:
 * outcomes (R7.6, R7.11, R7.13, R7.14, R7.21, R7.22), caching (R7.18-R7.20) and what reaches the
 * integration (R1.31, R1.32).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KEY, echoed, startFixture, type Fixture } from './harness.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => fx?.close());

const EXPLICIT = 'User is not authorized to access this resource with an explicit deny';
const IMPLICIT = 'User is not authorized to access this resource';

describe('Lambda TOKEN authorizer outcomes', () => {
  it.each<{ name: string; headers: [string, string][]; want: { status: number; body: unknown; type: string }; invoked: boolean }>([
    { name: 'R7.6 no Authorization header ⇒ 401 without invoking', headers: [], want: { status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' }, invoked: false },
    { name: 'R7.6 empty Authorization header ⇒ 401 without invoking', headers: [['Authorization', '']], want: { status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' }, invoked: false },
    { name: 'R7.13 authorizer throws "Unauthorized" ⇒ 401', headers: [['Authorization', 'unauthorized']], want: { status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' }, invoked: true },
    { name: 'R7.11 explicit Deny ⇒ 403 capital-M Message', headers: [['Authorization', 'deny r711']], want: { status: 403, body: { Message: EXPLICIT }, type: 'AccessDeniedException' }, invoked: true },
    { name: 'R7.14 authorizer throws another error ⇒ 500 {"message":null}', headers: [['Authorization', 'boom']], want: { status: 500, body: { message: null }, type: 'AuthorizerConfigurationException' }, invoked: true },
    { name: 'R7.14 authorizer returns {} ⇒ 500 {"message":null}', headers: [['Authorization', 'empty']], want: { status: 500, body: { message: null }, type: 'AuthorizerConfigurationException' }, invoked: true },
    { name: 'R7.14 context value is an object ⇒ 500 {"message":null}', headers: [['Authorization', 'object-context']], want: { status: 500, body: { message: null }, type: 'AuthorizerConfigurationException' }, invoked: true },
  ])('$name', async ({ headers, want, invoked }) => {
    const before = fx.authorizerCalls();
    const echoBefore = fx.invoker.calls.filter((c) => c === 'EchoFunction').length;
    const got = await fx.send('IdentityApi', '/v1/token/a', { headers });
    expect({ status: got.status, body: got.json(), type: got.headers.get('x-amzn-errortype') }).toEqual(want);
    expect(fx.authorizerCalls() - before).toBe(invoked ? 1 : 0);
    expect(fx.invoker.calls.filter((c) => c === 'EchoFunction').length).toBe(echoBefore);
  });

  it('R7.17 [AMBIGUOUS] a method ARN over 1600 bytes ⇒ 414 through DEFAULT_4XX, without invoking the authorizer', async () => {
    const before = fx.authorizerCalls();
    const got = await fx.send('IdentityApi', `/v1/token/${'a'.repeat(1600)}`, { headers: [['Authorization', 'allow']] });

    expect(got.status).toBe(414);
    expect(got.json()).toEqual({ message: 'Request-URI Too Long' });
    expect(fx.authorizerCalls() - before).toBe(0);
  });

  it('R7.14 the body is the literal null message (not the string "null")', async () => {
    const got = await fx.send('IdentityApi', '/v1/token/a', { headers: [['Authorization', 'empty']] });
    expect(got.text.replace(/\s/g, '')).toBe('{"message":null}');
  });
});

describe('R1.31 authorizer context in the proxy event', () => {
  it('R1.31 principalId, numeric integrationLatency and every context value stringified (null kept)', async () => {
    const authorizer = echoed(await fx.send('IdentityApi', '/v1/token/a', { headers: [['Authorization', 'allow r131']] })).requestContext.authorizer as Record<string, unknown>;
    expect(authorizer).toEqual({ principalId: 'user-1', integrationLatency: expect.any(Number), n: '1', b: 'true', s: 'x', nothing: null, invocation: expect.any(String) });
  });

  it('R7.8 REQUEST authorizer: identity sources reach it and its context reaches the integration', async () => {
    const got = await fx.send('IdentityApi', '/v1/request?tenant=t1', { headers: [['X-User', 'alice']] });
    expect(echoed(got).requestContext.authorizer).toMatchObject({ principalId: 'alice', user: 'alice', tenant: 't1', type: 'REQUEST' });
  });

  it('R7.9 REQUEST authorizer with caching: a missing identity source ⇒ 401 without invoking', async () => {
    const before = fx.authorizerCalls();
    const got = await fx.send('IdentityApi', '/v1/request', { headers: [['X-User', 'alice']] });
    expect(got.status).toBe(401);
    expect(fx.authorizerCalls()).toBe(before);
  });
});

describe('authorizer caching (TTL 300)', () => {
  it('R7.19 the same token twice ⇒ one invocation, the cached context reused', async () => {
    const before = fx.authorizerCalls();
    const first = echoed(await fx.send('IdentityApi', '/v1/token/a', { headers: [['Authorization', 'allow cache']] }));
    const second = echoed(await fx.send('IdentityApi', '/v1/token/b', { headers: [['Authorization', 'allow cache']] }));
    expect(fx.authorizerCalls() - before).toBe(1);
    expect(second.requestContext.authorizer?.invocation).toBe(first.requestContext.authorizer?.invocation);
  });

  it('R7.20 a cached policy naming only the first ARN denies another path (403 implicit deny)', async () => {
    const before = fx.authorizerCalls();
    const first = await fx.send('IdentityApi', '/v1/token/a', { headers: [['Authorization', 'this-arn r720']] });
    const second = await fx.send('IdentityApi', '/v1/token/b', { headers: [['Authorization', 'this-arn r720']] });
    expect([first.status, second.status]).toEqual([200, 403]);
    expect(second.json()).toEqual({ Message: IMPLICIT });
    expect(second.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(fx.authorizerCalls() - before).toBe(1);
  });
});

describe('Cognito user pool authorizer', () => {
  it('R1.32 requestContext.authorizer is {claims} with every claim a string', async () => {
    const token = fx.token({ sub: 'user-32', email: 'u32@example.com', groups: ['admin', 'users'] });
    const authorizer = echoed(await fx.send('IdentityApi', '/v1/me', { headers: [['Authorization', token], ['x-api-key', KEY]] })).requestContext.authorizer as Record<string, unknown>;
    expect(Object.keys(authorizer)).toEqual(['claims']);
    const claims = authorizer.claims as Record<string, unknown>;
    expect(claims).toMatchObject({ sub: 'user-32', email: 'u32@example.com', email_verified: 'true', token_use: 'id', 'cognito:groups': 'admin,users' });
    expect(claims.auth_time).toMatch(/^\d+$/);
    expect(claims.exp).toMatch(/^[A-Z][a-z]{2} [A-Z][a-z]{2} \d{2} \d{2}:\d{2}:\d{2} UTC \d{4}$/);
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
  });

  it.each<{ name: string; path: string; token: () => string | undefined; want: number }>([
    { name: 'R7.21 no token ⇒ 401', path: '/v1/me', token: () => undefined, want: 401 },
    { name: 'R7.21 expired token ⇒ 401', path: '/v1/me', token: () => fx.token({ issuedAt: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 3600 }), want: 401 },
    { name: 'R7.21 tampered signature ⇒ 401', path: '/v1/me', token: () => `${fx.token().slice(0, -4)}AAAA`, want: 401 },
    { name: 'R7.21 "Bearer <jwt>" is accepted as well', path: '/v1/me', token: () => `Bearer ${fx.token()}`, want: 200 },
    { name: 'R7.22 scoped method with an ID token ⇒ 401', path: '/v1/scoped', token: () => fx.token(), want: 401 },
    { name: 'R7.22 scoped method with an access token holding the scope ⇒ 200', path: '/v1/scoped', token: () => fx.token({ tokenUse: 'access', scope: 'tasks/read' }), want: 200 },
    { name: 'R7.22 access token without the scope ⇒ 401', path: '/v1/scoped', token: () => fx.token({ tokenUse: 'access', scope: 'tasks/write' }), want: 401 },
  ])('$name', async ({ path, token, want }) => {
    const value = token();
    const headers: [string, string][] = [['x-api-key', KEY], ...(value === undefined ? [] : [['Authorization', value] as [string, string]])];
    const got = await fx.send('IdentityApi', path, { headers });
    expect(got.status).toBe(want);
    if (want === 401) expect(got.json()).toEqual({ message: 'Unauthorized' });
  });
});
