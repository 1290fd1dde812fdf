/**
 * The template's event sources, run locally beside its APIs: SQS event source mappings (one poller per mapping on
 * the embedded SQS), EventBridge rules (the embedded event buses) and SNS subscriptions (the embedded topics), the
 * last two delivering to function and queue targets.
 */
import { createHash } from 'node:crypto';
import { systemScheduler, type AsyncInvocations, type AsyncScheduler } from './async-invoke.js';
import { fireSchedulerSchedule, ruleSchedules, runSchedules, schedulerTimings, type RuleSchedule, type Timing } from './eventbridge/schedules.js';
import type { LambdaInvoker } from '../lambda/types.js';
import type { ApiDestinationSpec, EventRuleSpec, EventTargetSpec, LoadedTemplate, SchedulerScheduleSpec } from '../template/model.js';
import { queueSourceProblems } from '../template/queues.js';
import { EventBuses } from './eventbridge/bus.js';
import { startEventBridge } from './eventbridge/server.js';
import { apiTargetProblem, parseExecuteApiArn, type ApiTargets } from './eventbridge/api-target.js';
import type { ApiDestinationCalls } from './eventbridge/api-destination.js';
import { SchedulerApi, startSchedulerApi } from './eventbridge/scheduler-api.js';
import { deliverer, deliveryLine, invokeFunction, publishToTopic, sendToQueue, targetKind, type DeliveryReport, type StateMachineTargets, type StreamTargets, type TargetResolver } from './eventbridge/targets.js';
import type { S3Change } from './s3/operations.js';
import { notificationMatches, overlappingNotifications, raisedLocally, s3BusEvent, s3EventRecord } from './s3/notifications.js';
import { startS3 } from './s3/server.js';
import { callDynamoDb, type DynamoDbTarget } from './dynamodb.js';
import type { StreamRecord, StreamTable } from './dynamodb-streams/capture.js';
import { StreamPoller, streamBatchLine, type StreamBatchReport } from './dynamodb-streams/event-source.js';
import { STREAM_ARN, streamSourceProblems } from '../template/streams.js';
import { startSns } from './sns/server.js';
import { SnsTopics } from './sns/topics.js';
import type { LocalCredentials } from './sigv4.js';
import { sqsClient } from './sqs/client.js';
import { SqsError } from './sqs/errors.js';
import type { SqsServer } from './sqs/server.js';
import { patternProblems } from './event-patterns.js';
import { batchLine, filterCriteriaProblems, QueuePoller, type BatchReport } from './sqs/event-source.js';

const KIND_NAMES = { lambda: 'function', sqs: 'queue', sns: 'topic', states: 'state machine', kinesis: 'stream', 'execute-api': 'API Gateway', 'api-destination': 'API destination', 'event-bus': 'event bus', universal: 'Scheduler universal target' } as const;

/** One stack of the template with the invoker of its functions. */
export interface StackInvoker {
  path: string;
  template: LoadedTemplate;
  invoker: LambdaInvoker;
}

export interface EventOptions {
  log?: (line: string) => void;
  /** Lambda's asynchronous invocation for the deliveries (retries, destinations, dead-letter queues). */
  asyncInvocations?: AsyncInvocations;
  onQueueBatch?: (report: BatchReport) => void;
  onStreamBatch?: (report: StreamBatchReport) => void;
  onEventDelivery?: (report: DeliveryReport) => void;
  /** The timers of scheduled rules (the system clock's by default; tests drive their own). */
  scheduler?: AsyncScheduler;
}

/**
 * Every stack's queues in the embedded SQS (one account, one region); a queue SQS would refuse is not created, and
 * said: the report's lines, and the names of the queues not created (no event source can poll them).
 */
export function createTemplateQueues(sqs: SqsServer, stacks: { template: LoadedTemplate }[]): string[] & { uncreated: Set<string> } {
  const refused = Object.assign([] as string[], { uncreated: new Set<string>() });
  for (const queue of stacks.flatMap(({ template }) => template.queues ?? [])) {
    try {
      sqs.store.createQueue(queue);
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      refused.push(`${queue.logicalId} (${queue.name}): not created: ${error.code}: ${error.message}`);
      refused.uncreated.add(queue.name);
    }
  }
  return refused;
}

/**
 * Lambda's SQS event source mappings: one poller per mapping on the embedded SQS, stopped before the services close.
 * Returns the report's lines: each queue, and who polls it.
 */
