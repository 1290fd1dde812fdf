/**
 * Owner isolation, optimistic concurrency (If-Match / 412), idempotent creation (Idempotency-Key:
 * replay, 201-or-409 under concurrent retries, 422 on a different body) and concurrent writers, over HTTP.
 * A retry while the first request is in flight is a 409 every time: tests/functions/createTask.test.ts holds
 * that state deterministically (over HTTP, whether two requests overlap is up to timing).
 */
import { request as httpRequest } from 'node:http';
import { describe, expect, it } from 'vitest';
import type { TaskApiClient } from './support/client.js';
import { createTask, etag, expectProblem, newTask, skipNote, tasksTitled, useTarget, type NewTask, type Task } from './support/suite.js';
import { planTarget } from './support/target.js';
import { variant } from './support/variant.js';

const plan = planTarget();
const api = useTarget();
const PROBLEM = (slug: string) => `urn:task-api:problem:${slug}`;
const replacement = (task: Task, suffix: string) => ({ title: `${task.title} ${suffix}`, status: 'done' as const, priority: 'high' as const, tags: [suffix] });
const read = (c: TaskApiClient, taskId: string) => c.GET('/tasks/{taskId}', { params: { path: { taskId } } });

describe.skipIf(plan.skipReason.userB)(`owner isolation${skipNote(plan.skipReason.userB)}`, () => {
  it.each([
    ['getTask', (c: TaskApiClient, t: Task) => read(c, t.id)],
    ['updateTask', (c: TaskApiClient, t: Task) => c.PUT('/tasks/{taskId}', { params: { path: { taskId: t.id } }, body: replacement(t, 'by-b') })],
    ['updateTask with the right If-Match', (c: TaskApiClient, t: Task) => c.PUT('/tasks/{taskId}', { params: { path: { taskId: t.id }, header: { 'If-Match': etag(t.version) } }, body: replacement(t, 'by-b') })],
    ['deleteTask', (c: TaskApiClient, t: Task) => c.DELETE('/tasks/{taskId}', { params: { path: { taskId: t.id } } })],
  ])('user B gets 404 on %s of user A\'s task, and A\'s task is unchanged', async (_name, call) => {
    const task = await createTask(api.a, newTask(api.target, 'owned-by-a'));
    expectProblem(await call(api.b(), task), 404, PROBLEM('not-found'));
    const { data, response } = await read(api.a, task.id);
    expect(response.status).toBe(200);
    expect(data).toEqual(task);
  });

  it('user B\'s listing never contains user A\'s task', async () => {
    const task = await createTask(api.a, newTask(api.target, 'not-listed-for-b'));
    const forB = await tasksTitled(api.b(), `contract ${api.target.runId}`);
    expect(forB.map((t) => t.id)).not.toContain(task.id);
  });

  it('user B cannot continue user A\'s listing with A\'s cursor (400 invalid-cursor)', async () => {
    for (const label of ['a-cursor-1', 'a-cursor-2']) await createTask(api.a, newTask(api.target, label));
    const { data } = await api.a.GET('/tasks', { params: { query: { limit: 1 } } });
    const cursor = data?.pagination.nextCursor ?? '';
    expectProblem(await api.b().GET('/tasks', { params: { query: { limit: 1, cursor } } }), 400, PROBLEM('invalid-cursor'));
  });
});

