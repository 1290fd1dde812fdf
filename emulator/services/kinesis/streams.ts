/**
 * The embedded Kinesis Data Streams (API Reference): the template's streams and their shards, records placed by the
 * MD5 of their partition key (or ExplicitHashKey) in the shard whose hash key range holds it, with increasing
 * sequence numbers; read back through shard iterators. Time comes from the injected clock (iterators expire after
 * 5 minutes, ApproximateArrivalTimestamp).
 */
import { createHash } from 'node:crypto';
import type { KinesisStreamSpec } from '../../template/model.js';

/** An API error: its `__type` code, message and HTTP status. */
export class KinesisError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A stored record, as GetRecords returns it (Data as bytes). */
export interface KinesisRecord {
  streamArn: string;
  shardId: string;
  sequenceNumber: string;
  partitionKey: string;
  data: Buffer;
  /** Epoch ms. */
  arrival: number;
}

interface Shard {
  id: string;
  startingHashKey: bigint;
  endingHashKey: bigint;
  startingSequenceNumber: string;
  records: KinesisRecord[];
}

interface Stream {
  spec: KinesisStreamSpec;
  shards: Shard[];
  created: number;
}

const MAX_HASH_KEY = (1n << 128n) - 1n;
/** PutRecord's limit on a record: 1 MiB of data and partition key together. */
const MAX_RECORD_BYTES = 1024 * 1024;
const ITERATOR_TTL_MS = 5 * 60 * 1000;

const text = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);

/** `1 validation error detected: Value null at 'x' failed to satisfy constraint: Member must not be null`, as Kinesis words it. */
function validation(member: string, value: unknown, constraint: string): KinesisError {
  return new KinesisError('ValidationException', `1 validation error detected: Value ${value === undefined ? 'null' : `'${String(value)}'`} at '${member}' failed to satisfy constraint: ${constraint}`);
}

export interface KinesisOptions {
  region: string;
  accountId: string;
  /** Epoch ms (Date.now by default). */
  now?: () => number;
  /** Every record put, as it is stored (the event source mappings read them). */
  onRecords?: (records: KinesisRecord[]) => void;
}

export class KinesisStreams {
  private readonly streams = new Map<string, Stream>();
  private sequence = 0n;
  private readonly now: () => number;

  constructor(
    specs: KinesisStreamSpec[],
    private readonly options: KinesisOptions,
  ) {
    this.now = options.now ?? Date.now;
    for (const spec of specs) this.streams.set(spec.name, { spec, shards: this.shardsOf(spec.shardCount), created: this.now() });
  }

  /** A stream's shard ids (shardId-000000000000...), for its event source mappings. */
  shardIds(streamArn: string): string[] {
    return [...this.streams.values()].find((s) => s.spec.arn === streamArn)?.shards.map((s) => s.id) ?? [];
  }

  private nextSequenceNumber(): string {
    this.sequence += 1n;
    // Kinesis's are 56-digit decimals that grow within a shard.
    return `4959${this.sequence.toString().padStart(52, '0')}`;
  }

  private shardsOf(count: number): Shard[] {
    const n = BigInt(Math.max(1, count));
    const size = (MAX_HASH_KEY + 1n) / n;
    return Array.from({ length: Number(n) }, (_, i) => ({
      id: `shardId-${String(i).padStart(12, '0')}`,
      startingHashKey: size * BigInt(i),
      endingHashKey: BigInt(i) === n - 1n ? MAX_HASH_KEY : size * BigInt(i + 1) - 1n,
      startingSequenceNumber: this.nextSequenceNumber(),
      records: [],
    }));
  }

  /** The stream a request names by StreamName or StreamARN. */
  private stream(input: Record<string, unknown>): Stream {
    const arn = text(input.StreamARN);
    const name = text(input.StreamName) ?? (arn ? /:stream\/([^/]+)$/.exec(arn)?.[1] : undefined);
    if (name === undefined) throw new KinesisError('InvalidArgumentException', 'Either StreamName or StreamARN should be provided.');
    if (!/^[a-zA-Z0-9_.-]{1,128}$/.test(name)) throw validation('streamName', name, 'Member must satisfy regular expression pattern: [a-zA-Z0-9_.-]+');
    const stream = this.streams.get(name);
    if (!stream || (arn !== undefined && stream.spec.arn !== arn)) throw new KinesisError('ResourceNotFoundException', `Stream ${name} under account ${this.options.accountId} not found.`);
    return stream;
  }

