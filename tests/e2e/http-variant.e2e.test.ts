/**
 * End to end: `npm run start:http` serves the Task API's HTTP API variant (template.yaml with ApiType=HTTP),
 * and a repeated --parameter-overrides adds to the script's own instead of replacing it.
 * Rule ids refer to /work/shared/reference/apigw-http-semantics.md.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, isPortOpen, startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';

describe('npm run start:http -- --parameter-overrides StageName=v2', () => {
  let emulator: EmulatorProcess;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    emulator = await startEmulatorProcess(['--port', String(port), '--parameter-overrides', 'StageName=v2'], { launcher: 'npm', script: 'start:http', timeoutMs: 90_000 });
  });
  afterAll(async () => {
    await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
  });

  it('H3.1 serves TaskHttpApi on the named stage given by the extra override, keeping ApiType=HTTP', () => {
    expect(emulator.apiLogicalId).toBe('TaskHttpApi');
    expect(emulator.url).toBe(`http://127.0.0.1:${port}/v2`);
  });

  it('reports every route as an emulated Lambda proxy integration, getTask and getHealth included', () => {
    const routes: [string, string, string][] = [
      ['GET', '/health', 'GetHealthFunction'],
      ['GET', '/tasks/{taskId}', 'GetTaskFunction'],
      ['PUT', '/tasks/{taskId}', 'UpdateTaskFunction'],
      ['GET', '/admin/users/{userId}/tasks', 'ListUserTasksFunction'],
    ];
    for (const [method, path, fn] of routes) {
      expect(emulator.stdout()).toMatch(new RegExp(`emulated\\s+${method}\\s+${path.replace(/[{}]/g, '\\$&')}\\s+aws_proxy -> ${fn}`));
    }
  });

  it.each([
    { path: '/health', status: 200, body: { status: 'ok' } },
    { path: '/tasks', status: 401, body: { message: 'Unauthorized' } },
    { path: '/nothing', status: 404, body: { message: 'Not Found' } },
  ])('H10.1 H10.2 GET /v2$path answers $status', async ({ path, status, body }) => {
    const res = await fetch(`${emulator.url}${path}`);

    expect(res.status).toBe(status);
    expect(res.headers.get('apigw-requestid')).toMatch(/\S/);
    expect(await res.json()).toEqual(body);
  });

  it('lists the docs page of the HTTP API, whose document targets the local stage with a bearer JWT and no API key', async () => {
    const docsUrl = `http://127.0.0.1:${port}/docs`;

    const doc = await (await fetch(`${docsUrl}/TaskHttpApi.json`)).json();

    expect(emulator.stdout()).toContain(`Docs: ${docsUrl} (Swagger UI of this API`);
    expect(doc.servers).toEqual([{ url: emulator.url, description: 'local gateway' }]);
    expect(doc.components.securitySchemes.CognitoUserPool).toMatchObject({ type: 'http', scheme: 'bearer' });
    expect(doc.paths['/tasks'].get.security).toEqual([{ CognitoUserPool: [] }]);
  });

  it('stops cleanly on SIGINT', async () => {
    const exit = await emulator.stop('SIGINT', 10_000);

    expect(exit.signal === 'SIGINT' || exit.code === 0, `exit ${JSON.stringify(exit)}\nstderr:\n${emulator.stderr()}`).toBe(true);
    expect(await isPortOpen(port)).toBe(false);
  });
});
