/**
 * One API, three deployers: the facts that decide how the Task API behaves once deployed, read from
 * the translated SAM template, the synthesized CDK template and the parsed Terraform, must be equal.
 * A change to one deployer that the others lack fails here.
 */
import { spawnSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { REPO_ROOT } from '../../infra/contract.js';
import { BUNDLE_SETTINGS } from '../../infra/bundle.js';
import { defaultsOf, resourcesOf, type CfnTemplate } from './support/cfn.js';
import { synthesize } from './support/cdk.js';
import { cfnFacts } from './support/facts-cfn.js';
import { terraformFacts } from './support/facts-terraform.js';
import type { Facts } from './support/facts.js';
import { loadTerraform, type TerraformConfig } from './support/terraform.js';

/** template.yaml with the contract inlined, through the SAM translator, offline (as `npm run validate` does). */
function translatedSamTemplate(): { inlined: CfnTemplate; translated: CfnTemplate } {
  const script = [
    'import json, sys',
    "sys.path.insert(0, 'scripts')",
    'import validate_template as v',
    "t = v.to_plain(v.load('template.yaml'))",
    'v.inline_includes(t)',
    't = v.to_plain(t)',
    'inlined = json.loads(json.dumps(t))',
    "print(json.dumps({'inlined': inlined, 'translated': v.translate(v.with_s3_code(t))}))",
  ].join('\n');
  const run = spawnSync('python3', ['-c', script], { cwd: REPO_ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`SAM translation failed: ${run.stderr}`);
  const lines = run.stdout.trim().split('\n');
  return JSON.parse(lines[lines.length - 1] as string) as { inlined: CfnTemplate; translated: CfnTemplate };
}

type ApiType = 'REST' | 'HTTP';
type Deployer = 'SAM' | 'CDK' | 'Terraform';
/** What each deployer deployed, per API variant (the web ACL read with the WAF switch on). */
const facts: Record<ApiType, Partial<Record<Deployer, Facts>>> = { REST: {}, HTTP: {} };
let inlinedSam: CfnTemplate;
let tf: TerraformConfig;

beforeAll(async () => {
  const { inlined, translated } = translatedSamTemplate();
  inlinedSam = inlined;
  tf = await loadTerraform();
  for (const apiType of ['REST', 'HTTP'] as const) {
    const samWith = (overrides: Record<string, string>): Facts => cfnFacts(translated, { name: (id) => id, ...defaultsOf(translated, { ApiType: apiType, ...overrides }) });
    facts[apiType].SAM = { ...samWith({}), waf: samWith({ EnableWaf: 'true' }).waf };
    facts[apiType].Terraform = { ...terraformFacts(tf, { api_type: apiType }), waf: terraformFacts(tf, { api_type: apiType, enable_waf: true }).waf };
  }
  // The CDK stack deploys the REST API only (its HTTP variant is not built): with its defaults, and with the WAF switch on.
  const base = await synthesize();
  const withWaf = await synthesize({ enableWaf: true });
  facts.REST.CDK = { ...cfnFacts(base.json, { name: base.name, params: {}, conditions: {} }), waf: cfnFacts(withWaf.json, { name: withWaf.name, params: {}, conditions: {} }).waf };
}, 600_000);

/** The facts compared, declared once for both API variants. */
const FACTS: (keyof Facts)[] = ['body', 'endpointTypes', 'stage', 'plans', 'apiKeys', 'functions', 'permissions', 'tables', 'userPool', 'userPoolClient', 'secrets', 'waf'];
/** template.yaml's ApiType, and the deployers that deploy that variant besides SAM. */
const VARIANTS: [ApiType, Deployer[]][] = [
  ['REST', ['CDK', 'Terraform']],
  ['HTTP', ['Terraform']],
];

describe.each(VARIANTS)('ApiType=%s', (apiType, deployers) => {
  describe.each(FACTS)('%s', (fact) => {
    it.each(deployers)('%s deploys what SAM deploys', (deployer) => {
      expect(facts[apiType][deployer]?.[fact]).toEqual(facts[apiType].SAM?.[fact]);
    });
  });
});

describe('the facts are really read (a parity of empty values would prove nothing)', () => {
  it('SAM, REST: four paths, six functions, five routes and an authorizer, two plans, two tables, three WAF rules', () => {
    const sam = facts.REST.SAM as Facts;
    expect(Object.keys((sam.body as { paths: object }).paths)).toHaveLength(4);
    expect(Object.keys(sam.functions)).toHaveLength(6);
    expect(sam.permissions).toHaveLength(6);
    expect(Object.keys(sam.plans)).toEqual(['basic', 'premium']);
    expect(Object.keys(sam.tables)).toEqual(['TasksTable', 'IdempotencyTable']);
    expect(sam.waf?.rules).toHaveLength(3);
    expect(sam.stage.methodSettings).toHaveProperty(['health/GET', 'ttl'], 60);
  });

  it('SAM, HTTP: four paths, eight functions, seven routes and an authorizer, no plans or keys, no WAF, stage throttling', () => {
    const sam = facts.HTTP.SAM as Facts;
    expect(Object.keys((sam.body as { paths: object }).paths)).toHaveLength(4);
    expect(Object.keys(sam.functions).sort()).toEqual([...Object.keys((facts.REST.SAM as Facts).functions), 'GetHealthFunction', 'GetTaskFunction'].sort());
    expect(sam.permissions).toHaveLength(8);
    expect(sam.plans).toEqual({});
    expect(sam.apiKeys).toEqual([]);
    expect(sam.waf).toBeNull();
    expect(sam.stage).toMatchObject({ name: 'v1', autoDeploy: true, routeSettings: { metrics: true, rate: 100, burst: 200 } });
  });

  it('SAM functions are built with the settings of the shared bundles (sam build and npm run bundle agree)', () => {
    const { conditions } = defaultsOf(inlinedSam);
    const functions = resourcesOf(inlinedSam, 'AWS::Serverless::Function').filter(([, fn]) => !fn.Condition || conditions[fn.Condition]);
    expect(functions).toHaveLength(6);
    for (const [id, fn] of functions) {
      const build = (fn.Metadata?.BuildProperties ?? {}) as Record<string, unknown>;
      expect(fn.Metadata?.BuildMethod, id).toBe('esbuild');
      expect({
        format: String(build.Format).toLowerCase(),
        outExtension: Object.fromEntries((build.OutExtension as string[]).map((e) => e.split('='))),
        target: build.Target,
        minify: build.Minify,
        sourcemap: build.Sourcemap,
        banner: Object.fromEntries((build.Banner as string[]).map((b) => [b.slice(0, b.indexOf('=')), b.slice(b.indexOf('=') + 1)])),
      }).toEqual(BUNDLE_SETTINGS);
    }
  });
});

type Block = Record<string, unknown>;
const only = (blocks: unknown): Block => (blocks as Block[])[0] as Block;

describe('ApiType=HTTP: a change to Terraform that SAM lacks is a difference (the comparison can fail)', () => {
  it.each<[string, keyof Facts, (c: TerraformConfig) => void]>([
    ['stage burst limit', 'stage', (c) => void (only(c.resource.aws_apigatewayv2_stage?.task_api?.default_route_settings).throttling_burst_limit = 1)],
    ['no auto-deploy', 'stage', (c) => void ((c.resource.aws_apigatewayv2_stage?.task_api as Block).auto_deploy = false)],
    ['a route without its permission', 'permissions', (c) => void delete (c.locals.http_api_lambda_routes as Block)['*/GET/tasks/*']],
    ['a JWT audience of another client', 'body', (c) => void (c.locals.http_api_references = String(c.locals.http_api_references).replace('_client.web.id', '_client.other.id'))],
    ['getHealth with the default memory', 'functions', (c) => void (((c.locals.all_functions as Block).GetHealthFunction as Block).memory_size = 512)],
    ['the REST body on the HTTP API', 'body', (c) => void (c.locals.http_api_body = String(c.locals.http_api_body).replace('http-api.gen.json.tftpl', 'openapi.gen.json.tftpl'))],
  ])('%s', (_, fact, change) => {
    const changed = structuredClone(tf);
    change(changed);
    expect(terraformFacts(changed, { api_type: 'HTTP' })[fact]).not.toEqual(facts.HTTP.SAM?.[fact]);
    expect(facts.HTTP.Terraform?.[fact]).toEqual(facts.HTTP.SAM?.[fact]);
  });
});
