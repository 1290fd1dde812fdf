/**
 * A nested stack's functions run from `sam build`'s output where sam build writes it: under the ROOT template's
 * `.aws-sam/build/<ChildStack>/<Function>` (aws-sam-cli pull 2623), not under the child template's folder. Found on
 * serverless-samples' owasp-api-security-controls-demo: its nested stacks' Python functions needed their
 * requirements.txt, the hint named `order/.aws-sam/build/OrderFunction`, and a root `sam build` did not help.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { invokeFunction } from '../../../emulator/invoke.js';
import { samBuildDir } from '../../../emulator/lambda/build-output.js';
import { requirementsHint } from '../../../emulator/lambda/python.js';

const dir = mkdtempSync(join(tmpdir(), 'nested-sam-build-'));
const ROOT = join(dir, 'template.yaml');
const CHILD_CODE = join(dir, 'child', 'src');

beforeAll(() => {
  mkdirSync(CHILD_CODE, { recursive: true });
  writeFileSync(
    ROOT,
    ['Transform: AWS::Serverless-2016-10-31', 'Resources:', '  Child:', '    Type: AWS::CloudFormation::Stack', '    Properties:', '      TemplateURL: child/template.yaml', ''].join('\n'),
  );
  writeFileSync(
    join(dir, 'child', 'template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      '  Fn:',
      '    Type: AWS::Serverless::Function',
      '    Properties:',
      '      CodeUri: src/',
      '      Handler: app.handler',
      '      Runtime: python3.12',
      '      Events:',
      '        Get:',
      '          Type: Api',
      '          Properties: { Path: /dep, Method: get }',
      '',
    ].join('\n'),
  );
  // The handler imports a package its requirements.txt lists and only sam build's output has.
  writeFileSync(join(CHILD_CODE, 'requirements.txt'), 'onlybuilt==1.0\n');
  writeFileSync(join(CHILD_CODE, 'app.py'), 'import onlybuilt\n\ndef handler(event, context):\n    return {"statusCode": 200, "body": onlybuilt.VALUE}\n');
  const built = join(dir, '.aws-sam', 'build', 'Child', 'Fn', 'onlybuilt');
  mkdirSync(built, { recursive: true });
  writeFileSync(join(built, '__init__.py'), 'VALUE = "from the root sam build"\n');
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("sam build's output of a nested stack", () => {
  it.each([
    { stackPath: '', want: ['.aws-sam', 'build'] },
    { stackPath: 'Child/', want: ['.aws-sam', 'build', 'Child'] },
    { stackPath: 'Child/Grandchild/', want: ['.aws-sam', 'build', 'Child', 'Grandchild'] },
  ])('samBuildDir for stack "$stackPath" is under the root template\'s folder', ({ stackPath, want }) => {
    expect(samBuildDir(ROOT, stackPath)).toBe(join(dir, ...want));
  });

  it('invoke Child/Fn imports what the root sam build installed for it', async () => {
    const outcome = await invokeFunction({ templatePath: ROOT, functionLogicalId: 'Child/Fn', event: {}, localDir: join(dir, 'local-invoke'), log: () => undefined });

    expect(outcome).toMatchObject({ kind: 'ok', payload: { statusCode: 200, body: 'from the root sam build' } });
  });

  describe('start-api', () => {
    let emulator: RunningEmulator | undefined;
    beforeAll(async () => {
      emulator = await startEmulator({ templatePath: ROOT, port: 0, localDir: join(dir, 'local-api'), log: () => undefined, platformLog: () => undefined });
    });
    afterAll(async () => emulator?.close());

    it("serves the child's route with the function importing from the root sam build", async () => {
      const res = await fetch(`${emulator!.apis[0]!.url.replace(/\/$/, '')}/dep`);

      expect({ status: res.status, body: await res.text() }).toEqual({ status: 200, body: 'from the root sam build' });
    });
  });

  it('the requirements hint names the folder a root sam build writes for the nested function', () => {
    const hint = requirementsHint("Unable to import module 'app': No module named 'onlybuilt'", { codeDir: CHILD_CODE, logicalId: 'Fn' }, samBuildDir(ROOT, 'Child/'));

    expect(hint).toContain(`-t ${relative(process.cwd(), join(dir, '.aws-sam', 'build', 'Child', 'Fn'))},`);
  });
});
