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
    '  OnS3:',
    '    Type: AWS::Lambda::Function',
    '    Properties: {Handler: index.handler, Runtime: nodejs20.x, Code: {S3Bucket: b, S3Key: k}}',
  ].join('\n'),
};
let service: LocalLambdaService;

beforeAll(async () => {
  service = await serviceForProject(root, files);
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

  it('a function whose code is on S3 is not run: invoking it is a configuration error naming why', async () => {
    await expect(service.invoke('OnS3', {})).rejects.toThrow(/Resources\.OnS3: its code is on S3 \(s3:\/\/b\/k\) and cannot run locally/);
  });
});
