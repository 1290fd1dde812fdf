/**
 * Multipart uploads on the embedded S3 (services/s3/multipart.ts) as the SDK's commands, `@aws-sdk/lib-storage`'s
 * managed Upload and a browser with presigned part URLs make them: the object they complete into (body, ETag of the
 * parts' MD5s, composite checksum, headers fixed at creation), its notification, and S3's refusals, none of which writes
 * anything (S3 API Reference: CreateMultipartUpload, UploadPart, CompleteMultipartUpload, AbortMultipartUpload,
 * ListParts, ListMultipartUploads).
 */
import { createHash } from 'node:crypto';
import { crc32 } from 'node:zlib';
import { afterAll, describe, expect, it } from 'vitest';
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListMultipartUploadsCommand,
  ListPartsCommand,
  NoSuchKey,
  S3Client,
  UploadPartCommand,
  type CompletedPart,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startS3, type S3Server } from '../../../../emulator/services/s3/server.js';
import type { S3Change } from '../../../../emulator/services/s3/operations.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { failure } from './support/failure.js';

const MiB = 1024 * 1024;
const BUCKET = 'uploads';
const changes: S3Change[] = [];
const s3: S3Server = await startS3({ credentials: TEST_CREDENTIALS, region: 'us-east-1', buckets: [BUCKET], onChange: (c) => changes.push(c) });
afterAll(() => s3.close());
const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });
let n = 0;
const fresh = (name: string) => `${name}-${++n}.bin`;

/** Bytes that differ from part to part, so that a part in the wrong place changes the object. */
const bytes = (size: number, seed: number): Buffer => Buffer.alloc(size, seed);
const md5 = (data: Buffer): Buffer => createHash('md5').update(data).digest();
/** S3's multipart ETag: the MD5 of the parts' binary MD5s, a dash, the number of parts. */
const multipartEtag = (parts: Buffer[]): string => `"${md5(Buffer.concat(parts.map(md5))).toString('hex')}-${parts.length}"`;

/** Creates an upload and sends `parts`; returns its id and the parts as CompleteMultipartUpload lists them. */
async function uploadParts(key: string, parts: Buffer[], options: { checksum?: 'CRC32' } = {}): Promise<{ id: string; listed: CompletedPart[] }> {
  const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ContentType: 'video/mp4', Metadata: { origin: 'test' }, ...(options.checksum ? { ChecksumAlgorithm: options.checksum } : {}) }));
  const listed: CompletedPart[] = [];
  for (const [i, body] of parts.entries()) {
    const out = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: body, ...(options.checksum ? { ChecksumAlgorithm: options.checksum } : {}) }));
    listed.push({ PartNumber: i + 1, ETag: out.ETag, ...(out.ChecksumCRC32 ? { ChecksumCRC32: out.ChecksumCRC32 } : {}) });
  }
  return { id: UploadId!, listed };
}

const getBody = async (key: string): Promise<Buffer> => Buffer.from(await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray());

