/** A Lambda integration's result turned into the HTTP API response: 2.0 with inference (H6.1-H6.6), 1.0 (H6.9). */
import { isBase64, oversizedHeaders, parseProxyResponse, type ProxyContract } from '../proxy-response.js';
import { Reply } from '../reply.js';
import { textOctets } from '../wire-headers.js';

export type HttpLambdaResult = { ok: true; response: Reply } | { ok: false; reason: string };

const NO_BODY = new Set([204, 205, 304]);
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** H6.5 [AMBIGUOUS]: an integer or a numeric string, a final status (a 1xx is interim: malformed, as on REST APIs). */
function statusOf(value: unknown): number | undefined {
  const n = typeof value === 'number' ? value : typeof value === 'string' && /^\d+$/.test(value.trim()) ? Number(value) : NaN;
  return Number.isInteger(n) && n >= 200 && n <= 599 ? n : undefined;
}

function build(status: number, headers: Headers, body: string, base64: boolean): Reply {
  // H6.6: base64 bodies are decoded whatever their content type (no binary media types on HTTP APIs).
  const bytes = base64 ? Buffer.from(body, 'base64') : body;
  return new Reply(status, headers, NO_BODY.has(status) ? null : bytes);
}

/**
 * Sets a header the function gave, text beyond ASCII as its UTF-8 bytes (as on REST APIs); false when it cannot go on
 * the wire (a CR, LF or NUL in it, a name no token).
 */
function settable(headers: Headers, how: 'set' | 'append', name: string, value: string): boolean {
  try {
    headers[how](name, textOctets(value));
    return true;
  } catch {
    return false;
  }
}

/** H6.2-H6.4: any JSON without statusCode is the body: strings unquoted, the rest serialized. */
function inferred(payload: unknown): Reply {
  const body = typeof payload === 'string' ? payload : JSON.stringify(payload);
  return build(200, new Headers({ 'content-type': 'application/json' }), body, false);
}

/**
 * H6.1: statusCode, headers (scalars), cookies (one set-cookie each), body, isBase64Encoded. A function URL also takes
 * a body that is no string and sends it as JSON, as AWS answered LocalStack's recorded tests; an HTTP API does not.
 */
/**
 * H6.1: what an HTTP API sends a structured result that names no Content-Type as, in either payload version (AWS's own
 * Lambda Test Tool: "api gateway v2 defaults to this content type if none is provided"); only an inferred result is
 * JSON (H6.2), and a function URL sends application/json as AWS recorded it (H6.4).
 */
const UNTYPED_CONTENT_TYPE = 'text/plain; charset=utf-8';

function structured(payload: Record<string, unknown>, functionUrl: boolean): HttpLambdaResult {
  const status = statusOf(payload.statusCode);
  if (status === undefined) return { ok: false, reason: `statusCode ${JSON.stringify(payload.statusCode)} is not a valid status` };
  const headers = new Headers();
  if (payload.headers !== undefined && payload.headers !== null) {
    if (!isRecord(payload.headers)) return { ok: false, reason: 'headers must be an object' };
    for (const [name, value] of Object.entries(payload.headers)) {
      if (!['string', 'number', 'boolean'].includes(typeof value)) return { ok: false, reason: `headers.${name} must be a string, number or boolean` };
      if (!settable(headers, 'set', name, String(value))) return { ok: false, reason: `headers.${name} is not a valid header (name or value)` };
    }
  }
  // [AMBIGUOUS] H6.1: multiValueHeaders is not part of 2.0 and is ignored.
  if (payload.cookies !== undefined && payload.cookies !== null) {
    if (!Array.isArray(payload.cookies) || payload.cookies.some((c) => typeof c !== 'string')) return { ok: false, reason: 'cookies must be a list of strings' };
    for (const cookie of payload.cookies as string[]) if (!settable(headers, 'append', 'set-cookie', cookie)) return { ok: false, reason: 'cookies: a cookie is not a valid header value' };
  }
  // The values are their UTF-8 octets already (settable).
  const pairs: [string, string][] = [];
  headers.forEach((value, name) => pairs.push([name, value]));
  const oversized = oversizedHeaders(pairs, 'latin1');
  if (oversized) return { ok: false, reason: oversized };
  // [AMBIGUOUS] H6.7: a flag that is no boolean (`"yes"`, `1`) is a result API Gateway cannot read, as in payload 1.0
  // (H6.9, R1.40); read as false, a body meant as base64 went out as its base64 text without a word.
  const b64 = payload.isBase64Encoded;
  if (b64 !== undefined && b64 !== null && typeof b64 !== 'boolean') return { ok: false, reason: `isBase64Encoded ${JSON.stringify(b64)} is not a boolean` };
  const given = payload.body;
  const text = typeof given === 'string' || given === undefined || given === null ? (given ?? '') : functionUrl ? JSON.stringify(given) : undefined;
  if (text === undefined) return { ok: false, reason: 'body must be a string' };
  // H6.7: a body that says it is base64 and is not cannot be sent (decoded leniently, it was bytes of nothing).
  if (b64 === true && !isBase64(text)) return { ok: false, reason: 'isBase64Encoded is true and the body is not valid base64' };
  if (!headers.has('content-type')) headers.set('content-type', functionUrl ? 'application/json' : UNTYPED_CONTENT_TYPE);
  return { ok: true, response: build(status, headers, text, b64 === true) };
}

/**
 * Payload 2.0 result: structured when it is an object with statusCode, inferred otherwise (H6.2, H6.3), except that an
 * HTTP API answers an object shaped as Lambda's error document (an `errorMessage` key) with its 500 (H6.7), as AWS
 * answered LocalStack's recorded test (`{"errorMessage":"test fake error message"}` is 500; the string
 * `"errorMessage"` is a 200 body). What a function URL does with one is not recorded: it stays inferred there.
 */
export function responseV2(payload: unknown, functionUrl = false): HttpLambdaResult {
  if (isRecord(payload) && payload.statusCode !== undefined) return structured(payload, functionUrl);
  if (!functionUrl && isRecord(payload) && 'errorMessage' in payload) return { ok: false, reason: 'the result is shaped as a Lambda error (errorMessage), which API Gateway answers as a failed integration' };
  return { ok: true, response: inferred(payload) };
}

/** H6.9 as AWS answers it (LocalStack's recorded HTTP API tests): keys outside the contract ignored, statusCode required. */
const HTTP_V1_CONTRACT: ProxyContract = { otherKeys: 'ignored', statusRequired: true };

/** Payload 1.0 result: the REST proxy contract (R1.40-R1.47) as an HTTP API reads it, base64 always decoded (H6.6). */
export function responseV1(payload: unknown): HttpLambdaResult {
  const parsed = parseProxyResponse(payload, undefined, UNTYPED_CONTENT_TYPE, HTTP_V1_CONTRACT);
  if (!parsed.ok) return parsed;
  const { status, headers: list, body, isBase64Encoded } = parsed.result;
  if (isBase64Encoded && !isBase64(body)) return { ok: false, reason: 'isBase64Encoded is true and the body is not valid base64' };
  const headers = new Headers();
  for (const [n, v] of list) headers.append(n, textOctets(v));
  return { ok: true, response: build(status, headers, body, isBase64Encoded) };
}
