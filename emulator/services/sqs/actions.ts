/**
 * SQS's actions on the store, with the checks SQS makes on their parameters (API Reference, per action). Long
 * polling (WaitTimeSeconds) is the endpoint's (server.ts); here ReceiveMessage returns what is there now.
 */
import { invalidValue, missing, SqsError } from './errors.js';
import type { SendInput } from './message-shapes.js';
import type { SqsStore } from './store.js';

type Input = Record<string, unknown>;
type Action = (store: SqsStore, input: Input) => Record<string, unknown>;

const BATCH_ID = /^[A-Za-z0-9_-]{1,80}$/;
/** SendMessageBatch's total payload, as SendMessage's largest message. */
const MAX_BATCH_BYTES = 1_048_576;

/** A batch's entries, checked as SQS checks them before any entry runs. */
function entries<T extends { Id: string }>(input: Input): T[] {
  const list = input.Entries;
  if (!Array.isArray(list) || list.length === 0) throw new SqsError('EmptyBatchRequest', 'There should be at least one SendMessageBatchRequestEntry in the request.');
  if (list.length > 10) throw new SqsError('TooManyEntriesInBatchRequest', `Maximum number of entries per request are 10. You have sent ${list.length}.`);
  const seen = new Set<string>();
  for (const entry of list as Record<string, unknown>[]) {
    const id = entry?.Id;
    if (typeof id !== 'string' || !BATCH_ID.test(id)) throw new SqsError('InvalidBatchEntryId', 'A batch entry id can only contain alphanumeric characters, hyphens and underscores. It can be at most 80 letters long.');
    if (seen.has(id)) throw new SqsError('BatchEntryIdsNotDistinct', `Id ${id} repeated.`);
    seen.add(id);
  }
  return list as T[];
}

function batchEach<T extends { Id: string }>(input: Input, run: (entry: T) => void): Record<string, unknown> {
  const Successful: { Id: string }[] = [];
  const Failed: { Id: string; SenderFault: boolean; Code: string; Message: string }[] = [];
  for (const entry of entries<T>(input)) {
    try {
      run(entry);
      Successful.push({ Id: entry.Id });
    } catch (error) {
      if (!(error instanceof SqsError)) throw error;
      Failed.push({ Id: entry.Id, SenderFault: true, Code: error.queryCode, Message: error.message });
    }
  }
  return { Successful, Failed };
}

/** A FIFO batch with an entry lacking its group, or its deduplication id, is refused whole (not entry by entry). */
function fifoBatchChecks(list: SendInput[], contentBased: boolean): void {
  const absent = (value: unknown) => value === undefined || value === null || value === '';
  if (list.some((e) => absent(e.MessageGroupId))) throw new SqsError('InvalidParameterValue', 'The request must contain the parameter MessageGroupId.');
  if (!contentBased && list.some((e) => e.MessageDeduplicationId === undefined || e.MessageDeduplicationId === null)) {
    throw new SqsError('InvalidParameterValue', 'The queue should either have ContentBasedDeduplication enabled or MessageDeduplicationId provided explicitly');
  }
}

