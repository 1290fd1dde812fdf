/** HTTP API conformance: JWT authorizers against the template's Cognito user pool (H7, H4.17). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { echoedV2, httpHarness } from './harness.js';

const h = await httpHarness('AuthApi');
const me = (authorization?: string) => h.send({ path: '/dev/me', headers: authorization === undefined ? [] : [['Authorization', authorization]] });

function expectRejected(got: Awaited<ReturnType<typeof me>>, description?: string): void {
  expect(got.status).toBe(401);
  expect(got.json()).toEqual({ message: 'Unauthorized' });
  // Without a token the challenge is the bare scheme (a live answer); else it names why.
  expect(got.headers.get('www-authenticate')).toBe(description === undefined ? 'Bearer' : `Bearer scope="" error="invalid_token" error_description="${description}"`);
  // AWS's captured JWT 401 has no Content-Type (DG http-api-troubleshooting-jwt).
  expect(got.headers.get('content-type')).toBeNull();
}

/** A token with one claim changed: header and signature kept, so only the claim check can fail. */
function tampered(token: string, change: Record<string, unknown>): string {
  const [header, payload, signature] = token.split('.');
  const claims = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), ...change };
  return `${header}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${signature}`;
}

describe('H7.1-H7.4 token checks', () => {
  it('H7.1 / H7.5 an ID token (aud = app client) passes, bare or as "Bearer <token>"', async () => {
    for (const form of [h.token({}), `Bearer ${h.token({})}`]) expect((await me(form)).status).toBe(200);
  });

  it('B13 / H7.4 / H7.5 an access token passes on client_id when it has no aud', async () => {
    const event = echoedV2(await me(h.token({ tokenUse: 'access' })));
    const jwt = (event.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, unknown>; scopes: unknown } } }).authorizer.jwt;
    expect(jwt.claims.client_id).toBe(h.template.httpApis.find((a) => a.logicalId === 'AuthApi')?.authorizers.Jwt?.audience[0]);
    expect(jwt.scopes).toBeNull();
  });

  it('H4.17 claims reach the event as strings; lists as "[a b]"', async () => {
    const event = echoedV2(await me(h.token({ groups: ['admin', 'users'] })));
    const claims = (event.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, unknown> } } }).authorizer.jwt.claims;
    expect(claims['cognito:groups']).toBe('[admin users]');
    expect(claims.exp).toBe(String(Math.floor(h.clock.nowMs / 1000) + 3600));
    expect(claims.sub).toBe('user-1');
  });

  it('H7.1 no token → 401, the function is not invoked (H0.3)', async () => {
    const before = h.invoker.calls.length;
    expectRejected(await me());
    expectRejected(await me(''));
    expect(h.invoker.calls.length).toBe(before);
  });

  it('B12 / H7.6 a pool-signed token for another audience → 401 "the token does not have a valid audience"', async () => {
    expectRejected(await me(h.token({ clientId: 'someone-else' })), 'the token does not have a valid audience');
  });

  it('H7.2 a claim changed after signing → 401 (signature)', async () => {
    expectRejected(await me(tampered(h.token({}), { sub: 'admin' })), 'the token signature is invalid');
  });

  it('H7.2 a token whose kid is not in the JWKS → 401', async () => {
    const token = h.token({});
    const header = Buffer.from(JSON.stringify({ kid: 'unknown', alg: 'RS256' })).toString('base64url');
    expectRejected(await me(`${header}.${token.split('.').slice(1).join('.')}`), 'the token kid is not in the issuer JWKS');
  });

  it('H7.2 [AMBIGUOUS] a non-RSA algorithm (HS256, none) → 401', async () => {
    const token = h.token({});
    for (const alg of ['HS256', 'none']) {
      const header = Buffer.from(JSON.stringify({ kid: 'x', alg })).toString('base64url');
      expectRejected(await me(`${header}.${token.split('.')[1]}.`), `the token's algorithm ${alg} is not supported`);
    }
  });

  it('H7.4 / H7.8 [AMBIGUOUS] an expired token → 401 with the H7.6 body', async () => {
    const token = h.token({ ttlSeconds: 60 });
    h.clock.nowMs += 60_000;
    try {
      expectRejected(await me(token), 'the token has expired');
    } finally {
      h.clock.nowMs -= 60_000;
    }
  });

  it('H7.4 a token one second before exp passes (neighbour of the expiry case)', async () => {
    const token = h.token({ ttlSeconds: 60 });
    h.clock.nowMs += 59_000;
    try {
      expect((await me(token)).status).toBe(200);
    } finally {
      h.clock.nowMs -= 59_000;
    }
  });

  it('H7.4 a token issued in the future (iat after now) → 401', async () => {
    const token = h.token({ issuedAt: Math.floor(h.clock.nowMs / 1000) + 120 });
    expectRejected(await me(token), 'the token is issued in the future (iat)');
  });

  it('H7.4 a bearer value that is not three dot-separated parts → 401 naming its segments (as a live answer does)', async () => {
    expectRejected(await me('Bearer not-a-token'), 'token contains an invalid number of segments');
  });

  it('H7.4 three parts that do not decode → 401', async () => {
    expectRejected(await me('a.b.c'), 'the token is not a valid JWT');
  });
});

