/**
 * AWS::Include whose Location is a parameter (hryssmz/aws-sam-python todo_app: DefinitionBody from an
 * ApiDefinitionLocation parameter without Default): without a value the start says which parameter to give, with a
 * local path it is read.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { throwIfRefused } from './api-refusal.js';

const dir = mkdtempSync(join(tmpdir(), 'include-location-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SRC = resolve('tests/emulator/fixtures/sam-shapes/src');

writeFileSync(join(dir, 'openapi.yaml'), 'openapi: 3.0.1\ninfo: {title: t, version: "1"}\npaths: {}\n');
writeFileSync(join(dir, 'env.yaml'), 'Variables: {MODE: included}\n');
writeFileSync(
  join(dir, 'template.yaml'),
  [
    'Transform: AWS::Serverless-2016-10-31',
    'Parameters:',
    '  ApiDefinitionLocation: { Type: String }',
    '  EnvLocation: { Type: String, Default: env.yaml }',
    'Resources:',
    '  Api:',
    '    Type: AWS::Serverless::Api',
    '    Properties:',
    '      StageName: v1',
    '      DefinitionBody: { "Fn::Transform": { Name: AWS::Include, Parameters: { Location: !Ref ApiDefinitionLocation } } }',
    '  Fn:',
    '    Type: AWS::Serverless::Function',
    `    Properties: { CodeUri: ${SRC}, Handler: plain.handler, Runtime: nodejs20.x, Environment: { "Fn::Transform": { Name: AWS::Include, Parameters: { Location: !Ref EnvLocation } } } }`,
  ].join('\n'),
);
const file = join(dir, 'template.yaml');

describe('AWS::Include Location from a parameter', () => {
  it.each([
    { given: 'the API document`s parameter without a value', overrides: {} as Record<string, string>, want: /DefinitionBody\.Fn::Transform\.Parameters\.Location: is the parameter ApiDefinitionLocation, which has no Default and no --parameter-overrides value: give it the file's local path \(--parameter-overrides "ApiDefinitionLocation=<file>"; S3 locations are not fetched\)/ },
    { given: 'a property`s parameter given as empty (the template`s folder)', overrides: { ApiDefinitionLocation: 'openapi.yaml', EnvLocation: '' }, want: /Environment\.Fn::Transform\.Parameters\.Location: .* is not a file/ },
    { given: 'an S3 URL given for it', overrides: { ApiDefinitionLocation: 's3://bucket/openapi.yaml' }, want: /Location: must be a local path \(S3 locations are not fetched\)/ },
  ])('$given is refused saying what to give', async ({ overrides, want }) => {
    await expect(loadTemplate(file, { parameterOverrides: overrides }).then(throwIfRefused)).rejects.toThrow(want);
  });

  it('a local path given for it is read', async () => {
    const loaded = await loadTemplate(file, { parameterOverrides: { ApiDefinitionLocation: 'openapi.yaml' } });

    expect([loaded.apis[0]?.stageName, loaded.functions.get('Fn')?.environment]).toEqual(['v1', { MODE: 'included' }]);
  });
});
