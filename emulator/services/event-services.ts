/**
 * The embedded services that deliver to functions, started in the order their targets need (SNS before EventBridge,
 * whose rules may target a topic; Step Functions and Kinesis after, bound late to the rules that target them), with
 * Lambda's asynchronous invocation for their deliveries, the Lambda Invoke API for functions that invoke functions,
 * and the EventBridge pipes' runners. Fills `services` with their URLs (the functions' AWS_ENDPOINT_URL_<SERVICE>).
 */
import type { LoadedTemplate } from '../template/model.js';
import { AsyncInvocations, embeddedSinks, systemScheduler, type AsyncScheduler, type EmbeddedSinkDeps } from './async-invoke.js';
import type { LambdaInvoker } from '../lambda/types.js';
import { randomUUID } from 'node:crypto';
import type { DynamoDbTarget } from './dynamodb.js';
import type { StreamBatchReport } from './dynamodb-streams/event-source.js';
import type { DeliveryReport } from './eventbridge/targets.js';
import { invokeApiDestination, OAuthTokens } from './eventbridge/api-destination.js';
import { invokeApiTarget } from './eventbridge/api-target.js';
import { kinesisTargets, startKinesisStreams } from './kinesis/start.js';
import type { KinesisStreams } from './kinesis/streams.js';
import { functionNameOf, functionNamed, startLambdaApi } from './lambda-api.js';
import { startBuckets, startEventBuses, startTopics, type StackInvoker } from './local-events.js';
import { embeddedPipeServices, functionsByArn, pipeAwareInvoker, pipeRunners, withPipeSources } from './pipes/start.js';
import type { PipeRunner } from './pipes/runner.js';
import type { LocalCredentials } from './sigv4.js';
import { sqsClient } from './sqs/client.js';
import type { BatchReport } from './sqs/event-source.js';
import type { ExecutionReport } from './stepfunctions/executions.js';
import { stateMachineTargets, startStateMachines } from './stepfunctions/start.js';
import { SsmParameters } from './ssm/parameters.js';
import { startSsm } from './ssm/server.js';

/** The services' URLs and the functions' environment, filled as each starts. */
export interface EventServiceEndpoints {
  dynamodb: DynamoDbTarget;
  environment: Record<string, string>;
  sqsUrl?: string;
  snsUrl?: string;
  eventBridgeUrl?: string;
  s3Url?: string;
  sfnUrl?: string;
  kinesisUrl?: string;
  ssmUrl?: string;
}

export interface EventServicesInput {
  stacks: { path: string; template: LoadedTemplate }[];
  /** The stacks' invokers, once their functions are linked (no delivery comes before). */
  invokers: Promise<StackInvoker[]>;
  services: EventServiceEndpoints;
  sqsUrl: string;
  credentials: LocalCredentials;
  region: string;
  accountId: string;
  /** Each template API's local origin by API id, filled as each listens (later): Step Functions' apigateway:invoke tasks read it. */
  localApis?: ReadonlyMap<string, string>;
  /** A deployed URL of the template's APIs made local (the app's localApiUrls): an API destination may name one. */
  localUrl?: (url: string) => string;
  /** eventSources false: the Kinesis event sources are not run (`invoke` runs only the function asked for). */
  options: { log?: (line: string) => void; scheduler?: AsyncScheduler; eventSources?: boolean; onQueueBatch?: (r: BatchReport) => void; onStreamBatch?: (r: StreamBatchReport) => void; onEventDelivery?: (r: DeliveryReport) => void; onExecution?: (r: ExecutionReport) => void };
  closers: (() => Promise<void>)[];
}

export interface EventServices {
  /** Each function's asynchronous settings, and the destinations nothing is sent to. */
  asyncNotes: string[];
  topicNotes: string[];
  eventNotes: string[];
  bucketNotes: string[];
  /** The buckets the embedded S3 did not create, by name, with S3's error: their resources are not emulated. */
  refusedBuckets: ReadonlyMap<string, string>;
  stateMachineNotes: string[];
  kinesisNotes: string[];
  /** The template's SSM parameters in the embedded Parameter Store, one line each. */
  ssmNotes: string[];
  /** The pipes' runners, by their pollers' function id (services/pipes/start.ts). */
  runners: Map<string, PipeRunner>;
  kinesisStreams?: KinesisStreams;
  /** Lambda's asynchronous invocation, for the APIs' Event-type Lambda integrations (withAsyncInvocations). */
  asyncInvocations: AsyncInvocations;
}

