/**
 * createTask's idempotency, proven against dynalite by stopping the create at every point between its
 * writes (a halted step is a promise that never settles: nothing after it runs, as when the process
 * is killed), then retrying with the same key: exactly one task exists and every retry answers it.
 */
import { QueryCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConflictError, UnprocessableContentError } from '../../../functions/shared/errors.js';
import { idempotentCreate, KEY_LIFETIME_SECONDS, recordIdOf, type IdempotentCreateDeps } from '../../../functions/shared/idempotency.js';
import { IdempotencyStore } from '../../../functions/shared/idempotency-store.js';
import type { Task } from '../../../functions/shared/task-item.js';
import { startTasksDb, type TasksDb } from '../../support/tasks-db.js';

let t: TasksDb;
beforeAll(async () => {
  t = await startTasksDb();
});
afterAll(async () => {
  await t.close();
});

const LOCK_MS = 30_000;

/** A clock the test moves by hand. */
function manualClock(start = Date.parse('2026-11-30T12:00:00.000Z')): { now: () => Date; advance: (ms: number) => void } {
  let ms = start;
  return { now: () => new Date(ms), advance: (by) => (ms += by) };
}

type Step = 'claim' | 'commit';

/**
 * The real dependencies; with `haltAfter`, that step runs for real and then never returns (the
 * process is gone); `reached` settles once it has run, so the test knows the state is on disk.
 */
function deps(clock: () => Date, haltAfter?: Step): { deps: IdempotentCreateDeps; reached: Promise<void> } {
  let signal: () => void = () => undefined;
  const reached = new Promise<void>((resolve) => (signal = resolve));
  const halt = async <T>(step: Step, result: Promise<T>): Promise<T> => {
    const value = await result;
    if (step !== haltAfter) return value;
    signal();
    return new Promise<T>(() => undefined);
  };
  const store = new IdempotencyStore(t.db, t.dynamo.idempotencyTable);
  const halting = Object.assign(Object.create(store) as IdempotencyStore, {
    claim: (...args: Parameters<IdempotencyStore['claim']>) => halt('claim', store.claim(...args)),
    commit: (...args: Parameters<IdempotencyStore['commit']>) => halt('commit', store.commit(...args)),
  });
  return {
    reached,
    deps: {
      store: halting,
      draft: (input) => t.service.draft(input),
      createPut: (ownerId, task) => t.service.createPut(ownerId, task),
      clock,
    },
  };
}

async function tasksOf(ownerId: string): Promise<Task[]> {
  const out = await t.db.send(
    new QueryCommand({ TableName: t.dynamo.tasksTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `USER#${ownerId}` } }),
  );
  return (out.Items ?? []) as Task[];
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

let owners = 0;
const freshOwner = (label: string): string => `idem-${label}-${(owners += 1)}`;

