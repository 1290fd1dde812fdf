/** DynamoDB stream event sources read from a template: SAM DynamoDB events, EventSourceMappings, the tables' StreamSpecification. */
import { resolve } from 'node:path';
import { expect, it } from 'vitest';
import { loadSamResources } from '../support/template-text.js';
import { streamSourceProblems } from '../../../emulator/template/streams.js';

const SRC = resolve('tests/emulator/fixtures/runtime-app/src');

it('reads the stream view type, SAM DynamoDB events and EventSourceMappings with their settings; names what is not applied', async () => {
  const t = await loadSamResources(
    `  T:
    Type: AWS::DynamoDB::Table
    Properties:
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
      StreamSpecification: { StreamViewType: NEW_IMAGE }
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${SRC}
      Handler: plain.handler
      Runtime: nodejs20.x
      Events:
        Changes:
          Type: DynamoDB
          Properties:
            Stream: !GetAtt T.StreamArn
            StartingPosition: LATEST
            FunctionResponseTypes: [ReportBatchItemFailures]
            MaximumRetryAttempts: 2
            BisectBatchOnFunctionError: true
        Broken:
          Type: DynamoDB
          Properties: { Stream: arn:aws:kinesis:us-east-1:123456789012:stream/x, StartingPosition: LATEST }
  Mapping:
    Type: AWS::Lambda::EventSourceMapping
    Properties:
      FunctionName: !Ref Fn
      EventSourceArn: !GetAtt T.StreamArn
      BatchSize: 5
      MaximumBatchingWindowInSeconds: 2
      Enabled: false
`,
  );

  expect(t.tables[0]?.streamViewType).toBe('NEW_IMAGE');
  const arn = 'arn:aws:dynamodb:us-east-1:123456789012:table/local-T/stream/1970-01-01T00:00:00.000';
  expect(t.streamSources).toEqual([
    { id: 'Fn.Changes', functionLogicalId: 'Fn', streamArn: arn, batchSize: 100, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: true, maximumRetryAttempts: 2, startingPosition: 'LATEST', notApplied: ['BisectBatchOnFunctionError'] },
    { id: 'Mapping', functionLogicalId: 'Fn', streamArn: arn, batchSize: 5, batchingWindowSeconds: 2, enabled: false, reportBatchItemFailures: false, maximumRetryAttempts: -1 },
  ]);
  expect(t.warnings).toContainEqual(expect.stringMatching(/Events\.Broken\.Properties\.Stream: not a DynamoDB stream ARN/));
  expect(t.resources?.find((g) => g.type === 'AWS::Lambda::EventSourceMapping')?.status).toBe('emulated');
  expect(t.resources?.some((g) => g.type === 'Events (DynamoDB)')).toBe(false);
});

it('an AWS::DynamoDB::GlobalTable is this region`s table, its StreamArn a stream an event source reads', async () => {
  const t = await loadSamResources(
    `  G:
    Type: AWS::DynamoDB::GlobalTable
    Properties:
      TableName: orders-global
      BillingMode: PAY_PER_REQUEST
      AttributeDefinitions: [{ AttributeName: pk, AttributeType: S }]
      KeySchema: [{ AttributeName: pk, KeyType: HASH }]
      StreamSpecification: { StreamViewType: NEW_AND_OLD_IMAGES }
      Replicas: [{ Region: us-east-1 }, { Region: eu-west-1 }]
  Fn:
    Type: AWS::Serverless::Function
    Properties:
      CodeUri: ${SRC}
      Handler: plain.handler
      Runtime: nodejs20.x
      Events:
        Changes: { Type: DynamoDB, Properties: { Stream: !GetAtt G.StreamArn, StartingPosition: TRIM_HORIZON } }
`,
  );

  expect(t.tables.map((x) => [x.tableName, x.streamViewType])).toEqual([['orders-global', 'NEW_AND_OLD_IMAGES']]);
  expect(t.streamSources?.[0]?.streamArn).toBe('arn:aws:dynamodb:us-east-1:123456789012:table/orders-global/stream/1970-01-01T00:00:00.000');
  expect(t.resources?.find((g) => g.type === 'AWS::DynamoDB::GlobalTable')?.status).toBe('emulated');
});

it.each([
  { given: { startingPosition: undefined }, want: /StartingPosition is required/ },
  { given: { startingPosition: 'AT_TIMESTAMP' }, want: /AT_TIMESTAMP is Kinesis's/ },
  { given: { batchSize: 0 }, want: /BatchSize 0 is outside 1-10000/ },
  { given: { batchingWindowSeconds: 301 }, want: /MaximumBatchingWindowInSeconds 301 is outside 0-300/ },
  { given: { maximumRetryAttempts: -5 }, want: /MaximumRetryAttempts -5 is outside -1-10000/ },
])('what Lambda refuses: $given', ({ given, want }) => {
  const source = { id: 'Fn.E', functionLogicalId: 'Fn', streamArn: 'arn', batchSize: 100, batchingWindowSeconds: 0, enabled: true, reportBatchItemFailures: false, maximumRetryAttempts: -1, startingPosition: 'LATEST', ...given };

  expect(streamSourceProblems(source)).toEqual([expect.stringMatching(want)]);
});
