/**
 * One EventBridge pipe's delivery of a batch (User Guide, "Amazon EventBridge Pipes"): the source's records (already
 * filtered by the source's poller, as Pipes filters before anything else), through the enrichment, transformed by the
 * target's InputTemplate, to the target. Lambda and Step Functions targets get the batch as one JSON array; SQS, SNS,
 * event bus, Kinesis, API destination and API Gateway targets get one message, notification, event, record or request
 * per event.
 */
import type { InvokeOutcome } from '../../lambda/types.js';
import type { PipeSpec } from '../../template/model.js';
import { parameterValue, renderTemplate } from './transform.js';
import type { TargetHttpParameters } from '../eventbridge/api-target.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** What a pipe's enrichment or target reaches: functions, the embedded services (late bound: they start after the pollers are built). */
export interface PipeServices {
  invokeFunction(arn: string, payload: unknown, asynchronous: boolean): Promise<InvokeOutcome | undefined>;
  sendMessage(input: Record<string, unknown>): Promise<void>;
  publish(input: Record<string, unknown>): void;
  putEvents(input: Record<string, unknown>): { FailedEntryCount: number; Entries: unknown[] };
  putRecord(input: Record<string, unknown>): void;
  /** StartExecution (or StartSyncExecution when waiting): the sync execution's output, parsed. */
  startExecution(arn: string, input: string, wait: boolean): Promise<unknown>;
  /** Sends one event to an API destination of the template: undefined when it answered 2xx, else what went wrong. */
  callApiDestination(arn: string, parameters: TargetHttpParameters, event: unknown, input: string): Promise<string | undefined>;
  /** Sends one event to one of the template's REST APIs (an execute-api ARN): undefined when it answered 2xx. */
  callApi(arn: string, parameters: TargetHttpParameters, event: unknown, input: string): Promise<string | undefined>;
}

