import { describe, expect, it } from 'vitest';
import { parseParameterOverrides, resolveParameters } from '../../../emulator/template/parameters.js';

describe('parseParameterOverrides (sam --parameter-overrides)', () => {
  it.each([
    { given: 'Stage=prod', want: { Stage: 'prod' } },
    { given: 'Stage=prod  Greeting=hi', want: { Stage: 'prod', Greeting: 'hi' } },
    { given: 'Msg="hello world" Url=https://x.example/a=b', want: { Msg: 'hello world', Url: 'https://x.example/a=b' } },
    { given: "Msg='single quoted'", want: { Msg: 'single quoted' } },
    { given: 'ParameterKey=Stage,ParameterValue=qa', want: { Stage: 'qa' } },
    { given: '', want: {} },
  ])('$given', ({ given, want }) => {
    expect(parseParameterOverrides(given)).toEqual(want);
  });

  it('rejects a token without "="', () => {
    expect(() => parseParameterOverrides('Stage')).toThrow(/"Stage" is not Key=Value/);
  });
});

describe('resolveParameters', () => {
  const section = {
    Stage: { Type: 'String', Default: 'dev', AllowedValues: ['dev', 'prod'] },
    Subnets: { Type: 'CommaDelimitedList', Default: 'a, b' },
    Port: { Type: 'Number', Default: 8080 },
    Secret: { Type: 'String' },
  };

  it('uses defaults, applies overrides and splits list types', () => {
    const got = resolveParameters(section, { Stage: 'prod', Secret: 's3cr3t' }, 'template.yaml');

    expect(got).toEqual({ Stage: 'prod', Subnets: ['a', 'b'], Port: '8080', Secret: 's3cr3t' });
  });

  // sam local starts without them too; CloudFormation would prompt. A value that fits the declaration, and a warning.
  it.each([
    { given: { Type: 'String' }, want: 'emulator-unresolved:Parameter/P' },
    { given: { Type: 'String', AllowedValues: ['blue', 'green'] }, want: 'blue' },
    { given: { Type: 'String', AllowedPattern: '[a-z]+' }, want: 'emulator-unresolved:Parameter/P' },
    { given: { Type: 'Number' }, want: '0' },
    // A MemorySize or Timeout parameter: 0 would run the function with 0 MB, or be refused as a Timeout.
    { given: { Type: 'Number', MinValue: 128, MaxValue: 10240 }, want: '128' },
    { given: { Type: 'Number', MinValue: '1' }, want: '1' },
    { given: { Type: 'Number', MinValue: -5 }, want: '0' },
    { given: { Type: 'Number', MaxValue: -1 }, want: '-1' },
    { given: { Type: 'Number', MinValue: 3, AllowedValues: [5, 7] }, want: '5' },
    { given: { Type: 'List<AWS::EC2::Subnet::Id>' }, want: ['emulator-unresolved:Parameter/P'] },
    { given: { Type: 'AWS::EC2::VPC::Id' }, want: 'emulator-unresolved:Parameter/P' },
  ])('no Default and no override: $given gets $want, within its bounds, and a warning naming the flag', ({ given, want }) => {
    const warnings: string[] = [];

    const got = resolveParameters({ P: given }, {}, 'template.yaml', warnings);

    expect(got).toEqual({ P: want });
    expect(warnings).toEqual([expect.stringMatching(/^Parameters\.P: no Default and no --parameter-overrides value; locally it is ".+" \(give it with --parameter-overrides "P=<value>"\)$/)]);
  });

  it('an override still wins over the placeholder, and a parameter with a Default warns nothing', () => {
    const warnings: string[] = [];

    const got = resolveParameters(section, { Secret: 'x' }, 'template.yaml', warnings);

    expect(got.Secret).toBe('x');
    expect(warnings).toEqual([]);
  });

  it('an override outside AllowedValues is rejected', () => {
    expect(() => resolveParameters(section, { Stage: 'qa', Secret: 'x' }, 'template.yaml')).toThrow(/not one of AllowedValues \[dev, prod\]/);
  });

  it.each([
    { given: 'a Default', decl: { Type: 'String', Default: 'false', AllowedValues: ['true', 'false'] }, want: 'false' },
    { given: 'no Default', decl: { Type: 'String', AllowedValues: ['true', 'false'] }, want: 'true' },
    { given: 'an AllowedPattern', decl: { Type: 'String', Default: 'dev', AllowedPattern: '[a-z]+' }, want: 'dev' },
  ])('a value only AWS resolves (a parent stack`s SSM parameter) that its checks refuse: with $given, the value it would take without it, and a warning', ({ decl, want }) => {
    // RyanYCT/bdo-market-insights hands its root's SSM-typed EnableDemoKey to infra/api.yaml's, which allows true or false.
    const warnings: string[] = [];

    const got = resolveParameters({ EnableDemoKey: decl }, { EnableDemoKey: 'emulator-unresolved:SSM/app/enable-demo-key' }, 'api.yaml', warnings);

    expect(got.EnableDemoKey).toBe(want);
    expect(warnings).toContainEqual(expect.stringMatching(new RegExp(`^Parameters\\.EnableDemoKey: given "emulator-unresolved:SSM/app/enable-demo-key", a value only AWS resolves; locally it is "${want}"`)));
  });

  it.each([
    { given: 'no override', overrides: {} as Record<string, string>, want: { Version: 'emulator-unresolved:SSM/cdk-bootstrap/version', Ids: ['emulator-unresolved:SSM/shared/ids'] }, warned: 2 },
    { given: 'overrides', overrides: { Version: '21', Ids: 'a,b' }, want: { Version: '21', Ids: ['a', 'b'] }, warned: 0 },
  ])('an SSM-typed parameter with $given: a placeholder and a warning unless given', ({ overrides, want, warned }) => {
    const warnings: string[] = [];
    const ssm = {
      Version: { Type: 'AWS::SSM::Parameter::Value<String>', Default: '/cdk-bootstrap/version' },
      Ids: { Type: 'AWS::SSM::Parameter::Value<List<String>>', Default: '/shared/ids' },
    };

    expect(resolveParameters(ssm, overrides, 'template.yaml', warnings)).toEqual(want);
    expect(warnings).toHaveLength(warned);
    if (warned) expect(warnings[0]).toMatch(/^Parameters\.Version: its value is read from SSM Parameter Store in AWS; .*--parameter-overrides "Version=<value>"/);
  });

  it('an override for an undeclared parameter is ignored with a warning naming it, as SAM CLI ignores it', () => {
    const warnings: string[] = [];

    const got = resolveParameters(section, { Nope: '1', Secret: 'x' }, 'template.yaml', warnings);

    expect(got).toEqual({ Stage: 'dev', Subnets: ['a', 'b'], Port: '8080', Secret: 'x' });
    expect(warnings).toEqual([expect.stringMatching(/^Parameters\.Nope: --parameter-overrides names a parameter the template does not declare; ignored/)]);
  });
});
