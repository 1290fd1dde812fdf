/**
 * TransactWriteItems and TransactGetItems on the embedded DynamoDB (dynalite has neither; the front serves them),
 * driven by the AWS SDK v3 as an application would: all-or-nothing writes across tables, cancellation reasons as the
 * SDK parses them, request-level refusals that change nothing, ClientRequestToken replays, reads in order, no update
 * lost among concurrent transactions and plain writes, and stream records only for what a committed transaction changed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DynamoDBClient,
  PutItemCommand,
  TransactGetItemsCommand,
  TransactWriteItemsCommand,
  UpdateItemCommand,
  type TransactWriteItem,
} from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand, PutCommand, TransactGetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import { TableLocks } from '../../../emulator/services/dynamodb-table-locks.js';
import type { StreamRecord } from '../../../emulator/services/dynamodb-streams/capture.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { rejection } from '../support/rejection.js';

const ACCOUNTS = 'tx-Accounts';
const ORDERS = 'tx-Orders';
const EVENTS = 'tx-Events';
const STREAM_ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${EVENTS}/stream/1970-01-01T00:00:00.000`;

let db: DynamoDbServer;
let raw: DynamoDBClient;
let doc: DynamoDBDocumentClient;
let clock = 1_700_000_000_000;
const batches: StreamRecord[][] = [];

beforeAll(async () => {
  db = await startDynamoDb({ credentials: TEST_CREDENTIALS, now: () => clock });
  await createTables(db, [
    { logicalId: 'Accounts', tableName: ACCOUNTS, keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }] },
    {
      logicalId: 'Orders',
      tableName: ORDERS,
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    },
    { logicalId: 'Events', tableName: EVENTS, keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] },
  ]);
  db.captureStreams([{ tableName: EVENTS, keys: ['id'], viewType: 'NEW_AND_OLD_IMAGES', streamArn: STREAM_ARN }], (records) => batches.push(records));
  raw = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  doc = DynamoDBDocumentClient.from(raw);
});

afterAll(async () => {
  raw?.destroy();
  await db?.close();
});

let unique = 0;
/** A key no other test uses. */
const fresh = (name: string) => `${name}-${++unique}`;
const get = async (TableName: string, Key: Record<string, unknown>) => (await doc.send(new GetCommand({ TableName, Key, ConsistentRead: true }))).Item;
const put = (TableName: string, Item: Record<string, unknown>) => doc.send(new PutCommand({ TableName, Item }));

