import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkIntegrationUris, loadTemplate } from '../../../emulator/template/load.js';
import { throwIfRefused } from './api-refusal.js';
import { TemplateError, type LoadedTemplate } from '../../../emulator/template/model.js';

const FIXTURE = resolve('tests/emulator/fixtures/runtime-app/template.yaml');
const SRC = resolve('tests/emulator/fixtures/runtime-app/src');

function tempTemplate(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'tpl-'));
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return join(dir, 'template.yaml');
}

const API_HEADER = 'Transform: AWS::Serverless-2016-10-31\nResources:\n';
const FN = `  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ${SRC}, Handler: plain.handler, Runtime: nodejs20.x}\n`;

describe('loadTemplate on the runtime-app fixture', () => {
  let t: LoadedTemplate;
  beforeAll(async () => {
    t = await loadTemplate(FIXTURE);
  });

  it('merges Globals.Function into each function (environment merged, function wins)', () => {
    const behavior = t.functions.get('BehaviorFunction');
    const ts = t.functions.get('TsPlainFunction');

    // NODE_OPTIONS: its esbuild Sourcemap true, for which sam build adds the flag.
    expect(behavior?.environment).toEqual({ TABLE_NAME: 'tasks-dev', LOG_LEVEL: 'DEBUG', GREETING: 'hello-from-behavior', NODE_OPTIONS: ' --enable-source-maps' });
    expect(ts?.environment.GREETING).toBe('global');
    expect(ts?.timeoutSeconds).toBe(5);
    expect(behavior?.timeoutSeconds).toBe(1);
    expect(ts?.memorySizeMb).toBe(256);
  });

  it('names functions by FunctionName (resolved) or logical id, with their ARN', () => {
    expect(t.functions.get('BehaviorFunction')).toMatchObject({
      functionName: 'local-behavior',
      arn: 'arn:aws:lambda:us-east-1:123456789012:function:local-behavior',
      handler: 'behavior.handler',
      runtime: 'nodejs22.x',
      architectures: ['arm64'],
      codeDir: SRC,
    });
    expect(t.functions.get('PlainFunction')?.functionName).toBe('PlainFunction');
    expect(t.functions.get('PlainFunction')?.architectures).toEqual(['x86_64']);
  });

  it('reads esbuild metadata into FunctionSpec.build (entry points relative to CodeUri)', () => {
    expect(t.functions.get('BehaviorFunction')?.build).toEqual({
      entryPoints: [join(SRC, 'behavior.ts')],
      target: 'es2022',
      format: 'esm',
      minify: false,
      sourcemap: true,
      external: ['@aws-sdk/*'],
      outExtension: { '.js': '.mjs' },
    });
    expect(t.functions.get('PlainFunction')?.build).toBeUndefined();
  });

  it('drops resources whose Condition is false, keeps them when the override makes it true', async () => {
    const prod = await loadTemplate(FIXTURE, { parameterOverrides: { Stage: 'prod' } });

    expect(t.functions.has('ProdOnlyFunction')).toBe(false);
    expect(prod.functions.has('ProdOnlyFunction')).toBe(true);
    expect(prod.tables[0]?.tableName).toBe('tasks-prod');
    expect(prod.apis[0]?.stageName).toBe('prod');
    expect(prod.parameters).toEqual({ Stage: 'prod', Greeting: 'hello' });
  });

  it('R13.3 resolves intrinsics in an AWS::Include d OpenAPI file', () => {
    const api = t.apis[0];
    const paths = api?.openapi.paths ?? {};

    expect(api?.openapiSource).toBe('tests/emulator/fixtures/runtime-app/openapi.yaml');
    expect(paths['/behavior']?.post).toMatchObject({
      'x-amazon-apigateway-integration': {
        uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:local-behavior/invocations',
      },
    });
    expect(paths['/table']?.get).toMatchObject({
      'x-amazon-apigateway-integration': { requestTemplates: { 'application/json': '{"TableName": "tasks-dev"}' } },
    });
  });

  it('R13.5 writes BinaryMediaTypes into the document with ~1 → /, and reads stage settings (R13.11)', () => {
    const api = t.apis[0];

    expect(api?.openapi['x-amazon-apigateway-binary-media-types']).toEqual(['image/png']);
    expect(api).toMatchObject({
      logicalId: 'Api',
      restApiId: expect.stringMatching(/^[0-9a-f]{10}$/),
      stageName: 'dev',
      stageVariables: { stage: 'dev' },
      methodSettings: [{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 10 }],
      cacheClusterEnabled: false,
    });
  });

  it('reads tables: DynamoDB (GSI, TTL) and SimpleTable (default primary key)', () => {
    expect(t.tables).toEqual([
      expect.objectContaining({
        logicalId: 'TasksTable',
        tableName: 'tasks-dev',
        ttlAttribute: 'expiresAt',
        globalSecondaryIndexes: [
          { IndexName: 'byOwner', KeySchema: [{ AttributeName: 'owner', KeyType: 'HASH' }], Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] } },
        ],
      }),
      {
        logicalId: 'Counters',
        tableName: 'local-Counters',
        keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }],
        attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }],
      },
    ]);
  });

  it('collects identity resources with intrinsics resolved', () => {
    const restApiId = t.apis[0]?.restApiId;

    expect(t.identity.apiKeys).toEqual([{ logicalId: 'ApiKey', properties: { Enabled: true, Value: 'local-key-0123456789', Name: 'local-key' } }]);
    expect(t.identity.usagePlans[0]?.properties.ApiStages).toEqual([{ ApiId: restApiId, Stage: 'dev' }]);
    expect(t.identity.usagePlanKeys[0]?.properties.KeyType).toBe('API_KEY');
    expect(t.identity.userPools[0]?.properties.UserPoolName).toBe('local-users');
    expect(t.identity.userPoolClients[0]?.properties.UserPoolId).toMatch(/^us-east-1_/);
    expect(t.identity.secrets[0]?.properties.Name).toBe('local/signing');
  });

  it.each([
    { given: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:local-behavior/invocations', want: 'BehaviorFunction' },
    { given: 'arn:aws:apigateway:eu-west-1:lambda:path/2015-03-31/functions/arn:aws:lambda:eu-west-1:123456789012:function:PlainFunction:live/invocations', want: 'PlainFunction' },
    { given: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:Missing/invocations', want: undefined },
    { given: 'arn:aws:apigateway:us-east-1:dynamodb:action/Query', want: undefined },
  ])('R1.2 functionForUri($given) → $want', ({ given, want }) => {
    expect(t.functionForUri(given)?.logicalId).toBe(want);
  });

  it('checkIntegrationUris finds nothing wrong in the fixture', () => {
    expect(checkIntegrationUris(t)).toEqual([]);
  });
});

