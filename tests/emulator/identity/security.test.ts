import { describe, expect, it } from 'vitest';
import { apiKeySource, operationSecurity } from '../../../emulator/identity/security.js';
import type { OpenApiDocument } from '../../../emulator/template/model.js';

const uri = 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:1:function:Auth/invocations';
const doc: OpenApiDocument = {
  openapi: '3.0.1',
  security: [{ api_key: [] }, { TokenAuth: [] }],
  components: {
    securitySchemes: {
      api_key: { type: 'apiKey', name: 'x-api-key', in: 'header' },
      TokenAuth: {
        type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom',
        'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: uri, identityValidationExpression: 'Bearer .*', authorizerResultTtlInSeconds: 60 },
      },
      RequestAuth: {
        type: 'apiKey', name: 'Unused', in: 'header',
        'x-amazon-apigateway-authorizer': { type: 'request', authorizerUri: uri, identitySource: 'method.request.header.X-Tenant, method.request.querystring.q, stageVariables.env, context.identity.sourceIp', authorizerResultTtlInSeconds: 0 },
      },
      CognitoAuth: {
        type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'cognito_user_pools',
        'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_abcdefghi'] },
      },
      Iam: { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'awsSigv4' },
    },
  },
  paths: {
    '/open': { get: {} },
    '/keyed': { get: { security: [{ api_key: [] }] } },
    '/token': { get: { security: [{ TokenAuth: [] }, { api_key: [] }] } },
    '/request': { post: { security: [{ RequestAuth: [] }] } },
    '/cognito-id': { get: { security: [{ CognitoAuth: [] }] } },
    '/cognito-access': { get: { security: [{ CognitoAuth: ['tasks/read', 'tasks/write'] }] } },
    '/none': { get: { security: [{ NONE: [] }] } },
    '/iam': { get: { security: [{ Iam: [] }] } },
    '/two': { get: { security: [{ TokenAuth: [], CognitoAuth: [] }] } },
    '/iam-then-token': { get: { security: [{ Iam: [] }, { TokenAuth: [] }] } },
    '/auth-iam': { get: { 'x-amazon-apigateway-auth': { type: 'aws_iam' } } },
    '/auth-none': { get: { 'x-amazon-apigateway-auth': { type: 'NONE' } } },
    '/auth-other': { get: { 'x-amazon-apigateway-auth': { type: 'COGNITO' } } },
    '/auth-iam-token': { get: { 'x-amazon-apigateway-auth': { type: 'AWS_IAM' }, security: [{ TokenAuth: [] }] } },
    '/token-then-iam': { get: { security: [{ TokenAuth: [] }, { Iam: [] }] } },
    '/ghost': { get: { security: [{ Ghost: [] }] } },
  },
};

