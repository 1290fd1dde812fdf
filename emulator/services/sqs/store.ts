/**
 * The embedded SQS's queues and messages, in memory, on an injectable clock: visibility timeouts, delays,
 * retention, FIFO groups and deduplication, and redrive to a dead-letter queue after maxReceiveCount receives,
 * as the SQS Developer Guide describes them. Inputs and outputs have the JSON protocol's shapes (message-shapes.ts;
 * protocol.ts translates the query protocol to and from them).
 */
import { createHash, randomUUID } from 'node:crypto';
import { invalidValue, missing, noSuchQueue, SqsError } from './errors.js';
import { attributesSize, checkedMessageAttributes, checkedQueueAttributes, checkedToken, DEFAULTS, int, names, SETTABLE, traceHeaderOf } from './attributes.js';
import type { BatchFailure, ReceivedMessage, ReceiveInput, SendInput, SendResult } from './message-shapes.js';
import { md5Hex, md5OfAttributes, type MessageAttributeValue } from './md5.js';

export interface SqsClock {
  /** Epoch milliseconds. */
  now(): number;
}

export interface QueueDefinition {
  name: string;
  /** Queue attributes as CreateQueue takes them (texts), e.g. VisibilityTimeout: '30', RedrivePolicy: '{...}'. */
  attributes?: Record<string, string>;
}

interface StoredMessage {
  id: string;
  body: string;
  md5OfBody: string;
  attributes?: Record<string, MessageAttributeValue>;
  md5OfAttributes?: string;
  traceHeader?: string;
  sentAt: number;
  visibleAt: number;
  expiresAt: number;
  receiveCount: number;
  firstReceivedAt?: number;
  /** The receipt handle of the latest receive; older ones still delete the message, as on a standard queue. */
  handle?: string;
  inFlight: boolean;
  groupId?: string;
  deduplicationId?: string;
  sequenceNumber?: string;
  /** The queue a dead-lettered message came from (DeadLetterQueueSourceArn). */
  deadLetterSource?: string;
}

export interface Queue {
  name: string;
  url: string;
  arn: string;
  fifo: boolean;
  createdAt: number;
  attributes: Record<string, string>;
  messages: StoredMessage[];
  /** When the queue was last purged (epoch ms). */
  purgedAt?: number;
  /** FIFO: deduplication id → message id and when the 5-minute window ends. */
  deduplication: Map<string, { messageId: string; sequenceNumber: string; until: number }>;
}

const DEDUPLICATION_WINDOW_MS = 5 * 60_000;
const QUEUE_NAME = /^[A-Za-z0-9_-]{1,80}$/;
/** The characters SQS allows in a message (XML 1.0's). */
const INVALID_CHARACTER = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;

export class SqsStore {
  private readonly queues = new Map<string, Queue>();
  private readonly waiters = new Set<() => void>();
  private sequence = 0n;

  constructor(
    readonly region: string,
    readonly accountId: string,
    private readonly clock: SqsClock = { now: () => Date.now() },
    /** The identity SQS reports as SenderId (the local access key id). */
    private readonly senderId = 'AIDALOCALEMULATOR',
    /** Where queue URLs point: the local endpoint (SDKs send each call to its QueueUrl's host); AWS's by default. */
    private readonly endpoint = `https://sqs.${region}.amazonaws.com`,
  ) {}

  /** CreateQueue: a new queue, or the existing one when its attributes are the same (QueueNameExists otherwise). */
  createQueue(definition: QueueDefinition): Queue {
    const { name } = definition;
    const fifo = name.endsWith('.fifo');
    if (!QUEUE_NAME.test(fifo ? name.slice(0, -5) : name)) {
      throw invalidValue('QueueName', name, 'Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length');
    }
    const given = definition.attributes ?? {};
    const fifoAttribute = given.FifoQueue === undefined ? undefined : String(given.FifoQueue).toLowerCase() === 'true';
    if (fifoAttribute !== undefined && fifoAttribute !== fifo) {
      throw new SqsError('InvalidAttributeValue', `Invalid value for the parameter FifoQueue. Reason: ${fifo ? 'The name of a FIFO queue must end with the .fifo suffix' : 'Can only include alphanumeric characters, hyphens, or underscores'}.`);
    }
    const checked = checkedQueueAttributes(given, fifo);
    const attributes = { ...DEFAULTS, ...checked };
    const existing = this.queues.get(name);
    if (existing) {
      // Only the attributes this call gives are compared: CreateQueue without them returns the queue as it is.
      const current: Record<string, string> = { ...DEFAULTS, ...(fifo ? { FifoQueue: 'true', ContentBasedDeduplication: 'false' } : {}), ...existing.attributes };
      const differing = Object.keys(checked).filter((k) => current[k] !== checked[k]);
      if (differing.length > 0) throw new SqsError('QueueNameExists', `A queue already exists with the same name and a different value for attribute ${differing.join(', ')}`);
      return existing;
    }
    const queue: Queue = {
      name,
      url: `${this.endpoint}/${this.accountId}/${name}`,
      arn: `arn:aws:sqs:${this.region}:${this.accountId}:${name}`,
      fifo,
      createdAt: this.clock.now(),
      attributes,
      messages: [],
      deduplication: new Map(),
    };
    this.queues.set(name, queue);
    return queue;
  }

