/**
 * Deployment facts of infra/terraform, read from the parsed HCL for given variable values (the others at
 * their defaults), as `terraform apply -var ...` would deploy them: the same shape as facts-cfn.ts.
 * Terraform addresses are named as the SAM template names the same resources.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Json } from './cfn.js';
import { methodSettingFacts, minutes, sortStatements, type Facts, type Statement } from './facts.js';
import { evaluatorFor, TERRAFORM_DIR, type TerraformConfig } from './terraform.js';

const TF_SETTING_NAMES = {
  metrics: 'metrics_enabled',
  logging: 'logging_level',
  dataTrace: 'data_trace_enabled',
  rate: 'throttling_rate_limit',
  burst: 'throttling_burst_limit',
  caching: 'caching_enabled',
  ttl: 'cache_ttl_in_seconds',
};
const TF_ROUTE_SETTING_NAMES = {
  metrics: 'detailed_metrics_enabled',
  logging: 'logging_level',
  dataTrace: 'data_trace_enabled',
  rate: 'throttling_rate_limit',
  burst: 'throttling_burst_limit',
};

/** Terraform expression → the reference SAM and CDK write for the same value. */
const NAMES: Record<string, string> = {
  'aws_dynamodb_table.tasks.arn': '${TasksTable.Arn}',
  'aws_dynamodb_table.tasks.name': '${TasksTable}',
  'aws_dynamodb_table.idempotency.arn': '${IdempotencyTable.Arn}',
  'aws_dynamodb_table.idempotency.name': '${IdempotencyTable}',
  'aws_secretsmanager_secret.signing_key["admin_jwt"].arn': '${AdminJwtSecret}',
  'aws_secretsmanager_secret.signing_key["cursor_signing"].arn': '${CursorSigningSecret}',
  'aws_cognito_user_pool.users.arn': '${UserPool.Arn}',
  'aws_cognito_user_pool.users.id': '${UserPool}',
  'aws_cognito_user_pool_client.web.id': '${UserPoolClient}',
  'one(aws_iam_role.api_gateway_tasks_read[*].arn)': '${ApiGatewayTasksReadRole.Arn}',
  'data.aws_partition.current.partition': '${AWS::Partition}',
  'data.aws_region.current.region': '${AWS::Region}',
  // What a permission's source ARN and a plan's stage are relative to.
  'one(concat(aws_api_gateway_rest_api.task_api[*].execution_arn, aws_apigatewayv2_api.task_api[*].execution_arn))': '<api>',
  'aws_api_gateway_rest_api.task_api[0].id': '<api>',
  'aws_api_gateway_stage.task_api[0].stage_name': '<stage>',
  'aws_cloudwatch_log_group.api_access.arn': 'the access log group',
};
const SECRET_NAMES: Record<string, string> = { admin_jwt: 'AdminJwtSecret', cursor_signing: 'CursorSigningSecret' };
const TABLE_NAMES: Record<string, string> = { tasks: 'TasksTable', idempotency: 'IdempotencyTable' };

type Block = Record<string, unknown>;
type Obj = { [key: string]: Json };
const blockOf = (b: unknown, name: string): Block => (((b as Block)[name] as Block[] | undefined)?.[0] ?? {}) as Block;
const pascal = (s: string): string => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

