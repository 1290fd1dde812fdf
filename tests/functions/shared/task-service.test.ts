import { GetCommand, PutCommand, ScanCommand } from '@aws-sdk/lib-dynamodb';
import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import type { components } from '../../../openapi/types.gen.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError, NotFoundError, PreconditionFailedError } from '../../../functions/shared/errors.js';
import { newId } from '../../../functions/shared/ids.js';
import { toItem } from '../../../functions/shared/task-item.js';
import { startTasksDb, type TasksDb } from '../../support/tasks-db.js';

const KEY = 'cursor-key';
let t: TasksDb;

beforeAll(async () => {
  t = await startTasksDb();
});
afterAll(async () => {
  await t.close();
});

const full: components['schemas']['TaskUpdate'] = { title: 'Replaced', status: 'in_progress', priority: 'high', tags: ['x'] };

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('create', () => {
  it('stores the item layout the getTask integration reads', async () => {
    // Act
    const task = await t.service.create('alice', { title: 'Write', description: 'd', dueDate: '2026-12-01', tags: ['docs', 'x'] });
    // Assess
    const raw = await t.raw.send(
      new GetItemCommand({ TableName: t.dynamo.tasksTable, Key: { pk: { S: 'USER#alice' }, sk: { S: `TASK#${task.id}` } } }),
    );
    expect(raw.Item).toMatchObject({
      gsi1pk: { S: 'USER#alice#STATUS#todo' },
      gsi1sk: { S: `TASK#${task.id}` },
      id: { S: task.id },
      ownerId: { S: 'alice' },
      title: { S: 'Write' },
      description: { S: 'd' },
      dueDate: { S: '2026-12-01' },
      status: { S: 'todo' },
      priority: { S: 'medium' },
      tags: { L: [{ S: 'docs' }, { S: 'x' }] },
      version: { N: '1' },
      createdAt: { S: task.createdAt },
      updatedAt: { S: task.createdAt },
    });
  });

  it('never overwrites an existing id (attribute_not_exists)', async () => {
    const task = await t.service.create('alice', { title: 'First' });
    const error = await rejection(t.repository.create('alice', { ...task, title: 'Second' }));
    // A one-action transaction (for its ClientRequestToken): its condition fails as the transaction's cancellation.
    expect(error).toMatchObject({ name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] });
    const stored = await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: 'USER#alice', sk: `TASK#${task.id}` } }));
    expect(stored.Item?.title).toBe('First');
  });
});

describe('replace (PUT)', () => {
  it('replaces all fields, removes absent optional ones and bumps the version', async () => {
    const task = await t.service.create('bob', { title: 'T', description: 'gone soon', dueDate: '2026-01-01' });
    const updated = await t.service.replace('bob', task.id, full, undefined);
    expect(updated).toMatchObject({ id: task.id, title: 'Replaced', status: 'in_progress', priority: 'high', tags: ['x'], version: 2 });
    expect(updated).not.toHaveProperty('description');
    expect(updated).not.toHaveProperty('dueDate');
    expect(updated.createdAt).toBe(task.createdAt);
    const stored = await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: 'USER#bob', sk: `TASK#${task.id}` } }));
    expect(stored.Item?.gsi1pk).toBe('USER#bob#STATUS#in_progress');
  });

  describe.each([
    { name: 'absent task, no If-Match', owner: 'bob', exists: false, ifMatch: undefined, want: NotFoundError },
    { name: 'absent task, If-Match "1"', owner: 'bob', exists: false, ifMatch: 1, want: NotFoundError },
    { name: 'absent task, If-Match *', owner: 'bob', exists: false, ifMatch: 'any' as const, want: NotFoundError },
    { name: "another user's task", owner: 'mallory', exists: true, ifMatch: undefined, want: NotFoundError },
    { name: "another user's task with its version", owner: 'mallory', exists: true, ifMatch: 1, want: NotFoundError },
    { name: 'stale If-Match', owner: 'bob', exists: true, ifMatch: 7, want: PreconditionFailedError },
  ])('$name', ({ owner, exists, ifMatch, want }) => {
    it(`update → ${want.name}, delete → ${want.name}, nothing written`, async () => {
      const id = exists ? (await t.service.create('bob', { title: 'Mine' })).id : newId();
      expect(await rejection(t.service.replace(owner, id, full, ifMatch))).toBeInstanceOf(want);
      expect(await rejection(t.service.delete(owner, id, ifMatch))).toBeInstanceOf(want);
      if (owner !== 'bob') {
        const foreign = await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: `USER#${owner}`, sk: `TASK#${id}` } }));
        expect(foreign.Item).toBeUndefined();
      }
      if (exists) {
        const mine = await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: 'USER#bob', sk: `TASK#${id}` } }));
        expect(mine.Item).toMatchObject({ title: 'Mine', version: 1 });
      }
    });
  });

  it.each([
    { ifMatch: 1, name: 'matching If-Match' },
    { ifMatch: 'any' as const, name: 'If-Match *' },
  ])('$name updates, then delete at the new version removes it', async ({ ifMatch }) => {
    const task = await t.service.create('carol', { title: 'C' });
    const updated = await t.service.replace('carol', task.id, full, ifMatch);
    expect(updated.version).toBe(2);
    expect(await rejection(t.service.delete('carol', task.id, 1))).toBeInstanceOf(PreconditionFailedError);
    await t.service.delete('carol', task.id, 2);
    const stored = await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: 'USER#carol', sk: `TASK#${task.id}` } }));
    expect(stored.Item).toBeUndefined();
  });

  it('50 concurrent updates lose nothing: versions strictly increase and the final version is 51', async () => {
    const task = await t.service.create('dave', { title: 'Hot' });
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => t.service.replace('dave', task.id, { ...full, title: `w${i}` }, undefined)),
    );
    const versions = results.map((r) => r.version).sort((a, b) => a - b);
    expect(versions).toEqual(Array.from({ length: 50 }, (_, i) => i + 2));
    const stored = await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: 'USER#dave', sk: `TASK#${task.id}` } }));
    expect(stored.Item?.version).toBe(51);
  });

  it('50 concurrent If-Match writers at the same version: exactly one wins, the rest get 412', async () => {
    const task = await t.service.create('dave', { title: 'Race' });
    const settled = await Promise.allSettled(Array.from({ length: 50 }, () => t.service.replace('dave', task.id, full, 1)));
    expect(settled.filter((s) => s.status === 'fulfilled')).toHaveLength(1);
    const reasons = settled.flatMap((s) => (s.status === 'rejected' ? [s.reason as unknown] : []));
    expect(reasons.every((r) => r instanceof PreconditionFailedError)).toBe(true);
  });
});

