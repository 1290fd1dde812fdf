/**
 * The embedded S3 endpoint's buckets as the AWS SDK for JavaScript v3 calls them: the template's buckets, CreateBucket,
 * HeadBucket and DeleteBucket, the names S3 refuses, listing (V1 and V2) and a bucket's CORS rules for web pages; in
 * S3's words (S3 API Reference).
 */
import { describe, expect, it } from 'vitest';
import { CreateBucketCommand, DeleteBucketCommand, DeleteObjectCommand, GetObjectCommand, HeadBucketCommand, ListBucketsCommand, ListObjectsCommand, ListObjectsV2Command, PutObjectCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { signRequest } from '../../../../emulator/services/sigv4.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { startEndpoint } from './support/endpoint.js';
import { failure } from './support/failure.js';

const { s3, client } = await startEndpoint();

describe('buckets', () => {
  it('creates the template`s buckets and names the ones S3 would refuse', async () => {
    const { Buckets } = await client.send(new ListBucketsCommand({}));

    expect(Buckets?.map((b) => b.Name)).toEqual(['acl-bucket', 'public-bucket', 'uploads']);
    expect(s3.refused).toEqual([expect.stringMatching(/^S3 bucket Bad_Name: not created: InvalidBucketName/)]);
  });

  it('CreateBucket, HeadBucket, DeleteBucket; a bucket with objects is not deleted', async () => {
    await client.send(new CreateBucketCommand({ Bucket: 'scratch-bucket' }));
    await client.send(new PutObjectCommand({ Bucket: 'scratch-bucket', Key: 'k', Body: 'x' }));

    const notEmpty = await failure(client.send(new DeleteBucketCommand({ Bucket: 'scratch-bucket' })));
    const again = await failure(client.send(new CreateBucketCommand({ Bucket: 'scratch-bucket' })));
    await client.send(new DeleteObjectCommand({ Bucket: 'scratch-bucket', Key: 'k' }));
    await client.send(new DeleteBucketCommand({ Bucket: 'scratch-bucket' }));
    const gone = await failure(client.send(new HeadBucketCommand({ Bucket: 'scratch-bucket' })));

    expect(notEmpty).toEqual({ name: 'BucketNotEmpty', status: 409 });
    expect(again).toEqual({ name: 'BucketAlreadyOwnedByYou', status: 409 });
    expect(gone).toEqual({ name: 'NotFound', status: 404 });
  });

  it.each([['ab'], ['UPPER'], ['has_underscore'], ['192.168.1.1'], ['a..b'], ['-leading']])('refuses the bucket name %j (InvalidBucketName)', async (name) => {
    // The SDK checks some names itself; the endpoint is asked directly.
    const url = new URL(`${s3.url}/${name}`);
    const headers = signRequest(TEST_CREDENTIALS, { method: 'PUT', url, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '', region: 'us-east-1', service: 's3' });

    const res = await fetch(url, { method: 'PUT', headers });

    expect(res.status).toBe(400);
    expect(await res.text()).toContain('<Code>InvalidBucketName</Code>');
  });
});

describe('listing', () => {
  const keys = ['photos/2026/a.jpg', 'photos/2026/b.jpg', 'photos/2027/c.jpg', 'photos/top.jpg', 'readme.txt', 'photos/zz/\u{1F600}.jpg', 'photos/zz/\uFF21.jpg'];
  const bucket = 'listing-bucket';

  it('V2 with a delimiter rolls keys up into common prefixes, in UTF-8 order, each counted once', async () => {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    for (const Key of keys) await client.send(new PutObjectCommand({ Bucket: bucket, Key, Body: Key }));

    const top = await client.send(new ListObjectsV2Command({ Bucket: bucket, Delimiter: '/' }));
    const photos = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'photos/', Delimiter: '/' }));
    const zz = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'photos/zz/' }));

    expect(top.Contents?.map((c) => c.Key)).toEqual(['readme.txt']);
    expect(top.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/']);
    expect(top.KeyCount).toBe(2);
    expect(photos.Contents?.map((c) => c.Key)).toEqual(['photos/top.jpg']);
    expect(photos.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['photos/2026/', 'photos/2027/', 'photos/zz/']);
    // U+FF21 (EF BC A1) sorts before U+1F600 (F0 9F 98 80) in UTF-8, after it in UTF-16.
    expect(zz.Contents?.map((c) => c.Key)).toEqual(['photos/zz/\uFF21.jpg', 'photos/zz/\u{1F600}.jpg']);
  });

  it('V2 pages with MaxKeys and continuation tokens, a common prefix never repeated across pages', async () => {
    const seen: string[] = [];
    let ContinuationToken: string | undefined;
    let pages = 0;
    do {
      const page = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: 'photos/', Delimiter: '/', MaxKeys: 2, ContinuationToken }));
      seen.push(...(page.CommonPrefixes ?? []).map((p) => p.Prefix!), ...(page.Contents ?? []).map((c) => c.Key!));
      ContinuationToken = page.NextContinuationToken;
      expect(page.IsTruncated).toBe(ContinuationToken !== undefined);
      pages += 1;
    } while (ContinuationToken);

    expect(pages).toBe(2);
    expect(seen.sort()).toEqual(['photos/2026/', 'photos/2027/', 'photos/top.jpg', 'photos/zz/']);
  });

  it('V1 lists with owners and pages with Marker / NextMarker', async () => {
    const first = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'photos/2026/', MaxKeys: 1, Delimiter: '/' }));
    const second = await client.send(new ListObjectsCommand({ Bucket: bucket, Prefix: 'photos/2026/', Marker: first.NextMarker }));

    expect(first.Contents?.map((c) => [c.Key, c.Owner?.DisplayName])).toEqual([['photos/2026/a.jpg', 'local']]);
    expect(first).toMatchObject({ IsTruncated: true, NextMarker: 'photos/2026/a.jpg' });
    expect(second.Contents?.map((c) => c.Key)).toEqual(['photos/2026/b.jpg']);
    expect(second.IsTruncated).toBe(false);
  });
});

