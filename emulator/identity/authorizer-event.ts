/** The events API Gateway sends to Lambda authorizers (7.2, 7.3) and their identity sources. */
import type { IdentitySource } from './security.js';

/** The API a request reached, as the method ARN names it. */
export interface ApiContext {
  region: string;
  accountId: string;
  restApiId: string;
  stage: string;
}

/** What the identity stage needs from an incoming request (the gateway builds it once, as for the proxy event). */
export interface AuthorizerRequest {
  httpMethod: string;
  /** Actual request path without the stage, e.g. "/tasks/123". */
  path: string;
  /** Resource template, e.g. "/tasks/{taskId}". */
  resource: string;
  headers: Record<string, string>;
  multiValueHeaders: Record<string, string[]>;
  queryStringParameters: Record<string, string> | null;
  multiValueQueryStringParameters: Record<string, string[]> | null;
  pathParameters: Record<string, string> | null;
  stageVariables: Record<string, string> | null;
  /** The proxy event's requestContext (without `authorizer`); `context.X` identity sources read it. */
  requestContext: Record<string, unknown>;
}

/** `arn:aws:execute-api:{region}:{account}:{apiId}/{stage}/{VERB}/{path}` with the actual request path (R7.5). */
export function methodArn(api: ApiContext, httpMethod: string, path: string): string {
  const resource = path.startsWith('/') ? path.slice(1) : path;
  return `arn:aws:execute-api:${api.region}:${api.accountId}:${api.restApiId}/${api.stage}/${httpMethod.toUpperCase()}/${resource}`;
}

/** A header value by case-insensitive name (HTTP header names are case-insensitive). */
export function headerValue(headers: Record<string, string>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  for (const [key, value] of Object.entries(headers)) if (key.toLowerCase() === wanted) return value;
  return undefined;
}

/** The value of one identity source for a request, undefined when absent (R7.3). */
export function identitySourceValue(request: AuthorizerRequest, source: IdentitySource): string | undefined {
  switch (source.kind) {
    case 'header':
      return headerValue(request.headers, source.name);
    case 'querystring':
      return request.queryStringParameters?.[source.name];
    case 'stageVariables':
      return request.stageVariables?.[source.name];
    case 'context': {
      let node: unknown = request.requestContext;
      for (const part of source.name.split('.')) {
        node = node !== null && typeof node === 'object' ? (node as Record<string, unknown>)[part] : undefined;
      }
      return node === undefined || node === null ? undefined : String(node);
    }
  }
}

/** TOKEN event: `{type, authorizationToken, methodArn}` (R7.5). */
export function tokenEvent(token: string, arn: string): Record<string, unknown> {
  return { type: 'TOKEN', authorizationToken: token, methodArn: arn };
}

/** REQUEST event: the request's parts, absent maps as `{}` as in the real event (R7.8). */
export function requestEvent(request: AuthorizerRequest, arn: string): Record<string, unknown> {
  const { authorizer: _ignored, ...requestContext } = request.requestContext;
  return {
    type: 'REQUEST',
    methodArn: arn,
    resource: request.resource,
    path: request.path,
    httpMethod: request.httpMethod,
    headers: request.headers,
    multiValueHeaders: request.multiValueHeaders,
    queryStringParameters: request.queryStringParameters ?? {},
    multiValueQueryStringParameters: request.multiValueQueryStringParameters ?? {},
    pathParameters: request.pathParameters ?? {},
    stageVariables: request.stageVariables ?? {},
    requestContext,
  };
}
