/**
 * IAM (AWS_IAM / awsSigv4) authorization of REST API methods, over HTTP against a running gateway
 * (startEmulator on the iam fixture), with requests signed by the AWS SDK's own SigV4 signer. Time is the
 * gateway's injectable clock: signatures are made at its time and it is moved, never waited for.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { presignedUrl, signedHeaders, type ToSign } from '../../support/sigv4-signer.js';

const TEMPLATE = fileURLToPath(new URL('../fixtures/iam/template.yaml', import.meta.url));
const T0 = Date.UTC(2026, 5, 1, 12, 0, 0);
const MISMATCH = 'The request signature we calculated does not match the signature you provided. Check your AWS Secret Access Key and signing method. Consult the service documentation for details.';
const localDir = mkdtempSync(join(tmpdir(), 'iam-rest-'));
const clock = new ManualClock(T0);
const logged: string[] = [];
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, clock, log: (line) => logged.push(line) });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});
beforeEach(() => clock.set(T0));

const urlOf = (api: string, path: string) => `${emulator.apis.find((a) => a.logicalId === api)!.url}${path}`;
/** The printed credentials: key id and secret, no session token. */
const printed = () => ({ accessKeyId: emulator.credentials.accessKeyId, secretAccessKey: emulator.credentials.secretAccessKey });

interface Call {
  api?: string;
  method?: string;
  path: string;
  body?: string;
  /** Sign this instead of what is sent (tampering), and sign with these overrides. */
  sign?: Partial<Omit<ToSign, 'url'>> & { path?: string; body?: string };
  /** Send no signature at all, or these headers as they are. */
  unsigned?: boolean;
  headers?: Record<string, string>;
}

async function call(c: Call): Promise<{ status: number; headers: Headers; text: string; json: () => Record<string, unknown> }> {
  const api = c.api ?? 'IamApi';
  const method = c.method ?? 'GET';
  const base: Record<string, string> = c.body === undefined ? {} : { 'content-type': 'application/json' };
  const toSign: ToSign = { method, url: urlOf(api, c.sign?.path ?? c.path), headers: base, at: new Date(clock.now()), credentials: printed(), ...c.sign };
  if (c.sign?.body !== undefined || c.body !== undefined) toSign.body = c.sign?.body ?? c.body;
  const auth = c.unsigned ? {} : await signedHeaders(toSign);
  const got = await fetch(urlOf(api, c.path), { method, headers: { ...base, ...auth, ...c.headers }, ...(c.body === undefined ? {} : { body: c.body }) });
  const text = await got.text();
  return { status: got.status, headers: got.headers, text, json: () => JSON.parse(text) as Record<string, unknown> };
}

type Identity = Record<string, string | null>;
const identityOf = (json: Record<string, unknown>) => ((json.event as { requestContext: { identity: Identity } }).requestContext.identity);

