/**
 * The embedded EventBridge Scheduler API (Scheduler API Reference) through the AWS SDK's own client: a schedule a
 * function creates at run time (CreateSchedule) fires as the template's do, on a fake scheduler's time; Get, List,
 * Update and Delete; a one-time schedule with ActionAfterCompletion DELETE is gone once it fired; the errors the API
 * names (ConflictException, ResourceNotFoundException, ValidationException).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CreateScheduleCommand, CreateScheduleGroupCommand, DeleteScheduleCommand, DeleteScheduleGroupCommand, GetScheduleCommand, GetScheduleGroupCommand, ListScheduleGroupsCommand, ListSchedulesCommand, SchedulerClient, UpdateScheduleCommand } from '@aws-sdk/client-scheduler';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../emulator/app.js';
import { SchedulerApi } from '../../../../emulator/services/eventbridge/scheduler-api.js';
import { schedulerTimings } from '../../../../emulator/services/eventbridge/schedules.js';
import type { SchedulerScheduleSpec } from '../../../../emulator/template/model.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { queueReader } from '../../support/event-app.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

const START = Date.parse('2026-03-10T10:07:30.000Z');
/** One of the template's own schedules, once at noon, to the queue: the API serves it as those created at run time. */
const atNoon = (id: string, name: string) => `  ${id}:
    Type: AWS::Scheduler::Schedule
    Properties:
      Name: ${name}
      ScheduleExpression: at(2026-03-10T12:00:00)
      FlexibleTimeWindow: { Mode: 'OFF' }
      Target: { Arn: !GetAtt Reminders.Arn, RoleArn: arn:aws:iam::123456789012:role/scheduler, Input: '"${name}"' }
`;
const TEMPLATE = `
Transform: AWS::Serverless-2016-10-31
Resources:
  Reminders:
    Type: AWS::SQS::Queue
    Properties:
      QueueName: reminders
  Team:
    Type: AWS::Scheduler::ScheduleGroup
    Properties:
      Name: team
${atNoon('Audit', 'audit')}${atNoon('Sweep', 'sweep')}${atNoon('SweepAgain', 'sweep')}  # Something served, so that the gateway starts (a template of only a queue and a group serves nothing).
  Forward:
    Type: AWS::Events::Rule
    Properties:
      EventPattern: { source: [reminders] }
      Targets: [{ Id: q, Arn: !GetAtt Reminders.Arn }]
`;

const dir = mkdtempSync(join(tmpdir(), 'scheduler-api-'));
const clock = new FakeScheduler(START);
const reports = new AwaitedReports<DeliveryReport>();
let emulator: RunningEmulator;
let scheduler: SchedulerClient;
let queueArn: string;
beforeAll(async () => {
  writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
  emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), scheduler: clock, log: () => undefined, onRequest: () => undefined, onEventDelivery: reports.add });
  scheduler = new SchedulerClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SCHEDULER, credentials: emulator.credentials });
  queueArn = 'arn:aws:sqs:us-east-1:123456789012:reminders';
}, 60_000);
afterAll(async () => {
  await emulator?.close();
  rmSync(dir, { recursive: true, force: true });
});

const target = (input: string) => ({ Arn: queueArn, RoleArn: 'arn:aws:iam::123456789012:role/scheduler', Input: input });
const off = { Mode: 'OFF' as const };

