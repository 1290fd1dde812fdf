/**
 * AWS::SQS::Queue → QueueSpec (created in the embedded SQS at start), and the functions' SQS event sources (SAM's
 * `Events: {Type: SQS}` and AWS::Lambda::EventSourceMapping) → QueueSourceSpec (polled as Lambda polls them).
 */
import type { FunctionSpec, QueueSourceSpec, QueueSpec } from './model.js';
import type { Stack } from './stack.js';
import { functionNameInArn } from './uris.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Queue properties that are SQS attributes of the same name (RedrivePolicy is JSON text in SQS, an object in the template). */
const ATTRIBUTES = ['VisibilityTimeout', 'DelaySeconds', 'MaximumMessageSize', 'MessageRetentionPeriod', 'ReceiveMessageWaitTimeSeconds', 'FifoQueue', 'ContentBasedDeduplication', 'DeduplicationScope', 'FifoThroughputLimit', 'RedrivePolicy', 'RedriveAllowPolicy'];

/** Every queue of the template, named as CloudFormation names it, with its attributes as SQS's CreateQueue takes them. */
export function loadQueues(stack: Stack): QueueSpec[] {
  const queues: QueueSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type !== 'AWS::SQS::Queue') continue;
    const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
    const attributes: Record<string, string> = {};
    for (const name of ATTRIBUTES) {
      const value = props[name];
      if (value === undefined || value === null) continue;
      attributes[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
    }
    queues.push({ logicalId: id, name: stack.physicalName(id), attributes });
  }
  // A dead-letter queue is created before the queues whose RedrivePolicy names it.
  return queues.sort((a, b) => Number(a.attributes.RedrivePolicy !== undefined) - Number(b.attributes.RedrivePolicy !== undefined));
}

const int = (value: unknown, fallback: number): number => (value === undefined || value === null || value === '' ? fallback : Number(value));

/** The options an event source mapping has in both forms, read the same way. */
function sourceOptions(props: Record<string, unknown>): Omit<QueueSourceSpec, 'id' | 'functionLogicalId' | 'queueArn'> {
  const scaling = isRecord(props.ScalingConfig) ? props.ScalingConfig : {};
  const types = Array.isArray(props.FunctionResponseTypes) ? props.FunctionResponseTypes.map(String) : [];
  const out: Omit<QueueSourceSpec, 'id' | 'functionLogicalId' | 'queueArn'> = {
    batchSize: int(props.BatchSize, 10),
    batchingWindowSeconds: int(props.MaximumBatchingWindowInSeconds, 0),
    enabled: props.Enabled === undefined ? true : String(props.Enabled) === 'true',
    reportBatchItemFailures: types.includes('ReportBatchItemFailures'),
  };
  if (scaling.MaximumConcurrency !== undefined) out.maximumConcurrency = Number(scaling.MaximumConcurrency);
  if (isRecord(props.FilterCriteria)) out.filterCriteria = props.FilterCriteria;
  return out;
}

/** One event source mapping of a function, whatever declared it: its id, function, source ARN and properties. */
export interface MappingDeclaration {
  /** `Function.Event` for SAM events, the mapping's logical id otherwise. */
  id: string;
  functionLogicalId: string;
  arn: string;
  props: Record<string, unknown>;
}

/**
 * The event source mappings of one kind: SAM function events of `samType` (the source ARN under `arnProperty`) and
 * AWS::Lambda::EventSourceMapping resources whose EventSourceArn `isArn` accepts. A SAM event whose ARN is not of the
 * kind, or a mapping whose function is not the template's, is a warning: `never` says what then does not happen.
 */
