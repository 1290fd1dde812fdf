/**
 * The embedded event buses (EventBridge User Guide; API Reference, PutEvents): entries checked as EventBridge checks
 * them, events routed by bus, pattern and state, each target's input made as EventBridge makes it. The server is
 * driven by the AWS SDK v3 EventBridge client.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import { EventBridgeClient, PutEventsCommand, ListRulesCommand } from '@aws-sdk/client-eventbridge';
import { EventBuses, targetInput, valueAtPath, type BusEvent, type Delivery } from '../../../../emulator/services/eventbridge/bus.js';
import { startEventBridge } from '../../../../emulator/services/eventbridge/server.js';
import { signRequest } from '../../../../emulator/services/sigv4.js';
import type { EventRuleSpec, EventTargetSpec } from '../../../../emulator/template/model.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

const rule = (id: string, over: Partial<EventRuleSpec> = {}): EventRuleSpec => ({ id, name: `local-${id}`, bus: 'default', pattern: { source: ['shop'] }, enabled: true, targets: [{ id: `${id}-t`, arn: 'arn:aws:lambda:us-east-1:123456789012:function:fn' }], ...over });

function buses(rules: EventRuleSpec[], names: string[] = []) {
  const delivered: Delivery[] = [];
  const bus = new EventBuses(rules, names, { region: 'eu-west-1', accountId: '123456789012', now: () => Date.UTC(2026, 11, 3, 14, 5, 6, 789), deliver: (d) => delivered.push(d) });
  return { bus, delivered };
}

const entry = (over: Record<string, unknown> = {}) => ({ Source: 'shop', DetailType: 'OrderPlaced', Detail: '{"id":"o-1","total":120}', ...over });

describe('PutEvents entries', () => {
  it.each([
    { given: 'no Source', entry: entry({ Source: undefined }), want: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter Source is not valid. Reason: Source is a required argument.' } },
    { given: 'no DetailType', entry: entry({ DetailType: '' }), want: { ErrorCode: 'InvalidArgument', ErrorMessage: 'Parameter DetailType is not valid. Reason: DetailType is a required argument.' } },
    { given: 'a Detail that is not a JSON object', entry: entry({ Detail: '[1]' }), want: { ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' } },
    { given: 'a source of AWS`s own', entry: entry({ Source: 'aws.s3' }), want: { ErrorCode: 'NotAuthorizedForSourceException', ErrorMessage: 'Not authorized for the source.' } },
  ])('$given: the entry fails, the others go on, and nothing is delivered for it', ({ entry: bad, want }) => {
    const { bus, delivered } = buses([rule('r')]);

    const result = bus.putEvents({ Entries: [bad, entry()] });

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries[0]).toEqual(want);
    expect(result.Entries[1]).toEqual({ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(delivered).toHaveLength(1);
  });

  it('an event has EventBridge`s envelope: time to the second in UTC, the account and region, resources', () => {
    const { bus, delivered } = buses([rule('r')]);

    bus.putEvents({ Entries: [entry({ Resources: ['arn:x'] })] });

    expect(delivered[0]!.event).toEqual({ version: '0', id: expect.any(String), 'detail-type': 'OrderPlaced', source: 'shop', account: '123456789012', time: '2026-12-03T14:05:06Z', region: 'eu-west-1', resources: ['arn:x'], detail: { id: 'o-1', total: 120 } });
  });

  it.each([{ given: 'none', entries: [] }, { given: '11', entries: Array.from({ length: 11 }, () => entry()) }])('$given entries: ValidationException', ({ entries }) => {
    expect(() => buses([]).bus.putEvents({ Entries: entries })).toThrow(expect.objectContaining({ code: 'ValidationException' }));
  });
});

describe('routing', () => {
  it('only enabled rules of the event`s bus whose pattern matches; a bus named by name or ARN', () => {
    // Prepare
    const { bus, delivered } = buses([rule('default-bus'), rule('orders-bus', { bus: 'orders' }), rule('disabled', { bus: 'orders', enabled: false }), rule('other-source', { bus: 'orders', pattern: { source: ['other'] } }), rule('schedule-only', { bus: 'orders', pattern: undefined, schedule: 'rate(1 day)' })], ['orders']);

    // Act
    bus.putEvents({ Entries: [entry({ EventBusName: 'orders' }), entry({ EventBusName: 'arn:aws:events:eu-west-1:123456789012:event-bus/orders' })] });

    // Assess
    expect(delivered.map((d) => d.rule.id)).toEqual(['orders-bus', 'orders-bus']);
  });
});

describe('target input', () => {
  const event: BusEvent = { version: '0', id: 'e-1', 'detail-type': 'OrderPlaced', source: 'shop', account: '1', time: 't', region: 'r', resources: [], detail: { id: 'o-1', total: 120, items: [{ sku: 'a' }], 'x-y': true } };

  it.each<{ given: string; target: Partial<EventTargetSpec>; want: string }>([
    { given: 'no input settings: the whole event', target: {}, want: JSON.stringify(event) },
    { given: 'Input: the constant as written', target: { input: '{"fixed":1}' }, want: '{"fixed":1}' },
    { given: 'InputPath', target: { inputPath: '$.detail.items[0]' }, want: '{"sku":"a"}' },
    { given: 'a transformer: texts inside quotes, values outside', target: { inputTransformer: { inputPathsMap: { id: '$.detail.id', total: '$.detail.total' }, inputTemplate: '{"order": "<id>", "total": <total>, "rule": "<aws.events.rule-name>"}' } }, want: '{"order": "o-1", "total": 120, "rule": "my-rule"}' },
    { given: 'a plain-text transformer', target: { inputTransformer: { inputPathsMap: { id: '$.detail.id' }, inputTemplate: 'Order <id> placed' } }, want: 'Order o-1 placed' },
    { given: 'the whole event in a transformer', target: { inputTransformer: { inputPathsMap: {}, inputTemplate: '{"wrapped": <aws.events.event.json>}' } }, want: `{"wrapped": ${JSON.stringify(event)}}` },
    { given: 'the event without its detail (<aws.events.event>)', target: { inputTransformer: { inputPathsMap: {}, inputTemplate: '<aws.events.event>' } }, want: JSON.stringify({ version: '0', id: 'e-1', 'detail-type': 'OrderPlaced', source: 'shop', account: '1', time: 't', region: 'r', resources: [] }) },
    { given: 'a JSON template`s unquoted placeholders: texts quoted, as the guide`s "Simple JSON" example', target: { inputTransformer: { inputPathsMap: { id: '$.detail.id' }, inputTemplate: '{"instance" : <id>, "state": [9, <id>, true]}' } }, want: '{"instance" : "o-1", "state": [9, "o-1", true]}' },
    { given: 'placeholders inside a JSON string: escaped text', target: { inputTransformer: { inputPathsMap: { id: '$.detail.id', total: '$.detail.total' }, inputTemplate: '"order <id> costs <total>"' } }, want: '"order o-1 costs 120"' },
    { given: 'a path the event lacks: null outside a string, nothing inside ([AMBIGUOUS])', target: { inputTransformer: { inputPathsMap: { gone: '$.detail.gone' }, inputTemplate: '{"a": <gone>, "b": "x<gone>y"}' } }, want: '{"a": null, "b": "xy"}' },
    { given: 'the rule`s name and ARN', target: { inputTransformer: { inputPathsMap: {}, inputTemplate: '{"rule": <aws.events.rule-name>, "arn": "<aws.events.rule-arn>"}' } }, want: '{"rule": "my-rule", "arn": "arn:aws:events:r:1:rule/my-rule"}' },
  ])('$given', ({ target, want }) => {
    expect(targetInput({ id: 't', arn: 'a', ...target }, event, { name: 'my-rule', arn: 'arn:aws:events:r:1:rule/my-rule' })).toBe(want);
  });

  it.each([
    { path: '$', want: event },
    { path: "$.detail['x-y']", want: true },
    { path: '$.detail.missing.deeper', want: undefined },
    { path: 'detail.id', want: undefined },
  ])('JSONPath $path', ({ path, want }) => {
    expect(valueAtPath(event, path)).toEqual(want);
  });
});

describe('the PutEvents size limit (256 KB, counted as EventBridge counts it)', () => {
  it.each([
    { given: 'a Detail of 250 KB made of characters JSON escapes (counted as bytes of Detail, not of its JSON)', detail: JSON.stringify({ q: '"'.repeat(120_000) }), want: 'accepted' },
    { given: 'a Detail over 256 KB', detail: JSON.stringify({ a: 'x'.repeat(262_144) }), want: 'refused' },
  ])('$given: $want', ({ detail, want }) => {
    const run = () => buses([]).bus.putEvents({ Entries: [entry({ Detail: detail })] });
    if (want === 'accepted') expect(run().FailedEntryCount).toBe(0);
    else expect(run).toThrow(expect.objectContaining({ code: 'ValidationException' }));
  });
});

/** A Detail (a JSON object) nested `depth` levels deep. */
const nested = (depth: number): string => `${'{"a":'.repeat(depth - 1)}{"leaf":1}${'}'.repeat(depth - 1)}`;

