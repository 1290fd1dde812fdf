/** `npm run cdk:synth` (infra/cdk/synth.ts): offline, no account, with CDK's CloudFormation validation and cdk-nag. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { App, Stack } from 'aws-cdk-lib';
import * as ec2 from 'aws-cdk-lib/aws-ec2';
import * as ssm from 'aws-cdk-lib/aws-ssm';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from '../../../infra/contract.js';
import { FUNCTION_DEFS } from '../../../infra/cdk/functions.js';
import { synthToDir } from '../../../infra/cdk/synth.js';
import { resourcesOf, type CfnTemplate } from '../support/cfn.js';
import { CDK_DIR, sourceLinesMatching } from '../support/cdk.js';

let templatePath: string;
let template: CfnTemplate;

beforeAll(async () => {
  // The slow, complete synth (schema validation included), once; the other CDK tests skip the schema pass.
  templatePath = await synthToDir(mkdtempSync(join(tmpdir(), 'task-api-cdk-out-')));
  template = JSON.parse(readFileSync(templatePath, 'utf8')) as CfnTemplate;
}, 600_000);

describe('I10 cdk synth with no AWS account', () => {
  it('writes TaskApi.template.json for an unknown account and region', () => {
    expect(templatePath.endsWith('/TaskApi.template.json')).toBe(true);
    const manifest = JSON.parse(readFileSync(join(dirname(templatePath), 'manifest.json'), 'utf8')) as { artifacts: Record<string, { environment?: string }> };
    expect(manifest.artifacts.TaskApi?.environment).toBe('aws://unknown-account/unknown-region');
  });

  it('is plain CloudFormation a local gateway can read: a RestApi with an inline Body, no SAM transform', () => {
    expect((template as { Transform?: unknown }).Transform).toBeUndefined();
    const apis = resourcesOf(template, 'AWS::ApiGateway::RestApi');
    expect(apis).toHaveLength(1);
    expect(apis[0]?.[1].Properties?.Body).toMatchObject({ openapi: '3.0.3' });
  });

  it.each(FUNCTION_DEFS.map((d) => [d.id, d.source]))('%s: its asset folder in cdk.out holds the %s bundle and source map', (id, source) => {
    const [, fn] = resourcesOf(template, 'AWS::Lambda::Function').find(([logicalId]) => logicalId.startsWith(id)) ?? [];
    const assetPath = fn?.Metadata?.['aws:asset:path'];
    expect(typeof assetPath).toBe('string');
    const folder = join(dirname(templatePath), String(assetPath));
    expect(existsSync(join(folder, `${source}.mjs`))).toBe(true);
    expect(existsSync(join(folder, `${source}.mjs.map`))).toBe(true);
  });
});

const readJson = <T>(path: string): T => JSON.parse(readFileSync(path, 'utf8')) as T;
interface AssetManifest {
  files: Record<string, { source: { path: string; packaging?: string }; destinations: Record<string, { bucketName: string }> }>;
  dockerImages?: Record<string, unknown>;
}
const assetManifest = (): AssetManifest => readJson<AssetManifest>(join(dirname(templatePath), 'TaskApi.assets.json'));

describe('I10.2 no context lookups', () => {
  it('the cloud assembly asks for no context value (its manifest has no "missing" entry)', () => {
    // Act
    const manifest = readJson<{ missing?: unknown[] }>(join(dirname(templatePath), 'manifest.json'));
    // Assess
    expect(manifest.missing).toBeUndefined();
  });

  it('infra/cdk calls no lookup, and keeps no context of its own (no cdk.context.json, no "context" in cdk.json)', () => {
    // Assess
    expect(sourceLinesMatching(/\b(fromLookup|valueFromLookup|LookupMachineImage|ContextProvider)\b|\.lookup\(/)).toEqual([]);
    expect(existsSync(join(CDK_DIR, 'cdk.context.json'))).toBe(false);
    expect(readJson<{ context?: unknown }>(join(CDK_DIR, 'cdk.json')).context).toBeUndefined();
  });

  it.each<[string, (stack: Stack) => unknown]>([
    ['ec2.Vpc.fromLookup', (stack) => ec2.Vpc.fromLookup(stack, 'Vpc', { isDefault: true })],
    ['ssm.StringParameter.valueFromLookup', (stack) => ssm.StringParameter.valueFromLookup(stack, '/task-api/x')],
  ])('the neighbour: %s in an environment-agnostic stack throws (no account or region to look up in)', (_, lookup) => {
    // Prepare
    const stack = new Stack(new App({ builtinCloudFormationValidation: false }), 'Neighbour');
    // Act, Assess
    expect(() => lookup(stack)).toThrow(/Cannot retrieve value from context provider .* since account\/region are not specified/);
  });
});

describe('I10.3 the functions are bundled by the local esbuild, never in Docker', () => {
  it('esbuild is a devDependency and loads here', () => {
    // Act
    const pkg = readJson<{ devDependencies: Record<string, string>; dependencies?: Record<string, string> }>(join(REPO_ROOT, 'package.json'));
    // Assess
    expect(pkg.devDependencies.esbuild).toEqual(expect.any(String));
    expect(pkg.dependencies?.esbuild).toBeUndefined();
    expect(esbuild.version).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('no NodejsFunction or bundling option in infra/cdk, and the assembly has no Docker image asset', () => {
    // Assess
    expect(sourceLinesMatching(/aws-lambda-nodejs|NodejsFunction|DockerImage|\bbundling\s*:/)).toEqual([]);
    expect(assetManifest().dockerImages ?? {}).toEqual({});
  });
});

describe('I10.5 synth needs no account; publishing the assets is cdk deploy\'s (bootstrap, an account)', () => {
  it('every asset is staged in the output folder: one zip folder per function, and the template', () => {
    // Act
    const files = Object.values(assetManifest().files);
    // Assess
    expect(files.filter((f) => f.source.packaging === 'zip')).toHaveLength(FUNCTION_DEFS.length);
    for (const f of files) expect(existsSync(join(dirname(templatePath), f.source.path)), f.source.path).toBe(true);
  });

  it("each asset's destination is the bootstrap bucket of an account and region that only deploy resolves", () => {
    // Act
    const destinations = Object.values(assetManifest().files).flatMap((f) => Object.values(f.destinations));
    // Assess
    expect(destinations.length).toBeGreaterThan(0);
    for (const d of destinations) expect(d.bucketName).toMatch(/^cdk-[a-z0-9]+-assets-\$\{AWS::AccountId\}-\$\{AWS::Region\}$/);
    expect((template as { Parameters?: Record<string, unknown> }).Parameters).toHaveProperty('BootstrapVersion');
  });
});