export function startQueuePollers(stacks: StackInvoker[], services: { sqsUrl?: string }, credentials: LocalCredentials, options: EventOptions, closers: (() => Promise<void>)[], uncreated: ReadonlySet<string> = new Set()): string[] {
  const notes: string[] = [];
  if (!services.sqsUrl) return notes;
  const log = options.log ?? ((line: string) => console.error(line));
  const sqs = sqsClient(services.sqsUrl, credentials, stacks[0]?.template.region ?? 'us-east-1');
  const pollers: QueuePoller[] = [];
  for (const { path, template, invoker } of stacks) {
    const sources = template.queueSources ?? [];
    for (const queue of template.queues ?? []) {
      // Its "not created" line says it; a poller would find no queue and stop at its first receive.
      if (uncreated.has(queue.name)) continue;
      const arn = `arn:aws:sqs:${template.region}:${template.accountId}:${queue.name}`;
      const polled = sources.filter((s) => s.queueArn === arn);
      const by = polled.map((s) => `${path}${s.functionLogicalId}${s.enabled ? '' : ' (Enabled: false, not polled)'}`);
      notes.push(`${path}${queue.logicalId} (${queue.name}): ${by.length > 0 ? `polled by ${by.join(', ')}` : 'no event source polls it'}`);
    }
    for (const source of sources) {
      const name = /^arn:[^:]+:sqs:[^:]*:[^:]*:(.+)$/.exec(source.queueArn)?.[1];
      // Any stack's queue: a nested stack's function may poll its parent's (one account, one SQS).
      const queue = stacks.flatMap((s) => s.template.queues ?? []).find((q) => q.name === name);
      if (!queue) {
        notes.push(`${path}${source.id}: its queue ${source.queueArn} is not one of the template's: not polled`);
        continue;
      }
      if (uncreated.has(queue.name)) {
        notes.push(`${path}${source.id}: not polled: its queue ${queue.logicalId} (${queue.name}) was not created`);
        continue;
      }
      const fn = template.functions.get(source.functionLogicalId);
      // A function that cannot run here would take each message in flight and fail it, to its dead-letter queue.
      if (fn?.unavailable) {
        notes.push(`${path}${source.id}: not polled: its function ${source.functionLogicalId} cannot run here (${fn.unavailable})`);
        continue;
      }
      for (const problem of queueSourceProblems(source, queue, fn)) {
        notes.push(`${path}${source.id}: Lambda would refuse this event source (CloudFormation fails the stack): ${problem}; polled here anyway`);
      }
      for (const problem of source.filterCriteria ? filterCriteriaProblems(source.filterCriteria) : []) notes.push(`${path}${source.id}: FilterCriteria: ${problem}`);
      const poller = new QueuePoller(source, `${services.sqsUrl}/${template.accountId}/${queue.name}`, {
        sqs,
        invoke: (fn, event) => invoker.invoke(fn, event),
        region: template.region,
        log,
        onBatch: options.onQueueBatch ?? ((report) => log(batchLine(report))),
      });
      poller.start();
      pollers.push(poller);
    }
  }
  closers.push(async () => {
    await Promise.all(pollers.map((p) => p.stop()));
  });
  return notes;
}

/**
 * DynamoDB Streams: the embedded DynamoDB records the writes to every stack's tables that have a StreamSpecification,
 * and each stream event source hands them to its function (services/dynamodb-streams/). Returns the report's lines.
 */
