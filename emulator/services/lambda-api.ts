/**
 * The embedded Lambda Invoke API (API Reference, Invoke; what `sam local start-lambda` serves): a function calling
 * another through the SDK (AWS_ENDPOINT_URL_LAMBDA) invokes the template's function, synchronously
 * (RequestResponse: its answer, or X-Amz-Function-Error: Unhandled with its error document), asynchronously (Event:
 * 202, then Lambda's retries and destinations) or not at all (DryRun: 204). Only requests signed with the local
 * credentials are served (guard.ts).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { errorDocument } from '../lambda/error-document.js';
import { invokeValidationMessage, parseFunctionName, signedRegion } from './lambda-function-name.js';
import { tenancyRefusal } from '../lambda/tenancy.js';
import { MAX_REQUEST_BYTES, type InvokeOptions, type InvokeOutcome, type LambdaInvoker } from '../lambda/types.js';
import type { AsyncInvokeSpec, FunctionSpec, LoadedTemplate } from '../template/model.js';
import type { AsyncInvocations } from './async-invoke.js';
import { listenDual } from './h2c.js';
import { guardedHandler } from './request-body.js';
import { streamInvocation } from './lambda-stream-api.js';
import type { LocalCredentials } from './sigv4.js';

/** What an Invoke request carries for the function besides its event: X-Amz-Tenant-Id, X-Amz-Client-Context (decoded). */
export type Caller = Pick<InvokeOptions, 'tenantId' | 'clientContext' | 'logTail' | 'onChunk' | 'version' | 'qualifier'>;

/** A function the API can invoke, by its name. */
export interface InvocableFunction {
  name: string;
  arn: string;
  async?: AsyncInvokeSpec;
  /** The qualifiers it answers to besides $LATEST (its version, 1 here, and its aliases). */
  qualifiers?: string[];
  /** TenancyConfig PER_TENANT: every Invoke names a tenant (X-Amz-Tenant-Id), and no other function's may. */
  tenantIsolation?: true;
  invoke(event: unknown, requestId: string, caller?: Caller): Promise<InvokeOutcome>;
}

export interface LambdaApiServer {
  url: string;
  close(): Promise<void>;
}

const INVOKE_PATH = /^\/2015-03-31\/functions\/([^/]+)\/invocations$/;
const STREAM_PATH = /^\/2021-11-15\/functions\/([^/]+)\/response-streaming-invocations$/;

/** Invoke's limit for an asynchronous invocation's payload (1 MB; 6 MB for a synchronous one). */
const MAX_ASYNC_BYTES = 1024 * 1024;

/** Lambda's refusal of an Invoke request over its 6 MB limit (RequestEntityTooLargeException, 413). */
const INVOKE_TOO_LARGE = `Request must be smaller than ${MAX_REQUEST_BYTES} bytes for the InvokeFunction operation`;

export interface LambdaApiOptions {
  /** Requests must be signed with these (the functions' endpoint); absent, any signature is taken (`start-lambda`'s own port, as SAM's). */
  credentials?: LocalCredentials;
  region: string;
  accountId: string;
  asyncInvocations?: AsyncInvocations;
  log?: (line: string) => void;
  port?: number;
  /** Bind address (loopback by default); another one also takes any Host name. */
  host?: string;
}

/** Serves Invoke on a port (loopback, free unless given); web pages are refused either way (guard.ts). */
export async function startLambdaApi(functions: (name: string) => InvocableFunction | undefined, options: LambdaApiOptions): Promise<LambdaApiServer> {
  const host = options.host ?? '127.0.0.1';
  const guard = { ...(options.credentials ? { credentials: options.credentials } : {}), anyHost: !isLoopback(host) };
  const handler = guardedHandler('Lambda', (req, res, _body, raw) => answer(req, res, raw, functions, options), { guard, contentType: 'application/json', maxBodyBytes: 2 * MAX_REQUEST_BYTES, tooLargeMessage: INVOKE_TOO_LARGE });
  const server = await listenDual(handler, options.port, host);
  return { url: `http://${urlHost(host)}:${server.port}`, close: () => server.close() };
}

function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(host);
}

/** The host of the endpoint's URL: a wildcard bind is reached on loopback; an IPv6 address in brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(status, { 'content-type': 'application/json', 'x-amzn-requestid': headers['x-amzn-requestid'] ?? randomUUID(), ...headers });
  res.end(body);
}

/** Lambda's error answer: `{"Type":"User","message":...}` with the error's name in X-Amzn-ErrorType. */
function refuse(res: ServerResponse, status: number, type: string, message: string): void {
  send(res, status, JSON.stringify({ Type: 'User', message }), { 'x-amzn-errortype': type });
}

