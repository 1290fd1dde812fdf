/**
 * The /docs page in a real browser (playwright-core driving Debian's Chromium; `.ci/run` installs it): the
 * Task API's contract in Swagger UI, authorized with a local key and token, one "Try it out" call answered by
 * the local gateway; then the HTTP API variant's page (ApiType=HTTP) with a bearer token. Leaves screenshots in
 * .ci/out/docs-try-it.png and .ci/out/docs-try-it-http.png.
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
const HTTP_SCREENSHOT = join(ROOT, '.ci/out/docs-try-it-http.png');
const LAUNCH = { executablePath: CHROMIUM, args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'] };

/** Authorize on the page's schemes, run GET /tasks with "Try it out", save a screenshot; the status and body shown. */
async function tryListTasks(page: Page, credentials: [scheme: string, value: string][], screenshot: string): Promise<{ status: string | undefined; body: string }> {
  await page.locator('.auth-wrapper button.authorize').click();
  for (const [scheme, value] of credentials) {
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
  await page.screenshot({ path: screenshot, fullPage: false });
  return { status: (await status.textContent())?.trim(), body: body ?? '' };
}

/** What the page's Content-Security-Policy blocked so far. */
const cspViolations = (page: Page): Promise<string[]> => page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations);

interface Session {
  emulator: RunningEmulator;
  page: Page;
  served: RequestLogEntry[];
}

/** The Task API served with these parameter overrides and a browser page, for the tests of one describe block. */
function session(parameterOverrides: Record<string, string> = {}): Session {
  const current = { served: [] as RequestLogEntry[] } as Session;
  let browser: Browser | undefined;
  let localDir = '';
  beforeAll(async () => {
    localDir = mkdtempSync(join(tmpdir(), 'docs-browser-'));
    current.emulator = await startEmulator({ templatePath: join(ROOT, 'template.yaml'), parameterOverrides, port: 0, localDir, onRequest: (entry) => current.served.push(entry), warmContainers: 'EAGER' });
    browser = await chromium.launch(LAUNCH);
    current.page = await browser.newPage({ viewport: { width: 1280, height: 2000 } });
    // Every Content-Security-Policy violation on the page (a script, style or call the policy blocked), from the start.
    await current.page.addInitScript(() => {
      const seen: string[] = [];
      (window as unknown as { cspViolations: string[] }).cspViolations = seen;
      document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.effectiveDirective} ${e.blockedURI} ${e.sourceFile}:${e.lineNumber}`));
    });
  });
  afterAll(async () => {
    await browser?.close();
    await current.emulator?.close();
    rmSync(localDir, { recursive: true, force: true });
  });
  return current;
}

describe('/docs: the contract in Swagger UI, tried against the local gateway', () => {
  const rest = session();

  it('lists the docs URL outside the stage path and renders the contract from local assets only', async () => {
    const api = rest.emulator.apis[0]!;
    const outside: string[] = [];
    rest.page.on('request', (request) => {
      if (!request.url().startsWith(`http://127.0.0.1:${api.port}/`)) outside.push(request.url());
    });

    const response = await rest.page.goto(api.docsUrl!);
    await rest.page.locator('.swagger-ui .info .title').waitFor();

    expect(response?.headers()['content-security-policy']).toMatch(/^default-src 'self'; script-src 'self' 'sha256-/);
    expect(response?.headers()['x-content-type-options']).toBe('nosniff');
    expect(api.docsUrl).toBe(`http://127.0.0.1:${api.port}/docs`);
    expect(await rest.page.locator('.swagger-ui .info .title').textContent()).toContain('Task API');
    expect(outside).toEqual([]);
  });

  it('R0.3 R0.4 authorizes with a local key and Cognito token, and "Try it out" GET /tasks answers 200 from the gateway', async () => {
    const key = rest.emulator.apiKeys.BasicUsagePlan as string;
    const token = rest.emulator.issueToken({ sub: 'docs-user', email: 'docs-user@example.com' });

    const { status, body } = await tryListTasks(rest.page, [['ApiKey', key], ['CognitoUserPool', token]], SCREENSHOT);

    expect(status).toBe('200');
    expect(JSON.parse(body)).toEqual({ data: [], pagination: { hasMore: false, nextCursor: null } });
    expect(rest.served).toContainEqual(expect.objectContaining({ method: 'GET', path: '/v1/tasks', status: 200 }));
    // The page works under its Content-Security-Policy: rendering, authorizing and "Try it out" were never blocked.
    expect(await cspViolations(rest.page)).toEqual([]);
  });
});

describe('/docs of the HTTP API variant (ApiType=HTTP): a bearer token, no API key', () => {
  const http = session({ ApiType: 'HTTP' });

  it('H7.1 authorizes with a local token as the bearer JWT, and "Try it out" GET /tasks answers 200 from the HTTP API', async () => {
    const api = http.emulator.apis[0]!;
    const token = http.emulator.issueToken({ sub: 'docs-user', email: 'docs-user@example.com' });
    await http.page.goto(api.docsUrl!);
    await http.page.locator('.swagger-ui .info .title').waitFor();

    const { status, body } = await tryListTasks(http.page, [['CognitoUserPool', token]], HTTP_SCREENSHOT);

    expect(api.kind).toBe('http');
    expect(status).toBe('200');
    expect(JSON.parse(body)).toEqual({ data: [], pagination: { hasMore: false, nextCursor: null } });
    expect(http.served).toContainEqual(expect.objectContaining({ method: 'GET', path: '/v1/tasks', status: 200 }));
    expect(await cspViolations(http.page)).toEqual([]);
  });
});