/** What a target ARN is to a pipe: a kind served here, or why it is not. */
export function pipeTargetKind(arn: string): 'lambda' | 'states' | 'sqs' | 'sns' | 'events' | 'kinesis' | 'api-destination' | 'execute-api' | { notServed: string } {
  const service = /^arn:[^:]+:([^:]+):/.exec(arn)?.[1];
  if (service === 'lambda' || service === 'states' || service === 'sqs' || service === 'sns' || service === 'kinesis') return service;
  if (service === 'events' && /:event-bus\//.test(arn)) return 'events';
  if (service === 'events' && /:api-destination\//.test(arn)) return 'api-destination';
  if (service === 'execute-api') return 'execute-api';
  return { notServed: `${service ?? 'unknown'} targets are not served locally` };
}

/** The source's name in a pipe's default detail-type (`Event from aws:sqs`). */
const SOURCE_TYPES: Record<PipeSpec['sourceKind'], string> = { sqs: 'aws:sqs', dynamodb: 'aws:dynamodb', kinesis: 'aws:kinesis', other: 'unknown' };

class PipeFailure extends Error {}

export class PipeRunner {
  constructor(
    readonly spec: PipeSpec,
    private readonly services: PipeServices,
  ) {}

  private reserved(): Record<string, string> {
    const { spec } = this;
    return { 'pipe-arn': spec.arn, 'pipe-name': spec.name, 'source-arn': spec.source, 'enrichment-arn': spec.enrichment ?? '', 'target-arn': spec.target, 'event.ingestion-time': new Date().toISOString() };
  }

  /** The poller's invocation: the batch through the pipe; an error outcome leaves it to the source's retries. */
  async run(records: unknown[]): Promise<InvokeOutcome> {
    try {
      const enriched = this.spec.enrichment ? await this.enrich(records) : records;
      const template = this.spec.targetParameters.InputTemplate;
      const events = typeof template === 'string' ? enriched.map((e) => renderTemplate(template, e, this.reserved())) : enriched;
      if (events.length > 0) await this.deliver(events, enriched);
      return { kind: 'ok', payload: null, cold: false, durationMs: 0 };
    } catch (error) {
      const message = error instanceof PipeFailure ? error.message : `the pipe failed: ${(error as Error).message}`;
      return { kind: 'function-error', errorType: 'PipeDeliveryFailed', errorMessage: message, stackTrace: [], cold: false, durationMs: 0 };
    }
  }

  /** The enrichment's answer is the new batch: its array's items, or itself (nothing for null). */
  private async enrich(records: unknown[]): Promise<unknown[]> {
    const arn = this.spec.enrichment!;
    const template = this.spec.enrichmentInputTemplate;
    const input = template === undefined ? records : records.map((r) => renderTemplate(template, r, this.reserved()));
    let answer: unknown;
    if (/^arn:[^:]+:lambda:/.test(arn)) {
      const outcome = await this.services.invokeFunction(arn, input, false);
      if (!outcome) throw new PipeFailure(`its enrichment ${arn} is not a function of the template`);
      if (outcome.kind !== 'ok') throw new PipeFailure(`its enrichment failed: ${outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'timed out'}`);
      answer = outcome.payload;
    } else if (/^arn:[^:]+:states:/.test(arn)) {
      answer = await this.services.startExecution(arn, JSON.stringify(input), true);
    } else throw new PipeFailure(`its enrichment ${arn} is not served locally`);
    if (answer === null || answer === undefined) return [];
    return Array.isArray(answer) ? answer : [answer];
  }

  private async deliver(events: unknown[], originals: unknown[]): Promise<void> {
    const { target, targetParameters: p } = this.spec;
    const kind = pipeTargetKind(target);
    if (typeof kind !== 'string') throw new PipeFailure(`its target ${target}: ${kind.notServed}`);
    const text = (e: unknown): string => (typeof e === 'string' ? e : JSON.stringify(e));
    const own = (name: string): Record<string, unknown> => (isRecord(p[name]) ? p[name] : {});
    switch (kind) {
      case 'lambda': {
        const outcome = await this.services.invokeFunction(target, events, own('LambdaFunctionParameters').InvocationType === 'FIRE_AND_FORGET');
        if (!outcome) throw new PipeFailure(`its target ${target} is not a function of the template`);
        if (outcome.kind !== 'ok') throw new PipeFailure(`its target failed: ${outcome.kind === 'function-error' ? `${outcome.errorType}: ${outcome.errorMessage}` : 'timed out'}`);
        return;
      }
      case 'states':
        // REQUEST_RESPONSE is the default (API Reference, PipeTargetStateMachineParameters): a failed execution fails the batch.
        await this.services.startExecution(target, JSON.stringify(events), own('StepFunctionStateMachineParameters').InvocationType !== 'FIRE_AND_FORGET');
        return;
      case 'sqs': {
        const sqs = own('SqsQueueParameters');
        for (const [i, event] of events.entries()) {
          const group = parameterValue(sqs.MessageGroupId, originals[i] ?? event);
          const dedup = parameterValue(sqs.MessageDeduplicationId, originals[i] ?? event);
          await this.services.sendMessage({ QueueUrl: target, MessageBody: text(event), ...(group !== undefined ? { MessageGroupId: group } : {}), ...(dedup !== undefined ? { MessageDeduplicationId: dedup } : {}) });
        }
        return;
      }
      case 'sns':
        for (const event of events) this.services.publish({ TopicArn: target, Message: text(event) });
        return;
      case 'events': {
        const bus = own('EventBridgeEventBusParameters');
        for (const [i, event] of events.entries()) {
          const original = originals[i] ?? event;
          const entry = {
            EventBusName: target,
            Source: String(parameterValue(bus.Source, original) ?? `Pipe ${this.spec.name}`),
            DetailType: String(parameterValue(bus.DetailType, original) ?? `Event from ${SOURCE_TYPES[this.spec.sourceKind]}`),
            Detail: text(event),
            ...(Array.isArray(bus.Resources) ? { Resources: bus.Resources } : {}),
          };
          const put = this.services.putEvents({ Entries: [entry] });
          if (put.FailedEntryCount > 0) throw new PipeFailure(`its event bus refused the event: ${JSON.stringify(put.Entries[0])}`);
        }
        return;
      }
      case 'execute-api':
      case 'api-destination': {
        // One request per event (neither takes batches), HttpParameters' `$.` paths read from the source's record.
        const http = own('HttpParameters');
        const texts = (v: unknown): Record<string, string> | undefined => (isRecord(v) ? Object.fromEntries(Object.entries(v).map(([k, x]) => [k, String(x)])) : undefined);
        const headerParameters = texts(http.HeaderParameters);
        const queryStringParameters = texts(http.QueryStringParameters);
        const parameters: TargetHttpParameters = { ...(Array.isArray(http.PathParameterValues) ? { pathParameterValues: http.PathParameterValues.map(String) } : {}), ...(headerParameters ? { headerParameters } : {}), ...(queryStringParameters ? { queryStringParameters } : {}) };
        for (const [i, event] of events.entries()) {
          const call = kind === 'execute-api' ? this.services.callApi : this.services.callApiDestination;
          const problem = await call(target, parameters, originals[i] ?? event, text(event));
          if (problem !== undefined) throw new PipeFailure(`its target ${target}: ${problem}`);
        }
        return;
      }
      case 'kinesis': {
        const key = own('KinesisStreamParameters').PartitionKey;
        for (const [i, event] of events.entries()) this.services.putRecord({ StreamARN: target, Data: Buffer.from(text(event)).toString('base64'), PartitionKey: String(parameterValue(key, originals[i] ?? event) ?? this.spec.name) });
        return;
      }
    }
  }
}
