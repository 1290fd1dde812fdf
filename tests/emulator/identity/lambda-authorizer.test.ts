import { describe, expect, it } from 'vitest';
import { LambdaAuthorizer, AUTHORIZER_TIMEOUT_MS } from '../../../emulator/identity/lambda-authorizer.js';
import type { ApiContext, AuthorizerRequest } from '../../../emulator/identity/authorizer-event.js';
import { parseIdentitySources, type AuthorizerConfig } from '../../../emulator/identity/security.js';
import { compileFullMatch } from '../../../emulator/identity/patterns.js';
import { FakeInvoker } from './support/fixtures.js';
import { fixtureAuthorizers } from './support/authorizers.js';

const api: ApiContext = { region: 'eu-west-1', accountId: '123456789012', restApiId: 'abc123defg', stage: 'v1' };
const ARN_PREFIX = 'arn:aws:execute-api:eu-west-1:123456789012:abc123defg/v1';

function tokenConfig(overrides: Partial<AuthorizerConfig> = {}): AuthorizerConfig {
  return {
    schemeName: 'TokenAuth',
    type: 'token',
    headerName: 'Authorization',
    authorizerUri: 'arn:...:function:Auth/invocations',
    identitySources: parseIdentitySources('method.request.header.Authorization'),
    ttlSeconds: 0,
    providerARNs: [],
    ...overrides,
  };
}

function requestConfig(sources: string, overrides: Partial<AuthorizerConfig> = {}): AuthorizerConfig {
  return tokenConfig({ schemeName: 'RequestAuth', type: 'request', headerName: 'Unused', identitySources: parseIdentitySources(sources), ...overrides });
}

function request(overrides: Partial<AuthorizerRequest> = {}): AuthorizerRequest {
  return {
    httpMethod: 'GET',
    path: '/tasks/123',
    resource: '/tasks/{taskId}',
    headers: { Authorization: 'token-1', 'X-Tenant': 't1' },
    multiValueHeaders: { Authorization: ['token-1'], 'X-Tenant': ['t1'] },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    pathParameters: { taskId: '123' },
    stageVariables: null,
    requestContext: { stage: 'v1', identity: { sourceIp: '127.0.0.1' }, requestId: 'r-1' },
    ...overrides,
  };
}

function setup(fn: string, config: AuthorizerConfig, opts: { timeout?: boolean; clock?: { t: number } } = {}) {
  const invoker = new FakeInvoker(fixtureAuthorizers, new Set(opts.timeout ? [fn] : []));
  const authorizer = new LambdaAuthorizer({ config, functionLogicalId: fn, invoker, ...(opts.clock ? { now: () => opts.clock!.t } : {}) });
  return { invoker, authorizer };
}

describe('Lambda TOKEN authorizer (7.2)', () => {
  it('R7.5 sends {type, authorizationToken, methodArn} with the actual request path', async () => {
    const { invoker, authorizer } = setup('AllowAll', tokenConfig());
    await authorizer.authorize(request(), api);
    expect(invoker.calls[0]!.event).toEqual({ type: 'TOKEN', authorizationToken: 'token-1', methodArn: `${ARN_PREFIX}/GET/tasks/123` });
    expect(invoker.calls[0]!.deadlineMs).toBe(AUTHORIZER_TIMEOUT_MS);
  });

  it('R7.5 names the root resource …/VERB/ in the method ARN', async () => {
    const { invoker, authorizer } = setup('AllowAll', tokenConfig());
    await authorizer.authorize(request({ httpMethod: 'post', path: '/' }), api);
    expect(invoker.calls[0]!.event.methodArn).toBe(`${ARN_PREFIX}/POST/`);
  });

  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'A17 R7.6 no token header', headers: {} },
    { name: 'R7.6 empty token header', headers: { Authorization: '' } },
  ])('$name ⇒ 401 without invoking the function', async ({ headers }) => {
    const { invoker, authorizer } = setup('AllowAll', tokenConfig());
    const outcome = await authorizer.authorize(request({ headers }), api);
    expect(outcome).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED', defaultBody: '{"message":"Unauthorized"}' });
    expect(invoker.calls).toHaveLength(0);
  });

  it('R7.6 reads the token header case-insensitively', async () => {
    const { invoker, authorizer } = setup('AllowAll', tokenConfig());
    const outcome = await authorizer.authorize(request({ headers: { authorization: 'abc' } }), api);
    expect(outcome.ok).toBe(true);
    expect(invoker.calls[0]!.event.authorizationToken).toBe('abc');
  });

  it.each([
    { given: 'Bearer abc.def', expression: 'Bearer .*', want: 'invoked' },
    { given: 'xBearer abc', expression: 'Bearer .*', want: 401 },
    { given: 'x-abc', expression: '^x-[a-z]+', want: 'invoked' },
    { given: 'x-abc-123', expression: '^x-[a-z]+', want: 401 },
    // A client's token against a pattern that backtracks: JavaScript's engine took seconds per extra character pair
    // (40 here: hours) and held every API; RE2 answers at once.
    { given: `${'a'.repeat(40)}!`, expression: '(a+)+', want: 401 },
    { given: 'aaaa', expression: '(a+)+', want: 'invoked' },
    // Java's syntax: inline flags, POSIX classes, possessive quantifiers.
    { given: 'BEARER abc', expression: '(?i)bearer [a-z]+', want: 'invoked' },
    { given: 'abc', expression: '\\p{Alpha}++', want: 'invoked' },
  ])('R7.7 identityValidationExpression $expression is a full match: "$given" ⇒ $want', async ({ given, expression, want }) => {
    const { invoker, authorizer } = setup('AllowAll', tokenConfig({ identityValidationExpression: expression, identityValidationPattern: compileFullMatch(expression, 'f', 'k') }));
    const outcome = await authorizer.authorize(request({ headers: { Authorization: given } }), api);
    if (want === 'invoked') expect(invoker.calls).toHaveLength(1);
    else {
      expect(outcome).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED' });
      expect(invoker.calls).toHaveLength(0);
    }
  });
});

