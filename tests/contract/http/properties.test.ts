/**
 * Property-based contract suite: requests generated from openapi/api.yaml for every operation, valid
 * or broken in one way, sent as raw HTTP through the gateway. For each response: it is declared by the
 * contract and matches it, it is never a 5xx (input alone must not produce one), and a rejected
 * write changes nothing (the caller's tasks are the same before and after; an Idempotency-Key of a
 * rejected create is still free). Fixed seed; PROPERTY_RUNS runs per operation (`npm run test:property`
 * raises it).
 */
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { requestFor, type Credentials, type GeneratedRequest } from './support/arbitraries.js';
import { contract } from './support/client.js';
import { createTask, listPages, newTask, useTarget, type Task } from './support/suite.js';
import { required } from './support/target.js';

const SEED = 20261130;
const RUNS = Number(process.env.PROPERTY_RUNS ?? 12);
const api = useTarget();
const fixtures: Task[] = [];
let creds: Credentials;
const usedKeys = new Set<string>();

const operations = Object.values(contract.doc.paths as Record<string, Record<string, { operationId?: string }>>).flatMap((item) =>
  Object.values(item).flatMap((op) => (typeof op === 'object' && op !== null && typeof op.operationId === 'string' ? [op.operationId] : [])),
);

const WRITES = new Set(['POST', 'PUT', 'DELETE']);
const IDEMPOTENCY_KEY = /^[\x21-\x7E]{1,255}$/;

async function send(request: GeneratedRequest): Promise<{ status: number; headers: Headers; bodyText: string }> {
  const response = await fetch(`${api.target.baseUrl}${request.path}`, {
    method: request.method,
    headers: request.headers,
    ...(request.body !== undefined ? { body: request.body } : {}),
  });
  return {
    status: response.status,
    headers: response.headers,
    bodyText: await response.text(),
  };
}

/** The caller's tasks, every page, in a stable order. */
async function snapshot(): Promise<string> {
  const pages = await listPages((cursor) =>
    api.a.GET('/tasks', {
      params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } },
    }),
  );
  return JSON.stringify(pages.flatMap((p) => p.data).sort((x, y) => x.id.localeCompare(y.id)));
}

beforeAll(async () => {
  creds = {
    apiKey: api.target.apiKey,
    idToken: api.target.userA.token,
    adminToken: required(api.target.adminToken, 'admin token (ADMIN_TOKEN)'),
  };
  // Fixtures for PUT/DELETE/GET; creating them also starts createTask's execution environment.
  for (const label of ['p1', 'p2', 'p3']) fixtures.push(await createTask(api.a, newTask(api.target, `property ${label}`)));
  // One valid call per function first, so that the properties run on started execution environments.
  const id = fixtures[0]?.id ?? '';
  await api.a.GET('/tasks');
  await api.a.PUT('/tasks/{taskId}', {
    params: { path: { taskId: id } },
    body: { title: 'warm', status: 'todo', priority: 'low', tags: [] },
  });
  await api.a.DELETE('/tasks/{taskId}', {
    params: { path: { taskId: '01JD5ZQ3W8K2M4N6P8R0T2V4X6' } },
  });
  await api.admin().GET('/admin/users/{userId}/tasks', {
    params: { path: { userId: api.target.userA.sub } },
  });
}, 180_000);

describe('properties over generated requests (fast-check, fixed seed)', () => {
  it('every operation of the contract has a generator', () => {
    // The seven operations both variants serve (the REST API adds its CORS preflight mocks).
    expect(operations).toEqual(expect.arrayContaining(['getHealth', 'listTasks', 'createTask', 'getTask', 'updateTask', 'deleteTask', 'listUserTasks']));
    for (const op of operations) expect(() => requestFor(op, creds, fc.constant('x'), 'u')).not.toThrow();
  });

  it.each(operations)(
    '%s: every response is declared and valid, no input yields a 5xx, a rejected write changes nothing',
    async (operation) => {
      const ids = fc.constantFrom(...fixtures.map((t) => t.id), '01JD5ZQ3W8K2M4N6P8R0T2V4X6');
      await fc.assert(
        fc.asyncProperty(requestFor(operation, creds, ids, api.target.userA.sub), async (request) => {
          const where = `${request.method} ${request.path.slice(0, 120)} (${request.variant.slice(0, 200)})`;
          const write = WRITES.has(request.method);
          const before = write ? await snapshot() : '';
          // Act
          const got = await send(request);
          // Assess
          expect(
            contract.check({
              method: request.method,
              schemaPath: request.schemaPath,
              ...got,
            }),
            where,
          ).toEqual([]);
          expect(got.status, `${where} -> ${got.bodyText.slice(0, 300)}`).toBeLessThan(500);
          const key = request.headers['Idempotency-Key'];
          // A key is free only the first time it is generated (the generator may repeat one).
          const fresh = key !== undefined && !usedKeys.has(key);
          if (key !== undefined) usedKeys.add(key);
          if (!write || got.status < 400) return;
          expect(await snapshot(), `${where} -> ${got.status} changed the caller's tasks`).toBe(before);
          if (request.method === 'POST' && key !== undefined && fresh && IDEMPOTENCY_KEY.test(key)) {
            // The rejected request left no idempotency record: the key still creates (no 422, no 409).
            const retry = await api.a.POST('/tasks', {
              params: { header: { 'Idempotency-Key': key } },
              body: newTask(api.target, 'key still free'),
            });
            expect(retry.response.status, `${where}: the key was recorded by a rejected request`).toBe(201);
          }
        }),
        { seed: SEED, numRuns: RUNS, endOnFailure: true },
      );
    },
    600_000,
  );
});