describe('H7.4 / H7.7 route scopes', () => {
  const scoped = (token: string) => h.send({ path: '/dev/scoped', headers: [['Authorization', token]] });

  it('H7.7 [AMBIGUOUS] a valid token without the route scope → 403 Forbidden', async () => {
    const got = await scoped(h.token({ tokenUse: 'access', scope: 'openid profile' }));
    expect(got.status).toBe(403);
    expect(got.json()).toEqual({ message: 'Forbidden' });
  });

  it('H7.4 / H4.17 a token with the scope passes; scopes lists the token\'s scopes', async () => {
    const event = echoedV2(await scoped(h.token({ tokenUse: 'access', scope: 'openid tasks/read' })));
    expect((event.requestContext as unknown as { authorizer: { jwt: { scopes: string[] } } }).authorizer.jwt.scopes).toEqual(['openid', 'tasks/read']);
  });

  it('H7.5 an ID token (no scope claim) on a scoped route → 403', async () => {
    expect((await scoped(h.token({}))).status).toBe(403);
  });
});

describe('H1.10 default authorizer and NONE', () => {
  it('H1.10 Auth.Authorizer NONE leaves a route open under a DefaultAuthorizer', async () => {
    const event = echoedV2(await h.send({ path: '/dev/open' }));
    expect(event.requestContext).not.toHaveProperty('authorizer');
  });

  it('H5.2 payload 1.0 carries the JWT as requestContext.authorizer {claims, scopes}', async () => {
    const got = await h.send({ path: '/dev/me-v1', headers: [['Authorization', h.token({})]] });
    const authorizer = (JSON.parse(got.text) as { requestContext: { authorizer: { claims: Record<string, string>; scopes: unknown } } }).requestContext.authorizer;
    expect(authorizer.claims.sub).toBe('user-1');
    expect(authorizer.scopes).toBeNull();
  });
});

/**
 * A document JWT authorizer that also names a result TTL (a Lambda authorizer setting), on a route whose integration
 * maps claims into headers with `$context.authorizer.claims.<name>` (H11.6's `$context` variables), and an open route.
 */
