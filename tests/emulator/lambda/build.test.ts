import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionBuilder, sweepStaleStaging } from '../../../emulator/lambda/build.js';
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

describe('FunctionBuilder', () => {
  it.each([
    { given: 'app.ts', file: 'app.ts' },
    { given: 'app (no extension: its .ts file, as sam build reads it)', file: 'app.ts' },
    { given: 'app (no extension, no .ts file: its .js file)', file: 'app.js' },
  ])('bundles esbuild functions as sam build does, in cjs when Format is unset: entry point $given', async ({ given, file }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, file), `export const handler = async () => "cjs from ${file}";\n`);
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, `cjs-${file}-${given.length}`));

    // Act
    const built = await builder.build(spec(dir, { build: { entryPoints: [join(dir, given.split(' ')[0] as string)] } }));
    const mod = (await import(built.file)) as { default: { handler: () => Promise<string> } };
    await builder.dispose();

    // Assess
    expect(dirname(dirname(built.file))).toBe(join(BUILD_DIR, `cjs-${file}-${given.length}`));
    expect(basename(built.file)).toBe('app.js');
    expect(await mod.default.handler()).toBe(`cjs from ${file}`);
  });

  it.each([
    { given: 'MainFields module,main: the package`s ES module build (sqs-lambda-ddb-sam-ts)', mainFields: ['module', 'main'], want: 'esm-build' },
    { given: 'no MainFields: esbuild`s default for node, the package`s main', mainFields: undefined, want: 'cjs-build' },
  ])('$given', async ({ mainFields, want }) => {
    // Prepare: a package with both builds, as the AWS SDK ships them.
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    const pkg = join(dir, 'node_modules', 'dual');
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: 'dual', main: 'cjs.js', module: 'esm.js' }));
    writeFileSync(join(pkg, 'cjs.js'), 'exports.which = "cjs-build";\n');
    writeFileSync(join(pkg, 'esm.js'), 'export const which = "esm-build";\n');
    writeFileSync(join(dir, 'app.ts'), 'import { which } from "dual";\nexport const handler = async (): Promise<string> => which;\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, `main-fields-${want}`));

    // Act
    const built = await builder.build(spec(dir, { build: { entryPoints: [join(dir, 'app.ts')], ...(mainFields ? { mainFields } : {}) } }));
    const mod = (await import(built.file)) as { default: { handler: () => Promise<string> } };
    await builder.dispose();

    // Assess
    expect(await mod.default.handler()).toBe(want);
  });

  it('functions with the same build settings are bundled by one build, each into its own file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'one.ts'), 'export const handler = async (): Promise<string> => "one";\n');
    writeFileSync(join(dir, 'two.ts'), 'export const handler = async (): Promise<string> => "two";\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'grouped'));
    const one = spec(dir, { logicalId: 'One', handler: 'one.handler', build: { entryPoints: [join(dir, 'one.ts')], format: 'esm' } });
    const two = spec(dir, { logicalId: 'Two', handler: 'two.handler', build: { entryPoints: [join(dir, 'two.ts')], format: 'esm' } });
    builder.plan([one, two]);

    const [builtOne, builtTwo] = await Promise.all([builder.build(one), builder.build(two)]);
    const modules = await Promise.all([import(builtOne.file), import(builtTwo.file)]) as { handler: () => Promise<string> }[];
    await builder.dispose();

    expect(dirname(builtOne.file)).toBe(dirname(builtTwo.file));
    expect(builtOne.file).not.toBe(builtTwo.file);
    expect(await Promise.all(modules.map((m) => m.handler()))).toEqual(['one', 'two']);
  });

  /** Two functions importing one module, built as one group in `format`. */
  async function twoSharingOneModule(name: string, format?: 'esm'): Promise<string[]> {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'shared.ts'), 'export const greet = (who: string): string => `shared-code for ${who}`;\n');
    for (const fn of ['one', 'two']) writeFileSync(join(dir, `${fn}.ts`), `import { greet } from "./shared";\nexport const handler = async (): Promise<string> => greet("${fn}");\n`);
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, name));
    const specs = ['one', 'two'].map((fn) => spec(dir, { logicalId: fn, handler: `${fn}.handler`, build: { entryPoints: [join(dir, `${fn}.ts`)], ...(format ? { format } : {}) } }));
    builder.plan(specs);
    const built = await Promise.all(specs.map((s) => builder.build(s)));
    await builder.dispose();
    return built.map((b) => b.file);
  }

  it('in ES modules, code two functions share is written once, in a chunk each bundle imports', async () => {
    const files = await twoSharingOneModule('split', 'esm');

    const modules = (await Promise.all(files.map((f) => import(f)))) as { handler: () => Promise<string> }[];
    const outDir = dirname(files[0]!);
    const withShared = readdirSync(outDir).filter((f) => f.endsWith('.js') && readFileSync(join(outDir, f), 'utf8').includes('shared-code for'));
    expect(withShared).toHaveLength(1);
    expect(withShared[0]).toMatch(/^chunk-/);
    expect(await Promise.all(modules.map((m) => m.handler()))).toEqual(['shared-code for one', 'shared-code for two']);
  });

  it('in CommonJS (no chunks there), the code two functions share is in each bundle', async () => {
    const files = await twoSharingOneModule('cjs-shared');

    expect(readdirSync(dirname(files[0]!)).filter((f) => f.endsWith('.js')).sort()).toEqual(['one.js', 'two.js']);
    for (const file of files) expect(readFileSync(file, 'utf8')).toContain('shared-code for');
  });

  it('watching a shared build reloads only the functions whose bundle changed', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'one.ts'), 'export const handler = async (): Promise<string> => "one";\n');
    writeFileSync(join(dir, 'two.ts'), 'export const handler = async (): Promise<string> => "two";\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'watched'));
    const one = spec(dir, { logicalId: 'One', handler: 'one.handler', build: { entryPoints: [join(dir, 'one.ts')], format: 'esm' } });
    const two = spec(dir, { logicalId: 'Two', handler: 'two.handler', build: { entryPoints: [join(dir, 'two.ts')], format: 'esm' } });
    builder.plan([one, two]);
    const reloaded: string[] = [];
    let seen!: () => void;
    const firstReload = new Promise<void>((resolve) => (seen = resolve));
    const listener = (id: string) => () => {
      reloaded.push(id);
      seen();
    };
    await Promise.all([builder.build(one, listener('One')), builder.build(two, listener('Two'))]);

    writeFileSync(join(dir, 'two.ts'), 'export const handler = async (): Promise<string> => "two, edited";\n');
    // The group's one build calls every changed function's listener in the same synchronous loop: once Two's
    // has run, One's would have too. No wait needed to see that it was not called.
    await firstReload;
    await builder.dispose();

    expect(reloaded).toEqual(['Two']);
  });

  it('entry points with the same file name in different folders are built apart (their outputs would collide)', async () => {
    const [a, b] = [mkdtempSync(join(tmpdir(), 'fn-')), mkdtempSync(join(tmpdir(), 'fn-'))];
    writeFileSync(join(a, 'app.ts'), 'export const handler = async (): Promise<string> => "a";\n');
    writeFileSync(join(b, 'app.ts'), 'export const handler = async (): Promise<string> => "b";\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'apart'));
    const specA = spec(a, { logicalId: 'A', build: { entryPoints: [join(a, 'app.ts')], format: 'esm' } });
    const specB = spec(b, { logicalId: 'B', build: { entryPoints: [join(b, 'app.ts')], format: 'esm' } });
    builder.plan([specA, specB]);

    const built = await Promise.all([builder.build(specA), builder.build(specB)]);
    const modules = await Promise.all(built.map((x) => import(x.file))) as { handler: () => Promise<string> }[];
    await builder.dispose();

    expect(dirname(built[0]!.file)).not.toBe(dirname(built[1]!.file));
    expect(await Promise.all(modules.map((m) => m.handler()))).toEqual(['a', 'b']);
  });

  it('two builders (a root and a nested stack) building at once both finish: the one done first does not stop esbuild under the other', async () => {
    // Prepare: the slow build is a large module, so that it is still under way when the small one is done.
    const [small, large] = [mkdtempSync(join(tmpdir(), 'fn-')), mkdtempSync(join(tmpdir(), 'fn-'))];
    writeFileSync(join(small, 'app.ts'), 'export const handler = async (): Promise<string> => "small";\n');
    const constants = Array.from({ length: 40_000 }, (_, i) => `export const c${i}: number = ${i};`).join('\n');
    writeFileSync(join(large, 'app.ts'), `${constants}\nexport const handler = async (): Promise<string> => "large";\n`);
    const root = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'root'));
    const nested = new FunctionBuilder('/app/nested/template.yaml', join(BUILD_DIR, 'nested'));

    // Act
    const built = await Promise.all([
      nested.build(spec(large, { build: { entryPoints: [join(large, 'app.ts')], format: 'esm' } })),
      root.build(spec(small, { build: { entryPoints: [join(small, 'app.ts')], format: 'esm' } })),
    ]);
    const modules = (await Promise.all(built.map((x) => import(x.file)))) as { handler: () => Promise<string> }[];
    await Promise.all([root.dispose(), nested.dispose()]);

    // Assess
    expect(await Promise.all(modules.map((m) => m.handler()))).toEqual(['large', 'small']);
  }, 30_000);

  it('a restart reuses the previous build while no input changed, and rebuilds when one did', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    const source = join(dir, 'app.ts');
    writeFileSync(source, 'export const handler = async (): Promise<string> => "first";\n');
    const fn = spec(dir, { build: { entryPoints: [source], format: 'esm' } });
    const outRoot = join(BUILD_DIR, 'cache');
    const buildOnce = async () => {
      const builder = new FunctionBuilder(TEMPLATE, outRoot);
      const built = await builder.build(fn);
      await builder.dispose();
      return built.file;
    };

    const first = await buildOnce();
    const writtenAt = statSync(first).mtimeMs;
    const second = await buildOnce();
    const untouchedAt = statSync(second).mtimeMs;
    writeFileSync(source, 'export const handler = async (): Promise<string> => "second";\n');
    const third = await buildOnce();

    expect(second).toBe(first);
    expect(untouchedAt).toBe(writtenAt);
    expect(third).toBe(first);
    expect(readFileSync(third, 'utf8')).toContain('"second"');
  });

  it('when a shared build fails, only the function at fault fails: the others are built on their own, the error names the one that does not build', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'good.ts'), 'export const handler = async (): Promise<string> => "ok";\n');
    writeFileSync(join(dir, 'bad.ts'), 'export const handler = async ( => broken;\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'pinpoint'));
    const good = spec(dir, { logicalId: 'Good', handler: 'good.handler', build: { entryPoints: [join(dir, 'good.ts')] } });
    const bad = spec(dir, { logicalId: 'Bad', handler: 'bad.handler', build: { entryPoints: [join(dir, 'bad.ts')] } });
    builder.plan([good, bad]);

    const [built, failed] = await Promise.allSettled([builder.build(good), builder.build(bad)]);

    expect(built.status === 'fulfilled' && readFileSync(built.value.file, 'utf8')).toContain('"ok"');
    expect(failed.status === 'rejected' && String(failed.reason)).toMatch(/template\.yaml: Resources\.Bad: esbuild failed: .*bad\.ts:1/);
    await builder.dispose();
  });

  it('a build failure names the template file, the logical id and the esbuild message', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'app.ts'), 'export const handler = async ( => 1;\n');
    const builder = new FunctionBuilder(TEMPLATE, join(BUILD_DIR, 'broken'));

    const act = builder.build(spec(dir, { build: { entryPoints: [join(dir, 'app.ts')] } }));

    await expect(act).rejects.toThrow(/^\/app\/template\.yaml: Resources\.Fn: esbuild failed: .*app\.ts:1: /);
    await builder.dispose();
  });

  it.each([
    { given: 'a build that compiles', source: 'export const handler = async (): Promise<string> => "ok";\n', fails: false },
    { given: 'a build that fails', source: 'export const handler = async ( => 1;\n', fails: true },
  ])('$given leaves only the function folder behind, no staging folder', async ({ source, fails }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'app.ts'), source);
    const root = join(BUILD_DIR, `staging-${String(fails)}`);
    const builder = new FunctionBuilder(TEMPLATE, root);

    // Act
    const outcome = await builder.build(spec(dir, { build: { entryPoints: [join(dir, 'app.ts')], format: 'esm', sourcemap: true } })).then(
      (built) => ({ built }),
      (error: unknown) => ({ error }),
    );
    await builder.dispose();

    // Assess
    expect(readdirSync(root).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    if (fails) return expect('error' in outcome).toBe(true);
    if (!('built' in outcome)) throw new Error('the build should have compiled');
    // The source map still names the source from where the bundle now lies (staging sat at the same depth).
    const map = JSON.parse(readFileSync(`${outcome.built.file}.map`, 'utf8')) as { sources: string[] };
    const sources = map.sources.map((s) => resolve(dirname(outcome.built.file), s));
    expect(sources).toContain(join(dir, 'app.ts'));
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

describe('sweepStaleStaging: staging folders a gateway killed mid-build left', () => {
  const DEAD = 4_000_001;
  const LIVE = 4_000_002;
  it.each([
    { given: 'a dead gateway\'s staging folder', name: `out.${DEAD}.0a1b2c3d.tmp`, removed: true },
    { given: 'a live gateway\'s (it is building there)', name: `out.${LIVE}.0a1b2c3d.tmp`, removed: false },
    { given: 'this gateway\'s own', name: `out.${process.pid}.0a1b2c3d.tmp`, removed: false },
    { given: 'another build folder\'s (out-2)', name: `out-2.${DEAD}.0a1b2c3d.tmp`, removed: false },
    { given: 'a folder of another naming', name: `out.${DEAD}.tmp`, removed: false },
    { given: 'the build folder itself', name: 'out', removed: false },
  ])('$given: removed $removed', ({ name, removed }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'staging-'));
    mkdirSync(join(dir, name, 'nested'), { recursive: true });

    // Act
    const swept = sweepStaleStaging(join(dir, 'out'), (pid) => pid === LIVE);

    // Assess
    expect(swept).toEqual(removed ? [join(dir, name)] : []);
    expect(readdirSync(dir)).toEqual(removed ? [] : [name]);
  });

  it('a build removes the staging folder a killed gateway left beside its output', async () => {
    // Prepare: pid 4,194,303 is past what Linux hands out by default (pid_max 4,194,304), so no process has it.
    const dir = mkdtempSync(join(tmpdir(), 'fn-'));
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => "ok";\n');
    const outDir = join(BUILD_DIR, 'stale-staging');
    const builder = new FunctionBuilder(TEMPLATE, outDir);
    const first = await builder.build(spec(dir, { handler: 'app.handler', build: { entryPoints: [join(dir, 'app.mjs')] } }));
    const left = `${dirname(first.file)}.4194303.deadbeef.tmp`;
    mkdirSync(left);
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => "changed";\n');

    // Act: a restart (a new builder) with the source changed, so it builds
    await builder.dispose();
    const restarted = new FunctionBuilder(TEMPLATE, outDir);
    await restarted.build(spec(dir, { handler: 'app.handler', build: { entryPoints: [join(dir, 'app.mjs')] } }));
    await restarted.dispose();

    // Assess
    expect(statSync(left, { throwIfNoEntry: false })).toBeUndefined();
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

  // The sam init hello-world shape: a plain .mjs handler run from its folder, no build step (so no esbuild watcher).
  it.each([
    { given: 'the handler file', file: 'app.mjs', v2: 'export const handler = async () => "app v2";\n', want: 'app v2' },
    { given: 'a module in a subfolder it imports', file: 'lib/greeting.mjs', v2: 'export const greeting = "lib v2";\n', want: 'lib v2' },
  ])('a function run from its folder as it is: a change to $given replaces its warm environments', async ({ file, v2, want }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'fn-plain-'));
    mkdirSync(join(dir, 'lib'));
    writeFileSync(join(dir, 'app.mjs'), 'import { greeting } from "./lib/greeting.mjs";\nexport const handler = async () => greeting;\n');
    writeFileSync(join(dir, 'lib/greeting.mjs'), 'export const greeting = "v1";\n');
    let reloaded!: () => void;
    const reload = new Promise<void>((r) => (reloaded = r));
    const service = new LocalLambdaService({ path: TEMPLATE, region: 'us-east-1', functions: new Map([['Fn', spec(dir)]]) }, { buildDir: join(BUILD_DIR, 'watch-plain'), watch: true, onCodeChange: () => reloaded() });

    // Act
    const before = await service.invoke('Fn', {});
    writeFileSync(join(dir, file), v2);
    await reload;
    const after = await service.invoke('Fn', {});
    await service.close();
    rmSync(dir, { recursive: true, force: true });

    // Assess
    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: want, cold: true });
  });

  it('a function run from its folder whose handler file is written after its first request: the next request runs it', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'fn-later-'));
    let reloaded!: () => void;
    const reload = new Promise<void>((r) => (reloaded = r));
    const service = new LocalLambdaService({ path: TEMPLATE, region: 'us-east-1', functions: new Map([['Fn', spec(dir)]]) }, { buildDir: join(BUILD_DIR, 'watch-later'), watch: true, onCodeChange: () => reloaded() });

    // Act
    const before = await service.invoke('Fn', {}).catch((error: unknown) => error);
    writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => "written later";\n');
    await reload;
    const after = await service.invoke('Fn', {});
    await service.close();
    rmSync(dir, { recursive: true, force: true });

    // Assess
    expect(before).not.toMatchObject({ kind: 'ok' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'written later' });
  });
});

