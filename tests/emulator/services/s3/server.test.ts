/**
 * The embedded S3 endpoint as the AWS SDK for JavaScript v3 calls it (path-style on an IP endpoint, CRC32 checksums
 * by default, aws-chunked streams) and as a browser or curl uses a presigned URL: objects, presigned URLs (Signature
 * Versions 4 and 2), what S3 refuses, event notifications; answers, headers and errors in S3's words (S3 API
 * Reference). Buckets, listing and CORS rules are in buckets.test.ts.
 */
import { createHmac } from 'node:crypto';
import { request as httpRequest } from 'node:http';
import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { CopyObjectCommand, DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, NoSuchKey, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { startS3 } from '../../../../emulator/services/s3/server.js';
import { signRequest } from '../../../../emulator/services/sigv4.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';
import { startEndpoint } from './support/endpoint.js';
import { failure } from './support/failure.js';

const { s3, client, changes, clock } = await startEndpoint();

describe('objects through the SDK', () => {
  it('PutObject then GetObject: body, content type, metadata, ETag, and the CRC32 the SDK sent and checks', async () => {
    const put = await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'notes/a b.txt', Body: 'hello world', ContentType: 'text/plain', Metadata: { Owner: 'alice' } }));

    const got = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'notes/a b.txt', ChecksumMode: 'ENABLED' }));

    expect(put.ETag).toBe('"5eb63bbbe01eeed093cb22bb8f5acdc3"');
    expect(put.ChecksumCRC32).toBe('DUoRhQ==');
    expect(await got.Body?.transformToString()).toBe('hello world');
    expect(got).toMatchObject({ ContentType: 'text/plain', ContentLength: 11, ETag: put.ETag, Metadata: { owner: 'alice' }, ServerSideEncryption: 'AES256', ChecksumCRC32: 'DUoRhQ==' });
    expect(got.LastModified?.getTime()).toBe(clock.now);
  });

  it('a streamed body (aws-chunked with a trailing checksum) is stored decoded', async () => {
    const body = Readable.from([Buffer.from('part one, '), Buffer.from('part two')]);

    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'streamed.txt', Body: body, ContentLength: 18 }));
    const got = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'streamed.txt' }));

    expect(await got.Body?.transformToString()).toBe('part one, part two');
    expect(got.ContentLength).toBe(18);
    // aws-chunked is how the body travelled, not how it is stored.
    expect(got.ContentEncoding).toBeUndefined();
  });

  it('a missing key is NoSuchKey (404) with the key in the error; HeadObject is a bodiless 404', async () => {
    const error = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'missing.txt' })).catch((e: unknown) => e);
    const head = await failure(client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'missing.txt' })));
    const noBucket = await failure(client.send(new GetObjectCommand({ Bucket: 'no-such-bucket', Key: 'k' })));

    expect(error).toBeInstanceOf(NoSuchKey);
    expect((error as NoSuchKey & { Key?: string }).Key).toBe('missing.txt');
    expect(head).toEqual({ name: 'NotFound', status: 404 });
    expect(noBucket).toEqual({ name: 'NoSuchBucket', status: 404 });
  });

  it('ranges: first-last, open-ended and suffix answer 206 with Content-Range; past the end is InvalidRange (416)', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'digits', Body: '0123456789' }));

    const read = async (Range: string) => {
      const got = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'digits', Range }));
      return [await got.Body?.transformToString(), got.ContentRange];
    };

    expect(await read('bytes=2-4')).toEqual(['234', 'bytes 2-4/10']);
    expect(await read('bytes=7-')).toEqual(['789', 'bytes 7-9/10']);
    expect(await read('bytes=-3')).toEqual(['789', 'bytes 7-9/10']);
    expect(await read('bytes=8-100')).toEqual(['89', 'bytes 8-9/10']);
    expect(await failure(client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'digits', Range: 'bytes=10-' })))).toEqual({ name: 'InvalidRange', status: 416 });
  });

  it('conditional reads: If-None-Match on the ETag is 304, If-Match on another is PreconditionFailed (412)', async () => {
    const { ETag } = await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'cond', Body: 'v1' }));

    const notModified = await failure(client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'cond', IfNoneMatch: ETag })));
    const precondition = await failure(client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'cond', IfMatch: '"0000"' })));

    expect(notModified.status).toBe(304);
    expect(precondition).toEqual({ name: 'PreconditionFailed', status: 412 });
  });

  it('conditional writes: If-None-Match * refuses to overwrite (412) and writes nothing', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'once', Body: 'first' }));

    const refused = await failure(client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'once', Body: 'second', IfNoneMatch: '*' })));
    const kept = await client.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'once' }));

    expect(refused).toEqual({ name: 'PreconditionFailed', status: 412 });
    expect(await kept.Body?.transformToString()).toBe('first');
  });

  it('CopyObject copies body and metadata (COPY) or takes the request`s (REPLACE); a copy onto itself without REPLACE is refused', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'src.json', Body: '{}', ContentType: 'application/json', Metadata: { a: '1' } }));

    const copied = await client.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'dst.json', CopySource: 'uploads/src.json' }));
    const replaced = await client.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'src.json', CopySource: '/uploads/src.json', MetadataDirective: 'REPLACE', ContentType: 'text/plain', Metadata: { b: '2' } }));
    const self = await failure(client.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'src.json', CopySource: 'uploads/src.json' })));
    const dst = await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'dst.json' }));
    const src = await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'src.json' }));

    expect(copied.CopyObjectResult?.ETag).toBe('"99914b932bd37a50b983c5e7c90ae93b"');
    expect(replaced.CopyObjectResult?.ETag).toBe(copied.CopyObjectResult?.ETag);
    expect(self).toEqual({ name: 'InvalidRequest', status: 400 });
    expect(dst).toMatchObject({ ContentType: 'application/json', Metadata: { a: '1' }, ContentLength: 2 });
    expect(src).toMatchObject({ ContentType: 'text/plain', Metadata: { b: '2' } });
  });

  it('DeleteObjects removes the keys it is given and lists them deleted, present or not', async () => {
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'del/1', Body: '1' }));
    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'del/2', Body: '2' }));

    const result = await client.send(new DeleteObjectsCommand({ Bucket: 'uploads', Delete: { Objects: [{ Key: 'del/1' }, { Key: 'del/2' }, { Key: 'del/never' }] } }));
    const left = await client.send(new ListObjectsV2Command({ Bucket: 'uploads', Prefix: 'del/' }));

    expect(result.Deleted?.map((d) => d.Key)).toEqual(['del/1', 'del/2', 'del/never']);
    expect(left.KeyCount).toBe(0);
    expect(left.Contents).toBeUndefined();
  });
});

