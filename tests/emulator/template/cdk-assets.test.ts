/**
 * A CDK cloud assembly synthesized without asset metadata (`cdk synth --no-asset-metadata`, or an app that calls
 * `app.synth()` itself): its template names only the S3 keys of the bootstrap bucket, and the asset manifest beside it
 * (`<Stack>.assets.json`) maps each key back to the local source it was built from: function code, layer content,
 * nested stack templates (emulator/template/cdk-assets.ts).
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { stacksOf } from '../../../emulator/template/nested.js';

const BUCKET = { 'Fn::Sub': 'cdk-hnb659fds-assets-${AWS::AccountId}-${AWS::Region}' };
const ROLE = 'arn:aws:iam::123456789012:role/r';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

/** A cloud assembly folder: `files` (path → text), one manifest entry per [objectKey, source path] pair. */
function assembly(templates: Record<string, unknown>, assets: [string, string][], files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'cdk-out-'));
  dirs.push(dir);
  for (const [name, content] of Object.entries(files)) {
    mkdirSync(dirname(join(dir, name)), { recursive: true });
    writeFileSync(join(dir, name), content);
  }
  for (const [name, template] of Object.entries(templates)) writeFileSync(join(dir, name), JSON.stringify(template));
  const entries = Object.fromEntries(assets.map(([key, path]) => [key.replace(/\.\w+$/, ''), { source: { path, packaging: key.endsWith('.zip') ? 'zip' : 'file' }, destinations: { 'current_account-current_region': { bucketName: BUCKET['Fn::Sub'], objectKey: key } } }]));
  writeFileSync(join(dir, 'App.assets.json'), JSON.stringify({ version: '55.0.0', files: entries, dockerImages: {} }));
  return join(dir, 'App.template.json');
}

const fn = (key: string, extra: Record<string, unknown> = {}) => ({ Type: 'AWS::Lambda::Function', Properties: { Code: { S3Bucket: BUCKET, S3Key: key }, Handler: 'index.handler', Runtime: 'nodejs22.x', Role: ROLE, ...extra } });

