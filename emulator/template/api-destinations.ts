/**
 * AWS::Events::ApiDestination and AWS::Events::Connection → ApiDestinationSpec: the HTTP endpoints an EventBridge rule
 * or pipe target calls, with the authorization and the extra parameters of its connection (EventBridge User Guide,
 * "API destinations as targets"; CloudFormation's AWS::Events::Connection AuthParameters).
 */
import type { ApiDestinationSpec, ConnectionAuthorization, ConnectionHttpParameters, EventConnectionSpec } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string => (typeof v === 'string' ? v : v === undefined || v === null ? '' : String(v));

/** The methods EventBridge accepts for an API destination (any but CONNECT and TRACE). */
const METHODS = new Set(['POST', 'GET', 'HEAD', 'OPTIONS', 'PUT', 'PATCH', 'DELETE']);

/** ConnectionHttpParameters: lists of `{Key, Value}` (IsValueSecret only hides a value from Describe calls). */
function httpParameters(value: unknown): ConnectionHttpParameters {
  const list = (v: unknown): [string, string][] => (Array.isArray(v) ? v.filter(isRecord).filter((p) => typeof p.Key === 'string').map((p) => [p.Key as string, text(p.Value)]) : []);
  const params = isRecord(value) ? value : {};
  return { headers: list(params.HeaderParameters), query: list(params.QueryStringParameters), body: list(params.BodyParameters) };
}

/** A connection's authorization, or why EventBridge would refuse it. */
function authorizationOf(props: Record<string, unknown>): ConnectionAuthorization | string {
  const auth = isRecord(props.AuthParameters) ? props.AuthParameters : {};
  switch (props.AuthorizationType) {
    case 'API_KEY': {
      const key = isRecord(auth.ApiKeyAuthParameters) ? auth.ApiKeyAuthParameters : undefined;
      return key && typeof key.ApiKeyName === 'string' ? { type: 'API_KEY', name: key.ApiKeyName, value: text(key.ApiKeyValue) } : 'AuthParameters.ApiKeyAuthParameters has no ApiKeyName';
    }
    case 'BASIC': {
      const basic = isRecord(auth.BasicAuthParameters) ? auth.BasicAuthParameters : undefined;
      return basic ? { type: 'BASIC', username: text(basic.Username), password: text(basic.Password) } : 'AuthParameters.BasicAuthParameters is missing';
    }
    case 'OAUTH_CLIENT_CREDENTIALS': {
      const oauth = isRecord(auth.OAuthParameters) ? auth.OAuthParameters : undefined;
      if (!oauth || typeof oauth.AuthorizationEndpoint !== 'string') return 'AuthParameters.OAuthParameters has no AuthorizationEndpoint';
      const client = isRecord(oauth.ClientParameters) ? oauth.ClientParameters : {};
      return { type: 'OAUTH_CLIENT_CREDENTIALS', endpoint: oauth.AuthorizationEndpoint, method: text(oauth.HttpMethod || 'POST').toUpperCase(), clientId: text(client.ClientID ?? client.ClientId), clientSecret: text(client.ClientSecret), parameters: httpParameters(oauth.OAuthHttpParameters) };
    }
    default:
      return `AuthorizationType ${text(props.AuthorizationType) || '(none)'} is not API_KEY, BASIC or OAUTH_CLIENT_CREDENTIALS`;
  }
}

/** Every connection of the template, with its authorization (or why EventBridge would refuse it). */
export function loadConnections(stack: Stack): EventConnectionSpec[] {
  return Object.entries(stack.resources)
    .filter(([, res]) => res.Type === 'AWS::Events::Connection')
    .map(([id, res]) => {
      const props = stack.resolve(res.Properties ?? {}, `Resources.${id}.Properties`) as Record<string, unknown>;
      const auth = isRecord(props.AuthParameters) ? props.AuthParameters : {};
      return { logicalId: id, arn: stack.arn(id, 'Arn'), authorization: authorizationOf(props), invocation: httpParameters(auth.InvocationHttpParameters) };
    });
}

/** A connection named by its ARN (GetAtt Arn) or its name (Ref). */
export function connectionNamed(stack: Stack, connections: EventConnectionSpec[], value: unknown): EventConnectionSpec | undefined {
  return connections.find((c) => c.arn === value || stack.physicalName(c.logicalId) === value);
}

/** Every API destination of the template, each with its connection (or the reason its deliveries fail). */
export function loadApiDestinations(stack: Stack, connections: EventConnectionSpec[]): ApiDestinationSpec[] {
  return Object.entries(stack.resources)
    .filter(([, res]) => res.Type === 'AWS::Events::ApiDestination')
    .map(([id, res]) => {
      const props = stack.resolve(res.Properties ?? {}, `Resources.${id}.Properties`) as Record<string, unknown>;
      const method = text(props.HttpMethod).toUpperCase();
      const rate = Number(props.InvocationRateLimitPerSecond);
      const spec: ApiDestinationSpec = { logicalId: id, arn: stack.arn(id, 'Arn'), endpoint: text(props.InvocationEndpoint), method, ...(Number.isFinite(rate) && rate > 0 ? { rateLimitPerSecond: rate } : {}) };
      // ConnectionArn is the connection's GetAtt Arn; its name (Ref) is taken too.
      const connection = connectionNamed(stack, connections, props.ConnectionArn);
      if (!connection) spec.problem = `its ConnectionArn ${text(props.ConnectionArn) || '(none)'} is not a connection of this template`;
      else if (typeof connection.authorization === 'string') spec.problem = `its connection ${connection.logicalId}: ${connection.authorization}`;
      else spec.connection = { logicalId: connection.logicalId, authorization: connection.authorization, invocation: connection.invocation };
      if (!METHODS.has(method)) spec.problem ??= `HttpMethod ${method || '(none)'} is not one EventBridge calls (POST, GET, HEAD, OPTIONS, PUT, PATCH, DELETE)`;
      if (!/^https?:\/\/[^/]/i.test(spec.endpoint)) spec.problem ??= `InvocationEndpoint ${spec.endpoint || '(none)'} is not a URL`;
      return spec;
    });
}
