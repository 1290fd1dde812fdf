/**
 * DynamoDB refusing calls for throughput (ProvisionedThroughputExceededException; a transaction's ThrottlingError), past
 * the SDK's own retry: nothing was written and the same request can succeed later, so every operation answers the
 * contract's 503 problem with Retry-After, not a 500. dynalite cannot throttle: a FAKE endpoint answers every call as
 * DynamoDB answers a throttled one, through the handlers' real SDK client (tests/support/faulty-dynamodb.ts).
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import type { UpdateTaskEvent } from '../../functions/updateTask.js';
import { declaredStatuses, responseSchema, selectionPatterns } from '../support/contract.js';
import { proxyEvent, updateEvent } from '../support/events.js';
import { startThrottlingEndpoint } from '../support/faulty-dynamodb.js';
import { useHandler } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Proxy = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Handlers = Record<'listTasks' | 'createTask' | 'getTask' | 'updateTask' | 'deleteTask' | 'listUserTasks', Proxy> & {
  updateTaskRest: (event: UpdateTaskEvent, context: Context) => Promise<unknown>;
};

let throttling: Awaited<ReturnType<typeof startThrottlingEndpoint>> | undefined;
const t = useHandler<Handlers>(async () => {
  // After the handler environment is set, before the modules (and their client) load.
  throttling = await startThrottlingEndpoint();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = throttling.url;
  const update = await import('../../functions/updateTask.js');
  const handler: Handlers = {
    listTasks: (await import('../../functions/listTasks.js')).handler,
    createTask: (await import('../../functions/createTask.js')).handler,
    getTask: (await import('../../functions/getTask.js')).handler,
    updateTask: update.proxy,
    deleteTask: (await import('../../functions/deleteTask.js')).handler,
    listUserTasks: (await import('../../functions/listUserTasks.js')).handler,
    updateTaskRest: update.handler as unknown as Handlers['updateTaskRest'],
  };
  return { handler };
});
afterAll(async () => {
  await throttling?.close();
});

const ID = '01JD5ZQ3W8K2M4N6P8R0T2V4X6';
const json = { 'Content-Type': 'application/json' };
const update = { title: 'after', status: 'done', priority: 'high', tags: [] };

describe('a DynamoDB that refuses every call for throughput', () => {
  it.each([
    { operation: 'listTasks' as const, given: '', event: () => proxyEvent('listTasks', { query: null }) },
    { operation: 'createTask' as const, given: '', event: () => proxyEvent('createTask', { headers: json, body: { title: 'x' } }) },
    { operation: 'createTask' as const, given: 'with Idempotency-Key', event: () => proxyEvent('createTask-idempotent', { headers: { ...json, 'Idempotency-Key': 'throttled-1' }, body: { title: 'x' } }) },
    { operation: 'getTask' as const, given: '', event: () => proxyEvent('getTask', { pathParameters: { taskId: ID } }) },
    { operation: 'updateTask' as const, given: '', event: () => proxyEvent('updateTask-http', { pathParameters: { taskId: ID }, headers: json, body: update }) },
    { operation: 'deleteTask' as const, given: '', event: () => proxyEvent('deleteTask', { pathParameters: { taskId: ID } }) },
    { operation: 'listUserTasks' as const, given: '', event: () => proxyEvent('listUserTasks') },
  ])('$operation $given → the declared 503 problem with Retry-After', { timeout: 20_000 }, async ({ operation, event }) => {
    // Act
    const result = await t.handler[operation](event(), fakeContext(`${operation}Function`));
    // Assess
    expect(result.statusCode, result.body).toBe(503);
    expect(declaredStatuses(operation)).toContain(503);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
    expect(result.headers?.['Retry-After']).toBe('1');
    const problem = JSON.parse(result.body) as unknown;
    const validate = responseSchema(operation, 503, 'application/problem+json');
    expect(validate(problem), JSON.stringify(validate.errors)).toBe(true);
    expect(problem).toMatchObject({ type: 'urn:task-api:problem:unavailable', status: 503 });
  });

  it('updateTask (REST, non-proxy): the error selects the 503 integration response, which sends Retry-After', { timeout: 20_000 }, async () => {
    // Act
    const error = await t.handler.updateTaskRest(updateEvent({ taskId: ID }), fakeContext('UpdateTaskFunction')).then(
      () => new Error('expected a failure'),
      (e: Error) => e,
    );
    // Assess
    const matches = selectionPatterns('updateTask').filter((p) => p.pattern.test(error.message));
    expect(matches.map((m) => m.statusCode)).toEqual([503]);
    expect(JSON.parse(error.message)).toMatchObject({ type: 'urn:task-api:problem:unavailable', status: 503 });
  });
});
