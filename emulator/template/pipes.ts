/**
 * AWS::Pipes::Pipe → PipeSpec, run by services/pipes/: a source (SQS queue, DynamoDB stream, Kinesis stream) read as
 * Lambda's event source mappings read it, its FilterCriteria, an optional enrichment, and a target.
 */
import type { PipeSpec } from './model.js';
import type { Stack } from './stack.js';
import { KINESIS_ARN } from './kinesis.js';
import { STREAM_ARN } from './streams.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (value: unknown, fallback: number): number => (value === undefined || value === null || value === '' ? fallback : Number(value));

/** What kind of source an ARN is. */
function sourceKind(arn: string): PipeSpec['sourceKind'] {
  if (/^arn:[^:]+:sqs:/.test(arn)) return 'sqs';
  if (STREAM_ARN.test(arn)) return 'dynamodb';
  if (KINESIS_ARN.test(arn)) return 'kinesis';
  return 'other';
}

/** Source settings that change what a pipe does on AWS and are not applied here. */
const NOT_APPLIED = ['DeadLetterConfig', 'OnPartialBatchItemFailure', 'MaximumRecordAgeInSeconds', 'ParallelizationFactor'];

export function loadPipes(stack: Stack): PipeSpec[] {
  return Object.entries(stack.resources)
    .filter(([, res]) => res.Type === 'AWS::Pipes::Pipe')
    .map(([id, res]) => {
      const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
      const source = String(props.Source ?? '');
      const kind = sourceKind(source);
      const sourceParameters = isRecord(props.SourceParameters) ? props.SourceParameters : {};
      const byKind = { sqs: 'SqsQueueParameters', dynamodb: 'DynamoDBStreamParameters', kinesis: 'KinesisStreamParameters', other: '' }[kind];
      const own = isRecord(sourceParameters[byKind]) ? (sourceParameters[byKind] as Record<string, unknown>) : {};
      const name = typeof props.Name === 'string' ? props.Name : stack.physicalName(id);
      const enrichmentParameters = isRecord(props.EnrichmentParameters) ? props.EnrichmentParameters : {};
      const notApplied = NOT_APPLIED.filter((k) => own[k] !== undefined && !(k === 'ParallelizationFactor' && Number(own[k]) === 1));
      const spec: PipeSpec = {
        logicalId: id,
        name,
        arn: `arn:aws:pipes:${stack.opts.region}:${stack.opts.accountId}:pipe/${name}`,
        source: kind === 'kinesis' ? KINESIS_ARN.exec(source)![1]! : source,
        sourceKind: kind,
        batchSize: int(own.BatchSize, kind === 'sqs' ? 10 : 100),
        batchingWindowSeconds: int(own.MaximumBatchingWindowInSeconds, 0),
        maximumRetryAttempts: int(own.MaximumRetryAttempts, -1),
        running: props.DesiredState === undefined || props.DesiredState === 'RUNNING',
        target: String(props.Target ?? ''),
        targetParameters: isRecord(props.TargetParameters) ? props.TargetParameters : {},
      };
      if (isRecord(sourceParameters.FilterCriteria)) spec.filterCriteria = sourceParameters.FilterCriteria;
      if (typeof props.Enrichment === 'string' && props.Enrichment !== '') spec.enrichment = props.Enrichment;
      if (typeof enrichmentParameters.InputTemplate === 'string') spec.enrichmentInputTemplate = enrichmentParameters.InputTemplate;
      if (notApplied.length > 0) spec.notApplied = notApplied;
      return spec;
    });
}
