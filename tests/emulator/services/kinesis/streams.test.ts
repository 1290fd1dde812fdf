/**
 * The embedded Kinesis Data Streams, checked against the Kinesis Data Streams API Reference (PutRecord, PutRecords,
 * GetShardIterator, GetRecords, DescribeStream, DescribeStreamSummary, ListShards, ListStreams): records placed by the
 * MD5 of their partition key (or ExplicitHashKey) in the shard whose HashKeyRange holds it, increasing sequence numbers,
 * shard iterators and their 5-minute life, and the documented limits. The clock is injected: no real time passes.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { KinesisError, KinesisStreams, type KinesisRecord } from '../../../../emulator/services/kinesis/streams.js';
import type { KinesisStreamSpec } from '../../../../emulator/template/model.js';

const REGION = 'us-east-1';
const ACCOUNT = '123456789012';
const MAX_HASH_KEY = (1n << 128n) - 1n;
const MIB = 1024 * 1024;
const T0 = 1_700_000_000_000;
/** The Pattern the API Reference gives SequenceNumber. */
const SEQUENCE_NUMBER = /^(0|[1-9]\d{0,128})$/;

interface ShardOut {
  ShardId: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}
interface PutRecordOut {
  ShardId: string;
  SequenceNumber: string;
}
interface PutRecordsOut {
  FailedRecordCount: number;
  Records: { ShardId?: string; SequenceNumber?: string; ErrorCode?: string }[];
}
interface RecordOut {
  SequenceNumber: string;
  ApproximateArrivalTimestamp: number;
  Data: string;
  PartitionKey: string;
}
interface GetRecordsOut {
  Records: RecordOut[];
  NextShardIterator?: string;
  MillisBehindLatest: number;
}
interface DescribeStreamOut {
  StreamDescription: {
    StreamName: string;
    StreamARN: string;
    StreamStatus: string;
    StreamModeDetails: { StreamMode: string };
    Shards: ShardOut[];
    HasMoreShards: boolean;
    RetentionPeriodHours: number;
    StreamCreationTimestamp: number;
    EnhancedMonitoring: unknown[];
  };
}
interface SummaryOut {
  StreamDescriptionSummary: { StreamName: string; StreamARN: string; StreamStatus: string; StreamModeDetails: { StreamMode: string }; OpenShardCount: number; RetentionPeriodHours: number };
}

const arnOf = (name: string, account = ACCOUNT, region = REGION): string => `arn:aws:kinesis:${region}:${account}:stream/${name}`;
const streamSpec = (name: string, over: Partial<KinesisStreamSpec> = {}): KinesisStreamSpec => ({ logicalId: name, name, arn: arnOf(name), shardCount: 1, mode: 'PROVISIONED', retentionHours: 24, ...over });

const b64 = (text: string): string => Buffer.from(text).toString('base64');
/** The partition key's MD5 as a 128-bit unsigned integer, as the API Reference says Kinesis maps it. */
const md5 = (key: string): bigint => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);

/** The streams on a clock the test moves, with every record put (onRecords) kept. */
function setup(specs: KinesisStreamSpec[] = [streamSpec('orders', { shardCount: 4 })]) {
  let now = T0;
  const stored: KinesisRecord[] = [];
  const kinesis = new KinesisStreams(specs, { region: REGION, accountId: ACCOUNT, now: () => now, onRecords: (records) => stored.push(...records) });
  const call = <T>(action: string, input: Record<string, unknown>): T => kinesis.handle(action, input) as T;
  return {
    kinesis,
    stored,
    call,
    tick(ms: number) {
      now += ms;
    },
    shards: (name = 'orders') => call<{ Shards: ShardOut[] }>('ListShards', { StreamName: name }).Shards,
    put: (key: string, data = 'x', name = 'orders') => call<PutRecordOut>('PutRecord', { StreamName: name, PartitionKey: key, Data: b64(data) }),
    iterator: (shardId: string, type: string, more: Record<string, unknown> = {}, name = 'orders') => call<{ ShardIterator: string }>('GetShardIterator', { StreamName: name, ShardId: shardId, ShardIteratorType: type, ...more }).ShardIterator,
    read: (iterator: string, limit?: number) => call<GetRecordsOut>('GetRecords', { ShardIterator: iterator, ...(limit === undefined ? {} : { Limit: limit }) }),
  };
}

/** The shard whose HashKeyRange holds the hash. */
const shardHolding = (shards: ShardOut[], hash: bigint): string | undefined => shards.find((s) => BigInt(s.HashKeyRange.StartingHashKey) <= hash && hash <= BigInt(s.HashKeyRange.EndingHashKey))?.ShardId;

