/** Reading API Gateway proxy events (payload 1.0): headers, caller identity, JSON bodies, list queries. */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { firstDuplicateKey } from './duplicate-keys.js';
import { BadRequestError, ContentTooLargeError, UnsupportedMediaTypeError, ValidationError } from './errors.js';
import type { PathOf, QueryOf } from './operation-input.js';
import { validatorFor } from './validation.js';

type ListParameters = QueryOf<'listTasks'> & QueryOf<'listUserTasks'>;

/**
 * A header by name, case-insensitively (clients and API Gateway do not normalize case). Lines of one name are one
 * comma-separated list (RFC 9110 §5.3): `headers` keeps only the last line, so `If-Match: "1"` then `If-Match: *` would
 * read as `*`; from `multiValueHeaders` it reads `"1", *`, which the header's own check refuses.
 */
export function header(event: Pick<APIGatewayProxyEvent, 'headers'> & Partial<Pick<APIGatewayProxyEvent, 'multiValueHeaders'>>, name: string): string | undefined {
  const wanted = name.toLowerCase();
  const lines = Object.entries(event.multiValueHeaders ?? {}).flatMap(([key, values]) => (key.toLowerCase() === wanted ? (values ?? []) : []));
  // The same value twice says nothing more than once (a client or proxy repeating Content-Type).
  if (lines.length > 1 && new Set(lines).size > 1) return lines.join(', ');
  for (const [key, value] of Object.entries(event.headers ?? {})) {
    if (key.toLowerCase() === wanted && value !== undefined) return value;
  }
  return undefined;
}

/** The Cognito `sub` the user pool authorizer put in the request context. */
export function callerSub(event: APIGatewayProxyEvent): string {
  const sub: unknown = event.requestContext.authorizer?.claims?.sub;
  // Only a misconfigured route (no Cognito authorizer) gets here: a 500, not the client's fault.
  if (typeof sub !== 'string' || sub === '') throw new Error('requestContext.authorizer.claims.sub is missing');
  return sub;
}

// fatal: bytes that are no UTF-8 throw; ignoreBOM: a leading BOM is kept, for the one check below to strip it.
const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/** A 415 unless the Content-Type's media type is application/json (an absent or empty one is not). */
export function requireJsonMediaType(contentType: string | null | undefined): void {
  const mediaType = contentType?.split(';')[0]?.trim().toLowerCase();
  if (mediaType !== 'application/json') throw new UnsupportedMediaTypeError();
}

/** Parses a JSON body; a non-JSON content type is a 415, unparsable text (or bytes that are no UTF-8) a 400. */
export function jsonBody(event: APIGatewayProxyEvent): unknown {
  return readJsonBody(event).value;
}

/** The JSON body (as `jsonBody`) and the text it was parsed from, for `checkBodyText` once the value is validated. */
export function readJsonBody(event: APIGatewayProxyEvent): { value: unknown; text: string } {
  requireJsonMediaType(header(event, 'content-type'));
  let text = event.body ?? '';
  if (event.isBase64Encoded) {
    // JSON is UTF-8 (RFC 8259 §8.1). An HTTP API sends bytes that are no UTF-8 base64: decoding them leniently would
    // store each bad byte as U+FFFD (a Latin-1 "café" as "caf\uFFFD"), so they are refused, not silently replaced.
    try {
      text = UTF8.decode(Buffer.from(text, 'base64'));
    } catch {
      throw new BadRequestError('The request body is not valid JSON: it is not UTF-8 text.', 'malformed-json');
    }
  }
  try {
    // RFC 8259 §8.1 lets a parser ignore a leading byte order mark; the gateway's body validation (and so
    // updateTask's template) already does, so createTask and the HTTP API read the same bodies as PUT on REST.
    return { value: JSON.parse(text.startsWith('\uFEFF') ? text.slice(1) : text) as unknown, text };
  } catch {
    throw new BadRequestError('The request body is not valid JSON.', 'malformed-json');
  }
}

/**
 * The most characters a JSON body may have. A valid NewTask or TaskUpdate holds about 4,000 at most; the rest could
 * only be padding. The bound lets updateTask's REST template hand the body as sent to the function (`rawBody`), for
 * the check below, without an event the padding pushes past Lambda's 6 MB (a 5xx for a 4xx request).
 */
export const MAX_BODY_CHARS = 65_536;

