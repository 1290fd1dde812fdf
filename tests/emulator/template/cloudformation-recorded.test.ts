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

  it('as CloudFormation answered LocalStack`s recorded test_validate_equals_args_len: Fn::Equals of one item is refused, used or not', async () => {
    const unused = 'Conditions:\n  Deploy: { "Fn::Equals": [a] }\nResources:\n  Topic: { Type: AWS::SNS::Topic }\n';
    const used = 'Conditions:\n  Deploy: { "Fn::Equals": [a] }\nResources:\n  Topic: { Type: AWS::SNS::Topic, Condition: Deploy }\n';

    await expect(load(unused)).rejects.toThrow(/Conditions\.Deploy\.Fn::Equals: every Fn::Equals object requires a list of 2 parameters, got 1/);
    await expect(load(used)).rejects.toThrow(/Conditions\.Deploy\.Fn::Equals: every Fn::Equals object requires a list of 2 parameters/);
  });

  it('refuses Fn::And of one condition and Fn::Not of two, as CloudFormation`s documented arity does', async () => {
    const and = 'Conditions:\n  A: !Equals [a, a]\n  B: !And [!Condition A]\nResources:\n  Topic: { Type: AWS::SNS::Topic }\n';
    const not = 'Conditions:\n  A: !Equals [a, a]\n  B: !Not [!Condition A, !Condition A]\nResources:\n  Topic: { Type: AWS::SNS::Topic }\n';

    await expect(load(and)).rejects.toThrow(/Conditions\.B\.Fn::And: every Fn::And object requires a list of at least 2 and at most 10 parameters, got 1/);
    await expect(load(not)).rejects.toThrow(/Conditions\.B\.Fn::Not: every Fn::Not object requires a list of 1 parameters, got 2/);
  });

  it('as CloudFormation answered LocalStack`s recorded test_nested_conditions and test_conditional_in_conditional: a condition of conditions', async () => {
    const text = `Parameters:
  Env: { Type: String, AllowedValues: [prod, test] }
  Name: { Type: String, Default: '' }
Conditions:
  IsProd: !Equals [!Ref Env, prod]
  HasName: !Not [!Equals [!Ref Name, '']]
  Both: !And [!Condition IsProd, !Condition HasName]
Resources:
  Store: { Type: AWS::S3::Bucket, Condition: HasName, Properties: { BucketName: !Ref Name } }
  Policy: { Type: AWS::S3::BucketPolicy, Condition: Both, Properties: { Bucket: !Ref Store, PolicyDocument: {} } }
Outputs:
  Result: { Value: !If [Both, 'true', 'false'] }
`;
    const created = async (p: Record<string, string>) => (await load(text, p)).stack!.resources.map((r) => r.logicalId);

    expect(await created({ Env: 'prod', Name: 'b1' })).toEqual(['Store', 'Policy']);
    expect(await created({ Env: 'test', Name: 'b1' })).toEqual(['Store']);
    expect(await created({ Env: 'prod' })).toEqual([]);
    expect(await outputs(text, { Env: 'prod', Name: 'b1' })).toEqual({ Result: 'true' });
    expect(await outputs(text, { Env: 'test', Name: 'b1' })).toEqual({ Result: 'false' });
  });

  it('as CloudFormation answered LocalStack`s recorded test_dependent_ref_intrinsic_fn_condition: the branch not taken may name an absent resource', async () => {
    const text = `Parameters:
  Opt: { Type: String, AllowedValues: [a, b] }
Conditions:
  Make: !Equals [!Ref Opt, a]
Resources:
  Topic: { Type: AWS::SNS::Topic, Condition: Make }
  Param: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: v, Description: !If [Make, !Ref Topic, fallback] } }
Outputs:
  Described: { Value: !If [Make, !Ref Topic, fallback] }
`;

    expect(await outputs(text, { Opt: 'b' })).toEqual({ Described: 'fallback' });
  });

  const DEPENDENT = (value: string, extra = '') => `Parameters:
  Opt: { Type: String, AllowedValues: [a, b] }
Conditions:
  Make: !Equals [!Ref Opt, a]
Resources:
  Topic: { Type: AWS::SNS::Topic, Condition: Make }
  Param: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: ${value} } }
${extra}`;

  it('as CloudFormation answered LocalStack`s recorded test_dependent_ref and test_dependent_get_att: a value read locally naming an absent resource is refused', async () => {
    await expect(load(DEPENDENT('!Ref Topic'), { Opt: 'b' })).rejects.toThrow(/Resources\.Param\.Properties\.Value\.Ref: .*"Topic"/);
    await expect(load(DEPENDENT('!GetAtt Topic.TopicName'), { Opt: 'b' })).rejects.toThrow(/Resources\.Param\.Properties\.Value\.Fn::GetAtt: .*"Topic"/);
  });

  it('as CloudFormation answered LocalStack`s recorded test_dependent_ref: a property nothing local reads, naming an absent resource, is listed not emulated', async () => {
    const extra = `  Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: !Sub '/x/\${Topic}' } }
  Other: { Type: AWS::SNS::Topic, Properties: { DisplayName: !GetAtt Topic.TopicName } }
`;

    const t = await load(DEPENDENT('v', extra), { Opt: 'b' });

    expect(t.notEmulated).toEqual([
      'Resources.Log.Properties.LogGroupName.Fn::Sub: names "Topic", its Condition Make is false, so the stack does not create it: CloudFormation would refuse the template (Unresolved resource dependencies [Topic] in the Resources block of the template); not resolved locally, where nothing reads it',
      'Resources.Other.Properties.DisplayName.Fn::GetAtt: names "Topic", its Condition Make is false, so the stack does not create it: CloudFormation would refuse the template (Unresolved resource dependencies [Topic] in the Resources block of the template); not resolved locally, where nothing reads it',
    ]);
    expect((await load(DEPENDENT('v', extra), { Opt: 'a' })).notEmulated).toEqual([]);
  });

  it('as CloudFormation answered LocalStack`s recorded test_useful_error_when_invalid_ref and test_depends_on_with_missing_reference: the unknown name is given', async () => {
    await expect(load('Resources:\n  Topic: { Type: AWS::SNS::Topic, Properties: { TopicName: !Ref InvalidRef } }\n')).rejects.toThrow(/Resources\.Topic\.Properties\.TopicName\.Ref: .*"InvalidRef"/);

    const t = await load('Resources:\n  Topic: { Type: AWS::SNS::Topic, DependsOn: [Missing] }\n  Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: !Ref Nowhere } }\n');

    expect(t.notEmulated).toEqual([
      expect.stringMatching(/^Resources\.Topic\.DependsOn\[0\]: names "Missing", no parameter or resource of the template: CloudFormation would refuse the template \(Unresolved resource dependencies \[Missing\] in the Resources block/),
      expect.stringMatching(/^Resources\.Log\.Properties\.LogGroupName\.Ref: names "Nowhere", no parameter or resource/),
    ]);
  });

  it('leaves SAM`s generated names and the Fn::If branch not taken alone, as CloudFormation resolves them', async () => {
    const text = `Transform: AWS::Serverless-2016-10-31
Parameters:
  Opt: { Type: String, Default: b }
Conditions:
  Make: !Equals [!Ref Opt, a]
Resources:
  Topic: { Type: AWS::SNS::Topic, Condition: Make }
  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: 'exports.handler = async () => ({})', Events: { Get: { Type: Api, Properties: { Path: /, Method: get } } } }
  Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: !Sub '/x/\${ServerlessRestApi}/\${FnRole}', RetentionInDays: !If [Make, !Ref Topic, 7] } }
`;

    expect((await load(text)).notEmulated).toEqual([]);
  });

  const MAPPED = (mapping: string) => `Mappings:\n  Suffixes:\n${mapping}Resources:\n  Queue: { Type: AWS::SQS::Queue }\n`;

  it('as CloudFormation answered LocalStack`s recorded test_mapping_with_invalid_refs and test_mapping_maximum_nesting_depth: a mapping value must be a string or a list', async () => {
    await expect(load(MAPPED('    A: { Suffix: !Ref AWS::Region }\n'))).rejects.toThrow(/Mappings\.Suffixes\.A\.Suffix: every Mappings attribute must be a String or a List/);
    await expect(load(MAPPED('    A: { Suffix: { Deeper: x } }\n'))).rejects.toThrow(/Mappings\.Suffixes\.A\.Suffix: every Mappings attribute must be a String or a List/);
  });

  it('as CloudFormation answered LocalStack`s recorded test_mapping_minimum_nesting_depth: a top-level key must hold a map', async () => {
    await expect(load(MAPPED('    A: suffix-a\n'))).rejects.toThrow(/Mappings\.Suffixes\.A: every Mappings member A must be a map/);
  });

  it('as CloudFormation answered LocalStack`s recorded test_mapping_with_nonexisting_key and test_mapping_ref_map_key: FindInMap keys from parameters', async () => {
    const text = `Parameters:
  MapName: { Type: String }
  MapKey: { Type: String }
Mappings:
  Flags: { A: { value: 'true' }, B: { value: 'false' } }
  Mixed: { A: { count: 3, list: [1, a] } }
Conditions:
  On: !Equals [!FindInMap [!Ref MapName, !Ref MapKey, value], 'true']
Resources:
  Topic: { Type: AWS::SNS::Topic, Condition: On }
  Always: { Type: AWS::SNS::Topic }
Outputs:
  TopicArn: { Value: !Ref Topic, Condition: On }
`;

    expect(await outputs(text, { MapName: 'Flags', MapKey: 'A' })).toEqual({ TopicArn: 'arn:aws:sns:us-east-1:123456789012:rec-Topic' });
    expect(await outputs(text, { MapName: 'Flags', MapKey: 'B' })).toEqual({});
    await expect(load(text, { MapName: 'Flags', MapKey: 'C' })).rejects.toThrow(/Conditions\.On\.Fn::Equals\[0\]\.Fn::FindInMap: Fn::FindInMap: no value at Mappings\.Flags\.C\.value/);
  });

  const NUMBERED = (decl: string) => `Parameters:\n  Value: { ${decl} }\nResources:\n  Queue: { Type: AWS::SQS::Queue }\nOutputs:\n  Value: { Value: !Join [',', [!Ref Value]] }\n`;

  it('as CloudFormation answered LocalStack`s recorded test_invalid_parameter_type: a Number parameter must be a number', async () => {
    await expect(load(NUMBERED('Type: Number, Default: abc'))).rejects.toThrow(/Parameters\.Value: Parameter 'Value' must be a number \(value "abc"\)/);
    await expect(load(NUMBERED('Type: Number'), { Value: '12x' })).rejects.toThrow(/Parameter 'Value' must be a number/);
    await expect(load(NUMBERED('Type: List<Number>'), { Value: '1,b' })).rejects.toThrow(/Parameter 'Value' must be a list of numbers/);
    expect(await outputs(NUMBERED('Type: Number'), { Value: '1000.0' })).toEqual({ Value: '1000.0' });
  });

  it('refuses a value outside the parameter`s MinValue/MaxValue or MinLength/MaxLength, as CloudFormation does', async () => {
    await expect(load(NUMBERED('Type: Number, MaxValue: 10'), { Value: '11' })).rejects.toThrow(/Parameters\.Value: value "11" is greater than MaxValue 10/);
    await expect(load(NUMBERED('Type: String, MinLength: 3, ConstraintDescription: three or more'), { Value: 'ab' })).rejects.toThrow(/value "ab" is shorter than MinLength 3 \(three or more\)/);
    expect(await outputs(NUMBERED('Type: Number, MinValue: 1, MaxValue: 10'), { Value: '10' })).toEqual({ Value: '10' });
  });

  it('as CloudFormation answered LocalStack`s recorded test_invalid_structure (Fn::GetAtt): a resource name and a non-empty attribute, or the template is refused', async () => {
    const getAtt = (form: string) => `Resources:\n  Topic: { Type: AWS::SNS::Topic }\n  Param: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: ${form} } }\n`;
    const refused = /Resources\.Param\.Properties\.Value\.Fn::GetAtt: every Fn::GetAtt object requires two non-empty parameters, the resource name and the resource attribute/;

    await expect(load(getAtt('{ "Fn::GetAtt": [Topic] }'))).rejects.toThrow(refused);
    await expect(load(getAtt('{ "Fn::GetAtt": [Topic, ""] }'))).rejects.toThrow(refused);
    await expect(load(getAtt('{ "Fn::GetAtt": "Topic." }'))).rejects.toThrow(refused);
  });

  it('as CloudFormation answered LocalStack`s recorded test_missing_condition: Fn::If naming no condition is listed where nothing reads it', async () => {
    const t = await load('Resources:\n  Log: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: !If [Missing, a, b] } }\n');

    expect(t.notEmulated).toEqual([expect.stringMatching(/^Resources\.Log\.Properties\.LogGroupName\.Fn::If: names the condition "Missing", which the template lacks: CloudFormation would refuse the template \(unresolved condition dependency Missing in Fn::If\)/)]);
    await expect(load('Resources:\n  Topic: { Type: AWS::SNS::Topic, Properties: { TopicName: !If [Missing, a, b] } }\n')).rejects.toThrow(/Resources\.Topic\.Properties\.TopicName\.Fn::If: unknown condition "Missing"/);
  });

  it('as CloudFormation answered LocalStack`s recorded test_invalid_output_structure: an output without a Value, or a null one, is refused', async () => {
    const output = (body: string) => `Resources:\n  Queue: { Type: AWS::SQS::Queue }\nOutputs:\n  Mine: ${body}\n`;
    const refused = /Outputs\.Mine\.Value: every Outputs member must contain a Value object, not null/;

    await expect(load(output('{ Value: null }'))).rejects.toThrow(refused);
    await expect(load(output('{ Description: no value }'))).rejects.toThrow(refused);
    await expect(load(output('~'))).rejects.toThrow(refused);
  });

  it('as CloudFormation answered LocalStack`s recorded test_references_to_disabled_resources and test_sub_in_conditions', async () => {
    const text = `Parameters:
  Toggle: { Type: String }
  Value: { Type: String }
  Prefix: { Type: String, Default: pre }
Conditions:
  Deploy: !Equals [!Ref Toggle, 'yes']
  Named: !Equals [!Ref Value, !Sub '\${Prefix}-\${AWS::Region}']
Resources:
  Base: { Type: AWS::SSM::Parameter, Properties: { Type: String, Value: !Ref Value } }
  Conditional: { Type: AWS::SSM::Parameter, Condition: Deploy, Properties: { Type: String, Value: !Ref Value } }
  Another: { Type: AWS::SSM::Parameter, Condition: Deploy, Properties: { Type: String, Value: !GetAtt Conditional.Value } }
Outputs:
  ConditionalValue: { Condition: Deploy, Value: !GetAtt Conditional.Value }
  Named: { Value: !If [Named, named, other] }
`;

    const off = await load(text, { Toggle: 'no', Value: 'pre-us-east-1' });
    expect(off.stack!.resources.map((r) => r.logicalId)).toEqual(['Base']);
    expect(off.stack!.outputs).toEqual([{ key: 'Named', value: 'named' }]);
    expect(off.notEmulated).toEqual([]);
    expect(await outputs(text, { Toggle: 'yes', Value: 'v' })).toEqual({ ConditionalValue: 'v', Named: 'other' });
  });

  it('as CloudFormation answered LocalStack`s recorded test_rule_properties and test_alarm_creation: Ref and Arn of a rule on a custom bus, of an alarm, of a log stream', async () => {
    const text = `Resources:
  Bus: { Type: AWS::Events::EventBus, Properties: { Name: orders } }
  OnBus: { Type: AWS::Events::Rule, Properties: { Name: placed, EventBusName: !Ref Bus, EventPattern: { source: [shop] } } }
  OnBusArn: { Type: AWS::Events::Rule, Properties: { Name: by-arn, EventBusName: !GetAtt Bus.Arn, EventPattern: { source: [shop] } } }
  OnDefault: { Type: AWS::Events::Rule, Properties: { Name: plain, EventBusName: default, EventPattern: { source: [shop] } } }
  Alarm: { Type: AWS::CloudWatch::Alarm, Properties: { AlarmName: too-many, MetricName: m, Namespace: n, Statistic: Sum, Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: GreaterThanThreshold } }
  Group: { Type: AWS::Logs::LogGroup, Properties: { LogGroupName: app } }
  Stream: { Type: AWS::Logs::LogStream, Properties: { LogGroupName: !Ref Group, LogStreamName: main } }
Outputs:
  OnBusRef: { Value: !Ref OnBus }
  OnBusArn: { Value: !GetAtt OnBus.Arn }
  OnBusArnRef: { Value: !Ref OnBusArn }
  OnDefaultRef: { Value: !Ref OnDefault }
  OnDefaultArn: { Value: !GetAtt OnDefault.Arn }
  AlarmName: { Value: !Ref Alarm }
  AlarmArn: { Value: !GetAtt Alarm.Arn }
  StreamName: { Value: !Ref Stream }
`;

    expect(await outputs(text)).toEqual({
      OnBusRef: 'orders|placed',
      OnBusArn: 'arn:aws:events:us-east-1:123456789012:rule/orders/placed',
      OnBusArnRef: 'orders|by-arn',
      OnDefaultRef: 'plain',
      OnDefaultArn: 'arn:aws:events:us-east-1:123456789012:rule/plain',
      AlarmName: 'too-many',
      AlarmArn: 'arn:aws:cloudwatch:us-east-1:123456789012:alarm:too-many',
      StreamName: 'main',
    });
  });

  it('as CloudFormation answered LocalStack`s recorded test_lambda_layer_crud: Ref of a layer version is its version ARN', async () => {
    const text = `Resources:
  Named: { Type: AWS::Lambda::LayerVersion, Properties: { LayerName: shared, Content: { S3Bucket: b, S3Key: k } } }
  Sam: { Type: AWS::Serverless::LayerVersion, Properties: { ContentUri: layer/ } }
Outputs:
  NamedRef: { Value: !Ref Named }
  SamRef: { Value: !Ref Sam }
`;

    expect(await outputs(text)).toEqual({ NamedRef: 'arn:aws:lambda:us-east-1:123456789012:layer:shared:1', SamRef: 'arn:aws:lambda:us-east-1:123456789012:layer:Sam:1' });
  });

  it('as CloudFormation answered LocalStack`s recorded test_nested_stacks_conditions: the child`s conditional output, and Ref of the nested stack is its stack id', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cfn-recorded-nested-'));
    writeFileSync(
      join(dir, 'child.yaml'),
      `Parameters:
  Base: { Type: String }
  Mode: { Type: String }
Conditions:
  Prod: !Equals [!Ref Mode, prod]
  Test: !Equals [!Ref Mode, test]
Resources:
  ProdStore: { Type: AWS::S3::Bucket, Condition: Prod, Properties: { BucketName: !Sub '\${Base}-prod' } }
  TestStore: { Type: AWS::S3::Bucket, Condition: Test, Properties: { BucketName: !Sub '\${Base}-test' } }
Outputs:
  ProdBucket: { Condition: Prod, Value: !Ref ProdStore }
  TestBucket: { Condition: Test, Value: !Ref TestStore }
`,
    );
    writeFileSync(
      join(dir, 'template.yaml'),
      'Resources:\n  Child: { Type: AWS::CloudFormation::Stack, Properties: { TemplateURL: child.yaml, Parameters: { Base: nb, Mode: prod } } }\nOutputs:\n  ProdBucket: { Value: !GetAtt Child.Outputs.ProdBucket }\n  NestedStackArn: { Value: !Ref Child }\n',
    );

    const t = await loadTemplate(join(dir, 'template.yaml'), { stackName: 'rec' });

    expect(t.stack!.outputs).toEqual([
      { key: 'ProdBucket', value: 'nb-prod' },
      { key: 'NestedStackArn', value: t.nestedStacks?.[0]?.template.stack?.id },
    ]);
    expect(t.nestedStacks?.[0]?.template.stack?.id).toBe('arn:aws:cloudformation:us-east-1:123456789012:stack/rec-Child/00000000-0000-0000-0000-000000000000');
    expect(t.nestedStacks?.[0]?.template.stack?.outputs.map((o) => o.key)).toEqual(['ProdBucket']);
  });
});
