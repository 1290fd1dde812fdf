/**
 * createTask's idempotency under failures at each DynamoDB call, against the real tables (dynalite): a FAKE
 * document client passes every call to the real one, except call number N, which it interrupts in one of three
 * ways AWS can (the process dies after the write is applied; the request fails before it reaches DynamoDB; the
 * write is applied and its answer lost). Whatever N, a retry with the key never creates a second task, never
 * brings back a task its owner deleted after seeing it, and the same key with another body changes nothing.
 */
import { GetCommand, QueryCommand, ScanCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { UnprocessableContentError } from '../../../functions/shared/errors.js';
import { idempotentCreate, recordIdOf, type IdempotentCreateDeps } from '../../../functions/shared/idempotency.js';
import { IdempotencyStore } from '../../../functions/shared/idempotency-store.js';
import { TaskRepository } from '../../../functions/shared/task-repository.js';
import { TaskService } from '../../../functions/shared/task-service.js';
import { startTasksDb, type TasksDb } from '../../support/tasks-db.js';

let t: TasksDb;
beforeAll(async () => {
  t = await startTasksDb();
});
afterAll(async () => {
  await t.close();
});

const LOCK_MS = 30_000;
type Fault = 'halt-after' | 'fail-before' | 'fail-after';

/**
 * FAKE of AWS failing: the real client, with call number `at` interrupted as `fault` says. `reached` settles once
 * the fault has happened (for halt-after, the write is then on disk and the call never returns).
 */
function faultyClient(db: DynamoDBDocumentClient, at: number, fault: Fault): { db: DynamoDBDocumentClient; reached: Promise<void>; calls: () => number } {
  let calls = 0;
  let signal: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (signal = resolve));
  const send = async (command: Parameters<DynamoDBDocumentClient['send']>[0]): Promise<unknown> => {
    calls += 1;
    const mine = calls === at;
    if (mine && fault === 'fail-before') {
      signal();
      throw new Error('fake: the connection was reset before the request reached DynamoDB');
    }
    const out = await db.send(command as never);
    if (!mine) return out;
    signal();
    if (fault === 'halt-after') return new Promise(() => undefined);
    throw new Error('fake: the write was applied and its answer lost');
  };
  return { db: { send } as unknown as DynamoDBDocumentClient, reached, calls: () => calls };
}

/** The production dependencies of idempotentCreate over `db`. */
function realDeps(db: DynamoDBDocumentClient, clock: () => Date): IdempotentCreateDeps {
  const service = new TaskService(new TaskRepository(db, t.dynamo.tasksTable), clock);
  return {
    store: new IdempotencyStore(db, t.dynamo.idempotencyTable),
    draft: (input) => service.draft(input),
    createPut: (ownerId, task) => service.createPut(ownerId, task),
    clock,
  };
}

function manualClock(start = Date.parse('2026-11-30T12:00:00.000Z')): { now: () => Date; advance: (ms: number) => void } {
  let ms = start;
  return { now: () => new Date(ms), advance: (by) => (ms += by) };
}

async function taskIdsOf(ownerId: string): Promise<string[]> {
  const out = await t.db.send(
    new QueryCommand({ TableName: t.dynamo.tasksTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `USER#${ownerId}` } }),
  );
  return (out.Items ?? []).map((item) => String(item.id));
}

async function scanAll(): Promise<unknown[]> {
  const [tasks, records] = await Promise.all(
    [t.dynamo.tasksTable, t.dynamo.idempotencyTable].map((TableName) => t.db.send(new ScanCommand({ TableName, ConsistentRead: true }))),
  );
  return [tasks?.Items ?? [], records?.Items ?? []];
}

let owners = 0;
const freshOwner = (label: string): string => `crash-${label}-${(owners += 1)}`;

