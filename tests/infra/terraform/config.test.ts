/** infra/terraform parsed offline (I14.3–I14.4): resources, references, variables, permissions, deployment triggers, format. */
import { execFileSync, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCfnYaml } from '../../../emulator/template/cfn-yaml.js';
import { handlerNames } from '../../../infra/bundle.js';
import { lambdaPermissions, readContract, REPO_ROOT } from '../../../infra/contract.js';
import { renderTerraformBody, TERRAFORM_BODY_PATH } from '../../../infra/terraform-body.js';
import type { Json } from '../support/cfn.js';
import { evaluatorFor, firstBlock as block, instanceKeys, interpolations, loadTerraform, resourceOf, TERRAFORM_DIR, terraformBinary, type TerraformConfig } from '../support/terraform.js';

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
}, 60_000);

const resource = (type: string, name: string): Record<string, unknown> => resourceOf(tf, type, name);

describe('HCL: every file parses and every reference names something declared', () => {
  it('parses all files with HashiCorp HCL (hcl2json)', () => {
    expect(tf.files).toEqual(expect.arrayContaining(['api.tf', 'data.tf', 'functions.tf', 'http_api.tf', 'identity.tf', 'outputs.tf', 'usage_plans.tf', 'variables.tf', 'versions.tf', 'waf.tf']));
  });

  it('each resource, data source, ephemeral resource, local and variable referenced is declared', () => {
    const everything = [...Object.values(tf.resource), ...Object.values(tf.data), ...Object.values(tf.ephemeral)].flatMap((byName) => Object.values(byName));
    const refs = [...everything, ...Object.values(tf.locals), ...Object.values(tf.output)].flatMap((b) => interpolations(b));
    const missing: string[] = [];
    for (const expr of refs) {
      for (const m of expr.matchAll(/(?<![\w.])(data|ephemeral)\.([a-z0-9_]+)\.([a-z0-9_]+)/g)) {
        if (!(m[1] === 'data' ? tf.data : tf.ephemeral)[m[2] as string]?.[m[3] as string]) missing.push(m[0]);
      }
      for (const m of expr.matchAll(/(?<![\w.])(aws_[a-z0-9_]+)\.([a-z0-9_]+)/g)) if (!tf.resource[m[1] as string]?.[m[2] as string]) missing.push(m[0]);
      for (const m of expr.matchAll(/(?<![\w.])local\.([a-z0-9_]+)/g)) if (!(m[1] as string in tf.locals)) missing.push(m[0]);
      for (const m of expr.matchAll(/(?<![\w.])var\.([a-z0-9_]+)/g)) if (!tf.variable[m[1] as string]) missing.push(m[0]);
    }
    expect(refs.length).toBeGreaterThan(50);
    expect([...new Set(missing)]).toEqual([]);
  });

  it('every variable has a description and a default; every one that is not a bool is validated', () => {
    for (const [name, v] of Object.entries(tf.variable)) {
      expect(v.description, name).toEqual(expect.stringMatching(/\S{3}/));
      expect('default' in v, `${name} default`).toBe(true);
      if (v.type !== '${bool}' && name !== 'bundle_dir') expect(v.validation, `${name} validation`).toBeDefined();
    }
  });
});

describe('I12.1 the REST API body is the generated template, given one value per contract reference', () => {
  it('body = templatefile(openapi.gen.json.tftpl, references), mode overwrite, REGIONAL', () => {
    const api = resource('aws_api_gateway_rest_api', 'task_api');
    expect(api.body).toBe('${templatefile("${path.module}/openapi.gen.json.tftpl", merge(local.contract_references, local.function_arn_references))}');
    expect(api.put_rest_api_mode).toBe('overwrite');
    expect(block(api, 'endpoint_configuration').types).toEqual(['REGIONAL']);
  });

  it('the variables given are exactly those the template uses: the references plus one ARN per function', () => {
    const deployed = Object.keys(evaluatorFor(tf)('${local.functions}') as object);
    const given = [...Object.keys(evaluatorFor(tf)(tf.locals.contract_references) as object), ...deployed.map((f) => `${f}_Arn`)].sort();
    expect(given).toEqual(renderTerraformBody().variables);
    expect(tf.locals.function_arn_references).toBe('${{ for name, fn in aws_lambda_function.handler : "${name}_Arn" => fn.arn }}');
  });
});

