/** The built `sam-local-gateway` CLI's serving commands as child processes: start-lambda, and start-api over HTTPS. */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../../../../emulator/identity/local-certificate.js';
import { httpsGet } from '../../support/https-get.js';
import { APP, cli, serving } from './support/run.js';

describe('sam-local-gateway start-lambda (sam local start-lambda, no Docker)', () => {
  it('serves the template`s functions on the Invoke API until SIGTERM, then exits 0 (a sam command line`s --no-watch taken)', async () => {
    // Prepare
    const { url, stop } = await serving(['start-lambda', '-t', APP, '-p', '0', '--no-watch', '--local-dir', mkdtempSync(join(tmpdir(), 'cli-lambda-'))]);

    // Act
    const res = await fetch(`${url}/2015-03-31/functions/echo-fn/invocations`, { method: 'POST', body: '{"id":9}' });
    const body = await res.json();
    const exitCode = await stop();

    // Assess
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(res.status).toBe(200);
    expect(body).toMatchObject({ event: { id: 9 }, GREETING: 'hello' });
    expect(exitCode).toBe(0);
  });
});

describe('sam-local-gateway start-api --ssl-cert-file --ssl-key-file (HTTPS, as sam local start-api)', () => {
  // A project of its own: one function on a REST API, and a certificate made now (no key file is committed).
  const dir = mkdtempSync(join(tmpdir(), 'cli-ssl-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const certificate = createSelfSignedCertificate();
  const project = (name: string, samconfig?: string) => {
    const root = join(dir, name);
    mkdirSync(join(root, 'src'), { recursive: true });
    writeFileSync(
      join(root, 'template.yaml'),
      `Transform: AWS::Serverless-2016-10-31
Resources:
  Hello:
    Type: AWS::Serverless::Function
    Properties: { Runtime: nodejs20.x, CodeUri: ./src, Handler: hello.handler, Events: { Get: { Type: Api, Properties: { Path: /hello, Method: get } } } }
`,
    );
    writeFileSync(join(root, 'src/hello.mjs'), `export const handler = async () => ({ statusCode: 200, body: 'hello over tls' });\n`);
    writeFileSync(join(root, 'cert.pem'), certificate.certPem);
    writeFileSync(join(root, 'key.pem'), certificate.keyPem);
    if (samconfig) writeFileSync(join(root, 'samconfig.toml'), `version = 0.1\n[default.local_start_api.parameters]\n${samconfig}`);
    return root;
  };
  const plain = project('plain');

  it('both given: the ready line says https://, and a client trusting the certificate gets the handler`s answer; SIGTERM exits 0', async () => {
    // Prepare
    const { url, stop } = await serving(['start-api', '-t', 'template.yaml', '-p', '0', '--quiet', '--ssl-cert-file', 'cert.pem', '--ssl-key-file', 'key.pem'], plain);

    // Act
    const response = await httpsGet(`${url}/hello`, certificate.certPem);
    const exitCode = await stop();

    // Assess
    expect(url).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/Prod$/);
    expect(response).toEqual({ status: 200, body: 'hello over tls' });
    expect(exitCode).toBe(0);
  });

  it('samconfig.toml ssl_cert_file and ssl_key_file (paths from the working directory, as click reads them) serve HTTPS too', async () => {
    // Prepare
    const root = project('samconfig', 'ssl_cert_file = "cert.pem"\nssl_key_file = "key.pem"\n');
    const { url, stderr, stop } = await serving(['start-api', '-p', '0', '--quiet'], root);

    // Act
    const response = await httpsGet(`${url}/hello`, certificate.certPem);
    await stop();

    // Assess
    expect(url).toMatch(/^https:\/\//);
    expect(response).toEqual({ status: 200, body: 'hello over tls' });
    expect(stderr()).toContain('sam-local-gateway: read samconfig.toml [default]: ssl_cert_file=cert.pem, ssl_key_file=key.pem');
  });

  const pairMessage = (set: string, missing: string) =>
    `sam-local-gateway: Missing required parameters, with --${set} set.\nMust provide one of the following required parameter combinations:\n\t--${missing}\n\nusage: sam-local-gateway start-api`;
  it.each([
    { given: 'only --ssl-cert-file', args: ['--ssl-cert-file', 'cert.pem'], want: pairMessage('ssl-cert-file', 'ssl-key-file') },
    { given: 'only --ssl-key-file', args: ['--ssl-key-file', 'key.pem'], want: pairMessage('ssl-key-file', 'ssl-cert-file') },
    { given: 'a certificate file that does not exist', args: ['--ssl-cert-file', 'missing.pem', '--ssl-key-file', 'key.pem'], want: "sam-local-gateway: Invalid value for '--ssl-cert-file': Path 'missing.pem' does not exist." },
    { given: 'the key as the certificate', args: ['--ssl-cert-file', 'key.pem', '--ssl-key-file', 'key.pem'], want: 'sam-local-gateway: SSL Error: --ssl-cert-file key.pem: not a PEM certificate: ' },
  ])('$given: a usage error at start (exit 1, the SAM CLI`s message on stderr, nothing served, no stack trace)', async ({ args, want }) => {
    const run = await cli(['start-api', '-t', 'template.yaml', '-p', '0', ...args], undefined, plain);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain(want);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('samconfig.toml with ssl_cert_file alone is the same usage error as the command line`s', async () => {
    const run = await cli(['start-api', '-p', '0'], undefined, project('samconfig-half', 'ssl_cert_file = "cert.pem"\n'));

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(pairMessage('ssl-cert-file', 'ssl-key-file'));
  });

  it('start-lambda has neither option (sam local start-lambda has none): an unknown option', async () => {
    const run = await cli(['start-lambda', '-t', 'template.yaml', '--ssl-cert-file', 'cert.pem', '--ssl-key-file', 'key.pem'], undefined, plain);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Unknown option '--ssl-cert-file'.*usage: sam-local-gateway start-lambda/s);
  });
});

describe('sam-local-gateway --host (local services are closed to other hosts)', () => {
  // A template that does not exist: the command stops before anything listens, so no test exposes a port.
  const MISSING = 'tests/emulator/fixtures/no-such-template.yaml';

  it.each([
    { command: 'start-lambda', host: '0.0.0.0', exposed: "the Lambda Invoke API: anyone who can reach this machine can invoke the template's functions (any credentials are taken)" },
    { command: 'start-api', host: '192.168.1.20', exposed: "the template's APIs and their /docs pages: anyone who can reach this machine can call them" },
  ])('$command --host $host: one warning on stderr at start naming what it exposes', async ({ command, host, exposed }) => {
    const run = await cli([command, '-t', MISSING, '-p', '0', '--host', host]);

    const warnings = run.stderr.split('\n').filter((line) => line.includes('not a loopback address'));
    expect(warnings).toEqual([`sam-local-gateway: warning: --host ${host} is not a loopback address; it exposes ${exposed}. Use --host 127.0.0.1 to keep them on this machine.`]);
  });

  it.each([['127.0.0.1'], ['localhost'], ['::1'], ['127.0.0.2']])('--host %s (loopback): no warning', async (host) => {
    const run = await cli(['start-lambda', '-t', MISSING, '-p', '0', '--host', host]);

    // It got as far as the warning's place (the template is read after it), and said nothing of the host.
    expect(run.stderr).toMatch(/no-such-template\.yaml: \(file\): template file not found/);
    expect(run.stderr).not.toContain('loopback');
  });
});
