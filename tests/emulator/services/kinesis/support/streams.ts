/**
 * The Kinesis stream tests' harness: the embedded streams on a clock the test moves, the answers' shapes, and helpers
 * for partition-key hashes and the errors the API answers.
 */
import { createHash } from 'node:crypto';
import { KinesisError, KinesisStreams, type KinesisRecord } from '../../../../../emulator/services/kinesis/streams.js';
import type { KinesisStreamSpec } from '../../../../../emulator/template/model.js';

const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';
export const MAX_HASH_KEY = (1n << 128n) - 1n;
export const MIB = 1024 * 1024;
export const T0 = 1_700_000_000_000;
/** The Pattern the API Reference gives SequenceNumber. */
export const SEQUENCE_NUMBER = /^(0|[1-9]\d{0,128})$/;

/** The answers' shapes (Kinesis Data Streams API Reference), as the tests read them. */
export interface ShardOut {
  ShardId: string;
  HashKeyRange: { StartingHashKey: string; EndingHashKey: string };
  SequenceNumberRange: { StartingSequenceNumber: string; EndingSequenceNumber?: string };
}
export interface PutRecordOut {
  ShardId: string;
  SequenceNumber: string;
}
export interface PutRecordsOut {
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
export interface DescribeStreamOut {
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
export interface SummaryOut {
  StreamDescriptionSummary: { StreamName: string; StreamARN: string; StreamStatus: string; StreamModeDetails: { StreamMode: string }; OpenShardCount: number; RetentionPeriodHours: number };
}

/** A stream's ARN in the test account and Region. */
export const arnOf = (name: string, account = ACCOUNT, region = REGION): string => `arn:aws:kinesis:${region}:${account}:stream/${name}`;
/** A provisioned stream of one shard named `name`, as the template loader would give it, with `over` applied. */
export const streamSpec = (name: string, over: Partial<KinesisStreamSpec> = {}): KinesisStreamSpec => ({ logicalId: name, name, arn: arnOf(name), shardCount: 1, mode: 'PROVISIONED', retentionHours: 24, ...over });

/** Data as the API carries it: base64. */
export const b64 = (text: string): string => Buffer.from(text).toString('base64');
/** The partition key's MD5 as a 128-bit unsigned integer, as the API Reference says Kinesis maps it. */
export const md5 = (key: string): bigint => BigInt(`0x${createHash('md5').update(key, 'utf8').digest('hex')}`);

/** The streams on a clock the test moves, with every record put (onRecords) kept. */
export function setup(specs: KinesisStreamSpec[] = [streamSpec('orders', { shardCount: 4 })]) {
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
export const shardHolding = (shards: ShardOut[], hash: bigint): string | undefined => shards.find((s) => BigInt(s.HashKeyRange.StartingHashKey) <= hash && hash <= BigInt(s.HashKeyRange.EndingHashKey))?.ShardId;

/** The KinesisError fn throws (the test fails if it throws none, or another error). */
export function failure(fn: () => unknown): KinesisError {
  try {
    fn();
  } catch (error) {
    if (error instanceof KinesisError) return error;
    throw error;
  }
  throw new Error('expected a KinesisError, got none');
}
