/** AWS::DynamoDB::Table, AWS::DynamoDB::GlobalTable (this region's replica) and AWS::Serverless::SimpleTable → TableSpec. */
import { TemplateError, type TableSpec } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const SAM_TYPES: Record<string, 'S' | 'N' | 'B'> = { String: 'S', Number: 'N', Binary: 'B' };

/** DynamoDB's rule for table names. */
const TABLE_NAME = /^[A-Za-z0-9_.-]{3,255}$/;

/**
 * Every DynamoDB table of the template, named as CloudFormation names it. A name DynamoDB would refuse (most often one
 * built from a parameter given no value, whose placeholder has `:` and `/`) is a warning and the table is not created:
 * CloudFormation would fail the stack there; locally the rest of the template is served.
 */
export function loadTables(stack: Stack, warnings: string[] = []): TableSpec[] {
  const tables: TableSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    let spec: TableSpec | undefined;
    try {
      spec = res.Type === 'AWS::DynamoDB::Table' || res.Type === 'AWS::DynamoDB::GlobalTable' ? dynamoTable(stack, id) : res.Type === 'AWS::Serverless::SimpleTable' ? simpleTable(stack, id) : undefined;
    } catch (error) {
      // A table CloudFormation would refuse (no KeySchema...) is not created; the functions that use it get DynamoDB's own errors.
      if (!(error instanceof TemplateError)) throw error;
      warnings.push(`${error.key}: ${error.detail}: the table is not created (CloudFormation would refuse it)`);
      continue;
    }
    if (!spec) continue;
    if (TABLE_NAME.test(spec.tableName)) tables.push(spec);
    else warnings.push(`Resources.${id}: table name ${JSON.stringify(spec.tableName)} is not a valid DynamoDB table name: the table is not created (a parameter without value? give it with --parameter-overrides)`);
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
  const stream = isRecord(p.StreamSpecification) ? String(p.StreamSpecification.StreamViewType ?? '') : '';
  if (stream === 'KEYS_ONLY' || stream === 'NEW_IMAGE' || stream === 'OLD_IMAGE' || stream === 'NEW_AND_OLD_IMAGES') spec.streamViewType = stream;
  if (isRecord(p.KinesisStreamSpecification) && typeof p.KinesisStreamSpecification.StreamArn === 'string') spec.kinesisStreamArn = p.KinesisStreamSpecification.StreamArn;
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
