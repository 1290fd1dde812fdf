/**
 * The embedded DynamoDB and Secrets Manager are closed to web pages and to anyone without the local credentials:
 * a browser tab must not be able to read or delete local data, directly (CORS) or through DNS rebinding.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient, ListTablesCommand } from '@aws-sdk/client-dynamodb';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { startDynamoDb, type DynamoDbServer } from '../../../emulator/services/dynamodb.js';
import { startSecretsManager, type SecretsManagerServer } from '../../../emulator/services/secrets-manager.js';
import { signRequest, type LocalCredentials } from '../../../emulator/services/sigv4.js';
import { refusal } from '../../../emulator/services/guard.js';
import { startServicesThread, type ServicesThread } from '../../../emulator/services/thread.js';
import { TEST_CREDENTIALS } from '../../support/local-credentials.js';

interface Endpoint {
  name: string;
  url: () => string;
  target: string;
  service: string;
  body: string;
  /** A real SDK call with the given credentials; resolves to what the service answered. */
  sdkCall: (credentials: LocalCredentials) => Promise<unknown>;
  /** What sdkCall resolves to when the call is served. */
  served: unknown;
}

const SECRET = { logicalId: 'S', name: 'guarded/secret', arn: 'arn:aws:secretsmanager:us-east-1:123456789012:secret:guarded/secret-AbCdEf', secretString: 'v', source: 'template' } as const;

let dynamo: DynamoDbServer;
let secrets: SecretsManagerServer;
/** The same services as the emulator starts them: in a thread of their own. */
let thread: ServicesThread;

beforeAll(async () => {
  dynamo = await startDynamoDb({ credentials: TEST_CREDENTIALS });
  secrets = await startSecretsManager([SECRET], { credentials: TEST_CREDENTIALS });
  thread = await startServicesThread({ credentials: TEST_CREDENTIALS, secrets: [SECRET] });
});
afterAll(async () => {
  await secrets.close();
  await dynamo.close();
  await thread.close();
});

/** Runs one call on an SDK client, then destroys it. */
async function closing<C extends { destroy(): void }, T>(client: C, call: (client: C) => Promise<T>): Promise<T> {
  try {
    return await call(client);
  } finally {
    client.destroy();
  }
}

function endpoints(where: string, dynamoUrl: () => string, secretsUrl: () => string): Endpoint[] {
  return [
    {
      name: `DynamoDB ${where}`,
      url: dynamoUrl,
      target: 'DynamoDB_20120810.ListTables',
      service: 'dynamodb',
      body: '{}',
      sdkCall: (credentials) =>
        closing(new DynamoDBClient({ endpoint: dynamoUrl(), region: 'us-east-1', credentials, maxAttempts: 1 }), async (c) => (await c.send(new ListTablesCommand({}))).TableNames),
      served: expect.any(Array),
    },
    {
      name: `Secrets Manager ${where}`,
      url: secretsUrl,
      target: 'secretsmanager.GetSecretValue',
      service: 'secretsmanager',
      body: '{"SecretId":"guarded/secret"}',
      sdkCall: (credentials) =>
        closing(new SecretsManagerClient({ endpoint: secretsUrl(), region: 'us-east-1', credentials, maxAttempts: 1 }), async (c) => (await c.send(new GetSecretValueCommand({ SecretId: 'guarded/secret' }))).SecretString),
      served: SECRET.secretString,
    },
  ];
}

const ENDPOINTS: Endpoint[] = [
  ...endpoints('(started directly)', () => dynamo.endpoint, () => secrets.url),
  ...endpoints("(in the services' own thread, as the emulator starts them)", () => thread.dynamoDbEndpoint, () => thread.secretsManagerUrl),
];