export function startStreamPollers(stacks: StackInvoker[], captureStreams: ((tables: StreamTable[], onRecords: (records: StreamRecord[]) => void) => void) | undefined, options: EventOptions, closers: (() => Promise<void>)[], kinesisDestination?: KinesisDestination): string[] {
  const notes: string[] = [];
  const log = options.log ?? ((line: string) => console.error(line));
  const streamArn = (template: LoadedTemplate, table: string) => `arn:aws:dynamodb:${template.region}:${template.accountId}:table/${table}/stream/1970-01-01T00:00:00.000`;
  // A table copied to a Kinesis stream is captured with both images (a Kinesis data stream record has them); its own
  // stream's readers get its view type's.
  const tables: StreamTable[] = stacks.flatMap(({ template }) =>
    template.tables.flatMap((t) => (t.streamViewType || (t.kinesisStreamArn && kinesisDestination) ? [{ tableName: t.tableName, keys: t.keySchema.map((k) => k.AttributeName), viewType: t.kinesisStreamArn && kinesisDestination ? 'NEW_AND_OLD_IMAGES' : t.streamViewType!, streamArn: streamArn(template, t.tableName) }] : [])),
  );
  const views = new Map(stacks.flatMap(({ template }) => template.tables.map((t) => [t.tableName, t] as const)));
  const pollers = new Map<string, StreamPoller[]>();
  for (const { path, template, invoker } of stacks) {
    for (const source of template.streamSources ?? []) {
      const tableName = STREAM_ARN.exec(source.streamArn)?.[1] ?? '';
      const table = tables.find((t) => t.tableName === tableName);
      const fn = template.functions.get(source.functionLogicalId);
      if (!table) {
        notes.push(`${path}${source.id}: ${source.streamArn} is not the stream of a table of the template with a StreamSpecification: not run`);
        continue;
      }
      if (fn?.unavailable) {
        notes.push(`${path}${source.id}: not run: its function ${source.functionLogicalId} cannot run here (${fn.unavailable})`);
        continue;
      }
      if (source.notApplied) notes.push(`${path}${source.id}: ${source.notApplied.join(', ')} not applied`);
      for (const problem of streamSourceProblems(source)) notes.push(`${path}${source.id}: Lambda would refuse this event source (CloudFormation fails the stack): ${problem}; run here anyway`);
      for (const problem of source.filterCriteria ? filterCriteriaProblems(source.filterCriteria) : []) notes.push(`${path}${source.id}: FilterCriteria: ${problem}`);
      const poller = new StreamPoller(source, { invoke: (id, event) => invoker.invoke(id, event), region: template.region, onBatch: options.onStreamBatch ?? ((r) => log(streamBatchLine(r))) });
      pollers.set(tableName, [...(pollers.get(tableName) ?? []), poller]);
    }
  }
  for (const table of tables) {
    const spec = views.get(table.tableName);
    const readers = (pollers.get(table.tableName) ?? []).map((p) => `${p.spec.functionLogicalId}${p.spec.enabled ? '' : ' (Enabled: false, not run)'}`);
    if (spec?.streamViewType) notes.unshift(`${table.tableName}: stream ${spec.streamViewType}, ${readers.length > 0 ? `read by ${readers.join(', ')}` : 'no event source reads it'}`);
    if (spec?.kinesisStreamArn) notes.push(`${table.tableName}: its changes are copied to the Kinesis stream ${spec.kinesisStreamArn}`);
  }
  for (const t of views.values()) if (t.kinesisStreamArn && !kinesisDestination) notes.push(`${t.tableName}: KinesisStreamSpecification: ${t.kinesisStreamArn} is not a stream of the template: its changes are not copied`);
  if (tables.length > 0 && captureStreams) {
    captureStreams(tables, (records) => {
      // One write's records reach each poller together (a BatchWriteItem's are one batch, as on a shard).
      const byTable = new Map<string, StreamRecord[]>();
      for (const r of records) {
        const table = STREAM_ARN.exec(r.streamArn)?.[1] ?? '';
        byTable.set(table, [...(byTable.get(table) ?? []), r]);
      }
      for (const [table, list] of byTable) {
        const spec = views.get(table);
        if (spec?.kinesisStreamArn && kinesisDestination) for (const r of list) kinesisDestination(spec.kinesisStreamArn, kinesisDataRecord(r, spec.tableName, stacks[0]!.template.region));
        const view = spec?.streamViewType;
        if (view) for (const poller of pollers.get(table) ?? []) poller.push(list.map((r) => inView(r, view)));
      }
    });
  }
  closers.push(async () => {
    await Promise.all([...pollers.values()].flat().map((p) => p.stop()));
  });
  return notes;
}

/** Puts one record on a template's Kinesis stream (the table's Kinesis streaming destination). */
export type KinesisDestination = (streamArn: string, record: { data: string; partitionKey: string }) => void;

/** A record as the table's own StreamViewType keeps it (it was captured with both images for Kinesis). */
function inView(record: StreamRecord, view: StreamRecord['dynamodb']['StreamViewType']): StreamRecord {
  if (record.dynamodb.StreamViewType === view) return record;
  const { NewImage, OldImage, ...rest } = record.dynamodb;
  const keep = { ...(view === 'NEW_IMAGE' || view === 'NEW_AND_OLD_IMAGES' ? (NewImage ? { NewImage } : {}) : {}), ...(view === 'OLD_IMAGE' || view === 'NEW_AND_OLD_IMAGES' ? (OldImage ? { OldImage } : {}) : {}) };
  return { ...record, dynamodb: { ...rest, ...keep, StreamViewType: view } };
}

/**
 * A change as Kinesis Data Streams for DynamoDB writes it (DynamoDB Developer Guide, "Kinesis Data Streams for
 * DynamoDB"): JSON with the table's name, both images and the approximate creation time in milliseconds.
 */
function kinesisDataRecord(record: StreamRecord, tableName: string, region: string): { data: string; partitionKey: string } {
  const { NewImage, OldImage, Keys, SizeBytes, ApproximateCreationDateTime } = record.dynamodb;
  const data = {
    awsRegion: region,
    eventID: record.eventID,
    eventName: record.eventName,
    userIdentity: null,
    recordFormat: 'application/json',
    tableName,
    dynamodb: { ApproximateCreationDateTime: ApproximateCreationDateTime * 1000, Keys, ...(NewImage ? { NewImage } : {}), ...(OldImage ? { OldImage } : {}), SizeBytes, ApproximateCreationDateTimePrecision: 'MILLISECOND' },
    eventSource: 'aws:dynamodb',
  };
  // Kinesis places the records of one item together: its key is the partition key.
  return { data: JSON.stringify(data), partitionKey: createHash('md5').update(JSON.stringify(Keys)).digest('hex').toUpperCase() };
}

