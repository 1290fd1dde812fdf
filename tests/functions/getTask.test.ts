/**
 * getTask on the HTTP API (a Lambda proxy handler, payload 1.0) against dynalite: it answers what the REST
 * API's DynamoDB integration and mapping templates answer (200 with ETag, 400 for a bad id, 404 for an
 * absent or foreign task, 500 for a stored item that is not a task), each response as the contract declares.
 */
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { toItem } from '../../functions/shared/task-item.js';
import { declaredStatuses, responseSchema } from '../support/contract.js';
import { proxyEvent } from '../support/events.js';
import { useHandler } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const t = useHandler<Handler>(() => import('../../functions/getTask.js'));

const ID = '01JD5ZQ3W8K2M4N6P8R0T2V4X6';
const task = (over: Record<string, unknown> = {}) => ({
  id: ID,
  title: 'Write the README',
  status: 'todo' as const,
  priority: 'low' as const,
  tags: ['docs'],
  createdAt: '2026-01-01T00:00:00.000Z',
  updatedAt: '2026-01-02T00:00:00.000Z',
  version: 3,
  ...over,
});
const put = (owner: string, item: Record<string, unknown>) => t.db.send(new PutCommand({ TableName: t.env.dynamo.tasksTable, Item: { ...toItem(owner, task()), ...item } }));
const get = (sub: string, taskId: string) => t.handler(proxyEvent('getTask', { sub, pathParameters: { taskId } }), fakeContext('GetTaskFunction'));

/** The body, after checking the status and body are the contract's for getTask. */
function conforming(result: APIGatewayProxyResult): Record<string, unknown> {
  expect(declaredStatuses('getTask')).toContain(result.statusCode);
  const contentType = String(result.headers?.['Content-Type']);
  const body = JSON.parse(result.body) as Record<string, unknown>;
  const validate = responseSchema('getTask', result.statusCode, contentType);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  return body;
}

describe('getTask (HTTP API proxy handler)', () => {
  it("answers 200 with the owner's task and its version as ETag", async () => {
    // Prepare
    await put('owner-a', {});
    // Act
    const result = await get('owner-a', ID);
    // Assess
    expect(result.statusCode).toBe(200);
    expect(result.headers).toMatchObject({ 'Content-Type': 'application/json', ETag: '"3"' });
    expect(conforming(result)).toEqual(task());
  });

  it('answers 404 not-found for a task of another owner, as for an absent one (no existence leak)', async () => {
    await put('owner-b', {});
    const foreign = await get('someone-else', ID);
    const absent = await get('owner-b', '01JD5ZQ3W8K2M4N6P8R0T2V4X9');
    for (const result of [foreign, absent]) {
      expect(result.statusCode).toBe(404);
      expect(conforming(result)).toMatchObject({ type: 'urn:task-api:problem:not-found', status: 404 });
    }
    expect(JSON.parse(foreign.body).detail).toBe(JSON.parse(absent.body).detail);
  });

  it.each([
    ['not a ULID', 'no-such-id'],
    ['a ULID plus one character', `${ID}0`],
    ['lower case', ID.toLowerCase()],
    ['empty', ''],
  ])('answers 400 validation naming taskId for an id that is %s, as PUT and DELETE do', async (_name, taskId) => {
    const result = await get('owner-a', taskId);
    expect(result.statusCode).toBe(400);
    expect(conforming(result)).toMatchObject({ type: 'urn:task-api:problem:validation', errors: [{ pointer: 'taskId', message: 'must be a ULID' }] });
  });

  it('answers 500 (no field values, no stack) for a stored item that is not a valid task', async () => {
    await put('owner-c', { status: 'archived' });
    const result = await get('owner-c', ID);
    expect(result.statusCode).toBe(500);
    expect(conforming(result)).toMatchObject({ type: 'urn:task-api:problem:internal', detail: 'The request could not be completed.' });
    expect(result.body).not.toContain('archived');
  });

  it('answers 500, not a 404, when the route has no Cognito claims (a misconfigured API)', async () => {
    const result = await get('', ID);
    expect(result.statusCode).toBe(500);
  });
});
