/** `--env-vars` as `sam local` reads it (emulator/lambda/env-vars.ts). */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEnvVars, readEnvVarsFile, type EnvVarsFile } from '../../../emulator/lambda/env-vars.js';
import type { FunctionSpec } from '../../../emulator/template/model.js';
import { TemplateError } from '../../../emulator/template/model.js';

function spec(logicalId: string, functionName: string, environment: Record<string, string>): FunctionSpec {
  return { logicalId, functionName, arn: `arn:aws:lambda:us-east-1:123456789012:function:${functionName}`, codeDir: '/code', handler: 'app.handler', runtime: 'nodejs20.x', architectures: ['x86_64'], timeoutSeconds: 3, memorySizeMb: 128, environment };
}

const functions = new Map([
  ['Api', spec('Api', 'api-fn', { TABLE: 't', STAGE: 'prod' })],
  ['Worker', spec('Worker', 'Worker', { TABLE: 't' })],
]);

describe('applyEnvVars', () => {
  it.each<{ given: string; file: EnvVarsFile; want: Record<string, Record<string, string>> }>([
    { given: 'Parameters applies to every function', file: { Parameters: { TABLE: 'local' } }, want: { Api: { TABLE: 'local', STAGE: 'prod' }, Worker: { TABLE: 'local' } } },
    { given: 'the logical id entry wins over Parameters', file: { Parameters: { TABLE: 'p' }, Api: { TABLE: 'own' } }, want: { Api: { TABLE: 'own', STAGE: 'prod' }, Worker: { TABLE: 'p' } } },
    { given: 'a FunctionName entry applies to its function', file: { 'api-fn': { STAGE: 'dev' } }, want: { Api: { TABLE: 't', STAGE: 'dev' }, Worker: { TABLE: 't' } } },
    { given: 'the logical id wins over the FunctionName', file: { 'api-fn': { STAGE: 'by-name' }, Api: { STAGE: 'by-id' } }, want: { Api: { TABLE: 't', STAGE: 'by-id' }, Worker: { TABLE: 't' } } },
    { given: 'undeclared variables are not added', file: { Worker: { STAGE: 'dev', NEW: 'x' } }, want: { Api: { TABLE: 't', STAGE: 'prod' }, Worker: { TABLE: 't' } } },
  ])('$given', ({ file, want }) => {
    const { functions: out } = applyEnvVars(functions, file);

    expect(Object.fromEntries([...out].map(([id, f]) => [id, f.environment]))).toEqual(want);
  });

  it('reports every entry that changes nothing (never silent), and leaves the template untouched', () => {
    const { notes } = applyEnvVars(functions, { Parameters: { NOWHERE: 'x', TABLE: 'y' }, Worker: { STAGE: 'dev' }, Ghost: { A: 'b' } });

    expect(notes).toEqual([
      "--env-vars: Api gets TABLE from the file, over the template's value",
      "--env-vars: Worker gets TABLE from the file, over the template's value",
      "--env-vars Parameters.NOWHERE: ignored, not declared in any function's Environment.Variables (sam local overrides declared variables only)",
      "--env-vars Worker.STAGE: ignored, not declared in the function's Environment.Variables (sam local overrides declared variables only)",
      '--env-vars Ghost: ignored, no function with this logical id or FunctionName',
    ]);
    expect(functions.get('Api')?.environment.TABLE).toBe('t');
  });
});

describe('applyEnvVars: the variables the file chose', () => {
  it('are named on the function, even one whose value equals the template`s, so that they win over the embedded endpoints', () => {
    const { functions: out } = applyEnvVars(functions, { Parameters: { TABLE: 't', NOWHERE: 'x' }, Api: { STAGE: 'dev' } });

    expect(Object.fromEntries([...out].map(([id, f]) => [id, f.fromEnvVars]))).toEqual({ Api: ['TABLE', 'STAGE'], Worker: ['TABLE'] });
  });
});

