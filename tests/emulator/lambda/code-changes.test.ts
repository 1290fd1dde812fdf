/**
 * A developer edits a function while the gateway runs: `sam local` runs the code on disk at the next request in every
 * mode but `--warm-containers ... --no-watch` (a new container per invocation, or its file observer's reload), and so
 * does the gateway, whose environments stay warm between requests (emulator/lambda/code-changes.ts).
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { LocalLambdaService, type LocalLambdaOptions } from '../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../emulator/template/load.js';

const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
afterAll(() => rmSync(BUILD_DIR, { recursive: true, force: true }));

const NODE_TEMPLATE = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs22.x, Handler: app.handler, CodeUri: src}\n';
const PYTHON_TEMPLATE = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: src}\n';

/** A project folder with `template` and the files given (paths under it), its service, and a way to wait for the watcher's event on a file. */
async function project(template: string, files: Record<string, string>, options: LocalLambdaOptions = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'code-changes-'));
  writeFileSync(join(dir, 'template.yaml'), template);
  for (const [path, text] of Object.entries(files)) write(dir, path, text);
  const seen = new Set<string>();
  const waiting = new Map<string, () => void>();
  const reloads: string[][] = [];
  const notices: string[] = [];
  const service = new LocalLambdaService(await loadTemplate(join(dir, 'template.yaml')), {
    buildDir: join(BUILD_DIR, randomUUID()),
    codeWatch: true,
    onCodeChange: (_id, path) => {
      seen.add(path);
      waiting.get(path)?.();
    },
    onReload: (_id, changed) => reloads.push(changed ?? []),
    notice: (line) => notices.push(line),
    ...options,
  });
  return {
    dir,
    service,
    reloads,
    notices,
    /** Resolves once the code watch has seen a change to `path` (under the project folder). */
    changeSeen: (path: string): Promise<void> => {
      const full = join(dir, path);
      return seen.has(full) ? Promise.resolve() : new Promise((r) => waiting.set(full, r));
    },
    close: async () => {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Two requests with `edit` made between them; the project is closed after. */
async function aroundEdit(p: Awaited<ReturnType<typeof project>>, edit: () => Promise<void> | void) {
  const before = await p.service.invoke('Fn', {});
  await edit();
  const after = await p.service.invoke('Fn', {});
  await p.close();
  return { before, after };
}

function write(dir: string, path: string, text: string): void {
  mkdirSync(join(dir, path, '..'), { recursive: true });
  writeFileSync(join(dir, path), text);
}

describe('a function run from its folder, edited between two requests (no --watch, no --warm-containers)', () => {
  it.each([
    { given: 'Node.js handler file', template: NODE_TEMPLATE, file: 'src/app.mjs', v1: 'export const handler = async () => "v1";\n', v2: 'export const handler = async () => "v2";\n' },
    { given: 'Python handler file', template: PYTHON_TEMPLATE, file: 'src/app.py', v1: 'def handler(event, context):\n    return "v1"\n', v2: 'def handler(event, context):\n    return "v2"\n' },
  ])('the $given: the next request runs the new code, in a new environment', async ({ template, file, v1, v2 }) => {
    // Prepare
    const p = await project(template, { [file]: v1 });

    // Act
    const { before, after } = await aroundEdit(p, async () => {
      write(p.dir, file, v2);
      await p.changeSeen(file);
    });

    // Assess
    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
    expect(p.reloads).toEqual([[join(p.dir, file)]]);
  });

  // `sed -i ... && curl ...`: the file's event is queued by the kernel before the request is sent, and is read before
  // a warm environment is reused (code-changes.ts fileEventsRead), without waiting for it.
  it('a save right before the request is seen by that request', async () => {
    // Prepare
    const p = await project(NODE_TEMPLATE, { 'src/app.mjs': 'export const handler = async () => "v1";\n' });

    // Act
    const { before, after } = await aroundEdit(p, () => write(p.dir, 'src/app.mjs', 'export const handler = async () => "v2";\n'));

    // Assess
    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
  });

  it('no change: the environment stays warm', async () => {
    const p = await project(NODE_TEMPLATE, { 'src/app.mjs': 'export const handler = async () => "v1";\n' });

    const first = await p.service.invoke('Fn', {});
    const second = await p.service.invoke('Fn', {});
    await p.close();

    expect(first).toMatchObject({ kind: 'ok', cold: true });
    expect(second).toMatchObject({ kind: 'ok', payload: 'v1', cold: false });
  });

  it('a burst of changes (a git checkout of 12 files) is one reload, at the next request', async () => {
    // Prepare
    const modules = Array.from({ length: 12 }, (_, i) => `src/lib/m${i}.mjs`);
    const files = Object.fromEntries(modules.map((m) => [m, 'export const v = 1;\n']));
    const p = await project(NODE_TEMPLATE, { ...files, 'src/app.mjs': 'import { v } from "./lib/m11.mjs";\nexport const handler = async () => v;\n' });

    // Act
    await p.service.invoke('Fn', {});
    for (const m of modules) write(p.dir, m, 'export const v = 2;\n');
    await p.changeSeen(modules.at(-1)!);
    const after = await p.service.invoke('Fn', {});
    const next = await p.service.invoke('Fn', {});
    await p.close();

    // Assess
    expect(after).toMatchObject({ kind: 'ok', payload: 2, cold: true });
    expect(next).toMatchObject({ kind: 'ok', cold: false });
    expect(p.reloads).toHaveLength(1);
    expect(new Set(p.reloads[0])).toEqual(new Set(modules.map((m) => join(p.dir, m))));
  });

  // On Lambda the code folder is read-only; here the function can write into it, and each write would retire the
  // environment that made it (every request cold).
  it('a function that writes a .json file into its own folder at every invocation is not reloaded by its own writes, and is told about once', async () => {
    // Prepare
    const handler = 'import { writeFileSync } from "node:fs";\nlet n = 0;\nexport const handler = async () => { n += 1; writeFileSync(new URL("./state.json", import.meta.url), JSON.stringify({ n, at: Math.random() })); return n; };\n';
    const p = await project(NODE_TEMPLATE, { 'src/app.mjs': handler });

    // Act
    const outcomes = [];
    for (let i = 0; i < 4; i += 1) outcomes.push(await p.service.invoke('Fn', {}));
    await p.close();

    // Assess (the first write could be the developer's: it reloads once; the one in the run it caused is the function's)
    expect(outcomes.map((o) => (o.kind === 'ok' ? o.cold : o.kind))).toEqual([true, true, false, false]);
    expect(p.notices).toEqual([expect.stringMatching(/^Fn writes state\.json into its code folder while it runs .*read-only.*changes to state\.json no longer reload Fn$/)]);
  });

  it('a change to a file that is no code (a log, a text file) keeps the environment warm', async () => {
    const p = await project(NODE_TEMPLATE, { 'src/app.mjs': 'export const handler = async () => "v1";\n', 'src/notes.txt': 'a' });

    await p.service.invoke('Fn', {});
    write(p.dir, 'src/notes.txt', 'b');
    write(p.dir, 'src/marker.js', '');
    await p.changeSeen('src/marker.js');
    const after = await p.service.invoke('Fn', {});
    await p.close();

    // The marker (a .js file) is a change too: only it is named.
    expect(after).toMatchObject({ kind: 'ok', cold: true });
    expect(p.reloads).toEqual([[join(p.dir, 'src/marker.js')]]);
  });
});

describe("a function's layer with a local ContentUri, edited between two requests", () => {
  it.each([
    { given: 'Python', runtime: 'python3.12', files: { 'src/app.py': 'import greeting\ndef handler(event, context):\n    return greeting.TEXT\n', 'layer/python/greeting.py': 'TEXT = "v1"\n' }, file: 'layer/python/greeting.py', v2: 'TEXT = "v2"\n' },
    { given: 'Node.js', runtime: 'nodejs22.x', files: { 'src/app.mjs': 'import { createRequire } from "node:module";\nexport const handler = async () => createRequire(import.meta.url)("/opt/nodejs/greeting.js").text;\n', 'layer/nodejs/greeting.js': 'exports.text = "v1";\n' }, file: 'layer/nodejs/greeting.js', v2: 'exports.text = "v2";\n' },
  ] as { given: string; runtime: string; files: Record<string, string>; file: string; v2: string }[])('$given: the next request reads the new layer', async ({ runtime, files, file, v2 }) => {
    // Prepare
    const template = `Resources:\n  Shared:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: layer/}\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: ${runtime}, Handler: app.handler, CodeUri: src, Layers: [!Ref Shared]}\n`;
    const p = await project(template, files);

    // Act
    const { before, after } = await aroundEdit(p, async () => {
      write(p.dir, file, v2);
      await p.changeSeen(file);
    });

    // Assess
    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
  });
});

describe('a folder that cannot be watched (inotify out of watches)', () => {
  const enospc: LocalLambdaOptions['watchFolder'] = ((folder: string) => {
    throw Object.assign(new Error(`ENOSPC: System limit for number of file watchers reached, watch '${folder}'`), { code: 'ENOSPC', errno: -28 });
  }) as never;

  it('without --warm-containers: said once on stderr with the fix, and each request gets a new environment, so an edit is still served', async () => {
    // Prepare
    const p = await project(NODE_TEMPLATE, { 'src/app.mjs': 'export const handler = async () => "v1";\n', 'src/lib/util.mjs': '' }, { watchFolder: enospc });

    // Act
    const { before, after } = await aroundEdit(p, () => write(p.dir, 'src/app.mjs', 'export const handler = async () => "v2";\n'));

    // Assess
    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
    expect(p.notices).toEqual([expect.stringMatching(new RegExp(`^cannot watch ${join(p.dir, 'src')} for code changes \\(ENOSPC\\): .*fs\\.inotify\\.max_user_watches=.*Fn runs each request in a new environment`))]);
  });

  it('with --warm-containers LAZY: said once, and the environments stay warm', async () => {
    const p = await project(NODE_TEMPLATE, { 'src/app.mjs': 'export const handler = async () => "v1";\n' }, { watchFolder: enospc, warmContainers: 'LAZY' });

    await p.service.invoke('Fn', {});
    const second = await p.service.invoke('Fn', {});
    await p.close();

    expect(second).toMatchObject({ kind: 'ok', cold: false });
    expect(p.notices).toEqual([expect.stringMatching(/ENOSPC.*max_user_watches.*Fn keeps the code its warm environments loaded until the gateway restarts$/)]);
  });
});

describe('sam build run again while the gateway runs', () => {
  it("a Python function importing a module from sam build's output runs the new one once sam build rewrites its template", async () => {
    // Prepare
    const p = await project(PYTHON_TEMPLATE, {
      'src/app.py': 'import greeting\ndef handler(event, context):\n    return greeting.TEXT\n',
      '.aws-sam/build/template.yaml': 'Resources: {}\n',
      '.aws-sam/build/Fn/greeting.py': 'TEXT = "v1"\n',
    });

    // Act
    const { before, after } = await aroundEdit(p, async () => {
      write(p.dir, '.aws-sam/build/Fn/greeting.py', 'TEXT = "v2"\n');
      write(p.dir, '.aws-sam/build/template.yaml', 'Resources: {}\n');
      await p.changeSeen('.aws-sam/build/template.yaml');
    });

    // Assess
    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
  });
});

describe('a function the gateway builds with esbuild (BuildMethod esbuild), without --watch', () => {
  const ESBUILD_TEMPLATE = 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: nodejs22.x, Handler: app.handler, CodeUri: src}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [app.ts], Format: esm}}\n';

  // sam local runs sam build's output: an edited TypeScript source shows once sam build has run again.
  it('is built again once sam build runs again, and the next request runs the new build', async () => {
    // Prepare
    const p = await project(ESBUILD_TEMPLATE, { 'src/app.ts': 'export const handler = async (): Promise<string> => "v1";\n', '.aws-sam/build/template.yaml': 'Resources: {}\n' });

    // Act
    const { before, after } = await aroundEdit(p, async () => {
      write(p.dir, 'src/app.ts', 'export const handler = async (): Promise<string> => "v2";\n');
      write(p.dir, '.aws-sam/build/template.yaml', 'Resources: {}\n');
      await p.changeSeen('.aws-sam/build/template.yaml');
    });

    // Assess
    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
  });
});

describe('--warm-containers with --no-watch (codeWatch off), as the SAM CLI', () => {
  it('keeps the code its warm environments loaded', async () => {
    const p = await project(NODE_TEMPLATE, { 'src/app.mjs': 'export const handler = async () => "v1";\n' }, { codeWatch: false, warmContainers: 'LAZY' });

    const { after } = await aroundEdit(p, () => write(p.dir, 'src/app.mjs', 'export const handler = async () => "v2";\n'));

    expect(after).toMatchObject({ kind: 'ok', payload: 'v1', cold: false });
  });
});
