/**
 * Asynchronous invocation settings in a running emulator (tests/emulator/fixtures/async-app): an EventBridge delivery
 * to a function with MaximumRetryAttempts 0 sends its invocation record to the OnFailure or OnSuccess queue, and a
 * failed event to the dead-letter queue with Lambda's attributes. Waits are on SQS long polls.
 */
import { EventBridgeClient, PutEventsCommand } from '@aws-sdk/client-eventbridge';
import { ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../emulator/app.js';
import { startEventApp, type QueueReader } from '../support/event-app.js';

const TEMPLATE = fileURLToPath(new URL('../fixtures/async-app/template.yaml', import.meta.url));
let emulator: RunningEmulator;
let queues: QueueReader;
let events: EventBridgeClient;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, {}));
  events = new EventBridgeClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_EVENTBRIDGE, credentials: emulator.credentials });
}, 60_000);
afterAll(() => emulator?.close());

const order = (detail: object) => events.send(new PutEventsCommand({ Entries: [{ Source: 'shop', DetailType: 'Order', Detail: JSON.stringify(detail) }] }));

describe('an EventBridge delivery to a function with destinations', () => {
  it('a success: its record (condition Success, the function`s answer) on the OnSuccess queue', async () => {
    await order({ id: 'o-1' });

    const [body] = await queues.next('local-Successes');

    expect(JSON.parse(body!)).toMatchObject({ version: '1.0', requestContext: { condition: 'Success', approximateInvokeCount: 1, functionArn: 'arn:aws:lambda:us-east-1:123456789012:function:Work:$LATEST' }, requestPayload: { source: 'shop', detail: { id: 'o-1' } }, responsePayload: { handled: 'o-1' } });
  });

  it('a failure with no retries: its record on the OnFailure queue, the event on the dead-letter queue', async () => {
    await order({ id: 'o-2', bad: true });

    const [record] = await queues.next('local-Failures');
    const sqs = new SQSClient({ region: 'us-east-1', endpoint: emulator.services.AWS_ENDPOINT_URL_SQS, credentials: emulator.credentials });
    const dead = await sqs.send(new ReceiveMessageCommand({ QueueUrl: `${emulator.services.AWS_ENDPOINT_URL_SQS}/123456789012/local-DeadLetters`, WaitTimeSeconds: 20, MessageAttributeNames: ['All'] }));

    expect(JSON.parse(record!)).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 }, responseContext: { functionError: 'Unhandled' }, responsePayload: { errorType: 'Error', errorMessage: 'order o-2 is bad' } });
    const [message] = dead.Messages ?? [];
    expect(JSON.parse(message!.Body!)).toMatchObject({ detail: { id: 'o-2', bad: true } });
    expect(message!.MessageAttributes).toMatchObject({ ErrorCode: { DataType: 'Number', StringValue: '200' }, ErrorMessage: { DataType: 'String', StringValue: 'order o-2 is bad' } });
  });
});

describe("a REST API's Lambda integration invoking with X-Amz-Invocation-Type Event (R2.10)", () => {
  // The queues keep the EventBridge cases' messages (received, not deleted): pick this case's by its id.
  const messageAbout = async (queue: string, id: string): Promise<Record<string, unknown>> => {
    for (let polls = 0; polls < 5; polls += 1) {
      const hit = (await queues.next(queue)).find((body) => body.includes(`"${id}"`));
      if (hit) return JSON.parse(hit) as Record<string, unknown>;
    }
    throw new Error(`no message about ${id} on ${queue}`);
  };
  const post = (detail: object) => fetch(`${emulator.apis.find((a) => a.logicalId === 'OrdersApi')!.url}/orders`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(detail) });

  it('answers 202 at once, and the invocation is asynchronous: its success record goes to the OnSuccess queue', async () => {
    // Act
    const res = await post({ id: 'a-1' });

    // Assess
    expect(res.status).toBe(202);
    expect(await res.text()).toBe('');
    expect(await messageAbout('local-Successes', 'a-1')).toMatchObject({ requestContext: { condition: 'Success', approximateInvokeCount: 1 }, requestPayload: { source: 'api', detail: { id: 'a-1' } }, responsePayload: { handled: 'a-1' } });
  });

  it("a failure is Lambda's, not API Gateway's: still 202, the record on the OnFailure queue and the event on the dead-letter queue", async () => {
    // Act
    const res = await post({ id: 'a-2', bad: true });

    // Assess
    expect(res.status).toBe(202);
    expect(await messageAbout('local-Failures', 'a-2')).toMatchObject({ requestContext: { condition: 'RetriesExhausted', approximateInvokeCount: 1 }, requestPayload: { detail: { id: 'a-2', bad: true } }, responsePayload: { errorMessage: 'order a-2 is bad' } });
    expect(await messageAbout('local-DeadLetters', 'a-2')).toMatchObject({ source: 'api', detail: { id: 'a-2', bad: true } });
  });
});

describe('the startup report', () => {
  it('lists the function`s asynchronous settings and where each destination goes', () => {
    expect(emulator.asyncNotes).toEqual([
      'Work: 0 retries, events kept 21600 s, OnSuccess arn:aws:sqs:us-east-1:123456789012:local-Successes (queue), OnFailure arn:aws:sqs:us-east-1:123456789012:local-Failures (queue), dead-letter arn:aws:sqs:us-east-1:123456789012:local-DeadLetters (queue)',
    ]);
  });
});
