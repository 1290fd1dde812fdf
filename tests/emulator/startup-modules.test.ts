/**
 * What a start loads before its ready line: packages and Node modules needed only by some requests (Velocity for
 * mapping templates, aws-jwt-verify for Cognito tokens, Node's Fetch, esbuild when every build is cached) load on
 * first use, not on the way to ready (issue 13: start to ready). Checked on a template that uses all of them.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../..');
// Mock routes with mapping templates, a Cognito authorizer, API keys and TypeScript handlers.
const TEMPLATE = 'bench/fixtures/template.yaml';

/** Start the built gateway in a fresh process; list the packages whose code (not package.json) it had loaded, and whether Fetch was. */
const SCRIPT = `
import { createRequire } from 'node:module';
const { startEmulator } = await import(process.argv[2]);
const loaded = () => ({
  packages: [...new Set(Object.keys(createRequire(import.meta.url).cache).map((f) => /node_modules\\/((?:@[^/]+\\/)?[^/]+)\\/.*\\.c?js$/.exec(f)?.[1]).filter(Boolean))],
  fetch: process.moduleLoadList.some((m) => m.includes('internal/deps/undici')),
});
const emulator = await startEmulator({ templatePath: process.argv[3], port: 0, localDir: process.argv[4], log: () => {} });
const atReady = loaded();
const res = await fetch(emulator.apis[0].url + '/mock');
await res.text();
const afterMock = loaded();
await emulator.close();
console.log(JSON.stringify({ atReady, afterMock, status: res.status }));
`;

function startAndList(localDir: string, script: string): Promise<{ atReady: { packages: string[]; fetch: boolean }; afterMock: { packages: string[]; fetch: boolean }; status: number }> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [script, join(ROOT, 'emulator/dist/app.js'), TEMPLATE, localDir], { cwd: ROOT, timeout: 120_000 }, (error, stdout, stderr) => {
      if (error) return reject(new Error(`${error.message}\n${stderr}`));
      resolve(JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}'));
    });
  });
}

describe('start to ready', () => {
  const localDir = mkdtempSync(join(tmpdir(), 'startup-modules-'));
  const script = join(localDir, 'list-loaded.mjs');
  writeFileSync(script, SCRIPT);
  afterAll(() => rmSync(localDir, { recursive: true, force: true }));

  it('a start with its builds cached loads neither Velocity, aws-jwt-verify, esbuild nor Fetch before ready; the first mapping template loads Velocity', async () => {
    await startAndList(localDir, script); // builds the functions, if they were not

    const { atReady, afterMock, status } = await startAndList(localDir, script);

    expect(atReady.packages).not.toContain('velocityjs');
    expect(atReady.packages).not.toContain('aws-jwt-verify');
    expect(atReady.packages).not.toContain('esbuild');
    expect(atReady.fetch).toBe(false);
    expect(status).toBe(200);
    expect(afterMock.packages).toContain('velocityjs');
  });
});
