/** A RestApi built from AWS::ApiGateway::* resources → the document the gateway serves (emulator/template/cfn-rest-api.ts). */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { throwIfRefused } from './api-refusal.js';
import { Stack, restApiIdFor, type RawResource } from '../../../emulator/template/stack.js';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';

function template(resources: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-rest-'));
  const file = join(dir, 'template.yaml');
  writeFileSync(file, `Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: api}\n  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Api, StageName: live}\n${resources}`);
  return file;
}

const MOCK = '{Type: MOCK, RequestTemplates: {application/json: "{\\"statusCode\\": 200}"}, IntegrationResponses: [{StatusCode: 200}]}';
const method = (name: string, resource: string, verb: string, extra = '') =>
  `  ${name}:\n    Type: AWS::ApiGateway::Method\n    Properties: {RestApiId: !Ref Api, ResourceId: ${resource}, HttpMethod: ${verb}, Integration: ${MOCK}${extra.includes('AuthorizationType') ? '' : ', AuthorizationType: NONE'}${extra}}\n`;
const resource = (name: string, parent: string, part: string) =>
  `  ${name}:\n    Type: AWS::ApiGateway::Resource\n    Properties: {RestApiId: !Ref Api, ParentId: ${parent}, PathPart: "${part}"}\n`;
const ROOT = '!GetAtt Api.RootResourceId';

async function documentOf(resources: string) {
  const t = await loadTemplate(template(resources));
  return { api: t.apis[0], warnings: t.warnings ?? [] };
}

