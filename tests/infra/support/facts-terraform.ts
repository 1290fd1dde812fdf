/**
 * Deployment facts of infra/terraform, read from the parsed HCL with variable defaults: the same
 * shape as facts-cfn.ts. Terraform addresses are named as the SAM template names the same resources.
 */
import { readFileSync } from 'node:fs';
import { TERRAFORM_BODY_PATH } from '../../../infra/terraform-body.js';
import type { Json } from './cfn.js';
import { methodSettingFacts, minutes, sortStatements, type Facts, type Statement } from './facts.js';

const TF_SETTING_NAMES = {
  metrics: 'metrics_enabled',
  logging: 'logging_level',
  dataTrace: 'data_trace_enabled',
  rate: 'throttling_rate_limit',
  burst: 'throttling_burst_limit',
  caching: 'caching_enabled',
  ttl: 'cache_ttl_in_seconds',
};
import type { TerraformConfig } from './terraform.js';

/** Terraform address (attribute included) → the reference SAM and CDK write for the same value. */
const NAMES: Record<string, string> = {
  'aws_dynamodb_table.tasks.arn': '${TasksTable.Arn}',
  'aws_dynamodb_table.tasks.name': '${TasksTable}',
  'aws_dynamodb_table.idempotency.arn': '${IdempotencyTable.Arn}',
  'aws_dynamodb_table.idempotency.name': '${IdempotencyTable}',
  'aws_secretsmanager_secret.signing_key["admin_jwt"].arn': '${AdminJwtSecret}',
  'aws_secretsmanager_secret.signing_key["cursor_signing"].arn': '${CursorSigningSecret}',
  'aws_cognito_user_pool.users.arn': '${UserPool.Arn}',
  'aws_iam_role.api_gateway_tasks_read.arn': '${ApiGatewayTasksReadRole.Arn}',
  'data.aws_partition.current.partition': '${AWS::Partition}',
  'data.aws_region.current.region': '${AWS::Region}',
};
const SECRET_NAMES: Record<string, string> = { admin_jwt: 'AdminJwtSecret', cursor_signing: 'CursorSigningSecret' };
const TABLE_NAMES: Record<string, string> = { tasks: 'TasksTable', idempotency: 'IdempotencyTable' };

type Block = Record<string, unknown>;
const blockOf = (b: unknown, name: string): Block => (((b as Block)[name] as Block[] | undefined)?.[0] ?? {}) as Block;
const pascal = (s: string): string => s.replace(/(^|_)([a-z])/g, (_, __, c: string) => c.toUpperCase());

