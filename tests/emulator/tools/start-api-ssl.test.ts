/**
 * `sam local start-api --ssl-cert-file --ssl-key-file` (startEmulator's `tls`): the REST and HTTP API ports answer
 * HTTPS with the user's PEM certificate and key, and their URLs say https://, as the SAM CLI's Mounting lines do; the
 * two files are checked before anything starts, with the SAM CLI's messages (sslFiles). The certificate is made here at
 * run time (the gateway's own self-signed generator): no key file is committed.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import { createSelfSignedCertificate } from '../../../emulator/identity/local-certificate.js';
import { formatStartupReport } from '../../../emulator/report.js';
import { UsageError } from '../../../emulator/tools/args.js';
import { sslFiles } from '../../../emulator/tools/ssl-files.js';
import { httpsGet } from '../support/https-get.js';

/** A REST API (implicit ServerlessRestApi, stage Prod) and an HTTP API ($default), both on one function. */
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties:
      Runtime: nodejs20.x
      CodeUri: ./src
      Handler: hello.handler
      Events:
        Rest: { Type: Api, Properties: { Path: /hello, Method: get } }
        Http: { Type: HttpApi, Properties: { Path: /hello, Method: get } }
`;
const HANDLER = `export const handler = async () => ({ statusCode: 200, headers: { 'content-type': 'text/plain' }, body: 'hello over tls' });\n`;

describe('startEmulator with the user`s certificate (start-api --ssl-cert-file --ssl-key-file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'start-api-ssl-'));
  const certificate = createSelfSignedCertificate();
  let emulator: RunningEmulator;

  beforeAll(async () => {
    mkdirSync(join(dir, 'src'));
    writeFileSync(join(dir, 'template.yaml'), TEMPLATE);
    writeFileSync(join(dir, 'src/hello.mjs'), HANDLER);
    emulator = await startEmulator({ templatePath: join(dir, 'template.yaml'), port: 0, localDir: join(dir, '.local'), tls: { cert: certificate.certPem, key: certificate.keyPem }, log: () => undefined, onRequest: () => undefined, platformLog: () => undefined });
  }, 60_000);

  afterAll(async () => {
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints https:// URLs for the REST and HTTP APIs, their docs pages and ready lines', () => {
    const report = formatStartupReport(emulator, 5);

    expect(emulator.apis.map((a) => [a.kind, a.url])).toEqual([
      ['rest', expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/Prod$/)],
      ['http', expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+$/)],
    ]);
    expect(emulator.apis.map((a) => a.docsUrl)).toEqual([expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/docs$/), expect.stringMatching(/^https:\/\/127\.0\.0\.1:\d+\/docs$/)]);
    for (const api of emulator.apis) expect(report).toContain(`ready: ${api.url} (${api.logicalId}, started in 5 ms)`);
  });

  it.each(['rest', 'http'])('the %s API answers HTTPS with the handler`s body to a client that trusts the certificate', async (kind) => {
    const api = emulator.apis.find((a) => a.kind === kind)!;

    const response = await httpsGet(`${api.url}/hello`, certificate.certPem);

    expect(response).toEqual({ status: 200, body: 'hello over tls' });
  });

  it('is refused by a client that trusts another certificate (the handshake fails: the user`s certificate is the one served)', async () => {
    const other = createSelfSignedCertificate();

    const refused = httpsGet(`${emulator.apis[0]!.url}/hello`, other.certPem);

    await expect(refused).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
  });

  it('still answers plain HTTP on the same port (where SAM`s Flask server answers TLS only; documented in emulator/README.md)', async () => {
    const api = emulator.apis.find((a) => a.kind === 'rest')!;

    const response = await fetch(`${api.url.replace(/^https:/, 'http:')}/hello`);

    expect(response.status).toBe(200);
    expect(await response.text()).toBe('hello over tls');
  });
});

describe('sslFiles: --ssl-cert-file and --ssl-key-file checked as the SAM CLI checks them', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ssl-files-'));
  const mine = createSelfSignedCertificate();
  const other = createSelfSignedCertificate();
  const file = (name: string, text: string) => {
    writeFileSync(join(dir, name), text);
    return join(dir, name);
  };
  const cert = file('cert.pem', mine.certPem);
  const key = file('key.pem', mine.keyPem);
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /** The usage error's message, or what was returned. */
  const outcome = (certFile: string | undefined, keyFile: string | undefined) => {
    try {
      return sslFiles(certFile, keyFile, 'the usage');
    } catch (error) {
      if (!(error instanceof UsageError)) throw error;
      return { message: error.message, usage: error.usage };
    }
  };

  it('neither given: plain HTTP, nothing read', () => {
    expect(outcome(undefined, undefined)).toBeUndefined();
  });

  it('both given: the PEM pair, read whole', () => {
    expect(outcome(cert, key)).toEqual({ cert: mine.certPem, key: mine.keyPem, certFile: cert });
  });

  it.each([
    { given: 'only --ssl-cert-file', certFile: cert, keyFile: undefined, set: 'ssl-cert-file', missing: 'ssl-key-file' },
    { given: 'only --ssl-key-file', certFile: undefined, keyFile: key, set: 'ssl-key-file', missing: 'ssl-cert-file' },
  ])('$given: the SAM CLI`s ClickMutex message, with the usage', ({ certFile, keyFile, set, missing }) => {
    expect(outcome(certFile, keyFile)).toEqual({
      message: `Missing required parameters, with --${set} set.\nMust provide one of the following required parameter combinations:\n\t--${missing}`,
      usage: 'the usage',
    });
  });

  it.each([
    { given: 'a certificate file that does not exist', certFile: 'nope/cert.pem', keyFile: key, want: "Invalid value for '--ssl-cert-file': Path 'nope/cert.pem' does not exist." },
    { given: 'a key file that does not exist', certFile: cert, keyFile: 'missing-key.pem', want: "Invalid value for '--ssl-key-file': Path 'missing-key.pem' does not exist." },
    { given: 'a path with a quote (Python`s repr quotes it with double quotes)', certFile: "it's.pem", keyFile: key, want: `Invalid value for '--ssl-cert-file': Path "it's.pem" does not exist.` },
  ])('$given: click.Path(exists=True)`s message', ({ certFile, keyFile, want }) => {
    expect(outcome(certFile, keyFile)).toEqual({ message: want, usage: undefined });
  });

  it.each([
    { given: 'a folder as the certificate', certFile: () => dir, keyFile: () => key, want: /^SSL Error: --ssl-cert-file .*: is a folder, not a PEM file$/ },
    { given: 'an empty certificate file', certFile: () => file('empty.pem', ''), keyFile: () => key, want: /^SSL Error: --ssl-cert-file .*empty\.pem: not a PEM certificate: / },
    { given: 'the key as the certificate', certFile: () => key, keyFile: () => key, want: /^SSL Error: --ssl-cert-file .*key\.pem: not a PEM certificate: .*no start line/ },
    { given: 'the certificate as the key', certFile: () => cert, keyFile: () => cert, want: /^SSL Error: --ssl-key-file .*cert\.pem: not a PEM private key: / },
    { given: 'another certificate`s key', certFile: () => cert, keyFile: () => file('other-key.pem', other.keyPem), want: /^SSL Error: --ssl-cert-file .*cert\.pem and --ssl-key-file .*other-key\.pem: .*key values mismatch$/ },
  ])('$given: an "SSL Error" usage error naming the file, before anything starts', ({ certFile, keyFile, want }) => {
    expect(outcome(certFile(), keyFile())).toEqual({ message: expect.stringMatching(want), usage: undefined });
  });
});
