/**
 * The /docs page in a real browser (playwright-core driving Debian's Chromium; `.ci/run` installs it): the
 * Task API's contract in Swagger UI, authorized with a local key and token, one "Try it out" call answered by
 * the local gateway. Leaves a screenshot in .ci/out/docs-try-it.png.
 */
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/app.js';
import type { RequestLogEntry } from '../../emulator/gateway/types.js';

const ROOT = join(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const SCREENSHOT = join(ROOT, '.ci/out/docs-try-it.png');

describe('/docs: the contract in Swagger UI, tried against the local gateway', () => {
  let emulator: RunningEmulator;
  let browser: Browser;
  let page: Page;
  let localDir: string;
  const served: RequestLogEntry[] = [];

  beforeAll(async () => {
    localDir = mkdtempSync(join(tmpdir(), 'docs-browser-'));
    emulator = await startEmulator({ templatePath: join(ROOT, 'template.yaml'), port: 0, localDir, onRequest: (entry) => served.push(entry), warmContainers: 'EAGER' });
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] });
    page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
  });
  afterAll(async () => {
    await browser?.close();
    await emulator?.close();
    rmSync(localDir, { recursive: true, force: true });
  });

  it('lists the docs URL outside the stage path and renders the contract from local assets only', async () => {
    const api = emulator.apis[0]!;
    const outside: string[] = [];
    page.on('request', (request) => {
      if (!request.url().startsWith(`http://127.0.0.1:${api.port}/`)) outside.push(request.url());
    });

    await page.goto(api.docsUrl!);
    await page.locator('.swagger-ui .info .title').waitFor();

    expect(api.docsUrl).toBe(`http://127.0.0.1:${api.port}/docs`);
    expect(await page.locator('.swagger-ui .info .title').textContent()).toContain('Task API');
    expect(outside).toEqual([]);
  });

  it('R0.3 R0.4 authorizes with a local key and Cognito token, and "Try it out" GET /tasks answers 200 from the gateway', async () => {
    const key = emulator.apiKeys.BasicUsagePlan as string;
    const token = emulator.issueToken({ sub: 'docs-user', email: 'docs-user@example.com' });
    await page.locator('.auth-wrapper button.authorize').click();
    for (const [scheme, value] of [['ApiKey', key], ['CognitoUserPool', token]] as const) {
      const container = page.locator('.auth-container form', { has: page.locator('h4', { hasText: new RegExp(`^\\s*${scheme}\\s*\\(`) }) });
      await container.locator('input').fill(value);
      await container.locator('button.authorize').click();
    }
    await page.locator('.modal-ux button.btn-done, .modal-ux button.close-modal').first().click();
    const operation = page.locator('.opblock-get', { has: page.locator('.opblock-summary-path[data-path="/tasks"]') });
    await operation.locator('.opblock-summary').click();
    await operation.locator('button.execute').click();
    const status = operation.locator('.live-responses-table .response .response-col_status');
    await status.waitFor();

    const body = await operation.locator('.live-responses-table .response-col_description pre').first().textContent();
    mkdirSync(join(ROOT, '.ci/out'), { recursive: true });
    await page.screenshot({ path: SCREENSHOT, fullPage: false });
    expect((await status.textContent())?.trim()).toBe('200');
    expect(JSON.parse(body ?? '')).toEqual({ data: [], pagination: { hasMore: false, nextCursor: null } });
    expect(served).toContainEqual(expect.objectContaining({ method: 'GET', path: '/v1/tasks', status: 200 }));
  });
});
