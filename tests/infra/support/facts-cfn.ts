/**
 * Deployment facts of a CloudFormation template (SAM translated, or CDK synthesized), in the shape
 * parity.test.ts compares across the three deployers. References read `${Name}` / `${Name.Arn}`.
 */
import { evaluate, resourcesOf, type CfnResource, type CfnTemplate, type Json, type Scope } from './cfn.js';
import { methodSettingFacts, minutes, sortStatements, type Facts, type Statement } from './facts.js';

const CFN_ROUTE_SETTING_NAMES = {
  metrics: 'DetailedMetricsEnabled',
  logging: 'LoggingLevel',
  dataTrace: 'DataTraceEnabled',
  rate: 'ThrottlingRateLimit',
  burst: 'ThrottlingBurstLimit',
};
/** The tag SAM adds to every HttpApi it creates (in the body's `tags`): SAM's bookkeeping, not the API. */
const SAM_HTTP_API_TAG = 'httpapi:createdBy';

const CFN_SETTING_NAMES = {
  metrics: 'MetricsEnabled',
  logging: 'LoggingLevel',
  dataTrace: 'DataTraceEnabled',
  rate: 'ThrottlingRateLimit',
  burst: 'ThrottlingBurstLimit',
  caching: 'CachingEnabled',
  ttl: 'CacheTtlInSeconds',
};

type Props = { [key: string]: Json };

