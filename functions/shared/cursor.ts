/**
 * Pagination cursors: opaque to clients and tamper-evident. A cursor is
 * base64url(JSON {k: LastEvaluatedKey, o: owner, s: status filter}) "." base64url(HMAC-SHA256),
 * so a forged key, another user's cursor or another filter's cursor is a 400, never a 500.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { BadRequestError } from './errors.js';

/** The query a cursor belongs to. */
export interface CursorScope {
  ownerId: string;
  status?: string | undefined;
}

export type PageKey = Record<string, string>;

function sign(payload: string, key: string): Buffer {
  return createHmac('sha256', key).update(payload).digest();
}

/** A signed cursor continuing `scope` after `lastKey`. */
export function encodeCursor(lastKey: PageKey, scope: CursorScope, key: string): string {
  const payload = Buffer.from(JSON.stringify({ k: lastKey, o: scope.ownerId, s: scope.status ?? null })).toString('base64url');
  return `${payload}.${sign(payload, key).toString('base64url')}`;
}

const invalid = (why: string): BadRequestError => new BadRequestError(`cursor: ${why}`, 'invalid-cursor');

function isPageKey(value: unknown): value is PageKey {
  return (
    typeof value === 'object' &&
    value !== null &&
    !Array.isArray(value) &&
    Object.values(value).every((v) => typeof v === 'string')
  );
}

/** The LastEvaluatedKey in a cursor, after checking its signature and that it belongs to `scope`. */
export function decodeCursor(cursor: string, scope: CursorScope, key: string): PageKey {
  const [payload, mac, extra] = cursor.split('.');
  if (!payload || !mac || extra !== undefined) throw invalid('is not a cursor returned by this API');
  // Compare the canonical text: decoding first would accept other spellings of the same bytes.
  const expected = Buffer.from(sign(payload, key).toString('base64url'));
  const given = Buffer.from(mac);
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) throw invalid('has been altered or is not from this API');
  let body: unknown;
  try {
    body = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    throw invalid('is not a cursor returned by this API');
  }
  const { k, o, s } = (body ?? {}) as { k?: unknown; o?: unknown; s?: unknown };
  if (!isPageKey(k)) throw invalid('is not a cursor returned by this API');
  if (o !== scope.ownerId || s !== (scope.status ?? null)) throw invalid('belongs to another listing (other user or status filter)');
  return k;
}
