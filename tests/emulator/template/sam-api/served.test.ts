/**
 * The APIs SAM generates, served over HTTP (startEmulator on the sam-shapes fixtures): routes, authorizers,
 * API keys from a generated usage plan, CORS preflight, gateway responses and request validation answer as
 * API Gateway answers the translated template.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../emulator/app.js';

const FIXTURES = 'tests/emulator/fixtures/sam-shapes';
const localDir = mkdtempSync(join(tmpdir(), 'sam-shapes-served-'));
const running = new Map<string, RunningEmulator>();

const SERVED = ['implicit-paths', 'cognito-default', 'lambda-token', 'usage-plan-per-api', 'cors-globals', 'gateway-responses', 'models-validation'];

beforeAll(async () => {
  for (const name of SERVED) {
    running.set(name, await startEmulator({ templatePath: join(FIXTURES, `${name}.yaml`), port: 0, localDir: join(localDir, name) }));
  }
}, 180_000);
afterAll(async () => {
  for (const emulator of running.values()) await emulator.close();
  rmSync(localDir, { recursive: true, force: true });
});

function emulatorOf(name: string): RunningEmulator {
  const emulator = running.get(name);
  if (!emulator) throw new Error(`fixture ${name} not started`);
  return emulator;
}

const url = (name: string, path: string) => `${emulatorOf(name).apis[0]?.url}${path}`;

describe('implicit API (ServerlessRestApi, stage Prod)', () => {
  it('is served at /Prod', () => {
    expect(emulatorOf('implicit-paths').apis.map((a) => [a.logicalId, a.stageName])).toEqual([['ServerlessRestApi', 'Prod']]);
  });

  it('reports every route as served, the trailing-slash one with its permission', () => {
    expect(emulatorOf('implicit-paths').apis[0]?.routes.find((r) => r.path === '/things')).toMatchObject({ method: 'DELETE', emulated: true });
  });

  it.each([
    { method: 'GET', path: '/items/42', resource: '/items/{id}' },
    { method: 'PUT', path: '/items/42', resource: '/items/{id}' },
    { method: 'POST', path: '/items', resource: '/items' },
    { method: 'PATCH', path: '/', resource: '/' },
    { method: 'GET', path: '/any/deep/path', resource: '/{proxy+}' },
    { method: 'DELETE', path: '/items/42', resource: '/{proxy+}' },
    // Path: /things/ -- API Gateway drops the trailing slash at import, as SAM's permission does.
    { method: 'DELETE', path: '/things', resource: '/things' },
    { method: 'DELETE', path: '/things/', resource: '/things' },
  ])('R1.54 R2.1 $method $path reaches the function as $resource (SAM wrote its permission)', async ({ method, path, resource }) => {
    const res = await fetch(url('implicit-paths', path), { method });

    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ resource });
  });
});

describe('SAM Auth on a generated API', () => {
  it.each([
    { path: '/secured', token: undefined, status: 401 },
    { path: '/secured', token: { tokenUse: 'access' as const, scope: 'orders/read' }, status: 200 },
    { path: '/secured', token: { tokenUse: 'access' as const, scope: 'orders/admin' }, status: 401 },
    { path: '/secured', token: { tokenUse: 'id' as const }, status: 401 },
    { path: '/open', token: undefined, status: 200 },
  ])('R7.1 R7.22 Cognito DefaultAuthorizer (scope orders/read) in X-Id-Token: $path with $token -> $status', async ({ path, token, status }) => {
    const emulator = emulatorOf('cognito-default');
    const headers: Record<string, string> = token ? { 'X-Id-Token': emulator.issueToken({ sub: 'sam-user', ...token }) } : {};

    const res = await fetch(url('cognito-default', path), { headers });

    expect(res.status).toBe(status);
  });

  it.each([
    { token: 'Bearer allow', status: 200 },
    { token: 'Bearer deny', status: 401 },
    { token: 'not-a-bearer', status: 401 },
    { token: undefined, status: 401 },
  ])('R7.3 R7.6 Lambda TOKEN authorizer reading X-Token: $token -> $status', async ({ token, status }) => {
    const res = await fetch(url('lambda-token', '/default'), { headers: token ? { 'X-Token': token } : {} });

    expect(res.status).toBe(status);
  });

  it.each([
    { given: 'the generated key', key: true, status: 200 },
    { given: 'no key', key: false, status: 403 },
  ])('R6.4 UsagePlan PER_API: with $given -> $status', async ({ key, status }) => {
    const emulator = emulatorOf('usage-plan-per-api');
    const value = emulator.apiKeys.ApiUsagePlan;

    const res = await fetch(url('usage-plan-per-api', '/things'), { headers: key ? { 'x-api-key': String(value) } : {} });

    expect(typeof value).toBe('string');
    expect(res.status).toBe(status);
  });
});

describe('SAM Cors, GatewayResponses and request validation on a generated API', () => {
  it.each([
    { path: '/items', methods: 'GET,OPTIONS,POST' },
    { path: '/items/7', methods: 'DELETE,GET,HEAD,OPTIONS,PATCH,POST,PUT' },
  ])('R4.1 OPTIONS $path answers the preflight with the methods of the path', async ({ path, methods }) => {
    const res = await fetch(url('cors-globals', path), { method: 'OPTIONS' });

    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe(methods);
  });

  it.each([
    { given: 'an unknown route: its own MISSING_AUTHENTICATION_TOKEN (404), not DEFAULT_4XX', path: '/nowhere', status: 404, origin: null, echoed: null },
    { given: 'a missing API key: INVALID_API_KEY falls back to DEFAULT_4XX', path: '/keyed', status: 403, origin: '*', echoed: 'r-1' },
  ])('R8.3 R10.4 $given', async ({ path, status, origin, echoed }) => {
    const res = await fetch(url('gateway-responses', path), { headers: { 'X-Request': 'r-1' } });

    expect(res.status).toBe(status);
    expect(res.headers.get('access-control-allow-origin')).toBe(origin);
    expect(res.headers.get('x-request')).toBe(echoed);
  });

  it.each([
    { given: 'a body the model refuses', method: 'POST', path: '/orders', body: '{"quantity": 0}', headers: {}, status: 400, message: 'Invalid request body' },
    { given: 'a body the model accepts', method: 'POST', path: '/orders', body: '{"item": "tea"}', headers: {}, status: 200, message: undefined },
    { given: 'a missing required header', method: 'GET', path: '/orders', body: undefined, headers: {}, status: 400, message: 'Missing required request parameters: [X-Tenant]' },
    { given: 'the required header', method: 'GET', path: '/orders', body: undefined, headers: { 'X-Tenant': 'acme' }, status: 200, message: undefined },
  ])('R5.2 R5.4 RequestModel/RequestParameters: $given -> $status', async ({ method, path, body, headers, status, message }) => {
    const all: Record<string, string> = { 'content-type': 'application/json', ...(headers as Record<string, string>) };
    const res = await fetch(url('models-validation', path), { method, body, headers: all });
    const json = (await res.json()) as { message?: string };

    expect(res.status).toBe(status);
    if (message !== undefined) expect(json.message).toBe(message);
  });
});
