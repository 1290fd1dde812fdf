/**
 * `npm pack` of the gateway, installed into a SAM project outside the workspace (a temp folder), serves it:
 * the package stands on its own (bin, built JavaScript, declared dependencies), as a user would install it.
 * Dependencies come from npm's cache, filled by the workspace's own `npm ci` (--prefer-offline).
 */
import { execFile } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isPortOpen, REPO_ROOT, startEmulatorProcess, type EmulatorProcess } from '../e2e/emulator-process.js';

const run = promisify(execFile);
const FIXTURE = join(REPO_ROOT, 'tests/package/fixtures/greeter-app');
const npmEnv = { ...process.env, npm_config_update_notifier: 'false', npm_config_fund: 'false', npm_config_audit: 'false' };

describe('npm pack of sam-local-gateway, installed into a SAM project outside the workspace', () => {
  let work: string;
  let project: string;
  let tarball: string;
  let bin: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), 'gateway-pack-'));
    const { stdout } = await run('npm', ['pack', '--workspace', 'sam-local-gateway', '--pack-destination', work, '--json'], { cwd: REPO_ROOT, env: npmEnv });
    tarball = join(work, (JSON.parse(stdout) as { filename: string }[])[0]!.filename);
    project = join(work, 'greeter-app');
    cpSync(FIXTURE, project, { recursive: true });
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'greeter-app', version: '1.0.0', private: true, type: 'module' }));
    await run('npm', ['install', '--prefer-offline', '--no-audit', '--no-fund', '--save-dev', tarball], { cwd: project, env: npmEnv });
    bin = join(project, 'node_modules/.bin/sam-local-gateway');
  });
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('the tarball holds built JavaScript, the README and no TypeScript source', async () => {
    const { stdout } = await run('tar', ['-tzf', tarball]);
    const files = stdout.trim().split('\n');

    expect(files).toContain('package/dist/cli.js');
    // The bin: it builds first only in a checkout (scripts/ present), so installed it just runs dist/.
    expect(files).toContain('package/bin/sam-local-gateway.js');
    expect(files).toContain('package/README.md');
    expect(files).toContain('package/services/README.md');
    expect(files).toContain('package/package.json');
    expect(files.filter((f) => f.endsWith('.ts'))).toEqual([]);
    expect(files.filter((f) => f.includes('/scripts/') || f.endsWith('.build-stamp'))).toEqual([]);
  });

  it('installs with a sam-local-gateway bin, resolved inside the project, not the workspace', () => {
    expect(existsSync(bin)).toBe(true);
    expect(readdirSync(join(project, 'node_modules'))).toEqual(expect.arrayContaining(['sam-local-gateway', 'esbuild', 'dynalite', 'yaml']));
  });

  it('`sam-local-gateway --help` runs from the project', async () => {
    const { stdout } = await run(bin, ['--help'], { cwd: project });

    expect(stdout).toMatch(/start-api/);
  });

  describe('start-api in the project (its template.yaml by default)', () => {
    let emulator: EmulatorProcess;
    let port: number;

    beforeAll(async () => {
      emulator = await startEmulatorProcess(['start-api', '-p', '0', '--parameter-overrides', 'Greeting=howdy'], { installed: { bin, cwd: project }, timeoutMs: 120_000 });
      port = emulator.port;
    });
    afterAll(async () => {
      await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
    });

    it('R13.4 R1.17 serves the implicit API: the TypeScript handler built by the installed esbuild answers', async () => {
      const res = await fetch(`${emulator.url}/greet/ada`);

      expect(emulator.url).toBe(`http://127.0.0.1:${port}/Prod`);
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ message: 'howdy, ada', stage: 'Prod', table: expect.stringMatching(/GreetingsTable/) });
    });

    it('R2.1 an unknown route is answered as API Gateway does', async () => {
      const res = await fetch(`${emulator.url}/nope`);

      expect(res.status).toBe(403);
      expect(await res.json()).toEqual({ message: 'Missing Authentication Token' });
    });

    it('stops on SIGTERM and frees its port', async () => {
      const exit = await emulator.stop('SIGTERM', 15_000);

      expect(exit.code === 0 || exit.signal === 'SIGTERM').toBe(true);
      expect(await isPortOpen(port)).toBe(false);
    });
  });
});
