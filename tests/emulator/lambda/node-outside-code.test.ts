/**
 * A Node.js function run in place resolves modules up the source tree (a repository's root node_modules, a
 * `require('../../shared/db')`), where the zip `sam build` makes holds its CodeUri folder and the packages its
 * package.json installs: there the import fails. Here it resolves, and the terminal says so once per function.
 */
import { mkdtempSync, realpathSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { serviceForSuite } from './support/project.js';

const dir = realpathSync(mkdtempSync(join(tmpdir(), 'node-outside-')));

const pkg = (name: string, dependencies: Record<string, string> = {}): string => JSON.stringify({ name, version: '1.0.0', main: 'index.js', dependencies });
const USES_LEFTISH = "const leftish = require('leftish');\nexports.handler = async () => leftish();\n";

// The shape of aaronbruckner/TDD-Enterprise: CodeUri a folder below the repository, whose root node_modules holds
// the packages; and of a handler reaching a shared folder beside its own.
const files: Record<string, string> = {
  'template.yaml': [
    'Transform: AWS::Serverless-2016-10-31',
    'Globals:',
    '  Function: { Runtime: nodejs20.x, Handler: app.handler }',
    'Resources:',
    '  RootPackagesFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: fn/root-packages/ } }',
    '  SharedFileFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: fn/shared-file/ } }',
    '  DeclaredFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: fn/declared/ } }',
    '  OwnModulesFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: fn/own/ } }',
    '  EsmFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: fn/esm/ } }',
    '  RuntimeSdkFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: fn/sdk/ } }',
    '  PnpmFunction: { Type: AWS::Serverless::Function, Properties: { CodeUri: fn/pnpm/ } }',
  ].join('\n'),
  // leftish depends on padding: a package the code folder's package.json declares brings its dependencies.
  'node_modules/leftish/package.json': pkg('leftish', { padding: '1.0.0' }),
  'node_modules/leftish/index.js': "const padding = require('padding');\nmodule.exports = () => padding('x');\n",
  'node_modules/padding/package.json': pkg('padding'),
  'node_modules/padding/index.js': "module.exports = (s) => '  ' + s;\n",
  'fn/root-packages/app.js': USES_LEFTISH,
  'fn/shared-file/app.js': "const { NAME } = require('../../shared/db');\nexports.handler = async () => NAME;\n",
  'shared/db.js': "exports.NAME = 'shared';\n",
  'fn/declared/package.json': pkg('declared', { leftish: '1.0.0' }),
  'fn/declared/app.js': USES_LEFTISH,
  'fn/own/app.js': USES_LEFTISH,
  'fn/own/node_modules/leftish/package.json': pkg('leftish'),
  'fn/own/node_modules/leftish/index.js': "module.exports = () => 'own';\n",
  'fn/esm/app.mjs': "import leftish from 'leftish';\nexport const handler = async () => leftish();\n",
  // The AWS SDK v3 the nodejs18.x+ runtimes provide: resolved from the gateway's own packages, never named.
  'fn/sdk/app.js': "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\nexports.handler = async () => typeof DynamoDBClient;\n",
  // A pnpm workspace: each package a link into the store, its dependencies linked beside it there, none at the root.
  'fn/pnpm/package.json': pkg('pnpm-app', { stored: '1.0.0' }),
  'fn/pnpm/app.js': "const stored = require('stored');\nexports.handler = async () => stored();\n",
  'node_modules/.pnpm/stored@1.0.0/node_modules/stored/package.json': pkg('stored', { inner: '1.0.0' }),
  'node_modules/.pnpm/stored@1.0.0/node_modules/stored/index.js': "module.exports = require('inner');\n",
  'node_modules/.pnpm/inner@1.0.0/node_modules/inner/package.json': pkg('inner', { deepest: '1.0.0' }),
  'node_modules/.pnpm/inner@1.0.0/node_modules/inner/index.js': "const deepest = require('deepest');\nmodule.exports = () => deepest;\n",
  'node_modules/.pnpm/deepest@1.0.0/node_modules/deepest/package.json': pkg('deepest'),
  'node_modules/.pnpm/deepest@1.0.0/node_modules/deepest/index.js': "module.exports = 'deepest';\n",
  'fn/pnpm/node_modules/.keep': '',
};
const LINKS: [string, string][] = [
  ['node_modules/.pnpm/stored@1.0.0/node_modules/stored', 'fn/pnpm/node_modules/stored'],
  ['node_modules/.pnpm/inner@1.0.0/node_modules/inner', 'node_modules/.pnpm/stored@1.0.0/node_modules/inner'],
  ['node_modules/.pnpm/deepest@1.0.0/node_modules/deepest', 'node_modules/.pnpm/inner@1.0.0/node_modules/deepest'],
];

const at = (file: string): string => relative(process.cwd(), join(dir, file));
const notice = (id: string, folder: string, named: string, first: string, fix: string, one = true): string =>
  `${id}: loads ${named} from outside its code folder ${at(folder)}: sam build packages only that folder, with the packages its package.json lists, so on Lambda ${one ? 'this import fails' : 'these imports fail'} (Cannot find module '${first}'), where here ${one ? 'it resolves' : 'they resolve'} from the source tree; ${fix}`;

describe('Node.js modules from outside the code folder of a function run in place', () => {
  const notices: string[] = [];
  const service = serviceForSuite(dir, files, { notice: (line) => notices.push(line) });
  // After serviceForSuite's own beforeAll has written the files.
  beforeAll(() => LINKS.forEach(([target, link]) => symlinkSync(join(dir, target), join(dir, link), 'dir')));

  it.each([
    ['RootPackagesFunction', '"  x"', [notice('RootPackagesFunction', 'fn/root-packages', `leftish (${at('node_modules/leftish/index.js')}), padding (${at('node_modules/padding/index.js')})`, 'leftish', `list leftish, padding in ${join(at('fn/root-packages'), 'package.json')} dependencies`, false)]],
    ['SharedFileFunction', '"shared"', [notice('SharedFileFunction', 'fn/shared-file', `../../shared/db.js (${at('shared/db.js')})`, '../../shared/db.js', 'put it in the code folder or a layer')]],
    ['EsmFunction', '"  x"', [notice('EsmFunction', 'fn/esm', `leftish (${at('node_modules/leftish/index.js')}), padding (${at('node_modules/padding/index.js')})`, 'leftish', `list leftish, padding in ${join(at('fn/esm'), 'package.json')} dependencies`, false)]],
    // sam build installs what fn/declared/package.json lists, and what that depends on.
    ['DeclaredFunction', '"  x"', []],
    ['OwnModulesFunction', '"own"', []],
    ['RuntimeSdkFunction', '"function"', []],
    ['PnpmFunction', '"deepest"', []],
  ])('%s answers %s here; named once: %j', async (id, payload, want) => {
    // Prepare
    notices.length = 0;

    // Act
    const first = await service.invoke(id, {});
    const second = await service.invoke(id, {}, { requestId: `${id}-second` });

    // Assess
    expect([first.kind, second.kind]).toEqual(['ok', 'ok']);
    expect(first.kind === 'ok' ? first.payloadJson : undefined).toBe(payload);
    expect(notices).toEqual(want);
  });
});
