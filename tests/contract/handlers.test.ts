/**
 * Every handler, invoked with the events of events/ and variants against dynalite and the local
 * Secrets Manager: each response's status must be declared by its operation and its body must
 * match the schema the contract declares for that status and content type.
 */
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { UpdateTaskEvent } from '../../functions/updateTask.js';
import { declaredResponse, declaredStatuses, responseSchema, selectionPatterns } from '../support/contract.js';
import { proxyEvent, updateEvent, type ProxyVariant } from '../support/events.js';
import { startHandlerEnv, type HandlerEnv } from '../support/handler-env.js';
import { fakeContext } from '../support/lambda-context.js';

type Proxy = (event: APIGatewayProxyEvent, context: Context) => Promise<APIGatewayProxyResult>;
type Update = (event: UpdateTaskEvent, context: Context) => Promise<{ task: Record<string, unknown> }>;

let env: HandlerEnv;
const h = {} as { listTasks: Proxy; createTask: Proxy; deleteTask: Proxy; listUserTasks: Proxy; updateTask: Update };
const seen: Record<string, Set<number>> = {};

beforeAll(async () => {
  env = await startHandlerEnv();
  // Imported after the environment is set: handlers read their configuration at module load.
  h.listTasks = (await import('../../functions/listTasks.js')).handler;
  h.createTask = (await import('../../functions/createTask.js')).handler;
  h.deleteTask = (await import('../../functions/deleteTask.js')).handler;
  h.listUserTasks = (await import('../../functions/listUserTasks.js')).handler;
  h.updateTask = (await import('../../functions/updateTask.js')).handler as unknown as Update;
});
afterAll(async () => {
  await env.close();
});

/** Asserts the proxy result conforms to the contract for `operationId`; returns the parsed body. */
function conforms(operationId: string, result: APIGatewayProxyResult): Record<string, unknown> {
  expect(declaredStatuses(operationId)).toContain(result.statusCode);
  (seen[operationId] ??= new Set()).add(result.statusCode);
  const declared = declaredResponse(operationId, result.statusCode);
  const contentTypes = Object.keys((declared?.content as object | undefined) ?? {});
  if (contentTypes.length === 0) {
    expect(result.body).toBe('');
    return {};
  }
  const contentType = String(result.headers?.['Content-Type']);
  expect(contentTypes).toContain(contentType);
  const body = JSON.parse(result.body) as Record<string, unknown>;
  const validate = responseSchema(operationId, result.statusCode, contentType);
  expect(validate(body), JSON.stringify(validate.errors)).toBe(true);
  for (const name of Object.keys((declared?.headers as object | undefined) ?? {})) expect(result.headers).toHaveProperty(name);
  if (result.headers?.ETag !== undefined) expect(result.headers.ETag).toMatch(/^"[0-9]+"$/);
  return body;
}

const ctx = () => fakeContext('ContractTest');
const USER = 'contract-user';

async function create(title: string, sub = USER): Promise<Record<string, unknown>> {
  return conforms('createTask', await h.createTask(proxyEvent('createTask', { sub, body: { title } }), ctx()));
}

describe('createTask responses conform', () => {
  it.each([
    { name: 'events/createTask.json', event: () => proxyEvent('createTask', { sub: USER }), status: 201 },
    { name: 'events/createTask-idempotent.json', event: () => proxyEvent('createTask-idempotent', { sub: USER }), status: 201 },
    { name: 'idempotent replay', event: () => proxyEvent('createTask-idempotent', { sub: USER }), status: 201 },
    { name: 'reused key, other body', event: () => proxyEvent('createTask-idempotent', { sub: USER, body: { title: 'Other' } }), status: 422 },
    { name: 'invalid body', event: () => proxyEvent('createTask', { sub: USER, body: { title: 1 } }), status: 400 },
    { name: 'malformed JSON', event: () => proxyEvent('createTask', { sub: USER, body: '{' }), status: 400 },
    { name: 'form content type', event: () => proxyEvent('createTask', { sub: USER, headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }), status: 415 },
    { name: 'no Cognito claims (misconfigured route)', event: () => proxyEvent('createTask', { sub: '' }), status: 500 },
  ])('$name → $status', async ({ event, status }) => {
    const result = await h.createTask(event(), ctx());
    conforms('createTask', result);
    expect(result.statusCode).toBe(status);
  });
});

