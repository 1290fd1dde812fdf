/**
 * The embedded S3 endpoint the SDK suites (server.test.ts, buckets.test.ts) call: the template's buckets (one whose
 * name S3 refuses, one with ACLs enabled), CORS rules on two of them, a clock the tests move, every change recorded.
 */
import { afterAll } from 'vitest';
import { S3Client } from '@aws-sdk/client-s3';
import { startS3, type S3Server } from '../../../../../emulator/services/s3/server.js';
import type { S3Change } from '../../../../../emulator/services/s3/operations.js';
import { TEST_CREDENTIALS } from '../../../../support/local-credentials.js';

/** Starts the endpoint, closed after the file's tests; `clock.now` is the endpoint's time (epoch ms), for the tests to move. */
export async function startEndpoint(): Promise<{ s3: S3Server; client: S3Client; changes: S3Change[]; clock: { now: number } }> {
  const changes: S3Change[] = [];
  // Whole seconds: Last-Modified is an HTTP date. The SDK signs with the system clock, so the endpoint`s starts there.
  const clock = { now: Math.floor(Date.now() / 1000) * 1000 };
  const cors = new Map([
    ['uploads', [{ allowedOrigins: ['http://localhost:5173', 'https://*.example.com'], allowedMethods: ['GET', 'PUT'], allowedHeaders: ['content-type', 'x-amz-*'], exposedHeaders: ['ETag'], maxAge: 600 }]],
    ['public-bucket', [{ allowedOrigins: ['*'], allowedMethods: ['GET'], allowedHeaders: [], exposedHeaders: [] }]],
  ]);
  const s3: S3Server = await startS3({ credentials: TEST_CREDENTIALS, region: 'us-east-1', buckets: ['uploads', 'public-bucket', 'acl-bucket', 'Bad_Name'], clock: { now: () => clock.now }, onChange: (c) => changes.push(c), cors, aclBuckets: new Set(['acl-bucket']) });
  afterAll(() => s3.close());
  const client = new S3Client({ region: 'us-east-1', endpoint: s3.url, credentials: TEST_CREDENTIALS });
  return { s3, client, changes, clock };
}
