/** HTTP API conformance: built-in CORS (H9, H0.2), stage/route throttling (H11.2, H11.3, H10.6) and its place before the authorizer (H0.4). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { httpHarness } from './harness.js';

const h = await httpHarness('AuthApi');
const preflight = (origin: string, path = '/dev/me') =>
  h.send({ method: 'OPTIONS', path, headers: [['Origin', origin], ['Access-Control-Request-Method', 'GET']] });

describe('H9 CORS answered by the gateway', () => {
  it('B16 / H9.3 [AMBIGUOUS] a preflight with no OPTIONS route is answered 204 with the configured headers, no function or authorizer runs', async () => {
    const before = h.invoker.calls.length;
    const got = await preflight('https://app.example.com');
    expect(got.status).toBe(204);
    expect(got.text).toBe('');
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(got.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(got.headers.get('access-control-allow-headers')).toBe('authorization,x-key');
    expect(got.headers.get('access-control-max-age')).toBe('600');
    expect(got.headers.get('access-control-allow-credentials')).toBe('true');
    expect(h.invoker.calls.length).toBe(before);
  });

  it('H9.1 an https://* origin allows any https origin, not http ones (H9.6: no CORS headers, still 2xx)', async () => {
    expect((await preflight('https://other.example')).headers.get('access-control-allow-origin')).toBe('https://other.example');
    const refused = await preflight('http://other.example');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();
  });

  it.each([
    { given: 'a method outside AllowMethods', method: 'DELETE', requested: undefined },
    { given: 'a header outside AllowHeaders', method: 'GET', requested: 'authorization, x-other' },
  ])('H9.6 [AMBIGUOUS] a preflight for $given is 204 with no CORS headers at all, as for a disallowed origin; nothing runs', async ({ method, requested }) => {
    const before = h.invoker.calls.length;
    const got = await h.send({ method: 'OPTIONS', path: '/dev/me', headers: [['Origin', 'https://app.example.com'], ['Access-Control-Request-Method', method], ...(requested ? [['Access-Control-Request-Headers', requested] as [string, string]] : [])] });
    expect(got.status).toBe(204);
    expect(got.wire.filter(([n]) => n.toLowerCase().startsWith('access-control-'))).toEqual([]);
    expect(h.invoker.calls.length).toBe(before);
  });

  it('H9.1 neighbour: requested headers in AllowHeaders, in any case, get the configured headers', async () => {
    const got = await h.send({ method: 'OPTIONS', path: '/dev/me', headers: [['Origin', 'https://app.example.com'], ['Access-Control-Request-Method', 'POST'], ['Access-Control-Request-Headers', 'Authorization,X-Key']] });
    expect([got.status, got.headers.get('access-control-allow-origin'), got.headers.get('access-control-allow-methods')]).toEqual([204, 'https://app.example.com', 'GET,POST']);
  });

  it('H9.2 an OPTIONS without Access-Control-Request-Method is no preflight: it is routed (404 here)', async () => {
    const got = await h.send({ method: 'OPTIONS', path: '/dev/me', headers: [['Origin', 'https://app.example.com']] });
    expect(got.status).toBe(404);
  });

  it('H0.2 [AMBIGUOUS] a route matching the OPTIONS (ANY /open) takes the preflight instead of the gateway', async () => {
    const got = await preflight('https://app.example.com', '/dev/open');
    expect(got.status).toBe(200);
    expect(h.invoker.calls.at(-1)?.functionLogicalId).toBe('EchoFunction');
  });

  it('H0.2 / H9.4 [AMBIGUOUS] that preflight answer carries the configured preflight headers (the backend`s are dropped), so a browser can follow it', async () => {
    const got = await preflight('https://app.example.com', '/dev/open');
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(got.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(got.headers.get('access-control-allow-headers')).toBe('authorization,x-key');
    expect(got.headers.get('access-control-max-age')).toBe('600');
  });

  it('H9.4 an actual request through the same route gets no preflight headers', async () => {
    const got = await h.send({ path: '/dev/open', headers: [['Origin', 'https://app.example.com']] });
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(got.headers.get('access-control-allow-methods')).toBeNull();
    expect(got.headers.get('access-control-max-age')).toBeNull();
  });

  it('B17 / H9.4 on an actual request the configured headers replace the backend\'s', async () => {
    const got = await h.send({ path: '/dev/cors-shape', headers: [['Origin', 'https://app.example.com'], ['x-shape', 'backend-cors']] });
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(got.headers.get('access-control-expose-headers')).toBe('x-kept');
    expect(got.headers.get('access-control-allow-credentials')).toBe('true');
    expect(got.headers.get('x-kept')).toBe('yes');
  });

  it('H9.2 / H9.4 without an Origin no CORS header is sent, and the backend\'s are still dropped', async () => {
    const got = await h.send({ path: '/dev/cors-shape', headers: [['x-shape', 'backend-cors']] });
    expect(got.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('H9.6 [AMBIGUOUS] gateway errors (401) carry the CORS headers for an allowed origin', async () => {
    const got = await h.send({ path: '/dev/me', headers: [['Origin', 'https://app.example.com']] });
    expect(got.status).toBe(401);
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('H9.5 [AMBIGUOUS] with "*" configured the header is "*"', async () => {
    const cfn = await httpHarness('PlainApi', (await import('./harness.js')).CFN_TEMPLATE);
    const got = await cfn.send({ method: 'OPTIONS', path: '/items', headers: [['Origin', 'https://x.example'], ['Access-Control-Request-Method', 'POST']] });
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('H11.2 route throttling', () => {
  it('H11.2 / H10.6 burst 2, rate 1/s: the third request at once is 429, one second later one more passes', async () => {
    const t = await httpHarness('AuthApi');
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await t.send({ path: '/dev/throttled' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const throttled = await t.send({ path: '/dev/throttled' });
    expect(throttled.json()).toEqual({ message: 'Too Many Requests' });
    t.clock.nowMs += 1_000;
    expect((await t.send({ path: '/dev/throttled' })).status).toBe(200);
    expect((await t.send({ path: '/dev/throttled' })).status).toBe(429);
  });

  it('H11.2 other routes are not limited by that route\'s settings', async () => {
    const t = await httpHarness('AuthApi');
    for (let i = 0; i < 4; i += 1) expect((await t.send({ path: '/dev/open' })).status).toBe(200);
  });
});

/** Throttled routes behind a JWT and a Lambda authorizer, a stage whose default settings refuse everything, a route that overrides them. */
const dir = mkdtempSync(join(tmpdir(), 'http-throttle-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const THROTTLED = join(dir, 'template.yaml');
const burst = (n: number) => `RouteSettings: { ThrottlingBurstLimit: ${n}, ThrottlingRateLimit: 1 }`;
writeFileSync(
  THROTTLED,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    `  Function: { Runtime: nodejs22.x, CodeUri: ${resolve('tests/emulator/fixtures/http-api/functions')} }`,
    'Resources:',
    '  UserPool: { Type: AWS::Cognito::UserPool }',
    '  UserPoolClient: { Type: AWS::Cognito::UserPoolClient, Properties: { UserPoolId: !Ref UserPool } }',
    '  SimpleAuthorizerFunction: { Type: AWS::Serverless::Function, Properties: { Handler: authorizer.simple } }',
    '  EchoFunction:',
    '    Type: AWS::Serverless::Function',
    '    Properties:',
    '      Handler: echo.handler',
    '      Events:',
    `        Jwt: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /jwt, Method: GET, Auth: { Authorizer: Jwt }, ${burst(2)} } }`,
    `        Lambda: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /lambda, Method: GET, Auth: { Authorizer: Simple }, ${burst(2)} } }`,
    '        Closed: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /closed, Method: GET } }',
    `        Own: { Type: HttpApi, Properties: { ApiId: !Ref Api, Path: /own, Method: GET, ${burst(1)} } }`,
    '  Api:',
    '    Type: AWS::Serverless::HttpApi',
    '    Properties:',
    '      DefaultRouteSettings: { ThrottlingBurstLimit: 0, ThrottlingRateLimit: 0 }',
    '      Auth:',
    '        Authorizers:',
    '          Jwt:',
    '            IdentitySource: $request.header.Authorization',
    '            JwtConfiguration: { issuer: !Sub "https://cognito-idp.${AWS::Region}.amazonaws.com/${UserPool}", audience: [!Ref UserPoolClient] }',
    '          Simple:',
    '            FunctionArn: !GetAtt SimpleAuthorizerFunction.Arn',
    "            AuthorizerPayloadFormatVersion: '2.0'",
    '            EnableSimpleResponses: true',
    '            EnableFunctionDefaultPermissions: true',
    '            Identity: { Headers: [x-key] }',
  ].join('\n'),
);

describe('H0.4 [AMBIGUOUS] throttling runs after routing and before the authorizer', () => {
  it.each([
    { authorizer: 'JWT (no token)', path: '/jwt', headers: [] as [string, string][], refused: 401, invoked: [] },
    { authorizer: 'Lambda (a denied identity)', path: '/lambda', headers: [['x-key', 'nope']] as [string, string][], refused: 403, invoked: ['SimpleAuthorizerFunction', 'SimpleAuthorizerFunction'] },
  ])('H0.4 $authorizer, burst 2: refused requests take tokens too; the third is 429 and never reaches the authorizer', async ({ path, headers, refused, invoked }) => {
    // Prepare
    const t = await httpHarness('Api', THROTTLED);

    // Act
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await t.send({ path, headers })).status);

    // Assess
    expect(statuses).toEqual([refused, refused, 429]);
    expect(t.invoker.calls.map((c) => c.functionLogicalId)).toEqual(invoked);
  });

  it.each([
    { authorizer: 'JWT', path: '/jwt', allowed: (t: Awaited<ReturnType<typeof httpHarness>>): [string, string][] => [['Authorization', t.token({})]] },
    { authorizer: 'Lambda', path: '/lambda', allowed: (): [string, string][] => [['x-key', 'allow-1']] },
  ])('H0.4 $authorizer: a valid credential is throttled as well once the bucket is empty, and passes a second later', async ({ path, allowed }) => {
    // Prepare
    const t = await httpHarness('Api', THROTTLED);
    for (let i = 0; i < 2; i += 1) await t.send({ path });
    const headers = allowed(t);

    // Act
    const throttled = await t.send({ path, headers });
    t.clock.nowMs += 1_000;
    const later = await t.send({ path, headers });

    // Assess
    expect([throttled.status, later.status]).toEqual([429, 200]);
    expect(t.invoker.calls.filter((c) => c.functionLogicalId === 'EchoFunction')).toHaveLength(1);
  });

  it('H0.4 neighbour: an unknown route is 404 however empty the buckets (throttling is after routing)', async () => {
    // Prepare
    const t = await httpHarness('Api', THROTTLED);

    // Act
    const got = await t.send({ path: '/nowhere' });

    // Assess
    expect(got.status).toBe(404);
  });
});

describe('H11.3 a throttled request is H10.6\'s 429', () => {
  it.each([
    { given: 'a route over its RouteSettings burst', api: 'AuthApi', template: undefined, path: '/dev/throttled', admitted: 2 },
    { given: 'a route under DefaultRouteSettings burst 0, rate 0', api: 'Api', template: THROTTLED, path: '/closed', admitted: 0 },
    { given: 'a route whose own RouteSettings override that default', api: 'Api', template: THROTTLED, path: '/own', admitted: 1 },
  ])('H11.3 $given: 429 {"message":"Too Many Requests"} as JSON with apigw-requestid, the function not invoked', async ({ api, template, path, admitted }) => {
    // Prepare
    const t = await httpHarness(api, template);
    const before = [];
    for (let i = 0; i < admitted; i += 1) before.push((await t.send({ path })).status);
    const invoked = t.invoker.calls.length;

    // Act
    const got = await t.send({ path });

    // Assess
    expect(before).toEqual(Array(admitted).fill(200));
    expect(got.status).toBe(429);
    expect(got.json()).toEqual({ message: 'Too Many Requests' });
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(got.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{15}=$/);
    expect(t.invoker.calls.length).toBe(invoked);
  });
});