// Two gateways started from one folder share its build output (.emulator/build): two templates (or two test suites run
// side by side) with an inline function of the same name once wrote one index.js, and each ran the other's code.
describe('inline code of functions with the same logical id in two gateways sharing one build folder', () => {
  it('each function runs its own code', async () => {
    // Prepare
    const outRoot = join(BUILD_DIR, 'inline-shared');
    const [first, second] = [new FunctionBuilder('/one/template.yaml', outRoot), new FunctionBuilder('/two/template.yaml', outRoot)];
    const inline = (code: string) => spec('/app', { handler: 'index.handler', inlineCode: code });

    // Act
    const a = await first.build(inline("exports.handler = async () => 'one';"));
    const b = await second.build(inline("exports.handler = async () => 'two';"));

    // Assess
    expect(readFileSync(a.file, 'utf8')).toContain("'one'");
    expect(readFileSync(b.file, 'utf8')).toContain("'two'");
    await Promise.all([first.dispose(), second.dispose()]);
  });

  it('the same code twice shares one folder', async () => {
    const outRoot = join(BUILD_DIR, 'inline-same');
    const code = spec('/app', { handler: 'index.handler', inlineCode: "exports.handler = async () => 'same';" });

    const [a, b] = [await new FunctionBuilder('/one/template.yaml', outRoot).build(code), await new FunctionBuilder('/two/template.yaml', outRoot).build(code)];

    expect(a.file).toBe(b.file);
  });
});

