/** AWS::SSM::Parameter read from a template (template/ssm-parameters.ts): what CloudFormation creates, and what it refuses. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';

async function load(resources: string) {
  const dir = mkdtempSync(join(tmpdir(), 'ssm-params-'));
  writeFileSync(join(dir, 'template.yaml'), `Parameters:\n  Stage: { Type: String, Default: dev }\nResources:\n${resources}`);
  return loadTemplate(join(dir, 'template.yaml'));
}

describe('loadSsmParameters', () => {
  it.each([
    { given: 'a String with intrinsics', resource: "  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: !Sub '/app/${Stage}/url', Type: String, Value: !Sub 'https://${Stage}.example.com', Description: d }\n", want: [{ logicalId: 'P', name: '/app/dev/url', type: 'String', value: 'https://dev.example.com', description: 'd' }] },
    { given: 'a StringList given as a list', resource: '  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /l, Type: StringList, Value: [a, b] }\n', want: [{ logicalId: 'P', name: '/l', type: 'StringList', value: 'a,b' }] },
    { given: 'a number value', resource: '  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /n, Type: String, Value: 42, DataType: text }\n', want: [{ logicalId: 'P', name: '/n', type: 'String', value: '42', dataType: 'text' }] },
  ])('$given', async ({ resource, want }) => {
    const t = await load(resource);

    expect(t.ssmParameters).toEqual(want);
    expect(t.warnings).toEqual([]);
  });

  it.each([
    { given: 'a SecureString (CloudFormation creates none)', props: '{ Name: /s, Type: SecureString, Value: x }', want: /Type: "SecureString" is not String or StringList/ },
    { given: 'no Value', props: '{ Name: /v, Type: String }', want: /Value: required/ },
  ])('$given: not created, named', async ({ props, want }) => {
    const t = await load(`  P:\n    Type: AWS::SSM::Parameter\n    Properties: ${props}\n`);

    expect(t.ssmParameters).toEqual([]);
    expect(t.warnings).toEqual([expect.stringMatching(want)]);
  });

  it('Ref is the name, GetAtt Value the value, Arn without the leading slash', async () => {
    const t = await load('  P:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /a/b, Type: String, Value: v }\n  Q:\n    Type: AWS::SSM::Parameter\n    Properties: { Name: /copy, Type: String, Value: !Join [":", [!Ref P, !GetAtt P.Value, !GetAtt P.Arn]] }\n');

    expect(t.ssmParameters?.find((p) => p.logicalId === 'Q')?.value).toBe('/a/b:v:arn:aws:ssm:us-east-1:123456789012:parameter/a/b');
  });
});