describe('TransactWriteItems', () => {
  it('applies a Put, an Update, a Delete and a ConditionCheck across two tables', async () => {
    // Prepare
    const [created, payer, order, other] = [fresh('created'), fresh('payer'), fresh('order'), fresh('other')];
    await put(ACCOUNTS, { pk: payer, balance: 100 });
    await put(ORDERS, { pk: order, sk: 1, state: 'open' });
    await put(ORDERS, { pk: other, sk: 2, state: 'paid' });

    // Act
    const answer = await doc.send(
      new TransactWriteCommand({
        TransactItems: [
          { Put: { TableName: ACCOUNTS, Item: { pk: created, balance: 0 }, ConditionExpression: 'attribute_not_exists(pk)' } },
          { Update: { TableName: ACCOUNTS, Key: { pk: payer }, UpdateExpression: 'SET balance = balance - :amount', ConditionExpression: 'balance >= :amount', ExpressionAttributeValues: { ':amount': 30 } } },
          { Delete: { TableName: ORDERS, Key: { pk: order, sk: 1 }, ConditionExpression: '#s = :open', ExpressionAttributeNames: { '#s': 'state' }, ExpressionAttributeValues: { ':open': 'open' } } },
          { ConditionCheck: { TableName: ORDERS, Key: { pk: other, sk: 2 }, ConditionExpression: 'attribute_exists(pk)' } },
        ],
      }),
    );

    // Assess
    expect(answer.$metadata.httpStatusCode).toBe(200);
    expect(await get(ACCOUNTS, { pk: created })).toEqual({ pk: created, balance: 0 });
    expect(await get(ACCOUNTS, { pk: payer })).toEqual({ pk: payer, balance: 70 });
    expect(await get(ORDERS, { pk: order, sk: 1 })).toBeUndefined();
    expect(await get(ORDERS, { pk: other, sk: 2 })).toEqual({ pk: other, sk: 2, state: 'paid' });
  });

  it.each([
    { failing: 'the first action', fail: [true, false, false], want: ['ConditionalCheckFailed', 'None', 'None'] },
    { failing: 'the last action', fail: [false, false, true], want: ['None', 'None', 'ConditionalCheckFailed'] },
    { failing: 'two actions', fail: [true, false, true], want: ['ConditionalCheckFailed', 'None', 'ConditionalCheckFailed'] },
  ])('a failed condition on $failing cancels everything, with one reason per action in order', async ({ fail, want }) => {
    // Prepare
    const [created, counter, gone] = [fresh('created'), fresh('counter'), fresh('gone')];
    await put(ACCOUNTS, { pk: counter, n: 5 });
    await put(ORDERS, { pk: gone, sk: 7, state: 'open' });
    const holds = (i: number) => (fail[i] ? ':no' : ':yes');

    // Act
    const error = await rejection(
      raw.send(
        new TransactWriteItemsCommand({
          TransactItems: [
            { Put: { TableName: ACCOUNTS, Item: { pk: { S: created } }, ConditionExpression: `:yes = ${holds(0)}`, ExpressionAttributeValues: { ':yes': { S: 'y' }, ...(fail[0] ? { ':no': { S: 'n' } } : {}) } } },
            { Update: { TableName: ACCOUNTS, Key: { pk: { S: counter } }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': { N: '1' } } } },
            {
              Delete: {
                TableName: ORDERS,
                Key: { pk: { S: gone }, sk: { N: '7' } },
                ConditionExpression: `:yes = ${holds(2)}`,
                ExpressionAttributeValues: { ':yes': { S: 'y' }, ...(fail[2] ? { ':no': { S: 'n' } } : {}) },
                ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
              },
            },
          ],
        }),
      ),
    );

    // Assess
    expect(error.name).toBe('TransactionCanceledException');
    expect(error.message).toBe(`Transaction cancelled, please refer cancellation reasons for specific reasons [${want.join(', ')}]`);
    const reasons = error.CancellationReasons as { Code: string; Message?: string; Item?: unknown }[];
    expect(reasons.map((r) => r.Code)).toEqual(want);
    expect(reasons.filter((r) => r.Code === 'ConditionalCheckFailed').every((r) => r.Message === 'The conditional request failed')).toBe(true);
    // ALL_OLD on the Delete only: its item comes back when its condition failed; the Put's (no item, NONE) does not.
    expect(reasons[2]!.Item).toEqual(fail[2] ? { pk: { S: gone }, sk: { N: '7' }, state: { S: 'open' } } : undefined);
    expect(reasons[0]!.Item).toBeUndefined();
    expect(await get(ACCOUNTS, { pk: created })).toBeUndefined();
    expect(await get(ACCOUNTS, { pk: counter })).toEqual({ pk: counter, n: 5 });
    expect(await get(ORDERS, { pk: gone, sk: 7 })).toEqual({ pk: gone, sk: 7, state: 'open' });
  });

  it.each([
    {
      given: 'an UpdateExpression that does not parse',
      update: { UpdateExpression: 'SET n = = :one', ExpressionAttributeValues: { ':one': { N: '1' } } },
      want: { name: 'ValidationException', message: /^Invalid UpdateExpression: Syntax error/ },
    },
    {
      given: 'a key of the wrong type',
      update: { Key: { pk: { N: '1' } }, UpdateExpression: 'SET n = :one', ExpressionAttributeValues: { ':one': { N: '1' } } },
      want: { name: 'ValidationException', message: /^The provided key element does not match the schema/ },
    },
    {
      given: 'an unused ExpressionAttributeValue',
      update: { UpdateExpression: 'SET n = :one', ExpressionAttributeValues: { ':one': { N: '1' }, ':unused': { N: '2' } } },
      want: { name: 'ValidationException', message: /unused in expressions: keys: \{:unused\}/ },
    },
    {
      given: 'an addition to an attribute the item does not have (DynamoDB cancels: reason ValidationError)',
      update: { UpdateExpression: 'SET n = nothing_here + :one', ExpressionAttributeValues: { ':one': { N: '1' } } },
      want: { name: 'TransactionCanceledException', message: /\[None, ValidationError\]$/ },
    },
  ])('$given, after a Put that was applied: the Put is undone and nothing changes', async ({ update, want }) => {
    // Prepare
    const [created, target] = [fresh('created'), fresh('target')];
    await put(ACCOUNTS, { pk: target, n: 1 });

    // Act
    const error = await rejection(
      raw.send(
        new TransactWriteItemsCommand({
          TransactItems: [{ Put: { TableName: ACCOUNTS, Item: { pk: { S: created } } } }, { Update: { TableName: ACCOUNTS, Key: { pk: { S: target } }, ...update } as NonNullable<TransactWriteItem['Update']> }],
        }),
      ),
    );

    // Assess
    expect(error.name).toBe(want.name);
    expect(error.message).toMatch(want.message);
    expect(await get(ACCOUNTS, { pk: created })).toBeUndefined();
    expect(await get(ACCOUNTS, { pk: target })).toEqual({ pk: target, n: 1 });
  });

  it('the ValidationError reason names what was wrong with the item', async () => {
    const target = fresh('target');
    await put(ACCOUNTS, { pk: target });

    const error = await rejection(
      doc.send(new TransactWriteCommand({ TransactItems: [{ Update: { TableName: ACCOUNTS, Key: { pk: target }, UpdateExpression: 'SET n = n + :one', ExpressionAttributeValues: { ':one': 1 } } }] })),
    );

    expect(error.CancellationReasons).toEqual([{ Code: 'ValidationError', Message: 'The provided expression refers to an attribute that does not exist in the item' }]);
  });

  it.each([
    { given: 'a Put and an Update of one item', items: (k: string) => [{ Put: { TableName: ACCOUNTS, Item: { pk: k } } }, { Update: { TableName: ACCOUNTS, Key: { pk: k }, UpdateExpression: 'SET n = :one', ExpressionAttributeValues: { ':one': 1 } } }] },
    { given: 'a ConditionCheck and a Delete of one item', items: (k: string) => [{ ConditionCheck: { TableName: ACCOUNTS, Key: { pk: k }, ConditionExpression: 'attribute_not_exists(pk)' } }, { Delete: { TableName: ACCOUNTS, Key: { pk: k } } }] },
    { given: 'one number key spelled 1 and 1.0', items: (k: string) => [{ Put: { TableName: ORDERS, Item: { pk: k, sk: 1 } } }, { Delete: { TableName: ORDERS, Key: { pk: k, sk: 1.0 } } }] },
  ])('$given is refused and changes nothing', async ({ items }) => {
    const key = fresh('twice');

    const error = await rejection(doc.send(new TransactWriteCommand({ TransactItems: items(key) as never })));

    expect([error.name, error.message]).toEqual(['ValidationException', 'Transaction request cannot include multiple operations on one item']);
    expect(await get(ACCOUNTS, { pk: key })).toBeUndefined();
    expect(await get(ORDERS, { pk: key, sk: 1 })).toBeUndefined();
  });

  it.each([
    { given: 'no action', count: 0, entry: undefined, want: "Value '[0 items]' at 'transactItems' failed to satisfy constraint: Member must have length greater than or equal to 1" },
    { given: '101 actions', count: 101, entry: undefined, want: "Value '[101 items]' at 'transactItems' failed to satisfy constraint: Member must have length less than or equal to 100" },
    { given: 'an entry with no action', count: 1, entry: {}, want: 'Invalid Request: TransactWriteRequest should contain Delete or Put or Update request' },
    {
      given: 'an entry with two actions',
      count: 1,
      entry: { Put: { TableName: ACCOUNTS, Item: { pk: { S: 'x' } } }, Delete: { TableName: ACCOUNTS, Key: { pk: { S: 'y' } } } },
      want: 'TransactItems can only contain one of Check, Put, Update or Delete',
    },
    { given: 'a ConditionCheck without a condition', count: 1, entry: { ConditionCheck: { TableName: ACCOUNTS, Key: { pk: { S: 'x' } } } }, want: "Value null at 'transactItems.1.member.conditionCheck.conditionExpression'" },
  ])('$given: ValidationException, nothing written', async ({ count, entry, want }) => {
    const keys = Array.from({ length: count }, () => fresh('many'));
    const items = keys.map((k) => (entry ?? { Put: { TableName: ACCOUNTS, Item: { pk: { S: k } } } }) as TransactWriteItem);

    const error = await rejection(raw.send(new TransactWriteItemsCommand({ TransactItems: items })));

    expect(error.name).toBe('ValidationException');
    expect(error.message).toContain(want);
    expect(await Promise.all(keys.map((k) => get(ACCOUNTS, { pk: k })))).toEqual(keys.map(() => undefined));
  });

  it('ClientRequestToken: a replay within 10 minutes answers without writing again; another request with the token is refused; after 10 minutes it is new', async () => {
    // Prepare
    const key = fresh('token');
    const increment = (by: number, token: string) =>
      doc.send(new TransactWriteCommand({ ClientRequestToken: token, TransactItems: [{ Update: { TableName: ACCOUNTS, Key: { pk: key }, UpdateExpression: 'ADD n :by', ExpressionAttributeValues: { ':by': by } } }] }));
    const token = fresh('token-value');

    // Act
    await increment(1, token);
    clock += 9 * 60 * 1000;
    const replay = await increment(1, token);
    const afterReplay = await get(ACCOUNTS, { pk: key });
    const mismatch = await rejection(increment(2, token));
    clock += 60 * 1000;
    await increment(1, token);

    // Assess
    expect(replay.$metadata.httpStatusCode).toBe(200);
    expect(afterReplay).toEqual({ pk: key, n: 1 });
    expect(mismatch.name).toBe('IdempotentParameterMismatchException');
    expect(await get(ACCOUNTS, { pk: key })).toEqual({ pk: key, n: 2 });
  });

  it('ClientRequestToken of a cancelled transaction: a retry runs again (only what was carried out is remembered)', async () => {
    const key = fresh('retry');
    const create = () => doc.send(new TransactWriteCommand({ ClientRequestToken: key, TransactItems: [{ Put: { TableName: ACCOUNTS, Item: { pk: key }, ConditionExpression: 'attribute_exists(pk)' } }] }));

    const first = await rejection(create());
    await put(ACCOUNTS, { pk: key, seen: 1 });
    await create();

    expect(first.name).toBe('TransactionCanceledException');
    expect(await get(ACCOUNTS, { pk: key })).toEqual({ pk: key });
  });

  it.each([
    { given: 'an empty token', token: '', want: /length greater than or equal to 1/ },
    { given: 'a 37-character token', token: 'x'.repeat(37), want: /length less than or equal to 36/ },
  ])('ClientRequestToken: $given is a ValidationException and nothing is written', async ({ token, want }) => {
    const key = fresh('token');

    const refused = await rejection(doc.send(new TransactWriteCommand({ ClientRequestToken: token, TransactItems: [{ Put: { TableName: ACCOUNTS, Item: { pk: key } } }] })));

    expect(refused.name).toBe('ValidationException');
    expect(refused.message).toMatch(want);
    expect(await get(ACCOUNTS, { pk: key })).toBeUndefined();
  });

  it.each([
    { given: 'a number', token: 42, want: 'NUMBER_VALUE cannot be converted to String' },
    { given: 'a boolean', token: true, want: 'TRUE_VALUE cannot be converted to String' },
    { given: 'an object', token: { id: 'x' }, want: 'Start of structure or map found where not expected' },
  ])('ClientRequestToken that is $given is a SerializationException and nothing is written', async ({ token, want }) => {
    const key = fresh('token-type');

    const refused = await rejection(raw.send(new TransactWriteItemsCommand({ ClientRequestToken: token as never, TransactItems: [{ Put: { TableName: ACCOUNTS, Item: { pk: { S: key } } } }] })));

    expect(refused.name).toBe('SerializationException');
    expect(refused.message).toBe(want);
    expect(await get(ACCOUNTS, { pk: key })).toBeUndefined();
  });

  it('N concurrent transactions (a conditional increment each, retried when cancelled) and N plain updates of the same item lose no update', async () => {
    // Prepare
    const N = 12;
    const key = fresh('counter');
    await put(ACCOUNTS, { pk: key, version: 0, tx: 0, plain: 0 });
    const transaction = async (i: number) => {
      for (;;) {
        const { version } = (await get(ACCOUNTS, { pk: key }))!;
        try {
          await doc.send(
            new TransactWriteCommand({
              TransactItems: [
                { Update: { TableName: ACCOUNTS, Key: { pk: key }, UpdateExpression: 'SET version = version + :one, tx = tx + :one', ConditionExpression: 'version = :expected', ExpressionAttributeValues: { ':one': 1, ':expected': version } } },
                { Put: { TableName: ORDERS, Item: { pk: key, sk: i } } },
              ],
            }),
          );
          return;
        } catch (error) {
          if ((error as Error).name !== 'TransactionCanceledException') throw error;
        }
      }
    };
    const plain = () => raw.send(new UpdateItemCommand({ TableName: ACCOUNTS, Key: { pk: { S: key } }, UpdateExpression: 'ADD plain :one', ExpressionAttributeValues: { ':one': { N: '1' } } }));

    // Act
    await Promise.all(Array.from({ length: N }, (_, i) => [transaction(i), plain()]).flat());

    // Assess
    expect(await get(ACCOUNTS, { pk: key })).toEqual({ pk: key, version: N, tx: N, plain: N });
    const written = await Promise.all(Array.from({ length: N }, (_, i) => get(ORDERS, { pk: key, sk: i })));
    expect(written.every((item) => item !== undefined)).toBe(true);
  });

  it('a stream table gets one record per item a committed transaction changed, together, and none for a cancelled one or a ConditionCheck', async () => {
    // Prepare
    const [inserted, modified, removed, checked] = [fresh('ins'), fresh('mod'), fresh('rem'), fresh('chk')];
    // Written by a transaction, whose records are emitted before it is answered (a plain write's come just after).
    await doc.send(new TransactWriteCommand({ TransactItems: [modified, removed, checked].map((id) => ({ Put: { TableName: EVENTS, Item: { id, v: 1 } } })) }));
    const items = (condition: string) => [
      { Put: { TableName: EVENTS, Item: { id: inserted, v: 1 } } },
      { Update: { TableName: EVENTS, Key: { id: modified }, UpdateExpression: 'SET v = :two', ExpressionAttributeValues: { ':two': 2 } } },
      { Delete: { TableName: EVENTS, Key: { id: removed } } },
      { ConditionCheck: { TableName: EVENTS, Key: { id: checked }, ConditionExpression: condition } },
      { Put: { TableName: ACCOUNTS, Item: { pk: inserted } } },
    ];
    batches.length = 0;

    // Act
    const cancelled = await rejection(doc.send(new TransactWriteCommand({ TransactItems: items('attribute_not_exists(id)') })));
    const afterCancel = batches.length;
    await doc.send(new TransactWriteCommand({ TransactItems: items('attribute_exists(id)') }));

    // Assess
    expect(cancelled.name).toBe('TransactionCanceledException');
    expect(afterCancel).toBe(0);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.map((r) => [r.eventName, r.dynamodb.Keys, r.dynamodb.OldImage, r.dynamodb.NewImage])).toEqual([
      ['INSERT', { id: { S: inserted } }, undefined, { id: { S: inserted }, v: { N: '1' } }],
      ['MODIFY', { id: { S: modified } }, { id: { S: modified }, v: { N: '1' } }, { id: { S: modified }, v: { N: '2' } }],
      ['REMOVE', { id: { S: removed } }, { id: { S: removed }, v: { N: '1' } }, undefined],
    ]);
    expect(batches[0]!.every((r) => r.streamArn === STREAM_ARN)).toBe(true);
  });
});

describe('TransactGetItems', () => {
  it('returns the items in request order, {} for a missing one, with a projection', async () => {
    // Prepare
    const [a, b, missing] = [fresh('a'), fresh('b'), fresh('missing')];
    await put(ACCOUNTS, { pk: a, n: 1, secret: 'x' });
    await put(ORDERS, { pk: b, sk: 3, state: 'open' });

    // Act
    const documents = await doc.send(
      new TransactGetCommand({
        TransactItems: [
          { Get: { TableName: ORDERS, Key: { pk: b, sk: 3 } } },
          { Get: { TableName: ACCOUNTS, Key: { pk: missing } } },
          { Get: { TableName: ACCOUNTS, Key: { pk: a }, ProjectionExpression: '#n', ExpressionAttributeNames: { '#n': 'n' } } },
        ],
      }),
    );
    const wire = await raw.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: ACCOUNTS, Key: { pk: { S: missing } } } }] }));

    // Assess
    expect(documents.Responses?.map((r) => r.Item)).toEqual([{ pk: b, sk: 3, state: 'open' }, undefined, { n: 1 }]);
    expect(wire.Responses).toEqual([{}]);
  });

  it('LS-rec test_transact_get_items: a table named by its ARN (TableArn) is read, and written by TransactWriteItems', async () => {
    // Prepare
    const [read, written] = [fresh('arn-read'), fresh('arn-written')];
    await put(ACCOUNTS, { pk: read, n: 1 });
    const arn = `arn:aws:dynamodb:us-east-1:123456789012:table/${ACCOUNTS}`;

    // Act
    const got = await raw.send(new TransactGetItemsCommand({ TransactItems: [{ Get: { TableName: arn, Key: { pk: { S: read } } } }] }));
    await raw.send(new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: arn, Item: { pk: { S: written } } } }] }));

    // Assess
    expect(got.Responses).toEqual([{ Item: { pk: { S: read }, n: { N: '1' } } }]);
    expect(await get(ACCOUNTS, { pk: written })).toEqual({ pk: written });
  });

  it.each([
    { given: 'no item', items: [], want: /Member must have length greater than or equal to 1/ },
    { given: 'an entry without Get', items: [{}], want: /Value null at 'transactItems.1.member.get'/ },
    { given: 'a table that does not exist', items: [{ Get: { TableName: 'tx-None', Key: { pk: { S: 'x' } } } }], want: /^Requested resource not found/ },
  ])('$given is refused', async ({ items, want }) => {
    const error = await rejection(raw.send(new TransactGetItemsCommand({ TransactItems: items as never })));

    expect(error.message).toMatch(want);
  });
});