/** How many DynamoDB calls an uninterrupted idempotent create makes. */
async function callsOfOneCreate(): Promise<number> {
  const counting = faultyClient(t.db, Number.POSITIVE_INFINITY, 'halt-after');
  await idempotentCreate(realDeps(counting.db, manualClock().now))({ ownerId: freshOwner('count'), idempotencyKey: 'k', input: { title: 'N' }, remainingMs: LOCK_MS });
  return counting.calls();
}

/** Runs the first request with call `at` interrupted; resolves once the fault has happened and what it left is on disk. */
async function interruptedCreate(ownerId: string, at: number, fault: Fault, clock: () => Date, title = 'Once'): Promise<void> {
  const faulty = faultyClient(t.db, at, fault);
  const first = idempotentCreate(realDeps(faulty.db, clock))({ ownerId, idempotencyKey: 'k', input: { title }, remainingMs: LOCK_MS });
  if (fault === 'halt-after') {
    void first;
    await faulty.reached;
  } else {
    // The first request's own answer (a 500 or a 201) does not matter here: what it left in the tables does.
    await first.catch(() => undefined);
    await faulty.reached;
  }
}

const FAULTS: Fault[] = ['halt-after', 'fail-before', 'fail-after'];

describe('createTask idempotency with the DynamoDB call number N interrupted (fake client over the real tables)', () => {
  it.each(FAULTS)('%s at every N: retries after the lock answer one task, the one the crash left if it left one', async (fault) => {
    const calls = await callsOfOneCreate();
    expect(calls).toBeGreaterThanOrEqual(2);
    for (let at = 1; at <= calls; at += 1) {
      // Prepare
      const clock = manualClock();
      const ownerId = freshOwner(`${fault}-${at}`);
      await interruptedCreate(ownerId, at, fault, clock.now);
      const left = await taskIdsOf(ownerId);
      clock.advance(LOCK_MS + 1);
      // Act
      const create = idempotentCreate(realDeps(t.db, clock.now));
      const retry = await create({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS });
      const again = await create({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS });
      // Assess
      expect(left.length, `call ${at}`).toBeLessThanOrEqual(1);
      expect(await taskIdsOf(ownerId), `call ${at}`).toEqual([retry.id]);
      if (left[0] !== undefined) expect(retry.id, `call ${at}`).toBe(left[0]);
      expect(again, `call ${at}`).toEqual(retry);
    }
  });

  it.each(FAULTS)('%s at every N: a task the crash left and its owner then deleted is never re-created by a retry', async (fault) => {
    const calls = await callsOfOneCreate();
    for (let at = 1; at <= calls; at += 1) {
      // Prepare: the owner lists their tasks, sees the one the first request wrote, and deletes it.
      const clock = manualClock();
      const ownerId = freshOwner(`deleted-${fault}-${at}`);
      await interruptedCreate(ownerId, at, fault, clock.now);
      const left = await taskIdsOf(ownerId);
      for (const id of left) await t.service.delete(ownerId, id, undefined);
      clock.advance(LOCK_MS + 1);
      // Act
      const retry = await idempotentCreate(realDeps(t.db, clock.now))({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS });
      // Assess
      const stored = await taskIdsOf(ownerId);
      if (left.length > 0) {
        expect(stored, `call ${at}: the deleted task came back`).toEqual([]);
        expect(retry.id, `call ${at}`).toBe(left[0]);
      } else {
        expect(stored, `call ${at}`).toEqual([retry.id]);
      }
    }
  });

  it.each(FAULTS)('%s at every N: once the key is recorded, another body is a 422 and writes nothing', async (fault) => {
    const calls = await callsOfOneCreate();
    let refused = 0;
    for (let at = 1; at <= calls; at += 1) {
      // Prepare
      const clock = manualClock();
      const ownerId = freshOwner(`422-${fault}-${at}`);
      await interruptedCreate(ownerId, at, fault, clock.now, 'A');
      clock.advance(LOCK_MS + 1);
      const recorded = await t.db.send(new GetCommand({ TableName: t.dynamo.idempotencyTable, Key: { id: recordIdOf(ownerId, 'k') } }));
      const before = await scanAll();
      // Act
      const outcome = await idempotentCreate(realDeps(t.db, clock.now))({ ownerId, idempotencyKey: 'k', input: { title: 'B' }, remainingMs: LOCK_MS }).then(
        (task) => task,
        (e: unknown) => e,
      );
      // Assess
      if (recorded.Item) {
        refused += 1;
        expect(outcome, `call ${at}`).toBeInstanceOf(UnprocessableContentError);
        expect(await scanAll(), `call ${at}`).toEqual(before);
      } else {
        // The claim never reached DynamoDB: the key is unused, so B is a first request.
        expect(await taskIdsOf(ownerId), `call ${at}`).toEqual([(outcome as { id: string }).id]);
      }
    }
    expect(refused).toBeGreaterThanOrEqual(calls - 1);
  });
});

