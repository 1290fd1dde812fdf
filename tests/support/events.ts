/** The sample events of events/ (real API Gateway shapes), loaded fresh and varied per test. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import type { APIGatewayProxyEvent, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import type { UpdateTaskEvent } from '../../functions/updateTask.js';

export const EVENTS_DIR = resolve(import.meta.dirname, '../../events');

export function loadEvent<T>(name: string): T {
  return JSON.parse(readFileSync(resolve(EVENTS_DIR, `${name}.json`), 'utf8')) as T;
}

export interface ProxyVariant {
  sub?: string;
  headers?: Record<string, string | undefined>;
  body?: unknown;
  query?: Record<string, string> | null;
  pathParameters?: Record<string, string> | null;
}

/** A proxy event from events/<name>.json with the caller, headers, body, query or path changed. */
export function proxyEvent(name: string, variant: ProxyVariant = {}): APIGatewayProxyEvent {
  const event = loadEvent<APIGatewayProxyEvent>(name);
  event.requestContext.requestId = crypto.randomUUID();
  if (variant.sub !== undefined) (event.requestContext.authorizer as { claims: Record<string, string> }).claims.sub = variant.sub;
  for (const [key, value] of Object.entries(variant.headers ?? {})) {
    for (const existing of Object.keys(event.headers)) if (existing.toLowerCase() === key.toLowerCase()) delete event.headers[existing];
    if (value !== undefined) event.headers[key] = value;
  }
  event.multiValueHeaders = Object.fromEntries(Object.entries(event.headers).map(([k, v]) => [k, [v ?? '']]));
  if (variant.body !== undefined) event.body = typeof variant.body === 'string' ? variant.body : JSON.stringify(variant.body);
  if (variant.query !== undefined) {
    event.queryStringParameters = variant.query;
    event.multiValueQueryStringParameters = variant.query ? Object.fromEntries(Object.entries(variant.query).map(([k, v]) => [k, [v]])) : null;
  }
  if (variant.pathParameters !== undefined) event.pathParameters = variant.pathParameters;
  return event;
}

export function updateEvent(variant: Partial<UpdateTaskEvent> = {}): UpdateTaskEvent {
  return { ...loadEvent<UpdateTaskEvent>('updateTask'), requestId: crypto.randomUUID(), ...variant };
}

export function tokenEvent(authorizationToken: string): APIGatewayTokenAuthorizerEvent {
  return { ...loadEvent<APIGatewayTokenAuthorizerEvent>('adminAuthorizer'), authorizationToken };
}
