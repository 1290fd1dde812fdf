/** Embedded DynamoDB (dynalite) on loopback, with the template's tables created as CloudFormation would. */
import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { TableSpec } from '../template/model.js';

const require = createRequire(import.meta.url);

type DynaliteFactory = (options: Record<string, unknown>) => Server;

export interface DynamoDbServer {
  endpoint: string;
  close(): Promise<void>;
}

/** Start dynalite on 127.0.0.1 (free port); in memory, or persisted under `dataDir` (LevelDB). */
export async function startDynamoDb(options: { dataDir?: string } = {}): Promise<DynamoDbServer> {
  const dynalite = require('dynalite') as DynaliteFactory;
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(options.dataDir ? { path: options.dataDir } : {}),
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve()))),
  };
}

export interface CreatedTables {
  created: string[];
  existing: string[];
  /** dynalite has no UpdateTimeToLive: TTL attributes are recorded here, items are never expired. */
  ttlNotEnforced: Record<string, string>;
}

/** A minimal signed-enough DynamoDB JSON call (dynalite checks that an Authorization header is present). */
async function call(endpoint: string, action: string, body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  const res = await fetch(endpoint, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.0',
      'x-amz-target': `DynamoDB_20120810.${action}`,
      authorization: 'AWS4-HMAC-SHA256 Credential=emulator/20000101/us-east-1/dynamodb/aws4_request, SignedHeaders=host, Signature=0',
      'x-amz-date': '20000101T000000Z',
    },
    body: JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

/** CreateTable for each template table; a table that already exists (persisted data) is left as it is. */
export async function createTables(endpoint: string, tables: TableSpec[]): Promise<CreatedTables> {
  const out: CreatedTables = { created: [], existing: [], ttlNotEnforced: {} };
  for (const t of tables) {
    const described = await call(endpoint, 'DescribeTable', { TableName: t.tableName });
    if (described.status === 200) {
      out.existing.push(t.tableName);
    } else {
      const res = await call(endpoint, 'CreateTable', createTableInput(t));
      if (res.status !== 200) {
        throw new Error(`DynamoDB CreateTable ${t.tableName} (Resources.${t.logicalId}) failed: ${JSON.stringify(res.json)}`);
      }
      out.created.push(t.tableName);
    }
    if (t.ttlAttribute) out.ttlNotEnforced[t.tableName] = t.ttlAttribute;
  }
  return out;
}

function createTableInput(t: TableSpec): Record<string, unknown> {
  const input: Record<string, unknown> = {
    TableName: t.tableName,
    KeySchema: t.keySchema,
    AttributeDefinitions: t.attributeDefinitions,
    BillingMode: 'PAY_PER_REQUEST',
  };
  if (t.globalSecondaryIndexes?.length) input.GlobalSecondaryIndexes = t.globalSecondaryIndexes;
  return input;
}