describe('I12.7–I12.9 deployment, stage and method settings', () => {
  it('redeploys when the body changes (sha1 trigger), creating the new deployment first', () => {
    const deployment = resource('aws_api_gateway_deployment', 'task_api');
    expect(deployment.triggers).toEqual({ redeployment: '${sha1(aws_api_gateway_rest_api.task_api[0].body)}' });
    expect(block(deployment, 'lifecycle').create_before_destroy).toBe(true);
    expect(deployment.stage_name).toBeUndefined();
  });

  it('the stage: X-Ray, access logs, the caching switch, after the account CloudWatch role', () => {
    const stage = resource('aws_api_gateway_stage', 'task_api');
    expect(stage).toMatchObject({
      deployment_id: '${aws_api_gateway_deployment.task_api[0].id}',
      stage_name: '${var.stage_name}',
      xray_tracing_enabled: true,
      cache_cluster_enabled: '${var.enable_caching}',
      cache_cluster_size: '${var.enable_caching ? "0.5" : null}',
      depends_on: ['${aws_api_gateway_account.this}'],
    });
    expect(block(stage, 'access_log_settings').destination_arn).toBe('${aws_cloudwatch_log_group.api_access.arn}');
  });

  it.each([
    ['all', '*/*', false],
    ['health', 'health/GET', '${var.enable_caching}'],
  ])('method settings %s (%s): metrics, ERROR logs, stage throttling, caching %s', (name, path, caching) => {
    const settings = resource('aws_api_gateway_method_settings', name);
    expect(settings.method_path).toBe(path);
    expect(block(settings, 'settings')).toMatchObject({
      metrics_enabled: true,
      logging_level: 'ERROR',
      throttling_rate_limit: '${var.throttling_rate_limit}',
      throttling_burst_limit: '${var.throttling_burst_limit}',
      caching_enabled: caching,
    });
  });
});

describe('I12.11 Lambda permissions with the exact source ARN of each route', () => {
  it('one permission per Lambda route of the contract and one for the authorizer, nothing wider', () => {
    expect(tf.locals.lambda_routes).toEqual(lambdaPermissions(readContract()));
    expect(resource('aws_lambda_permission', 'api')).toMatchObject({
      for_each: '${local.rest_api ? local.lambda_routes : local.http_api_lambda_routes}',
      principal: 'apigateway.amazonaws.com',
      source_arn: '${local.api_execution_arn}/${each.key}',
      function_name: '${aws_lambda_function.handler[each.value].function_name}',
    });
  });
});

/** Handler files of the functions template.yaml deploys only with its HTTP API variant (ApiType=HTTP). */
function httpOnlyHandlers(): string[] {
  const template = parseCfnYaml(readFileSync(resolve(REPO_ROOT, 'template.yaml'), 'utf8'), 'template.yaml') as { Resources: Record<string, { Type: string; Condition?: string; Properties?: { Handler?: unknown } }> };
  return Object.values(template.Resources)
    .filter((r) => r.Type === 'AWS::Serverless::Function' && r.Condition === 'HttpApiSelected')
    .map((r) => String(r.Properties?.Handler).split('.')[0] as string);
}

