/** Conformance: request pipeline order (0.1) and routing (11). */
import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { echoed, harness } from './harness.js';

const h = await harness();
const MAT = { message: 'Missing Authentication Token' };

describe('0.1 pipeline order and 11 routing', () => {
  it.each([
    { rule: 'A1 / R0.1 / R8.9 unknown path', method: 'GET', path: '/test/nowhere' },
    { rule: 'A2 / R8.9 method not on resource', method: 'DELETE', path: '/test/items' },
    { rule: 'R11.2 unknown stage', method: 'GET', path: '/prod/items' },
    { rule: 'R11.1 no stage at all', method: 'GET', path: '/items' },
    { rule: 'R11.12 HEAD is not served by GET', method: 'HEAD', path: '/test/items' },
    { rule: 'R11.6 case-sensitive resource paths', method: 'GET', path: '/test/ITEMS' },
    { rule: 'R11.8 greedy variable needs at least one segment', method: 'GET', path: '/test/greedy' },
  ])('$rule → 403 Missing Authentication Token', async ({ method, path }) => {
    const got = await h.send({ method, path });
    expect(got.status).toBe(403);
    if (method !== 'HEAD') expect(got.json()).toEqual(MAT);
    expect(got.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    expect(got.headers.get('content-type')).toBe('application/json');
  });

  // R0.1 / R8.9: a bearer or basic Authorization header sent where the API has no route is read as a malformed SigV4
  // header: AWS answers IncompleteSignatureException (serverless/serverless#3205, amazon-archives/
  // aws-cognito-angular-quickstart#50 "That error will return for any invalid endpoints", HumanCellAtlas/data-store#328;
  // the hashed wording as answered since 2025, e.g. "Invalid key=value pair (missing equal-sign) in Authorization header
  // (hashed with SHA-256 and encoded with Base64): '...'." for `Authorization: Bearer <token>`).
  it.each([
    { rule: 'R0.1 unknown path', method: 'GET', path: '/test/nowhere' },
    { rule: 'R8.9 method not on resource', method: 'DELETE', path: '/test/items' },
    { rule: 'R11.1 no stage at all', method: 'GET', path: '/nowhere' },
  ])('$rule with a bearer token → 403 IncompleteSignatureException, the header hashed', async ({ method, path }) => {
    const got = await h.send({ method, path, headers: [['Authorization', 'Bearer abc']] });
    const hashed = createHash('sha256').update('Bearer abc').digest('base64');
    expect([got.status, got.headers.get('x-amzn-errortype'), got.json()]).toEqual([
      403,
      'IncompleteSignatureException',
      { message: `Invalid key=value pair (missing equal-sign) in Authorization header (hashed with SHA-256 and encoded with Base64): '${hashed}'.` },
    ]);
  });

  it('R0.1 unknown path with a Basic header (no SigV4 parts) → each missing part named, the header hashed', async () => {
    const got = await h.send({ path: '/test/nowhere', headers: [['Authorization', 'Basic dXNlcjpwYXNz=']] });
    expect(got.headers.get('x-amzn-errortype')).toBe('IncompleteSignatureException');
    expect((got.json() as { message: string }).message).toBe(
      "Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header. (Hashed with SHA-256 and encoded with Base64) Authorization=" +
        createHash('sha256').update('Basic dXNlcjpwYXNz=').digest('base64'),
    );
  });

  it('R0.1 a SigV4-shaped header on an unknown path stays Missing Authentication Token', async () => {
    const sigv4 = 'AWS4-HMAC-SHA256 Credential=AKID/20260601/us-east-1/execute-api/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc';
    const got = await h.send({ path: '/test/nowhere', headers: [['Authorization', sigv4], ['X-Amz-Date', '20260601T120000Z']] });
    expect([got.status, got.headers.get('x-amzn-errortype'), got.json()]).toEqual([403, 'MissingAuthenticationTokenException', MAT]);
  });

  describe.each([
    { given: 'a route without its stage (as sam local start-api serves it)', path: '/items', want: 'no stage in the path; this REST API serves its routes under its stage, as API Gateway does (R11.2): GET /test/items' },
    { given: 'the stage in another case', path: '/TEST/items', want: 'no stage "TEST"; stage names are case-sensitive (R11.2): this API\'s stage is /test' },
  ])('R11.2 $given', ({ path, want }) => {
    it('answers 403 as AWS does and says in the log where the route is', async () => {
      const before = h.logs.length;
      const got = await h.send({ method: 'GET', path });
      expect(got.status).toBe(403);
      expect(got.json()).toEqual(MAT);
      expect(h.logs.slice(before).join('\n')).toContain(`GET ${path}: ${want}`);
    });
  });

  it('R11.2 a path that is no route under the stage either gets no hint', async () => {
    const before = h.logs.length;
    expect((await h.send({ method: 'GET', path: '/nowhere/at-all' })).status).toBe(403);
    expect(h.logs.slice(before)).toEqual([]);
  });

  it('R0.1 an unmatched route is answered before auth, validation or integration (no invocation)', async () => {
    const before = h.invoker.calls.length;
    const got = await h.send({ method: 'GET', path: '/test/validated/nope', headers: [['x-api-key', 'k']] });
    expect(got.status).toBe(403);
    expect(h.invoker.calls.length).toBe(before);
  });

  it('R11.6 /Users and /users are distinct resources', async () => {
    expect((await h.send({ path: '/test/Users' })).json()).toEqual({ resource: '/Users' });
    expect((await h.send({ path: '/test/users' })).json()).toEqual({ resource: '/users' });
  });

  it('A3 / R11.7 trailing slash is ignored for matching, kept in event.path', async () => {
    const event = echoed(await h.send({ path: '/test/items/' }));
    expect(event.path).toBe('/items/');
    expect(event.resource).toBe('/items');
  });

  it('A6 / R11.8 greedy proxy keeps inner // and drops the trailing slash', async () => {
    const event = echoed(await h.send({ path: '/test/greedy/a//b/' }));
    expect(event.pathParameters).toEqual({ proxy: 'a//b' });
    expect(event.path).toBe('/greedy/a//b/');
    expect(event.resource).toBe('/greedy/{proxy+}');
  });

  it.each([
    { given: '/test/items/special', want: '/items/special' },
    { given: '/test/items/other', want: '/items/{id}' },
  ])('R11.10 static beats variable: $given → $want', async ({ given, want }) => {
    expect(echoed(await h.send({ path: given })).resource).toBe(want);
  });

  it.each([
    { method: 'GET', want: '/greedy/{proxy+}', why: 'static /greedy/static lacks GET' },
    { method: 'OPTIONS', want: '/greedy/{proxy+}', why: 'static /greedy/static lacks OPTIONS' },
    { method: 'POST', want: '/greedy/static', why: 'static resource has POST' },
  ])('R11.9 $method /greedy/static → $want ($why)', async ({ method, want }) => {
    expect(echoed(await h.send({ method, path: '/test/greedy/static' })).resource).toBe(want);
  });

  it('R11.11 explicit GET wins over ANY on the same resource', async () => {
    expect((await h.send({ path: '/test/methods' })).json()).toEqual({ served: 'GET' });
  });

  it.each(['POST', 'PATCH', 'DELETE', 'HEAD'])('R11.11 ANY catches %s and the event carries the real verb', async (method) => {
    const got = await h.send({ method, path: '/test/methods', ...(method === 'HEAD' ? {} : {}) });
    expect(got.status).toBe(200);
    if (method !== 'HEAD') expect(echoed(got).httpMethod).toBe(method);
  });

  it('R11.5 servers[].url base path is ignored: paths are served from the stage root', async () => {
    expect((await h.send({ path: '/test/base/items' })).status).toBe(403);
    expect((await h.send({ path: '/test/items' })).status).toBe(200);
  });

  it('R11.1 the stage root alone is a resource path "/" (not defined here → 403)', async () => {
    expect((await h.send({ path: '/test' })).status).toBe(403);
    expect((await h.send({ path: '/test/' })).status).toBe(403);
  });

  it('R11.4 /ping is an ordinary resource here: it is reserved only on custom domains, which the emulator does not serve', async () => {
    const got = await h.send({ path: '/test/ping' });

    expect(got.status).toBe(200);
    expect(got.json()).toMatchObject({ resource: '/ping', path: '/ping' });
  });

  // The edges of each limit, and the HTTP API's, are in tests/emulator/gateway/head-limits.test.ts.
  it.each([
    { given: 'a URL over 10,240 characters (checked first)', path: `/test/a?q=${'x'.repeat(10_300)}`, headers: [['X-Big', 'y'.repeat(10_300)]] as [string, string][], want: 414 },
    { given: 'header values over 10,240 bytes', path: '/test/a', headers: [['X-Big', 'y'.repeat(10_300)]] as [string, string][], want: 431 },
    { given: 'both under', path: `/test/a?q=${'x'.repeat(10_000)}`, headers: [['X-Big', 'y'.repeat(10_000)]] as [string, string][], want: 200 },
  ])('R11.15 [AMBIGUOUS] API Gateway refuses $given before routing (AWS does not document its answer): $want', async ({ path, headers, want }) => {
    const got = await h.send({ path, headers });

    expect(got.status).toBe(want);
  });
});
