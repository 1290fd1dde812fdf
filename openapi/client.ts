/**
 * The Task API's typed client for consumers: openapi-fetch over the types generated from openapi/api.yaml, so
 * every path, parameter, body and response is checked by TypeScript against the contract.
 */
import createClient, { type Client, type ClientOptions } from 'openapi-fetch';
import type { components, paths } from './types.gen.js';

export type { components, paths };
export type TaskApiClient = Client<paths>;

/** What a caller sends on every request: the usage plan's API key and the Authorization header value. */
export interface TaskApiCredentials {
  /** Sent as `x-api-key`. */
  apiKey?: string;
  /** Sent as `Authorization`: a Cognito ID token as is, or `Bearer <token>` for the admin authorizer. */
  authorization?: string;
}

/** A client of the stage at `baseUrl` (e.g. https://abc.execute-api.eu-west-1.amazonaws.com/v1, or the local gateway's). */
export function createTaskApiClient(baseUrl: string, credentials: TaskApiCredentials = {}, options: Omit<ClientOptions, 'baseUrl'> = {}): TaskApiClient {
  const headers: Record<string, string> = {};
  if (credentials.apiKey !== undefined) headers['x-api-key'] = credentials.apiKey;
  if (credentials.authorization !== undefined) headers.Authorization = credentials.authorization;
  return createClient<paths>({ ...options, baseUrl, headers: { ...headers, ...(options.headers as Record<string, string> | undefined) } });
}
