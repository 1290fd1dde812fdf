/**
 * An EventBridge rule's API Gateway target (EventBridge User Guide, "Amazon API Gateway targets for rules"): the
 * target ARN `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>` names the request, each `*` of
 * its path filled in order by HttpParameters.PathParameterValues; QueryStringParameters and HeaderParameters are added
 * (a value starting with `$.` is read from the event); the target input is the JSON body. With a RoleArn the request
 * is signed (SigV4 for execute-api) with the local credentials, which stand in for the role here. Only the template's
 * APIs are reached, on the local port each listens on.
 */
import { request as httpRequest } from 'node:http';
import { signRequest, type LocalCredentials } from '../sigv4.js';
import { valueAtPath } from './bus.js';

/** HttpParameters of a target, as the template writes them. */
export interface TargetHttpParameters {
  pathParameterValues?: string[];
  headerParameters?: Record<string, string>;
  queryStringParameters?: Record<string, string>;
}

/** The template's APIs as targets reach them: their ids (known at start) and their origins (known once they listen). */
export interface ApiTargets {
  ids: string[];
  /** `http://127.0.0.1:<port>` of an API by its id, undefined before it listens. */
  origin(apiId: string): string | undefined;
  credentials: LocalCredentials;
  region: string;
}

export interface ExecuteApiArn {
  apiId: string;
  stage: string;
  method: string;
  /** The resource path after the method, `*` wildcards still in place (`/` for the root). */
  path: string;
}

/** `arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path...>`, or undefined for any other ARN. */
export function parseExecuteApiArn(arn: string): ExecuteApiArn | undefined {
  const match = /^arn:[^:]+:execute-api:[^:]*:[^:]*:([^/]+)\/([^/]+)\/([^/]+)(\/.*)?$/.exec(arn);
  if (!match) return undefined;
  const [, apiId, stage, method, path] = match as unknown as [string, string, string, string, string | undefined];
  return { apiId, stage, method: method.toUpperCase(), path: path && path !== '' ? path : '/' };
}

/** Headers EventBridge does not let a target set (the guide's list, for security considerations). */
const FORBIDDEN_HEADERS = /^(x-amz|x-amzn)|^(authorization|connection|content-encoding|content-length|host|max-forwards|te|transfer-encoding|trailer|upgrade|via|www-authenticate|x-forwarded-for)$/i;

/** A parameter value: a JSON path into the event (`$.detail.id`) or the text as written. */
export function parameterValue(value: string, event: unknown): string {
  if (!value.startsWith('$.')) return value;
  const found = valueAtPath(event, value);
  if (found === undefined || found === null) return '';
  return typeof found === 'string' ? found : JSON.stringify(found);
}

/** Why the target cannot be invoked as written (a wildcard without its value, a forbidden header), or undefined. */
export function apiTargetProblem(arn: ExecuteApiArn, parameters: TargetHttpParameters | undefined): string | undefined {
  const wildcards = arn.path.split('/').filter((part) => part === '*').length;
  const values = parameters?.pathParameterValues?.length ?? 0;
  if (wildcards !== values) return `the target path ${arn.path} has ${wildcards} wildcard(s) and PathParameterValues ${values} value(s)`;
  if (arn.stage === '*') return 'the target ARN names no stage (*)';
  if (arn.method === '*' || arn.method === 'ANY') return 'the target ARN names no HTTP method (* or ANY)';
  const forbidden = Object.keys(parameters?.headerParameters ?? {}).find((name) => FORBIDDEN_HEADERS.test(name));
  return forbidden ? `the header ${forbidden} is not permitted in HeaderParameters` : undefined;
}

/**
 * Sends one event to the API: undefined when it answered 2xx, else what it answered (EventBridge retries 5xx and 429
 * answers on AWS; here a failed delivery is logged, as the other targets' are).
 */
export async function invokeApiTarget(targetArn: string, parameters: TargetHttpParameters | undefined, signed: boolean, event: unknown, input: string, apis: ApiTargets): Promise<string | undefined> {
  const arn = parseExecuteApiArn(targetArn);
  if (!arn) return `${targetArn} is not an execute-api ARN`;
  const problem = apiTargetProblem(arn, parameters);
  if (problem) return problem;
  const origin = apis.origin(arn.apiId);
  if (origin === undefined) return `API ${arn.apiId} is not listening yet`;
  const values = [...(parameters?.pathParameterValues ?? [])];
  const path = arn.path
    .split('/')
    .map((part) => (part === '*' ? encodeURIComponent(parameterValue(values.shift() ?? '', event)) : part))
    .join('/');
  const url = new URL(`/${arn.stage}${path === '/' ? '' : path}`, origin);
  for (const [name, value] of Object.entries(parameters?.queryStringParameters ?? {})) url.searchParams.append(name, parameterValue(value, event));
  const headers: Record<string, string> = { 'Content-Type': 'application/json; charset=utf-8' };
  for (const [name, value] of Object.entries(parameters?.headerParameters ?? {})) headers[name] = parameterValue(value, event);
  const sent = signed ? signRequest(apis.credentials, { method: arn.method, url, headers, body: input, region: apis.region, service: 'execute-api' }) : headers;
  const { status, text } = await new Promise<{ status: number; text: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: arn.method, headers: { ...sent, 'content-length': String(Buffer.byteLength(input)) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(input);
  });
  return status >= 200 && status < 300 ? undefined : `${arn.method} ${url.pathname} answered ${status}: ${text.slice(0, 200)}`;
}