describe('a multipart upload completes into one object', () => {
  it('SDK commands: the parts in order are the object; ETag of the parts` MD5s; headers and metadata from CreateMultipartUpload', async () => {
    // Prepare
    const key = fresh('video');
    const parts = [bytes(5 * MiB, 1), bytes(5 * MiB, 2), bytes(1234, 3)];
    const { id, listed } = await uploadParts(key, parts);

    // Act
    const done = await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: id, MultipartUpload: { Parts: listed } }));

    // Assess
    expect(done).toMatchObject({ Bucket: BUCKET, Key: key, ETag: multipartEtag(parts), Location: expect.stringMatching(new RegExp(`/${BUCKET}/${key}$`)) });
    expect((await getBody(key)).equals(Buffer.concat(parts))).toBe(true);
    expect(await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: key }))).toMatchObject({ ContentLength: 10 * MiB + 1234, ContentType: 'video/mp4', Metadata: { origin: 'test' }, ETag: multipartEtag(parts) });
    expect(changes.at(-1)).toMatchObject({ eventName: 'ObjectCreated:CompleteMultipartUpload', bucket: BUCKET, key });
  });

  it('with ChecksumAlgorithm CRC32: each part`s checksum, and the object`s composite checksum (-N), which GetObject`s validation accepts', async () => {
    const key = fresh('checked');
    const parts = [bytes(5 * MiB, 4), bytes(10, 5)];
    const { id, listed } = await uploadParts(key, parts, { checksum: 'CRC32' });

    const done = await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: id, MultipartUpload: { Parts: listed } }));
    const got = await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key, ChecksumMode: 'ENABLED' }));

    expect(listed.every((p) => typeof p.ChecksumCRC32 === 'string')).toBe(true);
    expect(done.ChecksumCRC32).toMatch(/^[A-Za-z0-9+/]{6}==-2$/);
    expect(done.ChecksumType).toBe('COMPOSITE');
    expect(got.ChecksumCRC32).toBe(done.ChecksumCRC32);
    expect(Buffer.from(await got.Body!.transformToByteArray()).equals(Buffer.concat(parts))).toBe(true);
  });

  it('@aws-sdk/lib-storage`s Upload of 12 MiB (three parts, sent concurrently)', async () => {
    const key = fresh('managed');
    const body = Buffer.concat([bytes(5 * MiB, 6), bytes(5 * MiB, 7), bytes(2 * MiB, 8)]);

    const out = await new Upload({ client, params: { Bucket: BUCKET, Key: key, Body: body }, partSize: 5 * MiB, queueSize: 3 }).done();

    expect(out.ETag).toMatch(/^"[0-9a-f]{32}-3"$/);
    expect((await getBody(key)).equals(body)).toBe(true);
    expect(await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }))).not.toHaveProperty('Uploads');
  });

  it('a browser`s PUT of each part to a presigned UploadPart URL, then CompleteMultipartUpload', async () => {
    const key = fresh('browser');
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }));
    const parts = [bytes(5 * MiB, 9), bytes(100, 10)];
    const listed: CompletedPart[] = [];
    for (const [i, body] of parts.entries()) {
      const url = await getSignedUrl(client, new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1 }), { expiresIn: 600 });
      const put = await fetch(url, { method: 'PUT', body: new Uint8Array(body) });
      expect(put.status).toBe(200);
      listed.push({ PartNumber: i + 1, ETag: put.headers.get('etag')! });
    }

    await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: listed } }));

    expect((await getBody(key)).equals(Buffer.concat(parts))).toBe(true);
  });

  it('a part sent twice: the last one counts', async () => {
    const key = fresh('again');
    const { id } = await uploadParts(key, []);
    await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: id, PartNumber: 1, Body: bytes(10, 1) }));
    const second = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: id, PartNumber: 1, Body: bytes(20, 2) }));

    await client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: id, MultipartUpload: { Parts: [{ PartNumber: 1, ETag: second.ETag }] } }));

    expect((await getBody(key)).equals(bytes(20, 2))).toBe(true);
  });
});

describe('full-object checksums', () => {
  it('ChecksumType FULL_OBJECT: the Complete carries the whole object`s CRC32 (checked), parts need not list theirs', async () => {
    const key = fresh('full');
    const parts = [bytes(5 * MiB, 1), bytes(10, 2)];
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key, ChecksumAlgorithm: 'CRC32', ChecksumType: 'FULL_OBJECT' }));
    const listed: CompletedPart[] = [];
    for (const [i, body] of parts.entries()) {
      const out = await client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId, PartNumber: i + 1, Body: body, ChecksumAlgorithm: 'CRC32' }));
      listed.push({ PartNumber: i + 1, ETag: out.ETag });
    }
    const whole = Buffer.alloc(4);
    whole.writeUInt32BE(crc32(Buffer.concat(parts)));
    const complete = (checksum: string) => client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts: listed }, ChecksumCRC32: checksum, ChecksumType: 'FULL_OBJECT' }));

    const wrong = await failure(complete('AAAAAA=='));
    const done = await complete(whole.toString('base64'));

    expect(wrong).toEqual({ name: 'BadDigest', status: 400 });
    expect(done).toMatchObject({ ChecksumCRC32: whole.toString('base64'), ChecksumType: 'FULL_OBJECT' });
  });

  it('@aws-sdk/lib-storage with ChecksumAlgorithm CRC64NVME (always full-object; its Complete lists no part checksums)', async () => {
    const key = fresh('nvme');
    const body = Buffer.concat([bytes(5 * MiB, 3), bytes(3, 4)]);

    const out = await new Upload({ client, params: { Bucket: BUCKET, Key: key, Body: body, ChecksumAlgorithm: 'CRC64NVME' }, partSize: 5 * MiB }).done();

    expect(out.ETag).toMatch(/-2"$/);
    expect((await getBody(key)).equals(body)).toBe(true);
  });
});