describe('a schedule created at run time', () => {
  it('fires at its time, its target getting its Input; a one-time schedule with ActionAfterCompletion DELETE is then gone', async () => {
    // Act
    const created = await scheduler.send(new CreateScheduleCommand({ Name: 'stretch', ScheduleExpression: 'at(2026-03-10T10:30:00)', FlexibleTimeWindow: off, Target: target('{"say":"stretch"}'), ActionAfterCompletion: 'DELETE' }));
    const before = await scheduler.send(new GetScheduleCommand({ Name: 'stretch' }));
    await clock.advance(Date.parse('2026-03-10T10:30:00.000Z') - clock.now());
    const delivered = await reports.where((r) => r.rule === 'default/stretch');
    const after = await scheduler.send(new GetScheduleCommand({ Name: 'stretch' })).catch((error: Error) => error.name);

    // Assess
    expect(created.ScheduleArn).toBe('arn:aws:scheduler:us-east-1:123456789012:schedule/default/stretch');
    expect(before).toMatchObject({ Name: 'stretch', GroupName: 'default', State: 'ENABLED', ScheduleExpression: 'at(2026-03-10T10:30:00)', ActionAfterCompletion: 'DELETE', Target: { Arn: queueArn } });
    expect(delivered).toMatchObject({ via: 'scheduler', kind: 'sqs', outcome: 'ok' });
    expect(await queueReader(emulator).next('reminders')).toEqual(['{"say":"stretch"}']);
    expect(after).toBe('ResourceNotFoundException');
  });

  it('is listed, updated (the whole schedule replaced) and deleted, in its group', async () => {
    await scheduler.send(new CreateScheduleCommand({ Name: 'standup', GroupName: 'team', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: off, Target: target('"daily"') }));

    await scheduler.send(new UpdateScheduleCommand({ Name: 'standup', GroupName: 'team', ScheduleExpression: 'rate(2 days)', State: 'DISABLED', FlexibleTimeWindow: off, Target: target('"every other day"') }));
    const updated = await scheduler.send(new GetScheduleCommand({ Name: 'standup', GroupName: 'team' }));
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: 'team' }));
    await scheduler.send(new DeleteScheduleCommand({ Name: 'standup', GroupName: 'team' }));
    const afterDelete = await scheduler.send(new ListSchedulesCommand({ GroupName: 'team' }));

    expect(updated).toMatchObject({ ScheduleExpression: 'rate(2 days)', State: 'DISABLED', Target: { Input: '"every other day"' } });
    expect(listed.Schedules?.map((s) => [s.Name, s.GroupName, s.State])).toEqual([['standup', 'team', 'DISABLED']]);
    expect(afterDelete.Schedules).toEqual([]);
  });

  it('a group created at run time takes schedules; deleting it deletes them; the default group cannot be deleted', async () => {
    const created = await scheduler.send(new CreateScheduleGroupCommand({ Name: 'night' }));
    await scheduler.send(new CreateScheduleCommand({ Name: 'backup', GroupName: 'night', ScheduleExpression: 'cron(0 2 * * ? *)', FlexibleTimeWindow: off, Target: target('{}') }));
    const described = await scheduler.send(new GetScheduleGroupCommand({ Name: 'night' }));
    const groups = await scheduler.send(new ListScheduleGroupsCommand({}));
    await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'night' }));
    const gone = await scheduler.send(new GetScheduleCommand({ Name: 'backup', GroupName: 'night' })).then(() => 'still there', (error: Error) => error.name);
    const defaultDeleted = await scheduler.send(new DeleteScheduleGroupCommand({ Name: 'default' })).then(() => 'deleted', (error: Error) => error.name);

    expect(created.ScheduleGroupArn).toBe('arn:aws:scheduler:us-east-1:123456789012:schedule-group/night');
    expect(described).toMatchObject({ Name: 'night', State: 'ACTIVE' });
    expect(groups.ScheduleGroups?.map((g) => g.Name)).toEqual(['default', 'team', 'night']);
    expect(gone).toBe('ResourceNotFoundException');
    expect(defaultDeleted).toBe('ValidationException');
  });

  it.each([
    { given: 'a name taken in its group', act: async () => { await scheduler.send(new CreateScheduleCommand({ Name: 'twice', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: off, Target: target('{}') })); return scheduler.send(new CreateScheduleCommand({ Name: 'twice', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: off, Target: target('{}') })); }, want: 'ConflictException' },
    { given: 'a group that does not exist', act: () => scheduler.send(new CreateScheduleCommand({ Name: 'lost', GroupName: 'nobody', ScheduleExpression: 'rate(1 hour)', FlexibleTimeWindow: off, Target: target('{}') })), want: 'ResourceNotFoundException' },
    { given: 'an expression Scheduler refuses', act: () => scheduler.send(new CreateScheduleCommand({ Name: 'bad', ScheduleExpression: 'every day', FlexibleTimeWindow: off, Target: target('{}') })), want: 'ValidationException' },
    { given: 'a schedule that does not exist', act: () => scheduler.send(new DeleteScheduleCommand({ Name: 'never' })), want: 'ResourceNotFoundException' },
  ])('$given is $want', async ({ act, want }) => {
    const name = await act().then(() => 'no error', (error: Error) => error.name);

    expect(name).toBe(want);
  });
});

