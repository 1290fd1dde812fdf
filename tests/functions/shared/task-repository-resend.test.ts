/**
 * The SDK resends a write whose answer it did not get (a timeout, a reset connection; clients.ts allows two attempts),
 * and the first attempt may have been applied; when every attempt's answer is lost the repository sends it once more.
 * Against the real table (dynalite), under the real SDK client, a FAKE network (tests/support/faulty-dynamodb.ts) lets
 * the table apply a call and drops its answer: a create is written once and answered (no 500 for a task that exists,
 * no second task), an update is applied once (one version, not two) and answered (not a 412 against its own write), a
 * delete is answered 204 (not a 404 for the task it deleted itself).
 */
import type { components } from '../../../openapi/types.gen.js';
import { GetCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NotFoundError, PreconditionFailedError } from '../../../functions/shared/errors.js';
import { TaskRepository } from '../../../functions/shared/task-repository.js';
import { TaskService } from '../../../functions/shared/task-service.js';
import { faultyClient, type Fault } from '../../support/faulty-dynamodb.js';
import { startTasksDb, type TasksDb } from '../../support/tasks-db.js';

let t: TasksDb;
beforeAll(async () => {
  t = await startTasksDb();
});
afterAll(async () => {
  await t.close();
});

/** A service whose calls go through the faulty network, and how many calls of each operation reached the table. */
function serviceWith(faults: Fault[]): { service: TaskService; applied: Map<string, number>; destroy: () => void } {
  const client = faultyClient(t.dynamo.endpoint, faults);
  return { service: new TaskService(new TaskRepository(client.db, t.dynamo.tasksTable)), applied: client.applied, destroy: client.destroy };
}

const PRECONDITIONS = [
  { given: 'no If-Match', expected: undefined },
  { given: 'If-Match: *', expected: 'any' as const },
  { given: 'If-Match of the version it read', expected: 1 },
];
const update: components['schemas']['TaskUpdate'] = { title: 'Once', status: 'done', priority: 'high', tags: ['x'] };

async function stored(ownerId: string, id: string): Promise<Record<string, unknown> | undefined> {
  return (await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: `USER#${ownerId}`, sk: `TASK#${id}` }, ConsistentRead: true }))).Item;
}

async function idsOf(ownerId: string): Promise<unknown[]> {
  const out = await t.db.send(new QueryCommand({ TableName: t.dynamo.tasksTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `USER#${ownerId}` } }));
  return (out.Items ?? []).map((item) => item.id);
}

describe.each([
  { lost: 1, by: 'the SDK resent it' },
  { lost: 2, by: 'the SDK gave up and the repository resent it' },
  { lost: 3, by: 'the repository resent it and the SDK resent that' },
])('a write whose answer was lost $lost time(s) after it was applied ($by)', ({ lost }) => {
  it('create: answers the task it created, and the owner has that one task', async () => {
    // Prepare
    const ownerId = `lost-create-${lost}`;
    const faulty = serviceWith([{ operation: 'TransactWriteItems', steps: Array<'lose'>(lost).fill('lose') }]);
    // Act
    const task = await faulty.service.create(ownerId, { title: 'Once' }).finally(faulty.destroy);
    // Assess
    expect(faulty.applied.get('TransactWriteItems')).toBe(lost + 1);
    expect(await idsOf(ownerId)).toEqual([task.id]);
    expect(await t.service.get(ownerId, task.id)).toEqual(task);
  });

  it.each(PRECONDITIONS)('delete with $given: answered as done (no 404 for its own delete), the task gone', async ({ expected }) => {
    // Prepare
    const ownerId = `lost-delete-${lost}-${String(expected)}`;
    const task = await t.service.create(ownerId, { title: 'Doomed' });
    const faulty = serviceWith([{ operation: 'TransactWriteItems', steps: Array<'lose'>(lost).fill('lose') }]);
    // Act
    await faulty.service.delete(ownerId, task.id, expected).finally(faulty.destroy);
    // Assess
    expect(faulty.applied.get('TransactWriteItems')).toBe(lost + 1);
    expect(await stored(ownerId, task.id)).toBeUndefined();
  });

  it.each(PRECONDITIONS)('update with $given: applied once (version 2, not 3) and answered with the task it wrote', async ({ expected }) => {
    // Prepare
    const ownerId = `lost-update-${lost}-${String(expected)}`;
    const task = await t.service.create(ownerId, { title: 'Before' });
    const faulty = serviceWith([{ operation: 'UpdateItem', steps: Array<'lose'>(lost).fill('lose') }]);
    // Act
    const updated = await faulty.service.replace(ownerId, task.id, update, expected).finally(faulty.destroy);
    // Assess
    expect(updated).toMatchObject({ ...update, id: task.id, version: 2 });
    expect(await stored(ownerId, task.id)).toMatchObject({ title: 'Once', version: 2 });
  });
});