describe('cfn-rest-api: resources and methods', () => {
  it('builds paths from ParentId chains, in any resource order, with path variables as parameters', async () => {
    const { api } = await documentOf(resource('Leaf', '!Ref Mid', '{proxy+}') + resource('Mid', ROOT, 'a') + method('Get', '!Ref Leaf', 'ANY') + method('Root', ROOT, 'get'));

    expect(Object.keys(api?.openapi.paths ?? {})).toEqual(['/a/{proxy+}', '/']);
    expect(api?.openapi.paths?.['/a/{proxy+}']?.['x-amazon-apigateway-any-method']).toMatchObject({ parameters: [{ name: 'proxy', in: 'path', required: true }] });
    expect(api?.openapi.paths?.['/']?.get).toMatchObject({ 'x-amazon-apigateway-integration': { type: 'mock' } });
  });

  it.each([
    { given: 'a method on a resource of another API', resources: `  Other:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {}\n  OtherRes:\n    Type: AWS::ApiGateway::Resource\n    Properties: {RestApiId: !Ref Other, ParentId: !GetAtt Other.RootResourceId, PathPart: x}\n${method('M', '!Ref OtherRes', 'GET')}`, want: /Resources\.M\.Properties\.ResourceId: .* is not a resource of this API/ },
    { given: 'two methods with the same verb on a resource', resources: method('A', ROOT, 'GET') + method('B', ROOT, 'get'), want: /Resources\.B\.Properties\.HttpMethod: \/ already has a GET method/ },
    { given: 'an unknown verb', resources: method('A', ROOT, 'FETCH'), want: /Resources\.A\.Properties\.HttpMethod: must be one of/ },
    { given: 'a circular ParentId chain', resources: resource('A', '!Ref B', 'a') + resource('B', '!Ref A', 'b'), want: /ParentId: the ParentId chain is circular/ },
    { given: 'two siblings with the same PathPart', resources: resource('A', ROOT, 'x') + resource('B', ROOT, 'x'), want: /PathPart: another resource \(A\) already has the path \/x/ },
    { given: 'a child of a greedy resource', resources: resource('A', ROOT, '{p+}') + resource('B', '!Ref A', 'x'), want: /a greedy path variable \(\/\{p\+\}\) cannot have child resources/ },
    { given: 'CUSTOM authorization without an authorizer', resources: method('A', ROOT, 'GET', ', AuthorizationType: CUSTOM'), want: /AuthorizerId: undefined is not an Authorizer of this API/ },
    { given: 'RequestModels naming no model', resources: method('A', ROOT, 'POST', ', RequestModels: {application/json: Nope}'), want: /RequestModels\.application\/json: "Nope" names no model/ },
    { given: 'a RequestValidatorId of no validator', resources: method('A', ROOT, 'POST', ', RequestValidatorId: abc'), want: /RequestValidatorId: "abc" is not a RequestValidator/ },
    { given: 'an unknown integration type', resources: `  A:\n    Type: AWS::ApiGateway::Method\n    Properties: {RestApiId: !Ref Api, ResourceId: ${ROOT}, HttpMethod: GET, Integration: {Type: LAMBDA}}\n`, want: /Integration\.Type: must be AWS, AWS_PROXY, HTTP, HTTP_PROXY or MOCK/ },
  ])('refuses what CloudFormation would not deploy: $given', async ({ resources, want }) => {
    await expect(loadTemplate(template(resources)).then(throwIfRefused)).rejects.toThrow(want);
  });

  it.each([
    { given: { Ref: 'Res' }, want: restApiIdFor('Res') },
    { given: { 'Fn::GetAtt': ['Res', 'ResourceId'] }, want: restApiIdFor('Res') },
    { given: { Ref: 'Auth' }, want: restApiIdFor('Auth') },
    { given: { 'Fn::GetAtt': ['Auth', 'AuthorizerId'] }, want: restApiIdFor('Auth') },
    { given: { Ref: 'Validator' }, want: restApiIdFor('Validator') },
    { given: { Ref: 'Dep' }, want: restApiIdFor('Dep') },
    { given: { 'Fn::GetAtt': ['Api', 'RestApiId'] }, want: restApiIdFor('Api') },
    { given: { Ref: 'Stage' }, want: 'live' },
    { given: { Ref: 'Model' }, want: 'Thing' },
    { given: { Ref: 'Unnamed' }, want: 'app-Unnamed' },
  ])('Ref/GetAtt $given of an API Gateway resource is a stable id (a Stage: its name; a Model: its name)', ({ given, want }) => {
    const resources: Record<string, RawResource> = {
      Api: { Type: 'AWS::ApiGateway::RestApi', Properties: {} },
      Res: { Type: 'AWS::ApiGateway::Resource', Properties: {} },
      Auth: { Type: 'AWS::ApiGateway::Authorizer', Properties: {} },
      Validator: { Type: 'AWS::ApiGateway::RequestValidator', Properties: {} },
      Dep: { Type: 'AWS::ApiGateway::Deployment', Properties: {} },
      Stage: { Type: 'AWS::ApiGateway::Stage', Properties: { StageName: { 'Fn::Sub': 'li${Suffix}' } } },
      Model: { Type: 'AWS::ApiGateway::Model', Properties: { Name: 'Thing' } },
      Unnamed: { Type: 'AWS::ApiGateway::Model', Properties: {} },
    };
    const stack = new Stack({ file: 't.yaml', region: 'us-east-1', accountId: '123456789012', stackName: 'app', parameters: { Suffix: 've' }, conditions: {}, mappings: {}, resources });

    expect(stack.resolve(given, 'k')).toBe(want);
  });
});

