/**
 * Nested stacks as `sam local start-api` reads them (template/nested.ts): a SAM application or a CloudFormation stack
 * whose template is a local file is read as a stack of its own, with the Parameters its resource passes (the rest at
 * their defaults), under its own stack name; its Outputs answer the parent's `Fn::GetAtt Child.Outputs.Name`.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkIntegrationUris, loadTemplate } from '../../../emulator/template/load.js';
import { creationOrder, stacksOf } from '../../../emulator/template/nested.js';
import { proxyToArnParameter, samApiResource } from '../support/sam-api-yaml.js';

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

describe('siblings wired by their Outputs (CloudFormation creates a stack after those whose Outputs it reads)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'nested-siblings-'));
  const fn = (env: string, id = 'Fn') => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: app.handler, Runtime: nodejs22.x, InlineCode: 'exports.handler = async () => 1;', Environment: {Variables: {${env}}}}\n`;
  writeFileSync(join(dir, 'tables.yaml'), 'Resources:\n  Table:\n    Type: AWS::DynamoDB::Table\n    Properties: {KeySchema: [{AttributeName: id, KeyType: HASH}], AttributeDefinitions: [{AttributeName: id, AttributeType: S}], BillingMode: PAY_PER_REQUEST}\nOutputs:\n  TableName: {Value: !Ref Table}\n');
  writeFileSync(join(dir, 'functions.yaml'), `Parameters:\n  TableName: {Type: String}\n  Joined: {Type: String}\nResources:\n${fn('TABLE: !Ref TableName, JOINED: !Ref Joined')}Outputs:\n  FnArn: {Value: !GetAtt Fn.Arn}\n`);
  const api = samApiResource('Rest', `{/x: {get: ${proxyToArnParameter('FnArn')}}}`);
  writeFileSync(join(dir, 'api.yaml'), `Parameters:\n  FnArn: {Type: String}\nResources:\n${fn('TARGET: !Ref FnArn', 'ApiFn')}${api}\n`);
  writeFileSync(
    join(dir, 'template.yaml'),
    [
      'Transform: AWS::Serverless-2016-10-31',
      'Resources:',
      // Declared before the stacks it reads: read after them all the same.
      '  Api:',
      '    Type: AWS::Serverless::Application',
      '    DependsOn: Functions',
      '    Properties: {Location: ./api.yaml, Parameters: {FnArn: !GetAtt Functions.Outputs.FnArn}}',
      '  Functions:',
      '    Type: AWS::Serverless::Application',
      '    Properties:',
      '      Location: ./functions.yaml',
      '      Parameters: {TableName: !GetAtt Tables.Outputs.TableName, Joined: !Sub "${Tables.Outputs.TableName}/x"}',
      '  Tables:',
      '    Type: AWS::CloudFormation::Stack',
      '    Properties: {TemplateURL: ./tables.yaml}',
    ].join('\n'),
  );

  it("resolves a sibling's Outputs in Parameters (GetAtt and Sub), however the template orders them", async () => {
    const t = await loadTemplate(join(dir, 'template.yaml'));
    const env = (path: string, id = 'Fn') => t.nestedStacks?.find((n) => n.path === path)?.template.functions.get(id)?.environment;

    expect(env('Functions')).toEqual({ TABLE: 'local-Tables-Table', JOINED: 'local-Tables-Table/x' });
    expect(env('Api', 'ApiFn')).toEqual({ TARGET: expect.stringMatching(/^arn:aws:lambda:us-east-1:\d{12}:function:Fn$/) });
    expect(stacksOf(t).map((s) => s.path)).toEqual(['', 'Api/', 'Functions/', 'Tables/']);
  });

  it("an integration naming a sibling stack's function, or a function of no stack here, is not refused (the route is reported, per route)", async () => {
    const t = await loadTemplate(join(dir, 'template.yaml'));
    const stack = (path: string) => t.nestedStacks!.find((n) => n.path === path)!.template;

    expect(checkIntegrationUris(stack('Api'), [t, stack('Functions'), stack('Tables')])).toEqual([]);
    expect(checkIntegrationUris(stack('Api'), [t, stack('Tables')])).toEqual([]);
  });

  it.each([
    { given: 'no dependencies: template order', refs: [['A', []], ['B', []]], want: ['A', 'B'] },
    { given: 'a reader first', refs: [['A', ['B']], ['B', []]], want: ['B', 'A'] },
    { given: 'a chain backwards', refs: [['A', ['B']], ['B', ['C']], ['C', []]], want: ['C', 'B', 'A'] },
    { given: 'a cycle: template order', refs: [['A', ['B']], ['B', ['A']]], want: ['A', 'B'] },
    { given: 'a dependency that is not a loaded sibling', refs: [['A', ['Missing']], ['B', []]], want: ['A', 'B'] },
  ] as { given: string; refs: [string, string[]][]; want: string[] }[])('creationOrder: $given', ({ refs, want }) => {
    const order = creationOrder(refs.map(([logicalId, after]) => ({ logicalId, after, file: '', parameters: () => ({}) })));

    expect(order.map((r) => r.logicalId)).toEqual(want);
  });
});

describe("a nested stack's Parameters come from its parent's resource, which CloudFormation holds to the child's template", () => {
  const dir = mkdtempSync(join(tmpdir(), 'nested-params-'));
  writeFileSync(join(dir, 'child.yaml'), 'Parameters:\n  Given: {Type: String}\n  Missing: {Type: String}\nResources:\n  Topic: {Type: AWS::SNS::Topic}\n');
  writeFileSync(
    join(dir, 'template.yaml'),
    'Transform: AWS::Serverless-2016-10-31\nParameters:\n  Env: {Type: String, Default: dev}\nResources:\n  Child:\n    Type: AWS::Serverless::Application\n    Properties: {Location: ./child.yaml, Parameters: {Given: x, Extra: y}}\n',
  );

  it.each([
    {
      given: 'a parameter without Default the parent does not pass',
      want: /^Parameters\.Missing: no Default and not given by \S*template\.yaml Resources\.Child\.Properties\.Parameters, so CloudFormation fails the nested stack \("Parameters: \[Missing\] must have values"\); locally it is "emulator-unresolved:Parameter\/Missing" \(give it there: --parameter-overrides sets the root stack's parameters only\)$/,
    },
    {
      given: 'a parameter the parent passes that the child does not declare',
      want: /^Parameters\.Extra: \S*template\.yaml Resources\.Child\.Properties\.Parameters names a parameter this template does not declare, so CloudFormation fails the nested stack \("Parameters: \[Extra\] do not exist in the template"\); ignored locally$/,
    },
  ])('$given: the child says where the value comes from and what CloudFormation does, not --parameter-overrides', async ({ want }) => {
    // Prepare / Act
    const t = await loadTemplate(join(dir, 'template.yaml'), { parameterOverrides: { Missing: 'root-only' } });
    const child = t.nestedStacks?.find((n) => n.path === 'Child')?.template;

    // Assess
    expect(child?.warnings).toContainEqual(expect.stringMatching(want));
    expect(child?.warnings?.filter((w) => w.includes('--parameter-overrides names'))).toEqual([]);
    expect(t.warnings).toContainEqual(expect.stringMatching(/^Parameters\.Missing: --parameter-overrides names a parameter the template does not declare; ignored/));
  });
});
