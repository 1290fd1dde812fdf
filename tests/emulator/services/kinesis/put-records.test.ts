/**
 * PutRecord and PutRecords on the embedded Kinesis Data Streams, checked against the API Reference: each record placed
 * by the MD5 of its partition key (or ExplicitHashKey) in the shard whose HashKeyRange holds it, increasing sequence
 * numbers, and the documented limits. The clock is injected: no real time passes.
 */
import { describe, expect, it } from 'vitest';
import { arnOf, b64, failure, MAX_HASH_KEY, md5, MIB, type PutRecordOut, type PutRecordsOut, SEQUENCE_NUMBER, setup, shardHolding, type ShardOut, T0 } from './support/streams.js';

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
