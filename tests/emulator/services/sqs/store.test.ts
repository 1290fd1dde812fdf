/**
 * The embedded SQS's queues on an injected clock (SQS Developer Guide): visibility timeouts, delays, retention,
 * FIFO order and deduplication, redrive to a dead-letter queue, and the checks SQS makes on what is sent.
 */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { SqsError } from '../../../../emulator/services/sqs/errors.js';
import { md5OfAttributes } from '../../../../emulator/services/sqs/md5.js';
import { SqsStore } from '../../../../emulator/services/sqs/store.js';

function fixture(attributes: Record<string, string> = {}, name = 'jobs') {
  let now = 1_700_000_000_000;
  const clock = { now: () => now };
  const store = new SqsStore('us-east-1', '123456789012', clock, 'AKIDLOCAL');
  const queue = store.createQueue({ name, attributes });
  return { store, queue, advance: (seconds: number) => (now += seconds * 1000), now: () => now };
}

const codeOf = (run: () => unknown): string | undefined => {
  try {
    run();
  } catch (error) {
    if (error instanceof SqsError) return error.code;
    throw error;
  }
  return undefined;
};

describe('visibility timeout', () => {
  it('a received message is hidden for the queue`s VisibilityTimeout, then received again with a new handle and count', () => {
    // Prepare
    const { store, queue, advance } = fixture({ VisibilityTimeout: '30' });
    store.send(queue, { MessageBody: 'hello' });

    // Act
    const first = store.receive(queue, { AttributeNames: ['All'] });
    const hidden = store.receive(queue, {});
    advance(29);
    const stillHidden = store.receive(queue, {});
    advance(1);
    const again = store.receive(queue, { AttributeNames: ['ApproximateReceiveCount'] });

    // Assess
    expect(first).toHaveLength(1);
    expect(first[0]!.Attributes).toMatchObject({ ApproximateReceiveCount: '1', SenderId: 'AKIDLOCAL' });
    expect(hidden).toEqual([]);
    expect(stillHidden).toEqual([]);
    expect(again).toHaveLength(1);
    expect(again[0]!.MessageId).toBe(first[0]!.MessageId);
    expect(again[0]!.ReceiptHandle).not.toBe(first[0]!.ReceiptHandle);
    expect(again[0]!.Attributes).toEqual({ ApproximateReceiveCount: '2' });
  });

  it('ReceiveMessage`s VisibilityTimeout wins over the queue`s; ChangeMessageVisibility 0 makes it visible at once', () => {
    const { store, queue, advance } = fixture();
    store.send(queue, { MessageBody: 'a' });
    const [taken] = store.receive(queue, { VisibilityTimeout: 5 });
    advance(5);
    const [retaken] = store.receive(queue, {});

    store.changeVisibility(queue, retaken!.ReceiptHandle, 0);

    expect(taken).toBeDefined();
    expect(store.receive(queue, {})).toHaveLength(1);
  });

  it('ChangeMessageVisibility on a message that is not in flight is MessageNotInflight', () => {
    const { store, queue, advance } = fixture({ VisibilityTimeout: '10' });
    store.send(queue, { MessageBody: 'a' });
    const [taken] = store.receive(queue, {});
    advance(10);

    expect(codeOf(() => store.changeVisibility(queue, taken!.ReceiptHandle, 60))).toBe('MessageNotInflight');
  });

  it('a deleted message never comes back; a handle of another queue is ReceiptHandleIsInvalid', () => {
    const { store, queue, advance } = fixture({ VisibilityTimeout: '1' });
    const other = store.createQueue({ name: 'other' });
    store.send(queue, { MessageBody: 'a' });
    const [taken] = store.receive(queue, {});

    store.delete(queue, taken!.ReceiptHandle);
    advance(5);

    expect(store.receive(queue, {})).toEqual([]);
    expect(codeOf(() => store.delete(other, taken!.ReceiptHandle))).toBe('ReceiptHandleIsInvalid');
    expect(codeOf(() => store.delete(queue, 'bm90LWEtaGFuZGxl'))).toBe('ReceiptHandleIsInvalid');
  });
});

