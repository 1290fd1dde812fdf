/**
 * Conformance: custom-runtime functions (provided.al2023) behind the gateway, as `sam local start-api` serves them: a
 * Lambda proxy route answered by a bootstrap through the Lambda runtime API (R1.12), the shell runtime of AWS's
 * tutorial, and the startup report's line on a function without a bootstrap.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { formatStartupReport } from '../../../emulator/report.js';

const TEMPLATE = resolve('tests/emulator/fixtures/custom-runtime/template.yaml');
const localDir = mkdtempSync(join(tmpdir(), 'custom-runtime-'));
let emulator: RunningEmulator;
let url: string;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, maxConcurrency: 1, log: () => {}, onRequest: () => {} });
  url = emulator.apis[0]!.url;
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

describe('custom runtimes behind the gateway', () => {
  it('R1.12 a provided.al2023 bootstrap gets the proxy event and its response is the answer', async () => {
    // Act
    const res = await fetch(`${url}/custom`);

    // Assess
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ path: '/custom', runtime: 'custom' });
  });

  it('the shell runtime of AWS\'s tutorial answers through the gateway', async () => {
    // Act
    const res = await fetch(`${url}/shell`);

    // Assess
    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/^Echoing request: \d+ bytes$/);
  });

  it('the startup report names a function with no bootstrap and what Lambda would answer', () => {
    // Act
    const report = formatStartupReport(emulator, 1);

    // Assess
    expect(report).toContain('NoBootstrapFunction: did not build, its requests fail (502 on a REST API and a function URL, 500 on an HTTP API): no bootstrap in');
    expect(report).toContain("Runtime.InvalidEntrypoint: Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]");
  });
});
