/**
 * The embedded Kinesis Data Streams' streams, checked against the Kinesis Data Streams API Reference: their shards
 * and hash key ranges, a stream named by StreamName or StreamARN, DescribeStream, ListShards and ListStreams. Records
 * put and read have files of their own beside this one (put-records, get-records). The clock is injected: no real
 * time passes.
 */
import { describe, expect, it } from 'vitest';
import { ACCOUNT, arnOf, b64, type DescribeStreamOut, failure, MAX_HASH_KEY, md5, type PutRecordOut, SEQUENCE_NUMBER, setup, shardHolding, type ShardOut, streamSpec, type SummaryOut, T0 } from './support/streams.js';

describe('shards and their hash key ranges', () => {
  it.each([
    { given: 1, want: 1 },
    { given: 2, want: 2 },
    { given: 3, want: 3 },
    { given: 4, want: 4 },
    { given: 7, want: 7 },
  ])('a stream of $given shard(s): $want contiguous HashKeyRanges from 0 to 2^128-1', ({ given, want }) => {
    // Prepare
    const k = setup([streamSpec('orders', { shardCount: given })]);

    // Act
    const shards = k.shards();

    // Assess
    expect(shards).toHaveLength(want);
    expect(shards.map((s) => s.ShardId)).toEqual(Array.from({ length: want }, (_, i) => `shardId-${String(i).padStart(12, '0')}`));
    expect(BigInt(shards[0]!.HashKeyRange.StartingHashKey)).toBe(0n);
    expect(BigInt(shards.at(-1)!.HashKeyRange.EndingHashKey)).toBe(MAX_HASH_KEY);
    for (const [i, shard] of shards.entries()) {
      expect(BigInt(shard.HashKeyRange.StartingHashKey)).toBeLessThanOrEqual(BigInt(shard.HashKeyRange.EndingHashKey));
      if (i > 0) expect(BigInt(shard.HashKeyRange.StartingHashKey)).toBe(BigInt(shards[i - 1]!.HashKeyRange.EndingHashKey) + 1n);
      expect(shard.HashKeyRange.StartingHashKey).toMatch(/^(0|[1-9]\d*)$/);
      expect(shard.SequenceNumberRange.StartingSequenceNumber).toMatch(SEQUENCE_NUMBER);
    }
  });

  it.each([
    { given: { mode: 'ON_DEMAND' as const, shardCount: 4 }, want: { mode: 'ON_DEMAND', open: 4 } },
    { given: { mode: 'PROVISIONED' as const, shardCount: 2 }, want: { mode: 'PROVISIONED', open: 2 } },
  ])('a $given.mode stream: DescribeStreamSummary says StreamMode $want.mode and OpenShardCount $want.open', ({ given, want }) => {
    // Prepare
    const k = setup([streamSpec('orders', given)]);

    // Act
    const summary = k.call<SummaryOut>('DescribeStreamSummary', { StreamName: 'orders' }).StreamDescriptionSummary;
    const described = k.call<DescribeStreamOut>('DescribeStream', { StreamName: 'orders' }).StreamDescription;

    // Assess
    expect(summary).toMatchObject({ StreamName: 'orders', StreamARN: arnOf('orders'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: want.mode }, OpenShardCount: want.open, RetentionPeriodHours: 24 });
    expect(described.StreamModeDetails).toEqual({ StreamMode: want.mode });
    expect(described.Shards).toHaveLength(want.open);
  });

  it('an ON_DEMAND stream places records by the MD5 of their partition key as a provisioned one does', () => {
    // Prepare
    const k = setup([streamSpec('orders', { mode: 'ON_DEMAND', shardCount: 4 })]);
    const shards = k.shards();
    const keys = Array.from({ length: 40 }, (_, i) => `device-${i}`);

    // Act
    const placed = keys.map((key) => k.put(key).ShardId);

    // Assess
    expect(placed).toEqual(keys.map((key) => shardHolding(shards, md5(key))));
    expect(new Set(placed).size).toBe(4);
  });
});

