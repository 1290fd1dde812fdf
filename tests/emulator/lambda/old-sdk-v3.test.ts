/**
 * A function's own @aws-sdk/client-* older than 3.428.0 reads no AWS_ENDPOINT_URL_<SERVICE>: the start report says
 * its calls go to AWS, not to the embedded services (lambda/old-sdk-v3.ts).
 */
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oldSdkV3Notes } from '../../../emulator/lambda/old-sdk-v3.js';
import { functionSpec } from './support/function-spec.js';

/**
 * A project folder whose package.json declares @aws-sdk/client-dynamodb, installed at `version` (none if undefined),
 * with @aws-sdk/client-sts 3.306.0 installed beside it undeclared (the credential providers' own), and `src/`.
 */
function project(version: string | undefined): string {
  const root = mkdtempSync(join(tmpdir(), 'old-sdk-'));
  mkdirSync(join(root, 'src'));
  writeFileSync(join(root, 'package.json'), JSON.stringify({ dependencies: { '@aws-sdk/client-dynamodb': '^3.188.0' } }));
  const installed: [string, string | undefined][] = [['client-dynamodb', version], ['client-sts', '3.306.0']];
  for (const [name, at] of installed) {
    if (at === undefined) continue;
    const pkg = join(root, 'node_modules', '@aws-sdk', name);
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: `@aws-sdk/${name}`, version: at }));
  }
  return root;
}

const fn = (logicalId: string, codeDir: string, runtime = 'nodejs20.x') => functionSpec(logicalId, { codeDir, runtime });

/** Installs @smithy/middleware-endpoint at `version` in `root`'s node_modules, or in the client's own when `nested`. */
function middleware(root: string, version: string, nested = false): void {
  const base = nested ? join(root, 'node_modules', '@aws-sdk', 'client-dynamodb') : root;
  const pkg = join(base, 'node_modules', '@smithy', 'middleware-endpoint');
  mkdirSync(pkg, { recursive: true });
  writeFileSync(join(pkg, 'package.json'), JSON.stringify({ name: '@smithy/middleware-endpoint', version }));
}

describe('oldSdkV3Notes', () => {
  it.each([
    ['3.306.0 (before configured endpoints)', '3.306.0', true],
    ['3.427.9', '3.427.9', true],
    ['3.428.0 (reads AWS_ENDPOINT_URL_<SERVICE>)', '3.428.0', false],
    ['3.600.0', '3.600.0', false],
    ['none (the runtime`s SDK)', undefined, false],
  ] as const)('a declared client %s, resolved from a parent folder of the code (an undeclared old client-sts never named)', (_given, version, said) => {
    // Prepare
    const root = project(version);

    // Act
    const notes = oldSdkV3Notes([fn('A', join(root, 'src')), fn('B', join(root, 'src'))]);

    // Assess
    const note = /^A, B: @aws-sdk\/client-dynamodb \S+ \(.*node_modules\/@aws-sdk\/client-dynamodb\) reads no AWS_ENDPOINT_URL_<SERVICE> \(3\.428\.0 and later do\): its calls go to AWS, not to the embedded services/;
    expect(notes).toEqual(said ? [expect.stringMatching(note)] : []);
  });

  it('a Python function beside the old client is not named (it does not load it)', () => {
    const root = project('3.306.0');

    expect(oldSdkV3Notes([fn('Py', join(root, 'src'), 'python3.12')])).toEqual([]);
  });

  it.each([
    { given: 'middleware-endpoint 4.1.14 beside the client (the clients of 3.844.0)', installed: [['4.1.14', false]], said: true },
    { given: 'middleware-endpoint 4.1.15 (the fix)', installed: [['4.1.15', false]], said: false },
    { given: 'middleware-endpoint 4.1.13', installed: [['4.1.13', false]], said: false },
    { given: "4.1.15 in the client's own node_modules over a 4.1.14 beside it (Node resolves the nearest)", installed: [['4.1.14', false], ['4.1.15', true]], said: false },
    { given: "4.1.14 in the client's own node_modules", installed: [['4.1.15', false], ['4.1.14', true]], said: true },
  ] as const)('a current client with $given (smithy-typescript #1645)', ({ installed, said }) => {
    // Prepare
    const root = project('3.844.0');
    for (const [version, nested] of installed) middleware(root, version, nested);

    // Act
    const notes = oldSdkV3Notes([fn('A', join(root, 'src'))]);

    // Assess
    const note = /^A: @aws-sdk\/client-dynamodb 3\.844\.0 with @smithy\/middleware-endpoint 4\.1\.14 \(.*node_modules\/@smithy\/middleware-endpoint\) reads no AWS_ENDPOINT_URL_<SERVICE> \(an SDK bug, smithy-typescript #1645, fixed in 4\.1\.15\)/;
    expect(notes).toEqual(said ? [expect.stringMatching(note)] : []);
  });
});