describe('functions from the shared bundles', () => {
  const all = (): Record<string, { source: string; apis: string[] }> => tf.locals.all_functions as Record<string, { source: string; apis: string[] }>;

  it('one function per handler file, each zipped from its bundle folder; the HTTP API ones are those of template.yaml', () => {
    expect(Object.values(all()).map((f) => f.source).sort()).toEqual(handlerNames());
    expect(httpOnlyHandlers().sort()).toEqual(['getHealth', 'getTask']);
    expect(Object.values(all()).filter((f) => !f.apis.includes('REST')).map((f) => f.source).sort()).toEqual(httpOnlyHandlers().sort());
    expect(tf.data.archive_file?.handler).toMatchObject({ for_each: '${local.functions}', source_dir: '${local.bundle_dir}/${each.value.source}' });
    expect(tf.locals.bundle_dir).toBe('${coalesce(var.bundle_dir, "${path.module}/../build/functions")}');
  });

  it.each([
    ['REST', handlerNames().filter((n) => !httpOnlyHandlers().includes(n)), 'updateTask.handler'],
    ['HTTP', handlerNames(), 'updateTask.proxy'],
  ])('api_type=%s deploys the functions of that variant (updateTask as %s)', (apiType, sources, updateHandler) => {
    const functions = evaluatorFor(tf, { api_type: apiType })('${local.functions}') as Record<string, { source: string; handler: string }>;
    expect(Object.values(functions).map((f) => f.source).sort()).toEqual(sources);
    expect(functions.UpdateTaskFunction?.handler).toBe(updateHandler);
    expect(instanceKeys(tf, 'aws_lambda_function', 'handler', { api_type: apiType }).sort()).toEqual(Object.keys(functions).sort());
  });

  it('a function without data access gets no data policy (IAM refuses an empty one), the others one each', () => {
    expect(instanceKeys(tf, 'aws_iam_role_policy', 'function_data', { api_type: 'HTTP' })).not.toContain('GetHealthFunction');
    expect(instanceKeys(tf, 'aws_iam_role_policy', 'function_data', { api_type: 'HTTP' })).toHaveLength(handlerNames().length - 1);
    expect(instanceKeys(tf, 'aws_iam_role', 'function', { api_type: 'HTTP' })).toContain('GetHealthFunction');
  });
});

describe('I12.13 the WAF switch', () => {
  it('web ACL and association exist only with enable_waf on the REST API; the association targets the stage ARN', () => {
    expect(resource('aws_wafv2_web_acl', 'tasks')).toMatchObject({ count: '${var.enable_waf && local.rest_api ? 1 : 0}', scope: 'REGIONAL' });
    expect(resource('aws_wafv2_web_acl_association', 'stage')).toEqual({
      count: '${var.enable_waf && local.rest_api ? 1 : 0}',
      resource_arn: '${aws_api_gateway_stage.task_api[0].arn}',
      web_acl_arn: '${aws_wafv2_web_acl.tasks[0].arn}',
    });
  });

  it.each([
    ['REST', false, 0],
    ['REST', true, 1],
    ['HTTP', false, 0],
    ['HTTP', true, 0],
  ])('W1.3 api_type=%s, enable_waf=%s: %i web ACL (an HTTP API cannot have one)', (apiType, enableWaf, count) => {
    for (const [type, name] of [['aws_wafv2_web_acl', 'tasks'], ['aws_wafv2_web_acl_association', 'stage']] as const) {
      expect(instanceKeys(tf, type, name, { api_type: apiType, enable_waf: enableWaf })).toHaveLength(count);
    }
  });
});

const terraform = terraformBinary();
describe(`I14.2 terraform fmt -check -recursive, which needs only the binary (${terraform ?? 'terraform is not on this machine: not checked here'})`, () => {
  it('the configuration is in canonical format', () => {
    if (!terraform) {
      // Stated, not hidden: fmt needs only the binary, which no reachable registry provides (I14.1).
      expect(terraformBinary()).toBeUndefined();
      return;
    }
    const result = spawnSync(terraform, ['fmt', '-check', '-recursive', '-diff', TERRAFORM_DIR], { encoding: 'utf8' });
    expect(result.stdout).toBe('');
    expect(result.status).toBe(0);
  });

  it('fmt -check notices a file that is not formatted (the check can fail)', () => {
    if (!terraform) {
      expect(terraformBinary()).toBeUndefined();
      return;
    }
    const result = spawnSync(terraform, ['fmt', '-check', '-'], { input: 'resource "a" "b" {\n x=1\n}\n', encoding: 'utf8' });
    expect(result.status).not.toBe(0);
    expect(execFileSync(terraform, ['fmt', '-'], { input: 'resource "a" "b" {\n x=1\n}\n', encoding: 'utf8' })).toContain('  x = 1');
  });
});

type Obj = { [key: string]: Json };

/** Each instance of a resource with these variables: [its for_each key or count index, its body evaluated with `names`]. */
function evaluatedInstances(type: string, name: string, vars: Record<string, Json> = {}, names: Record<string, Json> = {}): [string, Obj][] {
  const body = resource(type, name);
  const evaluate = evaluatorFor(tf, vars, names);
  const set = 'for_each' in body ? (evaluate(body.for_each) as Obj) : undefined;
  return instanceKeys(tf, type, name, vars).map((key) => {
    const bound: Record<string, Json> = set ? { each: { key: String(key), value: set[String(key)] as Json } } : { count: { index: key } };
    return [String(key), evaluate(body, bound) as Obj];
  });
}

