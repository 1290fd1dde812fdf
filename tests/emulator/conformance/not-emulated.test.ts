/** Conformance: what part 1 does not emulate answers 500 (never passes through) and is reported. */
import { describe, expect, it } from 'vitest';
import { harness } from './harness.js';

const h = await harness();

describe('not emulated yet (part 1)', () => {
  it.each([
    { path: '/test/secured', why: /authorizer "TokenAuthorizer" is not emulated yet/ },
    { path: '/test/keyed', why: /API key checks are not emulated yet/ },
    { path: '/test/awsint', why: /integration aws-service sqs is not emulated yet/ },
  ])('$path → 500 API_CONFIGURATION_ERROR, logged, no invocation', async ({ path, why }) => {
    const before = h.invoker.calls.length;
    const got = await h.send({ path });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(got.headers.get('x-amzn-errortype')).toBe('InternalServerErrorException');
    expect(h.logs.at(-1)).toMatch(why);
    expect(h.logs.at(-1)).toMatch(/not emulated yet/);
    expect(h.invoker.calls.length).toBe(before);
  });

  it.each([
    // R2.11 is emulated (content-handling.test.ts); here it sits on an integration that is not, so it is reported with it.
    { rule: 'R2.11', subject: 'x-amazon-apigateway-integration.contentHandling' },
  ])('$rule $subject on an integration that is not emulated is reported not emulated with it, never silently ignored', ({ subject }) => {
    const items = h.gateway.support.filter((i) => i.subject === subject);

    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.status === 'not-emulated')).toBe(true);
  });

  it('R0.2 a resource policy is reported as not emulated: it is not evaluated, so it denies nothing locally', async () => {
    const policy = h.gateway.support.filter((i) => i.subject === 'x-amazon-apigateway-policy');

    expect(policy.map((i) => i.status)).toEqual(['not-emulated']);
    expect(policy[0]?.detail).toMatch(/not evaluated/);
  });

  it('R0.1 an unmatched route still answers 403 before the not-emulated check', async () => {
    expect((await h.send({ method: 'DELETE', path: '/test/secured' })).status).toBe(403);
  });

  it('routes report the integration, function, authorizer, api key and emulated flag', () => {
    const byKey = new Map(h.gateway.routes.map((r) => [`${r.method} ${r.path}`, r]));
    expect(byKey.get('GET /items')).toEqual({ method: 'GET', path: '/items', integration: 'aws_proxy', functionLogicalId: 'EchoFunction', apiKeyRequired: false, emulated: true });
    expect(byKey.get('GET /secured')).toMatchObject({ authorizer: 'TokenAuthorizer', emulated: false });
    expect(byKey.get('GET /keyed')).toMatchObject({ apiKeyRequired: true, emulated: false });
    expect(byKey.get('GET /awsint')).toMatchObject({ integration: 'aws-service', emulated: false });
    expect(byKey.get('ANY /greedy/{proxy+}')).toMatchObject({ integration: 'aws_proxy', emulated: true });
    expect(byKey.get('OPTIONS /mock/cors')).toMatchObject({ integration: 'mock', emulated: true });
  });

  it.each([
    { subject: 'x-amazon-apigateway-binary-media-types', status: 'emulated' },
    { subject: 'x-amazon-apigateway-request-validators', status: 'emulated' },
    { subject: 'x-amazon-apigateway-request-validator', status: 'emulated' },
    { subject: 'x-amazon-apigateway-any-method', status: 'emulated' },
    { subject: 'x-amazon-apigateway-integration.timeoutInMillis', status: 'emulated' },
    { subject: 'x-amazon-apigateway-integration.cacheKeyParameters', status: 'not-emulated' },
    { subject: 'x-amazon-apigateway-authorizer', status: 'not-emulated' },
    { subject: 'x-amazon-apigateway-authtype', status: 'not-emulated' },
    { subject: 'servers', status: 'ignored' },
  ])('support report lists $subject as $status', ({ subject, status }) => {
    const items = h.gateway.support.filter((i) => i.subject === subject);
    expect(items.length).toBeGreaterThan(0);
    expect(items.every((i) => i.status === status)).toBe(true);
  });

  it.each([
    { given: 'a mock integration', location: 'paths./mock/never.post.x-amazon-apigateway-integration', status: 'emulated' },
    { given: 'an aws_proxy integration (R1.4: proxy integrations ignore it)', location: 'paths./proxy-ignores-templates.get.x-amazon-apigateway-integration', status: 'ignored' },
  ])('R1.4 support report: passthroughBehavior on $given is $status', ({ location, status }) => {
    const items = h.gateway.support.filter((i) => i.subject === 'x-amazon-apigateway-integration.passthroughBehavior' && i.location === location);
    expect(items.map((i) => i.status)).toEqual([status]);
  });

  it('every key of a non-emulated integration type is reported not-emulated', () => {
    const awsKeys = h.gateway.support.filter((i) => i.location === 'paths./awsint.get.x-amazon-apigateway-integration');
    expect(awsKeys.map((i) => i.subject).sort()).toEqual(
      ['cacheKeyParameters', 'contentHandling', 'httpMethod', 'requestParameters', 'type', 'uri'].map((k) => `x-amazon-apigateway-integration.${k}`),
    );
    expect(awsKeys.every((i) => i.status === 'not-emulated')).toBe(true);
  });

  it('support report gives the location of each key', () => {
    const cache = h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-integration.cacheKeyParameters');
    expect(cache?.location).toBe('paths./awsint.get.x-amazon-apigateway-integration');
    const authorizer = h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-authorizer');
    expect(authorizer?.location).toBe('components.securitySchemes.TokenAuthorizer');
  });
});
