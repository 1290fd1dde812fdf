/**
 * One pipe's delivery (services/pipes/runner.ts) and its input transformation (transform.ts), on fake services (they
 * stand for AWS): what each target kind gets, the defaults of an event bus target, dynamic parameters, enrichment
 * answers, failures left to the source's retries.
 */
import { describe, expect, it } from 'vitest';
import type { InvokeOutcome } from '../../../../emulator/lambda/types.js';
import { PipeRunner, pipeTargetKind, type PipeServices } from '../../../../emulator/services/pipes/runner.js';
import { parameterValue, pipeRecord, renderTemplate } from '../../../../emulator/services/pipes/transform.js';
import type { PipeSpec } from '../../../../emulator/template/model.js';

const SQS_RECORD = { messageId: 'm-1', body: '{"id":"a","n":1}', eventSource: 'aws:sqs', eventSourceARN: 'arn:aws:sqs:us-east-1:123456789012:in' };
const ok = (payload: unknown): InvokeOutcome => ({ kind: 'ok', payload, cold: false, durationMs: 0 });

/** Fake AWS: every call recorded; functions answer with `answer`. */
function fakeServices(answer: (payload: unknown) => InvokeOutcome | undefined = (p) => ok(p)) {
  const calls: { what: string; input: unknown }[] = [];
  const services: PipeServices = {
    invokeFunction: (arn, payload, asynchronous) => {
      calls.push({ what: `invoke${asynchronous ? ' async' : ''} ${arn}`, input: payload });
      return Promise.resolve(answer(payload));
    },
    sendMessage: (input) => {
      calls.push({ what: 'sqs', input });
      return Promise.resolve();
    },
    publish: (input) => void calls.push({ what: 'sns', input }),
    putEvents: (input) => {
      calls.push({ what: 'events', input });
      return { FailedEntryCount: 0, Entries: [{ EventId: 'e' }] };
    },
    putRecord: (input) => void calls.push({ what: 'kinesis', input }),
    startExecution: (arn, input, wait) => {
      calls.push({ what: `states${wait ? ' sync' : ''} ${arn}`, input });
      return Promise.resolve(wait ? [{ from: 'machine' }] : { executionArn: 'x' });
    },
    callApiDestination: (arn, parameters, event, input) => {
      calls.push({ what: `api-destination ${arn}`, input: { parameters, event, input } });
      return Promise.resolve(arn.endsWith('/refusing/1') ? 'POST https://hooks.example.com/in answered 400: no' : undefined);
    },
    callApi: (arn, parameters, event, input) => {
      calls.push({ what: `execute-api ${arn}`, input: { parameters, event, input } });
      return Promise.resolve(undefined);
    },
  };
  return { calls, services };
}

const pipe = (target: string, extra: Partial<PipeSpec> = {}): PipeSpec => ({ logicalId: 'P', name: 'p', arn: 'arn:aws:pipes:us-east-1:123456789012:pipe/p', source: SQS_RECORD.eventSourceARN, sourceKind: 'sqs', batchSize: 10, batchingWindowSeconds: 0, maximumRetryAttempts: -1, running: true, target, targetParameters: {}, ...extra });