describe('I12.2 with `body`, the REST API\'s resources, methods and integrations are the body\'s only', () => {
  it.each([
    'aws_api_gateway_resource',
    'aws_api_gateway_method',
    'aws_api_gateway_method_response',
    'aws_api_gateway_integration',
    'aws_api_gateway_integration_response',
    'aws_api_gateway_gateway_response',
    'aws_api_gateway_model',
    'aws_api_gateway_request_validator',
    'aws_api_gateway_authorizer',
  ])('no %s (a PutRestApi of the body would overwrite it)', (type) => {
    // Assess
    expect(tf.resource[type]).toBeUndefined();
  });

  it.each(['all', 'health'])('[AMBIGUOUS, chosen: kept] method settings %s are stage settings the body does not carry, set on the stage resource', (name) => {
    // Act
    const settings = resource('aws_api_gateway_method_settings', name);
    // Assess
    expect(settings).toMatchObject({ rest_api_id: '${aws_api_gateway_rest_api.task_api[0].id}', stage_name: '${aws_api_gateway_stage.task_api[0].stage_name}' });
    expect(JSON.stringify(readContract())).not.toMatch(/throttlingRateLimit|loggingLevel|cachingEnabled|metricsEnabled/);
  });
});

describe('I12.3 a Lambda permission\'s source ARN is the API\'s execution_arn followed by the route', () => {
  const EXECUTION_ARN = 'arn:aws:execute-api:eu-west-1:123456789012:a1b2c3d4e5';
  /** execute-api ARN + `/<stage>/<METHOD>/<path>` (any part may be `*`) or `/authorizers/*`. */
  const ROUTE_ARN = /^arn:aws:execute-api:[a-z0-9-]+:\d{12}:[a-z0-9]+\/(authorizers\/\*|(\*|[A-Za-z0-9_-]+)\/(\*|GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS)\/[^/].*)$/;
  /** The two APIs' `[*].execution_arn`, each with one element per instance its `count` gives. */
  const executionArns = (apiType: string): Record<string, Json> => ({
    'aws_api_gateway_rest_api.task_api[*].execution_arn': instanceKeys(tf, 'aws_api_gateway_rest_api', 'task_api', { api_type: apiType }).map(() => EXECUTION_ARN),
    'aws_apigatewayv2_api.task_api[*].execution_arn': instanceKeys(tf, 'aws_apigatewayv2_api', 'task_api', { api_type: apiType }).map(() => EXECUTION_ARN),
  });

  it.each(['REST', 'HTTP'])('api_type=%s: every source_arn is the deployed API\'s execution_arn + /<stage>/<METHOD>/<path> or /authorizers/*', (apiType) => {
    // Act
    const permissions = evaluatedInstances('aws_lambda_permission', 'api', { api_type: apiType }, executionArns(apiType));
    // Assess
    expect(permissions.length).toBeGreaterThan(5);
    for (const [key, permission] of permissions) {
      expect(permission.source_arn, key).toBe(`${EXECUTION_ARN}/${key}`);
      expect(permission.source_arn, key).toMatch(ROUTE_ARN);
    }
  });

  it('the API\'s execution_arn, never its arn (the management ARN, arn:aws:apigateway:...::/restapis/id) or id', () => {
    // Assess
    expect([...String(tf.locals.api_execution_arn).matchAll(/\b(aws_[a-z0-9_]+)\.task_api\[\*\]\.([a-z_]+)/g)].map((m) => `${m[1]}.${m[2]}`)).toEqual([
      'aws_api_gateway_rest_api.execution_arn',
      'aws_apigatewayv2_api.execution_arn',
    ]);
    expect(String(resource('aws_lambda_permission', 'api').source_arn)).toBe('${local.api_execution_arn}/${each.key}');
  });

  it.each([
    [`${EXECUTION_ARN}/*/GET/tasks`, true],
    [`${EXECUTION_ARN}/v1/DELETE/tasks/*`, true],
    [`${EXECUTION_ARN}/authorizers/*`, true],
    [`${EXECUTION_ARN}/GET/tasks`, false],
    [`${EXECUTION_ARN}//*/GET/tasks`, false],
    [`${EXECUTION_ARN}/*/FETCH/tasks`, false],
    ['arn:aws:apigateway:eu-west-1::/restapis/a1b2c3d4e5/*/GET/tasks', false],
  ])('the neighbours: %s is a route ARN: %s', (arn, ok) => {
    // Assess
    expect(ROUTE_ARN.test(arn)).toBe(ok);
  });
});

