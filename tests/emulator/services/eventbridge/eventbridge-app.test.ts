/**
 * The embedded event buses in a running emulator (tests/emulator/fixtures/eventbridge-app): a REST API's and an HTTP
 * API's EventBridge integrations put events on a custom bus (R12); a SAM EventBridgeRule invokes its function, which
 * sends the event it got to a queue; a rule sends a transformed input to another queue and publishes the event on an
 * SNS topic of the template. Waits are on delivery reports and SQS long polls, never on time.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunningEmulator } from '../../../../emulator/app.js';
import { AwaitedReports } from '../../support/awaited-reports.js';
import { startEventApp, type QueueReader } from '../../support/event-app.js';
import type { DeliveryReport } from '../../../../emulator/services/eventbridge/targets.js';
import { formatStartupReport } from '../../../../emulator/report.js';

const TEMPLATE = fileURLToPath(new URL('../../fixtures/eventbridge-app/template.yaml', import.meta.url));

const reports = new AwaitedReports<DeliveryReport>();
const deliveryWhere = (match: (r: DeliveryReport) => boolean) => reports.where(match);

let emulator: RunningEmulator;
let queues: QueueReader;
beforeAll(async () => {
  ({ emulator, queues } = await startEventApp(TEMPLATE, { onEventDelivery: reports.add }));
}, 60_000);
afterAll(() => emulator?.close());

const api = (id: string) => emulator.apis.find((a) => a.logicalId === id)!.url.replace(/\/$/, '');
const post = (url: string, body: unknown) => fetch(url, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) });
const nextMessage = async (queue: string): Promise<string | undefined> => (await queues.next(queue))[0];

describe('R12 a REST API`s PutEvents integration, routed by the rules of the bus it names', () => {
  it('the client gets EventBridge`s answer; the function gets the event; a big order also reaches the queue, transformed', async () => {
    // Act
    const response = await post(`${api('Api')}/orders`, { id: 'o-1', total: 250 });
    const answer = (await response.json()) as { Entries: { EventId: string }[]; FailedEntryCount: number };
    const eventId = answer.Entries[0]!.EventId;
    const toFunction = await deliveryWhere((r) => r.eventId === eventId && r.kind === 'lambda');
    const toQueue = await deliveryWhere((r) => r.eventId === eventId && r.kind === 'sqs');
    const toTopic = await deliveryWhere((r) => r.eventId === eventId && r.kind === 'sns');

    // Assess
    expect(response.status).toBe(200);
    expect(answer).toEqual({ Entries: [{ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) }], FailedEntryCount: 0 });
    expect([toFunction.outcome, toQueue.outcome, toTopic.outcome]).toEqual(['ok', 'ok', 'ok']);
    expect(JSON.parse((await nextMessage('local-SeenQueue'))!)).toMatchObject({ version: '0', id: eventId, source: 'orders.api', 'detail-type': 'OrderPlaced', account: '123456789012', region: 'us-east-1', detail: { id: 'o-1', total: 250 } });
    expect(JSON.parse((await nextMessage('local-BigOrdersQueue'))!)).toEqual({ order: 'o-1', total: 250, rule: 'local-BigOrders' });
  });
});

describe('an HTTP API`s EventBridge-PutEvents route', () => {
  it('a small order reaches the function only (the big-orders pattern does not match)', async () => {
    const response = await post(`${api('HttpApi')}/events`, { id: 'o-2', total: 5 });
    const { Entries } = (await response.json()) as { Entries: { EventId: string }[] };

    const delivered = await deliveryWhere((r) => r.eventId === Entries[0]!.EventId);

    expect(response.status).toBe(200);
    expect(delivered).toMatchObject({ rule: 'OnOrder.Placed', target: 'OnOrder', kind: 'lambda', outcome: 'ok' });
    expect(reports.all.filter((r) => r.eventId === Entries[0]!.EventId).map((r) => r.rule)).toEqual(['OnOrder.Placed']);
  });
});

describe('the startup report', () => {
  it('lists each rule and where it delivers, what it does not, when a scheduled one fires, and the rules that cannot fire here (AWS`s own events, another stack`s bus)', () => {
    expect(emulator.eventNotes).toEqual([
      'OnOrder.Placed (bus orders): delivers to OnOrder (function)',
      'BigOrders (bus orders): delivers to local-BigOrdersQueue (queue), local-AlertsTopic (topic)',
      'BigOrders: target alerts: RetryPolicy not applied (a failed delivery is logged, not retried nor dead-lettered)',
      'S3Uploads (bus default): delivers to OnOrder (function)',
      'S3Uploads: matches only events of AWS services (source aws.s3), which no local PutEvents may send: it never fires here',
      'OtherBusRule (bus other-stacks-bus): delivers to local-BigOrdersQueue (queue)',
      "OtherBusRule: its bus other-stacks-bus is not one of the template's: PutEvents to it is refused (ResourceNotFoundException), so the rule never fires here",
      'Nightly (bus default): delivers to OnOrder (function)',
      expect.stringMatching(/^Nightly: ScheduleExpression rate\(1 day\): fires every day, next at \d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \(a Scheduled Event from aws\.events\)$/),
    ]);
    expect(formatStartupReport(emulator, 0)).toMatch(/AWS_ENDPOINT_URL_EVENTBRIDGE=http:\/\/127\.0\.0\.1:\d+/);
  });
});