export function mappingDeclarations(stack: Stack, functions: Map<string, FunctionSpec>, warnings: string[], kind: { samType: string; arnProperty: string; isArn: (arn: string, fromSam: boolean) => boolean; what: string; never: string }): MappingDeclaration[] {
  const out: MappingDeclaration[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Serverless::Function' && isRecord(res.Properties.Events)) {
      for (const [eventId, event] of Object.entries(res.Properties.Events)) {
        if (!isRecord(event) || event.Type !== kind.samType) continue;
        const key = `Resources.${id}.Properties.Events.${eventId}.Properties`;
        const props = stack.resolve(isRecord(event.Properties) ? event.Properties : {}, key) as Record<string, unknown>;
        const arn = props[kind.arnProperty];
        if (typeof arn !== 'string' || !kind.isArn(arn, true)) {
          warnings.push(`${key}.${kind.arnProperty}: not ${kind.what} (${JSON.stringify(arn)}): the event source is not ${kind.never}`);
          continue;
        }
        out.push({ id: `${id}.${eventId}`, functionLogicalId: id, arn, props });
        notAppliedMapping(props, key, warnings);
      }
    }
    if (res.Type === 'AWS::Lambda::EventSourceMapping') {
      const key = `Resources.${id}.Properties`;
      const props = stack.resolve(res.Properties, key) as Record<string, unknown>;
      const arn = typeof props.EventSourceArn === 'string' ? props.EventSourceArn : '';
      if (!kind.isArn(arn, false)) continue;
      const fn = functionNamed(functions, props.FunctionName);
      if (!fn) {
        warnings.push(`${key}.FunctionName: ${JSON.stringify(props.FunctionName)} is no function of this template: the event source is not ${kind.never}`);
        continue;
      }
      out.push({ id, functionLogicalId: fn.logicalId, arn, props });
      notAppliedMapping(props, key, warnings);
    }
  }
  return out;
}

/** An event source mapping's settings with no local counterpart, named with what happens instead. */
function notAppliedMapping(props: Record<string, unknown>, key: string, warnings: string[]): void {
  if (isRecord(props.ProvisionedPollerConfig)) warnings.push(`${key}.ProvisionedPollerConfig: provisioned mode is not emulated: one local poller reads the source, as in on-demand mode`);
}

/**
 * The SQS event sources of the template's functions. An event source on a queue that is not an SQS ARN (another
 * service's stream) is not one of these; one whose function is not found is a warning.
 */
export function loadQueueSources(stack: Stack, functions: Map<string, FunctionSpec>, warnings: string[] = []): QueueSourceSpec[] {
  // A SAM SQS event's Queue is taken as its queue's ARN; a mapping is one of these only on an SQS ARN.
  const declared = mappingDeclarations(stack, functions, warnings, { samType: 'SQS', arnProperty: 'Queue', isArn: (arn, fromSam) => fromSam || /^arn:[^:]+:sqs:/.test(arn), what: 'a queue ARN', never: 'polled' });
  return declared.map(({ id, functionLogicalId, arn, props }) => ({ id, functionLogicalId, queueArn: arn, ...sourceOptions(props) }));
}

/** A function by name, ARN (qualified or not) or partial ARN, as EventSourceMapping's FunctionName takes it. */
export function functionNamed(functions: Map<string, FunctionSpec>, reference: unknown): FunctionSpec | undefined {
  if (typeof reference !== 'string') return undefined;
  const name = functionNameInArn(reference) ?? /^(?:\d{12}:)?function:([^:]+)/.exec(reference)?.[1] ?? reference.split(':')[0];
  for (const fn of functions.values()) if (fn.functionName === name || fn.logicalId === name) return fn;
  return undefined;
}

/**
 * What Lambda refuses in an SQS event source mapping, which makes CloudFormation fail the stack (Lambda API
 * Reference, CreateEventSourceMapping; Developer Guide, "Configuring a queue to use with Lambda"): said at start,
 * the mapping still polled.
 */
export function queueSourceProblems(source: QueueSourceSpec, queue: QueueSpec, fn: FunctionSpec | undefined): string[] {
  const problems: string[] = [];
  const fifo = queue.name.endsWith('.fifo');
  const max = fifo ? 10 : 10_000;
  if (!Number.isInteger(source.batchSize) || source.batchSize < 1 || source.batchSize > max) problems.push(`BatchSize ${source.batchSize} is outside 1-${max}${fifo ? ' (a FIFO queue)' : ''}`);
  else if (source.batchSize > 10 && source.batchingWindowSeconds < 1) problems.push(`BatchSize ${source.batchSize} needs MaximumBatchingWindowInSeconds of at least 1`);
  if (source.batchingWindowSeconds < 0 || source.batchingWindowSeconds > 300) problems.push(`MaximumBatchingWindowInSeconds ${source.batchingWindowSeconds} is outside 0-300`);
  else if (fifo && source.batchingWindowSeconds > 0) problems.push('MaximumBatchingWindowInSeconds is not supported for FIFO queues');
  const visibility = Number(queue.attributes.VisibilityTimeout ?? 30);
  if (fn && visibility < fn.timeoutSeconds) problems.push(`the queue's VisibilityTimeout (${visibility} s) is less than the function's Timeout (${fn.timeoutSeconds} s)`);
  return problems;
}
