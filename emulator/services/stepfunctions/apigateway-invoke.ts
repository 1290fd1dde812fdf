/**
 * Step Functions' optimized API Gateway integration (`arn:aws:states:::apigateway:invoke`, developer guide "Create
 * API Gateway REST APIs with Step Functions"): the task calls one of the template's APIs on the local port it listens
 * on, named by its `ApiEndpoint` (`<apiId>.execute-api.<region>.amazonaws.com`).
 */
import { request as httpRequest, STATUS_CODES, type IncomingMessage } from 'node:http';
import { signRequest, type LocalCredentials } from '../sigv4.js';
import { isJsonObject, StatesError, type Json } from './json.js';

/** The template's APIs as the tasks reach them: read at task time, since the APIs listen after Step Functions starts. */
export interface LocalApis {
  /** The origin an API listens on (`http://127.0.0.1:3002`), by its API id; undefined for an API not served here. */
  origin(apiId: string): string | undefined;
  credentials: LocalCredentials;
  /** The template's region, which IAM_ROLE requests are signed for. */
  region: string;
}

const ENDPOINT = /^([0-9a-z]+)\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?$/;
const METHODS = ['GET', 'POST', 'PUT', 'DELETE', 'PATCH', 'HEAD', 'OPTIONS'];
const AUTH_TYPES = ['NO_AUTH', 'IAM_ROLE', 'RESOURCE_POLICY'];
/** Headers a task may not set (the guide's list, for security considerations). */
const FORBIDDEN_HEADERS = /^(x-forwarded|x-amz)|^(authorization|connection|content-md5|expect|host|max-forwards|proxy-authenticate|server|te|transfer-encoding|trailer|upgrade|via|www-authenticate)$/i;

const invalid = (message: string): StatesError => new StatesError('States.Runtime', `apigateway:invoke: ${message}`);

/** A field of header or query values: a list of strings (a lone string taken as a list of one); null values are not sent. */
function valueLists(field: string, value: Json | undefined): [string, string[]][] {
  if (value === undefined || value === null) return [];
  if (!isJsonObject(value)) throw invalid(`${field} must be a JSON object of lists of strings`);
  return Object.entries(value).flatMap(([name, v]): [string, string[]][] => {
    if (v === null) return [];
    // The guide's own .waitForTaskToken example gives a header a single string: taken as a list of one.
    const list = typeof v === 'string' ? [v] : v;
    if (!Array.isArray(list) || !list.every((item) => typeof item === 'string' || item === null)) throw invalid(`${field}.${name} must be a list of strings`);
    return [[name, list.filter((item): item is string => item !== null)]];
  });
}

/** Null fields dropped, as Step Functions does unless AllowNullValues is true. */
function withoutNulls(value: Json): Json {
  if (Array.isArray(value)) return value.map(withoutNulls);
  if (!isJsonObject(value)) return value;
  return Object.fromEntries(Object.entries(value).flatMap(([k, v]) => (v === null ? [] : [[k, withoutNulls(v)]])));
}

/** The response's headers as lists of values, names as the API sent them (from node's rawHeaders). */
export function responseHeaders(rawHeaders: string[]): Record<string, string[]> {
  const headers: Record<string, string[]> = {};
  const names = new Map<string, string>();
  for (let i = 0; i + 1 < rawHeaders.length; i += 2) {
    const raw = rawHeaders[i]!;
    const name = names.get(raw.toLowerCase()) ?? raw;
    names.set(raw.toLowerCase(), name);
    (headers[name] ??= []).push(rawHeaders[i + 1]!);
  }
  return headers;
}

/** A JSON answer is the JSON it holds; any other (or JSON that does not parse) stays text. */
export function responseBody(contentType: string, text: string): Json {
  if (!/[/+]json\b/i.test(contentType) || text === '') return text;
  try {
    return JSON.parse(text) as Json;
  } catch {
    return text;
  }
}

/**
 * Runs an `apigateway:invoke` task as AWS does: `https://<ApiEndpoint>/<Stage>/<Path>?<QueryParameters>` called with
 * its Method, Headers and RequestBody, signed with SigV4 for IAM_ROLE; a 2XX answer is `{ResponseBody, Headers,
 * StatusCode, StatusText}`, any other fails the task with `ApiGateway.<status>` and the response body as the cause.
 */
