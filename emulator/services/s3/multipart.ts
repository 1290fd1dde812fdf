/**
 * S3 multipart uploads (S3 User Guide, "Uploading and copying objects using multipart upload"; API Reference:
 * CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload, ListParts, ListMultipartUploads),
 * as the SDKs' managed uploads (`@aws-sdk/lib-storage`, boto3's upload_file, `aws s3 cp` over 8 MB) and browsers with
 * presigned part URLs use them. Parts live in memory until the upload completes into one object or is aborted.
 */
import { createHash, randomBytes } from 'node:crypto';
import { invalidArgument, notImplemented, S3Error } from './errors.js';
import { checksumOf, readUpload } from './payload.js';
import type { S3Store, StoredObject } from './store.js';
import { elements, elementText, xmlElement } from './xml.js';

const NS = 'http://s3.amazonaws.com/doc/2006-03-01/';
/** Every part but the last must hold at least 5 MiB (S3 User Guide, "Amazon S3 multipart upload limits"). */
export const MIN_PART_BYTES = 5 * 1024 * 1024;
const MAX_PARTS = 10_000;
/** Objects are held in memory: a completed upload larger than this is refused, as S3 refuses one over its own limit. */
export const MAX_MULTIPART_OBJECT_BYTES = 1024 * 1024 * 1024;
const CHECKSUM_ALGORITHMS = ['CRC32', 'CRC32C', 'CRC64NVME', 'SHA1', 'SHA256'];

interface Part {
  body: Buffer;
  etag: string;
  lastModified: number;
  checksum?: { algorithm: string; value: string };
}

export interface MultipartUpload {
  id: string;
  bucket: string;
  key: string;
  initiated: number;
  /** What CreateMultipartUpload set for the object: its stored headers and metadata. */
  fields: Pick<StoredObject, 'headers' | 'metadata'>;
  /** x-amz-checksum-algorithm of CreateMultipartUpload, upper-case; each part must then carry it. */
  algorithm?: string;
  checksumType: 'COMPOSITE' | 'FULL_OBJECT';
  parts: Map<number, Part>;
}

export interface MultipartRequest {
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  now: number;
}

const header = (req: MultipartRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const noSuchUpload = (id: string): S3Error =>
  new S3Error('NoSuchUpload', 'The specified upload does not exist. The upload ID may be invalid, or the upload may have been aborted or completed.', 404, { UploadId: id });
const malformed = (): S3Error => new S3Error('MalformedXML', 'The XML you provided was not well-formed or did not validate against our published schema', 400);
const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();

/** The upload `uploadId` names, for this bucket and key. */
export function uploadOf(store: S3Store, bucket: string, key: string, id: string): MultipartUpload {
  store.bucket(bucket);
  const upload = store.uploads.get(id);
  if (!upload || upload.bucket !== bucket || upload.key !== key) throw noSuchUpload(id);
  return upload;
}

/** CreateMultipartUpload: a new upload id; the object's headers, metadata and checksum algorithm are fixed now. */
export function createUpload(store: S3Store, bucket: string, key: string, req: MultipartRequest, fields: MultipartUpload['fields']): { upload: MultipartUpload; headers: Record<string, string>; xml: string } {
  store.bucket(bucket);
  const algorithmText = header(req, 'x-amz-checksum-algorithm');
  const algorithm = algorithmText?.toUpperCase();
  if (algorithm !== undefined && !CHECKSUM_ALGORITHMS.includes(algorithm)) throw invalidArgument('Checksum algorithm provided is unsupported. Please try again with any of the valid types: [CRC32, CRC32C, CRC64NVME, SHA1, SHA256]', 'x-amz-checksum-algorithm', algorithmText!);
  const typeText = header(req, 'x-amz-checksum-type')?.toUpperCase();
  if (typeText !== undefined && typeText !== 'COMPOSITE' && typeText !== 'FULL_OBJECT') throw invalidArgument('Value for x-amz-checksum-type header is invalid.', 'x-amz-checksum-type', typeText);
  // CRC64NVME is always a full-object checksum; the others are composite unless FULL_OBJECT is asked for.
  const checksumType = typeText === 'FULL_OBJECT' || algorithm === 'CRC64NVME' ? 'FULL_OBJECT' : 'COMPOSITE';
  const upload: MultipartUpload = { id: randomBytes(48).toString('base64url'), bucket, key, initiated: req.now, fields, ...(algorithm ? { algorithm } : {}), checksumType, parts: new Map() };
  store.uploads.set(upload.id, upload);
  const headers: Record<string, string> = { 'x-amz-server-side-encryption': 'AES256', ...(algorithm ? { 'x-amz-checksum-algorithm': algorithm, 'x-amz-checksum-type': checksumType } : {}) };
  const xml = `<InitiateMultipartUploadResult xmlns="${NS}">${xmlElement('Bucket', bucket)}${xmlElement('Key', key)}${xmlElement('UploadId', upload.id)}</InitiateMultipartUploadResult>`;
  return { upload, headers, xml };
}

/** UploadPart: the part's bytes (checked as any upload's are), replacing a part of the same number. */
export function uploadPart(upload: MultipartUpload, partNumberText: string, req: MultipartRequest): Record<string, string> {
  const partNumber = partNumberOf(partNumberText);
  const { body, checksum } = readUpload(req.headers, req.body);
  const part: Part = { body, etag: `"${md5(body).toString('hex')}"`, lastModified: req.now, ...(checksum ? { checksum } : {}) };
  upload.parts.set(partNumber, part);
  return { etag: part.etag, 'x-amz-server-side-encryption': 'AES256', ...(checksum ? { [`x-amz-checksum-${checksum.algorithm.toLowerCase()}`]: checksum.value } : {}) };
}

function partNumberOf(text: string): number {
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > MAX_PARTS) throw invalidArgument('Part number must be an integer between 1 and 10000, inclusive', 'partNumber', text);
  return n;
}

