/**
 * The functions' DynamoDB stream event sources (SAM's `Events: {Type: DynamoDB}` and AWS::Lambda::EventSourceMapping
 * on a table's stream ARN) → StreamSourceSpec, run by services/dynamodb-streams/event-source.ts.
 */
import type { FunctionSpec, StreamSourceSpec } from './model.js';
import { mappingDeclarations } from './queues.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const int = (value: unknown, fallback: number): number => (value === undefined || value === null || value === '' ? fallback : Number(value));

/** A DynamoDB stream's ARN: `arn:<partition>:dynamodb:<region>:<account>:table/<name>/stream/<label>`. */
export const STREAM_ARN = /^arn:[^:]+:dynamodb:[^:]*:[^:]*:table\/([^/]+)\/stream\/.+$/;

/** Settings of a stream mapping Lambda applies that are not applied here (said at start). */
const NOT_APPLIED = ['BisectBatchOnFunctionError', 'DestinationConfig', 'ParallelizationFactor', 'TumblingWindowInSeconds', 'MaximumRecordAgeInSeconds'];

/** A stream mapping's settings (DynamoDB's and Kinesis's are the same). */
export function sourceOptions(props: Record<string, unknown>): Omit<StreamSourceSpec, 'id' | 'functionLogicalId' | 'streamArn'> {
  const startingPosition = props.StartingPosition === undefined ? undefined : String(props.StartingPosition);
  const types = Array.isArray(props.FunctionResponseTypes) ? props.FunctionResponseTypes.map(String) : [];
  const out: Omit<StreamSourceSpec, 'id' | 'functionLogicalId' | 'streamArn'> = {
    batchSize: int(props.BatchSize, 100),
    batchingWindowSeconds: int(props.MaximumBatchingWindowInSeconds, 0),
    enabled: props.Enabled === undefined ? true : String(props.Enabled) === 'true',
    reportBatchItemFailures: types.includes('ReportBatchItemFailures'),
    maximumRetryAttempts: int(props.MaximumRetryAttempts, -1),
  };
  if (isRecord(props.FilterCriteria)) out.filterCriteria = props.FilterCriteria;
  if (startingPosition !== undefined) out.startingPosition = startingPosition;
  const notApplied = NOT_APPLIED.filter((k) => props[k] !== undefined && props[k] !== false && String(props[k]) !== 'false' && !(k === 'ParallelizationFactor' && Number(props[k]) === 1));
  if (notApplied.length > 0) out.notApplied = notApplied;
  return out;
}

/** The DynamoDB stream event sources of the template's functions; one whose function is not found is a warning. */
export function loadStreamSources(stack: Stack, functions: Map<string, FunctionSpec>, warnings: string[] = []): StreamSourceSpec[] {
  const declared = mappingDeclarations(stack, functions, warnings, { samType: 'DynamoDB', arnProperty: 'Stream', isArn: (arn) => STREAM_ARN.test(arn), what: 'a DynamoDB stream ARN', never: 'run' });
  return declared.map(({ id, functionLogicalId, arn, props }) => ({ id, functionLogicalId, streamArn: arn, ...sourceOptions(props) }));
}

/**
 * What Lambda refuses in a DynamoDB stream event source mapping, which makes CloudFormation fail the stack (Lambda API
 * Reference, CreateEventSourceMapping): said at start; the mapping still runs, within bounds (a BatchSize under 1 as 1).
 */
export function streamSourceProblems(source: StreamSourceSpec, kinesis = false): string[] {
  const problems: string[] = [];
  const positions = kinesis ? ['TRIM_HORIZON', 'LATEST', 'AT_TIMESTAMP'] : ['TRIM_HORIZON', 'LATEST'];
  if (source.startingPosition === undefined) problems.push(`StartingPosition is required for a stream (${positions.join(' or ')})`);
  else if (!positions.includes(source.startingPosition)) problems.push(`StartingPosition ${source.startingPosition} is not ${positions.join(' or ')}${kinesis ? '' : " (AT_TIMESTAMP is Kinesis's)"}`);
  if (!Number.isInteger(source.batchSize) || source.batchSize < 1 || source.batchSize > 10_000) problems.push(`BatchSize ${source.batchSize} is outside 1-10000`);
  if (!Number.isInteger(source.batchingWindowSeconds) || source.batchingWindowSeconds < 0 || source.batchingWindowSeconds > 300) problems.push(`MaximumBatchingWindowInSeconds ${source.batchingWindowSeconds} is outside 0-300`);
  if (!Number.isInteger(source.maximumRetryAttempts) || source.maximumRetryAttempts < -1 || source.maximumRetryAttempts > 10_000) problems.push(`MaximumRetryAttempts ${source.maximumRetryAttempts} is outside -1-10000`);
  return problems;
}
