/**
 * Lambda's Kinesis event source mappings (Lambda Developer Guide, "Using Lambda with Kinesis"): each shard's records
 * in order, through the stream poller DynamoDB Streams use (batches, window, FilterCriteria, retries,
 * ReportBatchItemFailures), one poller per shard as Lambda reads them.
 */
import type { StreamRecordAdapter } from '../dynamodb-streams/event-source.js';
import type { KinesisRecord } from './streams.js';

/** A record as Lambda hands it to the function (its data base64, as Kinesis stores it). */
export function kinesisLambdaRecord(record: KinesisRecord, region: string, accountId: string): object {
  return {
    kinesis: {
      kinesisSchemaVersion: '1.0',
      partitionKey: record.partitionKey,
      sequenceNumber: record.sequenceNumber,
      data: record.data.toString('base64'),
      approximateArrivalTimestamp: record.arrival / 1000,
    },
    eventSource: 'aws:kinesis',
    eventVersion: '1.0',
    eventID: `${record.shardId}:${record.sequenceNumber}`,
    eventName: 'aws:kinesis:record',
    invokeIdentityArn: `arn:aws:iam::${accountId}:role/local-event-source-mapping`,
    awsRegion: region,
    eventSourceARN: record.streamArn,
  };
}

/** The data FilterCriteria see: the decoded JSON when it is JSON (Kinesis filters only on `data`), else its text. */
function filterView(record: KinesisRecord): object {
  const text = record.data.toString('utf8');
  try {
    return { data: JSON.parse(text) as unknown };
  } catch {
    return { data: text };
  }
}

export function kinesisRecords(region: string, accountId: string): StreamRecordAdapter<KinesisRecord> {
  return { service: 'kinesis', lambdaRecord: (r) => kinesisLambdaRecord(r, region, accountId), filterView, sequenceNumber: (r) => r.sequenceNumber };
}
