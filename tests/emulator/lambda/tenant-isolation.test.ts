/**
 * Lambda's tenant isolation mode (TenancyConfig PER_TENANT) through a running emulator: a REST integration maps the
 * client's tenant to Lambda's X-Amz-Tenant-Id, each tenant's invocations run in environments of their own (module
 * state is per tenant) and see the tenant in their context (Node.js tenantId, Python tenant_id); Lambda refuses an
 * isolated function's invocation without a tenant and any other function's with one (InvalidParameterValueException),
 * which API Gateway answers 500. The Invoke API takes X-Amz-Tenant-Id (the SDK's TenantId). Templates are this test's own.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { invokeCommand } from '../../../emulator/tools/invoke.js';

const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Isolated:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      CodeUri: src/
      Handler: count.handler
      TenancyConfig: {TenantIsolationMode: PER_TENANT}
      Events:
        Http: {Type: HttpApi, Properties: {Path: /isolated, Method: GET}}
  Shared:
    Type: AWS::Serverless::Function
    Properties: {Runtime: nodejs22.x, CodeUri: src/, Handler: count.handler}
  PyIsolated:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: python3.12
      CodeUri: py/
      Handler: count.handler
      TenancyConfig: {TenantIsolationMode: PER_TENANT}
  IsolatedPermission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, FunctionName: !Ref Isolated}
  SharedPermission:
    Type: AWS::Lambda::Permission
    Properties: {Action: lambda:InvokeFunction, Principal: apigateway.amazonaws.com, FunctionName: !Ref Shared}
  Api:
    Type: AWS::ApiGateway::RestApi
    Properties: {Name: tenants}
${resource('Proxy', 'proxy', `Type: AWS_PROXY
          Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Isolated.Arn}/invocations
          RequestParameters: {integration.request.header.X-Amz-Tenant-Id: method.request.header.x-tenant-id}`)}
${resource('Custom', 'custom', `Type: AWS
          Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Isolated.Arn}/invocations
          RequestParameters: {integration.request.header.X-Amz-Tenant-Id: method.request.querystring.tenant}
          IntegrationResponses: [{StatusCode: '200'}]`)}
${resource('Plain', 'plain', `Type: AWS_PROXY
          Uri: !Sub arn:aws:apigateway:\${AWS::Region}:lambda:path/2015-03-31/functions/\${Shared.Arn}/invocations
          RequestParameters: {integration.request.header.X-Amz-Tenant-Id: method.request.header.x-tenant-id}`)}
  Deployment:
    Type: AWS::ApiGateway::Deployment
    DependsOn: [ProxyMethod, CustomMethod, PlainMethod]
    Properties: {RestApiId: !Ref Api, StageName: dev}
`;

/** A path under the API's root with a GET method whose integration is the given YAML. */
function resource(id: string, path: string, integration: string): string {
  return `  ${id}Resource:
    Type: AWS::ApiGateway::Resource
    Properties: {RestApiId: !Ref Api, ParentId: !GetAtt Api.RootResourceId, PathPart: ${path}}
  ${id}Method:
    Type: AWS::ApiGateway::Method
    Properties:
      RestApiId: !Ref Api
      ResourceId: !Ref ${id}Resource
      HttpMethod: GET
      AuthorizationType: NONE
      MethodResponses: [{StatusCode: '200'}]
      Integration:
          IntegrationHttpMethod: POST
          ${integration}`;
}

const NODE_COUNTER = `let invocations = 0;
export const handler = async (event, context) => {
  invocations += 1;
  return { statusCode: 200, body: JSON.stringify({ invocations, tenant: context.tenantId ?? null, named: 'tenantId' in context }) };
};
`;
const PYTHON_COUNTER = `invocations = 0


def handler(event, context):
    global invocations
    invocations += 1
    return {"invocations": invocations, "tenant": context.tenant_id}
`;