describe('listTasks and listUserTasks responses conform', () => {
  beforeAll(async () => {
    for (let i = 0; i < 3; i++) await create(`L${i}`, 'lister');
  });

  it.each([
    { op: 'listTasks', name: 'events/listTasks.json', variant: { sub: 'lister' }, status: 200 },
    { op: 'listTasks', name: 'a page with a next cursor', variant: { sub: 'lister', query: { limit: '2' } }, status: 200 },
    { op: 'listTasks', name: 'limit 0', variant: { sub: 'lister', query: { limit: '0' } }, status: 400 },
    { op: 'listTasks', name: 'unknown status', variant: { sub: 'lister', query: { status: 'later' } }, status: 400 },
    { op: 'listTasks', name: 'tampered cursor', variant: { sub: 'lister', query: { cursor: 'eyJrIjp7fX0.AAAA' } }, status: 400 },
    { op: 'listUserTasks', name: 'events/listUserTasks.json', variant: { pathParameters: { userId: 'lister' } }, status: 200 },
    { op: 'listUserTasks', name: 'limit 101', variant: { pathParameters: { userId: 'lister' }, query: { limit: '101' } }, status: 400 },
    { op: 'listUserTasks', name: 'userId too long', variant: { pathParameters: { userId: 'u'.repeat(129) } }, status: 400 },
    { op: 'listUserTasks', name: 'userId with a malformed escape (no percent-decoded value)', variant: { pathParameters: { userId: '%ZZ' } }, status: 400 },
    { op: 'listUserTasks', name: 'userId escaping bytes that are no UTF-8', variant: { pathParameters: { userId: '%C0%AF' } }, status: 400 },
    { op: 'listUserTasks', name: 'userId of 128 characters outside the BMP (256 UTF-16 units)', variant: { pathParameters: { userId: encodeURIComponent('😀'.repeat(128)) } }, status: 200 },
    { op: 'listUserTasks', name: 'userId of 129 characters outside the BMP', variant: { pathParameters: { userId: encodeURIComponent('😀'.repeat(129)) } }, status: 400 },
  ] as const)('$op: $name → $status', async ({ op, variant, status }) => {
    const result = await h[op](proxyEvent(op, variant as ProxyVariant), ctx());
    conforms(op, result);
    expect(result.statusCode).toBe(status);
  });

  it("a cursor from listTasks pages on, and is a 400 for another user's listing", async () => {
    const first = conforms('listTasks', await h.listTasks(proxyEvent('listTasks', { sub: 'lister', query: { limit: '2' } }), ctx()));
    const cursor = (first.pagination as { nextCursor: string }).nextCursor;
    const second = conforms('listTasks', await h.listTasks(proxyEvent('listTasks', { sub: 'lister', query: { limit: '2', cursor } }), ctx()));
    const foreign = await h.listTasks(proxyEvent('listTasks', { sub: 'someone-else', query: { limit: '2', cursor } }), ctx());
    expect((second.data as unknown[]).length).toBe(1);
    expect(conforms('listTasks', foreign)).toMatchObject({ type: 'urn:task-api:problem:invalid-cursor', status: 400 });
  });
});

describe('deleteTask responses conform', () => {
  it.each([
    { name: 'If-Match matches', headers: { 'If-Match': '"1"' }, status: 204 },
    { name: 'no If-Match', headers: { 'If-Match': undefined }, status: 204 },
    { name: 'stale If-Match', headers: { 'If-Match': '"9"' }, status: 412 },
    { name: 'malformed If-Match', headers: { 'If-Match': 'nine' }, status: 400 },
  ])('$name → $status', async ({ headers, status }) => {
    const task = await create('to delete');
    const result = await h.deleteTask(proxyEvent('deleteTask', { sub: USER, headers, pathParameters: { taskId: String(task.id) } }), ctx());
    conforms('deleteTask', result);
    expect(result.statusCode).toBe(status);
  });

  it.each([
    { name: 'events/deleteTask.json (no such task)', pathParameters: undefined, status: 404 },
    { name: 'taskId not a ULID', pathParameters: { taskId: 'nope' }, status: 400 },
  ])('$name → $status', async ({ pathParameters, status }) => {
    const result = await h.deleteTask(proxyEvent('deleteTask', { sub: USER, ...(pathParameters ? { pathParameters } : {}) }), ctx());
    conforms('deleteTask', result);
    expect(result.statusCode).toBe(status);
  });
});

