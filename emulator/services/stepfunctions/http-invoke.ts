/**
 * Step Functions' HTTP Task (`arn:aws:states:::http:invoke`, developer guide "Call HTTPS APIs in Step Functions
 * workflows"): the task calls its ApiEndpoint with its Method, QueryParameters, Headers and RequestBody, authorized by
 * the EventBridge connection its Authentication.ConnectionArn names (one of the template's), whose parameters are
 * merged in (the connection's values win). A 2xx answer is `{Headers, ResponseBody, StatusCode, StatusText}`; any other
 * fails the task with `States.Http.StatusCode.<status>`; no answer within 60 seconds is `States.Http.Socket`.
 */
import { STATUS_CODES } from 'node:http';
import type { ConnectionHttpParameters } from '../../template/model.js';
import { sendAuthorized, TimeoutError, withQuery, type ConnectionUse, type OAuthTokens } from '../eventbridge/connection-auth.js';
import { responseBody, responseHeaders } from './apigateway-invoke.js';
import { isJsonObject, StatesError, type Json } from './json.js';

/** The template's connections as HTTP Tasks reach them. */
export interface HttpTaskConnections {
  /** A connection by its ARN: its use, or why it cannot be used; undefined when it is not the template's. */
  connection(arn: string): ConnectionUse | string | undefined;
  tokens: OAuthTokens;
  /** A deployed URL of the template's APIs made its local one. */
  localUrl?: (url: string) => string;
  region: string;
  /** The task's limit: 60 s by default, as Step Functions'. */
  timeoutMs?: number;
}

const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'HEAD'];
/** The most of an answer Step Functions reads (its Range header asks for it). */
const ANSWER_BYTES = 262_144;
const ARRAY_FORMATS = ['INDICES', 'REPEAT', 'COMMAS', 'BRACKETS'];

const invalid = (message: string): StatesError => new StatesError('States.Runtime', `http:invoke: ${message}`);
const text = (v: Json): string => (typeof v === 'string' ? v : JSON.stringify(v));

/** A JSON object as form fields: nested objects as `a[b]`, arrays as the ArrayFormat says (INDICES by default). */
function formFields(value: Json, key: string, format: string, out: [string, string][]): [string, string][] {
  if (Array.isArray(value)) {
    if (format === 'COMMAS') out.push([key, value.map(text).join(',')]);
    else value.forEach((item, i) => formFields(item, format === 'REPEAT' ? key : format === 'BRACKETS' ? `${key}[]` : `${key}[${i}]`, format, out));
  } else if (isJsonObject(value)) {
    for (const [name, item] of Object.entries(value)) formFields(item, key === '' ? name : `${key}[${name}]`, format, out);
  } else if (value !== null) out.push([key, text(value)]);
  return out;
}

/** The request body and its type: a JSON object (the connection's body parameters merged in), form-encoded or JSON; text as it is. */
function bodyOf(parameters: Record<string, Json>, connection: ConnectionHttpParameters): { body?: string; type?: string } {
  const requested = parameters.RequestBody;
  const transform = isJsonObject(parameters.Transform ?? null) ? (parameters.Transform as Record<string, Json>) : {};
  const encoding = transform.RequestBodyEncoding ?? 'NONE';
  if (encoding !== 'NONE' && encoding !== 'URL_ENCODED') throw invalid('Transform.RequestBodyEncoding must be NONE or URL_ENCODED');
  const options = isJsonObject(transform.RequestEncodingOptions ?? null) ? (transform.RequestEncodingOptions as Record<string, Json>) : {};
  const format = options.ArrayFormat ?? 'INDICES';
  if (typeof format !== 'string' || !ARRAY_FORMATS.includes(format)) throw invalid(`Transform.RequestEncodingOptions.ArrayFormat must be one of ${ARRAY_FORMATS.join(', ')}`);
  if (requested === undefined && connection.body.length === 0) return {};
  if (typeof requested === 'string') return { body: requested };
  if (requested !== undefined && !isJsonObject(requested)) throw invalid('RequestBody must be a JSON object or a string');
  const merged: Record<string, Json> = { ...(requested ?? {}), ...Object.fromEntries(connection.body) };
  if (encoding === 'URL_ENCODED') return { body: new URLSearchParams(formFields(merged, '', format, [])).toString(), type: 'application/x-www-form-urlencoded' };
  return { body: JSON.stringify(merged), type: 'application/json' };
}