describe('list', () => {
  let ids: string[];
  beforeAll(async () => {
    ids = [];
    for (let i = 0; i < 7; i++) {
      ids.push((await t.service.create('erin', { title: `E${i}`, status: i % 2 === 0 ? 'done' : 'todo' })).id);
    }
    await t.service.create('frank', { title: 'not erin' });
  });

  it('returns only the owner’s tasks, newest first', async () => {
    const page = await t.service.list('erin', { limit: 20 }, KEY);
    expect(page.data.map((x) => x.id)).toEqual([...ids].reverse());
    expect(page.pagination).toEqual({ hasMore: false, nextCursor: null });
  });

  it.each([
    { status: undefined, limit: 3, want: () => [...ids].reverse() },
    { status: 'done' as const, limit: 2, want: () => ids.filter((_, i) => i % 2 === 0).reverse() },
    { status: 'todo' as const, limit: 1, want: () => ids.filter((_, i) => i % 2 === 1).reverse() },
  ])('pages through status=$status with limit $limit via cursors', async ({ status, limit, want }) => {
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await t.service.list('erin', { status, limit, cursor }, KEY);
      expect(page.data.length).toBeLessThanOrEqual(limit);
      seen.push(...page.data.map((x) => x.id));
      expect(page.pagination.hasMore).toBe(page.pagination.nextCursor !== null);
      cursor = page.pagination.nextCursor ?? undefined;
      pages++;
    } while (cursor && pages < 20);
    expect(seen).toEqual(want());
    expect(pages).toBe(Math.ceil(want().length / limit));
  });

  it.each([
    { name: "another user's cursor", owner: 'frank', status: undefined },
    { name: "another filter's cursor", owner: 'erin', status: 'done' as const },
  ])('$name → 400 invalid-cursor', async ({ owner, status }) => {
    const first = await t.service.list('erin', { limit: 1 }, KEY);
    const cursor = first.pagination.nextCursor ?? '';
    const error = await rejection(t.service.list(owner, { status, limit: 1, cursor }, KEY));
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError).slug).toBe('invalid-cursor');
  });

  it('uses Query, never Scan: the status filter reads the byStatus GSI', async () => {
    const done = await t.service.list('erin', { status: 'done', limit: 100 }, KEY);
    expect(done.data.every((x) => x.status === 'done')).toBe(true);
    expect(done.data).toHaveLength(4);
    // The table holds more than erin's tasks; her listing never includes them.
    const all = await t.db.send(new ScanCommand({ TableName: t.dynamo.tasksTable }));
    expect((all.Items ?? []).length).toBeGreaterThan(7);
  });
});

describe('list: pages DynamoDB cuts at 1 MB', () => {
  it('a page DynamoDB ends before the Limit (1 MB read) still says hasMore, and the cursors reach every task', async () => {
    // Prepare: 101 items of about 12 KB: a Query reads at most 1 MB, so DynamoDB stops before Limit (101) and
    // returns LastEvaluatedKey. Contract-sized tasks reach 12 KB in UTF-8 bytes (4-byte characters), but dynalite
    // counts UTF-16 units, so the size comes from an attribute outside the contract (as the 1 MB counts whole items).
    const owner = 'big-pages';
    const ids: string[] = [];
    for (let i = 0; i < 101; i += 1) {
      const task = t.service.draft({ title: `Big ${i}` });
      await t.db.send(new PutCommand({ TableName: t.dynamo.tasksTable, Item: { ...toItem(owner, task), padding: 'p'.repeat(12_000) } }));
      ids.push(task.id);
    }
    // Act
    const first = await t.service.list(owner, { limit: 100 }, KEY);
    const seen = first.data.map((x) => x.id);
    let cursor = first.pagination.nextCursor;
    for (let pages = 0; cursor !== null && pages < 10; pages += 1) {
      const page = await t.service.list(owner, { limit: 100, cursor }, KEY);
      seen.push(...page.data.map((x) => x.id));
      cursor = page.pagination.nextCursor;
    }
    // Assess
    expect(first.data.length).toBeLessThan(100);
    expect(first.pagination.hasMore).toBe(true);
    expect(seen.sort()).toEqual([...ids].sort());
  });
});
