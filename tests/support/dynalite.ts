/**
 * dynalite on a free loopback port with the template's tables (TasksTable with its GSI,
 * IdempotencyTable) created from their definitions in template.yaml, under fresh names.
 */
import { readFileSync, existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { CreateTableCommand, DynamoDBClient, type CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { startDynamoDb } from '../../emulator/services/dynamodb.js';
import { parseCfnYaml } from '../../emulator/template/cfn-yaml.js';
import { TEST_CREDENTIALS } from './local-credentials.js';
export const TEMPLATE_PATH = resolve(import.meta.dirname, '../../template.yaml');

type Resource = { Type?: string; Properties?: Record<string, unknown> };

/** CreateTable input for a table resource of template.yaml (its TableName replaced by `tableName`). */
export function tableInputFromTemplate(logicalId: string, tableName: string, path = TEMPLATE_PATH): CreateTableCommandInput {
  if (!existsSync(path)) throw new Error(`${path}: not found (the tests create their tables from it)`);
  const doc = parseCfnYaml(readFileSync(path, 'utf8'), path) as { Resources?: Record<string, Resource> };
  const res = doc.Resources?.[logicalId];
  if (res?.Type !== 'AWS::DynamoDB::Table' || !res.Properties) {
    throw new Error(`${path}: Resources.${logicalId} is not an AWS::DynamoDB::Table with Properties`);
  }
  const p = res.Properties;
  const input: CreateTableCommandInput = {
    TableName: tableName,
    KeySchema: p.KeySchema as CreateTableCommandInput['KeySchema'],
    AttributeDefinitions: p.AttributeDefinitions as CreateTableCommandInput['AttributeDefinitions'],
    BillingMode: 'PAY_PER_REQUEST',
  };
  if (Array.isArray(p.GlobalSecondaryIndexes)) {
    input.GlobalSecondaryIndexes = (p.GlobalSecondaryIndexes as Record<string, unknown>[]).map((g) => ({
      IndexName: g.IndexName as string,
      KeySchema: g.KeySchema as CreateTableCommandInput['KeySchema'],
      Projection: g.Projection as { ProjectionType: 'ALL' },
    }));
  }
  return input;
}

export interface LocalDynamo {
  endpoint: string;
  tasksTable: string;
  idempotencyTable: string;
  close(): Promise<void>;
}

/**
 * Starts the emulator's embedded DynamoDB (dynalite behind its signature check, in memory) and creates
 * TasksTable and IdempotencyTable as template.yaml defines them; clients sign with TEST_CREDENTIALS.
 */
export async function startDynalite(): Promise<LocalDynamo> {
  const server = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  const endpoint = server.endpoint;
  const suffix = Math.random().toString(36).slice(2, 8);
  const tasksTable = `tasks-${suffix}`;
  const idempotencyTable = `idempotency-${suffix}`;
  const client = new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: TEST_CREDENTIALS });
  await client.send(new CreateTableCommand(tableInputFromTemplate('TasksTable', tasksTable)));
  await client.send(new CreateTableCommand(tableInputFromTemplate('IdempotencyTable', idempotencyTable)));
  client.destroy();
  return {
    endpoint,
    tasksTable,
    idempotencyTable,
    close: () => server.close(),
  };
}
