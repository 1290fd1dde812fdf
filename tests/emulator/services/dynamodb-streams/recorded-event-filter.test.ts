/**
 * FilterCriteria on a DynamoDB stream event source against what AWS answered LocalStack's recorded
 * test_dynamodb_event_filter: two items put one after the other, and which of them reach the function. The pattern
 * sees the record as the function gets it (NewImage attributes in DynamoDB's typed form, {"S": ...}).
 */
import { describe, expect, it } from 'vitest';
import type { StreamRecord } from '../../../../emulator/services/dynamodb-streams/capture.js';
import { StreamPoller } from '../../../../emulator/services/dynamodb-streams/event-source.js';
import type { InvokeOutcome } from '../../../../emulator/lambda/types.js';
import type { StreamSourceSpec } from '../../../../emulator/template/model.js';
import { FakeScheduler } from '../../support/fake-scheduler.js';

type Image = Record<string, Record<string, string>>;

let sequence = 100;
const put = (image: Image, eventName: StreamRecord['eventName'] = 'INSERT'): StreamRecord => {
  sequence += 1;
  return {
    eventID: `e${sequence}`,
    eventName,
    streamArn: 'arn:aws:dynamodb:us-east-1:123456789012:table/T/stream/x',
    dynamodb: { ApproximateCreationDateTime: 1_700_000_000, Keys: { id: image.id! }, NewImage: image, SequenceNumber: String(sequence), SizeBytes: 24, StreamViewType: 'NEW_AND_OLD_IMAGES' },
  };
};

/** The ids of the items whose records reached the function, one invocation per record (BatchSize 1). */
async function delivered(pattern: object, records: StreamRecord[]): Promise<string[]> {
  const spec: StreamSourceSpec = { id: 'Fn.Ev', functionLogicalId: 'Fn', streamArn: 'arn', batchSize: 1, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: false, maximumRetryAttempts: 1, filterCriteria: { Filters: [{ Pattern: JSON.stringify(pattern) }] } };
  const scheduler = new FakeScheduler(0);
  const ids: string[] = [];
  const ok: InvokeOutcome = { kind: 'ok', payload: null, cold: false, durationMs: 1 };
  const poller = new StreamPoller(spec, {
    region: 'us-east-1',
    invoke: (_fn, event) => {
      for (const r of (event as { Records: { dynamodb: { NewImage: Image } }[] }).Records) ids.push(r.dynamodb.NewImage.id!.S!);
      return Promise.resolve(ok);
    },
    onBatch: () => undefined,
    after: scheduler.after,
  });
  poller.push(records);
  await scheduler.runAll();
  return ids;
}

describe('as AWS answered LocalStack`s recorded test_dynamodb_event_filter', () => {
  it('exists_false_filter: {"exists": false} on an attribute matches an item without it and one with it (the attribute is an object, no leaf)', async () => {
    const pattern = { dynamodb: { NewImage: { presentKey: [{ exists: false }] } } };

    expect(await delivered(pattern, [put({ id: { S: 'id_value_1' } }), put({ id: { S: 'id_value_2' }, presentKey: { S: 'presentValue' } })])).toEqual(['id_value_1', 'id_value_2']);
  });

  it('exists_filter_type: {"S": [{"exists": true}]} matches the typed value', async () => {
    const pattern = { dynamodb: { NewImage: { presentKey: { S: [{ exists: true }] } } } };

    expect(await delivered(pattern, [put({ id: { S: 'id_value' }, presentKey: { S: 'presentValue' } }), put({ id: { S: 'other' } })])).toEqual(['id_value']);
  });

  it('content_filter_type: a value matches under its type key {"S": [...]}', async () => {
    const pattern = { dynamodb: { NewImage: { presentKey: { S: ['presentValue'] } } } };

    expect(await delivered(pattern, [put({ id: { S: 'id_value' }, presentKey: { S: 'presentValue' } }), put({ id: { S: 'other' }, presentKey: { S: 'otherValue' } })])).toEqual(['id_value']);
  });

  it('numeric_filter: a number attribute is text ({"N": "101"}): numeric never matches it, anything-but "101" matches "42"', async () => {
    const pattern = { dynamodb: { NewImage: { numericFilter: { N: [{ numeric: ['>', 100] }, { 'anything-but': '101' }] } } } };

    expect(await delivered(pattern, [put({ id: { S: 'id_value_1' }, numericFilter: { N: '42' } }), put({ id: { S: 'id_value_2' }, numericFilter: { N: '101' } })])).toEqual(['id_value_1']);
  });

  it('prefix_filter: {"S": [{"prefix": "us-1"}]}', async () => {
    const pattern = { dynamodb: { NewImage: { prefix: { S: [{ prefix: 'us-1' }] } } } };

    expect(await delivered(pattern, [put({ id: { S: 'id_value_1' }, prefix: { S: 'us-1-other-suffix' } }), put({ id: { S: 'id_value_2' }, prefix: { S: 'other-suffix' } })])).toEqual(['id_value_1']);
  });

  it('date_time_conversion: ApproximateCreationDateTime is a number a numeric filter matches', async () => {
    const pattern = { dynamodb: { ApproximateCreationDateTime: [{ numeric: ['>', 0] }] } };

    expect(await delivered(pattern, [put({ id: { S: 'id_value_1' } }), put({ id: { S: 'id_value_2' } })])).toEqual(['id_value_1', 'id_value_2']);
  });

  it('content_multiple_filters: eventName and eventSource together; the second put of the same key is a MODIFY and does not match', async () => {
    const pattern = { eventName: ['INSERT'], eventSource: ['aws:dynamodb'] };

    expect(await delivered(pattern, [put({ id: { S: 'id_value' } }), put({ id: { S: 'id_value' } }, 'MODIFY')])).toEqual(['id_value']);
  });
});