describe('close()', () => {
  it('lets the front finish first: the record of a stream write answered just before close() has its new image', async () => {
    // Prepare
    const own = await startDynamoDb({ credentials: TEST_CREDENTIALS });
    await createTables(own, [{ logicalId: 'Events', tableName: EVENTS, keySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], attributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }] }]);
    const records: StreamRecord[] = [];
    own.captureStreams([{ tableName: EVENTS, keys: ['id'], viewType: 'NEW_AND_OLD_IMAGES', streamArn: STREAM_ARN }], (r) => records.push(...r));
    const client = new DynamoDBClient({ endpoint: own.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });

    // Act: the record is made after the answer (the item is read again), so close() comes while it is being made.
    await client.send(new PutItemCommand({ TableName: EVENTS, Item: { id: { S: 'last' } } }));
    client.destroy();
    await own.close();

    // Assess
    expect(records.map((r) => [r.eventName, r.dynamodb.NewImage])).toEqual([['INSERT', { id: { S: 'last' } }]]);
  });
});

describe('TableLocks', () => {
  it('shared holders run together; an exclusive one waits for them, and later holders wait for it (arrival order)', async () => {
    // Prepare
    const locks = new TableLocks();
    const log: string[] = [];
    const gate = () => {
      let open!: () => void;
      return { opened: new Promise<void>((resolve) => (open = resolve)), open: () => open() };
    };
    const [first, second, alone] = [gate(), gate(), gate()];
    const holder = (name: string, exclusive: boolean, until: Promise<void>) =>
      locks.hold(['T'], async () => {
        log.push(`${name} in`);
        await until;
        log.push(`${name} out`);
      }, exclusive);

    // Act
    const running = [holder('s1', false, first.opened), holder('s2', false, second.opened), holder('x', true, alone.opened), holder('s3', false, Promise.resolve())];
    await new Promise((resolve) => setImmediate(resolve));
    const whileShared = [...log];
    second.open();
    first.open();
    alone.open();
    await Promise.all(running);

    // Assess
    expect(whileShared).toEqual(['s1 in', 's2 in']);
    expect(log.slice(2)).toEqual(['s2 out', 's1 out', 'x in', 'x out', 's3 in', 's3 out']);
  });
});
