/**
 * A Handler naming a file that is not at the code's root, when one of that name is in a folder below: the start
 * error names the Handler that would load it (1mun1ty/Auth-sam-cli: CodeUri Auth/src/, Handler signup.handler, the file
 * in Auth/src/handlers/signup.js: every request answered 502 and the message named only the files tried).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { FunctionBuilder } from '../../../emulator/lambda/build.js';
import { handlerPathHint } from '../../../emulator/lambda/handler-hint.js';
import { functionSpec } from './support/function-spec.js';

const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
const work = mkdtempSync(join(tmpdir(), 'handler-hint-'));
afterAll(() => {
  rmSync(BUILD_DIR, { recursive: true, force: true });
  rmSync(work, { recursive: true, force: true });
});

/** A code folder holding these files (each with a handler export). */
function codeDir(name: string, files: string[]): string {
  const dir = join(work, name);
  for (const file of files) {
    mkdirSync(dirname(join(dir, file)), { recursive: true });
    writeFileSync(join(dir, file), 'exports.handler = async () => ({ statusCode: 200 });\n');
  }
  return dir;
}

const EXTENSIONS = ['.js', '.mjs', '.cjs', '.ts'];

describe('handlerPathHint: the Handler that names a file of that name below the code folder', () => {
  it.each([
    { given: 'one file in a subfolder', files: ['handlers/signup.js'], handler: ['signup', 'handler'], want: '; handlers/signup.js is there: Handler handlers/signup.handler names it' },
    { given: 'a TypeScript file two folders down', files: ['src/fns/login.ts'], handler: ['login', 'main'], want: '; src/fns/login.ts is there: Handler src/fns/login.main names it' },
    { given: 'a Handler with a folder, the file at the root', files: ['app.mjs'], handler: ['src/app', 'handler'], want: '; app.mjs is there: Handler app.handler names it' },
    { given: 'only in node_modules', files: ['node_modules/x/signup.js'], handler: ['signup', 'handler'], want: '' },
    { given: 'no file of that name', files: ['handlers/other.js'], handler: ['signup', 'handler'], want: '' },
  ])('$given', ({ given, files, handler: [file, exportName], want }) => {
    // Prepare
    const dir = codeDir(given.replace(/\W/g, '-'), files);

    // Act
    const hint = handlerPathHint(dir, file!, exportName!, EXTENSIONS);

    // Assess
    expect(hint).toBe(want);
  });
});

describe('FunctionBuilder: a missing handler file', () => {
  it('says which Handler names the file found below the code folder', async () => {
    // Prepare
    const dir = codeDir('builder', ['handlers/signup.js']);
    const builder = new FunctionBuilder('/app/template.yaml', join(BUILD_DIR, 'hint'));

    // Act
    const act = builder.build(functionSpec('SignupFunction', { codeDir: dir, handler: 'signup.handler' }));

    // Assess
    await expect(act).rejects.toThrow(/Resources\.SignupFunction\.Properties\.Handler: no handler file in .* \(tried signup\.js, .*\); handlers\/signup\.js is there: Handler handlers\/signup\.handler names it$/);
    await builder.dispose();
  });
});