describe('presigned URLs', () => {
  it('a presigned PUT uploads with fetch (the SDK`s CRC32 of an empty body in the URL is ignored, as S3 does) and a presigned GET downloads it', async () => {
    const putUrl = await getSignedUrl(client, new PutObjectCommand({ Bucket: 'uploads', Key: 'avatar.png', ContentType: 'image/png' }), { expiresIn: 300 });
    const getUrl = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'uploads', Key: 'avatar.png', ResponseContentDisposition: 'attachment; filename="me.png"' }), { expiresIn: 300 });

    const put = await fetch(putUrl, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: 'PNGDATA' });
    const got = await fetch(getUrl);

    expect(putUrl).toContain('x-amz-checksum-crc32=AAAAAA%3D%3D');
    expect(put.status).toBe(200);
    expect(got.status).toBe(200);
    expect(await got.text()).toBe('PNGDATA');
    expect(got.headers.get('content-type')).toBe('image/png');
    expect(got.headers.get('content-disposition')).toBe('attachment; filename="me.png"');
  });

  it('an expired presigned URL is AccessDenied "Request has expired"; a tampered one SignatureDoesNotMatch', async () => {
    const url = await getSignedUrl(client, new GetObjectCommand({ Bucket: 'uploads', Key: 'digits' }), { expiresIn: 60 });

    const tampered = await fetch(url.replace('/digits?', '/other?'));
    clock.now += 120_000;
    const expired = await fetch(url);
    clock.now -= 120_000;

    expect(tampered.status).toBe(403);
    expect(await tampered.text()).toContain('<Code>SignatureDoesNotMatch</Code>');
    expect(expired.status).toBe(403);
    expect(await expired.text()).toMatch(/<Code>AccessDenied<\/Code><Message>Request has expired<\/Message>/);
  });
});