describe('delays and retention', () => {
  it.each([
    { given: 'the queue`s DelaySeconds', queue: { DelaySeconds: '10' }, send: {}, visibleAfter: 10 },
    { given: 'a message`s DelaySeconds over the queue`s', queue: { DelaySeconds: '10' }, send: { DelaySeconds: 3 }, visibleAfter: 3 },
  ])('$given hides a new message until it passes', ({ queue: attributes, send, visibleAfter }) => {
    const { store, queue, advance } = fixture(attributes);
    store.send(queue, { MessageBody: 'later', ...send });

    advance(visibleAfter - 1);
    const early = store.receive(queue, {});
    advance(1);

    expect(early).toEqual([]);
    expect(store.receive(queue, {})).toHaveLength(1);
    expect(store.attributes(queue, ['ApproximateNumberOfMessagesNotVisible'])).toEqual({ ApproximateNumberOfMessagesNotVisible: '1' });
  });

  it('a message older than MessageRetentionPeriod is gone', () => {
    const { store, queue, advance } = fixture({ MessageRetentionPeriod: '60' });
    store.send(queue, { MessageBody: 'old' });

    advance(60);

    expect(store.receive(queue, {})).toEqual([]);
    expect(store.attributes(queue, ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '0' });
  });
});

describe('redrive to a dead-letter queue', () => {
  it('a message received maxReceiveCount times moves to the dead-letter queue, keeping its id and body', () => {
    // Prepare
    const { store, queue: dlq, advance } = fixture({}, 'jobs-dlq');
    const queue = store.createQueue({ name: 'jobs', attributes: { VisibilityTimeout: '1', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 2 }) } });
    store.send(queue, { MessageBody: 'poison' });

    // Act
    const receives = [];
    for (let i = 0; i < 3; i++) {
      receives.push(store.receive(queue, {}).length);
      advance(1);
    }
    const dead = store.receive(dlq, { AttributeNames: ['ApproximateReceiveCount'] });

    // Assess
    expect(receives).toEqual([1, 1, 0]);
    expect(dead).toHaveLength(1);
    expect(dead[0]!.Body).toBe('poison');
    expect(dead[0]!.Attributes).toEqual({ ApproximateReceiveCount: '1' });
  });
});

