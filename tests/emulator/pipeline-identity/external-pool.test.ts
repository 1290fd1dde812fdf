/**
 * R7.21 for a Cognito authorizer whose user pool is not in the template (its ARN a parameter, as in many samples):
 * the gateway cannot verify that pool's tokens, so the route is reported not emulated, but a request without a token
 * is refused with 401 as API Gateway refuses it, before any pool is asked.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { CognitoPools } from '../../../emulator/identity/cognito.js';
import { createIdentityStage, explainRoutes } from '../../../emulator/identity/gateway-stage.js';
import { LocalState } from '../../../emulator/identity/local-state.js';
import type { LambdaInvoker } from '../../../emulator/lambda/types.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const TEMPLATE = `AWSTemplateFormatVersion: '2010-09-09'
Transform: AWS::Serverless-2016-10-31
Parameters:
  UserPoolArn:
    Type: String
    Default: arn:aws:cognito-idp:us-east-1:123456789012:userpool/us-east-1_AbCdEf123
Resources:
  Api:
    Type: AWS::Serverless::Api
    Properties:
      StageName: v1
      Auth:
        DefaultAuthorizer: External
        Authorizers:
          External:
            UserPoolArn: !Ref UserPoolArn
  MeFunction:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      Handler: index.handler
      CodeUri: .
      Events:
        Me:
          Type: Api
          Properties: {RestApiId: !Ref Api, Path: /me, Method: get}
`;

const dir = mkdtempSync(join(tmpdir(), 'external-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
const template = await loadTemplate(join(dir, 'template.yaml'));
const api = template.apis[0]!;
const state = new LocalState(join(dir, '.local'));
// FAKE Lambda service: no request here may reach a function.
const calls: string[] = [];
const invoker: LambdaInvoker = { invoke: (id) => Promise.reject(new Error(`unexpected invocation of ${(calls.push(id), id)}`)) };
const identity = createIdentityStage({ template, api, invoker, state, apiKeys: ApiKeyRegistry.fromTemplate(template, state), cognito: CognitoPools.fromTemplate(template, state) });
const logs: string[] = [];
const gateway = createGateway({ api, template, invoker, identity, log: (line) => logs.push(line) });

describe('a Cognito authorizer over a user pool outside the template', () => {
  it('is reported not emulated, naming the pool', () => {
    const route = explainRoutes(gateway.routes, identity).find((r) => r.path === '/me');
    expect(route?.emulated).toBe(false);
    expect(route?.detail).toContain('us-east-1_AbCdEf123');
  });

  it.each([
    { given: 'no Authorization header', headers: [] as [string, string][], want: { status: 401, body: { message: 'Unauthorized' } } },
    { given: 'an empty Authorization header', headers: [['Authorization', '']] as [string, string][], want: { status: 401, body: { message: 'Unauthorized' } } },
    { given: 'a value that is no JWT', headers: [['Authorization', 'not-a-jwt']] as [string, string][], want: { status: 401, body: { message: 'Unauthorized' } } },
    // A token may be one of that pool's, which AWS would accept: not verifiable here, so not emulated (500).
    { given: 'a token', headers: [['Authorization', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln']] as [string, string][], want: { status: 500, body: { message: 'Internal server error' } } },
  ])('R7.21 $given: $want.status, and no function is invoked', async ({ headers, want }) => {
    // Act
    const response = await gateway.fetch(new Request('http://localhost/v1/me', { headers }), { rawHeaders: ['Host', 'localhost', ...headers.flat()] });

    // Assess
    expect(response.status).toBe(want.status);
    expect(await response.json()).toEqual(want.body);
    expect(calls).toEqual([]);
    expect(logs.at(-1)).toMatch(want.status === 401 ? /Authorization: (the token is missing|token contains an invalid number of segments) \(R7\.21\)/ : /not emulated yet/);
  });
});