export async function invokeApiGateway(resource: string, parameters: Record<string, Json>, apis: LocalApis | undefined, signal: AbortSignal): Promise<Json> {
  const { ApiEndpoint: endpoint, Method: method, Stage: stage, Path: path, RequestBody: requestBody, AuthType: authType = 'NO_AUTH' } = parameters;
  if (typeof endpoint !== 'string') throw invalid('the field ApiEndpoint (a string) is required');
  const apiId = ENDPOINT.exec(endpoint)?.[1];
  if (apiId === undefined) throw invalid(`ApiEndpoint must be the host <apiId>.execute-api.<region>.amazonaws.com, not ${endpoint}`);
  if (typeof method !== 'string' || !METHODS.includes(method)) throw invalid(`Method must be one of ${METHODS.join(', ')}`);
  if (typeof authType !== 'string' || !AUTH_TYPES.includes(authType)) throw invalid(`AuthType must be one of ${AUTH_TYPES.join(', ')}`);
  if (stage !== undefined && typeof stage !== 'string') throw invalid('Stage must be a string');
  if (path !== undefined && typeof path !== 'string') throw invalid('Path must be a string');
  // Not a task failure a Retry would repeat: an API the emulator does not serve fails the execution, named.
  const origin = apis?.origin(apiId);
  if (!apis || origin === undefined) throw new StatesError('States.Runtime', `${resource} is not run by the local emulator: ApiEndpoint ${endpoint} names no API of this template (API ${apiId} is not served locally)`);

  // Stage is left out for an HTTP API's $default stage; the path may start with a slash or not.
  const pathname = `/${[stage ?? '', (path ?? '').replace(/^\/+/, '')].filter((p) => p !== '').join('/')}`;
  const url = new URL(pathname.replace(/[?#]/g, encodeURIComponent), origin);
  for (const [name, values] of valueLists('QueryParameters', parameters.QueryParameters)) for (const value of values) url.searchParams.append(name, value);

  const headers: Record<string, string> = {};
  for (const [name, values] of valueLists('Headers', parameters.Headers)) {
    if (FORBIDDEN_HEADERS.test(name)) throw invalid(`the header ${name} is not permitted in Headers`);
    // One line per header, its values joined as HTTP joins repeated ones: what is signed is what is sent.
    headers[name] = values.join(', ');
  }
  let body = '';
  // RequestBody is sent only with PATCH, POST and PUT (the guide's own GET example carries an empty one).
  if (requestBody !== undefined && requestBody !== null && ['PATCH', 'POST', 'PUT'].includes(method)) {
    if (typeof requestBody === 'string') body = requestBody;
    else {
      if (!isJsonObject(requestBody) && !Array.isArray(requestBody)) throw invalid('RequestBody must be a JSON object or a string');
      body = JSON.stringify(parameters.AllowNullValues === true ? requestBody : withoutNulls(requestBody));
      if (!Object.keys(headers).some((h) => h.toLowerCase() === 'content-type')) headers['Content-Type'] = 'application/json';
    }
  }
  // IAM_ROLE is SigV4 with the state machine's role (here the local credentials); RESOURCE_POLICY is Step Functions'
  // own signed call, which the API's resource policy lets in (not evaluated locally); NO_AUTH goes unsigned.
  const sent = authType === 'NO_AUTH' ? headers : signRequest(apis.credentials, { method, url, headers, body, region: apis.region, service: 'execute-api' });

  let res: IncomingMessage;
  let text: string;
  try {
    ({ res, text } = await new Promise<{ res: IncomingMessage; text: string }>((resolve, reject) => {
      const length = body !== '' || ['PATCH', 'POST', 'PUT'].includes(method) ? { 'content-length': String(Buffer.byteLength(body)) } : {};
      const req = httpRequest(url, { method, headers: { ...sent, ...length }, signal }, (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (chunk: Buffer) => chunks.push(chunk));
        res.on('end', () => resolve({ res, text: Buffer.concat(chunks).toString('utf8') }));
        res.on('error', reject);
      });
      req.on('error', reject);
      req.end(body);
    }));
  } catch (error) {
    if (signal.aborted) throw error;
    // No status to name the error by: AWS names the exception instead (ApiGateway.<Exception>).
    const code = (error as NodeJS.ErrnoException).code ?? (error as Error).name;
    throw new StatesError(`ApiGateway.${code}`, (error as Error).message);
  }
  const status = res.statusCode ?? 0;
  if (status < 200 || status > 299) throw new StatesError(`ApiGateway.${status}`, text);
  return { ResponseBody: responseBody(res.headers['content-type'] ?? '', text), Headers: responseHeaders(res.rawHeaders), StatusCode: status, StatusText: res.statusMessage || STATUS_CODES[status] || '' };
}
