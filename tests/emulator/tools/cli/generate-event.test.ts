/** The built `sam-local-gateway` CLI as a child process: generate-event apigateway, shaped like `sam local generate-event`. */
import { describe, expect, it } from 'vitest';
import { cli } from './support/run.js';

/** Loosely typed: the tests read nested fields of the generated JSON. */
interface Event {
  [key: string]: unknown;
  requestContext: Record<string, unknown>;
  headers: Record<string, string>;
}

describe('sam-local-gateway generate-event apigateway (the gateway event builders)', () => {
  const generate = async (args: string[]) => {
    const run = await cli(['generate-event', 'apigateway', ...args]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as Event;
  };

  it('R1.10 R1.17 aws-proxy: the REST proxy event of the request, path parameters from --resource', async () => {
    const event = await generate(['aws-proxy', '--method', 'post', '--path', '/tasks/42', '--resource', '/tasks/{taskId}', '--query', 'a=1&a=2', '--body', '{"x":1}', '--stage', 'v1']);

    expect(event).toMatchObject({ resource: '/tasks/{taskId}', path: '/tasks/42', httpMethod: 'POST', pathParameters: { taskId: '42' }, body: '{"x":1}', isBase64Encoded: false });
    expect(event.queryStringParameters).toEqual({ a: '2' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
    expect(event.requestContext).toMatchObject({ stage: 'v1', path: '/v1/tasks/42', resourcePath: '/tasks/{taskId}', httpMethod: 'POST', accountId: '123456789012' });
  });

  it('R1.17 aws-proxy defaults: GET /examplepath under /{proxy+}, stage prod, no body', async () => {
    const event = await generate(['aws-proxy']);

    expect(event).toMatchObject({ resource: '/{proxy+}', path: '/examplepath', httpMethod: 'GET', pathParameters: { proxy: 'examplepath' }, body: null, queryStringParameters: null });
    expect(event.requestContext.stage).toBe('prod');
  });

  it('H4.1 H4.3 http-api-proxy: payload 2.0 with routeKey, rawPath and the $default stage', async () => {
    const event = await generate(['http-api-proxy', '--path', '/pets/7', '--resource', '/pets/{id}']);

    expect(event).toMatchObject({ version: '2.0', routeKey: 'GET /pets/{id}', rawPath: '/pets/7', rawQueryString: '', pathParameters: { id: '7' } });
    expect(event.requestContext).toMatchObject({ stage: '$default', routeKey: 'GET /pets/{id}', http: { method: 'GET', path: '/pets/7' } });
  });

  it('R7.5 authorizer: the TOKEN event with the method ARN of the request', async () => {
    const event = await generate(['authorizer', '--token', 'Bearer abc', '--method', 'DELETE', '--path', '/tasks/1', '--resource', '/tasks/{id}']);

    expect(event).toEqual({ type: 'TOKEN', authorizationToken: 'Bearer abc', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:1234567890/prod/DELETE/tasks/1' });
  });

  it('R7.8 request-authorizer: the REQUEST event, absent maps as {}', async () => {
    const event = await generate(['request-authorizer', '--path', '/tasks', '--resource', '/tasks']);

    expect(event).toMatchObject({ type: 'REQUEST', resource: '/tasks', path: '/tasks', httpMethod: 'GET', queryStringParameters: {}, pathParameters: {}, stageVariables: {} });
    expect(event.headers.Authorization).toBe('allow');
    expect(event.methodArn).toBe('arn:aws:execute-api:us-east-1:123456789012:1234567890/prod/GET/tasks');
  });

  it('takes SAM`s --path without its leading slash (sam local generate-event apigateway aws-proxy --path hello)', async () => {
    const event = await generate(['aws-proxy', '--path', 'hello', '--resource', 'hello']);

    expect(event).toMatchObject({ path: '/hello', resource: '/hello', requestContext: { path: '/prod/hello', resourcePath: '/hello' } });
  });

  it.each([
    { args: ['kinesis', 'get-records'], want: /unknown service "kinesis"/ },
    { args: ['s3', 'copy'], want: /unknown s3 event "copy"/ },
    { args: ['apigateway', 'websocket'], want: /unknown apigateway event "websocket"/ },
    { args: ['apigateway', 'aws-proxy', '--path', '/a/b', '--resource', '/a'], want: /--path \/a\/b does not match --resource \/a/ },
  ])('$args is a usage error with exit 1 and nothing on stdout', async ({ args, want }) => {
    const run = await cli(['generate-event', ...args]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
  });
});