describe('I12.8 the stage: documented arguments, access logs with the request id, the account role', () => {
  const STAGE_ARGUMENTS = ['rest_api_id', 'deployment_id', 'stage_name', 'description', 'variables', 'cache_cluster_enabled', 'cache_cluster_size', 'xray_tracing_enabled', 'access_log_settings', 'client_certificate_id', 'documentation_version', 'canary_settings', 'tags'];
  const META_ARGUMENTS = ['count', 'for_each', 'depends_on', 'lifecycle', 'provider'];

  it('uses only arguments of aws_api_gateway_stage; access_log_settings has destination_arn and format only', () => {
    // Act
    const stage = resource('aws_api_gateway_stage', 'task_api');
    // Assess
    expect(Object.keys(stage).filter((k) => ![...STAGE_ARGUMENTS, ...META_ARGUMENTS].includes(k))).toEqual([]);
    expect(stage.rest_api_id).toBe('${aws_api_gateway_rest_api.task_api[0].id}');
    expect(Object.keys(block(stage, 'access_log_settings')).sort()).toEqual(['destination_arn', 'format']);
  });

  it.each([
    [false, false, null],
    [true, true, '0.5'],
  ])('enable_caching=%s: cache_cluster_enabled %s, cache_cluster_size %j', (enableCaching, enabled, size) => {
    // Act
    const [[, stage]] = evaluatedInstances('aws_api_gateway_stage', 'task_api', { enable_caching: enableCaching }) as [[string, Obj]];
    // Assess
    expect(stage).toMatchObject({ cache_cluster_enabled: enabled, cache_cluster_size: size, xray_tracing_enabled: true, stage_name: 'v1' });
    expect(JSON.parse(String((stage.access_log_settings as Obj[])[0]?.format))).toMatchObject({ requestId: '$context.requestId' });
  });

  it('CloudWatch access logs need the account-level role: aws_api_gateway_account exists with the stage, which depends on it', () => {
    // Assess
    expect(resource('aws_api_gateway_account', 'this')).toMatchObject({ count: '${local.rest_api ? 1 : 0}', cloudwatch_role_arn: '${aws_iam_role.api_gateway_cloudwatch[0].arn}' });
    expect(resource('aws_api_gateway_stage', 'task_api').depends_on).toEqual(['${aws_api_gateway_account.this}']);
  });

  it('its exported arn is the web ACL\'s resource_arn, its invoke_url the api_url output', () => {
    // Assess
    expect(resource('aws_wafv2_web_acl_association', 'stage').resource_arn).toBe('${aws_api_gateway_stage.task_api[0].arn}');
    expect(String(tf.output.api_url?.value)).toContain('aws_api_gateway_stage.task_api[*].invoke_url');
  });
});

