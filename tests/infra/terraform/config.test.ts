/** infra/terraform parsed offline (I14.3–I14.4): resources, references, variables, permissions, deployment triggers, format. */
import { execFileSync, spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseCfnYaml } from '../../../emulator/template/cfn-yaml.js';
import { handlerNames } from '../../../infra/bundle.js';
import { lambdaPermissions, readContract, REPO_ROOT } from '../../../infra/contract.js';
import { renderTerraformBody } from '../../../infra/terraform-body.js';
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
describe(`terraform fmt -check -recursive (${terraform ?? 'terraform is not on this machine: not checked here'})`, () => {
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
