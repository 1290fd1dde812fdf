/**
 * The embedded SNS topics (SNS Developer Guide; API Reference, Publish): Publish checked as SNS checks it, then
 * fanned out to the topic's subscriptions whose filter policy matches (FilterPolicyScope MessageAttributes or
 * MessageBody; the same pattern code as EventBridge's rules): a function gets SNS's Lambda event, a queue SNS's JSON
 * envelope (or the message itself with RawMessageDelivery).
 */
import { createHash, randomUUID } from 'node:crypto';
import type { SubscriptionSpec, TopicSpec } from '../../template/model.js';
import { matchesPattern } from '../event-patterns.js';
import { attributesBytes, checkedAttributes, SnsError, type SnsAttribute } from './attributes.js';

// Defined with the attribute checks (which throw them), so that the two modules do not import each other.
export { SnsError, type SnsAttribute } from './attributes.js';

/** One message for one subscription, with what that subscription receives. */
export interface SnsDelivery {
  subscription: SubscriptionSpec;
  topic: TopicSpec;
  messageId: string;
  /** The Lambda event (lambda) or the SQS message body (sqs). */
  payload: unknown;
  /** The message text for this subscription's protocol, and the Subject: what an email (or SMS...) would carry. */
  message: string;
  subject?: string;
  /** FIFO topics: the group and deduplication id of an SQS subscription's message. */
  messageGroupId?: string;
  messageDeduplicationId?: string;
  /** Raw delivery to a queue: the message attributes become the SQS message's. */
  messageAttributes?: Record<string, SnsAttribute>;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const MAX_MESSAGE_BYTES = 256 * 1024;

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;

/** A Publish that passed SNS's checks, ready to deliver. */
export interface CheckedPublish {
  topic: TopicSpec;
  message: string;
  subject?: string;
  attributes: Record<string, SnsAttribute>;
  /** MessageStructure json: the message per protocol. */
  messages?: Record<string, unknown>;
  groupId?: string;
  deduplicationId?: string;
}

/** A message's size as SNS limits it: its UTF-8 bytes and its attributes'. */
export const publishBytes = (message: string, attributes: Record<string, SnsAttribute>): number => Buffer.byteLength(message) + attributesBytes(attributes);

export class SnsTopics {
  /** FIFO topics: deduplication id → the first message's id, until its 5-minute window ends. */
  private readonly seen = new Map<string, { messageId: string; sequenceNumber?: string; until: number }>();
  private sequence = 0;

  constructor(
    private readonly topics: TopicSpec[],
    private readonly subscriptions: SubscriptionSpec[],
    private readonly options: { region: string; accountId: string; now?: () => number; deliver(delivery: SnsDelivery): void; log?: (line: string) => void },
  ) {}

  list(): TopicSpec[] {
    return this.topics;
  }

  /** The topic of a TopicArn, checked as SNS checks it (its form, its region, then whether it exists). */
  topic(arn: unknown): TopicSpec {
    if (typeof arn !== 'string') throw new SnsError('InvalidParameter', 'Invalid parameter: TopicArn or TargetArn Reason: no value for required parameter');
    const elements = arn.split(':').length;
    if (elements < 6) throw new SnsError('InvalidParameter', `Invalid parameter: TopicArn Reason: An ARN must have at least 6 elements, not ${elements}`);
    // Not an SNS topic's ARN, or another region's: a malformed parameter, not a topic that does not exist.
    const parts = /^arn:[^:]+:sns:([^:]*):\d{12}:[A-Za-z0-9_.-]+$/.exec(arn);
    if (!parts || parts[1] !== this.options.region) throw new SnsError('InvalidParameter', 'Invalid parameter: TopicArn');
    const topic = this.topics.find((t) => t.arn === arn);
    if (!topic) throw new SnsError('NotFound', 'Topic does not exist', 404);
    return topic;
  }

  /** Publish: the message id, after the message is handed to each subscription it is for. */
  publish(input: Record<string, unknown>): { MessageId: string; SequenceNumber?: string } {
    return this.publishChecked(this.check(input));
  }

