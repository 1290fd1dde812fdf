/**
 * Nested stacks as `sam local start-api` reads them (template/nested.ts): a SAM application or a CloudFormation stack
 * whose template is a local file is read as a stack of its own, with the Parameters its resource passes (the rest at
 * their defaults), under its own stack name; its Outputs answer the parent's `Fn::GetAtt Child.Outputs.Name`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { stacksOf } from '../../../emulator/template/nested.js';

const FIXTURE = resolve('tests/emulator/fixtures/nested-app/template.yaml');
const template = await loadTemplate(FIXTURE);
const child = template.nestedStacks?.find((n) => n.path === 'ChildApp')?.template;

describe('nested stacks with local templates', () => {
  it('reads each as its own stack, in template order, nested ones below their parent', () => {
    expect(stacksOf(template).map((s) => s.path)).toEqual(['', 'ChildApp/', 'ChildStack/']);
    expect(child?.path).toBe(resolve('tests/emulator/fixtures/nested-app/child/template.yaml'));
  });

  it('passes the Parameters its resource gives, resolved in the parent (a Ref to the parent\'s table), the others at their Default', () => {
    expect(child?.functions.get('HelloFunction')?.environment).toEqual({ GREETING: 'hello from the child', TABLE_NAME: 'local-RootTable', UNUSED: 'the default' });
  });

  it('names its resources under its own stack name, so that its tables do not meet the parent\'s', () => {
    expect(child?.tables.map((t) => t.tableName)).toEqual(['local-ChildApp-ChildTable']);
    expect(template.tables.map((t) => t.tableName)).toEqual(['local-RootTable']);
  });

  it('answers the parent\'s Fn::GetAtt Child.Outputs.Name with the child\'s resolved Outputs', () => {
    expect(template.functions.get('HelloFunction')?.environment).toEqual({
      CHILD_URL: `https://${child?.apis[0]?.restApiId}.execute-api.us-east-1.amazonaws.com/Prod/hello`,
      CHILD_FUNCTION: 'HelloFunction',
    });
  });

  it('serves the APIs of each: a SAM application\'s implicit REST API, a CloudFormation stack\'s implicit HTTP API', () => {
    expect(child?.apis.map((a) => a.logicalId)).toEqual(['ServerlessRestApi']);
    expect(template.nestedStacks?.find((n) => n.path === 'ChildStack')?.template.httpApis.map((a) => a.logicalId)).toEqual(['ServerlessHttpApi']);
  });
});

describe('nested stacks that are only on AWS', () => {
  it('a Serverless Application Repository application is reported not emulated, apart from the loaded ones', () => {
    expect(template.resources?.filter((g) => g.type === 'AWS::Serverless::Application')).toEqual([
      { type: 'AWS::Serverless::Application', logicalIds: ['FromRepository'], status: 'not-emulated', detail: expect.stringMatching(/^nested stack not loaded: an application of the Serverless Application Repository/) },
      { type: 'AWS::Serverless::Application', logicalIds: ['ChildApp'], status: 'emulated' },
    ]);
    expect(template.warnings).toContainEqual(expect.stringMatching(/^Resources\.FromRepository \(AWS::Serverless::Application\): nested stack not loaded/));
  });

  it.each([
    { given: 'a template on S3', location: 's3://bucket/child.yaml', want: /its template is at s3:\/\/bucket\/child\.yaml, not a local file/ },
    { given: 'a template on the web', location: 'https://example.com/child.yaml', want: /its template is at https:\/\/example\.com\/child\.yaml, not a local file/ },
    { given: 'a local template that is not there', location: './missing.yaml', want: /its template \.\/missing\.yaml does not exist/ },
  ])('a CloudFormation stack with $given is not loaded, and the template still loads', async ({ location, want }) => {
    const dir = mkdtempSync(join(tmpdir(), 'nested-'));
    writeFileSync(join(dir, 'template.yaml'), `Resources:\n  Child:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: '${location}'}\n`);

    const t = await loadTemplate(join(dir, 'template.yaml'));

    expect(t.nestedStacks).toBeUndefined();
    expect(t.resources?.[0]).toMatchObject({ logicalIds: ['Child'], status: 'not-emulated', detail: expect.stringMatching(want) });
  });

  it('a template that nests itself is refused, naming the resource', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nested-'));
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Again:\n    Type: AWS::CloudFormation::Stack\n    Properties: {TemplateURL: ./template.yaml}\n');

    await expect(loadTemplate(join(dir, 'template.yaml'))).rejects.toThrow(/template\.yaml: Resources\.Again: nested stack .*template\.yaml contains itself/);
  });
});
