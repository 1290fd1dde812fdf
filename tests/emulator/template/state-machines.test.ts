/**
 * State machines read from the template (template/state-machines.ts): where the definition comes from, how
 * DefinitionSubstitutions apply (in CloudFormation's text, in SAM's strings), the type, the name and ARN, and why one
 * cannot run here.
 */
import { mkdtempSync, mkdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { StateMachineSpec } from '../../../emulator/template/model.js';
import { StepFunctions, type OtherServices } from '../../../emulator/services/stepfunctions/executions.js';
import { substitute } from '../../../emulator/template/state-machines.js';
import { loadSamResources } from '../support/template-text.js';

const PASS = '{"StartAt":"A","States":{"A":{"Type":"Pass","End":true}}}';
const machine = async (resources: string, id = 'M'): Promise<StateMachineSpec> => (await loadSamResources(resources)).stateMachines!.find((m) => m.logicalId === id)!;

/** A template in a folder of its own beside the files it names. */
async function withFiles(template: string, files: Record<string, string>): Promise<StateMachineSpec[]> {
  const dir = mkdtempSync(join(tmpdir(), 'sfn-template-'));
  for (const [name, text] of Object.entries(files)) {
    mkdirSync(join(dir, name, '..'), { recursive: true });
    writeFileSync(join(dir, name), text);
  }
  writeFileSync(join(dir, 'template.yaml'), template);
  return (await loadTemplate(join(dir, 'template.yaml'))).stateMachines!;
}

describe('where the definition comes from', () => {
  it('SAM Definition (YAML), with intrinsics resolved', async () => {
    const m = await machine(`  Fn:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, Handler: a.handler, InlineCode: 'x' }
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      Definition:
        StartAt: Call
        States:
          Call: { Type: Task, Resource: !GetAtt Fn.Arn, End: true }
`);

    expect(m.definition).toEqual({ StartAt: 'Call', States: { Call: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:Fn', End: true } } });
    expect(m).toMatchObject({ type: 'STANDARD', name: 'local-M', arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:local-M' });
  });

  it('DefinitionString (CloudFormation), its substitutions placed in the text before it is parsed (a number unquoted)', async () => {
    const m = await machine(`  M:
    Type: AWS::StepFunctions::StateMachine
    Properties:
      StateMachineName: named
      StateMachineType: EXPRESS
      DefinitionString: '{"StartAt":"W","States":{"W":{"Type":"Wait","Seconds":\${Delay},"Next":"D"},"D":{"Type":"Pass","Result":"\${Region}","End":true}}}'
      DefinitionSubstitutions:
        Delay: 5
        Region: !Ref AWS::Region
`);

    expect(m).toMatchObject({ name: 'named', type: 'EXPRESS', arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:named' });
    expect(m.definition).toEqual({ StartAt: 'W', States: { W: { Type: 'Wait', Seconds: 5, Next: 'D' }, D: { Type: 'Pass', Result: 'us-east-1', End: true } } });
  });

  it.each([
    ['a JSON file', 'statemachine/flow.asl.json', PASS],
    ['a YAML file', 'statemachine/flow.asl.yaml', 'StartAt: A\nStates:\n  A: { Type: Pass, End: true }\n'],
  ])('DefinitionUri naming %s beside the template', async (_, path, text) => {
    const [m] = await withFiles(`Transform: AWS::Serverless-2016-10-31\nResources:\n  M:\n    Type: AWS::Serverless::StateMachine\n    Properties: { DefinitionUri: ${path} }\n`, { [path]: text });

    expect(m!.definition).toEqual({ StartAt: 'A', States: { A: { Type: 'Pass', End: true } } });
    expect(m!.unavailable).toBeUndefined();
  });

  it('DefinitionSubstitutions replace ${Name} in a DefinitionUri file, GetAtt values resolved; unknown names stay', async () => {
    const [m] = await withFiles(
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Table:
    Type: AWS::DynamoDB::Table
    Properties: { KeySchema: [{ AttributeName: id, KeyType: HASH }], AttributeDefinitions: [{ AttributeName: id, AttributeType: S }] }
  M:
    Type: AWS::Serverless::StateMachine
    Properties:
      DefinitionUri: sm.json
      DefinitionSubstitutions: { TableName: !Ref Table, TableArn: !GetAtt Table.Arn }
`,
      { 'sm.json': '{"StartAt":"A","States":{"A":{"Type":"Pass","Result":{"t":"${TableName}","a":"${TableArn}","keep":"${Other}"},"End":true}}}' },
    );

    expect((m!.definition!.States as Record<string, { Result: unknown }>).A!.Result).toEqual({ t: 'local-Table', a: 'arn:aws:dynamodb:us-east-1:123456789012:table/local-Table', keep: '${Other}' });
  });
});

describe('aliases', () => {
  it.each([
    { given: 'AutoPublishAlias: live', want: ['live'] },
    { given: 'AutoPublishAlias: !Sub "${AWS::Region}"', want: ['us-east-1'] },
    { given: 'Type: STANDARD', want: undefined },
  ])('a SAM state machine with $given has aliases $want (StartExecution takes <arn>:<alias>)', async ({ given, want }) => {
    const m = await machine(`  M:\n    Type: AWS::Serverless::StateMachine\n    Properties:\n      Definition: ${PASS}\n      ${given}\n`);

    expect(m.aliases).toEqual(want);
  });
});

describe('a state machine that cannot run here says why', () => {
  it.each([
    ['a DefinitionUri on S3', 'DefinitionUri: s3://bucket/key.json', /on S3/],
    ['a DefinitionUri object (Bucket, Key)', 'DefinitionUri: { Bucket: b, Key: k }', /on S3/],
    ['a DefinitionUri file that is not there', 'DefinitionUri: missing.json', /missing\.json is not a local file/],
    ['no definition at all', 'Type: STANDARD', /no Definition/],
  ])('%s', async (_, properties, why) => {
    const loaded = await loadSamResources(`  M:\n    Type: AWS::Serverless::StateMachine\n    Properties: { ${properties} }\n`);
    const m = loaded.stateMachines![0]!;

    expect(m.definition).toBeUndefined();
    expect(m.unavailable).toMatch(why);
    expect(loaded.resources?.find((g) => g.logicalIds.includes('M'))).toMatchObject({ status: 'not-emulated' });
  });

  it('a DefinitionString that is not JSON', async () => {
    const m = await machine(`  M:\n    Type: AWS::StepFunctions::StateMachine\n    Properties: { DefinitionString: '{"StartAt": ' }\n`);

    expect(m.unavailable).toMatch(/not JSON or YAML/);
  });
});

describe('settings the embedded Step Functions does not apply', () => {
  it.each([
    { given: 'AWS::Serverless::StateMachine', props: 'Tracing: { Enabled: true }', want: [/^Tracing: X-Ray is not emulated/] },
    { given: 'AWS::Serverless::StateMachine', props: 'Logging: { Level: ALL, Destinations: [] }', want: [/^Logging: no CloudWatch Logs locally/] },
    { given: 'AWS::Serverless::StateMachine', props: 'Tracing: { Enabled: true }, Logging: { Level: ERROR }', want: [/^Tracing:/, /^Logging:/] },
    { given: 'AWS::StepFunctions::StateMachine', props: 'TracingConfiguration: { Enabled: true }', want: [/^TracingConfiguration: X-Ray/] },
    { given: 'AWS::StepFunctions::StateMachine', props: 'LoggingConfiguration: { Level: FATAL }', want: [/^LoggingConfiguration: no CloudWatch Logs/] },
    // Neighbours that do nothing on AWS either: nothing to say.
    { given: 'AWS::Serverless::StateMachine', props: 'Tracing: { Enabled: false }', want: [] },
    { given: 'AWS::Serverless::StateMachine', props: 'Logging: { Level: OFF }', want: [] },
    { given: 'AWS::StepFunctions::StateMachine', props: 'LoggingConfiguration: { IncludeExecutionData: true }', want: [] },
    { given: 'AWS::Serverless::StateMachine', props: 'Type: STANDARD', want: [] },
  ])('$given with $props', async ({ given, props, want }) => {
    const definition = given === 'AWS::Serverless::StateMachine' ? `Definition: ${PASS}` : `DefinitionString: '${PASS}'`;
    const m = await machine(`  M:\n    Type: ${given}\n    Properties: { ${definition}, ${props} }\n`);

    expect(m.definition).toBeDefined();
    expect(m.notApplied ?? []).toHaveLength(want.length);
    want.forEach((pattern, i) => expect(m.notApplied![i]).toMatch(pattern));
  });

  it('are named in the start report, beside the machine', async () => {
    const loaded = await loadSamResources(`  M:\n    Type: AWS::Serverless::StateMachine\n    Properties: { Definition: ${PASS}, Tracing: { Enabled: true } }\n`);
    // notes() reaches no task service, so none is given.
    const sfn = new StepFunctions(loaded.stateMachines!, {} as OtherServices, { region: 'us-east-1', accountId: '123456789012' });

    expect(sfn.notes()).toEqual([expect.stringMatching(/^M \(STANDARD\): 1 states/), expect.stringMatching(/^M\.Tracing not applied: X-Ray is not emulated/)]);
  });
});

describe('substitute', () => {
  it.each([
    { given: '${A}-${B}', subs: { A: 'x' }, want: 'x-${B}' },
    { given: { '${A}': ['${A}', 1, null] }, subs: { A: 'k' }, want: { k: ['k', 1, null] } },
    { given: '$${A} ${A', subs: { A: 'x' }, want: '$x ${A' },
  ])('$given with $subs is $want', ({ given, subs, want }) => {
    expect(substitute(given, subs)).toEqual(want);
  });
});
