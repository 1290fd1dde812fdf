/**
 * S3's REST API (path-style addressing, `/<bucket>/<key>`) over the store: which operation a request is, its input
 * from the path, query and headers, and its answer as S3 writes it (S3 API Reference, one section per operation).
 * Served: ListBuckets, CreateBucket, HeadBucket, DeleteBucket, GetBucketLocation, ListObjects(V2), PutObject,
 * CopyObject, GetObject (ranges, conditions, response-* overrides), HeadObject, DeleteObject, DeleteObjects, and the
 * multipart uploads (multipart.ts). Anything else is NotImplemented (501), named in the answer.
 */
import { errorXml, invalidArgument, notImplemented, S3Error } from './errors.js';
import { readUpload } from './payload.js';
import { checkDeleteConditions, checkWriteConditions, etagMatches } from './conditions.js';
import { isFormUpload, postObject } from './post-object.js';
import type { LocalCredentials } from '../sigv4.js';
import { completedXml, completeUpload, createUpload, listParts, listUploads, uploadOf, uploadPart } from './multipart.js';
import { STORED_HEADERS, type S3Store, type StoredObject } from './store.js';
import { elements, elementText, escapeXml, xmlDocument, xmlElement } from './xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
const MAX_METADATA_BYTES = 2 * 1024;
/** The owner S3 lists: the local account's canonical user. */
const OWNER = { id: 'a1b2c3d4e5f60718293a4b5c6d7e8f9012a3b4c5d6e7f8091a2b3c4d5e6f7081', name: 'local' };

export interface S3Request {
  method: string;
  /** Path and query as sent. */
  url: string;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
}

export interface S3Answer {
  status: number;
  headers: Record<string, string>;
  body: Buffer | string;
}

/** What an operation changed, for the bucket's event notifications (notifications.ts). */
export interface S3Change {
  eventName: 'ObjectCreated:Put' | 'ObjectCreated:Post' | 'ObjectCreated:Copy' | 'ObjectCreated:CompleteMultipartUpload' | 'ObjectRemoved:Delete';
  /** The request that made the change (the event's x-amz-request-id). */
  requestId: string;
  bucket: string;
  key: string;
  object?: StoredObject;
}

export interface S3Context {
  store: S3Store;
  /** What a form upload's policy must be signed with (PostObject signs its policy, not the request). */
  credentials?: LocalCredentials;
  /** Buckets whose OwnershipControls allow ACLs; S3's default (BucketOwnerEnforced) refuses them. */
  allowsAcls?: (bucket: string) => boolean;
  region: string;
  requestId: string;
  onChange?: (change: S3Change) => void;
}

interface Target {
  bucket?: string;
  key?: string;
  query: URLSearchParams;
}

/** `/<bucket>/<key>?<query>`: the key is everything after the bucket's slash, percent-decoded (it may hold `//`). */
export function targetOf(url: string): Target {
  const queryAt = url.indexOf('?');
  const path = queryAt < 0 ? url : url.slice(0, queryAt);
  const query = new URLSearchParams(queryAt < 0 ? '' : url.slice(queryAt + 1));
  // `//` (an API Gateway `s3:path//` integration) is the service root, as `/` is.
  const rest = path.replace(/^\/+/, '');
  if (rest === '') return { query };
  const slash = rest.indexOf('/');
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      throw new S3Error('InvalidURI', "Couldn't parse the specified URI.", 400);
    }
  };
  if (slash < 0) return { bucket: decode(rest), query };
  const key = decode(rest.slice(slash + 1));
  return { bucket: decode(rest.slice(0, slash)), ...(key === '' ? {} : { key }), query };
}

