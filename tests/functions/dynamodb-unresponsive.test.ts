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

const t = useHandler<Handler>(async () => {
  // After the handler environment is set, before the module (and its client) loads.
  silent = await startSilentEndpoint();
  process.env.AWS_ENDPOINT_URL_DYNAMODB = silent.url;
  return import('../../functions/listTasks.js');
});
afterAll(async () => {
  await silent?.close();
});

describe('a DynamoDB that never answers', () => {
  // No wall-clock assertion (the machine's load would decide it): without the client's bounds the call never settles
  // and the test runs into its own timeout; with them it answers after two attempts of at most 1 s + 2 s each.
  it('listTasks gives up and answers its 500 problem (no stack, no SDK message) instead of waiting forever', { timeout: 30_000 }, async () => {
    const result = await t.handler(proxyEvent('listTasks', { sub: 'stalled', query: null }), fakeContext('ListTasksFunction', 10_000));

    expect(result.statusCode).toBe(500);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ type: 'urn:task-api:problem:internal', status: 500, detail: 'The request could not be completed.' });
  });
});
