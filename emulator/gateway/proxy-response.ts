/** Turning a Lambda proxy result into the method response, or rejecting it as malformed (R1.40-R1.52). */
import { MAX_RESPONSE_BYTES } from '../lambda/types.js';
import { GatewayError } from './gateway-responses.js';
import { clientResponseHeaders, isValidHeader } from './header-table.js';
import { isObject } from './routes.js';
import { Reply } from './reply.js';
import { CasedHeaders, textOctets } from './wire-headers.js';

const ALLOWED_KEYS = new Set(['statusCode', 'headers', 'multiValueHeaders', 'body', 'isBase64Encoded']);

export interface ProxyResult {
  status: number;
  /** [name, value] in emission order; repeated names are already comma-joined except Set-Cookie. */
  headers: [string, string][];
  body: string;
  isBase64Encoded: boolean;
}

export type ParsedProxyResponse = { ok: true; result: ProxyResult } | { ok: false; reason: string };

/**
 * [AMBIGUOUS] AWS documents no limit on the headers of an answer; its quota on a request's (R11.15, H10.7: 10,240
 * bytes of request line and header values) is the one documented, and is applied here to an answer's names and values
 * alike, so that a function's 100,000 headers or 1 MB value is a result the gateway cannot send, not passed on as-is.
 */
export const MAX_RESPONSE_HEADER_BYTES = 10_240;

/**
 * Why a function's answer headers are over MAX_RESPONSE_HEADER_BYTES (bytes of names and values: text as UTF-8, or
 * `latin1` for values already made octets), or undefined.
 */
export function oversizedHeaders(pairs: Iterable<readonly [string, string]>, encoding: 'utf8' | 'latin1' = 'utf8'): string | undefined {
  let total = 0;
  for (const [name, value] of pairs) {
    total += Buffer.byteLength(name, encoding) + Buffer.byteLength(value, encoding);
    if (total > MAX_RESPONSE_HEADER_BYTES) return `its headers (names and values) exceed ${MAX_RESPONSE_HEADER_BYTES} bytes`;
  }
  return undefined;
}

const fail = (reason: string): ParsedProxyResponse => ({ ok: false, reason: `Malformed Lambda proxy response: ${reason}` });

/**
 * How strictly a payload 1.0 result is read. REST refuses keys outside R1.40 and defaults a missing statusCode to 200
 * (R1.41); an HTTP API ignores other keys and needs statusCode (AWS's answers in LocalStack's recorded HTTP API tests:
 * `{"statusCode":200,"wrongValue":"value"}` is 200, `{}` and `{"headers":{...}}` are 500).
 */
export interface ProxyContract {
  otherKeys: 'refused' | 'ignored';
  statusRequired: boolean;
}

const REST_CONTRACT: ProxyContract = { otherKeys: 'refused', statusRequired: false };

/**
 * R1.42: a number or a numeric string; anything else is malformed. [AMBIGUOUS] a 1xx is malformed too: it is an
 * interim answer in HTTP, never a final one, and a client sent one would wait for the final answer forever.
 */
function statusOf(value: unknown, required: boolean): number | undefined {
  if (value === undefined || value === null) return required ? undefined : 200;
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 200 && n <= 599 ? n : undefined;
}

function scalar(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  return undefined;
}

/** R1.45/R1.46: multiValueHeaders first (their casing wins), then `headers` values appended unless identical. */
function mergeHeaders(headers: unknown, multi: unknown): [string, string[]][] | string {
  const merged = new Map<string, { name: string; values: string[] }>();
  if (multi !== undefined && multi !== null) {
    if (!isObject(multi)) return 'multiValueHeaders must be an object';
    for (const [name, values] of Object.entries(multi)) {
      if (!Array.isArray(values)) return `multiValueHeaders.${name} must be an array`;
      const strings = values.map(scalar);
      if (strings.some((v) => v === undefined)) return `multiValueHeaders.${name} holds a non-scalar value`;
      merged.set(name.toLowerCase(), { name, values: strings as string[] });
    }
  }
  if (headers !== undefined && headers !== null) {
    if (!isObject(headers)) return 'headers must be an object';
    for (const [name, raw] of Object.entries(headers)) {
      const value = scalar(raw);
      if (value === undefined) return `headers.${name} must be a string`;
      const entry = merged.get(name.toLowerCase());
      if (!entry) merged.set(name.toLowerCase(), { name, values: [value] });
      else if (!entry.values.includes(value)) entry.values.push(value);
    }
  }
  return [...merged.values()].map((e) => [e.name, e.values]);
}

const headerPairs = (merged: [string, string[]][]): (readonly [string, string])[] => merged.flatMap(([name, values]) => values.map((v) => [name, v] as const));

/** The header pairs a proxy result gives (`headers` and `multiValueHeaders` merged, R1.46), none the gateway adds; [] when malformed. */
export function proxyHeaderPairs(payload: Record<string, unknown>): (readonly [string, string])[] {
  const merged = mergeHeaders(payload.headers, payload.multiValueHeaders);
  return typeof merged === 'string' ? [] : headerPairs(merged);
}