describe('cfn-rest-api: authorizers, models, validators, gateway responses, stages', () => {
  const AUTHORIZERS =
    `  Token:\n    Type: AWS::ApiGateway::Authorizer\n    Properties: {RestApiId: !Ref Api, Name: tok, Type: TOKEN, IdentitySource: method.request.header.X-Token, IdentityValidationExpression: "Bearer .+", AuthorizerResultTtlInSeconds: "0", AuthorizerUri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:F/invocations}\n` +
    `  Pool:\n    Type: AWS::Cognito::UserPool\n    Properties: {}\n` +
    `  Cognito:\n    Type: AWS::ApiGateway::Authorizer\n    Properties: {RestApiId: !Ref Api, Name: pool, Type: COGNITO_USER_POOLS, IdentitySource: method.request.header.Authorization, ProviderARNs: [!GetAtt Pool.Arn]}\n`;

  it('writes authorizers as security schemes named by Name, and each method\'s AuthorizationType, scopes and ApiKeyRequired as its security', async () => {
    const { api } = await documentOf(
      AUTHORIZERS +
        resource('A', ROOT, 'a') +
        method('Custom', '!Ref A', 'GET', ', AuthorizationType: CUSTOM, AuthorizerId: !Ref Token, ApiKeyRequired: true') +
        method('Pooled', '!Ref A', 'POST', ', AuthorizationType: COGNITO_USER_POOLS, AuthorizerId: !Ref Cognito, AuthorizationScopes: [items/write]') +
        method('Iam', '!Ref A', 'PUT', ', AuthorizationType: AWS_IAM') +
        method('Open', '!Ref A', 'DELETE'),
    );
    const ops = api?.openapi.paths?.['/a'] ?? {};
    const schemes = (api?.openapi.components as { securitySchemes: Record<string, unknown> }).securitySchemes;

    expect(ops.get).toMatchObject({ security: [{ tok: [] }, { api_key: [] }] });
    expect(ops.post).toMatchObject({ security: [{ pool: ['items/write'] }] });
    expect(ops.put).toMatchObject({ security: [{ sigv4: [] }] });
    expect(ops.delete).not.toHaveProperty('security');
    expect(schemes.tok).toEqual({
      type: 'apiKey',
      name: 'X-Token',
      in: 'header',
      'x-amazon-apigateway-authtype': 'custom',
      'x-amazon-apigateway-authorizer': expect.objectContaining({ type: 'token', identitySource: 'method.request.header.X-Token', identityValidationExpression: 'Bearer .+', authorizerResultTtlInSeconds: 0 }),
    });
    expect(schemes.pool).toMatchObject({ 'x-amazon-apigateway-authtype': 'cognito_user_pools', 'x-amazon-apigateway-authorizer': { type: 'cognito_user_pools', providerARNs: [expect.stringMatching(/^arn:aws:cognito-idp:us-east-1:123456789012:userpool\/us-east-1_/)] } });
    expect(schemes.api_key).toEqual({ type: 'apiKey', name: 'x-api-key', in: 'header' });
    expect(schemes.sigv4).toMatchObject({ 'x-amazon-apigateway-authtype': 'awsSigv4' });
  });

  it.each([
    { given: 'COGNITO_USER_POOLS naming a TOKEN authorizer', extra: ', AuthorizationType: COGNITO_USER_POOLS, AuthorizerId: !Ref Token', want: /AuthorizationType: COGNITO_USER_POOLS does not match the TOKEN authorizer Token/ },
    { given: 'CUSTOM naming a Cognito authorizer', extra: ', AuthorizationType: CUSTOM, AuthorizerId: !Ref Cognito', want: /AuthorizationType: CUSTOM does not match the COGNITO_USER_POOLS authorizer Cognito/ },
    { given: 'an unknown AuthorizationType', extra: ', AuthorizationType: OAUTH', want: /AuthorizationType: must be NONE, AWS_IAM, CUSTOM or COGNITO_USER_POOLS/ },
  ])('refuses $given', async ({ extra, want }) => {
    await expect(loadTemplate(template(AUTHORIZERS + method('M', ROOT, 'GET', extra))).then(throwIfRefused)).rejects.toThrow(want);
  });

  it('models (object or JSON string, with API Gateway model URLs as local refs), built-in Empty, validators and request/response models', async () => {
    const { api } = await documentOf(
      `  Tag:\n    Type: AWS::ApiGateway::Model\n    Properties: {RestApiId: !Ref Api, Name: Tag, ContentType: application/json, Schema: '{"type": "string"}'}\n` +
        `  Item:\n    Type: AWS::ApiGateway::Model\n    Properties:\n      RestApiId: !Ref Api\n      Name: Item\n      Schema: {type: object, properties: {tag: {$ref: !Sub "https://apigateway.amazonaws.com/restapis/\${Api}/models/Tag"}}}\n` +
        `  Both:\n    Type: AWS::ApiGateway::RequestValidator\n    Properties: {RestApiId: !Ref Api, Name: all, ValidateRequestBody: true, ValidateRequestParameters: "true"}\n` +
        method('Post', ROOT, 'POST', ', RequestValidatorId: !Ref Both, RequestModels: {application/json: !Ref Item}, RequestParameters: {method.request.querystring.q: true, method.request.header.h: false}, MethodResponses: [{StatusCode: 200, ResponseModels: {application/json: Empty}}]'),
    );
    const doc = api?.openapi ?? {};
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;

    expect(schemas.Tag).toEqual({ type: 'string' });
    expect(schemas.Item).toEqual({ type: 'object', properties: { tag: { $ref: '#/components/schemas/Tag' } } });
    expect(schemas.Empty).toMatchObject({ title: 'Empty Schema', type: 'object' });
    expect(doc['x-amazon-apigateway-request-validators']).toEqual({ all: { validateRequestBody: true, validateRequestParameters: true } });
    expect(doc.paths?.['/']?.post).toMatchObject({
      'x-amazon-apigateway-request-validator': 'all',
      requestBody: { content: { 'application/json': { schema: { $ref: '#/components/schemas/Item' } } } },
      parameters: [
        { name: 'q', in: 'query', required: true },
        { name: 'h', in: 'header', required: false },
      ],
      responses: { '200': { content: { 'application/json': { schema: { $ref: '#/components/schemas/Empty' } } } } },
    });
  });

  it('integration properties map to x-amazon-apigateway-integration; a repeated SelectionPattern is reported, the first kept', async () => {
    const { api, warnings } = await documentOf(
      `  M:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: ${ROOT}\n      HttpMethod: POST\n      Integration:\n        Type: AWS\n        IntegrationHttpMethod: POST\n        Uri: arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:F/invocations\n        PassthroughBehavior: WHEN_NO_TEMPLATES\n        TimeoutInMillis: "5000"\n        ContentHandling: CONVERT_TO_TEXT\n        IntegrationResponses:\n          - {StatusCode: 200}\n          - {StatusCode: 400, SelectionPattern: "Bad.*"}\n          - {StatusCode: 422, SelectionPattern: "Bad.*"}\n`,
    );

    expect(api?.openapi.paths?.['/']?.post).toMatchObject({
      'x-amazon-apigateway-integration': {
        type: 'aws',
        httpMethod: 'POST',
        passthroughBehavior: 'WHEN_NO_TEMPLATES',
        timeoutInMillis: 5000,
        contentHandling: 'CONVERT_TO_TEXT',
        responses: { default: { statusCode: '200' }, 'Bad.*': { statusCode: '400' } },
      },
    });
    expect(warnings).toContainEqual(expect.stringMatching(/IntegrationResponses\[2\]: another integration response already has SelectionPattern "Bad\.\*"/));
  });

  it('a VPC link v2 integration`s IntegrationTarget is a known property (it was called unknown), kept as integrationTarget', async () => {
    const { api, warnings } = await documentOf(
      `  M:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: ${ROOT}\n      HttpMethod: GET\n      Integration:\n        Type: HTTP_PROXY\n        IntegrationHttpMethod: GET\n        Uri: http://internal.example/\n        ConnectionType: VPC_LINK\n        ConnectionId: vpclink-1\n        IntegrationTarget: arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1\n`,
    );

    expect(api?.openapi.paths?.['/']?.get).toMatchObject({ 'x-amazon-apigateway-integration': { connectionType: 'VPC_LINK', integrationTarget: 'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/a/1' } });
    expect(warnings.filter((w) => w.includes('IntegrationTarget'))).toEqual([]);
  });

  it('R2.6 a SelectionPattern written as a number (SelectionPattern: 403) is the pattern "403", as CloudFormation reads it', async () => {
    const { api, warnings } = await documentOf(
      `  M:\n    Type: AWS::ApiGateway::Method\n    Properties:\n      RestApiId: !Ref Api\n      ResourceId: ${ROOT}\n      HttpMethod: POST\n      Integration:\n        Type: AWS\n        IntegrationHttpMethod: POST\n        Uri: arn:aws:apigateway:us-east-1:batch:path/v1/submitjob\n        IntegrationResponses:\n          - {StatusCode: 200}\n          - {StatusCode: 403, SelectionPattern: 403}\n          - {StatusCode: 500, SelectionPattern: 5xx}\n`,
    );

    expect((api?.openapi.paths?.['/']?.post as Record<string, { responses: unknown }>)['x-amazon-apigateway-integration']?.responses).toEqual({ default: { statusCode: '200' }, '403': { statusCode: '403' }, '5xx': { statusCode: '500' } });
    expect(warnings.filter((w) => w.includes('SelectionPattern'))).toEqual([]);
  });

  it('GatewayResponse resources become x-amazon-apigateway-gateway-responses; a second of one type is refused', async () => {
    const gr = (name: string, status: number) => `  ${name}:\n    Type: AWS::ApiGateway::GatewayResponse\n    Properties: {RestApiId: !Ref Api, ResponseType: DEFAULT_4XX, StatusCode: ${status}, ResponseTemplates: {application/json: '{"m": $context.error.messageString}'}}\n`;

    const { api } = await documentOf(gr('G', 418));

    expect(api?.openapi['x-amazon-apigateway-gateway-responses']).toEqual({ DEFAULT_4XX: { statusCode: '418', responseTemplates: { 'application/json': '{"m": $context.error.messageString}' } } });
    await expect(loadTemplate(template(gr('G', 418) + gr('H', 400))).then(throwIfRefused)).rejects.toThrow(/Resources\.H\.Properties\.ResponseType: another GatewayResponse of this API is DEFAULT_4XX/);
  });

  it('RestApi properties: ApiKeySourceType, BinaryMediaTypes (~1), Policy; BodyS3Location is reported and the API not served', async () => {
    const file = template('');
    writeFileSync(
      file,
      'Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {ApiKeySourceType: AUTHORIZER, BinaryMediaTypes: [image~1png], Policy: {Version: "2012-10-17"}, DisableExecuteApiEndpoint: true, SecurityPolicy: TLS_1_2}\n  Dep:\n    Type: AWS::ApiGateway::Deployment\n    Properties: {RestApiId: !Ref Api, StageName: v2, StageDescription: {Variables: {a: b}, CacheClusterEnabled: true}}\n' +
        '  S3Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {BodyS3Location: {Bucket: b, Key: k}}\n  S3Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref S3Api, StageName: s}\n',
    );

    const t = await loadTemplate(file);

    expect(t.apis.map((a) => a.logicalId)).toEqual(['Api']);
    expect(t.apis[0]).toMatchObject({ stageName: 'v2', stageVariables: { a: 'b' }, cacheClusterEnabled: true });
    expect(t.apis[0]?.openapi).toMatchObject({
      'x-amazon-apigateway-api-key-source': 'AUTHORIZER',
      'x-amazon-apigateway-binary-media-types': ['image/png'],
      'x-amazon-apigateway-policy': { Version: '2012-10-17' },
    });
    expect(t.warnings).toEqual([
      expect.stringMatching(/^Resources\.Api\.Properties\.DisableExecuteApiEndpoint: not applied locally/),
      expect.stringMatching(/^Resources\.Api\.Properties\.SecurityPolicy: not applied locally \(no TLS locally/),
      expect.stringMatching(/^Resources\.S3Api\.Properties\.BodyS3Location: a RestApi whose document is on S3 is not emulated/),
    ]);
  });

  it('a Method resource on a RestApi that has a Body is reported, not silently dropped', async () => {
    const file = template(method('Extra', ROOT, 'GET'));
    writeFileSync(file, readFileSync(file, 'utf8').replace('Properties: {Name: api}', 'Properties: {Name: api, Body: {openapi: 3.0.1, paths: {}}}'));

    const t = await loadTemplate(file);

    expect(t.apis[0]?.openapi.paths).toEqual({});
    expect(t.warnings).toEqual([expect.stringMatching(/^Resources\.Extra: a Method resource on Api, whose Body is served as written; the method is not added locally/)]);
  });

  it('serves the Stage resource of an API over a Deployment StageName, and reports the other stage', async () => {
    const { api, warnings } = await documentOf(`  Dep:\n    Type: AWS::ApiGateway::Deployment\n    Properties: {RestApiId: !Ref Api, StageName: old}\n`);

    expect(api?.stageName).toBe('live');
    expect(warnings).toEqual([expect.stringMatching(/^Resources\.Dep: stage old of Api is not served \(the emulator serves one stage per API: live\)/)]);
  });

  it('a Stage without StageName (CloudFormation names it) is a stage Ref names, after a Deployment StageName of the API', async () => {
    // Prepare: govuk-one-login's node-with-waf template: the Deployment names its stage, a Stage resource names none,
    // and a WAF association's ResourceArn takes !Ref of that Stage.
    const dir = mkdtempSync(join(tmpdir(), 'cfn-rest-nameless-'));
    const file = join(dir, 'template.yaml');
    const deployment = '  Dep:\n    Type: AWS::ApiGateway::Deployment\n    DependsOn: Get\n    Properties: {RestApiId: !Ref Api, StageName: named}\n';
    const nameless = '  Nameless:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Api, DeploymentId: !Ref Dep}\n';
    const output = 'Outputs:\n  StageArn:\n    Value: !Sub arn:aws:apigateway:${AWS::Region}::/restapis/${Api}/stages/${Nameless}\n';
    writeFileSync(file, `Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: api}\n${method('Get', ROOT, 'GET')}${deployment}${nameless}${output}`);

    // Act
    const t = await loadTemplate(file, { stackName: 'app' });

    // Assess: served under the Deployment's name; the nameless stage has the stand-in name Ref gives, and is said not served.
    expect(t.apis[0]?.stageName).toBe('named');
    expect(t.stack?.outputs.find((o) => o.key === 'StageArn')?.value).toBe(`arn:aws:apigateway:us-east-1::/restapis/${restApiIdFor('Api')}/stages/app-Nameless`);
    expect(t.warnings).toEqual([expect.stringMatching(/^Resources\.Nameless: stage app-Nameless of Api is not served \(the emulator serves one stage per API: named\); it has no StageName, so CloudFormation names it/)]);
  });

  it('an API whose only stage has no StageName is served under the stand-in name, and says so', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-rest-nameless-'));
    const file = join(dir, 'template.yaml');
    writeFileSync(file, `Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: api}\n${method('Get', ROOT, 'GET')}  Only:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Api}\n`);

    const t = await loadTemplate(file, { stackName: 'app' });

    expect(t.apis[0]?.stageName).toBe('app-Only');
    expect(t.warnings).toEqual([expect.stringMatching(/^Resources\.Only: served as stage app-Only; it has no StageName, so CloudFormation names it/)]);
  });
});

