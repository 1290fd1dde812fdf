/**
 * Lambda's SQS event source mappings, run locally (Lambda Developer Guide, "Using Lambda with Amazon SQS"): a poller
 * long-polls the queue, hands the function a batch of records, deletes what the function handled and leaves the
 * rest to come back after the queue's visibility timeout (and, past maxReceiveCount, to its dead-letter queue).
 * With ReportBatchItemFailures only the messages the function names stay; FilterCriteria drop (delete) the messages
 * no filter matches, before the function sees them.
 */
import type { InvokeOutcome } from '../../lambda/types.js';
import type { QueueSourceSpec } from '../../template/model.js';
import { SqsCallError, type SqsCaller } from './client.js';
import { matchesAnyPattern, patternProblems } from '../event-patterns.js';
import { reportedItemIdentifiers } from '../batch-item-failures.js';
import type { ReceivedMessage } from './message-shapes.js';

export interface SqsRecord {
  messageId: string;
  receiptHandle: string;
  body: string;
  attributes: Record<string, string>;
  messageAttributes: Record<string, { stringValue?: string; binaryValue?: string; stringListValues: string[]; binaryListValues: string[]; dataType: string }>;
  /** Without message attributes: null from a mapping with a batching window, absent without one (see sqsRecord). */
  md5OfMessageAttributes?: string | null;
  md5OfBody: string;
  eventSource: 'aws:sqs';
  eventSourceARN: string;
  awsRegion: string;
}

/** What one batch came to, for the log line and for tests. */
export interface BatchReport {
  source: string;
  functionLogicalId: string;
  /** The MessageIds of the batch, in the order received. */
  messageIds: string[];
  received: number;
  /** Dropped by FilterCriteria (deleted without invoking). */
  filtered: number;
  deleted: number;
  /** Left on the queue to be received again. */
  retried: number;
  outcome: 'ok' | 'partial' | 'error' | 'filtered';
  detail?: string;
}