describe('Lambda REQUEST authorizer (7.3)', () => {
  it('R7.8 sends the request parts with absent maps as {} and no requestContext.authorizer', async () => {
    const { invoker, authorizer } = setup('AllowAll', requestConfig('method.request.header.X-Tenant'));
    await authorizer.authorize(request({ requestContext: { stage: 'v1', authorizer: { x: 1 } } }), api);
    expect(invoker.calls[0]!.event).toEqual({
      type: 'REQUEST',
      methodArn: `${ARN_PREFIX}/GET/tasks/123`,
      resource: '/tasks/{taskId}',
      path: '/tasks/123',
      httpMethod: 'GET',
      headers: { Authorization: 'token-1', 'X-Tenant': 't1' },
      multiValueHeaders: { Authorization: ['token-1'], 'X-Tenant': ['t1'] },
      queryStringParameters: {},
      multiValueQueryStringParameters: {},
      pathParameters: { taskId: '123' },
      stageVariables: {},
      requestContext: { stage: 'v1' },
    });
  });

  const sources = 'method.request.header.X-Tenant, method.request.querystring.q, stageVariables.env, context.identity.sourceIp';
  const full = () => request({ queryStringParameters: { q: '1' }, stageVariables: { env: 'dev' } });
  it.each([
    { name: 'header', req: () => ({ ...full(), headers: {} }) },
    { name: 'querystring', req: () => ({ ...full(), queryStringParameters: null }) },
    { name: 'stage variable', req: () => ({ ...full(), stageVariables: { env: '' } }) },
    { name: 'context value', req: () => ({ ...full(), requestContext: { identity: {} } }) },
  ])('R7.9 with caching on, a missing $name source ⇒ 401 without invoking', async ({ req }) => {
    const { invoker, authorizer } = setup('AllowAll', requestConfig(sources, { ttlSeconds: 300 }));
    expect(await authorizer.authorize(req(), api)).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED' });
    expect(invoker.calls).toHaveLength(0);
  });

  it('R7.9 with caching on and every source present, the function is invoked', async () => {
    const { invoker, authorizer } = setup('AllowAll', requestConfig(sources, { ttlSeconds: 300 }));
    expect(await authorizer.authorize(full(), api)).toMatchObject({ ok: true });
    expect(invoker.calls).toHaveLength(1);
  });

  it('R7.9 [AMBIGUOUS] with caching off (TTL 0), missing sources are optional and the function is invoked', async () => {
    const { invoker, authorizer } = setup('AllowAll', requestConfig(sources, { ttlSeconds: 0 }));
    expect(await authorizer.authorize(request({ headers: {} }), api)).toMatchObject({ ok: true });
    expect(invoker.calls).toHaveLength(1);
  });
});

