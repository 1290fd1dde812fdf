import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { CognitoPools } from '../../../emulator/identity/cognito.js';
import { CognitoAuthorizer } from '../../../emulator/identity/cognito-authorizer.js';
import { javaUtcDate, renderClaims } from '../../../emulator/identity/claims.js';
import { parseIdentitySources, type AuthorizerConfig } from '../../../emulator/identity/security.js';
import { compileFullMatch } from '../../../emulator/identity/patterns.js';
import { userPoolClientIdFor, userPoolIdFor } from '../../../emulator/identity/local-ids.js';
import { ACCOUNT, REGION, TEMPLATE_PATH, identityResources, tempLocalState } from './support/fixtures.js';

const template = {
  region: REGION,
  accountId: ACCOUNT,
  path: TEMPLATE_PATH,
  identity: identityResources({
    userPools: [{ logicalId: 'UserPool', properties: {} }, { logicalId: 'OtherPool', properties: {} }],
    userPoolClients: [
      { logicalId: 'WebClient', properties: { UserPoolId: userPoolIdFor(REGION, 'UserPool') } },
      { logicalId: 'OtherClient', properties: { UserPoolId: { Ref: 'OtherPool' } } },
    ],
  }),
};

function config(overrides: Partial<AuthorizerConfig> = {}): AuthorizerConfig {
  return {
    schemeName: 'CognitoAuth',
    type: 'cognito_user_pools',
    headerName: 'Authorization',
    identitySources: parseIdentitySources('method.request.header.Authorization'),
    ttlSeconds: 300,
    providerARNs: [`arn:aws:cognito-idp:${REGION}:${ACCOUNT}:userpool/${userPoolIdFor(REGION, 'UserPool')}`],
    ...overrides,
  };
}

