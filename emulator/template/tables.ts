/** AWS::DynamoDB::Table and AWS::Serverless::SimpleTable → TableSpec. */
import { TemplateError, type TableSpec } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SAM_TYPES: Record<string, 'S' | 'N' | 'B'> = { String: 'S', Number: 'N', Binary: 'B' };

/** Every DynamoDB table of the template, named as CloudFormation names it. */
export function loadTables(stack: Stack): TableSpec[] {
  const tables: TableSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::DynamoDB::Table') tables.push(dynamoTable(stack, id));
    if (res.Type === 'AWS::Serverless::SimpleTable') tables.push(simpleTable(stack, id));
  }
  return tables;
}

function dynamoTable(stack: Stack, id: string): TableSpec {
  const key = `Resources.${id}.Properties`;
  const p = stack.resolve(stack.resources[id]?.Properties ?? {}, key) as Record<string, unknown>;
  if (!Array.isArray(p.KeySchema) || p.KeySchema.length === 0) throw new TemplateError(stack.file, `${key}.KeySchema`, 'is required');
  if (!Array.isArray(p.AttributeDefinitions)) throw new TemplateError(stack.file, `${key}.AttributeDefinitions`, 'is required');
  const spec: TableSpec = {
    logicalId: id,
    tableName: stack.physicalName(id),
    keySchema: p.KeySchema as TableSpec['keySchema'],
    attributeDefinitions: p.AttributeDefinitions as TableSpec['attributeDefinitions'],
  };
  if (Array.isArray(p.GlobalSecondaryIndexes) && p.GlobalSecondaryIndexes.length > 0) {
    spec.globalSecondaryIndexes = p.GlobalSecondaryIndexes.filter(isRecord).map((g) => ({
      IndexName: String(g.IndexName),
      KeySchema: g.KeySchema as TableSpec['keySchema'],
      Projection: (isRecord(g.Projection) ? g.Projection : { ProjectionType: 'ALL' }) as { ProjectionType: string },
    }));
  }
  const ttl = isRecord(p.TimeToLiveSpecification) ? p.TimeToLiveSpecification : undefined;
  if (ttl && (ttl.Enabled === true || ttl.Enabled === 'true') && typeof ttl.AttributeName === 'string') spec.ttlAttribute = ttl.AttributeName;
  return spec;
}

/** SimpleTable: a single hash key, PrimaryKey defaulting to {Name: id, Type: String}. */
function simpleTable(stack: Stack, id: string): TableSpec {
  const key = `Resources.${id}.Properties.PrimaryKey`;
  const pk = stack.resolve(stack.resources[id]?.Properties.PrimaryKey ?? { Name: 'id', Type: 'String' }, key);
  const name = isRecord(pk) ? pk.Name : undefined;
  const type = isRecord(pk) ? SAM_TYPES[String(pk.Type)] : undefined;
  if (typeof name !== 'string' || !type) throw new TemplateError(stack.file, key, 'needs Name and Type (String | Number | Binary)');
  return {
    logicalId: id,
    tableName: stack.physicalName(id),
    keySchema: [{ AttributeName: name, KeyType: 'HASH' }],
    attributeDefinitions: [{ AttributeName: name, AttributeType: type }],
  };
}