/**
 * The embedded event buses with every stack's rules, on a loopback port of their own (their URL is the functions'
 * AWS_ENDPOINT_URL_EVENTBRIDGE). Deliveries wait for the stacks' invokers, which exist once the functions are linked.
 * Returns the report's lines: each rule, where it delivers, and what it does not.
 */
export async function startEventBuses(stacks: { path: string; template: LoadedTemplate }[], invokers: Promise<StackInvoker[]>, services: { sqsUrl?: string; dynamodb?: DynamoDbTarget }, credentials: LocalCredentials, options: EventOptions, closers: (() => Promise<void>)[], topics?: SnsTopics, stateMachines?: StateMachineTargets, streams?: StreamTargets, apis?: ApiTargets, apiDestinations?: ApiDestinationCalls): Promise<{ url: string; schedulerUrl: string; notes: string[]; bus: EventBuses }> {
  const root = stacks[0]!.template;
  const rules = stacks.flatMap(({ template }) => template.eventRules ?? []);
  const buses = stacks.flatMap(({ template }) => template.eventBuses ?? []);
  const log = options.log ?? ((line: string) => console.error(line));
  const resolver: TargetResolver = { ...targetResolver(stacks, invokers, services, credentials, options), ...(topics ? { topics: { arns: topics.list().map((t) => t.arn), publish: (input) => topics.publish(input) } } : {}), ...(stateMachines ? { stateMachines } : {}), ...(streams ? { streams } : {}), ...(apis ? { apis } : {}), ...(apiDestinations ? { apiDestinations } : {}) };
  const deliver = deliverer(resolver, options.onEventDelivery ?? ((report) => log(deliveryLine(report))));
  const bus = new EventBuses(rules, buses, { region: root.region, accountId: root.accountId, deliver, log });
  resolver.eventBuses = { names: bus.names(), forward: (name, event) => bus.forward(name, event) };
  const dynamodb = services.dynamodb;
  resolver.universal = {
    ...(resolver.sqs ? { sqs: resolver.sqs } : {}),
    ...(resolver.topics ? { topics: resolver.topics } : {}),
    ...(stateMachines ? { stateMachines } : {}),
    functions: resolver.functions,
    bus: () => bus,
    ...(dynamodb ? { dynamodb: async (action: string, body: string) => { const res = await callDynamoDb(dynamodb, action, body); return { ok: res.ok, text: await res.text() }; } } : {}),
  };
  const server = await startEventBridge(bus, { credentials });
  closers.push(() => server.close());
  // Rules and schedules are created now: a rule's rate counts from here, a Scheduler rate fires here first.
  const scheduler = options.scheduler ?? systemScheduler;
  const created = scheduler.now();
  const schedules = ruleSchedules(rules, created);
  const running = runSchedules(schedules, (rule) => rule.enabled && rule.targets.length > 0, scheduler, (rule, at) => bus.fireScheduled(rule, at), created);
  closers.push(async () => running.stop());
  // EventBridge Scheduler's schedules share the buses' deliveries (their targets are the same kinds).
  const timings = schedulerTimings(stacks.flatMap(({ template }) => template.schedulerSchedules ?? []), created);
  const context = { region: root.region, accountId: root.accountId, bus, deliver };
  const known = new Set(['default', ...buses]);
  const s3Buckets = new Set(stacks.flatMap(({ template }) => (template.buckets ?? []).filter((b) => b.eventBridge).map((b) => b.name)));
  // The template's schedules run in the Scheduler API, which a function's calls reach (CreateSchedule, UpdateSchedule...).
  const groups = stacks.flatMap(({ template }) => [...(template.schedulerGroups ?? []), ...(template.schedulerSchedules ?? []).map((s) => s.group)]);
  const api = new SchedulerApi({ region: root.region, accountId: root.accountId, scheduler, groups, fire: (spec, at) => fireSchedulerSchedule(spec, at, context), template: { timings, created } });
  closers.push(async () => api.close()); // its timers run from here, before its port listens
  const scheduleNotes = timings.flatMap((t) => {
    const runner = api.notStarted.get(t.subject);
    return runner ? [`${t.subject.id} (EventBridge Scheduler, group ${t.subject.group}): not run: ${runner.id} is the schedule named ${t.subject.name} in that group`] : schedulerNotes(t, resolver, known, created - 1);
  });
  const notes = [...rules.flatMap((rule) => ruleNotes(rule, known, resolver, s3Buckets.size > 0, schedules.find((s) => s.subject === rule), created)), ...scheduleNotes];
  const schedulerApi = await startSchedulerApi(api, { credentials });
  closers.push(() => schedulerApi.close());
  return { url: server.url, schedulerUrl: schedulerApi.url, notes, bus };
}

