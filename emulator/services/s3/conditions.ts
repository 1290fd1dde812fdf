/**
 * S3's conditional writes and deletes (S3 User Guide, "Conditional requests"): If-Match / If-None-Match on a PUT or
 * copy, If-Match on a DELETE, with S3's answers to the forms it does not accept.
 */
import { S3Error } from './errors.js';
import type { StoredObject } from './store.js';

/** A request header by its lower-case name. */
type Header = (name: string) => string | undefined;

const NOT_IMPLEMENTED = 'A header you provided implies functionality that is not implemented';
const failed = (condition: string): S3Error => new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
const notImplemented = (name: string, why?: string): S3Error => new S3Error('NotImplemented', NOT_IMPLEMENTED, 501, { Header: name, ...(why ? { additionalMessage: why } : {}) });

/** Whether an If-Match / If-None-Match value names the ETag (quoted or not, `*` for any). */
export const etagMatches = (condition: string, etag: string): boolean =>
  condition
    .split(',')
    .map((v) => v.trim())
    .some((v) => v === '*' || v === etag || `"${v}"` === etag);

/** If-Match / If-None-Match on a write: 412 when the current object says no, 501 for the forms S3 does not take. */
export function checkWriteConditions(header: Header, current: StoredObject | undefined, key: string): void {
  const ifNoneMatch = header('if-none-match');
  const ifMatch = header('if-match');
  if (ifNoneMatch !== undefined && ifMatch !== undefined) throw notImplemented('If-Match,If-None-Match', 'Multiple conditional request headers present in the request');
  if (ifNoneMatch !== undefined) {
    if (ifNoneMatch.trim() !== '*') throw notImplemented('If-None-Match', "We don't accept the provided value of If-None-Match header for this API");
    if (current) throw failed('If-None-Match');
  }
  if (ifMatch !== undefined) {
    // A write's If-Match names an ETag: `*` is for If-None-Match only.
    if (ifMatch.trim() === '*') throw notImplemented('If-Match', "We don't accept the provided value of If-Match header for this API");
    if (!current) throw new S3Error('NoSuchKey', 'The specified key does not exist.', 404, { Key: key });
    if (!etagMatches(ifMatch, current.etag)) throw failed('If-Match');
  }
}

/**
 * DeleteObject's conditions on a general purpose bucket: If-Match against the current ETag (412, nothing deleted);
 * the size and last-modified conditions are directory buckets' only, 501 naming the first given.
 */
export function checkDeleteConditions(header: Header, current: StoredObject | undefined): void {
  for (const name of ['x-amz-if-match-last-modified-time', 'x-amz-if-match-size']) if (header(name) !== undefined) throw notImplemented(name);
  const ifMatch = header('if-match');
  if (ifMatch !== undefined && current && !etagMatches(ifMatch, current.etag)) throw failed('If-Match');
}
