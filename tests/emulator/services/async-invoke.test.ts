/**
 * Lambda's asynchronous invocation (services/async-invoke.ts) on a fake scheduler and fake sinks (they stand for AWS):
 * the retries and their delays, MaximumRetryAttempts and MaximumEventAgeInSeconds, the invocation records sent to the
 * destinations, the dead letter's attributes, and retries cancelled at close.
 */
import { describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../../emulator/lambda/types.js';
import { AsyncInvocations, attemptText, embeddedSinks, type AsyncSinks, type AttemptReport, type InvocationRecord } from '../../../emulator/services/async-invoke.js';
import type { AsyncInvokeSpec } from '../../../emulator/template/model.js';
import { FakeScheduler, settle } from '../support/fake-scheduler.js';

const ARN = 'arn:aws:lambda:us-east-1:123456789012:function:f';
const ok: InvokeOutcome = { kind: 'ok', payload: { done: true }, cold: false, durationMs: 1 };
const failed: InvokeOutcome = { kind: 'function-error', errorType: 'Error', errorMessage: 'boom', stackTrace: ['at x'], cold: false, durationMs: 1 };
const throttled: InvokeOutcome = { kind: 'function-error', errorType: 'TooManyRequestsException', errorMessage: 'Rate Exceeded.', stackTrace: [], cold: false, durationMs: 0, throttled: true };

/** Fake sinks: what each destination and dead-letter queue got. */
function fakeSinks() {
  const destinations: { arn: string; record: InvocationRecord; success: boolean }[] = [];
  const deadLetters: { arn: string; event: unknown; attributes: Record<string, string> }[] = [];
  const sinks: AsyncSinks = {
    destination: (arn, record, success) => {
      destinations.push({ arn, record, success });
      return Promise.resolve(undefined);
    },
    deadLetter: (arn, event, attributes) => {
      deadLetters.push({ arn, event, attributes });
      return Promise.resolve(undefined);
    },
  };
  return { destinations, deadLetters, sinks };
}

/** A function answering each attempt in turn (the last answer repeats), and when each attempt came. */
function scripted(clock: FakeScheduler, answers: InvokeOutcome[]) {
  const attempts: number[] = [];
  return {
    attempts,
    invoke: () => {
      attempts.push(clock.now());
      return Promise.resolve(answers[Math.min(attempts.length - 1, answers.length - 1)]!);
    },
  };
}

function harness(answers: InvokeOutcome[], config?: AsyncInvokeSpec) {
  const clock = new FakeScheduler(Date.UTC(2026, 0, 1));
  const { destinations, deadLetters, sinks } = fakeSinks();
  const logs: string[] = [];
  const invocations = new AsyncInvocations(clock, sinks, (line) => logs.push(line));
  const fn = scripted(clock, answers);
  const later: AttemptReport[] = [];
  const first = invocations.invoke({ arn: ARN, ...(config ? { async: config } : {}), invoke: fn.invoke }, { id: 'e-1' }, (r) => later.push(r));
  return { clock, destinations, deadLetters, invocations, fn, later, first, logs };
}

describe('AsyncInvocations: throttles (the function`s reserved concurrency in use)', () => {
  it('are no attempts: retried 1 s, then 2 s later, even with MaximumRetryAttempts 0, until the function runs', async () => {
    // Prepare
    const h = harness([throttled, throttled, ok], { maximumRetryAttempts: 0, maximumEventAgeSeconds: 21_600, onSuccess: 'arn:aws:sqs:us-east-1:123456789012:ok' });

    // Act
    const first = await h.first;
    await h.clock.runAll();

    // Assess
    const start = Date.UTC(2026, 0, 1);
    expect(h.fn.attempts).toEqual([start, start + 1000, start + 3000]);
    expect(attemptText(first)).toBe('attempt 1: TooManyRequestsException: Rate Exceeded.; retried in 1 s');
    expect(h.later.map(attemptText)).toEqual(['attempt 1: TooManyRequestsException: Rate Exceeded.; retried in 2 s', 'attempt 1: ok']);
    expect(h.destinations.map((d) => [d.record.requestContext.condition, d.record.requestContext.approximateInvokeCount])).toEqual([['Success', 1]]);
  });

  it('with ReservedConcurrentExecutions 0 are not retried: the record goes at once, condition ZeroReservedConcurrency, no attempt and no response, as AWS answered LocalStack`s recorded test_reserved_concurrency', async () => {
    // Prepare
    const h = harness([{ ...throttled, zeroReserved: true }], { maximumRetryAttempts: 0, maximumEventAgeSeconds: 21_600, onFailure: 'arn:aws:sqs:us-east-1:123456789012:failed' });

    // Act
    const first = await h.first;
    await h.clock.runAll();
    await settle();

    // Assess
    expect(h.fn.attempts).toHaveLength(1);
    expect(first.next).toEqual({ gaveUp: 'ReservedConcurrentExecutions is 0: the function never runs; its record sent to arn:aws:sqs:us-east-1:123456789012:failed' });
    expect(h.destinations).toEqual([
      {
        arn: 'arn:aws:sqs:us-east-1:123456789012:failed',
        success: false,
        record: {
          version: '1.0',
          timestamp: new Date(Date.UTC(2026, 0, 1)).toISOString(),
          requestContext: { requestId: expect.any(String) as string, functionArn: `${ARN}:$LATEST`, condition: 'ZeroReservedConcurrency', approximateInvokeCount: 0 },
          requestPayload: { id: 'e-1' },
        },
      },
    ]);
  });

  it('back off to 5 minutes and end when the event would be older than its maximum age (EventAgeExceeded)', async () => {
    // Prepare
    const h = harness([throttled], { maximumRetryAttempts: 2, maximumEventAgeSeconds: 1200, onFailure: 'arn:aws:sns:us-east-1:123456789012:failed' });

    // Act
    await h.first;
    await h.clock.runAll();

    // Assess: 1, 2, 4 ... 256 s apart, then 300 s, while the next try is within 1200 s of the event.
    const start = Date.UTC(2026, 0, 1);
    expect(h.fn.attempts.map((t) => (t - start) / 1000)).toEqual([0, 1, 3, 7, 15, 31, 63, 127, 255, 511, 811, 1111]);
    expect(h.later.at(-1)?.next).toEqual({ gaveUp: expect.stringMatching(/^older than MaximumEventAgeInSeconds \(1200\)/) });
    expect(h.destinations.map((d) => d.record.requestContext.condition)).toEqual(['EventAgeExceeded']);
  });
});

describe('AsyncInvocations', () => {
  it('retries a failing function twice by default: one minute, then two minutes later', async () => {
    // Prepare
    const h = harness([failed]);

    // Act
    const first = await h.first;
    await h.clock.runAll();

    // Assess
    const start = Date.UTC(2026, 0, 1);
    expect(h.fn.attempts).toEqual([start, start + 60_000, start + 180_000]);
    expect(attemptText(first)).toBe('attempt 1: Error: boom; retried in 60 s');
    expect(h.later.map(attemptText)).toEqual(['attempt 2: Error: boom; retried in 120 s', 'attempt 3: Error: boom; retries spent (2); the event is dropped']);
  });

  it('stops retrying once the function succeeds, and sends the success record to OnSuccess', async () => {
    const h = harness([failed, ok], { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, onSuccess: 'arn:aws:sqs:us-east-1:123456789012:ok' });

    await h.first;
    await h.clock.runAll();

    expect(h.fn.attempts).toHaveLength(2);
    expect(h.destinations).toEqual([
      {
        arn: 'arn:aws:sqs:us-east-1:123456789012:ok',
        success: true,
        record: {
          version: '1.0',
          timestamp: new Date(Date.UTC(2026, 0, 1) + 60_000).toISOString(),
          requestContext: { requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), functionArn: `${ARN}:$LATEST`, condition: 'Success', approximateInvokeCount: 2 },
          requestPayload: { id: 'e-1' },
          responseContext: { statusCode: 200, executedVersion: '$LATEST' },
          responsePayload: { done: true },
        },
      },
    ]);
  });

  it.each([
    { given: 'MaximumRetryAttempts 0: one attempt', config: { maximumRetryAttempts: 0, maximumEventAgeSeconds: 21_600 }, attempts: 1, condition: 'RetriesExhausted' },
    { given: 'MaximumRetryAttempts 1: two attempts', config: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 21_600 }, attempts: 2, condition: 'RetriesExhausted' },
    { given: 'an event age of 90 s: the two-minute retry would be too late', config: { maximumRetryAttempts: 2, maximumEventAgeSeconds: 90 }, attempts: 2, condition: 'EventAgeExceeded' },
  ])('$given, then the failure record to OnFailure and the event to the dead-letter queue', async ({ config, attempts, condition }) => {
    const h = harness([failed], { ...config, onFailure: 'arn:aws:sns:us-east-1:123456789012:failed', deadLetter: 'arn:aws:sqs:us-east-1:123456789012:dlq' });

    await h.first;
    await h.clock.runAll();
    await settle();

    expect(h.fn.attempts).toHaveLength(attempts);
    expect(h.destinations.map((d) => [d.arn, d.success, d.record.requestContext.condition, d.record.requestContext.approximateInvokeCount, d.record.responseContext?.functionError, d.record.responsePayload])).toEqual([
      ['arn:aws:sns:us-east-1:123456789012:failed', false, condition, attempts, 'Unhandled', { errorType: 'Error', errorMessage: 'boom', trace: ['at x'] }],
    ]);
    expect(h.deadLetters).toEqual([{ arn: 'arn:aws:sqs:us-east-1:123456789012:dlq', event: { id: 'e-1' }, attributes: { RequestID: h.destinations[0]!.record.requestContext.requestId, ErrorCode: '200', ErrorMessage: 'boom' } }]);
  });

  it('a success on the first attempt sends nothing when no OnSuccess is set', async () => {
    const h = harness([ok], { maximumRetryAttempts: 2, maximumEventAgeSeconds: 21_600, onFailure: 'arn:aws:sqs:us-east-1:123456789012:failed' });

    expect(attemptText(await h.first)).toBe('attempt 1: ok');
    expect(h.destinations).toEqual([]);
    expect(h.clock.pending).toBe(0);
  });

  it('close cancels the retries still waiting', async () => {
    const h = harness([failed]);
    await h.first;

    h.invocations.close();
    await h.clock.advance(10 * 60_000);

    expect(h.fn.attempts).toHaveLength(1);
  });
});

