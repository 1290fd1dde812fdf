/**
 * Lambda's asynchronous invocation (Developer Guide, "Asynchronous invocation", "Capturing records of asynchronous
 * invocations"), for the deliveries of the embedded S3, SNS and EventBridge: a function error or timeout is retried
 * (MaximumRetryAttempts, two by default: one minute before the second attempt, two before the third) while the event
 * is younger than MaximumEventAgeInSeconds; then the invocation record goes to the OnFailure destination and the event
 * to the dead-letter queue; a success's record to the OnSuccess destination. Time comes from the injected scheduler.
 */
import { errorDocument } from '../lambda/error-document.js';
import { randomUUID } from 'node:crypto';
import type { InvokeOutcome } from '../lambda/types.js';
import type { AsyncInvokeSpec } from '../template/model.js';

/** Where records and dead letters go: a queue, a topic, a function or an event bus, by ARN; undefined when sent. */
export interface AsyncSinks {
  destination(arn: string, record: InvocationRecord, success: boolean): Promise<string | undefined>;
  deadLetter(arn: string, event: unknown, attributes: { RequestID: string; ErrorCode: string; ErrorMessage: string }): Promise<string | undefined>;
}

export interface AsyncScheduler {
  now(): number;
  after(ms: number, fn: () => void): () => void;
}

/** The record a destination gets (version 1.0). */
export interface InvocationRecord {
  version: '1.0';
  timestamp: string;
  requestContext: { requestId: string; functionArn: string; condition: FailureCondition | 'Success'; approximateInvokeCount: number };
  requestPayload: unknown;
  /** Absent when the function never ran (ZeroReservedConcurrency). */
  responseContext?: { statusCode: number; executedVersion: string; functionError?: string };
  responsePayload?: unknown;
}

type FailureCondition = 'RetriesExhausted' | 'EventAgeExceeded' | 'ZeroReservedConcurrency';

/** One attempt's end, for the delivery's log line. */
export interface AttemptReport {
  attempt: number;
  outcome: InvokeOutcome;
  /** When it failed: the next attempt's delay, or what happened to the event instead. */
  next: { retryInMs: number } | { gaveUp: string } | undefined;
}

/** A throttled event's retries back off to this (Lambda Developer Guide, "asynchronous invocation"). */
const THROTTLE_RETRY_MAX_MS = 5 * 60_000;

/** Retry delays: one minute before the second attempt, two before the third. */
const RETRY_DELAYS_MS = [60_000, 120_000];

const errorPayload = (outcome: InvokeOutcome): unknown =>
  outcome.kind === 'function-error' ? errorDocument(outcome, outcome.runtime ?? '') : outcome.kind === 'ok' ? outcome.payload : { errorMessage: 'Task timed out', errorType: 'Sandbox.Timedout' };

/** Runs an asynchronous invocation to its end (attempts, then destinations); each attempt is reported as it ends. */
export class AsyncInvocations {
  private readonly pending = new Set<() => void>();
  private closed = false;

  constructor(
    private readonly scheduler: AsyncScheduler,
    private readonly sinks: AsyncSinks,
    private readonly log: (line: string) => void,
  ) {}

