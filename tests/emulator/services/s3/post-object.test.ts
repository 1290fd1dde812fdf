/**
 * Browser-based uploads (S3 PostObject, services/s3/post-object.ts) as a page sends the form a server's
 * createPresignedPost / generate_presigned_post made: the policy signed with SigV4 (User Guide, "Calculating a signature
 * for a POST policy"), its conditions enforced, the file stored under the key (`${filename}` filled), S3's answers and
 * refusals, which write nothing.
 */
import { createHmac } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { GetObjectCommand, HeadObjectCommand, NoSuchKey, S3Client } from '@aws-sdk/client-s3';
import { startS3, type S3Server } from '../../../../emulator/services/s3/server.js';
import type { S3Change } from '../../../../emulator/services/s3/operations.js';
import { TEST_CREDENTIALS } from '../../../support/local-credentials.js';

const BUCKET = 'uploads';
const changes: S3Change[] = [];
const s3: S3Server = await startS3({ credentials: TEST_CREDENTIALS, region: 'us-east-1', buckets: [BUCKET], onChange: (c) => changes.push(c) });
afterAll(() => s3.close());
const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, forcePathStyle: true, credentials: TEST_CREDENTIALS });

const hmac = (key: string | Buffer, data: string) => createHmac('sha256', key).update(data).digest();

/** The fields a presigned POST gives a page, the policy signed as AWS documents it (written here from the spec, not by the SDK). */
function presignedPost(conditions: unknown[], options: { secret?: string; expiresInMs?: number; extra?: Record<string, string> } = {}): Record<string, string> {
  const now = new Date();
  const date = now.toISOString().slice(0, 10).replace(/-/g, '');
  const credential = `${TEST_CREDENTIALS.accessKeyId}/${date}/us-east-1/s3/aws4_request`;
  const amzDate = `${date}T000000Z`;
  const fields = { 'X-Amz-Algorithm': 'AWS4-HMAC-SHA256', 'X-Amz-Credential': credential, 'X-Amz-Date': amzDate, ...options.extra };
  const policy = Buffer.from(
    JSON.stringify({
      expiration: new Date(now.getTime() + (options.expiresInMs ?? 600_000)).toISOString(),
      conditions: [{ bucket: BUCKET }, ...conditions, ...Object.entries(fields).map(([k, v]) => ({ [k]: v }))],
    }),
  ).toString('base64');
  const key = hmac(hmac(hmac(hmac(`AWS4${options.secret ?? TEST_CREDENTIALS.secretAccessKey}`, date), 'us-east-1'), 's3'), 'aws4_request');
  return { ...fields, Policy: policy, 'X-Amz-Signature': createHmac('sha256', key).update(policy).digest('hex') };
}

/** POSTs the form (fields first, the file last, as S3 wants them) and gives status and body. */
async function post(fields: Record<string, string>, file: { content: string; name: string; type?: string }) {
  const form = new FormData();
  for (const [name, value] of Object.entries(fields)) form.append(name, value);
  form.append('file', new Blob([file.content], { type: file.type ?? 'application/octet-stream' }), file.name);
  const res = await fetch(`${s3.url}/${BUCKET}`, { method: 'POST', body: form });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const body = async (key: string) => (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToString();

describe('PostObject: a form upload signed as presigned POST signs it', () => {
  it('stores the file under the key (${filename} filled), with the form`s Content-Type; 204; notifies ObjectCreated:Post', async () => {
    const fields = { key: 'user/${filename}', 'Content-Type': 'text/plain', ...presignedPost([['starts-with', '$key', 'user/'], ['starts-with', '$Content-Type', 'text/'], ['content-length-range', 1, 1000]], { extra: {} }) };

    const res = await post(fields, { content: 'hello form', name: 'note.txt' });

    expect(res.status).toBe(204);
    expect(res.headers.get('etag')).toBe((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'user/note.txt' }))).ETag);
    expect(await body('user/note.txt')).toBe('hello form');
    expect((await client.send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'user/note.txt' }))).ContentType).toBe('text/plain');
    expect(changes.at(-1)).toMatchObject({ eventName: 'ObjectCreated:Post', bucket: BUCKET, key: 'user/note.txt' });
  });

  it('success_action_status 201: the PostResponse document', async () => {
    const fields = { key: 'doc.txt', success_action_status: '201', ...presignedPost([{ key: 'doc.txt' }, { success_action_status: '201' }]) };

    const res = await post(fields, { content: 'x', name: 'doc.txt' });

    expect(res.status).toBe(201);
    expect(res.text).toMatch(/<PostResponse><Location>[^<]+\/uploads\/doc\.txt<\/Location><Bucket>uploads<\/Bucket><Key>doc\.txt<\/Key><ETag>&quot;[0-9a-f]{32}&quot;<\/ETag><\/PostResponse>$/);
  });
});

describe('refusals write nothing', () => {
  it.each([
    { given: 'a key outside the policy`s starts-with', key: 'other/a.txt', conditions: [['starts-with', '$key', 'user/']], options: {}, content: 'x', want: [403, /<Code>AccessDenied<\/Code><Message>Invalid according to Policy: Policy Condition failed: \[&quot;starts-with&quot;, &quot;\$key&quot;, &quot;user\/&quot;\]/] },
    { given: 'a file over content-length-range', key: 'user/big.txt', conditions: [['starts-with', '$key', 'user/'], ['content-length-range', 1, 3]], options: {}, content: 'too long', want: [400, /<Code>EntityTooLarge<\/Code>/] },
    { given: 'an expired policy', key: 'user/late.txt', conditions: [['starts-with', '$key', 'user/']], options: { expiresInMs: -60_000 }, content: 'x', want: [403, /Invalid according to Policy: Policy expired\./] },
    { given: 'a policy signed with another secret', key: 'user/forged.txt', conditions: [['starts-with', '$key', 'user/']], options: { secret: 'not-the-local-secret' }, content: 'x', want: [403, /<Code>SignatureDoesNotMatch<\/Code>/] },
    { given: 'a field the policy does not name', key: 'user/extra.txt', conditions: [['starts-with', '$key', 'user/']], options: { extra: {} }, content: 'x', want: [403, /Extra input fields: x-amz-meta-owner/] },
  ])('$given: $want.0', async ({ key, conditions, options, content, want }) => {
    const fields = { key, ...presignedPost(conditions, options), ...(key === 'user/extra.txt' ? { 'x-amz-meta-owner': 'mallory' } : {}) };

    const res = await post(fields, { content, name: 'f.txt' });

    expect(res.status).toBe(want[0]);
    expect(res.text).toMatch(want[1] as RegExp);
    await expect(client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).rejects.toBeInstanceOf(NoSuchKey);
  });
});