/** A path segment decoded, or as it came when its percent-encoding is broken (then no function has that name). */
function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

/** Invoke's limit on X-Amz-Client-Context (API Reference, Invoke: "Up to 3,583 bytes of base64-encoded data"). */
const MAX_CLIENT_CONTEXT_BYTES = 3583;

/**
 * X-Amz-Client-Context decoded: base64 of a JSON object, which the function's context carries; a refusal when it is
 * none or over the limit (the messages are the emulator's: no recording of AWS's); undefined when not sent.
 */
function decodeClientContext(header: string | string[] | undefined): string | { refusal: string } | undefined {
  if (header === undefined) return undefined;
  const value = String(header);
  if (value.length > MAX_CLIENT_CONTEXT_BYTES) return { refusal: `Client context is ${value.length} bytes of base64: Lambda takes up to ${MAX_CLIENT_CONTEXT_BYTES}` };
  const text = /^[A-Za-z0-9+/]*={0,2}$/.test(value) ? Buffer.from(value, 'base64').toString('utf8') : '';
  try {
    const parsed: unknown = JSON.parse(text);
    if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) return text;
  } catch {
    // Not JSON: refused below, as any other value that is no JSON object.
  }
  return { refusal: 'Client context must be a valid Base64-encoded JSON object' };
}

/** The first byte that breaks UTF-8, in Jackson's words (`start byte 0x87`, `middle byte 0x41`); undefined for valid UTF-8. */
function invalidUtf8(raw: Buffer): string | undefined {
  for (let i = 0; i < raw.length; ) {
    const lead = raw[i]!;
    const extra = lead < 0x80 ? 0 : lead >= 0xc2 && lead < 0xe0 ? 1 : lead >= 0xe0 && lead < 0xf0 ? 2 : lead >= 0xf0 && lead < 0xf5 ? 3 : -1;
    if (extra < 0) return `start byte 0x${lead.toString(16)}`;
    for (let k = 1; k <= extra; k++) {
      const next = raw[i + k];
      if (next === undefined) return 'end of input';
      if ((next & 0xc0) !== 0x80) return `middle byte 0x${next.toString(16)}`;
    }
    i += extra + 1;
  }
  return undefined;
}

/** The qualifier of a FunctionName (`name:prod`, an ARN's `:1`), if any. */
export function qualifierOf(reference: string): string | undefined {
  const decoded = safeDecode(reference);
  const arn = /^arn:[^:]+:lambda:[^:]*:\d{12}:function:[^:]+:([^:]+)$/.exec(decoded)?.[1];
  return arn ?? /^(?:\d{12}:function:)?[^:]+:([^:]+)$/.exec(decoded)?.[1];
}

/** The function a FunctionName names: its name, its ARN or partial ARN, with or without a qualifier. */
export function functionNameOf(reference: string): string {
  const decoded = safeDecode(reference);
  const arn = /^arn:[^:]+:lambda:[^:]*:\d{12}:function:([^:]+)/.exec(decoded)?.[1];
  return arn ?? /^(?:\d{12}:)?function:([^:]+)/.exec(decoded)?.[1] ?? decoded.split(':')[0]!;
}

