/**
 * The REST API from openapi/api.yaml (`SpecRestApi` with an inline Body, I9.1–I9.2), its stage,
 * Lambda permissions per route (I9.7), usage plans and keys (I9.8) and the WAF switch (I9.10).
 */
import { ArnFormat, Aws, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { lambdaAuthorizers, lambdaRoutes, permissionPath, readContract, substitute, type SubPart } from '../contract.js';
import type { DataResources } from './data.js';
import type { TaskApiSettings } from './settings.js';

/** The stage's access-log line, the same fields as template.yaml's AccessLogSetting.Format. */
export const ACCESS_LOG_FORMAT = JSON.stringify({
  requestId: '$context.requestId',
  extendedRequestId: '$context.extendedRequestId',
  ip: '$context.identity.sourceIp',
  caller: '$context.identity.caller',
  user: '$context.authorizer.claims.sub',
  apiKeyId: '$context.identity.apiKeyId',
  requestTime: '$context.requestTime',
  httpMethod: '$context.httpMethod',
  resourcePath: '$context.resourcePath',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  errorType: '$context.error.responseType',
  errorMessage: '$context.error.message',
  validationError: '$context.error.validationErrorString',
  wafStatus: '$context.wafResponseCode',
});

/** The contract with every reference it makes turned into this stack's own values (CDK tokens). */
export function contractBody(values: Record<string, string>): Record<string, unknown> {
  const sub = (parts: SubPart[], where: string): string =>
    parts
      .map((p) => {
        if ('text' in p) return p.text;
        const value = values[p.ref];
        if (value === undefined) throw new Error(`openapi/api.yaml ${where}: the CDK stack has no value for \${${p.ref}}`);
        return value;
      })
      .join('');
  return substitute(readContract(), sub) as Record<string, unknown>;
}

export function createApi(scope: Construct, data: DataResources, functions: Map<string, lambda.Function>, settings: TaskApiSettings): apigateway.SpecRestApi {
  // API Gateway reads tasks straight from DynamoDB for getTask: this role may do exactly that.
  const readRole = new iam.Role(scope, 'ApiGatewayTasksReadRole', { assumedBy: new iam.ServicePrincipal('apigateway.amazonaws.com') });
  readRole.addToPolicy(new iam.PolicyStatement({ actions: ['dynamodb:GetItem'], resources: [data.tasksTable.tableArn] }));

  const values: Record<string, string> = {
    'AWS::Partition': Aws.PARTITION,
    'AWS::Region': Aws.REGION,
    'AWS::AccountId': Aws.ACCOUNT_ID,
    AllowedOrigin: settings.allowedOrigin,
    TasksTable: data.tasksTable.tableName,
    'UserPool.Arn': data.userPool.userPoolArn,
    'ApiGatewayTasksReadRole.Arn': readRole.roleArn,
  };
  for (const [id, fn] of functions) values[`${id}.Arn`] = fn.functionArn;

  const accessLogs = new logs.LogGroup(scope, 'ApiAccessLogGroup', {
    logGroupName: `/aws/apigateway/${Aws.STACK_NAME}/access`,
    retention: settings.logRetentionDays as number as logs.RetentionDays,
    removalPolicy: RemovalPolicy.DESTROY,
  });
  const everyMethod: apigateway.MethodDeploymentOptions = {
    metricsEnabled: true,
    loggingLevel: apigateway.MethodLoggingLevel.ERROR,
    dataTraceEnabled: false,
    throttlingRateLimit: settings.throttlingRateLimit,
    throttlingBurstLimit: settings.throttlingBurstLimit,
  };
  const api = new apigateway.SpecRestApi(scope, 'TaskApi', {
    restApiName: `${Aws.STACK_NAME}-tasks`,
    description: 'Task API (contract in openapi/api.yaml)',
    apiDefinition: apigateway.ApiDefinition.fromInline(contractBody(values)),
    endpointTypes: [apigateway.EndpointType.REGIONAL],
    // Execution logs need API Gateway's account-wide CloudWatch role, as template.yaml's ApiGatewayAccount.
    cloudWatchRole: true,
    cloudWatchRoleRemovalPolicy: RemovalPolicy.DESTROY,
    deployOptions: {
      stageName: settings.stageName,
      tracingEnabled: true,
      accessLogDestination: new apigateway.LogGroupLogDestination(accessLogs),
      accessLogFormat: apigateway.AccessLogFormat.custom(ACCESS_LOG_FORMAT),
      cacheClusterEnabled: settings.enableCaching,
      ...(settings.enableCaching ? { cacheClusterSize: '0.5' } : {}),
      methodOptions: {
        '/*/*': { ...everyMethod, cachingEnabled: false },
        // Only GET /health is cached: every other answer depends on the caller.
        '/health/GET': { ...everyMethod, cachingEnabled: settings.enableCaching, cacheTtl: Duration.seconds(settings.cacheTtlSeconds) },
      },
    },
  });

  grantInvoke(scope, api, functions);
  createUsagePlans(scope, api);
  if (settings.enableWaf) createWebAcl(scope, api, settings);
  return api;
}

/** API Gateway may invoke each function from exactly the route (or the authorizer) that uses it (R1.54). */
function grantInvoke(scope: Construct, api: apigateway.SpecRestApi, functions: Map<string, lambda.Function>): void {
  const principal = new iam.ServicePrincipal('apigateway.amazonaws.com');
  const contract = readContract();
  const fnOf = (name: string): lambda.Function => {
    const fn = functions.get(name);
    if (!fn) throw new Error(`openapi/api.yaml names ${name}, which the CDK stack does not define`);
    return fn;
  };
  for (const route of lambdaRoutes(contract)) {
    const path = permissionPath(route);
    fnOf(route.functionName).addPermission('ApiPermission', { principal, sourceArn: api.arnForExecuteApi(route.method, path.slice(route.method.length)) });
  }
  for (const functionName of new Set(lambdaAuthorizers(contract).values())) {
    const sourceArn = Stack.of(scope).formatArn({ service: 'execute-api', resource: api.restApiId, resourceName: 'authorizers/*', arnFormat: ArnFormat.SLASH_RESOURCE_NAME });
    fnOf(functionName).addPermission('ApiAuthorizerPermission', { principal, sourceArn });
  }
}

const PLANS = [
  { id: 'Basic', description: 'Basic tier', throttle: { burstLimit: 100, rateLimit: 50 }, quota: 10_000 },
  { id: 'Premium', description: 'Premium tier', throttle: { burstLimit: 500, rateLimit: 250 }, quota: 1_000_000 },
];

function createUsagePlans(scope: Construct, api: apigateway.SpecRestApi): void {
  for (const plan of PLANS) {
    const name = `${Aws.STACK_NAME}-${plan.id.toLowerCase()}`;
    const usagePlan = new apigateway.UsagePlan(scope, `${plan.id}UsagePlan`, {
      name,
      description: plan.description,
      throttle: plan.throttle,
      quota: { limit: plan.quota, period: apigateway.Period.MONTH },
      apiStages: [{ api, stage: api.deploymentStage }],
    });
    const key = new apigateway.ApiKey(scope, `${plan.id}ApiKey`, { apiKeyName: name, description: `API key of the ${plan.id} usage plan`, enabled: true });
    usagePlan.addApiKey(key);
  }
}

/** Managed common and known-bad-input rules, then a per-IP rate limit (template.yaml's WebAcl). */
function createWebAcl(scope: Construct, api: apigateway.SpecRestApi, settings: TaskApiSettings): void {
  const visibility = (metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty => ({ cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true });
  const managed = (name: string, priority: number, group: string): wafv2.CfnWebACL.RuleProperty => ({
    name,
    priority,
    overrideAction: { none: {} },
    statement: { managedRuleGroupStatement: { vendorName: 'AWS', name: group } },
    visibilityConfig: visibility(name),
  });
  const acl = new wafv2.CfnWebACL(scope, 'WebAcl', {
    name: `${Aws.STACK_NAME}-tasks`,
    scope: 'REGIONAL',
    defaultAction: { allow: {} },
    visibilityConfig: visibility(`${Aws.STACK_NAME}-tasks`),
    rules: [
      managed('aws-common', 0, 'AWSManagedRulesCommonRuleSet'),
      managed('aws-known-bad-inputs', 1, 'AWSManagedRulesKnownBadInputsRuleSet'),
      {
        name: 'rate-per-ip',
        priority: 2,
        action: { block: {} },
        statement: { rateBasedStatement: { limit: settings.wafRateLimitPer5Min, aggregateKeyType: 'IP' } },
        visibilityConfig: visibility('rate-per-ip'),
      },
    ],
  });
  new wafv2.CfnWebACLAssociation(scope, 'WebAclAssociation', { resourceArn: api.deploymentStage.stageArn, webAclArn: acl.attrArn });
}
