/**
 * The embedded S3's buckets and objects, in memory, on an injectable clock: bucket naming rules, object keys in
 * UTF-8 binary order, and listing with a prefix, a delimiter and pages, as the S3 User Guide and API Reference
 * describe them. Protocol-free: operations.ts reads and writes S3's REST API around it.
 */
import { createHash } from 'node:crypto';
import { noSuchBucket, noSuchKey, S3Error } from './errors.js';
import type { MultipartUpload } from './multipart.js';

export interface S3Clock {
  /** Epoch milliseconds. */
  now(): number;
}

/** Headers S3 stores with an object and returns on GET and HEAD. */
export const STORED_HEADERS = ['content-type', 'content-encoding', 'content-disposition', 'content-language', 'cache-control', 'expires', 'x-amz-website-redirect-location'] as const;

export interface StoredObject {
  key: string;
  body: Buffer;
  /** The quoted MD5 of the body, as S3 gives a single-part upload's ETag. */
  etag: string;
  lastModified: number;
  /** The STORED_HEADERS the upload set (content-type always: binary/octet-stream when none was given). */
  headers: Record<string, string>;
  /** x-amz-meta-* names without their prefix, lower-cased, as S3 keeps them. */
  metadata: Record<string, string>;
  /** The additional checksum the upload sent or asked for (x-amz-checksum-<algorithm>), base64; a multipart upload's may be COMPOSITE (`<value>-<parts>`). */
  checksum?: { algorithm: string; value: string; type?: 'COMPOSITE' | 'FULL_OBJECT' };
}

export interface Bucket {
  name: string;
  created: number;
  objects: Map<string, StoredObject>;
}

export interface ListInput {
  prefix?: string;
  delimiter?: string;
  maxKeys: number;
  /** Keys after this one only (start-after, marker, or a continuation token's key). */
  after?: string;
}

export interface ListPage {
  contents: StoredObject[];
  commonPrefixes: string[];
  isTruncated: boolean;
  /** The last key or common prefix of this page (what the next page starts after). */
  last?: string;
}

const MAX_KEY_BYTES = 1024;

/** S3's rules for general purpose bucket names (User Guide, "Bucket naming rules"). */
export function bucketNameProblem(name: string): string | undefined {
  if (name.length < 3 || name.length > 63) return 'must be between 3 and 63 characters long';
  if (!/^[a-z0-9][a-z0-9.-]*[a-z0-9]$/.test(name)) return 'must be lower-case letters, numbers, dots and hyphens, beginning and ending with a letter or number';
  if (name.includes('..')) return 'must not contain two adjacent periods';
  if (/^\d{1,3}\.\d{1,3}\.\d{1,3}\.\d{1,3}$/.test(name)) return 'must not be formatted as an IP address';
  if (/^(xn--|sthree-|amzn-s3-demo-)/.test(name)) return 'must not start with xn--, sthree- or amzn-s3-demo-';
  if (/(-s3alias|--ol-s3|\.mrap|--x-s3|--table-s3)$/.test(name)) return 'must not end with -s3alias, --ol-s3, .mrap, --x-s3 or --table-s3';
  return undefined;
}

/** Keys compare as their UTF-8 bytes, the order ListObjects returns (JavaScript's UTF-16 order differs above U+FFFF). */
const byUtf8 = (a: string, b: string): number => Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));

export const md5Etag = (body: Buffer): string => `"${createHash('md5').update(body).digest('hex')}"`;

export class S3Store {
  private readonly buckets = new Map<string, Bucket>();
  /** Multipart uploads in progress, by upload id (multipart.ts). */
  readonly uploads = new Map<string, MultipartUpload>();

  constructor(private readonly clock: S3Clock) {}

  now(): number {
    return this.clock.now();
  }