const dir = mkdtempSync(join(tmpdir(), 'http-jwt-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const DOCUMENT = join(dir, 'template.yaml');
const integration = [
  '              x-amazon-apigateway-integration:',
  '                type: aws_proxy',
  "                payloadFormatVersion: '2.0'",
  "                credentials: 'arn:aws:iam::123456789012:role/invoke'",
  "                uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations'",
  '                requestParameters:',
  "                  'overwrite:header.x-sub': $context.authorizer.claims.sub",
  "                  'overwrite:header.x-groups': $context.authorizer.claims.cognito:groups",
  "                  'overwrite:header.x-claims': $context.authorizer.claims",
];
writeFileSync(
  DOCUMENT,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    '  UserPool: { Type: AWS::Cognito::UserPool }',
    '  UserPoolClient: { Type: AWS::Cognito::UserPoolClient, Properties: { UserPoolId: !Ref UserPool } }',
    `  Echo: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, CodeUri: ${resolve('tests/emulator/fixtures/http-api/functions')}, Handler: echo.handler } }`,
    '  Api:',
    '    Type: AWS::Serverless::HttpApi',
    '    Properties:',
    '      DefinitionBody:',
    '        openapi: 3.0.1',
    '        info: { title: jwt, version: "1" }',
    '        components:',
    '          securitySchemes:',
    '            Jwt:',
    '              type: oauth2',
    '              x-amazon-apigateway-authorizer:',
    '                type: jwt',
    '                identitySource: $request.header.Authorization',
    '                jwtConfiguration: { issuer: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}", audience: [!Ref UserPoolClient] }',
    '                authorizerResultTtlInSeconds: 300',
    '        paths:',
    '          /claims:',
    '            get:',
    '              security: [{ Jwt: [] }]',
    ...integration,
    '          /anonymous:',
    '            get:',
    ...integration,
  ].join('\n'),
);
const doc = await httpHarness('Api', DOCUMENT);

describe('H7.9 accepted claims reach the integration and $context.authorizer.claims.<name>', () => {
  it('H7.9 / H4.17 payload 2.0: requestContext.authorizer.jwt.claims', async () => {
    // Act
    const event = echoedV2(await me(h.token({ sub: 'user-7', groups: ['admin'] })));

    // Assess
    const claims = (event.requestContext as unknown as { authorizer: { jwt: { claims: Record<string, unknown> } } }).authorizer.jwt.claims;
    expect(claims).toMatchObject({ sub: 'user-7', 'cognito:groups': '[admin]', token_use: 'id' });
  });

  it('H7.9 / H5.2 payload 1.0: requestContext.authorizer.claims', async () => {
    // Act
    const got = await h.send({ path: '/dev/me-v1', headers: [['Authorization', h.token({ sub: 'user-7' })]] });

    // Assess
    const authorizer = (JSON.parse(got.text) as { requestContext: { authorizer: { claims: Record<string, string> } } }).requestContext.authorizer;
    expect(authorizer.claims.sub).toBe('user-7');
  });

  it.each([
    { given: '$context.authorizer.claims.sub', header: 'x-sub', want: 'user-7' },
    { given: '$context.authorizer.claims.cognito:groups (a list claim, as the event has it)', header: 'x-groups', want: '[admin users]' },
    { given: '$context.authorizer.claims alone (null: nothing is mapped)', header: 'x-claims', want: undefined },
  ])('H7.9 a mapping of $given', async ({ header, want }) => {
    // Act
    const event = echoedV2(await doc.send({ path: '/claims', headers: [['Authorization', doc.token({ sub: 'user-7', groups: ['admin', 'users'] })]] }));

    // Assess
    expect(event.headers[header]).toBe(want);
  });

  it('H7.9 neighbour: on a route without an authorizer the claim variables are empty', async () => {
    // Act
    const event = echoedV2(await doc.send({ path: '/anonymous' }));

    // Assess
    expect([event.headers['x-sub'], event.headers['x-groups'], event.headers['x-claims']]).toEqual([undefined, undefined, undefined]);
  });

  it('H7.9 neighbour: a rejected token invokes nothing, so no claim reaches anything', async () => {
    // Prepare
    const before = doc.invoker.calls.length;

    // Act
    const got = await doc.send({ path: '/claims', headers: [['Authorization', doc.token({ clientId: 'someone-else' })]] });

    // Assess
    expect(got.status).toBe(401);
    expect(doc.invoker.calls.length).toBe(before);
  });
});

describe('H7.10 a JWT authorizer caches no result: every request is checked on its own', () => {
  it.each([
    { given: "SAM's JWT authorizer", gateway: () => h, path: '/dev/me' },
    { given: 'a document JWT authorizer naming authorizerResultTtlInSeconds: 300', gateway: () => doc, path: '/claims' },
  ])('H7.10 $given: a token accepted once is refused when it expires, within what a cache would have kept', async ({ gateway, path }) => {
    // Prepare
    const t = gateway();
    const token = t.token({ ttlSeconds: 60 });
    const send = () => t.send({ path, headers: [['Authorization', token]] });
    const accepted = await send();
    t.clock.nowMs += 60_000;

    // Act
    const later = await send();
    t.clock.nowMs -= 60_000;

    // Assess
    expect(accepted.status).toBe(200);
    expectRejected(later, 'the token has expired');
  });

  it('H7.10 neighbour: the authorizer spec read from the document has no TTL (0), a Lambda authorizer keeps its own', () => {
    // Assess
    expect(doc.api.authorizers.Jwt).toMatchObject({ type: 'jwt', ttlSeconds: 0 });
    expect(h.api.authorizers.Simple).toMatchObject({ type: 'request', ttlSeconds: 300 });
  });
});