describe('what S3 refuses', () => {
  it('an unsigned request is AccessDenied (403, XML), a wrong key InvalidAccessKeyId, a web page`s unsigned request AccessDenied', async () => {
    const unsigned = await fetch(`${s3.url}/uploads/digits`);
    const wrongKey = new S3Client({ region: 'us-east-1', endpoint: s3.url, credentials: { accessKeyId: 'AKIAOTHER', secretAccessKey: 'nope' } });
    const fromPage = await fetch(`${s3.url}/uploads/digits`, { headers: { origin: 'https://evil.example' } });

    expect(unsigned.status).toBe(403);
    expect(unsigned.headers.get('content-type')).toBe('application/xml');
    expect(await unsigned.text()).toMatch(/<Error><Code>AccessDenied<\/Code><Message>Access Denied<\/Message>.*<RequestId>\w+<\/RequestId>/);
    expect(await failure(wrongKey.send(new GetObjectCommand({ Bucket: 'uploads', Key: 'digits' })))).toEqual({ name: 'InvalidAccessKeyId', status: 403 });
    expect(fromPage.status).toBe(403);
    expect(fromPage.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a body that does not match its signed SHA-256, Content-MD5 or checksum is refused and stores nothing', async () => {
    const attempt = async (extra: Record<string, string>) => {
      const url = new URL(`${s3.url}/uploads/tampered`);
      const headers = signRequest(TEST_CREDENTIALS, { method: 'PUT', url, headers: extra, body: 'original', region: 'us-east-1', service: 's3' });
      const res = await fetch(url, { method: 'PUT', headers, body: 'tampered' });
      return [res.status, /<Code>(\w+)<\/Code>/.exec(await res.text())?.[1]];
    };

    expect(await attempt({ 'x-amz-content-sha256': 'a'.repeat(64) })).toEqual([400, 'XAmzContentSHA256Mismatch']);
    expect(await attempt({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-md5': 'XrY7u+Ae7tCTyyK7j1rNww==' })).toEqual([400, 'BadDigest']);
    expect(await attempt({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'x-amz-checksum-crc32': 'DUoRhQ==' })).toEqual([400, 'BadDigest']);
    expect(await attempt({ 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-md5': 'short' })).toEqual([400, 'InvalidDigest']);
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'tampered' })))).toEqual({ name: 'NotFound', status: 404 });
  });

  it('a Host that is not loopback (DNS rebinding) is AccessDenied, even when signed', async () => {
    const url = new URL(`${s3.url}/uploads/digits`);
    const headers = signRequest(TEST_CREDENTIALS, { method: 'GET', url: new URL(`http://rebound.example:${url.port}/uploads/digits`), headers: {}, body: '', region: 'us-east-1', service: 's3' });

    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: 'GET', headers: { ...headers, host: `rebound.example:${url.port}` } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.end();
    });

    expect(status).toBe(403);
  });

  it.each([
    { given: 'a bucket sub-resource (?tagging)', method: 'PUT', path: '/uploads/big?tagging', headers: {} as Record<string, string>, want: /\?tagging/ },
    { given: 'GetObject of one part (?partNumber)', method: 'GET', path: '/uploads/big?partNumber=1', headers: {}, want: /one part/ },
    { given: 'UploadPartCopy', method: 'PUT', path: '/uploads/big?partNumber=1&uploadId=UPLOAD', headers: { 'x-amz-copy-source': 'uploads/src' }, want: /UploadPartCopy/ },
  ])('$given is NotImplemented (501), named in the message', async ({ method, path, headers: extra, want }) => {
    // UploadPartCopy needs an upload in progress; the others do not look.
    const created = await fetch(new URL(`${s3.url}/uploads/big?uploads`), { method: 'POST', headers: signRequest(TEST_CREDENTIALS, { method: 'POST', url: new URL(`${s3.url}/uploads/big?uploads`), headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '', region: 'us-east-1', service: 's3' }) });
    const uploadId = /<UploadId>([^<]+)<\/UploadId>/.exec(await created.text())![1]!;
    const url = new URL(`${s3.url}${path.replace('UPLOAD', encodeURIComponent(uploadId))}`);
    const headers = signRequest(TEST_CREDENTIALS, { method, url, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...extra }, body: '', region: 'us-east-1', service: 's3' });

    const res = await fetch(url, { method, headers });

    expect(res.status).toBe(501);
    expect(await res.text()).toMatch(new RegExp(`<Code>NotImplemented</Code><Message>[^<]*${want.source}`));
  });
});

