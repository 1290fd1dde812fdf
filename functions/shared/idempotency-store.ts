/**
 * The idempotency table's creation records. A record is written BEFORE the task and holds the whole
 * task to create (its id included), so whatever point a crash interrupts, a retry finds the same task
 * and never invents a second one. The task is written in ONE transaction with the record's completion,
 * so a record in progress always means "task not written yet": a retry that writes it can never bring
 * back a task its owner deleted. Records expire with the table's TTL attribute `expiration`.
 */
import { ConditionalCheckFailedException, TransactionCanceledException, TransactionConflictException } from '@aws-sdk/client-dynamodb';
import { GetCommand, PutCommand, TransactWriteCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { fromItem, type Task } from './task-item.js';
import type { TaskPut } from './task-repository.js';

/**
 * What `commit` did: wrote the task and completed the record; found the task written already (a record claimed
 * before creations were transactional); or found the record no longer locked by this invocation (nothing written).
 */
export type CommitOutcome = 'committed' | 'task-exists' | 'lock-lost';

export type CreationStatus = 'INPROGRESS' | 'COMPLETED';

export interface CreationRecord {
  status: CreationStatus;
  /** Hash of the canonical request body: the same key with another body is refused. */
  requestHash: string;
  /** The task this key creates, fixed when the key is first claimed. */
  task: Task;
  /** Epoch ms until which the claiming invocation may still be running (409 for others until then). */
  lockedUntil: number;
}

const isConditionFailure = (error: unknown): boolean => error instanceof ConditionalCheckFailedException;

/**
 * A plain write on a record that a commit is writing at that moment is rejected, not applied (DynamoDB API Reference,
 * PutItem/UpdateItem errors: TransactionConflictException); the SDK does not retry it. The record is another
 * invocation's for now, as when the condition fails on another's record.
 */
const isRecordBusy = (error: unknown): boolean => error instanceof TransactionConflictException;

export class IdempotencyStore {
  constructor(
    private readonly db: DynamoDBDocumentClient,
    private readonly tableName: string,
  ) {}

  /**
   * Writes `record` under `id` unless a live record holds it; false when one does. DynamoDB's TTL
   * deletes expired items late (up to days), so an expired record counts as absent here.
   */
  async claim(id: string, record: CreationRecord, nowMs: number, expiresAtSeconds: number): Promise<boolean> {
    try {
      await this.db.send(
        new PutCommand({
          TableName: this.tableName,
          Item: { id, ...record, expiration: expiresAtSeconds },
          ConditionExpression: 'attribute_not_exists(id) OR expiration < :now',
          ExpressionAttributeValues: { ':now': Math.floor(nowMs / 1000) },
        }),
      );
      return true;
    } catch (error) {
      if (isRecordBusy(error)) return false;
      // The SDK retries a write whose answer it did not get (a timeout, a reset connection): when the first attempt
      // was applied, the retry fails this condition on our own record. Ours is the one with our task and our lock.
      if (isConditionFailure(error)) return this.holds(id, nowMs, record.task.id, record.lockedUntil);
      throw error;
    }
  }

  /** Whether the live record under `id` is this invocation's: its task, locked until `lockedUntil` (a unique ms stamp). */
  private async holds(id: string, nowMs: number, taskId: string, lockedUntil: number): Promise<boolean> {
    const current = await this.read(id, nowMs);
    return current?.status === 'INPROGRESS' && current.task.id === taskId && current.lockedUntil === lockedUntil;
  }

  /** The live record under `id`, or undefined when there is none (or it has expired). */
  async read(id: string, nowMs: number): Promise<CreationRecord | undefined> {
    const out = await this.db.send(new GetCommand({ TableName: this.tableName, Key: { id }, ConsistentRead: true }));
    const item = out.Item;
    if (!item || Number(item.expiration) < Math.floor(nowMs / 1000)) return undefined;
    const status = item.status === 'COMPLETED' ? 'COMPLETED' : 'INPROGRESS';
    if (typeof item.requestHash !== 'string' || typeof item.task !== 'object' || item.task === null) {
      throw new Error(`idempotency record ${id} is malformed`);
    }
    return { status, requestHash: item.requestHash, task: fromItem(item.task as Record<string, unknown>), lockedUntil: Number(item.lockedUntil) };
  }

  /** Moves an expired lock to this invocation; false when another retry took it first. */
  async takeOver(id: string, previousLockedUntil: number, lockedUntil: number, taskId: string, nowMs: number): Promise<boolean> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET lockedUntil = :mine',
          ConditionExpression: '#status = :inProgress AND lockedUntil = :previous',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':mine': lockedUntil, ':previous': previousLockedUntil, ':inProgress': 'INPROGRESS' },
        }),
      );
      return true;
    } catch (error) {
      if (isRecordBusy(error)) return false;
      // As in claim: an SDK retry of an update that was applied finds the lock already ours.
      if (isConditionFailure(error)) return this.holds(id, nowMs, taskId, lockedUntil);
      throw error;
    }
  }

  /**
   * Writes the task and marks the record completed, atomically (TransactWriteItems), while this invocation still
   * holds the record's lock. Nothing is written unless both conditions hold.
   */
  async commit(id: string, lockedUntil: number, taskPut: TaskPut): Promise<CommitOutcome> {
    try {
      await this.db.send(
        new TransactWriteCommand({
          TransactItems: [
            { Put: taskPut },
            {
              Update: {
                TableName: this.tableName,
                Key: { id },
                UpdateExpression: 'SET #status = :completed',
                ConditionExpression: '#status = :inProgress AND lockedUntil = :mine',
                ExpressionAttributeNames: { '#status': 'status' },
                ExpressionAttributeValues: { ':completed': 'COMPLETED', ':inProgress': 'INPROGRESS', ':mine': lockedUntil },
              },
            },
          ],
        }),
      );
      return 'committed';
    } catch (error) {
      if (!(error instanceof TransactionCanceledException)) throw error;
      const [task, record] = error.CancellationReasons ?? [];
      // Another write on the record at the same time (a retry taking the lock over) cancels it too: nothing was written.
      if (record?.Code === 'ConditionalCheckFailed' || record?.Code === 'TransactionConflict' || task?.Code === 'TransactionConflict') return 'lock-lost';
      if (task?.Code === 'ConditionalCheckFailed') return 'task-exists';
      throw error;
    }
  }

  /** Marks the creation done: later retries replay the record without writing anything. */
  async complete(id: string): Promise<void> {
    await this.db.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: { id },
        UpdateExpression: 'SET #status = :completed',
        ConditionExpression: 'attribute_exists(id)',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':completed': 'COMPLETED' },
      }),
    );
  }

  /** Gives up this invocation's lock after a failure it saw, so that a retry need not wait for it. */
  async release(id: string, lockedUntil: number): Promise<void> {
    try {
      await this.db.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { id },
          UpdateExpression: 'SET lockedUntil = :zero',
          ConditionExpression: '#status = :inProgress AND lockedUntil = :mine',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':mine': lockedUntil, ':inProgress': 'INPROGRESS' },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }
}