/**
 * CompleteMultipartUpload: the listed parts, in ascending order, each with the ETag it was uploaded with, become the
 * object; every part but the last holds at least 5 MiB. The object's ETag is the MD5 of the parts' MD5s, a dash and
 * the number of parts; a composite checksum is the checksum of the parts' checksums, with the same suffix.
 */
export function completeUpload(store: S3Store, upload: MultipartUpload, req: MultipartRequest): { object: StoredObject; checksum?: string } {
  // The request's x-amz-checksum-<algorithm> is the whole object's (FULL_OBJECT), not its XML body's.
  const document = req.body.toString('utf8');
  if (!/<CompleteMultipartUpload[\s>]/.test(document)) throw malformed();
  const listed = elements(document, 'Part').map((part) => ({
    number: Number(elementText(part, 'PartNumber')),
    etag: elementText(part, 'ETag') ?? '',
    checksum: upload.algorithm ? elementText(part, `Checksum${upload.algorithm}`) : undefined,
  }));
  if (listed.length === 0 || listed.some((p) => !Number.isInteger(p.number))) throw malformed();
  const parts: Part[] = [];
  let previous = 0;
  for (const [i, entry] of listed.entries()) {
    if (entry.number <= previous) throw new S3Error('InvalidPartOrder', 'The list of parts was not in ascending order. The parts list must be specified in order by part number.', 400, { UploadId: upload.id });
    previous = entry.number;
    const part = upload.parts.get(entry.number);
    const etag = entry.etag.startsWith('"') ? entry.etag : `"${entry.etag}"`;
    const invalid = (): S3Error =>
      new S3Error('InvalidPart', "One or more of the specified parts could not be found.  The part may not have been uploaded, or the specified entity tag may not match the part's entity tag.", 400, { UploadId: upload.id, PartNumber: String(entry.number), ETag: entry.etag });
    if (!part || part.etag !== etag) throw invalid();
    if (upload.algorithm && upload.checksumType === 'COMPOSITE' && entry.checksum === undefined) {
      throw new S3Error('InvalidRequest', `The upload was created using a ${upload.algorithm.toLowerCase()} checksum. The complete request must include the checksum for each part. It was missing for part ${entry.number} in the request.`, 400);
    }
    if (entry.checksum !== undefined && part.checksum !== undefined && entry.checksum !== part.checksum.value) throw invalid();
    if (i < listed.length - 1 && part.body.length < MIN_PART_BYTES) {
      throw new S3Error('EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400, { ProposedSize: String(part.body.length), MinSizeAllowed: String(MIN_PART_BYTES), PartNumber: String(entry.number), ETag: entry.etag });
    }
    parts.push(part);
  }
  const size = parts.reduce((sum, p) => sum + p.body.length, 0);
  if (size > MAX_MULTIPART_OBJECT_BYTES) {
    throw new S3Error('EntityTooLarge', `Your proposed upload exceeds the maximum allowed object size (the local emulator holds objects in memory: at most ${MAX_MULTIPART_OBJECT_BYTES} bytes).`, 400);
  }
  const body = Buffer.concat(parts.map((p) => p.body));
  const checksum = objectChecksum(upload, parts, body);
  const given = upload.algorithm ? header(req, `x-amz-checksum-${upload.algorithm.toLowerCase()}`) : undefined;
  if (given !== undefined && checksum?.type === 'FULL_OBJECT' && given !== checksum.value) {
    throw new S3Error('BadDigest', `The ${upload.algorithm!.toUpperCase()} you specified did not match the calculated checksum.`, 400);
  }
  // S3's multipart ETag: the MD5 of the concatenated binary MD5s of the parts, then -<number of parts>.
  const etag = `"${md5(Buffer.concat(parts.map((p) => Buffer.from(p.etag.slice(1, -1), 'hex')))).toString('hex')}-${parts.length}"`;
  const stored = store.put(upload.bucket, { key: upload.key, body, etag, ...upload.fields, ...(checksum ? { checksum } : {}) });
  store.uploads.delete(upload.id);
  return { object: stored, ...(checksum ? { checksum: checksum.value } : {}) };
}

/** The completed object's checksum: composite (of the parts' checksums, -N), or of the whole body; none when a part had none. */
function objectChecksum(upload: MultipartUpload, parts: Part[], body: Buffer): StoredObject['checksum'] {
  const algorithm = upload.algorithm;
  if (!algorithm) return undefined;
  if (upload.checksumType === 'FULL_OBJECT') {
    const value = checksumOf(algorithm.toLowerCase(), body);
    return value === undefined ? undefined : { algorithm, value, type: 'FULL_OBJECT' };
  }
  if (parts.some((p) => p.checksum?.algorithm !== algorithm)) return undefined;
  const value = checksumOf(algorithm.toLowerCase(), Buffer.concat(parts.map((p) => Buffer.from(p.checksum!.value, 'base64'))));
  return value === undefined ? undefined : { algorithm, value: `${value}-${parts.length}`, type: 'COMPOSITE' };
}

/** CompleteMultipartUploadResult. */
export function completedXml(object: StoredObject, bucket: string, location: string): string {
  const checksum = object.checksum ? `${xmlElement(`Checksum${object.checksum.algorithm}`, object.checksum.value)}${xmlElement('ChecksumType', object.checksum.type ?? 'FULL_OBJECT')}` : '';
  return `<CompleteMultipartUploadResult xmlns="${NS}">${xmlElement('Location', location)}${xmlElement('Bucket', bucket)}${xmlElement('Key', object.key)}${xmlElement('ETag', object.etag)}${checksum}</CompleteMultipartUploadResult>`;
}

const owner = (id: string, name: string): string => `${xmlElement('ID', id)}${xmlElement('DisplayName', name)}`;

/** ListParts: the parts uploaded so far, by number, a page of max-parts after part-number-marker. */
export function listParts(upload: MultipartUpload, query: URLSearchParams, ownerId: string, ownerName: string): string {
  const maxText = query.get('max-parts') ?? '1000';
  const max = Number(maxText);
  if (!/^\d+$/.test(maxText)) throw invalidArgument('Provided max-parts not an integer or within integer range', 'max-parts', maxText);
  const markerText = query.get('part-number-marker') ?? '0';
  const marker = Number(markerText);
  if (!/^\d+$/.test(markerText)) throw invalidArgument('Provided part-number-marker not an integer or within integer range', 'part-number-marker', markerText);
  const numbers = [...upload.parts.keys()].filter((n) => n > marker).sort((a, b) => a - b);
  const page = numbers.slice(0, Math.min(max, 1000));
  const truncated = numbers.length > page.length;
  const items = page.map((n) => {
    const p = upload.parts.get(n)!;
    const checksum = p.checksum ? xmlElement(`Checksum${p.checksum.algorithm}`, p.checksum.value) : '';
    return `<Part>${xmlElement('PartNumber', n)}${xmlElement('LastModified', new Date(p.lastModified).toISOString())}${xmlElement('ETag', p.etag)}${checksum}${xmlElement('Size', p.body.length)}</Part>`;
  });
  return [
    `<ListPartsResult xmlns="${NS}">`,
    xmlElement('Bucket', upload.bucket),
    xmlElement('Key', upload.key),
    xmlElement('UploadId', upload.id),
    xmlElement('PartNumberMarker', marker),
    truncated && page.length > 0 ? xmlElement('NextPartNumberMarker', page.at(-1)!) : '',
    xmlElement('MaxParts', max),
    xmlElement('IsTruncated', truncated),
    ...items,
    `<Initiator>${owner(ownerId, ownerName)}</Initiator><Owner>${owner(ownerId, ownerName)}</Owner>`,
    xmlElement('StorageClass', 'STANDARD'),
    upload.algorithm ? `${xmlElement('ChecksumAlgorithm', upload.algorithm)}${xmlElement('ChecksumType', upload.checksumType)}` : '',
    '</ListPartsResult>',
  ].join('');
}

/** ListMultipartUploads: the bucket's uploads in progress, by key then initiation, under a prefix, up to max-uploads. */
export function listUploads(store: S3Store, bucket: string, query: URLSearchParams, ownerId: string, ownerName: string): string {
  store.bucket(bucket);
  const prefix = query.get('prefix') ?? '';
  const keyMarker = query.get('key-marker') ?? '';
  const maxText = query.get('max-uploads') ?? '1000';
  const max = Number(maxText);
  if (!/^\d+$/.test(maxText)) throw invalidArgument('Provided max-uploads not an integer or within integer range', 'max-uploads', maxText);
  if (query.has('delimiter')) throw notImplemented('ListMultipartUploads with a delimiter');
  const sorted = [...store.uploads.values()]
    .filter((u) => u.bucket === bucket && u.key.startsWith(prefix))
    .sort((a, b) => (a.key === b.key ? a.initiated - b.initiated || (a.id < b.id ? -1 : 1) : Buffer.compare(Buffer.from(a.key), Buffer.from(b.key))));
  // After key-marker; with upload-id-marker, the uploads of that key after that upload too (API Reference).
  const uploadIdMarker = query.get('upload-id-marker');
  const markerAt = uploadIdMarker ? sorted.findIndex((u) => u.key === keyMarker && u.id === uploadIdMarker) : -1;
  const all = sorted.filter((u, i) => Buffer.compare(Buffer.from(u.key), Buffer.from(keyMarker)) > 0 || (markerAt >= 0 && u.key === keyMarker && i > markerAt));
  const page = all.slice(0, Math.min(max, 1000));
  const truncated = all.length > page.length && page.length > 0;
  const items = page.map(
    (u) => `<Upload>${xmlElement('Key', u.key)}${xmlElement('UploadId', u.id)}<Initiator>${owner(ownerId, ownerName)}</Initiator><Owner>${owner(ownerId, ownerName)}</Owner>${xmlElement('StorageClass', 'STANDARD')}${xmlElement('Initiated', new Date(u.initiated).toISOString())}</Upload>`,
  );
  return [
    `<ListMultipartUploadsResult xmlns="${NS}">`,
    xmlElement('Bucket', bucket),
    xmlElement('KeyMarker', keyMarker),
    xmlElement('UploadIdMarker', query.get('upload-id-marker') ?? ''),
    truncated ? `${xmlElement('NextKeyMarker', page.at(-1)!.key)}${xmlElement('NextUploadIdMarker', page.at(-1)!.id)}` : '',
    prefix ? xmlElement('Prefix', prefix) : '',
    xmlElement('MaxUploads', max),
    xmlElement('IsTruncated', truncated),
    ...items,
    '</ListMultipartUploadsResult>',
  ].join('');
}
