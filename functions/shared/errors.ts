/** The one error family of the handlers and the one mapper to RFC 9457 problem details. */
import type { components } from '../../openapi/types.gen.js';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

/** Statuses a handler may answer with a problem (each operation declares a subset). */
export type ProblemStatus = 400 | 404 | 409 | 412 | 413 | 415 | 422 | 500 | 503;

const TITLES: Record<ProblemStatus, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** An expected failure: its status, slug and detail are safe to show to the client. */
export class HttpError extends Error {
  constructor(
    readonly status: Exclude<ProblemStatus, 500>,
    readonly slug: string,
    readonly detail: string,
    readonly errors?: FieldError[],
    /** Seconds the client should wait before it retries (the Retry-After header, RFC 9110 §10.2.3). */
    readonly retryAfterSeconds?: number,
  ) {
    super(detail);
    this.name = new.target.name;
  }
}

/** 400 for a malformed request that is not about one field (bad JSON, bad cursor). */
export class BadRequestError extends HttpError {
  constructor(detail: string, slug = 'bad-request') {
    super(400, slug, detail);
  }
}

/** 400 naming each invalid field. */
export class ValidationError extends HttpError {
  constructor(detail: string, errors: FieldError[]) {
    super(400, 'validation', detail, errors);
  }
}

export class NotFoundError extends HttpError {
  constructor(detail = 'No task with this id.') {
    super(404, 'not-found', detail);
  }
}

export class ConflictError extends HttpError {
  constructor(detail: string) {
    super(409, 'conflict', detail);
  }
}

export class PreconditionFailedError extends HttpError {
  constructor(detail = 'The task is no longer at the version given in If-Match.') {
    super(412, 'precondition-failed', detail);
  }
}

export class ContentTooLargeError extends HttpError {
  constructor(detail: string) {
    super(413, 'content-too-large', detail);
  }
}

export class UnsupportedMediaTypeError extends HttpError {
  constructor(detail = 'The request body must be application/json.') {
    super(415, 'unsupported-media-type', detail);
  }
}

export class UnprocessableContentError extends HttpError {
  constructor(detail: string) {
    super(422, 'unprocessable-content', detail);
  }
}

/**
 * 503: the task store refused the call for now (DynamoDB throttled it, or another transaction held the item) and
 * nothing was written. The request itself was fine: the same request, resent after Retry-After, can succeed.
 */
export class StoreBusyError extends HttpError {
  constructor(detail = 'The task store is busy; retry after the time in Retry-After.') {
    super(503, 'unavailable', detail, undefined, 1);
  }
}

/**
 * DynamoDB's refusals for load (the SDK has already retried them: clients.ts), by the names the SDK gives its errors:
 * a table's or an account's throughput, the control plane's request rate, a transaction with the same token still
 * running. Named, not classed, so that a fake of the error in a test is recognised as DynamoDB's own would be.
 */
const STORE_BUSY_NAMES = new Set(['ProvisionedThroughputExceededException', 'ThrottlingException', 'RequestLimitExceeded', 'TransactionConflictException', 'TransactionInProgressException']);

/** A transaction's reasons for being cancelled: for load only (a throttle, another transaction on an item), none kept. */
const BUSY_REASONS = new Set(['ThrottlingError', 'TransactionConflict']);

/** The HttpError an error is answered as: itself, a StoreBusyError for DynamoDB's throttling, else none. */
function asHttpError(error: unknown): HttpError | undefined {
  if (error instanceof HttpError) return error;
  const { name, CancellationReasons } = (error ?? {}) as { name?: unknown; CancellationReasons?: { Code?: string }[] };
  if (typeof name === 'string' && STORE_BUSY_NAMES.has(name)) return new StoreBusyError();
  if (name !== 'TransactionCanceledException' || !Array.isArray(CancellationReasons)) return undefined;
  // Every action either not run ('None') or refused for load, one at least for load: nothing was wrong with the request.
  const codes = CancellationReasons.map((reason) => reason.Code ?? 'None');
  return codes.some((code) => BUSY_REASONS.has(code)) && codes.every((code) => code === 'None' || BUSY_REASONS.has(code)) ? new StoreBusyError() : undefined;
}

/**
 * An Error a function fails with on purpose (a problem for the integration response to select, an authorizer's
 * Unauthorized). Lambda's error document (what a direct invoke returns, what `sam local invoke` prints) carries its
 * stack as `trace`: it has none beyond its message, no file or line of ours.
 */
export function framelessError(message: string): Error {
  const error = new Error(message);
  error.stack = `Error: ${message}`;
  return error;
}

export interface MappedProblem {
  status: ProblemStatus;
  problem: Problem;
  /** True when the error was not an HttpError: the caller logs it with its stack. */
  unexpected: boolean;
  /** The Retry-After header's value, for a status that says when to retry (503). */
  retryAfter?: string;
}

/**
 * Maps any thrown value to a problem. Keys are in the order type, title, status, detail so the
 * serialized form contains `"status":NNN,` (the updateTask selection patterns rely on it).
 * Unknown errors become a generic 500: no message, no stack ever reaches the client.
 */
export function toProblem(error: unknown, requestId: string | undefined): MappedProblem {
  const known = asHttpError(error);
  const status: ProblemStatus = known ? known.status : 500;
  const problem: Problem = {
    type: `urn:task-api:problem:${known ? known.slug : 'internal'}`,
    title: TITLES[status],
    status,
    detail: known ? known.detail : 'The request could not be completed.',
  };
  if (requestId) problem.requestId = requestId;
  if (known?.errors && known.errors.length > 0) problem.errors = known.errors;
  const mapped: MappedProblem = { status, problem, unexpected: !known };
  if (known?.retryAfterSeconds !== undefined) mapped.retryAfter = String(known.retryAfterSeconds);
  return mapped;
}