  /** One record's checks and its shard, as PutRecord places it. */
  private place(stream: Stream, record: Record<string, unknown>, member = ''): { shard: Shard; data: Buffer; partitionKey: string } {
    const partitionKey = record.PartitionKey;
    if (typeof partitionKey !== 'string') throw validation(`${member}partitionKey`, undefined, 'Member must not be null');
    if (partitionKey.length < 1 || partitionKey.length > 256) throw validation(`${member}partitionKey`, partitionKey, 'Member must have length between 1 and 256');
    if (typeof record.Data !== 'string') throw validation(`${member}data`, undefined, 'Member must not be null');
    const data = Buffer.from(record.Data, 'base64');
    if (data.byteLength > MAX_RECORD_BYTES) throw validation(`${member}data`, 'java.nio.HeapByteBuffer', 'Member must have length less than or equal to 1048576');
    // The limit is on the data and the partition key together.
    if (data.byteLength + Buffer.byteLength(partitionKey) > MAX_RECORD_BYTES) throw new KinesisError('InvalidArgumentException', `Record size exceeds the limit: the data and the partition key together are ${data.byteLength + Buffer.byteLength(partitionKey)} bytes, over 1048576`);
    let hash: bigint;
    const explicit = record.ExplicitHashKey;
    if (explicit !== undefined) {
      if (typeof explicit !== 'string' || !/^(0|[1-9]\d{0,38})$/.test(explicit) || BigInt(explicit) > MAX_HASH_KEY) throw new KinesisError('InvalidArgumentException', `Invalid ExplicitHashKey. ExplicitHashKey must be in the range: [0, 2^128-1]. Specified value was ${String(explicit)}`);
      hash = BigInt(explicit);
    } else hash = BigInt(`0x${createHash('md5').update(partitionKey, 'utf8').digest('hex')}`);
    const shard = stream.shards.find((s) => hash >= s.startingHashKey && hash <= s.endingHashKey)!;
    return { shard, data, partitionKey };
  }

  private store(stream: Stream, placed: { shard: Shard; data: Buffer; partitionKey: string }): KinesisRecord {
    const record: KinesisRecord = { streamArn: stream.spec.arn, shardId: placed.shard.id, sequenceNumber: this.nextSequenceNumber(), partitionKey: placed.partitionKey, data: placed.data, arrival: this.now() };
    placed.shard.records.push(record);
    return record;
  }

  /** One API action with its JSON input. */
  handle(action: string, input: Record<string, unknown>): unknown {
    switch (action) {
      case 'PutRecord':
        return this.putRecord(input);
      case 'PutRecords':
        return this.putRecords(input);
      case 'GetShardIterator':
        return this.getShardIterator(input);
      case 'GetRecords':
        return this.getRecords(input);
      case 'DescribeStream': {
        const stream = this.stream(input);
        const limit = input.Limit === undefined ? 100 : Number(input.Limit);
        if (!Number.isInteger(limit) || limit < 1 || limit > 10_000) throw validation('limit', input.Limit, 'Member must have value less than or equal to 10000 and greater than or equal to 1');
        const after = this.shardsAfter(stream, input.ExclusiveStartShardId);
        return { StreamDescription: { ...this.summary(stream), Shards: this.shardList(after.slice(0, limit)), HasMoreShards: after.length > limit } };
      }
      case 'DescribeStreamSummary': {
        const stream = this.stream(input);
        return { StreamDescriptionSummary: { ...this.summary(stream), OpenShardCount: stream.shards.length, ConsumerCount: 0 } };
      }
      case 'ListShards':
        return this.listShards(input);
      case 'ListStreams': {
        const streams = [...this.streams.values()];
        return { StreamNames: streams.map((s) => s.spec.name), HasMoreStreams: false, StreamSummaries: streams.map((s) => ({ StreamName: s.spec.name, StreamARN: s.spec.arn, StreamStatus: 'ACTIVE', StreamModeDetails: { StreamMode: s.spec.mode }, StreamCreationTimestamp: s.created / 1000 })) };
      }
      default:
        throw new KinesisError('UnknownOperationException', `${action} is not served by the local emulator's Kinesis`);
    }
  }

  private putRecord(input: Record<string, unknown>): unknown {
    const stream = this.stream(input);
    const record = this.store(stream, this.place(stream, input));
    this.options.onRecords?.([record]);
    return { ShardId: record.shardId, SequenceNumber: record.sequenceNumber, ...encryptionOf(stream) };
  }

  /** PutRecords: every entry checked first (a malformed one fails the call), then each stored; none fails here. */
  private putRecords(input: Record<string, unknown>): unknown {
    const stream = this.stream(input);
    const entries = input.Records;
    if (!Array.isArray(entries)) throw validation('records', undefined, 'Member must not be null');
    if (entries.length < 1 || entries.length > 500) throw validation('records', `[${entries.length} records]`, 'Member must have length less than or equal to 500 and greater than or equal to 1');
    const placed = entries.map((entry, i) => this.place(stream, typeof entry === 'object' && entry !== null ? (entry as Record<string, unknown>) : {}, `records.${i + 1}.member.`));
    const total = placed.reduce((sum, p) => sum + p.data.byteLength + Buffer.byteLength(p.partitionKey), 0);
    if (total > 5 * MAX_RECORD_BYTES) throw new KinesisError('InvalidArgumentException', `Records size exceeds 5 MB limit`);
    const records = placed.map((p) => this.store(stream, p));
    this.options.onRecords?.(records);
    return { FailedRecordCount: 0, Records: records.map((r) => ({ SequenceNumber: r.sequenceNumber, ShardId: r.shardId })), ...encryptionOf(stream) };
  }