/** One Scheduler schedule's report lines: where it delivers, when it fires, what is not applied. */
function schedulerNotes(timing: Timing<SchedulerScheduleSpec>, resolver: TargetResolver, buses: Set<string>, now: number): string[] {
  const spec = timing.subject;
  const where = `${spec.id} (EventBridge Scheduler, group ${spec.group})`;
  const bus = /:event-bus\/(.+)$/.exec(spec.target.arn)?.[1];
  const kind = targetKind(spec.target.arn, resolver);
  const target = bus ? (buses.has(bus) ? `event bus ${bus} (PutEvents)` : `${spec.target.arn} NOT DELIVERED (not one of the template's buses)`) : kind.kind === 'not-emulated' ? `${spec.target.arn} NOT DELIVERED (${kind.why})` : `${kind.name} (${KIND_NAMES[kind.kind]})`;
  if (!spec.enabled) return [`${where}: disabled (State), never fires`];
  const lines = [`${where}: delivers to ${target}`];
  if ('problem' in timing) lines.push(`${spec.id}: ${timing.problem}: it never fires here`);
  else {
    const next = timing.schedule.next(now);
    lines.push(`${spec.id}: ${spec.expression}: fires ${timing.schedule.describe}${next === undefined ? ', never again' : `, next at ${new Date(next).toISOString()}`}${spec.target.input === undefined && !bus ? " (Scheduler's default notification)" : ''}`);
  }
  if (spec.notApplied) lines.push(`${spec.id}: ${spec.notApplied.join(', ')} not applied`);
  return lines;
}

/** One rule's report lines: where it delivers, when it fires, and why it would not fire or deliver as on AWS. */
function ruleNotes(rule: EventRuleSpec, buses: Set<string>, resolver: TargetResolver, s3Events: boolean, scheduled: RuleSchedule | undefined, now: number): string[] {
  const where = `${rule.id} (bus ${rule.bus})`;
  if (!rule.pattern && !scheduled) return [`${where}: no EventPattern: matches nothing`];
  if (!rule.enabled) return [`${where}: disabled (State), ${rule.pattern ? 'matches nothing' : 'never fires'}`];
  const targets = rule.targets.map((t) => {
    const kind = targetKind(t.arn, resolver);
    return kind.kind === 'not-emulated' ? `${t.id} NOT DELIVERED (${kind.why})` : `${kind.name} (${KIND_NAMES[kind.kind]})`;
  });
  const lines = [`${where}: delivers to ${targets.length > 0 ? targets.join(', ') : 'no target'}`];
  const also = (text: string) => lines.push(`${rule.id}: ${text}`);
  if (scheduled && 'problem' in scheduled) also(`${scheduled.problem}: its schedule never fires here`);
  if (scheduled && 'schedule' in scheduled) {
    const next = scheduled.schedule.next(now);
    also(`ScheduleExpression ${scheduled.schedule.expression}: fires ${scheduled.schedule.describe}${next === undefined ? ', never again' : `, next at ${new Date(next).toISOString()}`} (a Scheduled Event from aws.events)`);
  }
  for (const target of rule.targets) {
    if (target.notApplied) also(`target ${target.id}: ${target.notApplied.join(' and ')} not applied (a failed delivery is logged, not retried nor dead-lettered)`);
    const queue = targetKind(target.arn, resolver);
    const api = queue.kind === 'execute-api' ? parseExecuteApiArn(target.arn) : undefined;
    const apiProblem = api && apiTargetProblem(api, target.httpParameters);
    if (apiProblem) also(`target ${target.id}: ${apiProblem}: EventBridge refuses the target; every delivery fails here`);
    if (queue.kind === 'event-bus' && (target.input !== undefined || target.inputPath !== undefined || target.inputTransformer)) also(`target ${target.id}: Input, InputPath and InputTransformer not applied (the event bus gets the event itself)`);
    if (queue.kind === 'api-destination') lines.push(...apiDestinationNotes(rule.id, target, resolver.apiDestinations!.destinations.find((d) => d.logicalId === queue.name)!));
    if (queue.kind === 'sqs' && queue.name.endsWith('.fifo') && !target.messageGroupId) also(`target ${target.id}: a FIFO queue needs SqsParameters.MessageGroupId (EventBridge refuses the target); the event id is used here`);
  }
  if (!rule.pattern) return lines;
  if (!buses.has(rule.bus)) also(`its bus ${rule.bus} is not one of the template's: PutEvents to it is refused (ResourceNotFoundException), so the rule never fires here`);
  const sources = rule.pattern.source;
  // The embedded S3 sends aws.s3 events for the buckets with EventBridge notifications on; no other AWS service does here.
  const served = (v: unknown): boolean => v === 'aws.s3' && s3Events && rule.bus === 'default';
  if (Array.isArray(sources) && sources.length > 0 && sources.every((v) => typeof v === 'string' && v.startsWith('aws.') && !served(v))) {
    also(`matches only events of AWS services (source ${sources.join(', ')}), which no local PutEvents may send: it never fires here`);
  }
  for (const problem of patternProblems(rule.pattern)) also(`EventPattern: ${problem}`);
  return lines;
}

