/** The one error family of the handlers and the one mapper to RFC 9457 problem details. */
import type { components } from '../../openapi/types.gen.js';

export type Problem = components['schemas']['Problem'];
export type FieldError = NonNullable<Problem['errors']>[number];

/** Statuses a handler may answer with a problem (each operation declares a subset). */
export type ProblemStatus = 400 | 404 | 409 | 412 | 415 | 422 | 500;

const TITLES: Record<ProblemStatus, string> = {
  400: 'Bad Request',
  404: 'Not Found',
  409: 'Conflict',
  412: 'Precondition Failed',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  500: 'Internal Server Error',
};

/** An expected failure: its status, slug and detail are safe to show to the client. */
export class HttpError extends Error {
  constructor(
    readonly status: Exclude<ProblemStatus, 500>,
    readonly slug: string,
    readonly detail: string,
    readonly errors?: FieldError[],
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
}

/**
 * Maps any thrown value to a problem. Keys are in the order type, title, status, detail so the
 * serialized form contains `"status":NNN,` (the updateTask selection patterns rely on it).
 * Unknown errors become a generic 500: no message, no stack ever reaches the client.
 */
export function toProblem(error: unknown, requestId: string | undefined): MappedProblem {
  const known = error instanceof HttpError;
  const status: ProblemStatus = known ? error.status : 500;
  const problem: Problem = {
    type: `urn:task-api:problem:${known ? error.slug : 'internal'}`,
    title: TITLES[status],
    status,
    detail: known ? error.detail : 'The request could not be completed.',
  };
  if (requestId) problem.requestId = requestId;
  if (known && error.errors && error.errors.length > 0) problem.errors = error.errors;
  return { status, problem, unexpected: !known };
}
