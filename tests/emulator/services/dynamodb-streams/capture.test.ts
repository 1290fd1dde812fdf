/**
 * Stream records from writes, bracketed by reads of the item (dynalite has no streams): which record a write makes for
 * each StreamViewType, none for a write that changes nothing or fails, and concurrent writes to one table recorded one
 * at a time (each record's old image is the previous write's new image). The store is an in-memory map standing in for
 * dynalite; the embedded DynamoDB's own path is tested end to end in streams-app.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { StreamCapture, type StreamRecord, type StreamTable, type StreamViewType } from '../../../../emulator/services/dynamodb-streams/capture.js';

type Item = Record<string, unknown>;
const table = (viewType: StreamViewType): StreamTable => ({ tableName: 'T', keys: ['id'], viewType, streamArn: 'arn:stream' });

function setup(viewType: StreamViewType = 'NEW_AND_OLD_IMAGES') {
  const items = new Map<string, Item>();
  const records: StreamRecord[] = [];
  const tick = () => new Promise((resolve) => setImmediate(resolve));
  const capture = new StreamCapture(new Map([['T', table(viewType)]]), {
    read: async (_t, key) => {
      await tick();
      return items.get(JSON.stringify(key));
    },
    emit: (r) => records.push(...r),
    now: () => 1_700_000_000_000,
  });
  /** A PutItem as dynalite would run it: later, after a turn of the event loop. */
  const put = (item: Item, status = 200) =>
    capture.run('PutItem', { TableName: 'T', Item: item }, async () => {
      await tick();
      if (status === 200) items.set(JSON.stringify({ id: item.id }), item);
      return status;
    });
  const del = (id: Item) =>
    capture.run('DeleteItem', { TableName: 'T', Key: { id } }, async () => {
      items.delete(JSON.stringify({ id }));
      return 200;
    });
  return { capture, records, put, del };
}

const a1 = { id: { S: 'a' }, v: { N: '1' } };
const a2 = { id: { S: 'a' }, v: { N: '2' } };