describe('createTask idempotency: a crash at any point never lets a retry create a second task', () => {
  it.each<{ haltAfter: Step; tasksLeftByCrash: number }>([
    { haltAfter: 'claim', tasksLeftByCrash: 0 },
    { haltAfter: 'commit', tasksLeftByCrash: 1 },
  ])('stopped after $haltAfter: retries after the lock expires answer one and the same task', async ({ haltAfter, tasksLeftByCrash }) => {
    // Prepare
    const clock = manualClock();
    const ownerId = freshOwner(haltAfter);
    const crashing = deps(clock.now, haltAfter);
    void idempotentCreate(crashing.deps)({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS });
    await crashing.reached;
    const left = await tasksOf(ownerId);
    clock.advance(LOCK_MS + 1);
    // Act
    const create = idempotentCreate(deps(clock.now).deps);
    const first = await create({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS });
    const second = await create({ ownerId, idempotencyKey: 'k', input: { title: 'Once' }, remainingMs: LOCK_MS });
    // Assess
    expect(left).toHaveLength(tasksLeftByCrash);
    const stored = await tasksOf(ownerId);
    expect(stored).toHaveLength(1);
    expect(stored[0]?.id).toBe(first.id);
    expect(second).toEqual(first);
    if (left[0]) expect(first.id).toBe(left[0].id);
  });

  it('stopped after claim: a retry while the first may still run is a 409 and writes nothing', async () => {
    const haltAfter: Step = 'claim';
    // Prepare
    const clock = manualClock();
    const ownerId = freshOwner(`busy-${haltAfter}`);
    const crashing = deps(clock.now, haltAfter);
    void idempotentCreate(crashing.deps)({ ownerId, idempotencyKey: 'k', input: { title: 'Busy' }, remainingMs: LOCK_MS });
    await crashing.reached;
    const before = await tasksOf(ownerId);
    clock.advance(LOCK_MS - 1);
    // Act
    const error = await rejection(idempotentCreate(deps(clock.now).deps)({ ownerId, idempotencyKey: 'k', input: { title: 'Busy' }, remainingMs: LOCK_MS }));
    // Assess
    expect(error).toBeInstanceOf(ConflictError);
    expect(await tasksOf(ownerId)).toEqual(before);
  });

  it('after a crash, the same key with another body is still a 422 and creates nothing', async () => {
    // Prepare
    const clock = manualClock();
    const ownerId = freshOwner('422');
    const crashing = deps(clock.now, 'claim');
    void idempotentCreate(crashing.deps)({ ownerId, idempotencyKey: 'k', input: { title: 'A' }, remainingMs: LOCK_MS });
    await crashing.reached;
    clock.advance(LOCK_MS + 1);
    // Act
    const error = await rejection(idempotentCreate(deps(clock.now).deps)({ ownerId, idempotencyKey: 'k', input: { title: 'B' }, remainingMs: LOCK_MS }));
    // Assess
    expect(error).toBeInstanceOf(UnprocessableContentError);
    expect(await tasksOf(ownerId)).toHaveLength(0);
  });

  it('a write that fails releases the lock: an immediate retry creates the task the record holds', async () => {
    // Prepare
    const clock = manualClock();
    const ownerId = freshOwner('release');
    const real = deps(clock.now).deps;
    const throttled = Object.assign(Object.create(real.store) as IdempotencyStore, { commit: () => Promise.reject(new Error('throttled')) });
    const failing: IdempotentCreateDeps = { ...real, store: throttled };
    const failure = await rejection(idempotentCreate(failing)({ ownerId, idempotencyKey: 'k', input: { title: 'R' }, remainingMs: LOCK_MS }));
    // Act
    const task = await idempotentCreate(real)({ ownerId, idempotencyKey: 'k', input: { title: 'R' }, remainingMs: LOCK_MS });
    // Assess
    expect((failure as Error).message).toBe('throttled');
    expect((await tasksOf(ownerId)).map((x) => x.id)).toEqual([task.id]);
  });
});

describe('createTask idempotency: an invocation that outlives its lock', () => {
  it('writes nothing once another retry took its lock over (not even a task since deleted), and answers that retry\'s task', async () => {
    // Prepare: the first invocation claims the key, then stalls before its commit past its lock.
    const clock = manualClock();
    const ownerId = freshOwner('zombie');
    const real = deps(clock.now).deps;
    let resume: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (resume = resolve));
    let stalled: () => void = () => undefined;
    const atCommit = new Promise<void>((resolve) => (stalled = resolve));
    const stalling = Object.assign(Object.create(real.store) as IdempotencyStore, {
      commit: async (...args: Parameters<IdempotencyStore['commit']>) => {
        stalled();
        await gate;
        return real.store.commit(...args);
      },
    });
    const late = idempotentCreate({ ...real, store: stalling })({ ownerId, idempotencyKey: 'k', input: { title: 'Z' }, remainingMs: LOCK_MS });
    await atCommit;
    clock.advance(LOCK_MS + 1);
    const retry = await idempotentCreate(real)({ ownerId, idempotencyKey: 'k', input: { title: 'Z' }, remainingMs: LOCK_MS });
    const afterRetry = (await tasksOf(ownerId)).map((x) => x.id);
    await t.service.delete(ownerId, retry.id, undefined);
    // Act
    resume();
    const answer = await late;
    // Assess
    expect(afterRetry).toEqual([retry.id]);
    expect(answer).toEqual(retry);
    expect(await tasksOf(ownerId)).toEqual([]);
  });
});

