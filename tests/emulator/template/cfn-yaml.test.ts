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