describe('StreamCapture', () => {
  it.each([
    { given: 'NEW_AND_OLD_IMAGES' as const, want: [[undefined, a1], [a1, a2], [a2, undefined]] },
    { given: 'NEW_IMAGE' as const, want: [[undefined, a1], [undefined, a2], [undefined, undefined]] },
    { given: 'OLD_IMAGE' as const, want: [[undefined, undefined], [a1, undefined], [a2, undefined]] },
    { given: 'KEYS_ONLY' as const, want: [[undefined, undefined], [undefined, undefined], [undefined, undefined]] },
  ])('$given: INSERT, MODIFY, REMOVE carry the images the view keeps', async ({ given, want }) => {
    const { records, put, del } = setup(given);

    await put(a1);
    await put(a2);
    await del({ S: 'a' });

    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'REMOVE']);
    expect(records.map((r) => [r.dynamodb.OldImage, r.dynamodb.NewImage])).toEqual(want);
    expect(records.every((r) => r.dynamodb.StreamViewType === given && JSON.stringify(r.dynamodb.Keys) === '{"id":{"S":"a"}}')).toBe(true);
    expect(records[0]?.dynamodb.ApproximateCreationDateTime).toBe(1_700_000_000);
  });

  it('no record for a put that changes nothing (attributes in another order), a failed write, a delete of no item, another table', async () => {
    const { capture, records, put, del } = setup();
    await put({ id: { S: 'a' }, x: { S: '1' }, y: { S: '2' } });
    records.length = 0;

    await put({ y: { S: '2' }, x: { S: '1' }, id: { S: 'a' } });
    await put(a2, 400);
    await del({ S: 'missing' });

    expect(records).toEqual([]);
    expect(capture.captures('PutItem', { TableName: 'Other', Item: a1 })).toBe(false);
    expect(capture.captures('GetItem', { TableName: 'T', Key: { id: { S: 'a' } } })).toBe(false);
  });

  it('concurrent writes are recorded one at a time: each old image is the previous new image, sequence numbers increase', async () => {
    const { records, put } = setup();
    const versions = [1, 2, 3, 4, 5].map((v) => ({ id: { S: 'a' }, v: { N: String(v) } }));

    await Promise.all(versions.map((item) => put(item)));

    expect(records.map((r) => r.eventName)).toEqual(['INSERT', 'MODIFY', 'MODIFY', 'MODIFY', 'MODIFY']);
    for (let i = 1; i < records.length; i++) {
      expect(records[i]?.dynamodb.OldImage).toEqual(records[i - 1]?.dynamodb.NewImage);
      expect(BigInt(records[i]!.dynamodb.SequenceNumber) > BigInt(records[i - 1]!.dynamodb.SequenceNumber)).toBe(true);
    }
  });

  it('Keys are the stored values, not the request`s spelling (a number written 1.0 is stored as 1)', async () => {
    const records: StreamRecord[] = [];
    const stored = { id: { N: '1' }, v: { S: 'x' } };
    let item: Item | undefined;
    const capture = new StreamCapture(new Map([['T', table('KEYS_ONLY')]]), { read: async () => item, emit: (r) => records.push(...r) });

    await capture.run('PutItem', { TableName: 'T', Item: { id: { N: '1.0' }, v: { S: 'x' } } }, async () => {
      item = stored;
      return 200;
    });
    await capture.run('DeleteItem', { TableName: 'T', Key: { id: { N: '1e0' } } }, async () => {
      item = undefined;
      return 200;
    });

    expect(records.map((r) => [r.eventName, r.dynamodb.Keys])).toEqual([
      ['INSERT', { id: { N: '1' } }],
      ['REMOVE', { id: { N: '1' } }],
    ]);
  });

  it('BatchWriteItem: a record for each put and delete of a stream table', async () => {
    const { capture, records } = setup();
    const store = new Map<string, Item>([['{"id":{"S":"gone"}}', { id: { S: 'gone' } }]]);
    const input = { RequestItems: { T: [{ PutRequest: { Item: a1 } }, { DeleteRequest: { Key: { id: { S: 'gone' } } } }], Other: [{ PutRequest: { Item: a1 } }] } };
    const batch = new StreamCapture(new Map([['T', table('KEYS_ONLY')]]), { read: async (_t, key) => store.get(JSON.stringify(key)), emit: (r) => records.push(...r) });

    await batch.run('BatchWriteItem', input, async () => {
      store.set('{"id":{"S":"a"}}', a1);
      store.delete('{"id":{"S":"gone"}}');
      return 200;
    });

    expect(capture.captures('BatchWriteItem', input)).toBe(true);
    expect(records.map((r) => [r.eventName, r.dynamodb.Keys])).toEqual([['INSERT', { id: { S: 'a' } }], ['REMOVE', { id: { S: 'gone' } }]]);
  });

  it('LS-rec test_dynamodb_stream_records_with_update_item: SizeBytes is DynamoDB`s size of the Keys and images, not of their JSON', async () => {
    const { records, put, del } = setup('NEW_AND_OLD_IMAGES');
    const first = { id: { S: 'order-1' }, note: { S: 'first' } };

    await put(first);
    await put({ id: { S: 'order-1' }, note: { S: 'second' } });
    await del({ S: 'order-1' });

    // Each attribute counts its name's and its string's UTF-8 bytes: Keys 2 + 7; the images 18, then 19.
    expect(records.map((r) => [r.eventName, r.dynamodb.SizeBytes])).toEqual([['INSERT', 9 + 18], ['MODIFY', 9 + 19 + 18], ['REMOVE', 9 + 19]]);
  });

  it('SizeBytes counts every type as the Developer Guide`s item-size rules do (numbers, binary, sets, lists, maps)', async () => {
    const { records, put } = setup('NEW_IMAGE');
    const item = {
      id: { S: 'k' }, // 2 + 1
      n: { N: '-12.50' }, // 1 + 3 significant digits (2 bytes) + 1
      b: { B: Buffer.from([1, 2, 3]).toString('base64') }, // 1 + 3 raw bytes
      t: { BOOL: true }, // 1 + 1
      z: { NULL: true }, // 1 + 1
      l: { L: [{ S: 'ab' }, { N: '7' }] }, // 1 + 3 + (1 + 2) + (1 + 2)
      m: { M: { x: { S: 'é' } } }, // 1 + 3 + 1 + (1 + 2: é is 2 UTF-8 bytes)
      ss: { SS: ['a', 'bc'] }, // 2 + 3
    };

    await put(item);

    expect(records[0]?.dynamodb.SizeBytes).toBe(3 + (3 + 4 + 4 + 2 + 2 + 10 + 8 + 5));
  });
});