describe('AsyncInvocations: what the sweep found', () => {
  it('a function that cannot run (its invoke throws) is a failed attempt, retried and reported, not a crash', async () => {
    const clock = new FakeScheduler(Date.UTC(2026, 0, 1));
    const { destinations, sinks } = fakeSinks();
    const invocations = new AsyncInvocations(clock, sinks, () => undefined);
    const later: AttemptReport[] = [];

    const first = await invocations.invoke({ arn: ARN, async: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 21_600, onFailure: 'arn:aws:sqs:us-east-1:123456789012:failed' }, invoke: () => Promise.reject(new Error('its CodeUri is missing')) }, {}, (r) => later.push(r));
    await clock.runAll();

    expect(attemptText(first)).toBe('attempt 1: Runtime.Unavailable: its CodeUri is missing; retried in 60 s');
    expect(later.map(attemptText)).toEqual(['attempt 2: Runtime.Unavailable: its CodeUri is missing; retries spent (1); its record sent to arn:aws:sqs:us-east-1:123456789012:failed']);
    expect(destinations).toHaveLength(1);
  });

  it('every attempt carries the invocation`s request id, which the record and the dead letter name', async () => {
    const clock = new FakeScheduler(Date.UTC(2026, 0, 1));
    const { destinations, deadLetters, sinks } = fakeSinks();
    const ids: string[] = [];
    const invocations = new AsyncInvocations(clock, sinks, () => undefined);

    await invocations.invoke({ arn: ARN, async: { maximumRetryAttempts: 1, maximumEventAgeSeconds: 21_600, onFailure: 'arn:aws:sqs:us-east-1:123456789012:f', deadLetter: 'arn:aws:sqs:us-east-1:123456789012:d' }, invoke: (_e, id) => (ids.push(id), Promise.resolve(failed)) }, {}, () => undefined, 'req-1');
    await clock.runAll();
    await settle();

    expect(ids).toEqual(['req-1', 'req-1']);
    expect(destinations[0]!.record.requestContext.requestId).toBe('req-1');
    expect(deadLetters[0]!.attributes.RequestID).toBe('req-1');
  });

  it.each([
    { given: 'an age limit of 60 s: the retry due at 60 s still runs (not older than the limit)', maxAge: 60, attempts: 2 },
    { given: 'an age limit of 59 s: the retry due at 60 s is discarded (EventAgeExceeded)', maxAge: 59, attempts: 1 },
  ])('$given', async ({ maxAge, attempts }) => {
    const h = harness([failed], { maximumRetryAttempts: 2, maximumEventAgeSeconds: maxAge, onFailure: 'arn:aws:sqs:us-east-1:123456789012:f' });

    await h.first;
    await h.clock.runAll();

    expect(h.fn.attempts).toHaveLength(attempts);
    expect(h.destinations.map((d) => d.record.requestContext.condition)).toEqual(['EventAgeExceeded']);
  });

  it('an attempt that ends after close (its environment killed at shutdown) is neither reported nor retried', async () => {
    const clock = new FakeScheduler(Date.UTC(2026, 0, 1));
    const { sinks } = fakeSinks();
    const invocations = new AsyncInvocations(clock, sinks, () => undefined);
    let finish: (o: InvokeOutcome) => void = () => undefined;
    const reports: AttemptReport[] = [];
    void invocations.invoke({ arn: ARN, invoke: () => new Promise((resolve) => (finish = resolve)) }, {}, (r) => reports.push(r)).then((r) => reports.push(r));

    invocations.close();
    finish(failed);
    await settle();

    expect(reports).toEqual([]);
    expect(clock.pending).toBe(0);
  });
});