describe('web pages: the bucket`s CORS rules (presigned URLs are made for browsers)', () => {
  const preflightOf = (bucketPath: string, origin: string, method: string, headers?: string) =>
    fetch(`${s3.url}${bucketPath}`, { method: 'OPTIONS', headers: { origin, 'access-control-request-method': method, ...(headers ? { 'access-control-request-headers': headers } : {}) } });

  it('a preflight a rule admits is answered 200 with that origin, the rule`s methods, the asked headers and max age, without a signature', async () => {
    const res = await preflightOf('/uploads/avatar.png', 'https://app.example.com', 'PUT', 'Content-Type, x-amz-meta-owner');

    expect(res.status).toBe(200);
    const names = ['allow-origin', 'allow-methods', 'allow-headers', 'allow-credentials', 'expose-headers', 'max-age'].map((n) => `access-control-${n}`);
    expect(Object.fromEntries(names.map((n) => [n, res.headers.get(n)]))).toEqual({
      'access-control-allow-origin': 'https://app.example.com',
      'access-control-allow-methods': 'GET, PUT',
      'access-control-allow-headers': 'content-type, x-amz-meta-owner',
      'access-control-allow-credentials': 'true',
      'access-control-expose-headers': 'ETag',
      'access-control-max-age': '600',
    });
  });

  it.each([
    ['an origin no rule names', '/uploads/a', 'https://evil.test', 'PUT', undefined, 'not allowed'],
    ['a method no rule allows', '/uploads/a', 'http://localhost:5173', 'DELETE', undefined, 'not allowed'],
    ['a header no rule allows', '/uploads/a', 'http://localhost:5173', 'PUT', 'authorization', 'not allowed'],
    ['a bucket without CORS rules', '/listing-bucket/a', 'http://localhost:5173', 'GET', undefined, 'CORS is not enabled for this bucket'],
  ])('a preflight for %s is S3`s 403 AccessForbidden, with no Access-Control-* header', async (_, path, origin, method, headers, why) => {
    const res = await preflightOf(path, origin, method, headers);

    expect(res.status).toBe(403);
    expect(await res.text()).toMatch(new RegExp(`<Code>AccessForbidden</Code><Message>CORSResponse: [^<]*${why}`));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a presigned PUT from an allowed page gets the origin back; a wildcard rule answers * without credentials', async () => {
    const putUrl = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'uploads', Key: 'from-page.txt' }), { expiresIn: 60 });
    await client.send(new PutObjectCommand({ Bucket: 'public-bucket', Key: 'logo.svg', Body: '<svg/>' }));
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'public-bucket', Key: 'logo.svg' }), { expiresIn: 60 });

    const put = await fetch(putUrl, { method: 'PUT', headers: { origin: 'http://localhost:5173', 'sec-fetch-site': 'cross-site' }, body: 'hi' });
    const got = await fetch(getUrl, { headers: { origin: 'https://anywhere.test' } });

    expect(put.status).toBe(200);
    expect(put.headers.get('access-control-allow-origin')).toBe('http://localhost:5173');
    expect(put.headers.get('access-control-expose-headers')).toBe('ETag');
    expect(got.status).toBe(200);
    expect(got.headers.get('access-control-allow-origin')).toBe('*');
    expect(got.headers.get('access-control-allow-credentials')).toBeNull();
  });

  it('a page whose origin no rule names is served what its signature allows, without Access-Control-* headers (the browser withholds it)', async () => {
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'uploads', Key: 'from-page.txt' }), { expiresIn: 60 });

    const got = await fetch(getUrl, { headers: { origin: 'https://evil.test' } });

    expect(got.status).toBe(200);
    expect(got.headers.get('access-control-allow-origin')).toBeNull();
  });
});
