/** `sam-local-gateway usage` (`npm run usage`) as a child process over the limits fixture and a local folder holding counted usage. */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { apiKeyIdFor, usagePlanIdFor } from '../../../emulator/identity/local-ids.js';
import { LOCAL_DIR_ENV } from '../../../emulator/identity/local-state.js';
import { tempLocalState } from '../identity/support/fixtures.js';

const run = promisify(execFile);
const ROOT = join(import.meta.dirname, '../../..');
const TEMPLATE = 'tests/emulator/fixtures/limits/template.yaml';
const ACCOUNT = '123456789012';

describe('npm run usage', () => {
  const local = tempLocalState();
  afterAll(() => local.cleanup());
  const env = { ...process.env, [LOCAL_DIR_ENV]: local.state.dir };
  const tool = (args: string[]) => run(process.execPath, ['emulator/dist/cli.js', 'usage', '--template', TEMPLATE, ...args], { env, cwd: ROOT });

  it('R6.14 prints each plan key\'s [used, remaining] per day, like aws apigateway get-usage', async () => {
    const plan = usagePlanIdFor('QuotaPlan', ACCOUNT);
    const key = apiKeyIdFor('QuotaKey', ACCOUNT);
    local.state.write('usage', { [plan]: { [key]: { '2026-11-29': 1, '2026-11-30': 2 } } });
    const { stdout } = await tool(['--start-date', '2026-11-29', '--end-date', '2026-11-30', '--usage-plan', 'QuotaPlan']);
    expect(JSON.parse(stdout)).toEqual([
      { usagePlanId: plan, usagePlan: 'QuotaPlan', startDate: '2026-11-29', endDate: '2026-11-30', items: { [key]: [[1, 2], [2, 1]] }, keys: { [key]: 'QuotaKey' } },
    ]);
  });

  it('a malformed date is a usage error on stderr with exit code 1, nothing on stdout', async () => {
    const failure = await tool(['--start-date', 'yesterday']).then(
      () => undefined,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    expect(failure).toMatchObject({ code: 1, stdout: '' });
    expect(failure?.stderr).toMatch(/--start-date: expected a date YYYY-MM-DD, got "yesterday"/);
  });
});