describe('cfn-rest-api: resource ids ($context.resourceId)', () => {
  const echoId = '{Type: MOCK, RequestTemplates: {application/json: "{\\"statusCode\\": 200}"}, IntegrationResponses: [{StatusCode: 200, ResponseTemplates: {application/json: "$context.resourceId $stageVariables.root $stageVariables.item"}}]}';
  const idMethod = (name: string, resourceRef: string) =>
    `  ${name}:\n    Type: AWS::ApiGateway::Method\n    Properties: {RestApiId: !Ref Api, ResourceId: ${resourceRef}, HttpMethod: GET, AuthorizationType: NONE, Integration: ${echoId}, MethodResponses: [{StatusCode: 200}]}\n`;

  it('a request`s $context.resourceId is the id CloudFormation gives its resource: RootResourceId, Ref of a Resource', async () => {
    // Prepare: the stage's variables carry what GetAtt RootResourceId and Ref of the resource resolve to.
    const dir = mkdtempSync(join(tmpdir(), 'cfn-rest-ids-'));
    const file = join(dir, 'template.yaml');
    const stage = '  Stage:\n    Type: AWS::ApiGateway::Stage\n    Properties: {RestApiId: !Ref Api, StageName: live, Variables: {root: !GetAtt Api.RootResourceId, item: !Ref Item}}\n';
    writeFileSync(file, `Resources:\n  Api:\n    Type: AWS::ApiGateway::RestApi\n    Properties: {Name: api}\n${stage}${resource('Items', ROOT, 'items')}${resource('Item', '!Ref Items', '{id}')}${idMethod('RootGet', ROOT)}${idMethod('ItemGet', '!Ref Item')}`);
    const loaded = await loadTemplate(file);
    const gateway = createGateway({ api: loaded.apis[0]!, template: loaded, invoker: new FakeInProcessInvoker(loaded), log: () => undefined });

    // Act
    const [root = '', item = ''] = await Promise.all(['/live/', '/live/items/7'].map(async (path) => (await gateway.fetch(new Request(`http://localhost${path}`))).text()));

    // Assess: "<resourceId> <root> <item>"
    const [rootId, rootVar] = root.split(' ');
    const [itemId, , itemVar] = item.split(' ');
    expect(rootId).toBe(rootVar);
    expect(itemId).toBe(itemVar);
    expect(rootId).not.toBe(itemId);
  });
});

