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
import { loadTerraform } from './support/terraform.js';

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

let sam: Facts;
let cdk: Facts;
let terraform: Facts;
let inlinedSam: CfnTemplate;

beforeAll(async () => {
  const { inlined, translated } = translatedSamTemplate();
  inlinedSam = inlined;
  sam = cfnFacts(translated, { name: (id) => id, ...defaultsOf(translated) });
  // The CDK stack with its defaults, and with the WAF switch on for the web ACL (off by default, as in SAM).
  const base = await synthesize();
  const withWaf = await synthesize({ enableWaf: true });
  cdk = { ...cfnFacts(base.json, { name: base.name, params: {}, conditions: {} }), waf: cfnFacts(withWaf.json, { name: withWaf.name, params: {}, conditions: {} }).waf };
  terraform = terraformFacts(await loadTerraform());
}, 600_000);

const FACTS: (keyof Facts)[] = ['body', 'endpointTypes', 'stage', 'plans', 'apiKeys', 'functions', 'permissions', 'tables', 'userPool', 'userPoolClient', 'secrets', 'waf'];

describe.each(FACTS)('%s', (fact) => {
  it('CDK deploys what SAM deploys', () => {
    expect(cdk[fact]).toEqual(sam[fact]);
  });

  it('Terraform deploys what SAM deploys', () => {
    expect(terraform[fact]).toEqual(sam[fact]);
  });
});

describe('the facts are really read (a parity of empty values would prove nothing)', () => {
  it('SAM: four paths, six functions, five routes and an authorizer, two plans, two tables, three WAF rules', () => {
    expect(Object.keys((sam.body as { paths: object }).paths)).toHaveLength(4);
    expect(Object.keys(sam.functions)).toHaveLength(6);
    expect(sam.permissions).toHaveLength(6);
    expect(Object.keys(sam.plans)).toEqual(['basic', 'premium']);
    expect(Object.keys(sam.tables)).toEqual(['TasksTable', 'IdempotencyTable']);
    expect(sam.waf?.rules).toHaveLength(3);
    expect(sam.stage.methodSettings).toHaveProperty(['health/GET', 'ttl'], 60);
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
