/**
 * The embedded S3's conditional reads (services/s3/) against what AWS answered LocalStack's AWS-validated
 * test_s3_get_object_preconditions: which condition wins when several are given, and how dates and ETags compare.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { startS3 } from '../../../../emulator/services/s3/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

// Whole seconds (Last-Modified is an HTTP date); the SDK signs with the system clock, so this one starts there.
let now = Math.floor(Date.now() / 1000) * 1000;
const s3 = await startS3({ credentials: TEST_CREDENTIALS, region: 'us-east-1', buckets: ['conditions'], clock: { now: () => now } });
const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, credentials: TEST_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
afterAll(async () => {
  client.destroy();
  await s3.close();
});

const DAY = 86_400_000;
type Conditions = { IfMatch?: string; IfNoneMatch?: string; IfModifiedSince?: Date; IfUnmodifiedSince?: Date };

/** The status and, for a GET refusal, the error's Condition, of a read of the object with these conditions. */
async function read(method: 'get' | 'head', conditions: Conditions): Promise<{ status: number | undefined; condition?: unknown }> {
  const input = { Bucket: 'conditions', Key: 'test-object', ...conditions };
  const call = method === 'get' ? client.send(new GetObjectCommand(input)) : client.send(new HeadObjectCommand(input));
  return call.then(
    (out) => ({ status: out.$metadata.httpStatusCode }),
    (e: { $metadata: { httpStatusCode?: number }; Condition?: unknown }) => ({ status: e.$metadata.httpStatusCode, ...(e.Condition !== undefined ? { condition: e.Condition } : {}) }),
  );
}

describe('LS-rec test_s3_get_object_preconditions', () => {
  it.each(['get', 'head'] as const)('%sObject: conditions are weighed in S3`s order', async (method) => {
    const { ETag } = await client.send(new PutObjectCommand({ Bucket: 'conditions', Key: 'test-object', Body: 'data' }));
    const lastModified = new Date(now);
    now += 3000;
    const at = new Date(now);
    const etag = ETag!;
    const get = method === 'get';

    expect(await read(method, { IfModifiedSince: at, IfUnmodifiedSince: new Date(now - DAY), IfMatch: 'etag123', IfNoneMatch: etag })).toEqual({ status: 412, ...(get ? { condition: 'If-Match' } : {}) });
    expect(await read(method, { IfModifiedSince: at, IfUnmodifiedSince: new Date(now - DAY), IfNoneMatch: etag })).toEqual({ status: 412, ...(get ? { condition: 'If-Unmodified-Since' } : {}) });
    expect(await read(method, { IfModifiedSince: at, IfNoneMatch: etag })).toEqual({ status: 304 });
    expect(await read(method, { IfModifiedSince: at })).toEqual({ status: 304 });
    expect(await read(method, { IfModifiedSince: new Date(now + DAY) })).toEqual({ status: 200 });
    expect(await read(method, { IfModifiedSince: at, IfNoneMatch: etag.replaceAll('"', '') })).toEqual({ status: 304 });
    expect(await read(method, { IfUnmodifiedSince: lastModified })).toEqual({ status: 200 });
    expect(await read(method, { IfModifiedSince: lastModified })).toEqual({ status: 304 });
    expect(await read(method, { IfMatch: etag.replaceAll('"', ''), IfNoneMatch: 'etag123', IfModifiedSince: new Date(now - DAY), IfUnmodifiedSince: at })).toEqual({ status: 200 });
  });
});
