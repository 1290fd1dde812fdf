/**
 * infra/terraform's HTTP API variant (api_type = "HTTP", template.yaml's ApiType=HTTP) parsed offline:
 * the switch, the imported body and what it carries (routes, payload format, authorizers, CORS), the
 * stage, the per-route permissions and the output (I13.1–I13.3, H1.8).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { lambdaPermissions, lambdaRoutes, REPO_ROOT, type Json } from '../../../infra/contract.js';
import { HTTP_API_DEFINITION_PATH } from '../../../infra/http-api-definition.js';
import { renderTerraformBody, TERRAFORM_HTTP_API_BODY_PATH } from '../../../infra/terraform-body.js';
import { evaluatorFor, firstBlock as block, instanceKeys, loadTerraform, resourceOf, type TerraformConfig } from '../support/terraform.js';

type Obj = { [key: string]: Json };
type Block = Record<string, unknown>;

let tf: TerraformConfig;
beforeAll(async () => {
  tf = await loadTerraform();
}, 60_000);

const resource = (type: string, name: string): Block => resourceOf(tf, type, name);
/** The HTTP API definition SAM deploys (openapi/http-api.gen.json), with its intrinsics. */
const samDefinition = (): Obj => JSON.parse(readFileSync(HTTP_API_DEFINITION_PATH, 'utf8')) as Obj;
/** The Terraform template rendered with each variable as `<name>`, so that what fills each place shows. */
const renderedTemplate = (): Obj => {
  const { template, variables } = renderTerraformBody(samDefinition());
  const symbolic = template.replace(/(?<!\$)\$\{(\w+)\}/g, (whole, name: string) => (variables.includes(name) ? `<${name}>` : whole)).replaceAll('$${', '${');
  return JSON.parse(symbolic) as Obj;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];
const operations = (doc: Obj): [string, Obj][] =>
  Object.entries(doc.paths as Obj).flatMap(([path, item]) =>
    Object.entries(item as Obj)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]): [string, Obj] => [`${method.toUpperCase()} ${path}`, op as Obj]),
  );

describe('the api_type switch (template.yaml: ApiType)', () => {
  it('a variable, REST by default, validated to REST or HTTP', () => {
    expect(tf.variable.api_type).toMatchObject({ type: '${string}', default: 'REST' });
    expect(tf.locals).toMatchObject({ rest_api: '${var.api_type == "REST"}', http_api: '${var.api_type == "HTTP"}' });
  });

  it.each([
    ['REST', true],
    ['HTTP', true],
    ['rest', false],
    ['WEBSOCKET', false],
    ['', false],
  ])('the validation accepts %j: %s', (value, accepted) => {
    const [validation] = tf.variable.api_type?.validation as Block[];
    expect(evaluatorFor(tf, { api_type: value })((validation as Block).condition)).toBe(accepted);
  });

  /** [type, name, instances with REST, instances with HTTP]: every resource of the configuration. */
  const INSTANCES: [string, string, number, number][] = [
    ['aws_api_gateway_rest_api', 'task_api', 1, 0],
    ['aws_api_gateway_deployment', 'task_api', 1, 0],
    ['aws_api_gateway_stage', 'task_api', 1, 0],
    ['aws_api_gateway_method_settings', 'all', 1, 0],
    ['aws_api_gateway_method_settings', 'health', 1, 0],
    ['aws_api_gateway_account', 'this', 1, 0],
    ['aws_iam_role', 'api_gateway_cloudwatch', 1, 0],
    ['aws_iam_role_policy_attachment', 'api_gateway_cloudwatch', 1, 0],
    ['aws_iam_role', 'api_gateway_tasks_read', 1, 0],
    ['aws_iam_role_policy', 'api_gateway_tasks_read', 1, 0],
    ['aws_api_gateway_usage_plan', 'plan', 2, 0],
    ['aws_api_gateway_api_key', 'key', 2, 0],
    ['aws_api_gateway_usage_plan_key', 'key', 2, 0],
    ['aws_lambda_permission', 'api', 6, 8],
    ['aws_wafv2_web_acl', 'tasks', 0, 0],
    ['aws_wafv2_web_acl_association', 'stage', 0, 0],
    ['aws_apigatewayv2_api', 'task_api', 0, 1],
    ['aws_apigatewayv2_stage', 'task_api', 0, 1],
    ['aws_lambda_function', 'handler', 6, 8],
    ['aws_iam_role', 'function', 6, 8],
    ['aws_iam_role_policy_attachment', 'function_logs', 6, 8],
    ['aws_iam_role_policy_attachment', 'function_tracing', 6, 8],
    ['aws_iam_role_policy', 'function_data', 6, 7],
    ['aws_cloudwatch_log_group', 'api_access', 1, 1],
    ['aws_dynamodb_table', 'tasks', 1, 1],
    ['aws_dynamodb_table', 'idempotency', 1, 1],
    ['aws_cognito_user_pool', 'users', 1, 1],
    ['aws_cognito_user_pool_client', 'web', 1, 1],
    ['aws_secretsmanager_secret', 'signing_key', 2, 2],
    ['aws_secretsmanager_secret_version', 'signing_key', 2, 2],
  ];

  it('the table below names every resource of the configuration', () => {
    const declared = Object.entries(tf.resource).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
    expect(INSTANCES.map(([type, name]) => `${type}.${name}`).sort()).toEqual(declared.sort());
  });

  it.each(INSTANCES)('%s.%s: %i with REST (as before the HTTP variant), %i with HTTP', (type, name, rest, http) => {
    expect(instanceKeys(tf, type, name)).toHaveLength(rest);
    expect(instanceKeys(tf, type, name, { api_type: 'REST' })).toHaveLength(rest);
    expect(instanceKeys(tf, type, name, { api_type: 'HTTP' })).toHaveLength(http);
  });
});

