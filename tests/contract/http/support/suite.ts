/**
 * Shared setup of the HTTP contract suites: the target, one client per caller, task fixtures and the
 * expectation for API Gateway-generated errors (taken from the contract's gateway responses).
 */
import { afterAll, beforeAll, expect } from 'vitest';
import type { components } from '../../../../openapi/types.gen.js';
import { clientFor, contract, type TaskApiClient, type ValidationLedger } from './client.js';
import { required, startTarget, type Target } from './target.js';
import { variant, type GatewayType } from './variant.js';

export type Task = components['schemas']['Task'];
export type NewTask = components['schemas']['NewTask'];
export type TaskPage = components['schemas']['TaskPage'];
export type Problem = components['schemas']['Problem'];

export interface Callers {
  target: Target;
  ledger: ValidationLedger;
  /** User A with the Basic plan's key. */
  a: TaskApiClient;
  /** User B with the same key (owner-isolation tests). */
  b: () => TaskApiClient;
  admin: () => TaskApiClient;
  nonAdmin: () => TaskApiClient;
  /** Any Authorization / x-api-key combination. */
  as: (authorization: string | null, apiKey: string | null) => TaskApiClient;
}

/** Starts the target before the file's tests and stops it after; the returned object fills in then. */
export function useTarget(): Callers {
  const callers = {} as Callers;
  beforeAll(async () => {
    const target = await startTarget();
    const ledger: ValidationLedger = { received: 0, validated: 0 };
    const as = (authorization: string | null, apiKey: string | null) => clientFor(target, { authorization, apiKey }, ledger);
    Object.assign(callers, {
      target,
      ledger,
      as,
      a: as(target.userA.token, target.apiKey),
      b: () => as(required(target.userB, 'second user (ID_TOKEN_B)').token, target.apiKey),
      admin: () => as(required(target.adminToken, 'admin token (ADMIN_TOKEN)'), target.apiKey),
      nonAdmin: () => as(required(target.nonAdminToken, 'non-admin token (NON_ADMIN_TOKEN)'), target.apiKey),
    });
  });
  afterAll(async () => {
    await callers.target?.close();
    // A response the middleware did not see would have escaped contract validation.
    expect(callers.ledger?.validated).toBe(callers.ledger?.received);
  });
  return callers;
}

let counter = 0;

/** A valid NewTask whose title carries the run id, so a deployed stage's existing data never collides. */
export function newTask(target: Target, label: string, extra: Partial<NewTask> = {}): NewTask {
  counter += 1;
  return { title: `contract ${target.runId} ${label} #${counter}`, ...extra };
}

/** Creates a task as `client` and returns it (fails the test unless 201). */
export async function createTask(client: TaskApiClient, body: NewTask): Promise<Task> {
  const { data, response, error } = await client.POST('/tasks', { body });
  expect(response.status, JSON.stringify(error)).toBe(201);
  return data as Task;
}

/** Every page of a listing, following nextCursor (bounded, so a broken cursor cannot loop forever). */
export async function listPages(
  fetchPage: (cursor: string | undefined) => Promise<{ data?: TaskPage; response: Response; error?: unknown }>,
  maxPages = 200,
): Promise<TaskPage[]> {
  const pages: TaskPage[] = [];
  let cursor: string | undefined;
  do {
    const { data, response, error } = await fetchPage(cursor);
    expect(response.status, JSON.stringify(error)).toBe(200);
    const page = data as TaskPage;
    pages.push(page);
    cursor = page.pagination.nextCursor ?? undefined;
  } while (cursor !== undefined && pages.length < maxPages);
  expect(cursor, `listing did not end within ${maxPages} pages`).toBeUndefined();
  return pages;
}

/** The caller's tasks whose title starts with `prefix`, over all pages. */
export async function tasksTitled(client: TaskApiClient, prefix: string): Promise<Task[]> {
  const pages = await listPages((cursor) => client.GET('/tasks', { params: { query: { limit: 100, ...(cursor ? { cursor } : {}) } } }));
  return pages.flatMap((p) => p.data).filter((t) => t.title.startsWith(prefix));
}

/** Appended to the name of a test skipped for lack of a credential, so the report says why. */
export const skipNote = (reason: string | undefined): string => (reason ? ` (skipped: ${reason})` : '');

export const etag = (version: number): string => `"${version}"`;

/**
 * What API Gateway answers where the REST API answers gateway response `type`, on the variant under test
 * (./variant.ts): the contract's gateway response, the HTTP API's fixed message, or a handler's problem.
 */
export function expectGatewayError(result: { response: Response; error?: unknown }, type: GatewayType): void {
  const answer = variant.gatewayAnswer(type);
  if (answer.kind === 'gateway-response') return expectGatewayResponse(result, answer.type);
  if (answer.kind === 'handler-problem') {
    expectProblem(result, answer.status, answer.type);
    return;
  }
  expect(result.response.status, `${type}: ${JSON.stringify(result.error)}`).toBe(answer.status);
  expect(result.response.headers.get('content-type')).toBe(answer.contentType === undefined ? 'application/json' : answer.contentType);
  expect(result.error).toEqual({ message: answer.message });
  for (const [name, value] of Object.entries(answer.headers)) expect(result.response.headers.get(name) ?? '', `${type}: header ${name}`).toMatch(value);
}

/**
 * A REST gateway response as the contract customises it: status, problem+json body with the
 * template's constant fields, a requestId, and the static headers (e.g. WWW-Authenticate: Bearer).
 */
function expectGatewayResponse(result: { response: Response; error?: unknown }, type: string): void {
  const spec = contract.gatewayResponse(type);
  const { response } = result;
  expect(response.status, `${type}: ${JSON.stringify(result.error)}`).toBe(spec.statusCode);
  expect(response.headers.get('content-type')).toBe('application/problem+json');
  const body = result.error as Problem;
  expect(body).toMatchObject(spec.constants);
  expect(typeof body.detail).toBe('string');
  expect(body.requestId).toEqual(expect.stringMatching(/\S/));
  for (const [name, value] of Object.entries(spec.headers)) {
    if (value === null) expect(response.headers.get(name), `${type}: header ${name}`).not.toBeNull();
    else expect(response.headers.get(name), `${type}: header ${name}`).toBe(value);
  }
}

/** A problem answered by a handler or a mapping template: status and problem type. */
export function expectProblem(result: { response: Response; error?: unknown }, status: number, type: string): Problem {
  expect(result.response.status, JSON.stringify(result.error)).toBe(status);
  const body = result.error as Problem;
  expect(body.type).toBe(type);
  expect(body.status ?? status).toBe(status);
  return body;
}
