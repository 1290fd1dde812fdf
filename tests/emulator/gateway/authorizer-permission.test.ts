/**
 * R1.54 / R7.14 for REST Lambda authorizers: API Gateway invokes the authorizer's function with the authorizer's ARN
 * (`<api>/authorizers/<authorizerId>`), so without a permission matching it (or authorizerCredentials) each request
 * that reaches the authorizer answers 500 AuthorizerConfigurationException, and the start report says so on the
 * route. One template holds one API per case, each with its own authorizer function; the real loader, Lambda runtime
 * and gateway serve it.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';

type Json = Record<string, unknown>;
type Permission = 'authorizers/*' | 'api/*' | 'none' | 'another api' | 'routes only' | 'cdk: its Authorizer' | 'cdk: another Authorizer' | 'absent';

interface Case {
  name: string;
  shape: 'document' | 'resources' | 'sam';
  type?: 'TOKEN' | 'REQUEST';
  permission: Permission;
  role?: boolean;
  /** SAM's DisableFunctionDefaultPermissions: SAM writes no permission for the authorizer. */
  noSamPermission?: boolean;
  status: number;
}

const ALLOW = `exports.handler = async (event) => ({ principalId: 'u', policyDocument: { Version: '2012-10-17', Statement: [{ Action: 'execute-api:Invoke', Effect: 'Allow', Resource: event.methodArn }] } });`;
const MOCK = { type: 'mock', requestTemplates: { 'application/json': '{"statusCode": 200}' }, responses: { default: { statusCode: '200', responseTemplates: { 'application/json': '{"ok": true}' } } } };
const ROLE = { 'Fn::Sub': 'arn:aws:iam::${AWS::AccountId}:role/invoke-authorizers' };
const uri = (fn: string) => ({ 'Fn::Sub': `arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${${fn}.Arn}/invocations` });
const executeApi = (rest: string) => ({ 'Fn::Sub': `arn:aws:execute-api:\${AWS::Region}:\${AWS::AccountId}:${rest}` });

const CASES: Case[] = [
  { name: 'DocAuthorizersWildcard', shape: 'document', permission: 'authorizers/*', status: 200 },
  { name: 'DocApiWildcard', shape: 'document', permission: 'api/*', status: 200 },
  { name: 'DocNoSourceArn', shape: 'document', permission: 'none', status: 200 },
  { name: 'DocRequestType', shape: 'document', type: 'REQUEST', permission: 'authorizers/*', status: 200 },
  { name: 'DocWithRole', shape: 'document', permission: 'absent', role: true, status: 200 },
  { name: 'DocAnotherApi', shape: 'document', permission: 'another api', status: 500 },
  { name: 'DocRoutesOnly', shape: 'document', permission: 'routes only', status: 500 },
  { name: 'DocAbsent', shape: 'document', permission: 'absent', status: 500 },
  { name: 'DocRequestAbsent', shape: 'document', type: 'REQUEST', permission: 'absent', status: 500 },
  { name: 'CdkOwnAuthorizer', shape: 'resources', permission: 'cdk: its Authorizer', status: 200 },
  { name: 'CdkOtherAuthorizer', shape: 'resources', permission: 'cdk: another Authorizer', status: 500 },
  { name: 'SamAuthorizers', shape: 'sam', permission: 'absent', status: 200 },
  { name: 'SamNoDefaultPermission', shape: 'sam', permission: 'absent', noSamPermission: true, status: 500 },
  { name: 'SamNoDefaultPermissionRole', shape: 'sam', permission: 'absent', noSamPermission: true, role: true, status: 200 },
];

function sourceArn(c: Case): unknown {
  switch (c.permission) {
    case 'authorizers/*':
      return executeApi(`\${${c.name}}/authorizers/*`);
    case 'api/*':
      return executeApi(`\${${c.name}}/*`);
    case 'another api':
      return executeApi('${DocAbsent}/authorizers/*');
    case 'routes only':
      return executeApi(`\${${c.name}}/*/GET/x`);
    case 'cdk: its Authorizer':
      return { 'Fn::Join': ['', [executeApi(`\${${c.name}}/authorizers/`), { Ref: `${c.name}Authorizer` }]] };
    case 'cdk: another Authorizer':
      return { 'Fn::Join': ['', [executeApi(`\${${c.name}}/authorizers/`), { Ref: `${c.name}Spare` }]] };
    default:
      return undefined;
  }
}

function authorizerExtension(c: Case): Json {
  const request = c.type === 'REQUEST';
  return {
    type: request ? 'request' : 'token',
    authorizerUri: uri(`${c.name}Fn`),
    authorizerResultTtlInSeconds: 0,
    ...(request ? { identitySource: 'method.request.header.Authorization' } : {}),
    ...(c.role ? { authorizerCredentials: ROLE } : {}),
  };
}

