/**
 * The stage cache through the real pipeline, on the test clock (R9.1-R9.7).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CACHE_CONTROL_IGNORED_WARNING } from '../../../emulator/limits/cache.js';
import { signRequest } from '../../../emulator/services/sigv4.js';
import { LOCAL_CREDENTIALS, QUOTA_KEY, startFixture, type Fixture, type World } from './harness.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => fx?.close());

const invocation = async (w: World, path: string, headers: [string, string][] = [], api: 'LimitsApi' | 'OtherApi' = 'LimitsApi') => {
  const got = await w.send(api, path, { headers });
  expect(got.status).toBe(200);
  return String(got.json().invocation);
};

describe('R9.1 R9.3 cache hits and keys', () => {
  it('R9.3 a second identical GET is served from the cache without calling the integration', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached');
    const calls = fx.invocations();
    expect(await invocation(w, '/v1/cached')).toBe(first);
    expect(fx.invocations()).toBe(calls);
  });

  it('R9.3 a hit carries its own request id, not the cached one', async () => {
    const w = fx.world();
    const a = await w.send('LimitsApi', '/v1/cached');
    const b = await w.send('LimitsApi', '/v1/cached');
    expect(b.text).toBe(a.text);
    expect(b.headers.get('x-amzn-requestid')).not.toBe(a.headers.get('x-amzn-requestid'));
    expect(b.headers.get('content-type')).toBe('application/json');
  });

  it('a hit spells its header names as the answer it keeps did (the integration`s case, not lower case)', async () => {
    const w = fx.world();
    const miss = await w.send('LimitsApi', '/v1/cached?type=case');
    const hit = await w.send('LimitsApi', '/v1/cached?type=case');

    expect(hit.wireNames).toEqual(miss.wireNames);
    expect(hit.wireNames).toContain('x-amzn-RequestId');
    expect(hit.wireNames.some((name) => name !== name.toLowerCase() && name.toLowerCase() === 'content-type')).toBe(true);
  });

  it.each([
    { name: 'a listed query parameter varies the key', second: '/v1/cached?type=b', same: false },
    { name: 'a query parameter not listed does not vary the key', second: '/v1/cached?type=a&other=2', same: true },
    { name: 'the same listed value hits', second: '/v1/cached?type=a', same: true },
  ])('R9.3 $name', async ({ second, same }) => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached?type=a');
    expect((await invocation(w, second)) === first).toBe(same);
  });

  it.each([
    { name: 'a path parameter listed in cacheKeyParameters varies the key', first: '/v1/cached/1', second: '/v1/cached/2', same: false },
    { name: 'the same path parameter hits', first: '/v1/cached/1', second: '/v1/cached/1', same: true },
  ])('R9.3 $name', async ({ first, second, same }) => {
    const w = fx.world();
    const a = await invocation(w, first);
    expect((await invocation(w, second)) === a).toBe(same);
  });

  it('R9.2 a POST on a path whose * entry enables caching is not cached: only GET is cached by default', async () => {
    const w = fx.world();
    const a = await w.send('LimitsApi', '/v1/cached', { method: 'POST' });
    const b = await w.send('LimitsApi', '/v1/cached', { method: 'POST' });
    expect(a.json().invocation).not.toBe(b.json().invocation);
  });

  it('R9.1 the entry lives for the TTL (60 s here) on the clock, then the integration is called again', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached');
    w.clock.advance(59_999);
    expect(await invocation(w, '/v1/cached')).toBe(first);
    w.clock.advance(1);
    expect(await invocation(w, '/v1/cached')).not.toBe(first);
  });

  it('R9.1 the default TTL is 300 s', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached/9');
    w.clock.advance(299_999);
    expect(await invocation(w, '/v1/cached/9')).toBe(first);
    w.clock.advance(1);
    expect(await invocation(w, '/v1/cached/9')).not.toBe(first);
  });

  it('R9.2 a stage without CacheClusterEnabled caches nothing', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v2/cached', [], 'OtherApi');
    expect(await invocation(w, '/v2/cached', [], 'OtherApi')).not.toBe(first);
  });

  it('R9.6 flushing the stage cache drops every entry', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached');
    w.caches.LimitsApi!.flush();
    expect(await invocation(w, '/v1/cached')).not.toBe(first);
  });
});

describe('R9.4 R9.5 Cache-Control: max-age=0', () => {
  const fresh: [string, string][] = [['Cache-Control', 'max-age=0']];

  it('R9.4 with authorization not required, any client refreshes the entry', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached-open');
    const refreshed = await invocation(w, '/v1/cached-open', fresh);
    expect(refreshed).not.toBe(first);
    expect(await invocation(w, '/v1/cached-open')).toBe(refreshed);
  });

  it('R9.5 [AMBIGUOUS] default SUCCEED_WITH_RESPONSE_HEADER: the header is ignored (cached answer) and a Warning header says so', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached');
    const got = await w.send('LimitsApi', '/v1/cached', { headers: fresh });
    expect(got.json().invocation).toBe(first);
    expect(got.headers.get('warning')).toBe(CACHE_CONTROL_IGNORED_WARNING);
  });

  it('R9.5 FAIL_WITH_403: the unauthorized Cache-Control is refused with 403 AccessDeniedException', async () => {
    const w = fx.world();
    await invocation(w, '/v1/cached-fail');
    const calls = fx.invocations();
    const got = await w.send('LimitsApi', '/v1/cached-fail', { headers: fresh });
    expect(got.status).toBe(403);
    expect(got.headers.get('x-amzn-errortype')).toBe('AccessDeniedException');
    expect(String(got.json().Message)).toMatch(/^User: anonymous is not authorized to perform: execute-api:InvalidateCache on resource: arn:aws:execute-api:/);
    expect(fx.invocations()).toBe(calls);
  });

  /** `Cache-Control: max-age=0` signed for execute-api at the world's clock, with the given secret. */
  const signedFresh = (w: World, path: string, secretAccessKey = LOCAL_CREDENTIALS.secretAccessKey): [string, string][] => {
    const signed = signRequest({ ...LOCAL_CREDENTIALS, secretAccessKey }, { method: 'GET', url: new URL(`http://localhost:3000${path}`), headers: { 'Cache-Control': 'max-age=0' }, body: '', region: fx.template.region, service: 'execute-api', now: new Date(w.clock.now()) });
    return Object.entries(signed);
  };

  it('R9.4 a caller signing with the local credentials may invalidate (IAM policies are not evaluated locally): the entry is refreshed, no Warning', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached');

    const got = await w.send('LimitsApi', '/v1/cached', { headers: signedFresh(w, '/v1/cached') });

    expect(got.json().invocation).not.toBe(first);
    expect(got.headers.get('warning')).toBeNull();
    expect(await invocation(w, '/v1/cached')).toBe(got.json().invocation);
  });

  it('R9.5 a signature the local credentials did not make counts as no authorization: the cached answer, with the Warning', async () => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached');

    const got = await w.send('LimitsApi', '/v1/cached', { headers: signedFresh(w, '/v1/cached', 'some-other-secret') });

    expect(got.json().invocation).toBe(first);
    expect(got.headers.get('warning')).toBe(CACHE_CONTROL_IGNORED_WARNING);
  });

  it.each([['no-cache'], ['max-age=10'], ['max-age=00x']])('R9.4 Cache-Control: %s does not bypass the cache', async (value) => {
    const w = fx.world();
    const first = await invocation(w, '/v1/cached-open');
    expect(await invocation(w, '/v1/cached-open', [['Cache-Control', value]])).toBe(first);
  });
});