describe('cfn-rest-api: a required path parameter the resource path lacks (R5.3)', () => {
  const validated = (requested: string) =>
    `  Validator:\n    Type: AWS::ApiGateway::RequestValidator\n    Properties: {RestApiId: !Ref Api, ValidateRequestParameters: true}\n` +
    method('Post', '!Ref Nested', 'POST', `, RequestValidatorId: !Ref Validator, RequestParameters: {${requested}}`);

  it.each([
    { given: 'nothing given', headers: [] as [string, string][], query: '', want: 'Missing required request parameters: [x-header-param, issuer, qs1]' },
    { given: 'the header and the query string given', headers: [['x-header-param', 'h']] as [string, string][], query: '?qs1=1', want: 'Missing required request parameters: [issuer]' },
  ])('is reported missing on every request, in AWS`s order: $given', async ({ headers, query, want }) => {
    // Prepare
    const requested = '"method.request.path.issuer": true, "method.request.querystring.qs1": true, "method.request.header.x-header-param": true';
    const file = template(resource('Nested', ROOT, 'nested') + resource('Test', '!Ref Nested', '{test}') + validated(requested).replace("ResourceId: !Ref Nested", 'ResourceId: !Ref Test'));
    const loaded = await loadTemplate(file);
    const gateway = createGateway({ api: loaded.apis[0]!, template: loaded, invoker: new FakeInProcessInvoker(loaded), log: () => undefined });

    // Act
    const got = await gateway.fetch(new Request(`http://localhost/live/nested/value${query}`, { method: 'POST', headers, body: '{"test":"test"}' }));

    // Assess
    expect(got.status).toBe(400);
    expect(await got.json()).toEqual({ message: want });
  });

  it('neighbour: the same parameter not required asks for nothing', async () => {
    const file = template(resource('Nested', ROOT, 'nested') + resource('Test', '!Ref Nested', '{test}') + validated('"method.request.path.issuer": false').replace("ResourceId: !Ref Nested", 'ResourceId: !Ref Test'));
    const loaded = await loadTemplate(file);
    const gateway = createGateway({ api: loaded.apis[0]!, template: loaded, invoker: new FakeInProcessInvoker(loaded), log: () => undefined });

    const got = await gateway.fetch(new Request('http://localhost/live/nested/value', { method: 'POST', body: '{}' }));

    expect(got.status).toBe(200);
  });
});