describe('I13.1 the HTTP API: aws_apigatewayv2_api whose body is the generated template', () => {
  it('protocol HTTP, body = the rendered http-api.gen.json.tftpl, rendered only when selected', () => {
    expect(resource('aws_apigatewayv2_api', 'task_api')).toMatchObject({ count: '${local.http_api ? 1 : 0}', protocol_type: 'HTTP', body: '${local.http_api_body}' });
    expect(tf.locals.http_api_body).toBe(
      '${local.http_api ? templatefile("${path.module}/http-api.gen.json.tftpl", merge(local.http_api_references, local.function_arn_references)) : null}',
    );
  });

  it('the template is what the generator makes from openapi/http-api.gen.json now (the file SAM deploys)', () => {
    expect(readFileSync(TERRAFORM_HTTP_API_BODY_PATH, 'utf8')).toBe(renderTerraformBody(samDefinition()).template);
  });

  it('the variables given are exactly those the template uses: its references plus one ARN per HTTP API function', () => {
    const functions = Object.keys(evaluatorFor(tf, { api_type: 'HTTP' })('${local.functions}') as object);
    const given = [...Object.keys(evaluatorFor(tf, { api_type: 'HTTP' })(tf.locals.http_api_references) as object), ...functions.map((f) => `${f}_Arn`)].sort();
    expect(given).toEqual(renderTerraformBody(samDefinition()).variables);
  });

  it('routes, integrations and authorizers come from the body only: no aws_apigatewayv2_route, _integration or _authorizer', () => {
    // API Gateway does not support an imported OpenAPI definition mixed with separately managed routes.
    for (const type of ['aws_apigatewayv2_route', 'aws_apigatewayv2_integration', 'aws_apigatewayv2_authorizer', 'aws_apigatewayv2_deployment']) {
      expect(tf.resource[type], type).toBeUndefined();
    }
  });
});

describe('I13.2a integrations: Lambda proxy with the payload format version of the SAM variant', () => {
  it('every operation of the SAM variant is in the Terraform body, and only those', () => {
    expect(operations(renderedTemplate()).map(([route]) => route)).toEqual(operations(samDefinition()).map(([route]) => route));
    expect(operations(renderedTemplate())).toHaveLength(7);
  });

  it.each(operations(renderedTemplate()))('%s', (route, op) => {
    const sam = Object.fromEntries(operations(samDefinition()))[route] as Obj;
    const integration = op['x-amazon-apigateway-integration'] as Obj;
    const fn = lambdaRoutes(samDefinition()).find((r) => `${r.method} ${r.path}` === route)?.functionName;
    expect(integration).toMatchObject({ type: 'aws_proxy', httpMethod: 'POST', payloadFormatVersion: '1.0' });
    expect(integration.payloadFormatVersion).toBe((sam['x-amazon-apigateway-integration'] as Obj).payloadFormatVersion);
    expect(integration.uri).toBe(`arn:<AWS_Partition>:apigateway:<AWS_Region>:lambda:path/2015-03-31/functions/<${fn}_Arn>/invocations`);
    expect(Object.keys(evaluatorFor(tf, { api_type: 'HTTP' })('${local.functions}') as object)).toContain(fn);
  });
});