const header = (req: S3Request, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const httpDate = (ms: number): string => new Date(ms).toUTCString();
const isoDate = (ms: number): string => new Date(ms).toISOString();
const xml = (status: number, body: string): S3Answer => ({ status, headers: { 'content-type': 'application/xml' }, body: xmlDocument(body) });
const empty = (status: number, headers: Record<string, string> = {}): S3Answer => ({ status, headers, body: '' });

/** Run one request against the store; S3's errors come back as their XML answer (a HEAD's without a body). */
export function answerS3(req: S3Request, ctx: S3Context): S3Answer {
  let target: Target | undefined;
  try {
    target = targetOf(req.url);
    return route(req, target, ctx);
  } catch (error) {
    if (!(error instanceof S3Error)) throw error;
    if (req.method === 'HEAD') return empty(error.status);
    return { status: error.status, headers: { 'content-type': 'application/xml' }, body: errorXml(error, ctx.requestId) };
  }
}

/** Sub-resources of a bucket or object this S3 does not serve: their name in the NotImplemented answer. */
const UNSERVED_SUBRESOURCES = [
  'accelerate', 'acl', 'analytics', 'attributes', 'cors', 'encryption', 'intelligent-tiering', 'inventory', 'legal-hold', 'lifecycle', 'logging', 'metrics',
  'notification', 'object-lock', 'ownershipControls', 'policy', 'policyStatus', 'publicAccessBlock', 'replication', 'requestPayment', 'restore',
  'retention', 'select', 'session', 'tagging', 'torrent', 'versionId', 'versioning', 'versions', 'website',
];

function route(req: S3Request, target: Target, ctx: S3Context): S3Answer {
  const { bucket, key, query } = target;
  // versionId=null names the one version an unversioned bucket's object has.
  const unserved = UNSERVED_SUBRESOURCES.find((name) => query.has(name) && !(name === 'versionId' && query.get(name) === 'null'));
  if (unserved) throw notImplemented(`?${unserved} (${req.method})`);
  if (bucket === undefined) {
    if (req.method === 'GET') return listBuckets(ctx);
    throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: req.method, ResourceType: 'SERVICE' });
  }
  if (key === undefined) {
    switch (req.method) {
      case 'GET':
        if (query.has('location')) return location(ctx, bucket);
        if (query.has('uploads')) return xml(200, listUploads(ctx.store, bucket, query, OWNER.id, OWNER.name));
        return query.get('list-type') === '2' ? listObjects(ctx, bucket, query, 2) : listObjects(ctx, bucket, query, 1);
      case 'HEAD':
        ctx.store.bucket(bucket);
        return empty(200, { 'x-amz-bucket-region': ctx.region, 'x-amz-access-point-alias': 'false' });
      case 'PUT':
        ctx.store.createBucket(bucket);
        return empty(200, { location: `/${bucket}` });
      case 'DELETE':
        ctx.store.deleteBucket(bucket);
        return empty(204);
      case 'POST':
        if (query.has('delete')) return deleteObjects(req, ctx, bucket);
        if (isFormUpload(header(req, 'content-type')) && ctx.credentials) {
          const posted = postObject(ctx.store, bucket, header(req, 'content-type')!, req.body, ctx.credentials, header(req, 'host') ?? 'localhost');
          ctx.onChange?.({ requestId: ctx.requestId, eventName: 'ObjectCreated:Post', bucket, key: posted.object.key, object: posted.object });
          return { status: posted.status, headers: { ...posted.headers, 'x-amz-server-side-encryption': 'AES256' }, body: posted.body };
        }
        throw notImplemented('POST on a bucket other than a form upload or ?delete');
      default:
        throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: req.method, ResourceType: 'BUCKET' });
    }
  }
  if (query.has('uploads') || query.has('uploadId') || query.has('partNumber')) return multipart(req, ctx, bucket, key, query);
  switch (req.method) {
    case 'GET':
    case 'HEAD':
      return getObject(req, ctx, bucket, key, query);
    case 'PUT':
      return header(req, 'x-amz-copy-source') === undefined ? putObject(req, ctx, bucket, key) : copyObject(req, ctx, bucket, key);
    case 'DELETE':
      checkDeleteConditions((name) => header(req, name), ctx.store.bucket(bucket).objects.get(key));
      if (ctx.store.delete(bucket, key)) ctx.onChange?.({ requestId: ctx.requestId, eventName: 'ObjectRemoved:Delete', bucket, key });
      return empty(204);
    case 'POST':
      throw notImplemented('POST on an object without ?uploads or ?uploadId');
    default:
      throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: req.method, ResourceType: 'OBJECT' });
  }
}

