/** HTTP API conformance: Lambda authorizers, simple and IAM-policy responses, identity sources, caching (H8). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { echoedV2, httpHarness } from './harness.js';

type Seen = { version: string; type: string; identitySource: unknown; routeArn?: string; methodArn?: string; hasBody: boolean };
const authorizerCalls = (h: Awaited<ReturnType<typeof httpHarness>>, fn: string) => h.invoker.calls.filter((c) => c.functionLogicalId === fn);
const lambdaContext = (event: ReturnType<typeof echoedV2>) => (event.requestContext as unknown as { authorizer: { lambda: Record<string, unknown> } }).authorizer.lambda;

describe('H8.5 simple responses (payload 2.0, enableSimpleResponses)', () => {
  it('H8.2 / H8.5 / H4.18 isAuthorized true: the 2.0 event has routeArn and the identity list, no body; context keeps its JSON types', async () => {
    const h = await httpHarness('AuthApi');
    const event = echoedV2(await h.send({ path: '/dev/simple/5', headers: [['X-Key', 'allow-1']] }));
    const context = lambdaContext(event);
    expect(context).toMatchObject({ who: 'allow-1', n: 1, ok: true, list: ['a'] });
    expect(context.seen).toEqual({ version: '2.0', type: 'REQUEST', identitySource: ['allow-1'], routeArn: `arn:aws:execute-api:us-east-1:123456789012:${h.api.apiId}/dev/GET/simple/5`, hasBody: false } satisfies Omit<Seen, 'methodArn'>);
  });

  it.each([
    { given: 'a double-encoded space', path: '/dev/simple/a%2520b', want: '/dev/GET/simple/a b', rawPath: '/dev/simple/a b' },
    { given: 'an encoded letter', path: '/dev/simple/%35', want: '/dev/GET/simple/5', rawPath: '/dev/simple/5' },
  ])('H8.2 / H4.3 the routeArn has the path as the event`s rawPath has it ($given)', async ({ path, want, rawPath }) => {
    const h = await httpHarness('AuthApi');
    const event = echoedV2(await h.send({ path, headers: [['X-Key', 'allow-1']] }));
    expect((lambdaContext(event).seen as Seen).routeArn).toBe(`arn:aws:execute-api:us-east-1:123456789012:${h.api.apiId}${want}`);
    expect(event.rawPath).toBe(rawPath);
  });

  it('H8.6 [AMBIGUOUS] isAuthorized false → 403 Forbidden, the integration is not invoked (H0.3)', async () => {
    const h = await httpHarness('AuthApi');
    const got = await h.send({ path: '/dev/simple/5', headers: [['X-Key', 'nope']] });
    expect(got.status).toBe(403);
    expect(got.json()).toEqual({ message: 'Forbidden' });
    expect(h.invoker.calls.map((c) => c.functionLogicalId)).toEqual(['SimpleAuthorizerFunction']);
  });

  it('B14 / H8.4 a missing identity source → 401 Unauthorized without invoking the authorizer', async () => {
    const h = await httpHarness('AuthApi');
    const got = await h.send({ path: '/dev/simple/5' });
    expect(got.status).toBe(401);
    expect(got.json()).toEqual({ message: 'Unauthorized' });
    expect(h.invoker.calls).toHaveLength(0);
  });

  it('B15 / H8.7 with a TTL the result is cached by identity and shared by every route of the authorizer', async () => {
    const h = await httpHarness('AuthApi');
    for (const path of ['/dev/simple/1', '/dev/simple/2', '/dev/simple-too']) expect((await h.send({ path, headers: [['x-key', 'allow-a']] })).status).toBe(200);
    expect(authorizerCalls(h, 'SimpleAuthorizerFunction')).toHaveLength(1);
    await h.send({ path: '/dev/simple/1', headers: [['x-key', 'allow-b']] });
    expect(authorizerCalls(h, 'SimpleAuthorizerFunction')).toHaveLength(2);
  });

  it('H8.7 a cached result expires after the TTL (300 s) on the gateway clock', async () => {
    const h = await httpHarness('AuthApi');
    await h.send({ path: '/dev/simple/1', headers: [['x-key', 'allow-a']] });
    h.clock.nowMs += 299_000;
    await h.send({ path: '/dev/simple/1', headers: [['x-key', 'allow-a']] });
    expect(authorizerCalls(h, 'SimpleAuthorizerFunction')).toHaveLength(1);
    h.clock.nowMs += 1_000;
    await h.send({ path: '/dev/simple/1', headers: [['x-key', 'allow-a']] });
    expect(authorizerCalls(h, 'SimpleAuthorizerFunction')).toHaveLength(2);
  });

  it('H8.7 a cached denial denies every request with the same identity', async () => {
    const h = await httpHarness('AuthApi');
    expect((await h.send({ path: '/dev/simple/1', headers: [['x-key', 'no']] })).status).toBe(403);
    expect((await h.send({ path: '/dev/simple-too', headers: [['x-key', 'no']] })).status).toBe(403);
    expect(authorizerCalls(h, 'SimpleAuthorizerFunction')).toHaveLength(1);
  });
});

describe('H8.5 IAM policy responses', () => {
  it.each([
    { rule: 'H8.5 Allow on the route ARN', key: 'allow', status: 200 },
    { rule: 'H8.6 [AMBIGUOUS] explicit Deny', key: 'deny', status: 403 },
    { rule: 'H8.6 [AMBIGUOUS] an Allow for another ARN only', key: 'elsewhere', status: 403 },
  ])('$rule → $status', async ({ key, status }) => {
    const h = await httpHarness('AuthApi');
    const got = await h.send({ path: '/dev/policy', headers: [['x-key', key]] });
    expect(got.status).toBe(status);
    if (status === 403) expect(got.json()).toEqual({ message: 'Forbidden' });
  });

  it('H8.7 without a TTL nothing is cached: every request invokes the authorizer', async () => {
    const h = await httpHarness('AuthApi');
    await h.send({ path: '/dev/policy', headers: [['x-key', 'allow']] });
    await h.send({ path: '/dev/policy', headers: [['x-key', 'allow']] });
    expect(authorizerCalls(h, 'PolicyAuthorizerFunction')).toHaveLength(2);
  });

  it('H8.3 the 1.0 authorizer event: methodArn, identity joined in identitySource and authorizationToken', async () => {
    const h = await httpHarness('AuthApi');
    const got = await h.send({ path: '/dev/policy-v1', headers: [['x-key', 'allow-v1']] });
    expect(got.status).toBe(200);
    const call = authorizerCalls(h, 'PolicyAuthorizerFunction')[0]?.event as Record<string, unknown>;
    // [AMBIGUOUS] `path` as the 1.0 integration event has it, the named stage included (H5.3, live 1.0 events).
    expect(call).toMatchObject({ version: '1.0', type: 'REQUEST', identitySource: 'allow-v1', authorizationToken: 'allow-v1', httpMethod: 'GET', path: '/dev/policy-v1', resource: '/policy-v1' });
    expect(call.methodArn).toBe(`arn:aws:execute-api:us-east-1:123456789012:${h.api.apiId}/dev/GET/policy-v1`);
    expect(call).not.toHaveProperty('body');
  });
});

describe('H8.8 / H8.9 authorizer failures', () => {
  it.each([
    { rule: 'H8.9 the authorizer throws', key: 'throw', status: 500, message: 'Internal Server Error' },
    { rule: 'H8.9 the authorizer answers no valid response', key: 'garbage', status: 500, message: 'Internal Server Error' },
    { rule: 'H8.9 [AMBIGUOUS] the authorizer throws "Unauthorized"', key: 'unauthorized', status: 401, message: 'Unauthorized' },
  ])('$rule → $status', async ({ key, status, message }) => {
    const h = await httpHarness('AuthApi');
    const got = await h.send({ path: '/dev/simple/1', headers: [['x-key', key]] });
    expect(got.status).toBe(status);
    expect(got.json()).toEqual({ message });
    expect(h.invoker.calls.map((c) => c.functionLogicalId)).toEqual(['SimpleAuthorizerFunction']);
  });

  it('H8.8 the authorizer is given 10 s', async () => {
    const h = await httpHarness('AuthApi');
    await h.send({ path: '/dev/simple/1', headers: [['x-key', 'allow']] });
    expect(h.invoker.calls[0]?.deadlineMs).toBe(10_000);
  });
});

/** Lambda authorizers (simple and policy responses) on routes whose integration maps `$context.authorizer.*` into headers. */
const dir = mkdtempSync(join(tmpdir(), 'http-lambda-authorizer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const MAPPED = join(dir, 'template.yaml');
const ROLE = "'arn:aws:iam::123456789012:role/invoke'";
const scheme = (name: string, fn: string, simple: boolean) => [
  `            ${name}:`,
  '              type: apiKey',
  '              name: Unused',
  '              in: header',
  '              x-amazon-apigateway-authorizer:',
  '                type: request',
  '                identitySource: $request.header.x-key',
  `                authorizerUri: !Sub 'arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fn}.Arn}/invocations'`,
  `                authorizerCredentials: ${ROLE}`,
  "                authorizerPayloadFormatVersion: '2.0'",
  ...(simple ? ['                enableSimpleResponses: true'] : []),
];
const route = (path: string, authorizer: string) => [
  `          ${path}:`,
  '            get:',
  `              security: [{ ${authorizer}: [] }]`,
  '              x-amazon-apigateway-integration:',
  '                type: aws_proxy',
  "                payloadFormatVersion: '2.0'",
  `                credentials: ${ROLE}`,
  "                uri: !Sub 'arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${Echo.Arn}/invocations'",
  '                requestParameters:',
  ...['who', 'n', 'ok', 'principalId'].map((key) => `                  'overwrite:header.x-${key.toLowerCase()}': $context.authorizer.${key}`),
];
const functionOf = (id: string, handler: string) => `  ${id}: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs22.x, CodeUri: ${resolve('tests/emulator/fixtures/http-api/functions')}, Handler: ${handler} } }`;
writeFileSync(
  MAPPED,
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Resources:',
    functionOf('Echo', 'echo.handler'),
    functionOf('SimpleAuthorizerFunction', 'authorizer.simple'),
    functionOf('PolicyAuthorizerFunction', 'authorizer.policy'),
    '  Api:',
    '    Type: AWS::Serverless::HttpApi',
    '    Properties:',
    '      DefinitionBody:',
    '        openapi: 3.0.1',
    '        info: { title: lambda-context, version: "1" }',
    '        components:',
    '          securitySchemes:',
    ...scheme('Simple', 'SimpleAuthorizerFunction', true),
    ...scheme('Policy', 'PolicyAuthorizerFunction', false),
    '        paths:',
    ...route('/simple', 'Simple'),
    ...route('/policy', 'Policy'),
  ].join('\n'),
);

describe('H8.10 the authorizer\'s context reaches the integration and $context.authorizer.<key>', () => {
  it.each([
    { given: 'a simple response', path: '/simple', lambda: { who: 'allow-1', n: 1, ok: true } },
    { given: 'a policy response', path: '/policy', lambda: { who: 'allow-1' } },
  ])('H8.10 / H4.18 $given: its context is requestContext.authorizer.lambda', async ({ path, lambda }) => {
    // Prepare
    const h = await httpHarness('Api', MAPPED);

    // Act
    const event = echoedV2(await h.send({ path, headers: [['x-key', 'allow-1']] }));

    // Assess
    expect(lambdaContext(event)).toMatchObject(lambda);
  });

  it.each([
    { given: 'a simple response: numbers and booleans as is, no principalId', path: '/simple', want: { 'x-who': 'allow-1', 'x-n': '1', 'x-ok': 'true', 'x-principalid': undefined } },
    { given: 'a policy response: its principalId, and no value for a key its context lacks', path: '/policy', want: { 'x-who': 'allow-1', 'x-n': undefined, 'x-ok': undefined, 'x-principalid': 'user-1' } },
  ])('H8.10 context.authorizer.<key> mapped after $given', async ({ path, want }) => {
    // Prepare
    const h = await httpHarness('Api', MAPPED);

    // Act
    const event = echoedV2(await h.send({ path, headers: [['x-key', 'allow-1']] }));

    // Assess
    expect(Object.fromEntries(Object.keys(want).map((name) => [name, event.headers[name]]))).toEqual(want);
  });

  it('H8.10 neighbour: a denied request reaches no integration, so no context is mapped anywhere', async () => {
    // Prepare
    const h = await httpHarness('Api', MAPPED);

    // Act
    const got = await h.send({ path: '/policy', headers: [['x-key', 'deny']] });

    // Assess
    expect(got.status).toBe(403);
    expect(h.invoker.calls.map((c) => c.functionLogicalId)).toEqual(['PolicyAuthorizerFunction']);
  });
});
