/**
 * R6.3: an API's key source given as the RestApi's ApiKeySourceType property (SAM's AWS::Serverless::Api passes it to
 * the RestApi it writes, beside the generated Body; a RestApi may carry it beside its own Body) is the API's
 * x-amazon-apigateway-api-key-source: with AUTHORIZER the key is the Lambda authorizer's usageIdentifierKey, and the
 * x-api-key header is not read.
 */
import { rmSync } from 'node:fs';
import { dirname } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { template } from '../template/support/function-templates.js';

const KEY = 'abcdefghijklmnopqrstuvwxyz0123456789';
// The token "keyed" gets a policy with the plan's key as usageIdentifierKey, any other token one without.
const AUTHORIZER = `exports.handler = async (event) => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] }, ...(event.authorizationToken === 'keyed' ? { usageIdentifierKey: '${KEY}' } : {}) });\n`;
const FILES = { 'src/auth.js': AUTHORIZER, 'src/app.js': "exports.handler = async () => ({ statusCode: 200, body: 'ok' });\n" };

const KEY_AND_PLAN = (api: string, stage: string) =>
  [
    '  Key: {Type: AWS::ApiGateway::ApiKey, Properties: {Enabled: true, Value: ' + KEY + '}}',
    `  Plan: {Type: AWS::ApiGateway::UsagePlan, Properties: {ApiStages: [{ApiId: !Ref ${api}, Stage: ${stage}}]}}`,
    '  PlanKey: {Type: AWS::ApiGateway::UsagePlanKey, Properties: {KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan}}',
    '  AuthFn: {Type: AWS::Serverless::Function, Properties: {Runtime: nodejs20.x, CodeUri: src/, Handler: auth.handler}}',
  ].join('\n');

const SAM_API = [
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Api:',
  '    Type: AWS::Serverless::Api',
  '    Properties: {StageName: dev, ApiKeySourceType: AUTHORIZER, Auth: {ApiKeyRequired: true, DefaultAuthorizer: Tok, Authorizers: {Tok: {FunctionArn: !GetAtt AuthFn.Arn}}}}',
  '  AppFn:',
  '    Type: AWS::Serverless::Function',
  '    Properties: {Runtime: nodejs20.x, CodeUri: src/, Handler: app.handler, Events: {Get: {Type: Api, Properties: {RestApiId: !Ref Api, Path: /items, Method: get}}}}',
  KEY_AND_PLAN('Api', 'dev'),
].join('\n');

const REST_API_WITH_BODY = [
  'Transform: AWS::Serverless-2016-10-31',
  'Resources:',
  '  Api:',
  '    Type: AWS::ApiGateway::RestApi',
  '    Properties:',
  '      ApiKeySourceType: AUTHORIZER',
  '      Body:',
  '        openapi: 3.0.1',
  '        info: {title: t, version: "1"}',
  '        components: {securitySchemes: {api_key: {type: apiKey, name: x-api-key, in: header}, Tok: {type: apiKey, name: Authorization, in: header, x-amazon-apigateway-authtype: custom, x-amazon-apigateway-authorizer: {type: token, authorizerUri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AuthFn.Arn}/invocations"}}}}',
  '        paths: {/items: {get: {security: [{Tok: [], api_key: []}], x-amazon-apigateway-integration: {type: aws_proxy, httpMethod: POST, uri: !Sub "arn:aws:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AppFn.Arn}/invocations"}}}}',
  '  Deployment: {Type: AWS::ApiGateway::Deployment, Properties: {RestApiId: !Ref Api, StageName: dev}}',
  '  AppFn: {Type: AWS::Serverless::Function, Properties: {Runtime: nodejs20.x, CodeUri: src/, Handler: app.handler}}',
  // API Gateway may invoke both functions (R1.54), as SAM's generated permissions allow it for the SAM Api.
  '  AppPermission: {Type: AWS::Lambda::Permission, Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref AppFn, Principal: apigateway.amazonaws.com}}',
  '  AuthPermission: {Type: AWS::Lambda::Permission, Properties: {Action: lambda:InvokeFunction, FunctionName: !Ref AuthFn, Principal: apigateway.amazonaws.com}}',
  KEY_AND_PLAN('Api', 'dev'),
].join('\n');

describe.each([
  { given: 'an AWS::Serverless::Api with ApiKeySourceType AUTHORIZER (SAM writes it on the RestApi beside the generated Body)', yaml: SAM_API },
  { given: 'an AWS::ApiGateway::RestApi with a Body and ApiKeySourceType AUTHORIZER', yaml: REST_API_WITH_BODY },
])('R6.3 $given', ({ yaml }) => {
  let emulator: RunningEmulator;
  let file: string;
  beforeAll(async () => {
    file = template(yaml, FILES);
    emulator = await startEmulator({ templatePath: file, port: 0, localDir: `${dirname(file)}/.local`, maxConcurrency: 1, log: () => {}, onRequest: () => {} });
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(dirname(file), { recursive: true, force: true });
  });

  it.each<{ name: string; headers: Record<string, string>; status: number }>([
    { name: "the authorizer's usageIdentifierKey is the key: 200 without x-api-key", headers: { authorization: 'keyed' }, status: 200 },
    { name: 'the x-api-key header is not read: 403 Forbidden with a valid key and no usageIdentifierKey', headers: { authorization: 'plain', 'x-api-key': KEY }, status: 403 },
  ])('$name', async ({ headers, status }) => {
    const got = await fetch(`${emulator.apis[0]!.url}/items`, { headers });

    expect(got.status).toBe(status);
    expect(await got.text()).toBe(status === 200 ? 'ok' : '{"message":"Forbidden"}');
  });

  it('the start report says where the key comes from', () => {
    expect(emulator.apis[0]!.support).toContainEqual(expect.objectContaining({ subject: 'x-amazon-apigateway-api-key-source', status: 'emulated', detail: expect.stringMatching(/^AUTHORIZER/) }));
  });
});
