/** The CDK stack (infra/cdk) read with Template.fromStack: the contract as Body, routes, functions, stage, plans, switches. */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { parseDocument } from 'yaml';
import { CONTRACT_PATH, lambdaAuthorizers, lambdaRoutes, permissionPath, readContract, referencesOf, substitute } from '../../../infra/contract.js';
import { ACCESS_LOG_FORMAT } from '../../../infra/cdk/api.js';
import { FUNCTION_DEFS } from '../../../infra/cdk/functions.js';
import { DEFAULT_SETTINGS } from '../../../infra/cdk/settings.js';
import { evaluate, resourcesOf, type CfnResource, type Json } from '../support/cfn.js';
import { sourceLinesMatching, synthesize, type SynthesizedStack } from '../support/cdk.js';

let base: SynthesizedStack;
let switched: SynthesizedStack;
const SWITCHED = { stageName: 'prod', enableCaching: 'true', cacheTtlSeconds: '300', enableWaf: 'true', wafRateLimitPer5Min: '500', allowedOrigin: 'https://app.example.com' };

beforeAll(async () => {
  // Prepare: the default stack and one with every switch turned (context strings, as `-c` gives them).
  base = await synthesize();
  switched = await synthesize(SWITCHED);
}, 600_000);

/** The one resource of `type` whose construct name is `name`. */
function named(s: SynthesizedStack, type: string, name: string): CfnResource {
  const found = resourcesOf(s.json, type).filter(([id]) => s.name(id) === name);
  expect(found.map(([id]) => id), `${type} ${name}`).toHaveLength(1);
  return (found[0] as [string, CfnResource])[1];
}

const only = (s: SynthesizedStack, type: string): CfnResource => {
  const all = resourcesOf(s.json, type);
  expect(all, type).toHaveLength(1);
  return (all[0] as [string, CfnResource])[1];
};

/** The contract with each reference written `${Ref}` and the allowed origin filled in, as CDK must deploy it. */
const expectedBody = (origin: string): Json =>
  substitute(readContract(), (parts) => parts.map((p) => ('text' in p ? p.text : p.ref === 'AllowedOrigin' ? origin : `\${${p.ref}}`)).join(''));

describe('I9.2 the RestApi Body is openapi/api.yaml with every reference resolved to this stack', () => {
  it('I10.4 synthesized in-process (Template.fromStack), it equals the contract, reference for reference (read at synth time, not a copy)', () => {
    const api = only(base, 'AWS::ApiGateway::RestApi');
    expect(evaluate(api.Properties?.Body as Json, base.name)).toEqual(expectedBody(DEFAULT_SETTINGS.allowedOrigin));
    expect(api.Properties?.BodyS3Location).toBeUndefined();
  });

  it('carries the allowedOrigin setting into every CORS header mapping', () => {
    const body = JSON.stringify(evaluate(only(switched, 'AWS::ApiGateway::RestApi').Properties?.Body as Json, switched.name));
    expect(body).toContain("'https://app.example.com'");
    expect(body).not.toContain(DEFAULT_SETTINGS.allowedOrigin);
  });

  const referenced = referencesOf(readContract()).filter((r) => !r.startsWith('AWS::') && r !== 'AllowedOrigin');
  const TYPES: Record<string, string> = { TasksTable: 'AWS::DynamoDB::Table', UserPool: 'AWS::Cognito::UserPool', ApiGatewayTasksReadRole: 'AWS::IAM::Role' };
  it.each(referenced)('${%s} names a resource of this stack of the right type', (ref) => {
    const [name] = ref.split('.') as [string];
    const type = TYPES[name] ?? 'AWS::Lambda::Function';
    const resource = named(base, type, name);
    const def = FUNCTION_DEFS.find((d) => d.id === name);
    if (def) expect(resource.Properties?.Handler).toBe(`${def.source}.handler`);
  });

  it('has no intrinsic left that CloudFormation would not resolve (only Ref, GetAtt and Join)', () => {
    const text = JSON.stringify(only(base, 'AWS::ApiGateway::RestApi').Properties?.Body);
    expect(text).not.toMatch(/"Fn::(Sub|If|ImportValue|Select|Split)"/);
    expect(text).toContain('Fn::GetAtt');
  });
});