describe('Lambda authorizer results (7.4, 7.7)', () => {
  type Case = { name: string; fn: string; req?: Partial<AuthorizerRequest>; timeout?: boolean; want: { status: number; type?: string; body?: string } };
  const explicit = '{"Message":"User is not authorized to access this resource with an explicit deny"}';
  const implicit = '{"Message":"User is not authorized to access this resource"}';
  const cases: Case[] = [
    { name: 'A18 R7.13 throws Error("Unauthorized") ⇒ 401', fn: 'ThrowsUnauthorized', want: { status: 401, type: 'UNAUTHORIZED', body: '{"message":"Unauthorized"}' } },
    { name: 'A19 R7.14 throws another error ⇒ 500', fn: 'ThrowsOther', want: { status: 500, type: 'AUTHORIZER_CONFIGURATION_ERROR', body: '{"message": null}' } },
    { name: 'A19 R7.14 returns {} ⇒ 500', fn: 'ReturnsEmpty', want: { status: 500, type: 'AUTHORIZER_CONFIGURATION_ERROR' } },
    { name: 'R7.14 returns null ⇒ 500', fn: 'ReturnsNull', want: { status: 500, type: 'AUTHORIZER_CONFIGURATION_ERROR' } },
    { name: 'R7.14 returns a proxy response shape ⇒ 500', fn: 'ReturnsProxyShape', want: { status: 500, type: 'AUTHORIZER_CONFIGURATION_ERROR' } },
    { name: 'A19 R7.14 R7.15 context value {} ⇒ 500', fn: 'ObjectContext', want: { status: 500, type: 'AUTHORIZER_CONFIGURATION_ERROR' } },
    { name: 'R7.15 context value [] ⇒ 500', fn: 'ArrayContext', want: { status: 500, type: 'AUTHORIZER_CONFIGURATION_ERROR' } },
    { name: 'R7.14 R11.17 timeout ⇒ 500', fn: 'AllowAll', timeout: true, want: { status: 500, type: 'AUTHORIZER_CONFIGURATION_ERROR' } },
    { name: 'A20 R7.11 explicit Deny wins over Allow ⇒ 403', fn: 'ExplicitDeny', want: { status: 403, type: 'ACCESS_DENIED', body: explicit } },
    { name: 'A21 R7.11 Allow only for /GET/a, request /GET/b ⇒ 403 implicit deny', fn: 'AllowGetA', req: { path: '/b' }, want: { status: 403, type: 'ACCESS_DENIED', body: implicit } },
    { name: 'A21 R7.12 Allow for /GET/a is anchored: /GET/ab ⇒ 403', fn: 'AllowGetA', req: { path: '/ab' }, want: { status: 403, body: implicit } },
    { name: 'R7.11 Allow for /GET/a, request /GET/a ⇒ allowed', fn: 'AllowGetA', req: { path: '/a' }, want: { status: 200 } },
    { name: 'R7.12 Action must cover execute-api:Invoke (s3:GetObject ⇒ 403)', fn: 'WrongAction', want: { status: 403, body: implicit } },
    { name: 'R7.12 Action/Resource as arrays with execute-api:* ⇒ allowed', fn: 'ActionWildcard', want: { status: 200 } },
    { name: 'R7.16 [AMBIGUOUS] principalId is optional', fn: 'NoPrincipal', want: { status: 200 } },
  ];
  const statusOf = { UNAUTHORIZED: 401, ACCESS_DENIED: 403, AUTHORIZER_CONFIGURATION_ERROR: 500, INVALID_API_KEY: 403, DEFAULT_4XX: 414, MISSING_AUTHENTICATION_TOKEN: 403, INVALID_SIGNATURE: 403, EXPIRED_TOKEN: 403 } as const;

  it.each(cases)('$name', async ({ fn, req, timeout, want }) => {
    const { authorizer } = setup(fn, tokenConfig(), { timeout: timeout ?? false });
    const outcome = await authorizer.authorize(request(req), api);
    expect(outcome.ok ? 200 : statusOf[outcome.responseType]).toBe(want.status);
    if (!outcome.ok) {
      if (want.type) expect(outcome.responseType).toBe(want.type);
      if (want.body) expect(outcome.defaultBody).toBe(want.body);
    }
  });

  it.each([
    { given: 'ran out of time', queued: undefined, want: /^authorizer timed out$/ },
    { given: 'waited for an environment and never ran', queued: true as const, want: /^authorizer timed out; it never ran: every environment of its function was busy/ },
  ])('R11.17 an authorizer that $given: 500, and the log says which', async ({ queued, want }) => {
    // FAKE invoker: the local Lambda service's answer when the deadline passed.
    const invoker = { invoke: async () => ({ kind: 'deadline-exceeded' as const, durationMs: AUTHORIZER_TIMEOUT_MS, ...(queued ? { queued } : {}) }) };
    const authorizer = new LambdaAuthorizer({ config: tokenConfig(), functionLogicalId: 'AllowAll', invoker });

    const outcome = await authorizer.authorize(request(), api);

    expect(outcome).toMatchObject({ ok: false, responseType: 'AUTHORIZER_CONFIGURATION_ERROR', reason: expect.stringMatching(want) });
  });

  it('A22 R1.31 R7.15 stringifies context values and adds principalId and integrationLatency', async () => {
    const { authorizer } = setup('AllowAll', tokenConfig());
    const outcome = await authorizer.authorize(request(), api);
    expect(outcome).toMatchObject({ ok: true, principalId: 'user-1', usageIdentifierKey: 'usage-key-from-authorizer-0001' });
    const ctx = outcome.ok ? outcome.authorizer : undefined;
    expect(ctx).toEqual({ n: '1', b: 'true', s: 'x', nothing: null, principalId: 'user-1', integrationLatency: 3 });
  });
});

