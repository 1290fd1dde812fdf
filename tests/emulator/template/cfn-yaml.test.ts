import { describe, expect, it } from 'vitest';
import { parseCfnYaml } from '../../../emulator/template/cfn-yaml.js';
import { TemplateError } from '../../../emulator/template/model.js';

describe('parseCfnYaml short-form tags', () => {
  it.each([
    { given: '!Ref Stage', want: { Ref: 'Stage' } },
    { given: '!Condition IsProd', want: { Condition: 'IsProd' } },
    { given: '!Sub "arn:${AWS::Partition}:x"', want: { 'Fn::Sub': 'arn:${AWS::Partition}:x' } },
    { given: '!Sub ["${A}-x", {A: !Ref B}]', want: { 'Fn::Sub': ['${A}-x', { A: { Ref: 'B' } }] } },
    { given: '!GetAtt Fn.Arn', want: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
    { given: '!GetAtt Db.Endpoint.Address', want: { 'Fn::GetAtt': ['Db', 'Endpoint.Address'] } },
    { given: '!GetAtt [Fn, Arn]', want: { 'Fn::GetAtt': ['Fn', 'Arn'] } },
    { given: '!If [C, a, !Ref AWS::NoValue]', want: { 'Fn::If': ['C', 'a', { Ref: 'AWS::NoValue' }] } },
    { given: '!Join [",", [a, b]]', want: { 'Fn::Join': [',', ['a', 'b']] } },
    { given: '!Select [0, !Split [",", "a,b"]]', want: { 'Fn::Select': [0, { 'Fn::Split': [',', 'a,b'] }] } },
    { given: '!Equals [!Ref S, prod]', want: { 'Fn::Equals': [{ Ref: 'S' }, 'prod'] } },
    { given: '!Not [!Condition C]', want: { 'Fn::Not': [{ Condition: 'C' }] } },
    { given: '!And [!Condition A, !Condition B]', want: { 'Fn::And': [{ Condition: 'A' }, { Condition: 'B' }] } },
    { given: '!Or [!Condition A, !Condition B]', want: { 'Fn::Or': [{ Condition: 'A' }, { Condition: 'B' }] } },
    { given: '!FindInMap [M, k1, k2]', want: { 'Fn::FindInMap': ['M', 'k1', 'k2'] } },
    { given: '!Base64 text', want: { 'Fn::Base64': 'text' } },
    { given: '!Base64 {"Fn::Sub": "x"}', want: { 'Fn::Base64': { 'Fn::Sub': 'x' } } },
    { given: '!Cidr ["10.0.0.0/16", 2, 8]', want: { 'Fn::Cidr': ['10.0.0.0/16', 2, 8] } },
    { given: '!ImportValue shared-vpc', want: { 'Fn::ImportValue': 'shared-vpc' } },
    { given: '!GetAZs ""', want: { 'Fn::GetAZs': '' } },
    {
      given: '!Transform {Name: AWS::Include, Parameters: {Location: ./api.yaml}}',
      want: { 'Fn::Transform': { Name: 'AWS::Include', Parameters: { Location: './api.yaml' } } },
    },
  ])('turns $given into its long form', ({ given, want }) => {
    const parsed = parseCfnYaml(`value: ${given}\n`, 'template.yaml');

    expect(parsed).toEqual({ value: want });
  });

  it('keeps YAML 1.2 scalars: "on" stays a string (paths named /on must not become booleans)', () => {
    expect(parseCfnYaml('a: on\nb: yes\n', 't.yaml')).toEqual({ a: 'on', b: 'yes' });
  });
});

describe('parseCfnYaml: what the SAM CLI (YAML 1.1) accepts', () => {
  it.each([
    { given: 'account: 012345678901', want: { account: '012345678901' } },
    { given: 'mode: 0755', want: { mode: 493 } },
    { given: 'n: 0', want: { n: 0 } },
    { given: 'n: 10', want: { n: 10 } },
    { given: 'n: "0755"', want: { n: '0755' } },
  ])('zero-padded numbers as YAML 1.1 reads them: $given', ({ given, want }) => {
    expect(parseCfnYaml(`${given}\n`, 't.yaml')).toEqual(want);
  });

  it('applies << merge keys from anchors, the local keys winning', () => {
    const text = 'Defaults: &defaults {Runtime: nodejs20.x, Timeout: 3}\nFn:\n  <<: *defaults\n  Timeout: 9\n';

    expect(parseCfnYaml(text, 't.yaml')).toMatchObject({ Fn: { Runtime: 'nodejs20.x', Timeout: 9 } });
  });

  it('reads a JSON template as JSON (long-form intrinsics, unicode escapes)', () => {
    const text = '{\n  "Resources": {"A": {"Type": "X", "Properties": {"V": {"Fn::GetAtt": ["B", "Arn"]}, "S": "caf\\u00e9 \\ud83d\\ude00"}}}\n}\n';

    expect(parseCfnYaml(text, 't.json')).toEqual({ Resources: { A: { Type: 'X', Properties: { V: { 'Fn::GetAtt': ['B', 'Arn'] }, S: 'café 😀' } } } });
  });

  it.each([
    { given: 'several documents', text: 'a: 1\n---\nb: 2\n', want: /t\.yaml: \(root\): the file holds several YAML documents/ },
    { given: 'broken JSON in a .json file', text: '{"a": 1,\n "b": }\n', want: /t\.json: \(root\): JSON syntax error: / },
  ])('refuses $given with the file and where', ({ text, want }) => {
    expect(() => parseCfnYaml(text, text.startsWith('{') ? 't.json' : 't.yaml')).toThrow(want);
  });

  it('a .yaml file starting with { that is not JSON is read as a YAML flow map', () => {
    expect(parseCfnYaml('{Resources: {A: {Type: X, Properties: {V: !Ref B}}}}\n', 't.yaml')).toEqual({ Resources: { A: { Type: 'X', Properties: { V: { Ref: 'B' } } } } });
  });

  it('a leading --- and a trailing ... are one document', () => {
    expect(parseCfnYaml('---\na: 1\n...\n', 't.yaml')).toEqual({ a: 1 });
  });
});

describe('parseCfnYaml: a key written twice in one map', () => {
  it.each([
    { given: 'Mappings:\n  M:\n    eu-west-3: {AMI: a}\n    eu-west-3: {AMI: b}\n', want: { Mappings: { M: { 'eu-west-3': { AMI: 'b' } } } }, lines: [4] },
    { given: 'Resources:\n  A: {Type: X}\n  A: {Type: Y}\nOutputs:\n  O: {Value: 1}\n  O: {Value: 2}\n', want: { Resources: { A: { Type: 'Y' } }, Outputs: { O: { Value: 2 } } }, lines: [3, 6] },
  ])('keeps the last value, as CloudFormation does, and warns with the line: $lines', ({ given, want, lines }) => {
    const warnings: string[] = [];

    const parsed = parseCfnYaml(given, 'template.yaml', { warnings });

    expect(parsed).toEqual(want);
    expect(warnings).toEqual(lines.map((l) => `template.yaml: line ${l}: a key written twice in one map; the last value is used, as CloudFormation does`));
  });

  it('a duplicate next to a real syntax error is still an error', () => {
    expect(() => parseCfnYaml('a: 1\na: 2\nb: [\n', 'template.yaml', { warnings: [] })).toThrow(TemplateError);
  });
});

describe('parseCfnYaml errors', () => {
  it('names the file and line of a YAML syntax error', () => {
    const act = (): unknown => parseCfnYaml('a: 1\nb: [x\nc: 2\n', 'dir/template.yaml');

    expect(act).toThrow(TemplateError);
    expect(act).toThrow(/^dir\/template\.yaml: line 3: YAML syntax error/);
  });

  it('rejects short tags where only long forms are allowed, with the R13.3 hint', () => {
    const act = (): unknown =>
      parseCfnYaml('uri: !Sub x\n', 'openapi.yaml', { shortTags: false, unresolvedTagHint: ' (R13.3)' });

    expect(act).toThrow(/openapi\.yaml: line 1: Unresolved tag: !Sub \(R13\.3\)/);
  });
});
