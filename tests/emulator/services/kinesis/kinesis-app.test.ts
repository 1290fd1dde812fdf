/**
 * Kinesis in a running emulator (tests/emulator/fixtures/kinesis-app): records put through API Gateway's Kinesis
 * integration and through the SDK on AWS_ENDPOINT_URL_KINESIS reach the functions' Kinesis event sources as Lambda's
 * event, in order per shard; FilterCriteria on the data keep only purchases for the second one. Waits are on batch
 * reports and SQS long polls.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { GetRecordsCommand, GetShardIteratorCommand, KinesisClient, ListShardsCommand, PutRecordCommand, PutRecordsCommand } from '@aws-sdk/client-kinesis';
import { DynamoDBClient, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../../emulator/app.js';
import type { StreamBatchReport } from '../../../../emulator/services/dynamodb-streams/event-source.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';
import { dataOnlyProblems } from '../../../../emulator/services/kinesis/start.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/kinesis-app/template.yaml', import.meta.url));
const STREAM_ARN = 'arn:aws:kinesis:us-east-1:123456789012:stream/local-Clicks';
const reports = new AwaitedReports<StreamBatchReport>();
let emulator: RunningEmulator;
let queues: QueueReader;
let kinesis: KinesisClient;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, { onStreamBatch: reports.add }));
  kinesis = new KinesisClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_KINESIS, credentials: emulator.credentials });
}, 60_000);
afterAll(() => emulator?.close());

interface KinesisEvent {
  Records: { eventSource: string; eventName: string; eventID: string; eventSourceARN: string; kinesis: { partitionKey: string; sequenceNumber: string; data: string } }[];
}
const decoded = (r: KinesisEvent['Records'][number]) => JSON.parse(Buffer.from(r.kinesis.data, 'base64').toString('utf8')) as Record<string, unknown>;

/** Records from the queue until `count` have come. */
async function seen(queue: string, count: number): Promise<KinesisEvent['Records']> {
  const records: KinesisEvent['Records'] = [];
  while (records.length < count) for (const body of await queues.next(queue)) records.push(...(JSON.parse(body) as KinesisEvent).Records);
  return records;
}

describe('a stream fed by API Gateway`s Kinesis integration', () => {
  it('PutRecord answers with the shard and sequence number; the event source hands the record to its function', async () => {
    // Act
    const res = await fetch(`${emulator.apis[0]!.url}/clicks`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ user: 'ann', kind: 'view' }) });
    const body = (await res.json()) as { ShardId: string; SequenceNumber: string };
    const [record] = await seen('local-Seen', 1);

    // Assess
    expect(res.status).toBe(200);
    expect(body.ShardId).toMatch(/^shardId-00000000000[01]$/);
    expect(body.SequenceNumber).toMatch(/^\d{56}$/);
    expect(record).toMatchObject({ eventSource: 'aws:kinesis', eventName: 'aws:kinesis:record', eventSourceARN: STREAM_ARN, eventID: `${body.ShardId}:${body.SequenceNumber}`, kinesis: { partitionKey: 'ann', sequenceNumber: body.SequenceNumber } });
    expect(decoded(record!)).toEqual({ user: 'ann', kind: 'view' });
  });
});