describe('event notifications', () => {
  it('reports each object created or removed, with what was written', async () => {
    changes.length = 0;

    await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'evt.txt', Body: 'abc' }));
    await client.send(new CopyObjectCommand({ Bucket: 'uploads', Key: 'evt-copy.txt', CopySource: 'uploads/evt.txt' }));
    await client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'evt.txt' }));
    await client.send(new DeleteObjectCommand({ Bucket: 'uploads', Key: 'never-there.txt' }));

    expect(changes.map((c) => [c.eventName, c.key, c.object?.body.length])).toEqual([
      ['ObjectCreated:Put', 'evt.txt', 3],
      ['ObjectCreated:Copy', 'evt-copy.txt', 3],
      ['ObjectRemoved:Delete', 'evt.txt', undefined],
    ]);
  });
});

/** A raw signed request to the endpoint (the path and headers exactly as given). */
async function signed(method: string, path: string, headers: Record<string, string> = {}, body = '') {
  const url = new URL(`${s3.url}${path}`);
  const sent = signRequest(TEST_CREDENTIALS, { method, url, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', ...headers }, body, region: 'us-east-1', service: 's3' });
  const res = await fetch(url, { method, headers: sent, ...(body ? { body } : {}) });
  return { status: res.status, text: await res.text() };
}

describe('what the S3 sweep of public templates found (each as S3 answers)', () => {
  it('GET // (an API Gateway s3:path// integration) lists the buckets, as GET / does', async () => {
    const root = await signed('GET', '//');

    expect(root.status).toBe(200);
    expect(root.text).toContain('<ListAllMyBucketsResult');
    expect(root.text).toContain('<Name>uploads</Name>');
  });

  it.each([['uploads/digits'], ['/uploads/digits'], ['uploads%2Fdigits'], ['%2Fuploads%2Fdigits']])('x-amz-copy-source %j (encoded or not) names the same object', async (source) => {
    const res = await signed('PUT', '/uploads/copied-digits', { 'x-amz-copy-source': source });

    expect(res.status).toBe(200);
    expect(res.text).toContain('<CopyObjectResult>');
  });

  it('an ACL is refused on a bucket with ACLs disabled (S3`s default), accepted with OwnershipControls that allow them', async () => {
    const refused = await failure(client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'public.txt', Body: 'x', ACL: 'public-read' })));
    const owner = await client.send(new PutObjectCommand({ Bucket: 'uploads', Key: 'owned.txt', Body: 'x', ACL: 'bucket-owner-full-control' }));
    const allowed = await client.send(new PutObjectCommand({ Bucket: 'acl-bucket', Key: 'public.txt', Body: 'x', ACL: 'public-read' }));

    expect(refused).toEqual({ name: 'AccessControlListNotSupported', status: 400 });
    expect(owner.ETag).toBeDefined();
    expect(allowed.ETag).toBeDefined();
  });

  it.each([['2147483648'], ['99999999999999999999'], ['-1'], ['ten']])('max-keys %s is InvalidArgument', async (maxKeys) => {
    const res = await signed('GET', `/uploads?list-type=2&max-keys=${maxKeys}`);

    expect(res.status).toBe(400);
    expect(res.text).toContain('<Code>InvalidArgument</Code>');
  });

  it('versionId=null reads the object of an unversioned bucket; another version id is NotImplemented', async () => {
    const nul = await signed('GET', '/uploads/digits?versionId=null');
    const other = await signed('GET', '/uploads/digits?versionId=3HL4kqtJlcpXroDTDmJ');

    expect(nul).toEqual({ status: 200, text: '0123456789' });
    expect(other.status).toBe(501);
  });

  it('a PUT without Content-Length (an HTTP chunked body) is MissingContentLength (411) and stores nothing', async () => {
    const url = new URL(`${s3.url}/uploads/chunked.txt`);
    const headers = signRequest(TEST_CREDENTIALS, { method: 'PUT', url, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' }, body: '', region: 'us-east-1', service: 's3' });
    const status = await new Promise<number>((resolve, reject) => {
      const req = httpRequest(url, { method: 'PUT', headers: { ...headers, 'transfer-encoding': 'chunked' } }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on('error', reject);
      req.write('some');
      req.end(' bytes');
    });

    expect(status).toBe(411);
    expect(await failure(client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'chunked.txt' })))).toEqual({ name: 'NotFound', status: 404 });
  });

  it('an upload whose body stalls is answered RequestTimeout (400) and its connection closed, not left hanging', async () => {
    // A server of its own with a short idle limit: the others' uploads keep S3's 20 s, whatever the machine's load.
    const impatient = await startS3({ credentials: TEST_CREDENTIALS, region: 'us-east-1', buckets: ['uploads'], idleTimeoutMs: 100 });
    const url = new URL(`${impatient.url}/uploads/stalled.txt`);
    const headers = signRequest(TEST_CREDENTIALS, { method: 'PUT', url, headers: { 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD', 'content-length': '100' }, body: '', region: 'us-east-1', service: 's3' });

    const answer = await new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest(url, { method: 'PUT', headers }, (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.write('only ten b');
    }).finally(() => impatient.close());

    expect(answer.status).toBe(400);
    expect(answer.body).toContain('<Code>RequestTimeout</Code>');
  });
});

describe('Signature Version 2 (boto3`s presigned URLs on a custom endpoint, the SDK v2)', () => {
  /** The string S3's Version 2 signs (S3 User Guide, "Authenticating Requests (AWS Signature Version 2)"), signed here by hand. */
  const sign = (text: string) => createHmac('sha1', TEST_CREDENTIALS.secretAccessKey).update(text).digest('base64');

  it('a presigned PUT carrying metadata and the session token in its query uploads; the metadata is stored', async () => {
    const expires = Math.floor(clock.now / 1000) + 300;
    const token = TEST_CREDENTIALS.sessionToken ?? '';
    const amz = [`x-amz-meta-owner:me`, ...(token ? [`x-amz-security-token:${token}`] : [])].join('\n');
    const signature = sign(`PUT\n\nimage/png\n${expires}\n${amz}\n/uploads/v2%20photo.png`);
    const query = new URLSearchParams({ AWSAccessKeyId: TEST_CREDENTIALS.accessKeyId, Signature: signature, 'x-amz-meta-owner': 'me', 'content-type': 'image/png', ...(token ? { 'x-amz-security-token': token } : {}), Expires: String(expires) });

    const put = await fetch(`${s3.url}/uploads/v2%20photo.png?${query}`, { method: 'PUT', headers: { 'content-type': 'image/png' }, body: 'PNG' });
    const head = await client.send(new HeadObjectCommand({ Bucket: 'uploads', Key: 'v2 photo.png' }));

    expect(put.status).toBe(200);
    expect(head).toMatchObject({ ContentType: 'image/png', Metadata: { owner: 'me' }, ContentLength: 3 });
  });

  it('a presigned GET with a response override; expired, tampered, another key: S3`s errors', async () => {
    const expires = Math.floor(clock.now / 1000) + 60;
    const url = (exp: number, sig: string, key = TEST_CREDENTIALS.accessKeyId) =>
      `${s3.url}/uploads/digits?response-content-type=text%2Fplain&AWSAccessKeyId=${key}&Expires=${exp}&Signature=${encodeURIComponent(sig)}${TEST_CREDENTIALS.sessionToken ? `&x-amz-security-token=${encodeURIComponent(TEST_CREDENTIALS.sessionToken)}` : ''}`;
    const amz = TEST_CREDENTIALS.sessionToken ? `x-amz-security-token:${TEST_CREDENTIALS.sessionToken}\n` : '';
    const good = sign(`GET\n\n\n${expires}\n${amz}/uploads/digits?response-content-type=text/plain`);
    const past = Math.floor(clock.now / 1000) - 1;

    const ok = await fetch(url(expires, good));
    const expired = await fetch(url(past, sign(`GET\n\n\n${past}\n${amz}/uploads/digits?response-content-type=text/plain`)));
    const tampered = await fetch(url(expires + 1, good));
    const otherKey = await fetch(url(expires, good, 'AKIAOTHER'));

    expect([ok.status, ok.headers.get('content-type'), await ok.text()]).toEqual([200, 'text/plain', '0123456789']);
    expect([expired.status, /<Message>([^<]*)/.exec(await expired.text())?.[1]]).toEqual([403, 'Request has expired']);
    expect([tampered.status, /<Code>(\w+)/.exec(await tampered.text())?.[1]]).toEqual([403, 'SignatureDoesNotMatch']);
    expect([otherKey.status, /<Code>(\w+)/.exec(await otherKey.text())?.[1]]).toEqual([403, 'InvalidAccessKeyId']);
  });
});