async function answer(req: IncomingMessage, res: ServerResponse, raw: Buffer, functions: (name: string) => InvocableFunction | undefined, options: LambdaApiOptions): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://local');
  const streaming = STREAM_PATH.exec(url.pathname);
  const match = INVOKE_PATH.exec(url.pathname) ?? streaming;
  if (req.method !== 'POST' || !match) return refuse(res, 400, 'UnknownOperationException', `${req.method} ${url.pathname} is not served by the local emulator's Lambda (Invoke and InvokeWithResponseStream are)`);
  const reference = safeDecode(match[1]!);
  const queryQualifier = url.searchParams.get('Qualifier') ?? undefined;
  // `start-lambda` also finds a nested stack's function as the SAM CLI names it (`Child/Function`), which Lambda's pattern refuses.
  const samName = functionNameOf(match[1]!);
  const named = parseFunctionName(reference) ?? (functions(samName) ? { name: samName, qualifier: qualifierOf(match[1]!) } : undefined);
  const invalid = invokeValidationMessage({ ...(named ? {} : { functionName: reference }), ...(queryQualifier === undefined ? {} : { qualifier: queryQualifier }) });
  if (invalid || !named) return send(res, 400, JSON.stringify({ message: invalid }), { 'x-amzn-errortype': 'ValidationException' });
  // Lambda serves the region the request was sent to: the one it was signed for (the functions' own), else the emulator's.
  const region = signedRegion(req.headers.authorization) ?? options.region;
  if (named.region !== undefined && named.region !== region) return refuse(res, 404, 'ResourceNotFoundException', `Functions from '${named.region}' are not reachable in this region ('${region}')`);
  // Checked before the function is looked up, as AWS answered (LocalStack's recorded test).
  if (queryQualifier !== undefined && named.qualifier !== undefined && queryQualifier !== named.qualifier) {
    return refuse(res, 400, 'InvalidParameterValueException', 'The derived qualifier from the function name does not match the specified qualifier.');
  }
  const { name } = named;
  const qualifier = queryQualifier ?? named.qualifier;
  const fn = functions(name);
  // A version or alias the function does not have is no function (Invoke's 404); `$LATEST` always is, and names an unqualified one.
  if (!fn || (qualifier !== undefined && qualifier !== '$LATEST' && !(fn.qualifiers ?? []).includes(qualifier))) {
    return refuse(res, 404, 'ResourceNotFoundException', `Function not found: arn:aws:lambda:${region}:${options.accountId}:function:${name}:${qualifier ?? '$LATEST'}`);
  }
  const type = String(req.headers['x-amz-invocation-type'] ?? 'RequestResponse');
  // InvokeWithResponseStream has no Event type (its model's ResponseStreamingInvocationType).
  const types = streaming ? ['RequestResponse', 'DryRun'] : ['Event', 'RequestResponse', 'DryRun'];
  if (!types.includes(type)) return refuse(res, 400, 'InvalidParameterValueException', enumRefusal(type, 'invocationType', types));
  const logType = String(req.headers['x-amz-log-type'] ?? 'None');
  if (logType !== 'None' && logType !== 'Tail') return refuse(res, 400, 'InvalidParameterValueException', enumRefusal(logType, 'logType', ['None', 'Tail']));
  const tenantId = req.headers['x-amz-tenant-id'] === undefined ? undefined : String(req.headers['x-amz-tenant-id']);
  // Checked before anything is queued: Lambda refuses the request itself, whatever its invocation type.
  const refusal = tenancyRefusal({ functionName: fn.name, ...(fn.tenantIsolation ? { tenantIsolation: true } : {}) }, tenantId);
  if (refusal) return refuse(res, 400, refusal.errorType, refusal.errorMessage);
  const clientContext = decodeClientContext(req.headers['x-amz-client-context']);
  if (typeof clientContext === 'object') return refuse(res, 400, 'InvalidRequestContentException', clientContext.refusal);
  // LogType Tail "applies to synchronously invoked functions only" (API Reference, Invoke): Event and DryRun return no log.
  // Every published version is 1 here: an alias or a version runs it, and its log's START line names it.
  const version = qualifier === undefined || qualifier === '$LATEST' ? '$LATEST' : '1';
  const caller: Caller = { ...(tenantId === undefined ? {} : { tenantId }), ...(clientContext === undefined ? {} : { clientContext }), ...(logType === 'Tail' ? { logTail: true } : {}), version, ...(version === '1' ? { qualifier: qualifier! } : {}) };
  // Lambda's front end refuses any request over 6 MB in its own words, whatever its type; an Event one over 1 MB is
  // refused in the invocation type's (both as AWS answered callers, quoted in their reports).
  if (raw.byteLength > MAX_REQUEST_BYTES) return refuse(res, 413, 'RequestEntityTooLargeException', INVOKE_TOO_LARGE);
  if (type === 'Event' && raw.byteLength > MAX_ASYNC_BYTES) return refuse(res, 413, 'RequestEntityTooLargeException', `${raw.byteLength} byte payload is too large for the Event invocation type (limit ${MAX_ASYNC_BYTES} bytes)`);
  let event: unknown = {};
  if (raw.byteLength > 0) {
    const unparsable = 'Could not parse request body into json: Could not parse payload into json';
    try {
      event = JSON.parse(raw.toString('utf8'));
    } catch {
      return refuse(res, 400, 'InvalidRequestContentException', unparsable);
    }
    // Lambda reads the payload as UTF-8 (Jackson): a byte that is no UTF-8 is refused, not replaced by U+FFFD.
    const badByte = invalidUtf8(raw);
    if (badByte) return refuse(res, 400, 'InvalidRequestContentException', `${unparsable}: Invalid UTF-8 ${badByte}`);
  }
  const requestId = randomUUID();
  // Only a synchronous answer names the version (AWS sends no X-Amz-Executed-Version with Event's 202 or DryRun's
  // 204, LocalStack's recorded tests).
  const headers = { 'x-amzn-requestid': requestId, 'x-amz-executed-version': version };
  if (type === 'DryRun') return send(res, 204, '', { 'x-amzn-requestid': requestId });
  if (type === 'Event') {
    // Queued: the caller does not wait; Lambda's retries and destinations follow the function's settings. Lambda passes
    // ClientContext "for synchronous invocations only" (API Reference, Invoke).
    const queued: Caller = { ...(tenantId === undefined ? {} : { tenantId }), version };
    send(res, 202, '', { 'x-amzn-requestid': requestId });
    if (options.asyncInvocations) {
      options.asyncInvocations.queue({ arn: fn.arn, ...(fn.async ? { async: fn.async } : {}), invoke: (e, id) => fn.invoke(e, id, queued) }, event, fn.name, requestId);
    } else void fn.invoke(event, requestId, queued).catch(() => undefined);
    return;
  }
  const refused = (outcome: InvokeOutcome | Error): true | undefined => {
    // A function that cannot run here (its code missing, a runtime not run locally): Lambda's service error, named.
    if (outcome instanceof Error) return (send(res, 500, JSON.stringify({ Type: 'Service', message: `The function cannot run locally: ${outcome.message}` }), { 'x-amzn-errortype': 'ServiceException' }), true);
    if (outcome.kind !== 'function-error' || !outcome.throttled) return undefined;
    return (send(res, 429, JSON.stringify({ Reason: 'ReservedFunctionConcurrentInvocationLimitExceeded', Type: 'User', message: 'Rate Exceeded.' }), { 'x-amzn-requestid': requestId, 'x-amzn-errortype': 'TooManyRequestsException' }), true);
  };
  if (streaming) return streamInvocation(res, (onChunk) => fn.invoke(event, requestId, { ...caller, onChunk }), headers, refused);
  const outcome = await fn.invoke(event, requestId, caller).catch((error: unknown) => (error instanceof Error ? error : new Error(String(error))));
  if (refused(outcome) || outcome instanceof Error) return;
  const log: Record<string, string> = outcome.kind !== 'deadline-exceeded' && outcome.logResult !== undefined ? { 'x-amz-log-result': outcome.logResult } : {};
  if (outcome.kind === 'ok') return send(res, 200, outcome.payloadJson ?? JSON.stringify(outcome.payload ?? null), { ...headers, ...log });
  const error = outcome.kind === 'function-error' ? errorDocument(outcome, outcome.runtime ?? '') : { errorMessage: 'Task timed out' };
  send(res, 200, JSON.stringify(error), { ...headers, ...log, 'x-amz-function-error': 'Unhandled' });
}