/** What a rule's API destination target calls, and what of it is not as on AWS. */
function apiDestinationNotes(ruleId: string, target: EventTargetSpec, destination: ApiDestinationSpec): string[] {
  const where = `${ruleId}: target ${target.id}`;
  if (destination.problem) return [`${where}: ${destination.logicalId} ${destination.problem}: every delivery fails here`];
  const lines = [`${where}: calls ${destination.method} ${destination.endpoint} (${destination.connection!.authorization.type} authorization; for real, outside this machine unless it names a local API)`];
  if (!/^https:/i.test(destination.endpoint)) lines.push(`${where}: EventBridge calls HTTPS endpoints only; this one is called as written`);
  if (destination.rateLimitPerSecond !== undefined) lines.push(`${where}: InvocationRateLimitPerSecond ${destination.rateLimitPerSecond} not applied (every event is sent at once)`);
  return lines;
}

/** At most this many characters of an unsent message are shown (links with task tokens run to a few hundred). */
const UNSENT_SHOWN = 4096;

/** A message no subscription of its protocol receives here, as one log line: Subject and text, JSON-quoted. */
function unsentMessage(message: string, subject: string | undefined): string {
  const text = message.length > UNSENT_SHOWN ? `${message.slice(0, UNSENT_SHOWN)}…` : message;
  return `${subject === undefined ? '' : `Subject ${JSON.stringify(subject)}, `}message ${JSON.stringify(text)}`;
}

/**
 * The embedded SNS with every stack's topics and subscriptions, on a loopback port of its own (the functions'
 * AWS_ENDPOINT_URL_SNS). Function subscriptions are invoked asynchronously, queue subscriptions get SNS's envelope
 * (or the raw message) on the embedded SQS; other protocols (email, http, sms...) are reported and skipped.
 */
export async function startTopics(stacks: { path: string; template: LoadedTemplate }[], invokers: Promise<StackInvoker[]>, services: { sqsUrl?: string }, credentials: LocalCredentials, options: EventOptions, closers: (() => Promise<void>)[]): Promise<{ url: string; notes: string[]; topics: SnsTopics }> {
  const root = stacks[0]!.template;
  const topicList = stacks.flatMap(({ template }) => template.topics ?? []);
  const subscriptions = stacks.flatMap(({ template }) => template.subscriptions ?? []);
  const resolver = targetResolver(stacks, invokers, services, credentials, options);
  const log = options.log ?? ((line: string) => console.error(line));
  const report = options.onEventDelivery ?? ((r: DeliveryReport) => log(deliveryLine(r)));
  const topics = new SnsTopics(topicList, subscriptions, {
    region: root.region,
    accountId: root.accountId,
    log,
    deliver: ({ subscription, messageId, payload, message, subject, messageGroupId, messageDeduplicationId, messageAttributes }) => {
      const base = { via: 'sns' as const, rule: subscription.id, targetId: subscription.id, eventId: messageId };
      const kind = subscription.protocol === 'lambda' || subscription.protocol === 'sqs' ? targetKind(subscription.endpoint, resolver) : { kind: 'not-emulated' as const, why: `${subscription.protocol} subscriptions are not emulated` };
      // An email (or SMS, HTTP...) is not sent: what it would carry is shown, so that a flow waiting on it (a link to
      // approve, a code) can go on by hand.
      const unsent = subscription.protocol === 'lambda' || subscription.protocol === 'sqs' ? '' : `; it would carry ${unsentMessage(message, subject)}`;
      if (kind.kind === 'not-emulated') return report({ ...base, target: subscription.endpoint, kind: 'not-emulated', outcome: 'not-delivered', detail: `${kind.why}${unsent}` });
      const input = typeof payload === 'string' ? payload : JSON.stringify(payload);
      if (kind.kind === 'sns') return report({ ...base, target: subscription.endpoint, kind: 'not-emulated', outcome: 'not-delivered', detail: 'a topic is no subscription endpoint' });
      const run = kind.kind === 'lambda' ? invokeFunction(resolver, kind.name, input) : sendToQueue(resolver, kind.name, messageGroupId, messageDeduplicationId ?? messageId, input, messageAttributes);
      run.then(
        (detail) => report({ ...base, target: kind.name, kind: kind.kind, outcome: detail === undefined ? 'ok' : 'error', ...(detail === undefined ? {} : { detail }) }),
        (error: unknown) => report({ ...base, target: kind.name, kind: kind.kind, outcome: 'error', detail: (error as Error).message }),
      );
    },
  });
  const server = await startSns(topics, { credentials });
  closers.push(() => server.close());
  const notes: string[] = [];
  for (const topic of topicList) {
    const subs = subscriptions.filter((s) => s.topicArn === topic.arn);
    const to = subs.map((s) => {
      const kind = s.protocol === 'lambda' || s.protocol === 'sqs' ? targetKind(s.endpoint, resolver) : { kind: 'not-emulated' as const, why: `${s.protocol} subscriptions are not emulated` };
      return kind.kind === 'not-emulated' ? `${s.id} NOT DELIVERED (${kind.why})` : `${kind.name} (${KIND_NAMES[kind.kind]}${s.filterPolicy ? ', filtered' : ''})`;
    });
    notes.push(`${topic.logicalId} (${topic.name}): ${to.length > 0 ? `delivers to ${to.join(', ')}` : 'no subscription'}`);
    for (const line of topic.notApplied ?? []) notes.push(`${topic.logicalId}.${line.replace(': ', ' not applied: ')}`);
  }
  for (const s of subscriptions) {
    if (!topicList.some((t) => t.arn === s.topicArn)) notes.push(`${s.id}: its topic ${s.topicArn} is not one of the template's: nothing is delivered to it`);
    if (s.notApplied) notes.push(`${s.id}: ${s.notApplied.join(' and ')} not applied (${s.notApplied.includes('SqsSubscription') ? 'the function is subscribed directly, not through a queue; ' : ''}a failed delivery is logged, not retried)`);
    for (const problem of s.filterPolicy ? patternProblems(s.filterPolicy) : []) notes.push(`${s.id}: FilterPolicy: ${problem}`);
  }
  return { url: server.url, notes, topics };
}