describe('I12.10 usage plans: every plan on the stage, limits and quota, keys, throttle paths', () => {
  const contractPaths = readContract().paths as Obj;
  /** Why `path` is not a usage plan throttle path of the contract ("/<resource path>/<METHOD>"), or undefined. */
  const throttlePathProblem = (path: string): string | undefined => {
    const m = /^(\/.*)\/(GET|POST|PUT|DELETE|PATCH|HEAD|OPTIONS|\*)$/.exec(path);
    if (!m) return 'not /<resource path>/<METHOD>';
    const [, resourcePath, method] = m as unknown as [string, string, string];
    const item = contractPaths[resourcePath] as Obj | undefined;
    if (!item || (method !== '*' && !(method.toLowerCase() in item))) return 'no such operation in the contract';
    return undefined;
  };
  const NAMES: Record<string, Json> = { 'aws_api_gateway_rest_api.task_api[0].id': '<rest api id>', 'aws_api_gateway_stage.task_api[0].stage_name': '<stage name>' };
  const plans = (): [string, Obj][] => evaluatedInstances('aws_api_gateway_usage_plan', 'plan', {}, NAMES);

  it('there are two plans, basic and premium', () => {
    expect(plans().map(([key]) => key)).toEqual(['basic', 'premium']);
  });

  it.each([
    ['basic', 100, 50, 10_000],
    ['premium', 500, 250, 1_000_000],
  ])('%s: on the REST API stage, burst %i, rate %i, %i requests a MONTH, every throttle path an operation of the contract', (key, burst, rate, quota) => {
    // Act
    const plan = Object.fromEntries(plans())[key] as Obj;
    const apiStages = plan.api_stages as Obj[];
    // Assess
    expect(apiStages.map(({ throttle: _, ...stage }) => stage)).toEqual([{ api_id: '<rest api id>', stage: '<stage name>' }]);
    expect(plan.throttle_settings).toEqual([{ burst_limit: burst, rate_limit: rate }]);
    expect(plan.quota_settings).toEqual([{ limit: quota, period: 'MONTH' }]);
    const throttles = apiStages.flatMap((s) => (s.throttle ?? []) as Obj[]);
    expect(throttles.map((t) => [t.path, throttlePathProblem(String(t.path))]).filter(([, problem]) => problem)).toEqual([]);
  });

  it.each([
    ['/tasks/GET', undefined],
    ['/tasks/{taskId}/PUT', undefined],
    ['/admin/users/{userId}/tasks/*', undefined],
    ['tasks/GET', 'not /<resource path>/<METHOD>'],
    ['/tasks/FETCH', 'not /<resource path>/<METHOD>'],
    ['/tasks/PATCH', 'no such operation in the contract'],
    ['/nothing/GET', 'no such operation in the contract'],
  ])('the neighbours: throttle path %s: %s', (path, problem) => {
    expect(throttlePathProblem(path)).toBe(problem);
  });

  it('each plan has its own enabled API key, bound by an API_KEY usage plan key', () => {
    // Act
    const keys = evaluatedInstances('aws_api_gateway_usage_plan_key', 'key');
    // Assess
    expect(keys.map(([key]) => key)).toEqual(['basic', 'premium']);
    expect(resource('aws_api_gateway_usage_plan_key', 'key')).toMatchObject({
      key_type: 'API_KEY',
      key_id: '${aws_api_gateway_api_key.key[each.key].id}',
      usage_plan_id: '${aws_api_gateway_usage_plan.plan[each.key].id}',
    });
    expect(evaluatedInstances('aws_api_gateway_api_key', 'key').map(([, k]) => k.enabled)).toEqual([true, true]);
  });
});

describe('I12.12 the Cognito authorizer of the body gets the user pool\'s ARN', () => {
  const cognitoAuthorizers = (): [string, Obj][] => {
    const schemes = ((JSON.parse(readFileSync(TERRAFORM_BODY_PATH, 'utf8')) as Obj).components as Obj).securitySchemes as Obj;
    return Object.entries(schemes)
      .map(([name, scheme]): [string, Obj] => [name, ((scheme as Obj)['x-amazon-apigateway-authorizer'] ?? {}) as Obj])
      .filter(([, authorizer]) => authorizer.type === 'cognito_user_pools');
  };

  it('the body has one cognito_user_pools authorizer', () => {
    expect(cognitoAuthorizers().map(([name]) => name)).toEqual(['CognitoUserPool']);
  });

  it.each(cognitoAuthorizers())('%s: providerARNs are template variables given aws_cognito_user_pool.<pool>.arn', (_, authorizer) => {
    // Act
    const references = evaluatorFor(tf)(tf.locals.contract_references) as Obj;
    const providers = (authorizer.providerARNs as string[]).map((arn) => references[(/^\$\{(\w+)\}$/.exec(arn) ?? [])[1] ?? '']);
    // Assess
    expect(providers).toEqual(['<tf:aws_cognito_user_pool.users.arn>']);
    expect(resource('aws_cognito_user_pool', 'users')).toBeDefined();
    expect(resource('aws_cognito_user_pool_client', 'web').user_pool_id).toBe('${aws_cognito_user_pool.users.id}');
  });
});
