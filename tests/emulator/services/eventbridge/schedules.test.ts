/**
 * Scheduled rules (EventBridge User Guide, "Creating a rule that runs on a schedule" and its cron/rate reference):
 * the expressions EventBridge accepts and when they fire (UTC), the runner on a fake scheduler, and a SAM Schedule
 * event firing in a running emulator.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../../emulator/app.js';
import { loadTemplate } from '../../../../emulator/template/load.js';
import { parseSchedule, ScheduleExpressionError } from '../../../../emulator/services/eventbridge/schedule-expression.js';
import { ruleSchedules, runSchedules, schedulerTimings } from '../../../../emulator/services/eventbridge/schedules.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import type { EventRuleSpec, SchedulerScheduleSpec } from '../../../../emulator/template/model.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

const at = (iso: string): number => Date.parse(iso);
const iso = (ms: number | undefined): string | undefined => (ms === undefined ? undefined : new Date(ms).toISOString());
const START = at('2026-03-10T10:07:30.000Z'); // a Tuesday

describe('parseSchedule: when an expression next fires after a moment (UTC)', () => {
  it.each([
    { given: 'rate(5 minutes), counted from the rule`s creation', expression: 'rate(5 minutes)', after: START, want: '2026-03-10T10:12:30.000Z' },
    { given: 'rate(5 minutes), just after a firing', expression: 'rate(5 minutes)', after: at('2026-03-10T10:12:30.000Z'), want: '2026-03-10T10:17:30.000Z' },
    { given: 'rate(1 hour)', expression: 'rate(1 hour)', after: START, want: '2026-03-10T11:07:30.000Z' },
    { given: 'rate(2 days)', expression: 'rate(2 days)', after: START, want: '2026-03-12T10:07:30.000Z' },
    { given: 'cron every 15 minutes', expression: 'cron(0/15 * * * ? *)', after: START, want: '2026-03-10T10:15:00.000Z' },
    { given: 'cron at 12:00 every day', expression: 'cron(0 12 * * ? *)', after: START, want: '2026-03-10T12:00:00.000Z' },
    { given: 'cron at 12:00 every day, once past it', expression: 'cron(0 12 * * ? *)', after: at('2026-03-10T12:00:00.000Z'), want: '2026-03-11T12:00:00.000Z' },
    { given: 'cron weekdays 18:00 (MON-FRI)', expression: 'cron(0 18 ? * MON-FRI *)', after: at('2026-03-13T18:30:00.000Z'), want: '2026-03-16T18:00:00.000Z' },
    { given: 'cron on the 1st of each month', expression: 'cron(15 10 1 * ? *)', after: START, want: '2026-04-01T10:15:00.000Z' },
    { given: 'cron on the last day of the month (L)', expression: 'cron(0 0 L * ? *)', after: at('2026-02-10T00:00:00.000Z'), want: '2026-02-28T00:00:00.000Z' },
    { given: 'cron on the weekday nearest the 15th (15W; Sunday the 15th: Monday)', expression: 'cron(0 9 15W * ? *)', after: at('2026-03-01T00:00:00.000Z'), want: '2026-03-16T09:00:00.000Z' },
    { given: 'cron on the second Tuesday (3#2)', expression: 'cron(0 8 ? * 3#2 *)', after: at('2026-03-01T00:00:00.000Z'), want: '2026-03-10T08:00:00.000Z' },
    { given: 'cron on the last Friday (6L)', expression: 'cron(0 8 ? * 6L *)', after: at('2026-03-01T00:00:00.000Z'), want: '2026-03-27T08:00:00.000Z' },
    { given: 'cron in named months (JAN,JUL)', expression: 'cron(0 0 1 JAN,JUL ? *)', after: START, want: '2026-07-01T00:00:00.000Z' },
    { given: 'cron in a year already over: never again', expression: 'cron(0 0 1 1 ? 2020)', after: START, want: undefined },
  ])('$given: $expression → $want', ({ expression, after, want }) => {
    expect(iso(parseSchedule(expression, START).next(after))).toBe(want);
  });

  it.each([
    { expression: 'rate(1 minutes)', why: /singular/ },
    { expression: 'rate(5 minute)', why: /plural/ },
    { expression: 'rate(0 minutes)', why: /at least 1/ },
    { expression: 'rate(5 weeks)', why: /minute\(s\), hour\(s\) or day\(s\)/ },
    { expression: 'cron(0 12 * * * *)', why: /one of Day-of-month and Day-of-week must be \?/ },
    { expression: 'cron(0 12 ? * ? *)', why: /one of Day-of-month and Day-of-week must be \?/ },
    { expression: 'cron(0 12 * *)', why: /six fields/ },
    { expression: 'cron(61 12 * * ? *)', why: /61 is not within 0-59/ },
    { expression: 'every 5 minutes', why: /not rate\(\.\.\.\) nor cron\(\.\.\.\)/ },
  ])('$expression is refused, as EventBridge refuses it ($why)', ({ expression, why }) => {
    const act = () => parseSchedule(expression, START);

    expect(act).toThrow(ScheduleExpressionError);
    expect(act).toThrow(why);
  });
});

/** What the event buses run: an enabled rule with a target. */
const RUNNABLE = (r: EventRuleSpec): boolean => r.enabled && r.targets.length > 0;
describe('parseSchedule for EventBridge Scheduler: at(...) and ScheduleExpressionTimezone', () => {
  it.each([
    { given: 'at() once, in UTC', expression: 'at(2026-03-11T08:00:00)', timezone: undefined, after: START, want: '2026-03-11T08:00:00.000Z' },
    { given: 'at() once it has passed: never again', expression: 'at(2026-03-11T08:00:00)', timezone: undefined, after: at('2026-03-11T08:00:00.000Z'), want: undefined },
    { given: 'at() in New York (EDT from 8 March 2026: UTC-4)', expression: 'at(2026-03-11T08:00:00)', timezone: 'America/New_York', after: START, want: '2026-03-11T12:00:00.000Z' },
    { given: 'cron 09:00 in Berlin in winter (UTC+1)', expression: 'cron(0 9 * * ? *)', timezone: 'Europe/Berlin', after: START, want: '2026-03-11T08:00:00.000Z' },
    { given: 'cron 09:00 in Berlin after the clocks go forward (UTC+2 from 29 March)', expression: 'cron(0 9 * * ? *)', timezone: 'Europe/Berlin', after: at('2026-03-29T12:00:00.000Z'), want: '2026-03-30T07:00:00.000Z' },
    { given: 'rate() ignores the time zone', expression: 'rate(1 hour)', timezone: 'Asia/Tokyo', after: START, want: '2026-03-10T11:07:30.000Z' },
  ])('$given: $expression → $want', ({ expression, timezone, after, want }) => {
    expect(iso(parseSchedule(expression, START, { scheduler: true, ...(timezone ? { timezone } : {}) }).next(after))).toBe(want);
  });

  it.each([
    { given: 'a value above 1 with a singular unit (serverless-patterns write rate(5 minute))', expression: 'rate(5 minute)', want: ['2026-03-10T10:07:30.000Z', '2026-03-10T10:12:30.000Z'] },
    { given: '1 with a plural unit', expression: 'rate(1 hours)', want: ['2026-03-10T10:07:30.000Z', '2026-03-10T11:07:30.000Z'] },
  ])('a Scheduler rate takes $given, and fires first at its start ("starts invoking the target immediately")', ({ expression, want }) => {
    const schedule = parseSchedule(expression, START, { scheduler: true });
    const first = schedule.next(START - 1)!;

    expect([first, schedule.next(first)!].map((t) => iso(t))).toEqual(want);
  });

  it.each([
    { expression: 'at(2026-03-11T08:00:00)', options: {}, why: /not rate\(\.\.\.\) nor cron\(\.\.\.\)/ },
    { expression: 'cron(0 9 * * ? *)', options: { scheduler: true, timezone: 'Mars/Olympus' }, why: /Mars\/Olympus is not a time zone/ },
  ])('$expression with $options is refused', ({ expression, options, why }) => {
    expect(() => parseSchedule(expression, START, options)).toThrow(why);
  });
});