  /**
   * Starts the invocation; resolves with the first attempt's report (later ones go to `onAttempt`). Every attempt
   * carries the invocation's request id (the caller's, when it has one), as Lambda's retries do.
   */
  invoke(fn: { arn: string; async?: AsyncInvokeSpec; invoke(event: unknown, requestId: string): Promise<InvokeOutcome> }, event: unknown, onAttempt: (report: AttemptReport) => void, requestId: string = randomUUID()): Promise<AttemptReport> {
    const config = fn.async ?? { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600 };
    const queued = this.scheduler.now();
    return new Promise((resolveFirst) => {
      let firstReport = true;
      const settle = (report: AttemptReport) => {
        if (!firstReport) return onAttempt(report);
        firstReport = false;
        resolveFirst(report);
      };
      let throttles = 0;
      const attempt = async (n: number): Promise<void> => {
        // A function that cannot run here (its code missing, its runtime not run locally) fails the attempt, as an error.
        const outcome = await fn.invoke(event, requestId).catch((error: unknown): InvokeOutcome => ({ kind: 'function-error', errorType: 'Runtime.Unavailable', errorMessage: (error as Error).message, stackTrace: [], cold: false, durationMs: 0 }));
        // The emulator stopped meanwhile (an environment killed at close): nothing more to report or retry.
        if (this.closed) return;
        // A function with ReservedConcurrentExecutions 0 never runs: Lambda discards the event at once, its record
        // (condition ZeroReservedConcurrency, no attempt, no response) to the OnFailure destination, as AWS answered
        // LocalStack's recorded test_reserved_concurrency.
        if (outcome.kind === 'function-error' && outcome.zeroReserved) return settle({ attempt: n, outcome, next: { gaveUp: this.giveUp(fn.arn, config, requestId, 'ZeroReservedConcurrency', 0, event, outcome) } });
        if (outcome.kind === 'function-error' && outcome.throttled) {
          // A throttle is no attempt: Lambda returns the event to its queue and tries again, 1 s later at first, then
          // twice as long each time up to 5 minutes, for as long as the event is younger than its maximum age.
          const delay = Math.min(THROTTLE_RETRY_MAX_MS, 1000 * 2 ** throttles);
          throttles += 1;
          if (this.scheduler.now() + delay - queued > config.maximumEventAgeSeconds * 1000) return settle({ attempt: n, outcome, next: { gaveUp: this.giveUp(fn.arn, config, requestId, 'EventAgeExceeded', n - 1, event, outcome) } });
          settle({ attempt: n, outcome, next: { retryInMs: delay } });
          const cancel = this.scheduler.after(delay, () => {
            this.pending.delete(cancel);
            void attempt(n);
          });
          this.pending.add(cancel);
          return;
        }
        if (outcome.kind === 'ok') {
          if (config.onSuccess) void this.send(config.onSuccess, this.record(fn.arn, requestId, 'Success', n, event, outcome), true);
          return settle({ attempt: n, outcome, next: undefined });
        }
        if (n > config.maximumRetryAttempts) return settle({ attempt: n, outcome, next: { gaveUp: this.giveUp(fn.arn, config, requestId, 'RetriesExhausted', n, event, outcome) } });
        const delay = RETRY_DELAYS_MS[n - 1] ?? RETRY_DELAYS_MS.at(-1)!;
        settle({ attempt: n, outcome, next: { retryInMs: delay } });
        const cancel = this.scheduler.after(delay, () => {
          this.pending.delete(cancel);
          // Lambda discards an event older than MaximumEventAgeInSeconds when its retry comes due.
          if (this.scheduler.now() - queued > config.maximumEventAgeSeconds * 1000) onAttempt({ attempt: n, outcome, next: { gaveUp: this.giveUp(fn.arn, config, requestId, 'EventAgeExceeded', n, event, outcome) } });
          else void attempt(n + 1);
        });
        this.pending.add(cancel);
      };
      void attempt(1);
    });
  }

  /** Queue an event and say how it went: a failed first attempt and every later one, as `Lambda async <name>: attempt ...`. */
  queue(fn: Parameters<AsyncInvocations['invoke']>[0], event: unknown, name: string, requestId?: string): void {
    const report = (attempt: AttemptReport) => this.log(`Lambda async ${name}: ${attemptText(attempt)}`);
    void this.invoke(fn, event, report, requestId).then((first) => first.outcome.kind !== 'ok' && report(first));
  }

  /** The failure's destination and dead letter; what became of the event, for the log. */
  private giveUp(arn: string, config: AsyncInvokeSpec, requestId: string, condition: FailureCondition, count: number, event: unknown, outcome: InvokeOutcome): string {
    const sent: string[] = [];
    if (config.onFailure) {
      void this.send(config.onFailure, this.record(arn, requestId, condition, count, event, outcome), false);
      sent.push(`its record sent to ${config.onFailure}`);
    }
    if (config.deadLetter) {
      const message = outcome.kind === 'function-error' ? outcome.errorMessage : 'Task timed out';
      void this.sinks.deadLetter(config.deadLetter, event, { RequestID: requestId, ErrorCode: '200', ErrorMessage: message }).then((why) => why && this.log(`dead-letter queue ${config.deadLetter}: not sent: ${why}`));
      sent.push(`the event sent to the dead-letter queue ${config.deadLetter}`);
    }
    const why = condition === 'RetriesExhausted' ? `retries spent (${config.maximumRetryAttempts})` : condition === 'ZeroReservedConcurrency' ? 'ReservedConcurrentExecutions is 0: the function never runs' : `older than MaximumEventAgeInSeconds (${config.maximumEventAgeSeconds})`;
    return `${why}; ${sent.length > 0 ? sent.join(', ') : 'the event is dropped'}`;
  }

