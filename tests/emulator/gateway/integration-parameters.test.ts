/** Unit: the sources and targets of integration requestParameters (R2.10). */
import { describe, expect, it } from 'vitest';
import { integrationParameters } from '../../../emulator/gateway/integration-parameters.js';
import type { RequestState } from '../../../emulator/gateway/request-state.js';
import { GatewayError } from '../../../emulator/gateway/gateway-responses.js';

function state(): RequestState {
  return {
    requestId: 'req-1',
    extendedRequestId: 'ext',
    requestTimeEpoch: 0,
    httpMethod: 'POST',
    stage: 'v1',
    contextPath: '/v1/items/42',
    path: '/items/42',
    headers: [['X-Tag', 'a'], ['x-tag', 'b'], ['Expect', '100-continue']],
    query: [['q', '1'], ['q', '2']],
    body: new TextEncoder().encode(JSON.stringify({ user: { name: 'ann', roles: ['x'] } })),
    sourceIp: '10.0.0.1',
    trace: { root: '1-00000000-000000000000000000000000', sampled: '0', fromCaller: false },
    route: { route: {} as never, resourcePath: '/items/{id}', pathParameters: { id: '42' } },
  };
}
const env = { accountId: '123456789012', apiId: 'api', stageVariables: { color: 'blue' } };
const map = (requestParameters: Record<string, string>, aws = false) => integrationParameters({ requestParameters }, state(), env, aws);

describe('integrationParameters', () => {
  it.each([
    { expr: "'static value'", want: 'static value' },
    { expr: 'method.request.path.id', want: '42' },
    { expr: 'method.request.querystring.q', want: '2' },
    { expr: 'method.request.header.x-TAG', want: 'b' },
    { expr: 'method.request.multivalueheader.X-Tag', want: 'a,b' },
    { expr: 'method.request.body', want: '{"user":{"name":"ann","roles":["x"]}}' },
    { expr: 'method.request.body.user.name', want: 'ann' },
    { expr: 'method.request.body.user.roles', want: '["x"]' },
    { expr: 'context.requestId', want: 'req-1' },
    { expr: 'context.identity.sourceIp', want: '10.0.0.1' },
    { expr: 'stageVariables.color', want: 'blue' },
  ])('header from $expr → $want', ({ expr, want }) => {
    expect(map({ 'integration.request.header.X-Out': expr }).header).toEqual({ 'X-Out': want });
  });

  it('querystring targets keep every value of a multi-value source; path targets take one', () => {
    const got = map({ 'integration.request.querystring.all': 'method.request.multivaluequerystring.q', 'integration.request.path.id': 'method.request.path.id' });
    expect(got.querystring).toEqual({ all: ['1', '2'] });
    expect(got.path).toEqual({ id: '42' });
  });

  it.each([
    'method.request.path.nope',
    'method.request.querystring.nope',
    'method.request.header.nope',
    'method.request.header.Expect',
    'method.request.body.user.nope',
    'stageVariables.nope',
    'context.nope',
  ])('a source the request lacks (%s) maps nothing', (expr) => {
    expect(map({ 'integration.request.header.X-Out': expr }).header).toEqual({});
  });

  it.each([
    { key: 'integration.request.header.Content-Length', aws: false, refused: true },
    { key: 'integration.request.header.X-Amzn-Trace-Id', aws: false, refused: true },
    { key: 'integration.request.header.Authorization', aws: true, refused: true },
    { key: 'integration.request.header.Authorization', aws: false, refused: false },
    { key: 'integration.request.header.TE', aws: true, refused: true },
    { key: 'integration.request.header.X-Fine', aws: true, refused: false },
  ])('$key (AWS integration: $aws) refused: $refused', ({ key, aws, refused }) => {
    const run = () => map({ [key]: "'v'" }, aws);
    if (refused) expect(run).toThrow(GatewayError);
    else expect(run).not.toThrow();
  });

  it.each([
    { key: 'integration.request.body.x', expr: "'v'" },
    { key: 'method.request.header.X', expr: "'v'" },
    { key: 'integration.request.header.X', expr: 'method.request.cookie.x' },
    { key: 'integration.request.header.X', expr: 'somewhere.else' },
  ])('an expression API Gateway would not deploy ($key ← $expr) is a configuration error', ({ key, expr }) => {
    expect(() => map({ [key]: expr })).toThrow(GatewayError);
  });
});