/**
 * The embedded S3 with every stack's buckets, on a loopback port of its own (the functions' AWS_ENDPOINT_URL_S3).
 * Each object created or removed goes to the notifications it matches (functions invoked asynchronously, queues and
 * topics sent S3's event record) and, for a bucket with EventBridge on, to the default bus as an `aws.s3` event.
 */
export async function startBuckets(stacks: { path: string; template: LoadedTemplate }[], invokers: Promise<StackInvoker[]>, services: { sqsUrl?: string }, credentials: LocalCredentials, options: EventOptions, closers: (() => Promise<void>)[], others: { topics?: SnsTopics; bus?: EventBuses }): Promise<{ url: string; notes: string[]; refused: ReadonlyMap<string, string> }> {
  const root = stacks[0]!.template;
  const buckets = stacks.flatMap(({ template }) => template.buckets ?? []);
  const notifications = stacks.flatMap(({ template }) => template.bucketNotifications ?? []);
  const resolver: TargetResolver = { ...targetResolver(stacks, invokers, services, credentials, options), ...(others.topics ? { topics: { arns: others.topics.list().map((t) => t.arn), publish: (input) => others.topics!.publish(input) } } : {}) };
  const log = options.log ?? ((line: string) => console.error(line));
  const report = options.onEventDelivery ?? ((r: DeliveryReport) => log(deliveryLine(r)));
  const toBus = new Set(buckets.filter((b) => b.eventBridge).map((b) => b.name));
  let sequence = 0;
  const onChange = (change: S3Change): void => {
    sequence += 1;
    const ctx = { region: root.region, accountId: root.accountId, time: change.object?.lastModified ?? Date.now(), sequencer: sequence.toString(16).toUpperCase().padStart(16, '0') };
    for (const spec of notifications) {
      if (!notificationMatches(spec, change)) continue;
      const base = { via: 's3' as const, rule: spec.id, targetId: spec.id, eventId: change.requestId };
      const kind = targetKind(spec.target, resolver);
      if (kind.kind === 'not-emulated') {
        report({ ...base, target: spec.target, kind: 'not-emulated', outcome: 'not-delivered', detail: kind.why });
        continue;
      }
      const input = JSON.stringify(s3EventRecord(spec, change, ctx));
      const run =
        kind.kind === 'lambda'
          ? invokeFunction(resolver, kind.name, input)
          : kind.kind === 'sns'
            ? publishToTopic(resolver, spec.target, input, 'Amazon S3 Notification')
            : sendToQueue(resolver, kind.name, undefined, `${change.requestId}-${spec.id}`, input);
      run.then(
        (detail) => report({ ...base, target: kind.name, kind: kind.kind, outcome: detail === undefined ? 'ok' : 'error', ...(detail === undefined ? {} : { detail }) }),
        (error: unknown) => report({ ...base, target: kind.name, kind: kind.kind, outcome: 'error', detail: (error as Error).message }),
      );
    }
    if (toBus.has(change.bucket)) others.bus?.putServiceEvent(s3BusEvent(change, ctx));
  };
  const cors = new Map(buckets.flatMap((b) => (b.cors ? [[b.name, b.cors] as const] : [])));
  const aclBuckets = new Set(buckets.filter((b) => b.aclsEnabled).map((b) => b.name));
  const server = await startS3({ credentials, region: root.region, buckets: buckets.map((b) => b.name), onChange, cors, aclBuckets });
  closers.push(() => server.close());
  const notes: string[] = [];
  for (const bucket of buckets) {
    const refused = server.refusedBuckets.get(bucket.name);
    if (refused !== undefined) {
      // No bucket, so no object and no event: its notifications cannot be said to notify anything.
      const never = notifications.filter((n) => n.bucket === bucket.name).map((n) => n.id);
      notes.push(`${bucket.logicalId} (${bucket.name}): NOT CREATED (${refused})${never.length > 0 ? `: its notifications are never sent: ${never.join(', ')}` : ''}`);
      continue;
    }
    const to = notifications.filter((n) => n.bucket === bucket.name).map((n) => {
      const kind = targetKind(n.target, resolver);
      return kind.kind === 'not-emulated' ? `${n.id} NOT DELIVERED (${kind.why})` : `${kind.name} (${KIND_NAMES[kind.kind]}, ${n.events.join(' ')}${n.prefix ? ` prefix ${n.prefix}` : ''}${n.suffix ? ` suffix ${n.suffix}` : ''})`;
    });
    if (bucket.eventBridge) to.push('the default event bus (aws.s3 Object Created / Object Deleted)');
    const cors = bucket.cors ? `; CORS for ${[...new Set(bucket.cors.flatMap((r) => r.allowedOrigins))].join(', ')}` : '';
    notes.push(`${bucket.logicalId} (${bucket.name}): ${to.length > 0 ? `notifies ${to.join(', ')}` : 'no notification'}${cors}`);
  }
  for (const bucket of buckets) for (const line of bucket.notApplied ?? []) notes.push(`${bucket.logicalId}: ${line}`);
  for (const [a, b] of overlappingNotifications(notifications)) {
    notes.push(`${a.id} and ${b.id}: S3 refuses notifications of one bucket whose event types and key filters overlap (CloudFormation fails the stack); both are sent here`);
  }
  for (const n of notifications) {
    if (!buckets.some((b) => b.name === n.bucket)) notes.push(`${n.id}: its bucket ${n.bucket} is not one of the template's: nothing notifies it`);
    const queue = targetKind(n.target, resolver);
    if (queue.kind === 'sqs' && queue.name.endsWith('.fifo')) notes.push(`${n.id}: S3 refuses a FIFO queue as a notification destination (CloudFormation fails the stack); delivered here anyway`);
    const never = n.events.filter((e) => !raisedLocally(e));
    if (never.length > 0) notes.push(`${n.id}: ${never.join(', ')}: raised only by what the local S3 does not do (restores, tagging, lifecycle, replication, delete markers): never sent here`);
  }
  return { url: server.url, notes, refused: server.refusedBuckets };
}

