/**
 * Functions that run as they are, with no build: inline code (Code.ZipFile / InlineCode) and prebuilt
 * JavaScript, loaded with Lambda's module rules (only package.json files inside the code directory count).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import type { InvokeOutcome } from '../../../emulator/lambda/types.js';
import { serviceForProject } from './support/project.js';

const root = mkdtempSync(join(tmpdir(), 'prebuilt-'));
const files: Record<string, string> = {
  // The project around the code is "type": "module", as this repository is; Lambda never sees this file.
  'package.json': '{"type": "module"}',
  'cjs/src/handlers/app.js': "const { twice } = require('../lib/twice.js');\nexports.handler = async (event) => ({ kind: 'cjs', value: twice(event.n) });\n",
  'cjs/src/lib/twice.js': 'module.exports.twice = (n) => n * 2;\n',
  'esm/package.json': '{"type": "module"}',
  'esm/app.js': "export const handler = async (event) => ({ kind: 'esm-js', value: event.n + 1 });\n",
  'mjs/index.mjs': "export const handler = async () => ({ kind: 'mjs' });\n",
  'syntax/app.js': 'exports.handler = async () => {;\n',
  'throws/app.js': "throw new TypeError('no config');\n",
  'sdk2/app.js': "const AWS = require('aws-sdk');\nexports.handler = async () => typeof AWS;\n",
  'deps/package.json': '{"dependencies": {"left-pad": "^1.3.0"}}',
  'deps/app.js': "const pad = require('left-pad');\nexports.handler = async () => pad('1', 2);\n",
  'deps-esm/package.json': '{"type": "module", "dependencies": {"left-pad": "^1.3.0"}}',
  'deps-esm/app.js': "import pad from 'left-pad';\nexport const handler = async () => pad('1', 2);\n",
  'template.yaml': [
    'Resources:',
    '  Inline:',
    '    Type: AWS::Lambda::Function',
    '    Properties: {Handler: index.handler, Runtime: nodejs20.x, Code: {ZipFile: "exports.handler = async (e) => ({ kind: \'inline\', n: e.n });"}}',
    '  InlineWrongFile:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs20.x, InlineCode: "exports.handler = async () => 1;"}',
    '  Cjs:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: src/handlers/app.handler, Runtime: nodejs20.x, CodeUri: cjs}',
    '  EsmJs:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs20.x, CodeUri: esm}',
    '  Mjs:',
    '    Type: AWS::Lambda::Function',
    '    Properties: {Handler: index.handler, Runtime: nodejs22.x, Code: mjs}',
    '  SyntaxErrorFn:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs20.x, CodeUri: syntax}',
    '  ThrowsAtInit:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs20.x, CodeUri: throws}',
    '  SdkV2OnNode16:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs16.x, CodeUri: sdk2}',
    '  SdkV2OnNode20:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs20.x, CodeUri: sdk2}',
    '  NotInstalled:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs20.x, CodeUri: deps}',
    '  NotInstalledEsm:',
    '    Type: AWS::Serverless::Function',
    '    Properties: {Handler: app.handler, Runtime: nodejs20.x, CodeUri: deps-esm}',
    '  OnS3:',
    '    Type: AWS::Lambda::Function',
    '    Properties: {Handler: index.handler, Runtime: nodejs20.x, Code: {S3Bucket: b, S3Key: k}}',
  ].join('\n'),
};
let service: LocalLambdaService;
// The gateway's notices (the install hints).
const notices: string[] = [];

beforeAll(async () => {
  service = await serviceForProject(root, files, { notice: (line) => notices.push(line) });
  // The function whose code is on S3 does not stop the others from being prepared.
  await service.prepare();
});
afterAll(async () => {
  await service?.close();
  rmSync(root, { recursive: true, force: true });
});

function payload(outcome: InvokeOutcome): unknown {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.payload;
}

describe('functions that run without a build', () => {
  it.each([
    { fn: 'Inline', want: { kind: 'inline', n: 3 } },
    { fn: 'Cjs', want: { kind: 'cjs', value: 6 } },
    { fn: 'EsmJs', want: { kind: 'esm-js', value: 4 } },
    { fn: 'Mjs', want: { kind: 'mjs' } },
  ])('$fn runs as Lambda would load it', async ({ fn, want }) => {
    expect(payload(await service.invoke(fn, { n: 3 }))).toEqual(want);
  });

  it('inline code is index.js: a Handler naming another file fails to import, as on AWS', async () => {
    const outcome = await service.invoke('InlineWrongFile', {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ImportModuleError' });
  });

  // The runtime interface client's classes: a SyntaxError is Runtime.UserCodeSyntaxError, what the module's code throws
  // is reported as thrown.
  it.each([
    { fn: 'SyntaxErrorFn', errorType: 'Runtime.UserCodeSyntaxError', message: /^SyntaxError: / },
    { fn: 'ThrowsAtInit', errorType: 'TypeError', message: /^no config$/ },
  ])('$fn: an init failure is reported as $errorType', async ({ fn, errorType, message }) => {
    expect(await service.invoke(fn, {})).toMatchObject({ kind: 'function-error', errorType, errorMessage: expect.stringMatching(message) });
  });

  describe.each([
    { fn: 'SdkV2OnNode16', message: /Cannot find module 'aws-sdk'/, hint: /^SdkV2OnNode16: the nodejs16\.x runtime provides the AWS SDK v2 on Lambda; locally it must be installed: npm install aws-sdk in \S*sdk2; its clients then reach the embedded services$/ },
    { fn: 'SdkV2OnNode20', message: /Cannot find module 'aws-sdk'/, hint: /^SdkV2OnNode20: the nodejs20\.x runtime provides only the AWS SDK v3, @aws-sdk\/\*: this import fails on Lambda too$/ },
    { fn: 'NotInstalled', message: /Cannot find module 'left-pad'/, hint: /^NotInstalled: \S*deps\/package\.json declares left-pad but they are not installed: run npm install in \S*deps, as sam build does$/ },
    { fn: 'NotInstalledEsm', errorType: 'Error', message: /^Cannot find package 'left-pad' imported from /, hint: /^NotInstalledEsm: \S*deps-esm\/package\.json declares left-pad but they are not installed: run npm install in \S*deps-esm, as sam build does$/ },
  ])('$fn: an import that fails for want of an install', ({ fn, message, hint, errorType = 'Runtime.ImportModuleError' }) => {
    it('fails as Lambda reports it (its message only), and the terminal says what to install where', async () => {
      const outcome = await service.invoke(fn, {});

      expect(outcome).toMatchObject({ kind: 'function-error', errorType, errorMessage: expect.stringMatching(message) });
      expect(outcome.kind === 'function-error' && outcome.errorMessage).not.toMatch(/npm install|runtime provides|as sam build does/);
      expect(notices).toContainEqual(expect.stringMatching(hint));
    });
  });

  it('a function whose code is on S3 is not run: invoking it is a configuration error naming why', async () => {
    await expect(service.invoke('OnS3', {})).rejects.toThrow(/Resources\.OnS3: its code is on S3 \(s3:\/\/b\/k\) and cannot run locally/);
  });
});