export interface PollerDeps {
  sqs: SqsCaller;
  invoke(functionLogicalId: string, event: unknown): Promise<InvokeOutcome>;
  region: string;
  /** Why polling stopped (the queue is gone). */
  log(line: string): void;
  /** Every batch's outcome (batchLine() writes it as a log line). */
  onBatch(report: BatchReport): void;
  /** Waits between failed polls (a timer by default; ends early when the poller stops). */
  pause?(ms: number, signal: AbortSignal): Promise<void>;
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * The SQS record Lambda builds from a received message (messageAttributes in Lambda's lower-camel form). A message
 * without attributes has md5OfMessageAttributes null when the mapping has a batching window and no such key when it
 * has none: so AWS answered LocalStack's recorded tests, every one with MaximumBatchingWindowInSeconds 1 or more
 * (test_sqs_event_source_mapping, test_sqs_event_filter, test_sqs_event_source_mapping_batch_size) with null and every
 * one with 0 (test_failing_lambda_retries_after_visibility_timeout, test_report_batch_item_failures) without the key.
 */
export function sqsRecord(message: ReceivedMessage, queueArn: string, region: string, batchingWindowSeconds = 0): SqsRecord {
  const messageAttributes: SqsRecord['messageAttributes'] = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    messageAttributes[name] = {
      ...(value.StringValue !== undefined ? { stringValue: value.StringValue } : {}),
      ...(value.BinaryValue !== undefined ? { binaryValue: value.BinaryValue } : {}),
      stringListValues: [],
      binaryListValues: [],
      dataType: value.DataType,
    };
  }
  return {
    messageId: message.MessageId,
    receiptHandle: message.ReceiptHandle,
    body: message.Body,
    attributes: message.Attributes ?? {},
    messageAttributes,
    ...(message.MD5OfMessageAttributes ? { md5OfMessageAttributes: message.MD5OfMessageAttributes } : batchingWindowSeconds > 0 ? { md5OfMessageAttributes: null } : {}),
    md5OfBody: message.MD5OfBody,
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * The messages the function asks to keep (batchItemFailures), or 'all' when its answer is not a valid partial
 * response: an itemIdentifier that is empty or names no message of the batch fails the whole batch, as on Lambda.
 */
export function failedItems(payload: unknown, records: SqsRecord[]): Set<string> | 'all' {
  const reported = reportedItemIdentifiers(payload);
  if (reported === 'all') return 'all';
  const ids = new Set(records.map((r) => r.messageId));
  const out = new Set<string>();
  for (const id of reported) {
    if (typeof id !== 'string' || !ids.has(id)) return 'all';
    out.add(id);
  }
  return out;
}

/** One event source mapping's poller: start() runs it until stop(). */
export class QueuePoller {
  private running = false;
  private abort = new AbortController();
  private loop: Promise<void> | undefined;

  constructor(
    readonly spec: QueueSourceSpec,
    private readonly queueUrl: string,
    private readonly deps: PollerDeps,
  ) {}

  start(): void {
    if (this.running || !this.spec.enabled) return;
    this.running = true;
    this.loop = this.run();
  }

  async stop(): Promise<void> {
    this.running = false;
    this.abort.abort();
    await this.loop;
  }

  private async run(): Promise<void> {
    let failing = false;
    while (this.running) {
      try {
        const messages = await this.receiveBatch();
        failing = false;
        if (messages.length > 0) await this.deliver(messages);
      } catch (error) {
        if (!this.running) return;
        // A deleted queue ends its mapping; anything else is said once and polling goes on after a pause, as
        // Lambda's pollers retry (the messages are still on the queue: nothing is lost).
        if (error instanceof SqsCallError && error.code === 'QueueDoesNotExist') {
          this.deps.log(`SQS ${this.spec.id}: the queue ${this.queueUrl} is gone: no longer polled`);
          this.running = false;
          return;
        }
        if (!failing) this.deps.log(`SQS ${this.spec.id}: polling ${this.queueUrl} failed, retrying every second: ${(error as Error).message}`);
        failing = true;
        await (this.deps.pause ?? pause)(1000, this.abort.signal);
      }
    }
  }

  /** Up to BatchSize messages: one long poll, then more while they come at once or the batching window lasts. */
  private async receiveBatch(): Promise<ReceivedMessage[]> {
    const want = Math.max(1, this.spec.batchSize);
    const receive = async (wait: number): Promise<ReceivedMessage[]> => {
      const answer = await this.deps.sqs.call('ReceiveMessage', { QueueUrl: this.queueUrl, MaxNumberOfMessages: Math.min(10, want - got.length), WaitTimeSeconds: wait, MessageSystemAttributeNames: ['All'], MessageAttributeNames: ['All'] }, this.abort.signal);
      return (answer.Messages as ReceivedMessage[] | undefined) ?? [];
    };
    const got: ReceivedMessage[] = [];
    got.push(...(await receive(20)));
    // Up to 10 messages and no batching window: Lambda invokes with what one receive returned.
    if (got.length === 0 || (want <= 10 && this.spec.batchingWindowSeconds === 0)) return got;
    const windowEnds = Date.now() + this.spec.batchingWindowSeconds * 1000;
    while (this.running && got.length < want) {
      const left = Math.ceil((windowEnds - Date.now()) / 1000);
      // A queue whose VisibilityTimeout is 0 hands back the messages already taken: they are in the batch once.
      const more = (await receive(left > 0 ? Math.min(20, left) : 0)).filter((m) => !got.some((g) => g.MessageId === m.MessageId));
      if (more.length === 0 && left <= 0) break;
      got.push(...more);
    }
    return got;
  }

  private async deliver(messages: ReceivedMessage[]): Promise<void> {
    const { spec, deps } = this;
    const all = messages.map((m) => sqsRecord(m, spec.queueArn, deps.region, spec.batchingWindowSeconds));
    const patterns = spec.filterCriteria ? filterPatterns(spec.filterCriteria) : [];
    const records = patterns.length === 0 ? all : all.filter((r) => matchesAnyPattern(patterns, recordForFilter(r)));
    const dropped = all.filter((r) => !records.includes(r));
    const report: BatchReport = { source: spec.id, functionLogicalId: spec.functionLogicalId, messageIds: all.map((r) => r.messageId), received: all.length, filtered: dropped.length, deleted: 0, retried: 0, outcome: 'ok' };
    let keep = new Set<string>();
    if (records.length === 0) report.outcome = 'filtered';
    else {
      const outcome = await deps.invoke(spec.functionLogicalId, { Records: records });
      if (outcome.kind !== 'ok') {
        keep = new Set(records.map((r) => r.messageId));
        report.outcome = 'error';
        report.detail = outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'the function did not answer in time';
      } else if (spec.reportBatchItemFailures) {
        const failed = failedItems(outcome.payload, records);
        keep = failed === 'all' ? new Set(records.map((r) => r.messageId)) : failed;
        if (failed === 'all') report.detail = 'not a valid partial batch response (batchItemFailures names no message of the batch, is not a list, or the response is no object): the whole batch is retried';
        if (keep.size > 0) report.outcome = failed === 'all' ? 'error' : 'partial';
      }
    }
    const done = all.filter((r) => !keep.has(r.messageId));
    report.retried = all.length - done.length;
    for (let i = 0; i < done.length; i += 10) {
      const entries = done.slice(i, i + 10).map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle }));
      const answer = await deps.sqs.call('DeleteMessageBatch', { QueueUrl: this.queueUrl, Entries: entries });
      report.deleted += ((answer.Successful as unknown[] | undefined) ?? []).length;
    }
    deps.onBatch(report);
  }
}

