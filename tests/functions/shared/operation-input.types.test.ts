/**
 * Compile-time proof that handler inputs are the contract's: every `@ts-expect-error` below fails
 * `npx tsc --noEmit` if the line ever starts to compile.
 */
import { describe, expect, it } from 'vitest';
import type { HeadersOf, PathOf, QueryOf, RequestBodyOf } from '../../../functions/shared/operation-input.js';
import { listQuery, pathParam } from '../../../functions/shared/request.js';

const newTask: RequestBodyOf<'createTask'> = { title: 'Write the README', priority: 'high', tags: ['docs'] };
const update: RequestBodyOf<'updateTask'> = { title: 't', status: 'done', priority: 'low', tags: [] };
const query: QueryOf<'listTasks'> = { status: 'in_progress', limit: 5, cursor: 'c' };
const path: PathOf<'getTask'> = { taskId: '01JD5ZQ3W8K2M4N6P8R0T2V4X6' };
const headers: HeadersOf<'createTask'> = { 'Idempotency-Key': 'k-1' };

// @ts-expect-error NewTask has no `owner` field (additionalProperties: false)
const unknownField: RequestBodyOf<'createTask'> = { title: 't', owner: 'someone' };
// @ts-expect-error TaskUpdate is a full update: status, priority and tags are required
const partialUpdate: RequestBodyOf<'updateTask'> = { title: 't' };
// @ts-expect-error status is the TaskStatus enum
const badStatus: QueryOf<'listTasks'> = { status: 'archived' };
// @ts-expect-error limit is a number, not the raw query string
const stringLimit: QueryOf<'listTasks'> = { limit: '5' };
// @ts-expect-error listTasks declares no request body
const noBody: RequestBodyOf<'listTasks'> = { title: 't' };
// @ts-expect-error createTask declares Idempotency-Key, not If-Match
const wrongHeader: HeadersOf<'createTask'> = { 'If-Match': '"1"' };

describe('operation inputs', () => {
  it('are parsed from the event into the contract types', () => {
    void [newTask, update, query, path, headers, unknownField, partialUpdate, badStatus, stringLimit, noBody, wrongHeader];

    const parsed: QueryOf<'listTasks'> = listQuery({ queryStringParameters: { status: 'todo', limit: '7' } });
    const taskId: PathOf<'deleteTask'>['taskId'] = pathParam({ pathParameters: { taskId: path.taskId } }, 'taskId', 'TaskId');

    expect(parsed).toEqual({ status: 'todo', limit: 7 });
    expect(taskId).toBe(path.taskId);
  });
});