describe('FIFO queues', () => {
  const fifo = () => fixture({ FifoQueue: 'true', ContentBasedDeduplication: 'true', VisibilityTimeout: '30' }, 'orders.fifo');

  it('a group waits while one of its messages is in flight; other groups go on; order holds within a group', () => {
    const { store, queue } = fifo();
    for (const [group, body] of [['a', 'a1'], ['a', 'a2'], ['b', 'b1']]) store.send(queue, { MessageBody: body, MessageGroupId: group });

    const first = store.receive(queue, { MaxNumberOfMessages: 1 });
    const second = store.receive(queue, { MaxNumberOfMessages: 10 });
    store.delete(queue, first[0]!.ReceiptHandle);
    const third = store.receive(queue, { MaxNumberOfMessages: 10 });

    expect(first.map((m) => m.Body)).toEqual(['a1']);
    expect(second.map((m) => m.Body)).toEqual(['b1']);
    expect(third.map((m) => m.Body)).toEqual(['a2']);
  });

  it('the same content within 5 minutes is one message (the first send`s id); after them, a new one', () => {
    const { store, queue, advance } = fifo();
    const first = store.send(queue, { MessageBody: 'same', MessageGroupId: 'g' });
    const duplicate = store.send(queue, { MessageBody: 'same', MessageGroupId: 'g' });
    advance(300);
    const later = store.send(queue, { MessageBody: 'same', MessageGroupId: 'g' });

    expect(duplicate.MessageId).toBe(first.MessageId);
    expect(later.MessageId).not.toBe(first.MessageId);
    expect(BigInt(later.SequenceNumber!)).toBeGreaterThan(BigInt(first.SequenceNumber!));
    expect(store.attributes(queue, ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '2' });
  });

  it.each([
    { given: 'no MessageGroupId', send: { MessageBody: 'x' }, want: 'MissingParameter' },
    { given: 'a per-message DelaySeconds', send: { MessageBody: 'x', MessageGroupId: 'g', DelaySeconds: 5 }, want: 'InvalidParameterValue' },
    { given: 'a MessageGroupId with a space', send: { MessageBody: 'x', MessageGroupId: 'a b' }, want: 'InvalidParameterValue' },
    { given: 'a MessageGroupId beyond ASCII', send: { MessageBody: 'x', MessageGroupId: 'grüße' }, want: 'InvalidParameterValue' },
    { given: 'a MessageGroupId of 129 characters', send: { MessageBody: 'x', MessageGroupId: 'g'.repeat(129) }, want: 'InvalidParameterValue' },
    { given: 'a MessageDeduplicationId with a space', send: { MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd d' }, want: 'InvalidParameterValue' },
  ])('$given is refused ($want)', ({ send, want }) => {
    const { store, queue } = fifo();
    expect(codeOf(() => store.send(queue, send))).toBe(want);
  });

  it.each(['g'.repeat(128), 'a-b_c.d:e/f#1', '!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~'])('a MessageGroupId of alphanumerics and punctuation up to 128 characters is taken: %s', (group) => {
    const { store, queue } = fifo();
    expect(store.send(queue, { MessageBody: group, MessageGroupId: group }).SequenceNumber).toMatch(/^\d{20}$/);
  });

  it('without ContentBasedDeduplication a MessageDeduplicationId is required', () => {
    const { store, queue } = fixture({ FifoQueue: 'true' }, 'plain.fifo');
    expect(codeOf(() => store.send(queue, { MessageBody: 'x', MessageGroupId: 'g' }))).toBe('InvalidParameterValue');
    expect(store.send(queue, { MessageBody: 'x', MessageGroupId: 'g', MessageDeduplicationId: 'd1' }).SequenceNumber).toMatch(/^\d{20}$/);
  });
});

describe('what SendMessage refuses, and nothing is enqueued', () => {
  it.each([
    { given: 'an empty body', send: { MessageBody: '' }, want: 'MissingParameter' },
    { given: 'a body over MaximumMessageSize', send: { MessageBody: 'x'.repeat(1025) }, want: 'InvalidParameterValue' },
    { given: 'a character XML does not allow', send: { MessageBody: 'a\u0000b' }, want: 'InvalidMessageContents' },
    { given: 'DelaySeconds over 900', send: { MessageBody: 'a', DelaySeconds: 901 }, want: 'InvalidParameterValue' },
    { given: 'an attribute without DataType', send: { MessageBody: 'a', MessageAttributes: { k: { StringValue: 'v' } } }, want: 'InvalidParameterValue' },
    { given: 'a Number attribute that is no number', send: { MessageBody: 'a', MessageAttributes: { k: { DataType: 'Number', StringValue: 'ten' } } }, want: 'InvalidParameterValue' },
  ])('$given: $want', ({ send, want }) => {
    const { store, queue } = fixture({ MaximumMessageSize: '1024' });
    expect(codeOf(() => store.send(queue, send))).toBe(want);
    expect(store.attributes(queue, ['ApproximateNumberOfMessages'])).toEqual({ ApproximateNumberOfMessages: '0' });
  });

  it('a queue name SQS refuses, and the same name with other attributes, are refused', () => {
    const { store } = fixture();
    expect(codeOf(() => store.createQueue({ name: 'has space' }))).toBe('InvalidParameterValue');
    expect(codeOf(() => store.createQueue({ name: 'jobs', attributes: { VisibilityTimeout: '99' } }))).toBe('QueueNameExists');
    expect(codeOf(() => store.createQueue({ name: 'x', attributes: { VisibilityTimeout: '50000' } }))).toBe('InvalidAttributeValue');
  });
});

describe('message attributes', () => {
  it('are returned only when asked for by name, prefix or All, with the digest of those returned', () => {
    const { store, queue } = fixture({ VisibilityTimeout: '0' });
    const attributes = { 'trace.id': { DataType: 'String', StringValue: 't-1' }, size: { DataType: 'Number', StringValue: '3' }, raw: { DataType: 'Binary', BinaryValue: 'AQID' } };
    const sent = store.send(queue, { MessageBody: 'a', MessageAttributes: attributes });

    const none = store.receive(queue, {})[0]!;
    const prefixed = store.receive(queue, { MessageAttributeNames: ['trace.*'] })[0]!;
    const all = store.receive(queue, { MessageAttributeNames: ['All'] })[0]!;

    expect(none.MessageAttributes).toBeUndefined();
    expect(Object.keys(prefixed.MessageAttributes!)).toEqual(['trace.id']);
    expect(prefixed.MD5OfMessageAttributes).toBe(md5OfAttributes({ 'trace.id': attributes['trace.id'] }));
    expect(all.MD5OfMessageAttributes).toBe(sent.MD5OfMessageAttributes);
  });

  it('the digest follows SQS`s encoding (names sorted, length-prefixed, transport type byte)', () => {
    // The value the Developer Guide's algorithm gives, computed by hand for one String attribute.
    const bytes = Buffer.concat([Buffer.from([0, 0, 0, 1]), Buffer.from('k'), Buffer.from([0, 0, 0, 6]), Buffer.from('String'), Buffer.from([1]), Buffer.from([0, 0, 0, 1]), Buffer.from('v')]);
    const want = createHash('md5').update(bytes).digest('hex');

    expect(md5OfAttributes({ k: { DataType: 'String', StringValue: 'v' } })).toBe(want);
    expect(md5OfAttributes({})).toBeUndefined();
  });
});

describe('errors in SQS`s words', () => {
  it('a message over MaximumMessageSize: "One or more parameters are invalid"', () => {
    const { store, queue } = fixture({ MaximumMessageSize: '1024' });
    expect(() => store.send(queue, { MessageBody: 'x'.repeat(1025) })).toThrow('One or more parameters are invalid. Reason: Message must be shorter than 1024 bytes.');
  });

  it('a second PurgeQueue within 60 seconds is PurgeQueueInProgress; after them, another is allowed', () => {
    const { store, queue, advance } = fixture();
    store.purge(queue);
    advance(59);

    expect(codeOf(() => store.purge(queue))).toBe('PurgeQueueInProgress');
    advance(1);
    expect(codeOf(() => store.purge(queue))).toBeUndefined();
  });

  it('a dead-lettered message says where it came from (DeadLetterQueueSourceArn)', () => {
    const { store, queue: dlq } = fixture({}, 'dlq');
    const queue = store.createQueue({ name: 'src', attributes: { VisibilityTimeout: '0', RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.arn, maxReceiveCount: 1 }) } });
    store.send(queue, { MessageBody: 'x' });
    store.receive(queue, {});
    store.receive(queue, {});

    const [dead] = store.receive(dlq, { MessageSystemAttributeNames: ['DeadLetterQueueSourceArn'] });

    expect(dead!.Attributes).toEqual({ DeadLetterQueueSourceArn: 'arn:aws:sqs:us-east-1:123456789012:src' });
  });
});