describe('R9 identity, keys and throttling run before the cache', () => {
  it('R9 a cached key-required method still needs a valid key (403 without one)', async () => {
    const w = fx.world();
    await invocation(w, '/v1/cached-keyed', [['x-api-key', QUOTA_KEY]]);
    expect((await w.send('LimitsApi', '/v1/cached-keyed')).status).toBe(403);
  });

  it('R9 R6.15 cache hits count against the quota, and past it the cached answer is not served', async () => {
    const w = fx.world();
    const headers: [string, string][] = [['x-api-key', QUOTA_KEY]];
    expect(await w.statuses(4, 'LimitsApi', '/v1/cached-keyed', headers)).toEqual([200, 200, 200, 429]);
  });

  it('R9 a cached Cognito method rejects a missing token before the cache (401)', async () => {
    const w = fx.world();
    await invocation(w, '/v1/me', [['Authorization', w.token('alice')]]);
    expect((await w.send('LimitsApi', '/v1/me')).status).toBe(401);
  });

  it('R9.3 without the caller in the key, user B receives user A\'s cached answer (what the startup warning is about)', async () => {
    const w = fx.world();
    const a = await w.send('LimitsApi', '/v1/me', { headers: [['Authorization', w.token('alice')]] });
    const b = await w.send('LimitsApi', '/v1/me', { headers: [['Authorization', w.token('bob')]] });
    expect([a.json().sub, b.json().sub]).toEqual(['alice', 'alice']);
  });

  it('R9.3 with the Authorization header in the key, each user gets their own answer', async () => {
    const w = fx.world();
    const a = await w.send('LimitsApi', '/v1/me-keyed', { headers: [['Authorization', w.token('alice')]] });
    const b = await w.send('LimitsApi', '/v1/me-keyed', { headers: [['Authorization', w.token('bob')]] });
    expect([a.json().sub, b.json().sub]).toEqual(['alice', 'bob']);
  });
});

describe('startup report', () => {
  it('R9.1 one line per cached method with TTL and key; a warning where the authorizer identifies the caller but the key does not', () => {
    const w = fx.world();
    const items = w.gateways.LimitsApi!.support.filter((s) => s.subject.includes('cache') || s.subject === 'CacheClusterEnabled');
    const lines = items.map((s) => `${s.status} ${s.subject}: ${s.detail}`);
    expect(lines).toContain('emulated CacheClusterEnabled: in-memory stage cache, on the emulator clock (R9.1)');
    expect(lines).toContain('emulated cache GET /cached: TTL 60 s, key: GET /cached + method.request.querystring.type');
    expect(lines).toContain('emulated cache GET /cached/{id}: TTL 300 s, key: GET /cached/{id} + method.request.path.id');
    expect(lines.some((l) => l.startsWith('emulated WARNING cache GET /me: its authorizer identifies the caller (authorization)'))).toBe(true);
    expect(lines.some((l) => l.includes('WARNING cache GET /me-keyed'))).toBe(false);
    expect(lines.some((l) => l.includes('cache POST /cached'))).toBe(false);
    expect(w.gateways.LimitsApi!.support.filter((s) => s.status === 'not-emulated' && /cache|MethodSettings/i.test(s.subject))).toEqual([]);
  });
});