describe('If-Match (optimistic concurrency)', () => {
  it('updateTask with the current ETag succeeds; with a stale one it is 412 and the task is unchanged', async () => {
    const task = await createTask(api.a, newTask(api.target, 'if-match-update'));
    const path = { taskId: task.id };
    const fresh = await api.a.PUT('/tasks/{taskId}', { params: { path, header: { 'If-Match': etag(1) } }, body: replacement(task, 'v2') });
    expect(fresh.response.status).toBe(200);
    expect(fresh.response.headers.get('etag')).toBe(etag(2));
    const stale = await api.a.PUT('/tasks/{taskId}', { params: { path, header: { 'If-Match': etag(1) } }, body: replacement(task, 'stale') });
    expectProblem(stale, 412, PROBLEM('precondition-failed'));
    expect((await read(api.a, task.id)).data).toEqual(fresh.data);
  });

  it('If-Match: * and W/"n" are accepted by updateTask', async () => {
    const task = await createTask(api.a, newTask(api.target, 'if-match-forms'));
    const params = (ifMatch: string) => ({ path: { taskId: task.id }, header: { 'If-Match': ifMatch } });
    const star = await api.a.PUT('/tasks/{taskId}', { params: params('*'), body: replacement(task, 'star') });
    const weak = await api.a.PUT('/tasks/{taskId}', { params: params('W/"2"'), body: replacement(task, 'weak') });
    expect([star.response.status, weak.response.status]).toEqual([200, 200]);
    expect(weak.data?.version).toBe(3);
  });

  it('a query parameter named If-Match does not stand for the header: a stale header with ?If-Match=* is still 412', async () => {
    const task = await createTask(api.a, newTask(api.target, 'if-match-query'));
    const moved = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: replacement(task, 'v2') });
    expect(moved.response.status).toBe(200);
    // Not in the contract (the cast): a client, or an attacker replaying one, adding it to the URL.
    const params = { path: { taskId: task.id }, header: { 'If-Match': etag(1) }, query: { 'If-Match': '*' } } as unknown as { path: { taskId: string }; header: { 'If-Match': string } };

    const stale = await api.a.PUT('/tasks/{taskId}', { params, body: replacement(task, 'stale') });

    expectProblem(stale, 412, PROBLEM('precondition-failed'));
    expect((await read(api.a, task.id)).data).toEqual(moved.data);
  });

  it('deleteTask with a stale ETag is 412 and keeps the task; with the current one it is 204', async () => {
    const task = await createTask(api.a, newTask(api.target, 'if-match-delete'));
    const updated = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: replacement(task, 'v2') });
    expect(updated.response.status).toBe(200);
    const stale = await api.a.DELETE('/tasks/{taskId}', { params: { path: { taskId: task.id }, header: { 'If-Match': etag(1) } } });
    expectProblem(stale, 412, PROBLEM('precondition-failed'));
    expect((await read(api.a, task.id)).response.status).toBe(200);
    const current = await api.a.DELETE('/tasks/{taskId}', { params: { path: { taskId: task.id }, header: { 'If-Match': etag(2) } } });
    expect(current.response.status).toBe(204);
  });
});

const idempotencyKey = (label: string) => `contract-${api.target.runId}-${label}-${Math.random().toString(36).slice(2)}`;
const createWithKey = (key: string, body: NewTask) => api.a.POST('/tasks', { params: { header: { 'Idempotency-Key': key } }, body });

describe('Idempotency-Key', () => {
  it('a retry with the same key and body replays the first 201 and creates nothing new', async () => {
    const key = idempotencyKey('replay');
    const body = newTask(api.target, 'idem-replay');
    const first = await createWithKey(key, body);
    const retry = await createWithKey(key, body);
    expect([first.response.status, retry.response.status]).toEqual([201, 201]);
    expect(retry.data).toEqual(first.data);
    expect(retry.response.headers.get('location')).toBe(first.response.headers.get('location'));
    expect(await tasksTitled(api.a, body.title)).toHaveLength(1);
  });

  it('the same key with a different body is 422 and creates nothing', async () => {
    const key = idempotencyKey('mismatch');
    const body = newTask(api.target, 'idem-422');
    expect((await createWithKey(key, body)).response.status).toBe(201);
    const other = { ...body, title: `${body.title} changed` };
    expectProblem(await createWithKey(key, other), 422, PROBLEM('unprocessable-content'));
    expect(await tasksTitled(api.a, other.title)).toHaveLength(0);
  });

  it('20 concurrent retries of one key: exactly one task, every 201 carries its id, the rest are 409', async () => {
    const key = idempotencyKey('concurrent');
    const body = newTask(api.target, 'idem-concurrent');
    const results = await Promise.all(Array.from({ length: 20 }, () => createWithKey(key, body)));
    const statuses = results.map((r) => r.response.status);
    expect(statuses.every((s) => s === 201 || s === 409), statuses.join(',')).toBe(true);
    const ids = new Set(results.filter((r) => r.response.status === 201).map((r) => r.data?.id));
    expect(ids.size).toBe(1);
    for (const r of results.filter((x) => x.response.status === 409)) expect((r.error as { type: string }).type).toBe(PROBLEM('conflict'));
    const stored = await tasksTitled(api.a, body.title);
    expect(stored.map((t) => t.id)).toEqual([...ids]);
  });
});