/** A destination's kind, or why nothing is sent to it (not one of the template's, a kind not served). */
function destinationKind(arn: string, stacks: { template: LoadedTemplate }[]): string {
  const templates = stacks.map((s) => s.template);
  const service = /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
  const name = arn.split(/[:/]/).pop() ?? '';
  const found =
    service === 'sqs' ? templates.some((t) => (t.queues ?? []).some((q) => q.name === name))
    : service === 'sns' ? templates.some((t) => (t.topics ?? []).some((q) => q.arn === arn))
    : service === 'lambda' ? templates.some((t) => [...t.functions.values()].some((f) => f.functionName === name))
    : service === 'events' ? name === 'default' || templates.some((t) => (t.eventBuses ?? []).includes(name))
    : undefined;
  if (found === undefined) return `NOT SENT: ${service ?? 'unknown'} destinations are not served locally`;
  return found ? ({ sqs: 'queue', sns: 'topic', lambda: 'function', events: 'event bus' } as Record<string, string>)[service!]! : `NOT SENT: not one of the template's`;
}

/** The report's lines for the functions with asynchronous invocation settings. */
function asyncNotes(stacks: { path: string; template: LoadedTemplate }[]): string[] {
  return stacks.flatMap(({ path, template }) =>
    [...template.functions.values()].flatMap((fn) => {
      const a = fn.asyncInvoke;
      if (!a) return [];
      const where = (label: string, arn: string | undefined) => (arn ? [`${label} ${arn} (${destinationKind(arn, stacks)})`] : []);
      const parts = [`${a.maximumRetryAttempts} retries`, `events kept ${a.maximumEventAgeSeconds} s`, ...where('OnSuccess', a.onSuccess), ...where('OnFailure', a.onFailure), ...where('dead-letter', a.deadLetter)];
      return [`${path}${fn.logicalId}: ${parts.join(', ')}`];
    }),
  );
}

