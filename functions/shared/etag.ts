/** Task versions as HTTP entity tags: ETag `"<version>"`, If-Match `"3"`, `W/"3"` or `*`. */
import { ValidationError } from './errors.js';

/** The expected version from If-Match: a number, `'any'` for `*`, or undefined when absent. */
export type Precondition = number | 'any' | undefined;

const ETAG = /^(?:W\/)?"([1-9][0-9]{0,14})"$/;

/**
 * Parses If-Match; a malformed value is a 400 naming the header (never silently ignored). An empty one is
 * malformed too: a client that sent the header asked for a conditional write, and an empty list matches no
 * version, so writing unconditionally would be the one wrong answer.
 */
export function parseIfMatch(header: string | undefined | null): Precondition {
  if (header === undefined || header === null) return undefined;
  const value = header.trim();
  if (value === '*') return 'any';
  const match = ETAG.exec(value);
  if (!match?.[1]) {
    throw new ValidationError('If-Match must be an entity tag such as "3" (as sent in ETag), W/"3" or *', [
      { pointer: 'If-Match', message: 'must be an entity tag such as "3"' },
    ]);
  }
  return Number(match[1]);
}

/** The strong entity tag of a version. */
export function etagOf(version: number): string {
  return `"${version}"`;
}
