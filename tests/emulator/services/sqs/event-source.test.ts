/**
 * Lambda's SQS event source pieces (Lambda Developer Guide, "Using Lambda with Amazon SQS", "Lambda event
 * filtering"): the record Lambda builds, which messages a partial batch response keeps, and the filter patterns.
 */
import { describe, expect, it } from 'vitest';
import { sqsClient, type SqsCaller } from '../../../../emulator/services/sqs/client.js';
import { failedItems, QueuePoller, recordForFilter, sqsRecord, type BatchReport, type PollerDeps, type SqsRecord } from '../../../../emulator/services/sqs/event-source.js';
import { startSqs } from '../../../../emulator/services/sqs/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { matchesAnyPattern } from '../../../../emulator/services/event-patterns.js';

const message = { MessageId: 'm-1', ReceiptHandle: 'h-1', MD5OfBody: 'abc', Body: '{"kind":"job","size":7,"tags":["a","b"]}', Attributes: { ApproximateReceiveCount: '1' } };
const record = (overrides: Partial<SqsRecord> = {}): SqsRecord => ({ ...sqsRecord(message, 'arn:aws:sqs:eu-west-1:123456789012:jobs', 'eu-west-1'), ...overrides });

describe('the SQS record Lambda builds', () => {
  it('has Lambda`s lower-camel fields, the queue`s ARN and region, and no md5OfMessageAttributes without attributes (no batching window: as AWS answered LocalStack`s recorded test_report_batch_item_failures)', () => {
    expect(record()).toEqual({
      messageId: 'm-1',
      receiptHandle: 'h-1',
      body: message.Body,
      attributes: { ApproximateReceiveCount: '1' },
      messageAttributes: {},
      md5OfBody: 'abc',
      eventSource: 'aws:sqs',
      eventSourceARN: 'arn:aws:sqs:eu-west-1:123456789012:jobs',
      awsRegion: 'eu-west-1',
    });
  });

  it('md5OfMessageAttributes null without attributes from a mapping with a batching window, as AWS answered LocalStack`s recorded test_sqs_event_source_mapping', () => {
    const windowed = sqsRecord(message, 'arn:x', 'us-east-1', 1);

    expect(Object.keys(windowed)).toEqual(['messageId', 'receiptHandle', 'body', 'attributes', 'messageAttributes', 'md5OfMessageAttributes', 'md5OfBody', 'eventSource', 'eventSourceARN', 'awsRegion']);
    expect(windowed.md5OfMessageAttributes).toBeNull();
  });

  it('message attributes in Lambda`s form (stringValue, empty list values, dataType), with their digest', () => {
    const withAttributes = sqsRecord({ ...message, MD5OfMessageAttributes: 'def', MessageAttributes: { origin: { DataType: 'String', StringValue: 'web' }, raw: { DataType: 'Binary', BinaryValue: 'AQI=' } } }, 'arn:x', 'us-east-1');

    expect(withAttributes.messageAttributes).toEqual({
      origin: { stringValue: 'web', stringListValues: [], binaryListValues: [], dataType: 'String' },
      raw: { binaryValue: 'AQI=', stringListValues: [], binaryListValues: [], dataType: 'Binary' },
    });
    expect(withAttributes.md5OfMessageAttributes).toBe('def');
  });
});

describe('ReportBatchItemFailures: which messages stay', () => {
  const batch = [record(), record({ messageId: 'm-2' })];

  it.each([
    { given: 'no batchItemFailures', payload: {}, want: [] },
    { given: 'null (no response)', payload: null, want: [] },
    { given: 'an empty list', payload: { batchItemFailures: [] }, want: [] },
    { given: 'one failure', payload: { batchItemFailures: [{ itemIdentifier: 'm-2' }] }, want: ['m-2'] },
    { given: 'an id of no message of the batch', payload: { batchItemFailures: [{ itemIdentifier: 'm-9' }] }, want: 'all' },
    { given: 'an empty id', payload: { batchItemFailures: [{ itemIdentifier: '' }] }, want: 'all' },
    { given: 'a list that is not one', payload: { batchItemFailures: 'm-1' }, want: 'all' },
    { given: 'a bare text (no EventResponse: [AMBIGUOUS], a complete failure)', payload: 'done', want: 'all' },
    { given: 'an empty text (an empty EventResponse, as AWS answered the recorded Kinesis test_kinesis_report_batch_item_success_scenarios)', payload: '', want: [] },
    { given: 'an empty list as the whole answer (empty_list_success there)', payload: [], want: [] },
    { given: 'a list that is not empty (no EventResponse)', payload: [{ itemIdentifier: 'm-2' }], want: 'all' },
  ])('$given -> $want', ({ payload, want }) => {
    const kept = failedItems(payload, batch);
    expect(kept === 'all' ? 'all' : [...kept]).toEqual(want);
  });
});

