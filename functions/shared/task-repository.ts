/**
 * Task persistence on DynamoDB: one call per operation, conditional writes, no read-before-write,
 * Query only (never Scan). The owner is the partition key of the table and of the byStatus GSI.
 */
import { randomUUID } from 'node:crypto';
import { ConditionalCheckFailedException, TransactionCanceledException } from '@aws-sdk/client-dynamodb';
import { GetCommand, QueryCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { NotFoundError, PreconditionFailedError } from './errors.js';
import type { Precondition } from './etag.js';
import { fromItem, ownerKey, statusKey, taskKey, toItem, type Task, type TaskItem, type TaskStatus } from './task-item.js';

/** The fields a full replace writes (id, owner and createdAt never change). */
export type ReplaceFields = Pick<Task, 'title' | 'status' | 'priority' | 'tags' | 'description' | 'dueDate' | 'updatedAt'>;

/** A Put of one task item with its condition, as PutItem and TransactWriteItems' Put both take it. */
export interface TaskPut {
  TableName: string;
  Item: TaskItem;
  ConditionExpression: string;
}

export interface PageRequest {
  status?: TaskStatus | undefined;
  limit: number;
  startKey?: Record<string, string> | undefined;
}

export interface PageResult {
  tasks: Task[];
  /** The key to continue after the last returned task, when more tasks exist. */
  lastKey?: Record<string, string>;
}

export class TaskRepository {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Creates the task; fails if the id already exists for this owner. A one-action transaction for its
   * ClientRequestToken: DynamoDB answers a resend of an applied transaction with the same token as done, without
   * writing again, however many of its answers were lost (within 10 minutes), where a resent PutItem fails its own
   * condition. Resent once more when the SDK gave up on lost answers (`resendingOnLostAnswer`).
   */
  async create(ownerId: string, task: Task): Promise<void> {
    const command = new TransactWriteCommand({ TransactItems: [{ Put: this.createPut(ownerId, task) }], ClientRequestToken: randomUUID() });
    await resendingOnLostAnswer(() => this.db.send(command));
  }

  /** The conditional Put that creates the task, for a caller that sends it inside a transaction. */
  createPut(ownerId: string, task: Task): TaskPut {
    return { TableName: this.tableName, Item: toItem(ownerId, task), ConditionExpression: 'attribute_not_exists(pk)' };
  }

  /** The owner's task with this id, read consistently (a write the caller just made is seen); 404 when absent. */
  async get(ownerId: string, id: string): Promise<Task> {
    const item = await this.item(ownerId, id);
    if (!item) throw new NotFoundError();
    return fromItem(item);
  }

  /** The stored item, read consistently, or undefined. */
  private async item(ownerId: string, id: string): Promise<Record<string, unknown> | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { pk: ownerKey(ownerId), sk: taskKey(id) }, ConsistentRead: true }));
    return out.Item;
  }

  /**
   * Replaces the mutable fields; the version grows by exactly one, atomically. Each update carries its own write id
   * (`lastWriteId`), and never applies over itself: an SDK resend of an update that was applied (its first answer
   * lost) would otherwise bump the version a second time, or fail If-Match on its own write (a 412 for a done update).
   */
  async replace(ownerId: string, id: string, fields: ReplaceFields, expected: Precondition): Promise<Task> {
    const values: Record<string, unknown> = {
      ':title': fields.title,
      ':status': fields.status,
      ':priority': fields.priority,
      ':tags': fields.tags,
      ':updatedAt': fields.updatedAt,
      ':gsi1pk': statusKey(ownerId, fields.status),
      ':one': 1,
    };
    const set = ['title = :title', '#status = :status', 'priority = :priority', 'tags = :tags', 'updatedAt = :updatedAt', 'gsi1pk = :gsi1pk'];
    const remove: string[] = [];
    for (const name of ['description', 'dueDate'] as const) {
      const value = fields[name];
      if (value === undefined) remove.push(name);
      else {
        set.push(`${name} = :${name}`);
        values[`:${name}`] = value;
      }
    }
    set.push('version = version + :one', 'lastWriteId = :writeId');
    values[':writeId'] = randomUUID();
    const condition = `${this.condition(expected, values)} AND (attribute_not_exists(lastWriteId) OR lastWriteId <> :writeId)`;
    const update = `SET ${set.join(', ')}${remove.length > 0 ? ` REMOVE ${remove.join(', ')}` : ''}`;
    try {
      // Resent as is after lost answers: the write id makes a resend of an applied update fail its own condition.
      const command = new UpdateCommand({
        TableName: this.tableName,
        Key: { pk: ownerKey(ownerId), sk: taskKey(id) },
        UpdateExpression: update,
        ConditionExpression: condition,
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      });
      const out = await resendingOnLostAnswer(() => this.db.send(command));
      return fromItem(out.Attributes ?? {});
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
      const current = await this.item(ownerId, id);
      if (!current) throw new NotFoundError();
      // Without a version to match, only our own write id fails the condition of a task that exists: it is applied.
      if (current.lastWriteId === values[':writeId'] || typeof expected !== 'number') return fromItem(current);
      throw new PreconditionFailedError();
    }
  }

  /**
   * Deletes the task (at the expected version when If-Match was given). A one-action transaction, as `create`, for its
   * ClientRequestToken: a resend of a delete that was applied (its answer lost) is answered as done, not as a 404
   * for the task this very request deleted.
   */
  async delete(ownerId: string, id: string, expected: Precondition): Promise<void> {
    const values: Record<string, unknown> = {};
    const condition = this.condition(expected, values);
    const command = new TransactWriteCommand({
      TransactItems: [
        {
          Delete: {
            TableName: this.tableName,
            Key: { pk: ownerKey(ownerId), sk: taskKey(id) },
            ConditionExpression: condition,
            ...(Object.keys(values).length > 0 ? { ExpressionAttributeValues: values } : {}),
            ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
          },
        },
      ],
      ClientRequestToken: randomUUID(),
    });
    try {
      await resendingOnLostAnswer(() => this.db.send(command));
    } catch (error) {
      throw await this.explainConditionFailure(error, ownerId, id, expected);
    }
  }

  /** One page, newest first: the table for all tasks, the byStatus GSI for one status. */
  async page(ownerId: string, request: PageRequest): Promise<PageResult> {
    const byStatus = request.status !== undefined;
    // One item more than asked tells whether another page exists, in the same single call.
    const out = await this.db.send(
      new QueryCommand({
        TableName: this.tableName,
        ...(byStatus ? { IndexName: 'byStatus' } : {}),
        KeyConditionExpression: byStatus ? 'gsi1pk = :pk' : 'pk = :pk AND begins_with(sk, :task)',
        ExpressionAttributeValues: byStatus ? { ':pk': statusKey(ownerId, request.status ?? '') } : { ':pk': ownerKey(ownerId), ':task': 'TASK#' },
        ScanIndexForward: false,
        Limit: request.limit + 1,
        ...(request.startKey ? { ExclusiveStartKey: request.startKey } : {}),
      }),
    );
    const items = out.Items ?? [];
    const page = items.slice(0, request.limit);
    const last = page[page.length - 1];
    const result: PageResult = { tasks: page.map(fromItem) };
    // More may follow when the extra item came back, or when DynamoDB stopped before the Limit (1 MB read per
    // Query) and says where: then the page is every item read, and the next one starts after its last.
    if ((items.length > request.limit || out.LastEvaluatedKey !== undefined) && last) {
      result.lastKey = byStatus
        ? { pk: String(last.pk), sk: String(last.sk), gsi1pk: String(last.gsi1pk), gsi1sk: String(last.gsi1sk) }
        : { pk: String(last.pk), sk: String(last.sk) };
    }
    return result;
  }

  private condition(expected: Precondition, values: Record<string, unknown>): string {
    if (typeof expected !== 'number') return 'attribute_exists(pk)';
    values[':expected'] = expected;
    return 'attribute_exists(pk) AND version = :expected';
  }

  /**
   * A failed delete condition is a 404 (no such task for this owner) or a 412 (wrong version). DynamoDB
   * returns the old item with ReturnValuesOnConditionCheckFailure; dynalite does not, so when the
   * item is absent from the reason and a version was expected, one GetItem decides (failure path only).
   */
  private async explainConditionFailure(error: unknown, ownerId: string, id: string, expected: Precondition): Promise<unknown> {
    const reason = error instanceof TransactionCanceledException ? error.CancellationReasons?.[0] : undefined;
    if (reason?.Code !== 'ConditionalCheckFailed') return error;
    if (typeof expected !== 'number') return new NotFoundError();
    if (reason.Item) return new PreconditionFailedError();
    return (await this.item(ownerId, id)) ? new PreconditionFailedError() : new NotFoundError();
  }
}

