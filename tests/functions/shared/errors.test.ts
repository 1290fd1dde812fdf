import { describe, expect, it } from 'vitest';
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PreconditionFailedError,
  StoreBusyError,
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

  it.each([
    { given: 'StoreBusyError', error: new StoreBusyError() },
    // Named fakes of the SDK's errors: dynalite cannot throttle, and the mapping reads the name the SDK gives them.
    { given: 'ProvisionedThroughputExceededException', error: Object.assign(new Error('throughput'), { name: 'ProvisionedThroughputExceededException' }) },
    { given: 'ThrottlingException', error: Object.assign(new Error('throttled'), { name: 'ThrottlingException' }) },
    { given: 'RequestLimitExceeded', error: Object.assign(new Error('limit'), { name: 'RequestLimitExceeded' }) },
    { given: 'TransactionConflictException', error: Object.assign(new Error('conflict'), { name: 'TransactionConflictException' }) },
    {
      given: 'a transaction cancelled for throughput',
      error: Object.assign(new Error('cancelled'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'None' }, { Code: 'ThrottlingError' }] }),
    },
  ])('$given → 503 unavailable with Retry-After, no SDK message', ({ error }) => {
    // Act
    const mapped = toProblem(error, 'req-3');
    // Assess
    expect(mapped).toMatchObject({ status: 503, unexpected: false, retryAfter: '1', problem: { type: 'urn:task-api:problem:unavailable', title: 'Service Unavailable', status: 503 } });
    expect(mapped.problem.detail).not.toMatch(/throughput|throttled|limit|conflict|cancelled/);
  });

  it.each([
    { given: 'a transaction cancelled by a failed condition', error: Object.assign(new Error('c'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ConditionalCheckFailed' }] }) },
    { given: 'a transaction cancelled for throughput and a condition', error: Object.assign(new Error('c'), { name: 'TransactionCanceledException', CancellationReasons: [{ Code: 'ThrottlingError' }, { Code: 'ConditionalCheckFailed' }] }) },
    { given: 'a transaction cancelled with no reasons', error: Object.assign(new Error('c'), { name: 'TransactionCanceledException' }) },
  ])('neighbour: $given is no 503 (a 500: the request itself may never succeed)', ({ error }) => {
    const mapped = toProblem(error, undefined);
    expect(mapped).toMatchObject({ status: 500, unexpected: true });
    expect(mapped).not.toHaveProperty('retryAfter');
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
