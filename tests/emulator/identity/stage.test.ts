import { afterAll, describe, expect, it } from 'vitest';
import { ApiIdentityChecks } from '../../../emulator/identity/stage.js';
import { explainAuthorizers, GatewayIdentityStage } from '../../../emulator/identity/gateway-stage.js';
import { extensionItems } from '../../../emulator/gateway/support-report.js';
import { CognitoPools } from '../../../emulator/identity/cognito.js';
import { apiKeyIdFor, userPoolArnFor } from '../../../emulator/identity/local-ids.js';
import type { AuthorizerRequest } from '../../../emulator/identity/authorizer-event.js';
import type { ApiSpec, FunctionSpec, LoadedTemplate, OpenApiDocument } from '../../../emulator/template/model.js';
import { ACCOUNT, FakeInvoker, REGION, TEMPLATE_PATH, identityResources, tempLocalState } from './support/fixtures.js';
import { fixtureAuthorizers } from './support/authorizers.js';

const KEY = 'stage-test-api-key-value-0001';
const authUri = (fn: string) => `arn:aws:apigateway:${REGION}:lambda:path/2015-03-31/functions/arn:aws:lambda:${REGION}:${ACCOUNT}:function:${fn}/invocations`;

function openapi(keySource?: string): OpenApiDocument {
  return {
    openapi: '3.0.1',
    ...(keySource ? { 'x-amazon-apigateway-api-key-source': keySource } : {}),
    components: {
      securitySchemes: {
        api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
        TokenAuth: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: authUri('AllowAll'), authorizerResultTtlInSeconds: 0 } },
        Broken: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: authUri('Missing') } },
        Pool: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [userPoolArnFor(REGION, ACCOUNT, 'UserPool')] } },
        Iam: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
      },
    },
    paths: {
      '/tasks': { get: { security: [{ TokenAuth: [] }, { api_key: [] }] }, post: { security: [{ api_key: [] }] } },
      '/me': { get: { security: [{ Pool: ['tasks/read'] }] } },
      '/iam': { get: { security: [{ Iam: [] }] } },
      '/broken': { get: { security: [{ Broken: [] }] } },
      '/open': { get: {} },
    },
  };
}

function template(doc: OpenApiDocument): { template: LoadedTemplate; api: ApiSpec } {
  const api: ApiSpec = { logicalId: 'Api', restApiId: 'abc123defg', stageName: 'v1', stageVariables: null, methodSettings: [], cacheClusterEnabled: false, openapi: doc, openapiSource: 'template.yaml#/Resources/Api' };
  const fn = { logicalId: 'AllowAll' } as FunctionSpec;
  const template: LoadedTemplate = {
    path: TEMPLATE_PATH, region: REGION, accountId: ACCOUNT, parameters: {}, functions: new Map([['AllowAll', fn]]), apis: [api], httpApis: [], tables: [],
    identity: identityResources({
      apiKeys: [{ logicalId: 'Key', properties: { Enabled: true, Value: KEY } }],
      usagePlans: [{ logicalId: 'Plan', properties: { ApiStages: [{ ApiId: 'abc123defg', Stage: 'v1' }], Quota: { Limit: 5, Period: 'DAY' } } }],
      usagePlanKeys: [{ logicalId: 'PlanKey', properties: { KeyId: apiKeyIdFor('Key', ACCOUNT), UsagePlanId: 'Plan' } }],
      userPools: [{ logicalId: 'UserPool', properties: {} }],
      userPoolClients: [{ logicalId: 'Client', properties: { UserPoolId: { Ref: 'UserPool' } } }],
    }),
    functionForUri: (uri) => (uri.includes(':function:AllowAll/') ? fn : undefined),
    apiGatewayMayInvoke: () => true,
  };
  return { template, api };
}

const request = (headers: Record<string, string>, path = '/tasks'): AuthorizerRequest => ({
  httpMethod: 'GET', path, resource: path, headers, multiValueHeaders: {}, queryStringParameters: null,
  multiValueQueryStringParameters: null, pathParameters: null, stageVariables: null, requestContext: {},
});