describe('Cognito user pools (7.6)', () => {
  const local = tempLocalState();
  let pools: CognitoPools;
  let other: CognitoPools;
  const now = Math.floor(Date.now() / 1000);

  beforeAll(() => {
    pools = CognitoPools.fromTemplate(template, local.state);
    other = CognitoPools.fromTemplate({ ...template }, tempLocalState().state); // same pool ids, different keys
  });
  afterAll(() => local.cleanup());

  it('gives each pool a stable <region>_<9 alnum> id, issuer and a kid-bearing RS256 JWKS', () => {
    const pool = pools.pool('UserPool');
    expect(pool.id).toMatch(/^eu-west-1_[a-f0-9]{9}$/);
    expect(pool.issuer).toBe(`https://cognito-idp.${REGION}.amazonaws.com/${pool.id}`);
    expect(pool.clients).toEqual([{ logicalId: 'WebClient', id: userPoolClientIdFor('WebClient', ACCOUNT) }]);
    const jwks = pools.jwks(pool);
    expect(jwks.keys).toHaveLength(1);
    expect(jwks.keys[0]).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(Buffer.from(jwks.keys[0]!.n, 'base64url')).toHaveLength(256);
  });

  it('a pool with no app client: the refusal says how to mint one anyway (--client <id>), and a given client id is used', () => {
    const lone = CognitoPools.fromTemplate({ ...template, identity: identityResources({ userPools: [{ logicalId: 'Lone', properties: {} }] }) }, local.state);

    expect(() => lone.issueToken({ pool: 'Lone', sub: 'alice', tokenUse: 'id' })).toThrow(/has no AWS::Cognito::UserPoolClient to issue tokens for: name the app client id an authorizer expects with --client <id>/);
    const payload = JSON.parse(Buffer.from(lone.issueToken({ pool: 'Lone', sub: 'alice', clientId: 'abc123', tokenUse: 'id' }).split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    expect(payload.aud).toBe('abc123');
  });

  it('reuses the signing key kept in the local folder after a restart', () => {
    const before = pools.jwks(pools.pool('UserPool')).keys[0];
    const restarted = CognitoPools.fromTemplate(template, local.state);
    expect(restarted.jwks(restarted.pool('UserPool')).keys[0]).toEqual(before);
  });

  it('puts Cognito ID-token claims in ID tokens and access-token claims in access tokens', () => {
    const decode = (t: string) => JSON.parse(Buffer.from(t.split('.')[1]!, 'base64url').toString()) as Record<string, unknown>;
    const id = decode(pools.issueToken({ pool: 'UserPool', sub: 'u1', email: 'a@b.c', groups: ['admin'], tokenUse: 'id', issuedAt: now }));
    expect(id).toMatchObject({ sub: 'u1', aud: userPoolClientIdFor('WebClient', ACCOUNT), token_use: 'id', email: 'a@b.c', email_verified: true, 'cognito:username': 'u1', 'cognito:groups': ['admin'], iat: now, exp: now + 3600, auth_time: now });
    const access = decode(pools.issueToken({ pool: 'UserPool', sub: 'u1', scope: 'tasks/read', tokenUse: 'access', issuedAt: now }));
    expect(access).toMatchObject({ client_id: userPoolClientIdFor('WebClient', ACCOUNT), token_use: 'access', scope: 'tasks/read', username: 'u1' });
    expect(access).not.toHaveProperty('aud');
  });

  type Case = { name: string; token: () => string; scopes: string[]; cfg?: Partial<AuthorizerConfig>; header?: string; want: 'ok' | 401 };
  const cases: Case[] = [
    { name: 'R7.22 accepts a valid ID token when the scope list is empty', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' }), scopes: [], want: 'ok' },
    { name: 'R7.21 accepts "Bearer <token>" as well', token: () => `Bearer ${pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' })}`, scopes: [], want: 'ok' },
    { name: 'R7.21 rejects a missing token', token: () => '', scopes: [], want: 401 },
    { name: 'R7.21 rejects a tampered signature', token: () => tamper(pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' })), scopes: [], want: 401 },
    { name: 'R7.21 rejects a tampered payload', token: () => swapPayload(pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' })), scopes: [], want: 401 },
    { name: 'R7.21 rejects an expired token', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id', issuedAt: now - 7200, ttlSeconds: 60 }), scopes: [], want: 401 },
    { name: 'R7.21 rejects a token of another pool (wrong issuer)', token: () => pools.issueToken({ pool: 'OtherPool', sub: 'u', tokenUse: 'id' }), scopes: [], want: 401 },
    { name: 'R7.21 rejects a token signed by another key', token: () => other.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' }), scopes: [], want: 401 },
    { name: 'R7.21 rejects a token for a client the pool does not have', token: () => pools.issueToken({ pool: 'UserPool', clientId: 'notaclientofthispool00000', sub: 'u', tokenUse: 'id' }), scopes: [], want: 401 },
    { name: 'R7.22 rejects an access token where an ID token is expected', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'access' }), scopes: [], want: 401 },
    { name: 'R7.22 rejects an ID token where an access token is expected', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' }), scopes: ['tasks/read'], want: 401 },
    { name: 'R7.22 accepts an access token with any one of the scopes', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'access', scope: 'openid tasks/write' }), scopes: ['tasks/read', 'tasks/write'], want: 'ok' },
    { name: 'R7.22 rejects an access token with none of the scopes', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'access', scope: 'openid tasks/admin' }), scopes: ['tasks/read', 'tasks/write'], want: 401 },
    { name: 'R7.23 accepts an ID token whose aud matches identityValidationExpression', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' }), scopes: [], cfg: { identityValidationPattern: compileFullMatch(userPoolClientIdFor('WebClient', ACCOUNT), 'f', 'k') }, want: 'ok' },
    { name: 'R7.23 rejects an ID token whose aud does not fully match identityValidationExpression', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' }), scopes: [], cfg: { identityValidationPattern: compileFullMatch(userPoolClientIdFor('WebClient', ACCOUNT).slice(0, 5), 'f', 'k') }, want: 401 },
    { name: 'R7.23 rejects access tokens (no aud) when identityValidationExpression is set', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'access', scope: 'tasks/read' }), scopes: ['tasks/read'], cfg: { identityValidationPattern: compileFullMatch('.*', 'f', 'k') }, want: 401 },
    { name: 'R7.3 reads the token from the header the scheme names', token: () => pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' }), scopes: [], header: 'X-Id-Token', cfg: { headerName: 'X-Id-Token', identitySources: parseIdentitySources('method.request.header.X-Id-Token') }, want: 'ok' },
  ];

  it.each(cases)('$name', async ({ token, scopes, cfg, header, want }) => {
    const authorizer = new CognitoAuthorizer(pools, config(cfg));
    const value = token();
    const outcome = await authorizer.authorize(value ? { [header ?? 'authorization']: value } : {}, scopes);
    if (want === 'ok') {
      expect(outcome).toMatchObject({ ok: true, principalId: 'u' });
    } else {
      expect(outcome).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED', message: 'Unauthorized', defaultBody: '{"message":"Unauthorized"}' });
    }
  });

  it('R7.24 R1.32 exposes the claims as strings: booleans "true", dates for exp/iat, groups comma-joined', async () => {
    const authorizer = new CognitoAuthorizer(pools, config());
    const token = pools.issueToken({ pool: 'UserPool', sub: 'u9', email: 'e@x.io', groups: ['admin', 'users'], tokenUse: 'id', issuedAt: 1469814773, ttlSeconds: 10 ** 10 });
    const outcome = await authorizer.authorize({ Authorization: token }, []);
    expect(outcome.ok).toBe(true);
    const claims = (outcome.ok ? outcome.authorizer?.claims : undefined) as Record<string, string>;
    expect(claims).toMatchObject({ sub: 'u9', email: 'e@x.io', email_verified: 'true', 'cognito:groups': 'admin,users', auth_time: '1469814773', iat: 'Fri Jul 29 17:52:53 UTC 2016', token_use: 'id' });
    expect(Object.values(claims).every((v) => typeof v === 'string')).toBe(true);
  });

  describe('R7.21 a token accepted once is checked again for its time', () => {
    afterEach(() => vi.useRealTimers());

    it.each([
      { given: 'at its exp (aws-jwt-verify refuses only after it)', offset: 60, want: 'ok' },
      { given: 'one second past its exp', offset: 61, want: 401 },
      { given: 'an hour past its exp', offset: 3660, want: 401 },
    ] as const)('$given: $want', async ({ offset, want }) => {
      // Prepare: one authorizer accepts the token at its issue (it remembers it)
      const issuedAt = 1_900_000_000;
      vi.useFakeTimers({ toFake: ['Date'] });
      vi.setSystemTime(issuedAt * 1000);
      const authorizer = new CognitoAuthorizer(pools, config());
      const token = pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id', issuedAt, ttlSeconds: 60 });
      expect((await authorizer.authorize({ authorization: token }, [])).ok).toBe(true);

      // Act: the same token, later
      vi.setSystemTime((issuedAt + offset) * 1000);
      const later = await authorizer.authorize({ authorization: token }, []);

      // Assess
      if (want === 'ok') expect(later).toMatchObject({ ok: true, principalId: 'u' });
      else expect(later).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED', message: 'Unauthorized' });
    });

    it('a refused token is not remembered: after an expired one, a fresh token of the same user is accepted and the expired one still refused', async () => {
      const authorizer = new CognitoAuthorizer(pools, config());
      const expired = pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id', issuedAt: now - 7200, ttlSeconds: 60 });
      const fresh = pools.issueToken({ pool: 'UserPool', sub: 'u', tokenUse: 'id' });

      const outcomes = [await authorizer.authorize({ authorization: expired }, []), await authorizer.authorize({ authorization: fresh }, []), await authorizer.authorize({ authorization: expired }, [])];

      expect(outcomes.map((o) => o.ok)).toEqual([false, true, false]);
    });
  });

  it.each([
    { given: 1469818373, want: 'Fri Jul 29 18:52:53 UTC 2016' },
    { given: 0, want: 'Thu Jan 01 00:00:00 UTC 1970' },
  ])('R1.32 renders epoch $given as Java Date text $want', ({ given, want }) => {
    expect(javaUtcDate(given)).toBe(want);
    expect(renderClaims({ exp: given, n: 5, b: false })).toEqual({ exp: want, n: '5', b: 'false' });
  });

  it('refuses an authorizer whose providerARNs name no pool of the template', () => {
    expect(() => new CognitoAuthorizer(pools, config({ providerARNs: ['arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_nothere00'] }))).toThrow(/names no AWS::Cognito::UserPool/);
  });
});

function tamper(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const sig = Buffer.from(s, 'base64url');
  sig[10] = (sig[10]! ^ 0xff) & 0xff;
  return `${h}.${p}.${sig.toString('base64url')}`;
}

function swapPayload(token: string): string {
  const [h, p, s] = token.split('.') as [string, string, string];
  const claims = JSON.parse(Buffer.from(p, 'base64url').toString()) as Record<string, unknown>;
  claims.sub = 'someone-else';
  return `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
}
