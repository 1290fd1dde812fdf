/**
 * Identity through the real pipeline: authorizer before API key before validation (R0.3, R0.4), the key check
 * outcomes (R6.3, R6.4), identity.apiKey in the event (R1.29) and gateway-response shaping (R8.3).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyIdFor } from '../../../emulator/identity/local-ids.js';
import { DISABLED_KEY, KEY, ORPHAN_KEY, echoed, startFixture, type Fixture } from './harness.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => fx?.close());

type Headers_ = [string, string][];

describe('order of identity checks', () => {
  it.each<{ name: string; path: string; headers: Headers_; want: { status: number; body: unknown; type: string } }>([
    {
      name: 'R0.3 [AMBIGUOUS] no token and no key on a TOKEN + key method ⇒ 401 from the authorizer first',
      path: '/v1/token-keyed',
      headers: [],
      want: { status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' },
    },
    {
      name: 'R0.3 bad token (authorizer throws Unauthorized) and no key ⇒ 401, not 403',
      path: '/v1/token-keyed',
      headers: [['Authorization', 'unauthorized']],
      want: { status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' },
    },
    {
      name: 'R0.3 invalid Cognito token and no key ⇒ 401, not 403',
      path: '/v1/me',
      headers: [['Authorization', 'not-a-jwt']],
      want: { status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' },
    },
    {
      name: 'R0.3 good token and no key ⇒ the key check answers 403',
      path: '/v1/token-keyed',
      headers: [['Authorization', 'allow order']],
      want: { status: 403, body: { message: 'Forbidden' }, type: 'ForbiddenException' },
    },
  ])('$name', async ({ path, headers, want }) => {
    const got = await fx.send('IdentityApi', path, { headers });
    expect({ status: got.status, body: got.json(), type: got.headers.get('x-amzn-errortype') }).toEqual(want);
  });

  it.each<{ name: string; headers: Headers_; want: { status: number; body: unknown } }>([
    { name: 'R0.4 missing key and invalid body ⇒ 403 (key check before validation)', headers: [], want: { status: 403, body: { message: 'Forbidden' } } },
    { name: 'R0.4 valid key and invalid body ⇒ 400 from validation', headers: [['x-api-key', KEY]], want: { status: 400, body: { message: 'Invalid request body' } } },
  ])('$name', async ({ headers, want }) => {
    const before = fx.invoker.calls.length;
    const got = await fx.send('IdentityApi', '/v1/keyed-body', { method: 'POST', headers: [['Content-Type', 'application/json'], ...headers], body: '{}' });
    expect({ status: got.status, body: got.json() }).toEqual(want);
    expect(fx.invoker.calls.length).toBe(before);
  });
});

describe('R6.4 API key check', () => {
  it.each<{ name: string; headers: Headers_ }>([
    { name: 'missing key', headers: [] },
    { name: 'empty key', headers: [['x-api-key', '']] },
    { name: 'unknown key', headers: [['x-api-key', 'no-such-key-value-0000001']] },
    { name: 'disabled key', headers: [['x-api-key', DISABLED_KEY]] },
    { name: 'key in no usage plan of the stage', headers: [['x-api-key', ORPHAN_KEY]] },
  ])('R6.4 $name ⇒ 403 Forbidden, ForbiddenException, integration not called', async ({ headers }) => {
    const before = fx.invoker.calls.length;
    const got = await fx.send('IdentityApi', '/v1/keyed', { headers });
    expect(got.status).toBe(403);
    expect(got.json()).toEqual({ message: 'Forbidden' });
    expect(got.headers.get('x-amzn-errortype')).toBe('ForbiddenException');
    expect(fx.invoker.calls.length).toBe(before);
  });

  it('R6.3 the X-API-Key header name is case-insensitive and a valid key passes', async () => {
    const got = await fx.send('IdentityApi', '/v1/keyed', { headers: [['X-API-KEY', KEY]] });
    expect(echoed(got).requestContext.identity.apiKey).toBe(KEY);
  });
});

describe('R1.29 identity.apiKey / apiKeyId', () => {
  const keyId = () => apiKeyIdFor('ApiKey', fx.template.accountId);

  it.each<{ name: string; path: string; headers: () => Headers_; want: 'present' | 'absent' }>([
    { name: 'key-required method ⇒ present', path: '/v1/keyed', headers: () => [['x-api-key', KEY]], want: 'present' },
    { name: 'Cognito + key method ⇒ present', path: '/v1/me', headers: () => [['x-api-key', KEY], ['Authorization', fx.token()]], want: 'present' },
    { name: 'open method, key sent anyway ⇒ absent', path: '/v1/open', headers: () => [['x-api-key', KEY]], want: 'absent' },
    { name: 'authorizer-only method, key sent anyway ⇒ absent', path: '/v1/token/a', headers: () => [['x-api-key', KEY], ['Authorization', 'allow r129']], want: 'absent' },
  ])('R1.29 $name', async ({ path, headers, want }) => {
    const identity = echoed(await fx.send('IdentityApi', path, { headers: headers() })).requestContext.identity as unknown as Record<string, unknown>;
    if (want === 'present') expect({ apiKey: identity.apiKey, apiKeyId: identity.apiKeyId }).toEqual({ apiKey: KEY, apiKeyId: keyId() });
    else expect(Object.keys(identity).filter((k) => k.startsWith('apiKey'))).toEqual([]);
  });
});

describe('R6.3 x-amazon-apigateway-api-key-source: AUTHORIZER', () => {
  it.each<{ name: string; headers: Headers_; want: number }>([
    { name: "the authorizer's usageIdentifierKey is the key", headers: [['Authorization', `usage ${KEY}`]], want: 200 },
    { name: 'a valid X-API-Key header does not help when the authorizer names an unknown key', headers: [['Authorization', 'usage unknown-key-value-00000001'], ['x-api-key', KEY]], want: 403 },
    { name: 'the authorizer names a disabled key', headers: [['Authorization', `usage ${DISABLED_KEY}`]], want: 403 },
  ])('R6.3 $name ⇒ $want', async ({ headers, want }) => {
    const got = await fx.send('KeySourceApi', '/ks/usage', { headers });
    expect(got.status).toBe(want);
    if (want === 200) expect(echoed(got).requestContext.identity.apiKey).toBe(KEY);
    else expect(got.json()).toEqual({ message: 'Forbidden' });
  });
});

describe('R8.3 identity failures shaped by x-amazon-apigateway-gateway-responses', () => {
  it.each<{ name: string; headers: Headers_; want: { status: number; body: unknown; header?: [string, string]; type: string } }>([
    {
      name: 'UNAUTHORIZED uses its own customisation (status, header, template)',
      headers: [['x-api-key', KEY]],
      want: { status: 401, body: { error: 'Unauthorized', type: 'UNAUTHORIZED' }, header: ['www-authenticate', 'Bearer'], type: 'UnauthorizedException' },
    },
    {
      name: 'INVALID_API_KEY falls back to the customised DEFAULT_4XX (header) with its default body',
      headers: [['Authorization', 'allow shaped']],
      want: { status: 403, body: { message: 'Forbidden' }, header: ['access-control-allow-origin', '*'], type: 'ForbiddenException' },
    },
    {
      name: 'ACCESS_DENIED falls back to DEFAULT_4XX and keeps its capital-M body',
      headers: [['Authorization', 'deny shaped'], ['x-api-key', KEY]],
      want: { status: 403, body: { Message: 'User is not authorized to access this resource with an explicit deny' }, header: ['access-control-allow-origin', '*'], type: 'AccessDeniedException' },
    },
    {
      name: 'AUTHORIZER_CONFIGURATION_ERROR falls back to the customised DEFAULT_5XX (status 503, template)',
      headers: [['Authorization', 'empty'], ['x-api-key', KEY]],
      want: { status: 503, body: { failed: null, type: 'AUTHORIZER_CONFIGURATION_ERROR' }, type: 'AuthorizerConfigurationException' },
    },
  ])('R8.3 $name', async ({ headers, want }) => {
    const got = await fx.send('ShapedApi', '/shaped/guarded', { headers });
    expect({ status: got.status, body: got.json(), type: got.headers.get('x-amzn-errortype') }).toEqual({ status: want.status, body: want.body, type: want.type });
    if (want.header) expect(got.headers.get(want.header[0])).toBe(want.header[1]);
  });
});
