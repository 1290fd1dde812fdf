/** Conformance: AWS service integration to DynamoDB (reference section 12) against a real dynalite. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTables, startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import { harness, type Harness } from './harness.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

let db: DynamoDbServer;
let h: Harness;
let logged: Harness;

beforeAll(async () => {
  db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  await createTables(db, [{
    logicalId: 'ConformanceItems',
    tableName: 'ConformanceItems',
    keySchema: [{ AttributeName: 'pk', KeyType: 'HASH' }, { AttributeName: 'id', KeyType: 'RANGE' }],
    attributeDefinitions: [{ AttributeName: 'pk', AttributeType: 'S' }, { AttributeName: 'id', AttributeType: 'S' }],
  }]);
  h = await harness('ConformanceApi', { services: { dynamodb: db } });
  // The same API with an access log whose line is DynamoDB's status and the status the client got.
  const accessLog = { destinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:ddb', format: '$context.integration.status $context.integrationStatus $context.status' };
  logged = await harness('ConformanceApi', { services: { dynamodb: db }, api: { ...h.api, accessLog } });
});

afterAll(async () => {
  await db.close();
});

const put = (item: Record<string, unknown>) =>
  h.send({ method: 'POST', path: '/test/ddb/items', body: JSON.stringify(item), headers: [['Content-Type', 'application/json']] });

describe('12 DynamoDB service integration', () => {
  it('R12.1 / R12.2 / R12.3 PutItem: the rendered template is the DynamoDB request; PutItem answers {}', async () => {
    const got = await put({ id: 'a1', name: 'first', tags: ['x', 'y'] });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ stored: true, raw: {} });
    expect(got.headers.get('content-type')).toBe('application/json');
    expect(h.invoker.calls.length).toBe(0);
  });

  it('R12.3 GetItem: the response template unwraps typed AttributeValues (#foreach over a list)', async () => {
    await put({ id: 'q1', name: 'it\'s "quoted"', tags: ['a', 'b', 'c'] });
    const got = await h.send({ path: '/test/ddb/items/q1' });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ id: 'q1', name: 'it\'s "quoted"', tags: ['a', 'b', 'c'] });
  });

  it('R12.3 / R2.12 no Item in the GetItem answer → the template overrides the status to 404', async () => {
    const got = await h.send({ path: '/test/ddb/items/nope%20here' });
    expect(got.status).toBe(404);
    expect(got.json()).toEqual({ missing: 'nope here' });
  });

  it('R12.3 Query: Count and Items are native values ($root.Items.size(), $foreach.hasNext)', async () => {
    await put({ id: 'z9', name: 'last', tags: [] });
    const got = await h.send({ path: '/test/ddb/list' });
    const body = got.json() as { count: number; size: number; ids: string[] };
    expect(got.status).toBe(200);
    expect(body.count).toBe(body.size);
    expect(body.ids).toEqual(expect.arrayContaining(['a1', 'q1', 'z9']));
    expect(body.ids).toEqual([...body.ids].sort());
  });

  it.each([
    { given: 'a GetItem that finds nothing, mapped to 404', path: '/test/ddb/items/nothing', want: '200 200 404' },
    { given: 'a Query', path: '/test/ddb/list', want: '200 200 200' },
  ])('access log: $context.integration.status is DynamoDB`s own status ($given)', async ({ path, want }) => {
    await logged.send({ path });

    expect(logged.entries.at(-1)?.accessLog?.line).toBe(want);
  });

  it('R12.3 without response templates the body is DynamoDB\'s raw JSON', async () => {
    const got = await h.send({ method: 'POST', path: '/test/ddb/raw', body: JSON.stringify({ TableName: 'ConformanceItems', Key: { pk: { S: 'ITEM' }, id: { S: 'a1' } } }) });
    expect(got.status).toBe(200);
    expect(got.json()).toEqual({ Item: { pk: { S: 'ITEM' }, id: { S: 'a1' }, name: { S: 'first' }, tags: { L: [{ S: 'x' }, { S: 'y' }] }, createdBy: { S: expect.any(String) } } });
  });

  it('R12.3 / R2.6 a DynamoDB error (4xx) is selected by its status code; the body is {__type, message}', async () => {
    const got = await h.send({ method: 'POST', path: '/test/ddb/raw', body: JSON.stringify({ TableName: 'Missing', Key: { id: { S: 'x' } } }) });
    expect(got.status).toBe(400);
    const body = got.json() as { __type: string; message: string };
    expect(body.__type).toMatch(/ResourceNotFoundException$/);
    expect(body.message).toEqual(expect.any(String));
  });

  it('R12.3 / R2.6 a 4\\d{2} pattern maps a DynamoDB validation error to the declared 500 with its own template', async () => {
    const got = await h.send({ path: `/test/ddb/items/${'k'.repeat(1100)}` });
    expect(got.status).toBe(500);
    expect((got.json() as { store: string }).store).toMatch(/ValidationException$/);
  });

  it('R2.5 NEVER passthrough with an unmatched Content-Type → 415 before DynamoDB is called', async () => {
    const got = await h.send({ method: 'POST', path: '/test/ddb/items', body: '<x/>', headers: [['Content-Type', 'application/xml']] });
    expect(got.status).toBe(415);
  });

  it('R12.1 credentials is reported ignored (no IAM locally) and the route as an emulated aws-service', () => {
    const location = 'paths./ddb/items.post.x-amazon-apigateway-integration';
    const credentials = h.gateway.support.find((i) => i.subject === 'x-amazon-apigateway-integration.credentials' && i.location === location);
    expect(credentials).toMatchObject({ status: 'ignored', location });
    expect(credentials?.detail).toMatch(/no IAM/);
    expect(h.gateway.routes.find((r) => r.path === '/ddb/items')).toMatchObject({ integration: 'aws-service', emulated: true });
  });
});

describe('12 without an embedded DynamoDB', () => {
  it('R12.1 no services.dynamodb → 500 Internal server error with a clear log', async () => {
    const bare = await harness();
    const got = await bare.send({ path: '/test/ddb/list' });
    expect(got.status).toBe(500);
    expect(got.json()).toEqual({ message: 'Internal server error' });
    expect(bare.logs.at(-1)).toMatch(/no embedded DynamoDB is running \(createGateway services\.dynamodb is not set\)/);
  });
});