describe('identity stage: authorizer then API key (R0.3, R0.4)', () => {
  const local = tempLocalState();
  afterAll(() => local.cleanup());
  const stage = (keySource?: string) => {
    const invoker = new FakeInvoker(fixtureAuthorizers);
    const { template: t, api } = template(openapi(keySource));
    return { invoker, stage: new ApiIdentityChecks({ template: t, api, invoker, state: local.state }), t };
  };

  it.each<{ name: string; headers: Record<string, string>; want: Record<string, unknown> }>([
    { name: 'R0.3 [AMBIGUOUS] no token and no key ⇒ 401 from the authorizer first', headers: {}, want: { ok: false, responseType: 'UNAUTHORIZED' } },
    { name: 'R0.4 A14 token ok but no key ⇒ 403 Forbidden', headers: { Authorization: 't' }, want: { ok: false, responseType: 'INVALID_API_KEY', defaultBody: '{"message":"Forbidden"}' } },
    { name: 'R6.4 token ok and wrong key ⇒ 403', headers: { Authorization: 't', 'X-API-Key': 'wrong-wrong-wrong-wrong' }, want: { ok: false, responseType: 'INVALID_API_KEY' } },
    { name: 'R1.29 R1.31 token and key ok ⇒ authorizer context and apiKey', headers: { Authorization: 't', 'x-api-key': KEY }, want: { ok: true, principalId: 'user-1', authorizer: { n: '1', principalId: 'user-1' }, apiKey: { value: KEY, id: apiKeyIdFor('Key', ACCOUNT) } } },
  ])('$name', async ({ headers, want }) => {
    expect(await stage().stage.check('/tasks', 'get', request(headers))).toMatchObject(want);
  });

  it('R6.1 key-only method: the key is checked, no authorizer runs', async () => {
    const { stage: s, invoker } = stage();
    expect(await s.check('/tasks', 'post', request({ 'X-Api-Key': KEY }))).toEqual({ ok: true, apiKey: expect.objectContaining({ value: KEY }) });
    expect(invoker.calls).toHaveLength(0);
  });

  it('R6.5 a method without security passes untouched', async () => {
    expect(await stage().stage.check('/open', 'get', request({}))).toEqual({ ok: true });
  });

  it('R6.3 AUTHORIZER key source: usageIdentifierKey decides, the header does not', async () => {
    const { stage: s, t } = stage('AUTHORIZER');
    // The fixture authorizer returns usageIdentifierKey "usage-key-from-authorizer-0001": not a key of the template.
    expect(await s.check('/tasks', 'get', request({ Authorization: 't', 'x-api-key': KEY }))).toMatchObject({ ok: false, responseType: 'INVALID_API_KEY' });
    t.identity.apiKeys[0]!.properties.Value = 'usage-key-from-authorizer-0001';
    const s2 = new ApiIdentityChecks({ template: t, api: t.apis[0]!, invoker: new FakeInvoker(fixtureAuthorizers), state: local.state });
    expect(await s2.check('/tasks', 'get', request({ Authorization: 't' }))).toMatchObject({ ok: true, apiKey: { value: 'usage-key-from-authorizer-0001' } });
  });

  it('R7.22 runs the Cognito authorizer with the method scopes', async () => {
    const { stage: s, t } = stage();
    const pools = CognitoPools.fromTemplate(t, local.state);
    const token = pools.issueToken({ sub: 'c1', tokenUse: 'access', scope: 'tasks/read' });
    expect(await s.check('/me', 'get', request({ Authorization: token }, '/me'))).toMatchObject({ ok: true, principalId: 'c1', authorizer: { claims: { sub: 'c1', scope: 'tasks/read' } } });
    const idToken = pools.issueToken({ sub: 'c1', tokenUse: 'id' });
    expect(await s.check('/me', 'get', request({ Authorization: idToken }, '/me'))).toMatchObject({ ok: false, responseType: 'UNAUTHORIZED' });
  });

  it.each([
    { path: '/iam', want: /not emulated: IAM \(awsSigv4\) authorization needs the local credentials/ },
    { path: '/broken', want: /Broken\.x-amazon-apigateway-authorizer\.authorizerUri: invokes no function of the template/ },
  ])('reports $path as not supported, saying why', ({ path, want }) => {
    const result = stage().stage.supports(path, 'get');
    expect(result.ok).toBe(false);
    expect(result.ok ? '' : result.detail).toMatch(want);
  });

  it('R7: the start report`s x-amazon-apigateway-authorizer of a scheme whose authorizer cannot run is NOT EMULATED with why; the others stay EMULATED', () => {
    const { template: t, api } = template(openapi());
    const gatewayStage = new GatewayIdentityStage({ template: t, api, invoker: new FakeInvoker(fixtureAuthorizers), state: local.state });

    const items = explainAuthorizers(extensionItems(api.openapi, true), gatewayStage).filter((i) => i.subject === 'x-amazon-apigateway-authorizer');

    expect(items.map((i) => [i.location, i.status, i.detail])).toEqual([
      ['components.securitySchemes.TokenAuth', 'emulated', undefined],
      ['components.securitySchemes.Broken', 'not-emulated', expect.stringMatching(/Broken\.x-amazon-apigateway-authorizer\.authorizerUri: invokes no function of the template/)],
      ['components.securitySchemes.Pool', 'emulated', undefined],
    ]);
  });

  it('R7.2: the keys of a scheme whose authorizer cannot run are NOT EMULATED with why, as the authorizer is; the others keep their own status', () => {
    const { template: t, api } = template(openapi());
    const gatewayStage = new GatewayIdentityStage({ template: t, api, invoker: new FakeInvoker(fixtureAuthorizers), state: local.state });

    const items = explainAuthorizers(extensionItems(api.openapi, true), gatewayStage).filter((i) => i.subject.startsWith('x-amazon-apigateway-authorizer.'));

    expect(items.map((i) => [i.location.split('.')[2], i.subject.split('.')[1], i.status])).toEqual([
      ['TokenAuth', 'type', 'emulated'],
      ['TokenAuth', 'authorizerUri', 'emulated'],
      ['TokenAuth', 'authorizerResultTtlInSeconds', 'emulated'],
      ['Broken', 'type', 'not-emulated'],
      ['Broken', 'authorizerUri', 'not-emulated'],
      ['Pool', 'type', 'emulated'],
      ['Pool', 'providerARNs', 'emulated'],
    ]);
    expect(items.find((i) => i.location.includes('Broken'))?.detail).toMatch(/invokes no function of the template/);
  });

  it.each<{ name: string; stageVariables: Record<string, string> | null; invoked: number; want: Record<string, unknown> }>([
    { name: "R7.14 the stage's variable names the function: it runs", stageVariables: { AuthFn: 'AllowAll' }, invoked: 1, want: { ok: true, principalId: 'user-1' } },
    {
      name: 'R7.14 a stage without the variable: 500 AuthorizerConfigurationException, nothing invoked',
      stageVariables: null,
      invoked: 0,
      want: { ok: false, responseType: 'AUTHORIZER_CONFIGURATION_ERROR', reason: expect.stringMatching(/stage variable\(s\) AuthFn that stage v1 does not define/) },
    },
  ])('an authorizerUri naming its function with ${stageVariables.X} (RAiD-API swagger.yaml): $name', async ({ stageVariables, invoked, want }) => {
    const doc = openapi();
    const schemes = doc.components!.securitySchemes as Record<string, Record<string, Record<string, unknown>>>;
    schemes.TokenAuth!['x-amazon-apigateway-authorizer']!.authorizerUri = authUri('${stageVariables.AuthFn}');
    const { template: t, api } = template(doc);
    const invoker = new FakeInvoker(fixtureAuthorizers);
    const checks = new ApiIdentityChecks({ template: t, api: { ...api, stageVariables }, invoker, state: local.state });

    expect(checks.supports('/tasks', 'get')).toEqual({ ok: true });
    expect(await checks.check('/tasks', 'get', request({ Authorization: 't', 'x-api-key': KEY }))).toMatchObject(want);
    expect(invoker.calls).toHaveLength(invoked);
  });

  it('summarises usage plans with their enforced limits', () => {
    expect(stage().stage.summary()).toEqual(['usage plan Plan [abc123defg/v1] keys: Key; quota 5/DAY: EMULATED (enforced per key across all stages of the plan, R6.7)']);
  });
});
