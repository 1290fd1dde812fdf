/**
 * esbuild BuildProperties External: sam build's artifact is the bundle alone, so a package left out of it loads on
 * Lambda only from a layer's nodejs/node_modules or the runtime (the AWS SDK). Locally the bundle sits in the project,
 * and the package also resolves from its node_modules: the function works here and fails on Lambda, which is said.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { externalPackagesNotice, functionExternalsNotice, packageOf } from '../../../emulator/lambda/external-packages.js';
import { serviceForSuite } from './support/project.js';

const root = mkdtempSync(join(tmpdir(), 'external-packages-'));
const esbuildFn = (id: string, layers: string): string =>
  `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: src, Handler: app.handler, Runtime: nodejs22.x${layers}}\n    Metadata:\n      BuildMethod: esbuild\n      BuildProperties: {EntryPoints: [app.ts], External: [greeting, "@aws-sdk/client-s3"]}`;
const files: Record<string, string> = {
  // Installed at the project's root, as a monorepo or a root package.json for tests installs it.
  'node_modules/greeting/package.json': '{"name": "greeting", "main": "index.js"}',
  'node_modules/greeting/index.js': 'exports.hello = "hello from node_modules";\n',
  'layer/nodejs/node_modules/greeting/package.json': '{"name": "greeting", "main": "index.js"}',
  'layer/nodejs/node_modules/greeting/index.js': 'exports.hello = "hello from the layer";\n',
  'src/app.ts': 'import { hello } from "greeting";\nimport type {} from "@aws-sdk/client-s3";\nimport { join } from "node:path";\nexport const handler = async (): Promise<string> => join(hello);\n',
  'template.yaml': [
    'Resources:',
    '  GreetingLayer:\n    Type: AWS::Serverless::LayerVersion\n    Properties: {ContentUri: layer}',
    esbuildFn('NoLayer', ''),
    esbuildFn('WithLayer', ', Layers: [!Ref GreetingLayer]'),
  ].join('\n'),
};
const notices: string[] = [];
const service = serviceForSuite(root, files, { notice: (line) => notices.push(line) });

describe('packageOf: the package an import names', () => {
  it.each([
    { given: 'greeting', want: 'greeting' },
    { given: 'greeting/lib/x.js', want: 'greeting' },
    { given: '@scope/pkg/sub', want: '@scope/pkg' },
    { given: 'node:fs', want: undefined },
    { given: 'fs/promises', want: undefined },
    { given: '/opt/nodejs/utils', want: undefined },
    { given: './local', want: undefined },
  ])('$given', ({ given, want }) => {
    expect(packageOf(given)).toBe(want);
  });
});

describe('externalPackagesNotice', () => {
  it.each([
    { given: 'the AWS SDK v3 on nodejs22.x (the runtime has it)', runtime: 'nodejs22.x', name: '@aws-sdk/client-s3', noticed: false },
    { given: 'the AWS SDK v2 on nodejs16.x (the runtime has it)', runtime: 'nodejs16.x', name: 'aws-sdk', noticed: false },
    { given: 'the AWS SDK v2 on nodejs22.x (gone from the runtime)', runtime: 'nodejs22.x', name: 'aws-sdk', noticed: true },
    { given: 'any other package', runtime: 'nodejs22.x', name: 'greeting', noticed: true },
    { given: 'a package a layer holds, no copy of it above the build', runtime: 'nodejs22.x', name: 'greeting', noticed: false, layer: true },
    { given: 'a layer sam build builds (makefile) that is not built: it may hold anything', runtime: 'nodejs22.x', name: 'greeting', noticed: false, unbuilt: true },
  ])('$given', ({ runtime, name, noticed, layer, unbuilt }) => {
    const layers = unbuilt ? [{ logicalId: 'Commons', contentDir: join(root, 'nowhere'), buildMethod: 'makefile' }] : [];
    const notice = layer ? externalPackagesNotice('Fn', runtime, [name], [join(root, 'layer/nodejs/node_modules')]) : functionExternalsNotice({ logicalId: 'Fn', runtime, layers }, join(root, 'nowhere/app.js'), [name], join(root, '.aws-sam/build'));

    if (noticed) expect(notice).toMatch(new RegExp(`^Fn: ${name} is External .* on Lambda this import fails \\(Runtime\\.ImportModuleError: Cannot find module '${name}'\\)`));
    else expect(notice).toBe('');
  });
});

describe('a function whose bundle leaves a package External', () => {
  it('with no layer holding it, runs here from the project`s node_modules and the gateway says it fails on Lambda', async () => {
    const outcome = await service.invoke('NoLayer', {});

    expect(outcome).toMatchObject({ kind: 'ok', payload: 'hello from node_modules' });
    expect(notices.filter((n) => n.startsWith('NoLayer: '))).toEqual([expect.stringMatching(/^NoLayer: greeting is External in its esbuild BuildProperties and no layer of it has it/)]);
  });

  it('with a layer holding it in nodejs/node_modules, which Lambda loads, the gateway says the project`s copy loads here ahead of it', async () => {
    const outcome = await service.invoke('WithLayer', {});

    expect(outcome).toMatchObject({ kind: 'ok' });
    expect(notices.filter((n) => n.startsWith('WithLayer: '))).toEqual([expect.stringMatching(/^WithLayer: greeting \(External\) loads here from .*node_modules\/greeting, ahead of its layer's nodejs\/node_modules copy, which is the one Lambda loads/)]);
  });
});
