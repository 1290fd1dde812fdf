/**
 * `task-api/client` as a consumer gets it: a project outside the workspace that depends on task-api through a link
 * (what `npm link task-api` or a `file:` dependency make) imports it through package.json's exports map, from plain
 * Node (the built JavaScript) and from TypeScript (the .d.ts), and calls the local gateway. The README's example is
 * typechecked, compiled and run as it is written (its base URL, key and token given by the test).
 */
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../emulator/app.js';
import { REPO_ROOT } from '../e2e/emulator-process.js';

const run = promisify(execFile);
const TSC = join(REPO_ROOT, 'node_modules/typescript/bin/tsc');
const README_URL = 'http://127.0.0.1:3000/v1';

/** The README's "Typed client" example, as written. */
function readmeExample(): string {
  const readme = readFileSync(join(REPO_ROOT, 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Typed client'));
  const block = /```ts\n([\s\S]*?)```/.exec(section)?.[1];
  if (!block) throw new Error('README.md: no ```ts block under "### Typed client"');
  return block;
}

describe('task-api/client in a project outside the workspace', () => {
  let emulator: RunningEmulator;
  let work: string;
  let project: string;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    await run(process.execPath, [join(REPO_ROOT, 'scripts/build-client.mjs')], { cwd: REPO_ROOT });
    work = mkdtempSync(join(tmpdir(), 'client-consumer-'));
    emulator = await startEmulator({ templatePath: join(REPO_ROOT, 'template.yaml'), port: 0, localDir: join(work, 'local') });
    project = join(work, 'consumer');
    mkdirSync(join(project, 'node_modules'), { recursive: true });
    symlinkSync(REPO_ROOT, join(project, 'node_modules/task-api'), 'dir');
    writeFileSync(join(project, 'package.json'), JSON.stringify({ name: 'consumer', private: true, type: 'module', dependencies: { 'task-api': 'file:../task-api' } }));
    const compilerOptions = { target: 'ES2022', module: 'NodeNext', moduleResolution: 'NodeNext', strict: true, skipLibCheck: true, lib: ['ES2023', 'DOM'], typeRoots: [join(REPO_ROOT, 'node_modules/@types')], types: ['node'], outDir: 'out' };
    writeFileSync(join(project, 'tsconfig.json'), JSON.stringify({ compilerOptions, files: ['readme-example.ts'] }));
    writeFileSync(join(project, 'tsconfig.wrong.json'), JSON.stringify({ extends: './tsconfig.json', compilerOptions: { noEmit: true }, files: ['wrong.ts'] }));
    const api = emulator.apis[0]!;
    env = { ...process.env, BASE_URL: api.url, KEY: emulator.apiKeys.BasicUsagePlan as string, TOKEN: emulator.issueToken({ sub: 'consumer-1', email: 'consumer-1@example.com' }) };
  });
  afterAll(async () => {
    await emulator?.close();
    rmSync(work, { recursive: true, force: true });
  });

  it('JavaScript: plain node imports the built client through the exports map and creates a task on the local gateway', async () => {
    writeFileSync(
      join(project, 'consumer.mjs'),
      `import { createTaskApiClient } from 'task-api/client';
const api = createTaskApiClient(process.env.BASE_URL, { apiKey: process.env.KEY, authorization: process.env.TOKEN });
const created = await api.POST('/tasks', { body: { title: 'from a JavaScript consumer' } });
console.log(JSON.stringify({ resolved: import.meta.resolve('task-api/client'), status: created.response.status, task: created.data }));
`,
    );

    const { stdout } = await run(process.execPath, ['consumer.mjs'], { cwd: project, env });
    const out = JSON.parse(stdout) as { resolved: string; status: number; task: { title: string } };

    expect(out.resolved).toMatch(/\/openapi\/dist\/client\.js$/);
    expect(out.status).toBe(201);
    expect(out.task.title).toBe('from a JavaScript consumer');
  });

  it("TypeScript: the README's example typechecks against the .d.ts, compiles, and lists the caller's task", async () => {
    const example = readmeExample();
    expect(example).toContain(`'${README_URL}'`);
    const source = `const KEY = process.env.KEY!;\nconst TOKEN = process.env.TOKEN!;\n${example.replace(`'${README_URL}'`, 'process.env.BASE_URL!')}`;
    writeFileSync(join(project, 'readme-example.ts'), source);

    await run(process.execPath, [TSC, '-p', 'tsconfig.json'], { cwd: project });
    const { stdout } = await run(process.execPath, ['out/readme-example.js'], { cwd: project, env });

    expect(stdout).toMatch(/^\S+ from a JavaScript consumer$/m);
  });

  it('TypeScript: a query parameter of the wrong type is a type error (the types are the contract, not any)', async () => {
    writeFileSync(join(project, 'wrong.ts'), `import { createTaskApiClient } from 'task-api/client';\nawait createTaskApiClient('http://x').GET('/tasks', { params: { query: { limit: 'ten' } } });\n`);

    const failed = await run(process.execPath, [TSC, '-p', 'tsconfig.wrong.json'], { cwd: project }).then(
      () => undefined,
      (error: { stdout: string }) => error.stdout,
    );

    expect(failed).toMatch(/wrong\.ts\(2,\d+\): error TS2322: Type 'string' is not assignable to type 'number'/);
  });
});