/**
 * Validates a proxy result (R1.40-R1.45) and shapes headers (R1.46, R1.47); `jsonLength` is the payload's JSON size when
 * known; `defaultContentType` is what a result without one is sent as (a REST API's application/json); `contract` is
 * REST's unless an HTTP API's payload 1.0 reads it.
 */
export function parseProxyResponse(payload: unknown, jsonLength?: number, defaultContentType = 'application/json', contract = REST_CONTRACT): ParsedProxyResponse {
  if (!isObject(payload)) return fail(`expected a JSON object, got ${payload === null ? 'null' : Array.isArray(payload) ? 'an array' : typeof payload}`);
  if ((jsonLength ?? JSON.stringify(payload).length) > MAX_RESPONSE_BYTES) return fail('response payload exceeds 6 MB');
  const extra = Object.keys(payload).filter((k) => !ALLOWED_KEYS.has(k));
  if (extra.length > 0 && contract.otherKeys === 'refused') return fail(`unexpected key(s) ${extra.join(', ')}`);
  const status = statusOf(payload.statusCode, contract.statusRequired);
  if (status === undefined && (payload.statusCode === undefined || payload.statusCode === null)) return fail('statusCode is missing');
  if (status === undefined) return fail(`statusCode ${JSON.stringify(payload.statusCode)} is not an integer from 200 to 599`);
  // A number or boolean is read as its text, as header values are (R1.45); an object or a list is refused.
  const body = typeof payload.body === 'number' || typeof payload.body === 'boolean' ? String(payload.body) : payload.body;
  if (body !== undefined && body !== null && typeof body !== 'string') return fail('body must be a string');
  const b64 = payload.isBase64Encoded;
  if (b64 !== undefined && b64 !== null && typeof b64 !== 'boolean') return fail('isBase64Encoded must be a boolean');
  const merged = mergeHeaders(payload.headers, payload.multiValueHeaders);
  if (typeof merged === 'string') return fail(merged);
  const oversized = oversizedHeaders(headerPairs(merged));
  if (oversized) return fail(oversized);
  const headers: [string, string][] = [];
  for (const [name, values] of merged) {
    // [AMBIGUOUS] a header no HTTP response can carry makes the result malformed (502), like any other bad shape.
    if (!values.every((v) => isValidHeader(name, v))) return fail(`header ${JSON.stringify(name)} cannot be sent in an HTTP response`);
    // Cookies cannot be comma-joined safely, so each Set-Cookie value keeps its own header line.
    if (name.toLowerCase() === 'set-cookie') values.forEach((v) => headers.push([name, v]));
    else headers.push([name, values.join(', ')]);
  }
  if (!headers.some(([n]) => n.toLowerCase() === 'content-type')) headers.push(['Content-Type', defaultContentType]);
  return { ok: true, result: { status, headers, body: body ?? '', isBase64Encoded: b64 === true } };
}

const NO_BODY = new Set([204, 205, 304]);

/** Java's basic Base64 decoder: standard alphabet only, padding optional, no whitespace. */
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** Whether API Gateway's (Java's basic) base64 decoder takes this text. */
export function isBase64(text: string): boolean {
  return BASE64.test(text);
}

/** Decodes a base64 body the way API Gateway must before sending binary; text that is not base64 is a 500. */
export function decodeBase64Body(text: string): Uint8Array<ArrayBuffer> {
  if (!isBase64(text)) throw new GatewayError('API_CONFIGURATION_ERROR', { log: 'Lambda returned isBase64Encoded: true with a body that is not valid base64' });
  return new Uint8Array(Buffer.from(text, 'base64'));
}

/** Why a proxy result's base64 body went out as text: the request's Accept matched no binary media type (R1.48). */
export function base64TextNote(accept: string | null | undefined, binaryMediaTypes: string[]): string {
  const types = binaryMediaTypes.length ? `binaryMediaTypes (${binaryMediaTypes.join(', ')})` : 'binaryMediaTypes (the API has none)';
  return `isBase64Encoded: true, sent as base64 text as API Gateway sends it: Accept "${accept ?? ''}" matches none of the API's ${types}; its first value must match one for the body to be decoded (R1.48)`;
}

/**
 * Builds the HTTP response: base64 bodies are decoded only when Accept is a binary media type (R1.48);
 * restricted headers are renamed or dropped as the header table says; header names keep the function's case; values
 * beyond ASCII go out as their UTF-8 bytes.
 */
export function proxyResultToResponse(result: ProxyResult, acceptIsBinary: boolean, gatewayHeaders: [string, string][]): Reply {
  const decode = result.isBase64Encoded && acceptIsBinary;
  const body = NO_BODY.has(result.status) ? null : decode ? decodeBase64Body(result.body) : result.body;
  const bytes = body === null ? 0 : Buffer.byteLength(body);
  const headers = new CasedHeaders();
  for (const [n, v] of clientResponseHeaders(result.headers, 'lambda', bytes)) headers.append(n, textOctets(v));
  for (const [n, v] of gatewayHeaders) headers.set(n, v);
  return new Reply(result.status, headers, body);
}
