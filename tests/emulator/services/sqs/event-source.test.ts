/**
 * Lambda's SQS event source pieces (Lambda Developer Guide, "Using Lambda with Amazon SQS", "Lambda event
 * filtering"): the record Lambda builds, which messages a partial batch response keeps, and the filter patterns.
 */
import { describe, expect, it } from 'vitest';
import { failedItems, sqsRecord, type SqsRecord } from '../../../../emulator/services/sqs/event-source.js';
import { matchesAnyFilter, recordForFilter } from '../../../../emulator/services/sqs/filter.js';

const message = { MessageId: 'm-1', ReceiptHandle: 'h-1', MD5OfBody: 'abc', Body: '{"kind":"job","size":7,"tags":["a","b"]}', Attributes: { ApproximateReceiveCount: '1' } };
const record = (overrides: Partial<SqsRecord> = {}): SqsRecord => ({ ...sqsRecord(message, 'arn:aws:sqs:eu-west-1:123456789012:jobs', 'eu-west-1'), ...overrides });

describe('the SQS record Lambda builds', () => {
  it('has Lambda`s lower-camel fields, the queue`s ARN and region, and no md5OfMessageAttributes without attributes', () => {
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
    expect(matchesAnyFilter([pattern], data)).toBe(want);
  });

  it('a body that is not JSON matches only as a whole text; any of several patterns is enough', () => {
    const text = recordForFilter(record({ body: 'plain words' }));

    expect(matchesAnyFilter([{ body: { kind: ['job'] } }], text)).toBe(false);
    expect(matchesAnyFilter([{ body: { kind: ['job'] } }, { body: ['plain words'] }], text)).toBe(true);
  });
});
