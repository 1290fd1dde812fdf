/**
 * An HTTP API's AWS service integration (`integrationSubtype`, DG "Integration subtype reference"): the subtype's
 * parameters evaluated on the request, sent as the service's API call to the endpoint the user configured for that
 * service (AWS_ENDPOINT_URL_<SERVICE> or AWS_ENDPOINT_URL), SigV4-signed with the local credentials; the service's
 * answer comes back to the client as it was sent. Without an endpoint the route is not emulated (report.ts).
 */
import type { HttpIntegrationSpec } from '../../template/model.js';
import { SERVICE_SUBTYPES, type ServiceParameterKind, type ServiceSubtype } from '../../template/http-service-subtypes.js';
import { signRequest } from '../../services/sigv4.js';
import { serviceEndpoint } from '../aws-service-uri.js';
import { JSON_TARGETS, type AwsServiceTarget } from '../integration-aws-service.js';
import type { Reply } from '../reply.js';
import type { HttpApiContext } from './events.js';
import { HttpGatewayError } from './errors.js';
import { answerOf } from './integration-http-proxy.js';
import { mappedValue, requestLookup } from './parameter-mapping.js';
import type { HttpRequestState } from './state.js';

type Value = string | number | string[] | Record<string, unknown>;

/** A parameter's text as the action's value; a text that cannot be one is an error naming the parameter. */
function typed(name: string, kind: ServiceParameterKind, text: string): Value {
  if (kind === 'integer') {
    if (!/^-?\d+$/.test(text.trim())) throw new Error(`${name} is no integer: ${JSON.stringify(text)}`);
    return Number(text);
  }
  if (kind === 'blob') return Buffer.from(text, 'utf8').toString('base64');
  if (kind === 'map') {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new Error(`${name} is no JSON object: ${JSON.stringify(text.slice(0, 200))}`);
    }
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new Error(`${name} is no JSON object`);
    return parsed as Record<string, unknown>;
  }
  if (kind === 'list') {
    // A JSON array of texts, else a comma-separated list.
    try {
      const parsed: unknown = JSON.parse(text);
      if (Array.isArray(parsed)) return parsed.map(String);
    } catch {
      // not JSON
    }
    return text.split(',').map((item) => item.trim()).filter(Boolean);
  }
  return text;
}

/** Each parameter evaluated on the request; one whose value is missing (an absent header, no such body field) is left out. */
export function evaluatedParameters(spec: ServiceSubtype, written: Record<string, string>, state: HttpRequestState, api: HttpApiContext): { values: Record<string, Value>; region?: string } {
  const lookup = requestLookup(state, api);
  const values: Record<string, Value> = {};
  let region: string | undefined;
  for (const [name, raw] of Object.entries(written)) {
    const text = mappedValue(raw, lookup);
    if (text === undefined || text === '') continue;
    if (name === 'Region') region = text;
    else values[name] = typed(name, spec.parameters[name] ?? 'string', text);
  }
  return region === undefined ? { values } : { values, region };
}

/** SQS's query protocol: maps and lists flattened as `MessageAttribute.1.Name`, `AttributeName.1`... */
function queryForm(action: string, values: Record<string, Value>): string {
  const form = new URLSearchParams({ Action: action, Version: '2012-11-05' });
  const singular: Record<string, string> = { MessageAttributes: 'MessageAttribute', MessageSystemAttributes: 'MessageSystemAttribute', AttributeNames: 'AttributeName', MessageAttributeNames: 'MessageAttributeName' };
  for (const [name, value] of Object.entries(values)) {
    const prefix = singular[name] ?? name;
    if (Array.isArray(value)) value.forEach((item, i) => form.append(`${prefix}.${i + 1}`, item));
    else if (typeof value === 'object') {
      Object.entries(value).forEach(([key, attribute], i) => {
        form.append(`${prefix}.${i + 1}.Name`, key);
        for (const [field, fieldValue] of Object.entries(attribute && typeof attribute === 'object' ? attribute : { StringValue: attribute })) {
          if (Array.isArray(fieldValue)) fieldValue.forEach((item, j) => form.append(`${prefix}.${i + 1}.Value.${field}.${j + 1}`, String(item)));
          else form.append(`${prefix}.${i + 1}.Value.${field}`, String(fieldValue));
        }
      });
    } else form.append(name, String(value));
  }
  return form.toString();
}