  /** A Publish (or a PublishBatch entry, `path` naming it as SNS does in a ValidationError) checked as SNS checks it. */
  check(input: Record<string, unknown>, path = 'messageAttributes'): CheckedPublish {
    if (input.TargetArn === undefined && input.TopicArn === undefined && input.PhoneNumber !== undefined) {
      // The caller may hide the answer (a mapping template, a function that catches it): the terminal says it too.
      this.options.log?.(`emulator: SNS Publish to the phone number ${String(input.PhoneNumber)} (SMS) was refused: SMS is not emulated locally (answered InvalidParameter); it would carry message ${JSON.stringify(String(input.Message ?? '').slice(0, 4096))}`);
      throw new SnsError('InvalidParameter', 'Invalid parameter: PhoneNumber: SMS is not served by the local emulator');
    }
    const topic = this.topic(input.TopicArn ?? input.TargetArn);
    const message = input.Message;
    if (typeof message !== 'string' || message === '') throw new SnsError('InvalidParameter', 'Invalid parameter: Empty message');
    const subject = typeof input.Subject === 'string' ? input.Subject : undefined;
    if (subject !== undefined && (subject.length > 100 || subject === '' || /[\r\n]/.test(subject))) throw new SnsError('InvalidParameter', 'Invalid parameter: Subject');
    const attributes = checkedAttributes(input.MessageAttributes, path);
    // The 256 KB limit counts the attributes' names, types and values with the message.
    if (publishBytes(message, attributes) > MAX_MESSAGE_BYTES) throw new SnsError('InvalidParameter', 'Invalid parameter: Message too long');
    let messages: Record<string, unknown> | undefined;
    if (input.MessageStructure === 'json') {
      try {
        messages = JSON.parse(message) as Record<string, unknown>;
      } catch {
        messages = undefined;
      }
      if (!isRecord(messages)) throw new SnsError('InvalidParameter', 'Invalid parameter: Message Structure - JSON message body failed to parse');
      if (typeof messages.default !== 'string') throw new SnsError('InvalidParameter', 'Invalid parameter: Message Structure - No default entry in JSON message body');
    }
    const groupId = typeof input.MessageGroupId === 'string' && input.MessageGroupId !== '' ? input.MessageGroupId : undefined;
    if (topic.fifo && !groupId) throw new SnsError('InvalidParameter', 'Invalid parameter: The MessageGroupId parameter is required for FIFO topics');
    const given = typeof input.MessageDeduplicationId === 'string' && input.MessageDeduplicationId !== '' ? input.MessageDeduplicationId : undefined;
    if (!topic.fifo && given) throw new SnsError('InvalidParameter', 'Invalid parameter: MessageDeduplicationId Reason: The request includes MessageDeduplicationId parameter that is not valid for this topic type');
    if (topic.fifo && !given && !topic.contentBasedDeduplication) throw new SnsError('InvalidParameter', 'Invalid parameter: The topic should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
    return { topic, message, subject, attributes, messages, groupId, deduplicationId: topic.fifo ? (given ?? createHash('sha256').update(message).digest('hex')) : undefined };
  }

  /** A checked Publish delivered: deduplicated on a FIFO topic, then handed to each subscription it is for. */
  publishChecked(checked: CheckedPublish): { MessageId: string; SequenceNumber?: string } {
    const { topic, message, subject, attributes, messages, groupId, deduplicationId } = checked;
    const now = this.options.now?.() ?? Date.now();
    if (deduplicationId) {
      const seen = this.seen.get(`${topic.arn}\0${deduplicationId}`);
      // A duplicate within 5 minutes is accepted and not delivered again (SNS FIFO deduplication).
      if (seen && seen.until > now) return { MessageId: seen.messageId, ...(seen.sequenceNumber ? { SequenceNumber: seen.sequenceNumber } : {}) };
    }
    const messageId = randomUUID();
    // A FIFO topic numbers its messages (20 digits, increasing), in Publish's answer and in the queue's envelope.
    const sequenceNumber = topic.fifo ? (10n ** 19n + BigInt((this.sequence += 1))).toString() : undefined;
    if (deduplicationId) this.seen.set(`${topic.arn}\0${deduplicationId}`, { messageId, ...(sequenceNumber ? { sequenceNumber } : {}), until: now + DEDUPLICATION_WINDOW_MS });
    const timestamp = new Date(now).toISOString();
    for (const subscription of this.subscriptions) {
      if (subscription.topicArn !== topic.arn) continue;
      const text = typeof messages?.[subscription.protocol] === 'string' ? (messages[subscription.protocol] as string) : ((messages?.default as string | undefined) ?? message);
      if (subscription.filterPolicy && !matchesPolicy(subscription, text, attributes)) continue;
      const notification = {
        Type: 'Notification',
        MessageId: messageId,
        TopicArn: topic.arn,
        ...(subject !== undefined ? { Subject: subject } : {}),
        Message: text,
        Timestamp: timestamp,
        SignatureVersion: '1',
        Signature: 'EXAMPLE',
        SigningCertUrl: `https://sns.${this.options.region}.amazonaws.com/SimpleNotificationService-local.pem`,
        UnsubscribeUrl: `https://sns.${this.options.region}.amazonaws.com/?Action=Unsubscribe&SubscriptionArn=${subscription.arn}`,
      };
      const payload = subscription.protocol === 'lambda' ? lambdaEvent(subscription, notification, attributes) : subscription.rawMessageDelivery ? text : sqsEnvelope(notification, attributes, sequenceNumber);
      const raw = subscription.protocol === 'sqs' && subscription.rawMessageDelivery && Object.keys(attributes).length > 0;
      this.options.deliver({ subscription, topic, messageId, payload, message: text, ...(subject !== undefined ? { subject } : {}), ...(groupId ? { messageGroupId: groupId } : {}), ...(deduplicationId ? { messageDeduplicationId: deduplicationId } : {}), ...(raw ? { messageAttributes: attributes } : {}) });
    }
    return { MessageId: messageId, ...(sequenceNumber ? { SequenceNumber: sequenceNumber } : {}) };
  }
}

/** The attributes as a filter policy sees them: numbers as numbers, String.Array as its list. */
function attributeValues(attributes: Record<string, SnsAttribute>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, a] of Object.entries(attributes)) {
    if (a.DataType.startsWith('Number')) out[name] = Number(a.StringValue);
    else if (a.DataType === 'String.Array') {
      try {
        out[name] = JSON.parse(a.StringValue ?? '[]');
      } catch {
        out[name] = a.StringValue;
      }
    } else if (a.StringValue !== undefined) out[name] = a.StringValue;
  }
  return out;
}

