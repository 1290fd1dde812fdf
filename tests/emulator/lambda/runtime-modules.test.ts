/**
 * Lambda's Node.js 18+ runtimes provide the AWS SDK for JavaScript v3: a function imports `@aws-sdk/*` without
 * bundling it. Locally those imports resolve from the gateway's own installation, and nothing else does.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../../emulator/lambda/types.js';
import { serviceForSuite } from './support/project.js';

// Outside the repository: no node_modules above the functions, as in a fresh sample application.
const root = mkdtempSync(join(tmpdir(), 'runtime-sdk-'));
const fn = (id: string, runtime: string, dir: string) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: app.handler, Runtime: ${runtime}, CodeUri: ${dir}}`;
const files: Record<string, string> = {
  'esm/package.json': '{"type": "module"}',
  'esm/app.js': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async () => ({ client: typeof DynamoDBClient });\n",
  // The import of the SDK in a module the handler imports, not in the handler's own file (68publishers/image-storage-lambda).
  'esmdeep/package.json': '{"type": "module"}',
  'esmdeep/app.js': "import { client } from './src/clients.js';\nexport const handler = async () => ({ client });\n",
  'esmdeep/src/clients.js': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nimport { name } from './name.js';\nexport const client = `${typeof DynamoDBClient} ${name}`;\n",
  'esmdeep/src/name.js': "export const name = 'deep';\n",
  'cjs/app.js': "const { DynamoDBClient } = require('@aws-sdk/client-dynamodb');\nexports.handler = async () => ({ client: typeof DynamoDBClient });\n",
  'missing/package.json': '{"type": "module"}',
  'missing/app.js': "import { Nothing } from '@aws-sdk/client-not-a-real-service';\nexport const handler = async () => Nothing;\n",
  'other/package.json': '{"type": "module"}',
  'other/app.js': "import YAML from 'yaml';\nexport const handler = async () => typeof YAML;\n",
  'othercjs/app.js': "const YAML = require('yaml');\nexports.handler = async () => typeof YAML;\n",
  // TypeScript built with esbuild (sam build's BuildMethod), its dependencies not installed.
  'ts/app.ts': "import { DynamoDBClient } from '@aws-sdk/client-dynamodb';\nexport const handler = async (): Promise<{ client: string }> => ({ client: typeof DynamoDBClient });\n",
  'template.yaml': [
    'Resources:',
    fn('Esm', 'nodejs20.x', 'esm'),
    fn('Cjs', 'nodejs22.x', 'cjs'),
    fn('EsmDeep', 'nodejs20.x', 'esmdeep'),
    fn('Node16', 'nodejs16.x', 'cjs'),
    fn('Missing', 'nodejs20.x', 'missing'),
    fn('Other', 'nodejs20.x', 'other'),
    fn('OtherCjs', 'nodejs20.x', 'othercjs'),
    `${fn('Ts', 'nodejs20.x', 'ts')}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [app.ts], Format: esm}}`,
    `${fn('TsCjs', 'nodejs20.x', 'ts')}\n    Metadata: {BuildMethod: esbuild, BuildProperties: {EntryPoints: [app.ts]}}`,
  ].join('\n'),
};
// The gateway's notices (the install hints).
const notices: string[] = [];
const service = serviceForSuite(root, files, { notice: (line) => notices.push(line) });

const errorOf = (outcome: InvokeOutcome) => (outcome.kind === 'function-error' ? outcome : undefined);

describe('the AWS SDK v3 the Lambda runtime provides', () => {
  it.each(['Esm', 'Cjs'])('%s: an unbundled @aws-sdk/client-dynamodb import resolves, as in Lambda', async (id) => {
    const outcome = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'ok', payload: { client: 'function' } });
  });

  it('EsmDeep: an ES module the handler imports, itself importing @aws-sdk/client-dynamodb, resolves it too', async () => {
    const outcome = await service.invoke('EsmDeep', {});

    expect(outcome).toMatchObject({ kind: 'ok', payload: { client: 'function deep' } });
  });

  it.each(['Ts', 'TsCjs'])('%s: a bundled function whose @aws-sdk import its folders cannot resolve builds with the import left in, and it resolves at run time', async (id) => {
    expect(await service.invoke(id, {})).toMatchObject({ kind: 'ok', payload: { client: 'function' } });
  });

  it('nodejs16.x gave the v2 SDK, not v3: the v3 import fails as it would there, and the terminal says so', async () => {
    const error = errorOf(await service.invoke('Node16', {}));

    expect(error?.errorType).toBe('Runtime.ImportModuleError');
    expect(error?.errorMessage).toMatch(/^Error: Cannot find module '@aws-sdk\/client-dynamodb'/);
    expect(error?.errorMessage).not.toContain('runtime provides');
    expect(notices).toContain('Node16: the nodejs16.x runtime provides the AWS SDK v2, aws-sdk, not @aws-sdk/client-dynamodb: install it with the function, or this import fails on Lambda too');
  });

  it('an @aws-sdk package installed nowhere fails to import (an ES module: the error as thrown, ERR_MODULE_NOT_FOUND), and the terminal says where it is looked for', async () => {
    const error = errorOf(await service.invoke('Missing', {}));

    expect(error?.errorType).toBe('Error');
    expect(error?.errorMessage).toMatch(/^Cannot find package '@aws-sdk\/client-not-a-real-service' imported from /);
    expect(error?.errorMessage).not.toContain('the Lambda runtime provides');
    expect(notices).toContainEqual(expect.stringMatching(/^Missing: .*the Lambda runtime provides @aws-sdk\/client-not-a-real-service/));
  });

  // The runtime interface client wraps only a CommonJS MODULE_NOT_FOUND in Runtime.ImportModuleError; an ES module's
  // ERR_MODULE_NOT_FOUND reaches the caller as thrown (aws-lambda-base-images issue 80 shows Lambda's answer).
  it.each([
    { id: 'Other', errorType: 'Error', message: /^Cannot find package 'yaml' imported from / },
    { id: 'OtherCjs', errorType: 'Runtime.ImportModuleError', message: /^Error: Cannot find module 'yaml'\nRequire stack:/ },
  ])("$id: the gateway's other dependencies stay invisible to functions (Lambda has none of them)", async ({ id, errorType, message }) => {
    expect(await service.invoke(id, {})).toMatchObject({ kind: 'function-error', errorType, errorMessage: expect.stringMatching(message) });
  });

  // Lambda's words for a nodejs18.x+ function: "Require stack:\n- /var/task/index.js\n- /var/runtime/index.mjs".
  it('a CommonJS handler`s failed require lists the handler`s file, then the runtime client`s (once each), as Lambda`s', async () => {
    const stack = (errorOf(await service.invoke('OtherCjs', {}))?.errorMessage ?? '').split('Require stack:\n')[1]?.split('\n');

    expect(stack).toEqual([`- ${join(root, 'othercjs', 'app.js')}`, expect.stringMatching(/^- \/\S+\/worker[-.][\w.-]*js$/)]);
  });
});