describe('nesting (PutEvents processes JSON up to 1000 levels deep)', () => {
  it.each([
    { depth: 1000, want: 'delivered' },
    { depth: 1001, want: 'MalformedDetail' },
  ])('a Detail $depth levels deep: $want', ({ depth, want }) => {
    const { bus, delivered } = buses([rule('r')]);

    const result = bus.putEvents({ Entries: [entry({ Detail: nested(depth) })] });

    if (want === 'delivered') expect(delivered).toHaveLength(1);
    else expect({ entries: result.Entries, delivered }).toEqual({ entries: [{ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' }], delivered: [] });
  });
});

/** What `act` printed on console.error (printed nowhere meanwhile). */
async function printedWhile<T>(act: () => Promise<T>): Promise<{ result: T; printed: unknown[][] }> {
  const errors = vi.spyOn(console, 'error').mockImplementation(() => undefined);
  try {
    const result = await act();
    return { result, printed: [...errors.mock.calls] };
  } finally {
    errors.mockRestore();
  }
}

describe('the endpoint, through the AWS SDK v3 EventBridge client', () => {
  const delivered: Delivery[] = [];
  const bus = new EventBuses([rule('r')], [], { region: 'us-east-1', accountId: '123456789012', deliver: (d) => delivered.push(d) });
  const serving = startEventBridge(bus, { credentials: TEST_CREDENTIALS });
  afterAll(async () => (await serving).close());

  it('PutEvents answers the entries` ids and delivers the matching ones', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', endpoint: (await serving).url, credentials: TEST_CREDENTIALS });

    const result = await client.send(new PutEventsCommand({ Entries: [entry(), entry({ Source: 'elsewhere' })] }));

    expect(result.FailedEntryCount).toBe(0);
    expect(result.Entries).toHaveLength(2);
    expect(delivered.map((d) => d.event.id)).toEqual([result.Entries![0]!.EventId]);
  });

  it('another action is refused, named', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', endpoint: (await serving).url, credentials: TEST_CREDENTIALS });

    await expect(client.send(new ListRulesCommand({}))).rejects.toThrow(/AWSEvents\.ListRules is not served by the local emulator's EventBridge/);
  });

  it('a Detail nested 30,000 deep (within 256 KB) fails its entry with MalformedDetail; nothing is printed', async () => {
    const client = new EventBridgeClient({ region: 'us-east-1', endpoint: (await serving).url, credentials: TEST_CREDENTIALS });

    const { result, printed } = await printedWhile(() => client.send(new PutEventsCommand({ Entries: [entry({ Detail: nested(30_000) }), entry()] })));

    expect(result.FailedEntryCount).toBe(1);
    expect(result.Entries![0]).toEqual({ ErrorCode: 'MalformedDetail', ErrorMessage: 'Detail is malformed.' });
    expect(printed).toEqual([]);
  });

  it('a request nested 30,000 deep (its Resources) is a SerializationException; nothing is printed', async () => {
    const url = new URL((await serving).url);
    const body = `{"Entries":[{"Source":"shop","DetailType":"T","Detail":"{}","Resources":${'['.repeat(30_000)}${']'.repeat(30_000)}}]}`;
    const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'AWSEvents.PutEvents' }, body, region: 'us-east-1', service: 'events' });

    const { result, printed } = await printedWhile(async () => {
      const res = await fetch(url, { method: 'POST', headers, body });
      return { status: res.status, body: (await res.json()) as unknown };
    });

    expect(result).toEqual({ status: 400, body: { __type: 'SerializationException', message: 'The request body nests deeper than 1000 levels.' } });
    expect(printed).toEqual([]);
  });

  it('an unsigned request is refused and delivers nothing', async () => {
    const before = delivered.length;
    const res = await fetch((await serving).url, { method: 'POST', headers: { 'x-amz-target': 'AWSEvents.PutEvents', 'content-type': 'application/x-amz-json-1.1' }, body: JSON.stringify({ Entries: [entry()] }) });

    expect(res.status).toBe(400);
    expect(delivered.length).toBe(before);
  });
});
