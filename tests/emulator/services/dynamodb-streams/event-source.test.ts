/**
 * A DynamoDB stream event source on a manual clock: batches in stream order, retries of a failed batch with backoff
 * (the stream waits behind it), ReportBatchItemFailures resuming at the first failed record, MaximumRetryAttempts,
 * FilterCriteria and the batching window. The function is a scripted fake (the Lambda runtime is tested elsewhere).
 */
import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../../../emulator/services/dynamodb-streams/capture.js';
import { StreamPoller, type StreamBatchReport } from '../../../../emulator/services/dynamodb-streams/event-source.js';
import type { InvokeOutcome } from '../../../../emulator/lambda/types.js';
import type { StreamSourceSpec } from '../../../../emulator/template/model.js';

const record = (n: number, eventName: StreamRecord['eventName'] = 'INSERT'): StreamRecord => ({
  eventID: `e${n}`,
  eventName,
  streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/x',
  dynamodb: { ApproximateCreationDateTime: 0, Keys: { id: { S: String(n) } }, SequenceNumber: String(100 + n), SizeBytes: 1, StreamViewType: 'KEYS_ONLY' },
});

const spec = (over: Partial<StreamSourceSpec> = {}): StreamSourceSpec => ({ id: 'Fn.Ev', functionLogicalId: 'Fn', streamArn: 'arn', batchSize: 2, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: false, maximumRetryAttempts: -1, ...over });

/** A poller whose function answers from a script, on a clock the test advances. */
function harness(source: StreamSourceSpec, answers: ((ids: string[]) => InvokeOutcome)[]) {
  const calls: string[][] = [];
  const reports: StreamBatchReport[] = [];
  const timers: { at: number; fn: () => void }[] = [];
  let now = 0;
  const ok = (payload: unknown = null): InvokeOutcome => ({ kind: 'ok', payload, cold: false, durationMs: 1 });
  const poller = new StreamPoller(source, {
    region: 'us-east-1',
    invoke: async (_fn, event) => {
      const ids = (event as { Records: { dynamodb: { SequenceNumber: string } }[] }).Records.map((r) => r.dynamodb.SequenceNumber);
      calls.push(ids);
      return (answers.shift() ?? (() => ok()))(ids);
    },
    onBatch: (r) => reports.push(r),
    after: (ms, fn) => {
      const timer = { at: now + ms, fn };
      timers.push(timer);
      return () => timers.splice(timers.indexOf(timer), 1);
    },
  });
  return {
    poller,
    calls,
    reports,
    ok,
    /** Settle the batches under way (each may start the next), then run the timers due within ms, and settle again. */
    async advance(ms = 0) {
      const settle = async () => {
        for (let current = poller.idle; ; current = poller.idle) {
          await current;
          if (current === poller.idle) return;
        }
      };
      await settle();
      now += ms;
      for (let due = timers.filter((t) => t.at <= now); due.length > 0; due = timers.filter((t) => t.at <= now)) {
        for (const t of due) {
          timers.splice(timers.indexOf(t), 1);
          t.fn();
          await settle();
        }
      }
    },
  };
}

const fails = (): InvokeOutcome => ({ kind: 'function-error', errorType: 'Error', errorMessage: 'boom', stackTrace: [], cold: false, durationMs: 1 });