/** The multipart upload operations on an object: create (POST ?uploads), parts (PUT), complete (POST), abort (DELETE), list parts (GET). */
function multipart(req: S3Request, ctx: S3Context, bucket: string, key: string, query: URLSearchParams): S3Answer {
  const id = query.get('uploadId');
  const partNumber = query.get('partNumber');
  const input = { headers: req.headers, body: req.body, now: ctx.store.now() };
  if (req.method === 'POST' && query.has('uploads')) {
    checkAcl(req, ctx, bucket);
    const created = createUpload(ctx.store, bucket, key, input, objectFields(req));
    const answer = xml(200, created.xml);
    return { ...answer, headers: { ...answer.headers, ...created.headers } };
  }
  if (id === null) {
    if (partNumber !== null && (req.method === 'GET' || req.method === 'HEAD')) throw notImplemented('GetObject of one part (?partNumber)');
    if (partNumber !== null) throw invalidArgument('This operation does not accept partNumber without uploadId', 'partNumber', partNumber);
    throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: req.method, ResourceType: 'OBJECT' });
  }
  const upload = uploadOf(ctx.store, bucket, key, id);
  switch (req.method) {
    case 'PUT':
      if (partNumber === null) throw invalidArgument('This operation does not accept uploadId without partNumber', 'uploadId', id);
      if (header(req, 'x-amz-copy-source') !== undefined) throw notImplemented('UploadPartCopy (a part copied from an object)');
      return empty(200, uploadPart(upload, partNumber, input));
    case 'POST': {
      const { object } = completeUpload(ctx.store, upload, input);
      ctx.onChange?.({ requestId: ctx.requestId, eventName: 'ObjectCreated:CompleteMultipartUpload', bucket, key, object });
      const location = `http://${header(req, 'host') ?? 'localhost'}/${encodeURIComponent(bucket)}/${key.split('/').map(encodeURIComponent).join('/')}`;
      const answer = xml(200, completedXml(object, bucket, location));
      return { ...answer, headers: { ...answer.headers, 'x-amz-server-side-encryption': 'AES256' } };
    }
    case 'DELETE':
      ctx.store.uploads.delete(upload.id);
      return empty(204);
    case 'GET':
      return xml(200, listParts(upload, query, OWNER.id, OWNER.name));
    default:
      throw new S3Error('MethodNotAllowed', 'The specified method is not allowed against this resource.', 405, { Method: req.method, ResourceType: 'OBJECT' });
  }
}

function listBuckets(ctx: S3Context): S3Answer {
  const buckets = ctx.store.list().map((b) => `<Bucket>${xmlElement('Name', b.name)}${xmlElement('CreationDate', isoDate(b.created))}${xmlElement('BucketRegion', ctx.region)}</Bucket>`);
  return xml(200, `<ListAllMyBucketsResult xmlns="${NS}"><Owner>${xmlElement('ID', OWNER.id)}${xmlElement('DisplayName', OWNER.name)}</Owner><Buckets>${buckets.join('')}</Buckets></ListAllMyBucketsResult>`);
}

function location(ctx: S3Context, bucket: string): S3Answer {
  ctx.store.bucket(bucket);
  // us-east-1 is the empty constraint, as S3 answers for it.
  const value = ctx.region === 'us-east-1' ? '' : escapeXml(ctx.region);
  return xml(200, `<LocationConstraint xmlns="${NS}">${value}</LocationConstraint>`);
}