describe('createTask idempotency: replays and neighbours', () => {
  it('the same body in another key order is the same request (canonical hash)', async () => {
    const create = idempotentCreate(deps(manualClock().now).deps);
    const ownerId = freshOwner('order');
    const first = await create({ ownerId, idempotencyKey: 'k', input: { title: 'T', priority: 'high', tags: ['a'] }, remainingMs: LOCK_MS });
    const again = await create({ ownerId, idempotencyKey: 'k', input: { tags: ['a'], priority: 'high', title: 'T' }, remainingMs: LOCK_MS });
    expect(again).toEqual(first);
  });

  it('a completed key replays the first task even after the task was deleted: nothing is re-created', async () => {
    // Prepare
    const create = idempotentCreate(deps(manualClock().now).deps);
    const ownerId = freshOwner('deleted');
    const first = await create({ ownerId, idempotencyKey: 'k', input: { title: 'Gone' }, remainingMs: LOCK_MS });
    await t.service.delete(ownerId, first.id, undefined);
    // Act
    const replay = await create({ ownerId, idempotencyKey: 'k', input: { title: 'Gone' }, remainingMs: LOCK_MS });
    // Assess
    expect(replay).toEqual(first);
    expect(await tasksOf(ownerId)).toHaveLength(0);
  });

  it('the same key for two owners creates two tasks; two keys for one owner create two tasks', async () => {
    const create = idempotentCreate(deps(manualClock().now).deps);
    const [a, b] = [freshOwner('a'), freshOwner('b')];
    await create({ ownerId: a, idempotencyKey: 'k', input: { title: 'X' }, remainingMs: LOCK_MS });
    await create({ ownerId: b, idempotencyKey: 'k', input: { title: 'X' }, remainingMs: LOCK_MS });
    await create({ ownerId: a, idempotencyKey: 'k2', input: { title: 'X' }, remainingMs: LOCK_MS });
    expect(await tasksOf(a)).toHaveLength(2);
    expect(await tasksOf(b)).toHaveLength(1);
  });

  it('a key is remembered for its lifetime only: after it, the key creates a new task', async () => {
    // Prepare
    const clock = manualClock();
    const create = idempotentCreate(deps(clock.now).deps);
    const ownerId = freshOwner('expiry');
    const first = await create({ ownerId, idempotencyKey: 'k', input: { title: 'E' }, remainingMs: LOCK_MS });
    clock.advance((KEY_LIFETIME_SECONDS - 1) * 1000);
    const within = await create({ ownerId, idempotencyKey: 'k', input: { title: 'E' }, remainingMs: LOCK_MS });
    clock.advance(2000);
    // Act
    const after = await create({ ownerId, idempotencyKey: 'k', input: { title: 'E' }, remainingMs: LOCK_MS });
    // Assess
    expect(within).toEqual(first);
    expect(after.id).not.toBe(first.id);
    expect(await tasksOf(ownerId)).toHaveLength(2);
  });

  it('records are keyed by a hash of (owner, key): no raw key or owner id in the table key', async () => {
    const ownerId = freshOwner('hash');
    await idempotentCreate(deps(manualClock().now).deps)({ ownerId, idempotencyKey: 'secret-key', input: { title: 'H' }, remainingMs: LOCK_MS });
    const out = await t.db.send(new ScanCommand({ TableName: t.dynamo.idempotencyTable }));
    const ids = (out.Items ?? []).map((i) => String(i.id));
    expect(ids).toContain(recordIdOf(ownerId, 'secret-key'));
    expect(ids.some((id) => id.includes('secret-key') || id.includes(ownerId))).toBe(false);
    expect(recordIdOf(ownerId, 'secret-key')).toMatch(/^createTask#[0-9a-f]{64}$/);
  });
});