/** The KinesisError fn throws (the test fails if it throws none, or another error). */
function failure(fn: () => unknown): KinesisError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KinesisError) return error;
    throw error;
  }
  throw new Error('expected a KinesisError, got none');
}

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

describe('PutRecord: where a record goes', () => {
  it.each([
    { given: 'a' },
    { given: 'order-1' },
    { given: 'order-2' },
    { given: 'customer#42' },
    { given: 'ünïcödé-日本' },
    { given: 'k'.repeat(256) },
  ])('partition key $given: the shard whose HashKeyRange holds its MD5', ({ given }) => {
    // Prepare
    const k = setup();
    const want = shardHolding(k.shards(), md5(given));

    // Act
    const put = k.put(given);

    // Assess
    expect(want).toBeDefined();
    expect(put.ShardId).toBe(want);
  });

  it('many partition keys spread over every shard, each on the one holding its MD5', () => {
    // Prepare
    const k = setup();
    const shards = k.shards();
    const keys = Array.from({ length: 64 }, (_, i) => `key-${i}`);

    // Act
    const placed = keys.map((key) => k.put(key).ShardId);

    // Assess
    expect(placed).toEqual(keys.map((key) => shardHolding(shards, md5(key))));
    expect(new Set(placed)).toEqual(new Set(shards.map((s) => s.ShardId)));
  });

  it('the same partition key always lands on the same shard', () => {
    // Prepare
    const k = setup();

    // Act
    const placed = Array.from({ length: 10 }, (_, i) => k.put('sticky', `payload ${i}`).ShardId);

    // Assess
    expect(new Set(placed).size).toBe(1);
    expect(placed[0]).toBe(shardHolding(k.shards(), md5('sticky')));
  });

  it.each([
    { given: 'the lowest hash key, 0', hash: () => 0n, want: 0 },
    { given: 'the highest hash key, 2^128-1', hash: () => MAX_HASH_KEY, want: 3 },
    { given: 'the first key of shard 1', hash: (s: ShardOut[]) => BigInt(s[1]!.HashKeyRange.StartingHashKey), want: 1 },
    { given: 'the key just before shard 1', hash: (s: ShardOut[]) => BigInt(s[1]!.HashKeyRange.StartingHashKey) - 1n, want: 0 },
    { given: 'the last key of shard 2', hash: (s: ShardOut[]) => BigInt(s[2]!.HashKeyRange.EndingHashKey), want: 2 },
    { given: 'the key just after shard 2', hash: (s: ShardOut[]) => BigInt(s[2]!.HashKeyRange.EndingHashKey) + 1n, want: 3 },
  ])('ExplicitHashKey $given overrides the partition key`s hash: shard $want', ({ hash, want }) => {
    // Prepare
    const k = setup();
    const shards = k.shards();
    const wanted = shards[want]!.ShardId;
    // A partition key whose own MD5 lands elsewhere: the override is what places it.
    const key = Array.from({ length: 50 }, (_, i) => `pk-${i}`).find((candidate) => shardHolding(shards, md5(candidate)) !== wanted)!;

    // Act
    const put = k.call<PutRecordOut>('PutRecord', { StreamName: 'orders', PartitionKey: key, Data: b64('x'), ExplicitHashKey: hash(shards).toString() });

    // Assess
    expect(put.ShardId).toBe(wanted);
  });

  it.each([
    { given: '2^128', value: (1n << 128n).toString(), want: ['InvalidArgumentException'] },
    { given: '2^128 + 1000', value: ((1n << 128n) + 1000n).toString(), want: ['InvalidArgumentException'] },
    { given: 'forty nines', value: '9'.repeat(40), want: ['InvalidArgumentException', 'ValidationException'] },
    { given: '-1', value: '-1', want: ['InvalidArgumentException', 'ValidationException'] },
    { given: 'not a number', value: 'abc', want: ['InvalidArgumentException', 'ValidationException'] },
    { given: 'a leading zero (outside the Pattern 0|([1-9]\\d{0,38}))', value: '01', want: ['InvalidArgumentException', 'ValidationException'] },
  ])('ExplicitHashKey $given is refused and nothing is stored', ({ value, want }) => {
    // Prepare
    const k = setup();

    // Act
    const error = failure(() => k.call('PutRecord', { StreamName: 'orders', PartitionKey: 'a', Data: b64('x'), ExplicitHashKey: value }));

    // Assess
    expect(want).toContain(error.code);
    expect(error.status).toBe(400);
    expect(k.stored).toEqual([]);
  });

  it('sequence numbers are decimal strings that increase within a shard', () => {
    // Prepare
    const k = setup();

    // Act
    const puts = Array.from({ length: 5 }, (_, i) => k.put('same-key', `r${i}`));

    // Assess
    for (const put of puts) expect(put.SequenceNumber).toMatch(SEQUENCE_NUMBER);
    for (let i = 1; i < puts.length; i++) expect(BigInt(puts[i]!.SequenceNumber)).toBeGreaterThan(BigInt(puts[i - 1]!.SequenceNumber));
    expect(new Set(puts.map((p) => p.ShardId)).size).toBe(1);
  });

  it('a shard`s records have sequence numbers at or after its StartingSequenceNumber', () => {
    // Prepare
    const k = setup();
    const shards = k.shards();

    // Act
    const puts = Array.from({ length: 20 }, (_, i) => k.put(`spread-${i}`));

    // Assess
    for (const put of puts) {
      const shard = shards.find((s) => s.ShardId === put.ShardId)!;
      expect(BigInt(put.SequenceNumber)).toBeGreaterThanOrEqual(BigInt(shard.SequenceNumberRange.StartingSequenceNumber));
    }
  });

  it('PutRecord answers ShardId and SequenceNumber, and the record is stored as put', () => {
    // Prepare
    const k = setup();

    // Act
    const put = k.put('p', 'hello');

    // Assess
    expect(put).toMatchObject({ ShardId: shardHolding(k.shards(), md5('p')), SequenceNumber: expect.stringMatching(SEQUENCE_NUMBER) });
    expect(k.stored).toHaveLength(1);
    expect(k.stored[0]).toMatchObject({ streamArn: arnOf('orders'), shardId: put.ShardId, sequenceNumber: put.SequenceNumber, partitionKey: 'p', arrival: T0 });
    expect(k.stored[0]!.data.toString('utf8')).toBe('hello');
  });
});