describe('loadTemplate errors and SAM rules', () => {
  it.each([
    { given: 'no Transform', head: '', warned: true },
    { given: 'another transform only', head: 'Transform: AWS::LanguageExtensions\n', warned: true },
    { given: "SAM's transform in a list", head: 'Transform: [AWS::LanguageExtensions, AWS::Serverless-2016-10-31]\n', warned: false },
  ])('AWS::Serverless::* resources with $given: warned as CloudFormation would refuse them ($warned), served anyway', async ({ head, warned }) => {
    const file = tempTemplate({ 'template.yaml': `${head}Resources:\n  Simple:\n    Type: AWS::Serverless::SimpleTable\n` });

    const t = await loadTemplate(file);

    expect(t.tables.map((x) => x.logicalId)).toEqual(['Simple']);
    expect((t.warnings ?? []).some((w) => /^Transform: no AWS::Serverless-2016-10-31, which CloudFormation needs to deploy Simple/.test(w))).toBe(warned);
  });

  it('a table whose name DynamoDB would refuse (built from a parameter without value) is a warning, not created; the rest loads', async () => {
    const file = tempTemplate({
      'template.yaml': `Parameters:\n  Project: {Type: String}\nResources:\n  Plans:\n    Type: AWS::DynamoDB::Table\n    Properties:\n      TableName: !Sub '\${Project}-plans'\n      KeySchema: [{AttributeName: id, KeyType: HASH}]\n      AttributeDefinitions: [{AttributeName: id, AttributeType: S}]\n  Simple:\n    Type: AWS::Serverless::SimpleTable\n`,
    });

    const t = await loadTemplate(file);

    expect(t.tables.map((x) => x.logicalId)).toEqual(['Simple']);
    expect(t.warnings).toContain('Resources.Plans: table name "emulator-unresolved:Parameter/Project-plans" is not a valid DynamoDB table name: the table is not created (a parameter without value? give it with --parameter-overrides)');
  });

  it.each([
    { given: 'a Table without KeySchema', resource: 'Type: AWS::DynamoDB::Table\n    Properties: {AttributeDefinitions: []}', want: 'Resources.Bad.Properties.KeySchema: is required: the table is not created (CloudFormation would refuse it)' },
    { given: 'a SimpleTable with a PrimaryKey of no known type', resource: 'Type: AWS::Serverless::SimpleTable\n    Properties: {PrimaryKey: {Name: id, Type: Text}}', want: 'Resources.Bad.Properties.PrimaryKey: needs Name and Type (String | Number | Binary): the table is not created (CloudFormation would refuse it)' },
  ])('$given is a warning, not created; the other tables load', async ({ resource, want }) => {
    const file = tempTemplate({ 'template.yaml': `Resources:\n  Bad:\n    ${resource}\n  Simple:\n    Type: AWS::Serverless::SimpleTable\n` });

    const t = await loadTemplate(file);

    expect(t.tables.map((x) => x.logicalId)).toEqual(['Simple']);
    expect(t.warnings).toContain(want);
  });

  it('a missing template file is a TemplateError naming it', async () => {
    await expect(loadTemplate('/nowhere/template.yaml')).rejects.toThrow('/nowhere/template.yaml: (file): template file not found');
  });

  it('checkIntegrationUris reports each Lambda URI naming no function ARN, with file and key', async () => {
    const missing = 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:Gone/invocations';
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}${FN}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionUri: api.json\n`,
      'api.json': JSON.stringify({
        openapi: '3.0.1',
        paths: { '/x': { get: { 'x-amazon-apigateway-integration': { type: 'aws_proxy', uri: missing } } } },
        components: { securitySchemes: { auth: { 'x-amazon-apigateway-authorizer': { authorizerUri: missing } } } },
      }),
    });

    const errors = checkIntegrationUris(await loadTemplate(file));

    expect(errors.map((e) => e.key)).toEqual([
      'paths./x.get.x-amazon-apigateway-integration.uri',
      'components.securitySchemes.auth.x-amazon-apigateway-authorizer.authorizerUri',
    ]);
    expect(errors[0]).toBeInstanceOf(TemplateError);
    expect(errors[0]?.file).toBe(join(dirname(file), 'api.json'));
  });

  it('Fn::ForEach (AWS::LanguageExtensions) is expanded, not read as a resource without a Type: its resources are accounted for', async () => {
    const file = tempTemplate({ 'template.yaml': 'Transform: AWS::LanguageExtensions\nResources:\n  Fn::ForEach::Topics:\n    - Name\n    - [a, b]\n    - {"Topic${Name}": {Type: AWS::SNS::Topic}}\n' });

    const t = await loadTemplate(file);

    expect(t.resources?.flatMap((g) => g.logicalIds)).toEqual(['Topica', 'Topicb']);
  });

  it('R13.2 leaves intrinsics in a DefinitionUri file unresolved', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionUri: ./api.yaml\n`,
      'api.yaml': 'openapi: 3.0.1\nx-root:\n  Fn::Sub: ${Api.RootResourceId}\n',
    });

    const t = await loadTemplate(file);

    expect(t.apis[0]?.openapi['x-root']).toEqual({ 'Fn::Sub': '${Api.RootResourceId}' });
    expect(t.apis[0]?.stageVariables).toBeNull();
  });

  it('R13.1 rejects DefinitionBody together with DefinitionUri', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionUri: ./api.yaml\n      DefinitionBody: {openapi: 3.0.1}\n`,
    });

    await expect(loadTemplate(file).then(throwIfRefused)).rejects.toThrow(/Resources\.Api\.Properties: Specify either 'DefinitionUri' or 'DefinitionBody'/);
  });

  it('R13.3 rejects short-form tags in an AWS::Include d file, naming that file and line', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      DefinitionBody:\n        Fn::Transform: {Name: AWS::Include, Parameters: {Location: inc.yaml}}\n`,
      'inc.yaml': 'openapi: 3.0.1\npaths:\n  /x:\n    get:\n      uri: !Sub "${AWS::Region}"\n',
    });

    await expect(loadTemplate(file).then(throwIfRefused)).rejects.toThrow(/inc\.yaml: line 5: Unresolved tag: !Sub .*R13\.3/);
  });

  // CloudFormation runs AWS::Include wherever a snippet can go, not only in an API definition.
  it('Fn::Transform AWS::Include inside a resource property reads the local snippet and resolves its long-form intrinsics', async () => {
    const file = tempTemplate({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: plain.handler\n      Environment:\n        Fn::Transform: {Name: AWS::Include, Parameters: {Location: env.yaml}}\n`,
      'env.yaml': 'Variables:\n  REGION: {"Fn::Sub": "${AWS::Region}-x"}\n  PLAIN: y\n',
    });

    const fn = (await loadTemplate(file)).functions.get('Fn');

    expect(fn?.environment).toEqual({ REGION: 'us-east-1-x', PLAIN: 'y' });
  });

  it.each([
    { given: 'an S3 location', transform: '{Name: AWS::Include, Parameters: {Location: "s3://bucket/env.yaml"}}', want: /Parameters\.Location: must be a local path \(S3 locations are not fetched\)/ },
    { given: 'a missing file', transform: '{Name: AWS::Include, Parameters: {Location: nope.yaml}}', want: /Parameters\.Location: file .*nope\.yaml does not exist/ },
    { given: 'another transform', transform: '{Name: AWS::Other, Parameters: {}}', want: /Fn::Transform "AWS::Other" is not supported by the local emulator \(only AWS::Include\)/ },
  ])('Fn::Transform in a resource property with $given is a TemplateError naming the key', async ({ transform, want }) => {
    const file = tempTemplate({
      'template.yaml': `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      CodeUri: ${SRC}\n      Handler: plain.handler\n      Environment:\n        Fn::Transform: ${transform}\n`,
    });

    await expect(loadTemplate(file)).rejects.toThrow(want);
  });

  it('resolves an inline DefinitionBody with short-form intrinsics; a document list wins over BinaryMediaTypes', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}${FN}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: !Sub "v\${AWS::AccountId}"\n      BinaryMediaTypes: [image~1gif]\n      Variables: {color: blue}\n      DefinitionBody:\n        openapi: 3.0.1\n        x-amazon-apigateway-binary-media-types: [application/octet-stream]\n        x-fn: !GetAtt Fn.Arn\n`,
    });

    const api = (await loadTemplate(file)).apis[0];

    expect(api?.stageName).toBe('v123456789012');
    expect(api?.stageVariables).toEqual({ color: 'blue' });
    expect(api?.openapi['x-fn']).toBe('arn:aws:lambda:us-east-1:123456789012:function:Fn');
    expect(api?.openapi['x-amazon-apigateway-binary-media-types']).toEqual(['application/octet-stream']);
    expect(api?.openapiSource).toBe(`${file}#/Resources/Api/Properties/DefinitionBody`);
  });

  it('Globals: lists concatenate (globals first), maps merge, scalars take the function value', async () => {
    const file = tempTemplate({
      'template.yaml': `Globals:\n  Function:\n    Architectures: [x86_64]\n    Timeout: 9\n    Environment: {Variables: {A: g, B: g}}\nResources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ${SRC}, Handler: plain.handler, Architectures: [arm64], Timeout: 2, Environment: {Variables: {B: f}}}\n`,
    });

    const fn = (await loadTemplate(file)).functions.get('Fn');

    expect(fn?.architectures).toEqual(['x86_64', 'arm64']);
    expect(fn?.timeoutSeconds).toBe(2);
    expect(fn?.environment).toEqual({ A: 'g', B: 'f' });
  });

  it('defaults Timeout to 3 and MemorySize to 128; a missing CodeUri directory makes the function unavailable, not the template', async () => {
    const ok = await loadTemplate(tempTemplate({ 'template.yaml': `Resources:\n${FN}` }));
    const missing = await loadTemplate(tempTemplate({ 'template.yaml': 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {CodeUri: ./nope, Handler: a.b}\n' }));

    expect(ok.functions.get('Fn')).toMatchObject({ timeoutSeconds: 3, memorySizeMb: 128 });
    expect(missing.functions.get('Fn')?.unavailable).toBe('Resources.Fn.Properties.CodeUri ./nope does not exist (build it first)');
  });

  it('R13.6 writes SAM Cors into an inline DefinitionBody, as SAM does, and warns of nothing', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: 3.0.1\n      Cors: "'*'"\n      DefinitionBody: {openapi: 3.0.1, paths: {/a: {get: {x-amazon-apigateway-integration: {type: mock}}}}}\n`,
    });

    const t = await loadTemplate(file);

    expect(t.warnings).toEqual([]);
    expect(t.apis[0]?.openapi.paths?.['/a']?.options).toMatchObject({ 'x-amazon-apigateway-integration': { type: 'mock' } });
  });

  it('R13.6 refuses, as SAM does, Cors on an inline DefinitionBody that is not a Swagger/OpenAPI document with paths', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      Cors: "'*'"\n      DefinitionBody: {openapi: 3.0.1}\n`,
    });

    await expect(loadTemplate(file)).rejects.toThrow(/Resources\.Api\.Properties\.DefinitionBody: does not contain a valid Swagger definition/);
  });

  it.each(['Auth', 'Cors', 'GatewayResponses', 'Models'])('R13.6 refuses, as SAM does, %s next to a DefinitionUri (SAM cannot write into it)', async (property) => {
    const value = property === 'Cors' ? `"'*'"` : property === 'Auth' ? '{ApiKeyRequired: true}' : property === 'Models' ? '{M: {type: object}}' : '{DEFAULT_4XX: {StatusCode: 400}}';
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      ${property}: ${value}\n      DefinitionUri: ./api.yaml\n`,
      'api.yaml': 'openapi: 3.0.1\npaths: {}\n',
    });

    await expect(loadTemplate(file)).rejects.toThrow(new RegExp(`Resources\\.Api\\.Properties\\.${property}: ${property} works only with inline Swagger`));
  });

  // CloudFormation runs a snippet's AWS::Include before the template's SAM transform, so SAM edits the included
  // document as an inline one (serverless-samples python-rest-sam: Auth.ApiKeyRequired beside an included body).
  it('R13.5 applies Auth, Cors and GatewayResponses to an AWS::Include body as SAM does (CloudFormation includes it first)', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: 3.0.1\n      Cors: "'*'"\n      Auth: {ApiKeyRequired: true}\n      GatewayResponses: {DEFAULT_4XX: {StatusCode: 418}}\n      DefinitionBody: {'Fn::Transform': {Name: AWS::Include, Parameters: {Location: ./api.yaml}}}\n`,
      'api.yaml': 'openapi: 3.0.1\npaths:\n  /items:\n    get:\n      x-amazon-apigateway-integration: {type: mock, requestTemplates: {application/json: \'{"statusCode": 200}\'}}\n',
    });

    const t = await loadTemplate(file);

    const api = t.apis[0]!;
    const paths = api.openapi.paths as Record<string, Record<string, Record<string, unknown>>>;
    expect(t.warnings).toEqual([]);
    expect(paths['/items']!.get!.security).toEqual([{ api_key: [] }]);
    expect(paths['/items']!.options!['x-amazon-apigateway-integration']).toMatchObject({ type: 'mock' });
    expect(api.openapi['x-amazon-apigateway-gateway-responses']).toMatchObject({ DEFAULT_4XX: { statusCode: '418' } });
    // Errors in the document still name its file.
    expect(api.openapiSource).toMatch(/api\.yaml$/);
  });

  it.each([
    { given: 'an inline DefinitionBody', body: `{openapi: 3.0.1, paths: {/own: {get: {x-amazon-apigateway-integration: {type: mock}}}}}` },
    { given: 'an AWS::Include DefinitionBody', body: `{'Fn::Transform': {Name: AWS::Include, Parameters: {Location: ./api.yaml}}}` },
  ])('R13.10 MergeDefinitions with $given merges the function`s Api event into it, applied (no warning)', async ({ body }) => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: 3.0.1\n      MergeDefinitions: true\n      DefinitionBody: ${body}\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: index.handler\n      InlineCode: 'exports.handler = async () => ({})'\n      Events:\n        Get:\n          Type: Api\n          Properties: {RestApiId: !Ref Api, Path: /merged, Method: get}\n`,
      'api.yaml': 'openapi: 3.0.1\npaths:\n  /own:\n    get:\n      x-amazon-apigateway-integration: {type: mock}\n',
    });

    const t = await loadTemplate(file);

    expect(t.warnings).toEqual([]);
    expect(Object.keys(t.apis[0]!.openapi.paths as object).sort()).toEqual(['/merged', '/own']);
  });

  it('leaves an AWS::Include body SAM has nothing to add to as its file (no Auth, Cors, GatewayResponses, Models)', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: 3.0.1\n      DefinitionBody: {'Fn::Transform': {Name: AWS::Include, Parameters: {Location: ./api.yaml}}}\n`,
      'api.yaml': 'openapi: 3.0.1\npaths:\n  /items:\n    get: {}\n',
    });

    const t = await loadTemplate(file);

    expect(t.warnings).toEqual([]);
    expect(Object.keys(t.apis[0]!.openapi.paths as object)).toEqual(['/items']);
    expect(t.apis[0]!.openapiSource).toMatch(/api\.yaml$/);
  });

  it.each([
    { property: 'Domain', value: '{DomainName: api.example.com, CertificateArn: arn:aws:acm:us-east-1:123456789012:certificate/x}', why: /custom domain names are not emulated/ },
    // SAM's Globals do not take DisableExecuteApiEndpoint (the transform refuses it there): on the resource only.
    { property: 'DisableExecuteApiEndpoint', value: 'true', why: /the local URL stands for the execute-api endpoint/, onResource: true },
    { property: 'MinimumCompressionSize', value: '1024', why: /responses are never compressed locally/ },
    { property: 'TracingEnabled', value: 'true', why: /X-Ray is not emulated/ },
    { property: 'CanarySetting', value: '{PercentTraffic: 10}', why: /no canary deployments locally/ },
    { property: 'CacheClusterSize', value: "'0.5'", why: /the local stage cache has no memory size/ },
  ])('SAM Api $property, in Globals where SAM takes it: reported with its own reason, the API served', async ({ property, value, why, onResource }) => {
    const header = onResource ? API_HEADER : API_HEADER.replace('Resources:', `Globals:\n  Api:\n    ${property}: ${value}\nResources:`);
    const own = onResource ? `      ${property}: ${value}\n` : '';
    const file = tempTemplate({
      'template.yaml': `${header}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n${own}      OpenApiVersion: 3.0.1\n      DefinitionBody: {openapi: 3.0.1, paths: {}}\n`,
    });

    const t = await loadTemplate(file);

    expect(t.warnings).toEqual([expect.stringMatching(new RegExp(`^Resources\\.Api\\.Properties\\.${property}: ${why.source}`))]);
    expect(t.apis.map((a) => a.logicalId)).toEqual(['Api']);
  });

  it('serves a plain AWS::ApiGateway::RestApi Body with its AWS::ApiGateway::Stage', async () => {
    const file = tempTemplate({
      'template.yaml': `Resources:\n  Rest:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body: {openapi: 3.0.1, info: {title: !Ref AWS::StackName}}\n  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Rest, StageName: live, Variables: {a: b}}\n`,
    });

    const api = (await loadTemplate(file, { stackName: 'mystack' })).apis[0];

    expect(api).toMatchObject({ logicalId: 'Rest', stageName: 'live', stageVariables: { a: 'b' }, openapi: { info: { title: 'mystack' } } });
  });

  it('SAM Api with TracingEnabled: false is not reported (it asks for nothing)', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: 3.0.1\n      TracingEnabled: false\n      DefinitionBody: {openapi: 3.0.1, paths: {}}\n`,
    });

    expect((await loadTemplate(file)).warnings).toEqual([]);
  });

  it.each([
    { given: 'an AWS::ApiGateway::Stage', stage: 'Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Rest, StageName: live, DeploymentId: d, TracingEnabled: true, ClientCertificateId: cert-1, CanarySetting: {PercentTraffic: 5}, CacheClusterSize: "1.6"}', key: 'Resources.Stage.Properties' },
    { given: 'a Deployment`s StageDescription', stage: 'Deployment:\n    Type: AWS::ApiGateway::Deployment\n    Properties: {RestApiId: !Ref Rest, StageName: live, StageDescription: {TracingEnabled: true, ClientCertificateId: cert-1, CanarySetting: {PercentTraffic: 5}, CacheClusterSize: "1.6"}}', key: 'Resources.Deployment.Properties.StageDescription' },
  ])('the stage settings with no local meaning on $given are each reported with why', async ({ stage, key }) => {
    const file = tempTemplate({ 'template.yaml': `Resources:\n  Rest:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body: {openapi: 3.0.1, paths: {}}\n  ${stage}\n` });

    const t = await loadTemplate(file);

    expect(t.warnings).toEqual([
      `${key}.TracingEnabled: X-Ray is not emulated: requests carry a trace header and nothing collects segments`,
      `${key}.ClientCertificateId: local HTTP integrations present no client certificate`,
      `${key}.CanarySetting: no canary deployments locally: every request is served by the template as it is`,
      `${key}.CacheClusterSize: the local stage cache has no memory size: an answer leaves it by its TTL or an invalidation (or past 10,000 entries), never because the cluster is full`,
    ]);
    expect(t.apis.map((a) => a.stageName)).toEqual(['live']);
  });

  it('a Deployment`s StageDescription throttling and caching apply to every method (the `/*` `*` setting), its MethodSettings first', async () => {
    const file = tempTemplate({
      'template.yaml': `Resources:\n  Rest:\n    Type: AWS::ApiGateway::RestApi\n    Properties:\n      Body: {openapi: 3.0.1, paths: {}}\n  Deployment:\n    Type: AWS::ApiGateway::Deployment\n    Properties: {RestApiId: !Ref Rest, StageName: live, StageDescription: {ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10, CachingEnabled: true, MethodSettings: [{ResourcePath: /~1a, HttpMethod: GET, ThrottlingRateLimit: 1}]}}\n`,
    });

    const api = (await loadTemplate(file)).apis[0];

    expect(api?.methodSettings).toEqual([
      { ResourcePath: '/~1a', HttpMethod: 'GET', ThrottlingRateLimit: 1 },
      { ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true, ThrottlingBurstLimit: 10, ThrottlingRateLimit: 5 },
    ]);
  });

  it('an AWS::ApiGateway::Stage written for a SAM Api is named as not served (SAM serves its StageName)', async () => {
    const file = tempTemplate({
      'template.yaml': `${API_HEADER}  Api:\n    Type: AWS::Serverless::Api\n    Properties:\n      StageName: v1\n      OpenApiVersion: 3.0.1\n      DefinitionBody: {openapi: 3.0.1, paths: {}}\n  Extra:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Api, StageName: other, DeploymentId: d}\n`,
    });

    expect((await loadTemplate(file)).warnings).toEqual(['Resources.Extra: stage other of Api is not served (the emulator serves one stage per API: v1)']);
  });
});

