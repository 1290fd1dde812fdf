/** HTTP API conformance through plain AWS::ApiGatewayV2::* resources (Route, Integration, Authorizer, Stage, Body). */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { CFN_TEMPLATE, echoedV2, httpHarness } from './harness.js';

const h = await httpHarness('PlainApi', CFN_TEMPLATE);

describe('AWS::ApiGatewayV2::Route / Integration / Stage', () => {
  it('H5.1 a Route whose Integration has PayloadFormatVersion 1.0 gets the 1.0 event', async () => {
    const got = await h.send({ method: 'POST', path: '/items', body: 'x', headers: [['Content-Type', 'text/plain']] });
    const event = JSON.parse(got.text) as APIGatewayProxyEvent & { version: string };
    expect(event.version).toBe('1.0');
    expect(event.resource).toBe('/items');
    expect(event.body).toBe('x');
    expect(event.stageVariables).toEqual({ tier: 'root' });
  });

  it('H0.1 / H3.1 a request whose first segment names a stage goes to that stage, others to $default', async () => {
    const beta = echoedV2(await h.send({ path: '/beta/anything' }));
    expect(beta.requestContext.stage).toBe('beta');
    expect(beta.stageVariables).toEqual({ tier: 'beta' });
    expect(beta.routeKey).toBe('$default');
    const root = echoedV2(await h.send({ path: '/betamax' }));
    expect(root.requestContext.stage).toBe('$default');
    expect(root.rawPath).toBe('/betamax');
  });

  it('H7 a JWT AWS::ApiGatewayV2::Authorizer guards its route: 401 without a token, 200 with one', async () => {
    expect((await h.send({ path: '/items/1' })).status).toBe(401);
    const event = echoedV2(await h.send({ path: '/items/1', headers: [['Authorization', h.token({})]] }));
    expect(event.pathParameters).toEqual({ id: '1' });
  });

  it('H1.11 / H8.9 a Lambda authorizer API Gateway may not invoke → 500, the authorizer is not run', async () => {
    const got = await h.send({ path: '/locked', headers: [['x-key', 'allow']] });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal Server Error' });
    expect(h.invoker.calls.some((c) => c.functionLogicalId === 'LockedAuthorizerFunction')).toBe(false);
    expect(h.gateway.routes.find((r) => r.path === '/locked')?.detail).toBe('answers 500: no permission for API Gateway to invoke authorizer LockedAuthorizerFunction (H1.11)');
  });

  it('H6.8 an integration API Gateway may not invoke → 500', async () => {
    const got = await h.send({ path: '/no-permission' });
    expect(got.status).toBe(500);
    expect(h.logs.some((l) => l.includes('no permission to invoke NoPermissionFunction'))).toBe(true);
    expect(h.gateway.routes.find((r) => r.path === '/no-permission')?.detail).toBe('answers 500: no permission for API Gateway to invoke NoPermissionFunction (H6.8)');
    expect(h.gateway.routes.find((r) => r.path === '/items')?.detail).toBe('payload 1.0');
  });

  it.each([
    { given: 'an integration with CredentialsArn', path: '/with-role', fn: 'NoPermissionFunction' },
    { given: 'a Lambda authorizer with AuthorizerCredentialsArn', path: '/locked-with-role', fn: 'LockedAuthorizerFunction' },
  ])('H6.8 / H1.11 $given: API Gateway invokes with the role, no permission needed, $fn runs', async ({ path, fn }) => {
    // Prepare
    const before = h.invoker.calls.length;

    // Act
    const got = await h.send({ path, headers: [['x-key', 'allow']] });

    // Assess
    expect(got.status).toBe(200);
    expect(h.invoker.calls.slice(before).some((c) => c.functionLogicalId === fn)).toBe(true);
    expect(h.gateway.routes.find((r) => r.path === path)?.detail).not.toMatch(/no permission/);
  });

  it.each([
    { rule: 'AWS_IAM authorization', path: '/iam' },
    { rule: 'HTTP_PROXY integration through a VPC link', path: '/website' },
  ])('a route the emulator does not emulate ($rule) answers 500 and is reported', async ({ path }) => {
    expect((await h.send({ path })).status).toBe(500);
    const route = h.gateway.routes.find((r) => r.path === path);
    expect(route?.emulated).toBe(false);
  });
});

describe('AWS::ApiGatewayV2::Route Target', () => {
  it("a Target that is a function's ARN, not integrations/<id>, attaches no integration: 500, the function is not run, and the report says why", async () => {
    // Prepare
    const before = h.invoker.calls.length;

    // Act
    const got = await h.send({ path: '/arn-target' });

    // Assess
    expect(got.status).toBe(500);
    expect(h.invoker.calls.length).toBe(before);
    const route = h.gateway.routes.find((r) => r.path === '/arn-target');
    expect(route?.emulated).toBe(false);
    expect(route?.detail).toMatch(/^Target "arn:aws:lambda:[^"]+:function:[^"]+" is not integrations\/<IntegrationId>: a route reaches only an AWS::ApiGatewayV2::Integration of its API/);
  });
});

describe('AWS::ApiGatewayV2::Api Body', () => {
  it('H2.3 / H2.6 an integration $ref with plain ${AWS::*} variables is served on its named stage', async () => {
    const body = await httpHarness('BodyApi', CFN_TEMPLATE);
    expect(echoedV2(await body.send({ path: '/v1/hello' })).routeKey).toBe('GET /hello');
    const root = await body.send({ path: '/hello' });
    expect(root.status).toBe(404);
    expect(root.json()).toEqual({ message: 'Not Found' });
  });
});