/** A request signed with the test credentials, with extra headers added after signing (as a browser would add them). */
function signed(e: Endpoint, extra: Record<string, string> = {}): Record<string, string> {
  return { ...signRequest(TEST_CREDENTIALS, { method: 'POST', url: new URL(e.url()), headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': e.target }, body: e.body, region: 'us-east-1', service: e.service }), ...extra };
}

/** node:http lets the test set Host (fetch does not), as a page served from a rebound DNS name would send it. */
function rawPost(url: string, headers: Record<string, string>, body: string): Promise<{ status: number; headers: Record<string, unknown>; body: string }> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (c: string) => (text += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: text }));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const accessControl = (headers: Headers): string[] => {
  const names: string[] = [];
  headers.forEach((_value, name) => names.push(name));
  return names.filter((k) => k.startsWith('access-control-'));
};

describe.each(ENDPOINTS)('$name endpoint', (e) => {
  it('listens on 127.0.0.1 only', () => {
    expect(e.url()).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
  });

  it('serves a real SDK call signed with the local credentials', async () => {
    await expect(e.sdkCall(TEST_CREDENTIALS)).resolves.toEqual(e.served);
  });

  it.each([
    { given: 'an unknown access key id', credentials: { ...TEST_CREDENTIALS, accessKeyId: 'ASIAOTHER00000000000' }, wantName: 'UnrecognizedClientException' },
    { given: 'the right key id with a wrong secret key', credentials: { ...TEST_CREDENTIALS, secretAccessKey: 'guessed' }, wantName: 'InvalidSignatureException' },
    { given: 'a wrong session token', credentials: { ...TEST_CREDENTIALS, sessionToken: 'other' }, wantName: 'UnrecognizedClientException' },
  ])('refuses an SDK call signed with $given ($wantName)', async ({ credentials, wantName }) => {
    const error = await e.sdkCall(credentials).catch((err: unknown) => err);

    expect(error).toMatchObject({ name: wantName, $metadata: { httpStatusCode: 400 } });
  });

  it('refuses an unsigned request (MissingAuthenticationTokenException) and serves nothing', async () => {
    const res = await fetch(e.url(), { method: 'POST', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': e.target }, body: e.body });
    const body = await res.text();

    expect(res.status).toBe(400);
    expect(body).toMatch(/MissingAuthenticationTokenException/);
    expect(body).not.toMatch(/TableNames|SecretString/);
  });

  it('refuses a signed request whose body was changed after signing', async () => {
    const res = await fetch(e.url(), { method: 'POST', headers: signed(e), body: `${e.body} ` });

    expect(res.status).toBe(400);
    expect(await res.text()).toMatch(/InvalidSignatureException/);
  });

  it.each<{ given: string; extra: Record<string, string> }>([
    { given: 'a browser Origin header', extra: { origin: 'https://evil.example' } },
    { given: 'an Origin of the endpoint itself', extra: { origin: 'http://127.0.0.1' } },
    { given: 'a Sec-Fetch-Site header', extra: { 'sec-fetch-site': 'cross-site' } },
  ])('refuses even a correctly signed request with $given: 403, no Access-Control-* header', async ({ extra }) => {
    const res = await fetch(e.url(), { method: 'POST', headers: signed(e, extra), body: e.body });

    expect(res.status).toBe(403);
    expect(accessControl(res.headers)).toEqual([]);
    expect(await res.text()).toMatch(/refuse requests from web pages/);
  });

  it('answers no CORS preflight: OPTIONS is refused without Access-Control-* headers', async () => {
    const res = await fetch(e.url(), {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST', 'access-control-request-headers': 'x-amz-target,authorization' },
    });

    expect(res.status).toBe(403);
    expect(accessControl(res.headers)).toEqual([]);
  });

  it.each([
    { given: 'a rebound DNS name', host: 'evil.example' },
    { given: 'a LAN address', host: '192.168.1.20' },
    { given: 'a name that only starts like a prefixed address', host: 'sync-evil.example' },
    { given: 'a prefixed LAN address', host: 'sync-192.168.1.20' },
  ])('refuses a signed request whose Host is $given (DNS rebinding)', async ({ host }) => {
    const res = await rawPost(e.url(), { ...signed(e), host }, e.body);

    expect(res.status).toBe(403);
    expect(res.body).toMatch(/answer only loopback Host names/);
  });

  // sync-127.0.0.1: the SDKs' StartSyncExecution host prefix before the local endpoint's address.
  it.each([{ host: 'localhost' }, { host: '127.0.0.1' }, { host: 'sync-127.0.0.1' }])('serves a signed request with the loopback Host $host', async ({ host }) => {
    const port = new URL(e.url()).port;
    // Signed for the Host as sent: a WHATWG URL refuses sync-127.0.0.1 (a host ending in a number must be an address).
    const { pathname, search } = new URL(e.url());
    const url = { host: `${host}:${port}`, pathname, search } as URL;
    const headers = signRequest(TEST_CREDENTIALS, { method: 'POST', url, headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': e.target }, body: e.body, region: 'us-east-1', service: e.service });

    const res = await rawPost(e.url(), { ...headers, host: `${host}:${port}` }, e.body);

    expect(res.status).toBe(200);
  });
});

describe('a guard that takes any Host (start-lambda bound to a non-loopback address by --host)', () => {
  const request = (headers: Record<string, string>) => ({ method: 'POST', url: '/', headers }) as unknown as IncomingMessage;

  it.each([
    { given: 'without anyHost', guard: {}, want: 403 },
    { given: 'with anyHost', guard: { anyHost: true }, want: undefined },
  ])('a Host naming another machine (box.lan:3001) $given: $want', ({ guard, want }) => {
    expect(refusal(request({ host: 'box.lan:3001' }), Buffer.alloc(0), guard)?.status).toBe(want);
  });

  it('still refuses a web page (an Origin header)', () => {
    expect(refusal(request({ host: 'box.lan:3001', origin: 'https://example.com' }), Buffer.alloc(0), { anyHost: true })?.status).toBe(403);
  });
});
