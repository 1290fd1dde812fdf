import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionBuilder, splitHandler } from '../../../emulator/lambda/build.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import type { FunctionSpec } from '../../../emulator/template/model.js';

const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
const TEMPLATE = '/app/template.yaml';

function spec(codeDir: string, overrides: Partial<FunctionSpec> = {}): FunctionSpec {
  return {
    logicalId: 'Fn',
    functionName: 'Fn',
    arn: 'arn:aws:lambda:us-east-1:123456789012:function:Fn',
    codeDir,
    handler: 'app.handler',
    runtime: 'nodejs22.x',
    architectures: ['x86_64'],
    timeoutSeconds: 3,
    memorySizeMb: 128,
    environment: {},
    ...overrides,
  };
}

afterAll(() => rmSync(BUILD_DIR, { recursive: true, force: true }));

describe('splitHandler', () => {
  it.each([
    { given: 'app.handler', want: ['app', 'handler'] },
    { given: 'src/handlers/list.main', want: ['src/handlers/list', 'main'] },
    { given: 'index.v2.handler', want: ['index.v2', 'handler'] },
  ])('$given', ({ given, want }) => {
    expect(splitHandler(given)).toEqual(want);
  });
});

describe('FunctionBuilder', () => {
  it('bundles esbuild functions as sam build does, in cjs when Format is unset', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'app.ts'), 'export const handler = async (): Promise<string> => "cjs";\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'cjs'));

    const built = await builder.build(spec(dir, { build: { entryPoints: [join(dir, 'app.ts')] } }));
    const mod = (await import(built.file)) as { default: { handler: () => Promise<string> } };
    await builder.dispose();

    expect(built.file).toBe(join(BUILD_DIR, 'cjs', 'Fn', 'app.js'));
    expect(await mod.default.handler()).toBe('cjs');
  });

  it('a build failure names the template file, the logical id and the esbuild message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'app.ts'), 'export const handler = async ( => 1;\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'broken'));

    const act = builder.build(spec(dir, { build: { entryPoints: [join(dir, 'app.ts')] } }));

    await expect(act).rejects.toThrow(/^\/app\/template\.yaml: Resources\.Fn: esbuild failed: .*app\.ts:1: /);
    await builder.dispose();
  });

  it('a Handler naming no entry point is a TemplateError', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'app.ts'), 'export const handler = 1;\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'mismatch'));

    const act = builder.build(spec(dir, { handler: 'index.handler', build: { entryPoints: [join(dir, 'app.ts')] } }));

    await expect(act).rejects.toThrow(/Resources\.Fn\.Properties\.Handler: "index\.handler" matches no built entry point/);
    await builder.dispose();
  });

  it('a missing handler file lists what was tried', async () => {
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'missing'));

    await expect(builder.build(spec(mkdtempSync(join(tmpdir(), 'fn-'))))).rejects.toThrow(/no handler file in .* \(tried app\.js, app\.mjs/);
    await builder.dispose();
  });
});

describe('watch mode', () => {
  it('rebuilds on source change and replaces warm environments with the new code', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    const source = join(dir, 'app.ts');
    writeFileSync(source, 'export const handler = async (): Promise<string> => "v1";\n');
    const fn = spec(dir, { build: { entryPoints: [source], format: 'esm' } });
    let reloaded!: () => void;
    const reload = new Promise<void>((r) => (reloaded = r));
    const service = new LocalLambdaService(
      { path: TEMPLATE, region: 'us-east-1', functions: new Map([['Fn', fn]]) },
      { buildDir: join(BUILD_DIR, 'watch'), watch: true, onReload: () => reloaded() },
    );

    const before = await service.invoke('Fn', {});
    writeFileSync(source, 'export const handler = async (): Promise<string> => "v2";\n');
    await reload;
    const after = await service.invoke('Fn', {});
    await service.close();

    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
  });
});
