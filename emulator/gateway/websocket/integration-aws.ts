/**
 * AWS (non-proxy) integrations of WebSocket routes (Developer Guide, "Setting up WebSocket API integration requests"
 * and "data transformations"): the request template chosen by the integration's TemplateSelectionExpression is
 * rendered with the connection's `$context` and the message as `$input`, then sent to the function (Lambda, not
 * proxied) or to the service the URI names (DynamoDB, SQS, SNS, EventBridge, Step Functions, Kinesis) on its local
 * endpoint, signed with the local credentials. The service's answer, whatever its status, goes through the integration
 * responses; one that none of them takes (no `/regex/` key matches its status, no `$default`) is a failed integration.
 */
import type { LambdaInvoker } from '../../lambda/types.js';
import type { LoadedTemplate } from '../../template/model.js';
import type { WebSocketIntegrationSpec } from '../../template/websocket-apis.js';
import { signRequest, type LocalCredentials } from '../../services/sigv4.js';
import { parseServiceUri, serviceEndpoint, type ServiceEndpoints, type ServiceUri } from '../aws-service-uri.js';
import { sendToEndpoint } from '../integration-http.js';
import { JSON_TARGETS } from '../integration-aws-service.js';
import { renderTemplate } from '../vtl/engine.js';
import { webSocketRequestContext, type Connection, type EventType } from './events.js';
import { evaluate } from './route-selection.js';

export interface WebSocketServices {
  endpoints: ServiceEndpoints;
  credentials: LocalCredentials;
  region: string;
}

/** What a request template sees of one connect, message or disconnect. */
export interface WebSocketRequest {
  connection: Connection;
  routeKey: string;
  eventType: EventType;
  requestId: string;
  now: number;
  /** The message's text ("" for $connect and $disconnect). */
  body: string;
  headers: [string, string][];
  query: [string, string][];
  messageId?: string;
}

export type AwsOutcome = { ok: true; status: number; body: string; functionLogicalId?: string } | { ok: false; why: string; functionLogicalId?: string };

/** DynamoDB speaks JSON 1.0 with its own target prefix (the REST gateway calls the embedded DynamoDB directly). */
const TARGETS: Record<string, { prefix: string; contentType: string }> = { ...JSON_TARGETS, dynamodb: { prefix: 'DynamoDB_20120810', contentType: 'application/x-amz-json-1.0' } };

/** Why an AWS integration cannot run here, or undefined when it can. */
export function awsIntegrationProblem(integration: WebSocketIntegrationSpec, template: Pick<LoadedTemplate, 'functionForUri'>, services: WebSocketServices | undefined): string | undefined {
  const fn = template.functionForUri(integration.uri);
  if (fn) return fn.unavailable ? `${fn.logicalId} cannot run locally: ${fn.unavailable}` : undefined;
  const uri = parseServiceUri(integration.uri);
  if (!uri) return `integration ${integration.location} has a URI that names no function of the template and no AWS service (${integration.uri})`;
  if (!serviceEndpoint(uri.service, services?.endpoints)) return `${uri.service} is not served locally (no AWS_ENDPOINT_URL_${uri.service.toUpperCase()})`;
  if (uri.kind === 'action' && !TARGETS[uri.service] && !['sqs', 'sns'].includes(uri.service)) return `${uri.service} action integrations are not emulated`;
  return undefined;
}

/** The integration's request, rendered as API Gateway renders it. */
export function renderRequest(integration: WebSocketIntegrationSpec, request: WebSocketRequest): { body: string; headers: Record<string, string> } {
  const context = { ...webSocketRequestContext(request.connection, request.routeKey, request.eventType, request.now, request.requestId), ...(request.messageId ? { messageId: request.messageId } : {}) };
  const params = { path: {}, querystring: Object.fromEntries(request.query), header: Object.fromEntries(request.headers) };
  const templates = integration.requestTemplates ?? {};
  // The expression's value picks the template; `$default` is the one for every other value ("\$default" is written escaped).
  const selected = integration.templateSelectionExpression === undefined ? undefined : evaluate(integration.templateSelectionExpression, request.body);
  const template = (selected !== undefined ? templates[selected] : undefined) ?? templates.$default;
  const body = template === undefined ? request.body : renderTemplate(template, { input: { body: request.body, params }, context, stageVariables: request.connection.stageVariables }).output;
  const headers: Record<string, string> = {};
  for (const [name, source] of Object.entries(integration.requestParameters ?? {})) {
    const header = /^integration\.request\.header\.(.+)$/.exec(name)?.[1];
    if (!header) continue;
    const value = parameterValue(source, request, context);
    if (value !== undefined) headers[header] = value;
  }
  return { body, headers };
}

/** `'static'`, `context.x`, `stageVariables.x`, `route.request.header.x`, `route.request.querystring.x`, `route.request.body.x`. */
function parameterValue(source: string, request: WebSocketRequest, context: Record<string, unknown>): string | undefined {
  const literal = /^'(.*)'$/s.exec(source);
  if (literal) return literal[1];
  const [, kind, name] = /^(context|stageVariables|route\.request\.header|route\.request\.querystring|route\.request\.body)\.(.+)$/.exec(source) ?? [];
  if (!name) return undefined;
  if (kind === 'context') return context[name] === undefined ? undefined : String(context[name]);
  if (kind === 'stageVariables') return request.connection.stageVariables[name];
  if (kind === 'route.request.header') return request.headers.find(([n]) => n.toLowerCase() === name.toLowerCase())?.[1];
  if (kind === 'route.request.querystring') return request.query.find(([n]) => n === name)?.[1];
  return evaluate(`\${request.body.${name}}`, request.body) || undefined;
}

