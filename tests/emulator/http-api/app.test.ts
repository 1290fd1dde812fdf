/** HTTP APIs in the composition root: served over HTTP next to REST APIs, in the startup report, refused by --strict. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, StrictModeError, type RunningEmulator } from '../../../emulator/app.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { CFN_TEMPLATE, SAM_TEMPLATE } from './harness.js';

const localDir = mkdtempSync(join(tmpdir(), 'http-api-app-'));
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: SAM_TEMPLATE, port: 0, localDir, maxConcurrency: 1 });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

describe('startEmulator with HTTP APIs', () => {
  it('H3.1 serves the implicit API at its root and the named-stage API under its stage, over HTTP', async () => {
    const implicit = emulator.apis.find((a) => a.logicalId === 'ServerlessHttpApi');
    const named = emulator.apis.find((a) => a.logicalId === 'AuthApi');
    expect(implicit?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(named?.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/dev$/);
    const res = await fetch(`${implicit!.url}/shape`, { headers: { 'x-shape': 'string' } });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe('hello');
    expect(res.headers.get('apigw-requestid')).toBeTruthy();
    const open = await fetch(`${named!.url}/open`);
    expect(open.status).toBe(200);
  });

  it('the startup report lists every HTTP API route with its authorizer and every setting', () => {
    const report = formatStartupReport(emulator, 1);
    expect(report).toContain('HTTP API ServerlessHttpApi (stage $default)');
    expect(report).toContain('HTTP API AuthApi (stage dev)');
    expect(report).toMatch(/emulated\s+GET\s+\/scoped\s+aws_proxy -> EchoFunction auth=Jwt \(payload 2\.0 scopes=tasks\/read\)/);
    expect(report).toMatch(/emulated\s+\$default\s+aws_proxy -> EchoFunction/);
    expect(report).toMatch(/EMULATED\s+CORS configuration/);
    expect(report).toMatch(/IGNORED\s+DetailedMetricsEnabled/);
    expect(report).toMatch(/EMULATED\s+Throttling/);
  });
});

describe('/docs on HTTP API ports', () => {
  it('H3.4 an API whose $default stage routes match /docs keeps it: the request reaches its route, and the report says why there is no page', async () => {
    const implicit = emulator.apis.find((a) => a.logicalId === 'ServerlessHttpApi')!;

    const res = await fetch(`${implicit.url}/docs`);

    expect(implicit.docsUrl).toBeUndefined();
    expect(res.headers.get('content-type')).not.toContain('text/html');
    expect(formatStartupReport(emulator, 1)).toContain('Docs: not served (route ANY /{proxy+} owns GET /docs)');
  });

  it('H0.1 an API on a named stage has its page at the root of its port', async () => {
    const named = emulator.apis.find((a) => a.logicalId === 'AuthApi')!;

    const res = await fetch(named.docsUrl!);

    expect(named.docsUrl).toBe(`http://127.0.0.1:${named.port}/docs`);
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('"url":"/docs/AuthApi.json"');
  });
});

describe('--strict with HTTP APIs', () => {
  it('refuses a template whose HTTP API routes use what is not emulated (a VPC link), not its AWS_IAM route', async () => {
    const error = await startEmulator({ templatePath: CFN_TEMPLATE, port: 0, localDir, strict: true }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StrictModeError);
    const items = (error as StrictModeError).items.join('\n');
    expect(items).toContain('GET /website: private integrations (connectionType VPC_LINK');
    expect(items).not.toContain('/iam');
    expect(items).not.toContain('/items');
  });
});
