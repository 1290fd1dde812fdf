/**
 * The SDK's global `AWS_ENDPOINT_URL` fallback: any AWS call the emulator does not serve lands here and fails
 * at once with an AWS-shaped NotImplemented error naming the service and operation, instead of hanging on
 * (or, worse, reaching) the real AWS endpoint.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { listenDual } from './h2c.js';
import { guardedHandler } from './request-body.js';

export interface NotServedServer {
  /** Base URL, e.g. http://127.0.0.1:41234 */
  url: string;
  /** The endpoint to give one function (AWS_ENDPOINT_URL) so the log line can name it. */
  endpointFor(functionName: string): string;
  close(): Promise<void>;
}

export interface NotServedCall {
  functionName: string;
  service: string;
  operation: string;
}

/** Start the fallback endpoint on 127.0.0.1 (free port unless given). */
export async function startNotServed(options: { port?: number; log?: (line: string, call: NotServedCall) => void } = {}): Promise<NotServedServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  // Browser checks only: a function may sign calls to unserved services with any credentials it holds.
  // HTTP/2 too: SDK clients built with NodeHttp2Handler send the h2c preface to an http:// endpoint.
  const server = await listenDual(guardedHandler('not-served', (req, res, body) => answer(req, res, body, log), { guard: {} }), options.port);
  const url = `http://127.0.0.1:${server.port}`;
  return {
    url,
    endpointFor: (functionName) => `${url}/fn/${encodeURIComponent(functionName)}`,
    close: () => server.close(),
  };
}

/** Identify the call: service from X-Amz-Target or the SigV4 credential scope, operation from the protocol. */
export function describeCall(req: { url?: string; method?: string; headers: IncomingMessage['headers'] }, body: string): NotServedCall {
  const url = new URL((req.url ?? '/').replace(/^\/+/, '/'), 'http://local');
  const fnMatch = /^\/fn\/([^/]+)(\/.*)?$/.exec(url.pathname);
  const functionName = fnMatch ? safeDecode(fnMatch[1] as string) : 'a function';
  const restPath = fnMatch ? (fnMatch[2] ?? '/') : url.pathname;
  const target = header(req.headers, 'x-amz-target');
  const signedService = signedServiceOf(req.headers);
  if (target) {
    const [prefix, op] = target.split('.');
    return { functionName, service: signedService ?? (prefix ?? 'unknown').replace(/_\d{8}$/, ''), operation: op ?? target };
  }
  const action = url.searchParams.get('Action') ?? new URLSearchParams(body).get('Action');
  const operation = action ?? `${req.method ?? 'GET'} ${restPath}`;
  return { functionName, service: signedService ?? 'unknown service', operation };
}

function answer(req: IncomingMessage, res: ServerResponse, body: string, log: (line: string, call: NotServedCall) => void): void {
  const call = describeCall(req, body);
  const message = `${call.service}.${call.operation} is not served by the local emulator`;
  log(`${call.functionName} called ${call.service}.${call.operation}, which the local emulator does not serve`, call);
  const contentType = header(req.headers, 'content-type') ?? '';
  const requestId = crypto.randomUUID();
  // 501 is not among the SDK's transient statuses (500/502/503/504): the call fails on its first attempt.
  const status = 501;
  // A REST-JSON service (Lambda, Bedrock, API Gateway...) sends binary payloads as application/octet-stream, yet its
  // SDK parses errors as JSON: only the query protocol (form bodies) and the REST-XML services answer XML.
  const query = contentType.includes('x-www-form-urlencoded');
  const signed = signedServiceOf(req.headers);
  const restJson = signed !== undefined && !query && !REST_XML_SERVICES.has(signed);
  if (header(req.headers, 'x-amz-target') || contentType.includes('json') || restJson) {
    res.writeHead(status, {
      'content-type': contentType.includes('x-amz-json') ? contentType : 'application/json',
      'x-amzn-errortype': 'NotImplemented',
      'x-amzn-requestid': requestId,
    });
    res.end(JSON.stringify({ __type: 'NotImplemented', message, Message: message }));
    return;
  }
  res.writeHead(status, { 'content-type': 'text/xml', 'x-amzn-requestid': requestId });
  const xmlError = `<Error><Type>Sender</Type><Code>NotImplemented</Code><Message>${escapeXml(message)}</Message></Error>`;
  res.end(query ? `<ErrorResponse>${xmlError}<RequestId>${requestId}</RequestId></ErrorResponse>` : xmlError.replace('<Type>Sender</Type>', ''));
}

/** The SigV4 signing names of the REST-XML protocol services, whose SDKs parse XML errors (S3, S3 Express, CloudFront, Route 53). */
const REST_XML_SERVICES = new Set(['s3', 's3express', 'cloudfront', 'route53']);

/** The service named in the SigV4 credential scope, as AWS reads it from the Authorization header. */
function signedServiceOf(headers: IncomingMessage['headers']): string | undefined {
  return /Credential=[^/]+\/\d{8}\/[^/]+\/([^/]+)\//.exec(header(headers, 'authorization') ?? '')?.[1];
}

function header(headers: IncomingMessage['headers'], name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** decodeURIComponent that keeps the raw text when it is not valid percent-encoding. */
function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}