describe('loadTemplate on the Task API template: the WAF resources', () => {
  it.each([
    { given: 'EnableWaf=true', overrides: { EnableWaf: 'true' } as Record<string, string>, want: ['WebAcl', 'WebAclAssociation'] },
    { given: 'the defaults (no WAF: the condition is false)', overrides: {} as Record<string, string>, want: [] },
  ])('W1.2 with $given, the WAF resources are loaded for emulator/waf and not reported as not emulated', async ({ overrides, want }) => {
    const template = await loadTemplate(resolve('template.yaml'), { parameterOverrides: overrides });
    expect((template.wafResources ?? []).map((r) => r.logicalId)).toEqual(want);
    expect((template.warnings ?? []).filter((w) => w.includes('WAFv2'))).toEqual([]);
  });

  it('W1.2 the association names the stage: SAM resolves ${TaskApi.Stage} in Fn::Sub to the stage name', async () => {
    const template = await loadTemplate(resolve('template.yaml'), { parameterOverrides: { EnableWaf: 'true', StageName: 'prod' } });
    const api = template.apis.find((a) => a.logicalId === 'TaskApi');
    const association = template.wafResources?.find((r) => r.logicalId === 'WebAclAssociation');
    expect(association?.properties.ResourceArn).toBe(`arn:aws:apigateway:us-east-1::/restapis/${api?.restApiId}/stages/prod`);
  });
});

