/**
 * A Secrets Manager that accepts connections and never answers, met on a cold start (the key is then cached five
 * minutes): listTasks must give up and answer its 500 problem, and the admin authorizer fail (API Gateway's 500
 * AUTHORIZER_FAILURE problem), both well inside the function's Timeout (10 s). Unbounded, the SDK waited for ever and
 * Lambda ended the invocation: a bare 502 (on the HTTP API `{"message":"Internal Server Error"}`), not the API's answer.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, APIGatewayTokenAuthorizerEvent, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { proxyEvent, tokenEvent } from '../support/events.js';
import { startHandlerEnv, type HandlerEnv } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';
import { startSilentEndpoint, type SilentEndpoint } from '../support/silent-endpoint.js';

type Proxy = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Authorizer = (event: APIGatewayTokenAuthorizerEvent, context: Context) => Promise<unknown>;

let env: HandlerEnv;
let silent: SilentEndpoint;
let listTasks: Proxy;
let authorizer: Authorizer;

beforeAll(async () => {
  env = await startHandlerEnv();
  silent = await startSilentEndpoint();
  // Before the modules (and their clients) load.
  process.env.AWS_ENDPOINT_URL_SECRETS_MANAGER = silent.url;
  // The production bound (clients.ts), not the test environment's longer one.
  delete process.env.SDK_REQUEST_TIMEOUT_MS;
  listTasks = (await import('../../functions/listTasks.js')).handler as Proxy;
  authorizer = (await import('../../functions/adminAuthorizer.js')).handler as Authorizer;
});
afterAll(async () => {
  await silent.close();
  await env.close();
});

// No wall-clock assertion (the machine's load would decide it): without the client's bounds the call never settles and
// the test runs into its own timeout; with them it settles after two attempts of at most 1 s + 2 s each.
describe('a Secrets Manager that never answers', () => {
  it('listTasks gives up and answers its 500 problem (no stack, no SDK message)', { timeout: 30_000 }, async () => {
    const result = await listTasks(proxyEvent('listTasks', { sub: 'stalled-secrets', query: null }), fakeContext('ListTasksFunction', 10_000));

    expect(result.statusCode).toBe(500);
    expect(result.headers?.['Content-Type']).toBe('application/problem+json');
    expect(JSON.parse(result.body)).toMatchObject({ type: 'urn:task-api:problem:internal', status: 500, detail: 'The request could not be completed.' });
  });

  it('the admin authorizer gives up with an error that is not Unauthorized (API Gateway: 500, not a 401)', { timeout: 30_000 }, async () => {
    const error = await authorizer(tokenEvent('Bearer a.b.c'), fakeContext('AdminAuthorizerFunction', 10_000)).then(
      () => new Error('expected a failure'),
      (e: Error) => e,
    );

    expect(error.message).not.toBe('Unauthorized');
    expect(error.message).not.toBe('expected a failure');
  });
});