describe('concurrent writers', () => {
  it('50 concurrent updates without If-Match: none lost, versions distinct, final version = 1 + successes', async () => {
    const task = await createTask(api.a, newTask(api.target, 'fifty-writers'));
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) => api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: replacement(task, `w${i}`) })),
    );
    // Every status is one updateTask declares (the middleware rejects others); no write may be lost.
    const ok = results.filter((r) => r.response.status === 200);
    expect(ok.length, results.map((r) => r.response.status).join(',')).toBeGreaterThan(0);
    const versions = ok.map((r) => r.data?.version ?? 0);
    expect(new Set(versions).size).toBe(versions.length);
    expect([...versions].sort((x, y) => x - y)).toEqual(Array.from({ length: versions.length }, (_, i) => i + 2));
    for (const r of ok) expect(r.response.headers.get('etag')).toBe(etag(r.data?.version ?? 0));
    const { data, response } = await read(api.a, task.id);
    expect(data?.version).toBe(1 + ok.length);
    expect(response.headers.get('etag')).toBe(etag(1 + ok.length));
    // The stored task is the one the last successful write returned.
    expect(data).toEqual(ok.find((r) => r.data?.version === data?.version)?.data);
  });
});

/** One request outside the typed client, whose path parameters it would encode again (`%` as `%25`). */
async function raw(method: string, path: string, token: string, init: { body?: string; headers?: Record<string, string> } = {}): Promise<Response> {
  return fetch(`${api.target.baseUrl}${path}`, {
    method,
    headers: { authorization: token, ...(api.target.apiKey ? { 'x-api-key': api.target.apiKey } : {}), ...init.headers },
    ...(init.body !== undefined ? { body: init.body } : {}),
  });
}

/** The value with its first character percent-encoded (`01J...` → `%301J...`): the same parameter, spelled otherwise. */
const encodedFirst = (value: string) => `%${value.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}${value.slice(1)}`;

describe('path parameters are read percent-decoded, the same on every operation (the contract`s rule)', () => {
  it('GET, PUT and DELETE of a task whose id is sent with a percent-encoded character', async () => {
    const task = await createTask(api.a, newTask(api.target, 'encoded-id'));
    const path = `/tasks/${encodedFirst(task.id)}`;

    const got = await raw('GET', path, api.target.userA.token);
    const put = await raw('PUT', path, api.target.userA.token, { headers: { 'content-type': 'application/json' }, body: JSON.stringify(replacement(task, 'encoded')) });
    const deleted = await raw('DELETE', path, api.target.userA.token);

    expect([got.status, put.status, deleted.status]).toEqual([200, 200, 204]);
    expect((await read(api.a, task.id)).response.status).toBe(404);
  });

  it.skipIf(plan.skipReason.admin)(`listUserTasks of a user id sent with a percent-encoded character lists that user's tasks${skipNote(plan.skipReason.admin)}`, async () => {
    const task = await createTask(api.a, newTask(api.target, 'encoded-user'));
    const admin = api.target.adminToken.ok ? api.target.adminToken.value : '';

    const response = await raw('GET', `/admin/users/${encodedFirst(api.target.userA.sub)}/tasks?limit=100`, admin);

    expect(response.status).toBe(200);
    const page = (await response.json()) as { data: Task[] };
    expect(page.data.map((t) => t.id)).toContain(task.id);
  });
});

