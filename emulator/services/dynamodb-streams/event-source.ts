/**
 * Lambda's DynamoDB stream event source mappings, run locally (Lambda Developer Guide, "Using Lambda with DynamoDB"):
 * the stream's records in order, in batches of BatchSize (after MaximumBatchingWindowInSeconds), filtered by
 * FilterCriteria; a batch that fails is retried, in order, until it succeeds or MaximumRetryAttempts is spent (the
 * default, -1, retries until the record expires: the stream waits behind it, as a shard does); with
 * ReportBatchItemFailures the retry starts at the first record the function names.
 */
import type { InvokeOutcome } from '../../lambda/types.js';
import type { StreamSourceSpec } from '../../template/model.js';
import { matchesAnyPattern } from '../event-patterns.js';
import { reportedItemIdentifiers } from '../batch-item-failures.js';
import { filterPatterns } from '../sqs/event-source.js';
import type { StreamRecord } from './capture.js';

/** A record as Lambda hands it to the function. */
export interface DynamoDbLambdaRecord {
  eventID: string;
  eventName: StreamRecord['eventName'];
  eventVersion: '1.1';
  eventSource: 'aws:dynamodb';
  awsRegion: string;
  dynamodb: StreamRecord['dynamodb'];
  eventSourceARN: string;
}

export function lambdaRecord(record: StreamRecord, region: string): DynamoDbLambdaRecord {
  return { eventID: record.eventID, eventName: record.eventName, eventVersion: '1.1', eventSource: 'aws:dynamodb', awsRegion: region, dynamodb: record.dynamodb, eventSourceARN: record.streamArn };
}

/**
 * What the poller needs of a stream's records: the record as Lambda hands it to the function (and as FilterCriteria
 * see it), and its sequence number (batchItemFailures' itemIdentifier). DynamoDB Streams' by default; Kinesis has its own.
 */
export interface StreamRecordAdapter<R> {
  service: 'dynamodb' | 'kinesis';
  lambdaRecord(record: R): object;
  /** The record as FilterCriteria match it (the Lambda record by default). */
  filterView?(record: R): object;
  sequenceNumber(record: R): string;
}

/** DynamoDB Streams' records, for a region. */
export function dynamodbRecords(region: string): StreamRecordAdapter<StreamRecord> {
  return { service: 'dynamodb', lambdaRecord: (r) => lambdaRecord(r, region), sequenceNumber: (r) => r.dynamodb.SequenceNumber };
}

/** What one batch came to, for the log line and for tests. */
export interface StreamBatchReport {
  /** Whose stream: DynamoDB's unless said. */
  service?: 'kinesis';
  source: string;
  functionLogicalId: string;
  sequenceNumbers: string[];
  /** ok: done; partial: retried from a failed item; error: retried whole; discarded: retries spent; filtered: no record matched. */
  outcome: 'ok' | 'partial' | 'error' | 'discarded' | 'filtered';
  /** Retries of this batch so far. */
  retries: number;
  detail?: string;
}

export interface StreamPollerDeps<R = StreamRecord> {
  invoke(functionLogicalId: string, event: unknown): Promise<InvokeOutcome>;
  region: string;
  /** The records' shape: DynamoDB Streams' by default. */
  records?: StreamRecordAdapter<R>;
  onBatch(report: StreamBatchReport): void;
  /** Runs fn after ms (a timer by default); returns its cancel. Tests drive it. */
  after?(ms: number, fn: () => void): () => void;
}

const timer = (ms: number, fn: () => void): (() => void) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

/** Lambda's limit on an invocation's payload: a batch stops short of it. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;

/** Retry backoff: 1 s, doubling, at most 60 s. */
const backoff = (retry: number): number => Math.min(60_000, 1000 * 2 ** Math.max(0, retry - 1));

/** The record the function names first in batchItemFailures, 'all' for an answer that is no valid partial response, or undefined (all done). */
function firstFailure<R>(payload: unknown, batch: R[], sequenceNumber: (record: R) => string): number | 'all' | undefined {
  const reported = reportedItemIdentifiers(payload);
  if (reported === 'all') return 'all';
  let first: number | undefined;
  for (const id of reported) {
    const index = batch.findIndex((r) => sequenceNumber(r) === id);
    if (index < 0) return 'all';
    first = first === undefined ? index : Math.min(first, index);
  }
  return first;
}

/** One mapping (on Kinesis, one shard of it): push() the records as they come; they reach the function in order, one batch at a time. */
export class StreamPoller<R = StreamRecord> {
  private readonly queue: R[] = [];
  /** While a failed batch is retried: how many records it holds (the batch does not grow with later records). */
  private retrying: number | undefined;
  private readonly batchSize: number;
  private busy = false;
  private stopped = false;
  private retries = 0;
  private cancel: () => void = () => undefined;
  private readonly filters: unknown[];
  private readonly after: (ms: number, fn: () => void) => () => void;
  private readonly records: StreamRecordAdapter<R>;
  /** Settles when the batch under way (if any) has been handled. */
  idle: Promise<void> = Promise.resolve();

