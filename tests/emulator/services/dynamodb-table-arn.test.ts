/**
 * A table's ARN in TableName and as BatchGetItem/BatchWriteItem RequestItems keys, which DynamoDB takes since 2024
 * (API Reference: "the name of the table ... You can also provide the Amazon Resource Name (ARN) of the table"), through
 * the SDK against the embedded DynamoDB; BatchGetItem's Responses are "a map of table name or table ARN", keyed as
 * the request keyed them.
 */
import {
  BatchGetItemCommand,
  BatchWriteItemCommand,
  CreateTableCommand,
  DeleteItemCommand,
  DescribeTableCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
  ScanCommand,
  UpdateItemCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

let db: DynamoDbServer;
let dynamo: DynamoDBClient;
const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Notes';
const OTHER_ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/Tags';

beforeAll(async () => {
  db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  dynamo = new DynamoDBClient({ endpoint: db.endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
  for (const TableName of ['Notes', 'Tags']) {
    await dynamo.send(new CreateTableCommand({ TableName, KeySchema: [{ AttributeName: 'id', KeyType: 'HASH' }], AttributeDefinitions: [{ AttributeName: 'id', AttributeType: 'S' }], BillingMode: 'PAY_PER_REQUEST' }));
  }
});
afterAll(() => db?.close());

describe('a table ARN where DynamoDB takes a table name', () => {
  it('PutItem, GetItem, UpdateItem, Query, Scan and DeleteItem by ARN reach the table of that name', async () => {
    await dynamo.send(new PutItemCommand({ TableName: ARN, Item: { id: { S: 'n1' }, text: { S: 'hello' } } }));
    await dynamo.send(new UpdateItemCommand({ TableName: ARN, Key: { id: { S: 'n1' } }, UpdateExpression: 'SET done = :d', ExpressionAttributeValues: { ':d': { BOOL: true } } }));
    const byName = await dynamo.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'n1' } } }));
    const byArn = await dynamo.send(new GetItemCommand({ TableName: ARN, Key: { id: { S: 'n1' } } }));
    const queried = await dynamo.send(new QueryCommand({ TableName: ARN, KeyConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': { S: 'n1' } } }));
    const scanned = await dynamo.send(new ScanCommand({ TableName: ARN }));
    await dynamo.send(new DeleteItemCommand({ TableName: ARN, Key: { id: { S: 'n1' } } }));
    const gone = await dynamo.send(new GetItemCommand({ TableName: 'Notes', Key: { id: { S: 'n1' } } }));

    expect(byName.Item).toEqual({ id: { S: 'n1' }, text: { S: 'hello' }, done: { BOOL: true } });
    expect(byArn.Item).toEqual(byName.Item);
    expect([queried.Count, scanned.Count]).toEqual([1, 1]);
    expect(gone.Item).toBeUndefined();
  });

  it('DescribeTable by ARN describes the table (its name, its ARN)', async () => {
    const { Table } = await dynamo.send(new DescribeTableCommand({ TableName: ARN }));

    expect([Table?.TableName, Table?.TableArn]).toEqual(['Notes', ARN]);
  });

  it('BatchWriteItem keyed by ARN writes; BatchGetItem`s Responses are keyed as its RequestItems were (an ARN, a name)', async () => {
    const written = await dynamo.send(new BatchWriteItemCommand({ RequestItems: { [ARN]: [{ PutRequest: { Item: { id: { S: 'b1' } } } }], Tags: [{ PutRequest: { Item: { id: { S: 't1' } } } }] } }));
    const got = await dynamo.send(new BatchGetItemCommand({ RequestItems: { [ARN]: { Keys: [{ id: { S: 'b1' } }] }, Tags: { Keys: [{ id: { S: 't1' } }] } } }));
    const other = await dynamo.send(new BatchGetItemCommand({ RequestItems: { [OTHER_ARN]: { Keys: [{ id: { S: 't1' } }] } } }));

    expect(written.UnprocessedItems).toEqual({});
    expect(got.Responses).toEqual({ [ARN]: [{ id: { S: 'b1' } }], Tags: [{ id: { S: 't1' } }] });
    expect(other.Responses).toEqual({ [OTHER_ARN]: [{ id: { S: 't1' } }] });
  });

  it('an ARN of a table that does not exist is ResourceNotFoundException, as its name is', async () => {
    const error = await dynamo.send(new GetItemCommand({ TableName: 'arn:aws:dynamodb:us-east-1:123456789012:table/Nope', Key: { id: { S: 'x' } } })).then(
      () => undefined,
      (e: Error) => e,
    );

    expect(error?.name).toBe('ResourceNotFoundException');
  });
});
