import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateBackupCommand, DescribeTableCommand, DynamoDBClient, GetItemCommand, PutItemCommand, TransactWriteItemsCommand, UpdateTimeToLiveCommand } from '@aws-sdk/client-dynamodb';
import { callDynamoDb, createTables, startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';
import type { TableSpec } from '../../../emulator/template/model.js';

const FIXTURE = resolve('tests/emulator/fixtures/runtime-app/template.yaml');

function client(endpoint: string): DynamoDBClient {
  return new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS, maxAttempts: 1 });
}

describe('embedded DynamoDB (dynalite)', () => {
  let tables: TableSpec[];
  let db: DynamoDbServer;

  beforeAll(async () => {
    tables = (await loadTemplate(FIXTURE)).tables;
    db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  });

  afterAll(async () => {
    await db.close();
  });

  it('listens on loopback and creates the template tables with keys and GSIs', async () => {
    const result = await createTables(db, tables);
    const described = await client(db.endpoint).send(new DescribeTableCommand({ TableName: 'tasks-dev' }));

    expect(db.endpoint).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(result.created).toEqual(['tasks-dev', 'local-Counters']);
    expect(described.Table?.TableStatus).toBe('ACTIVE');
    expect(described.Table?.KeySchema).toEqual([
      { AttributeName: 'pk', KeyType: 'HASH' },
      { AttributeName: 'sk', KeyType: 'RANGE' },
    ]);
    expect(described.Table?.GlobalSecondaryIndexes?.[0]).toMatchObject({
      IndexName: 'byOwner',
      Projection: { ProjectionType: 'INCLUDE', NonKeyAttributes: ['title'] },
    });
  });

  it('is idempotent: existing tables are skipped; TTL is reported as not enforced (dynalite has no UpdateTimeToLive)', async () => {
    const again = await createTables(db, tables);

    expect(again).toEqual({ created: [], existing: ['tasks-dev', 'local-Counters'], ttlNotEnforced: { 'tasks-dev': 'expiresAt' } });
  });

  it('TransactWriteItems, which dynalite lacks, is served by the front: the SDK call succeeds and the item is written', async () => {
    const answer = await client(db.endpoint).send(
      new TransactWriteItemsCommand({ TransactItems: [{ Put: { TableName: 'tasks-dev', Item: { pk: { S: 'a' }, sk: { S: 'b' } } } }] }),
    );
    const item = await client(db.endpoint).send(new GetItemCommand({ TableName: 'tasks-dev', Key: { pk: { S: 'a' }, sk: { S: 'b' } } }));

    expect(answer.$metadata).toMatchObject({ httpStatusCode: 200, attempts: 1 });
    expect(item.Item).toEqual({ pk: { S: 'a' }, sk: { S: 'b' } });
  });
});

