/**
 * The embedded S3 (services/s3/) against what AWS answered LocalStack's AWS-validated tests (test_s3.py): the error
 * documents of the object calls a function makes, field by field, as the SDK's client hands them to the caller.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { CreateMultipartUploadCommand, DeleteObjectCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client, UploadPartCommand } from '@aws-sdk/client-s3';
import { startS3 } from '../../../../emulator/services/s3/server.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { failure } from './support/failure.js';

const s3 = await startS3({ credentials: TEST_CREDENTIALS, region: 'us-east-1', buckets: ['recorded'] });
const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, credentials: TEST_CREDENTIALS, forcePathStyle: true, maxAttempts: 1 });
afterAll(async () => {
  client.destroy();
  await s3.close();
});

/** The fields of the error document S3 sent (the SDK sets each on the error), without the request's ids. */
async function errorFields(call: Promise<unknown>): Promise<Record<string, unknown>> {
  const outcome: unknown = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(outcome).toBeInstanceOf(Error);
  const { $metadata, $fault, $response, $retryable, RequestId, HostId, message, name, ...fields } = outcome as Record<string, unknown>;
  expect({ $retryable, RequestId: typeof RequestId, HostId: typeof HostId }).toEqual({ $retryable: undefined, RequestId: 'string', HostId: 'string' });
  return { ...fields, fault: $fault, name, message, status: ($metadata as { httpStatusCode?: number }).httpStatusCode, response: $response !== undefined };
}

const md5 = (text: string, encoding: 'base64' | 'hex'): string => createHash('md5').update(text).digest(encoding);

describe('LS-rec test_range_key_not_exists / test_get_object_no_such_bucket / test_invalid_range_error / test_precondition_failed_error', () => {
  it.each([
    { given: 'a key that does not exist', input: { Bucket: 'recorded', Key: 'my-key', Range: 'bytes=1024-4096' }, want: { name: 'NoSuchKey', Code: 'NoSuchKey', Key: 'my-key', message: 'The specified key does not exist.', status: 404 } },
    { given: 'a bucket that does not exist', input: { Bucket: 'does-not-exist', Key: 'foobar' }, want: { name: 'NoSuchBucket', Code: 'NoSuchBucket', BucketName: 'does-not-exist', message: 'The specified bucket does not exist', status: 404 } },
    { given: 'a range past the end', input: { Bucket: 'recorded', Key: 'eight', Range: 'bytes=1024-4096' }, want: { name: 'InvalidRange', Code: 'InvalidRange', ActualObjectSize: '8', RangeRequested: 'bytes=1024-4096', message: 'The requested range is not satisfiable', status: 416 } },
    { given: 'If-Match another ETag', input: { Bucket: 'recorded', Key: 'eight', IfMatch: '"not good etag"' }, want: { name: 'PreconditionFailed', Code: 'PreconditionFailed', Condition: 'If-Match', message: 'At least one of the pre-conditions you specified did not hold', status: 412 } },
  ])('GetObject, $given: the error document holds S3`s fields and no others (no Resource)', async ({ input, want }) => {
    await client.send(new PutObjectCommand({ Bucket: 'recorded', Key: 'eight', Body: 'abcdefgh' }));
    expect(await errorFields(client.send(new GetObjectCommand(input)))).toEqual({ ...want, fault: 'client', response: true });
  });
});

describe('LS-rec test_s3_invalid_content_md5', () => {
  it('PutObject with an invalid Content-MD5: InvalidDigest naming it', async () => {
    const fields = await errorFields(client.send(new PutObjectCommand({ Bucket: 'recorded', Key: 'test-key', Body: 'something', ContentMD5: 'MTIz' })));
    expect(fields).toEqual({ name: 'InvalidDigest', Code: 'InvalidDigest', 'Content-MD5': 'MTIz', message: 'The Content-MD5 you specified was invalid.', status: 400, fault: 'client', response: true });
  });

  it('PutObject with another body`s Content-MD5: BadDigest, the expected digest in hex and the calculated one in base64', async () => {
    const fields = await errorFields(client.send(new PutObjectCommand({ Bucket: 'recorded', Key: 'test-key', Body: 'something', ContentMD5: md5('something1', 'base64') })));
    expect(fields).toEqual({
      name: 'BadDigest',
      Code: 'BadDigest',
      ExpectedDigest: md5('something1', 'hex'),
      CalculatedDigest: md5('something', 'base64'),
      message: 'The Content-MD5 you specified did not match what we received.',
      status: 400,
      fault: 'client',
      response: true,
    });
  });

  it('UploadPart with another body`s Content-MD5: BadDigest, both digests in base64', async () => {
    const { UploadId } = await client.send(new CreateMultipartUploadCommand({ Bucket: 'recorded', Key: 'parts' }));
    const fields = await errorFields(client.send(new UploadPartCommand({ Bucket: 'recorded', Key: 'parts', UploadId, PartNumber: 1, Body: 'something', ContentMD5: md5('something1', 'base64') })));
    expect(fields).toMatchObject({ name: 'BadDigest', ExpectedDigest: md5('something1', 'base64'), CalculatedDigest: md5('something', 'base64'), status: 400 });
  });
});