/** ListObjects (version 1: marker) and ListObjectsV2 (continuation-token, start-after, fetch-owner). */
function listObjects(ctx: S3Context, bucket: string, query: URLSearchParams, version: 1 | 2): S3Answer {
  ctx.store.bucket(bucket);
  const maxKeysText = query.get('max-keys');
  const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0 || maxKeys > 2_147_483_647) throw invalidArgument('Provided max-keys not an integer or within integer range', 'max-keys', maxKeysText ?? '');
  const encoding = query.get('encoding-type');
  if (encoding !== null && encoding !== 'url') throw invalidArgument('Invalid Encoding Method specified in Request', 'encoding-type', encoding);
  const encode = (text: string): string => (encoding === 'url' ? encodeURIComponent(text).replace(/%2F/g, '/') : text);
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const token = query.get('continuation-token');
  let after: string | undefined;
  if (version === 2 && token !== null) {
    after = Buffer.from(token, 'base64url').toString('utf8');
    if (!after.startsWith('k:')) throw new S3Error('InvalidArgument', 'The continuation token provided is incorrect', 400, { ArgumentName: 'continuation-token' }); // S3 does not echo the token
    after = after.slice(2);
  } else after = (version === 2 ? query.get('start-after') : query.get('marker')) ?? undefined;
  const page = ctx.store.listObjects(bucket, { prefix, ...(delimiter ? { delimiter } : {}), maxKeys: Math.min(maxKeys, 1000), ...(after ? { after } : {}) });
  const owner = version === 1 || query.get('fetch-owner') === 'true' ? `<Owner>${xmlElement('ID', OWNER.id)}${xmlElement('DisplayName', OWNER.name)}</Owner>` : '';
  const contents = page.contents.map(
    (o) =>
      `<Contents>${xmlElement('Key', encode(o.key))}${xmlElement('LastModified', isoDate(o.lastModified))}${xmlElement('ETag', o.etag)}${o.checksum ? xmlElement('ChecksumAlgorithm', o.checksum.algorithm) : ''}${o.checksum ? xmlElement('ChecksumType', o.checksum.type ?? 'FULL_OBJECT') : ''}${xmlElement('Size', o.body.length)}${owner}${xmlElement('StorageClass', 'STANDARD')}</Contents>`,
  );
  const prefixes = page.commonPrefixes.map((p) => `<CommonPrefixes>${xmlElement('Prefix', encode(p))}</CommonPrefixes>`);
  const parts = [`<ListBucketResult xmlns="${NS}">`, xmlElement('Name', bucket), xmlElement('Prefix', encode(prefix))];
  if (version === 2) {
    if (token !== null) parts.push(xmlElement('ContinuationToken', token));
    if (page.isTruncated && page.last !== undefined) parts.push(xmlElement('NextContinuationToken', Buffer.from(`k:${page.last}`).toString('base64url')));
    parts.push(xmlElement('KeyCount', page.contents.length + page.commonPrefixes.length));
    if (query.has('start-after')) parts.push(xmlElement('StartAfter', encode(query.get('start-after')!)));
  } else {
    parts.push(xmlElement('Marker', encode(query.get('marker') ?? '')));
    // Version 1 names the next marker only with a delimiter; without one, the last key is the next marker.
    if (page.isTruncated && delimiter && page.last !== undefined) parts.push(xmlElement('NextMarker', encode(page.last)));
  }
  parts.push(xmlElement('MaxKeys', maxKeys));
  if (delimiter) parts.push(xmlElement('Delimiter', encode(delimiter)));
  if (encoding) parts.push(xmlElement('EncodingType', encoding));
  parts.push(xmlElement('IsTruncated', page.isTruncated), ...contents, ...prefixes, '</ListBucketResult>');
  return xml(200, parts.join(''));
}

/** The object's stored headers, metadata and checksum as a PUT's headers give them. */
function objectFields(req: S3Request): Pick<StoredObject, 'headers' | 'metadata'> {
  const headers: Record<string, string> = {};
  for (const name of STORED_HEADERS) {
    const value = header(req, name);
    if (value !== undefined) headers[name] = value;
  }
  // aws-chunked is how the body was sent, not how it is stored (S3 drops it from Content-Encoding).
  if (headers['content-encoding'] !== undefined) {
    const kept = headers['content-encoding'].split(',').map((v) => v.trim()).filter((v) => v !== '' && v.toLowerCase() !== 'aws-chunked');
    if (kept.length > 0) headers['content-encoding'] = kept.join(', ');
    else delete headers['content-encoding'];
  }
  headers['content-type'] ??= 'binary/octet-stream';
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) {
    if (name.startsWith('x-amz-meta-') && value !== undefined) metadata[name.slice('x-amz-meta-'.length)] = Array.isArray(value) ? value.join(',') : value;
  }
  const size = Object.entries(metadata).reduce((sum, [k, v]) => sum + Buffer.byteLength(k) + Buffer.byteLength(v), 0);
  if (size > MAX_METADATA_BYTES) throw new S3Error('MetadataTooLarge', 'Your metadata headers exceed the maximum allowed metadata size.', 400, { Size: String(size), MaxSizeAllowed: String(MAX_METADATA_BYTES) });
  return { headers, metadata };
}

