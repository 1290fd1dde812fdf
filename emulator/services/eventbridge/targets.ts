/**
 * Where the embedded event buses deliver: a rule's function targets are invoked asynchronously (Lambda's Event
 * invocation: the caller of PutEvents does not wait), its queue targets get the input as an SQS message on the
 * embedded SQS, its topic targets publish it on the embedded SNS, its state machine targets start an execution with it,
 * its stream targets put it on the embedded Kinesis, its API Gateway targets call the template's API (api-target.ts).
 * its API destination targets call their endpoint (api-destination.ts), its event bus targets get the event itself on
 * that bus. Other targets (other services, what the template lacks) are reported at start and skipped, said in the log.
 */
import type { InvokeOutcome } from '../../lambda/types.js';
import type { AsyncInvokeSpec } from '../../template/model.js';
import { attemptText, type AsyncInvocations } from '../async-invoke.js';
import { functionNameInArn } from '../../template/uris.js';
import type { SqsCaller } from '../sqs/client.js';
import { invokeApiTarget, parseExecuteApiArn, type ApiTargets } from './api-target.js';
import { invokeApiDestination, OAuthTokens, type ApiDestinationCalls } from './api-destination.js';
import { callUniversalTarget, UNIVERSAL_SERVICES, universalTarget, type UniversalServices } from './universal-targets.js';
import { valueAtPath, type BusEvent, type Delivery } from './bus.js';

export interface DeliveryReport {
  /** Which service delivered: an EventBridge rule, an SNS subscription or an S3 notification (`rule` is then its id). */
  via?: 'eventbridge' | 'sns' | 's3' | 'scheduler';
  rule: string;
  targetId: string;
  /** The function's logical id, the queue's name, or the target's ARN when it is not emulated. */
  target: string;
  kind: 'lambda' | 'sqs' | 'sns' | 'states' | 'kinesis' | 'execute-api' | 'api-destination' | 'event-bus' | 'universal' | 'not-emulated';
  eventId: string;
  outcome: 'ok' | 'error' | 'not-delivered';
  detail?: string;
}

export interface TargetResolver {
  /** A function of the template by ARN (qualified or not), with its stack's invoker and its asynchronous settings. */
  functions: { name: string; logicalId: string; arn?: string; async?: AsyncInvokeSpec; invoke(event: unknown, requestId?: string): Promise<InvokeOutcome> }[];
  /** Lambda's asynchronous invocation (retries, destinations); without it a delivery is one attempt. */
  asyncInvocations?: AsyncInvocations;
  /** Where later attempts are logged. */
  log?: (line: string) => void;
  /** The template's queues: ARN → URL on the embedded SQS. */
  queues: { arn: string; name: string; url: string }[];
  sqs?: SqsCaller;
  /** The embedded SNS's topics: an EventBridge rule may target one (its subscriptions then get the event). */
  topics?: { arns: string[]; publish(input: Record<string, unknown>): unknown };
  /** The embedded Step Functions' state machines: a rule may start one (StartExecution with the input). */
  stateMachines?: StateMachineTargets;
  /** The embedded Kinesis' streams: a rule may put its input on one (PutRecord). */
  streams?: StreamTargets;
  /** The template's APIs: a rule may call one of them (an execute-api ARN). */
  apis?: ApiTargets;
  /** The template's API destinations: a rule may send its events to one. */
  apiDestinations?: ApiDestinationCalls;
  /** The template's event buses: a rule may send its events on to another one (bound once the buses exist). */
  eventBuses?: { names: string[]; forward(bus: string, event: BusEvent): string | undefined };
  /** What a Scheduler universal target (`arn:aws:scheduler:::aws-sdk:...`) reaches (universal-targets.ts). */
  universal?: UniversalServices;
}

export interface StreamTargets {
  arns: string[];
  /** Puts a record; undefined when it was put, else why not. */
  put(arn: string, data: string, partitionKey: string): string | undefined;
}

export interface StateMachineTargets {
  arns: string[];
  /** Starts an execution; undefined when it started, else why not. */
  start(arn: string, input: string): string | undefined;
}