describe('LS-rec test_list_objects_v2_continuation_start_after', () => {
  it('ListObjectsV2 with a continuation token S3 never gave: InvalidArgument naming the argument, not echoing the token', async () => {
    const fields = await errorFields(client.send(new ListObjectsV2Command({ Bucket: 'recorded', ContinuationToken: 'made-up' })));
    expect(fields).toEqual({ name: 'InvalidArgument', Code: 'InvalidArgument', ArgumentName: 'continuation-token', message: 'The continuation token provided is incorrect', status: 400, fault: 'client', response: true });
  });
});

describe('LS-rec test_put_object_if_none_match_validation', () => {
  it('PutObject If-None-Match other than *: NotImplemented naming the header, with S3`s additional message', async () => {
    const fields = await errorFields(client.send(new PutObjectCommand({ Bucket: 'recorded', Key: 'cond', Body: 'x', IfNoneMatch: '"abc"' })));
    expect(fields).toEqual({
      name: 'NotImplemented',
      Code: 'NotImplemented',
      Header: 'If-None-Match',
      additionalMessage: "We don't accept the provided value of If-None-Match header for this API",
      message: 'A header you provided implies functionality that is not implemented',
      status: 501,
      fault: 'server',
      response: true,
    });
  });
});

describe('LS-rec test_put_object_if_match_validation / test_put_object_if_match_and_if_none_match_validation', () => {
  const put = (conditions: { IfMatch?: string; IfNoneMatch?: string }) => errorFields(client.send(new PutObjectCommand({ Bucket: 'recorded', Key: 'test-precondition-validation', Body: 'x', ...conditions })));
  const notImplemented = { name: 'NotImplemented', Code: 'NotImplemented', message: 'A header you provided implies functionality that is not implemented', status: 501, fault: 'server', response: true };

  it('If-Match * is NotImplemented naming the header', async () => {
    expect(await put({ IfMatch: '*' })).toEqual({ ...notImplemented, Header: 'If-Match', additionalMessage: "We don't accept the provided value of If-Match header for this API" });
  });

  it('If-Match and If-None-Match together are NotImplemented naming both', async () => {
    expect(await put({ IfNoneMatch: '*', IfMatch: 'abcdef' })).toEqual({ ...notImplemented, Header: 'If-Match,If-None-Match', additionalMessage: 'Multiple conditional request headers present in the request' });
  });

  it.each(['abcdef', 'bad-char_/'])('If-Match %j on a key that does not exist is NoSuchKey', async (etag) => {
    expect(await put({ IfMatch: etag })).toEqual({ name: 'NoSuchKey', Code: 'NoSuchKey', Key: 'test-precondition-validation', message: 'The specified key does not exist.', status: 404, fault: 'client', response: true });
  });
});

describe('LS-rec test_delete_object_if_match_non_express / _modified_ / _size_ / _all_non_express', () => {
  const notImplemented = { name: 'NotImplemented', Code: 'NotImplemented', message: 'A header you provided implies functionality that is not implemented', status: 501, fault: 'server', response: true };
  const stays = async () => (await client.send(new HeadObjectCommand({ Bucket: 'recorded', Key: 'test-precondition' }))).$metadata.httpStatusCode;

  it.each([
    { given: 'If-Match another ETag', input: { IfMatch: 'badvalue' }, want: { name: 'PreconditionFailed', Code: 'PreconditionFailed', Condition: 'If-Match', message: 'At least one of the pre-conditions you specified did not hold', status: 412, fault: 'client', response: true } },
    { given: 'If-Match-Last-Modified-Time', input: { IfMatchLastModifiedTime: new Date(Date.now() - 86_400_000) }, want: { ...notImplemented, Header: 'x-amz-if-match-last-modified-time' } },
    { given: 'If-Match-Size', input: { IfMatchSize: 10 }, want: { ...notImplemented, Header: 'x-amz-if-match-size' } },
    { given: 'all three', input: { IfMatchSize: 10, IfMatch: 'badvalue', IfMatchLastModifiedTime: new Date(Date.now() - 86_400_000) }, want: { ...notImplemented, Header: 'x-amz-if-match-last-modified-time' } },
  ])('DeleteObject with $given is refused and deletes nothing', async ({ input, want }) => {
    await client.send(new PutObjectCommand({ Bucket: 'recorded', Key: 'test-precondition', Body: '' }));
    expect(await errorFields(client.send(new DeleteObjectCommand({ Bucket: 'recorded', Key: 'test-precondition', ...input })))).toEqual(want);
    expect(await stays()).toBe(200);
  });

  it('DeleteObject with If-Match on the current ETag deletes', async () => {
    const { ETag } = await client.send(new PutObjectCommand({ Bucket: 'recorded', Key: 'test-precondition', Body: 'x' }));
    await client.send(new DeleteObjectCommand({ Bucket: 'recorded', Key: 'test-precondition', IfMatch: ETag }));
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: 'recorded', Key: 'test-precondition' })))).toEqual({ name: 'NotFound', status: 404 });
  });
});
