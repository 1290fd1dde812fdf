/**
 * Success paths of every Task API operation, over HTTP, through the typed client generated from the
 * contract; every response is checked against openapi/api.yaml by the client's middleware.
 */
import { describe, expect, it } from 'vitest';
import { planTarget } from './support/target.js';
import { createTask, etag, listPages, newTask, skipNote, useTarget, type Task } from './support/suite.js';

const plan = planTarget();
const api = useTarget();

describe('getHealth', () => {
  it('answers 200 {"status":"ok"} with no key and no token', async () => {
    const { data, response } = await api.as(null, null).GET('/health');
    expect(response.status).toBe(200);
    expect(data).toEqual({ status: 'ok' });
  });
});

describe('createTask', () => {
  it('answers 201 with the task at version 1, contract defaults, Location and ETag "1"', async () => {
    const body = newTask(api.target, 'create', { priority: 'high', tags: ['docs'], dueDate: '2026-12-01', description: 'd' });
    const { data, response } = await api.a.POST('/tasks', { body });
    expect(response.status).toBe(201);
    expect(data).toMatchObject({ ...body, status: 'todo', version: 1 });
    expect(data?.createdAt).toBe(data?.updatedAt);
    expect(response.headers.get('etag')).toBe(etag(1));
    expect(response.headers.get('location')).toMatch(new RegExp(`/tasks/${data?.id}$`));
  });

  it('fills the defaults: status todo, priority medium, no tags', async () => {
    const body = newTask(api.target, 'defaults');
    const task = await createTask(api.a, body);
    expect(task).toMatchObject({ title: body.title, status: 'todo', priority: 'medium', tags: [] });
    expect(task).not.toHaveProperty('description');
    expect(task).not.toHaveProperty('dueDate');
  });
});

describe('getTask', () => {
  it('answers 200 with the stored task and ETag of its version', async () => {
    const created = await createTask(api.a, newTask(api.target, 'get', { tags: ['a', 'b'], description: 'quote " and \\ kept' }));
    const { data, response } = await api.a.GET('/tasks/{taskId}', { params: { path: { taskId: created.id } } });
    expect(response.status).toBe(200);
    expect(data).toEqual(created);
    expect(response.headers.get('etag')).toBe(etag(created.version));
  });
});

describe('updateTask', () => {
  it('answers 200 with the replaced task; version and ETag grow by one per write', async () => {
    const created = await createTask(api.a, newTask(api.target, 'update', { description: 'to be cleared', dueDate: '2026-12-01' }));
    const replacement = { title: `${created.title} v2`, status: 'in_progress' as const, priority: 'low' as const, tags: ['x'] };
    const first = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: created.id } }, body: replacement });
    const second = await api.a.PUT('/tasks/{taskId}', { params: { path: { taskId: created.id } }, body: { ...replacement, status: 'done' } });
    expect([first.response.status, second.response.status]).toEqual([200, 200]);
    expect(first.data).toMatchObject({ ...replacement, id: created.id, createdAt: created.createdAt, version: 2 });
    // A full replace: fields left out are cleared.
    expect(first.data).not.toHaveProperty('description');
    expect(first.data).not.toHaveProperty('dueDate');
    expect(first.response.headers.get('etag')).toBe(etag(2));
    expect(second.data?.version).toBe(3);
    expect(second.response.headers.get('etag')).toBe(etag(3));
    const { data } = await api.a.GET('/tasks/{taskId}', { params: { path: { taskId: created.id } } });
    expect(data).toEqual(second.data);
  });
});

describe('deleteTask', () => {
  it('answers 204 with no body, then the task is 404', async () => {
    const created = await createTask(api.a, newTask(api.target, 'delete'));
    const path = { params: { path: { taskId: created.id } } };
    const deleted = await api.a.DELETE('/tasks/{taskId}', path);
    expect(deleted.response.status).toBe(204);
    const after = await api.a.GET('/tasks/{taskId}', path);
    expect(after.response.status).toBe(404);
    const again = await api.a.DELETE('/tasks/{taskId}', path);
    expect(again.response.status).toBe(404);
  });
});