/** What a target ARN names here, or why it is not delivered to. */
export function targetKind(arn: string, resolver: Pick<TargetResolver, 'functions' | 'queues' | 'topics' | 'stateMachines' | 'streams' | 'apis' | 'apiDestinations' | 'eventBuses' | 'universal'>): { kind: 'lambda' | 'sqs' | 'sns' | 'states' | 'kinesis' | 'execute-api' | 'api-destination' | 'event-bus' | 'universal'; name: string } | { kind: 'not-emulated'; why: string } {
  const universal = universalTarget(arn);
  if (universal && resolver.universal) {
    return UNIVERSAL_SERVICES.includes(universal.service) ? { kind: 'universal', name: `aws-sdk:${universal.service}:${universal.action}` } : { kind: 'not-emulated', why: `aws-sdk:${universal.service} universal targets are not served locally` };
  }
  const bus = /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(arn)?.[1];
  if (bus !== undefined && resolver.eventBuses) {
    return resolver.eventBuses.names.includes(bus) ? { kind: 'event-bus', name: bus } : { kind: 'not-emulated', why: "an event bus that is not one of the template's" };
  }
  if (/^arn:[^:]+:events:[^:]*:[^:]*:api-destination\//.test(arn) && resolver.apiDestinations) {
    const destination = resolver.apiDestinations.destinations.find((d) => d.arn === arn);
    return destination ? { kind: 'api-destination', name: destination.logicalId } : { kind: 'not-emulated', why: "an API destination that is not one of the template's" };
  }
  const api = parseExecuteApiArn(arn);
  if (api && resolver.apis) {
    return resolver.apis.ids.includes(api.apiId) ? { kind: 'execute-api', name: `${api.method} /${api.stage}${api.path === '/' ? '' : api.path}` } : { kind: 'not-emulated', why: "an API that is not one of the template's REST APIs" };
  }
  if (/^arn:[^:]+:sns:/.test(arn) && resolver.topics) {
    return resolver.topics.arns.includes(arn) ? { kind: 'sns', name: arn.split(':').pop() ?? arn } : { kind: 'not-emulated', why: "a topic that is not one of the template's" };
  }
  if (/^arn:[^:]+:states:/.test(arn) && resolver.stateMachines) {
    return resolver.stateMachines.arns.includes(arn) ? { kind: 'states', name: arn.split(':').pop() ?? arn } : { kind: 'not-emulated', why: "a state machine that is not one of the template's" };
  }
  if (/^arn:[^:]+:kinesis:/.test(arn) && resolver.streams) {
    return resolver.streams.arns.includes(arn) ? { kind: 'kinesis', name: arn.split('/').pop() ?? arn } : { kind: 'not-emulated', why: "a stream that is not one of the template's" };
  }
  const fnName = functionNameInArn(arn);
  if (fnName !== undefined) {
    const fn = resolver.functions.find((f) => f.name === fnName);
    return fn ? { kind: 'lambda', name: fn.logicalId } : { kind: 'not-emulated', why: 'a function that is not one of the template\'s' };
  }
  if (/^arn:[^:]+:sqs:/.test(arn)) {
    const queue = resolver.queues.find((q) => q.arn === arn);
    return queue ? { kind: 'sqs', name: queue.name } : { kind: 'not-emulated', why: 'a queue that is not one of the template\'s' };
  }
  const service = /^arn:[^:]+:([^:]+):/.exec(arn)?.[1] ?? 'unknown';
  // The ARN of a resource the emulator does not create (template/stack.ts), not a service's.
  if (service === 'emulator-fake') return { kind: 'not-emulated', why: `${arn.split(':').pop() ?? arn} is a resource not created locally` };
  return { kind: 'not-emulated', why: `${service} targets are not emulated` };
}