export const ACTIONS: Record<string, Action> = {
  SendMessage: (store, input) => ({ ...store.send(store.find(input.QueueUrl), input as SendInput) }),
  SendMessageBatch: (store, input) => {
    const queue = store.find(input.QueueUrl);
    const list = entries<SendInput & { Id: string }>(input);
    const size = list.reduce((sum, e) => sum + (typeof e.MessageBody === 'string' ? Buffer.byteLength(e.MessageBody) : 0), 0);
    if (size > MAX_BATCH_BYTES) throw new SqsError('BatchRequestTooLong', `Batch requests cannot be longer than ${MAX_BATCH_BYTES} bytes. You have sent ${size} bytes.`);
    if (queue.fifo) fifoBatchChecks(list, queue.attributes.ContentBasedDeduplication === 'true');
    return { ...store.sendBatch(queue, list) };
  },
  ReceiveMessage: (store, input) => {
    const messages = store.receive(store.find(input.QueueUrl), input);
    return messages.length > 0 ? { Messages: messages } : {};
  },
  DeleteMessage: (store, input) => {
    store.delete(store.find(input.QueueUrl), input.ReceiptHandle);
    return {};
  },
  DeleteMessageBatch: (store, input) => {
    const queue = store.find(input.QueueUrl);
    return batchEach<{ Id: string; ReceiptHandle?: unknown }>(input, (entry) => store.delete(queue, entry.ReceiptHandle));
  },
  ChangeMessageVisibility: (store, input) => {
    store.changeVisibility(store.find(input.QueueUrl), input.ReceiptHandle, input.VisibilityTimeout);
    return {};
  },
  ChangeMessageVisibilityBatch: (store, input) => {
    const queue = store.find(input.QueueUrl);
    return batchEach<{ Id: string; ReceiptHandle?: unknown; VisibilityTimeout?: unknown }>(input, (entry) => store.changeVisibility(queue, entry.ReceiptHandle, entry.VisibilityTimeout));
  },
  GetQueueUrl: (store, input) => {
    if (typeof input.QueueName !== 'string' || input.QueueName === '') throw missing('QueueName');
    return { QueueUrl: store.find(input.QueueName).url };
  },
  GetQueueAttributes: (store, input) => {
    const attributes = store.attributes(store.find(input.QueueUrl), input.AttributeNames);
    return Object.keys(attributes).length > 0 ? { Attributes: attributes } : {};
  },
  SetQueueAttributes: (store, input) => {
    store.setAttributes(store.find(input.QueueUrl), stringMap(input.Attributes, 'Attributes'));
    return {};
  },
  ListQueues: (store, input) => {
    const max = input.MaxResults === undefined ? 1000 : Number(input.MaxResults);
    if (!Number.isInteger(max) || max < 1 || max > 1000) throw invalidValue('MaxResults', input.MaxResults, 'must be between 1 and 1000');
    const urls = store.list(typeof input.QueueNamePrefix === 'string' ? input.QueueNamePrefix : '').map((q) => q.url);
    return urls.length > 0 ? { QueueUrls: urls.slice(0, max) } : {};
  },
  CreateQueue: (store, input) => {
    if (typeof input.QueueName !== 'string' || input.QueueName === '') throw missing('QueueName');
    const attributes = stringMap(input.Attributes, 'Attributes');
    // SQS's API knows FifoQueue only on a FIFO queue; a template's `FifoQueue: false` (created by store.createQueue) is kept.
    if (!input.QueueName.endsWith('.fifo') && attributes.FifoQueue !== undefined && attributes.FifoQueue.toLowerCase() !== 'true') throw new SqsError('InvalidAttributeName', 'Unknown Attribute FifoQueue.');
    return { QueueUrl: store.createQueue({ name: input.QueueName, attributes }).url };
  },
  DeleteQueue: (store, input) => {
    store.deleteQueue(store.find(input.QueueUrl));
    return {};
  },
  PurgeQueue: (store, input) => {
    store.purge(store.find(input.QueueUrl));
    return {};
  },
};

function stringMap(value: unknown, name: string): Record<string, string> {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidValue(name, value, 'must be a map');
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

/** Runs one action; an action SQS has but the emulator does not serve is UnsupportedOperation, an unknown one InvalidAction. */
export function runAction(store: SqsStore, action: string, input: Input): Record<string, unknown> {
  const run = ACTIONS[action];
  if (!run) {
    if (KNOWN_UNSERVED.has(action)) throw new SqsError('UnsupportedOperation', `${action} is not served by the local emulator's SQS.`);
    throw new SqsError('InvalidAction', `The action ${action} is not valid for this endpoint.`);
  }
  return run(store, input);
}

const KNOWN_UNSERVED = new Set(['AddPermission', 'RemovePermission', 'ListQueueTags', 'TagQueue', 'UntagQueue', 'ListDeadLetterSourceQueues', 'StartMessageMoveTask', 'CancelMessageMoveTask', 'ListMessageMoveTasks']);
