/**
 * What a Node.js execution environment does to reach the local APIs and services as a function reaches AWS: TLS to a
 * WebSocket API's execute-api host goes to its local port (the name kept for SNI and the certificate), and an
 * operation's host prefix before an IP address (`sync-127.0.0.1`, StartSyncExecution) resolves to that address.
 */
import dns from 'node:dns';
import { once } from 'node:events';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SFNClient, StartSyncExecutionCommand } from '@aws-sdk/client-sfn';
import { localCertificate } from '../../../emulator/identity/local-certificate.js';
import { redirectLocalHosts, resolvePrefixedAddresses } from '../../../emulator/lambda/local-hosts.js';

const HOST = 'abc123defg.execute-api.us-east-1.amazonaws.com';

function get(client: typeof http | typeof https, options: https.RequestOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    client
      .get(options, (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve(body));
      })
      .on('error', reject);
  });
}

describe('a Node.js environment reaching local endpoints', () => {
  let dir: string;
  let secure: https.Server;
  let plain: http.Server;
  let ca: string;
  const hosts: string[] = [];
  const looked: string[] = [];

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'local-hosts-'));
    const certificate = localCertificate(dir, new Date(), ['*.execute-api.us-east-1.amazonaws.com']);
    ca = certificate.certPem;
    const answer = (req: http.IncomingMessage, res: http.ServerResponse) => {
      hosts.push(req.headers.host ?? '');
      res.setHeader('content-type', 'application/x-amz-json-1.0');
      res.end(JSON.stringify({ executionArn: 'arn:aws:states:us-east-1:123456789012:express:m:e', status: 'SUCCEEDED', output: '"ok"', startDate: 1, stopDate: 2 }));
    };
    secure = https.createServer({ key: certificate.keyPem, cert: certificate.certPem }, answer).listen(0, '127.0.0.1');
    plain = http.createServer(answer).listen(0, '127.0.0.1');
    await Promise.all([once(secure, 'listening'), once(plain, 'listening')]);
    // A fake resolver underneath (no DNS in tests): it records each name asked and knows only addresses and localhost.
    const real = dns.lookup;
    dns.lookup = ((hostname: string, ...rest: unknown[]) => {
      looked.push(hostname);
      const callback = rest.at(-1) as (error: NodeJS.ErrnoException | null, ...r: unknown[]) => void;
      if (/^[\d.]+$/.test(hostname) || hostname === 'localhost') return (real as (...a: unknown[]) => void).call(dns, hostname, ...rest);
      process.nextTick(() => callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' })));
    }) as typeof dns.lookup;
    redirectLocalHosts({ [HOST]: { host: '127.0.0.1', port: (secure.address() as AddressInfo).port } });
    resolvePrefixedAddresses();
  });

  afterAll(() => {
    secure.close();
    plain.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("sends TLS to a WebSocket API's execute-api host to its local port, checking the certificate against the host's name", async () => {
    // Act
    const body = await get(https, { host: HOST, path: '/prod/@connections/x', ca });

    // Assess
    expect(JSON.parse(body)).toMatchObject({ status: 'SUCCEEDED' });
    expect(hosts.at(-1)).toBe(HOST);
  });

  it('leaves every other host alone: an unknown API id is looked up as it is', async () => {
    // Act
    const other = get(https, { host: 'zzz999zzzz.execute-api.us-east-1.amazonaws.com', path: '/', ca });

    // Assess
    await expect(other).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(looked.at(-1)).toBe('zzz999zzzz.execute-api.us-east-1.amazonaws.com');
  });

  it('resolves StartSyncExecution`s sync- prefix before an IP endpoint: the SDK reaches the endpoint without disableHostPrefix', async () => {
    // Prepare
    const port = (plain.address() as AddressInfo).port;
    const sfn = new SFNClient({ region: 'us-east-1', endpoint: `http://127.0.0.1:${port}`, credentials: { accessKeyId: 'AKIDLOCAL', secretAccessKey: 'local' } });

    // Act
    const result = await sfn.send(new StartSyncExecutionCommand({ stateMachineArn: 'arn:aws:states:us-east-1:123456789012:stateMachine:m', input: '{}' }));

    // Assess
    expect(result.status).toBe('SUCCEEDED');
    expect(hosts.at(-1)).toBe(`sync-127.0.0.1:${port}`);
  });

  it('leaves a prefixed name that is no address alone (sync-example.com)', async () => {
    // Act
    const other = get(http, { hostname: 'sync-example.com', port: (plain.address() as AddressInfo).port, path: '/' });

    // Assess
    await expect(other).rejects.toMatchObject({ code: 'ENOTFOUND' });
    expect(looked.at(-1)).toBe('sync-example.com');
  });
});
