/**
 * The embedded SNS in a running emulator (tests/emulator/fixtures/sns-app): a REST API's `sns:action/Publish`
 * integration publishes (R12); the topic fans out to a function whose filter policy matches the message body and to a
 * queue; an email subscription is reported, not delivered. Waits are on delivery reports and SQS long polls.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../../emulator/app.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/sns-app/template.yaml', import.meta.url));
const reports = new AwaitedReports<DeliveryReport>();
let emulator: RunningEmulator;
let queues: QueueReader;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, { onEventDelivery: reports.add }));
}, 60_000);
afterAll(() => emulator?.close());

const nextBody = async (queue: string): Promise<string | undefined> => (await queues.next(queue))[0];
const publish = (body: unknown) => fetch(`${emulator.apis[0]!.url}/publish`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });

describe('R12 a REST API`s SNS Publish integration, fanned out', () => {
  it('the client gets SNS`s JSON answer; the function (its filter matches) and the queue get the message', async () => {
    // Act
    const response = await publish({ kind: 'order', id: 'o-1' });
    const answer = (await response.json()) as { PublishResponse: { PublishResult: { MessageId: string } } };
    const messageId = answer.PublishResponse.PublishResult.MessageId;
    const toFunction = await reports.where((r) => r.eventId === messageId && r.kind === 'lambda');
    const toQueue = await reports.where((r) => r.eventId === messageId && r.kind === 'sqs');

    // Assess
    expect(response.status).toBe(200);
    expect([toFunction.outcome, toQueue.outcome]).toEqual(['ok', 'ok']);
    expect(JSON.parse((await nextBody('local-Seen'))!)).toMatchObject({ Records: [{ EventSource: 'aws:sns', Sns: { MessageId: messageId, Message: '{"kind":"order","id":"o-1"}' } }] });
    expect(JSON.parse((await nextBody('local-Audit'))!)).toMatchObject({ Type: 'Notification', MessageId: messageId, Message: '{"kind":"order","id":"o-1"}' });
  });

  it('a message the filter policy does not match reaches the queue only; the email subscription is not delivered', async () => {
    const response = await publish({ kind: 'refund' });
    const { PublishResponse } = (await response.json()) as { PublishResponse: { PublishResult: { MessageId: string } } };
    const id = PublishResponse.PublishResult.MessageId;

    await reports.where((r) => r.eventId === id && r.kind === 'sqs');
    const email = await reports.where((r) => r.eventId === id && r.kind === 'not-emulated');

    expect(reports.all.filter((r) => r.eventId === id).map((r) => r.kind).sort()).toEqual(['not-emulated', 'sqs']);
    // What the email would carry is in the log line, so that a flow waiting on it (a link to click) can go on by hand.
    expect(email.detail).toBe('email subscriptions are not emulated; it would carry message "{\\"kind\\":\\"refund\\"}"');
  });
});

describe('the startup report', () => {
  it('lists each topic and where it delivers', () => {
    expect(emulator.topicNotes).toEqual(['Orders (local-Orders): delivers to Orders.Subscription[0] NOT DELIVERED (email subscriptions are not emulated), local-Audit (queue), OnOrder (function, filtered)']);
    expect(emulator.services.AWS_ENDPOINT_URL_SNS).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });
});