  private record(arn: string, requestId: string, condition: InvocationRecord['requestContext']['condition'], count: number, event: unknown, outcome: InvokeOutcome): InvocationRecord {
    const head = { version: '1.0' as const, timestamp: new Date(this.scheduler.now()).toISOString(), requestContext: { requestId, functionArn: `${arn}:$LATEST`, condition, approximateInvokeCount: count }, requestPayload: event };
    if (condition === 'ZeroReservedConcurrency') return head;
    return {
      ...head,
      responseContext: { statusCode: 200, executedVersion: '$LATEST', ...(outcome.kind === 'ok' ? {} : { functionError: 'Unhandled' }) },
      responsePayload: errorPayload(outcome),
    };
  }

  private async send(arn: string, record: InvocationRecord, success: boolean): Promise<void> {
    const why = await this.sinks.destination(arn, record, success).catch((error: unknown) => (error as Error).message);
    if (why) this.log(`destination ${arn}: not sent: ${why}`);
  }

  /** Cancels the retries still waiting (at close). */
  close(): void {
    this.closed = true;
    for (const cancel of this.pending) cancel();
    this.pending.clear();
  }
}

/** An attempt's log text: how it ended and what comes next. */
export function attemptText(report: AttemptReport): string {
  const { outcome, next } = report;
  const how = outcome.kind === 'ok' ? 'ok' : outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'the function did not answer in time';
  const then = next === undefined ? '' : 'retryInMs' in next ? `; retried in ${next.retryInMs / 1000} s` : `; ${next.gaveUp}`;
  return `attempt ${report.attempt}: ${how}${then}`;
}

/** What the sinks reach: the embedded SQS, SNS, event buses and the template's functions (late bound: they start in turn). */
export interface EmbeddedSinkDeps {
  sendMessage?(input: Record<string, unknown>): Promise<unknown>;
  queueUrl(arn: string): string;
  topics?: { publish(input: Record<string, unknown>): unknown };
  bus?: { putEvents(input: Record<string, unknown>): { FailedEntryCount: number; Entries: unknown[] } };
  invokeFunction?(arn: string, event: unknown): boolean;
}

/** Destinations and dead letters on the embedded services, by the ARN's service. */
export function embeddedSinks(deps: EmbeddedSinkDeps): AsyncSinks {
  const service = (arn: string) => /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
  const attributes = (a: Record<string, string>) => Object.fromEntries(Object.entries(a).map(([k, v]) => [k, { DataType: k === 'ErrorCode' ? 'Number' : 'String', StringValue: v }]));
  return {
    async destination(arn, record, success) {
      const text = JSON.stringify(record);
      switch (service(arn)) {
        case 'sqs':
          if (!deps.sendMessage) return 'the embedded SQS is not running';
          await deps.sendMessage({ QueueUrl: deps.queueUrl(arn), MessageBody: text });
          return undefined;
        case 'sns':
          if (!deps.topics) return 'the embedded SNS is not running';
          deps.topics.publish({ TopicArn: arn, Message: text });
          return undefined;
        case 'lambda':
          return deps.invokeFunction?.(arn, record) ? undefined : 'not a function of the template';
        case 'events': {
          // Resources name the bus, then the function (LocalStack's recorded test_invoke_lambda_eventbridge).
          if (!deps.bus) return 'the embedded EventBridge is not running';
          const put = deps.bus.putEvents({ Entries: [{ EventBusName: arn, Source: 'lambda', DetailType: `Lambda Function Invocation Result - ${success ? 'Success' : 'Failure'}`, Detail: text, Resources: [arn, record.requestContext.functionArn] }] });
          return put.FailedEntryCount > 0 ? JSON.stringify(put.Entries[0]) : undefined;
        }
        default:
          return `${service(arn) ?? 'unknown'} destinations are not served locally`;
      }
    },
    async deadLetter(arn, event, dlq) {
      const body = JSON.stringify(event);
      if (service(arn) === 'sqs') {
        if (!deps.sendMessage) return 'the embedded SQS is not running';
        await deps.sendMessage({ QueueUrl: deps.queueUrl(arn), MessageBody: body, MessageAttributes: attributes(dlq) });
        return undefined;
      }
      if (service(arn) === 'sns' && deps.topics) {
        deps.topics.publish({ TopicArn: arn, Message: body, MessageAttributes: attributes(dlq) });
        return undefined;
      }
      return `${arn} is not a queue or topic of the embedded services`;
    },
  };
}

/** Wall time and real timers, for the emulator (tests give their own). */
export const systemScheduler: AsyncScheduler = {
  now: () => Date.now(),
  after: (ms, fn) => {
    const timer = setTimeout(fn, ms);
    return () => clearTimeout(timer);
  },
};