describe('uploads in progress: ListParts, ListMultipartUploads, AbortMultipartUpload', () => {
  it('ListMultipartUploads in pages of one: every upload of a key shared by three, once (upload-id-marker)', async () => {
    const key = fresh('shared');
    const ids = new Set<string>();
    for (let i = 0; i < 3; i++) ids.add((await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: key }))).UploadId!);
    const seen: string[] = [];
    let markers: { KeyMarker?: string; UploadIdMarker?: string } = {};
    for (;;) {
      const page = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key, MaxUploads: 1, ...markers }));
      seen.push(...(page.Uploads ?? []).map((u) => u.UploadId!));
      if (!page.IsTruncated) break;
      markers = { KeyMarker: page.NextKeyMarker!, UploadIdMarker: page.NextUploadIdMarker! };
    }

    expect(seen.sort()).toEqual([...ids].sort());
  });

  it('ListMultipartUploads with MaxUploads 0 answers (no upload, not a 500)', async () => {
    await client.send(new CreateMultipartUploadCommand({ Bucket: BUCKET, Key: fresh('zero') }));

    expect((await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, MaxUploads: 0 }))).Uploads).toBeUndefined();
  });

  it('lists the parts sent and the upload; once aborted, the upload is gone (NoSuchUpload) and no object was made', async () => {
    // Prepare
    const key = fresh('listed');
    const { id } = await uploadParts(key, [bytes(5 * MiB, 1), bytes(7, 2)]);

    // Act
    const parts = await client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: id }));
    const uploads = await client.send(new ListMultipartUploadsCommand({ Bucket: BUCKET, Prefix: key }));
    await client.send(new AbortMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: id }));

    // Assess
    expect(parts.Parts?.map((p) => [p.PartNumber, p.Size])).toEqual([
      [1, 5 * MiB],
      [2, 7],
    ]);
    expect(uploads.Uploads?.map((u) => [u.Key, u.UploadId])).toEqual([[key, id]]);
    expect(await failure(client.send(new ListPartsCommand({ Bucket: BUCKET, Key: key, UploadId: id })))).toEqual({ name: 'NoSuchUpload', status: 404 });
    await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toBeInstanceOf(NoSuchKey);
  });
});

describe('refusals: S3`s error, and no object written', () => {
  const FIVE = bytes(5 * MiB, 1);
  it.each([
    { given: 'an unknown upload id', parts: [FIVE], complete: (id: string, listed: CompletedPart[]) => ({ UploadId: `${id}x`, Parts: listed }), want: { name: 'NoSuchUpload', status: 404 } },
    { given: 'parts listed out of order', parts: [FIVE, FIVE], complete: (id: string, listed: CompletedPart[]) => ({ UploadId: id, Parts: [...listed].reverse() }), want: { name: 'InvalidPartOrder', status: 400 } },
    { given: 'a part listed with another ETag', parts: [FIVE], complete: (id: string) => ({ UploadId: id, Parts: [{ PartNumber: 1, ETag: '"0123456789abcdef0123456789abcdef"' }] }), want: { name: 'InvalidPart', status: 400 } },
    { given: 'a part never uploaded', parts: [FIVE], complete: (id: string, listed: CompletedPart[]) => ({ UploadId: id, Parts: [...listed, { PartNumber: 2, ETag: listed[0]!.ETag }] }), want: { name: 'InvalidPart', status: 400 } },
    { given: 'a part under 5 MiB that is not the last', parts: [bytes(10, 1), FIVE], complete: (id: string, listed: CompletedPart[]) => ({ UploadId: id, Parts: listed }), want: { name: 'EntityTooSmall', status: 400 } },
    { given: 'no parts listed', parts: [FIVE], complete: (id: string) => ({ UploadId: id, Parts: [] }), want: { name: 'MalformedXML', status: 400 } },
  ])('CompleteMultipartUpload with $given', async ({ parts, complete, want }) => {
    // Prepare
    const key = fresh('refused');
    const { id, listed } = await uploadParts(key, parts);
    const { UploadId, Parts } = complete(id, listed);

    // Act
    const refused = await failure(client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId, MultipartUpload: { Parts } })));

    // Assess
    expect(refused).toEqual(want);
    await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toBeInstanceOf(NoSuchKey);
  });

  it('an upload created with a CRC32 checksum whose Complete omits a part`s checksum: InvalidRequest', async () => {
    const key = fresh('no-checksum');
    const { id, listed } = await uploadParts(key, [bytes(10, 1)], { checksum: 'CRC32' });

    const refused = await failure(client.send(new CompleteMultipartUploadCommand({ Bucket: BUCKET, Key: key, UploadId: id, MultipartUpload: { Parts: listed.map(({ PartNumber, ETag }) => ({ PartNumber, ETag })) } })));

    expect(refused).toEqual({ name: 'InvalidRequest', status: 400 });
  });

  it.each([0, 10_001])('UploadPart number %i: InvalidArgument (1 to 10,000)', async (partNumber) => {
    const key = fresh('part-number');
    const { id } = await uploadParts(key, []);

    expect(await failure(client.send(new UploadPartCommand({ Bucket: BUCKET, Key: key, UploadId: id, PartNumber: partNumber, Body: 'x' })))).toEqual({ name: 'InvalidArgument', status: 400 });
  });

  it('UploadPart of an upload id that belongs to another key: NoSuchUpload', async () => {
    const { id } = await uploadParts(fresh('owner'), []);

    expect(await failure(client.send(new UploadPartCommand({ Bucket: BUCKET, Key: fresh('other'), UploadId: id, PartNumber: 1, Body: 'x' })))).toEqual({ name: 'NoSuchUpload', status: 404 });
  });
});