describe('FIFO receipt handles and delays, as LocalStack`s AWS-validated snapshots recorded SQS answering', () => {
  it('LS-rec test_fifo_delete_after_visibility_timeout: a FIFO handle past its visibility timeout has expired', () => {
    const { store, queue, advance } = fixture({ VisibilityTimeout: '1', ContentBasedDeduplication: 'true' }, 'jobs.fifo');
    store.send(queue, { MessageBody: 'foobar', MessageGroupId: '1' });
    const [message] = store.receive(queue, {});
    advance(2);

    const error = (() => {
      try {
        store.delete(queue, message!.ReceiptHandle);
      } catch (e) {
        return e as SqsError;
      }
      return undefined;
    })();

    expect([error?.code, error?.message]).toEqual(['InvalidParameterValue', `Value ${message!.ReceiptHandle} for parameter ReceiptHandle is invalid. Reason: The receipt handle has expired.`]);
    expect(store.attributes(queue, ['ApproximateNumberOfMessages']).ApproximateNumberOfMessages).toBe('1');
  });

  it('LS-rec test_fifo_delete_after_visibility_timeout_extended: a FIFO handle whose visibility was extended still deletes', () => {
    const { store, queue, advance } = fixture({ VisibilityTimeout: '1', ContentBasedDeduplication: 'true' }, 'jobs.fifo');
    store.send(queue, { MessageBody: 'foobar', MessageGroupId: '1' });
    const [message] = store.receive(queue, {});
    store.changeVisibility(queue, message!.ReceiptHandle, 5);
    advance(2);

    expect(codeOf(() => store.delete(queue, message!.ReceiptHandle))).toBeUndefined();
    expect(store.attributes(queue, ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'])).toEqual({ ApproximateNumberOfMessages: '0', ApproximateNumberOfMessagesNotVisible: '0' });
  });

  it('LS-rec test_fifo_queue_send_message_with_zero_delay_defaults_to_queue_delay: DelaySeconds 0 leaves a FIFO queue`s delay in force', () => {
    const { store, queue, advance } = fixture({ DelaySeconds: '2', ContentBasedDeduplication: 'true' }, 'jobs.fifo');
    store.send(queue, { MessageBody: 'message-1', MessageGroupId: '1', DelaySeconds: 0 });

    const early = store.receive(queue, {});
    advance(2);
    const later = store.receive(queue, {});

    expect([early.length, later.map((m) => m.Body)]).toEqual([0, ['message-1']]);
  });
});