describe('a stream named by StreamName or StreamARN', () => {
  const actions: { action: string; input: Record<string, unknown> }[] = [
    { action: 'DescribeStream', input: {} },
    { action: 'DescribeStreamSummary', input: {} },
    { action: 'ListShards', input: {} },
    { action: 'PutRecord', input: { PartitionKey: 'a', Data: b64('x') } },
    { action: 'PutRecords', input: { Records: [{ PartitionKey: 'a', Data: b64('x') }] } },
    { action: 'GetShardIterator', input: { ShardId: 'shardId-000000000000', ShardIteratorType: 'TRIM_HORIZON' } },
  ];

  describe.each(actions)('$action', ({ action, input }) => {
    it.each([
      { given: 'StreamName', names: { StreamName: 'orders' } },
      { given: 'StreamARN', names: { StreamARN: arnOf('orders') } },
      { given: 'both, agreeing', names: { StreamName: 'orders', StreamARN: arnOf('orders') } },
    ])('by $given: served', ({ names }) => {
      // Prepare
      const k = setup([streamSpec('orders', { shardCount: 2 }), streamSpec('other')]);

      // Act
      const out = k.call<Record<string, unknown>>(action, { ...input, ...names });

      // Assess
      expect(out).toBeTypeOf('object');
      if (action === 'DescribeStream') expect((out as unknown as DescribeStreamOut).StreamDescription.StreamName).toBe('orders');
      if (action === 'ListShards') expect((out as { Shards: unknown[] }).Shards).toHaveLength(2);
    });

    it.each([
      { given: 'an unknown StreamName', names: { StreamName: 'nope' }, want: ['ResourceNotFoundException'] },
      { given: 'an unknown StreamARN', names: { StreamARN: arnOf('nope') }, want: ['ResourceNotFoundException'] },
      { given: 'the ARN of a same-named stream in another account', names: { StreamARN: arnOf('orders', '999999999999') }, want: ['ResourceNotFoundException'] },
      { given: 'the ARN of a same-named stream in another region', names: { StreamARN: arnOf('orders', ACCOUNT, 'eu-west-1') }, want: ['ResourceNotFoundException'] },
      { given: 'a StreamName and the StreamARN of another stream', names: { StreamName: 'orders', StreamARN: arnOf('other') }, want: ['ResourceNotFoundException', 'InvalidArgumentException'] },
      { given: 'neither', names: {}, want: ['InvalidArgumentException', 'ValidationException'] },
    ])('by $given: refused', ({ names, want }) => {
      // Prepare
      const k = setup([streamSpec('orders', { shardCount: 2 }), streamSpec('other')]);

      // Act
      const error = failure(() => k.call(action, { ...input, ...names }));

      // Assess
      expect(want).toContain(error.code);
      expect(error.status).toBe(400);
      expect(k.stored).toEqual([]);
    });
  });

  it('PutRecord by StreamARN stores the record in that stream', () => {
    // Prepare
    const k = setup([streamSpec('orders'), streamSpec('other')]);

    // Act
    const put = k.call<PutRecordOut>('PutRecord', { StreamARN: arnOf('other'), PartitionKey: 'a', Data: b64('x') });

    // Assess
    expect(k.stored.map((r) => r.streamArn)).toEqual([arnOf('other')]);
    expect(k.read(k.iterator(put.ShardId, 'TRIM_HORIZON', {}, 'other')).Records).toHaveLength(1);
    expect(k.read(k.iterator(put.ShardId, 'TRIM_HORIZON', {}, 'orders')).Records).toHaveLength(0);
  });
});

describe('DescribeStream', () => {
  it('StreamDescription: name, ARN, ACTIVE, StreamModeDetails, retention, creation time and every shard', () => {
    // Prepare
    const k = setup([streamSpec('orders', { shardCount: 3, retentionHours: 48 })]);

    // Act
    const out = k.call<DescribeStreamOut>('DescribeStream', { StreamName: 'orders' });

    // Assess
    expect(out.StreamDescription).toMatchObject({
      StreamName: 'orders',
      StreamARN: arnOf('orders'),
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: 'PROVISIONED' },
      RetentionPeriodHours: 48,
      HasMoreShards: false,
      StreamCreationTimestamp: T0 / 1000,
      EnhancedMonitoring: expect.any(Array),
    });
    expect(out.StreamDescription.Shards).toEqual(k.shards());
    expect(out.StreamDescription.Shards.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
  });

  it.each([
    { given: { Limit: 2 }, want: { shards: ['shardId-000000000000', 'shardId-000000000001'], more: true } },
    { given: { Limit: 2, ExclusiveStartShardId: 'shardId-000000000001' }, want: { shards: ['shardId-000000000002', 'shardId-000000000003'], more: false } },
    { given: { ExclusiveStartShardId: 'shardId-000000000002' }, want: { shards: ['shardId-000000000003'], more: false } },
    { given: { Limit: 4 }, want: { shards: ['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002', 'shardId-000000000003'], more: false } },
  ])('Limit and ExclusiveStartShardId $given: shards $want.shards, HasMoreShards $want.more', ({ given, want }) => {
    // Prepare
    const k = setup();

    // Act
    const out = k.call<DescribeStreamOut>('DescribeStream', { StreamName: 'orders', ...given });

    // Assess
    expect(out.StreamDescription.Shards.map((s) => s.ShardId)).toEqual(want.shards);
    expect(out.StreamDescription.HasMoreShards).toBe(want.more);
  });
});