describe('applyEnvVars: what it changed is said', () => {
  it.each<{ given: string; file: EnvVarsFile; want: string[] }>([
    { given: 'two variables of one function', file: { Api: { TABLE: 'deployed-table', STAGE: 'dev' } }, want: ["--env-vars: Api gets TABLE, STAGE from the file, over the template's values"] },
    { given: 'a value equal to the template`s (nothing changed, nothing said)', file: { Api: { TABLE: 't' } }, want: [] },
    { given: 'no file entry for the function', file: { Worker: { TABLE: 'w' } }, want: ["--env-vars: Worker gets TABLE from the file, over the template's value"] },
    { given: 'values taking the environment over Lambda`s 4 KB', file: { Worker: { TABLE: 'x'.repeat(4_100) } }, want: ["--env-vars: Worker gets TABLE from the file, over the template's value", "--env-vars: Worker's variables take 4105 bytes, over the 4096 Lambda allows for a function's environment: Lambda would refuse them; here they are set as given"] },
    { given: 'names every object has (toString, hasOwnProperty): not declared, not set', file: { Worker: { toString: 'x', hasOwnProperty: 'y' } }, want: ["--env-vars Worker.toString: ignored, not declared in the function's Environment.Variables (sam local overrides declared variables only)", "--env-vars Worker.hasOwnProperty: ignored, not declared in the function's Environment.Variables (sam local overrides declared variables only)"] },
  ])('$given', ({ file, want }) => {
    expect(applyEnvVars(functions, file).notes).toEqual(want);
  });
});

describe('applyEnvVars: a table name swapped for one no local table has', () => {
  it.each<{ given: string; file: EnvVarsFile; want: string[] }>([
    {
      given: 'a name no local table has (sam init web`s env.json, written for DynamoDB Local)',
      file: { Worker: { TABLE: 'SampleTable' } },
      want: [
        "--env-vars: Worker gets TABLE from the file, over the template's value",
        '--env-vars: Worker\'s TABLE was the local table t; the file\'s "SampleTable" names no local table, so its calls with it answer ResourceNotFoundException (leave it out of the file to use the template\'s table)',
      ],
    },
    { given: 'another local table`s name (nothing more to say)', file: { Worker: { TABLE: 'other' } }, want: ["--env-vars: Worker gets TABLE from the file, over the template's value"] },
    { given: 'a variable that held no table name', file: { Api: { STAGE: 'SampleTable' } }, want: ["--env-vars: Api gets STAGE from the file, over the template's value"] },
  ])('$given', ({ file, want }) => {
    expect(applyEnvVars(functions, file, ['t', 'other']).notes).toEqual(want);
  });
});

describe('readEnvVarsFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'env-vars-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const write = (text: string) => {
    const path = join(dir, `f${Math.random().toString(36).slice(2)}.json`);
    writeFileSync(path, text);
    return path;
  };

  it('numbers and booleans become strings, as environment values are', () => {
    expect(readEnvVarsFile(write('{"Parameters":{"N":3,"B":false,"S":"s"}}'))).toEqual({ Parameters: { N: '3', B: 'false', S: 's' } });
  });

  it.each([
    { given: 'not JSON', text: '{', want: /\(file\): not valid JSON/ },
    { given: 'an array', text: '[]', want: /\(file\): must be a JSON object/ },
    { given: 'a function entry that is not an object', text: '{"Fn":"x"}', want: /Fn: must be an object/ },
    { given: 'a null value', text: '{"Fn":{"A":null}}', want: /Fn\.A: must be a string, number or boolean/ },
    { given: 'a NUL character in a value (no process environment holds one)', text: '{"Fn":{"A":"a\\u0000b"}}', want: /Fn\.A: contains a NUL character/ },
  ])('refuses $given, naming the file and the entry', ({ text, want }) => {
    const path = write(text);

    expect(() => readEnvVarsFile(path)).toThrow(TemplateError);
    expect(() => readEnvVarsFile(path)).toThrow(want);
  });

  it('a .env file (not JSON) gives its variables to every function, as the SAM CLI reads one', () => {
    const text = ['# local settings', 'export TABLE=tasks-local', 'GREETING="hello\\nworld" # a comment', "RAW='a\\nb #1'", 'PLAIN = spaced value # note', 'EMPTY=', ''].join('\n');

    expect(readEnvVarsFile(write(text))).toEqual({ Parameters: { TABLE: 'tasks-local', GREETING: 'hello\nworld', RAW: 'a\\nb #1', PLAIN: 'spaced value', EMPTY: '' } });
  });

  it.each([
    { given: 'a .env line that is no NAME=value', text: 'TABLE=t\nnot a pair', want: /line 2: neither JSON nor a \.env line/ },
    { given: 'a file of comments only', text: '# nothing\n\n', want: /\(file\): not in valid JSON or \.env format/ },
    { given: 'a NUL character in a .env value', text: 'A=ok\nB=a\u0000b', want: /line 2: contains a NUL character/ },
  ])('refuses $given', ({ text, want }) => {
    expect(() => readEnvVarsFile(write(text))).toThrow(want);
  });

  it('a missing file is "not found"', () => {
    expect(() => readEnvVarsFile(join(dir, 'absent.json'))).toThrow(/absent\.json: \(file\): not found/);
  });
});