// The SDK's names for a call whose answer may have been lost after it was sent (@smithy/service-error-classification),
// and DynamoDB's for a resend that came while the call with the same token still ran: its outcome is not known yet.
const LOST_ANSWER_NAMES = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'TransactionInProgressException']);
const LOST_ANSWER_CODES = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT']);

function answerMayBeLost(error: unknown): boolean {
  const { name, code } = (error ?? {}) as { name?: unknown; code?: unknown };
  return (typeof name === 'string' && LOST_ANSWER_NAMES.has(name)) || (typeof code === 'string' && LOST_ANSWER_CODES.has(code));
}

/**
 * Sends a write that recognises its own resend (a ClientRequestToken, an update's write id) and, when the SDK gave up
 * because its attempts' answers were lost, sends it once more: the first attempt may have been applied, and answering
 * a 500 for it would make the client retry a create that was done (a second task) or see a 404 for its own delete.
 * Once, not in a loop: with clients.ts's bounds (two attempts of at most 2 s) a stalled table still ends in about 8 s,
 * inside the functions' 10 s Timeout, with the handler's own problem.
 */
async function resendingOnLostAnswer<T>(send: () => Promise<T>): Promise<T> {
  try {
    return await send();
  } catch (error) {
    if (!answerMayBeLost(error)) throw error;
    return send();
  }
}