/**
 * The checks a body's text needs once its value is valid (the order of the REST API, whose gateway validates first):
 * over MAX_BODY_CHARS a 413; a member named twice in one object a 400 naming it (`firstDuplicateKey`). `null` is the
 * REST template's word for a body over the bound; `undefined`, no text to check (a direct invoke with no `rawBody`).
 */
export function checkBodyText(text: string | null | undefined): void {
  if (text === null || (text !== undefined && text.length > MAX_BODY_CHARS)) throw new ContentTooLargeError(`The request body is over ${MAX_BODY_CHARS} characters.`);
  const duplicate = text === undefined ? undefined : firstDuplicateKey(text);
  if (duplicate !== undefined) throw new ValidationError(`Invalid request body: ${duplicate} is given more than once`, [{ pointer: duplicate, message: 'is given more than once' }]);
}

/** listTasks' and listUserTasks' query, validated, with the contract's default limit applied. */
export type ListQuery = Omit<ListParameters, 'limit'> & { limit: number };

// Decimal digits only (no sign, exponent, fraction or space); leading zeros read as any integer reads them.
const LIMIT = /^[0-9]+$/;

/** Validates limit (integer 1-100, default 20), status (the TaskStatus enum) and cursor, each given at most once. */
export function listQuery(event: Pick<APIGatewayProxyEvent, 'queryStringParameters'> & Partial<Pick<APIGatewayProxyEvent, 'multiValueQueryStringParameters'>>): ListQuery {
  const q = event.queryStringParameters ?? {};
  const errors: { pointer: string; message: string }[] = [];
  // queryStringParameters keeps the last of repeated values: `?limit=500&limit=1` would be a page of one, silently.
  for (const [name, values] of Object.entries(event.multiValueQueryStringParameters ?? {})) {
    if (['limit', 'status', 'cursor'].includes(name) && (values?.length ?? 0) > 1) errors.push({ pointer: name, message: 'must be given at most once' });
  }
  const limit = q.limit === undefined ? 20 : LIMIT.test(q.limit) ? Number(q.limit) : NaN;
  if (!(limit >= 1 && limit <= 100)) errors.push({ pointer: 'limit', message: 'must be an integer from 1 to 100' });
  if (q.status !== undefined && !validatorFor('TaskStatus')(q.status)) {
    errors.push({ pointer: 'status', message: 'must be one of todo, in_progress, done' });
  }
  if (q.cursor !== undefined && (q.cursor.length < 1 || q.cursor.length > 2048)) {
    errors.push({ pointer: 'cursor', message: 'must be 1 to 2048 characters' });
  }
  const first = errors[0];
  if (first) throw new ValidationError(`${first.pointer}: ${first.message}`, errors);
  const query: ListQuery = { limit };
  if (q.status !== undefined) query.status = q.status as NonNullable<ListParameters['status']>;
  if (q.cursor !== undefined) query.cursor = q.cursor;
  return query;
}

/** A proxy event as both APIs send it: an HTTP API's payload 1.0 says its `version`, a REST API's has none. */
export type PathEvent = Pick<APIGatewayProxyEvent, 'pathParameters'> & { version?: unknown };

/**
 * A path parameter as the contract reads it, percent-decoded ("lengths and patterns apply to the decoded value"): a
 * REST API's proxy event carries it as the client sent it, an HTTP API's already decoded (H4.3), so it is decoded
 * once whichever API sent it. A value that does not percent-decode (a malformed escape, bytes that are no UTF-8) has no
 * decoded value the contract could check: undefined, which every caller refuses as it refuses a missing one (kept as
 * sent, `%ZZ` passed userId's length check and listed a user of that name).
 */
export function pathValue(event: PathEvent, name: string): string | undefined {
  const value = event.pathParameters?.[name] ?? undefined;
  if (value === undefined || event.version !== undefined || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return undefined;
  }
}

/** A path parameter, percent-decoded, checked against a contract schema; a bad value is a 400 naming the parameter. */
export function pathParam(event: PathEvent, name: 'taskId', schema: 'TaskId'): PathOf<'deleteTask'>['taskId'] {
  const value = pathValue(event, name);
  if (value === undefined || !validatorFor(schema)(value)) {
    throw new ValidationError(`${name}: must be a ${schema} (a 26-character ULID)`, [{ pointer: name, message: 'must be a ULID' }]);
  }
  return value;
}