describe('I13.3 authorizers', () => {
  const schemes = (): Obj => (renderedTemplate().components as Obj).securitySchemes as Obj;

  it('JWT on the same user pool: issuer the pool of aws_cognito_user_pool.users, audience its web client', () => {
    expect((schemes().CognitoUserPool as Obj)['x-amazon-apigateway-authorizer']).toEqual({
      type: 'jwt',
      identitySource: '$request.header.Authorization',
      jwtConfiguration: { issuer: 'https://cognito-idp.<AWS_Region>.amazonaws.com/<UserPool>', audience: ['<UserPoolClient>'] },
    });
    expect(evaluatorFor(tf, { api_type: 'HTTP' })(tf.locals.http_api_references)).toMatchObject({
      UserPool: '<tf:aws_cognito_user_pool.users.id>',
      UserPoolClient: '<tf:aws_cognito_user_pool_client.web.id>',
    });
  });

  it('the Lambda REQUEST authorizer (payload 1.0) is the admin authorizer function, with its own permission', () => {
    expect((schemes().AdminAuthorizer as Obj)['x-amazon-apigateway-authorizer']).toMatchObject({
      type: 'request',
      authorizerPayloadFormatVersion: '1.0',
      authorizerUri: 'arn:<AWS_Partition>:apigateway:<AWS_Region>:lambda:path/2015-03-31/functions/<AdminAuthorizerFunction_Arn>/invocations',
    });
    expect((tf.locals.http_api_lambda_routes as Block)['authorizers/*']).toBe('AdminAuthorizerFunction');
  });
});

describe('H1.8 I13.2b Lambda permissions with the exact source ARN of each route', () => {
  it('one per Lambda route of the HTTP API definition and one for the authorizer, nothing wider', () => {
    const expected = lambdaPermissions(samDefinition());
    expect(Object.keys(expected)).toHaveLength(8);
    expect(tf.locals.http_api_lambda_routes).toEqual(expected);
  });

  it.each([
    ['REST', 'lambda_routes'],
    ['HTTP', 'http_api_lambda_routes'],
  ])('api_type=%s: one permission per entry of local.%s, source ARN = the deployed API execution ARN + the route', (apiType, routes) => {
    const permission = resource('aws_lambda_permission', 'api');
    expect(permission).toMatchObject({
      for_each: '${local.rest_api ? local.lambda_routes : local.http_api_lambda_routes}',
      action: 'lambda:InvokeFunction',
      principal: 'apigateway.amazonaws.com',
      function_name: '${aws_lambda_function.handler[each.value].function_name}',
      source_arn: '${local.api_execution_arn}/${each.key}',
    });
    expect(tf.locals.api_execution_arn).toBe('${one(concat(aws_api_gateway_rest_api.task_api[*].execution_arn, aws_apigatewayv2_api.task_api[*].execution_arn))}');
    expect(instanceKeys(tf, 'aws_lambda_permission', 'api', { api_type: apiType })).toEqual(Object.keys(tf.locals[routes] as object));
  });
});

describe('the stage: as SAM HttpApi stage (auto-deploy, default route throttling, access logs)', () => {
  it('named stage_name, auto-deployed, detailed metrics and the stage throttling on every route', () => {
    const stage = resource('aws_apigatewayv2_stage', 'task_api');
    expect(stage).toMatchObject({ count: '${local.http_api ? 1 : 0}', api_id: '${aws_apigatewayv2_api.task_api[0].id}', name: '${var.stage_name}', auto_deploy: true });
    expect(block(stage, 'default_route_settings')).toEqual({
      detailed_metrics_enabled: true,
      throttling_rate_limit: '${var.throttling_rate_limit}',
      throttling_burst_limit: '${var.throttling_burst_limit}',
    });
  });

  it('access logs go to the shared log group, in the SAM variant format (with $context.requestId)', () => {
    const settings = evaluatorFor(tf, { api_type: 'HTTP' })(block(resource('aws_apigatewayv2_stage', 'task_api'), 'access_log_settings')) as Obj;
    expect(settings.destination_arn).toBe('<tf:aws_cloudwatch_log_group.api_access.arn>');
    expect(JSON.parse(String(settings.format))).toMatchObject({ requestId: '$context.requestId', routeKey: '$context.routeKey', status: '$context.status' });
  });
});

describe('H9 what the provider re-applies after each import repeats the body (else drift, or CORS deleted)', () => {
  it('name, description and version are the body\'s info (the name its title, as SAM names an HttpApi)', () => {
    expect(resource('aws_apigatewayv2_api', 'task_api')).toMatchObject({
      name: '${local.http_api_definition.info.title}',
      description: '${local.http_api_definition.info.description}',
      version: '${local.http_api_definition.info.version}',
    });
    expect(tf.locals.http_api_definition).toBe('${local.http_api ? jsondecode(local.http_api_body) : null}');
    expect(Object.keys(renderedTemplate().info as Obj)).toEqual(expect.arrayContaining(['title', 'description', 'version']));
    expect(String((renderedTemplate().info as Obj).description).length).toBeLessThanOrEqual(1024);
  });

  it('cors_configuration reads every field of the body\'s x-amazon-apigateway-cors', () => {
    const cors = block(resource('aws_apigatewayv2_api', 'task_api'), 'cors_configuration');
    const fromBody = (renderedTemplate()['x-amazon-apigateway-cors'] ?? {}) as Obj;
    expect(Object.keys(fromBody).sort()).toEqual(['allowHeaders', 'allowMethods', 'allowOrigins', 'exposeHeaders', 'maxAge']);
    expect(cors).toEqual(Object.fromEntries(Object.keys(fromBody).map((k) => [k.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), `\${local.http_api_cors.${k}}`])));
    expect(tf.locals.http_api_cors).toBe('${local.http_api ? local.http_api_definition["x-amazon-apigateway-cors"] : null}');
    expect(fromBody.allowOrigins).toEqual(['<AllowedOrigin>']);
  });
});

