/**
 * Conformance on a REST API built from CloudFormation resources, as CDK's RestApi synthesizes it
 * (fixtures/cfn-rest-api: a JSON template with Resource/Method chains, Deployment, Stage, CfnPermissions
 * with SourceArn, CDK assets and a Code.ZipFile function): the real loader, Lambda runtime and gateway,
 * served over HTTP by startEmulator.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';

const TEMPLATE = resolve('tests/emulator/fixtures/cfn-rest-api/CfnRestApiStack.template.json');
const KEY = 'cfn-rest-api-key-000001';
const localDir = mkdtempSync(join(tmpdir(), 'cfn-rest-api-'));
let emulator: RunningEmulator;
let base: string;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, importValues: { 'shared-bucket-name': 'bucket-from-import' } });
  base = emulator.apis[0]?.url ?? '';
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

async function send(method: string, path: string, headers: Record<string, string> = {}, body?: string) {
  const res = await fetch(`${base}${path}`, { method, headers, ...(body !== undefined ? { body } : {}) });
  const text = await res.text();
  return { status: res.status, headers: res.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

describe('a CDK-style RestApi built from Resource/Method resources', () => {
  it('serves the stage of its AWS::ApiGateway::Stage with every Method at the path of its ParentId chain', () => {
    const routes = emulator.apis[0]?.routes.map((r) => `${r.method} ${r.path} ${r.integration} ${r.functionLogicalId ?? '-'}`);

    expect(emulator.apis.map((a) => [a.logicalId, a.stageName])).toEqual([['ItemsApi', 'prod']]);
    expect(routes).toEqual([
      'GET / mock -',
      'GET /items aws_proxy ItemsHandler',
      'POST /items aws_proxy ItemsHandler',
      'OPTIONS /items mock -',
      'GET /items/{id} aws ItemFunction',
      'PUT /items/{id} aws_proxy ItemsHandler',
      'DELETE /items/{id} mock -',
      'ANY /files/{proxy+} aws_proxy ItemsHandler',
    ]);
  });

  it.each([
    { method: 'GET', path: '/', status: 200 },
    { method: 'HEAD', path: '/', status: 403 },
    { method: 'GET', path: '/nothing', status: 403 },
    { method: 'GET', path: '/files', status: 403 },
  ])('R4.1 / R0.1 the root resource has its own method: $method $path → $status', async ({ method, path, status }) => {
    const got = await send(method, path);

    expect(got.status).toBe(status);
    if (status === 200) expect(got.json()).toEqual({ service: 'items', stage: 'prod' });
    else expect(got.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
  });

  it('R1.10 / R1.18 a Lambda proxy method gets the resource path, stage variables and the imported value given at start', async () => {
    const got = await send('GET', '/items');

    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ resource: '/items', path: '/items', method: 'GET', stage: 'prod', stageVariables: { greeting: 'hello' }, sharedBucket: 'bucket-from-import' });
  });

  it.each([
    { method: 'PATCH', path: '/files/a/b', proxy: 'a/b' },
    { method: 'GET', path: '/files/x', proxy: 'x' },
  ])('R11.8 ANY on a {proxy+} resource serves $method $path', async ({ method, path, proxy }) => {
    const got = await send(method, path);

    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ resource: '/files/{proxy+}', method, pathParameters: { proxy } });
  });

  it('R1.54 a method whose function no CfnPermission SourceArn covers answers 500', async () => {
    const got = await send('PUT', '/items/1');

    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
  });

  it.each([
    { id: '42', status: 200, body: { item: { id: '42', tenant: 't1', name: 'item 42' } }, reason: null },
    { id: 'missing', status: 404, body: { message: 'NotFound: no item missing' }, reason: 'not-found' },
  ])('R2.6 / R2.9 a non-proxy Lambda method (inline ZipFile code) maps id=$id to $status', async ({ id, status, body, reason }) => {
    const got = await send('GET', `/items/${id}`, { 'x-tenant': 't1' });

    expect(got.status).toBe(status);
    expect(got.json()).toEqual(body);
    expect(got.headers.get('x-reason')).toBe(reason);
  });

  it.each([
    { given: 'no x-tenant header', headers: {} as Record<string, string>, status: 400 },
    { given: 'x-tenant and no optional verbose query', headers: { 'x-tenant': 't1' }, status: 200 },
  ])('R5.2 RequestParameters required by the params validator: $given → $status', async ({ headers, status }) => {
    const got = await send('GET', '/items/42', headers);

    expect(got.status).toBe(status);
    if (status === 400) expect(got.json()).toEqual({ message: 'Missing required request parameters: [x-tenant]' });
  });

  it.each([
    { given: 'no token', headers: {} as Record<string, string>, body: '{"name":"a"}', status: 401 },
    { given: 'a token failing IdentityValidationExpression', headers: { Authorization: 'Basic x' }, body: '{"name":"a"}', status: 401 },
    { given: 'a denied token', headers: { Authorization: 'Bearer deny', 'x-api-key': KEY }, body: '{"name":"a"}', status: 403 },
    { given: 'an allowed token and no API key', headers: { Authorization: 'Bearer allow' }, body: '{"name":"a"}', status: 403 },
    { given: 'an allowed token, a key and a body failing ItemModel', headers: { Authorization: 'Bearer allow', 'x-api-key': KEY }, body: '{}', status: 400 },
    { given: 'an allowed token, a key and a valid body', headers: { Authorization: 'Bearer allow', 'x-api-key': KEY }, body: '{"name":"a"}', status: 200 },
  ])('R0.3 / R0.4 / R0.5 TOKEN authorizer, ApiKeyRequired, RequestModels: $given → $status', async ({ headers, body, status }) => {
    const got = await send('POST', '/items', { 'content-type': 'application/json', ...headers }, body);

    expect(got.status).toBe(status);
    if (status === 200) expect(got.json()).toMatchObject({ principalId: 'user-1', tier: 'gold', body: '{"name":"a"}' });
    if (status === 400) expect(got.json()).toEqual({ message: 'Invalid request body' });
  });

  it('R8.3 the GatewayResponse resource customises UNAUTHORIZED', async () => {
    const got = await send('POST', '/items', { 'content-type': 'application/json' }, '{"name":"a"}');

    expect(got.json()).toEqual({ error: 'sign in first' });
    expect(got.headers.get('www-authenticate')).toBe('Bearer');
  });

  it.each([
    { given: 'no token', token: false, status: 401 },
    { given: 'an ID token of the pool', token: true, status: 204 },
  ])('R7.21 COGNITO_USER_POOLS authorizer with ProviderARNs: $given → $status', async ({ token, status }) => {
    const headers: Record<string, string> = token ? { Authorization: emulator.issueToken({ sub: 'cognito-user' }) } : {};

    const got = await send('DELETE', '/items/1', headers);

    expect(got.status).toBe(status);
  });

  it('R4.2 the MOCK OPTIONS method answers with its method response headers', async () => {
    const got = await send('OPTIONS', '/items');

    expect(got.status).toBe(204);
    expect(got.headers.get('access-control-allow-methods')).toBe('OPTIONS,GET,POST');
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
  });

  it('R6.4 the usage plan names the stage by Ref of the Stage resource: the key is listed for the API', () => {
    expect(emulator.apiKeys).toEqual({ UsagePlan: KEY });
    expect(emulator.apis[0]?.apiKey).toBe(KEY);
  });
});
