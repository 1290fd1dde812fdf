/**
 * A DynamoDB that accepts connections and never answers (a stalled endpoint, a network partition): the handler must
 * give up on its own and answer its 500 problem, well inside the function's Timeout (10 s in template.yaml). Without
 * a request timeout the SDK waits forever, Lambda ends the invocation (Sandbox.Timedout) and the client gets API
 * Gateway's bare 502 instead of the API's problem+json.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, describe, expect, it } from 'vitest';
import { proxyEvent } from '../support/events.js';
import { useHandler } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';
import { startSilentEndpoint, type SilentEndpoint } from '../support/silent-endpoint.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;

let silent: SilentEndpoint | undefined;

const t = useHandler<{ listTasks: Handler; createTask: Handler }>(async () => {
  // After the handler environment is set, before the modules (and their client) load.
  silent = await startSilentEndpoint();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = silent.url;
  // The production bound (clients.ts), not the test environment's longer one.
  delete process.env.SDK_REQUEST_TIMEOUT_MS;
  return { handler: { listTasks: (await import('../../functions/listTasks.js')).handler, createTask: (await import('../../functions/createTask.js')).handler } };
});
afterAll(async () => {
  await silent?.close();
});

describe('a DynamoDB that never answers', () => {
  // No wall-clock assertion (the machine's load would decide it): without the client's bounds the call never settles
  // and the test runs into its own timeout; with them it answers after two attempts of at most 1 s + 2 s each.
  it('listTasks gives up and answers its 500 problem (no stack, no SDK message) instead of waiting forever', { timeout: 30_000 }, async () => {
    const result = await t.handler.listTasks(proxyEvent('listTasks', { sub: 'stalled', query: null }), fakeContext('ListTasksFunction', 10_000));

    expect(result.statusCode).toBe(500);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ type: 'urn:task-api:problem:internal', status: 500, detail: 'The request could not be completed.' });
  });

  // A write is sent once more after its attempts time out (its answer may have been lost: task-repository.ts), once
  // only: four attempts of at most 2 s, still inside the 10 s Timeout, and the same 500 problem in the end.
  it('createTask (no Idempotency-Key) resends once, then gives up with its 500 problem instead of resending forever', { timeout: 30_000 }, async () => {
    const event = proxyEvent('createTask', { sub: 'stalled', headers: { 'Content-Type': 'application/json' }, body: { title: 'x' } });
    const result = await t.handler.createTask(event, fakeContext('CreateTaskFunction', 10_000));

    expect(result.statusCode).toBe(500);
    expect(JSON.parse(result.body)).toMatchObject({ type: 'urn:task-api:problem:internal', status: 500 });
  });
});