describe('a user pool`s Lambda triggers are named: no Cognito flow runs locally', () => {
  it('each LambdaConfig trigger is a warning saying what a local run lacks; the pool is served', async () => {
    const file = tempTemplate({
      'template.yaml': `Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties:\n      LambdaConfig: { PreSignUp: arn:aws:lambda:us-east-1:123456789012:function:a, PreTokenGeneration: arn:aws:lambda:us-east-1:123456789012:function:b }\n`,
    });

    const t = await loadTemplate(file);

    expect(t.warnings).toEqual([
      'Resources.Pool.Properties.LambdaConfig.PreSignUp: Cognito triggers do not run locally: no sign-up, sign-in or message flow runs (tokens come from `sam-local-gateway token`)',
      'Resources.Pool.Properties.LambdaConfig.PreTokenGeneration: Cognito triggers do not run locally: the tokens `sam-local-gateway token` mints carry no claim it would add, change or suppress',
    ]);
    expect(t.identity.userPools.map((p) => p.logicalId)).toEqual(['Pool']);
  });

  it('the neighbour: a pool without LambdaConfig warns of nothing', async () => {
    const t = await loadTemplate(tempTemplate({ 'template.yaml': 'Resources:\n  Pool:\n    Type: AWS::Cognito::UserPool\n' }));

    expect(t.warnings).toEqual([]);
  });
});