describe('StreamPoller', () => {
  it('hands the records in order, BatchSize at a time', async () => {
    const h = harness(spec(), []);

    h.poller.push([record(1), record(2), record(3)]);
    await h.advance();

    expect(h.calls).toEqual([['101', '102'], ['103']]);
    expect(h.reports.map((r) => r.outcome)).toEqual(['ok', 'ok']);
  });

  it('retries a failed batch after 1 s, then 2 s, the later records waiting behind it', async () => {
    const h = harness(spec(), [fails, fails]);

    h.poller.push([record(1), record(2), record(3)]);
    await h.advance();
    await h.advance(999);
    const beforeFirstRetry = h.calls.length;
    await h.advance(1);
    await h.advance(2000);

    expect(beforeFirstRetry).toBe(1);
    expect(h.calls).toEqual([['101', '102'], ['101', '102'], ['101', '102'], ['103']]);
    expect(h.reports.map((r) => [r.outcome, r.retries])).toEqual([['error', 0], ['error', 1], ['ok', 2], ['ok', 0]]);
  });

  it('MaximumRetryAttempts spent: the batch is discarded and the stream moves on', async () => {
    const h = harness(spec({ maximumRetryAttempts: 1 }), [fails, fails]);

    h.poller.push([record(1), record(2), record(3)]);
    await h.advance();
    await h.advance(1000);

    expect(h.calls).toEqual([['101', '102'], ['101', '102'], ['103']]);
    expect(h.reports.map((r) => r.outcome)).toEqual(['error', 'discarded', 'ok']);
    expect(h.reports[1]?.detail).toMatch(/Error: boom; MaximumRetryAttempts \(1\) spent/);
  });

  it('ReportBatchItemFailures: the retry starts at the first record named; an unknown identifier retries the whole batch', async () => {
    const h = harness(spec({ batchSize: 3, reportBatchItemFailures: true }), [
      () => h.ok({ batchItemFailures: [{ itemIdentifier: '103' }, { itemIdentifier: '102' }] }),
      () => h.ok({ batchItemFailures: [{ itemIdentifier: 'nope' }] }),
    ]);

    h.poller.push([record(1), record(2), record(3)]);
    await h.advance();
    await h.advance(1000);
    await h.advance(2000);

    expect(h.calls).toEqual([['101', '102', '103'], ['102', '103'], ['102', '103']]);
    expect(h.reports.map((r) => r.outcome)).toEqual(['partial', 'error', 'ok']);
  });

  it('FilterCriteria: records no filter matches are dropped, and a batch of none is not handed over', async () => {
    const h = harness(spec({ filterCriteria: { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] } }), []);

    h.poller.push([record(1), record(2), record(3, 'REMOVE')]);
    await h.advance();

    expect(h.calls).toEqual([['103']]);
    expect(h.reports.map((r) => r.outcome)).toEqual(['filtered', 'ok']);
  });

  it('MaximumBatchingWindowInSeconds: waits for more records up to the window, unless BatchSize is reached', async () => {
    const h = harness(spec({ batchSize: 3, batchingWindowSeconds: 5 }), []);

    h.poller.push([record(1)]);
    await h.advance(4000);
    h.poller.push([record(2)]);
    await h.advance(1000);
    h.poller.push([record(3), record(4), record(5)]);
    await h.advance();

    expect(h.calls).toEqual([['101', '102'], ['103', '104', '105']]);
  });

  it('a retried batch keeps its records: one written meanwhile waits for the next batch', async () => {
    const h = harness(spec({ batchSize: 2, maximumRetryAttempts: 2 }), [fails, fails]);

    h.poller.push([record(1)]);
    await h.advance();
    h.poller.push([record(2)]);
    await h.advance(1000);
    await h.advance(2000);

    expect(h.calls).toEqual([['101'], ['101'], ['101'], ['102']]);
    expect(h.reports.map((r) => r.outcome)).toEqual(['error', 'error', 'ok', 'ok']);
  });

  it('the records of one write pushed together are one batch', async () => {
    const h = harness(spec({ batchSize: 100 }), []);

    h.poller.push([record(1), record(2), record(3)]);
    h.poller.push([record(4)]);
    await h.advance();

    expect(h.calls).toEqual([['101', '102', '103', '104']]);
  });

  it('a batch stops short of Lambda`s 6 MB payload limit', async () => {
    const h = harness(spec({ batchSize: 100 }), []);
    const big = (n: number): StreamRecord => ({ ...record(n), dynamodb: { ...record(n).dynamodb, NewImage: { blob: { S: 'x'.repeat(2_500_000) } } } });

    h.poller.push([big(1), big(2), big(3)]);
    await h.advance();

    expect(h.calls).toEqual([['101', '102'], ['103']]);
  });

  it('a BatchSize Lambda refuses (0) runs as 1 rather than spinning or overflowing the stack', async () => {
    const h = harness(spec({ batchSize: 0, filterCriteria: { Filters: [{ Pattern: '{"eventName":["REMOVE"]}' }] } }), []);

    h.poller.push(Array.from({ length: 3000 }, (_, i) => record(i, i === 2999 ? 'REMOVE' : 'INSERT')));
    await h.advance();

    expect(h.calls).toEqual([['3099']]);
    expect(h.reports.filter((r) => r.outcome === 'filtered')).toHaveLength(2999);
  });

  it('a disabled event source hands nothing over', async () => {
    const h = harness(spec({ enabled: false }), []);

    h.poller.push([record(1)]);
    await h.advance(10_000);

    expect(h.calls).toEqual([]);
  });
});
