/**
 * EventBridge Scheduler's universal targets (Scheduler User Guide, "Using universal targets"): a schedule whose target
 * is `arn:aws:scheduler:::aws-sdk:<service>:<action>` calls that API of the embedded service with its Input; one of a
 * service not embedded is not delivered, said at start. Time is a fake scheduler's; waits are on delivery reports.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDBClient, GetItemCommand } from '@aws-sdk/client-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../../../emulator/app.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import { callUniversalTarget, universalTarget } from '../../../../emulator/services/eventbridge/universal-targets.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { queueReader } from '../../support/event-app.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

const START = Date.parse('2026-03-10T10:07:30.000Z');
const dir = mkdtempSync(join(tmpdir(), 'universal-targets-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A one-time schedule; `input` is YAML (a `!Sub` names the queue by its Ref, its URL on the embedded SQS). */
const schedule = (id: string, arn: string, input: string): string[] => [
  `  ${id}:`,
  '    Type: AWS::Scheduler::Schedule',
  '    Properties:',
  "      ScheduleExpression: 'at(2026-03-10T10:30:00)'",
  "      FlexibleTimeWindow: { Mode: 'OFF' }",
  '      Target:',
  `        Arn: '${arn}'`,
  '        RoleArn: arn:aws:iam::123456789012:role/r',
  `        Input: ${input}`,
];

describe('universalTarget', () => {
  it.each([
    { arn: 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', want: { service: 'sqs', action: 'sendMessage' } },
    { arn: 'arn:aws:scheduler:::aws-sdk:dynamodb:putItem', want: { service: 'dynamodb', action: 'putItem' } },
    { arn: 'arn:aws:sqs:us-east-1:123456789012:q', want: undefined },
  ])('$arn', ({ arn, want }) => {
    expect(universalTarget(arn)).toEqual(want);
  });

  it.each([
    { given: 'its name', name: 'reminder' },
    { given: 'its name and an alias', name: 'reminder:live' },
    { given: 'its ARN', name: 'arn:aws:lambda:us-east-1:123456789012:function:reminder' },
    { given: 'its ARN and a version', name: 'arn:aws:lambda:us-east-1:123456789012:function:reminder:3' },
    { given: 'a partial ARN', name: '123456789012:function:reminder' },
  ])('lambda:invoke finds the function by $given (as Invoke reads FunctionName)', async ({ name }) => {
    // Prepare
    const events: unknown[] = [];
    const functions = [
      { name: 'other', logicalId: 'Other', arn: 'arn:aws:lambda:us-east-1:123456789012:function:other', invoke: async () => ({ kind: 'function-error' as const, errorType: 'Wrong', errorMessage: 'wrong function', stackTrace: [], cold: false, durationMs: 0 }) },
      { name: 'reminder', logicalId: 'Reminder', arn: 'arn:aws:lambda:us-east-1:123456789012:function:reminder', invoke: async (event: unknown) => (events.push(event), { kind: 'ok' as const, payload: null, cold: false, durationMs: 1 }) },
    ];

    // Act
    const failure = await callUniversalTarget('arn:aws:scheduler:::aws-sdk:lambda:invoke', JSON.stringify({ FunctionName: name, Payload: '{"n":1}' }), { functions });

    // Assess
    expect(failure).toBeUndefined();
    expect(events).toEqual([{ n: 1 }]);
  });

  it('lambda:invoke of a function the template does not have names it', async () => {
    expect(await callUniversalTarget('arn:aws:scheduler:::aws-sdk:lambda:invoke', '{"FunctionName": "missing:live"}', { functions: [] })).toMatch(/the function missing:live is not one of the template's/);
  });

  it('an Input that is no JSON object is refused before any call', async () => {
    expect(await callUniversalTarget('arn:aws:scheduler:::aws-sdk:sqs:sendMessage', '"text"', { functions: [] })).toMatch(/not a JSON object/);
  });
});

describe('a schedule with universal targets', () => {
  it('calls SQS SendMessage and DynamoDB PutItem with its Input at its time; a service not embedded is named at start', async () => {
    // Prepare
    const template = join(dir, 'template.yaml');
    writeFileSync(
      template,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Resources:',
        '  Reminders: { Type: AWS::SQS::Queue, Properties: { QueueName: reminders } }',
        '  Ticks: { Type: AWS::DynamoDB::Table, Properties: { TableName: ticks, BillingMode: PAY_PER_REQUEST, AttributeDefinitions: [{ AttributeName: id, AttributeType: S }], KeySchema: [{ AttributeName: id, KeyType: HASH }] } }',
        ...schedule('Remind', 'arn:aws:scheduler:::aws-sdk:sqs:sendMessage', `!Sub '{"QueueUrl": "\${Reminders}", "MessageBody": "time to stretch"}'`),
        ...schedule('Record', 'arn:aws:scheduler:::aws-sdk:dynamodb:putItem', `'${JSON.stringify({ TableName: 'ticks', Item: { id: { S: 't-1' } } })}'`),
        ...schedule('Scale', 'arn:aws:scheduler:::aws-sdk:ecs:updateService', `'{"cluster": "c"}'`),
      ].join('\n'),
    );
    const clock = new FakeScheduler(START);
    const reports = new AwaitedReports<DeliveryReport>();
    const emulator = await startEmulator({ templatePath: template, port: 0, localDir: join(dir, '.local'), scheduler: clock, log: () => undefined, onRequest: () => undefined, onEventDelivery: reports.add });
    try {
      // Act
      await clock.advance(Date.parse('2026-03-10T10:30:00.000Z') - clock.now());
      const sent = await reports.where((r) => r.rule === 'Remind');
      const recorded = await reports.where((r) => r.rule === 'Record');
      const item = await new DynamoDBClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_DYNAMODB, credentials: emulator.credentials }).send(new GetItemCommand({ TableName: 'ticks', Key: { id: { S: 't-1' } } }));

      // Assess
      expect([sent, recorded].map((r) => [r.kind, r.outcome])).toEqual([['universal', 'ok'], ['universal', 'ok']]);
      expect(await queueReader(emulator).next('reminders')).toEqual(['time to stretch']);
      expect(item.Item).toEqual({ id: { S: 't-1' } });
      expect(emulator.eventNotes).toEqual(expect.arrayContaining([
        'Remind (EventBridge Scheduler, group default): delivers to aws-sdk:sqs:sendMessage (Scheduler universal target)',
        'Record (EventBridge Scheduler, group default): delivers to aws-sdk:dynamodb:putItem (Scheduler universal target)',
        'Scale (EventBridge Scheduler, group default): delivers to arn:aws:scheduler:::aws-sdk:ecs:updateService NOT DELIVERED (aws-sdk:ecs universal targets are not served locally)',
      ]));
    } finally {
      await emulator.close();
    }
  }, 60_000);
});
