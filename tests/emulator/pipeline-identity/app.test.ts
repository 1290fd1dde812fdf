/**
 * The composition root with identity and services wired (startEmulator on the pipeline-identity fixture, over
 * HTTP): API keys and tokens exposed, functions given the Secrets Manager, DynamoDB and not-served endpoints,
 * and the startup report with keys, not-yet-enforced limits and a curl example that works as printed.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { createSelfSignedCertificate } from '../../../emulator/identity/local-certificate.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { displayPath } from '../../../emulator/template/apis.js';
import { DISABLED_KEY, FIXTURE_TEMPLATE, KEY } from './harness.js';

const run = promisify(execFile);
const localDir = mkdtempSync(join(tmpdir(), 'pipeline-identity-app-'));
let emulator: RunningEmulator;

beforeAll(async () => {
  emulator = await startEmulator({ templatePath: FIXTURE_TEMPLATE, port: 0, localDir });
});
afterAll(async () => {
  await emulator?.close();
  rmSync(localDir, { recursive: true, force: true });
});

const api = (id: string) => {
  const found = emulator.apis.find((a) => a.logicalId === id);
  if (!found) throw new Error(`no API ${id}`);
  return found;
};

describe('startEmulator with identity', () => {
  it('exposes each usage plan key value, as `npm run keys` prints them, and a usable key per API', () => {
    expect(emulator.apiKeys).toEqual({ UsagePlan: [KEY, DISABLED_KEY] });
    expect(emulator.apis.map((a) => a.apiKey)).toEqual([KEY, KEY, KEY]);
  });

  it('R6.4 R7.21 serves a Cognito + key route over HTTP with a minted token, refuses it without', async () => {
    const url = `${api('IdentityApi').url}/me`;
    const ok = await fetch(url, { headers: { 'x-api-key': KEY, Authorization: emulator.issueToken({ sub: 'http-user' }) } });
    const noKey = await fetch(url, { headers: { Authorization: emulator.issueToken({ sub: 'http-user' }) } });
    const body = (await ok.json()) as { event: { requestContext: { authorizer: { claims: { sub: string } } } } };
    expect([ok.status, noKey.status]).toEqual([200, 403]);
    expect(body.event.requestContext.authorizer.claims.sub).toBe('http-user');
  });

  it('gives every function the Secrets Manager, DynamoDB and not-served endpoints', async () => {
    const got = await fetch(`${api('IdentityApi').url}/open`);
    const { endpoints } = (await got.json()) as { endpoints: Record<string, string> };
    expect(endpoints.AWS_ENDPOINT_URL_SECRETS_MANAGER).toBe(emulator.services.AWS_ENDPOINT_URL_SECRETS_MANAGER);
    expect(endpoints.AWS_ENDPOINT_URL_DYNAMODB).toBe(emulator.services.AWS_ENDPOINT_URL_DYNAMODB);
    expect(endpoints.AWS_ENDPOINT_URL).toBe(`${emulator.notServedUrl}/fn/EchoFunction`);
  });

  it("serves the template's secrets on the Secrets Manager endpoint", async () => {
    const client = new SecretsManagerClient({
      endpoint: emulator.services.AWS_ENDPOINT_URL_SECRETS_MANAGER,
      region: 'us-east-1',
      credentials: emulator.credentials,
    });
    const secret = await client.send(new GetSecretValueCommand({ SecretId: 'pipeline-identity/fixture' }));
    client.destroy();
    expect(secret.SecretString).toBe('{"hello":"world"}');
  });

  it('reports every route and identity extension as emulated, IAM (awsSigv4) included with its note', () => {
    const routes = emulator.apis.flatMap((a) => a.routes.filter((r) => !r.emulated).map((r) => `${r.method} ${r.path}: ${r.detail}`));
    const keys = emulator.apis.flatMap((a) => a.support.filter((s) => s.status === 'not-emulated').map((s) => `${s.subject} at ${s.location}: ${s.detail}`));
    const iam = api('IdentityApi').support.find((s) => s.location === 'components.securitySchemes.Iam');
    expect({ routes, keys, iam: iam?.detail }).toEqual({ routes: [], keys: [], iam: expect.stringMatching(/^IAM \(awsSigv4\): SigV4 signature checked against the local credentials; IAM policies are not evaluated/) });
  });

  it('R8.9 an awsSigv4 route refuses an unsigned request (403 Missing Authentication Token) instead of passing it through', async () => {
    const got = await fetch(`${api('IdentityApi').url}/iam`);
    expect([got.status, got.headers.get('x-amzn-errortype'), await got.json()]).toEqual([403, 'MissingAuthenticationTokenException', { message: 'Missing Authentication Token' }]);
  });
});

describe('startup report', () => {
  const report = () => formatStartupReport(emulator, 1234);

  it('prints each key of a usage plan by its own name, with its plan, and the plan\'s limits as enforced', () => {
    expect(report()).toContain(`  ApiKey: ${KEY} (usage plan UsagePlan)\n  DisabledKey: ${DISABLED_KEY} (usage plan UsagePlan; disabled: refused)\n`);
    expect(report()).not.toContain('OrphanKey:');
    expect(report()).toMatch(/usage plan UsagePlan .*throttle rate 10\/s burst 20, quota 1000\/DAY: EMULATED \(enforced per key/);
  });

  it('R6.3 says where an API whose key source is AUTHORIZER takes its key: its authorizer`s usageIdentifierKey, not x-api-key', () => {
    expect(report()).toContain("API keys (send as x-api-key, but to KeySourceApi (key source AUTHORIZER) as its Lambda authorizer's usageIdentifierKey; ");
    expect(api('KeySourceApi').support.find((s) => s.subject === 'x-amazon-apigateway-api-key-source')?.detail).toMatch(/^AUTHORIZER: .*usageIdentifierKey .*not the x-api-key header \(R6\.3\)$/);
  });

  it('still ends with one ready line per API', () => {
    const tail = report().split('\n').slice(-3);
    expect(tail).toEqual(emulator.apis.map((a) => `ready: ${a.url} (${a.logicalId}, started in 1234 ms)`));
  });

  it('R7.22 prints a curl example for an unscoped Cognito route (ID token) that works when run as printed', async () => {
    const text = report();
    // The gateway's own command, which exists in any project (npm scripts such as `npm run token` are the Task API's).
    expect(text).toContain(`mint others with: npx sam-local-gateway token -t ${displayPath(FIXTURE_TEMPLATE)} --sub <id>`);
    const line = text.split('\n').find((l) => l.trimStart().startsWith('curl '));
    expect(line).toContain(`${api('IdentityApi').url}/me`);
    const { stdout } = await run('sh', ['-c', `${line!.trim()} -s -w '\\n%{http_code}'`]);
    const [body, status] = [stdout.slice(0, stdout.lastIndexOf('\n')), stdout.slice(stdout.lastIndexOf('\n') + 1)];
    expect(status).toBe('200');
    expect((JSON.parse(body) as { event: { requestContext: { identity: { apiKey: string } } } }).event.requestContext.identity.apiKey).toBe(KEY);
  });
});

describe('the curl example over HTTPS (start-api --ssl-cert-file --ssl-key-file)', () => {
  it('R7.22 names the certificate with --cacert, so that the line works as printed against the user`s self-signed certificate', async () => {
    const certificate = createSelfSignedCertificate();
    const certFile = join(localDir, 'cert.pem');
    writeFileSync(certFile, certificate.certPem);
    const secured = await startEmulator({ templatePath: FIXTURE_TEMPLATE, port: 0, localDir, tls: { cert: certificate.certPem, key: certificate.keyPem, certFile } });
    try {
      const line = formatStartupReport(secured, 1)
        .split('\n')
        .find((l) => l.trimStart().startsWith('curl '));

      expect(line).toContain(`curl --cacert '${certFile}' `);
      expect(line).toMatch(/ https:\/\/127\.0\.0\.1:\d+\//);
      const { stdout } = await run('sh', ['-c', `${line!.trim()} -s -w '\\n%{http_code}'`]);
      expect(stdout.slice(stdout.lastIndexOf('\n') + 1)).toBe('200');
    } finally {
      await secured.close();
    }
  });
});

describe('close()', () => {
  it('stops the Secrets Manager and not-served endpoints with the rest', async () => {
    const extra = await startEmulator({ templatePath: FIXTURE_TEMPLATE, port: 0, localDir });
    const endpoints = [extra.services.AWS_ENDPOINT_URL_SECRETS_MANAGER as string, extra.notServedUrl];
    await extra.close();
    const results = await Promise.allSettled(endpoints.map((u) => fetch(u, { method: 'POST', body: '{}' })));
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
  });
});
