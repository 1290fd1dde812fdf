/**
 * Declared error statuses answered past API Gateway's own checks: by the handlers (proxy), by the
 * updateTask error-selection patterns (non-proxy) and by the getTask DynamoDB response template.
 * 401/403 and the validator's 400 are in gateway-errors.test.ts; 409/412/422 in consistency.test.ts.
 *
 * Declared but not exercised here: 429 (THROTTLED/QUOTA_EXCEEDED: usage-plan limits are far above what a
 * test sends and are not enforced locally) and 500 (only on a crash or a store failure). getTask's 400
 * comes from its mapping templates, which refuse any id that is not a TaskId exactly as PUT and DELETE do.
 */
import { describe, expect, it } from 'vitest';
import { contract, type TaskApiClient } from './support/client.js';
import { createTask, expectProblem, newTask, skipNote, tasksTitled, useTarget, type NewTask } from './support/suite.js';
import { planTarget } from './support/target.js';
import { variant } from './support/variant.js';

const plan = planTarget();
const api = useTarget();
const ABSENT_ULID = '01JD5ZQ3W8K2M4N6P8R0T2V4X6';
const PROBLEM = (slug: string) => `urn:task-api:problem:${slug}`;

type ListQuery = { limit?: number; status?: 'todo'; cursor?: string };
const badQueries: [string, Record<string, string>][] = [
  ['limit=0', { limit: '0' }],
  ['limit=101', { limit: '101' }],
  ['limit=abc', { limit: 'abc' }],
  ['limit=1.5', { limit: '1.5' }],
  ['status=archived', { status: 'archived' }],
];

describe('listTasks / listUserTasks 400', () => {
  it.each(badQueries)('listTasks with %s is 400 validation naming the parameter', async (_name, query) => {
    const result = await api.a.GET('/tasks', { params: { query: query as ListQuery } });
    const problem = expectProblem(result, 400, PROBLEM('validation'));
    expect(problem.errors?.map((e) => e.pointer)).toEqual([Object.keys(query)[0]]);
  });

  it.skipIf(plan.skipReason.admin).each(badQueries)(`listUserTasks with %s is 400 validation${skipNote(plan.skipReason.admin)}`, async (_name, query) => {
    const result = await api.admin().GET('/admin/users/{userId}/tasks', { params: { path: { userId: api.target.userA.sub }, query: query as ListQuery } });
    expectProblem(result, 400, PROBLEM('validation'));
  });

  it('a cursor that is not from this API is 400 invalid-cursor', async () => {
    expectProblem(await api.a.GET('/tasks', { params: { query: { cursor: 'not-a-cursor' } } }), 400, PROBLEM('invalid-cursor'));
  });

  it('a tampered cursor (one character changed) is 400 invalid-cursor', async () => {
    for (const label of ['cursor-1', 'cursor-2']) await createTask(api.a, newTask(api.target, label));
    const { data } = await api.a.GET('/tasks', { params: { query: { limit: 1 } } });
    const cursor = data?.pagination.nextCursor ?? '';
    expect(cursor).not.toBe('');
    const i = Math.floor(cursor.length / 4);
    const tampered = `${cursor.slice(0, i)}${cursor[i] === 'A' ? 'B' : 'A'}${cursor.slice(i + 1)}`;
    expectProblem(await api.a.GET('/tasks', { params: { query: { limit: 1, cursor: tampered } } }), 400, PROBLEM('invalid-cursor'));
  });

  it('a cursor of another listing (other status filter) is 400 invalid-cursor', async () => {
    for (const label of ['scope-1', 'scope-2']) await createTask(api.a, newTask(api.target, label));
    const { data } = await api.a.GET('/tasks', { params: { query: { limit: 1 } } });
    const cursor = data?.pagination.nextCursor ?? '';
    expectProblem(await api.a.GET('/tasks', { params: { query: { status: 'todo', cursor } } }), 400, PROBLEM('invalid-cursor'));
  });
});

