/**
 * Typed proxy responses: an operation may only answer with a status its contract declares,
 * with that status's body and declared headers. Serialization to API Gateway's proxy result
 * (content type, CORS) happens in one place.
 */
import type { APIGatewayProxyResult } from 'aws-lambda';
import type { operations } from '../../openapi/types.gen.js';
import { corsHeaders } from './config.js';
import type { Problem, ProblemStatus } from './errors.js';

type Responses<Op extends keyof operations> = operations[Op]['responses'];

/** The statuses an operation declares. */
export type StatusOf<Op extends keyof operations> = keyof Responses<Op> & number;

/** Named (non-index-signature) keys of a declared headers object. */
type Named<T> = { [K in keyof T as string extends K ? never : K]: T[K] };

/** The headers a handler must set; CORS is added by `toProxyResult`. */
type DeclaredHeaders<R> = R extends { headers: infer H } ? Omit<Named<H>, 'Access-Control-Allow-Origin'> : unknown;

type BodyOf<R> = R extends { content: infer C } ? C[keyof C] : never;

type ResponseFor<S extends number, R> = R extends { content: object }
  ? { statusCode: S; headers?: Record<string, string>; body: BodyOf<R> } & HeadersField<DeclaredHeaders<R>>
  : { statusCode: S; headers?: Record<string, string>; body?: undefined } & HeadersField<DeclaredHeaders<R>>;

/** Makes `headers` required exactly when the status declares headers other than CORS. */
type HeadersField<H> = keyof H extends never ? unknown : { headers: { [K in keyof H]: string } & Record<string, string> };

/** Union over the declared statuses of Op: `{ statusCode, headers, body }` with that status's body type. */
export type OperationResponse<Op extends keyof operations> = {
  [S in StatusOf<Op>]: ResponseFor<S, Responses<Op>[S]>;
}[StatusOf<Op>];

/** Problem statuses that Op declares (used to keep undeclared errors from leaking out). */
export type ProblemStatusOf<Op extends keyof operations> = StatusOf<Op> & ProblemStatus;

/** Renders a typed response as API Gateway's proxy result (JSON, problem+json for errors, CORS headers). */
export function toProxyResult(
  response: { statusCode: number; headers?: Record<string, string>; body?: unknown },
  allowedOrigin: string,
): APIGatewayProxyResult {
  const headers: Record<string, string> = { ...corsHeaders(allowedOrigin), ...response.headers };
  if (response.body === undefined) return { statusCode: response.statusCode, headers, body: '' };
  headers['Content-Type'] = response.statusCode >= 400 ? 'application/problem+json' : 'application/json';
  return { statusCode: response.statusCode, headers, body: JSON.stringify(response.body) };
}

/** A problem response (a declared status of the operation by construction of its caller); a 503 says when to retry. */
export function problemResult(status: number, problem: Problem, allowedOrigin: string, retryAfter?: string): APIGatewayProxyResult {
  return toProxyResult({ statusCode: status, body: problem, ...(retryAfter === undefined ? {} : { headers: { 'Retry-After': retryAfter } }) }, allowedOrigin);
}
