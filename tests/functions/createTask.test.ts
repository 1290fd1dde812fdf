import { QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { recordIdOf } from '../../functions/shared/idempotency.js';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { proxyEvent } from '../support/events.js';
import { ALLOWED_ORIGIN, useHandler } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const t = useHandler<Handler>(() => import('../../functions/createTask.js'));

async function itemsOf(sub: string): Promise<Record<string, unknown>[]> {
  const out = await t.db.send(
    new QueryCommand({ TableName: t.env.dynamo.tasksTable, KeyConditionExpression: 'pk = :pk', ExpressionAttributeValues: { ':pk': `USER#${sub}` } }),
  );
  return out.Items ?? [];
}

const invoke = (event: APIGatewayProxyEvent) => t.handler(event, fakeContext('CreateTaskFunction'));
const body = (result: APIGatewayProxyResult) => JSON.parse(result.body) as Record<string, unknown>;

describe('createTask', () => {
  it('creates a task: 201, Location, ETag "1", CORS, contract defaults', async () => {
    const result = await invoke(proxyEvent('createTask', { sub: 'u-plain', body: { title: 'Hello' } }));
    const task = body(result);
    expect(result.statusCode).toBe(201);
    expect(task).toMatchObject({ title: 'Hello', status: 'todo', priority: 'medium', tags: [], version: 1 });
    expect(result.headers).toMatchObject({
      Location: `/v1/tasks/${String(task.id)}`,
      ETag: '"1"',
      'Content-Type': 'application/json',
      'Access-Control-Allow-Origin': ALLOWED_ORIGIN,
      'Access-Control-Expose-Headers': 'ETag,Location',
    });
    expect(result.headers).not.toHaveProperty('Access-Control-Allow-Credentials');
  });

  it('without Idempotency-Key, two identical requests create two tasks', async () => {
    await invoke(proxyEvent('createTask', { sub: 'u-twice', body: { title: 'Same' } }));
    await invoke(proxyEvent('createTask', { sub: 'u-twice', body: { title: 'Same' } }));
    expect(await itemsOf('u-twice')).toHaveLength(2);
  });

  it('20 concurrent retries with one Idempotency-Key create exactly one task; settled retries replay it', async () => {
    // Prepare
    const event = () => proxyEvent('createTask-idempotent', { sub: 'u-idem', headers: { 'Idempotency-Key': 'retry-1' } });
    // Act
    const results = await Promise.all(Array.from({ length: 20 }, () => invoke(event())));
    const replay = await invoke(proxyEvent('createTask-idempotent', { sub: 'u-idem', headers: { 'idempotency-key': 'retry-1' } }));
    // Assess
    const created = results.filter((r) => r.statusCode === 201);
    expect(created.length).toBeGreaterThanOrEqual(1);
    expect(results.every((r) => r.statusCode === 201 || r.statusCode === 409)).toBe(true);
    const items = await itemsOf('u-idem');
    expect(items).toHaveLength(1);
    expect(new Set(created.map((r) => body(r).id))).toEqual(new Set([items[0]?.id]));
    expect(replay.statusCode).toBe(201);
    expect(body(replay)).toEqual(body(created[0]!));
    expect(replay.headers?.Location).toBe(created[0]!.headers?.Location);
  });

  it.each([
    { given: 'still in flight (its lock runs for another minute)', lockedForMs: 60_000, status: 409 },
    { given: 'stopped before completing (its lock has expired)', lockedForMs: -1_000, status: 201 },
  ])('a retry while the first request with its key is $given answers $status, never a second task', async ({ lockedForMs, status }) => {
    // Prepare: the state a first request leaves while it runs (or after it crashed): its record in progress.
    const sub = `u-inflight${status}`;
    const event = () => proxyEvent('createTask-idempotent', { sub, headers: { 'Idempotency-Key': 'held' } });
    const first = await invoke(event());
    await t.db.send(
      new UpdateCommand({
        TableName: t.env.dynamo.idempotencyTable,
        Key: { id: recordIdOf(sub, 'held') },
        UpdateExpression: 'SET #status = :inProgress, lockedUntil = :until',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: { ':inProgress': 'INPROGRESS', ':until': Date.now() + lockedForMs },
      }),
    );
    // Act
    const retry = await invoke(event());
    // Assess
    expect(retry.statusCode).toBe(status);
    if (status === 409) expect(body(retry)).toMatchObject({ type: 'urn:task-api:problem:conflict', status: 409 });
    else expect(body(retry)).toEqual(body(first));
    expect(await itemsOf(sub)).toHaveLength(1);
  });

  it('the same key with another body is a 422; another user with the same key is independent', async () => {
    const first = await invoke(proxyEvent('createTask', { sub: 'u-422', headers: { 'Idempotency-Key': 'k' }, body: { title: 'A' } }));
    const other = await invoke(proxyEvent('createTask', { sub: 'u-422', headers: { 'Idempotency-Key': 'k' }, body: { title: 'B' } }));
    const elsewhere = await invoke(proxyEvent('createTask', { sub: 'u-422b', headers: { 'Idempotency-Key': 'k' }, body: { title: 'B' } }));
    expect(first.statusCode).toBe(201);
    expect(other.statusCode).toBe(422);
    expect(body(other)).toMatchObject({ type: 'urn:task-api:problem:unprocessable-content', status: 422 });
    expect(other.headers?.['Content-Type']).toBe('application/problem+json');
    expect(elsewhere.statusCode).toBe(201);
    expect(await itemsOf('u-422')).toHaveLength(1);
  });

  it.each([
    { name: 'text/plain body', variant: { headers: { 'Content-Type': 'text/plain' } }, status: 415, type: 'unsupported-media-type' },
    { name: 'malformed JSON', variant: { body: '{"title": ' }, status: 400, type: 'malformed-json' },
    { name: 'unknown field', variant: { body: { title: 'x', ownerId: 'eve' } }, status: 400, type: 'validation', pointer: '/ownerId' },
    { name: 'title too long', variant: { body: { title: 'x'.repeat(201) } }, status: 400, type: 'validation', pointer: '/title' },
    // An unpaired surrogate has no UTF-8 form: DynamoDB stores UTF-8, so the task would not be stored as answered.
    { name: 'title with an unpaired surrogate', variant: { body: '{"title": "a\\ud800b"}' }, status: 400, type: 'validation', pointer: '/title' },
    { name: 'description with an unpaired surrogate', variant: { body: { title: 'x', description: 'z\udfff' } }, status: 400, type: 'validation', pointer: '/description' },
    { name: 'bad Idempotency-Key', variant: { headers: { 'Idempotency-Key': 'has space' } }, status: 400, type: 'validation', pointer: 'Idempotency-Key' },
  ])('$name → $status', async ({ variant, status, type, pointer }) => {
    const result = await invoke(proxyEvent('createTask', { sub: 'u-bad', ...variant }));
    expect(result.statusCode).toBe(status);
    expect(body(result)).toMatchObject({ type: `urn:task-api:problem:${type}`, status });
    if (pointer) expect(body(result).errors).toContainEqual(expect.objectContaining({ pointer }));
    expect(await itemsOf('u-bad')).toHaveLength(0);
  });
});