describe('ListShards', () => {
  it('lists the same shards DescribeStream does', () => {
    // Prepare
    const k = setup();

    // Act
    const out = k.call<{ Shards: ShardOut[]; NextToken?: string }>('ListShards', { StreamName: 'orders' });

    // Assess
    expect(out.Shards).toEqual(k.call<DescribeStreamOut>('DescribeStream', { StreamName: 'orders' }).StreamDescription.Shards);
    expect(out.Shards).toHaveLength(4);
    expect(out.NextToken).toBeUndefined();
  });

  it('MaxResults 3 of 4 shards: three and a NextToken that lists the fourth', () => {
    // Prepare
    const k = setup();

    // Act
    const first = k.call<{ Shards: ShardOut[]; NextToken?: string }>('ListShards', { StreamName: 'orders', MaxResults: 3 });
    const rest = first.NextToken === undefined ? undefined : k.call<{ Shards: ShardOut[]; NextToken?: string }>('ListShards', { NextToken: first.NextToken });

    // Assess
    expect(first.Shards.map((s) => s.ShardId)).toEqual(['shardId-000000000000', 'shardId-000000000001', 'shardId-000000000002']);
    expect(first.NextToken).toEqual(expect.any(String));
    expect(rest?.Shards.map((s) => s.ShardId)).toEqual(['shardId-000000000003']);
  });

  it('ExclusiveStartShardId: the shards after it', () => {
    // Prepare
    const k = setup();

    // Act
    const out = k.call<{ Shards: ShardOut[] }>('ListShards', { StreamName: 'orders', ExclusiveStartShardId: 'shardId-000000000001' });

    // Assess
    expect(out.Shards.map((s) => s.ShardId)).toEqual(['shardId-000000000002', 'shardId-000000000003']);
  });
});

describe('ListStreams', () => {
  it('names every stream, with a summary each', () => {
    // Prepare
    const k = setup([streamSpec('orders', { shardCount: 2 }), streamSpec('events', { mode: 'ON_DEMAND', shardCount: 4 })]);

    // Act
    const out = k.call<{ StreamNames: string[]; HasMoreStreams: boolean; StreamSummaries: { StreamName: string; StreamARN: string; StreamStatus: string; StreamModeDetails: { StreamMode: string } }[] }>('ListStreams', {});

    // Assess
    expect(out.StreamNames).toEqual(['orders', 'events']);
    expect(out.HasMoreStreams).toBe(false);
    expect(out.StreamSummaries).toEqual([
      expect.objectContaining({ StreamName: 'orders', StreamARN: arnOf('orders'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'PROVISIONED' } }),
      expect.objectContaining({ StreamName: 'events', StreamARN: arnOf('events'), StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: 'ON_DEMAND' } }),
    ]);
  });
});

describe('shardIds', () => {
  it.each([
    { given: arnOf('orders'), want: ['shardId-000000000000', 'shardId-000000000001'] },
    { given: arnOf('other'), want: ['shardId-000000000000'] },
    { given: arnOf('nope'), want: [] },
  ])('$given: $want', ({ given, want }) => {
    // Prepare
    const k = setup([streamSpec('orders', { shardCount: 2 }), streamSpec('other')]);

    // Act
    const ids = k.kinesis.shardIds(given);

    // Assess
    expect(ids).toEqual(want);
  });
});
