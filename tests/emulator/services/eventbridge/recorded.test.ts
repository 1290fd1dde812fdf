/**
 * The embedded EventBridge (services/eventbridge/) against what AWS answered LocalStack's AWS-validated PutEvents
 * tests (test_events.py): each entry's answer and the request's refusals, as the SDK's client receives them.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { EventBridgeClient, PutEventsCommand, type PutEventsRequestEntry } from '@aws-sdk/client-eventbridge';
import { EventBuses, type Delivery } from '../../../../emulator/services/eventbridge/bus.js';
import { startEventBridge } from '../../../../emulator/services/eventbridge/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { serviceRefusal } from '../../../support/service-refusal.js';

const delivered: Delivery[] = [];
const logged: string[] = [];
const rule = { id: 'OnOrder', name: 'on-order', bus: 'default', pattern: { source: ['MySource'] }, enabled: true, targets: [{ id: 't', arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn' }] };
const buses = new EventBuses([rule], [], { region: 'us-east-1', accountId: '123456789012', now: () => Date.UTC(2026, 11, 6), deliver: (d) => delivered.push(d), log: (l) => logged.push(l) });
const server = await startEventBridge(buses, { credentials: TEST_CREDENTIALS });
const events = new EventBridgeClient({ region: 'us-east-1', endpoint: server.url, credentials: TEST_CREDENTIALS, maxAttempts: 1 });
afterAll(async () => {
  events.destroy();
  await server.close();
});

const entry = (over: Partial<PutEventsRequestEntry> = {}): PutEventsRequestEntry => ({ Source: 'MySource', DetailType: 'CustomType', Detail: '{"message":"m"}', ...over });

const refusal = (entries: PutEventsRequestEntry[]) => serviceRefusal(events.send(new PutEventsCommand({ Entries: entries })));

describe('LS-rec test_put_events_nonexistent_event_bus', () => {
  it('an entry for a bus that does not exist gets an EventId, no failure, and goes nowhere (said in the log)', async () => {
    delivered.length = 0;

    const out = await events.send(new PutEventsCommand({ Entries: [entry(), entry({ EventBusName: 'no-such-bus' })] }));

    expect(out.FailedEntryCount).toBe(0);
    expect(out.Entries).toEqual([{ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) }, { EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) }]);
    expect(delivered.map((d) => d.event.id)).toEqual([out.Entries![0]!.EventId]);
    expect(logged.at(-1)).toMatch(/bus no-such-bus, which the template does not declare: accepted .* and dropped/);
  });
});

describe('LS-rec test_put_event_with_too_big_detail', () => {
  it('a Detail over 256 KB: ValidationException with EventBridge`s message', async () => {
    const detail = JSON.stringify({ payload: ['p'.repeat(256 * 1024 - 17)] });
    expect(await refusal([entry({ Detail: detail })])).toEqual({ name: 'ValidationException', message: 'Total size of the entries in the request is over the limit.', status: 400 });
  });
});

describe('LS-rec test_put_events_exceed_limit_ten_entries', () => {
  it('11 entries: ValidationException, the entries at most 10', async () => {
    const error = await refusal(Array.from({ length: 11 }, () => entry()));
    expect({ name: error.name, status: error.status }).toEqual({ name: 'ValidationException', status: 400 });
    expect(error.message).toMatch(/^1 validation error detected: .* at 'entries' failed to satisfy constraint: Member must have length less than or equal to 10$/);
  });
});

describe('LS-rec test_put_events_without_source / test_put_event_without_detail(_type) / test_put_event_malformed_detail', () => {
  it.each([
    { given: 'no Source', over: { Source: undefined }, want: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' } },
    { given: 'no DetailType', over: { DetailType: undefined }, want: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' } },
    { given: 'no Detail', over: { Detail: undefined }, want: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Detail is not valid. Reason: Detail is a required argument.' } },
    ...['NotJSON', '[]', '{{}', '"NotJSON"'].map((detail) => ({ given: `Detail ${detail}`, over: { Detail: detail }, want: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } })),
  ])('$given: a failed entry (200, FailedEntryCount 1)', async ({ over, want }) => {
    const out = await events.send(new PutEventsCommand({ Entries: [entry(over)] }));
    expect({ count: out.FailedEntryCount, entries: out.Entries, status: out.$metadata.httpStatusCode }).toEqual({ count: 1, entries: [want], status: 200 });
  });
});
