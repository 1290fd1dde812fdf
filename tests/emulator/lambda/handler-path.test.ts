/**
 * How the Node.js runtime reads a Handler (UserFunction.js): the folders before the last `/`, then the module up to the
 * first dot of what follows, then a property path (`app.handlers.get` is the `get` of the module app's `handlers`).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { splitHandler } from '../../../emulator/lambda/build.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { serviceForSuite } from './support/project.js';

const root = mkdtempSync(join(tmpdir(), 'handler-path-'));
const fn = (id: string, props: string): string => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {${props}, Runtime: nodejs20.x}`;
const files: Record<string, string> = {
  'src/app.js': 'exports.handlers = { get: async () => "nested get" };\n',
  'src/routes/items.mjs': 'export const v1 = { list: async () => "esm nested list" };\n',
  'src/get.item.js': 'exports.handler = async () => "dotted file";\n',
  'template.yaml': [
    'Resources:',
    fn('Nested', 'Handler: app.handlers.get, CodeUri: src'),
    fn('NestedEsm', 'Handler: routes/items.v1.list, CodeUri: src'),
    fn('DottedFile', 'Handler: get.item.handler, CodeUri: src'),
    fn('InlineNested', 'Handler: index.v2.handler, InlineCode: "exports.v2 = { handler: async () => \'inline nested\' };"'),
  ].join('\n'),
};
const service = serviceForSuite(root, files);

describe('splitHandler: the module and the property path, as the Node.js runtime splits a Handler', () => {
  it.each([
    { given: 'app.handler', want: ['app', 'handler'] },
    { given: 'src/handlers/list.main', want: ['src/handlers/list', 'main'] },
    { given: 'index.v2.handler', want: ['index', 'v2.handler'] },
    { given: 'src/v1.0/app.handler', want: ['src/v1.0/app', 'handler'] },
  ])('$given', ({ given, want }) => {
    expect(splitHandler(given)).toEqual(want);
  });
});

describe('a Handler whose export is a property path', () => {
  it.each([
    { id: 'Nested', want: 'nested get' },
    { id: 'NestedEsm', want: 'esm nested list' },
    { id: 'InlineNested', want: 'inline nested' },
  ])('$id runs the function at that path', async ({ id, want }) => {
    expect(await service.invoke(id, {})).toMatchObject({ kind: 'ok', payload: want });
  });

  it('a file name with a dot is not the module: get.item.handler names the module get, which is not there, and the error says why', async () => {
    const act = service.invoke('DottedFile', {});

    await expect(act).rejects.toThrow(/DottedFile\.Properties\.Handler: no handler file in .*\(tried get\.js, .*\); get\.item\.js is there, but Lambda's Node\.js runtime takes the module up to the Handler's first dot \(get\)/);
  });

  it('inline code whose Handler is index.<path> draws no warning: Lambda loads index.js and resolves the path', async () => {
    const stack = await loadTemplate(join(root, 'template.yaml'));

    expect((stack.warnings ?? []).filter((w) => w.includes('InlineNested'))).toEqual([]);
  });
});
