/**
 * EventBridge Pipes in a running emulator (tests/emulator/fixtures/pipes-app): a table's stream to an event bus
 * (filtered to inserts, with the pipe's detail-type and source), a queue through a function's enrichment to a state
 * machine, a queue to a queue through an input template; a pipe whose target is not served is said and not run. Waits
 * are on SQS long polls.
 */
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { SendMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../../emulator/app.js';
import { pipeNotes } from '../../../../emulator/services/pipes/start.js';
import type { LoadedTemplate } from '../../../../emulator/template/model.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/pipes-app/template.yaml', import.meta.url));
let emulator: RunningEmulator;
let queues: QueueReader;
let sqs: SQSClient;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, {}));
  sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SQS, credentials: emulator.credentials });
}, 60_000);
afterAll(() => emulator?.close());

const send = (queue: string, body: unknown) => sqs.send(new SendMessageCommand({ QueueUrl: `${emulator.services.AWS_ENDPOINT_URL_SQS}/123456789012/${queue}`, MessageBody: JSON.stringify(body) }));

describe('a DynamoDB stream to an event bus', () => {
  it('an insert becomes an event with the pipe`s source and detail-type, the stream record as detail; an update does not pass the filter', async () => {
    // Prepare
    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_DYNAMODB, credentials: emulator.credentials });

    // Act
    await dynamodb.send(new PutItemCommand({ TableName: 'local-Orders', Item: { id: { S: 'o-1' }, total: { N: '5' } } }));
    await dynamodb.send(new PutItemCommand({ TableName: 'local-Orders', Item: { id: { S: 'o-1' }, total: { N: '6' } } }));
    await dynamodb.send(new PutItemCommand({ TableName: 'local-Orders', Item: { id: { S: 'o-2' }, total: { N: '1' } } }));
    const events: { source: string; 'detail-type': string; detail: { eventName: string; eventSource: string; dynamodb: { NewImage: unknown } } }[] = [];
    while (events.length < 2) for (const body of await queues.next('local-Created')) events.push(JSON.parse(body) as (typeof events)[number]);

    // Assess
    expect(events.map((e) => [e.source, e['detail-type'], e.detail.eventName, e.detail.eventSource])).toEqual([
      ['myapp.orders', 'OrderCreated', 'INSERT', 'aws:dynamodb'],
      ['myapp.orders', 'OrderCreated', 'INSERT', 'aws:dynamodb'],
    ]);
    expect(events.map((e) => e.detail.dynamodb.NewImage)).toEqual([
      { id: { S: 'o-1' }, total: { N: '5' } },
      { id: { S: 'o-2' }, total: { N: '1' } },
    ]);
  });
});

describe('a queue through an enrichment to a state machine', () => {
  it('the function`s answer is the batch the state machine gets, as a JSON array', async () => {
    await send('local-Inbox', { order: 'o-9' });

    const [body] = await queues.next('local-Processed');

    expect(JSON.parse(body!)).toEqual([{ order: 'o-9', enriched: true }]);
  });
});

describe('a queue to a queue through an input template', () => {
  it('fills `<$.body.x>` from the JSON body, `<aws.pipes.pipe-name>`, and `<$.body>` outside quotes as JSON', async () => {
    await send('local-Copies', { id: 'c-1', n: 2 });

    const [body] = await queues.next('local-Copied');

    expect(JSON.parse(body!)).toEqual({ id: 'c-1', via: 'copy', whole: { id: 'c-1', n: 2 } });
  });
});