describe('If-Match and taskId 400', () => {
  const update = (c: TaskApiClient, taskId: string, ifMatch?: string) =>
    c.PUT('/tasks/{taskId}', {
      params: { path: { taskId }, ...(ifMatch !== undefined ? { header: { 'If-Match': ifMatch } } : {}) },
      body: { title: 'x', status: 'todo', priority: 'low', tags: [] },
    });
  const remove = (c: TaskApiClient, taskId: string, ifMatch?: string) =>
    c.DELETE('/tasks/{taskId}', { params: { path: { taskId }, ...(ifMatch !== undefined ? { header: { 'If-Match': ifMatch } } : {}) } });

  it.each([
    ['updateTask', 'a malformed If-Match ("3" without quotes)', update, '3'],
    ['deleteTask', 'a malformed If-Match ("3" without quotes)', remove, '3'],
    ['updateTask', 'an empty If-Match (no version matches an empty list)', update, ''],
    ['deleteTask', 'an empty If-Match (no version matches an empty list)', remove, ''],
  ])('%s with %s is 400 validation and changes nothing', async (_name, _given, call, ifMatch) => {
    const task = await createTask(api.a, newTask(api.target, 'bad-if-match'));
    expectProblem(await call(api.a, task.id, ifMatch), 400, PROBLEM('validation'));
    const { data } = await api.a.GET('/tasks/{taskId}', { params: { path: { taskId: task.id } } });
    expect(data).toEqual(task);
  });

  it.each([
    ['updateTask', update],
    ['deleteTask', remove],
  ])('%s with a taskId that is not a ULID is 400 validation', async (_name, call) => {
    expectProblem(await call(api.a, 'not-a-ulid'), 400, PROBLEM('validation'));
  });
});

describe('404 for an absent task', () => {
  it.each([
    ['getTask (DynamoDB GetItem + response template)', (c: TaskApiClient, id: string) => c.GET('/tasks/{taskId}', { params: { path: { taskId: id } } })],
    ['updateTask (error-selection pattern)', (c: TaskApiClient, id: string) => c.PUT('/tasks/{taskId}', { params: { path: { taskId: id } }, body: { title: 'x', status: 'todo', priority: 'low', tags: [] } })],
    ['deleteTask', (c: TaskApiClient, id: string) => c.DELETE('/tasks/{taskId}', { params: { path: { taskId: id } } })],
  ])('%s is 404 not-found', async (_name, call) => {
    const problem = expectProblem(await call(api.a, ABSENT_ULID), 404, PROBLEM('not-found'));
    expect(problem.requestId).toEqual(expect.stringMatching(/\S/));
  });
});

describe('a bad taskId: GET, PUT and DELETE give the same 400, never a 500', () => {
  const calls = {
    getTask: (c: TaskApiClient, id: string) => c.GET('/tasks/{taskId}', { params: { path: { taskId: id } } }),
    updateTask: (c: TaskApiClient, id: string) =>
      c.PUT('/tasks/{taskId}', { params: { path: { taskId: id } }, body: { title: 'x', status: 'todo', priority: 'low', tags: [] } }),
    deleteTask: (c: TaskApiClient, id: string) => c.DELETE('/tasks/{taskId}', { params: { path: { taskId: id } } }),
  };
  it.each([
    ['not a ULID', 'no-such-id'],
    ['over-long (1100 characters)', 'K'.repeat(1100)],
    ['a ULID plus one character', `${ABSENT_ULID}0`],
    ['a quote, a backslash and a NUL', 'a\'"\\b\u0000'],
    ['non-ASCII', 'tâche'],
  ])('%s', async (_name, id) => {
    const answers = await Promise.all(Object.values(calls).map((call) => call(api.a, id)));
    const shapes = answers.map((r) => {
      const problem = expectProblem(r, 400, PROBLEM('validation'));
      return { detail: problem.detail, errors: problem.errors, contentType: r.response.headers.get('content-type') };
    });
    expect(shapes[1]).toEqual(shapes[0]);
    expect(shapes[2]).toEqual(shapes[0]);
  });
});

describe('createTask 415', () => {
  it('createTask with Content-Type text/plain is 415 unsupported-media-type (no model for it: R5.4, so the handler decides)', async () => {
    const result = await api.a.POST('/tasks', {
      body: {} as NewTask,
      bodySerializer: () => JSON.stringify(newTask(api.target, 'text-plain')),
      headers: { 'Content-Type': 'text/plain' },
    });
    expectProblem(result, 415, PROBLEM('unsupported-media-type'));
  });
});