  private shard(stream: Stream, shardId: unknown): Shard {
    const shard = stream.shards.find((s) => s.id === shardIdOf(shardId));
    if (!shard) throw new KinesisError('ResourceNotFoundException', `Shard ${String(shardId)} in stream ${stream.spec.name} under account ${this.options.accountId} does not exist`);
    return shard;
  }

  /** An iterator is the stream, shard and the index of the next record, with when it was issued (it expires). */
  private iterator(stream: Stream, shard: Shard, index: number): string {
    return Buffer.from(JSON.stringify({ s: stream.spec.name, h: shard.id, i: index, t: this.now() })).toString('base64');
  }

  /** The shards after ExclusiveStartShardId (all of them without one). */
  private shardsAfter(stream: Stream, exclusiveStart: unknown): Shard[] {
    if (exclusiveStart === undefined) return stream.shards;
    return stream.shards.filter((s) => s.id > String(exclusiveStart));
  }

  /** ListShards: MaxResults (1-10000, 1000 by default) at a time, a NextToken for the rest; ExclusiveStartShardId. */
  private listShards(input: Record<string, unknown>): unknown {
    let stream: Stream;
    let start = 0;
    if (typeof input.NextToken === 'string') {
      if (input.StreamName !== undefined || input.StreamARN !== undefined) throw new KinesisError('InvalidArgumentException', 'NextToken and StreamName cannot be provided together.');
      let token: { s?: unknown; i?: unknown };
      try {
        token = JSON.parse(Buffer.from(input.NextToken, 'base64').toString('utf8')) as typeof token;
      } catch {
        throw new KinesisError('InvalidArgumentException', 'Invalid NextToken.');
      }
      stream = this.stream({ StreamName: token.s });
      start = Number(token.i) || 0;
    } else stream = this.stream(input);
    const max = input.MaxResults === undefined ? 1000 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 10_000) throw validation('maxResults', input.MaxResults, 'Member must have value less than or equal to 10000 and greater than or equal to 1');
    const shards = this.shardsAfter(stream, input.ExclusiveStartShardId).slice(start);
    const page = shards.slice(0, max);
    const nextToken = shards.length > max ? Buffer.from(JSON.stringify({ s: stream.spec.name, i: start + max })).toString('base64') : undefined;
    return { Shards: this.shardList(page), ...(nextToken ? { NextToken: nextToken } : {}) };
  }

  private getShardIterator(input: Record<string, unknown>): unknown {
    const stream = this.stream(input);
    if (typeof input.ShardId !== 'string') throw validation('shardId', undefined, 'Member must not be null');
    if (input.ShardId.length < 1 || input.ShardId.length > 128) throw validation('shardId', input.ShardId, 'Member must have length between 1 and 128');
    const shard = this.shard(stream, input.ShardId);
    const type = input.ShardIteratorType;
    const sequence = text(input.StartingSequenceNumber);
    const atSequence = (after: boolean): number => {
      if (sequence === undefined) throw new KinesisError('InvalidArgumentException', `Must specify StartingSequenceNumber for iterator of type ${String(type)}.`);
      if (!/^\d+$/.test(sequence)) throw new KinesisError('InvalidArgumentException', `StartingSequenceNumber ${sequence} used in GetShardIterator on shard ${shard.id} in stream ${stream.spec.name} under account ${this.options.accountId} is invalid.`);
      const index = shard.records.findIndex((r) => BigInt(r.sequenceNumber) >= BigInt(sequence));
      const at = index < 0 ? shard.records.length : index;
      return after && shard.records[at]?.sequenceNumber === sequence ? at + 1 : at;
    };
    let index: number;
    switch (type) {
      case 'TRIM_HORIZON':
        index = 0;
        break;
      case 'LATEST':
        index = shard.records.length;
        break;
      case 'AT_SEQUENCE_NUMBER':
        index = atSequence(false);
        break;
      case 'AFTER_SEQUENCE_NUMBER':
        index = atSequence(true);
        break;
      case 'AT_TIMESTAMP': {
        const at = typeof input.Timestamp === 'number' ? input.Timestamp * 1000 : Number.NaN;
        if (Number.isNaN(at)) throw new KinesisError('InvalidArgumentException', 'Must specify timestampInMillis parameter for iterator of type AT_TIMESTAMP.');
        const found = shard.records.findIndex((r) => r.arrival >= at);
        index = found < 0 ? shard.records.length : found;
        break;
      }
      default:
        throw validation('shardIteratorType', type, 'Member must satisfy enum value set: [AFTER_SEQUENCE_NUMBER, LATEST, AT_TIMESTAMP, TRIM_HORIZON, AT_SEQUENCE_NUMBER]');
    }
    return { ShardIterator: this.iterator(stream, shard, index) };
  }

  private getRecords(input: Record<string, unknown>): unknown {
    const raw = text(input.ShardIterator);
    if (raw === undefined) throw validation('shardIterator', undefined, 'Member must not be null');
    let decoded: { s: string; h: string; i: number; t: number };
    try {
      decoded = JSON.parse(Buffer.from(raw, 'base64').toString('utf8')) as typeof decoded;
      if (typeof decoded.s !== 'string' || typeof decoded.i !== 'number' || typeof decoded.t !== 'number') throw new Error('shape');
    } catch {
      throw new KinesisError('InvalidArgumentException', `Invalid ShardIterator.`);
    }
    if (this.now() - decoded.t > ITERATOR_TTL_MS) throw new KinesisError('ExpiredIteratorException', `Iterator expired. The iterator was created at time ${new Date(decoded.t).toUTCString()} while right now it is ${new Date(this.now()).toUTCString()} which is further in the future than the tolerated delay of 300000 milliseconds.`);
    const stream = this.stream({ StreamName: decoded.s });
    const shard = this.shard(stream, decoded.h);
    const limit = input.Limit === undefined ? 10_000 : Number(input.Limit);
    // Over 10,000 is the service's own InvalidArgumentException (GetRecords); under 1 fails the model's constraint.
    if (Number.isInteger(limit) && limit > 10_000) throw new KinesisError('InvalidArgumentException', `1 validation error detected: Value '${limit}' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 10000`);
    if (!Number.isInteger(limit) || limit < 1) throw validation('limit', input.Limit, 'Member must have value greater than or equal to 1');
    const records = shard.records.slice(decoded.i, decoded.i + limit);
    const next = decoded.i + records.length;
    const last = shard.records.at(-1);
    return {
      Records: records.map((r) => ({ SequenceNumber: r.sequenceNumber, ApproximateArrivalTimestamp: r.arrival / 1000, Data: r.data.toString('base64'), PartitionKey: r.partitionKey, ...encryptionOf(stream) })),
      NextShardIterator: this.iterator(stream, shard, next),
      MillisBehindLatest: next >= shard.records.length || !last ? 0 : Math.max(0, this.now() - (shard.records[next]?.arrival ?? this.now())),
    };
  }

  private summary(stream: Stream): Record<string, unknown> {
    return {
      StreamName: stream.spec.name,
      StreamARN: stream.spec.arn,
      StreamStatus: 'ACTIVE',
      StreamModeDetails: { StreamMode: stream.spec.mode },
      RetentionPeriodHours: stream.spec.retentionHours,
      StreamCreationTimestamp: stream.created / 1000,
      EnhancedMonitoring: [{ ShardLevelMetrics: [] }],
      // Encryption is the stream's setting only: the records are kept as they came.
      EncryptionType: stream.spec.encryption ?? 'NONE',
      ...(stream.spec.keyId ? { KeyId: stream.spec.keyId } : {}),
    };
  }

  private shardList(shards: Shard[]): unknown[] {
    return shards.map((s) => ({ ShardId: s.id, HashKeyRange: { StartingHashKey: s.startingHashKey.toString(), EndingHashKey: s.endingHashKey.toString() }, SequenceNumberRange: { StartingSequenceNumber: s.startingSequenceNumber } }));
  }
}

/**
 * A record's (and PutRecord's, PutRecords') EncryptionType: KMS for an encrypted stream, absent otherwise, as AWS
 * answered LocalStack's recorded test_apigateway_to_kinesis and GetRecords tests (no EncryptionType NONE).
 */
function encryptionOf(stream: Stream): { EncryptionType?: 'KMS' } {
  return stream.spec.encryption ? { EncryptionType: stream.spec.encryption } : {};
}

/**
 * The shard id Kinesis reads a ShardId as: its number after the last hyphen, or the whole value when it has none, so that
 * `0`, `shardId-0` and `shardId-000000000000` name the first shard (serverless-patterns apigw-rest-api-kinesis-cdk's
 * README calls GetShardIterator with ShardId `0` and shows the iterator AWS answered; kinesalite resolves it so too).
 */
function shardIdOf(given: unknown): unknown {
  if (typeof given !== 'string') return given;
  const digits = given.slice(given.lastIndexOf('-') + 1);
  return /^\d{1,12}$/.test(digits) ? `shardId-${digits.padStart(12, '0')}` : given;
}