describe('a schedule of the template (AWS::Scheduler::Schedule)', () => {
  it('is one the API knows: described, listed, not created twice, and disabled by UpdateSchedule it does not fire', async () => {
    // Act
    const described = await scheduler.send(new GetScheduleCommand({ Name: 'audit' }));
    const again = await scheduler.send(new CreateScheduleCommand({ Name: 'audit', ScheduleExpression: 'rate(1 day)', FlexibleTimeWindow: off, Target: target('{}') })).then(() => 'created', (error: Error) => error.name);
    const listed = await scheduler.send(new ListSchedulesCommand({ GroupName: 'default' }));
    await scheduler.send(new UpdateScheduleCommand({ Name: 'audit', ScheduleExpression: 'at(2026-03-10T12:00:00)', State: 'DISABLED', FlexibleTimeWindow: off, Target: target('"audit"') }));
    await clock.advance(Date.parse('2026-03-10T12:00:00.000Z') - clock.now());
    // Its neighbour, due at the same time, fired: had the disabled one still run, it would have fired with it.
    await reports.where((r) => r.rule === 'Sweep');

    // Assess
    // FlexibleTimeWindow is required of the resource and of CreateSchedule: GetSchedule always has it.
    expect(described).toMatchObject({ Arn: 'arn:aws:scheduler:us-east-1:123456789012:schedule/default/audit', Name: 'audit', GroupName: 'default', State: 'ENABLED', ScheduleExpression: 'at(2026-03-10T12:00:00)', FlexibleTimeWindow: { Mode: 'OFF' }, Target: { Arn: queueArn, Input: '"audit"' } });
    expect(again).toBe('ConflictException');
    expect(listed.Schedules?.map((s) => s.Name)).toEqual(expect.arrayContaining(['audit', 'sweep']));
    expect(reports.all.filter((r) => r.rule === 'Audit' || r.rule === 'default/audit')).toEqual([]);
  });
});

describe('two template schedules of one name in one group (a template CloudFormation does not deploy)', () => {
  it('the start report says the second is not run (the load says NOT EMULATED why)', () => {
    const lines = emulator.eventNotes.filter((n) => n.startsWith('SweepAgain'));

    expect(lines).toEqual(['SweepAgain (EventBridge Scheduler, group default): not run: Sweep is the schedule named sweep in that group']);
  });

  it('the first runs, the second is not started, and no timer outlives close()', async () => {
    // Prepare
    const own = new FakeScheduler(START);
    const spec = (id: string): SchedulerScheduleSpec => ({ id, name: 'dup', group: 'default', expression: 'rate(1 hour)', enabled: true, flexibleTimeWindow: { Mode: 'OFF' }, target: { id: `${id}Target`, arn: queueArn } });
    const fired: string[] = [];
    const api = new SchedulerApi({ region: 'us-east-1', accountId: '123456789012', scheduler: own, groups: [], fire: (s) => fired.push(s.id), template: { timings: schedulerTimings([spec('First'), spec('Second')], START), created: START } });

    // Act
    await own.advance(60 * 60 * 1000);
    api.close();
    const pendingAfterClose = own.pending;

    // Assess: a rate schedule without StartDate fires at once, then each hour
    expect(fired).toEqual(['First', 'First']);
    expect(pendingAfterClose).toBe(0);
  });
});