describe('a transaction whose first call is still running when its resends arrive', () => {
  it.each([
    { given: 'create', act: async (service: TaskService, ownerId: string) => (await service.create(ownerId, { title: 'Once' })).id },
    { given: 'delete', act: async (service: TaskService, ownerId: string) => service.delete(ownerId, (await t.service.create(ownerId, { title: 'Doomed' })).id, undefined).then(() => undefined) },
  ])('$given: resent with its token once more (no 503 for a write that was applied), written once', async ({ act }) => {
    // Prepare: the first call is applied and its answer lost; the SDK's resend, its last attempt, is told the first is
    // still in progress (as DynamoDB answers a token whose call runs); the repository's resend gets the outcome.
    const ownerId = `in-progress-${Math.random().toString(36).slice(2, 8)}`;
    const faulty = serviceWith([{ operation: 'TransactWriteItems', steps: ['lose', 'in-progress'] }]);
    // Act
    const id = await act(faulty.service, ownerId).finally(faulty.destroy);
    // Assess
    expect(await idsOf(ownerId)).toEqual(id === undefined ? [] : [id]);
  });
});

describe('what a lost answer does not change', () => {
  it('a write whose every answer is lost fails (the handler answers 500), and a create is still written once', async () => {
    // Prepare
    const ownerId = 'lost-always';
    const faulty = serviceWith([{ operation: 'TransactWriteItems', steps: ['lose', 'lose', 'lose', 'lose'] }]);
    // Act
    const error = await faulty.service.create(ownerId, { title: 'Once' }).finally(faulty.destroy).catch((e: unknown) => e);
    // Assess
    expect(error).toMatchObject({ name: 'TimeoutError' });
    expect(await idsOf(ownerId)).toHaveLength(1);
  });

  it('a delete of a task that is not there is still a 404, and one at a stale version still a 412 that keeps it', async () => {
    // Prepare
    const ownerId = 'lost-neighbours';
    const task = await t.service.create(ownerId, { title: 'Kept' });
    await t.service.replace(ownerId, task.id, update, 1);
    const faulty = serviceWith([]);
    // Act
    const absent = await faulty.service.delete(ownerId, '01JD5ZQ3W8K2M4N6P8R0T2V4X6', undefined).catch((e: unknown) => e);
    const stale = await faulty.service.delete(ownerId, task.id, 1).catch((e: unknown) => e);
    faulty.destroy();
    // Assess
    expect(absent).toBeInstanceOf(NotFoundError);
    expect(stale).toBeInstanceOf(PreconditionFailedError);
    expect(await stored(ownerId, task.id)).toMatchObject({ version: 2 });
  });

  it('an update with a stale If-Match is still a 412 and changes nothing (the write id is no way around the version)', async () => {
    // Prepare
    const ownerId = 'lost-stale';
    const task = await t.service.create(ownerId, { title: 'Before' });
    await t.service.replace(ownerId, task.id, { ...update, title: 'Other writer' }, 1);
    const before = await stored(ownerId, task.id);
    const faulty = serviceWith([{ operation: 'UpdateItem', steps: ['lose'] }]);
    // Act
    const error = await faulty.service.replace(ownerId, task.id, update, 1).finally(faulty.destroy).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(await stored(ownerId, task.id)).toEqual(before);
  });
});