describe('embedded DynamoDB: table ARNs are the stack`s (GetAtt Arn`s), whatever the shell holds', () => {
  it.each([
    { given: 'the default region', region: undefined, want: 'us-east-1' },
    { given: 'the stack`s region', region: 'eu-west-1', want: 'eu-west-1' },
  ])('$given: TableArn and IndexArn in it and the local account, with AWS_ACCOUNT_ID and AWS_REGION set otherwise in the environment', async ({ region, want }) => {
    // Prepare
    const saved = { account: process.env.AWS_ACCOUNT_ID, region: process.env.AWS_REGION };
    process.env.AWS_ACCOUNT_ID = '999999999999';
    process.env.AWS_REGION = 'ap-south-1';
    const db = await startDynamoDb({ credentials: TEST_CREDENTIALS, ...(region ? { region } : {}) });
    try {
      await createTables(db, (await loadTemplate(FIXTURE)).tables);

      // Act
      const { Table } = await client(db.endpoint).send(new DescribeTableCommand({ TableName: 'tasks-dev' }));

      // Assess
      expect(Table?.TableArn).toBe(`arn:aws:dynamodb:${want}:123456789012:table/tasks-dev`);
      expect(Table?.GlobalSecondaryIndexes?.[0]?.IndexArn).toBe(`arn:aws:dynamodb:${want}:123456789012:table/tasks-dev/index/byOwner`);
      expect([process.env.AWS_ACCOUNT_ID, process.env.AWS_REGION]).toEqual(['999999999999', 'ap-south-1']);
    } finally {
      await db.close();
      for (const [name, value] of [['AWS_ACCOUNT_ID', saved.account], ['AWS_REGION', saved.region]] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });
});

describe('embedded DynamoDB: operations it does not serve are named', () => {
  let db: DynamoDbServer;
  beforeAll(async () => {
    db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  });
  afterAll(() => db.close());

  it.each([
    { given: 'CreateBackup', send: (c: DynamoDBClient) => c.send(new CreateBackupCommand({ TableName: 't', BackupName: 'b' })), want: /^CreateBackup is not served by the local emulator's DynamoDB$/ },
    { given: 'UpdateTimeToLive', send: (c: DynamoDBClient) => c.send(new UpdateTimeToLiveCommand({ TableName: 't', TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true } })), want: /^UpdateTimeToLive is not served by the local emulator's DynamoDB$/ },
  ])('$given: UnknownOperationException with a message naming it (dynalite`s had none)', async ({ send, want }) => {
    const error = (await send(client(db.endpoint)).catch((e: unknown) => e)) as Error & { $metadata?: { httpStatusCode?: number } };

    expect(error.name).toBe('UnknownOperationException');
    expect(error.message).toMatch(want);
    expect(error.$metadata?.httpStatusCode).toBe(400);
  });
});

describe('embedded DynamoDB: a request dynalite cannot read', () => {
  let db: DynamoDbServer;
  beforeAll(async () => {
    db = await startDynamoDb({ credentials: TEST_CREDENTIALS });
    await createTables(db, (await loadTemplate(FIXTURE)).tables);
  });
  afterAll(() => db.close());

  it.each([
    { action: 'GetItem', body: { TableName: 'tasks-dev', Key: { pk: null, sk: { S: 'a' } } } },
    { action: 'PutItem', body: { TableName: 'tasks-dev', Item: { pk: { S: 'p' }, sk: { S: 'a' }, x: null } } },
    { action: 'TransactGetItems', body: { TransactItems: [{ Get: { TableName: 'tasks-dev', Key: { pk: null, sk: { S: 'a' } } } }] } },
  ])('$action with a null attribute value (the SDKs never send one): 400 ValidationException, and the database still serves', async ({ action, body }) => {
    // Act
    const refused = await callDynamoDb(db, action, JSON.stringify(body));
    const after = await client(db.endpoint).send(new PutItemCommand({ TableName: 'tasks-dev', Item: { pk: { S: 'still' }, sk: { S: 'up' } } }));

    // Assess
    expect(refused.status).toBe(400);
    expect(await refused.json()).toMatchObject({ __type: expect.stringMatching(/ValidationException$/) as string });
    expect(after.$metadata.httpStatusCode).toBe(200);
  });
});

describe('embedded DynamoDB with a data directory', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'dynalite-'));
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('keeps tables and items across a restart', async () => {
    const tables = (await loadTemplate(FIXTURE)).tables;
    const first = await startDynamoDb({ credentials: TEST_CREDENTIALS, dataDir });
    await createTables(first, tables);
    await client(first.endpoint).send(new PutItemCommand({ TableName: 'tasks-dev', Item: { pk: { S: 'task#1' }, sk: { S: 'v' }, title: { S: 'persisted' } } }));
    await first.close();

    const second = await startDynamoDb({ credentials: TEST_CREDENTIALS, dataDir });
    const again = await createTables(second, tables);
    const item = await client(second.endpoint).send(new GetItemCommand({ TableName: 'tasks-dev', Key: { pk: { S: 'task#1' }, sk: { S: 'v' } } }));
    await second.close();

    expect(again.existing).toEqual(['tasks-dev', 'local-Counters']);
    expect(item.Item?.title).toEqual({ S: 'persisted' });
  });
});

describe('createTables on the way to the ready line', () => {
  it('sends each call on a connection of its own: a kept-alive one may have been closed by the services thread while this one was blocked (a start failed with "socket hang up")', async () => {
    // Prepare: an endpoint that knows every table, counting the connections it is sent
    const server = createServer((req, res) => {
      req.resume();
      req.on('end', () => res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0' }).end('{"Table":{}}'));
    });
    let connections = 0;
    server.on('connection', () => (connections += 1));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

    // Act: three tables, three DescribeTable calls
    const tables = (await loadTemplate(FIXTURE)).tables;
    const result = await createTables({ endpoint, credentials: TEST_CREDENTIALS }, [...tables, { ...tables[0]!, tableName: 'third' }]);
    await new Promise<void>((resolve) => server.close(() => resolve()));

    // Assess
    expect(result.existing).toEqual(['tasks-dev', 'local-Counters', 'third']);
    expect(connections).toBe(3);
  });
});
