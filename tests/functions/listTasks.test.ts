import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toItem } from '../../functions/shared/task-item.js';
import { proxyEvent } from '../support/events.js';
import { useHandler } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const t = useHandler<Handler>(() => import('../../functions/listTasks.js'));

const valid = (id: string) =>
  toItem('owner', { id, title: 'ok', status: 'todo', priority: 'low', tags: [], createdAt: '2026-01-01T00:00:00.000Z', updatedAt: '2026-01-01T00:00:00.000Z', version: 1 });

describe('listTasks with items written around the API', () => {
  it.each([
    { given: 'no title', change: { title: undefined } },
    { given: 'a string version', change: { version: '1' } },
    { given: 'a status outside the enum', change: { status: 'archived' } },
  ])('an item with $given is a 500 problem (no stack, no field values), never a 200 with invalid fields', async ({ given, change }) => {
    // Prepare
    const sub = `corrupt-${given.replace(/\W+/g, '-')}`;
    const item = { ...valid('01JD5ZQ3W8K2M4N6P8R0T2V4X6'), pk: `USER#${sub}`, ...change };
    await t.db.send(new PutCommand({ TableName: t.env.dynamo.tasksTable, Item: JSON.parse(JSON.stringify(item)) as Record<string, unknown> }));
    // Act
    const result = await t.handler(proxyEvent('listTasks', { sub, query: null }), fakeContext('ListTasksFunction'));
    // Assess
    expect(result.statusCode).toBe(500);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ type: 'urn:task-api:problem:internal', status: 500, detail: 'The request could not be completed.' });
    expect(result.body).not.toContain('archived');
  });

  it('the neighbour: the same item with valid attributes is listed (200)', async () => {
    await t.db.send(new PutCommand({ TableName: t.env.dynamo.tasksTable, Item: { ...valid('01JD5ZQ3W8K2M4N6P8R0T2V4X7'), pk: 'USER#fine' } }));
    const result = await t.handler(proxyEvent('listTasks', { sub: 'fine', query: null }), fakeContext('ListTasksFunction'));
    expect(result.statusCode).toBe(200);
    expect((JSON.parse(result.body) as { data: unknown[] }).data).toHaveLength(1);
  });
});
