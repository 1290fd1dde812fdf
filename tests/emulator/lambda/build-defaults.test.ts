import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionBuilder } from '../../../emulator/lambda/build.js';
import type { FunctionBuild } from '../../../emulator/template/model.js';
import { functionSpec } from './support/function-spec.js';

const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
const TEMPLATE = '/app/template.yaml';

afterAll(() => rmSync(BUILD_DIR, { recursive: true, force: true }));

/** Builds `source` as app.ts with these BuildProperties and calls its handler (or returns the build's error). */
async function run(source: string, build: Omit<FunctionBuild, 'entryPoints'>): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'fn-'));
  writeFileSync(join(dir, 'app.ts'), source);
  const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, randomUUID()));
  try {
    const built = await builder.build(functionSpec('Fn', { codeDir: dir, build: { entryPoints: [join(dir, 'app.ts')], ...build } }));
    const mod = (await import(built.file)) as Record<string, unknown> & { default?: Record<string, unknown> };
    const handler = (mod.handler ?? mod.default?.handler) as () => Promise<string>;
    return await handler();
  } catch (error) {
    return String(error);
  } finally {
    await builder.dispose();
  }
}

// sam build's esbuild step (aws-lambda-builders' build_default_values) adds --minify when BuildProperties has no
// Minify and --target=es2020 when it has no Target: the deployed bundle is built so, and a local one must be too.
describe('esbuild defaults of sam build when BuildProperties leaves them out', () => {
  const named = 'class NotFoundError extends Error { constructor() { super("gone"); this.name = this.constructor.name; } }\nexport const handler = async (): Promise<string> => new NotFoundError().name;\n';

  it.each([
    { given: 'no Minify: minified as sam build does, the class renamed', build: {}, renamed: true },
    { given: 'Minify false', build: { minify: false }, renamed: false },
    { given: 'Minify true', build: { minify: true }, renamed: true },
  ])('$given', async ({ build, renamed }) => {
    const name = await run(named, build);

    if (renamed) expect(name).not.toBe('NotFoundError');
    else expect(name).toBe('NotFoundError');
    expect(name).toMatch(/^[A-Za-z_$][\w$]*$/);
  });

  const topLevelAwait = 'const ready = await Promise.resolve("ready");\nexport const handler = async (): Promise<string> => ready;\n';

  it.each([
    { given: 'no Target: es2020, where sam build refuses a top-level await', build: { format: 'esm' as const }, want: /esbuild failed: .*Top-level await is not available in the configured target environment \("es2020"\)/ },
    { given: 'Target es2022', build: { format: 'esm' as const, target: 'es2022' }, want: /^ready$/ },
    { given: 'Target node20', build: { format: 'esm' as const, target: 'node20' }, want: /^ready$/ },
  ])('$given', async ({ build, want }) => {
    expect(await run(topLevelAwait, build)).toMatch(want);
  });
});