describe('updateTask (non-proxy) results conform and select the declared status', () => {
  /** The status API Gateway selects for a thrown error: the one pattern that matches its message. */
  function selected(message: string): number {
    const matches = selectionPatterns('updateTask').filter((p) => p.pattern.test(message));
    expect(matches).toHaveLength(1);
    return matches[0]!.statusCode;
  }

  it('success: { task } is a Task', async () => {
    const task = await create('to update');
    const out = await h.updateTask(updateEvent({ userId: USER, taskId: String(task.id) }), ctx());
    const validate = responseSchema('updateTask', 200, 'application/json');
    expect(validate(out.task), JSON.stringify(validate.errors)).toBe(true);
    expect(out.task.version).toBe(2);
  });

  it('no If-Match (null, as the template renders an absent header) is an unconditional write', async () => {
    const task = await create('unconditional');
    const out = await h.updateTask(updateEvent({ userId: USER, taskId: String(task.id), ifMatch: null }), ctx());
    expect(out.task.version).toBe(2);
  });

  it.each([
    { name: 'events/updateTask.json for a missing task', event: () => updateEvent({ userId: USER }), status: 404 },
    { name: 'stale If-Match', event: (id: string) => updateEvent({ userId: USER, taskId: id, ifMatch: '"5"' }), status: 412 },
    { name: 'invalid body', event: (id: string) => updateEvent({ userId: USER, taskId: id, body: { title: 'x' } }), status: 400 },
    { name: 'malformed If-Match', event: (id: string) => updateEvent({ userId: USER, taskId: id, ifMatch: 'W/5' }), status: 400 },
    { name: 'If-Match sent empty', event: (id: string) => updateEvent({ userId: USER, taskId: id, ifMatch: '' }), status: 400 },
    { name: 'no Content-Type (null, as the template renders an absent header)', event: (id: string) => updateEvent({ userId: USER, taskId: id, contentType: null }), status: 415 },
    { name: 'an empty Content-Type', event: (id: string) => updateEvent({ userId: USER, taskId: id, contentType: '' }), status: 415 },
    {
      name: 'a member named twice in the body as sent (rawBody)',
      event: (id: string) => updateEvent({ userId: USER, taskId: id, rawBody: Buffer.from('{"title":"a","status":"todo","priority":"low","tags":[],"title":"b"}').toString('base64') }),
      status: 400,
    },
    { name: 'a body over 65,536 characters (rawBody null, as the template renders it)', event: (id: string) => updateEvent({ userId: USER, taskId: id, rawBody: null }), status: 413 },
    { name: 'no userId (unexpected)', event: (id: string) => updateEvent({ userId: '', taskId: id }), status: 500 },
  ])('$name → $status', async ({ event, status }) => {
    const task = await create('target');
    const error = await h.updateTask(event(String(task.id)), ctx()).then(
      () => new Error('expected a failure'),
      (e: Error) => e,
    );
    expect(selected(error.message)).toBe(status);
    // Lambda's error document carries the stack as `trace` (sam local invoke prints it): no frame of ours in it.
    expect(error.stack).toBe(`Error: ${error.message}`);
    expect(declaredStatuses('updateTask')).toContain(status);
    const problem = JSON.parse(error.message) as Record<string, unknown>;
    const validate = responseSchema('updateTask', status, 'application/problem+json');
    expect(validate(problem), JSON.stringify(validate.errors)).toBe(true);
    expect(problem.status).toBe(status);
  });
});

describe('coverage of this suite', () => {
  it('exercised success and error statuses of every Lambda operation', () => {
    expect([...(seen.createTask ?? [])].sort()).toEqual([201, 400, 415, 422, 500]);
    expect([...(seen.listTasks ?? [])].sort()).toEqual([200, 400]);
    expect([...(seen.listUserTasks ?? [])].sort()).toEqual([200, 400]);
    expect([...(seen.deleteTask ?? [])].sort()).toEqual([204, 400, 404, 412]);
  });
});