describe('embeddedSinks: an event bus destination', () => {
  it('gets source lambda, the result detail-type, and Resources [bus ARN, function ARN], as AWS answered LocalStack`s recorded test_invoke_lambda_eventbridge', async () => {
    // Prepare
    const puts: Record<string, unknown>[] = [];
    const sinks = embeddedSinks({ queueUrl: () => '', bus: { putEvents: (input) => (puts.push(input), { FailedEntryCount: 0, Entries: [] }) } });
    const bus = 'arn:aws:events:us-east-1:123456789012:event-bus/results';
    const record: InvocationRecord = { version: '1.0', timestamp: '2026-01-01T00:00:00.000Z', requestContext: { requestId: 'r-1', functionArn: `${ARN}:$LATEST`, condition: 'Success', approximateInvokeCount: 1 }, requestPayload: {}, responseContext: { statusCode: 200, executedVersion: '$LATEST' }, responsePayload: null };

    // Act
    const why = await sinks.destination(bus, record, true);

    // Assess
    expect(why).toBeUndefined();
    expect(puts).toEqual([{ Entries: [{ EventBusName: bus, Source: 'lambda', DetailType: 'Lambda Function Invocation Result - Success', Detail: JSON.stringify(record), Resources: [bus, `${ARN}:$LATEST`] }] }]);
  });
});