describe('PutRecord: validation', () => {
  it.each([
    { given: 'no PartitionKey', input: { Data: b64('x') }, want: ['ValidationException'] },
    { given: 'an empty PartitionKey', input: { PartitionKey: '', Data: b64('x') }, want: ['ValidationException'] },
    { given: 'a 257-character PartitionKey', input: { PartitionKey: 'k'.repeat(257), Data: b64('x') }, want: ['ValidationException'] },
    { given: 'no Data', input: { PartitionKey: 'a' }, want: ['ValidationException'] },
    { given: 'Data of 1 MiB + 1 byte', input: { PartitionKey: 'a', Data: Buffer.alloc(MIB + 1).toString('base64') }, want: ['ValidationException'] },
    // Data and partition key together must not exceed 1 MiB (the API Reference does not name the error).
    { given: 'Data of 1 MiB with a 1-byte key (1 MiB + 1 together)', input: { PartitionKey: 'a', Data: Buffer.alloc(MIB).toString('base64') }, want: ['ValidationException', 'InvalidArgumentException'] },
  ])('$given is refused and nothing is stored', ({ input, want }) => {
    // Prepare
    const k = setup();

    // Act
    const error = failure(() => k.call('PutRecord', { StreamName: 'orders', ...input }));

    // Assess
    expect(want).toContain(error.code);
    expect(error.status).toBe(400);
    expect(k.stored).toEqual([]);
  });

  it.each([
    { given: 'a 1-character PartitionKey', input: { PartitionKey: 'k', Data: b64('x') } },
    { given: 'a 256-character PartitionKey', input: { PartitionKey: 'k'.repeat(256), Data: b64('x') } },
    { given: 'empty Data (minimum length 0)', input: { PartitionKey: 'a', Data: '' } },
    { given: 'Data and a 1-byte key of exactly 1 MiB together', input: { PartitionKey: 'a', Data: Buffer.alloc(MIB - 1).toString('base64') } },
  ])('$given is accepted', ({ input }) => {
    // Prepare
    const k = setup();

    // Act
    const put = k.call<PutRecordOut>('PutRecord', { StreamName: 'orders', ...input });

    // Assess
    expect(put.SequenceNumber).toMatch(SEQUENCE_NUMBER);
    expect(k.stored).toHaveLength(1);
    expect(k.stored[0]!.data.toString('base64')).toBe(input.Data);
  });
});