describe('bodies whose meaning depends on the parser, or padded past any task: refused, nothing written', () => {
  const titled = (title: string) => tasksTitled(api.a, title);
  const raw = (text: string) => ({ body: {} as NewTask, bodySerializer: () => text });

  it('createTask with a member named twice is 400 validation naming it, and creates nothing (either title)', async () => {
    const [first, second] = [newTask(api.target, 'dup-first').title, newTask(api.target, 'dup-second').title];
    const result = await api.a.POST('/tasks', raw(`{"title":${JSON.stringify(first)},"title":${JSON.stringify(second)}}`));
    const problem = expectProblem(result, 400, PROBLEM('validation'));
    expect(problem.errors).toEqual([{ pointer: '/title', message: 'is given more than once' }]);
    expect([...(await titled(first)), ...(await titled(second))]).toEqual([]);
  });

  it('updateTask with a member named twice (nested: a tag list) is 400 naming it, and the task keeps its version', async () => {
    const task = await createTask(api.a, newTask(api.target, 'dup-update'));
    const text = '{"title":"t","status":"done","priority":"low","tags":["a"],"tags":[]}';
    const result = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, ...raw(text) } as never);
    const problem = expectProblem(result, 400, PROBLEM('validation'));
    expect(problem.errors).toEqual([{ pointer: '/tags', message: 'is given more than once' }]);
    expect((await api.a.GET('/tasks/{taskId}', { params: { path: { taskId: task.id } } })).data).toEqual(task);
  });

  it('createTask padded past 65,536 characters is 413 content-too-large, and creates nothing', async () => {
    const title = newTask(api.target, 'padded').title;
    const result = await api.a.POST('/tasks', raw(`{"title":${JSON.stringify(title)}}${' '.repeat(70_000)}`));
    expectProblem(result, 413, PROBLEM('content-too-large'));
    expect(await titled(title)).toEqual([]);
  });

  it('updateTask padded past 65,536 characters is 413 content-too-large, and the task keeps its version', async () => {
    const task = await createTask(api.a, newTask(api.target, 'padded-update'));
    const text = `{"title":"t","status":"done","priority":"low","tags":[]}${'\n'.repeat(70_000)}`;
    const result = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: task.id } }, ...raw(text) } as never);
    expectProblem(result, 413, PROBLEM('content-too-large'));
    expect((await api.a.GET('/tasks/{taskId}', { params: { path: { taskId: task.id } } })).data).toEqual(task);
  });
});

describe('a body sent without Content-Type', () => {
  // Bytes, not a string: fetch would name a string body text/plain itself.
  const bytes = (value: unknown) => new TextEncoder().encode(JSON.stringify(value));
  it.each([
    ['createTask', 'POST', (_id: string) => '/tasks', { title: 'no type' }],
    ['updateTask (REST: the JSON template is picked for it, R2.2, and the function refuses it)', 'PUT', (id: string) => `/tasks/${id}`, { title: 'no type', status: 'done', priority: 'low', tags: [] }],
  ])('%s is 415 unsupported-media-type and changes nothing', async (_name, method, path, body) => {
    // Prepare
    const task = await createTask(api.a, newTask(api.target, 'untyped-target'));
    // Act
    const response = await fetch(`${api.target.baseUrl}${path(task.id)}`, {
      method,
      headers: { authorization: api.target.userA.token, ...(api.target.apiKey ? { 'x-api-key': api.target.apiKey } : {}) },
      body: bytes(body),
    });
    const bodyText = await response.text();
    // Assess
    expect(response.headers.get('content-type')).toBe('application/problem+json');
    expect(response.status, bodyText).toBe(415);
    expect(JSON.parse(bodyText)).toMatchObject({ type: PROBLEM('unsupported-media-type'), status: 415 });
    const after = await api.a.GET('/tasks/{taskId}', { params: { path: { taskId: task.id } } });
    expect(after.data).toEqual(task);
  });
});

describe('getTask with a Content-Type', () => {
  it('a GET naming a media type other than JSON is answered as the operation declares (REST: 415, the template never passes it through; HTTP: the task)', async () => {
    // Prepare
    const task = await createTask(api.a, newTask(api.target, 'get-with-type'));
    // Act: raw, as the typed client sends no Content-Type on a GET.
    const response = await fetch(`${api.target.baseUrl}/tasks/${task.id}`, {
      headers: { authorization: api.target.userA.token, 'content-type': 'text/plain', ...(api.target.apiKey ? { 'x-api-key': api.target.apiKey } : {}) },
    });
    const bodyText = await response.text();
    // Assess
    expect(contract.check({ method: 'GET', schemaPath: '/tasks/{taskId}', status: response.status, headers: response.headers, bodyText })).toEqual([]);
    expect(response.status).toBe(variant.name === 'http' ? 200 : 415);
  });
});
