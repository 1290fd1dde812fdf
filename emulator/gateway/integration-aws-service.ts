/**
 * AWS service integrations other than Lambda and DynamoDB (SQS, SNS, EventBridge, Step Functions, Kinesis, S3...),
 * forwarded to the endpoint the user configured for that service (AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL
 * in the gateway's environment), signed with the local credentials. Without one the route is not emulated.
 */
import { signRequest, type LocalCredentials } from '../services/sigv4.js';
import { parseServiceUri, serviceEndpoint, type ServiceEndpoints, type ServiceUri } from './aws-service-uri.js';
import type { ApiEnvironment } from './context.js';
import { GatewayError } from './gateway-responses.js';
import { callEndpoint, fillPathVariables, integrationMethod, mappedQuery, mappedRequest, nonProxyBaseHeaders, requestHeaders, withQuery } from './integration-http.js';
import { endpointResult, integrationTimeout, respondFromIntegration } from './integration-request.js';
import type { MethodResponse } from './integration-response.js';
import type { HeaderList, RequestState } from './request-state.js';
import type { OperationRoute } from './routes.js';

/** Where forwarded service calls go and how they are signed. */
export interface AwsServiceTarget {
  /** The environment holding AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL (the gateway's own by default). */
  endpoints: ServiceEndpoints;
  credentials: LocalCredentials;
  /** Region to sign with when the URI leaves it empty. */
  region: string;
}

/** JSON-protocol services: an `action/` call names its operation in X-Amz-Target, as their SDKs do. */
export const JSON_TARGETS: Record<string, { prefix: string; contentType: string }> = {
  states: { prefix: 'AWSStepFunctions', contentType: 'application/x-amz-json-1.0' },
  events: { prefix: 'AWSEvents', contentType: 'application/x-amz-json-1.1' },
  kinesis: { prefix: 'Kinesis_20131202', contentType: 'application/x-amz-json-1.1' },
  firehose: { prefix: 'Firehose_20150804', contentType: 'application/x-amz-json-1.1' },
  logs: { prefix: 'Logs_20140328', contentType: 'application/x-amz-json-1.1' },
};

/** The URL API Gateway would call, on the configured endpoint: `path/` appended to it, `action/` as `?Action=` (query protocol). */
function serviceUrl(endpoint: string, uri: ServiceUri, state: RequestState, path: Record<string, string>): URL {
  const url = new URL(endpoint);
  const base = url.pathname.replace(/\/+$/, '');
  if (uri.kind === 'path') {
    url.pathname = `${base}/${fillPathVariables(uri.target, state, { header: {}, querystring: {}, path })}`;
  } else {
    url.pathname = `${base}/`;
    if (!JSON_TARGETS[uri.service]) url.searchParams.set('Action', uri.target);
  }
  return url;
}

/** For a JSON-protocol action, X-Amz-Target and its Content-Type, unless the integration maps them itself. */
function protocolHeaders(uri: ServiceUri, mapped: Record<string, string>): HeaderList {
  const json = uri.kind === 'action' ? JSON_TARGETS[uri.service] : undefined;
  if (!json) return [];
  const has = (name: string) => Object.keys(mapped).some((k) => k.toLowerCase() === name);
  return [...(has('x-amz-target') ? [] : [['X-Amz-Target', `${json.prefix}.${uri.target}`] as [string, string]]), ...(has('content-type') ? [] : [['Content-Type', json.contentType] as [string, string]])];
}

/** Header pairs as one record for signing (a later pair wins, as the Content-Type a protocol needs over the caller's). */
function headerRecord(headers: HeaderList): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of headers) out[name.toLowerCase()] = value;
  return out;
}

/**
 * R12: the mapped request (requestParameters, request template or passthrough) sent with the integration's
 * httpMethod to the configured endpoint, SigV4-signed for the URI's service and region with the local credentials;
 * the integration response is selected by the endpoint's status and mapped (R2.6-R2.12).
 */
export async function runAwsService(op: OperationRoute, state: RequestState, env: ApiEnvironment, target: AwsServiceTarget | undefined, binaryMediaTypes: string[] = []): Promise<MethodResponse> {
  const integration = op.integration ?? {};
  const uri = parseServiceUri(integration.uri);
  const endpoint = uri && serviceEndpoint(uri.service, target?.endpoints);
  if (!uri || !endpoint || !target) {
    throw new GatewayError('API_CONFIGURATION_ERROR', { log: `${op.location}: integration uri ${JSON.stringify(integration.uri)} has no configured endpoint to forward to` });
  }
  const { body, params } = mappedRequest(integration, state, env, true);
  const url = withQuery(serviceUrl(endpoint.url, uri, state, params.path), mappedQuery(params));
  const method = integrationMethod(integration, state, 'POST');
  const unsigned = headerRecord([...requestHeaders(nonProxyBaseHeaders(state, env, body.byteLength), params, state, env), ...protocolHeaders(uri, params.header)]);
  const signed = signRequest(target.credentials, { method, url, headers: unsigned, body, region: uri.region || target.region, service: uri.service });
  const answer = await callEndpoint(op, { method, url, headers: Object.entries(signed), body }, integrationTimeout(integration));
  const headers: Record<string, string> = {};
  for (const [n, v] of answer.headers) headers[n.toLowerCase()] = v;
  return respondFromIntegration(op, endpointResult(answer.status, headers, answer.body, binaryMediaTypes), state, env, binaryMediaTypes);
}
