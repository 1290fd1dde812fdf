/** HTTP API conformance: built-in CORS (H9, H0.2) and stage/route throttling (H11.2, H10.6). */
import { describe, expect, it } from 'vitest';
import { httpHarness } from './harness.js';

const h = await httpHarness('AuthApi');
const preflight = (origin: string, path = '/dev/me') =>
  h.send({ method: 'OPTIONS', path, headers: [['Origin', origin], ['Access-Control-Request-Method', 'GET']] });

describe('H9 CORS answered by the gateway', () => {
  it('B16 / H9.3 [AMBIGUOUS] a preflight with no OPTIONS route is answered 204 with the configured headers, no function or authorizer runs', async () => {
    const before = h.invoker.calls.length;
    const got = await preflight('https://app.example.com');
    expect(got.status).toBe(204);
    expect(got.text).toBe('');
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(got.headers.get('access-control-allow-methods')).toBe('GET,POST');
    expect(got.headers.get('access-control-allow-headers')).toBe('authorization,x-key');
    expect(got.headers.get('access-control-max-age')).toBe('600');
    expect(got.headers.get('access-control-allow-credentials')).toBe('true');
    expect(h.invoker.calls.length).toBe(before);
  });

  it('H9.1 an https://* origin allows any https origin, not http ones (H9.6: no CORS headers, still 2xx)', async () => {
    expect((await preflight('https://other.example')).headers.get('access-control-allow-origin')).toBe('https://other.example');
    const refused = await preflight('http://other.example');
    expect(refused.status).toBe(204);
    expect(refused.headers.get('access-control-allow-origin')).toBeNull();
    expect(refused.headers.get('access-control-allow-methods')).toBeNull();
  });

  it('H9.2 an OPTIONS without Access-Control-Request-Method is no preflight: it is routed (404 here)', async () => {
    const got = await h.send({ method: 'OPTIONS', path: '/dev/me', headers: [['Origin', 'https://app.example.com']] });
    expect(got.status).toBe(404);
  });

  it('H0.2 [AMBIGUOUS] a route matching the OPTIONS (ANY /open) takes the preflight instead of the gateway', async () => {
    const got = await preflight('https://app.example.com', '/dev/open');
    expect(got.status).toBe(200);
    expect(h.invoker.calls.at(-1)?.functionLogicalId).toBe('EchoFunction');
  });

  it('B17 / H9.4 on an actual request the configured headers replace the backend\'s', async () => {
    const got = await h.send({ path: '/dev/cors-shape', headers: [['Origin', 'https://app.example.com'], ['x-shape', 'backend-cors']] });
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
    expect(got.headers.get('access-control-expose-headers')).toBe('x-kept');
    expect(got.headers.get('access-control-allow-credentials')).toBe('true');
    expect(got.headers.get('x-kept')).toBe('yes');
  });

  it('H9.2 / H9.4 without an Origin no CORS header is sent, and the backend\'s are still dropped', async () => {
    const got = await h.send({ path: '/dev/cors-shape', headers: [['x-shape', 'backend-cors']] });
    expect(got.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('H9.6 [AMBIGUOUS] gateway errors (401) carry the CORS headers for an allowed origin', async () => {
    const got = await h.send({ path: '/dev/me', headers: [['Origin', 'https://app.example.com']] });
    expect(got.status).toBe(401);
    expect(got.headers.get('access-control-allow-origin')).toBe('https://app.example.com');
  });

  it('H9.5 [AMBIGUOUS] with "*" configured the header is "*"', async () => {
    const cfn = await httpHarness('PlainApi', (await import('./harness.js')).CFN_TEMPLATE);
    const got = await cfn.send({ method: 'OPTIONS', path: '/items', headers: [['Origin', 'https://x.example'], ['Access-Control-Request-Method', 'POST']] });
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
  });
});

describe('H11.2 route throttling', () => {
  it('H11.2 / H10.6 burst 2, rate 1/s: the third request at once is 429, one second later one more passes', async () => {
    const t = await httpHarness('AuthApi');
    const statuses = [];
    for (let i = 0; i < 3; i += 1) statuses.push((await t.send({ path: '/dev/throttled' })).status);
    expect(statuses).toEqual([200, 200, 429]);
    const throttled = await t.send({ path: '/dev/throttled' });
    expect(throttled.json()).toEqual({ message: 'Too Many Requests' });
    t.clock.nowMs += 1_000;
    expect((await t.send({ path: '/dev/throttled' })).status).toBe(200);
    expect((await t.send({ path: '/dev/throttled' })).status).toBe(429);
  });

  it('H11.2 other routes are not limited by that route\'s settings', async () => {
    const t = await httpHarness('AuthApi');
    for (let i = 0; i < 4; i += 1) expect((await t.send({ path: '/dev/open' })).status).toBe(200);
  });
});
