/** `npm run cdk:synth` (infra/cdk/synth.ts): offline, no account, with CDK's CloudFormation validation and cdk-nag. */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { FUNCTION_DEFS } from '../../../infra/cdk/functions.js';
import { synthToDir } from '../../../infra/cdk/synth.js';
import { resourcesOf, type CfnTemplate } from '../support/cfn.js';

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
