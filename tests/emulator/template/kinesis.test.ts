/**
 * Kinesis streams and their event sources read from the template (template/kinesis.ts): shard counts and modes, names
 * and ARNs, SAM's Kinesis events and EventSourceMappings on a stream or an enhanced fan-out consumer.
 */
import { describe, expect, it } from 'vitest';
import { KinesisStreams } from '../../../emulator/services/kinesis/streams.js';
import { loadSamResources } from '../support/template-text.js';

const FN = `  Fn:\n    Type: AWS::Serverless::Function\n    Properties:\n      Runtime: nodejs20.x\n      Handler: a.handler\n      InlineCode: 'x'\n`;

describe('AWS::Kinesis::Stream', () => {
  it.each([
    { given: 'ShardCount 3', props: '{ ShardCount: 3 }', want: { shardCount: 3, mode: 'PROVISIONED' } },
    { given: 'no ShardCount', props: '{}', want: { shardCount: 1, mode: 'PROVISIONED' } },
    { given: 'ON_DEMAND (Kinesis starts it with 4 shards)', props: '{ StreamModeDetails: { StreamMode: ON_DEMAND } }', want: { shardCount: 4, mode: 'ON_DEMAND' } },
    { given: 'a Name and a retention', props: '{ Name: clicks, ShardCount: 1, RetentionPeriodHours: 48 }', want: { name: 'clicks', arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/clicks', retentionHours: 48 } },
  ])('$given', async ({ props, want }) => {
    const loaded = await loadSamResources(`  S:\n    Type: AWS::Kinesis::Stream\n    Properties: ${props}\n`);

    expect(loaded.kinesisStreams).toEqual([expect.objectContaining({ logicalId: 'S', ...want })]);
    expect(loaded.resources?.find((g) => g.type === 'AWS::Kinesis::Stream')?.status).toBe('emulated');
  });

  it('without a Name, CloudFormation`s generated name is in the ARN', async () => {
    const loaded = await loadSamResources(`  S:\n    Type: AWS::Kinesis::Stream\n`);

    expect(loaded.kinesisStreams![0]).toMatchObject({ name: 'local-S', arn: 'arn:aws:kinesis:us-east-1:123456789012:stream/local-S' });
  });
});

describe('Kinesis event sources', () => {
  it('a SAM Kinesis event on GetAtt Arn: its settings, and the mapping accounted as emulated', async () => {
    const loaded = await loadSamResources(`  S:\n    Type: AWS::Kinesis::Stream\n${FN}      Events:\n        Read:\n          Type: Kinesis\n          Properties: { Stream: !GetAtt S.Arn, StartingPosition: AT_TIMESTAMP, BatchSize: 7, FunctionResponseTypes: [ReportBatchItemFailures], ParallelizationFactor: 2 }\n`);

    expect(loaded.kinesisSources).toEqual([
      expect.objectContaining({ id: 'Fn.Read', functionLogicalId: 'Fn', streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/local-S', startingPosition: 'AT_TIMESTAMP', batchSize: 7, reportBatchItemFailures: true, notApplied: ['ParallelizationFactor'] }),
    ]);
    expect(loaded.resources?.some((g) => g.type.startsWith('Events (Kinesis)'))).toBe(false);
  });

  it('an EventSourceMapping on an enhanced fan-out consumer reads the consumer`s stream', async () => {
    const loaded = await loadSamResources(`  S:\n    Type: AWS::Kinesis::Stream\n  C:\n    Type: AWS::Kinesis::StreamConsumer\n    Properties: { StreamARN: !GetAtt S.Arn, ConsumerName: fan }\n${FN}  M:\n    Type: AWS::Lambda::EventSourceMapping\n    Properties: { FunctionName: !Ref Fn, EventSourceArn: !GetAtt C.ConsumerARN, StartingPosition: LATEST }\n`);

    expect(loaded.kinesisSources).toEqual([expect.objectContaining({ id: 'M', functionLogicalId: 'Fn', streamArn: 'arn:aws:kinesis:us-east-1:123456789012:stream/local-S' })]);
    expect(loaded.resources?.find((g) => g.logicalIds.includes('M'))?.status).toBe('emulated');
  });

  it('a SAM Kinesis event whose Stream is no Kinesis ARN is a warning, not a source', async () => {
    const loaded = await loadSamResources(`${FN}      Events:\n        Read:\n          Type: Kinesis\n          Properties: { Stream: not-an-arn, StartingPosition: LATEST }\n`);

    expect(loaded.kinesisSources).toEqual([]);
    expect((loaded.warnings ?? []).some((w) => /Events\.Read\.Properties\.Stream: not a Kinesis stream ARN/.test(w))).toBe(true);
  });
});

describe('StreamEncryption', () => {
  it('KMS: the stream answers EncryptionType KMS and its key', async () => {
    const loaded = await loadSamResources(`  S:\n    Type: AWS::Kinesis::Stream\n    Properties: { StreamEncryption: { EncryptionType: KMS, KeyId: alias/aws/kinesis } }\n`);
    const streams = new KinesisStreams(loaded.kinesisStreams!, { region: 'us-east-1', accountId: '123456789012' });

    const summary = streams.handle('DescribeStreamSummary', { StreamName: 'local-S' }) as { StreamDescriptionSummary: Record<string, unknown> };
    const put = streams.handle('PutRecord', { StreamName: 'local-S', PartitionKey: 'k', Data: 'eA==' });

    expect(summary.StreamDescriptionSummary).toMatchObject({ EncryptionType: 'KMS', KeyId: 'alias/aws/kinesis' });
    expect(put).toMatchObject({ EncryptionType: 'KMS' });
  });
});

describe('no StreamEncryption', () => {
  it('PutRecord, PutRecords and GetRecords` records carry no EncryptionType (as AWS answered LocalStack`s recorded test_apigateway_to_kinesis)', async () => {
    const loaded = await loadSamResources(`  S:\n    Type: AWS::Kinesis::Stream\n`);
    const streams = new KinesisStreams(loaded.kinesisStreams!, { region: 'us-east-1', accountId: '123456789012' });
    const { Shards } = streams.handle('ListShards', { StreamName: 'local-S' }) as { Shards: { ShardId: string }[] };
    const { ShardIterator } = streams.handle('GetShardIterator', { StreamName: 'local-S', ShardId: Shards[0]!.ShardId, ShardIteratorType: 'TRIM_HORIZON' }) as { ShardIterator: string };

    const put = streams.handle('PutRecord', { StreamName: 'local-S', PartitionKey: 'k', Data: 'eA==' }) as Record<string, unknown>;
    const puts = streams.handle('PutRecords', { StreamName: 'local-S', Records: [{ PartitionKey: 'k', Data: 'eQ==' }] }) as Record<string, unknown>;
    const got = streams.handle('GetRecords', { ShardIterator }) as { Records: Record<string, unknown>[] };

    expect(Object.keys(put).sort()).toEqual(['SequenceNumber', 'ShardId']);
    expect(Object.keys(puts).sort()).toEqual(['FailedRecordCount', 'Records']);
    expect(got.Records.map((r) => Object.keys(r).sort())).toEqual([
      ['ApproximateArrivalTimestamp', 'Data', 'PartitionKey', 'SequenceNumber'],
      ['ApproximateArrivalTimestamp', 'Data', 'PartitionKey', 'SequenceNumber'],
    ]);
  });
});