/** The record as Lambda's filters see it: its body parsed when it is JSON, else matched only as a whole text. */
export function recordForFilter(record: SqsRecord): Record<string, unknown> {
  let body: unknown = record.body;
  try {
    body = JSON.parse(record.body);
  } catch {
    // plain text: matched as it is
  }
  return { ...record, body };
}

/** The Patterns of FilterCriteria.Filters, parsed (a pattern that is not JSON matches nothing, as Lambda refuses it). */
export function filterPatterns(criteria: Record<string, unknown>): unknown[] {
  const filters = Array.isArray(criteria.Filters) ? criteria.Filters : [];
  return filters.map((f) => {
    const pattern = typeof f === 'object' && f !== null ? (f as { Pattern?: unknown }).Pattern : undefined;
    if (typeof pattern !== 'string') return pattern ?? {};
    try {
      return JSON.parse(pattern) as unknown;
    } catch {
      return { '\0never': ['\0'] };
    }
  });
}

/** What Lambda refuses in FilterCriteria (a Pattern that is not JSON, a pattern AWS refuses) or does not evaluate here. */
export function filterCriteriaProblems(criteria: Record<string, unknown>): string[] {
  const filters = Array.isArray(criteria.Filters) ? criteria.Filters : [];
  return filters.flatMap((f, i) => {
    const pattern = typeof f === 'object' && f !== null ? (f as { Pattern?: unknown }).Pattern : undefined;
    if (typeof pattern !== 'string') return patternProblems(pattern ?? {});
    try {
      return patternProblems(JSON.parse(pattern) as unknown);
    } catch {
      return [`Filters[${i}].Pattern is not JSON: Lambda refuses it (the event source is not created); it matches nothing here`];
    }
  });
}

/** One batch as a log line, as the request log writes a request. */
export function batchLine(r: BatchReport): string {
  const counts = [`${r.received} message${r.received === 1 ? '' : 's'}`, ...(r.filtered ? [`${r.filtered} filtered out`] : []), `${r.deleted} deleted`, ...(r.retried ? [`${r.retried} left to retry after the visibility timeout`] : [])];
  return `SQS ${r.source} -> ${r.functionLogicalId}: ${r.outcome}, ${counts.join(', ')}${r.detail ? ` (${r.detail})` : ''}`;
}
