/**
 * DynamoDB Streams in a running emulator (tests/emulator/fixtures/streams-app): writes through a function behind the
 * API become INSERT, MODIFY and REMOVE records with the table's NEW_AND_OLD_IMAGES, in order, for every event source
 * of the stream; FilterCriteria keep only removals for the second one; a write that changes nothing makes no record.
 * Waits are on batch reports and SQS long polls.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../../emulator/app.js';
import type { StreamBatchReport } from '../../../../emulator/services/dynamodb-streams/event-source.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/streams-app/template.yaml', import.meta.url));
const reports = new AwaitedReports<StreamBatchReport>();
let emulator: RunningEmulator;
let queues: QueueReader;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, { onStreamBatch: reports.add }));
}, 60_000);
afterAll(() => emulator?.close());

interface StreamEvent {
  Records: { eventName: string; eventSource: string; eventSourceARN: string; dynamodb: { Keys: unknown; NewImage?: unknown; OldImage?: unknown; SequenceNumber: string; StreamViewType: string } }[];
}
const write = (method: 'PUT' | 'DELETE', id: string, item?: unknown) => fetch(`${emulator.apis[0]!.url}/items/${id}`, { method, ...(item ? { body: JSON.stringify(item) } : {}) });
const nextEvents = async (queue: string): Promise<StreamEvent[]> => (await queues.next(queue)).map((body) => JSON.parse(body) as StreamEvent);

describe('a table`s stream, read by two event sources', () => {
  it('an insert, an update and a delete reach the function as INSERT, MODIFY, REMOVE with their images, in order', async () => {
    // Act
    expect((await write('PUT', 'a', { title: 'first' })).status).toBe(204);
    expect((await write('PUT', 'a', { title: 'second' })).status).toBe(204);
    expect((await write('DELETE', 'a')).status).toBe(204);
    const records: StreamEvent['Records'] = [];
    while (records.length < 3) for (const event of await nextEvents('local-Seen')) records.push(...event.Records);

    // Assess
    expect(records.map((r) => [r.eventName, r.dynamodb.OldImage, r.dynamodb.NewImage])).toEqual([
      ['INSERT', undefined, { id: { S: 'a' }, title: { S: 'first' } }],
      ['MODIFY', { id: { S: 'a' }, title: { S: 'first' } }, { id: { S: 'a' }, title: { S: 'second' } }],
      ['REMOVE', { id: { S: 'a' }, title: { S: 'second' } }, undefined],
    ]);
    expect(records[0]).toMatchObject({ eventSource: 'aws:dynamodb', eventSourceARN: 'arn:aws:dynamodb:us-east-1:123456789012:table/local-Items/stream/1970-01-01T00:00:00.000', dynamodb: { Keys: { id: { S: 'a' } }, StreamViewType: 'NEW_AND_OLD_IMAGES' } });
    const sequence = records.map((r) => BigInt(r.dynamodb.SequenceNumber));
    expect(sequence[0]! < sequence[1]! && sequence[1]! < sequence[2]!).toBe(true);
  });

  it('the source filtered on REMOVE gets the removal only', async () => {
    const removal = await reports.where((r) => r.source === 'OnRemove.Removals' && r.outcome === 'ok');
    const [event] = await nextEvents('local-Removed');

    expect(removal.sequenceNumbers).toHaveLength(1);
    expect(event?.Records.map((r) => r.eventName)).toEqual(['REMOVE']);
    expect(reports.all.filter((r) => r.source === 'OnRemove.Removals' && r.outcome === 'filtered').length).toBeGreaterThan(0);
  });

  it('a put of the same item again changes nothing and makes no record: the next record is the change after it', async () => {
    await write('PUT', 'b', { title: 'same' });
    const [inserted] = await nextEvents('local-Seen');

    await write('PUT', 'b', { title: 'same' });
    await write('PUT', 'b', { title: 'changed' });
    const [next] = await nextEvents('local-Seen');

    expect(inserted?.Records.map((r) => r.eventName)).toEqual(['INSERT']);
    // Had the repeated put made a record, it would come first (one stream, in order).
    expect(next?.Records.map((r) => [r.eventName, r.dynamodb.OldImage, r.dynamodb.NewImage])).toEqual([['MODIFY', { id: { S: 'b' }, title: { S: 'same' } }, { id: { S: 'b' }, title: { S: 'changed' } }]]);
  });
});

describe('the startup report', () => {
  it('lists the table`s stream and who reads it', () => {
    expect(emulator.streamNotes).toEqual(['local-Items: stream NEW_AND_OLD_IMAGES, read by OnChange, OnRemove']);
  });
});