describe('a transaction cancelled by a conflicting write (TransactionConflict)', () => {
  /** FAKE of DynamoDB cancelling every commit for a concurrent write on the record; every other call is real. */
  async function cancellingCommits(): Promise<DynamoDBDocumentClient> {
    const { TransactionCanceledException } = await import('@aws-sdk/client-dynamodb');
    return {
      send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) =>
        command.constructor.name === 'TransactWriteCommand'
          ? Promise.reject(new TransactionCanceledException({ message: 'Transaction cancelled', $metadata: {}, CancellationReasons: [{ Code: 'None' }, { Code: 'TransactionConflict' }] }))
          : t.db.send(command as never),
    } as unknown as DynamoDBDocumentClient;
  }

  it('is a 409 while the record is not completed, nothing written, and a later retry creates the one task', async () => {
    // Prepare: a FAKE of DynamoDB cancelling the commit for a concurrent write on the record; every other call is real.
    const clock = manualClock();
    const conflicting = await cancellingCommits();
    const request = { ownerId: 'conflicted', idempotencyKey: 'k-conflict', input: { title: 'once' }, remainingMs: 1_000 };

    // Act
    const first = idempotentCreate(realDeps(conflicting, clock.now))(request).catch((error: unknown) => error);
    const refused = (await first) as { status?: number };
    clock.advance(LOCK_MS * 2);
    const retried = await idempotentCreate(realDeps(t.db, clock.now))(request);

    // Assess
    expect(refused.status).toBe(409);
    expect(await taskIdsOf('conflicted')).toEqual([retried.id]);
  });

  it('gives its lock up: a retry at once (no time passing) creates the one task instead of a 409 until the lock runs out', async () => {
    // Prepare: the same FAKE cancellation of the first request's commit.
    const clock = manualClock();
    const conflicting = await cancellingCommits();
    const request = { ownerId: 'conflicted-at-once', idempotencyKey: 'k-conflict', input: { title: 'once' }, remainingMs: LOCK_MS };

    // Act
    const refused = (await idempotentCreate(realDeps(conflicting, clock.now))(request).catch((error: unknown) => error)) as { status?: number };
    const retried = await idempotentCreate(realDeps(t.db, clock.now))(request);
    const replayed = await idempotentCreate(realDeps(t.db, clock.now))(request);

    // Assess
    expect(refused.status).toBe(409);
    expect(replayed.id).toBe(retried.id);
    expect(await taskIdsOf('conflicted-at-once')).toEqual([retried.id]);
  });
});