  deleteQueue(queue: Queue): void {
    this.queues.delete(queue.name);
  }

  /** A queue by its URL (any host: the path's account and name), by ARN, or by name. */
  find(reference: unknown): Queue {
    if (typeof reference !== 'string' || reference === '') throw missing('QueueUrl');
    const arn = /^arn:[^:]+:sqs:[^:]*:[^:]*:(.+)$/.exec(reference);
    const name = arn?.[1] ?? reference.replace(/[?#].*$/, '').replace(/\/+$/, '').split('/').pop() ?? '';
    const queue = this.queues.get(safeDecode(name));
    if (!queue) throw noSuchQueue();
    return queue;
  }

  list(prefix = ''): Queue[] {
    return [...this.queues.values()].filter((q) => q.name.startsWith(prefix)).sort((a, b) => a.name.localeCompare(b.name));
  }

  /** Called whenever a message may have become receivable (a send, a visibility change): long polls check again. */
  onChange(listener: () => void): () => void {
    this.waiters.add(listener);
    return () => this.waiters.delete(listener);
  }

  private changePending = false;

  /** Listeners run after the current action (never inside it, where a receive could re-enter a receive). */
  private changed(): void {
    if (this.changePending) return;
    this.changePending = true;
    queueMicrotask(() => {
      this.changePending = false;
      for (const listener of [...this.waiters]) listener();
    });
  }

  send(queue: Queue, input: SendInput): SendResult {
    const result = this.enqueue(queue, input);
    this.changed();
    return result;
  }

  /** SendMessageBatch's entries, each sent or failed on its own (the batch's own checks are the protocol's). */
  sendBatch(queue: Queue, entries: (SendInput & { Id: string })[]): { Successful: (SendResult & { Id: string })[]; Failed: BatchFailure[] } {
    const Successful: (SendResult & { Id: string })[] = [];
    const Failed: BatchFailure[] = [];
    for (const entry of entries) {
      try {
        Successful.push({ Id: entry.Id, ...this.enqueue(queue, entry, true) });
      } catch (error) {
        if (!(error instanceof SqsError)) throw error;
        Failed.push({ Id: entry.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
      }
    }
    if (Successful.length > 0) this.changed();
    return { Successful, Failed };
  }

  /** One message in; `inBatch` words a size refusal as SendMessageBatch's entries get it. */
  private enqueue(queue: Queue, input: SendInput, inBatch = false): SendResult {
    const body = input.MessageBody;
    if (body === undefined || body === null || body === '') throw missing('MessageBody');
    if (typeof body !== 'string') throw invalidValue('MessageBody', body, 'must be a string');
    const max = Number(queue.attributes.MaximumMessageSize);
    const attributes = checkedMessageAttributes(input.MessageAttributes);
    const size = Buffer.byteLength(body) + attributesSize(attributes);
    if (size > max) throw new SqsError('InvalidParameterValue', `One or more parameters ${inBatch ? 'cannot be validated' : 'are invalid'}. Reason: Message must be shorter than ${max} bytes.`);
    if (INVALID_CHARACTER.test(body)) {
      throw new SqsError('InvalidMessageContents', 'Invalid binary character was found in the message body, the set of allowed characters is #x9 | #xA | #xD | #x20 to #xD7FF | #xE000 to #xFFFD | #x10000 to #x10FFFF');
    }
    const delay = int(input.DelaySeconds);
    if (delay !== undefined && (Number.isNaN(delay) || delay < 0 || delay > 900)) throw invalidValue('DelaySeconds', input.DelaySeconds, 'must be between 0 and 900, if provided.');
    if (queue.fifo && delay !== undefined && delay !== 0) throw invalidValue('DelaySeconds', input.DelaySeconds, 'The request include parameter that is not valid for this queue type.');
    const now = this.clock.now();
    const message: StoredMessage = {
      id: randomUUID(),
      body,
      md5OfBody: md5Hex(body),
      sentAt: now,
      // A FIFO queue takes only DelaySeconds 0 per message, and that 0 leaves the queue's own delay in force.
      visibleAt: now + 1000 * (queue.fifo ? Number(queue.attributes.DelaySeconds) : (delay ?? Number(queue.attributes.DelaySeconds))),
      expiresAt: now + 1000 * Number(queue.attributes.MessageRetentionPeriod),
      receiveCount: 0,
      inFlight: false,
    };
    if (attributes) {
      message.attributes = attributes;
      message.md5OfAttributes = md5OfAttributes(attributes) as string;
    }
    const trace = traceHeaderOf(input.MessageSystemAttributes);
    if (trace) message.traceHeader = trace;
    if (queue.fifo) {
      const duplicate = this.fifoFields(queue, input, message, now);
      if (duplicate) return { MessageId: duplicate.messageId, MD5OfMessageBody: message.md5OfBody, ...(message.md5OfAttributes ? { MD5OfMessageAttributes: message.md5OfAttributes } : {}), SequenceNumber: duplicate.sequenceNumber };
    } else if (input.MessageGroupId !== undefined && input.MessageGroupId !== null) {
      // Standard queues accept a MessageGroupId (fair queues) and return it on receive; an empty one is refused.
      message.groupId = checkedToken('MessageGroupId', input.MessageGroupId);
    }
    queue.messages.push(message);
    return {
      MessageId: message.id,
      MD5OfMessageBody: message.md5OfBody,
      ...(message.md5OfAttributes ? { MD5OfMessageAttributes: message.md5OfAttributes } : {}),
      ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    };
  }

  /** FIFO group and deduplication: the earlier send's ids when this one is a duplicate within 5 minutes. */
  private fifoFields(queue: Queue, input: SendInput, message: StoredMessage, now: number): { messageId: string; sequenceNumber: string } | undefined {
    if (input.MessageGroupId === undefined || input.MessageGroupId === '') throw missing('MessageGroupId');
    message.groupId = checkedToken('MessageGroupId', input.MessageGroupId);
    // An empty MessageDeduplicationId is refused as an invalid one, not read as none.
    let dedup = input.MessageDeduplicationId === undefined || input.MessageDeduplicationId === null ? undefined : checkedToken('MessageDeduplicationId', input.MessageDeduplicationId);
    if (dedup === undefined) {
      if (queue.attributes.ContentBasedDeduplication !== 'true') {
        throw new SqsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
      }
      dedup = createHash('sha256').update(message.body).digest('hex');
    }
    const key = queue.attributes.DeduplicationScope === 'messageGroup' ? `${message.groupId}\0${dedup}` : dedup;
    const seen = queue.deduplication.get(key);
    if (seen && seen.until > now) return seen;
    message.deduplicationId = dedup;
    this.sequence += 1n;
    message.sequenceNumber = (18_000_000_000_000_000_000n + this.sequence).toString();
    queue.deduplication.set(key, { messageId: message.id, sequenceNumber: message.sequenceNumber, until: now + DEDUPLICATION_WINDOW_MS });
    return undefined;
  }

  /** ReceiveMessage without waiting: up to MaxNumberOfMessages visible messages, hidden for the visibility timeout. */
  receive(queue: Queue, input: ReceiveInput): ReceivedMessage[] {
    const max = int(input.MaxNumberOfMessages) ?? 1;
    if (Number.isNaN(max) || max < 1 || max > 10) throw invalidValue('MaxNumberOfMessages', input.MaxNumberOfMessages, 'Must be between 1 and 10, if provided.');
    const visibility = int(input.VisibilityTimeout) ?? Number(queue.attributes.VisibilityTimeout);
    if (Number.isNaN(visibility) || visibility < 0 || visibility > 43_200) throw invalidValue('VisibilityTimeout', input.VisibilityTimeout, 'Must be between 0 and 43200, if provided.');
    const now = this.clock.now();
    this.expire(queue, now);
    const redrive = this.redrivePolicy(queue);
    const busyGroups = new Set(queue.fifo ? queue.messages.filter((m) => m.inFlight && m.visibleAt > now).map((m) => m.groupId) : []);
    const out: ReceivedMessage[] = [];
    for (const message of [...queue.messages]) {
      if (out.length >= max) break;
      if (message.visibleAt > now) {
        // A FIFO group waits while one of its messages is in flight or delayed: its order must hold.
        if (queue.fifo) busyGroups.add(message.groupId);
        continue;
      }
      if (queue.fifo && busyGroups.has(message.groupId)) continue;
      if (redrive && message.receiveCount >= redrive.maxReceiveCount) {
        this.moveToDeadLetters(queue, message, redrive.target);
        continue;
      }
      message.receiveCount += 1;
      message.firstReceivedAt ??= now;
      message.visibleAt = now + visibility * 1000;
      message.inFlight = true;
      message.handle = Buffer.from(`${queue.name}\0${message.id}\0${randomUUID()}`).toString('base64');
      out.push(this.received(queue, message, input));
    }
    return out;
  }

  /** When a message of the queue next becomes visible (epoch ms), for long polls; undefined when none is waiting. */
  nextVisible(queue: Queue): number | undefined {
    const now = this.clock.now();
    let next: number | undefined;
    for (const m of queue.messages) if (m.visibleAt > now && (next === undefined || m.visibleAt < next)) next = m.visibleAt;
    return next;
  }

  private received(queue: Queue, message: StoredMessage, input: ReceiveInput): ReceivedMessage {
    const out: ReceivedMessage = { MessageId: message.id, ReceiptHandle: message.handle as string, MD5OfBody: message.md5OfBody, Body: message.body };
    const system = systemAttributes(queue, message, this.senderId);
    const wanted = new Set([...names(input.AttributeNames), ...names(input.MessageSystemAttributeNames)]);
    const picked = Object.fromEntries(Object.entries(system).filter(([name]) => wanted.has('All') || wanted.has(name)));
    if (Object.keys(picked).length > 0) out.Attributes = picked;
    const attributeNames = names(input.MessageAttributeNames);
    if (message.attributes && attributeNames.length > 0) {
      const chosen = Object.fromEntries(Object.entries(message.attributes).filter(([name]) => attributeNames.some((pattern) => pattern === 'All' || pattern === '*' || pattern === '.*' || pattern === name || (pattern.endsWith('.*') && name.startsWith(pattern.slice(0, -2))))));
      if (Object.keys(chosen).length > 0) {
        out.MessageAttributes = chosen;
        out.MD5OfMessageAttributes = md5OfAttributes(chosen) as string;
      }
    }
    return out;
  }

  /**
   * DeleteMessage: the message of this receipt handle is gone (a handle of an already deleted message is no error).
   * On a FIFO queue the handle must still be the message's current one, within its visibility timeout.
   */
  delete(queue: Queue, handle: unknown): void {
    const id = this.handleMessageId(queue, handle);
    const message = queue.fifo ? queue.messages.find((m) => m.id === id) : undefined;
    if (message && (message.handle !== handle || message.visibleAt < this.clock.now())) throw invalidValue('ReceiptHandle', handle, 'The receipt handle has expired.');
    queue.messages = queue.messages.filter((m) => m.id !== id);
  }

  /** ChangeMessageVisibility: the message of this handle becomes visible `seconds` from now; it must be in flight. */
  changeVisibility(queue: Queue, handle: unknown, seconds: unknown): void {
    const id = this.handleMessageId(queue, handle);
    const timeout = int(seconds);
    if (timeout === undefined) throw missing('VisibilityTimeout');
    if (Number.isNaN(timeout) || timeout < 0 || timeout > 43_200) throw invalidValue('VisibilityTimeout', seconds, 'Must be between 0 and 43200.');
    const now = this.clock.now();
    const message = queue.messages.find((m) => m.id === id);
    // A deleted message's handle is an invalid parameter; a message back in the queue is not in flight.
    if (!message) throw invalidValue('ReceiptHandle', handle, 'Message does not exist or is not available for visibility timeout change.');
    if (!message.inFlight || message.visibleAt <= now) throw new SqsError('MessageNotInflight', 'Message does not exist or is not available for visibility timeout change.');
    message.visibleAt = now + timeout * 1000;
    // Long polls re-arm their timers on the new time (sooner or later than the one they waited for).
    this.changed();
  }

  /** PurgeQueue; another within 60 seconds is PurgeQueueInProgress (API Reference, PurgeQueue). */
  purge(queue: Queue): void {
    const now = this.clock.now();
    if (queue.purgedAt !== undefined && now - queue.purgedAt < 60_000) {
      throw new SqsError('PurgeQueueInProgress', `Only one PurgeQueue operation on ${queue.name} is allowed every 60 seconds.`);
    }
    queue.purgedAt = now;
    queue.messages = [];
  }

  /** GetQueueAttributes: the queue's settings and its approximate counts. */
  attributes(queue: Queue, requested: unknown): Record<string, string> {
    const now = this.clock.now();
    this.expire(queue, now);
    const all: Record<string, string> = {
      QueueArn: queue.arn,
      ApproximateNumberOfMessages: String(queue.messages.filter((m) => m.visibleAt <= now).length),
      ApproximateNumberOfMessagesNotVisible: String(queue.messages.filter((m) => m.inFlight && m.visibleAt > now).length),
      ApproximateNumberOfMessagesDelayed: String(queue.messages.filter((m) => !m.inFlight && m.visibleAt > now).length),
      CreatedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      LastModifiedTimestamp: String(Math.floor(queue.createdAt / 1000)),
      SqsManagedSseEnabled: 'true',
      ...queue.attributes,
      ...(queue.fifo ? { FifoQueue: 'true', ContentBasedDeduplication: queue.attributes.ContentBasedDeduplication ?? 'false' } : {}),
    };
    const wanted = names(requested);
    if (wanted.includes('All')) return all;
    for (const name of wanted) if (!(name in all) && !SETTABLE.has(name) && !name.startsWith('Approximate')) throw new SqsError('InvalidAttributeName', `Unknown Attribute ${name}.`);
    return Object.fromEntries(Object.entries(all).filter(([name]) => wanted.includes(name)));
  }

  /** SetQueueAttributes; FifoQueue is no attribute of a standard queue, and a FIFO queue stays one. */
  setAttributes(queue: Queue, given: Record<string, string>): void {
    if ('FifoQueue' in given) {
      if (!queue.fifo) throw new SqsError('InvalidAttributeName', 'Unknown Attribute FifoQueue.');
      if (String(given.FifoQueue).toLowerCase() !== 'true') throw new SqsError('InvalidAttributeValue', 'Invalid value for the parameter FifoQueue. Reason: Modifying queue type is not supported.');
    }
    Object.assign(queue.attributes, checkedQueueAttributes(given, queue.fifo));
  }

  private redrivePolicy(queue: Queue): { maxReceiveCount: number; target: Queue } | undefined {
    const text = queue.attributes.RedrivePolicy;
    if (!text) return undefined;
    try {
      const policy = JSON.parse(text) as { deadLetterTargetArn?: string; maxReceiveCount?: number | string };
      const max = Number(policy.maxReceiveCount);
      const target = [...this.queues.values()].find((q) => q.arn === policy.deadLetterTargetArn);
      return target && max >= 1 ? { maxReceiveCount: max, target } : undefined;
    } catch {
      return undefined;
    }
  }

  private moveToDeadLetters(queue: Queue, message: StoredMessage, target: Queue): void {
    queue.messages = queue.messages.filter((m) => m !== message);
    const now = this.clock.now();
    // The message keeps its id, body and attributes; in the dead-letter queue it is new to its consumers.
    const moved: StoredMessage = { ...message, inFlight: false, visibleAt: now, receiveCount: 0, expiresAt: message.sentAt + 1000 * Number(target.attributes.MessageRetentionPeriod), deadLetterSource: queue.arn };
    delete moved.handle;
    delete moved.firstReceivedAt;
    target.messages.push(moved);
    this.changed();
  }

  private expire(queue: Queue, now: number): void {
    if (queue.messages.some((m) => m.expiresAt <= now)) queue.messages = queue.messages.filter((m) => m.expiresAt > now);
    for (const [key, seen] of queue.deduplication) if (seen.until <= now) queue.deduplication.delete(key);
  }

  private handleMessageId(queue: Queue, handle: unknown): string {
    if (typeof handle !== 'string' || handle === '') throw missing('ReceiptHandle');
    const [name, id] = Buffer.from(handle, 'base64').toString('utf8').split('\0');
    if (name !== queue.name || !id) throw new SqsError('ReceiptHandleIsInvalid', `The input receipt handle "${handle}" is not a valid receipt handle.`);
    return id;
  }
}

function systemAttributes(queue: Queue, message: StoredMessage, senderId: string): Record<string, string> {
  return {
    SenderId: senderId,
    SentTimestamp: String(message.sentAt),
    ApproximateReceiveCount: String(message.receiveCount),
    ApproximateFirstReceiveTimestamp: String(message.firstReceivedAt ?? message.sentAt),
    ...(message.traceHeader ? { AWSTraceHeader: message.traceHeader } : {}),
    ...(message.groupId !== undefined ? { MessageGroupId: message.groupId } : {}),
    ...(queue.fifo && message.deduplicationId ? { MessageDeduplicationId: message.deduplicationId } : {}),
    ...(message.sequenceNumber ? { SequenceNumber: message.sequenceNumber } : {}),
    ...(message.deadLetterSource ? { DeadLetterQueueSourceArn: message.deadLetterSource } : {}),
  };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

