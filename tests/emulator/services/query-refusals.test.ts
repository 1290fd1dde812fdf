/**
 * The query-protocol services (SQS's form protocol, SNS) refuse unsigned, wrongly signed and browser requests in
 * their own `<ErrorResponse>` XML with the query protocol's common error codes (MissingAuthenticationToken 403,
 * InvalidClientTokenId 403, SignatureDoesNotMatch 403), which their SDKs parse. They answered AWS JSON instead (SNS
 * labelled it text/xml), which a query SDK cannot read.
 */
import { afterAll, describe, expect, it } from 'vitest';
import { ListTopicsCommand, SNSClient } from '@aws-sdk/client-sns';
import { startSns } from '../../../emulator/services/sns/server.js';
import { SnsTopics } from '../../../emulator/services/sns/topics.js';
import { startSqs } from '../../../emulator/services/sqs/server.js';
import { signRequest, type LocalCredentials } from '../../../emulator/services/sigv4.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

const sns = await startSns(new SnsTopics([], [], { region: 'us-east-1', accountId: '123456789012', deliver: () => undefined }), { credentials: TEST_CREDENTIALS });
const sqs = await startSqs({ credentials: TEST_CREDENTIALS, region: 'us-east-1', accountId: '123456789012', queues: [{ name: 'jobs' }] });
afterAll(async () => {
  await sns.close();
  await sqs.close();
});

const SERVICES = [
  { service: 'SQS', url: () => sqs.url, signingName: 'sqs', form: 'Action=ListQueues&Version=2012-11-05', namespace: 'http://queue.amazonaws.com/doc/2012-11-05/' },
  { service: 'SNS', url: () => sns.url, signingName: 'sns', form: 'Action=ListTopics&Version=2010-03-31', namespace: 'http://sns.amazonaws.com/doc/2010-03-31/' },
];

const FORM = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };

function signedHeaders(url: string, service: string, body: string, credentials: LocalCredentials, now?: Date): Record<string, string> {
  return signRequest(credentials, { method: 'POST', url: new URL(url), headers: FORM, body, region: 'us-east-1', service, ...(now ? { now } : {}) });
}

const CASES = [
  { given: 'no signature', headers: () => FORM, status: 403, code: 'MissingAuthenticationToken' },
  { given: 'another access key', headers: (url: string, service: string, body: string) => signedHeaders(url, service, body, { accessKeyId: 'AKIAOTHER000000000000', secretAccessKey: 'x' }), status: 403, code: 'InvalidClientTokenId' },
  { given: 'a wrong secret key', headers: (url: string, service: string, body: string) => signedHeaders(url, service, body, { ...TEST_CREDENTIALS, secretAccessKey: 'guessed' }), status: 403, code: 'SignatureDoesNotMatch' },
  { given: 'a signature an hour old', headers: (url: string, service: string, body: string) => signedHeaders(url, service, body, TEST_CREDENTIALS, new Date(Date.now() - 3_600_000)), status: 403, code: 'SignatureDoesNotMatch' },
  { given: 'a browser Origin', headers: (url: string, service: string, body: string) => ({ ...signedHeaders(url, service, body, TEST_CREDENTIALS), origin: 'http://evil.example' }), status: 403, code: 'AccessDenied' },
];

describe.each(SERVICES)('$service query protocol refusals', ({ url, signingName, form, namespace }) => {
  it.each(CASES)('$given: $status $code in its <ErrorResponse> XML', async ({ headers, status, code }) => {
    const res = await fetch(url(), { method: 'POST', headers: headers(url(), signingName, form), body: form });
    const body = await res.text();

    expect(res.status).toBe(status);
    expect(res.headers.get('content-type')).toBe('text/xml');
    expect(body).toMatch(new RegExp(`^<\\?xml version="1.0"\\?><ErrorResponse xmlns="${namespace.replace(/[./]/g, '\\$&')}"><Error><Type>Sender</Type><Code>${code}</Code><Message>[^<]+</Message>`));
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('a refusal asked for JSON (API Gateway`s integrations) is the query protocol`s JSON form', async () => {
    const res = await fetch(url(), { method: 'POST', headers: { ...FORM, accept: 'application/json' }, body: form });

    expect(res.status).toBe(403);
    expect(await res.json()).toMatchObject({ Error: { Code: 'MissingAuthenticationToken', Type: 'Sender' } });
  });
});

it('the SNS SDK reads a refusal as the query code SNS names it (InvalidClientTokenId, 403)', async () => {
  const client = new SNSClient({ region: 'us-east-1', endpoint: sns.url, credentials: { accessKeyId: 'AKIAOTHER000000000000', secretAccessKey: 'x' }, maxAttempts: 1 });
  const error = await client.send(new ListTopicsCommand({})).then(() => undefined, (e: unknown) => e);
  client.destroy();

  expect(error).toMatchObject({ name: 'InvalidClientTokenId', $metadata: { httpStatusCode: 403 } });
});

it('an SQS JSON-protocol call (X-Amz-Target) is still refused in AWS JSON', async () => {
  const res = await fetch(sqs.url, { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'AmazonSQS.ListQueues' }, body: '{}' });

  expect(res.status).toBe(400);
  expect(await res.json()).toEqual({ __type: 'MissingAuthenticationTokenException', message: 'Missing Authentication Token' });
});
