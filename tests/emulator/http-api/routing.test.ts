/** HTTP API conformance: stages and routing (H0.1, H3), through the implicit SAM API (H1.4, H1.5). */
import { describe, expect, it } from 'vitest';
import { HttpRoutes } from '../../../emulator/gateway/http/routing.js';
import { echoedV2, httpHarness } from './harness.js';

const h = await httpHarness('ServerlessHttpApi');

describe('H3.3 methods HTTP APIs have no route verb for (TRACE, TRACK, CONNECT: passed beside the Fetch Request)', () => {
  it.each(['TRACE', 'TRACK', 'CONNECT'])('%s /pets/dog/1 is not the GET route, nor ANY: the $default route takes it', async (method) => {
    // Prepare
    const request = new Request('http://localhost/pets/dog/1', { method: 'GET' });

    // Act
    const response = await h.gateway.fetch(request, { method, rawHeaders: ['Host', 'localhost'] });

    // Assess
    const event = JSON.parse(await response.text()) as { routeKey: string; requestContext: { http: { method: string } } };
    expect([response.status, event.routeKey, event.requestContext.http.method]).toEqual([200, '$default', method]);
  });

  it('neighbour: GET /pets/dog/1 is the GET route', async () => {
    expect(echoedV2(await h.send({ path: '/pets/dog/1' })).routeKey).toBe('GET /pets/dog/1');
  });
});

describe('H3.4 route priority (DG example) on the implicit ServerlessHttpApi', () => {
  it.each([
    { rule: 'H3.4 static segment beats a variable', method: 'GET', path: '/pets/dog/1', routeKey: 'GET /pets/dog/1', params: undefined },
    { rule: 'H3.4 B2 variable', method: 'GET', path: '/pets/dog/2', routeKey: 'GET /pets/dog/{id}', params: { id: '2' } },
    { rule: 'H3.4 greedy variable', method: 'GET', path: '/pets/cat/1', routeKey: 'GET /pets/{proxy+}', params: { proxy: 'cat/1' } },
    { rule: 'H3.3 B3 ANY catches a method no route defines', method: 'POST', path: '/test/5', routeKey: 'ANY /{proxy+}', params: { proxy: 'test/5' } },
    { rule: 'H3.3 explicit GET route does not take POST', method: 'POST', path: '/pets/dog/1', routeKey: 'ANY /{proxy+}', params: { proxy: 'pets/dog/1' } },
    { rule: 'H1.5 / H3.4 $default route catches what nothing else matches', method: 'GET', path: '/', routeKey: '$default', params: undefined },
  ])('$rule: $method $path → $routeKey', async ({ method, path, routeKey, params }) => {
    const event = echoedV2(await h.send({ method, path }));
    expect(event.routeKey).toBe(routeKey);
    expect(event.requestContext.routeKey).toBe(routeKey);
    expect(event.pathParameters).toEqual(params);
    expect(event.requestContext.http.method).toBe(method);
  });

  it('H3.7 [AMBIGUOUS] a trailing slash matches the route without it, and stays in rawPath', async () => {
    const event = echoedV2(await h.send({ path: '/pets/dog/1/' }));
    expect(event.routeKey).toBe('GET /pets/dog/1');
    expect(event.rawPath).toBe('/pets/dog/1/');
  });

  it('H3.8 [AMBIGUOUS] paths are case-sensitive: /PETS/dog/1 is not GET /pets/dog/1', async () => {
    expect(echoedV2(await h.send({ path: '/PETS/dog/1' })).routeKey).toBe('ANY /{proxy+}');
  });

  it('H3.1 the $default stage is served at the root: no stage segment in rawPath, stage "$default"', async () => {
    const event = echoedV2(await h.send({ path: '/pets/dog/7' }));
    expect(event.rawPath).toBe('/pets/dog/7');
    expect(event.requestContext.stage).toBe('$default');
  });
});

describe('H0.1 / H10.1 no route: 404 Not Found', () => {
  it('B1 a named-stage API answers 404 for a path outside its stage and for an unknown route', async () => {
    const named = await httpHarness('AuthApi');
    for (const path of ['/prod/me', '/me', '/dev/nowhere']) {
      const got = await named.send({ path });
      expect(got.status).toBe(404);
      expect(got.json()).toEqual({ message: 'Not Found' });
      expect(got.headers.get('content-type')).toBe('application/json');
      expect(got.headers.get('apigw-requestid')).toMatch(/^[A-Za-z0-9+/]{14}[A-Za-z0-9+/=]{2}$/);
      expect(got.headers.get('x-amzn-requestid')).toBeNull();
      expect(got.headers.get('x-amzn-errortype')).toBeNull();
    }
    expect(named.invoker.calls).toHaveLength(0);
  });

  it('H3.6 a named stage keeps its segment in rawPath and http.path; routing uses the rest', async () => {
    const named = await httpHarness('AuthApi');
    const event = echoedV2(await named.send({ path: '/dev/open' }));
    expect(event.rawPath).toBe('/dev/open');
    expect(event.requestContext.http.path).toBe('/dev/open');
    expect(event.requestContext.stage).toBe('dev');
    expect(event.routeKey).toBe('ANY /open');
  });
});

describe('H3.2 / H3.7 route keys the gateway refuses', () => {
  const base = { logicalId: 'A', apiId: 'a', stages: [], authorizers: {}, source: 'test', notes: [] };
  const route = (routeKey: string) => ({ routeKey, authorizationType: 'NONE' as const, authorizationScopes: [], location: routeKey });
  it.each([
    { rule: 'H3.7 a path ending with "/"', keys: ['GET /a/'], message: 'cannot end with "/"' },
    { rule: 'H1.5 two $default routes', keys: ['$default', '$default'], message: 'a second $default route' },
    { rule: 'H3.2 a key that is neither "METHOD /path" nor $default', keys: ['/a'], message: 'is not "METHOD /path"' },
    { rule: 'H3.2 a greedy variable that is not the last segment', keys: ['GET /{p+}/x'], message: 'greedy path variable must be the last segment' },
  ])('$rule', ({ keys, message }) => {
    expect(() => new HttpRoutes({ ...base, routes: keys.map(route) })).toThrow(message);
  });

  it('H3.2 the root route "GET /" is accepted', () => {
    expect(new HttpRoutes({ ...base, routes: [route('GET /')] }).route('GET', '/')?.route.routeKey).toBe('GET /');
  });
});

describe('H3.8 [AMBIGUOUS] HEAD', () => {
  it('H3.8 HEAD is not served by a GET route: on the implicit API it falls to ANY /{proxy+}', async () => {
    const got = await h.send({ method: 'HEAD', path: '/pets/dog/1' });
    expect(got.status).toBe(200);
    expect(h.invoker.calls.at(-1)?.event).toMatchObject({ routeKey: 'ANY /{proxy+}' });
  });
});