interface ServiceCall {
  method: string;
  url: URL;
  headers: Record<string, string>;
  body: string;
}

/** The action's request as the service's SDK would send it, on the configured endpoint. */
export function serviceCall(spec: ServiceSubtype, values: Record<string, Value>, endpoint: string): ServiceCall {
  const url = new URL(endpoint);
  const base = url.pathname.replace(/\/+$/, '');
  // The protocol the service's SDK speaks: JSON (as the REST gateway's calls), query (SQS) or REST (AppConfig).
  const json = JSON_TARGETS[spec.service];
  if (json) {
    url.pathname = `${base}/`;
    // PutEvents sends a list of entries: the parameters make its one entry.
    // Step Functions' members are camelCase on the wire (stateMachineArn, input) where the subtype names them StateMachineArn.
    const members = spec.service === 'states' ? Object.fromEntries(Object.entries(values).map(([k, v]) => [k.charAt(0).toLowerCase() + k.slice(1), v])) : values;
    const payload = spec.action === 'PutEvents' ? { Entries: [values] } : members;
    return { method: 'POST', url, headers: { 'content-type': json.contentType, 'x-amz-target': `${json.prefix}.${spec.action}` }, body: JSON.stringify(payload) };
  }
  if (spec.service === 'appconfig') {
    const part = (name: string) => encodeURIComponent(String(values[name] ?? ''));
    url.pathname = `${base}/applications/${part('Application')}/environments/${part('Environment')}/configurations/${part('Configuration')}`;
    url.searchParams.set('client_id', String(values.ClientId ?? ''));
    if (values.ClientConfigurationVersion !== undefined) url.searchParams.set('client_configuration_version', String(values.ClientConfigurationVersion));
    return { method: 'GET', url, headers: {}, body: '' };
  }
  url.pathname = `${base}/`;
  // No Accept: SQS answers its XML, which HTTP APIs pass on (the serverless-patterns READMEs of HTTP API SQS-SendMessage
  // routes show `<SendMessageResponse xmlns=...>`); REST integrations ask for JSON (R12).
  return { method: 'POST', url, headers: { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' }, body: queryForm(spec.action, values) };
}

/**
 * Calls the subtype's action. [AMBIGUOUS] (choices, README): parameters that make no valid call (a MessageAttributes
 * text that is no JSON object) answer 500, as a failed integration (H10.4); an endpoint that cannot be reached 500,
 * one that does not answer within timeoutInMillis 503 (H10.5), as the HTTP proxy integration here.
 */
export async function runHttpAwsService(integration: HttpIntegrationSpec, state: HttpRequestState, api: HttpApiContext, target: AwsServiceTarget | undefined): Promise<Reply> {
  const spec = SERVICE_SUBTYPES[integration.subtype ?? ''];
  const endpoint = spec && serviceEndpoint(spec.service, target?.endpoints);
  if (!spec || !endpoint || !target) throw new HttpGatewayError(500, `integration subtype ${integration.subtype}: no endpoint configured to forward it to`);
  let call: ServiceCall;
  let region: string | undefined;
  try {
    const evaluated = evaluatedParameters(spec, integration.serviceParameters ?? {}, state, api);
    region = evaluated.region;
    call = serviceCall(spec, evaluated.values, endpoint.url);
  } catch (error) {
    throw new HttpGatewayError(500, `${integration.subtype}: ${(error as Error).message}`);
  }
  const signed = signRequest(target.credentials, { ...call, region: region ?? target.region, service: spec.service });
  const body = new TextEncoder().encode(call.body);
  return answerOf({ method: call.method, url: call.url, headers: Object.entries(signed), body }, integration.timeoutInMillis, `${integration.subtype} ${call.method} ${call.url.href}`);
}