/** FilterPolicyScope MessageAttributes (the default) or MessageBody (a JSON message matched field by field). */
function matchesPolicy(subscription: SubscriptionSpec, message: string, attributes: Record<string, SnsAttribute>): boolean {
  const policy = subscription.filterPolicy as Record<string, unknown>;
  if (subscription.filterPolicyScope === 'MessageBody') {
    let body: unknown;
    try {
      body = JSON.parse(message);
    } catch {
      return false;
    }
    return matchesPattern(policy, body);
  }
  return matchesPattern(policy, attributeValues(attributes));
}

/** What a Lambda subscription's function gets (Lambda Developer Guide, "Using Lambda with Amazon SNS"). */
function lambdaEvent(subscription: SubscriptionSpec, notification: Record<string, unknown>, attributes: Record<string, SnsAttribute>): unknown {
  const messageAttributes = Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue }]));
  return { Records: [{ EventSource: 'aws:sns', EventVersion: '1.0', EventSubscriptionArn: subscription.arn, Sns: { ...notification, Subject: notification.Subject ?? null, MessageAttributes: messageAttributes } }] };
}

/** The JSON an SQS subscription's queue gets (SigningCertURL and UnsubscribeURL spelled as SNS spells them there). */
function sqsEnvelope(notification: Record<string, unknown>, attributes: Record<string, SnsAttribute>, sequenceNumber?: string): string {
  const { SigningCertUrl, UnsubscribeUrl, Signature, SignatureVersion, ...rest } = notification;
  const messageAttributes = Object.fromEntries(Object.entries(attributes).map(([k, a]) => [k, { Type: a.DataType, Value: a.StringValue ?? a.BinaryValue }]));
  // A FIFO topic's envelope carries its SequenceNumber after MessageId, and no signature fields.
  const { Type, MessageId, ...after } = rest;
  const head = sequenceNumber ? { Type, MessageId, SequenceNumber: sequenceNumber, ...after } : { ...rest, SignatureVersion, Signature, SigningCertURL: SigningCertUrl };
  return JSON.stringify({ ...head, UnsubscribeURL: UnsubscribeUrl, ...(Object.keys(messageAttributes).length > 0 ? { MessageAttributes: messageAttributes } : {}) });
}