describe('I9.7 Lambda permissions: one per route, scoped to its method and path', () => {
  const contract = readContract();
  const permissions = (): { fn: string; source: string }[] =>
    resourcesOf(base.json, 'AWS::Lambda::Permission').map(([, r]) => {
      expect(r.Properties?.Principal).toBe('apigateway.amazonaws.com');
      expect(r.Properties?.Action).toBe('lambda:InvokeFunction');
      return { fn: String(evaluate(r.Properties?.FunctionName as Json, base.name)), source: String(evaluate(r.Properties?.SourceArn as Json, base.name)) };
    });
  const prefix = 'arn:${AWS::Partition}:execute-api:${AWS::Region}:${AWS::AccountId}:${TaskApi}';

  it.each(lambdaRoutes(contract).map((r) => [r.functionName, permissionPath(r)]))('%s may be invoked from */%s only', (fn, path) => {
    const own = permissions().filter((p) => p.fn === `\${${fn}.Arn}`);
    expect(own).toEqual([{ fn: `\${${fn}.Arn}`, source: `${prefix}/*/${path}` }]);
  });

  it.each([...lambdaAuthorizers(contract)])('the %s authorizer function %s may be invoked by the API authorizers only', (_scheme, fn) => {
    expect(permissions().filter((p) => p.fn === `\${${fn}.Arn}`)).toEqual([{ fn: `\${${fn}.Arn}`, source: `${prefix}/authorizers/*` }]);
  });

  it('grants nothing else: no permission for any method or path', () => {
    expect(permissions()).toHaveLength(lambdaRoutes(contract).length + lambdaAuthorizers(contract).size);
    expect(permissions().filter((p) => p.source.endsWith('/*/*') || p.source.endsWith('/*/*/*'))).toEqual([]);
  });
});

