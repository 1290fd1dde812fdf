/**
 * A CDK stack synthesized for a region (`env: { region: 'us-east-2' }`, or CDK_DEFAULT_REGION from the user's profile)
 * names that region literally in the ARNs CDK builds: LambdaRestApi's permissions say `arn:aws:execute-api:us-east-2:`.
 * Served in us-east-1 by default, no permission matched and every route answered 500 (serverless-patterns
 * cdk-cognito-apigateway-lambda). The cloud assembly's manifest.json records the stack's region; it is the default.
 * The same for its account (`env: { account }`, or CDK_DEFAULT_ACCOUNT, which the CDK CLI fills from the user's
 * credentials): served in 123456789012, a stack synthesized for 111122223333 answered 500 on every route.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { stacksOf } from '../../../emulator/template/nested.js';
import { cdkStackEnvironment } from '../../../emulator/template/cdk-environment.js';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A function and the permission CDK writes for a LambdaRestApi method, its SourceArn in `region` (and `account`, literal when given). */
const stackIn = (region: string, account?: string) => ({
  Resources: {
    Fn: { Type: 'AWS::Lambda::Function', Properties: { Code: { ZipFile: 'exports.handler = async () => ({ statusCode: 200 })' }, Handler: 'index.handler', Runtime: 'nodejs22.x', Role: 'arn:aws:iam::123456789012:role/r' } },
    Perm: {
      Type: 'AWS::Lambda::Permission',
      Properties: {
        Action: 'lambda:InvokeFunction',
        FunctionName: { 'Fn::GetAtt': ['Fn', 'Arn'] },
        Principal: 'apigateway.amazonaws.com',
        SourceArn: account ? `arn:aws:execute-api:${region}:${account}:abc123/prod/*/*` : { 'Fn::Join': ['', [`arn:aws:execute-api:${region}:`, { Ref: 'AWS::AccountId' }, ':abc123/prod/*/*']] },
      },
    },
    Child: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://example.invalid/child.json' }, Metadata: { 'aws:asset:path': 'Child.nested.template.json', 'aws:asset:property': 'TemplateURL' } },
  },
  Outputs: { Region: { Value: { Ref: 'AWS::Region' } }, Account: { Value: { Ref: 'AWS::AccountId' } } },
});

/** A cloud assembly folder: the stack's template, a nested one, and manifest.json naming the stack's environment. */
function assembly(environment: string | undefined, account?: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdk-env-'));
  dirs.push(dir);
  writeFileSync(join(dir, 'App.template.json'), JSON.stringify(stackIn('us-east-2', account)));
  writeFileSync(join(dir, 'Child.nested.template.json'), JSON.stringify({ Resources: {}, Outputs: { Region: { Value: { Ref: 'AWS::Region' } } } }));
  const artifact = { type: 'aws:cloudformation:stack', ...(environment ? { environment } : {}), properties: { templateFile: 'App.template.json' } };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify({ version: '54.0.0', artifacts: { App: artifact, Tree: { type: 'cdk:tree', properties: { file: 'tree.json' } } } }));
  return join(dir, 'App.template.json');
}

const sourceArn = (region: string, account = '123456789012') => `arn:aws:execute-api:${region}:${account}:abc123/prod/GET/items`;

describe('a CDK stack is served in the region its cloud assembly was synthesized for', () => {
  it("the manifest's region is AWS::Region, its nested stacks' too, and its permissions' literal region matches", async () => {
    const file = assembly('aws://unknown-account/us-east-2');

    const template = await loadTemplate(file);

    expect(template.region).toBe('us-east-2');
    expect(template.apiGatewayMayInvoke('Fn', sourceArn('us-east-2'))).toBe(true);
    expect(stacksOf(template).map(({ template: t }) => t.region)).toEqual(['us-east-2', 'us-east-2']);
  });

  it('--region still wins over the manifest', async () => {
    const template = await loadTemplate(assembly('aws://111122223333/us-east-2'), { region: 'eu-west-1' });
    expect(template.region).toBe('eu-west-1');
    expect(template.apiGatewayMayInvoke('Fn', sourceArn('eu-west-1'))).toBe(false);
  });

  it.each([
    { given: 'an environment-agnostic stack (unknown-region)', environment: 'aws://unknown-account/unknown-region' },
    { given: 'an artifact without environment', environment: undefined },
  ])('$given keeps the default us-east-1', async ({ environment }) => {
    expect((await loadTemplate(assembly(environment))).region).toBe('us-east-1');
  });

  it('a template with no manifest beside it (SAM, a copied template) has no CDK region or account', () => {
    const dir = mkdtempSync(join(tmpdir(), 'no-manifest-'));
    dirs.push(dir);
    writeFileSync(join(dir, 'template.json'), '{}');
    expect(cdkStackEnvironment(join(dir, 'template.json')).region).toBeUndefined();
    expect(cdkStackEnvironment(join(dir, 'template.json')).account).toBeUndefined();
  });
});

describe('a CDK stack is served in the account its cloud assembly was synthesized for', () => {
  it("the manifest's account is AWS::AccountId, its nested stacks' too, and its permissions' literal account matches", async () => {
    // Prepare
    const file = assembly('aws://111122223333/us-east-2', '111122223333');
    // Act
    const template = await loadTemplate(file);
    // Assess
    expect(template.accountId).toBe('111122223333');
    expect(template.apiGatewayMayInvoke('Fn', sourceArn('us-east-2', '111122223333'))).toBe(true);
    expect(template.apiGatewayMayInvoke('Fn', sourceArn('us-east-2', '123456789012'))).toBe(false);
    expect(stacksOf(template).map(({ template: t }) => t.accountId)).toEqual(['111122223333', '111122223333']);
  });

  it.each([
    { given: 'an environment-agnostic stack (unknown-account)', environment: 'aws://unknown-account/us-east-2' },
    { given: 'an unresolved token in place of the account', environment: 'aws://${Token[AWS.AccountId.7]}/us-east-2' },
    { given: 'an artifact without environment', environment: undefined },
  ])('$given keeps the local account 123456789012', async ({ environment }) => {
    expect((await loadTemplate(assembly(environment))).accountId).toBe('123456789012');
  });
});