  constructor(
    readonly spec: StreamSourceSpec,
    private readonly deps: StreamPollerDeps<R>,
  ) {
    this.records = deps.records ?? (dynamodbRecords(deps.region) as unknown as StreamRecordAdapter<R>);
    this.filters = spec.filterCriteria ? filterPatterns(spec.filterCriteria) : [];
    // A BatchSize Lambda would refuse (reported at start) runs as the nearest it accepts.
    this.batchSize = Math.min(10_000, Math.max(1, Math.floor(spec.batchSize) || 1));
    this.after = deps.after ?? timer;
  }

  push(records: R[]): void {
    if (this.stopped || !this.spec.enabled) return;
    this.queue.push(...records);
    if (!this.busy) this.schedule(this.queue.length >= this.batchSize ? 0 : this.spec.batchingWindowSeconds * 1000);
  }

  stop(): Promise<void> {
    this.stopped = true;
    this.cancel();
    return this.idle;
  }

  private schedule(ms: number): void {
    this.busy = true;
    if (ms <= 0) {
      this.idle = this.next();
      return;
    }
    this.cancel = this.after(ms, () => {
      this.idle = this.next();
    });
  }

  /** The next batch: the failed one again when retrying (records that came since wait), else up to BatchSize and 6 MB. */
  private take(): R[] {
    if (this.retrying !== undefined) return this.queue.slice(0, this.retrying);
    const batch: R[] = [];
    let bytes = 0;
    for (const record of this.queue.slice(0, this.batchSize)) {
      bytes += Buffer.byteLength(JSON.stringify(this.records.lambdaRecord(record))) + 1;
      // Lambda's invocation payload limit: a batch ends before the record that would pass 6 MB (one record at least).
      if (batch.length > 0 && bytes > MAX_EVENT_BYTES) break;
      batch.push(record);
    }
    return batch;
  }

  private async next(): Promise<void> {
    // After the current turn: the records of one write, pushed together, are then all in the queue.
    await Promise.resolve();
    if (this.stopped) return;
    const batch = this.take();
    const { lambdaRecord: toLambda, sequenceNumber } = this.records;
    const view = this.records.filterView ?? toLambda;
    const matched = this.filters.length === 0 ? batch : batch.filter((r) => matchesAnyPattern(this.filters, { ...view(r) }));
    const report = { ...(this.records.service === 'kinesis' ? { service: 'kinesis' as const } : {}), source: this.spec.id, functionLogicalId: this.spec.functionLogicalId, sequenceNumbers: matched.map(sequenceNumber), retries: this.retries };
    if (matched.length === 0) {
      this.done(batch.length);
      this.deps.onBatch({ ...report, sequenceNumbers: batch.map(sequenceNumber), outcome: 'filtered' });
      return this.continue();
    }
    const outcome = await this.deps.invoke(this.spec.functionLogicalId, { Records: matched.map(toLambda) });
    if (this.stopped) return;
    const failed = outcome.kind === 'ok' ? (this.spec.reportBatchItemFailures ? firstFailure(outcome.payload, matched, sequenceNumber) : undefined) : 'all';
    if (failed === undefined) {
      this.done(batch.length);
      this.deps.onBatch({ ...report, outcome: 'ok' });
      return this.continue();
    }
    // What failed and everything after it, in stream order, is retried: the records before it are done.
    const from = failed === 'all' ? 0 : this.queue.indexOf(matched[failed]!);
    const detail = outcome.kind === 'ok' ? (failed === 'all' ? 'the response is no valid batchItemFailures list: the whole batch is retried' : `batchItemFailures from ${sequenceNumber(matched[failed]!)}`) : outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'the function did not answer in time';
    this.queue.splice(0, from);
    this.retrying = batch.length - from;
    const limit = this.spec.maximumRetryAttempts;
    if (limit >= 0 && this.retries >= limit) {
      // Retries spent: the batch is dropped (an OnFailure destination, if any, is not emulated) and the stream moves on.
      this.done(batch.length - from);
      this.deps.onBatch({ ...report, outcome: 'discarded', detail: `${detail}; MaximumRetryAttempts (${limit}) spent` });
      return this.continue();
    }
    this.retries += 1;
    this.deps.onBatch({ ...report, outcome: failed === 'all' ? 'error' : 'partial', detail });
    this.schedule(backoff(this.retries));
  }

  /** The first `count` records are handled: the next batch starts after them, with no retry counted. */
  private done(count: number): void {
    this.queue.splice(0, count);
    this.retries = 0;
    this.retrying = undefined;
  }

  private continue(): void {
    this.busy = false;
    if (this.queue.length > 0 && !this.stopped) this.schedule(this.queue.length >= this.batchSize ? 0 : this.spec.batchingWindowSeconds * 1000);
  }
}

/** One batch as a log line. */
export function streamBatchLine(r: StreamBatchReport): string {
  const retry = r.retries > 0 ? ` (retry ${r.retries})` : '';
  return `${r.service === 'kinesis' ? 'Kinesis' : 'DynamoDB'} stream ${r.source} -> ${r.functionLogicalId}: ${r.sequenceNumbers.length} record(s) ${r.outcome}${retry}${r.detail ? `: ${r.detail}` : ''}`;
}