/** Function targets across the stacks (invoked once their invokers exist) and the template's queues on the embedded SQS. */
function targetResolver(stacks: { path: string; template: LoadedTemplate }[], invokers: Promise<StackInvoker[]>, services: { sqsUrl?: string }, credentials: LocalCredentials, options: EventOptions): TargetResolver {
  const functions: TargetResolver['functions'] = [];
  for (const [index, { template }] of stacks.entries()) {
    for (const fn of template.functions.values()) {
      functions.push({ name: fn.functionName, logicalId: fn.logicalId, arn: fn.arn, ...(fn.asyncInvoke ? { async: fn.asyncInvoke } : {}), invoke: async (event, requestId) => (await invokers)[index]!.invoker.invoke(fn.logicalId, event, requestId ? { requestId } : {}) });
    }
  }
  const queues: TargetResolver['queues'] = stacks.flatMap(({ template }) => (template.queues ?? []).map((q) => ({ arn: `arn:aws:sqs:${template.region}:${template.accountId}:${q.name}`, name: q.name, url: `${services.sqsUrl}/${template.accountId}/${q.name}` })));
  const log = options.log ?? ((line: string) => console.error(line));
  return { functions, queues, log, ...(options.asyncInvocations ? { asyncInvocations: options.asyncInvocations } : {}), ...(services.sqsUrl ? { sqs: sqsClient(services.sqsUrl, credentials, stacks[0]!.template.region) } : {}) };
}
