/**
 * H4.19 IAM (AWS_IAM, EnableIamAuthorizer) authorization of HTTP API routes, over HTTP against a running
 * gateway (startEmulator on the iam fixture), signed by the AWS SDK's own SigV4 signer; time is the gateway's
 * injectable clock. HTTP APIs answer refusals in their own shape: `{"message":...}`, no x-amzn-* headers.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { presignedUrl, signedHeaders } from '../../support/sigv4-signer.js';

const TEMPLATE = fileURLToPath(new URL('../fixtures/iam/template.yaml', import.meta.url));
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const localDir = mkdtempSync(join(tmpdir(), 'iam-http-'));
const clock = new ManualClock(T0);
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, clock, log: () => undefined });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});
beforeEach(() => clock.set(T0));

const http = () => emulator.apis.find((a) => a.logicalId === 'IamHttpApi')!;
const printed = () => ({ accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.secretAccessKey });

interface Sent {
  method?: string;
  path: string;
  body?: string;
  signedBody?: string;
  signedPath?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
  at?: number;
  unsigned?: boolean;
}

async function send(s: Sent): Promise<{ status: number; headers: Headers; json: Record<string, unknown> }> {
  const method = s.method ?? 'GET';
  const base: Record<string, string> = s.body === undefined ? {} : { 'content-type': 'application/json' };
  const signedBody = s.signedBody ?? s.body;
  const auth = s.unsigned
    ? {}
    : await signedHeaders({ method, url: `${http().url}${s.signedPath ?? s.path}`, headers: base, ...(signedBody === undefined ? {} : { body: signedBody }), at: new Date(s.at ?? clock.now()), credentials: s.credentials ?? printed() });
  const got = await fetch(`${http().url}${s.path}`, { method, headers: { ...base, ...auth }, ...(s.body === undefined ? {} : { body: s.body }) });
  return { status: got.status, headers: got.headers, json: (await got.json()) as Record<string, unknown> };
}

const contextOf = (json: Record<string, unknown>) => (json.event as { requestContext: Record<string, unknown> }).requestContext;

describe('H4.19 a signed request reaches the integration with requestContext.authorizer.iam', () => {
  it('payload 2.0 GET: accessKey, accountId, callerId, cognitoIdentity null, principalOrgId null, userArn, userId', async () => {
    const got = await send({ path: '/items' });
    expect(got.status).toBe(200);
    expect(contextOf(got.json).authorizer).toEqual({
      iam: {
        accessKey: emulator.credentials.accessKeyId,
        accountId: '123456789012',
        callerId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
        cognitoIdentity: null,
        principalOrgId: null,
        userArn: 'arn:aws:iam::123456789012:user/sam-local-gateway',
        userId: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      },
    });
  });

  it('payload 2.0 POST with a body signed over it', async () => {
    const got = await send({ method: 'POST', path: '/items', body: '{"title":"signed"}' });
    expect([got.status, (got.json.event as { body: string }).body]).toEqual([200, '{"title":"signed"}']);
  });

  it('a presigned URL', async () => {
    const url = await presignedUrl({ url: `${http().url}/items?q=1`, at: new Date(T0), credentials: printed() });
    const got = await fetch(url);
    expect(got.status).toBe(200);
  });

  it('[AMBIGUOUS] H5.1 payload 1.0: the signer fills requestContext.identity as on REST, no authorizer', async () => {
    const got = await send({ path: '/v1-items' });
    const context = contextOf(got.json);
    expect([got.status, context.authorizer]).toEqual([200, undefined]);
    expect(context.identity).toMatchObject({ accessKey: emulator.credentials.accessKeyId, accountId: '123456789012', caller: expect.stringMatching(/^AIDA/), userArn: 'arn:aws:iam::123456789012:user/sam-local-gateway' });
  });
});

describe('[AMBIGUOUS] H10 IAM refusals: 403, {"message":...}, no x-amzn-ErrorType', () => {
  it.each<{ name: string; sent: Sent; message: RegExp }>([
    { name: 'no signature: Forbidden', sent: { path: '/items', unsigned: true }, message: /^Forbidden$/ },
    { name: 'unknown access key', sent: { path: '/items', credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } }, message: /^The security token included in the request is invalid\.$/ },
    { name: 'wrong secret', sent: { path: '/items', credentials: { accessKeyId: 'LOCAL', secretAccessKey: 'wrong' } }, message: /^The request signature we calculated does not match/ },
    { name: 'tampered body', sent: { method: 'POST', path: '/items', body: '{"a":2}', signedBody: '{"a":1}' }, message: /^The request signature we calculated does not match/ },
    { name: 'tampered path', sent: { path: '/items?a=2', signedPath: '/items?a=1' }, message: /^The request signature we calculated does not match/ },
    { name: 'signed 5 min 1 s ago', sent: { path: '/items', at: T0 - 301_000 }, message: /^Signature expired: 20260601T115459Z is now earlier than 20260601T115500Z \(20260601T120000Z - 5 min\.\)$/ },
  ])('$name', async ({ sent, message }) => {
    const given = sent.credentials?.accessKeyId === 'LOCAL' ? { ...sent, credentials: { ...sent.credentials, accessKeyId: emulator.credentials.accessKeyId } } : sent;
    const got = await send(given);
    expect([got.status, got.headers.get('x-amzn-errortype'), Object.keys(got.json)]).toEqual([403, null, ['message']]);
    expect(got.json.message).toMatch(message);
  });

  it('the clock moved past 5 minutes turns a valid signature into a refusal', async () => {
    const headers = await signedHeaders({ url: `${http().url}/items`, at: new Date(T0), credentials: printed() });
    const before = await fetch(`${http().url}/items`, { headers });
    clock.advance(301_000);
    const after = await fetch(`${http().url}/items`, { headers });
    expect([before.status, after.status]).toEqual([200, 403]);
  });
});

describe('routes without IAM on the same HTTP API are unaffected', () => {
  it('GET /open unsigned: 200 with no authorizer', async () => {
    const got = await send({ path: '/open', unsigned: true });
    expect([got.status, contextOf(got.json).authorizer]).toEqual([200, undefined]);
  });
});

describe('startup report', () => {
  it('lists AWS_IAM routes emulated with the note and IAM authorization as an emulated setting', () => {
    const iamRoutes = http().routes.filter((r) => r.iam);
    expect(iamRoutes.map((r) => `${r.method} ${r.path} ${r.emulated}`).sort()).toEqual(['GET /items true', 'GET /v1-items true', 'POST /items true']);
    expect(iamRoutes.every((r) => (r.detail ?? '').includes('IAM: SigV4 signature checked against the local credentials; IAM policies are not evaluated'))).toBe(true);
    expect(formatStartupReport(emulator, 1)).toMatch(/EMULATED\s+IAM authorization \(AWS_IAM\) - SigV4 signature checked/);
  });
});
