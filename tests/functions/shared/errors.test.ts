import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  toProblem,
  UnprocessableContentError,
  UnsupportedMediaTypeError,
  ValidationError,
} from '../../../functions/shared/errors.js';

describe('toProblem', () => {
  it.each([
    { error: new BadRequestError('bad json', 'malformed-json'), status: 400, type: 'urn:task-api:problem:malformed-json', title: 'Bad Request' },
    { error: new ValidationError('title: is required', [{ pointer: '/title', message: 'is required' }]), status: 400, type: 'urn:task-api:problem:validation', title: 'Bad Request' },
    { error: new NotFoundError(), status: 404, type: 'urn:task-api:problem:not-found', title: 'Not Found' },
    { error: new ConflictError('busy'), status: 409, type: 'urn:task-api:problem:conflict', title: 'Conflict' },
    { error: new PreconditionFailedError(), status: 412, type: 'urn:task-api:problem:precondition-failed', title: 'Precondition Failed' },
    { error: new UnsupportedMediaTypeError(), status: 415, type: 'urn:task-api:problem:unsupported-media-type', title: 'Unsupported Media Type' },
    { error: new UnprocessableContentError('reused'), status: 422, type: 'urn:task-api:problem:unprocessable-content', title: 'Unprocessable Content' },
  ])('$type → $status', ({ error, status, type, title }) => {
    // Act
    const mapped = toProblem(error, 'req-1');
    // Assess
    expect(mapped).toMatchObject({ status, unexpected: false, problem: { type, title, status, detail: error.detail, requestId: 'req-1' } });
  });

  it('keeps field errors', () => {
    const mapped = toProblem(new ValidationError('x', [{ pointer: '/title', message: 'is required' }]), undefined);
    expect(mapped.problem.errors).toEqual([{ pointer: '/title', message: 'is required' }]);
    expect(mapped.problem).not.toHaveProperty('requestId');
  });

  it('turns an unknown error into a generic 500 without its message or stack', () => {
    const mapped = toProblem(new Error('connect ECONNREFUSED 10.0.0.1 secret-table'), 'req-2');
    const text = JSON.stringify(mapped.problem);
    expect(mapped.status).toBe(500);
    expect(mapped.unexpected).toBe(true);
    expect(mapped.problem.type).toBe('urn:task-api:problem:internal');
    expect(text).not.toMatch(/ECONNREFUSED|secret-table|at /);
  });

  it('serializes `"status":NNN,` right after title (the updateTask selection patterns rely on it)', () => {
    const text = JSON.stringify(toProblem(new PreconditionFailedError(), 'r').problem);
    expect(text).toMatch(/^\{"type":"[^"]+","title":"Precondition Failed","status":412,"detail":/);
  });
});