  /** CreateBucket: a name S3 refuses is InvalidBucketName; one that exists is BucketAlreadyOwnedByYou (every bucket here is the caller's). */
  createBucket(name: string): Bucket {
    if (bucketNameProblem(name)) throw new S3Error('InvalidBucketName', 'The specified bucket is not valid.', 400, { BucketName: name });
    if (this.buckets.has(name)) throw new S3Error('BucketAlreadyOwnedByYou', 'Your previous request to create the named bucket succeeded and you already own it.', 409, { BucketName: name });
    const bucket: Bucket = { name, created: this.clock.now(), objects: new Map() };
    this.buckets.set(name, bucket);
    return bucket;
  }

  /** DeleteBucket: only an empty bucket (BucketNotEmpty otherwise). */
  deleteBucket(name: string): void {
    const bucket = this.bucket(name);
    if (bucket.objects.size > 0) throw new S3Error('BucketNotEmpty', 'The bucket you tried to delete is not empty', 409, { BucketName: name });
    this.buckets.delete(name);
    for (const [id, upload] of this.uploads) if (upload.bucket === name) this.uploads.delete(id);
  }

  bucket(name: string): Bucket {
    const bucket = this.buckets.get(name);
    if (!bucket) throw noSuchBucket(name);
    return bucket;
  }

  has(name: string): boolean {
    return this.buckets.has(name);
  }

  list(): Bucket[] {
    return [...this.buckets.values()].sort((a, b) => byUtf8(a.name, b.name));
  }

  /** PutObject (and CopyObject's write): the object replaces any of the same key. */
  put(bucketName: string, object: Omit<StoredObject, 'etag' | 'lastModified'> & { etag?: string }): StoredObject {
    const bucket = this.bucket(bucketName);
    if (Buffer.byteLength(object.key, 'utf8') > MAX_KEY_BYTES) throw new S3Error('KeyTooLongError', 'Your key is too long', 400, { Size: String(Buffer.byteLength(object.key)), MaxSizeAllowed: String(MAX_KEY_BYTES) });
    const stored: StoredObject = { ...object, etag: object.etag ?? md5Etag(object.body), lastModified: this.clock.now() };
    bucket.objects.set(object.key, stored);
    return stored;
  }

  get(bucketName: string, key: string): StoredObject {
    const object = this.bucket(bucketName).objects.get(key);
    if (!object) throw noSuchKey(key);
    return object;
  }

  /** DeleteObject: true when there was an object (S3 answers 204 either way). */
  delete(bucketName: string, key: string): boolean {
    return this.bucket(bucketName).objects.delete(key);
  }

  /**
   * One page of ListObjects / ListObjectsV2: keys under the prefix after `after`, in UTF-8 order; with a delimiter,
   * the keys that hold it past the prefix roll up into one common prefix each, which counts once toward maxKeys.
   */
  listObjects(bucketName: string, input: ListInput): ListPage {
    const prefix = input.prefix ?? '';
    const keys = [...this.bucket(bucketName).objects.keys()].filter((k) => k.startsWith(prefix)).sort(byUtf8);
    const page: ListPage = { contents: [], commonPrefixes: [], isTruncated: false };
    const objects = this.bucket(bucketName).objects;
    for (const key of keys) {
      if (input.after !== undefined && byUtf8(key, input.after) <= 0) continue;
      const cut = input.delimiter ? key.indexOf(input.delimiter, prefix.length) : -1;
      const rolled = cut >= 0 ? key.slice(0, cut + input.delimiter!.length) : undefined;
      // A key inside the common prefix the previous page ended on belongs to that prefix, already returned.
      if (rolled !== undefined && (rolled === page.commonPrefixes.at(-1) || rolled === input.after)) continue;
      if (page.contents.length + page.commonPrefixes.length >= input.maxKeys) {
        page.isTruncated = true;
        break;
      }
      if (rolled !== undefined) page.commonPrefixes.push(rolled);
      else page.contents.push(objects.get(key)!);
      page.last = rolled ?? key;
    }
    return page;
  }
}
