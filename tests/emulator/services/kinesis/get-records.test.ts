/**
 * GetShardIterator and GetRecords on the embedded Kinesis Data Streams, checked against the API Reference: the iterator
 * types, reading in order, Limit and NextShardIterator, MillisBehindLatest, and an iterator's 5-minute life. The clock
 * is injected: no real time passes.
 */
import { describe, expect, it } from 'vitest';
import { b64, failure, type PutRecordsOut, setup, streamSpec, T0 } from './support/streams.js';

describe('GetShardIterator and GetRecords', () => {
  /** One shard and five records, one second apart, from T0. */
  function fiveRecords() {
    const k = setup([streamSpec('orders')]);
    const puts = Array.from({ length: 5 }, (_, i) => {
      if (i > 0) k.tick(1000);
      return k.put(`key-${i % 2}`, `record ${i}`);
    });
    return { k, puts, shard: puts[0]!.ShardId };
  }

  it('TRIM_HORIZON: every record of the shard, oldest first, as it was put', () => {
    // Prepare
    const { k, puts, shard } = fiveRecords();

    // Act
    const out = k.read(k.iterator(shard, 'TRIM_HORIZON'));

    // Assess
    expect(out.Records).toEqual(puts.map((p, i) => expect.objectContaining({ SequenceNumber: p.SequenceNumber, PartitionKey: `key-${i % 2}`, Data: b64(`record ${i}`), ApproximateArrivalTimestamp: (T0 + i * 1000) / 1000 })));
    expect(out.NextShardIterator).toEqual(expect.any(String));
    expect(out.MillisBehindLatest).toBe(0);
  });

  it('records of one shard come back in the order they were put, across PutRecord and PutRecords', () => {
    // Prepare
    const k = setup([streamSpec('orders')]);
    const first = k.put('a', '1');
    const batch = k.call<PutRecordsOut>('PutRecords', { StreamName: 'orders', Records: ['2', '3', '4'].map((d) => ({ PartitionKey: d, Data: b64(d) })) });
    const last = k.put('z', '5');

    // Act
    const out = k.read(k.iterator(first.ShardId, 'TRIM_HORIZON'));

    // Assess
    expect(out.Records.map((r) => Buffer.from(r.Data, 'base64').toString())).toEqual(['1', '2', '3', '4', '5']);
    expect(out.Records.map((r) => r.SequenceNumber)).toEqual([first.SequenceNumber, ...batch.Records.map((r) => r.SequenceNumber), last.SequenceNumber]);
  });

  it('LATEST: only the records put after the iterator was issued', () => {
    // Prepare
    const { k, shard } = fiveRecords();
    const iterator = k.iterator(shard, 'LATEST');
    const later = [k.put('late', 'six'), k.put('late', 'seven')];

    // Act
    const out = k.read(iterator);

    // Assess
    expect(out.Records.map((r) => r.SequenceNumber)).toEqual(later.map((p) => p.SequenceNumber));
  });

  it('LATEST with nothing put since: no records, and its NextShardIterator sees the next one', () => {
    // Prepare
    const { k, shard } = fiveRecords();
    const empty = k.read(k.iterator(shard, 'LATEST'));
    const next = k.put('late', 'six');

    // Act
    const out = k.read(empty.NextShardIterator!);

    // Assess
    expect(empty.Records).toEqual([]);
    expect(out.Records.map((r) => r.SequenceNumber)).toEqual([next.SequenceNumber]);
  });

  it.each([
    { type: 'AT_SEQUENCE_NUMBER', given: 0, want: [0, 1, 2, 3, 4] },
    { type: 'AT_SEQUENCE_NUMBER', given: 2, want: [2, 3, 4] },
    { type: 'AT_SEQUENCE_NUMBER', given: 4, want: [4] },
    { type: 'AFTER_SEQUENCE_NUMBER', given: 0, want: [1, 2, 3, 4] },
    { type: 'AFTER_SEQUENCE_NUMBER', given: 2, want: [3, 4] },
    { type: 'AFTER_SEQUENCE_NUMBER', given: 4, want: [] },
  ])('$type record $given: records $want', ({ type, given, want }) => {
    // Prepare
    const { k, puts, shard } = fiveRecords();

    // Act
    const out = k.read(k.iterator(shard, type, { StartingSequenceNumber: puts[given]!.SequenceNumber }));

    // Assess
    expect(out.Records.map((r) => r.SequenceNumber)).toEqual(want.map((i) => puts[i]!.SequenceNumber));
  });

  it.each([
    { given: 'before every record', timestamp: (T0 - 60_000) / 1000, want: [0, 1, 2, 3, 4] },
    { given: 'exactly the first record`s arrival', timestamp: T0 / 1000, want: [0, 1, 2, 3, 4] },
    { given: 'exactly record 2`s arrival', timestamp: (T0 + 2000) / 1000, want: [2, 3, 4] },
    { given: 'between record 2 and record 3 (the next later record)', timestamp: (T0 + 2500) / 1000, want: [3, 4] },
    { given: 'one millisecond after record 2', timestamp: (T0 + 2001) / 1000, want: [3, 4] },
    { given: 'exactly the last record`s arrival', timestamp: (T0 + 4000) / 1000, want: [4] },
    { given: 'after every record', timestamp: (T0 + 60_000) / 1000, want: [] },
  ])('AT_TIMESTAMP $given: records $want', ({ timestamp, want }) => {
    // Prepare
    const { k, puts, shard } = fiveRecords();

    // Act
    const out = k.read(k.iterator(shard, 'AT_TIMESTAMP', { Timestamp: timestamp }));

    // Assess
    expect(out.Records.map((r) => r.SequenceNumber)).toEqual(want.map((i) => puts[i]!.SequenceNumber));
  });

  it('NextShardIterator continues where the last GetRecords stopped, Limit at a time', () => {
    // Prepare
    const { k, puts, shard } = fiveRecords();
    const pages: string[][] = [];

    // Act
    let iterator = k.iterator(shard, 'TRIM_HORIZON');
    for (let i = 0; i < 4; i++) {
      const out = k.read(iterator, 2);
      pages.push(out.Records.map((r) => r.SequenceNumber));
      iterator = out.NextShardIterator!;
    }
    const sixth = k.put('late', 'six');
    const after = k.read(iterator, 2);

    // Assess
    const seq = puts.map((p) => p.SequenceNumber);
    expect(pages).toEqual([[seq[0], seq[1]], [seq[2], seq[3]], [seq[4]], []]);
    expect(after.Records.map((r) => r.SequenceNumber)).toEqual([sixth.SequenceNumber]);
  });

  it('an iterator can be read again: it is not consumed', () => {
    // Prepare
    const { k, shard } = fiveRecords();
    const iterator = k.iterator(shard, 'TRIM_HORIZON');

    // Act
    const first = k.read(iterator, 3);
    const again = k.read(iterator, 3);

    // Assess
    expect(again.Records).toEqual(first.Records);
    expect(first.Records).toHaveLength(3);
  });

  it('MillisBehindLatest: how far the next unread record is behind now; 0 once caught up', () => {
    // Prepare
    const { k, shard } = fiveRecords();
    k.tick(10_000);

    // Act
    const behind = k.read(k.iterator(shard, 'TRIM_HORIZON'), 1);
    const caughtUp = k.read(behind.NextShardIterator!);

    // Assess
    expect(behind.MillisBehindLatest).toBeGreaterThan(0);
    expect(caughtUp.Records).toHaveLength(4);
    expect(caughtUp.MillisBehindLatest).toBe(0);
  });

  it('a shard`s iterator reads only that shard`s records', () => {
    // Prepare
    const k = setup();
    const puts = Array.from({ length: 30 }, (_, i) => k.put(`spread-${i}`, `d${i}`));

    // Act
    const byShard = new Map(k.shards().map((s) => [s.ShardId, k.read(k.iterator(s.ShardId, 'TRIM_HORIZON')).Records.map((r) => r.SequenceNumber)]));

    // Assess
    for (const [shardId, seqs] of byShard) expect(seqs).toEqual(puts.filter((p) => p.ShardId === shardId).map((p) => p.SequenceNumber));
    expect([...byShard.values()].flat()).toHaveLength(30);
    expect([...byShard.values()].filter((seqs) => seqs.length > 0).length).toBeGreaterThan(1);
  });

  it.each([
    { given: 1, want: 1 },
    { given: 3, want: 3 },
    { given: 10_000, want: 5 },
    { given: undefined, want: 5 },
  ])('Limit $given: $want record(s)', ({ given, want }) => {
    // Prepare
    const { k, shard } = fiveRecords();

    // Act
    const out = k.read(k.iterator(shard, 'TRIM_HORIZON'), given);

    // Assess
    expect(out.Records).toHaveLength(want);
  });

  it.each([
    // GetRecords: "If you specify a value that is greater than 10,000, GetRecords throws InvalidArgumentException."
    { given: 10_001, want: ['InvalidArgumentException'] },
    { given: 1_000_000, want: ['InvalidArgumentException'] },
    // Valid Range: minimum 1 (the page names no exception for it).
    { given: 0, want: ['ValidationException', 'InvalidArgumentException'] },
    { given: -1, want: ['ValidationException', 'InvalidArgumentException'] },
  ])('Limit $given is refused: $want', ({ given, want }) => {
    // Prepare
    const { k, shard } = fiveRecords();
    const iterator = k.iterator(shard, 'TRIM_HORIZON');

    // Act
    const error = failure(() => k.read(iterator, given));

    // Assess
    expect(want).toContain(error.code);
    expect(error.status).toBe(400);
  });

  it.each([
    { given: 0, expired: false },
    { given: 4 * 60_000, expired: false },
    { given: 5 * 60_000 - 1, expired: false },
    { given: 5 * 60_000 + 1, expired: true },
    { given: 60 * 60_000, expired: true },
  ])('an iterator used $given ms after it was issued: expired=$expired (5 minutes)', ({ given, expired }) => {
    // Prepare
    const { k, shard } = fiveRecords();
    const iterator = k.iterator(shard, 'TRIM_HORIZON');
    k.tick(given);

    // Act
    const act = () => k.read(iterator);

    // Assess
    if (expired) expect(failure(act).code).toBe('ExpiredIteratorException');
    else expect(act().Records).toHaveLength(5);
  });

  it('each NextShardIterator lives 5 minutes of its own', () => {
    // Prepare
    const { k, shard } = fiveRecords();
    const first = k.iterator(shard, 'TRIM_HORIZON');
    k.tick(4 * 60_000);
    const next = k.read(first, 2).NextShardIterator!;
    k.tick(4 * 60_000);

    // Act
    const out = k.read(next);

    // Assess
    expect(out.Records).toHaveLength(3);
    expect(failure(() => k.read(first)).code).toBe('ExpiredIteratorException');
  });

  it.each([
    { given: 'text that is no iterator', iterator: 'not-an-iterator', want: ['InvalidArgumentException'] },
    { given: 'base64 of no iterator', iterator: b64('{"hello":"world"}'), want: ['InvalidArgumentException'] },
    { given: 'base64 of text', iterator: b64('garbage'), want: ['InvalidArgumentException'] },
    { given: 'an empty string (minimum length 1)', iterator: '', want: ['InvalidArgumentException', 'ValidationException'] },
    { given: 'no ShardIterator', iterator: undefined, want: ['ValidationException'] },
  ])('GetRecords with $given is refused', ({ iterator, want }) => {
    // Prepare
    const { k } = fiveRecords();

    // Act
    const error = failure(() => k.call('GetRecords', iterator === undefined ? {} : { ShardIterator: iterator }));

    // Assess
    expect(want).toContain(error.code);
    expect(error.status).toBe(400);
  });

  it.each(['0', 'shardId-0', 'shardId-000000000000'])('GetShardIterator takes ShardId %s as the first shard, as Kinesis reads a shard number', (shardId) => {
    // Prepare: serverless-patterns apigw-rest-api-kinesis-cdk's README reads its stream through API Gateway with shard-id=0.
    const { k, puts } = fiveRecords();

    // Act
    const { ShardIterator } = k.call<{ ShardIterator: string }>('GetShardIterator', { StreamName: 'orders', ShardId: shardId, ShardIteratorType: 'TRIM_HORIZON' });

    // Assess
    expect(k.read(ShardIterator).Records.map((r) => r.SequenceNumber)).toEqual(puts.map((p) => p.SequenceNumber));
  });

  it.each([
    { given: 'an unknown shard', input: { ShardId: 'shardId-000000000009', ShardIteratorType: 'TRIM_HORIZON' }, want: ['ResourceNotFoundException'] },
    { given: 'an unknown shard by number', input: { ShardId: '9', ShardIteratorType: 'TRIM_HORIZON' }, want: ['ResourceNotFoundException'] },
    { given: 'no ShardId (required)', input: { ShardIteratorType: 'TRIM_HORIZON' }, want: ['ValidationException', 'InvalidArgumentException'] },
    { given: 'an unknown ShardIteratorType', input: { ShardId: 'shardId-000000000000', ShardIteratorType: 'OLDEST' }, want: ['ValidationException'] },
    { given: 'no ShardIteratorType (required)', input: { ShardId: 'shardId-000000000000' }, want: ['ValidationException'] },
    { given: 'AT_SEQUENCE_NUMBER without StartingSequenceNumber', input: { ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_SEQUENCE_NUMBER' }, want: ['InvalidArgumentException', 'ValidationException'] },
    { given: 'AFTER_SEQUENCE_NUMBER with a StartingSequenceNumber that is no number', input: { ShardId: 'shardId-000000000000', ShardIteratorType: 'AFTER_SEQUENCE_NUMBER', StartingSequenceNumber: 'abc' }, want: ['InvalidArgumentException', 'ValidationException'] },
    { given: 'AT_TIMESTAMP without Timestamp', input: { ShardId: 'shardId-000000000000', ShardIteratorType: 'AT_TIMESTAMP' }, want: ['InvalidArgumentException', 'ValidationException'] },
  ])('GetShardIterator with $given is refused', ({ input, want }) => {
    // Prepare
    const { k } = fiveRecords();

    // Act
    const error = failure(() => k.call('GetShardIterator', { StreamName: 'orders', ...input }));

    // Assess
    expect(want).toContain(error.code);
    expect(error.status).toBe(400);
  });
});
