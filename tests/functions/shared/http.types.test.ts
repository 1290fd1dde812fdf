/**
 * Compile-time proof that handlers can only answer with what the contract declares: every
 * `@ts-expect-error` below fails `npx tsc --noEmit` if the line ever starts to compile.
 */
import { describe, expect, it } from 'vitest';
import { toProxyResult, type OperationResponse } from '../../../functions/shared/http.js';

const task = {
  id: '01JD5ZQ3W8K2M4N6P8R0T2V4X6',
  title: 't',
  status: 'todo',
  priority: 'low',
  tags: [],
  createdAt: '2026-11-25T09:00:00.000Z',
  updatedAt: '2026-11-25T09:00:00.000Z',
  version: 1,
} as const satisfies OperationResponse<'createTask'>['body'];

const page: OperationResponse<'listTasks'> = { statusCode: 200, body: { data: [task], pagination: { hasMore: false, nextCursor: null } } };
const created: OperationResponse<'createTask'> = { statusCode: 201, headers: { Location: '/v1/tasks/x', ETag: '"1"' }, body: { ...task, tags: [] } };
const deleted: OperationResponse<'deleteTask'> = { statusCode: 204 };
const problem: OperationResponse<'deleteTask'> = { statusCode: 412, body: { type: 'urn:task-api:problem:precondition-failed', title: 'Precondition Failed', detail: 'd' } };

// @ts-expect-error 418 is not a status listTasks declares
const teapot: OperationResponse<'listTasks'> = { statusCode: 418, body: page.body };
// @ts-expect-error deleteTask declares 204, not 201
const wrongSuccess: OperationResponse<'deleteTask'> = { statusCode: 201 };
// @ts-expect-error listTasks answers 404? no: it does not declare it
const notFound: OperationResponse<'listTasks'> = { statusCode: 404, body: problem.body as never };
// @ts-expect-error a Task is not a TaskPage
const wrongBody: OperationResponse<'listTasks'> = { statusCode: 200, body: task };
// @ts-expect-error 204 has no body
const bodyOn204: OperationResponse<'deleteTask'> = { statusCode: 204, body: { done: true } };
// @ts-expect-error 201 must carry the declared Location and ETag headers
const missingHeaders: OperationResponse<'createTask'> = { statusCode: 201, body: task };
// @ts-expect-error a problem needs type, title and detail
const badProblem: OperationResponse<'createTask'> = { statusCode: 422, body: { title: 'x' } };

describe('typed responses', () => {
  it('render as proxy results with the content type of their status', () => {
    void [teapot, wrongSuccess, notFound, wrongBody, bodyOn204, missingHeaders, badProblem];
    expect(toProxyResult(created, 'https://o').headers).toMatchObject({ 'Content-Type': 'application/json', ETag: '"1"', Location: '/v1/tasks/x' });
    expect(toProxyResult(problem, 'https://o').headers?.['Content-Type']).toBe('application/problem+json');
    expect(toProxyResult(deleted, 'https://o')).toEqual({ statusCode: 204, headers: { 'Access-Control-Allow-Origin': 'https://o', 'Access-Control-Expose-Headers': 'ETag,Location' }, body: '' });
  });
});
