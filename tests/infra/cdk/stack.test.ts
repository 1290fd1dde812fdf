/** The CDK stack (infra/cdk) read with Template.fromStack: the contract as Body, routes, functions, stage, plans, switches. */
import { beforeAll, describe, expect, it } from 'vitest';
import { Match } from 'aws-cdk-lib/assertions';
import { lambdaAuthorizers, lambdaRoutes, permissionPath, readContract, referencesOf, substitute } from '../../../infra/contract.js';
import { FUNCTION_DEFS } from '../../../infra/cdk/functions.js';
import { DEFAULT_SETTINGS } from '../../../infra/cdk/settings.js';
import { evaluate, resourcesOf, type CfnResource, type Json } from '../support/cfn.js';
import { synthesize, type SynthesizedStack } from '../support/cdk.js';

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
  it('equals the contract, reference for reference (read at synth time, not a copy)', () => {
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
