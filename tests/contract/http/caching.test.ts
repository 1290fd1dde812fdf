/**
 * The stage cache and caller-scoped data (R9.3): API Gateway's cache key holds only the method, the resource path and
 * the cacheKeyParameters, never the caller unless listed. The local target runs with EnableCaching=true; on a
 * deployed stage, deploy with EnableCaching=true for this file to mean the same.
 */
import { describe, expect, it } from 'vitest';
import type { TaskApiClient } from './support/client.js';
import { createTask, expectProblem, newTask, skipNote, tasksTitled, useTarget } from './support/suite.js';
import { planTarget } from './support/target.js';

const plan = planTarget();
const api = useTarget();
const read = (c: TaskApiClient, taskId: string) => c.GET('/tasks/{taskId}', { params: { path: { taskId } } });

describe.skipIf(plan.skipReason.userB)(`R9.3 stage cache and callers${skipNote(plan.skipReason.userB)}`, () => {
  it('R9.3 user B never receives user A\'s answer to the same GET, however often A asked first', async () => {
    const task = await createTask(api.a, newTask(api.target, 'cache-a'));
    for (let i = 0; i < 3; i++) expect((await tasksTitled(api.a, `contract ${api.target.runId} cache-a`)).map((t) => t.id)).toContain(task.id);
    for (let i = 0; i < 3; i++) expect((await tasksTitled(api.b(), `contract ${api.target.runId}`)).map((t) => t.id)).not.toContain(task.id);
  });

  it('R9.3 user B reading user A\'s task right after A read it gets 404, not A\'s cached task', async () => {
    const task = await createTask(api.a, newTask(api.target, 'cache-read'));
    for (let i = 0; i < 2; i++) expect((await read(api.a, task.id)).response.status).toBe(200);
    for (let i = 0; i < 2; i++) expectProblem(await read(api.b(), task.id), 404, 'urn:task-api:problem:not-found');
  });

  it('R9.3 a listing reflects a write made right after it was read (caller-scoped routes are not cached)', async () => {
    const label = `contract ${api.target.runId} cache-fresh`;
    const before = await tasksTitled(api.a, label);
    const task = await createTask(api.a, newTask(api.target, 'cache-fresh'));
    const after = await tasksTitled(api.a, label);
    expect(after.map((t) => t.id)).toEqual(expect.arrayContaining([...before.map((t) => t.id), task.id]));
    expect(after).toHaveLength(before.length + 1);
  });
});
