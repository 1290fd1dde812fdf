/**
 * The embedded SNS (API Reference, Publish; Developer Guide, "Amazon SNS message filtering", "Fanout to Lambda
 * functions", "Fanout to Amazon SQS queues"): Publish checked as SNS checks it, fanned out to the subscriptions whose
 * filter policy matches, each receiving what SNS sends its protocol. The endpoint is driven by the AWS SDK v3 client.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ListTopicsCommand, NotFoundException, PublishBatchCommand, PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { snsInput, startSns } from '../../../../emulator/services/sns/server.js';
import { SnsTopics, type SnsDelivery } from '../../../../emulator/services/sns/topics.js';
import type { SubscriptionSpec, TopicSpec } from '../../../../emulator/template/model.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

const TOPIC: TopicSpec = { logicalId: 'Orders', name: 'orders', arn: 'arn:aws:sns:us-east-1:123456789012:orders', fifo: false };
const sub = (id: string, over: Partial<SubscriptionSpec> = {}): SubscriptionSpec => ({ id, arn: `${TOPIC.arn}:${id}`, topicArn: TOPIC.arn, protocol: 'lambda', endpoint: 'arn:aws:lambda:us-east-1:123456789012:function:fn', ...over });

function topics(subscriptions: SubscriptionSpec[], list: TopicSpec[] = [TOPIC]) {
  const delivered: SnsDelivery[] = [];
  return { delivered, topics: new SnsTopics(list, subscriptions, { region: 'us-east-1', accountId: '123456789012', now: () => Date.UTC(2026, 11, 3, 15, 0, 0), deliver: (d) => delivered.push(d) }) };
}

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return undefined;
};

describe('Publish', () => {
  it.each([
    { given: 'no TopicArn', input: { Message: 'm' }, want: 'InvalidParameter' },
    { given: 'a topic that does not exist', input: { TopicArn: `${TOPIC.arn}-nope`, Message: 'm' }, want: 'NotFound' },
    { given: 'a TopicArn that is no ARN (a topic`s name)', input: { TopicArn: 'orders', Message: 'm' }, want: 'InvalidParameter' },
    { given: 'an empty message', input: { TopicArn: TOPIC.arn, Message: '' }, want: 'InvalidParameter' },
    { given: 'a message over 256 KB', input: { TopicArn: TOPIC.arn, Message: 'x'.repeat(256 * 1024 + 1) }, want: 'InvalidParameter' },
    { given: 'MessageStructure json without a default', input: { TopicArn: TOPIC.arn, Message: '{"sqs":"x"}', MessageStructure: 'json' }, want: 'InvalidParameter' },
    { given: 'an attribute without a value', input: { TopicArn: TOPIC.arn, Message: 'm', MessageAttributes: { a: { DataType: 'String' } } }, want: 'ParameterValueInvalid' },
  ])('$given: $want, nothing delivered', ({ input, want }) => {
    const { topics: t, delivered } = topics([sub('s')]);

    expect(codeOf(() => t.publish(input))).toBe(want);
    expect(delivered).toEqual([]);
  });

  it('a Publish to a phone number (SMS, not emulated) is refused, and the terminal says so with the message, since the caller may hide the answer', () => {
    const lines: string[] = [];
    const t = new SnsTopics([TOPIC], [], { region: 'us-east-1', accountId: '123456789012', deliver: () => undefined, log: (line) => lines.push(line) });

    expect(codeOf(() => t.publish({ PhoneNumber: '+15555550100', Message: 'Your code is 1234' }))).toBe('InvalidParameter');
    expect(lines).toEqual(['emulator: SNS Publish to the phone number +15555550100 (SMS) was refused: SMS is not emulated locally (answered InvalidParameter); it would carry message "Your code is 1234"']);
  });

  it('each delivery carries the text its protocol gets (MessageStructure json: the protocol`s own) and the Subject, for a subscription nothing receives here', () => {
    const { topics: t, delivered } = topics([sub('mail', { protocol: 'email', endpoint: 'ops@example.com' }), sub('q', { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:q' })]);

    t.publish({ TopicArn: TOPIC.arn, Subject: 'Approve?', MessageStructure: 'json', Message: JSON.stringify({ default: 'plain', email: 'Click to approve' }) });

    expect(delivered.map((d) => [d.subscription.id, d.message, d.subject])).toEqual([
      ['mail', 'Click to approve', 'Approve?'],
      ['q', 'plain', 'Approve?'],
    ]);
  });

  it('a function subscription gets SNS`s Lambda event', () => {
    const { topics: t, delivered } = topics([sub('fn-sub')]);

    const { MessageId } = t.publish({ TopicArn: TOPIC.arn, Message: 'hello', Subject: 'Hi', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } });

    expect(delivered[0]!.payload).toEqual({
      Records: [{
        EventSource: 'aws:sns',
        EventVersion: '1.0',
        EventSubscriptionArn: `${TOPIC.arn}:fn-sub`,
        Sns: expect.objectContaining({ Type: 'Notification', MessageId, TopicArn: TOPIC.arn, Subject: 'Hi', Message: 'hello', Timestamp: '2026-12-03T15:00:00.000Z', SignatureVersion: '1', MessageAttributes: { kind: { Type: 'String', Value: 'order' } } }),
      }],
    });
  });

  it('a queue subscription gets SNS`s JSON envelope, or the message itself with RawMessageDelivery', () => {
    const { topics: t, delivered } = topics([sub('q', { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:q' }), sub('raw', { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:r', rawMessageDelivery: true })]);

    t.publish({ TopicArn: TOPIC.arn, Message: 'hello' });

    expect(JSON.parse(delivered[0]!.payload as string)).toMatchObject({ Type: 'Notification', TopicArn: TOPIC.arn, Message: 'hello', SigningCertURL: expect.any(String), UnsubscribeURL: expect.any(String) });
    expect(delivered[1]!.payload).toBe('hello');
  });

  it('MessageStructure json: each protocol its own message, the others the default', () => {
    const { topics: t, delivered } = topics([sub('q', { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:q', rawMessageDelivery: true }), sub('fn')]);

    t.publish({ TopicArn: TOPIC.arn, Message: JSON.stringify({ default: 'for all', sqs: 'for queues' }), MessageStructure: 'json' });

    expect(delivered[0]!.payload).toBe('for queues');
    expect((delivered[1]!.payload as { Records: { Sns: { Message: string } }[] }).Records[0]!.Sns.Message).toBe('for all');
  });
});

describe('FIFO topics', () => {
  const FIFO: TopicSpec = { logicalId: 'F', name: 'f.fifo', arn: 'arn:aws:sns:us-east-1:123456789012:f.fifo', fifo: true, contentBasedDeduplication: true };
  const queueSub = sub('q', { topicArn: FIFO.arn, protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:q.fifo' });

  it('the same content within 5 minutes is one message (the first id), delivered once, with its group and deduplication id', () => {
    const { topics: t, delivered } = topics([queueSub], [FIFO]);

    const first = t.publish({ TopicArn: FIFO.arn, Message: 'same', MessageGroupId: 'g' });
    const again = t.publish({ TopicArn: FIFO.arn, Message: 'same', MessageGroupId: 'g' });

    expect(again.MessageId).toBe(first.MessageId);
    expect(delivered).toHaveLength(1);
    expect(delivered[0]).toMatchObject({ messageGroupId: 'g', messageDeduplicationId: expect.stringMatching(/^[0-9a-f]{64}$/) });
  });

  it.each([
    { given: 'a FIFO topic without ContentBasedDeduplication and no MessageDeduplicationId', topic: { ...FIFO, contentBasedDeduplication: false }, input: { MessageGroupId: 'g' } },
    { given: 'a MessageDeduplicationId on a standard topic', topic: TOPIC, input: { MessageDeduplicationId: 'd' } },
  ])('$given: InvalidParameter', ({ topic, input }) => {
    const { topics: t } = topics([], [topic]);
    expect(codeOf(() => t.publish({ TopicArn: topic.arn, Message: 'm', ...input }))).toBe('InvalidParameter');
  });
});

describe('raw delivery to a queue', () => {
  it('carries the message attributes as the SQS message`s (SNS raw message delivery)', () => {
    const { topics: t, delivered } = topics([sub('raw', { protocol: 'sqs', endpoint: 'arn:aws:sqs:us-east-1:123456789012:r', rawMessageDelivery: true })]);

    t.publish({ TopicArn: TOPIC.arn, Message: 'm', MessageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } });

    expect(delivered[0]).toMatchObject({ payload: 'm', messageAttributes: { kind: { DataType: 'String', StringValue: 'order' } } });
  });
});

describe('filter policies', () => {
  it.each([
    { given: 'a matching attribute', policy: { kind: ['order'] }, scope: undefined, attributes: { kind: { DataType: 'String', StringValue: 'order' } }, message: 'm', want: true },
    { given: 'another value', policy: { kind: ['refund'] }, scope: undefined, attributes: { kind: { DataType: 'String', StringValue: 'order' } }, message: 'm', want: false },
    { given: 'a Number attribute in a numeric range', policy: { total: [{ numeric: ['>=', 100] }] }, scope: undefined, attributes: { total: { DataType: 'Number', StringValue: '150' } }, message: 'm', want: true },
    { given: 'a String.Array attribute by one of its values', policy: { tags: ['b'] }, scope: undefined, attributes: { tags: { DataType: 'String.Array', StringValue: '["a","b"]' } }, message: 'm', want: true },
    { given: 'no attributes at all', policy: { kind: ['order'] }, scope: undefined, attributes: undefined, message: 'm', want: false },
    { given: 'MessageBody scope: a JSON message`s field', policy: { kind: ['order'] }, scope: 'MessageBody' as const, attributes: undefined, message: '{"kind":"order"}', want: true },
    { given: 'MessageBody scope: a message that is not JSON', policy: { kind: ['order'] }, scope: 'MessageBody' as const, attributes: undefined, message: 'order', want: false },
  ])('$given: delivered $want', ({ policy, scope, attributes, message, want }) => {
    const { topics: t, delivered } = topics([sub('s', { filterPolicy: policy, ...(scope ? { filterPolicyScope: scope } : {}) })]);

    t.publish({ TopicArn: TOPIC.arn, Message: message, ...(attributes ? { MessageAttributes: attributes } : {}) });

    expect(delivered.length === 1).toBe(want);
  });
});

describe('the query protocol`s flattened parameters', () => {
  it('maps as entry.N, lists as member.N', () => {
    const form = 'Action=PublishBatch&TopicArn=t&PublishBatchRequestEntries.member.2.Id=b&PublishBatchRequestEntries.member.2.Message=m2&PublishBatchRequestEntries.member.1.Id=a&PublishBatchRequestEntries.member.1.Message=m1&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Name=k&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.DataType=String&PublishBatchRequestEntries.member.1.MessageAttributes.entry.1.Value.StringValue=v';

    expect(snsInput(new URLSearchParams(form))).toEqual({ TopicArn: 't', PublishBatchRequestEntries: [{ Id: 'a', Message: 'm1', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }, { Id: 'b', Message: 'm2' }] });
  });
});

describe('the endpoint, through the AWS SDK v3 SNS client', () => {
  const { topics: t, delivered } = topics([sub('fn')]);
  const serving = startSns(t, { credentials: TEST_CREDENTIALS });
  afterAll(async () => (await serving).close());
  const client = async () => new SNSClient({ region: 'us-east-1', endpoint: (await serving).url, credentials: TEST_CREDENTIALS });

  it('Publish and PublishBatch answer their message ids; ListTopics lists the topic', async () => {
    const sns = await client();

    const one = await sns.send(new PublishCommand({ TopicArn: TOPIC.arn, Message: 'one', MessageAttributes: { k: { DataType: 'String', StringValue: 'v' } } }));
    // An invalid entry refuses the whole batch, as SNS answers the invalid entries LocalStack's snapshots recorded.
    const refused = await sns.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'two' }, { Id: 'b', Message: '' }] })).catch((e: unknown) => e);
    const batch = await sns.send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: [{ Id: 'a', Message: 'two' }] }));
    const listed = await sns.send(new ListTopicsCommand({}));

    expect(one.MessageId).toMatch(/^[0-9a-f-]{36}$/);
    expect(refused).toMatchObject({ name: 'InvalidParameterException', message: 'Invalid parameter: Empty message' });
    expect(batch.Successful?.map((s) => s.Id)).toEqual(['a']);
    expect(batch.Failed).toEqual([]);
    expect(listed.Topics).toEqual([{ TopicArn: TOPIC.arn }]);
    expect(delivered.map((d) => (d.payload as { Records: { Sns: { Message: string } }[] }).Records[0]!.Sns.Message)).toEqual(['one', 'two']);
  });

  it('PublishBatch entries with the same Id: BatchEntryIdsNotDistinct, nothing published', async () => {
    const before = delivered.length;
    await expect((await client()).send(new PublishBatchCommand({ TopicArn: TOPIC.arn, PublishBatchRequestEntries: [{ Id: 'a', Message: '1' }, { Id: 'a', Message: '2' }] }))).rejects.toMatchObject({ name: 'BatchEntryIdsNotDistinctException' });
    expect(delivered.length).toBe(before);
  });

  it('a form posted to `//` (API Gateway`s sns:path//) is read as one posted to the root', async () => {
    const url = (await serving).url;
    const { signRequest } = await import('../../../../emulator/services/sigv4.js');
    const body = `Action=Publish&TopicArn=${encodeURIComponent(TOPIC.arn)}&Message=hi`;
    const target = new URL(`${url}//`);
    const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url: target, headers: { 'content-type': 'application/x-www-form-urlencoded' }, body, region: 'us-east-1', service: 'sns' });

    const res = await fetch(target, { method: 'POST', headers, body });

    expect(res.status).toBe(200);
    expect(await res.text()).toMatch(/<PublishResult><MessageId>[0-9a-f-]{36}<\/MessageId><\/PublishResult>/);
  });

  it('an unknown topic is NotFound, as the SDK names it', async () => {
    await expect((await client()).send(new PublishCommand({ TopicArn: `${TOPIC.arn}-nope`, Message: 'x' }))).rejects.toBeInstanceOf(NotFoundException);
  });

  it('R12 API Gateway`s JSON: {"PublishResponse":{"PublishResult":{"MessageId":...,"SequenceNumber":null},...}}', async () => {
    const url = (await serving).url;
    const { signRequest } = await import('../../../../emulator/services/sigv4.js');
    const body = `Action=Publish&TopicArn=${encodeURIComponent(TOPIC.arn)}&Message=hi`;
    const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url: new URL(url), headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'application/json' }, body, region: 'us-east-1', service: 'sns' });

    const res = await fetch(url, { method: 'POST', headers, body });

    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ PublishResponse: { PublishResult: { MessageId: expect.stringMatching(/^[0-9a-f-]{36}$/), SequenceNumber: null }, ResponseMetadata: { RequestId: expect.any(String) } } });
  });
});