describe('a JSON body is read the same by every operation that takes one', () => {
  it('a leading byte order mark (RFC 8259 §8.1 lets a parser ignore it): POST creates and PUT replaces', async () => {
    const task = await createTask(api.a, newTask(api.target, 'bom-put'));
    const json = { 'content-type': 'application/json' };
    const created = await raw('POST', '/tasks', api.target.userA.token, { headers: json, body: `\uFEFF${JSON.stringify(newTask(api.target, 'bom-post'))}` });
    const replaced = await raw('PUT', `/tasks/${task.id}`, api.target.userA.token, { headers: json, body: `\uFEFF${JSON.stringify(replacement(task, 'bom'))}` });

    expect([created.status, replaced.status]).toEqual([201, 200]);
    expect((await read(api.a, task.id)).data?.tags).toEqual(['bom']);
  });
});

/** A request whose header lines are sent as given, repeated names included (fetch would join them into one line). */
function rawLines(method: string, path: string, lines: [string, string][], body?: string): Promise<{ status: number; text: string }> {
  const url = new URL(`${api.target.baseUrl}${path}`);
  const auth: [string, string][] = [['authorization', api.target.userA.token], ...(api.target.apiKey ? [['x-api-key', api.target.apiKey] as [string, string]] : [])];
  const all = [['host', url.host] as [string, string], ...auth, ...lines, ...(body !== undefined ? [['content-type', 'application/json'] as [string, string], ['content-length', String(Buffer.byteLength(body))] as [string, string]] : [])];
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: all.flat() }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c)).on('end', () => resolve({ status: res.statusCode ?? 0, text }));
    });
    req.on('error', reject).end(body);
  });
}

describe('a header sent on two lines is one list (RFC 9110 §5.3), never its last line alone', () => {
  // REST's updateTask is not among them: API Gateway hands a mapping template one value per header name (the last line),
  // and nothing else of the request reaches a non-proxy Lambda integration; the contract says so.
  it.each([
    ...(variant.name === 'http' ? [{ given: 'updateTask with If-Match "1" then *', method: 'PUT' }] : []),
    { given: 'deleteTask with If-Match "1" then *', method: 'DELETE' },
  ])('$given, the task at version 2: 400 naming If-Match, the task unchanged', async ({ method }) => {
    // Prepare: the task moves on to version 2, so "1" alone is stale and * alone would match.
    const task = await createTask(api.a, newTask(api.target, 'two-if-match'));
    const moved = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, body: replacement(task, 'v2') });
    // Act
    const got = await rawLines(method, `/tasks/${task.id}`, [['If-Match', '"1"'], ['If-Match', '*']], method === 'PUT' ? JSON.stringify(replacement(task, 'overwrite')) : undefined);
    // Assess
    expect(got.status, got.text).toBe(400);
    expect(JSON.parse(got.text)).toMatchObject({ type: PROBLEM('validation') });
    expect((await read(api.a, task.id)).data).toEqual(moved.data);
  });

  it('createTask with two Idempotency-Key lines is 400 and creates nothing', async () => {
    const title = `two-keys-${api.target.runId}`;
    const got = await rawLines('POST', '/tasks', [['Idempotency-Key', `k1-${api.target.runId}`], ['Idempotency-Key', `k2-${api.target.runId}`]], JSON.stringify({ title }));
    expect(got.status, got.text).toBe(400);
    expect(await tasksTitled(api.a, title)).toEqual([]);
  });

  it('listTasks with limit given twice is 400 naming limit', async () => {
    const got = await rawLines('GET', '/tasks?limit=500&limit=1', []);
    expect(got.status, got.text).toBe(400);
    expect(JSON.parse(got.text)).toMatchObject({ errors: [{ pointer: 'limit' }] });
  });
});