describe('a plain write on the record rejected for a transaction in progress on it (TransactionConflictException)', () => {
  // DynamoDB API Reference, PutItem and UpdateItem errors: TransactionConflictException, "Operation was rejected because
  // there is an ongoing transaction for the item" (the first request's commit). The SDK does not retry it.
  async function conflictOn(commandName: 'PutCommand' | 'UpdateCommand'): Promise<DynamoDBDocumentClient> {
    const { TransactionConflictException } = await import('@aws-sdk/client-dynamodb');
    return {
      send: (command: Parameters<DynamoDBDocumentClient['send']>[0]) =>
        command.constructor.name === commandName
          ? Promise.reject(new TransactionConflictException({ message: 'Transaction is ongoing for the item', $metadata: {} }))
          : t.db.send(command as never),
    } as unknown as DynamoDBDocumentClient;
  }

  it('a retry whose claim meets the first request committing is a 409, not a 500, and the first request still creates the one task', async () => {
    // Prepare: the first request has claimed the key and is about to commit.
    const clock = manualClock();
    const ownerId = freshOwner('claim-conflict');
    await interruptedCreate(ownerId, 1, 'halt-after', clock.now);
    // Act
    const retry = await idempotentCreate(realDeps(await conflictOn('PutCommand'), clock.now))({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS }).catch((e: unknown) => e);
    // Assess
    expect((retry as { status?: number }).status).toBe(409);
    expect(await taskIdsOf(ownerId)).toEqual([]);
  });

  it('a retry whose take-over meets a commit is a 409, not a 500, and writes nothing', async () => {
    // Prepare: the first request claimed the key and stopped; its lock has run out.
    const clock = manualClock();
    const ownerId = freshOwner('takeover-conflict');
    await interruptedCreate(ownerId, 1, 'halt-after', clock.now);
    clock.advance(LOCK_MS + 1);
    const before = await scanAll();
    // Act
    const retry = await idempotentCreate(realDeps(await conflictOn('UpdateCommand'), clock.now))({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS }).catch((e: unknown) => e);
    // Assess
    expect((retry as { status?: number }).status).toBe(409);
    expect(await scanAll()).toEqual(before);
  });
});

describe('an SDK retry of a write that was applied (its first answer lost: a timeout, a reset connection)', () => {
  /** FAKE of the SDK retrying call number `at`: the call is sent, applied, its answer dropped, and sent again; the second answer is returned. */
  function resendingClient(db: DynamoDBDocumentClient, at: number): DynamoDBDocumentClient {
    let calls = 0;
    const send = async (command: Parameters<DynamoDBDocumentClient['send']>[0]): Promise<unknown> => {
      calls += 1;
      if (calls !== at) return db.send(command as never);
      await db.send(command as never);
      return db.send(command as never);
    };
    return { send } as unknown as DynamoDBDocumentClient;
  }

  it('a first request retried by the SDK at any call N creates its one task and answers it, never a 409 for its own lock', async () => {
    const calls = await callsOfOneCreate();
    for (let at = 1; at <= calls; at += 1) {
      // Prepare
      const clock = manualClock();
      const ownerId = freshOwner(`resent-${at}`);
      // Act
      const created = await idempotentCreate(realDeps(resendingClient(t.db, at), clock.now))({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS }).catch((error: unknown) => error);
      // Assess
      expect(created, `call ${at}`).toMatchObject({ title: 'Once' });
      expect(await taskIdsOf(ownerId), `call ${at}`).toEqual([(created as { id: string }).id]);
    }
  });

  it('a retry taking over a crashed request`s lock, retried by the SDK at any call N, finishes the crashed request`s task', async () => {
    const calls = await callsOfOneCreate();
    for (let at = 1; at <= calls + 2; at += 1) {
      // Prepare: the first request claimed the key and stopped there.
      const clock = manualClock();
      const ownerId = freshOwner(`resent-takeover-${at}`);
      await interruptedCreate(ownerId, 1, 'halt-after', clock.now);
      const claimed = await t.db.send(new GetCommand({ TableName: t.dynamo.idempotencyTable, Key: { id: recordIdOf(ownerId, 'k') } }));
      clock.advance(LOCK_MS + 1);
      // Act
      const retried = await idempotentCreate(realDeps(resendingClient(t.db, at), clock.now))({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS }).catch((error: unknown) => error);
      // Assess
      expect(retried, `call ${at}`).toMatchObject({ id: (claimed.Item?.task as { id: string }).id });
      expect(await taskIdsOf(ownerId), `call ${at}`).toEqual([(claimed.Item?.task as { id: string }).id]);
    }
  });
});