describe('PipeRunner: what each target gets', () => {
  it.each([
    { given: 'a function (the batch as one array, waited for)', target: 'arn:aws:lambda:us-east-1:123456789012:function:f', want: [{ what: 'invoke arn:aws:lambda:us-east-1:123456789012:function:f', input: [SQS_RECORD, SQS_RECORD] }] },
    { given: 'a state machine (REQUEST_RESPONSE by default: StartSyncExecution with the array)', target: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', want: [{ what: 'states sync arn:aws:states:us-east-1:123456789012:stateMachine:m', input: JSON.stringify([SQS_RECORD, SQS_RECORD]) }] },
    { given: 'a state machine with FIRE_AND_FORGET (StartExecution)', target: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', parameters: { StepFunctionStateMachineParameters: { InvocationType: 'FIRE_AND_FORGET' } }, want: [{ what: 'states arn:aws:states:us-east-1:123456789012:stateMachine:m', input: JSON.stringify([SQS_RECORD, SQS_RECORD]) }] },
    { given: 'a queue (one message per event)', target: 'arn:aws:sqs:us-east-1:123456789012:out', want: [{ what: 'sqs', input: { QueueUrl: 'arn:aws:sqs:us-east-1:123456789012:out', MessageBody: JSON.stringify(SQS_RECORD) } }, { what: 'sqs', input: { QueueUrl: 'arn:aws:sqs:us-east-1:123456789012:out', MessageBody: JSON.stringify(SQS_RECORD) } }] },
    { given: 'an API destination (one request per event, HttpParameters as strings, `$.` paths read from the record)', target: 'arn:aws:events:us-east-1:123456789012:api-destination/hook/1', parameters: { HttpParameters: { PathParameterValues: ['$.messageId'], HeaderParameters: { 'x-n': 1 } } }, want: [1, 2].map(() => ({ what: 'api-destination arn:aws:events:us-east-1:123456789012:api-destination/hook/1', input: { parameters: { pathParameterValues: ['$.messageId'], headerParameters: { 'x-n': '1' } }, event: SQS_RECORD, input: JSON.stringify(SQS_RECORD) } })) },
    { given: 'a REST API of the template (one request per event, with its HttpParameters)', target: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/orders', parameters: { HttpParameters: { QueryStringParameters: { from: 'pipe' } } }, want: [1, 2].map(() => ({ what: 'execute-api arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/orders', input: { parameters: { queryStringParameters: { from: 'pipe' } }, event: SQS_RECORD, input: JSON.stringify(SQS_RECORD) } })) },
    { given: 'a topic (one notification per event)', target: 'arn:aws:sns:us-east-1:123456789012:t', want: [{ what: 'sns', input: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: JSON.stringify(SQS_RECORD) } }, { what: 'sns', input: { TopicArn: 'arn:aws:sns:us-east-1:123456789012:t', Message: JSON.stringify(SQS_RECORD) } }] },
  ])('$given', async ({ target, want, ...rest }) => {
    // Prepare
    const { calls, services } = fakeServices();
    const parameters = 'parameters' in rest ? (rest.parameters as Record<string, unknown>) : {};

    // Act
    const outcome = await new PipeRunner(pipe(target, { targetParameters: parameters }), services).run([SQS_RECORD, SQS_RECORD]);

    // Assess
    expect(outcome.kind).toBe('ok');
    expect(calls).toEqual(want);
  });

  it('an event bus: one event each, source `Pipe <name>` and detail-type `Event from aws:sqs` unless the parameters say', async () => {
    const { calls, services } = fakeServices();

    await new PipeRunner(pipe('arn:aws:events:us-east-1:123456789012:event-bus/b'), services).run([SQS_RECORD]);
    await new PipeRunner(pipe('arn:aws:events:us-east-1:123456789012:event-bus/b', { targetParameters: { EventBridgeEventBusParameters: { Source: 'my.app', DetailType: '$.body.id' } } }), services).run([SQS_RECORD]);

    const entries = calls.map((c) => (c.input as { Entries: Record<string, unknown>[] }).Entries[0]);
    expect(entries.map((e) => [e!.Source, e!.DetailType, e!.EventBusName])).toEqual([
      ['Pipe p', 'Event from aws:sqs', 'arn:aws:events:us-east-1:123456789012:event-bus/b'],
      ['my.app', 'a', 'arn:aws:events:us-east-1:123456789012:event-bus/b'],
    ]);
    expect(JSON.parse(String(entries[0]!.Detail))).toEqual(SQS_RECORD);
  });

  it('a Kinesis stream: the partition key from a dynamic path, the event as data', async () => {
    const { calls, services } = fakeServices();

    await new PipeRunner(pipe('arn:aws:kinesis:us-east-1:123456789012:stream/s', { targetParameters: { KinesisStreamParameters: { PartitionKey: '$.body.id' } } }), services).run([SQS_RECORD]);

    expect(calls).toEqual([{ what: 'kinesis', input: { StreamARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s', Data: Buffer.from(JSON.stringify(SQS_RECORD)).toString('base64'), PartitionKey: 'a' } }]);
  });

  it.each([
    { given: 'an array: its items', answer: [{ x: 1 }, { x: 2 }], want: [{ x: 1 }, { x: 2 }] },
    { given: 'an object: itself', answer: { x: 1 }, want: [{ x: 1 }] },
  ])('an enrichment answering $given become the target`s batch', async ({ answer, want }) => {
    const { calls, services } = fakeServices((payload) => (Array.isArray(payload) && payload[0] === SQS_RECORD ? ok(answer) : ok(null)));

    await new PipeRunner(pipe('arn:aws:lambda:us-east-1:123456789012:function:target', { enrichment: 'arn:aws:lambda:us-east-1:123456789012:function:enrich' }), services).run([SQS_RECORD]);

    expect(calls.map((c) => c.what)).toEqual(['invoke arn:aws:lambda:us-east-1:123456789012:function:enrich', 'invoke arn:aws:lambda:us-east-1:123456789012:function:target']);
    expect(calls[1]!.input).toEqual(want);
  });

  it('an enrichment answering null ends the batch there: nothing reaches the target', async () => {
    const { calls, services } = fakeServices(() => ok(null));

    const outcome = await new PipeRunner(pipe('arn:aws:sqs:us-east-1:123456789012:out', { enrichment: 'arn:aws:lambda:us-east-1:123456789012:function:enrich' }), services).run([SQS_RECORD]);

    expect(outcome.kind).toBe('ok');
    expect(calls.map((c) => c.what)).toEqual(['invoke arn:aws:lambda:us-east-1:123456789012:function:enrich']);
  });

  it.each([
    { given: 'a target function that fails', services: () => fakeServices(() => ({ kind: 'function-error', errorType: 'Boom', errorMessage: 'no', stackTrace: [], cold: false, durationMs: 0 })), target: 'arn:aws:lambda:us-east-1:123456789012:function:f', why: /Boom: no/ },
    { given: 'a target function that is not the template`s', services: () => fakeServices(() => undefined), target: 'arn:aws:lambda:us-east-1:123456789012:function:f', why: /not a function of the template/ },
    { given: 'a target not served', services: () => fakeServices(), target: 'arn:aws:logs:us-east-1:123456789012:log-group:g', why: /logs targets are not served locally/ },
    { given: 'an API destination that answers 400', services: () => fakeServices(), target: 'arn:aws:events:us-east-1:123456789012:api-destination/refusing/1', why: /api-destination\/refusing\/1: POST https:\/\/hooks.example.com\/in answered 400/ },
  ])('$given fails the batch (the source retries it)', async ({ services, target, why }) => {
    const outcome = await new PipeRunner(pipe(target), services().services).run([SQS_RECORD]);

    expect(outcome.kind).toBe('function-error');
    expect(outcome.kind === 'function-error' ? outcome.errorMessage : '').toMatch(why);
  });
});

describe('pipeTargetKind', () => {
  it.each([
    { arn: 'arn:aws:events:us-east-1:123456789012:event-bus/b', want: 'events' },
    { arn: 'arn:aws:events:us-east-1:123456789012:api-destination/d/1', want: 'api-destination' },
    { arn: 'arn:aws:execute-api:us-east-1:123456789012:abc123/prod/POST/orders', want: 'execute-api' },
    { arn: 'arn:aws:firehose:us-east-1:123456789012:deliverystream/x', want: { notServed: 'firehose targets are not served locally' } },
  ])('$arn is $want', ({ arn, want }) => {
    expect(pipeTargetKind(arn)).toEqual(want);
  });
});

describe('input transformation', () => {
  const reserved = { 'pipe-name': 'p', 'pipe-arn': 'arn:aws:pipes:us-east-1:123456789012:pipe/p' };

  it.each([
    { given: 'a path inside quotes: its text', template: '{"id": "<$.body.id>"}', want: { id: 'a' } },
    { given: 'a path outside quotes: its JSON', template: '{"n": <$.body.n>, "body": <$.body>}', want: { n: 1, body: { id: 'a', n: 1 } } },
    { given: 'an object inside quotes: its JSON as text', template: '{"b": "<$.body>"}', want: { b: '{"id":"a","n":1}' } },
    { given: 'a path the event lacks, outside quotes: null', template: '{"x": <$.body.missing>}', want: { x: null } },
    { given: 'reserved variables', template: '{"name": "<aws.pipes.pipe-name>", "event": <aws.pipes.event.json>}', want: { name: 'p', event: SQS_RECORD } },
    { given: 'a text template: the text', template: 'order <$.body.id> arrived', want: 'order a arrived' },
  ])('$given', ({ template, want }) => {
    expect(renderTemplate(template, SQS_RECORD, reserved)).toEqual(want);
  });

  it.each([
    { value: '$.body.id', want: 'a' },
    { value: '$.body', want: '{"id":"a","n":1}' },
    { value: 'literal', want: 'literal' },
    { value: '$.nothing', want: undefined },
  ])('a target parameter $value is $want', ({ value, want }) => {
    expect(parameterValue(value, SQS_RECORD)).toEqual(want);
  });
});

describe('a Kinesis record in a pipe', () => {
  const lambdaShaped = { kinesis: { kinesisSchemaVersion: '1.0', partitionKey: 'k', sequenceNumber: '1', data: Buffer.from('{"kind":"buy","n":2}').toString('base64'), approximateArrivalTimestamp: 1 }, eventSource: 'aws:kinesis', eventID: 'shardId-000000000000:1', eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' };

  it('has the kinesis members at the top level, as Pipes gives it', () => {
    expect(pipeRecord(lambdaShaped)).toEqual({ kinesisSchemaVersion: '1.0', partitionKey: 'k', sequenceNumber: '1', data: lambdaShaped.kinesis.data, approximateArrivalTimestamp: 1, eventSource: 'aws:kinesis', eventID: 'shardId-000000000000:1', eventSourceARN: 'arn:aws:kinesis:us-east-1:123456789012:stream/s' });
  });

  it.each([
    { given: 'a path into its JSON data (decoded)', template: '{"kind": "<$.data.kind>", "n": <$.data.n>, "key": "<$.partitionKey>"}', data: '{"kind":"buy","n":2}', want: { kind: 'buy', n: 2, key: 'k' } },
    { given: 'its data when it is not JSON: the base64 text', template: '{"data": "<$.data>"}', data: 'plain', want: { data: Buffer.from('plain').toString('base64') } },
  ])('input templates read $given', ({ template, data, want }) => {
    const record = pipeRecord({ ...lambdaShaped, kinesis: { ...lambdaShaped.kinesis, data: Buffer.from(data).toString('base64') } });

    expect(renderTemplate(template, record, {})).toEqual(want);
  });
});