describe('Lambda authorizer caching (7.5)', () => {
  it('A23 R7.18 R7.19 TTL 300: the same token twice invokes the function once; another token invokes it again', async () => {
    const { invoker, authorizer } = setup('AllowAll', tokenConfig({ ttlSeconds: 300 }));
    await authorizer.authorize(request(), api);
    const second = await authorizer.authorize(request(), api);
    expect(invoker.calls).toHaveLength(1);
    expect(second).toMatchObject({ ok: true, authorizer: { integrationLatency: 0, n: '1' } });
    await authorizer.authorize(request({ headers: { Authorization: 'token-2' } }), api);
    expect(invoker.calls).toHaveLength(2);
  });

  it('R7.18 TTL 0 disables caching', async () => {
    const { invoker, authorizer } = setup('AllowAll', tokenConfig({ ttlSeconds: 0 }));
    await authorizer.authorize(request(), api);
    await authorizer.authorize(request(), api);
    expect(invoker.calls).toHaveLength(2);
  });

  it('R7.18 an entry expires after the TTL', async () => {
    const clock = { t: 1_000_000 };
    const { invoker, authorizer } = setup('AllowAll', tokenConfig({ ttlSeconds: 60 }), { clock });
    await authorizer.authorize(request(), api);
    clock.t += 59_000;
    await authorizer.authorize(request(), api);
    expect(invoker.calls).toHaveLength(1);
    clock.t += 2_000;
    await authorizer.authorize(request(), api);
    expect(invoker.calls).toHaveLength(2);
  });

  it('R7.19 REQUEST: the key is every identity-source value (changing one misses the cache)', async () => {
    const { invoker, authorizer } = setup('AllowAll', requestConfig('method.request.header.X-Tenant, method.request.querystring.q', { ttlSeconds: 300 }));
    const req = (tenant: string, q: string) => request({ headers: { 'X-Tenant': tenant }, queryStringParameters: { q } });
    await authorizer.authorize(req('t1', 'a'), api);
    await authorizer.authorize(req('t1', 'a'), api);
    await authorizer.authorize(req('t1', 'b'), api);
    await authorizer.authorize(req('t2', 'a'), api);
    expect(invoker.calls).toHaveLength(3);
  });

  it('R7.20 the cached policy is re-evaluated for a new method ARN: the first ARN only ⇒ 403 on another path', async () => {
    const { invoker, authorizer } = setup('AllowThisArn', tokenConfig({ ttlSeconds: 300 }));
    expect(await authorizer.authorize(request({ path: '/tasks/1' }), api)).toMatchObject({ ok: true });
    const other = await authorizer.authorize(request({ path: '/tasks/2' }), api);
    expect(other).toMatchObject({ ok: false, responseType: 'ACCESS_DENIED', defaultBody: '{"Message":"User is not authorized to access this resource"}' });
    expect(invoker.calls).toHaveLength(1);
  });

  it('R7.20 [AMBIGUOUS] a 401 from the function is not cached', async () => {
    const { invoker, authorizer } = setup('ThrowsUnauthorized', tokenConfig({ ttlSeconds: 300 }));
    await authorizer.authorize(request(), api);
    await authorizer.authorize(request(), api);
    expect(invoker.calls).toHaveLength(2);
  });
});