/** The API of one case, with its authorizer function and permission. */
function resourcesOf(c: Case): Record<string, Json> {
  const out: Record<string, Json> = {
    [`${c.name}Fn`]: { Type: 'AWS::Lambda::Function', Properties: { Runtime: 'nodejs20.x', Handler: 'index.handler', Role: 'arn:aws:iam::123456789012:role/fn', Code: { ZipFile: ALLOW } } },
  };
  const arn = sourceArn(c);
  if (c.permission !== 'absent') {
    out[`${c.name}Permission`] = {
      Type: 'AWS::Lambda::Permission',
      Properties: { Action: 'lambda:InvokeFunction', FunctionName: { 'Fn::GetAtt': [`${c.name}Fn`, 'Arn'] }, Principal: 'apigateway.amazonaws.com', ...(arn ? { SourceArn: arn } : {}) },
    };
  }
  if (c.shape === 'sam') {
    const body = { swagger: '2.0', info: { title: c.name, version: '1' }, paths: { '/x': { get: { 'x-amazon-apigateway-integration': MOCK } } } };
    const guard = {
      FunctionArn: { 'Fn::GetAtt': [`${c.name}Fn`, 'Arn'] },
      FunctionPayloadType: 'TOKEN',
      Identity: { ReauthorizeEvery: 0 },
      ...(c.noSamPermission ? { DisableFunctionDefaultPermissions: true } : {}),
      ...(c.role ? { FunctionInvokeRole: ROLE } : {}),
    };
    const auth = { DefaultAuthorizer: 'Guard', Authorizers: { Guard: guard } };
    out[c.name] = { Type: 'AWS::Serverless::Api', Properties: { StageName: 'v1', DefinitionBody: body, Auth: auth } };
    return out;
  }
  out[`${c.name}Deployment`] = { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: c.name }, StageName: 'v1' } };
  if (c.shape === 'document') {
    const scheme = { type: 'apiKey', name: 'Authorization', in: 'header', 'x-amazon-apigateway-authtype': 'custom', 'x-amazon-apigateway-authorizer': authorizerExtension(c) };
    const body = { openapi: '3.0.1', info: { title: c.name, version: '1' }, components: { securitySchemes: { Guard: scheme } }, paths: { '/x': { get: { security: [{ Guard: [] }], 'x-amazon-apigateway-integration': MOCK } } } };
    out[c.name] = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: c.name, Body: body } };
    return out;
  }
  const authorizer = (name: string) => ({ Type: 'AWS::ApiGateway::Authorizer', Properties: { Name: name, RestApiId: { Ref: c.name }, Type: 'TOKEN', IdentitySource: 'method.request.header.Authorization', AuthorizerUri: uri(`${c.name}Fn`), AuthorizerResultTtlInSeconds: 0 } });
  out[c.name] = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: c.name } };
  out[`${c.name}Authorizer`] = authorizer('guard');
  out[`${c.name}Spare`] = authorizer('spare');
  out[`${c.name}X`] = { Type: 'AWS::ApiGateway::Resource', Properties: { RestApiId: { Ref: c.name }, ParentId: { 'Fn::GetAtt': [c.name, 'RootResourceId'] }, PathPart: 'x' } };
  const integration = { Type: 'MOCK', RequestTemplates: MOCK.requestTemplates, IntegrationResponses: [{ StatusCode: '200', ResponseTemplates: MOCK.responses.default.responseTemplates }] };
  out[`${c.name}Get`] = {
    Type: 'AWS::ApiGateway::Method',
    Properties: { RestApiId: { Ref: c.name }, ResourceId: { Ref: `${c.name}X` }, HttpMethod: 'GET', AuthorizationType: 'CUSTOM', AuthorizerId: { Ref: `${c.name}Authorizer` }, Integration: integration, MethodResponses: [{ StatusCode: '200' }] },
  };
  out[`${c.name}Deployment`] = { ...out[`${c.name}Deployment`], DependsOn: [`${c.name}Get`] };
  return out;
}

const dir = mkdtempSync(join(tmpdir(), 'authorizer-permission-'));
let emulator: RunningEmulator;

beforeAll(async () => {
  const template = { AWSTemplateFormatVersion: '2010-09-09', Transform: 'AWS::Serverless-2016-10-31', Resources: Object.assign({}, ...CASES.map(resourcesOf)) as Json };
  writeFileSync(join(dir, 'template.json'), JSON.stringify(template));
  emulator = await startEmulator({ templatePath: join(dir, 'template.json'), port: 0, localDir: join(dir, '.local') });
}, 60_000);
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

function served(name: string) {
  const api = emulator.apis.find((a) => a.logicalId === name);
  if (!api) throw new Error(`API ${name} is not served`);
  return api;
}

describe('R1.54 / R7.14 a REST Lambda authorizer API Gateway may not invoke', () => {
  it.each(CASES)('$name ($shape, permission $permission, role $role, SAM permission disabled $noSamPermission) answers $status', async ({ name, status }) => {
    const api = served(name);

    const res = await fetch(`${api.url}/x`, { headers: { Authorization: 'Bearer t' } });

    expect(res.status).toBe(status);
    if (status === 500) {
      expect(res.headers.get('x-amzn-errortype')).toBe('AuthorizerConfigurationException');
      expect(await res.json()).toEqual({ message: null });
    } else expect(await res.json()).toEqual({ ok: true });
  });

  it.each(CASES)('$name: the start report says the authorizer answers 500 exactly when it does', ({ name, status }) => {
    const route = served(name).routes.find((r) => r.path === '/x');

    expect(route?.emulated).toBe(true);
    if (status === 500) expect(route?.detail).toMatch(/authorizer answers 500: no AWS::Lambda::Permission lets API Gateway invoke authorizer .*\(R1\.54, R7\.14\)/);
    else expect(route?.detail ?? '').not.toContain('R1.54');
  });

  it('R7.14 a request without the token is still 401: only a request that would invoke the authorizer meets the missing permission', async () => {
    const res = await fetch(`${served('DocAbsent').url}/x`);

    expect(res.status).toBe(401);
    expect(await res.json()).toEqual({ message: 'Unauthorized' });
  });
});
