/**
 * ReportBatchItemFailures on a stream source (DynamoDB Streams and Kinesis share the poller) against what AWS answered
 * LocalStack's recorded test_kinesis_report_batch_item_success_scenarios / _failure_scenarios and
 * test_dynamodb_report_batch_item_success_scenarios / _failure_scenarios: one record, MaximumRetryAttempts 2, a
 * Python function returning a fixed answer. A success is one invocation; a failure is the record three times (the
 * first try and two retries), then discarded.
 */
import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../../../emulator/services/dynamodb-streams/capture.js';
import { StreamPoller, type StreamBatchReport } from '../../../../emulator/services/dynamodb-streams/event-source.js';
import type { InvokeOutcome } from '../../../../emulator/lambda/types.js';
import type { StreamSourceSpec } from '../../../../emulator/template/model.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

const record: StreamRecord = {
  eventID: 'e1',
  eventName: 'INSERT',
  streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/x',
  dynamodb: { ApproximateCreationDateTime: 0, Keys: { id: { S: '1' } }, SequenceNumber: '101', SizeBytes: 1, StreamViewType: 'KEYS_ONLY' },
};

const spec: StreamSourceSpec = { id: 'Fn.Ev', functionLogicalId: 'Fn', streamArn: 'arn', batchSize: 1, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: true, maximumRetryAttempts: 2 };

/** Every invocation answers `outcome`; returns how often the function ran and how each batch ended. */
async function run(outcome: InvokeOutcome) {
  const scheduler = new FakeScheduler(0);
  const reports: StreamBatchReport[] = [];
  let invocations = 0;
  const poller = new StreamPoller(spec, {
    region: 'us-east-1',
    invoke: () => {
      invocations += 1;
      return Promise.resolve(outcome);
    },
    onBatch: (r) => reports.push(r),
    after: scheduler.after,
  });
  poller.push([record]);
  await scheduler.runAll();
  return { invocations, outcomes: reports.map((r) => r.outcome) };
}

const ok = (payload: unknown): InvokeOutcome => ({ kind: 'ok', payload, cold: false, durationMs: 1 });

describe('as AWS answered LocalStack`s recorded test_kinesis_report_batch_item_success_scenarios (and the DynamoDB ones)', () => {
  it.each([
    { id: 'empty_string_success', payload: '' },
    { id: 'empty_list_success', payload: [] },
    { id: 'null_success', payload: null },
    { id: 'empty_dict_success', payload: {} },
    { id: 'empty_batch_item_failure_success', payload: { batchItemFailures: [] } },
    { id: 'null_batch_item_failure_success', payload: { batchItemFailures: null } },
  ])('$id: the record is done after one invocation', async ({ payload }) => {
    expect(await run(ok(payload))).toEqual({ invocations: 1, outcomes: ['ok'] });
  });
});

describe('as AWS answered LocalStack`s recorded test_kinesis_report_batch_item_failure_scenarios (and the DynamoDB ones)', () => {
  it.each([
    { id: 'item_identifier_not_present_failure', outcome: ok({ batchItemFailures: [{ itemIdentifier: 123 }] }) },
    { id: 'empty_string_item_identifier_failure', outcome: ok({ batchItemFailures: [{ itemIdentifier: '' }] }) },
    { id: 'null_item_identifier_failure', outcome: ok({ batchItemFailures: [{ itemIdentifier: null }] }) },
    { id: 'invalid_key_foo_failure', outcome: ok({ batchItemFailures: [{ foo: 123 }] }) },
    { id: 'invalid_key_foo_null_value_failure', outcome: ok({ batchItemFailures: [{ foo: null }] }) },
    { id: 'unhandled_exception_in_function', outcome: { kind: 'function-error', errorType: 'ZeroDivisionError', errorMessage: 'division by zero', stackTrace: [], cold: false, durationMs: 1 } as InvokeOutcome },
  ])('$id: the whole batch is tried three times (two retries), then discarded', async ({ outcome }) => {
    expect(await run(outcome)).toEqual({ invocations: 3, outcomes: ['error', 'error', 'discarded'] });
  });
});
