/** Conformance: URL forms (R11.1, R11.7, R1.11, R1.22) and methods API Gateway has no resource method for (R8.9). */
import { describe, expect, it } from 'vitest';
import { FIDELITY_TEMPLATE, echoed, harness } from './harness.js';

const h = await harness('FidelityApi', {}, FIDELITY_TEMPLATE);
const MISSING = { message: 'Missing Authentication Token' };

describe('R11.7 slashes: routing and the permission check use the matched resource, never the raw path', () => {
  it.each([
    { path: '/v1/scoped', eventPath: '/scoped' },
    { path: '/v1/scoped/', eventPath: '/scoped/' },
    { path: '/v1//scoped', eventPath: '/scoped' },
  ])('GET $path reaches the function scoped to GET /scoped (event path $eventPath)', async ({ path, eventPath }) => {
    const event = echoed(await h.send({ path }));
    expect(event.resource).toBe('/scoped');
    expect(event.path).toBe(eventPath);
    expect(event.requestContext.path).toBe(path);
  });

  it.each(['/v1/scoped//', '/v1/scoped/x', '/v1/scope'])('neighbour: GET %s matches no resource → 403, never a 500', async (path) => {
    const got = await h.send({ path });
    expect(got.status).toBe(403);
    expect(got.json()).toEqual(MISSING);
  });

  it('R1.17 a greedy value keeps inner doubled slashes and loses the trailing one', async () => {
    const event = echoed(await h.send({ path: '/v1/greedy/a//b/' }));
    expect(event.pathParameters).toEqual({ proxy: 'a//b' });
    expect(event.path).toBe('/greedy/a//b/');
  });

  it.each(['/v1/items//', '/v1/items/'])('a {param} segment is never empty: GET %s → 403', async (path) => {
    expect((await h.send({ path })).status).toBe(403);
  });
});

describe('R11.1 a doubled slash before the stage', () => {
  it.each(['//v1/reply', '///v1/reply'])('%s is served as the stage, and $context.path has one slash before it (as AWS answered LocalStack`s recorded test)', async (path) => {
    const event = echoed(await h.send({ path }));
    expect(event.path).toBe('/reply');
    expect(event.requestContext.path).toBe('/v1/reply');
    expect(event.requestContext.stage).toBe('v1');
  });

  it('neighbour: a doubled slash after the stage stays in $context.path, not in the event path', async () => {
    const event = echoed(await h.send({ path: '/v1//reply' }));
    expect(event.path).toBe('/reply');
    expect(event.requestContext.path).toBe('/v1//reply');
  });

  it.each(['//evil.example/v1/reply', '/v1x/reply', '//', '/'])('neighbour: %s names no stage → 403 Missing Authentication Token', async (path) => {
    const got = await h.send({ path });
    expect(got.status).toBe(403);
    expect(got.json()).toEqual(MISSING);
  });
});

describe('R8.9 / R11.11 methods API Gateway has no method for: the unknown-method answer, also on an ANY resource', () => {
  it.each(['FOO', 'PROPFIND', 'PURGE', 'TRACK', 'TRACE', 'CONNECT'])('%s /v1/reply (ANY) → 403 Missing Authentication Token', async (method) => {
    // Fetch cannot carry TRACE, TRACK or CONNECT: the adapter passes the method beside the Request.
    const request = new Request('http://localhost/v1/reply', { method: ['TRACE', 'TRACK', 'CONNECT'].includes(method) ? 'GET' : method });
    const response = await h.gateway.fetch(request, { method, rawHeaders: ['Host', 'localhost'] });
    expect(response.status).toBe(403);
    expect(await response.json()).toEqual(MISSING);
    expect(response.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(h.entries.at(-1)?.method).toBe(method);
  });

  it.each(['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'])('neighbour: %s /v1/reply is served by ANY', async (method) => {
    const got = await h.send({ method, path: '/v1/reply', ...(method === 'POST' ? { body: '{"statusCode":204}' } : {}) });
    expect(got.status).toBe(method === 'POST' ? 204 : 200);
  });
});
