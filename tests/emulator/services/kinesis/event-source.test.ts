/**
 * Lambda's Kinesis event source on the embedded Kinesis, checked against the Lambda Developer Guide ("Using Lambda with
 * Kinesis", "Using event filtering with a Kinesis event source"): the record as the function gets it, FilterCriteria on
 * the decoded `data` (the only key Kinesis mappings filter on), and ReportBatchItemFailures resuming at the sequence
 * number the function names. Records come from KinesisStreams; the poller runs on a FakeScheduler; the function is a
 * scripted fake.
 */
import { describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../../../emulator/lambda/types.js';
import { StreamPoller, type StreamBatchReport } from '../../../../emulator/services/dynamodb-streams/event-source.js';
import { kinesisLambdaRecord, kinesisRecords } from '../../../../emulator/services/kinesis/event-source.js';
import { KinesisStreams, type KinesisRecord } from '../../../../emulator/services/kinesis/streams.js';
import type { KinesisStreamSpec, StreamSourceSpec } from '../../../../emulator/template/model.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

const REGION = 'us-east-2';
const ACCOUNT = '123456789012';
const STREAM_ARN = `arn:aws:kinesis:${REGION}:${ACCOUNT}:stream/lambda-stream`;
const stream: KinesisStreamSpec = { logicalId: 'Stream', name: 'lambda-stream', arn: STREAM_ARN, shardCount: 1, mode: 'PROVISIONED', retentionHours: 24 };

interface LambdaKinesisRecord {
  kinesis: { kinesisSchemaVersion: string; partitionKey: string; sequenceNumber: string; data: string; approximateArrivalTimestamp: number };
  eventSource: string;
  eventVersion: string;
  eventID: string;
  eventName: string;
  invokeIdentityArn: string;
  awsRegion: string;
  eventSourceARN: string;
}

const source = (over: Partial<StreamSourceSpec> = {}): StreamSourceSpec => ({ id: 'Fn.Stream', functionLogicalId: 'Fn', streamArn: STREAM_ARN, batchSize: 10, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: false, maximumRetryAttempts: -1, startingPosition: 'TRIM_HORIZON', ...over });

const ok = (payload: unknown = null): InvokeOutcome => ({ kind: 'ok', payload, cold: false, durationMs: 1 });
const fails = (): InvokeOutcome => ({ kind: 'function-error', errorType: 'Error', errorMessage: 'boom', stackTrace: [], cold: false, durationMs: 1 });

/**
 * One shard's poller with the Kinesis adapter, fed by KinesisStreams as the emulator feeds it (each record put is
 * pushed to its shard's poller), on a fake clock; the function answers from a script (then ok).
 */
function harness(spec: StreamSourceSpec, answers: ((records: LambdaKinesisRecord[]) => InvokeOutcome)[] = []) {
  const scheduler = new FakeScheduler(1_545_084_650_987);
  const events: LambdaKinesisRecord[][] = [];
  const reports: StreamBatchReport[] = [];
  const poller = new StreamPoller<KinesisRecord>(spec, {
    region: REGION,
    records: kinesisRecords(REGION, ACCOUNT),
    invoke: async (_fn, event) => {
      const records = (event as { Records: LambdaKinesisRecord[] }).Records;
      events.push(records);
      return (answers.shift() ?? (() => ok()))(records);
    },
    onBatch: (r) => reports.push(r),
    after: scheduler.after,
  });
  const kinesis = new KinesisStreams([stream], {
    region: REGION,
    accountId: ACCOUNT,
    now: scheduler.now,
    onRecords: (records) => {
      for (const record of records) poller.push([record]);
    },
  });
  const put = (partitionKey: string, data: string | Buffer): string =>
    (kinesis.handle('PutRecord', { StreamName: stream.name, PartitionKey: partitionKey, Data: Buffer.from(data).toString('base64') }) as { SequenceNumber: string }).SequenceNumber;
  const putMany = (entries: [string, string][]): string[] =>
    (kinesis.handle('PutRecords', { StreamName: stream.name, Records: entries.map(([k, d]) => ({ PartitionKey: k, Data: Buffer.from(d).toString('base64') })) }) as { Records: { SequenceNumber: string }[] }).Records.map((r) => r.SequenceNumber);
  /** Each batch the function got, as the sequence numbers of its records. */
  const calls = (): string[][] => events.map((batch) => batch.map((r) => r.kinesis.sequenceNumber));
  return { scheduler, poller, kinesis, events, reports, put, putMany, calls };
}

const decoded = (record: LambdaKinesisRecord): string => Buffer.from(record.kinesis.data, 'base64').toString('utf8');

describe('the record as Lambda hands it to the function', () => {
  it('has the Developer Guide`s shape: kinesis {schema 1.0, partitionKey, sequenceNumber, data base64, arrival in seconds}, aws:kinesis', async () => {
    // Prepare
    const h = harness(source());
    const shardId = h.kinesis.shardIds(STREAM_ARN)[0]!;

    // Act
    const sequenceNumber = h.put('1', 'Hello, this is a test.');
    await h.scheduler.runAll();

    // Assess
    expect(h.events).toHaveLength(1);
    expect(h.events[0]).toEqual([
      {
        kinesis: { kinesisSchemaVersion: '1.0', partitionKey: '1', sequenceNumber, data: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==', approximateArrivalTimestamp: 1545084650.987 },
        eventSource: 'aws:kinesis',
        eventVersion: '1.0',
        eventID: `${shardId}:${sequenceNumber}`,
        eventName: 'aws:kinesis:record',
        invokeIdentityArn: expect.stringMatching(new RegExp(`^arn:aws:iam::${ACCOUNT}:role/.+`)),
        awsRegion: REGION,
        eventSourceARN: STREAM_ARN,
      },
    ]);
  });

  it.each([
    { given: 'text', data: Buffer.from('Hello, this is a test.'), want: 'SGVsbG8sIHRoaXMgaXMgYSB0ZXN0Lg==' },
    { given: 'JSON', data: Buffer.from('{"a":1}'), want: 'eyJhIjoxfQ==' },
    { given: 'bytes that are no UTF-8', data: Buffer.from([0xff, 0x00, 0x80]), want: '/wCA' },
    { given: 'nothing', data: Buffer.alloc(0), want: '' },
  ])('data is the record`s bytes base64-encoded, untouched: $given', ({ data, want }) => {
    // Prepare
    const record: KinesisRecord = { streamArn: STREAM_ARN, shardId: 'shardId-000000000000', sequenceNumber: '49590338271490256608559692538361571095921575989136588898', partitionKey: 'p', data, arrival: 0 };

    // Act
    const lambda = kinesisLambdaRecord(record, REGION, ACCOUNT) as LambdaKinesisRecord;

    // Assess
    expect(lambda.kinesis.data).toBe(want);
  });

  it('the function gets the records put, in order, their arrival the clock`s in seconds', async () => {
    // Prepare
    const h = harness(source());
    const first = h.put('a', 'one');
    await h.scheduler.advance(1500);

    // Act
    const second = h.put('b', 'two');
    await h.scheduler.runAll();

    // Assess
    expect(h.calls()).toEqual([[first], [second]]);
    const [[one], [two]] = h.events as [[LambdaKinesisRecord], [LambdaKinesisRecord]];
    expect([one.kinesis.partitionKey, decoded(one), one.kinesis.approximateArrivalTimestamp]).toEqual(['a', 'one', 1545084650.987]);
    expect([two.kinesis.partitionKey, decoded(two), two.kinesis.approximateArrivalTimestamp]).toEqual(['b', 'two', 1545084652.487]);
    expect(two.eventID).toBe(`shardId-000000000000:${second}`);
  });

  it('the adapter names a record by its sequence number and reports as Kinesis', () => {
    // Prepare
    const adapter = kinesisRecords(REGION, ACCOUNT);
    const record: KinesisRecord = { streamArn: STREAM_ARN, shardId: 'shardId-000000000000', sequenceNumber: '42', partitionKey: 'p', data: Buffer.from('x'), arrival: 0 };

    // Act
    const named = adapter.sequenceNumber(record);

    // Assess
    expect(named).toBe('42');
    expect(adapter.service).toBe('kinesis');
    expect(adapter.lambdaRecord(record)).toEqual(kinesisLambdaRecord(record, REGION, ACCOUNT));
  });
});

describe('batches', () => {
  it('the records of one PutRecords reach the function together, BatchSize at a time, in order', async () => {
    // Prepare
    const h = harness(source({ batchSize: 2 }));

    // Act
    const seqs = h.putMany([['a', '1'], ['b', '2'], ['c', '3']]);
    await h.scheduler.runAll();

    // Assess
    expect(h.calls()).toEqual([[seqs[0], seqs[1]], [seqs[2]]]);
    expect(h.reports.map((r) => [r.service, r.outcome])).toEqual([['kinesis', 'ok'], ['kinesis', 'ok']]);
  });
});

describe('FilterCriteria on the data key', () => {
  const records: [string, string][] = [
    ['1', JSON.stringify({ record: 1, order: { type: 'buy', stock: 'ANYCO', quantity: 1000 } })],
    ['2', JSON.stringify({ record: 2, order: { type: 'sell', stock: 'ANYCO', quantity: 50 } })],
    ['3', 'plain text'],
    ['4', JSON.stringify({ record: 4, order: { type: 'buy', stock: 'OTHER', quantity: 10 } })],
  ];

  it.each([
    { given: 'data.order.type buy', pattern: { data: { order: { type: ['buy'] } } }, want: [0, 3] },
    { given: 'data.order.type sell', pattern: { data: { order: { type: ['sell'] } } }, want: [1] },
    { given: 'data.order.quantity > 100', pattern: { data: { order: { quantity: [{ numeric: ['>', 100] }] } } }, want: [0] },
    { given: 'data.record exists', pattern: { data: { record: [{ exists: true }] } }, want: [0, 1, 3] },
    { given: 'data that is the plain string', pattern: { data: ['plain text'] }, want: [2] },
    { given: 'data.order.type hold (none)', pattern: { data: { order: { type: ['hold'] } } }, want: [] },
  ])('$given: records $want reach the function, data still base64', async ({ pattern, want }) => {
    // Prepare
    const h = harness(source({ filterCriteria: { Filters: [{ Pattern: JSON.stringify(pattern) }] } }));

    // Act
    const seqs = h.putMany(records);
    await h.scheduler.runAll();

    // Assess
    expect(h.calls()).toEqual(want.length > 0 ? [want.map((i) => seqs[i])] : []);
    expect(h.events.flat().map(decoded)).toEqual(want.map((i) => records[i]![1]));
    expect(h.reports.map((r) => r.outcome)).toEqual([want.length > 0 ? 'ok' : 'filtered']);
  });

  it('several filters: a record any of them matches reaches the function', async () => {
    // Prepare
    const h = harness(source({ filterCriteria: { Filters: [{ Pattern: JSON.stringify({ data: { order: { type: ['sell'] } } }) }, { Pattern: JSON.stringify({ data: { order: { stock: ['OTHER'] } } }) }] } }));

    // Act
    const seqs = h.putMany(records);
    await h.scheduler.runAll();

    // Assess
    expect(h.calls()).toEqual([[seqs[1], seqs[3]]]);
  });
});

describe('ReportBatchItemFailures: itemIdentifier is the sequence number', () => {
  it.each([
    { given: 'the second record failed', report: true, failed: (s: string[]) => [{ itemIdentifier: s[1] }], want: [[0, 1, 2], [1, 2]], outcomes: ['partial', 'ok'] },
    { given: 'the last record failed', report: true, failed: (s: string[]) => [{ itemIdentifier: s[2] }], want: [[0, 1, 2], [2]], outcomes: ['partial', 'ok'] },
    { given: 'the first record failed', report: true, failed: (s: string[]) => [{ itemIdentifier: s[0] }], want: [[0, 1, 2], [0, 1, 2]], outcomes: ['partial', 'ok'] },
    { given: 'the third and second failed (the lowest is the checkpoint)', report: true, failed: (s: string[]) => [{ itemIdentifier: s[2] }, { itemIdentifier: s[1] }], want: [[0, 1, 2], [1, 2]], outcomes: ['partial', 'ok'] },
    { given: 'an empty list (complete success)', report: true, failed: () => [], want: [[0, 1, 2]], outcomes: ['ok'] },
    { given: 'an empty-string itemIdentifier (complete failure)', report: true, failed: () => [{ itemIdentifier: '' }], want: [[0, 1, 2], [0, 1, 2]], outcomes: ['error', 'ok'] },
    { given: 'an itemIdentifier no record has (complete failure)', report: true, failed: () => [{ itemIdentifier: '1' }], want: [[0, 1, 2], [0, 1, 2]], outcomes: ['error', 'ok'] },
    { given: 'a failure named while ReportBatchItemFailures is off (ignored)', report: false, failed: (s: string[]) => [{ itemIdentifier: s[1] }], want: [[0, 1, 2]], outcomes: ['ok'] },
  ])('$given: batches $want', async ({ report, failed, want, outcomes }) => {
    // Prepare
    const h = harness(source({ reportBatchItemFailures: report }), [(records) => ok({ batchItemFailures: failed(records.map((r) => r.kinesis.sequenceNumber)) })]);

    // Act
    const seqs = h.putMany([['a', '1'], ['b', '2'], ['c', '3']]);
    await h.scheduler.runAll();

    // Assess
    expect(h.calls()).toEqual(want.map((batch) => batch.map((i) => seqs[i])));
    expect(h.reports.map((r) => r.outcome)).toEqual(outcomes);
  });

  it('the retry waits for its backoff and records put meanwhile wait behind it', async () => {
    // Prepare
    const h = harness(source({ reportBatchItemFailures: true }), [(records) => ok({ batchItemFailures: [{ itemIdentifier: records[1]!.kinesis.sequenceNumber }] })]);
    const seqs = h.putMany([['a', '1'], ['b', '2']]);
    await h.scheduler.advance(0);

    // Act
    const later = h.put('c', '3');
    await h.scheduler.advance(999);
    const beforeRetry = h.calls().length;
    await h.scheduler.runAll();

    // Assess
    expect(beforeRetry).toBe(1);
    expect(h.calls()).toEqual([[seqs[0], seqs[1]], [seqs[1]], [later]]);
  });

  it('a function error retries the whole batch', async () => {
    // Prepare
    const h = harness(source({ reportBatchItemFailures: true }), [fails]);

    // Act
    const seqs = h.putMany([['a', '1'], ['b', '2']]);
    await h.scheduler.runAll();

    // Assess
    expect(h.calls()).toEqual([seqs, seqs]);
    expect(h.reports.map((r) => [r.outcome, r.retries])).toEqual([['error', 0], ['ok', 1]]);
  });

  it('MaximumRetryAttempts spent: the batch is discarded and the shard moves on', async () => {
    // Prepare
    const h = harness(source({ batchSize: 2, maximumRetryAttempts: 1 }), [fails, fails]);

    // Act
    const seqs = h.putMany([['a', '1'], ['b', '2'], ['c', '3']]);
    await h.scheduler.runAll();

    // Assess
    expect(h.calls()).toEqual([[seqs[0], seqs[1]], [seqs[0], seqs[1]], [seqs[2]]]);
    expect(h.reports.map((r) => r.outcome)).toEqual(['error', 'discarded', 'ok']);
  });
});