describe('R1.28 IAM: a request signed with the local credentials reaches the integration with the signer as identity', () => {
  it('header-signed GET: identity has the access key, account, local user id and ARN; Cognito fields stay null', async () => {
    const got = await call({ path: '/items' });
    const identity = identityOf(got.json());
    expect(got.status).toBe(200);
    expect(identity).toMatchObject({
      accessKey: emulator.credentials.accessKeyId,
      accountId: '123456789012',
      caller: expect.stringMatching(/^AIDA[A-Z2-7]{17}$/),
      userArn: 'arn:aws:iam::123456789012:user/sam-local-gateway',
      cognitoIdentityId: null,
      cognitoIdentityPoolId: null,
      cognitoAuthenticationType: null,
      cognitoAuthenticationProvider: null,
      principalOrgId: null,
    });
    expect(identity.user).toBe(identity.caller);
  });

  it.each([
    { name: 'POST with a JSON body', c: { method: 'POST', path: '/items', body: '{"title":"signed"}' }, body: '{"title":"signed"}' },
    { name: 'a path parameter and a query string in any order', c: { path: '/items/a%20b?b=2&a=1&a=0' }, body: null },
    // A name Object.prototype has: as a key of a plain object, the verifier read it as Object's function (500).
    { name: 'a signed header named constructor', c: { path: '/items', sign: { headers: { constructor: 'c' } }, headers: { constructor: 'c' } }, body: null },
  ])('$name', async ({ c, body }) => {
    const got = await call(c);
    expect([got.status, (got.json().event as { body: string | null }).body]).toEqual([200, body]);
  });

  it("the functions' credentials with their session token (a function calling an IAM API)", async () => {
    const got = await call({ path: '/items', sign: { credentials: emulator.credentials } });
    expect([got.status, identityOf(got.json()).accessKey]).toEqual([200, emulator.credentials.accessKeyId]);
  });

  it('a presigned URL (X-Amz-Algorithm, X-Amz-Credential, X-Amz-Signature... in the query)', async () => {
    const url = await presignedUrl({ url: urlOf('IamApi', '/items?x=1'), at: new Date(T0), credentials: printed() });
    const got = await fetch(url);
    const event = ((await got.json()) as { event: { queryStringParameters: Record<string, string>; requestContext: { identity: Identity } } }).event;
    expect([got.status, event.queryStringParameters.x, event.requestContext.identity.accessKey]).toEqual([200, '1', emulator.credentials.accessKeyId]);
  });

  it('R3 $context.identity.* in a mapping template carries the same signer', async () => {
    const got = await call({ path: '/vtl' });
    expect([got.status, got.json()]).toEqual([
      200,
      { accessKey: emulator.credentials.accessKeyId, accountId: '123456789012', caller: expect.stringMatching(/^AIDA/), user: expect.stringMatching(/^AIDA/), userArn: 'arn:aws:iam::123456789012:user/sam-local-gateway' },
    ]);
  });
});