/** Runs an `http:invoke` task as Step Functions does (see the module's comment). */
export async function invokeHttp(parameters: Record<string, Json>, connections: HttpTaskConnections | undefined, signal: AbortSignal): Promise<Json> {
  const { ApiEndpoint: endpoint, Method: method, Authentication: authentication } = parameters;
  if (typeof endpoint !== 'string') throw invalid('the field ApiEndpoint (a string) is required');
  if (typeof method !== 'string' || !METHODS.includes(method.toUpperCase())) throw invalid(`Method must be one of ${METHODS.join(', ')}`);
  const arn = isJsonObject(authentication ?? null) ? (authentication as Record<string, Json>).ConnectionArn : undefined;
  if (typeof arn !== 'string') throw invalid('the field Authentication.ConnectionArn (a string) is required');
  const connection = connections?.connection(arn);
  if (!connections || connection === undefined) throw new StatesError('States.Runtime', `http:invoke is not run by the local emulator: ConnectionArn ${arn} names no connection of this template`);
  if (typeof connection === 'string') throw new StatesError('States.Runtime', `http:invoke: the connection ${arn}: ${connection}`);
  let url: URL;
  try {
    url = new URL(connections.localUrl ? connections.localUrl(endpoint) : endpoint);
  } catch {
    throw invalid(`ApiEndpoint ${endpoint} is not a URL`);
  }
  const query = parameters.QueryParameters;
  if (query !== undefined && !isJsonObject(query)) throw invalid('QueryParameters must be a JSON object');
  withQuery(url, Object.entries(query ?? {}).flatMap(([k, v]): [string, string][] => (v === null ? [] : [[k, text(v)]])));
  withQuery(url, connection.invocation.query);
  const requestedHeaders = parameters.Headers;
  if (requestedHeaders !== undefined && !isJsonObject(requestedHeaders)) throw invalid('Headers must be a JSON object');
  const { body, type } = bodyOf(parameters, connection.invocation);
  const headers: Record<string, string> = {
    ...(type ? { 'Content-Type': type } : {}),
    ...Object.fromEntries(Object.entries(requestedHeaders ?? {}).flatMap(([k, v]): [string, string][] => (v === null ? [] : [[k, text(v)]]))),
    ...Object.fromEntries(connection.invocation.headers),
    'User-Agent': `Amazon|StepFunctions|HttpInvoke|${connections.region}`,
    Range: `bytes=0-${ANSWER_BYTES}`,
  };
  let answer;
  try {
    answer = await sendAuthorized(url, method.toUpperCase(), headers, body, connection, connections.tokens, { timeoutMs: connections.timeoutMs ?? 60_000, timeoutText: "Step Functions' limit for an HTTP Task", maxBytes: ANSWER_BYTES, signal });
  } catch (error) {
    if (signal.aborted) throw error;
    // No answer: the task's socket error (Step Functions names a timeout so; a refused connection is taken as one).
    throw new StatesError('States.Http.Socket', error instanceof TimeoutError ? error.message : `${url.origin}${url.pathname}: ${(error as Error).message}`);
  }
  const result = { Headers: responseHeaders(answer.rawHeaders), ResponseBody: responseBody(answer.contentType, answer.text), StatusCode: answer.status, StatusText: answer.statusText || STATUS_CODES[answer.status] || '' };
  if (answer.status < 200 || answer.status > 299) throw new StatesError(`States.Http.StatusCode.${answer.status}`, JSON.stringify(result));
  return result;
}
