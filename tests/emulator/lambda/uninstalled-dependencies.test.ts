/**
 * emulator/lambda/uninstalled-dependencies.ts: a Node.js function run from its folder whose package.json declares
 * dependencies nobody installed is named at start (AWS-WSU/AWS-Student-Hub: serverless-http, express... with no
 * node_modules), not only when its first request fails.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { uninstalledDependencyNotes } from '../../../emulator/lambda/uninstalled-dependencies.js';
import type { FunctionSpec } from '../../../emulator/template/model.js';

const root = mkdtempSync(join(tmpdir(), 'uninstalled-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A function folder with its package.json and what node_modules holds. */
function folder(name: string, dependencies: Record<string, string>, installed: string[] = [], devDependencies: Record<string, string> = {}): string {
  const dir = join(root, name);
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ dependencies, devDependencies }));
  for (const p of installed) mkdirSync(join(dir, 'node_modules', p), { recursive: true });
  return dir;
}

/** A layer's content folder holding nodejs/node_modules/<package> for each package given. */
function layer(name: string, packages: string[]): string {
  const dir = join(root, name);
  for (const p of packages) mkdirSync(join(dir, 'nodejs', 'node_modules', p), { recursive: true });
  return dir;
}

const spec = (logicalId: string, codeDir: string, more: Partial<FunctionSpec> = {}): FunctionSpec => ({ logicalId, codeDir, runtime: 'nodejs20.x', handler: 'index.handler', ...more }) as FunctionSpec;

describe('uninstalledDependencyNotes', () => {
  it.each([
    {
      given: 'dependencies with no node_modules, two functions of one folder',
      functions: () => [spec('Api', folder('a', { 'serverless-http': '^3', express: '^4', mongoose: '^8', cors: '^2' })), spec('Worker', join(root, 'a'))],
      want: (d: string) => [`Api, Worker: ${d}/package.json declares serverless-http, express, mongoose and 1 more, not installed: run npm install in ${d}, as sam build does (until then an import of them fails the invocation: Runtime.ImportModuleError)`],
      dir: 'a',
    },
    { given: 'installed', functions: () => [spec('Fn', folder('b', { express: '^4' }, ['express']))], want: () => [], dir: 'b' },
    { given: 'only the AWS SDK, which the runtime provides', functions: () => [spec('Fn', folder('c', { '@aws-sdk/client-s3': '^3', 'aws-sdk': '^2' }))], want: () => [], dir: 'c' },
    { given: 'only devDependencies missing', functions: () => [spec('Fn', folder('d', {}, [], { jest: '^29' }))], want: () => [], dir: 'd' },
    { given: 'a function with a build step (esbuild reports its imports)', functions: () => [spec('Fn', folder('e', { express: '^4' }), { build: {} as FunctionSpec['build'] })], want: () => [], dir: 'e' },
    { given: 'a Python function', functions: () => [spec('Fn', folder('f', { express: '^4' }), { runtime: 'python3.12' })], want: () => [], dir: 'f' },
    {
      given: "installed in the function's layer (nodejs/node_modules), as Lambda resolves it",
      functions: () => [spec('Fn', folder('g', { express: '^4' }), { layers: [{ logicalId: 'Deps', contentDir: layer('g-layer', ['express']) }] })],
      want: () => [],
      dir: 'g',
    },
  ])('$given', ({ functions, want, dir }) => {
    // Act
    const notes = uninstalledDependencyNotes(functions(), root, join(root, '.aws-sam', 'build'));

    // Assess
    expect(notes).toEqual(want(relative(process.cwd(), join(root, dir))));
  });
});
