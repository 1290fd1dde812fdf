/**
 * Lambda's path variables ("Defined runtime environment variables", Lambda Developer Guide), in their local places:
 * PWD the working directory, LAMBDA_RUNTIME_DIR the local runtime client's folder (Lambda's /var/runtime),
 * LD_LIBRARY_PATH the task root, its lib/ and the layers' lib/ (/opt/lib), NODE_PATH ending with the task root
 * (/var/task), PYTHONPATH the runtime folder ($LAMBDA_RUNTIME_DIR); AWS_LAMBDA_RUNTIME_API unset where no runtime API
 * serves the environment (Node.js, Python). Unreserved ones a function sets itself it keeps.
 */
import { mkdtempSync, realpathSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceForSuite } from './support/project.js';

const root = realpathSync(mkdtempSync(join(tmpdir(), 'runtime-variables-')));
const names = ['PWD', 'LAMBDA_TASK_ROOT', 'LAMBDA_RUNTIME_DIR', 'LD_LIBRARY_PATH', 'NODE_PATH', 'PYTHONPATH', 'AWS_LAMBDA_RUNTIME_API'];
const files = {
  'node/app.js': `const { existsSync } = require('node:fs');
const { join } = require('node:path');
exports.handler = async () => ({
  env: Object.fromEntries(${JSON.stringify(names)}.map((name) => [name, process.env[name] ?? null])),
  cwd: process.cwd(),
  runtimeDirExists: existsSync(process.env.LAMBDA_RUNTIME_DIR),
  fromNested: require('./lib/nested.js').greeting,
});
`,
  'node/lib/nested.js': "exports.greeting = require('shared').greeting;\n",
  'node/shared.js': "exports.greeting = 'from the task root';\n",
  'py/app.py': `import os


def handler(event, context):
    names = ${JSON.stringify(names)}
    return {"env": {name: os.environ.get(name) for name in names}, "cwd": os.getcwd(), "runtimeDirExists": os.path.isdir(os.environ["LAMBDA_RUNTIME_DIR"])}
`,
  'layer/lib/README': 'native libraries go here\n',
  'template.yaml': `Resources:
  Libs:
    Type: AWS::Serverless::LayerVersion
    Properties: {ContentUri: layer/}
  NodeFn:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: nodejs20.x, CodeUri: node/, Layers: [!Ref Libs]}
  PyFn:
    Type: AWS::Serverless::Function
    Properties: {Handler: app.handler, Runtime: python3.12, CodeUri: py/, Layers: [!Ref Libs]}
  OwnPaths:
    Type: AWS::Serverless::Function
    Properties:
      Handler: app.handler
      Runtime: python3.12
      CodeUri: py/
      Environment: {Variables: {LD_LIBRARY_PATH: /my/libs, PYTHONPATH: /my/python}}
`,
};
const service = serviceForSuite(root, files);

type Seen = { env: Record<string, string | null>; cwd: string; runtimeDirExists: boolean; fromNested?: string };
async function seen(id: string): Promise<Seen> {
  const outcome = await service.invoke(id, {});
  if (outcome.kind !== 'ok') throw new Error(`${id}: ${JSON.stringify(outcome)}`);
  return outcome.payload as Seen;
}

describe('Lambda`s defined runtime variables', () => {
  it.each([
    { id: 'NodeFn', folder: 'node' },
    { id: 'PyFn', folder: 'py' },
  ])('$id: PWD is its working directory, the task root; LAMBDA_RUNTIME_DIR a folder of its own, not the task root; LD_LIBRARY_PATH the task root, its lib/ and the layer`s lib/', async ({ id, folder }) => {
    const { env, cwd, runtimeDirExists } = await seen(id);
    const taskRoot = join(root, folder);

    expect(env.LAMBDA_TASK_ROOT).toBe(taskRoot);
    expect(env.PWD).toBe(taskRoot);
    expect(cwd).toBe(taskRoot);
    expect(runtimeDirExists).toBe(true);
    expect(env.LAMBDA_RUNTIME_DIR).not.toBe(taskRoot);
    expect(env.LD_LIBRARY_PATH?.split(delimiter).slice(0, 3)).toEqual([taskRoot, join(taskRoot, 'lib'), join(root, 'layer', 'lib')]);
  });

  it.each(['NodeFn', 'PyFn'])('%s: AWS_LAMBDA_RUNTIME_API is not set, as no runtime API serves a Node.js or Python environment here', async (id) => {
    const { env } = await seen(id);

    expect(env.AWS_LAMBDA_RUNTIME_API).toBeNull();
  });

  it('a Node.js function`s NODE_PATH ends with the task root (/var/task on Lambda): a nested module`s bare require of a root module resolves', async () => {
    const { env, fromNested } = await seen('NodeFn');

    expect(env.NODE_PATH?.split(delimiter).at(-1)).toBe(join(root, 'node'));
    expect(fromNested).toBe('from the task root');
  });

  it('a Python function`s PYTHONPATH is its LAMBDA_RUNTIME_DIR, as on Lambda', async () => {
    const { env } = await seen('PyFn');

    expect(env.PYTHONPATH).toBe(env.LAMBDA_RUNTIME_DIR);
  });

  it('LD_LIBRARY_PATH and PYTHONPATH a function sets itself are its own (Lambda does not reserve them)', async () => {
    const { env } = await seen('OwnPaths');

    expect(env).toMatchObject({ LD_LIBRARY_PATH: '/my/libs', PYTHONPATH: '/my/python' });
  });
});