/** Run the integration: the function's result or the service's answer. */
export async function runAwsIntegration(integration: WebSocketIntegrationSpec, request: WebSocketRequest, template: LoadedTemplate, invoker: LambdaInvoker, services: WebSocketServices | undefined): Promise<AwsOutcome> {
  const { body, headers } = renderRequest(integration, request);
  const fn = template.functionForUri(integration.uri);
  if (fn) return invokeFunction(fn.logicalId, body, headers, integration, invoker);
  const uri = parseServiceUri(integration.uri)!;
  const endpoint = serviceEndpoint(uri.service, services?.endpoints)!;
  const url = serviceUrl(endpoint.url, uri);
  const json = uri.kind === 'action' ? TARGETS[uri.service] : undefined;
  // As for REST AWS integrations: JSON asked for (query-protocol services then answer JSON, not XML).
  const unsigned: Record<string, string> = { accept: 'application/json', 'content-type': json?.contentType ?? 'application/json', ...lowerKeys(headers) };
  if (json && !unsigned['x-amz-target']) unsigned['x-amz-target'] = `${json.prefix}.${uri.target}`;
  const bytes = Buffer.from(body);
  const method = integration.method ?? 'POST';
  const signed = signRequest(services!.credentials, { method, url, headers: unsigned, body: bytes, region: uri.region || services!.region, service: uri.service });
  try {
    const answer = await sendToEndpoint({ method, url, headers: Object.entries(signed), body: bytes }, integration.timeoutMs);
    const text = answer.body.toString('utf8');
    // Any status is the service's answer: the integration responses (`/4\\d\\d/`, `$default`) decide what it becomes.
    return { ok: true, status: answer.status, body: text };
  } catch (error) {
    return { ok: false, why: `${uri.service} at ${endpoint.url} could not be reached: ${error instanceof Error ? error.message : String(error)}` };
  }
}

async function invokeFunction(logicalId: string, body: string, headers: Record<string, string>, integration: WebSocketIntegrationSpec, invoker: LambdaInvoker): Promise<AwsOutcome> {
  let event: unknown;
  try {
    event = JSON.parse(body === '' ? '{}' : body);
  } catch {
    return { ok: false, why: `the request template's output is not JSON, which Lambda refuses: ${body.slice(0, 200)}`, functionLogicalId: logicalId };
  }
  // X-Amz-Invocation-Type mapped in RequestParameters, as for REST (R2.10): Event is queued and answered at once with
  // no payload, the function's own failure never the route's; DryRun only checks the call could be made.
  const type = Object.entries(headers).find(([name]) => name.toLowerCase() === 'x-amz-invocation-type')?.[1] ?? 'RequestResponse';
  if (!['RequestResponse', 'Event', 'DryRun'].includes(type)) return { ok: false, why: `Lambda refuses X-Amz-Invocation-Type ${JSON.stringify(type)} (InvalidParameterValueException)`, functionLogicalId: logicalId };
  if (type !== 'RequestResponse') {
    if (type === 'Event') {
      if (invoker.invokeEvent) invoker.invokeEvent(logicalId, event, {});
      else void invoker.invoke(logicalId, event, {}).catch(() => undefined);
    }
    return { ok: true, status: 200, body: '', functionLogicalId: logicalId };
  }
  const outcome = await invoker.invoke(logicalId, event, { deadlineMs: integration.timeoutMs });
  if (outcome.kind === 'deadline-exceeded') return { ok: false, why: `${logicalId} did not answer within ${integration.timeoutMs} ms`, functionLogicalId: logicalId };
  if (outcome.kind === 'function-error') return { ok: false, why: `${logicalId} failed: ${outcome.errorType}: ${outcome.errorMessage}`, functionLogicalId: logicalId };
  return { ok: true, status: 200, body: outcome.payloadJson ?? JSON.stringify(outcome.payload ?? null), functionLogicalId: logicalId };
}

/** `path/<p>` appended to the endpoint; `action/<A>` at its root, `?Action=<A>` for query-protocol services. */
function serviceUrl(endpoint: string, uri: ServiceUri): URL {
  const url = new URL(endpoint);
  const base = url.pathname.replace(/\/+$/, '');
  url.pathname = uri.kind === 'path' ? `${base}/${uri.target}` : `${base}/`;
  if (uri.kind === 'action' && !TARGETS[uri.service]) url.searchParams.set('Action', uri.target);
  return url;
}

function lowerKeys(record: Record<string, string>): Record<string, string> {
  return Object.fromEntries(Object.entries(record).map(([k, v]) => [k.toLowerCase(), v]));
}

/**
 * What a two-way route sends back from an AWS integration's answer: the integration response whose `/regex/` key
 * matches the status (else `$default`), its template chosen by its TemplateSelectionExpression rendered with the
 * answer as `$input`, or the answer as it is when no template is chosen. Undefined when no integration response applies.
 */
export function mappedResponse(integration: WebSocketIntegrationSpec, status: number, body: string, request: WebSocketRequest): string | undefined {
  const responses = integration.responses ?? [];
  const matching = responses.find((r) => {
    const pattern = /^\/(.*)\/$/s.exec(r.key)?.[1];
    return pattern !== undefined && new RegExp(`^(?:${pattern})$`).test(String(status));
  });
  const response = matching ?? responses.find((r) => r.key === '$default');
  if (!response) return undefined;
  const key = response.templateSelectionExpression === undefined ? undefined : evaluate(response.templateSelectionExpression.replace('${integration.response.statuscode}', String(status)), body);
  const template = key === undefined ? undefined : response.templates?.[key];
  if (template === undefined) return body;
  const context = webSocketRequestContext(request.connection, request.routeKey, request.eventType, request.now, request.requestId);
  return renderTemplate(template, { input: { body, params: { path: {}, querystring: {}, header: {} } }, context, stageVariables: request.connection.stageVariables }).output;
}