export function terraformFacts(tf: TerraformConfig): Facts {
  const defaults = Object.fromEntries(Object.entries(tf.variable).map(([k, v]) => [k, v.default as Json]));

  /** One expression (without `${}`): locals, variable defaults, known addresses, simple conditionals. */
  const expr = (e: string): Json => {
    const text = e.trim();
    const conditional = /^([\w.]+) \? (.+) : (.+)$/.exec(text);
    if (conditional) return expr(conditional[1] as string) === true ? (JSON.parse(conditional[2] as string) as Json) : (JSON.parse(conditional[3] as string) as Json);
    const local = /^local\.(\w+)$/.exec(text);
    if (local) return value(tf.locals[local[1] as string]);
    const variable = /^var\.(\w+)$/.exec(text);
    if (variable) return defaults[variable[1] as string] ?? null;
    return NAMES[text] ?? `<tf:${text}>`;
  };
  /** A parsed value with its interpolations evaluated. */
  const value = (v: unknown): Json => {
    if (typeof v === 'string') {
      const whole = /^\$\{([^{}]*)\}$/.exec(v);
      if (whole) return expr(whole[1] as string);
      return v.replace(/\$\{([^{}]*)\}/g, (_, e: string) => String(expr(e)));
    }
    if (Array.isArray(v)) return v.map(value);
    if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, value(x)]));
    return v as Json;
  };
  const res = (type: string, name: string): Block => {
    const body = tf.resource[type]?.[name];
    if (!body) throw new Error(`no resource ${type}.${name}`);
    return body;
  };

  // The body as templatefile renders it, each variable given what the configuration passes.
  const functions = tf.locals.functions as Record<string, { source: string; timeout: number; environment: Block; statements: { actions: string[]; resources: string[] }[] }>;
  const vars: Record<string, string> = Object.fromEntries(Object.entries(tf.locals.contract_references as Block).map(([k, v]) => [k, String(value(v))]));
  for (const fn of Object.keys(functions)) vars[`${fn}_Arn`] = `\${${fn}.Arn}`;
  const rendered = readFileSync(TERRAFORM_BODY_PATH, 'utf8').replace(/\$\$\{|%%\{|\$\{(\w+)\}/g, (whole, name?: string) => (whole === '$${' ? '${' : whole === '%%{' ? '%{' : (vars[name as string] ?? whole)));

  const lambda = res('aws_lambda_function', 'handler');
  const common = value(tf.locals.common_environment) as Record<string, Json>;
  const stage = res('aws_api_gateway_stage', 'task_api');
  const accessLog = blockOf(stage, 'access_log_settings');
  const format = Object.fromEntries([...String(accessLog.format).matchAll(/(\w+)\s*=\s*"([^"]*)"/g)].map((m) => [m[1], m[2]]));
  const settings = Object.fromEntries(
    Object.values(tf.resource.aws_api_gateway_method_settings ?? {}).map((m) => [
      m.method_path as string,
      methodSettingFacts(value(blockOf(m, 'settings')) as Record<string, Json>, TF_SETTING_NAMES),
    ]),
  );

  const plans = tf.locals.usage_plans as Record<string, { burst_limit: number; rate_limit: number; quota: number }>;
  const plan = res('aws_api_gateway_usage_plan', 'plan');
  const planStage = blockOf(plan, 'api_stages');
  const stages = planStage.api_id === '${aws_api_gateway_rest_api.task_api.id}' && planStage.stage === '${aws_api_gateway_stage.task_api.stage_name}' ? ['api/stage'] : [JSON.stringify(planStage)];

  const pool = res('aws_cognito_user_pool', 'users');
  const policy = blockOf(pool, 'password_policy');
  const client = res('aws_cognito_user_pool_client', 'web');
  const units = blockOf(client, 'token_validity_units');
  const password = tf.ephemeral.random_password?.signing_key ?? {};
  const secretVersion = res('aws_secretsmanager_secret_version', 'signing_key');
  const secretKey = /jsonencode\(\{\s*(\w+)\s*=/.exec(String(secretVersion.secret_string_wo))?.[1];

  const acl = res('aws_wafv2_web_acl', 'tasks');
  const association = res('aws_wafv2_web_acl_association', 'stage');
  /** HCL blocks → CloudFormation's shape: PascalCase keys, one-element block lists unwrapped. */
  const toCfn = (v: unknown): Json =>
    Array.isArray(v) ? toCfn(v[0]) : v && typeof v === 'object' ? Object.fromEntries(Object.entries(v).map(([k, x]) => [pascal(k), toCfn(x)])) : value(v);

  return {
    body: JSON.parse(rendered) as Json,
    endpointTypes: blockOf(res('aws_api_gateway_rest_api', 'task_api'), 'endpoint_configuration').types as Json,
    stage: {
      name: value(stage.stage_name),
      tracing: value(stage.xray_tracing_enabled),
      cacheCluster: value(stage.cache_cluster_enabled),
      cacheClusterSize: value(stage.cache_cluster_size),
      accessLogFormat: format,
      accessLogDestination: accessLog.destination_arn === '${aws_cloudwatch_log_group.api_access.arn}' ? 'the access log group' : (accessLog.destination_arn as Json),
      accessLogRetentionDays: value(res('aws_cloudwatch_log_group', 'api_access').retention_in_days),
      methodSettings: settings,
    },
    plans: Object.fromEntries(
      Object.entries(plans).map(([n, p]) => [n, { burst: p.burst_limit, rate: p.rate_limit, quota: p.quota, period: blockOf(plan, 'quota_settings').period as Json, stages }]),
    ),
    apiKeys: Object.keys(plans)
      .map((n) => `${n} -> ${n} (${String(res('aws_api_gateway_usage_plan_key', 'key').key_type)})`)
      .sort(),
    functions: Object.fromEntries(
      Object.entries(functions).map(([n, f]) => [
        n,
        {
          handler: String(value(lambda.handler)).replace('<tf:each.value.source>', f.source),
          runtime: value(lambda.runtime),
          architectures: value(lambda.architectures),
          memory: value(lambda.memory_size),
          timeout: f.timeout,
          tracing: blockOf(lambda, 'tracing_config').mode as Json,
          environment: { ...common, ...(value(f.environment) as Record<string, Json>) },
          access: sortStatements(f.statements.map((s) => ({ Action: value(s.actions), Resource: value(s.resources) }) as Statement)),
        },
      ]),
    ),
    permissions: Object.entries(tf.locals.lambda_routes as Record<string, string>)
      .map(([path, fn]) => `${fn} <- ${path} (${String(res('aws_lambda_permission', 'api').principal)})`)
      .sort(),
    tables: Object.fromEntries(
      Object.entries(TABLE_NAMES).map(([tfName, tableName]) => {
        const t = res('aws_dynamodb_table', tfName);
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
    ),
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
    waf: {
      scope: acl.scope as Json,
      defaultAction: pascal(Object.keys(blockOf(acl, 'default_action'))[0] ?? ''),
      rules: ((acl.rule ?? []) as Block[]).map((r) => ({
        name: r.name as Json,
        priority: r.priority as Json,
        action: r.action ? pascal(Object.keys(blockOf(r, 'action'))[0] ?? '') : `override:${pascal(Object.keys(blockOf(r, 'override_action'))[0] ?? '')}`,
        statement: toCfn(r.statement),
      })),
      associatedWith: association.resource_arn === '${aws_api_gateway_stage.task_api.arn}' ? 'arn:${AWS::Partition}:apigateway:${AWS::Region}::/restapis/${TaskApi}/stages/<stage>' : (association.resource_arn as Json),
    },
  };
}