describe('R8.2 IAM refusals: 403 through the gateway responses, with AWS message and x-amzn-ErrorType', () => {
  it.each([
    { name: 'MISSING_AUTHENTICATION_TOKEN: no signature', c: { path: '/items', unsigned: true }, type: 'MissingAuthenticationTokenException', message: /^Missing Authentication Token$/ },
    { name: 'INVALID_SIGNATURE: an Authorization header that is not SigV4', c: { path: '/items', unsigned: true, headers: { Authorization: 'Bearer abc' } }, type: 'IncompleteSignatureException', message: /^Invalid key=value pair \(missing equal-sign\) in Authorization header \(hashed with SHA-256 and encoded with Base64\): 'w1Xc6WwWEogNEZQP\/dkBTThsJT4MNlKmzQanIm970rY='\.$/ },
    {
      name: 'INVALID_SIGNATURE: a SigV4 header without Signature and SignedHeaders',
      c: { path: '/items', unsigned: true, headers: { Authorization: 'AWS4-HMAC-SHA256 Credential=AKID/20260601/us-east-1/execute-api/aws4_request', 'X-Amz-Date': '20260601T120000Z' } },
      type: 'IncompleteSignatureException',
      message: /^Authorization header requires 'Signature' parameter\. Authorization header requires 'SignedHeaders' parameter\. \(Hashed with SHA-256 and encoded with Base64\) Authorization=[A-Za-z0-9+/]{43}=$/,
    },
    { name: 'ACCESS_DENIED: an unknown access key', c: { path: '/items', sign: { credentials: { accessKeyId: 'AKIAUNKNOWN000000000', secretAccessKey: 'x' } } }, type: 'AccessDeniedException', message: /^The security token included in the request is invalid\.$/ },
    { name: 'ACCESS_DENIED: the local key with a session token not its own', c: { path: '/items', sign: { credentials: { accessKeyId: 'ASIA', secretAccessKey: 'x', sessionToken: 'forged' } } }, type: 'AccessDeniedException', message: /^The security token included in the request is invalid\.$/, localKey: true },
    { name: 'INVALID_SIGNATURE: a wrong secret', c: { path: '/items', sign: { credentials: { accessKeyId: '', secretAccessKey: 'wrong-secret' } } }, type: 'InvalidSignatureException', message: MISMATCH, localKey: true },
    { name: 'INVALID_SIGNATURE: a tampered body', c: { method: 'POST', path: '/items', body: '{"title":"b"}', sign: { body: '{"title":"a"}' } }, type: 'InvalidSignatureException', message: MISMATCH },
    { name: 'INVALID_SIGNATURE: a tampered path', c: { path: '/items/2', sign: { path: '/items/1' } }, type: 'InvalidSignatureException', message: MISMATCH },
    { name: 'INVALID_SIGNATURE: a tampered query', c: { path: '/items?a=2', sign: { path: '/items?a=1' } }, type: 'InvalidSignatureException', message: MISMATCH },
    { name: 'INVALID_SIGNATURE: signed for another service', c: { path: '/items', sign: { service: 'dynamodb' } }, type: 'InvalidSignatureException', message: /^Credential should be scoped to correct service: 'execute-api'\. $/ },
    { name: 'INVALID_SIGNATURE: signed for another region', c: { path: '/items', sign: { region: 'eu-west-1' } }, type: 'InvalidSignatureException', message: /^Credential should be scoped to a valid region, not 'eu-west-1'\. $/ },
  ])('$name', async ({ c, type, message, localKey }) => {
    const given = c as Call;
    if (localKey) given.sign = { ...given.sign, credentials: { ...given.sign!.credentials!, accessKeyId: emulator.credentials.accessKeyId } };
    const got = await call(given);
    const body = got.json();
    expect([got.status, got.headers.get('x-amzn-errortype'), Object.keys(body)]).toEqual([403, type, ['message']]);
    if (typeof message === 'string') expect(String(body.message).startsWith(message)).toBe(true);
    else expect(body.message).toMatch(message);
  });

  it('INVALID_SIGNATURE: the stage is part of the signed path (signing /items for /v1/items fails)', async () => {
    const auth = await signedHeaders({ url: urlOf('IamApi', '/items').replace('/v1/', '/'), at: new Date(T0), credentials: printed() });
    const got = await fetch(urlOf('IamApi', '/items'), { headers: auth });
    expect([got.status, got.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
  });

  it('the refusal is logged with its reason (never silent), not only sent', async () => {
    const got = await call({ path: '/items', sign: { service: 'sqs' } });
    expect(got.status).toBe(403);
    expect(logged.at(-1)).toMatch(/INVALID_SIGNATURE: IAM: InvalidSignatureException: Credential should be scoped to correct service: 'execute-api'/);
  });

  it('INVALID_SIGNATURE explains itself as AWS does: the canonical request and string to sign it expected', async () => {
    const got = await call({ path: '/items?b=2', sign: { path: '/items?b=1' } });
    const message = String(got.json().message);
    expect(message).toContain(`\n\nThe Canonical String for this request should have been\n'GET\n/v1/items\nb=2\n`);
    expect(message).toContain(`\n\nThe String-to-Sign should have been\n'AWS4-HMAC-SHA256\n20260601T120000Z\n20260601/us-east-1/execute-api/aws4_request\n`);
  });

  it.each([
    { name: 'signed 5 min 1 s ago: EXPIRED_TOKEN "Signature expired"', signedAt: T0 - 301_000, status: 403, message: 'Signature expired: 20260601T115459Z is now earlier than 20260601T115500Z (20260601T120000Z - 5 min.)' },
    { name: 'signed exactly 5 min ago: accepted', signedAt: T0 - 300_000, status: 200 },
    { name: 'signed 5 min ahead: accepted', signedAt: T0 + 300_000, status: 200 },
    { name: 'signed 5 min 1 s ahead: "Signature not yet current"', signedAt: T0 + 301_000, status: 403, message: 'Signature not yet current: 20260601T120501Z is still later than 20260601T120500Z (20260601T120000Z + 5 min.)' },
  ])('$name', async ({ signedAt, status, message }) => {
    const got = await call({ path: '/items', sign: { at: new Date(signedAt) } });
    expect(got.status).toBe(status);
    if (message) expect([got.headers.get('x-amzn-errortype'), got.json()]).toEqual(['InvalidSignatureException', { message }]);
  });

  it.each([
    { name: 'a presigned URL used within X-Amz-Expires is accepted', after: 60_000, status: 200 },
    { name: 'a presigned URL used after X-Amz-Expires is EXPIRED_TOKEN', after: 61_000, status: 403 },
  ])('$name', async ({ after, status }) => {
    const url = await presignedUrl({ url: urlOf('IamApi', '/items'), at: new Date(T0), credentials: printed(), expiresIn: 60 });
    clock.advance(after);
    const got = await fetch(url);
    expect(got.status).toBe(status);
    if (status === 403) expect(((await got.json()) as { message: string }).message).toBe('Signature expired: 20260601T120000Z is now earlier than 20260601T120001Z (20260601T120101Z - 60 sec.)');
  });

  it('a presigned URL whose signature was altered is INVALID_SIGNATURE', async () => {
    const url = await presignedUrl({ url: urlOf('IamApi', '/items'), at: new Date(T0), credentials: printed() });
    const got = await fetch(url.replace(/X-Amz-Signature=([0-9a-f])/, (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`));
    expect([got.status, got.headers.get('x-amzn-errortype')]).toEqual([403, 'InvalidSignatureException']);
  });
});

describe('R8.3 customised gateway responses apply to IAM refusals', () => {
  it.each([
    { name: 'INVALID_SIGNATURE customised: status, header and template', c: { api: 'CustomApi', path: '/items', sign: { credentials: { accessKeyId: 'local', secretAccessKey: 'wrong' } } }, status: 401, body: { refused: 'INVALID_SIGNATURE', why: expect.stringMatching(/^The request signature we calculated/) }, header: 'signature' },
    { name: 'EXPIRED_TOKEN customised', c: { api: 'CustomApi', path: '/items', sign: { at: new Date(T0 - 600_000) } }, status: 401, body: { refused: 'EXPIRED_TOKEN' }, header: null },
    { name: 'MISSING_AUTHENTICATION_TOKEN falls back to the customised DEFAULT_4XX', c: { api: 'CustomApi', path: '/items', unsigned: true }, status: 403, body: { fallback: 'MISSING_AUTHENTICATION_TOKEN', why: 'Missing Authentication Token' }, header: null },
  ])('$name', async ({ c, status, body, header }) => {
    const given = c as Call;
    if (given.sign?.credentials?.accessKeyId === 'local') given.sign = { ...given.sign, credentials: { ...given.sign.credentials, accessKeyId: emulator.credentials.accessKeyId } };
    const got = await call(given);
    expect([got.status, got.json(), got.headers.get('x-iam-refusal')]).toEqual([status, body, header]);
  });

  it('the same refusal on the API without customisations keeps the default 403', async () => {
    const got = await call({ path: '/items', sign: { at: new Date(T0 - 600_000) } });
    expect(got.status).toBe(403);
  });
});

describe('routes without IAM on the same API are unaffected', () => {
  it.each<{ name: string; headers: Record<string, string> }>([
    { name: 'unsigned', headers: {} },
    { name: 'with an Authorization header that is no signature', headers: { Authorization: 'Bearer abc' } },
  ])('GET /open $name: 200, identity fields null', async ({ headers }) => {
    const got = await call({ path: '/open', unsigned: true, headers });
    expect([got.status, identityOf(got.json()).accessKey, identityOf(got.json()).userArn]).toEqual([200, null, null]);
  });
});

describe('startup report', () => {
  it('lists IAM routes as emulated with the note, and --strict accepts the template', async () => {
    const rest = emulator.apis.filter((a) => a.kind === 'rest');
    const items = rest.flatMap((a) => a.routes.filter((r) => r.iam));
    expect(items.map((r) => `${r.method} ${r.path}`).sort()).toEqual(['GET /items', 'GET /items', 'GET /items/{id}', 'GET /vtl', 'POST /items']);
    expect(items.every((r) => r.emulated && /^IAM: SigV4 signature checked against the local credentials; IAM policies are not evaluated/.test(r.detail ?? ''))).toBe(true);
    expect(rest.flatMap((a) => a.support.filter((s) => s.status === 'not-emulated'))).toEqual([]);
    const strict = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, strict: true });
    await strict.close();
  });

  it('says how to call an IAM route: service execute-api, the region, the printed key', () => {
    const report = formatStartupReport(emulator, 1);
    expect(report).toContain('IAM (AWS_IAM) routes: sign for service execute-api, region us-east-1, with the key above (IAM policies are not evaluated), e.g.:');
    expect(report).toContain(`  awscurl --service execute-api --region us-east-1 --access_key ${emulator.credentials.accessKeyId} --secret_key '${emulator.credentials.secretAccessKey}' ${urlOf('IamApi', '/items')}`);
  });
});

describe('R1.28 AWS::ApiGateway::Method AuthorizationType: AWS_IAM (a template without SAM)', () => {
  const cfnDir = mkdtempSync(join(tmpdir(), 'iam-cfn-'));
  let cfn: RunningEmulator;
  beforeAll(async () => {
    cfn = await startEmulator({ templatePath: fileURLToPath(new URL('../fixtures/iam/cfn-template.yaml', import.meta.url)), port: 0, localDir: cfnDir, clock, log: () => undefined });
  });
  afterAll(async () => {
    await cfn?.close();
    rmSync(cfnDir, { recursive: true, force: true });
  });

  it.each([
    { name: 'AWS_IAM signed: 200, $context.identity.userArn the local user', api: 'Api', path: '/signed', sign: true, want: [200, { userArn: 'arn:aws:iam::123456789012:user/sam-local-gateway' }] },
    { name: 'AWS_IAM unsigned: 403 Missing Authentication Token', api: 'Api', path: '/signed', sign: false, want: [403, { message: 'Missing Authentication Token' }] },
    { name: 'NONE unsigned: 200, userArn empty', api: 'Api', path: '/', sign: false, want: [200, { userArn: '' }] },
    { name: 'x-amazon-apigateway-auth type aws_iam, signed: 200', api: 'BodyApi', path: '/by-auth', sign: true, want: [200, { userArn: 'arn:aws:iam::123456789012:user/sam-local-gateway' }] },
    { name: 'x-amazon-apigateway-auth type aws_iam, unsigned: 403', api: 'BodyApi', path: '/by-auth', sign: false, want: [403, { message: 'Missing Authentication Token' }] },
    { name: 'x-amazon-apigateway-auth type NONE, unsigned: 200', api: 'BodyApi', path: '/open', sign: false, want: [200, { userArn: '' }] },
  ])('$name', async ({ api, path, sign, want }) => {
    const url = `${cfn.apis.find((a) => a.logicalId === api)!.url}${path}`;
    const headers = sign ? await signedHeaders({ url, at: new Date(clock.now()), credentials: { accessKeyId: cfn.credentials.accessKeyId, secretAccessKey: cfn.credentials.secretAccessKey } }) : {};
    const got = await fetch(url, { headers });
    expect([got.status, await got.json()]).toEqual(want);
  });

  it('reports x-amazon-apigateway-auth as emulated (IAM with its note), nothing NOT EMULATED', () => {
    const body = cfn.apis.find((a) => a.logicalId === 'BodyApi')!;
    const auth = body.support.filter((s) => s.subject === 'x-amazon-apigateway-auth').map((s) => [s.location, s.status, s.detail]);
    expect(auth).toEqual([
      ['paths./by-auth.get', 'emulated', expect.stringMatching(/^IAM: SigV4 signature checked/)],
      ['paths./open.get', 'emulated', undefined],
    ]);
    expect(cfn.apis.flatMap((a) => [...a.routes.filter((r) => !r.emulated), ...a.support.filter((s) => s.status === 'not-emulated')])).toEqual([]);
  });
});