describe('outputs', () => {
  it('api_url is the invoke URL of whichever stage is deployed; the API key ids are null on the HTTP API', () => {
    expect(tf.output.api_url?.value).toBe('${one(concat(aws_api_gateway_stage.task_api[*].invoke_url, aws_apigatewayv2_stage.task_api[*].invoke_url))}');
    expect(tf.output.basic_api_key_id?.value).toBe('${local.rest_api ? aws_api_gateway_api_key.key["basic"].id : null}');
    expect(evaluatorFor(tf, { api_type: 'HTTP' })(tf.output.premium_api_key_id?.value)).toBeNull();
  });
});

/** The regular expression of a variable's `can(regex("...", var.x))` validation, HCL escapes decoded. */
function validationRegex(variable: string): RegExp {
  const [validation] = tf.variable[variable]?.validation as Block[];
  const quoted = /regex\("((?:[^"\\]|\\.)*)"/.exec(String((validation as Block).condition))?.[1];
  if (quoted === undefined) throw new Error(`${variable}: no regex validation`);
  return new RegExp(JSON.parse(`"${quoted}"`) as string);
}

/** The source of every handler file (functions/**\/*.ts). */
function handlerSources(dir = resolve(REPO_ROOT, 'functions')): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? handlerSources(join(dir, e.name)) : e.name.endsWith('.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

describe("I13.2 the gaps of the seed's HTTP API shape, each closed or chosen (README, Terraform)", () => {
  it('(a) the payload format version is stated on every Lambda integration and authorizer, never left to a default', () => {
    // Act
    const doc = renderedTemplate();
    const integrations = operations(doc).map(([, op]) => op['x-amazon-apigateway-integration'] as Obj);
    const authorizers = Object.values((doc.components as Obj).securitySchemes as Obj)
      .map((scheme) => (scheme as Obj)['x-amazon-apigateway-authorizer'] as Obj)
      .filter((a) => a.type === 'request');
    // Assess
    expect(integrations).toHaveLength(7);
    expect(integrations.map((i) => i.payloadFormatVersion)).toEqual(integrations.map(() => '1.0'));
    expect(authorizers.map((a) => a.authorizerPayloadFormatVersion)).toEqual(['1.0']);
    // The provider's default (1.0) would apply to aws_apigatewayv2_integration resources; there are none.
    expect(tf.resource.aws_apigatewayv2_integration).toBeUndefined();
  });

  it('(a) [chosen: 1.0, not 2.0] the handlers read the REST proxy event (APIGatewayProxyEvent), which is payload 1.0; none reads the 2.0 event', () => {
    // Act
    const sources = handlerSources().join('\n');
    // Assess
    expect(sources).toMatch(/\bAPIGatewayProxyEvent\b/);
    expect(sources).not.toMatch(/APIGatewayProxyEventV2|APIGatewayProxyStructuredResultV2|\brawPath\b|\brouteKey\b/);
  });

  it.each([
    ['v1', true],
    ['prod', true],
    ['$default', false],
  ])('(c) [chosen: a named stage, as the REST API and SAM] the HTTP stage is named stage_name; %j accepted: %s', (name, accepted) => {
    // Assess
    expect(resource('aws_apigatewayv2_stage', 'task_api').name).toBe('${var.stage_name}');
    expect(resource('aws_api_gateway_stage', 'task_api').stage_name).toBe('${var.stage_name}');
    expect(validationRegex('stage_name').test(name)).toBe(accepted);
  });

  it.each([
    ['*', true],
    ['https://app.example.com', true],
    ['http://localhost:5173', true],
    ["https://a.example', 'x", false],
  ])("(d) no CORS credentials, so allowed_origin %j may be given (accepted: %s), '*' included", (origin, accepted) => {
    // Act
    const cors = block(resource('aws_apigatewayv2_api', 'task_api'), 'cors_configuration');
    // Assess
    expect(cors.allow_credentials).toBeUndefined();
    expect(renderedTemplate()['x-amazon-apigateway-cors']).not.toHaveProperty('allowCredentials');
    expect(validationRegex('allowed_origin').test(origin)).toBe(accepted);
  });
});