describe('esbuild-built functions of two templates sharing one build folder', () => {
  it('each keeps its own bundle: the second build does not replace the first one\'s app.js', async () => {
    // Prepare: two sam init-like apps, both app.ts, built with the same settings into one output root.
    const [a, b] = [mkdtempSync(join(tmpdir(), 'fn-')), mkdtempSync(join(tmpdir(), 'fn-'))];
    writeFileSync(join(a, 'app.ts'), 'export const handler = async (): Promise<string> => "from a";\n');
    writeFileSync(join(b, 'app.ts'), 'export const handler = async (): Promise<string> => "from b";\n');
    const outRoot = join(BUILD_DIR, 'two-templates');
    const [first, second] = [new FunctionBuilder('/a/template.yaml', outRoot), new FunctionBuilder('/b/template.yaml', outRoot)];
    const fn = (dir: string) => spec(dir, { logicalId: 'HelloWorldFunction', build: { entryPoints: [join(dir, 'app.ts')], format: 'esm' } });

    // Act
    const builtA = await first.build(fn(a));
    const builtB = await second.build(fn(b));
    await Promise.all([first.dispose(), second.dispose()]);

    // Assess
    expect(readFileSync(builtA.file, 'utf8')).toContain('"from a"');
    expect(readFileSync(builtB.file, 'utf8')).toContain('"from b"');
  });
});
