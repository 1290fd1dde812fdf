/** startEmulator (emulator/app.ts): what a start that cannot go on leaves behind. */
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/app.js';
import { TemplateError } from '../../emulator/template/model.js';

const dirs: string[] = [];
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe('startEmulator', () => {
  it('a template path that does not exist is a TemplateError, and no local state is written beside it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'app-'));
    dirs.push(dir);
    const templatePath = join(dir, 'nested', 'template.yaml');

    const started = startEmulator({ templatePath, port: 0 });

    await expect(started).rejects.toBeInstanceOf(TemplateError);
    expect(existsSync(join(dir, 'nested'))).toBe(false);
  });
});
