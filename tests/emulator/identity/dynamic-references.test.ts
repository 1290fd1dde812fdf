/**
 * CloudFormation's dynamic references to the template's own secrets and parameters (identity/dynamic-references.ts):
 * replaced in the functions' environment and the WAF rules by the values the emulator holds, as a deploy fills them;
 * a reference to anything else stays as written.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { resolveDynamicReferences } from '../../../emulator/identity/dynamic-references.js';
import { secretsFromTemplate } from '../../../emulator/identity/secret-values.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { tempLocalState } from './support/fixtures.js';

const local = tempLocalState();
afterAll(() => local.cleanup());

async function load(resources: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dynamic-refs-'));
  writeFileSync(join(dir, 'app.mjs'), 'export const handler = async () => 1;\n');
  writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}`);
  return loadTemplate(join(dir, 'template.yaml'));
}

const fn = (variables: string) => `  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: nodejs20.x, Handler: app.handler, CodeUri: ., Environment: { Variables: ${variables} } }\n`;

describe('resolveDynamicReferences', () => {
  it('a key of a template secret`s JSON SecretString, by name', async () => {
    const t = await load(`  Db:\n    Type: AWS::SecretsManager::Secret\n    Properties: { Name: db-creds, SecretString: '{"user":"app","password":"s3cret"}' }\n${fn("{ PASSWORD: '{{resolve:secretsmanager:db-creds:SecretString:password}}', WHOLE: 'x-{{resolve:secretsmanager:db-creds}}' }")}`);

    resolveDynamicReferences(t, local.state);

    expect(t.functions.get('Fn')!.environment).toMatchObject({ PASSWORD: 's3cret', WHOLE: 'x-{"user":"app","password":"s3cret"}' });
  });

  it('a generated secret named by its ARN (Ref, in an Fn::Join): the value generated locally', async () => {
    const t = await load(`  Header:\n    Type: AWS::SecretsManager::Secret\n    Properties: { GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: HEADERVALUE, ExcludePunctuation: true } }\n${fn("{ HEADER: !Join ['', ['{{resolve:secretsmanager:', !Ref Header, ':SecretString:HEADERVALUE}}']] }")}`);

    resolveDynamicReferences(t, local.state);

    const generated = JSON.parse(secretsFromTemplate(t, local.state)[0]!.secretString) as { HEADERVALUE: string };
    expect(t.functions.get('Fn')!.environment.HEADER).toBe(generated.HEADERVALUE);
    expect(generated.HEADERVALUE).toMatch(/^[A-Za-z0-9]{32}$/);
  });

  it('a template parameter ({{resolve:ssm:name}}, a version too)', async () => {
    const t = await load(`  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /app/url, Type: String, Value: 'https://example.com' }\n${fn("{ URL: '{{resolve:ssm:/app/url}}', V1: '{{resolve:ssm:/app/url:1}}' }")}`);

    resolveDynamicReferences(t, local.state);

    expect(t.functions.get('Fn')!.environment).toMatchObject({ URL: 'https://example.com', V1: 'https://example.com' });
  });

  it('a reference to what the template does not hold stays as written', async () => {
    const t = await load(fn("{ OTHER: '{{resolve:secretsmanager:elsewhere:SecretString:k}}', SSM: '{{resolve:ssm:/not/here}}' }"));

    resolveDynamicReferences(t, local.state);

    expect(t.functions.get('Fn')!.environment).toMatchObject({ OTHER: '{{resolve:secretsmanager:elsewhere:SecretString:k}}', SSM: '{{resolve:ssm:/not/here}}' });
    // Never silent: each one left as written is a NOT APPLIED line of the startup report.
    expect(t.warnings?.filter((w) => w.includes('dynamic reference'))).toEqual([
      'Resources.Fn.Properties.Environment: the dynamic reference {{resolve:secretsmanager:elsewhere:SecretString:k}} names no secret or parameter of this template: it stays the text as written (CloudFormation resolves it at deploy time)',
      'Resources.Fn.Properties.Environment: the dynamic reference {{resolve:ssm:/not/here}} names no secret or parameter of this template: it stays the text as written (CloudFormation resolves it at deploy time)',
    ]);
  });

  it('neighbour: one resolved is not named in the report (a WAF rule comparing with a generated secret, in an Fn::Join)', async () => {
    const t = await load(
      `  Header:\n    Type: AWS::SecretsManager::Secret\n    Properties: { GenerateSecretString: { SecretStringTemplate: '{}', GenerateStringKey: HEADERVALUE } }\n  Acl:\n    Type: AWS::WAFv2::WebACL\n    Properties: { Scope: REGIONAL, DefaultAction: { Block: {} }, VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: m }, Rules: [{ Name: r, Priority: 0, Action: { Allow: {} }, VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: r }, Statement: { ByteMatchStatement: { SearchString: !Join ['', ['{{resolve:secretsmanager:', !Ref Header, ':SecretString:HEADERVALUE}}']], FieldToMatch: { SingleHeader: { Name: x-origin-verify } }, PositionalConstraint: EXACTLY, TextTransformations: [{ Priority: 0, Type: NONE }] } } }] }\n`,
    );

    resolveDynamicReferences(t, local.state);

    expect(JSON.stringify(t.wafResources?.[0]?.properties)).not.toContain('{{resolve:');
    expect((t.warnings ?? []).filter((w) => w.includes('dynamic reference'))).toEqual([]);
  });

  it('in a WAF rule: a header compared with a template secret', async () => {
    const t = await load(
      `  Verify:\n    Type: AWS::SecretsManager::Secret\n    Properties: { Name: verify, SecretString: '{"HEADERVALUE":"abc123"}' }\n  Acl:\n    Type: AWS::WAFv2::WebACL\n    Properties: { Scope: REGIONAL, DefaultAction: { Block: {} }, VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: m }, Rules: [{ Name: r, Priority: 0, Action: { Allow: {} }, VisibilityConfig: { SampledRequestsEnabled: false, CloudWatchMetricsEnabled: false, MetricName: r }, Statement: { ByteMatchStatement: { SearchString: '{{resolve:secretsmanager:verify:SecretString:HEADERVALUE}}', FieldToMatch: { SingleHeader: { Name: x-origin-verify } }, PositionalConstraint: EXACTLY, TextTransformations: [{ Priority: 0, Type: NONE }] } } }] }\n`,
    );

    resolveDynamicReferences(t, local.state);

    const acl = t.wafResources?.find((r) => r.logicalId === 'Acl');
    expect(JSON.stringify(acl?.properties)).toContain('"SearchString":"abc123"');
  });
});