describe('CDK assets found through the asset manifest', () => {
  it('a function`s S3Key names its asset folder; a layer`s Content too', async () => {
    // Prepare
    const file = assembly(
      {
        'App.template.json': {
          Resources: {
            Layer: { Type: 'AWS::Lambda::LayerVersion', Properties: { Content: { S3Bucket: BUCKET, S3Key: 'bbb.zip' } } },
            Fn: fn('aaa.zip', { Layers: [{ Ref: 'Layer' }] }),
          },
        },
      },
      [
        ['aaa.zip', 'asset.aaa'],
        ['bbb.zip', 'asset.bbb'],
      ],
      { 'asset.aaa/index.js': '', 'asset.bbb/nodejs/node_modules/x/index.js': '' },
    );

    // Act
    const spec = (await loadTemplate(file)).functions.get('Fn');

    // Assess
    expect(spec?.unavailable).toBeUndefined();
    expect(spec?.codeDir).toBe(join(dirname(file), 'asset.aaa'));
    expect(spec?.layers?.map((l) => l.contentDir)).toEqual([join(dirname(file), 'asset.bbb')]);
  });

  it.each<{ given: string; key: string; files: Record<string, string>; want: RegExp }>([
    { given: 'a key no manifest names', key: 'zzz.zip', files: {}, want: /its code is on S3 \(s3:\/\/cdk-hnb659fds-assets-123456789012-us-east-1\/zzz\.zip\)/ },
    { given: 'a manifest entry whose folder is gone', key: 'aaa.zip', files: {}, want: /its code is on S3/ },
    { given: 'a manifest entry that is a file, not a folder', key: 'aaa.zip', files: { 'asset.aaa': 'zip bytes' }, want: /its code is on S3/ },
  ])('$given: the function stays unavailable, with why', async ({ key, files, want }) => {
    const file = assembly({ 'App.template.json': { Resources: { Fn: fn(key) } } }, [['aaa.zip', 'asset.aaa']], files);
    expect((await loadTemplate(file)).functions.get('Fn')?.unavailable).toMatch(want);
  });

  it('a nested stack`s TemplateURL names its template file; its functions` keys are in the same folder`s manifest', async () => {
    // Prepare
    const url = { 'Fn::Join': ['', ['https://s3.', { Ref: 'AWS::Region' }, '.', { Ref: 'AWS::URLSuffix' }, '/', BUCKET, '/nnn.json']] };
    const inner = { Resources: { Inner: fn('ccc.zip') } };
    const file = assembly(
      { 'App.template.json': { Resources: { Nested: { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: url } } } }, 'AppNested.nested.template.json': inner },
      [
        ['nnn.json', 'AppNested.nested.template.json'],
        ['ccc.zip', 'asset.ccc'],
      ],
      { 'asset.ccc/index.js': '' },
    );

    // Act
    const stacks = stacksOf(await loadTemplate(file));

    // Assess
    expect(stacks.map((s) => s.path)).toEqual(['', 'Nested/']);
    expect(stacks[1]?.template.functions.get('Inner')?.codeDir).toBe(join(dirname(file), 'asset.ccc'));
  });

  it('a nested stack named by its asset metadata (cdk synth`s default) is read from that file', async () => {
    const nested = { Type: 'AWS::CloudFormation::Stack', Properties: { TemplateURL: 'https://s3.amazonaws.com/elsewhere/unknown.json' }, Metadata: { 'aws:asset:path': 'AppNested.nested.template.json', 'aws:asset:property': 'TemplateURL' } };
    const file = assembly({ 'App.template.json': { Resources: { Nested: nested } }, 'AppNested.nested.template.json': { Resources: { Inner: fn('ccc.zip') } } }, [['ccc.zip', 'asset.ccc']], { 'asset.ccc/index.js': '' });
    expect(stacksOf(await loadTemplate(file)).map((s) => s.path)).toEqual(['', 'Nested/']);
  });

  it.each([
    { given: 'its asset metadata (cdk synth`s default)', metadata: { 'aws:asset:path': 'asset.ddd.yaml', 'aws:asset:property': 'BodyS3Location' }, key: 'unknown.yaml' },
    { given: 'the manifest', metadata: undefined, key: 'ddd.yaml' },
  ])('a SpecRestApi`s BodyS3Location found by $given is the document served', async ({ metadata, key }) => {
    // Prepare
    const doc = 'openapi: 3.0.1\ninfo: {title: spec, version: "1"}\npaths:\n  /hello:\n    get:\n      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: \'{"statusCode": 200}\'}, responses: {default: {statusCode: "200"}}}\n';
    const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'spec', BodyS3Location: { Bucket: BUCKET, Key: key } }, ...(metadata ? { Metadata: metadata } : {}) };
    const resources = { Spec: api, Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Spec' }, StageName: 'prod' } } };
    const file = assembly({ 'App.template.json': { Resources: resources } }, [['ddd.yaml', 'asset.ddd.yaml']], { 'asset.ddd.yaml': doc });

    // Act
    const apis = (await loadTemplate(file)).apis;

    // Assess
    expect(apis.map((a) => [a.logicalId, a.stageName, Object.keys(a.openapi.paths ?? {})])).toEqual([['Spec', 'prod', ['/hello']]]);
  });

  it('a BodyS3Location named by its asset metadata is read without its Bucket and Key, whose parameters a trimmed old-synthesizer template lacks', async () => {
    // Prepare
    const doc = "openapi: 3.0.1\ninfo: {title: spec, version: '1'}\npaths:\n  /old:\n    get:\n      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: '{\"statusCode\": 200}'}, responses: {default: {statusCode: '200'}}}\n";
    const location = { Bucket: { Ref: 'AssetParametersAbcS3Bucket' }, Key: { 'Fn::Join': ['', [{ Ref: 'AssetParametersAbcS3VersionKey' }]] } };
    const api = { Type: 'AWS::ApiGateway::RestApi', Properties: { Name: 'spec', BodyS3Location: location }, Metadata: { 'aws:asset:path': './definition.yaml', 'aws:asset:property': 'BodyS3Location' } };
    const resources = { Spec: api, Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Spec' }, StageName: 'prod' } } };
    const file = assembly({ 'App.template.json': { Resources: resources } }, [], { 'definition.yaml': doc });

    // Act
    const apis = (await loadTemplate(file)).apis;

    // Assess
    expect(apis.map((a) => [a.logicalId, a.stageName, Object.keys(a.openapi.paths ?? {})])).toEqual([['Spec', 'prod', ['/old']]]);
  });

  it('a BodyS3Location no manifest names is not served, with why', async () => {
    const resources = { Spec: { Type: 'AWS::ApiGateway::RestApi', Properties: { BodyS3Location: { Bucket: 'b', Key: 'k.yaml' } } }, Deployment: { Type: 'AWS::ApiGateway::Deployment', Properties: { RestApiId: { Ref: 'Spec' }, StageName: 'prod' } } };
    const loaded = await loadTemplate(assembly({ 'App.template.json': { Resources: resources } }, [], {}));
    expect(loaded.apis).toEqual([]);
    expect((loaded.warnings ?? []).join('\n')).toContain('Resources.Spec.Properties.BodyS3Location: a RestApi whose document is on S3 is not emulated');
  });

  it('an HTTP API`s BodyS3Location found by the manifest is the document imported', async () => {
    // Prepare
    const doc = "openapi: 3.0.1\ninfo: {title: v2, version: '1'}\npaths:\n  /hi:\n    get:\n      x-amazon-apigateway-integration: {type: http_proxy, httpMethod: GET, uri: 'https://example.com/hi', payloadFormatVersion: '1.0'}\n";
    const resources = { Api: { Type: 'AWS::ApiGatewayV2::Api', Properties: { BodyS3Location: { Bucket: BUCKET, Key: 'eee.yaml' } } }, Stage: { Type: 'AWS::ApiGatewayV2::Stage', Properties: { ApiId: { Ref: 'Api' }, StageName: '$default' } } };
    const file = assembly({ 'App.template.json': { Resources: resources } }, [['eee.yaml', 'asset.eee.yaml']], { 'asset.eee.yaml': doc });

    // Act
    const apis = (await loadTemplate(file)).httpApis;

    // Assess
    expect(apis.flatMap((a) => a.routes.map((r) => r.routeKey))).toEqual(['GET /hi']);
  });
});