describe('PutRecords', () => {
  it('answers FailedRecordCount 0 and one result per record, in the request`s order', () => {
    // Prepare
    const k = setup();
    const shards = k.shards();
    const keys = ['alpha', 'beta', 'gamma', 'alpha', 'delta', 'beta'];

    // Act
    const out = k.call<PutRecordsOut>('PutRecords', { StreamName: 'orders', Records: keys.map((key, i) => ({ PartitionKey: key, Data: b64(`r${i}`) })) });

    // Assess
    expect(out.FailedRecordCount).toBe(0);
    expect(out.Records).toHaveLength(keys.length);
    expect(out.Records.map((r) => r.ShardId)).toEqual(keys.map((key) => shardHolding(shards, md5(key))));
    for (const r of out.Records) {
      expect(r.SequenceNumber).toMatch(SEQUENCE_NUMBER);
      expect(r.ErrorCode).toBeUndefined();
    }
    expect(k.stored.map((r) => [r.partitionKey, r.data.toString('utf8'), r.sequenceNumber])).toEqual(keys.map((key, i) => [key, `r${i}`, out.Records[i]!.SequenceNumber]));
    // Same key, same shard, a later sequence number.
    expect(out.Records[3]!.ShardId).toBe(out.Records[0]!.ShardId);
    expect(BigInt(out.Records[3]!.SequenceNumber!)).toBeGreaterThan(BigInt(out.Records[0]!.SequenceNumber!));
  });

  it('an entry`s ExplicitHashKey places it as PutRecord`s does', () => {
    // Prepare
    const k = setup();
    const shards = k.shards();

    // Act
    const out = k.call<PutRecordsOut>('PutRecords', { StreamName: 'orders', Records: [{ PartitionKey: 'a', Data: b64('1'), ExplicitHashKey: '0' }, { PartitionKey: 'a', Data: b64('2'), ExplicitHashKey: MAX_HASH_KEY.toString() }] });

    // Assess
    expect(out.Records.map((r) => r.ShardId)).toEqual([shards[0]!.ShardId, shards[3]!.ShardId]);
  });

  it.each([
    { given: 0, want: 'ValidationException' },
    { given: 501, want: 'ValidationException' },
  ])('$given records are refused ($want)', ({ given, want }) => {
    // Prepare
    const k = setup();

    // Act
    const error = failure(() => k.call('PutRecords', { StreamName: 'orders', Records: Array.from({ length: given }, (_, i) => ({ PartitionKey: `k${i}`, Data: b64('x') })) }));

    // Assess
    expect(error.code).toBe(want);
    expect(k.stored).toEqual([]);
  });

  it.each([{ given: 1 }, { given: 500 }])('$given record(s) are accepted, one result each', ({ given }) => {
    // Prepare
    const k = setup();

    // Act
    const out = k.call<PutRecordsOut>('PutRecords', { StreamName: 'orders', Records: Array.from({ length: given }, (_, i) => ({ PartitionKey: `k${i}`, Data: b64('x') })) });

    // Assess
    expect(out.FailedRecordCount).toBe(0);
    expect(out.Records).toHaveLength(given);
    expect(k.stored).toHaveLength(given);
  });

  it('no Records is refused', () => {
    // Prepare
    const k = setup();

    // Act
    const error = failure(() => k.call('PutRecords', { StreamName: 'orders' }));

    // Assess
    expect(error.code).toBe('ValidationException');
  });

  it.each([
    { given: 'no PartitionKey', entry: { Data: b64('x') } },
    { given: 'a 257-character PartitionKey', entry: { PartitionKey: 'k'.repeat(257), Data: b64('x') } },
    { given: 'no Data', entry: { PartitionKey: 'a' } },
  ])('an entry with $given fails the request: none of its records is stored', ({ entry }) => {
    // Prepare
    const k = setup();

    // Act
    const error = failure(() => k.call('PutRecords', { StreamName: 'orders', Records: [{ PartitionKey: 'ok', Data: b64('x') }, entry] }));

    // Assess
    expect(error.code).toBe('ValidationException');
    expect(k.stored).toEqual([]);
  });

  it.each([
    { given: 'exactly 5 MiB, keys included', dataBytes: MIB - 1, ok: true },
    { given: '5 MiB + 5 bytes, keys included', dataBytes: MIB, ok: false },
  ])('a request of $given: accepted=$ok (5 MiB for the entire request)', ({ dataBytes, ok }) => {
    // Prepare
    const k = setup();
    const data = Buffer.alloc(dataBytes).toString('base64');
    const records = Array.from({ length: 5 }, (_, i) => ({ PartitionKey: String(i), Data: data }));

    // Act
    const act = () => k.call<PutRecordsOut>('PutRecords', { StreamName: 'orders', Records: records });

    // Assess
    if (ok) expect(act().Records).toHaveLength(5);
    else {
      expect(['InvalidArgumentException', 'ValidationException']).toContain(failure(act).code);
      expect(k.stored).toEqual([]);
    }
  });
});

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

  it.each([
    { given: 'an unknown shard', input: { ShardId: 'shardId-000000000009', ShardIteratorType: 'TRIM_HORIZON' }, want: ['ResourceNotFoundException'] },
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