/** Lambda's refusal of a value outside an enum of its API model (quoted with the enum's values). */
function enumRefusal(value: string, field: string, values: string[]): string {
  return `1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${values.join(', ')}]`;
}

/** A template function as the Invoke API serves it, run by `invoke`. */
function invocable(fn: FunctionSpec, invoke: InvocableFunction['invoke']): InvocableFunction {
  return { name: fn.functionName, arn: fn.arn, ...(fn.asyncInvoke ? { async: fn.asyncInvoke } : {}), ...(fn.qualifiers ? { qualifiers: fn.qualifiers } : {}), ...(fn.tenantIsolation ? { tenantIsolation: true } : {}), invoke };
}

/**
 * The functions `start-lambda` serves, as the SAM CLI finds them: by logical id (a nested stack's as `Child/Function`)
 * or FunctionName, also inside an ARN; Event invocations go through Lambda's asynchronous invocation.
 */
export function functionsByIdentifier(stacks: { path: string; template: LoadedTemplate; invoker: LambdaInvoker }[]): (name: string) => InvocableFunction | undefined {
  return (name) => {
    const all = stacks.flatMap((stack) => [...stack.template.functions.values()].map((fn) => ({ stack, fn })));
    const found = all.find(({ stack, fn }) => `${stack.path}${fn.logicalId}` === name) ?? all.find(({ fn }) => fn.functionName === name);
    if (!found) return undefined;
    const { stack, fn } = found;
    return invocable(fn, (event, requestId, caller) => stack.invoker.invoke(fn.logicalId, event, { requestId, ...caller }));
  };
}

/** The template's functions by name, as the Lambda Invoke API finds them (invoked once the invokers exist). */
export function functionNamed(stacks: { template: LoadedTemplate }[], invokers: Promise<{ invoker: LambdaInvoker }[]>): (name: string) => InvocableFunction | undefined {
  return (name) => {
    for (const [index, { template }] of stacks.entries()) {
      const fn = [...template.functions.values()].find((f) => f.functionName === name);
      if (fn) return invocable(fn, async (event, requestId, caller) => (await invokers)[index]!.invoker.invoke(fn.logicalId, event, { requestId, ...caller }));
    }
    return undefined;
  };
}
