/**
 * updateTask's proxy entry point (the HTTP API's Lambda proxy integration, payload 1.0) against dynalite:
 * the validation the REST API's request validator and mapping templates did happens in the handler, with
 * the same problems, and a rejected request changes nothing.
 */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { ownerKey, taskKey, toItem } from '../../functions/shared/task-item.js';
import { declaredStatuses, responseSchema } from '../support/contract.js';
import { proxyEvent, type ProxyVariant } from '../support/events.js';
import { useHandler } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const t = useHandler<Handler>(async () => ({ handler: (await import('../../functions/updateTask.js')).proxy }));

const OWNER = 'owner-u';
const stored = {
  id: '01JD5ZQ3W8K2M4N6P8R0T2V4X6',
  title: 'before',
  status: 'todo' as const,
  priority: 'low' as const,
  tags: [],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-01T00:00:00.000Z',
  version: 1,
};
const update = { title: 'after', status: 'done', priority: 'high', tags: ['x'] };

async function seed(id: string): Promise<void> {
  await t.db.send(new PutCommand({ TableName: t.env.dynamo.tasksTable, Item: toItem(OWNER, { ...stored, id }) }));
}
const read = async (id: string) => (await t.db.send(new GetCommand({ TableName: t.env.dynamo.tasksTable, Key: { pk: ownerKey(OWNER), sk: taskKey(id) } }))).Item;
const put = (id: string, variant: ProxyVariant) => t.handler(proxyEvent('updateTask-http', { sub: OWNER, pathParameters: { taskId: id }, ...variant }), fakeContext('UpdateTaskFunction'));

function conforming(result: APIGatewayProxyResult): Record<string, unknown> {
  expect(declaredStatuses('updateTask')).toContain(result.statusCode);
  const body = JSON.parse(result.body) as Record<string, unknown>;
  const validate = responseSchema('updateTask', result.statusCode, String(result.headers?.['Content-Type']));
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  return body;
}

let n = 0;
const nextId = () => `01JD5ZQ3W8K2M4N6P8R0T2V${String(100 + (n++ % 900)).padStart(3, '0')}`;

describe('updateTask.proxy (HTTP API)', () => {
  it('events/updateTask-http.json (If-Match "1") answers 200 with the task at version 2 and ETag "2"', async () => {
    // Prepare
    const id = nextId();
    await seed(id);
    // Act
    const result = await put(id, {});
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers?.ETag).toBe('"2"');
    expect(conforming(result)).toMatchObject({ id, title: 'Write the README', status: 'in_progress', version: 2 });
  });

  it.each([
    { name: 'a body the TaskUpdate schema rejects (no status)', variant: { body: { title: 'x', priority: 'low', tags: [] } }, status: 400, type: 'validation' },
    { name: 'an unknown field', variant: { body: { ...update, owner: 'me' } }, status: 400, type: 'validation' },
    { name: 'a body that is not JSON', variant: { body: '{"title":' }, status: 400, type: 'malformed-json' },
    { name: 'a text/plain body', variant: { body: JSON.stringify(update), headers: { 'content-type': 'text/plain' } }, status: 415, type: 'unsupported-media-type' },
    { name: 'a malformed If-Match', variant: { body: update, headers: { 'if-match': '1' } }, status: 400, type: 'validation' },
    { name: 'a stale If-Match', variant: { body: update, headers: { 'if-match': '"7"' } }, status: 412, type: 'precondition-failed' },
    // An unpaired surrogate has no UTF-8 form: DynamoDB stores UTF-8, so the task would not be stored as answered.
    { name: 'a tag with an unpaired surrogate (\\udc00)', variant: { body: JSON.stringify({ ...update, tags: ['\udc00'] }) }, status: 400, type: 'validation' },
  ])('$name is $status $type and changes nothing', async ({ variant, status, type }) => {
    const id = nextId();
    await seed(id);
    const before = await read(id);
    const result = await put(id, variant as ProxyVariant);
    expect(result.statusCode).toBe(status);
    expect(conforming(result)).toMatchObject({ type: `urn:task-api:problem:${type}`, status });
    expect(await read(id)).toEqual(before);
  });

  it.each([
    { name: 'an absent task', id: '01JD5ZQ3W8K2M4N6P8R0T2V4ZZ', status: 404, type: 'not-found' },
    { name: 'an id that is not a TaskId', id: 'not-a-ulid', status: 400, type: 'validation' },
  ])('$name is $status $type', async ({ id, status, type }) => {
    const result = await put(id, { body: update, headers: { 'if-match': undefined } });
    expect(result.statusCode).toBe(status);
    expect(conforming(result)).toMatchObject({ type: `urn:task-api:problem:${type}` });
  });
});