export function cfnFacts(template: CfnTemplate, scope: Required<Scope>): Facts {
  const name = scope.name;
  const ev = (v: Json | undefined): Json => evaluate(v ?? null, scope);
  const props = (r: CfnResource): Props => ev(r.Properties as Json) as Props;
  // Resources whose Condition is false are not deployed (one of template.yaml's two API variants).
  const deployed = (type: string): [string, CfnResource][] => resourcesOf(template, type).filter(([, r]) => !r.Condition || scope.conditions[r.Condition] !== false);
  const all = (type: string): [string, Props][] => deployed(type).map(([id, r]) => [name(id), props(r)]);
  const one = (type: string): [string, Props] => {
    const found = all(type);
    if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
    return found[0] as [string, Props];
  };

  const rest = deployed('AWS::ApiGateway::RestApi').length > 0;
  const [apiName, api] = one(rest ? 'AWS::ApiGateway::RestApi' : 'AWS::ApiGatewayV2::Api');
  const stageRef = (v: Json): string => String(v).replace(/^\$\{.*\}$/, 'stage');
  const [logGroupName, logGroup] = one('AWS::Logs::LogGroup');
  const accessLog = (access: Props): Props => ({
    accessLogFormat: JSON.parse(String(access.Format)) as Json,
    accessLogDestination: String(access.DestinationArn) === `\${${logGroupName}.Arn}` ? 'the access log group' : (access.DestinationArn as Json),
    accessLogRetentionDays: logGroup.RetentionInDays as Json,
  });

  const stageFacts = (): Props => {
    if (!rest) {
      const [, stage] = one('AWS::ApiGatewayV2::Stage');
      return {
        name: stage.StageName as Json,
        autoDeploy: stage.AutoDeploy ?? false,
        routeSettings: methodSettingFacts((stage.DefaultRouteSettings ?? {}) as Props, CFN_ROUTE_SETTING_NAMES),
        routeOverrides: Object.fromEntries(Object.entries((stage.RouteSettings ?? {}) as Props).map(([route, r]) => [route, methodSettingFacts(r as Props, CFN_ROUTE_SETTING_NAMES)])),
        ...accessLog(stage.AccessLogSettings as Props),
      };
    }
    const [, stage] = one('AWS::ApiGateway::Stage');
    const settings = Object.fromEntries(
      (stage.MethodSettings as Props[]).map((m) => [
        // CloudFormation's ResourcePath is "/" + the path with "/" written "~1": "/~1health" is /health.
        `${String(m.ResourcePath).slice(1).replaceAll('~1', '/').replace(/^\//, '')}/${String(m.HttpMethod)}`,
        methodSettingFacts(m, CFN_SETTING_NAMES),
      ]),
    );
    return {
      name: stage.StageName as Json,
      tracing: stage.TracingEnabled ?? false,
      cacheCluster: stage.CacheClusterEnabled ?? false,
      cacheClusterSize: stage.CacheClusterSize ?? null,
      ...accessLog(stage.AccessLogSetting as Props),
      methodSettings: settings,
    };
  };
  const body = (): Json => {
    const doc = api.Body as Props;
    if (rest || !Array.isArray(doc.tags)) return doc;
    return { ...doc, tags: (doc.tags as Props[]).filter((t) => t.name !== SAM_HTTP_API_TAG) };
  };

  const policiesOf = (roleName: string): Statement[] => {
    const inRole = all('AWS::IAM::Role').find(([n]) => n === roleName)?.[1].Policies as Props[] | undefined;
    const attached = all('AWS::IAM::Policy').filter(([, p]) => (p.Roles as Json[]).includes(`\${${roleName}}`));
    const documents = [...(inRole ?? []), ...attached.map(([, p]) => p)].map((p) => p.PolicyDocument as Props);
    return documents.flatMap((d) => d.Statement as unknown as Statement[]).filter((s) => ![s.Action].flat().every((a) => String(a).startsWith('xray:')));
  };

  const functions = Object.fromEntries(
    all('AWS::Lambda::Function').map(([fnName, p]) => {
      const role = String(p.Role).replace(/^\$\{(.*)\.Arn\}$/, '$1');
      return [
        fnName,
        {
          handler: p.Handler,
          runtime: p.Runtime,
          architectures: p.Architectures ?? ['x86_64'],
          memory: p.MemorySize ?? 128,
          timeout: p.Timeout ?? 3,
          tracing: (p.TracingConfig as Props | undefined)?.Mode ?? 'PassThrough',
          environment: (p.Environment as Props | undefined)?.Variables ?? {},
          access: sortStatements(policiesOf(role)),
        },
      ];
    }),
  );

  const apiArn = `arn:\${AWS::Partition}:execute-api:\${AWS::Region}:\${AWS::AccountId}:\${${apiName}}/`;
  const permissions = all('AWS::Lambda::Permission')
    .map(([, p]) => `${String(p.FunctionName).replace(/^\$\{(\w+)(\.Arn)?\}$/, '$1')} <- ${String(p.SourceArn).replace(apiArn, '')} (${String(p.Principal)})`)
    .sort();

  const plans = Object.fromEntries(
    all('AWS::ApiGateway::UsagePlan').map(([, p]) => {
      const throttle = p.Throttle as Props;
      const quota = p.Quota as Props;
      const stages = (p.ApiStages as Props[]).map((s) => `${String(s.ApiId) === `\${${apiName}}` ? 'api' : String(s.ApiId)}/${stageRef(s.Stage ?? null)}`);
      return [String(p.UsagePlanName).replace('${AWS::StackName}-', ''), { burst: throttle.BurstLimit, rate: throttle.RateLimit, quota: quota.Limit, period: quota.Period, stages }];
    }),
  );
  const keysByName = new Map(all('AWS::ApiGateway::ApiKey').map(([n, p]) => [`\${${n}}`, String(p.Name).replace('${AWS::StackName}-', '')]));
  const planByName = new Map(all('AWS::ApiGateway::UsagePlan').map(([n, p]) => [`\${${n}}`, String(p.UsagePlanName).replace('${AWS::StackName}-', '')]));
  const apiKeys = all('AWS::ApiGateway::UsagePlanKey')
    .map(([, k]) => `${keysByName.get(String(k.KeyId))} -> ${planByName.get(String(k.UsagePlanId))} (${String(k.KeyType)})`)
    .sort();

  const tables = Object.fromEntries(
    all('AWS::DynamoDB::Table').map(([tableName, t]) => {
      const keys = (schema: Props[]): string[] => schema.map((k) => `${String(k.AttributeName)}:${String(k.KeyType)}`);
      const indexes = Object.fromEntries(((t.GlobalSecondaryIndexes ?? []) as Props[]).map((g) => [g.IndexName, { keys: keys(g.KeySchema as Props[]), projection: (g.Projection as Props).ProjectionType }]));
      return [
        tableName,
        {
          keys: keys(t.KeySchema as Props[]),
          attributes: (t.AttributeDefinitions as Props[]).map((a) => `${String(a.AttributeName)}:${String(a.AttributeType)}`).sort(),
          indexes,
          billing: t.BillingMode,
          pointInTimeRecovery: (t.PointInTimeRecoverySpecification as Props | undefined)?.PointInTimeRecoveryEnabled ?? false,
          encrypted: (t.SSESpecification as Props | undefined)?.SSEEnabled ?? false,
          ttl: (t.TimeToLiveSpecification as Props | undefined)?.AttributeName ?? null,
          retained: resourcesOf(template, 'AWS::DynamoDB::Table').find(([id]) => name(id) === tableName)?.[1].DeletionPolicy === 'Retain',
        },
      ];
    }),
  );

  const [, pool] = one('AWS::Cognito::UserPool');
  const policy = (pool.Policies as Props).PasswordPolicy as Props;
  const [, client] = one('AWS::Cognito::UserPoolClient');
  const units = (client.TokenValidityUnits ?? {}) as Props;

  const secrets = Object.fromEntries(
    all('AWS::SecretsManager::Secret').map(([n, s]) => {
      const g = s.GenerateSecretString as Props;
      return [n, { key: g.GenerateStringKey, length: g.PasswordLength, punctuation: !g.ExcludePunctuation }];
    }),
  );

  const acl = all('AWS::WAFv2::WebACL')[0]?.[1];
  const association = deployed('AWS::WAFv2::WebACLAssociation')[0];

  return {
    body: body(),
    endpointTypes: rest ? ((api.EndpointConfiguration as Props).Types as Json) : null,
    stage: stageFacts(),
    plans,
    apiKeys,
    functions,
    permissions,
    tables,
    userPool: {
      usernameAttributes: pool.UsernameAttributes as Json,
      autoVerified: pool.AutoVerifiedAttributes as Json,
      selfSignUp: !((pool.AdminCreateUserConfig as Props | undefined)?.AllowAdminCreateUserOnly ?? false),
      passwordPolicy: { minLength: policy.MinimumLength, lowercase: policy.RequireLowercase, numbers: policy.RequireNumbers, uppercase: policy.RequireUppercase, symbols: policy.RequireSymbols },
      recovery: ((pool.AccountRecoverySetting as Props).RecoveryMechanisms as Props[]).map((m) => `${String(m.Priority)}:${String(m.Name)}`),
      schema: (pool.Schema as Props[]).map((a) => ({ name: a.Name, type: a.AttributeDataType ?? 'String', required: a.Required ?? false, mutable: a.Mutable ?? true })),
    },
    userPoolClient: {
      authFlows: [...(client.ExplicitAuthFlows as string[])].sort(),
      generateSecret: client.GenerateSecret ?? false,
      preventUserExistenceErrors: client.PreventUserExistenceErrors as Json,
      idTokenMinutes: minutes(client.IdTokenValidity, units.IdToken ?? 'hours'),
      accessTokenMinutes: minutes(client.AccessTokenValidity, units.AccessToken ?? 'hours'),
      refreshTokenMinutes: minutes(client.RefreshTokenValidity, units.RefreshToken ?? 'days'),
    },
    secrets,
    waf: acl
      ? {
          scope: acl.Scope as Json,
          defaultAction: Object.keys(acl.DefaultAction as Props)[0] as string,
          rules: (acl.Rules as Props[]).map((r) => ({
            name: r.Name,
            priority: r.Priority,
            action: r.Action ? Object.keys(r.Action as Props)[0] : `override:${Object.keys(r.OverrideAction as Props)[0]}`,
            statement: r.Statement,
          })),
          associatedWith: association ? String(evaluate(association[1].Properties?.ResourceArn ?? null, scope)).replace(/\/stages\/.*$/, '/stages/<stage>') : null,
        }
      : null,
  } as Facts;
}
