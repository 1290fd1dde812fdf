/**
 * Expressions are checked before dynalite parses them: DynamoDB's 4 KB per expression, and a bound on nested
 * parentheses, past which dynalite's parser took minutes (then days) and held the services' thread meanwhile.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { callDynamoDb, startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import { groupingDepth, MAX_EXPRESSION_BYTES, MAX_GROUPING_DEPTH } from '../../../emulator/services/dynamodb-expression-limits.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

describe('groupingDepth: how deep grouping parentheses nest', () => {
  it.each([
    { expression: 'a = :v', want: 0 },
    { expression: '(a = :v) AND (b = :v)', want: 1 },
    { expression: 'a = :v OR (b = :v OR (c = :v))', want: 2 },
    { expression: 'NOT(a = :v)', want: 1 },
    { expression: '((a = :v))', want: 2 },
    { expression: 'a = (:v)', want: 1 },
    // A function's parentheses and IN's list are no grouping.
    { expression: 'attribute_exists(a) AND size(b) > :n', want: 0 },
    { expression: '(begins_with(a, :p) OR a IN (:x, :y))', want: 1 },
    { expression: 'SET l = list_append(if_not_exists(l, :e), :v)', want: 0 },
    { expression: '('.repeat(40) + 'a = :v' + ')'.repeat(40), want: 40 },
  ])('$expression: $want', ({ expression, want }) => {
    expect(groupingDepth(expression)).toBe(want);
  });
});

/** `b1 = :v OR (b2 = :v OR (... (a = :v)))`: a valid condition whose parentheses nest `depth` levels. */
function nested(depth: number): string {
  let expression = 'a = :v';
  for (let i = 0; i < depth; i++) expression = `b${i} = :v OR (${expression})`;
  return expression;
}

describe('embedded DynamoDB: expressions it refuses before parsing them', () => {
  let db: DynamoDbServer;
  beforeAll(async () => {
    db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
    const created = await callDynamoDb(db, 'CreateTable', JSON.stringify({ TableName: 'limits', AttributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }], KeySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }], BillingMode: 'PAY_PER_REQUEST' }));
    expect(created.status).toBe(200);
  });
  afterAll(() => db.close());

  const put = (condition: string, key = 'k') => ({ TableName: 'limits', Item: { pk: { S: key } }, ConditionExpression: condition, ExpressionAttributeValues: { ':v': { S: 'x' } } });
  const padded = (bytes: number) => `attribute_not_exists(pk) OR a = :v${' '.repeat(bytes - 'attribute_not_exists(pk) OR a = :v'.length)}`;

  it.each([
    { given: `a condition of ${MAX_EXPRESSION_BYTES + 1} bytes`, action: 'PutItem', body: put(padded(MAX_EXPRESSION_BYTES + 1)), want: `Invalid ConditionExpression: Expression size has exceeded the maximum allowed size; expression size: ${MAX_EXPRESSION_BYTES + 1}` },
    { given: 'parentheses nested 30 levels (dynalite: days)', action: 'PutItem', body: put(nested(30)), want: /^Invalid ConditionExpression: parentheses nested 30 levels deep; the local emulator's DynamoDB parses at most 5/ },
    { given: 'a Query filter nested too deep', action: 'Query', body: { TableName: 'limits', KeyConditionExpression: 'pk = :v', FilterExpression: nested(MAX_GROUPING_DEPTH + 1), ExpressionAttributeValues: { ':v': { S: 'x' } } }, want: /^Invalid FilterExpression: parentheses nested 6 levels deep/ },
    { given: "a transaction item's condition nested too deep", action: 'TransactWriteItems', body: { TransactItems: [{ ConditionCheck: { TableName: 'limits', Key: { pk: { S: 'k' } }, ConditionExpression: nested(12), ExpressionAttributeValues: { ':v': { S: 'x' } } } }] }, want: /^Invalid ConditionExpression: parentheses nested 12 levels deep/ },
    { given: "a BatchGetItem table's projection over 4 KB", action: 'BatchGetItem', body: { RequestItems: { limits: { Keys: [{ pk: { S: 'k' } }], ProjectionExpression: Array(1200).fill('abc').join(',') } } }, want: /^Invalid ProjectionExpression: Expression size has exceeded the maximum allowed size; expression size: 4799$/ },
  ])('$given: 400 ValidationException at once, and the database still serves', async ({ action, body, want }) => {
    // Act
    const refused = await callDynamoDb(db, action, JSON.stringify(body));
    const after = await callDynamoDb(db, 'ListTables', '{}');

    // Assess
    expect(refused.status).toBe(400);
    const answer = (await refused.json()) as { __type: string; message: string };
    expect(answer.__type).toBe('com.amazon.coral.validate#ValidationException');
    expect(answer.message).toMatch(want);
    expect(after.status).toBe(200);
  });

  it.each([
    { given: `a condition of exactly ${MAX_EXPRESSION_BYTES} bytes`, condition: padded(MAX_EXPRESSION_BYTES), key: 'sized' },
    { given: `parentheses nested ${MAX_GROUPING_DEPTH} levels`, condition: `attribute_not_exists(pk) OR (${nested(MAX_GROUPING_DEPTH - 1)})`, key: 'nested' },
  ])('$given is parsed and applied', async ({ condition, key }) => {
    const res = await callDynamoDb(db, 'PutItem', JSON.stringify(put(condition, key)));

    expect(res.status).toBe(200);
  });
});