function writtenHeaders(object: StoredObject): Record<string, string> {
  return {
    etag: object.etag,
    'x-amz-server-side-encryption': 'AES256',
    ...(object.checksum ? { [`x-amz-checksum-${object.checksum.algorithm.toLowerCase()}`]: object.checksum.value, 'x-amz-checksum-type': object.checksum.type ?? 'FULL_OBJECT' } : {}),
  };
}

/** An ACL on a bucket with ACLs disabled (S3's default since April 2023) is refused; bucket-owner-full-control is what it already is. */
function checkAcl(req: S3Request, ctx: S3Context, bucket: string): void {
  const acl = header(req, 'x-amz-acl');
  const grants = Object.keys(req.headers).some((name) => name.startsWith('x-amz-grant-'));
  if ((acl === undefined || acl === 'bucket-owner-full-control') && !grants) return;
  if (ctx.allowsAcls?.(bucket)) return;
  throw new S3Error('AccessControlListNotSupported', 'The bucket does not allow ACLs', 400);
}

function putObject(req: S3Request, ctx: S3Context, bucket: string, key: string): S3Answer {
  ctx.store.bucket(bucket);
  // S3 takes no upload of unknown length (an HTTP chunked body); an aws-chunked one declares its decoded length.
  if (header(req, 'content-length') === undefined && header(req, 'x-amz-decoded-content-length') === undefined) throw new S3Error('MissingContentLength', 'You must provide the Content-Length HTTP header.', 411);
  checkAcl(req, ctx, bucket);
  const fields = objectFields(req);
  const { body, checksum } = readUpload(req.headers, req.body, 'hex');
  checkWriteConditions((name) => header(req, name), ctx.store.bucket(bucket).objects.get(key), key);
  const object = ctx.store.put(bucket, { key, body, ...fields, ...(checksum ? { checksum } : {}) });
  ctx.onChange?.({ requestId: ctx.requestId, eventName: 'ObjectCreated:Put', bucket, key, object });
  return empty(200, writtenHeaders(object));
}

/** CopyObject: `x-amz-copy-source: [/]<bucket>/<key>`, metadata copied (COPY) or taken from the request (REPLACE). */
function copyObject(req: S3Request, ctx: S3Context, bucket: string, key: string): S3Answer {
  const sourceText = header(req, 'x-amz-copy-source')!;
  const source = copySource(sourceText);
  if (source.versionId !== undefined && source.versionId !== 'null') throw notImplemented('object versions (x-amz-copy-source versionId)');
  ctx.store.bucket(bucket);
  checkAcl(req, ctx, bucket);
  const from = ctx.store.get(source.bucket, source.key);
  const directive = (header(req, 'x-amz-metadata-directive') ?? 'COPY').toUpperCase();
  if (directive !== 'COPY' && directive !== 'REPLACE') throw invalidArgument('Unknown metadata directive.', 'x-amz-metadata-directive', directive);
  if (source.bucket === bucket && source.key === key && directive === 'COPY') {
    throw new S3Error(
      'InvalidRequest',
      "This copy request is illegal because it is trying to copy an object to itself without changing the object's metadata, storage class, website redirect location or encryption attributes.",
      400,
    );
  }
  checkCopyConditions(req, from);
  const fields = directive === 'REPLACE' ? objectFields(req) : { headers: { ...from.headers }, metadata: { ...from.metadata } };
  checkWriteConditions((name) => header(req, name), ctx.store.bucket(bucket).objects.get(key), key);
  const object = ctx.store.put(bucket, { key, body: from.body, ...fields, ...(from.checksum ? { checksum: from.checksum } : {}) });
  ctx.onChange?.({ requestId: ctx.requestId, eventName: 'ObjectCreated:Copy', bucket, key, object });
  const checksum = object.checksum ? xmlElement(`Checksum${object.checksum.algorithm}`, object.checksum.value) : '';
  const answer = xml(200, `<CopyObjectResult>${xmlElement('LastModified', isoDate(object.lastModified))}${xmlElement('ETag', object.etag)}${checksum}</CopyObjectResult>`);
  return { ...answer, headers: { ...answer.headers, 'x-amz-server-side-encryption': 'AES256' } };
}

