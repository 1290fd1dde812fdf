/**
 * The shared REST/HTTP conformance suite's adapter: one implementation per API type, each the project's own harness
 * (conformance/harness.ts drives createGateway, http-api/harness.ts createHttpGateway) over its own fixture template
 * with the same routes and the same functions (fixtures/shared-rest, fixtures/shared-http, fixtures/shared-functions).
 * Suites run `describe.each(await sharedApis())` and state each behaviour once, with what each type answers where
 * the references (R* for REST, H* for HTTP) give them different answers: `want: { rest: ..., http: ... }`.
 */
import { fileURLToPath } from 'node:url';
import { harness, type Given, type Got } from '../conformance/harness.js';
import { httpHarness } from '../http-api/harness.js';
import type { FakeInProcessInvoker } from '../support/in-process-invoker.js';

export type { Given, Got };

export type ApiType = 'rest' | 'http';

/** A value per API type: what REST answers and what HTTP answers. */
export type PerType<T> = Record<ApiType, T>;

export const REST_TEMPLATE = fileURLToPath(new URL('../fixtures/shared-rest/template.yaml', import.meta.url));
export const HTTP_TEMPLATE = fileURLToPath(new URL('../fixtures/shared-http/template.yaml', import.meta.url));

/**
 * Routes both fixtures declare, each on its function: GET /items and GET /items/{id} (EchoFunction), POST /upload
 * (EchoFunction), GET /shape (ShapeFunction: the result named by the `x-shape` header), GET /boom (ThrowFunction,
 * always throws), GET /slow (SlowFunction, timeoutInMillis 1000). CORS allows https://app.example.com, GET and POST,
 * header x-key, max age 600; REST's binary media type is application/octet-stream.
 */
export interface SharedApi {
  type: ApiType;
  /** Sends a request to a route path (`/items/1?x=1`); the adapter puts it under the stage the API is served at. */
  send(given: Given): Promise<Got>;
  /** The fake in-process invoker the gateway calls the fixture functions through (records every call). */
  invoker: FakeInProcessInvoker;
}

/** REST: the SAM Api "SharedApi", stage "test" (its invoke URL's first segment, R11.1). */
export async function restApi(): Promise<SharedApi> {
  const h = await harness('SharedApi', {}, REST_TEMPLATE);
  return { type: 'rest', invoker: h.invoker, send: (given) => h.send({ ...given, path: `/test${given.path}` }) };
}

/** HTTP: the SAM HttpApi "SharedApi", `$default` stage, served from the root (H3.1), payload 2.0 (H1.6). */
export async function httpApi(): Promise<SharedApi> {
  const h = await httpHarness('SharedApi', HTTP_TEMPLATE);
  return { type: 'http', invoker: h.invoker, send: (given) => h.send(given) };
}

/** Both API types, for `describe.each`. */
export async function sharedApis(): Promise<SharedApi[]> {
  return [await restApi(), await httpApi()];
}

/** The event the echo fixture received, parsed from its answer. */
export function echoedEvent(got: Got): Record<string, unknown> {
  if (got.status !== 200) throw new Error(`expected the echo function to answer 200, got ${got.status}: ${got.text}`);
  return got.json() as Record<string, unknown>;
}