describe('which identity checks an operation asks for (6.1, 7.1)', () => {
  it.each([
    { name: 'R6.2 root security is ignored: an operation without security has none', path: '/open', want: { apiKeyRequired: false, authorizer: undefined } },
    { name: 'R6.1 an x-api-key apiKey scheme without authorizer requires a key', path: '/keyed', want: { apiKeyRequired: true, authorizer: undefined } },
    { name: 'R6.1 R7.4 authorizer and key together', path: '/token', want: { apiKeyRequired: true, authorizer: 'TokenAuth' } },
    { name: 'R13.7 NONE means no authorizer', path: '/none', want: { apiKeyRequired: false, authorizer: undefined } },
  ])('$name', ({ path, want }) => {
    const sec = operationSecurity(doc, path, 'get');
    expect(sec.apiKeyRequired).toBe(want.apiKeyRequired);
    expect(sec.authorizer?.schemeName).toBe(want.authorizer);
  });

  it('R7.2 R7.3 R7.18 TOKEN: header from the scheme name, full-match expression, TTL', () => {
    const a = operationSecurity(doc, '/token', 'get').authorizer!;
    expect(a).toMatchObject({ type: 'token', headerName: 'Authorization', authType: 'custom', authorizerUri: uri, ttlSeconds: 60, identityValidationExpression: 'Bearer .*' });
    expect(a.identitySources).toEqual([{ kind: 'header', name: 'Authorization', expression: 'method.request.header.Authorization' }]);
    expect(a.identityValidationPattern!.test('Bearer x')).toBe(true);
    expect(a.identityValidationPattern!.test('x Bearer x')).toBe(false);
  });

  it('R7.7 an empty identityValidationExpression (a parameter defaulting to "") validates nothing, as a blank one', () => {
    const scheme = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': { type: 'token', authorizerUri: uri, identityValidationExpression: '' } };
    const blank = { openapi: '3.0.1', components: { securitySchemes: { Blank: scheme } }, paths: { '/t': { get: { security: [{ Blank: [] }] } } } } as unknown as OpenApiDocument;

    const a = operationSecurity(blank, '/t', 'get').authorizer!;

    expect(a.identityValidationExpression).toBeUndefined();
    expect(a.identityValidationPattern).toBeUndefined();
  });

  it('R7.3 REQUEST: comma-separated header/querystring/stageVariables/context sources', () => {
    const a = operationSecurity(doc, '/request', 'post').authorizer!;
    expect(a.identitySources.map((s) => [s.kind, s.name])).toEqual([['header', 'X-Tenant'], ['querystring', 'q'], ['stageVariables', 'env'], ['context', 'identity.sourceIp']]);
    expect(a.ttlSeconds).toBe(0);
  });

  it('R7.18 authorizerResultTtlInSeconds defaults to 300', () => {
    expect(operationSecurity(doc, '/cognito-id', 'get').authorizer!.ttlSeconds).toBe(300);
  });

  it.each([
    { path: '/cognito-id', want: [] },
    { path: '/cognito-access', want: ['tasks/read', 'tasks/write'] },
  ])('R7.4 R7.22 Cognito scopes of $path: $want', ({ path, want }) => {
    const sec = operationSecurity(doc, path, 'get');
    expect(sec.authorizer).toMatchObject({ type: 'cognito_user_pools', providerARNs: ['arn:aws:cognito-idp:eu-west-1:1:userpool/eu-west-1_abcdefghi'] });
    expect(sec.scopes).toEqual(want);
  });

  it.each([
    { path: '/iam', want: { iam: true, unsupported: [] } },
    { path: '/token', want: { iam: false, unsupported: [] } },
    { path: '/auth-iam', want: { iam: true, unsupported: [] } },
    { path: '/auth-none', want: { iam: false, unsupported: [] } },
    { path: '/auth-other', want: { iam: false, unsupported: ['x-amazon-apigateway-auth type COGNITO (AWS_IAM or NONE only)'] } },
  ])('R7.1 R13.7 an awsSigv4 scheme or x-amazon-apigateway-auth is IAM authorization ($path: iam $want.iam)', ({ path, want }) => {
    const sec = operationSecurity(doc, path, 'get');
    expect({ iam: sec.iam, unsupported: sec.unsupported }).toEqual(want);
  });

  it.each([
    { path: '/two', want: /names two authorizers/ },
    { path: '/iam-then-token', want: /names IAM and the authorizer TokenAuth; API Gateway allows one authorization type per method/ },
    { path: '/token-then-iam', want: /names IAM \(Iam\) and the authorizer TokenAuth/ },
    { path: '/auth-iam-token', want: /names IAM and the authorizer TokenAuth/ },
    { path: '/ghost', want: /paths\.\/ghost\.get\.security\.Ghost: names no security scheme/ },
  ])('rejects $path clearly', ({ path, want }) => {
    expect(() => operationSecurity(doc, path, 'get', 'openapi/api.yaml')).toThrow(want);
  });

  it.each([
    { given: undefined, want: 'HEADER' },
    { given: 'AUTHORIZER', want: 'AUTHORIZER' },
  ])('R6.3 api key source $given ⇒ $want', ({ given, want }) => {
    expect(apiKeySource(given ? { ...doc, 'x-amazon-apigateway-api-key-source': given } : doc)).toBe(want);
  });

  it('R7.3 refuses a path parameter as identity source', () => {
    const bad = structuredClone(doc);
    ((bad.components!.securitySchemes as Record<string, Record<string, Record<string, unknown>>>).RequestAuth!['x-amazon-apigateway-authorizer']!).identitySource = 'method.request.path.id';
    expect(() => operationSecurity(bad, '/request', 'post')).toThrow(/unsupported identity source "method.request.path.id"/);
  });
});
