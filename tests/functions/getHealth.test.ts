/** getHealth on the HTTP API, which has no mock integrations: a function answering what the REST mock answers. */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { describe, expect, it } from 'vitest';
import { loadEvent } from '../support/events.js';
import { ALLOWED_ORIGIN, useHandler } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Handler = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
const t = useHandler<Handler>(() => import('../../functions/getHealth.js'));

describe('getHealth (HTTP API proxy handler)', () => {
  it.each([
    ['events/getHealth.json', () => loadEvent<APIGatewayProxyEvent>('getHealth')],
    ['with an Authorization header and a query string it does not read', () => ({ ...loadEvent<APIGatewayProxyEvent>('getHealth'), headers: { authorization: 'x' }, queryStringParameters: { a: '1' } })],
  ])('answers 200 {"status":"ok"} as JSON, %s', async (_name, event) => {
    const result = await t.handler(event(), fakeContext('GetHealthFunction'));
    expect(result).toMatchObject({ statusCode: 200, headers: { 'Content-Type': 'application/json', 'Access-Control-Allow-Origin': ALLOWED_ORIGIN } });
    expect(JSON.parse(result.body)).toEqual({ status: 'ok' });
  });
});
