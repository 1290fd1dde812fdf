/**
 * The SDK resends a write whose answer it did not get (a timeout, a reset connection; clients.ts allows two attempts),
 * and the first attempt may have been applied. Against the real table (dynalite), a FAKE document client sends the
 * write, drops its answer and sends the same command again, as the SDK's retry does: the task is created once and
 * answered (not a 500 for a task that exists), an update is applied once (one version, not two) and answered (not a
 * 412 against its own write).
 */
import type { components } from '../../../openapi/types.gen.js';
import { GetCommand, PutCommand, QueryCommand, UpdateCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PreconditionFailedError } from '../../../functions/shared/errors.js';
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

/** FAKE of the SDK's retry of a write: a command of class `kind` is sent, applied, its answer dropped, and sent again. */
function resending(db: DynamoDBDocumentClient, kind: typeof PutCommand | typeof UpdateCommand): DynamoDBDocumentClient {
  const send = async (command: Parameters<DynamoDBDocumentClient['send']>[0]): Promise<unknown> => {
    if (!(command instanceof kind)) return db.send(command as never);
    await db.send(command as never);
    return db.send(command as never);
  };
  return { send } as unknown as DynamoDBDocumentClient;
}

const serviceOver = (db: DynamoDBDocumentClient): TaskService => new TaskService(new TaskRepository(db, t.dynamo.tasksTable));
const update: components['schemas']['TaskUpdate'] = { title: 'Once', status: 'done', priority: 'high', tags: ['x'] };

async function stored(ownerId: string, id: string): Promise<Record<string, unknown> | undefined> {
  return (await t.db.send(new GetCommand({ TableName: t.dynamo.tasksTable, Key: { pk: `USER#${ownerId}`, sk: `TASK#${id}` }, ConsistentRead: true }))).Item;
}

describe('a write the SDK resent after its first attempt was applied', () => {
  it('create: answers the task it created, and the owner has that one task', async () => {
    // Act
    const task = await serviceOver(resending(t.db, PutCommand)).create('resend-create', { title: 'Once' });
    // Assess
    const items = await t.db.send(new QueryCommand({ TableName: t.dynamo.tasksTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': 'USER#resend-create' } }));
    expect(items.Items?.map((item) => item.id)).toEqual([task.id]);
    expect(await t.service.get('resend-create', task.id)).toEqual(task);
  });

  it.each([
    { given: 'no If-Match', expected: undefined },
    { given: 'If-Match: *', expected: 'any' as const },
    { given: 'If-Match of the version it read', expected: 1 },
  ])('update with $given: applied once (version 2, not 3) and answered with the task it wrote', async ({ expected }) => {
    // Prepare
    const ownerId = `resend-update-${String(expected)}`;
    const task = await t.service.create(ownerId, { title: 'Before' });
    // Act
    const updated = await serviceOver(resending(t.db, UpdateCommand)).replace(ownerId, task.id, update, expected);
    // Assess
    expect(updated).toMatchObject({ ...update, id: task.id, version: 2 });
    expect(await stored(ownerId, task.id)).toMatchObject({ title: 'Once', version: 2 });
  });

  it('an update with a stale If-Match is still a 412 and changes nothing (the write id is no way around the version)', async () => {
    // Prepare
    const ownerId = 'resend-stale';
    const task = await t.service.create(ownerId, { title: 'Before' });
    await t.service.replace(ownerId, task.id, { ...update, title: 'Other writer' }, 1);
    const before = await stored(ownerId, task.id);
    // Act
    const error = await serviceOver(resending(t.db, UpdateCommand)).replace(ownerId, task.id, update, 1).catch((e: unknown) => e);
    // Assess
    expect(error).toBeInstanceOf(PreconditionFailedError);
    expect(await stored(ownerId, task.id)).toEqual(before);
  });
});