describe('TenancyConfig PER_TENANT', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-isolation-'));
  let emulator: RunningEmulator;
  let rest: string;
  let lambda: LambdaClient;

  beforeAll(async () => {
    mkdirSync(join(dir, 'src'));
    mkdirSync(join(dir, 'py'));
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'src', 'count.mjs'), NODE_COUNTER);
    writeFileSync(join(dir, 'py', 'count.py'), PYTHON_COUNTER);
    emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, 'local'), log: () => undefined });
    rest = emulator.apis.find((api) => api.kind === 'rest')!.url;
    lambda = new LambdaClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_LAMBDA, credentials: emulator.credentials, maxAttempts: 1 });
  }, 60_000);
  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const proxy = async (tenant?: string) => {
    const res = await fetch(`${rest}/proxy`, { headers: tenant === undefined ? {} : { 'x-tenant-id': tenant } });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it('each tenant`s invocations share environments of that tenant only, and see it as context.tenantId (aws_proxy)', async () => {
    // Act
    const seen = [];
    for (const tenant of ['blue', 'blue', 'green', 'blue', 'green']) seen.push(await proxy(tenant));

    // Assess
    expect(seen.map((r) => [r.status, r.body.tenant, r.body.invocations])).toEqual([
      [200, 'blue', 1],
      [200, 'blue', 2],
      [200, 'green', 1],
      [200, 'blue', 3],
      [200, 'green', 2],
    ]);
  });

  it('no tenant mapped (the optional header absent): Lambda refuses the invocation, API Gateway answers 500', async () => {
    const res = await proxy();

    expect(res).toEqual({ status: 500, body: { message: 'Internal server error' } });
  });

  it('neighbour: a non-proxy (AWS) integration maps the tenant from the query string', async () => {
    const res = await fetch(`${rest}/custom?tenant=red`);

    expect(res.status).toBe(200);
    const result = (await res.json()) as { body: string };
    expect(JSON.parse(result.body)).toEqual({ invocations: 1, tenant: 'red', named: true });
  });

  it('neighbour: a function without tenant isolation runs without a tenant (no tenantId in its context), and is refused with one (500)', async () => {
    const without = await fetch(`${rest}/plain`);
    const withTenant = await fetch(`${rest}/plain`, { headers: { 'x-tenant-id': 'blue' } });

    expect(without.status).toBe(200);
    expect(await without.json()).toEqual({ invocations: 1, tenant: null, named: false });
    expect(withTenant.status).toBe(500);
  });

  it('neighbour: an HTTP API cannot name a tenant, so its route to an isolated function answers 500 (H6.7)', async () => {
    const http = emulator.apis.find((api) => api.kind === 'http')!;

    const res = await fetch(`${http.url.replace(/\/$/, '')}/isolated`);

    expect([res.status, await res.json()]).toEqual([500, { message: 'Internal Server Error' }]);
  });

  it('the Invoke API takes the SDK`s TenantId (X-Amz-Tenant-Id): a Python function sees it as context.tenant_id, per tenant', async () => {
    const invoke = async (tenant: string) => JSON.parse(Buffer.from((await lambda.send(new InvokeCommand({ FunctionName: 'PyIsolated', TenantId: tenant }))).Payload ?? []).toString('utf8')) as unknown;

    const seen = [await invoke('blue'), await invoke('green'), await invoke('blue')];

    expect(seen).toEqual([
      { invocations: 1, tenant: 'blue' },
      { invocations: 1, tenant: 'green' },
      { invocations: 2, tenant: 'blue' },
    ]);
  });

  it.each([
    { given: 'an isolated function without TenantId', command: { FunctionName: 'PyIsolated' } },
    { given: 'an isolated function without TenantId, InvocationType Event (refused before it is queued)', command: { FunctionName: 'PyIsolated', InvocationType: 'Event' as const } },
    { given: 'a function without tenant isolation, with a TenantId', command: { FunctionName: 'Shared', TenantId: 'blue' } },
  ])('Invoke of $given: 400 InvalidParameterValueException', async ({ command }) => {
    const error = await lambda.send(new InvokeCommand(command)).then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
    );

    expect([error?.name, error?.$metadata?.httpStatusCode]).toEqual(['InvalidParameterValueException', 400]);
  });

  it('the start-up report says how the isolated functions are invoked and what Lambda refuses', () => {
    expect(emulator.functionNotes).toContainEqual(expect.stringMatching(/^Isolated: TenancyConfig PER_TENANT: .*X-Amz-Tenant-Id.*InvalidParameterValueException/));
    expect(emulator.functionNotes.some((note) => note.startsWith('Shared:'))).toBe(false);
    // The HttpApi event cannot name a tenant: said at start, as each of its invocations is refused.
    expect((emulator.template.warnings ?? []).filter((w) => w.includes('TenancyConfig'))).toEqual([expect.stringMatching(/^Resources\.Isolated\.Properties\.Events\.Http: an HttpApi event with TenancyConfig PER_TENANT: it names no tenant/)]);
  });
});

describe('invoke --tenant-id (as aws lambda invoke --tenant-id)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tenant-invoke-'));
  beforeAll(() => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'src', 'count.mjs'), NODE_COUNTER);
    writeFileSync(
      join(dir, 'template.yaml'),
      'Resources:\n  Isolated:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs22.x, CodeUri: src/, Handler: count.handler, TenancyConfig: {TenantIsolationMode: PER_TENANT}}\n',
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const invoke = (...extra: string[]) => invokeCommand(['Isolated', '-t', join(dir, 'template.yaml'), '--local-dir', join(dir, 'local'), ...extra]);

  it('runs the isolated function for that tenant', async () => {
    const { output, exitCode } = await invoke('--tenant-id', 'blue');

    expect(exitCode).toBe(0);
    expect(JSON.parse(JSON.parse(output ?? '').body as string)).toEqual({ invocations: 1, tenant: 'blue', named: true });
  });

  it('without it, Lambda`s refusal is the result (exit 1)', async () => {
    const { output, exitCode } = await invoke();

    expect(exitCode).toBe(1);
    expect(JSON.parse(output ?? '')).toMatchObject({ errorType: 'InvalidParameterValueException' });
  });
});