describe('parseSchedule: expressions at the edges (from a hostile pass)', () => {
  it.each([
    { given: 'a rate past the last date a Date holds: never', expression: 'rate(99999999 days)', options: {}, want: undefined },
    { given: 'a cron year far away is found', expression: 'cron(0 0 1 1 ? 2199)', options: {}, want: '2199-01-01T00:00:00.000Z' },
  ])('$given', ({ expression, options, want }) => {
    expect(iso(parseSchedule(expression, START, options).next(START))).toBe(want);
  });

  it.each([
    { given: 'a day a month does not have (no rollover to March)', expression: 'at(2030-02-30T00:00:00)', options: { scheduler: true }, why: /2030-02-30T00:00:00 is not a date and time/ },
    { given: 'a time zone that is none, on a rate too', expression: 'rate(5 minutes)', options: { scheduler: true, timezone: 'Mars/Base' }, why: /Mars\/Base is not a time zone/ },
    { given: 'fields that are not numbers: the first one named', expression: 'cron(a b c d e f)', options: {}, why: /a is not within 0-59/ },
  ])('$given is refused', ({ expression, options, why }) => {
    expect(() => parseSchedule(expression, START, options)).toThrow(why);
  });
});

describe('schedulerTimings: StartDate and EndDate', () => {
  const spec = (extra: Partial<SchedulerScheduleSpec>): SchedulerScheduleSpec => ({ id: 'S', name: 'S', group: 'default', expression: 'rate(1 day)', enabled: true, target: { id: 't', arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' }, ...extra });

  it.each([
    { given: 'a rate from a later StartDate: first at the StartDate', extra: { startDate: at('2026-04-01T00:00:00.000Z') }, want: ['2026-04-01T00:00:00.000Z', '2026-04-02T00:00:00.000Z'] },
    { given: 'a cron not before its StartDate', extra: { expression: 'cron(0 12 * * ? *)', startDate: at('2026-03-20T00:00:00.000Z') }, want: ['2026-03-20T12:00:00.000Z', '2026-03-21T12:00:00.000Z'] },
    { given: 'nothing after its EndDate', extra: { endDate: at('2026-03-12T00:00:00.000Z') }, want: ['2026-03-11T10:07:30.000Z'] },
  ])('$given', ({ extra, want }) => {
    const timing = schedulerTimings([spec(extra)], START)[0]!;
    const schedule = 'schedule' in timing ? timing.schedule : undefined;
    const first = schedule?.next(START);
    const second = first === undefined ? undefined : schedule?.next(first);

    expect([first, second].filter((t) => t !== undefined).map((t) => iso(t))).toEqual(want);
  });
});

const rule = (extra: Partial<EventRuleSpec> = {}): EventRuleSpec => ({ id: 'Nightly', name: 'stack-Nightly', bus: 'default', schedule: 'rate(1 hour)', enabled: true, targets: [{ id: 't', arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' }], ...extra });

describe('Scheduler dates Scheduler would refuse', () => {
  const dir = mkdtempSync(join(tmpdir(), 'scheduler-dates-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each([
    { given: 'a StartDate that is no date', dates: "StartDate: 'not-a-date'", want: 'StartDate "not-a-date" is not a date and time (EventBridge Scheduler refuses it)' },
    { given: 'a StartDate after its EndDate', dates: "StartDate: '2027-01-02T00:00:00Z', EndDate: '2027-01-01T00:00:00Z'", want: 'its StartDate is not before its EndDate (EventBridge Scheduler refuses it)' },
  ])('$given: the schedule never fires, and says why', async ({ dates, want }) => {
    const file = join(dir, `${dates.length}.yaml`);
    writeFileSync(file, `Resources:\n  S:\n    Type: AWS::Scheduler::Schedule\n    Properties: { ScheduleExpression: rate(1 minute), FlexibleTimeWindow: { Mode: 'OFF' }, ${dates}, Target: { Arn: arn:aws:sqs:us-east-1:123456789012:q, RoleArn: arn:aws:iam::123456789012:role/r } }\n`);

    const specs = (await loadTemplate(file)).schedulerSchedules ?? [];

    expect(schedulerTimings(specs, START)).toEqual([{ subject: expect.objectContaining({ id: 'S' }), problem: want }]);
  });
});

describe('runSchedules on a fake scheduler', () => {
  it('fires a rate schedule at each period from the start, and no more once stopped', async () => {
    // Prepare
    const clock = new FakeScheduler(START);
    const fired: string[] = [];
    const running = runSchedules(ruleSchedules([rule()], clock.now()), RUNNABLE, clock, (_rule, when) => fired.push(new Date(when).toISOString()));

    // Act
    await clock.advance(3 * 3_600_000);
    running.stop();
    await clock.advance(3 * 3_600_000);

    // Assess
    expect(fired).toEqual(['2026-03-10T11:07:30.000Z', '2026-03-10T12:07:30.000Z', '2026-03-10T13:07:30.000Z']);
    expect(clock.pending).toBe(0);
  });

  it('fires a Scheduler rate schedule without a StartDate at once, then each period', async () => {
    const clock = new FakeScheduler(START);
    const fired: string[] = [];
    const spec: SchedulerScheduleSpec = { id: 'S', name: 'S', group: 'default', expression: 'rate(30 minutes)', enabled: true, target: { id: 't', arn: 'arn:aws:lambda:us-east-1:123456789012:function:f' } };
    runSchedules(schedulerTimings([spec], clock.now()), () => true, clock, (_spec, when) => fired.push(new Date(when).toISOString()), clock.now() - 1);

    await clock.advance(3_600_000);

    expect(fired).toEqual(['2026-03-10T10:07:30.000Z', '2026-03-10T10:37:30.000Z', '2026-03-10T11:07:30.000Z']);
  });

  it('reaches a firing months away (beyond setTimeout`s 24.8 days) in steps, at its time', async () => {
    const clock = new FakeScheduler(START);
    const fired: number[] = [];
    runSchedules(ruleSchedules([rule({ schedule: 'cron(0 0 1 JUL ? *)' })], clock.now()), RUNNABLE, clock, (_rule, when) => fired.push(when));

    await clock.advance(120 * 86_400_000);

    expect(fired.map((ms) => new Date(ms).toISOString())).toEqual(['2026-07-01T00:00:00.000Z']);
  });

  it.each([
    { given: 'a disabled rule', extra: { enabled: false } },
    { given: 'a rule without targets', extra: { targets: [] } },
    { given: 'a schedule on another bus (EventBridge runs schedules on the default bus only)', extra: { bus: 'orders' } },
    { given: 'an expression EventBridge refuses', extra: { schedule: 'rate(1 hours)' } },
  ])('does not fire $given', async ({ extra }) => {
    const clock = new FakeScheduler(START);
    const fired: number[] = [];
    runSchedules(ruleSchedules([rule(extra)], clock.now()), RUNNABLE, clock, (_rule, when) => fired.push(when));

    await clock.advance(5 * 3_600_000);

    expect(fired).toEqual([]);
  });

  it('says why a schedule does not run', () => {
    expect(ruleSchedules([rule({ bus: 'orders' }), rule({ schedule: 'rate(1 hours)' })], START)).toEqual([
      { subject: expect.objectContaining({ bus: 'orders' }), problem: 'a ScheduleExpression on bus orders: EventBridge runs schedules only on the default bus (PutRule refuses it)' },
      { subject: expect.objectContaining({ schedule: 'rate(1 hours)' }), problem: 'ScheduleExpression rate(1 hours) is not valid (EventBridge refuses it: the unit must be singular for 1)' },
    ]);
  });
});

/** A function `Tick` that sends each event it gets to the queue `Seen` (the test reads it there); its Events follow. */
const TICK_TO_QUEUE = [
  '  Tick:',
  '    Type: AWS::Serverless::Function',
  '    Properties:',
  '      Runtime: nodejs20.x',
  '      Handler: index.handler',
  '      Environment: { Variables: { QUEUE_URL: !Ref Seen } }',
  '      InlineCode: |',
  "        const { SQSClient, SendMessageCommand } = require('@aws-sdk/client-sqs');",
  '        const sqs = new SQSClient({});',
  '        exports.handler = async (event) => { await sqs.send(new SendMessageCommand({ QueueUrl: process.env.QUEUE_URL, MessageBody: JSON.stringify(event) })); };',
  '      Events:',
];

describe('a SAM Schedule event in a running emulator', () => {
  const dir = mkdtempSync(join(tmpdir(), 'schedules-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is served without an API, and its function gets the Scheduled Event (with the event`s Input when it has one) on time', async () => {
    // Prepare: two functions on schedules; one echoes what it got into its answer, which the delivery report does not
    // carry, so it writes it to a queue of the template instead.
    const template = join(dir, 'template.yaml');
    writeFileSync(
      template,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Seen: { Type: AWS::SQS::Queue, Properties: { QueueName: seen } }',
        ...TICK_TO_QUEUE,
        '        Hourly: { Type: Schedule, Properties: { Schedule: rate(1 hour) } }',
        "        Daily: { Type: Schedule, Properties: { Schedule: 'cron(30 10 * * ? *)', Input: '{\"job\":\"daily\"}' } }",
      ].join('\n'),
    );
    const clock = new FakeScheduler(START);
    const deliveries: DeliveryReport[] = [];
    let delivered: (() => void) | undefined;
    const emulator = await startEmulator({ templatePath: template, port: 0, localDir: join(dir, '.local'), scheduler: clock, log: () => undefined, onRequest: () => undefined, onEventDelivery: (r) => (deliveries.push(r), delivered?.()) });
    const { SQSClient, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SQS, credentials: emulator.credentials });
    const receive = async () => (await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${emulator.services.AWS_ENDPOINT_URL_SQS}/123456789012/seen`, WaitTimeSeconds: 20, MaxNumberOfMessages: 10 }))).Messages ?? [];
    try {
      // Act: to 10:30 (the daily cron), then to an hour after the start (the rate).
      const first = new Promise<void>((resolve) => (delivered = resolve));
      await clock.advance(at('2026-03-10T10:30:00.000Z') - clock.now());
      await first;
      const daily = JSON.parse((await receive())[0]!.Body!) as Record<string, unknown>;
      const second = new Promise<void>((resolve) => (delivered = resolve));
      await clock.advance(at('2026-03-10T11:07:30.000Z') - clock.now());
      await second;
      const hourly = JSON.parse((await receive())[0]!.Body!) as Record<string, unknown>;

      // Assess
      expect(emulator.apis).toEqual([]);
      expect(daily).toEqual({ job: 'daily' });
      expect(hourly).toMatchObject({ version: '0', 'detail-type': 'Scheduled Event', source: 'aws.events', account: '123456789012', region: 'us-east-1', time: '2026-03-10T11:07:30Z', detail: {} });
      expect(hourly.resources).toEqual([expect.stringMatching(/^arn:aws:events:us-east-1:123456789012:rule\/.+-TickHourly$/)]);
      expect(deliveries.map((d) => [d.rule, d.target, d.outcome])).toEqual([
        ['Tick.Daily', 'Tick', 'ok'],
        ['Tick.Hourly', 'Tick', 'ok'],
      ]);
    } finally {
      await emulator.close();
    }
  }, 60_000);

  it('EventBridge Scheduler: a ScheduleV2 event hands its function Scheduler`s default notification, a schedule on an event bus puts its Input as an event', async () => {
    // Prepare
    const template = join(dir, 'scheduler.yaml');
    writeFileSync(
      template,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Seen: { Type: AWS::SQS::Queue, Properties: { QueueName: seen-v2 } }',
        '  Ticks: { Type: AWS::Events::Rule, Properties: { EventPattern: { source: [my.scheduler] }, Targets: [{ Id: q, Arn: !GetAtt Seen.Arn }] } }',
        ...TICK_TO_QUEUE,
        "        Hourly: { Type: ScheduleV2, Properties: { ScheduleExpression: rate(1 hour), StartDate: '2026-03-10T11:00:00Z' } }",
        '  OnBus:',
        '    Type: AWS::Scheduler::Schedule',
        '    Properties:',
        "      ScheduleExpression: 'cron(30 10 * * ? *)'",
        "      FlexibleTimeWindow: { Mode: 'OFF' }",
        "      Target: { Arn: !Sub 'arn:aws:events:${AWS::Region}:${AWS::AccountId}:event-bus/default', RoleArn: arn:aws:iam::123456789012:role/r, Input: '{\"n\":1}', EventBridgeParameters: { DetailType: tick, Source: my.scheduler } }",
      ].join('\n'),
    );
    const clock = new FakeScheduler(START);
    let delivered: (() => void) | undefined;
    const emulator = await startEmulator({ templatePath: template, port: 0, localDir: join(dir, '.local-v2'), scheduler: clock, log: () => undefined, onRequest: () => undefined, onEventDelivery: () => delivered?.() });
    const { SQSClient, ReceiveMessageCommand } = await import('@aws-sdk/client-sqs');
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SQS, credentials: emulator.credentials });
    const receive = async () => JSON.parse((await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${emulator.services.AWS_ENDPOINT_URL_SQS}/123456789012/seen-v2`, WaitTimeSeconds: 20 }))).Messages![0]!.Body!) as Record<string, unknown>;
    try {
      // Act: to 10:30 (the bus schedule), then to 11:00 (the function's StartDate, its first firing).
      const first = new Promise<void>((resolve) => (delivered = resolve));
      await clock.advance(at('2026-03-10T10:30:00.000Z') - clock.now());
      await first;
      const onBus = await receive();
      const second = new Promise<void>((resolve) => (delivered = resolve));
      await clock.advance(at('2026-03-10T11:00:00.000Z') - clock.now());
      await second;
      const notification = await receive();

      // Assess
      expect(onBus).toMatchObject({ source: 'my.scheduler', 'detail-type': 'tick', detail: { n: 1 } });
      expect(notification).toEqual({ version: '0', id: expect.stringMatching(/^[0-9a-f-]{36}$/), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: '123456789012', time: '2026-03-10T11:00:00Z', region: 'us-east-1', resources: ['arn:aws:scheduler:us-east-1:123456789012:schedule/default/TickHourly'], detail: '{}' });
      expect(emulator.eventNotes).toEqual(expect.arrayContaining([
        'Tick.Hourly (EventBridge Scheduler, group default): delivers to Tick (function)',
        "Tick.Hourly: rate(1 hour): fires every hour, next at 2026-03-10T11:00:00.000Z (Scheduler's default notification)",
        'OnBus (EventBridge Scheduler, group default): delivers to event bus default (PutEvents)',
      ]));
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
