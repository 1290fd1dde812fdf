/**
 * AWS::Kinesis::Stream → KinesisStreamSpec, served by the embedded Kinesis (services/kinesis/), and the functions'
 * Kinesis event sources (SAM's `Events: {Type: Kinesis}`, AWS::Lambda::EventSourceMapping on a stream or consumer ARN).
 */
import type { FunctionSpec, KinesisStreamSpec, StreamSourceSpec } from './model.js';
import { mappingDeclarations } from './queues.js';
import type { Stack } from './stack.js';
import { sourceOptions } from './streams.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** A stream's ARN, or one of its enhanced fan-out consumers' (`…:stream/<name>/consumer/<consumer>:<created>`). */
export const KINESIS_ARN = /^(arn:[^:]+:kinesis:[^:]*:[^:]*:stream\/[^/]+)(\/consumer\/.+)?$/;

/** What an ON_DEMAND stream starts with. */
const ON_DEMAND_SHARDS = 4;

export function loadKinesisStreams(stack: Stack): KinesisStreamSpec[] {
  return Object.entries(stack.resources)
    .filter(([, res]) => res.Type === 'AWS::Kinesis::Stream')
    .map(([id, res]) => {
      const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
      const onDemand = isRecord(props.StreamModeDetails) && props.StreamModeDetails.StreamMode === 'ON_DEMAND';
      const shards = Number(props.ShardCount ?? 1);
      const encryption = isRecord(props.StreamEncryption) && props.StreamEncryption.EncryptionType === 'KMS' ? props.StreamEncryption : undefined;
      return {
        ...(encryption ? { encryption: 'KMS' as const, keyId: String(encryption.KeyId ?? 'alias/aws/kinesis') } : {}),
        logicalId: id,
        name: stack.physicalName(id),
        arn: stack.arn(id, 'Arn'),
        mode: onDemand ? 'ON_DEMAND' : 'PROVISIONED',
        shardCount: onDemand ? ON_DEMAND_SHARDS : Number.isInteger(shards) && shards > 0 ? Math.min(shards, 64) : 1,
        retentionHours: Number(props.RetentionPeriodHours ?? 24) || 24,
      };
    });
}

/** The Kinesis event sources of the template's functions, on the stream's ARN (a consumer's is its stream's). */
export function loadKinesisSources(stack: Stack, functions: Map<string, FunctionSpec>, warnings: string[] = []): StreamSourceSpec[] {
  const declared = mappingDeclarations(stack, functions, warnings, { samType: 'Kinesis', arnProperty: 'Stream', isArn: (arn) => KINESIS_ARN.test(arn), what: 'a Kinesis stream ARN', never: 'run' });
  return declared.map(({ id, functionLogicalId, arn, props }) => ({ id, functionLogicalId, streamArn: KINESIS_ARN.exec(arn)![1]!, ...sourceOptions(props) }));
}
