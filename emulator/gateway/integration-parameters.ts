/**
 * Integration request parameters (R2.10): `requestParameters` maps method request values, `context.*`,
 * `stageVariables.*` and 'static' values to the integration request's headers, query string and path.
 */
import { contextVariables, type ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import { reachesIntegration } from './header-table.js';
import { headerValue, type RequestState } from './request-state.js';
import { gatewayAddedHeaders } from './proxy-event.js';
import { isObject, type Json } from './routes.js';
import { evaluateJsonPath } from './vtl/jsonpath.js';

export interface IntegrationParameters {
  header: Record<string, string>;
  querystring: Record<string, string[]>;
  path: Record<string, string>;
}

/** Headers API Gateway refuses to set on an integration request at run time ("header already present": 500). */
const REFUSED_HEADERS = new Set(['content-length', 'transfer-encoding', 'x-amzn-trace-id', 'x-amzn-apigateway-api-id']);
/** Also refused when the integration calls an AWS service (Lambda included). */
const REFUSED_AWS_HEADERS = new Set(['authorization', 'connection', 'expect', 'proxy-authenticate', 'te']);

const TARGET = /^integration\.request\.(header|querystring|path)\.(.+)$/;

function jsonText(value: unknown): string | undefined {
  if (value === undefined || value === null) return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** The values one source expression yields: none when the method request lacks it. Throws on an expression AWS would not deploy. */
function sourceValues(expr: string, state: RequestState, env: ApiEnvironment): string[] {
  const quoted = /^'(.*)'$/s.exec(expr);
  if (quoted) return [quoted[1] as string];
  const [root, ...rest] = expr.split('.');
  const name = rest.join('.');
  if (root === 'stageVariables') return [env.stageVariables?.[name]].filter((v): v is string => v !== undefined);
  if (root === 'context') {
    const value = rest.reduce<unknown>((node, key) => (isObject(node) ? node[key] : undefined), contextVariables(state, env));
    return [jsonText(value)].filter((v): v is string => v !== undefined);
  }
  const method = /^method\.request\.(path|querystring|multivaluequerystring|header|multivalueheader|body)(?:\.(.+))?$/.exec(expr);
  const [, kind, key] = method ?? [];
  const body = new TextDecoder().decode(state.body);
  // The headers API Gateway sets (X-Forwarded-*, the trace) are the method request's, whatever the caller sent (R1.13).
  const added = kind === 'header' || kind === 'multivalueheader' ? gatewayAddedHeaders(state).find(([name]) => name.toLowerCase() === key?.toLowerCase()) : undefined;
  if (added) return [added[1]];
  switch (kind) {
    case 'path':
      return [state.route?.pathParameters?.[key ?? '']].filter((v): v is string => v !== undefined);
    case 'querystring':
      return state.query.filter(([k]) => k === key).slice(-1).map(([, v]) => v);
    case 'multivaluequerystring':
      return state.query.filter(([k]) => k === key).map(([, v]) => v);
    case 'header':
      return [headerValue(state.headers.filter(([n]) => reachesIntegration(n)), key ?? '')].filter((v): v is string => v !== undefined);
    case 'multivalueheader': {
      const values = state.headers.filter(([n]) => n.toLowerCase() === key?.toLowerCase() && reachesIntegration(n)).map(([, v]) => v);
      return values.length > 0 ? [values.join(',')] : [];
    }
    case 'body':
      if (key === undefined) return [body];
      try {
        return [jsonText(evaluateJsonPath(JSON.parse(body) as unknown, `$.${key}`))].filter((v): v is string => v !== undefined);
      } catch {
        return [];
      }
    default:
      throw new GatewayError('API_CONFIGURATION_ERROR', { log: `requestParameters value "${expr}" is not a mapping expression API Gateway accepts (R2.10)` });
  }
}

/**
 * R2.10: the integration request parameters `requestParameters` maps for this request. A source the request lacks
 * maps nothing; a header API Gateway may not set (Content-Length, X-Amzn-Trace-Id, and for AWS integrations
 * Authorization, Connection...) is refused at run time with a 500, as AWS does.
 */
export function integrationParameters(integration: Json, state: RequestState, env: ApiEnvironment, awsIntegration: boolean): IntegrationParameters {
  const mapped: IntegrationParameters = { header: {}, querystring: {}, path: {} };
  const entries = isObject(integration.requestParameters) ? Object.entries(integration.requestParameters) : [];
  for (const [key, expr] of entries) {
    const target = TARGET.exec(key);
    if (!target || typeof expr !== 'string') {
      throw new GatewayError('API_CONFIGURATION_ERROR', { log: `requestParameters key "${key}" is not integration.request.{header|querystring|path}.<name> (R2.10)` });
    }
    const [, where, name] = target as unknown as [string, 'header' | 'querystring' | 'path', string];
    const values = sourceValues(expr, state, env);
    if (values.length === 0) continue;
    if (where === 'header') {
      const lower = name.toLowerCase();
      if (REFUSED_HEADERS.has(lower) || (awsIntegration && REFUSED_AWS_HEADERS.has(lower))) {
        throw new GatewayError('API_CONFIGURATION_ERROR', { log: `Execution failed due to configuration error: ${name} header already present (requestParameters ${key})` });
      }
      mapped.header[name] = values.join(',');
    } else if (where === 'querystring') mapped.querystring[name] = values;
    else mapped.path[name] = values.join(',');
  }
  return mapped;
}