/** Starts SNS, EventBridge, the Lambda Invoke API, S3, Step Functions and Kinesis, and builds the pipes' runners. */
export async function startEventServices(input: EventServicesInput): Promise<EventServices> {
  const { stacks, invokers, services, sqsUrl, credentials, region, accountId, localApis, localUrl, options, closers } = input;
  const log = options.log ?? ((line: string) => console.error(line));
  // Lambda's asynchronous invocations of the deliveries below: retries, destinations and dead letters on the embedded services.
  const sinkDeps: EmbeddedSinkDeps = { queueUrl: (arn) => `${sqsUrl}/${accountId}/${arn.split(':').pop() ?? ''}` };
  const earlySqs = sqsClient(sqsUrl, credentials, region);
  sinkDeps.sendMessage = (input) => earlySqs.call('SendMessage', input);
  const asyncInvocations = new AsyncInvocations(options.scheduler ?? systemScheduler, embeddedSinks(sinkDeps), log);
  closers.push(async () => asyncInvocations.close());
  const eventOptions = { ...options, asyncInvocations };
  // SNS first: an EventBridge rule may target one of its topics.
  const sns = await startTopics(stacks, invokers, services, credentials, eventOptions, closers);
  sinkDeps.topics = sns.topics;
  services.environment.AWS_ENDPOINT_URL_SNS = sns.url;
  services.snsUrl = sns.url;
  const machineTargets = stateMachineTargets(stacks);
  const streamTargets = kinesisTargets(stacks);
  // The APIs are known now and listen later: a rule's API Gateway target reads the origin at delivery time. Its
  // HttpParameters are "for API Gateway REST APIs" (EventBridge API Reference): REST APIs only.
  const apiIds = stacks.flatMap(({ template }) => template.apis.map((a) => a.restApiId));
  const apis = localApis ? { ids: apiIds, origin: (apiId: string) => localApis.get(apiId), credentials, region } : undefined;
  // API destinations are called for real; one naming a template's API by its execute-api URL reaches the local one.
  const destinations = stacks.flatMap(({ template }) => template.apiDestinations ?? []);
  const apiDestinations = destinations.length > 0 ? { destinations, ...(localUrl ? { localUrl } : {}) } : undefined;
  const pipeTokens = new OAuthTokens();
  const events = await startEventBuses(stacks, invokers, services, credentials, eventOptions, closers, sns.topics, machineTargets.targets, streamTargets.targets, apis, apiDestinations);
  sinkDeps.bus = events.bus;
  const byName = functionNamed(stacks, invokers);
  // A function destination is invoked asynchronously: the record is handed over, not waited for.
  sinkDeps.invokeFunction = (arn, event) => {
    const fn = byName(functionNameOf(arn));
    fn?.invoke(event, randomUUID()).catch(() => undefined);
    return fn !== undefined;
  };
  services.environment.AWS_ENDPOINT_URL_EVENTBRIDGE = events.url;
  services.environment.AWS_ENDPOINT_URL_SCHEDULER = events.schedulerUrl;
  services.eventBridgeUrl = events.url;
  // Functions invoking functions through the SDK (sam local start-lambda's Invoke API), with the deliveries' async semantics.
  const lambdaApi = await startLambdaApi(functionNamed(stacks, invokers), { credentials, region, accountId, asyncInvocations, ...(options.log ? { log: options.log } : {}) });
  closers.push(() => lambdaApi.close());
  services.environment.AWS_ENDPOINT_URL_LAMBDA = lambdaApi.url;
  const s3 = await startBuckets(stacks, invokers, services, credentials, eventOptions, closers, { topics: sns.topics, bus: events.bus });
  services.environment.AWS_ENDPOINT_URL_S3 = s3.url;
  services.s3Url = s3.url;
  const sfn = await startStateMachines(stacks, invokers, { dynamodb: services.dynamodb, sqsUrl, s3Url: s3.url, credentials, topics: sns.topics, bus: events.bus, ...(localApis ? { localApis } : {}), ...(localUrl ? { localUrl } : {}) }, { ...(options.log ? { log: options.log } : {}), ...(options.onExecution ? { onExecution: options.onExecution } : {}) }, closers);
  if (sfn.url && sfn.service) {
    services.environment.AWS_ENDPOINT_URL_SFN = sfn.url;
    services.sfnUrl = sfn.url;
    machineTargets.bind(sfn.service);
  }
  // EventBridge pipes: their sources become event sources the pollers below run, their "function" the pipe.
  const sfnService = sfn.service;
  let kinesisStreams: KinesisStreams | undefined;
  const runners = pipeRunners(stacks, embeddedPipeServices({
    invokeFunction: functionsByArn(stacks, invokers),
    sqs: { call: (action, input) => earlySqs.call(action, input), queueUrl: (arn) => `${sqsUrl}/${accountId}/${arn.split(':').pop() ?? ''}` },
    topics: sns.topics,
    bus: events.bus,
    stepFunctions: () => sfnService,
    kinesis: () => kinesisStreams,
    callApiDestination: (arn, parameters, event, input) => {
      const destination = destinations.find((d) => d.arn === arn);
      if (!destination) return Promise.resolve("an API destination that is not one of the template's");
      return invokeApiDestination(destination, parameters, event, input, apiDestinations ?? { destinations }, pipeTokens);
    },
    // A pipe's API Gateway target is one of the template's REST APIs, called unsigned (Pipes signs with its role: not checked here).
    callApi: (arn, parameters, event, input) => (apis ? invokeApiTarget(arn, parameters, false, event, input, apis) : Promise.resolve('no API of the template is served')),
  }));
  const piped = withPipeSources(stacks);
  const pipeAware = invokers.then((list) => list.map((s) => ({ ...s, invoker: pipeAwareInvoker(s.invoker, runners) })));
  const kinesis = await startKinesisStreams(piped, pipeAware, credentials, { ...(options.log ? { log: options.log } : {}), ...(options.eventSources === false ? { eventSources: false } : {}), ...(options.onStreamBatch ? { onStreamBatch: options.onStreamBatch } : {}) }, closers);
  if (kinesis.url) {
    services.environment.AWS_ENDPOINT_URL_KINESIS = kinesis.url;
    // The Java SDK speaks CBOR to Kinesis unless told not to; the embedded Kinesis speaks JSON.
    services.environment.AWS_CBOR_DISABLE = 'true';
    services.kinesisUrl = kinesis.url;
    if (kinesis.streams) streamTargets.bind(kinesis.streams);
    kinesisStreams = kinesis.streams;
  }
  // Parameter Store: the stacks' AWS::SSM::Parameter resources, and whatever a function or the user puts there.
  const ssmSpecs = stacks.flatMap(({ template }) => template.ssmParameters ?? []);
  const ssm = await startSsm(new SsmParameters(ssmSpecs, { region, accountId, now: Date.now }), { credentials, log });
  closers.push(() => ssm.close());
  services.environment.AWS_ENDPOINT_URL_SSM = ssm.url;
  services.ssmUrl = ssm.url;
  const ssmNotes = ssmSpecs.map((p) => `${p.logicalId}: ${p.name} (${p.type})`);
  return { asyncInvocations, ssmNotes, asyncNotes: asyncNotes(stacks), topicNotes: sns.notes, eventNotes: events.notes, bucketNotes: s3.notes, refusedBuckets: s3.refused, stateMachineNotes: sfn.notes, kinesisNotes: kinesis.notes, runners, ...(kinesisStreams ? { kinesisStreams } : {}) };
}

/**
 * A stack's invoker whose Event invocations (API Gateway's `X-Amz-Invocation-Type: Event`) are Lambda's asynchronous
 * ones: retried, and sent to destinations and dead-letter queues as the function's settings say, each attempt that
 * fails logged as the Invoke API logs it.
 */
export function withAsyncInvocations(invoker: LambdaInvoker, template: LoadedTemplate, asyncInvocations: AsyncInvocations): LambdaInvoker {
  return {
    invoke: (id, event, options) => invoker.invoke(id, event, options),
    invokeEvent: (id, event, options) => {
      const fn = template.functions.get(id);
      if (!fn) return void invoker.invoke(id, event, options).catch(() => undefined);
      const target = { arn: fn.arn, ...(fn.asyncInvoke ? { async: fn.asyncInvoke } : {}), invoke: (e: unknown, requestId: string) => invoker.invoke(id, e, { ...options, requestId }) };
      asyncInvocations.queue(target, event, fn.functionName);
    },
  };
}
