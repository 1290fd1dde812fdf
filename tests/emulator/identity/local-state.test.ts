import { execFileSync } from 'node:child_process';
import { statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LOCAL_DIR_ENV, LocalState, localDirFor } from '../../../emulator/identity/local-state.js';
import { tempLocalState } from './support/fixtures.js';

describe('local state folder', () => {
  const local = tempLocalState();
  afterAll(() => local.cleanup());

  it('creates the folder (0700) and file (0600) on first use and returns the same value afterwards', () => {
    let created = 0;
    const make = () => `value-${++created}`;
    expect(local.state.getOrCreate('secrets', 'A', make)).toBe('value-1');
    expect(new LocalState(local.state.dir).getOrCreate('secrets', 'A', make)).toBe('value-1');
    expect(created).toBe(1);
    expect(statSync(local.state.dir).mode & 0o777).toBe(0o700);
    expect(statSync(local.state.fileOf('secrets')).mode & 0o777).toBe(0o600);
  });

  it('keeps other entries when adding one', () => {
    local.state.getOrCreate('api-keys', 'K1', () => 'one');
    local.state.getOrCreate('api-keys', 'K2', () => 'two');
    expect(local.state.getOrCreate('api-keys', 'K1', () => 'changed')).toBe('one');
  });

  it('names the file when it is not valid JSON', () => {
    writeFileSync(local.state.fileOf('cognito-keys'), '{oops');
    expect(() => local.state.getOrCreate('cognito-keys', 'P', () => 1)).toThrow(`${local.state.fileOf('cognito-keys')}: not valid JSON`);
  });

  it.each([
    { env: {}, want: '/repo/app/.local' },
    { env: { [LOCAL_DIR_ENV]: '/tmp/elsewhere' }, want: '/tmp/elsewhere' },
  ])('defaults to .local next to the template unless TASK_API_LOCAL_DIR is set ($want)', ({ env, want }) => {
    expect(localDirFor('/repo/app/template.yaml', env)).toBe(want);
  });

  it('the default folder is gitignored by the repository', () => {
    const root = join(import.meta.dirname, '../../..');
    const file = new LocalState(localDirFor(join(root, 'template.yaml'), {})).fileOf('api-keys');
    const ignored = execFileSync('git', ['check-ignore', '--no-index', file], { cwd: root }).toString();
    expect(ignored.trim()).toBe(join(root, '.local', 'api-keys.json'));
  });
});