describe('listTasks', () => {
  it('lists the caller\'s tasks newest first', async () => {
    const made: Task[] = [];
    for (const label of ['newest-1', 'newest-2', 'newest-3']) made.push(await createTask(api.a, newTask(api.target, label)));
    const { data, response } = await api.a.GET('/tasks', { params: { query: { limit: 100 } } });
    expect(response.status).toBe(200);
    const ids = data?.data.map((t) => t.id) ?? [];
    const mine = ids.filter((id) => made.some((t) => t.id === id));
    expect(mine).toEqual(made.map((t) => t.id).reverse());
    const created = data?.data.map((t) => t.createdAt) ?? [];
    expect(created).toEqual([...created].sort().reverse());
  });

  it('filters by status', async () => {
    const done = await createTask(api.a, newTask(api.target, 'status-done', { status: 'done' }));
    const todo = await createTask(api.a, newTask(api.target, 'status-todo', { status: 'todo' }));
    const { data, response } = await api.a.GET('/tasks', { params: { query: { status: 'done', limit: 100 } } });
    expect(response.status).toBe(200);
    expect(data?.data.every((t) => t.status === 'done')).toBe(true);
    expect(data?.data.map((t) => t.id)).toContain(done.id);
    expect(data?.data.map((t) => t.id)).not.toContain(todo.id);
  });

  it('returns at most limit tasks and a cursor when there are more', async () => {
    for (const label of ['limit-1', 'limit-2', 'limit-3']) await createTask(api.a, newTask(api.target, label));
    const { data, response } = await api.a.GET('/tasks', { params: { query: { limit: 2 } } });
    expect(response.status).toBe(200);
    expect(data?.data).toHaveLength(2);
    expect(data?.pagination.hasMore).toBe(true);
    expect(data?.pagination.nextCursor).toEqual(expect.any(String));
  });

  it('pages with the cursor over several pages: no task twice, none skipped, last page has nextCursor null', async () => {
    const made: Task[] = [];
    for (let i = 0; i < 5; i++) made.push(await createTask(api.a, newTask(api.target, `page-${i}`, { status: 'in_progress' })));
    const pages = await listPages((cursor) =>
      api.a.GET('/tasks', { params: { query: { status: 'in_progress', limit: 2, ...(cursor ? { cursor } : {}) } } }),
    );
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages.slice(0, -1)) expect(page).toMatchObject({ data: { length: 2 }, pagination: { hasMore: true } });
    expect(pages.at(-1)?.pagination).toEqual({ hasMore: false, nextCursor: null });
    const ids = pages.flatMap((p) => p.data.map((t) => t.id));
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.filter((id) => made.some((t) => t.id === id))).toEqual(made.map((t) => t.id).reverse());
  });
});

describe.skipIf(plan.skipReason.admin)(`listUserTasks${skipNote(plan.skipReason.admin)}`, () => {
  it('lets an admin list user A\'s tasks, newest first, with status filter and paging', async () => {
    const first = await createTask(api.a, newTask(api.target, 'admin-1', { status: 'done' }));
    const second = await createTask(api.a, newTask(api.target, 'admin-2', { status: 'done' }));
    const userId = api.target.userA.sub;
    const pages = await listPages((cursor) =>
      api.admin().GET('/admin/users/{userId}/tasks', { params: { path: { userId }, query: { status: 'done', limit: 1, ...(cursor ? { cursor } : {}) } } }),
    );
    const tasks = pages.flatMap((p) => p.data);
    expect(tasks.every((t) => t.status === 'done')).toBe(true);
    expect(tasks.map((t) => t.id).filter((id) => id === first.id || id === second.id)).toEqual([second.id, first.id]);
    expect(pages.every((p) => p.data.length <= 1)).toBe(true);
  });
});