describe('functions: the shared bundles, Globals.Function settings, least privilege', () => {
  it.each(FUNCTION_DEFS.map((d) => [d.id, d]))('%s runs its own bundle with template.yaml settings', (id, def) => {
    const fn = named(base, 'AWS::Lambda::Function', id);
    expect(fn.Properties).toMatchObject({
      Handler: `${def.source}.handler`,
      Runtime: 'nodejs22.x',
      Architectures: ['arm64'],
      MemorySize: 512,
      Timeout: def.timeoutSeconds ?? 10,
      TracingConfig: { Mode: 'Active' },
    });
    expect(fn.Metadata?.['aws:asset:path']).toEqual(expect.stringMatching(/^asset\.[0-9a-f]{64}$|\/infra\/build\/functions\//));
    expect(evaluate(fn.Properties?.Environment as Json, base.name)).toMatchObject({
      Variables: { POWERTOOLS_SERVICE_NAME: 'task-api', POWERTOOLS_LOG_LEVEL: 'INFO', ALLOWED_ORIGIN: DEFAULT_SETTINGS.allowedOrigin, NODE_OPTIONS: '--enable-source-maps' },
    });
  });

  it('no statement grants a wildcard action, and only X-Ray (no resource-level permissions) a wildcard resource', () => {
    const statements = resourcesOf(base.json, 'AWS::IAM::Policy').flatMap(([, p]) => (p.Properties?.PolicyDocument as { Statement: { Action: Json; Resource: Json }[] }).Statement);
    expect(statements.length).toBeGreaterThan(FUNCTION_DEFS.length);
    for (const s of statements) {
      const actions = ([] as Json[]).concat(s.Action).map(String);
      expect(actions.filter((a) => a.includes('*'))).toEqual([]);
      if (([] as Json[]).concat(s.Resource).includes('*')) expect(actions.every((a) => a.startsWith('xray:'))).toBe(true);
    }
  });
});

describe('stage: throttling, logging, tracing and the caching switch', () => {
  const everyMethod = { MetricsEnabled: true, LoggingLevel: 'ERROR', DataTraceEnabled: false, ThrottlingRateLimit: 100, ThrottlingBurstLimit: 200 };

  it('defaults: stage v1, X-Ray, access logs with the request id, no cache', () => {
    const stage = only(base, 'AWS::ApiGateway::Stage').Properties ?? {};
    expect(stage).toMatchObject({ StageName: 'v1', TracingEnabled: true, CacheClusterEnabled: false });
    expect(stage.CacheClusterSize).toBeUndefined();
    expect(evaluate(stage.AccessLogSetting as Json, base.name)).toEqual({ DestinationArn: '${ApiAccessLogGroup.Arn}', Format: expect.stringContaining('"requestId":"$context.requestId"') });
    expect(stage.MethodSettings).toEqual([
      { ResourcePath: '/*', HttpMethod: '*', ...everyMethod, CachingEnabled: false },
      { ResourcePath: '/~1health', HttpMethod: 'GET', ...everyMethod, CachingEnabled: false, CacheTtlInSeconds: 60 },
    ]);
    expect(evaluate(only(base, 'AWS::Logs::LogGroup').Properties as Json)).toEqual({ LogGroupName: '/aws/apigateway/${AWS::StackName}/access', RetentionInDays: 30 });
  });

  it('enableCaching provisions the 0.5 GB cache and caches GET /health only, with cacheTtlSeconds', () => {
    const stage = only(switched, 'AWS::ApiGateway::Stage').Properties ?? {};
    expect(stage).toMatchObject({ StageName: 'prod', CacheClusterEnabled: true, CacheClusterSize: '0.5' });
    expect(stage.MethodSettings).toEqual([
      { ResourcePath: '/*', HttpMethod: '*', ...everyMethod, CachingEnabled: false },
      { ResourcePath: '/~1health', HttpMethod: 'GET', ...everyMethod, CachingEnabled: true, CacheTtlInSeconds: 300 },
    ]);
  });

  it("API Gateway's account CloudWatch role is created before the stage (execution logs)", () => {
    expect(only(base, 'AWS::ApiGateway::Account').Properties?.CloudWatchRoleArn).toBeDefined();
    expect(only(base, 'AWS::ApiGateway::Stage').DependsOn).toEqual([expect.stringMatching(/Account/)]);
  });
});

describe('I9.10 the WAF switch', () => {
  it('is off by default: no web ACL and no association', () => {
    base.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    base.template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it('enableWaf associates a REGIONAL web ACL with the stage ARN (W1.2)', () => {
    const association = only(switched, 'AWS::WAFv2::WebACLAssociation').Properties ?? {};
    expect(evaluate(association as Json, switched.name)).toEqual({
      ResourceArn: 'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${TaskApi}/stages/${TaskApi/DeploymentStage.prod}',
      WebACLArn: '${WebAcl.Arn}',
    });
  });

  it('enableWaf: managed common and known-bad-input groups, then a per-IP rate limit of wafRateLimitPer5Min', () => {
    switched.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      DefaultAction: { Allow: {} },
      Rules: [
        Match.objectLike({ Name: 'aws-common', Priority: 0, OverrideAction: { None: {} }, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesCommonRuleSet' } } }),
        Match.objectLike({ Name: 'aws-known-bad-inputs', Priority: 1, Statement: { ManagedRuleGroupStatement: { VendorName: 'AWS', Name: 'AWSManagedRulesKnownBadInputsRuleSet' } } }),
        Match.objectLike({ Name: 'rate-per-ip', Priority: 2, Action: { Block: {} }, Statement: { RateBasedStatement: { Limit: 500, AggregateKeyType: 'IP' } } }),
      ],
    });
  });
});

describe('I9.8 usage plans and keys', () => {
  it.each([
    ['Basic', 100, 50, 10_000],
    ['Premium', 500, 250, 1_000_000],
  ])('%s plan: burst %i, rate %i, %i requests a month, on this stage, with its own enabled key', (plan, burst, rate, quota) => {
    const usagePlan = named(base, 'AWS::ApiGateway::UsagePlan', `${plan}UsagePlan`).Properties ?? {};
    expect(evaluate(usagePlan as Json, base.name)).toMatchObject({
      UsagePlanName: `\${AWS::StackName}-${plan.toLowerCase()}`,
      Throttle: { BurstLimit: burst, RateLimit: rate },
      Quota: { Limit: quota, Period: 'MONTH' },
      ApiStages: [{ ApiId: '${TaskApi}', Stage: '${TaskApi/DeploymentStage.v1}' }],
    });
    expect(named(base, 'AWS::ApiGateway::ApiKey', `${plan}ApiKey`).Properties).toMatchObject({ Enabled: true });
    const keys = resourcesOf(base.json, 'AWS::ApiGateway::UsagePlanKey').map(([, k]) => evaluate(k.Properties as Json, base.name));
    expect(keys).toContainEqual({ KeyId: `\${${plan}ApiKey}`, KeyType: 'API_KEY', UsagePlanId: `\${${plan}UsagePlan}` });
  });
});

describe('I10.1 environment-agnostic, with the outputs of template.yaml', () => {
  it('names no account or region of its own', () => {
    expect(base.stack.environment).toBe('aws://unknown-account/unknown-region');
    expect(JSON.stringify(base.json)).not.toMatch(/\b\d{12}\b|us-east-1/);
  });

  it.each(['ApiUrl', 'UserPoolId', 'UserPoolClientId', 'BasicApiKeyId', 'PremiumApiKeyId', 'AdminJwtSecretArn', 'TasksTableName'])('outputs %s', (name) => {
    expect(base.json.Outputs?.[name]?.Value).toBeDefined();
  });

  it('ApiUrl is the stage base URL without a trailing slash', () => {
    expect(evaluate(base.json.Outputs?.ApiUrl?.Value as Json, base.name)).toBe('https://${TaskApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}/${TaskApi/DeploymentStage.v1}');
  });
});

/** Every string of a value (nested objects and lists), with its JSON pointer. */
function stringsOf(node: Json, where = '#'): [string, string][] {
  if (typeof node === 'string') return [[where, node]];
  if (Array.isArray(node)) return node.flatMap((v, i) => stringsOf(v, `${where}/${i}`));
  if (node && typeof node === 'object') return Object.entries(node).flatMap(([k, v]) => stringsOf(v, `${where}/${k}`));
  return [];
}

/** The value at a dotted path of the contract (`components.schemas`). */
const contractAt = (path: string): Json | undefined =>
  path.split('.').reduce<Json | undefined>((node, k) => (node && typeof node === 'object' && !Array.isArray(node) ? node[k] : undefined), readContract());

describe('I9.1 SpecRestApi: one RestApi, and nothing the spec declares is made again in CDK', () => {
  it('one REGIONAL RestApi (not the edge-optimized default) named after the stack, with no resource policy', () => {
    // Act
    const api = only(base, 'AWS::ApiGateway::RestApi').Properties ?? {};
    // Assess
    expect(evaluate(api.Name as Json)).toBe('${AWS::StackName}-tasks');
    expect(api.EndpointConfiguration).toEqual({ Types: ['REGIONAL'] });
    expect(api.Policy).toBeUndefined();
    // A private endpoint would also need both in the file; the contract is for a regional one.
    expect(contractAt('x-amazon-apigateway-endpoint-configuration')).toBeUndefined();
    expect(contractAt('x-amazon-apigateway-policy')).toBeUndefined();
  });

  it.each([
    ['AWS::ApiGateway::Resource', 'paths'],
    ['AWS::ApiGateway::Method', 'paths'],
    ['AWS::ApiGateway::Model', 'components.schemas'],
    ['AWS::ApiGateway::RequestValidator', 'x-amazon-apigateway-request-validators'],
    ['AWS::ApiGateway::GatewayResponse', 'x-amazon-apigateway-gateway-responses'],
  ])('no %s in either stack: the spec declares them (%s), and one added in CDK would clash at deploy', (type, key) => {
    // Act
    const declared = contractAt(key);
    // Assess
    expect(Object.keys(declared as object).length).toBeGreaterThan(0);
    for (const s of [base, switched]) s.template.resourceCountIs(type, 0);
  });
});

describe('I9.3 I9.4 the contract goes inline: as an S3 object CloudFormation would not resolve its intrinsics', () => {
  it('the RestApi has a Body and no BodyS3Location; infra/cdk calls ApiDefinition.fromInline only', () => {
    // Act
    const api = only(base, 'AWS::ApiGateway::RestApi').Properties ?? {};
    // Assess
    expect(api.Body).toMatchObject({ openapi: '3.0.3' });
    expect(api.BodyS3Location).toBeUndefined();
    expect(sourceLinesMatching(/ApiDefinition\.from(?!Inline\b)/)).toEqual([]);
    expect(sourceLinesMatching(/ApiDefinition\.fromInline\(/)).toHaveLength(1);
  });

  it.each<[string, (scope: Stack) => apigateway.ApiDefinition]>([
    ['I9.3 ApiDefinition.fromAsset', () => apigateway.ApiDefinition.fromAsset(CONTRACT_PATH)],
    ['I9.4 ApiDefinition.fromBucket', (scope) => apigateway.ApiDefinition.fromBucket(s3.Bucket.fromBucketName(scope, 'Contracts', 'contracts'), 'api.yaml')],
  ])('the neighbour: %s of the same file gives a BodyS3Location, whose Fn::Sub objects would reach API Gateway as they are', (_, definition) => {
    // Prepare
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Neighbour');
    // Act
    new apigateway.SpecRestApi(stack, 'Api', { apiDefinition: definition(stack) });
    const apis = Object.values(Template.fromStack(stack).findResources('AWS::ApiGateway::RestApi')) as CfnResource[];
    // Assess
    expect(apis).toHaveLength(1);
    expect(apis[0]?.Properties?.BodyS3Location).toEqual({ Bucket: expect.anything(), Key: expect.any(String) });
    expect(apis[0]?.Properties?.Body).toBeUndefined();
    expect(readFileSync(CONTRACT_PATH, 'utf8')).toMatch(/^\s+Fn::Sub: /m);
  });

  it.each([
    ['long form, as the contract writes it', 'uri:\n  Fn::Sub: arn:${AWS::Region}\n', { uri: { 'Fn::Sub': 'arn:${AWS::Region}' } }, 0],
    ['the neighbour: a short tag, which a plain loader drops', 'uri: !Sub arn:${AWS::Region}\n', { uri: 'arn:${AWS::Region}' }, 1],
  ])('I9.3 a plain YAML loader keeps an intrinsic written in %s', (_, text, value, warnings) => {
    // Act
    const doc = parseDocument(text);
    // Assess
    expect(doc.toJS()).toEqual(value);
    expect(doc.warnings).toHaveLength(warnings);
  });

  it('I9.3 the contract itself loads with no warning or error (no short tags), as fromInline needs it', () => {
    // Act
    const doc = parseDocument(readFileSync(CONTRACT_PATH, 'utf8'));
    // Assess
    expect(doc.errors.map(String)).toEqual([]);
    expect(doc.warnings.map(String)).toEqual([]);
  });
});

describe('I9.6 the stage is the one deployOptions makes', () => {
  it.each<[string, () => SynthesizedStack, string]>([
    ['defaults', () => base, DEFAULT_SETTINGS.stageName],
    [`stageName=${SWITCHED.stageName}`, () => switched, SWITCHED.stageName],
  ])('%s: one Deployment and one Stage %s, both of TaskApi, and its Endpoint output', (_, stackOf, stageName) => {
    // Prepare
    const s = stackOf();
    // Act
    const stages = resourcesOf(s.json, 'AWS::ApiGateway::Stage');
    const deployments = resourcesOf(s.json, 'AWS::ApiGateway::Deployment');
    // Assess
    expect(stages.map(([id]) => s.name(id))).toEqual([`TaskApi/DeploymentStage.${stageName}`]);
    expect(deployments.map(([id]) => s.name(id))).toEqual(['TaskApi/Deployment']);
    const { RestApiId, DeploymentId, StageName } = stages[0]?.[1].Properties ?? {};
    expect(evaluate({ RestApiId, DeploymentId, StageName } as Json, s.name)).toEqual({ RestApiId: '${TaskApi}', DeploymentId: '${TaskApi/Deployment}', StageName: stageName });
    expect(Object.keys(s.json.Outputs ?? {}).filter((k) => k.startsWith('TaskApiEndpoint'))).toHaveLength(1);
  });

  it('stage-wide throttling and logging are its /*/* method setting; the custom access-log format has $context.requestId and a destination', () => {
    // Act
    const stage = only(base, 'AWS::ApiGateway::Stage').Properties ?? {};
    // Assess
    expect((stage.MethodSettings as Json[])[0]).toMatchObject({ ResourcePath: '/*', HttpMethod: '*', LoggingLevel: 'ERROR', ThrottlingRateLimit: DEFAULT_SETTINGS.throttlingRateLimit, ThrottlingBurstLimit: DEFAULT_SETTINGS.throttlingBurstLimit });
    expect(stage.AccessLogSetting).toMatchObject({ Format: ACCESS_LOG_FORMAT, DestinationArn: expect.anything() });
    expect(JSON.parse(ACCESS_LOG_FORMAT)).toMatchObject({ requestId: '$context.requestId' });
  });
});

describe('I9.9 authorizers live in the spec, not as CDK Authorizer constructs', () => {
  it('no AWS::ApiGateway::Authorizer, and infra/cdk builds none (they attach to CDK Methods, which a spec API has not)', () => {
    // Assess
    for (const s of [base, switched]) s.template.resourceCountIs('AWS::ApiGateway::Authorizer', 0);
    expect(sourceLinesMatching(/\b(CognitoUserPoolsAuthorizer|TokenAuthorizer|RequestAuthorizer|CfnAuthorizer)\b/)).toEqual([]);
  });

  it.each<[string, string, Json]>([
    ['CognitoUserPool', 'providerARNs', ['${UserPool.Arn}']],
    ['AdminAuthorizer', 'authorizerUri', 'arn:${AWS::Partition}:apigateway:${AWS::Region}:lambda:path/2015-03-31/functions/${AdminAuthorizerFunction.Arn}/invocations'],
  ])("the Body's %s authorizer gets its %s from this stack, as an inline token", (scheme, key, value) => {
    // Act
    const body = evaluate(only(base, 'AWS::ApiGateway::RestApi').Properties?.Body as Json, base.name) as { components: { securitySchemes: Record<string, Record<string, Record<string, Json>>> } };
    const authorizer = body.components.securitySchemes[scheme]?.['x-amazon-apigateway-authorizer'];
    // Assess
    expect(authorizer?.[key]).toEqual(value);
  });
});

describe('I8.2 no ${…} reaches the API Gateway importer from the CDK stack', () => {
  it('no string of the Body holds "${": every reference, AWS::Region and AWS::Partition included, is a CloudFormation intrinsic', () => {
    // Act
    const body = only(base, 'AWS::ApiGateway::RestApi').Properties?.Body as Json;
    // Assess
    expect(stringsOf(body).filter(([, text]) => text.includes('${'))).toEqual([]);
    expect(JSON.stringify(body)).toContain('{"Ref":"AWS::Region"}');
  });

  it('the neighbour: a plain "${AWS::Region}" string would be found', () => {
    // Act
    const found = stringsOf({ uri: ['arn:${AWS::Partition}:apigateway:x', { 'Fn::Join': ['', ['a', { Ref: 'AWS::Region' }]] }] });
    // Assess
    expect(found.filter(([, text]) => text.includes('${'))).toEqual([['#/uri/0', 'arn:${AWS::Partition}:apigateway:x']]);
  });
});