/** The facts of the configuration deployed with `vars` (e.g. `{ api_type: 'HTTP' }`). */
export function terraformFacts(tf: TerraformConfig, vars: Record<string, Json> = {}): Facts {
  const evaluate = evaluatorFor(tf, vars, NAMES);
  const prefix = `${String(evaluate('${var.name}'))}-`;

  /** The instances a resource has: `each` for every for_each key, one per count. */
  const instances = (type: string, name: string): { body: Block; each: Obj }[] => {
    const body = tf.resource[type]?.[name];
    if (!body) throw new Error(`no resource ${type}.${name}`);
    if ('for_each' in body) {
      const set = evaluate(body.for_each);
      if (typeof set !== 'object' || set === null || Array.isArray(set)) throw new Error(`${type}.${name}: for_each ${JSON.stringify(set)}`);
      return Object.entries(set).map(([key, value]) => ({ body, each: { each: { key, value } } }));
    }
    const count = 'count' in body ? evaluate(body.count) : 1;
    if (typeof count !== 'number') throw new Error(`${type}.${name}: count ${JSON.stringify(count)}`);
    return Array.from({ length: count }, (_, index) => ({ body, each: { count: { index } } }));
  };
  const one = (type: string, name: string): Block | undefined => {
    const found = instances(type, name);
    if (found.length > 1) throw new Error(`${type}.${name}: ${found.length} instances`);
    return found[0]?.body;
  };
  const restApi = one('aws_api_gateway_rest_api', 'task_api');
  const httpApi = one('aws_apigatewayv2_api', 'task_api');
  if (!restApi === !httpApi) throw new Error(`expected exactly one API, got REST ${Boolean(restApi)} and HTTP ${Boolean(httpApi)}`);
  const api = (restApi ?? httpApi) as Block;

  const functionNames = Object.keys(evaluate(tf.resource.aws_lambda_function?.handler?.for_each) as Obj);
  const logGroup = evaluate(tf.resource.aws_cloudwatch_log_group?.api_access) as Obj;
  const accessLog = (stage: Block): Obj => {
    const settings = evaluate(blockOf(stage, 'access_log_settings')) as Obj;
    return { accessLogFormat: JSON.parse(String(settings.format)) as Json, accessLogDestination: settings.destination_arn as Json, accessLogRetentionDays: logGroup.retention_in_days as Json };
  };

  const stage = (): Obj => {
    if (restApi) {
      const s = one('aws_api_gateway_stage', 'task_api') as Block;
      const methodSettings = Object.fromEntries(
        Object.keys(tf.resource.aws_api_gateway_method_settings ?? {})
          .flatMap((n) => instances('aws_api_gateway_method_settings', n))
          .map(({ body }) => [evaluate(body.method_path) as string, methodSettingFacts(evaluate(blockOf(body, 'settings')) as Obj, TF_SETTING_NAMES)]),
      );
      return {
        name: evaluate(s.stage_name),
        tracing: evaluate(s.xray_tracing_enabled),
        cacheCluster: evaluate(s.cache_cluster_enabled),
        cacheClusterSize: evaluate(s.cache_cluster_size),
        ...accessLog(s),
        methodSettings,
      };
    }
    const s = one('aws_apigatewayv2_stage', 'task_api') as Block;
    return {
      name: evaluate(s.name),
      autoDeploy: evaluate(s.auto_deploy ?? false),
      routeSettings: methodSettingFacts(evaluate(blockOf(s, 'default_route_settings')) as Obj, TF_ROUTE_SETTING_NAMES),
      routeOverrides: Object.fromEntries(((s.route_settings ?? []) as Block[]).map((r) => [String(r.route_key), methodSettingFacts(evaluate(r) as Obj, TF_ROUTE_SETTING_NAMES)])),
      ...accessLog(s),
    };
  };

  /** The body as templatefile renders it, each variable given what the configuration passes. */
  const body = (): Json => {
    const expression = String(api.body).replace(/^\$\{local\.(\w+)\}$/, (_, local: string) => String(tf.locals[local]));
    const call = /templatefile\("\$\{path\.module\}\/([^"]+)", merge\(local\.(\w+), local\.function_arn_references\)\)/.exec(expression);
    if (!call) throw new Error(`the API body is not the generated template: ${expression}`);
    const given: Record<string, string> = Object.fromEntries(Object.entries(evaluate(tf.locals[call[2] as string]) as Obj).map(([k, v]) => [k, String(v)]));
    for (const fn of functionNames) given[`${fn}_Arn`] = `\${${fn}.Arn}`;
    const template = readFileSync(join(TERRAFORM_DIR, call[1] as string), 'utf8');
    return JSON.parse(template.replace(/\$\$\{|%%\{|\$\{(\w+)\}/g, (whole, name?: string) => (whole === '$${' ? '${' : whole === '%%{' ? '%{' : (given[name as string] ?? whole)))) as Json;
  };

  const policies = new Map(instances('aws_iam_role_policy', 'function_data').map(({ body, each }) => [String((each.each as Obj).key), JSON.parse(String(evaluate(body.policy, each))) as { Statement: Statement[] }]));
  const functions = Object.fromEntries(
    instances('aws_lambda_function', 'handler').map(({ body: fn, each }) => {
      const ev = (v: unknown): Json => evaluate(v, each);
      const name = String((each.each as Obj).key);
      return [
        name,
        {
          handler: ev(fn.handler),
          runtime: ev(fn.runtime),
          architectures: ev(fn.architectures),
          memory: ev(fn.memory_size),
          timeout: ev(fn.timeout),
          tracing: ev(blockOf(fn, 'tracing_config').mode),
          environment: ev(blockOf(fn, 'environment').variables),
          access: sortStatements(policies.get(name)?.Statement ?? []),
        },
      ];
    }),
  );

  const permissions = instances('aws_lambda_permission', 'api')
    .map(({ body: p, each }) => {
      const target = String(p.function_name) === '${aws_lambda_function.handler[each.value].function_name}' ? String((each.each as Obj).value) : String(p.function_name);
      return `${target} <- ${String(evaluate(p.source_arn, each)).replace(/^<api>\//, '')} (${String(evaluate(p.principal))})`;
    })
    .sort();

  const planInstances = instances('aws_api_gateway_usage_plan', 'plan');
  const plans = Object.fromEntries(
    planInstances.map(({ body: plan, each }) => {
      const ev = (v: unknown): Obj => evaluate(v, each) as Obj;
      const throttle = ev(blockOf(plan, 'throttle_settings'));
      const quota = ev(blockOf(plan, 'quota_settings'));
      const stages = ((plan.api_stages ?? []) as Block[]).map((s) => ev(s)).map((s) => (s.api_id === '<api>' && s.stage === '<stage>' ? 'api/stage' : JSON.stringify(s)));
      return [String(ev(plan.name)).replace(prefix, ''), { burst: throttle.burst_limit ?? null, rate: throttle.rate_limit ?? null, quota: quota.limit ?? null, period: quota.period ?? null, stages }];
    }),
  );
  const apiKeys = instances('aws_api_gateway_usage_plan_key', 'key')
    .map(({ body: k, each }) => {
      const key = String((each.each as Obj).key);
      const paired = k.key_id === '${aws_api_gateway_api_key.key[each.key].id}' && k.usage_plan_id === '${aws_api_gateway_usage_plan.plan[each.key].id}';
      return paired ? `${key} -> ${key} (${String(evaluate(k.key_type))})` : JSON.stringify(k);
    })
    .sort();

  const tables = Object.fromEntries(
    Object.entries(TABLE_NAMES).map(([tfName, tableName]) => {
      const t = one('aws_dynamodb_table', tfName) as Block;
      const keys = (b: Block): string[] => [`${String(b.hash_key)}:HASH`, ...(b.range_key ? [`${String(b.range_key)}:RANGE`] : [])];
      const indexes = Object.fromEntries(((t.global_secondary_index ?? []) as Block[]).map((g) => [g.name, { keys: keys(g), projection: g.projection_type as Json }]));
      return [
        tableName,
        {
          keys: keys(t),
          attributes: ((t.attribute ?? []) as Block[]).map((a) => `${String(a.name)}:${String(a.type)}`).sort(),
          indexes,
          billing: t.billing_mode as Json,
          pointInTimeRecovery: blockOf(t, 'point_in_time_recovery').enabled ?? false,
          encrypted: blockOf(t, 'server_side_encryption').enabled ?? false,
          ttl: blockOf(t, 'ttl').attribute_name ?? null,
          retained: blockOf(t, 'lifecycle').prevent_destroy === true,
        } as unknown as Json,
      ];
    }),
  );

  const pool = one('aws_cognito_user_pool', 'users') as Block;
  const policy = blockOf(pool, 'password_policy');
  const client = one('aws_cognito_user_pool_client', 'web') as Block;
  const units = blockOf(client, 'token_validity_units');
  const password = tf.ephemeral.random_password?.signing_key ?? {};
  const secretVersion = instances('aws_secretsmanager_secret_version', 'signing_key')[0]?.body ?? {};
  const secretKey = /jsonencode\(\{\s*(\w+)\s*=/.exec(String(secretVersion.secret_string_wo))?.[1];

  const acl = one('aws_wafv2_web_acl', 'tasks');
  const association = one('aws_wafv2_web_acl_association', 'stage');
  /** HCL blocks → CloudFormation's shape: PascalCase keys, one-element block lists unwrapped. */
  const toCfn = (v: unknown): Json =>
    Array.isArray(v) ? toCfn(v[0]) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [pascal(k), toCfn(x)])) : evaluate(v);

  return {
    body: body(),
    endpointTypes: restApi ? (blockOf(restApi, 'endpoint_configuration').types as Json) : null,
    stage: stage(),
    plans,
    apiKeys,
    functions,
    permissions,
    tables,
    userPool: {
      usernameAttributes: pool.username_attributes as Json,
      autoVerified: pool.auto_verified_attributes as Json,
      selfSignUp: !(blockOf(pool, 'admin_create_user_config').allow_admin_create_user_only ?? false),
      passwordPolicy: { minLength: policy.minimum_length, lowercase: policy.require_lowercase, numbers: policy.require_numbers, uppercase: policy.require_uppercase, symbols: policy.require_symbols } as Json,
      recovery: ((blockOf(pool, 'account_recovery_setting').recovery_mechanism ?? []) as Block[]).map((m) => `${String(m.priority)}:${String(m.name)}`),
      schema: ((pool.schema ?? []) as Block[]).map((a) => ({ name: a.name, type: a.attribute_data_type, required: a.required ?? false, mutable: a.mutable ?? true }) as unknown as Json),
    },
    userPoolClient: {
      authFlows: [...(client.explicit_auth_flows as string[])].sort(),
      generateSecret: (client.generate_secret as Json) ?? false,
      preventUserExistenceErrors: client.prevent_user_existence_errors as Json,
      idTokenMinutes: minutes(client.id_token_validity as Json, (units.id_token as Json) ?? 'hours'),
      accessTokenMinutes: minutes(client.access_token_validity as Json, (units.access_token as Json) ?? 'hours'),
      refreshTokenMinutes: minutes(client.refresh_token_validity as Json, (units.refresh_token as Json) ?? 'days'),
    },
    secrets: Object.fromEntries(
      Object.keys(tf.locals.signing_keys as Block).map((k) => [SECRET_NAMES[k] ?? k, { key: secretKey ?? null, length: password.length as Json, punctuation: password.special as Json }]),
    ),
    waf: acl
      ? {
          scope: acl.scope as Json,
          defaultAction: pascal(Object.keys(blockOf(acl, 'default_action'))[0] ?? ''),
          rules: ((acl.rule ?? []) as Block[]).map((r) => ({
            name: r.name as Json,
            priority: r.priority as Json,
            action: r.action ? pascal(Object.keys(blockOf(r, 'action'))[0] ?? '') : `override:${pascal(Object.keys(blockOf(r, 'override_action'))[0] ?? '')}`,
            statement: toCfn(r.statement),
          })),
          associatedWith: association?.resource_arn === '${aws_api_gateway_stage.task_api[0].arn}' ? 'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${TaskApi}/stages/<stage>' : ((association?.resource_arn ?? null) as Json),
        }
      : null,
  };
}
