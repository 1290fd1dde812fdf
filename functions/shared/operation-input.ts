/**
 * What each operation takes in, straight from the contract's `operations` (openapi/types.gen.ts):
 * handlers parse their body, path, query and headers into these types, so a contract change that
 * renames or retypes an input breaks the build where the handler reads it.
 */
import type { operations } from '../../openapi/types.gen.js';

type Parameters<Op extends keyof operations> = operations[Op]['parameters'];

/** The JSON request body the operation declares (never for operations without one). */
export type RequestBodyOf<Op extends keyof operations> = operations[Op] extends { requestBody: { content: { 'application/json': infer B } } } ? B : never;

/** The operation's query parameters (all optional in this contract). */
export type QueryOf<Op extends keyof operations> = NonNullable<Parameters<Op>['query']>;

/** The operation's path parameters. */
export type PathOf<Op extends keyof operations> = NonNullable<Parameters<Op>['path']>;

/** The operation's declared request headers. */
export type HeadersOf<Op extends keyof operations> = NonNullable<Parameters<Op>['header']>;