/**
 * `x-amz-copy-source: [/]<bucket>/<key>[?versionId=<id>]`, URL-encoded: S3 decodes it whole, then splits the bucket at
 * the first slash (so `bucket%2Fkey` names the same object as `bucket/key`).
 */
function copySource(text: string): { bucket: string; key: string; versionId?: string } {
  const at = text.indexOf('?');
  const versionId = at < 0 ? undefined : new URLSearchParams(text.slice(at + 1)).get('versionId') ?? undefined;
  let path: string;
  try {
    path = decodeURIComponent(at < 0 ? text : text.slice(0, at)).replace(/^\//, '');
  } catch {
    throw invalidArgument('Invalid copy source encoding', 'x-amz-copy-source', text);
  }
  const slash = path.indexOf('/');
  if (slash <= 0 || slash === path.length - 1) throw invalidArgument('Copy Source must mention the source bucket and key: sourcebucket/sourcekey', 'x-amz-copy-source', text);
  return { bucket: path.slice(0, slash), key: path.slice(slash + 1), ...(versionId !== undefined ? { versionId } : {}) };
}

/** x-amz-copy-source-if-* : the source's ETag and date against the request's conditions (412 when one fails). */
function checkCopyConditions(req: S3Request, from: StoredObject): void {
  const failed = (condition: string): S3Error => new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
  const ifMatch = header(req, 'x-amz-copy-source-if-match');
  const ifNoneMatch = header(req, 'x-amz-copy-source-if-none-match');
  const ifModified = dateHeader(req, 'x-amz-copy-source-if-modified-since');
  const ifUnmodified = dateHeader(req, 'x-amz-copy-source-if-unmodified-since');
  if (ifMatch !== undefined && !etagMatches(ifMatch, from.etag)) throw failed('x-amz-copy-source-If-Match');
  if (ifNoneMatch !== undefined && etagMatches(ifNoneMatch, from.etag)) throw failed('x-amz-copy-source-If-None-Match');
  if (ifUnmodified !== undefined && ifMatch === undefined && seconds(from.lastModified) > ifUnmodified) throw failed('x-amz-copy-source-If-Unmodified-Since');
  if (ifModified !== undefined && ifNoneMatch === undefined && seconds(from.lastModified) <= ifModified) throw failed('x-amz-copy-source-If-Modified-Since');
}

const seconds = (ms: number): number => Math.floor(ms / 1000) * 1000;

function dateHeader(req: S3Request, name: string): number | undefined {
  const value = header(req, name);
  if (value === undefined) return undefined;
  const ms = Date.parse(value);
  return Number.isNaN(ms) ? undefined : ms;
}

/** The response-* query parameters a (presigned) GET may set: they override the stored headers in the answer. */
const RESPONSE_OVERRIDES: Record<string, string> = {
  'response-content-type': 'content-type',
  'response-content-language': 'content-language',
  'response-expires': 'expires',
  'response-cache-control': 'cache-control',
  'response-content-disposition': 'content-disposition',
  'response-content-encoding': 'content-encoding',
};

/** GetObject / HeadObject: conditions (RFC 9110 order, as S3 applies them), one byte range, response-* overrides. */
function getObject(req: S3Request, ctx: S3Context, bucket: string, key: string, query: URLSearchParams): S3Answer {
  const object = ctx.store.get(bucket, key);
  const base: Record<string, string> = {
    'last-modified': httpDate(object.lastModified),
    etag: object.etag,
    'x-amz-server-side-encryption': 'AES256',
    'accept-ranges': 'bytes',
  };
  const ifMatch = header(req, 'if-match');
  const ifNoneMatch = header(req, 'if-none-match');
  const ifModified = dateHeader(req, 'if-modified-since');
  const ifUnmodified = dateHeader(req, 'if-unmodified-since');
  const failed = (condition: string): S3Error => new S3Error('PreconditionFailed', 'At least one of the pre-conditions you specified did not hold', 412, { Condition: condition });
  if (ifMatch !== undefined && !etagMatches(ifMatch, object.etag)) throw failed('If-Match');
  if (ifMatch === undefined && ifUnmodified !== undefined && seconds(object.lastModified) > ifUnmodified) throw failed('If-Unmodified-Since');
  // A date later than S3's clock is ignored (RFC 9110 13.1.3), as S3 does: the object is sent.
  const modifiedSince = ifModified !== undefined && ifModified <= ctx.store.now() ? ifModified : undefined;
  if (ifNoneMatch !== undefined ? etagMatches(ifNoneMatch, object.etag) : modifiedSince !== undefined && seconds(object.lastModified) <= modifiedSince) {
    return empty(304, { 'last-modified': base['last-modified']!, etag: object.etag });
  }
  const headers: Record<string, string> = { ...object.headers, ...base };
  for (const [name, value] of Object.entries(object.metadata)) headers[`x-amz-meta-${name}`] = value;
  for (const [param, name] of Object.entries(RESPONSE_OVERRIDES)) {
    const value = query.get(param);
    if (value !== null) headers[name] = value;
  }
  if (object.checksum && header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
    headers[`x-amz-checksum-${object.checksum.algorithm.toLowerCase()}`] = object.checksum.value;
    headers['x-amz-checksum-type'] = object.checksum.type ?? 'FULL_OBJECT';
  }
  const size = object.body.length;
  const range = byteRange(header(req, 'range'), size);
  if (range === 'unsatisfiable') {
    throw new S3Error('InvalidRange', 'The requested range is not satisfiable', 416, { RangeRequested: header(req, 'range')!, ActualObjectSize: String(size) });
  }
  if (range) {
    const [start, end] = range;
    // A ranged answer carries no whole-object checksum (S3 returns it only for the full object).
    for (const name of Object.keys(headers)) if (name.startsWith('x-amz-checksum-')) delete headers[name];
    return { status: 206, headers: { ...headers, 'content-range': `bytes ${start}-${end}/${size}`, 'content-length': String(end - start + 1) }, body: req.method === 'HEAD' ? '' : object.body.subarray(start, end + 1) };
  }
  return { status: 200, headers: { ...headers, 'content-length': String(size) }, body: req.method === 'HEAD' ? '' : object.body };
}

/** One `bytes=` range (first-last, first-, -suffix) clipped to the object; anything else is ignored, as HTTP allows. */
function byteRange(value: string | undefined, size: number): [number, number] | 'unsatisfiable' | undefined {
  const match = value === undefined ? null : /^bytes=(\d*)-(\d*)$/.exec(value.trim());
  if (!match || (match[1] === '' && match[2] === '')) return undefined;
  if (match[1] === '') {
    const suffix = Number(match[2]);
    if (suffix === 0 || size === 0) return 'unsatisfiable';
    return [Math.max(0, size - suffix), size - 1];
  }
  const start = Number(match[1]);
  const end = match[2] === '' ? size - 1 : Math.min(Number(match[2]), size - 1);
  if (match[2] !== '' && Number(match[2]) < start) return undefined;
  if (start >= size) return 'unsatisfiable';
  return [start, end];
}

/** DeleteObjects: up to 1,000 keys from `<Delete><Object><Key>…`; Quiet lists only the errors. */
function deleteObjects(req: S3Request, ctx: S3Context, bucket: string): S3Answer {
  ctx.store.bucket(bucket);
  const document = readUpload(req.headers, req.body).body.toString('utf8');
  const objects = elements(document, 'Object');
  if (!/<Delete[\s>]/.test(document) || objects.length === 0 || objects.length > 1000) {
    throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
  }
  const quiet = elementText(document, 'Quiet') === 'true';
  const deleted: string[] = [];
  for (const object of objects) {
    const key = elementText(object, 'Key');
    if (key === undefined || key === '') throw new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
    if (ctx.store.delete(bucket, key)) ctx.onChange?.({ requestId: ctx.requestId, eventName: 'ObjectRemoved:Delete', bucket, key });
    if (!quiet) deleted.push(`<Deleted>${xmlElement('Key', key)}</Deleted>`);
  }
  return xml(200, `<DeleteResult xmlns="${NS}">${deleted.join('')}</DeleteResult>`);
}