describe('records put with the SDK', () => {
  it('reach the function in order within each shard; a partition key always lands on the same shard', async () => {
    // Act
    const put = await kinesis.send(new PutRecordsCommand({ StreamName: 'local-Clicks', Records: ['a', 'b', 'a', 'c', 'a'].map((user, i) => ({ PartitionKey: user, Data: Buffer.from(JSON.stringify({ user, n: i, kind: 'view' })) })) }));
    const records = await seen('local-Seen', 5);

    // Assess
    expect(put.FailedRecordCount).toBe(0);
    expect(new Set([0, 2, 4].map((i) => put.Records![i]!.ShardId)).size).toBe(1);
    expect(records.filter((r) => r.kinesis.partitionKey === 'a').map((r) => decoded(r).n)).toEqual([0, 2, 4]);
  });

  it('a purchase reaches the event source filtered on the data; views do not', async () => {
    await kinesis.send(new PutRecordCommand({ StreamName: 'local-Clicks', PartitionKey: 'bob', Data: Buffer.from(JSON.stringify({ user: 'bob', kind: 'buy' })) }));

    const [bought] = await seen('local-Bought', 1);

    expect(decoded(bought!)).toEqual({ user: 'bob', kind: 'buy' });
    expect(reports.all.some((r) => r.source === 'OnPurchase.Purchases' && r.outcome === 'filtered')).toBe(true);
  });

  it('GetShardIterator and GetRecords read each shard back from its start', async () => {
    const { Shards } = await kinesis.send(new ListShardsCommand({ StreamName: 'local-Clicks' }));
    const all: string[] = [];
    for (const shard of Shards!) {
      const { ShardIterator } = await kinesis.send(new GetShardIteratorCommand({ StreamName: 'local-Clicks', ShardId: shard.ShardId, ShardIteratorType: 'TRIM_HORIZON' }));
      const { Records } = await kinesis.send(new GetRecordsCommand({ ShardIterator, StreamARN: STREAM_ARN }));
      all.push(...Records!.map((r) => Buffer.from(r.Data!).toString('utf8')));
    }

    expect(Shards).toHaveLength(2);
    expect(all.map((d) => (JSON.parse(d) as { user: string }).user).sort()).toEqual(['a', 'a', 'a', 'ann', 'b', 'bob', 'c']);
  });

  it.each([
    ['a stream the template lacks', { StreamName: 'nope', PartitionKey: 'k', Data: Buffer.from('x') }, 'ResourceNotFoundException'],
    ['a partition key of 257 characters', { StreamName: 'local-Clicks', PartitionKey: 'k'.repeat(257), Data: Buffer.from('x') }, 'ValidationException'],
  ])('PutRecord to %s is refused (%s)', async (_, input, code) => {
    const error = await kinesis.send(new PutRecordCommand(input)).then(
      () => undefined,
      (e: Error & { $metadata?: { httpStatusCode?: number } }) => e,
    );

    expect(error?.name).toBe(code);
    expect(error?.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('a stream as an EventBridge rule`s target', () => {
  it('gets the rule`s input as a record, partitioned by KinesisParameters.PartitionKeyPath', async () => {
    const events = new EventBridgeClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_EVENTBRIDGE, credentials: emulator.credentials });

    await events.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Clicked', Detail: JSON.stringify({ user: 'eve', kind: 'view' }) }] }));
    // The queue may still hold the purchase OnClick saw too: read on to this record.
    let records: KinesisEvent['Records'] = [];
    while (!records.some((r) => decoded(r).user === 'eve')) records = [...records, ...(await seen('local-Seen', 1))];

    expect(records.filter((r) => decoded(r).user === 'eve').map((r) => [r.kinesis.partitionKey, decoded(r)])).toEqual([['eve', { user: 'eve', kind: 'view' }]]);
  });
});

describe('the startup report', () => {
  it('lists the stream, its shards and who reads it', () => {
    expect(emulator.kinesisNotes).toEqual(['Clicks (local-Clicks): 2 shard(s), read by OnClick, OnPurchase']);
    expect(emulator.eventNotes).toEqual(['ToStream (bus default): delivers to local-Clicks (stream)']);
  });
});

describe('a table with a Kinesis streaming destination (KinesisStreamSpecification)', () => {
  it('copies each change to the stream as DynamoDB writes it there: table name, event name, both images', async () => {
    const dynamodb = new DynamoDBClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_DYNAMODB, credentials: emulator.credentials });

    await dynamodb.send(new PutItemCommand({ TableName: 'local-Views', Item: { id: { S: 'v-1' }, n: { N: '1' } } }));
    await dynamodb.send(new PutItemCommand({ TableName: 'local-Views', Item: { id: { S: 'v-1' }, n: { N: '2' } } }));
    let records: KinesisEvent['Records'] = [];
    while (records.filter((r) => decoded(r).tableName === 'local-Views').length < 2) records = [...records, ...(await seen('local-Seen', 1))];

    const changes = records.map(decoded).filter((d) => d.tableName === 'local-Views');
    expect(changes.map((c) => [c.eventName, c.eventSource, c.recordFormat, (c.dynamodb as Record<string, unknown>).OldImage, (c.dynamodb as Record<string, unknown>).NewImage])).toEqual([
      ['INSERT', 'aws:dynamodb', 'application/json', undefined, { id: { S: 'v-1' }, n: { N: '1' } }],
      ['MODIFY', 'aws:dynamodb', 'application/json', { id: { S: 'v-1' }, n: { N: '1' } }, { id: { S: 'v-1' }, n: { N: '2' } }],
    ]);
    expect(emulator.streamNotes).toContain('local-Views: its changes are copied to the Kinesis stream arn:aws:kinesis:us-east-1:123456789012:stream/local-Clicks');
  });
});

describe('what the Kinesis sweep found', () => {
  it.each([
    { given: 'a pattern on data only', pattern: '{"data": {"kind": ["buy"]}}', want: [] },
    { given: 'a pattern on data and partitionKey', pattern: '{"data": {"kind": ["buy"]}, "partitionKey": ["k"]}', want: ['partitionKey: Kinesis event sources filter on the data key only, so this pattern matches no record'] },
  ])('FilterCriteria: $given', ({ pattern, want }) => {
    expect(dataOnlyProblems({ Filters: [{ Pattern: pattern }] })).toEqual(want);
  });

  it.each([
    { given: 'an empty ShardId', input: { StreamName: 'local-Clicks', ShardId: '', ShardIteratorType: 'TRIM_HORIZON' }, want: /ValidationException/ },
    { given: 'AT_SEQUENCE_NUMBER without a sequence number', input: { StreamName: 'local-Clicks', ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER' }, want: /Must specify StartingSequenceNumber/ },
  ])('GetShardIterator with $given is refused, named', async ({ input, want }) => {
    const error = await kinesis.send(new GetShardIteratorCommand(input as never)).then(
      () => undefined,
      (e: Error) => e,
    );

    expect(`${error?.name}: ${error?.message}`).toMatch(want);
  });
});