/** The bus's deliver callback: each delivery runs on its own, its outcome reported when done. */
export function deliverer(resolver: TargetResolver, onDelivery: (report: DeliveryReport) => void): (delivery: Delivery) => void {
  const tokens = new OAuthTokens(resolver.apiDestinations?.now);
  return ({ rule, target, event, input, via }) => {
    const base = { ...(via ? { via } : {}), rule: rule.id, targetId: target.id, eventId: event.id };
    const kind = targetKind(target.arn, resolver);
    if (kind.kind === 'not-emulated') {
      onDelivery({ ...base, target: target.arn, kind: 'not-emulated', outcome: 'not-delivered', detail: kind.why });
      return;
    }
    const run =
      kind.kind === 'lambda'
        ? invokeFunction(resolver, kind.name, input)
        : kind.kind === 'sns'
          ? publishToTopic(resolver, target.arn, input)
          : kind.kind === 'states'
            ? Promise.resolve(resolver.stateMachines!.start(target.arn, input))
            : kind.kind === 'kinesis'
              ? Promise.resolve(resolver.streams!.put(target.arn, input, partitionKey(target.partitionKeyPath, event)))
              : kind.kind === 'execute-api'
                ? invokeApiTarget(target.arn, target.httpParameters, target.roleArn !== undefined, event, input, resolver.apis!)
                : kind.kind === 'universal'
                  ? callUniversalTarget(target.arn, input, resolver.universal!)
                : kind.kind === 'event-bus'
                  ? Promise.resolve(resolver.eventBuses!.forward(kind.name, event))
                : kind.kind === 'api-destination'
                  ? invokeApiDestination(resolver.apiDestinations!.destinations.find((d) => d.logicalId === kind.name)!, target.httpParameters, event, input, resolver.apiDestinations!, tokens)
                  : sendToQueue(resolver, kind.name, target.messageGroupId, event.id, input);
    run.then(
      (detail) => onDelivery({ ...base, target: kind.name, kind: kind.kind, outcome: detail === undefined ? 'ok' : 'error', ...(detail === undefined ? {} : { detail }) }),
      (error: unknown) => onDelivery({ ...base, target: kind.name, kind: kind.kind, outcome: 'error', detail: (error as Error).message }),
    );
  };
}

/** A Kinesis target's partition key: the value at KinesisParameters.PartitionKeyPath, else the event's id. */
function partitionKey(path: string | undefined, event: { id: string }): string {
  const value = path === undefined ? undefined : valueAtPath(event, path);
  return value === undefined || value === null ? event.id : typeof value === 'string' ? value : JSON.stringify(value);
}

/** Lambda's asynchronous invocation with the target input as the event; undefined when the function succeeded. */
export async function invokeFunction(resolver: TargetResolver, logicalId: string, input: string): Promise<string | undefined> {
  const fn = resolver.functions.find((f) => f.logicalId === logicalId)!;
  let event: unknown;
  try {
    event = JSON.parse(input);
  } catch {
    // Lambda refuses an event that is not JSON (InvalidRequestContentException): an InputTransformer's plain text.
    return 'the target input is not JSON, which Lambda refuses (InvalidRequestContentException)';
  }
  if (resolver.asyncInvocations && fn.arn) {
    const first = await resolver.asyncInvocations.invoke({ arn: fn.arn, ...(fn.async ? { async: fn.async } : {}), invoke: (e, requestId) => fn.invoke(e, requestId) }, event, (later) => resolver.log?.(`Lambda async ${fn.logicalId}: ${attemptText(later)}`));
    return first.outcome.kind === 'ok' ? undefined : attemptText(first);
  }
  const outcome = await fn.invoke(event);
  if (outcome.kind === 'ok') return undefined;
  return outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'the function did not answer in time';
}

/** The input as an SQS message on the embedded SQS (with the attributes of a raw SNS delivery); undefined when it was sent. */
export async function sendToQueue(resolver: TargetResolver, name: string, groupId: string | undefined, deduplicationId: string, input: string, attributes?: Record<string, unknown>): Promise<string | undefined> {
  const queue = resolver.queues.find((q) => q.name === name)!;
  if (!resolver.sqs) return 'the embedded SQS is not running';
  const fifo = name.endsWith('.fifo');
  await resolver.sqs.call('SendMessage', { QueueUrl: queue.url, MessageBody: input, ...(attributes ? { MessageAttributes: attributes } : {}), ...(fifo ? { MessageGroupId: groupId ?? deduplicationId, MessageDeduplicationId: deduplicationId } : {}) });
  return undefined;
}

/** The input published to a topic of the embedded SNS (as EventBridge's SNS target does); undefined when it was. */
export async function publishToTopic(resolver: TargetResolver, topicArn: string, input: string, subject?: string): Promise<string | undefined> {
  resolver.topics!.publish({ TopicArn: topicArn, Message: input, ...(subject ? { Subject: subject } : {}) });
  return undefined;
}

/** One delivery as a log line. */
export function deliveryLine(r: DeliveryReport): string {
  return `${r.via === 'sns' ? 'SNS' : r.via === 's3' ? 'S3' : r.via === 'scheduler' ? 'Scheduler' : 'EventBridge'} ${r.rule} -> ${r.target} (${r.kind === 'not-emulated' ? 'not emulated' : r.kind}): ${r.outcome}${r.detail ? ` (${r.detail})` : ''}`;
}
