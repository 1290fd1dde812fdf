/**
 * template/stage-order.ts: a usage plan, an API key's StageKeys or a base path mapping that names a REST API's stage
 * without CloudFormation creating that stage first (DependsOn, or a reference such as `!Ref <Api>.Stage`) can fail
 * the deploy (SAM issues #32, #192, #1669); the start report says so. Locally every stage exists from the start.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';

const MOCK = `x-amazon-apigateway-integration: { type: mock, requestTemplates: { application/json: '{"statusCode": 200}' }, responses: { default: { statusCode: '200' } } }`;
const samApi = (stageName: string) => `  MyApi:
    Type: AWS::Serverless::Api
    Properties:
      StageName: ${stageName}
      DefinitionBody: { openapi: 3.0.1, info: { title: t, version: '1' }, paths: { /items: { get: { ${MOCK}, responses: { '200': { description: ok } } } } } }
`;
const plan = (stage: string, extra = '', api = 'MyApi') => `  Plan:
    Type: AWS::ApiGateway::UsagePlan
    ${extra}
    Properties:
      ApiStages: [{ ApiId: !Ref ${api}, Stage: ${stage} }]
`;
const HEAD = 'Transform: AWS::Serverless-2016-10-31\nParameters:\n  StageParam: { Type: String, Default: prod }\nConditions:\n  Never: !Equals [a, b]\nResources:\n';
const restApi = (stage: string) => `  Rest: { Type: AWS::ApiGateway::RestApi, Properties: { Name: shop } }
  Get: { Type: AWS::ApiGateway::Method, Properties: { RestApiId: !Ref Rest, ResourceId: !GetAtt Rest.RootResourceId, HttpMethod: GET, AuthorizationType: NONE, Integration: { Type: MOCK, RequestTemplates: { application/json: '{"statusCode": 200}' }, IntegrationResponses: [{ StatusCode: 200 }] }, MethodResponses: [{ StatusCode: 200 }] } }
  Deploy: { Type: AWS::ApiGateway::Deployment, DependsOn: Get, Properties: { RestApiId: !Ref Rest, StageName: ${stage} } }
`;

describe('stages a usage plan, API key or base path mapping names before CloudFormation has created them', () => {
  it.each([
    { given: 'a SAM Api`s stage named, no DependsOn', resources: samApi('prod') + plan('prod'), want: /^Resources\.Plan\.Properties\.ApiStages\[0\]\.Stage: names stage prod of MyApi without depending on MyApiprodStage, the resource that creates it \(DependsOn: MyApiprodStage, or Stage: !Ref MyApi\.Stage\): CloudFormation may create Plan first, and the deploy fails with "API Stage not found"; served here as if created after it$/ },
    { given: 'DependsOn the API alone (its stage is a resource of its own)', resources: samApi('prod') + plan('prod', 'DependsOn: MyApi'), want: /without depending on MyApiprodStage/ },
    { given: 'DependsOn the stage SAM generates', resources: samApi('prod') + plan('prod', 'DependsOn: MyApiprodStage'), want: undefined },
    { given: 'Stage: !Ref MyApi.Stage', resources: samApi('prod') + plan('!Ref MyApi.Stage'), want: undefined },
    { given: 'Stage: !Ref of the generated stage', resources: samApi('prod') + plan('!Ref MyApiprodStage'), want: undefined },
    { given: 'DependsOn a resource that depends on the stage', resources: samApi('prod') + plan('prod', 'DependsOn: Key') + '  Key: { Type: AWS::ApiGateway::ApiKey, DependsOn: MyApiprodStage, Properties: { Enabled: true } }\n', want: undefined },
    { given: 'a StageName from a parameter (SAM names its stage <Api>Stage), no DependsOn', resources: samApi('!Ref StageParam') + plan('!Ref StageParam'), want: /names stage prod of MyApi without depending on MyApiStage,/ },
    { given: 'a StageName from a parameter, DependsOn MyApiStage', resources: samApi('!Ref StageParam') + plan('!Ref StageParam', 'DependsOn: MyApiStage'), want: undefined },
    { given: 'the implicit API`s Prod stage, no DependsOn', resources: '  Fn: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: "exports.handler = async () => ({ statusCode: 200 })", Events: { Get: { Type: Api, Properties: { Path: /x, Method: get } } } } }\n' + plan('Prod', '', 'ServerlessRestApi'), want: /names stage Prod of ServerlessRestApi without depending on ServerlessRestApiProdStage, .*\(DependsOn: ServerlessRestApiProdStage, or Stage: !Ref ServerlessRestApi\.Stage\)/ },
    { given: 'a stage the API does not have (another problem, not this one)', resources: samApi('prod') + plan('dev'), want: undefined },
    { given: 'a plan whose Condition is false', resources: samApi('prod') + plan('prod', 'Condition: Never'), want: undefined },
    { given: 'an API key`s StageKeys, no DependsOn', resources: samApi('prod') + '  Key: { Type: AWS::ApiGateway::ApiKey, Properties: { Enabled: true, StageKeys: [{ RestApiId: !Ref MyApi, StageName: prod }] } }\n', want: /^Resources\.Key\.Properties\.StageKeys\[0\]\.StageName: names stage prod of MyApi .* fails with "Invalid stage identifier specified"/ },
    { given: 'a RestApi`s stage made by its Deployment, no DependsOn', resources: restApi('prod') + plan('prod', '', 'Rest'), want: /names stage prod of Rest without depending on Deploy, the resource that creates it \(DependsOn: Deploy\)/ },
    { given: 'a RestApi`s stage, DependsOn its Deployment', resources: restApi('prod') + plan('prod', 'DependsOn: Deploy', 'Rest'), want: undefined },
    { given: 'a RestApi`s Stage resource referenced', resources: restApi('v0') + '  Prod: { Type: AWS::ApiGateway::Stage, Properties: { RestApiId: !Ref Rest, DeploymentId: !Ref Deploy, StageName: prod } }\n' + plan('!Ref Prod', '', 'Rest'), want: undefined },
    { given: 'a base path mapping, no DependsOn', resources: restApi('prod') + '  Mapping: { Type: AWS::ApiGateway::BasePathMapping, Properties: { DomainName: api.example.com, RestApiId: !Ref Rest, Stage: prod } }\n', want: /^Resources\.Mapping\.Properties\.Stage: names stage prod of Rest .* "Invalid stage identifier specified"/ },
  ])('$given', async ({ resources, want }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'stage-order-'));
    writeFileSync(join(dir, 'template.yaml'), HEAD + resources);

    // Act
    const template = await loadTemplate(join(dir, 'template.yaml'));

    // Assess
    const said = (template.warnings ?? []).filter((w) => w.includes('the resource that creates it'));
    expect(said).toEqual(want ? [expect.stringMatching(want)] : []);
  });
});

describe('a DependsOn naming a stage SAM does not generate (CloudFormation: Unresolved resource dependencies)', () => {
  it.each([
    { given: 'MyApiStage for StageName prod (SAM names it MyApiprodStage)', api: 'prod', dependsOn: 'MyApiStage', refused: true },
    { given: 'MyApiprodStage for a StageName from a parameter (SAM names it MyApiStage, whatever the value)', api: '!Ref StageParam', dependsOn: 'MyApiprodStage', refused: true },
    { given: 'MyApiprodStage for StageName prod', api: 'prod', dependsOn: 'MyApiprodStage', refused: false },
    { given: 'MyApiStage for a StageName from a parameter', api: '!Ref StageParam', dependsOn: 'MyApiStage', refused: false },
    { given: 'another name SAM may generate for the API (not known here for sure)', api: 'prod', dependsOn: 'MyApiDeployment', refused: false },
  ])('$given: listed not emulated $refused', async ({ api, dependsOn, refused }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'stage-order-'));
    writeFileSync(join(dir, 'template.yaml'), HEAD + samApi(api) + plan('!Ref MyApi.Stage', `DependsOn: ${dependsOn}`));

    // Act
    const template = await loadTemplate(join(dir, 'template.yaml'));

    // Assess
    const listed = (template.notEmulated ?? []).filter((line) => line.startsWith('Resources.Plan.DependsOn[0]: '));
    expect(listed).toEqual(refused ? [expect.stringContaining(`names "${dependsOn}", no parameter or resource of the template: CloudFormation would refuse the template (Unresolved resource dependencies [${dependsOn}] in the Resources block`)] : []);
  });
});