describe('FilterCriteria patterns', () => {
  const data = recordForFilter(record({ messageAttributes: { origin: { stringValue: 'web', stringListValues: [], binaryListValues: [], dataType: 'String' } } }));

  it.each([
    { given: 'an exact value in a JSON body', pattern: { body: { kind: ['job'] } }, want: true },
    { given: 'another value', pattern: { body: { kind: ['noise'] } }, want: false },
    { given: 'a prefix', pattern: { body: { kind: [{ prefix: 'jo' }] } }, want: true },
    { given: 'a suffix that does not match', pattern: { body: { kind: [{ suffix: 'x' }] } }, want: false },
    { given: 'anything-but another value', pattern: { body: { kind: [{ 'anything-but': ['noise'] }] } }, want: true },
    { given: 'anything-but on a field the body lacks', pattern: { body: { missing: [{ 'anything-but': 'x' }] } }, want: false },
    { given: 'numeric range', pattern: { body: { size: [{ numeric: ['>', 5, '<=', 7] }] } }, want: true },
    { given: 'numeric out of range', pattern: { body: { size: [{ numeric: ['<', 5] }] } }, want: false },
    { given: 'exists false on a missing field', pattern: { body: { missing: [{ exists: false }] } }, want: true },
    { given: 'one element of a list', pattern: { body: { tags: ['b'] } }, want: true },
    { given: 'equals-ignore-case', pattern: { body: { kind: [{ 'equals-ignore-case': 'JOB' }] } }, want: true },
    { given: 'a message attribute', pattern: { messageAttributes: { origin: { stringValue: ['web'] } } }, want: true },
  ])('$given: $want', ({ pattern, want }) => {
    expect(matchesAnyPattern([pattern], data)).toBe(want);
  });

  it('a body that is not JSON matches only as a whole text; any of several patterns is enough', () => {
    const text = recordForFilter(record({ body: 'plain words' }));

    expect(matchesAnyPattern([{ body: { kind: ['job'] } }], text)).toBe(false);
    expect(matchesAnyPattern([{ body: { kind: ['job'] } }, { body: ['plain words'] }], text)).toBe(true);
  });
});

describe('QueuePoller on the embedded SQS, with a FAKE function (an invoke that answers as told)', () => {
  type Outcome = Awaited<ReturnType<PollerDeps['invoke']>>;
  const ok = (payload: unknown): Outcome => ({ kind: 'ok', payload, cold: false, durationMs: 1 });
  const failed: Outcome = { kind: 'function-error', errorType: 'Error', errorMessage: 'boom', stackTrace: [], cold: false, durationMs: 1 };

  async function setup(outcomes: Outcome[], caller?: (real: SqsCaller) => SqsCaller) {
    const server = await startSqs({ credentials: TEST_CREDENTIALS, region: 'us-east-1', accountId: '123456789012', queues: [{ name: 'dlq' }, { name: 'jobs', attributes: { VisibilityTimeout: '0', RedrivePolicy: '{"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq","maxReceiveCount":2}' } }] });
    const real = sqsClient(server.url, TEST_CREDENTIALS, 'us-east-1');
    const events: unknown[] = [];
    const reports: BatchReport[] = [];
    const logs: string[] = [];
    let next: (r: BatchReport) => void = () => undefined;
    let onLog: () => void = () => undefined;
    const poller = new QueuePoller(
      { id: 'Fn.Jobs', functionLogicalId: 'Fn', queueArn: 'arn:aws:sqs:us-east-1:123456789012:jobs', batchSize: 10, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: false },
      `${server.url}/123456789012/jobs`,
      {
        sqs: caller ? caller(real) : real,
        invoke: async (_fn, event) => {
          events.push(event);
          return outcomes.shift() ?? ok(null);
        },
        region: 'us-east-1',
        log: (line) => {
          logs.push(line);
          onLog();
        },
        onBatch: (report) => {
          reports.push(report);
          next(report);
        },
        pause: async () => undefined,
      },
    );
    const batch = () => new Promise<BatchReport>((resolve) => (next = resolve));
    const logged = () => new Promise<void>((resolve) => (onLog = resolve));
    return { server, real, poller, events, reports, logs, batch, logged };
  }

  it('a function error deletes nothing: the message comes back, and after maxReceiveCount it is in the dead-letter queue', async () => {
    // Prepare
    const { server, real, poller, events, batch } = await setup([failed, failed]);
    await real.call('SendMessage', { QueueUrl: `${server.url}/123456789012/jobs`, MessageBody: 'poison' });

    // Act
    const first = batch();
    poller.start();
    const one = await first;
    const two = await batch();
    const dead = await real.call('ReceiveMessage', { QueueUrl: `${server.url}/123456789012/dlq`, WaitTimeSeconds: 20 });
    await poller.stop();
    await server.close();

    // Assess
    expect([one, two]).toEqual([expect.objectContaining({ outcome: 'error', deleted: 0, retried: 1, detail: 'Error: boom' }), expect.objectContaining({ outcome: 'error', deleted: 0, retried: 1 })]);
    expect(events).toHaveLength(2);
    expect((dead.Messages as { Body: string }[]).map((m) => m.Body)).toEqual(['poison']);
  });

  it('a failed poll is said once and polling goes on', async () => {
    // Prepare: the first two receives fail as a dropped connection would.
    let failures = 2;
    const { server, real, poller, logs, batch } = await setup([], (inner) => ({
      call: (action, input, signal) => (action === 'ReceiveMessage' && failures-- > 0 ? Promise.reject(new Error('socket hang up')) : inner.call(action, input, signal)),
    }));
    await real.call('SendMessage', { QueueUrl: `${server.url}/123456789012/jobs`, MessageBody: 'fine' });

    // Act
    const delivered = batch();
    poller.start();
    const report = await delivered;
    await poller.stop();
    await server.close();

    // Assess
    expect(report).toMatchObject({ outcome: 'ok', deleted: 1 });
    expect(logs.filter((l) => l.includes('socket hang up'))).toHaveLength(1);
  });

  it('a queue that is gone ends its mapping, said in the log', async () => {
    // Prepare
    const { server, real, poller, logs, logged } = await setup([]);
    await real.call('DeleteQueue', { QueueUrl: `${server.url}/123456789012/jobs` });

    // Act
    const line = logged();
    poller.start();
    await line;
    await poller.stop();
    await server.close();

    // Assess
    expect(logs).toEqual([expect.stringMatching(/SQS Fn\.Jobs: the queue http:\/\/127\.0\.0\.1:\d+\/123456789012\/jobs is gone: no longer polled/)]);
  });
});
