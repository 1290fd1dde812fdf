/**
 * PartiQL on the embedded DynamoDB (services/dynamodb-partiql.ts; dynalite has none), driven by the SDK's
 * ExecuteStatement and BatchExecuteStatement as an application does (the document client's parameters included):
 * SELECT by key and with a filter, paged; INSERT that refuses a duplicate; UPDATE and DELETE of one item with their
 * conditions; refusals that change nothing; a PartiQL write reaching the table's stream as any write does (DynamoDB
 * Developer Guide, "PartiQL select/insert/update/delete statements").
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchExecuteStatementCommand, DynamoDBClient, ExecuteStatementCommand, ExecuteTransactionCommand } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, ExecuteStatementCommand as DocExecuteStatementCommand, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { createTables, startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import type { StreamRecord } from '../../../emulator/services/dynamodb-streams/capture.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import { rejection } from '../support/rejection.js';

const ORDERS = 'pq-Orders';
const STREAM_ARN = `arn:aws:dynamodb:us-east-1:123456789012:table/${ORDERS}/stream/1970-01-01T00:00:00.000`;
let db: DynamoDbServer;
let raw: DynamoDBClient;
let doc: DynamoDBDocumentClient;
const records: StreamRecord[] = [];

beforeAll(async () => {
  db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  await createTables(db, [
    {
      logicalId: 'Orders',
      tableName: ORDERS,
      keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'sk', KeyType: 'RANGE' }],
      attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'sk', AttributeType: 'N' }],
    },
  ]);
  db.captureStreams([{ tableName: ORDERS, keys: ['pk', 'sk'], viewType: 'NEW_IMAGE', streamArn: STREAM_ARN }], (batch) => records.push(...batch));
  raw = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  doc = DynamoDBDocumentClient.from(raw);
});
afterAll(async () => {
  raw?.destroy();
  await db?.close();
});

let unique = 0;
const fresh = (name: string) => `${name}-${++unique}`;
const statement = (Statement: string, Parameters?: unknown[], extra: Record<string, unknown> = {}) => doc.send(new DocExecuteStatementCommand({ Statement, ...(Parameters ? { Parameters } : {}), ...extra }));
const get = async (pk: string, sk: number) => (await doc.send(new GetCommand({ TableName: ORDERS, Key: { pk, sk }, ConsistentRead: true }))).Item;

describe('SELECT', () => {
  it('by the whole key: the item (GetItem), none for a missing key', async () => {
    const pk = fresh('c');
    await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 1, total: 12.5, tags: ['a'] } }));

    const hit = await statement(`SELECT * FROM "${ORDERS}" WHERE pk = ? AND sk = ?`, [pk, 1]);
    const miss = await statement(`SELECT * FROM "${ORDERS}" WHERE pk = ? AND sk = 2`, [pk]);

    expect(hit.Items).toEqual([{ pk, sk: 1, total: 12.5, tags: ['a'] }]);
    expect(miss.Items).toEqual([]);
  });

  it('with a filter and a projection: the matching items, the named attributes only', async () => {
    const pk = fresh('f');
    for (const [sk, total] of [[1, 5], [2, 50], [3, 500]]) await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk, total, note: 'x' } }));

    const out = await statement(`SELECT sk, total FROM "${ORDERS}" WHERE pk = ? AND total BETWEEN 10 AND 1000`, [pk]);

    expect(out.Items?.map((i) => i.sk).sort()).toEqual([2, 3]);
    expect(out.Items?.every((i) => Object.keys(i).sort().join() === 'sk,total')).toBe(true);
  });

  it('in pages: Limit and NextToken reach every match once', async () => {
    const pk = fresh('p');
    for (const sk of [1, 2, 3, 4, 5]) await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk } }));
    const seen: number[] = [];
    let token: string | undefined;
    do {
      const page = await statement(`SELECT sk FROM "${ORDERS}" WHERE pk = '${pk}'`, undefined, { Limit: 2, ...(token ? { NextToken: token } : {}) });
      seen.push(...(page.Items ?? []).map((i) => Number(i.sk)));
      token = page.NextToken;
    } while (token);

    expect(seen.sort()).toEqual([1, 2, 3, 4, 5]);
  });
});

describe('INSERT, UPDATE, DELETE', () => {
  it('INSERT writes the item (a map with parameters, lists and sets), and a stream record as any write', async () => {
    const pk = fresh('i');
    const before = records.length;

    await statement(`INSERT INTO "${ORDERS}" VALUE {'pk': ?, 'sk': 1, 'items': ['a', 'b'], 'codes': <<'x', 'y'>>, 'paid': true}`, [pk]);

    expect(await get(pk, 1)).toEqual({ pk, sk: 1, items: ['a', 'b'], codes: new Set(['x', 'y']), paid: true });
    expect(records.slice(before).map((r) => [r.eventName, (r.dynamodb as { Keys: unknown }).Keys])).toEqual([['INSERT', { pk: { S: pk }, sk: { N: '1' } }]]);
  });

  it('INSERT of a key that exists: DuplicateItemException, the item unchanged', async () => {
    const pk = fresh('d');
    await statement(`INSERT INTO "${ORDERS}" VALUE {'pk': ?, 'sk': 1, 'v': 1}`, [pk]);

    const error = await rejection(statement(`INSERT INTO "${ORDERS}" VALUE {'pk': ?, 'sk': 1, 'v': 2}`, [pk]));

    expect([error.name, error.message]).toEqual(['DuplicateItemException', 'Duplicate primary key exists in table']);
    expect(await get(pk, 1)).toEqual({ pk, sk: 1, v: 1 });
  });

  it('UPDATE SET (with arithmetic) and REMOVE on the item its key names', async () => {
    const pk = fresh('u');
    await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 1, count: 1, old: 'x' } }));

    await statement(`UPDATE "${ORDERS}" SET count = count + ? SET status = 'paid' REMOVE old WHERE pk = ? AND sk = 1`, [2, pk]);

    expect(await get(pk, 1)).toEqual({ pk, sk: 1, count: 3, status: 'paid' });
  });

  it.each([
    { given: 'an item that is not there', setup: false, where: 'pk = ? AND sk = 1' },
    { given: 'a condition beside the key that does not hold', setup: true, where: 'pk = ? AND sk = 1 AND count > 10' },
  ])('UPDATE of $given: ConditionalCheckFailedException, nothing written', async ({ setup, where }) => {
    const pk = fresh('uc');
    if (setup) await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 1, count: 1 } }));

    const error = await rejection(statement(`UPDATE "${ORDERS}" SET count = 99 WHERE ${where}`, [pk]));

    expect(error.name).toBe('ConditionalCheckFailedException');
    expect(await get(pk, 1)).toEqual(setup ? { pk, sk: 1, count: 1 } : undefined);
  });

  it('DELETE by the key; a DELETE whose condition fails keeps the item', async () => {
    const pk = fresh('x');
    await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 1, state: 'open' } }));
    await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 2, state: 'open' } }));

    await statement(`DELETE FROM "${ORDERS}" WHERE pk = ? AND sk = 1`, [pk]);
    const refused = await rejection(statement(`DELETE FROM "${ORDERS}" WHERE pk = ? AND sk = 2 AND state = 'closed'`, [pk]));

    expect(await get(pk, 1)).toBeUndefined();
    expect(refused.name).toBe('ConditionalCheckFailedException');
    expect(await get(pk, 2)).toEqual({ pk, sk: 2, state: 'open' });
  });
});

describe('refusals', () => {
  it.each([
    { given: 'a statement that does not parse', text: `SELEKT * FROM "${ORDERS}"`, params: undefined, want: ['ValidationException', /^Statement wasn't well formed/] },
    { given: 'more parameters than ? marks', text: `SELECT * FROM "${ORDERS}" WHERE pk = ?`, params: ['a', 'b'], want: ['ValidationException', /Number of parameters in request and statement don't match/] },
    { given: 'an UPDATE without the whole key', text: `UPDATE "${ORDERS}" SET a = 1 WHERE pk = 'a'`, params: undefined, want: ['ValidationException', /mandatory equality on all key attributes/] },
    { given: 'a table that is not there', text: 'SELECT * FROM "nope"', params: undefined, want: ['ResourceNotFoundException', /not found/] },
    { given: 'ORDER BY (not served here)', text: `SELECT * FROM "${ORDERS}" WHERE pk = 'a' ORDER BY sk`, params: undefined, want: ['ValidationException', /ORDER BY is not supported by the local emulator's PartiQL/] },
    // Both were a 500 InternalServerError (RangeError: the recursive parser's stack), not a client error.
    { given: 'a statement over 8192 characters', text: `SELECT * FROM "${ORDERS}" WHERE ${'('.repeat(5000)}pk = 'a'${')'.repeat(5000)}`, params: undefined, want: ['ValidationException', /^1 validation error detected: Value at 'statement' failed to satisfy constraint: Member must have length less than or equal to 8192$/] },
    { given: 'parentheses nested 4000 deep within 8192 characters', text: `SELECT * FROM "${ORDERS}" WHERE ${'('.repeat(4000)}pk = 'a'${')'.repeat(4000)}`, params: undefined, want: ['ValidationException', /^Statement wasn't well formed, can't be processed: its parentheses nest too deeply/] },
  ])('$given: $want.0', async ({ text, params, want }) => {
    const error = await rejection(statement(text, params));

    expect(error.name).toBe(want[0]);
    expect(error.message).toMatch(want[1] as RegExp);
  });
});

describe('ExecuteStatement request checks', () => {
  it('LS-rec test_dynamodb_execute_statement_empy_parameter: an empty Parameters list is a ValidationException', async () => {
    const error = await rejection(raw.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${ORDERS}"`, Parameters: [] })));

    expect(error.name).toBe('ValidationException');
    expect(error.message).toBe("1 validation error detected: Value '[]' at 'parameters' failed to satisfy constraint: Member must have length greater than or equal to 1");
  });
});

describe('BatchExecuteStatement', () => {
  it('each statement on its own: the item read, the write done, an error in place of the one refused', async () => {
    const pk = fresh('b');
    await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 1, v: 'one' } }));

    const out = await raw.send(
      new BatchExecuteStatementCommand({
        Statements: [
          { Statement: `SELECT * FROM "${ORDERS}" WHERE pk = ? AND sk = 1`, Parameters: [{ S: pk }] },
          { Statement: `INSERT INTO "${ORDERS}" VALUE {'pk': ?, 'sk': 2}`, Parameters: [{ S: pk }] },
          { Statement: `INSERT INTO "${ORDERS}" VALUE {'pk': ?, 'sk': 1}`, Parameters: [{ S: pk }] },
        ],
      }),
    );

    expect(out.Responses?.[0]).toMatchObject({ TableName: ORDERS, Item: { pk: { S: pk }, sk: { N: '1' }, v: { S: 'one' } } });
    expect(out.Responses?.[1]?.Error).toBeUndefined();
    expect(out.Responses?.[2]?.Error).toMatchObject({ Code: 'DuplicateItem' });
    expect(await get(pk, 2)).toEqual({ pk, sk: 2 });
  });

  it('an ExecuteStatement through the low-level client: AttributeValue parameters and items', async () => {
    const pk = fresh('l');
    await raw.send(new ExecuteStatementCommand({ Statement: `INSERT INTO "${ORDERS}" VALUE {'pk': ?, 'sk': ?}`, Parameters: [{ S: pk }, { N: '7' }] }));

    const out = await raw.send(new ExecuteStatementCommand({ Statement: `SELECT * FROM "${ORDERS}" WHERE pk = ? AND sk = ?`, Parameters: [{ S: pk }, { N: '7' }] }));

    expect(out.Items).toEqual([{ pk: { S: pk }, sk: { N: '7' } }]);
  });
});

describe('ExecuteTransaction (the statements as one TransactWriteItems or TransactGetItems)', () => {
  it('LS-rec test_dynamodb_execute_transaction: two INSERTs are written, and the answer is an empty Responses list', async () => {
    const pk = fresh('tx');

    const out = await raw.send(
      new ExecuteTransactionCommand({
        TransactStatements: [{ Statement: `INSERT INTO "${ORDERS}" VALUE {'pk': '${pk}', 'sk': 1}` }, { Statement: `INSERT INTO "${ORDERS}" VALUE {'pk': ?, 'sk': 2, 'v': 'two'}`, Parameters: [{ S: pk }] }],
      }),
    );

    expect(out.Responses).toEqual([]);
    expect([await get(pk, 1), await get(pk, 2)]).toEqual([{ pk, sk: 1 }, { pk, sk: 2, v: 'two' }]);
  });

  it('an UPDATE whose condition fails cancels the whole: TransactionCanceledException, the INSERT beside it not written', async () => {
    const pk = fresh('tx');
    await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 1, v: 'one' } }));

    const error = await rejection(
      raw.send(
        new ExecuteTransactionCommand({
          TransactStatements: [{ Statement: `INSERT INTO "${ORDERS}" VALUE {'pk': '${pk}', 'sk': 2}` }, { Statement: `UPDATE "${ORDERS}" SET v = 'changed' WHERE pk = '${pk}' AND sk = 1 AND v = 'other'` }],
        }),
      ),
    );

    expect(error.name).toBe('TransactionCanceledException');
    expect((error.CancellationReasons as { Code: string }[]).map((r) => r.Code)).toEqual(['None', 'ConditionalCheckFailed']);
    expect([await get(pk, 2), await get(pk, 1)]).toEqual([undefined, { pk, sk: 1, v: 'one' }]);
  });

  it('SELECTs by the whole key: an Item per statement, in order, none for a missing one', async () => {
    const pk = fresh('tx');
    await doc.send(new PutCommand({ TableName: ORDERS, Item: { pk, sk: 1, v: 'one' } }));

    const out = await raw.send(
      new ExecuteTransactionCommand({ TransactStatements: [{ Statement: `SELECT * FROM "${ORDERS}" WHERE pk = '${pk}' AND sk = 9` }, { Statement: `SELECT v FROM "${ORDERS}" WHERE pk = ? AND sk = 1`, Parameters: [{ S: pk }] }] }),
    );

    expect(out.Responses).toEqual([{}, { Item: { v: { S: 'one' } } }]);
  });

  it.each([
    { given: 'no statement', statements: [], want: /^1 validation error detected: .* at 'transactStatements' .* greater than or equal to 1$/ },
    { given: 'a SELECT that does not name the whole key', statements: [{ Statement: `SELECT * FROM "${ORDERS}" WHERE v = 'one'` }], want: /must specify the full primary key/ },
    { given: 'a statement that does not parse', statements: [{ Statement: `INSERT "${ORDERS}"` }], want: /^Statement wasn't well formed/ },
  ])('$given is a ValidationException', async ({ statements, want }) => {
    const error = await rejection(raw.send(new ExecuteTransactionCommand({ TransactStatements: statements })));

    expect(error.name).toBe('ValidationException');
    expect(error.message).toMatch(want);
  });
});
