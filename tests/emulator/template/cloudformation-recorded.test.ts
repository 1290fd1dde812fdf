/**
 * Template resolution checked against what CloudFormation itself answered in LocalStack's AWS-validated recordings
 * (tests/aws/services/cloudformation/engine: conditions, references, mappings). Each template here is written for
 * this test from the recorded facts; the test name names the recording.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';

async function load(text: string, parameterOverrides: Record<string, string> = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'cfn-recorded-'));
  writeFileSync(join(dir, 'template.yaml'), text);
  return loadTemplate(join(dir, 'template.yaml'), { parameterOverrides, stackName: 'rec' });
}

const outputs = async (text: string, parameterOverrides: Record<string, string> = {}) =>
  Object.fromEntries((await load(text, parameterOverrides)).stack!.outputs.map((o) => [o.key, o.value]));

describe('as CloudFormation answered LocalStack`s recorded engine tests', () => {
  it('as CloudFormation answered LocalStack`s recorded test_aws_novalue: a name that is AWS::NoValue is generated', async () => {
    const text = `Parameters:
  UseGiven: { Type: String, AllowedValues: ['yes', 'no'] }
  Given: { Type: String }
Conditions:
  Use: !Equals [!Ref UseGiven, 'yes']
Resources:
  Store: { Type: AWS::S3::Bucket, Properties: { BucketName: !If [Use, !Ref Given, !Ref AWS::NoValue] } }
Outputs:
  BucketName: { Value: !Ref Store }
`;

    expect(await outputs(text, { UseGiven: 'yes', Given: 'given-name' })).toEqual({ BucketName: 'given-name' });
    const generated = (await outputs(text, { UseGiven: 'no', Given: 'given-name' })).BucketName;
    expect(generated).toMatch(/^rec-store-[0-9a-z]+$/);
  });
});