describe('the startup report', () => {
  it('lists each pipe from source to target, and says the one whose target is not served is not run', () => {
    expect(emulator.pipeNotes).toEqual([
      'OrderCreatedPipe (local-OrderCreatedPipe): dynamodb arn:aws:dynamodb:us-east-1:123456789012:table/local-Orders/stream/1970-01-01T00:00:00.000 -> events arn:aws:events:us-east-1:123456789012:event-bus/orders',
      'EnrichedPipe (enriched): sqs arn:aws:sqs:us-east-1:123456789012:local-Inbox -> enrichment arn:aws:lambda:us-east-1:123456789012:function:Enrich -> states arn:aws:states:us-east-1:123456789012:stateMachine:local-Process',
      'CopyPipe (copy): sqs arn:aws:sqs:us-east-1:123456789012:local-Copies -> sqs arn:aws:sqs:us-east-1:123456789012:local-Copied',
      'LogsPipe (local-LogsPipe): not run: its target arn:aws:logs:us-east-1:123456789012:log-group:somewhere: logs targets are not served locally',
    ]);
  });

  it('lists the pipe that is not run as a NOT EMULATED resource, the others EMULATED', () => {
    const pipes = (emulator.template.resources ?? []).filter((g) => g.type === 'AWS::Pipes::Pipe');

    // In the report's order: not emulated first (template/resources.ts reportOrder).
    expect(pipes).toEqual([
      { type: 'AWS::Pipes::Pipe', logicalIds: ['LogsPipe'], status: 'not-emulated', detail: 'not run: its target arn:aws:logs:us-east-1:123456789012:log-group:somewhere is not served' },
      expect.objectContaining({ status: 'emulated', logicalIds: ['OrderCreatedPipe', 'EnrichedPipe', 'CopyPipe'] }),
    ]);
  });
});

describe('a template whose only pipe is not run', () => {
  it('is refused at start, naming the pipe and its target that is not served', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipes-only-'));
    writeFileSync(join(dir, 'template.yaml'), `Resources:\n  Q:\n    Type: AWS::SQS::Queue\n  P:\n    Type: AWS::Pipes::Pipe\n    Properties:\n      RoleArn: arn:aws:iam::123456789012:role/r\n      Source: !GetAtt Q.Arn\n      Target: arn:aws:logs:us-east-1:123456789012:log-group:g\n`);

    const started = startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, log: () => undefined });

    await expect(started).rejects.toThrow(/no API to serve:\n {2}Resources\.P \(AWS::Pipes::Pipe\): not run: its target arn:aws:logs:us-east-1:123456789012:log-group:g is not served/);
  });
});

describe('--strict with a pipe that is not run', () => {
  it('is refused, the pipe named once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pipes-strict-'));
    writeFileSync(join(dir, 'template.yaml'), `Transform: AWS::Serverless-2016-10-31\nResources:\n  Q:\n    Type: AWS::SQS::Queue\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: { Runtime: nodejs20.x, Handler: index.handler, InlineCode: 'exports.handler = async () => ({})', Events: { Get: { Type: HttpApi } } }\n  P:\n    Type: AWS::Pipes::Pipe\n    Properties:\n      RoleArn: arn:aws:iam::123456789012:role/r\n      Source: !GetAtt Q.Arn\n      Target: arn:aws:logs:us-east-1:123456789012:log-group:g\n`);

    const error = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, strict: true, log: () => undefined }).then(
      async (running) => {
        await running.close();
        return undefined;
      },
      (e: unknown) => e as Error,
    );

    expect(error?.name).toBe('StrictModeError');
    expect(error?.message.match(/Resources\.P \(AWS::Pipes::Pipe\): not run: its target arn:aws:logs:us-east-1:123456789012:log-group:g is not served/g)).toHaveLength(1);
  });
});

describe('pipeNotes', () => {
  it('says a STANDARD state machine target without FIRE_AND_FORGET fails every batch (REQUEST_RESPONSE is the default)', () => {
    const machine = { logicalId: 'M', name: 'm', arn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', type: 'STANDARD' as const };
    const pipe = { logicalId: 'P', name: 'p', arn: 'arn:aws:pipes:us-east-1:123456789012:pipe/p', source: 'arn:aws:sqs:us-east-1:123456789012:q', sourceKind: 'sqs' as const, batchSize: 1, batchingWindowSeconds: 0, maximumRetryAttempts: -1, running: true, target: machine.arn, targetParameters: {} };
    const template = { stateMachines: [machine], pipes: [pipe, { ...pipe, logicalId: 'Q', targetParameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } } }] } as unknown as LoadedTemplate;

    const notes = pipeNotes([{ path: '', template }]);

    expect(notes.filter((n) => n.includes('FIRE_AND_FORGET only'))).toEqual(['P (p): a STANDARD state machine takes FIRE_AND_FORGET only (REQUEST_RESPONSE, the default, is for EXPRESS): every batch fails here']);
  });
});
