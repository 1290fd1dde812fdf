/**
 * A template's EventBridge Scheduler schedules (template/scheduler-schedules.ts): the FlexibleTimeWindow each has
 * (AWS::Scheduler::Schedule requires one; SAM's ScheduleV2 writes {Mode: OFF} when the event gives none), and the
 * templates CloudFormation does not deploy: a property AWS::Scheduler::Schedule does not have (ActionAfterCompletion,
 * an API-only setting), two schedules of one name in one group.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';

const dir = mkdtempSync(join(tmpdir(), 'scheduler-schedules-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const TARGET = 'Target: { Arn: arn:aws:sqs:us-east-1:123456789012:q, RoleArn: arn:aws:iam::123456789012:role/r }';
const schedule = (id: string, props: string) => `  ${id}:\n    Type: AWS::Scheduler::Schedule\n    Properties: { ScheduleExpression: rate(1 hour), ${TARGET}, ${props} }\n`;
const FUNCTION = `  Fn:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs22.x
      Handler: index.handler
      InlineCode: 'exports.handler = async () => 1'
      Events:
        Plain: { Type: ScheduleV2, Properties: { ScheduleExpression: rate(1 hour) } }
        Windowed: { Type: ScheduleV2, Properties: { ScheduleExpression: rate(1 hour), FlexibleTimeWindow: { Mode: FLEXIBLE, MaximumWindowInMinutes: 5 } } }
`;

async function load(resources: string) {
  const file = join(dir, `${Math.random().toString(36).slice(2)}.yaml`);
  writeFileSync(file, `Transform: AWS::Serverless-2016-10-31\nResources:\n${resources}`);
  return loadTemplate(file);
}

describe('FlexibleTimeWindow', () => {
  it('is the template`s, or SAM`s {Mode: OFF} for a ScheduleV2 event without one', async () => {
    // Act
    const t = await load(`${schedule('Off', "Name: off, FlexibleTimeWindow: { Mode: 'OFF' }")}${schedule('Flexible', 'Name: flexible, FlexibleTimeWindow: { Mode: FLEXIBLE, MaximumWindowInMinutes: 15 }')}${FUNCTION}`);

    // Assess
    expect(Object.fromEntries((t.schedulerSchedules ?? []).map((s) => [s.id, s.flexibleTimeWindow]))).toEqual({
      Off: { Mode: 'OFF' },
      Flexible: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
      'Fn.Plain': { Mode: 'OFF' },
      'Fn.Windowed': { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 5 },
    });
  });
});

describe('a template CloudFormation does not deploy, said NOT EMULATED (--strict refuses it)', () => {
  it.each([
    {
      given: 'ActionAfterCompletion on an AWS::Scheduler::Schedule (a property of the API, not of the resource)',
      resources: schedule('Once', "Name: once, FlexibleTimeWindow: { Mode: 'OFF' }, ActionAfterCompletion: DELETE"),
      want: [expect.stringMatching(/^Resources\.Once\.Properties\.ActionAfterCompletion: AWS::Scheduler::Schedule has no such property, so CloudFormation refuses the template; .*not applied here/)],
    },
    {
      given: 'two schedules of one name in one group',
      resources: `${schedule('First', "Name: dup, FlexibleTimeWindow: { Mode: 'OFF' }")}${schedule('Second', "Name: dup, FlexibleTimeWindow: { Mode: 'OFF' }")}`,
      want: [expect.stringMatching(/^Resources\.Second: a second schedule named dup in group default, beside First: .*only First runs here/)],
    },
    {
      given: 'a schedule and a ScheduleV2 event of one name in one group',
      resources: `${schedule('First', "Name: FnPlain, FlexibleTimeWindow: { Mode: 'OFF' }")}${FUNCTION}`,
      want: [expect.stringMatching(/^Resources\.Fn\.Properties\.Events\.Plain: a second schedule named FnPlain in group default, beside First: /)],
    },
    { given: 'one name in two groups (neighbour)', resources: `${schedule('First', "Name: dup, FlexibleTimeWindow: { Mode: 'OFF' }")}${schedule('Second', "Name: dup, GroupName: other, FlexibleTimeWindow: { Mode: 'OFF' }")}`, want: [] },
  ])('$given', async ({ resources, want }) => {
    // Act
    const t = await load(resources);

    // Assess
    expect((t.notEmulated ?? []).filter((n) => /ActionAfterCompletion|second schedule/.test(n))).toEqual(want);
  });
});
