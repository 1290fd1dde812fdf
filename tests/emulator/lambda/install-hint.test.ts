/** emulator/lambda/install-hint.ts: a function's declared but uninstalled packages named with the folder to install them in. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { importHint, installHint } from '../../../emulator/lambda/install-hint.js';

const root = mkdtempSync(join(tmpdir(), 'install-hint-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

/** A function folder under the template's folder: its package.json (if any) and what node_modules holds. */
function fn(name: string, manifest: Record<string, unknown> | undefined, installed: string[] = []): string {
  const dir = join(root, name, 'src');
  mkdirSync(dir, { recursive: true });
  if (manifest) writeFileSync(join(root, name, 'package.json'), JSON.stringify(manifest));
  for (const p of installed) mkdirSync(join(root, name, 'node_modules', p), { recursive: true });
  return dir;
}

describe('installHint', () => {
  it.each([
    {
      given: 'declared in dependencies, nothing installed',
      dir: () => fn('a', { dependencies: { '@scope/lib': '^1', other: '^2' } }),
      errors: ['Could not resolve "@scope/lib/sub/path"', 'Could not resolve "other"'],
      want: (d: string) => ` (${d}/package.json declares @scope/lib, other but they are not installed: run npm install in ${d}, as sam build does)`,
    },
    { given: 'declared in devDependencies', dir: () => fn('b', { devDependencies: { lib: '1' } }), errors: ['Could not resolve "lib"'], want: (d: string) => ` (${d}/package.json declares lib but they are not installed: run npm install in ${d}, as sam build does)` },
    { given: 'one of them not declared', dir: () => fn('c', { dependencies: { lib: '1' } }), errors: ['Could not resolve "lib"', 'Could not resolve "typo"'], want: () => '' },
    { given: 'installed already (another cause)', dir: () => fn('d', { dependencies: { lib: '1' } }, ['lib']), errors: ['Could not resolve "lib"'], want: () => '' },
    { given: 'a relative import that does not resolve', dir: () => fn('e', { dependencies: {} }), errors: ['Could not resolve "./missing"'], want: () => '' },
    { given: 'no package.json up to the template folder', dir: () => fn('f', undefined), errors: ['Could not resolve "lib"'], want: () => '' },
    { given: 'another esbuild error', dir: () => fn('g', { dependencies: { lib: '1' } }), errors: ['Expected ";" but found "x"'], want: () => '' },
  ])('$given', ({ dir, errors, want }) => {
    // Prepare
    const codeDir = dir();

    // Act
    const hint = installHint(errors, [codeDir], root);

    // Assess
    expect(hint).toBe(want(relative(process.cwd(), join(codeDir, '..'))));
  });
});

describe('importHint: an import that fails in a layer`s code', () => {
  const layer = join(root, 'helpers-layer');
  const fnDir = fn('with-layer', { dependencies: { ulid: '1' } }, ['ulid']);
  it.each([
    { given: 'a CommonJS require from the layer', message: `Cannot find module 'ulid'\nRequire stack:\n- ${layer}/nodejs/node_modules/helpers/index.js\n- ${fnDir}/app.js`, want: /^ \(imported by the layer in \S*helpers-layer: a layer's code does not see the function's node_modules, on Lambda either; install ulid in the layer's nodejs\/node_modules\)$/ },
    { given: 'an ES module import from the layer', message: `Cannot find package 'ulid' imported from ${layer}/nodejs/helpers.mjs`, want: /install ulid in the layer's nodejs\/node_modules/ },
    { given: 'the function`s own require (installed there: another cause)', message: `Cannot find module 'ulid'\nRequire stack:\n- ${fnDir}/app.js`, want: /^$/ },
  ])('$given', ({ message, want }) => {
    expect(importHint(message, 'nodejs20.x', fnDir, root, [layer])).toMatch(want);
  });
});
