/** The built `sam-local-gateway` CLI as a child process: help, invoke and generate-event, shaped like `sam local`. */
import { execFile, spawn } from 'node:child_process';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSelfSignedCertificate } from '../../../emulator/identity/local-certificate.js';
import { httpsGet } from '../support/https-get.js';

const ROOT = join(import.meta.dirname, '../../..');
const CLI = join(ROOT, 'emulator/dist/cli.js');
const APP = 'tests/emulator/fixtures/invoke-app/template.yaml';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Run the CLI to completion (in the repository, or `cwd`); `input` goes to its stdin. */
function cli(args: string[], input?: string, cwd = ROOT): Promise<Run> {
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, ...args], { cwd, timeout: 120_000, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
    child.stdin?.end(input ?? '');
  });
}

/**
 * A serving command (start-api, start-lambda) started in `cwd`: resolves with the URL of its first ready line once it is
 * serving, with its stdout and stderr so far and a stop() that sends SIGTERM and resolves with its exit code.
 */
function serving(args: string[], cwd = ROOT): Promise<{ url: string; stdout: () => string; stderr: () => string; stop: () => Promise<number | null> }> {
  const child = spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'] });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  let out = '';
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString('utf8')));
  return new Promise((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      out += chunk.toString('utf8');
      const ready = /^ready: (\S+) \(/m.exec(out);
      if (ready) resolve({ url: ready[1]!, stdout: () => out, stderr: () => err, stop: () => (child.kill('SIGTERM'), exited) });
    });
    void exited.then((code) => reject(new Error(`exited ${code} before its ready line:\n${out}\n${err}`)));
  });
}

describe('sam-local-gateway --help', () => {
  it.each([
    { args: ['--help'], want: /start-api.*\n.*start-lambda.*\n.*keys.*\n.*token.*\n.*usage.*\n.*invoke.*\n.*generate-event/s },
    { args: ['start-api', '--help'], want: /-t, --template.*-p, --port.*--ssl-cert-file <cert\.pem>.*--ssl-key-file <key\.pem>.*--host.*--parameter-overrides.*--env-vars.*--warm-containers EAGER\|LAZY.*--watch.*--no-watch/s },
    { args: ['start-lambda', '--help'], want: /start-lambda \[options\].*aws lambda invoke --endpoint-url.*-p, --port <n> +port \(default: 3001.*--host.*--env-vars.*--warm-containers EAGER\|LAZY/s },
    { args: ['invoke', '--help'], want: /invoke \[FunctionLogicalId\].*-e, --event.*--no-event.*--parameter-overrides.*may be repeated.*-n, --env-vars.*\.env file/s },
    { args: ['generate-event', '--help'], want: /aws-proxy.*http-api-proxy.*authorizer.*request-authorizer.*http-api-authorizer.*--payload-format-version/s },
    { args: ['keys', '--help'], want: /keys \[-t, --template/ },
    { args: ['token', '--help'], want: /token --sub <id>/ },
    { args: ['usage', '--help'], want: /usage \[-t, --template/ },
  ])('$args prints its usage on stdout and exits 0', async ({ args, want }) => {
    const run = await cli(args);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(want);
  });

  it.each([
    { args: ['deploy'], want: /unknown command "deploy"/ },
    { args: ['start-api', '--bogus'], want: /Unknown option '--bogus'.*usage: sam-local-gateway start-api/s },
    { args: ['start-api', '--warm-containers', 'SOMETIMES'], want: /--warm-containers: EAGER or LAZY/ },
    { args: ['keys', 'extra'], want: /unknown option extra/ },
  ])('$args is a usage error: exit 1, the reason on stderr, nothing on stdout', async ({ args, want }) => {
    const run = await cli(args);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
  });

  it.each([
    { given: 'a --parameter-overrides that is not Key=Value', args: ['invoke', 'EchoFunction', '-t', APP, '--parameter-overrides', '5'], want: /--parameter-overrides: "5" is not Key=Value/ },
    { given: 'a template that is a folder', args: ['invoke', 'EchoFunction', '-t', 'tests'], want: /is a folder, not a template file/ },
    // A relative --config-file is read from the template's folder, as the SAM CLI joins it: `..` is the fixtures folder.
    { given: 'a --config-file that is a folder', args: ['invoke', 'EchoFunction', '-t', APP, '--config-file', '..'], want: /fixtures: is a folder, not a config file/ },
  ])('$given: exit 1 with one line, no stack trace', async ({ args, want }) => {
    const run = await cli(args);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('start-api on a port another process holds: exit 1 with one line naming the port and --port, no stack trace', async () => {
    // Prepare
    const holder = createServer();
    await new Promise<void>((resolve) => holder.listen(0, '127.0.0.1', resolve));
    const { port } = holder.address() as AddressInfo;

    // Act
    const run = await cli(['start-api', '--template', 'tests/emulator/fixtures/lambda-api-app/template.yaml', '--port', String(port), '--quiet', '--local-dir', mkdtempSync(join(tmpdir(), 'cli-port-'))]).finally(() => holder.close());

    // Assess
    expect(run.code).toBe(1);
    expect(run.stderr.trim().split('\n').at(-1)).toBe(`sam-local-gateway: port ${port} on 127.0.0.1 is in use (another gateway still running?): stop what holds it, or choose another port with --port (0: any free port)`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

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

describe('sam-local-gateway -l/--log-file (sam local writes the functions` output to the file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-log-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FUNCTION_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t([0-9a-f-]{36})\tINFO\ta log line from the function$/m;

  it('start-lambda: the function`s lines and Lambda`s START, END and REPORT go to the file, emptied first, not to the terminal', async () => {
    // Prepare
    const log = join(dir, 'start-lambda.log');
    writeFileSync(log, 'left from an earlier run\n');
    const { url, stdout, stderr, stop } = await serving(['start-lambda', '-t', APP, '-p', '0', '-l', log, '--local-dir', join(dir, 'local')]);

    // Act
    const res = await fetch(`${url}/2015-03-31/functions/echo-fn/invocations`, { method: 'POST', body: '{"id":3}' });
    await res.text();
    const exitCode = await stop();

    // Assess
    expect(res.status).toBe(200);
    expect(exitCode).toBe(0);
    const written = readFileSync(log, 'utf8');
    expect(written).not.toContain('left from an earlier run');
    const requestId = FUNCTION_LINE.exec(written)?.[1];
    expect(requestId).toBeDefined();
    expect(written).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(written).toMatch(new RegExp(`^END RequestId: ${requestId}\nREPORT RequestId: ${requestId}\t`, 'm'));
    expect(stdout() + stderr()).not.toContain('a log line from the function');
    expect(stdout()).not.toContain('START RequestId');
  });

  it('invoke: the logs and then the result go to the file (sam local invoke -l writes its stdout there), nothing on stdout', async () => {
    const log = join(dir, 'invoke.log');

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', '-', '--log-file', log], '{"id":11}');

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('a log line from the function');
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines.join('\n')).toMatch(FUNCTION_LINE);
    expect(lines.at(-2)).toMatch(/^REPORT RequestId: /);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event: { id: 11 } });
  });

  it('invoke with an event file that does not exist: exit 1, the last run`s log left as it was (SAM checks -e first)', async () => {
    const log = join(dir, 'kept.log');
    writeFileSync(log, 'the last run\n');

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', join(dir, 'no-such-event.json'), '-l', log]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no-such-event.json');
    expect(readFileSync(log, 'utf8')).toBe('the last run\n');
  });

  it.each([
    ['invoke', ['invoke', 'EchoFunction', '-t', APP]],
    ['start-api', ['start-api', '-t', APP, '-p', '0']],
  ])('%s with a log file in a folder that does not exist: exit 1, one line naming the file, nothing started', async (_name, args) => {
    const log = join(dir, 'missing', 'out.log');

    const run = await cli([...args, '-l', log]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--log-file ${log}: cannot be written (its folder does not exist)`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toContain('ready:');
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

describe('sam-local-gateway keys / token / usage --parameter-overrides', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tools-overrides-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const template = join(dir, 'template.yaml');
  writeFileSync(
    template,
    `Parameters:
  WithPlan: { Type: String, Default: 'no', AllowedValues: ['yes', 'no'] }
Conditions:
  PlanWanted: !Equals [!Ref WithPlan, 'yes']
Resources:
  Key: { Type: AWS::ApiGateway::ApiKey, Condition: PlanWanted, Properties: { Enabled: true } }
  Plan: { Type: AWS::ApiGateway::UsagePlan, Condition: PlanWanted, Properties: {} }
  PlanKey: { Type: AWS::ApiGateway::UsagePlanKey, Condition: PlanWanted, Properties: { KeyId: !Ref Key, KeyType: API_KEY, UsagePlanId: !Ref Plan } }
  Pool: { Type: AWS::Cognito::UserPool, Condition: PlanWanted, Properties: {} }
  Client: { Type: AWS::Cognito::UserPoolClient, Condition: PlanWanted, Properties: { UserPoolId: !Ref Pool } }
`,
  );

  it.each([
    { given: 'no override', args: [] as string[], want: { plans: [] as string[] } },
    { given: 'the override that creates the plan', args: ['--parameter-overrides', 'WithPlan=yes'], want: { plans: ['Plan'] } },
  ])('keys reads the stack as start-api would with $given', async ({ args, want }) => {
    // Act
    const run = await cli(['keys', '-t', template, ...args]);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(Object.keys(JSON.parse(run.stdout) as Record<string, string>)).toEqual(want.plans);
  });

  it('token mints for a pool that exists only under an override (and has none without it)', async () => {
    // Act
    const withPool = await cli(['token', '--sub', 'alice', '-t', template, '--parameter-overrides', 'WithPlan=yes']);
    const without = await cli(['token', '--sub', 'alice', '-t', template]);

    // Assess
    expect(withPool.code, withPool.stderr).toBe(0);
    expect(withPool.stdout.trim().split('.')).toHaveLength(3);
    expect(without.code).toBe(1);
    expect(without.stdout).toBe('');
  });

  it('a malformed override is a usage error, not a stack trace', async () => {
    const run = await cli(['usage', '-t', template, '--parameter-overrides', 'WithPlan']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/parameter-overrides/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('sam-local-gateway invoke (sam local invoke, no Docker)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'invoke-test-'));
  const file = (name: string, content: unknown) => {
    const path = join(dir, name);
    writeFileSync(path, JSON.stringify(content));
    return path;
  };
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints only the function result on stdout (its logs go to stderr), exit 0', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file('event.json', { id: 7 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ event: { id: 7 }, GREETING: 'hello', SHARED: 'from-template', UNDECLARED: null });
    // The Node.js runtime's console line: ISO time, the invocation's request id, the level, the message.
    expect(run.stderr).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tINFO\ta log line from the function$/m);
  });

  it('writes Lambda`s START, END and REPORT lines around the function`s own output on stderr, as sam local invoke prints them', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file('event-platform.json', { id: 9 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: { id: 9 } });
    const maxMemory = process.platform === 'linux' ? '\\tMax Memory Used: \\d+ MB' : '';
    const invocation = new RegExp(
      `^START RequestId: ([0-9a-f-]{36}) Version: \\$LATEST\\n(?:.*\\n)*?.*\\t\\1\\tINFO\\ta log line from the function\\n(?:.*\\n)*?END RequestId: \\1\\nREPORT RequestId: \\1\\tDuration: \\d+\\.\\d\\d ms\\tBilled Duration: \\d+ ms\\tMemory Size: 128 MB${maxMemory}\\tInit Duration: \\d+\\.\\d\\d ms$`,
      'm',
    );
    expect(run.stderr).toMatch(invocation);
  });

  it('serves PutEvents to the invoked function as start-api does (the embedded event buses; it was NotImplemented)', async () => {
    const run = await cli(['invoke', 'Putter', '-t', 'tests/emulator/fixtures/eventbridge-app/template.yaml', '-e', file('order.json', { id: 'o-9', total: 1 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ Entries: [{ EventId: expect.stringMatching(/^[0-9a-f-]{36}$/) }], FailedEntryCount: 0 });
  });

  it('prints the whole of a large result into a pipe (1 MB: a pipe takes 64 KiB at a time), then exits', async () => {
    const big = 'x'.repeat(1024 * 1024);

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file('big.json', { big })]);

    expect(run.code, run.stderr).toBe(0);
    expect((JSON.parse(run.stdout) as { event: { big: string } }).event.big).toBe(big);
  });

  it.each([
    { method: 'warn', level: 'WARN' },
    { method: 'error', level: 'ERROR' },
    { method: 'info', level: 'INFO' },
  ])('console.$method writes a $level line, its arguments formatted as console.log formats them', async ({ method, level }) => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', file(`log-${method}.json`, { log: method })]);

    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toMatch(new RegExp(`\\t[0-9a-f-]{36}\\t${level}\\tvia ${method}: 2 \\{ a: 1 \\}$`, 'm'));
  });

  it('accepts a sam local invoke command line: Docker and profile options are named on stderr as ignored, with why', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--skip-pull-image', '--docker-network', 'host', '--profile', 'dev', '-d', '5858', '--container-dns', '8.8.8.8', '--container-dns', '1.1.1.1']);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: {} });
    expect(run.stderr).toContain('sam-local-gateway: --skip-pull-image ignored: no container images here');
    expect(run.stderr).toContain('sam-local-gateway: --docker-network ignored: no Docker here');
    expect(run.stderr).toContain('sam-local-gateway: --profile ignored: no AWS account is used');
    expect(run.stderr).toContain('sam-local-gateway: --debug-port ignored: no debugger attachment');
    expect(run.stderr).toContain("sam-local-gateway: --container-dns ignored: no containers here: functions resolve names with this machine's resolver");
  });

  it.each([['--language-extensions'], ['--no-language-extensions']])('accepts %s (sam local, aws-sam-cli PR 9033) and names it on stderr as ignored: the template is expanded as CloudFormation expands it', async (option) => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, option]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: {} });
    expect(run.stderr).toContain(`sam-local-gateway: ${option} ignored: AWS::LanguageExtensions (Fn::ForEach`);
  });

  it.each([['start-api'], ['invoke']])('%s refuses a SAM option that would change the answers (--disable-authorizer): exit 1, usage on stderr', async (command) => {
    const run = await cli([command, '--disable-authorizer', '-t', APP]);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/Unknown option '--disable-authorizer'/);
    expect(run.stderr).toContain('SAM CLI options accepted and ignored, each named on stderr: --skip-pull-image');
  });

  it.each([
    { given: 'samconfig.toml`s template_file and parameter_overrides ([default.local_invoke.parameters])', args: [] as string[], greeting: 'from-samconfig' },
    { given: 'a --parameter-overrides of the command line, which replaces the file`s', args: ['--parameter-overrides', 'Shared=cli'], greeting: 'hello' },
  ])('reads $given, as sam local invoke run in that folder reads them', async ({ args, greeting }) => {
    // Prepare
    const cwd = mkdtempSync(join(dir, 'project-'));
    writeFileSync(join(cwd, 'samconfig.toml'), `version = 0.1
[default.local_invoke.parameters]
template_file = ${JSON.stringify(join(ROOT, APP))}
parameter_overrides = "Greeting=\\"from-samconfig\\""
`);

    // Act
    const run = await cli(['invoke', 'EchoFunction', ...args], undefined, cwd);

    // Assess
    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: greeting });
    expect(run.stderr).toMatch(/^sam-local-gateway: read samconfig\.toml \[default\]: template_file=/m);
  });

  it('invokes a function by its FunctionName too, as the SAM CLI does', async () => {
    const run = await cli(['invoke', 'echo-fn', '-t', APP, '-e', file('event-by-name.json', { id: 8 })]);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ event: { id: 8 }, GREETING: 'hello' });
  });

  it("reads the event from stdin with -e -, and with no -e sends {} as sam's default", async () => {
    const [piped, none] = await Promise.all([cli(['invoke', 'EchoFunction', '-t', APP, '-e', '-'], '{"from":"stdin"}'), cli(['invoke', 'EchoFunction', '-t', APP])]);

    expect(JSON.parse(piped.stdout).event).toEqual({ from: 'stdin' });
    expect(JSON.parse(none.stdout).event).toEqual({});
  });

  it('--env-vars overrides declared variables, the function entry over Parameters, undeclared ones not set (as sam local)', async () => {
    const envVars = file('env.json', { Parameters: { SHARED: 'from-parameters', GREETING: 'from-parameters', UNDECLARED: 'x' }, EchoFunction: { GREETING: 'from-function' } });

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--env-vars', envVars]);

    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'from-function', SHARED: 'from-parameters', UNDECLARED: null });
  });

  it('--parameter-overrides followed by several Key=Value words (the SAM CLI`s unquoted form) takes them all', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--parameter-overrides', 'Greeting=unquoted', 'Shared=too']);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'unquoted', SHARED: 'too' });
  });

  it('--parameter-overrides may be repeated, as start-api takes it: merged in order, later values win', async () => {
    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '--parameter-overrides', 'Greeting=first Shared=kept', '--parameter-overrides', 'Greeting=second']);

    expect(run.code, run.stderr).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'second', SHARED: 'kept' });
  });

  it("--no-event (sam's deprecated flag) sends {}; with -e the event wins, as in sam", async () => {
    const [alone, both] = await Promise.all([cli(['invoke', 'EchoFunction', '-t', APP, '--no-event']), cli(['invoke', 'EchoFunction', '-t', APP, '--no-event', '-e', '-'], '{"from":"stdin"}')]);

    expect(JSON.parse(alone.stdout).event).toEqual({});
    expect(JSON.parse(both.stdout).event).toEqual({ from: 'stdin' });
  });

  it('--env-vars reads a .env file as every function\'s values, and says on stderr which entries changed nothing', async () => {
    const path = join(dir, 'local.env');
    writeFileSync(path, 'GREETING=from-dotenv\nUNDECLARED=x\n');

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-n', path]);

    expect(JSON.parse(run.stdout)).toMatchObject({ GREETING: 'from-dotenv', UNDECLARED: null });
    expect(run.stderr).toContain("--env-vars Parameters.UNDECLARED: ignored, not declared in any function's Environment.Variables");
  });

  it('a streaming function (awslambda.streamifyResponse) prints the bytes it wrote, prelude and all, as a plain Invoke returns them', async () => {
    const run = await cli(['invoke', 'Streamer', '-t', 'tests/emulator/fixtures/streaming/template.yaml', '-e', file('stream.json', { queryStringParameters: { mode: 'quick' } })]);

    expect(run.code, run.stderr).toBe(0);
    const [prelude, body] = run.stdout.split('\0'.repeat(8));
    expect(JSON.parse(prelude!)).toMatchObject({ statusCode: 201, headers: { 'content-type': 'text/event-stream' } });
    expect(body).toBe('data: one\n\ndata: two\n\n\n');
  });

  it("a function error prints Lambda's error object on stdout and exits 1", async () => {
    const run = await cli(['invoke', 'FailingFunction', '-t', APP]);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toMatchObject({ errorType: 'TypeError', errorMessage: 'no such task', trace: expect.arrayContaining(['TypeError: no such task']) });
  });

  it('invokes a nested stack\'s function by its path, as the SAM CLI names it (Child/Function)', async () => {
    const run = await cli(['invoke', 'ChildApp/HelloFunction', '-t', 'tests/emulator/fixtures/nested-app/template.yaml']);

    expect(run.code).toBe(0);
    expect(JSON.parse(JSON.parse(run.stdout).body)).toMatchObject({ from: 'child', greeting: 'hello from the child' });
  });

  it('an unknown function of a template with nested stacks lists every function by its path', async () => {
    const run = await cli(['invoke', 'Nope', '-t', 'tests/emulator/fixtures/nested-app/template.yaml']);

    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/no function with this logical id or FunctionName \(functions: HelloFunction, ChildApp\/HelloFunction, ChildStack\/PingFunction\)/);
  });

  it("a Python function's logs go to stderr as the Lambda Python runtime writes them: [LEVEL], UTC time, request id, message; print() as it is", async () => {
    const run = await cli(['invoke', 'BehaviorFunction', '-t', 'tests/emulator/fixtures/python-app/template.yaml', '-e', '-'], '{"action": "log"}');

    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual({ logged: true });
    expect(run.stderr).toMatch(/^\[INFO\]\t\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t[0-9a-f-]{36}\tlogged at info$/m);
    expect(run.stderr).toMatch(/^printed$/m);
  });

  describe('LoggingConfig LogFormat JSON (Lambda`s advanced logging controls)', () => {
    const project = mkdtempSync(join(tmpdir(), 'json-logs-'));
    afterAll(() => rmSync(project, { recursive: true, force: true }));
    writeFileSync(
      join(project, 'index.mjs'),
      "export const handler = async () => { console.debug('d'); console.info('i'); console.warn('w', { a: 1 }); console.error(new Error('boom')); return 'ok'; };\n",
    );
    writeFileSync(
      join(project, 'app.py'),
      'import logging\nlogger = logging.getLogger()\ndef handler(event, context):\n    logger.debug("d")\n    logger.info("i")\n    print("plain")\n    try:\n        raise ValueError("bad")\n    except ValueError:\n        logger.exception("failed")\n    return "ok"\n',
    );
    const template = join(project, 'template.yaml');
    writeFileSync(
      template,
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals: { Function: { CodeUri: . } }',
        'Resources:',
        '  NodeWarn: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: index.handler, LoggingConfig: { LogFormat: JSON, ApplicationLogLevel: WARN } } }',
        '  NodeInfo: { Type: AWS::Serverless::Function, Properties: { Runtime: nodejs20.x, Handler: index.handler, LoggingConfig: { LogFormat: JSON } } }',
        '  Python: { Type: AWS::Serverless::Function, Properties: { Runtime: python3.11, Handler: app.handler, LoggingConfig: { LogFormat: JSON } } }',
      ].join('\n'),
    );
    const jsonLines = (text: string) => text.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);

    it.each([
      { fn: 'NodeWarn', levels: ['WARN', 'ERROR'] },
      { fn: 'NodeInfo', levels: ['INFO', 'WARN', 'ERROR'] },
    ])('Node.js $fn: one JSON object per console line, those below its level dropped ($levels)', async ({ fn, levels }) => {
      const run = await cli(['invoke', fn, '-t', template]);

      expect(run.code, run.stderr).toBe(0);
      const lines = jsonLines(run.stderr);
      expect(lines.map((l) => l.level)).toEqual(levels);
      expect(lines.find((l) => l.level === 'WARN')).toEqual({ timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/), level: 'WARN', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), message: 'w { a: 1 }' });
      expect(lines.find((l) => l.level === 'ERROR')?.message).toMatchObject({ errorType: 'Error', errorMessage: 'boom', stackTrace: expect.arrayContaining([expect.stringMatching(/^Error: boom/)]) });
    });

    it('Python: the logging module writes JSON objects at INFO and above (the default level), an exception`s fields beside; print() stays text', async () => {
      const run = await cli(['invoke', 'Python', '-t', template]);

      expect(run.code, run.stderr).toBe(0);
      const lines = jsonLines(run.stderr);
      expect(lines.map((l) => [l.level, l.message, l.logger])).toEqual([
        ['INFO', 'i', 'root'],
        ['ERROR', 'failed', 'root'],
      ]);
      expect(lines[1]).toMatchObject({ errorType: 'ValueError', errorMessage: 'bad', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
      expect(run.stderr).toMatch(/^plain$/m);
    });
  });

  describe("the runtimes' own log lines: a failing function's, and console lines after raw stdout writes", () => {
    const project = mkdtempSync(join(tmpdir(), 'error-logs-'));
    afterAll(() => rmSync(project, { recursive: true, force: true }));
    writeFileSync(join(project, 'fails.mjs'), "export const handler = async () => { const e = new TypeError('boom'); e.code = 'E_BOOM'; throw e; };\n");
    writeFileSync(join(project, 'broken.mjs'), "import './no-such-module.mjs';\nexport const handler = async () => 'never';\n");
    writeFileSync(join(project, 'fails.py'), 'def handler(event, context):\n    raise ValueError("bad value")\n');
    writeFileSync(join(project, 'broken.py'), 'import no_such_module\n');
    writeFileSync(join(project, 'raw.mjs'), "export const handler = async () => { process.stdout.write('partial'); console.log('next'); process.stdout.write(Buffer.from('bytes')); console.warn('after bytes'); process.stdout.write('whole\\n'); console.log('clean'); return 1; };\n");
    const fn = (id: string, runtime: string, handler: string, json = false) =>
      `  ${id}: { Type: AWS::Serverless::Function, Properties: { Runtime: ${runtime}, Handler: ${handler}${json ? ', LoggingConfig: { LogFormat: JSON }' : ''} } }`;
    writeFileSync(
      join(project, 'template.yaml'),
      [
        'Transform: AWS::Serverless-2016-10-31',
        'Globals: { Function: { CodeUri: . } }',
        'Resources:',
        fn('NodeText', 'nodejs20.x', 'fails.handler'),
        fn('NodeJson', 'nodejs20.x', 'fails.handler', true),
        fn('NodeInit', 'nodejs20.x', 'broken.handler'),
        fn('PyText', 'python3.11', 'fails.handler'),
        fn('PyJson', 'python3.11', 'fails.handler', true),
        fn('PyInit', 'python3.11', 'broken.handler'),
        fn('NodeRaw', 'nodejs20.x', 'raw.handler'),
      ].join('\n'),
    );
    const invoke = (id: string) => cli(['invoke', id, '-t', join(project, 'template.yaml')]);

    it("Node.js, text format: an ERROR line 'Invoke Error' with the error as a tab-led JSON document (name, message, code, stack lines)", async () => {
      const run = await invoke('NodeText');

      expect(run.code).toBe(1);
      const line = /^\d{4}-\d\d-\d\dT[\d:.]+Z\t([0-9a-f-]{36})\tERROR\tInvoke Error \t(\{.*\})$/m.exec(run.stderr);
      expect(line, run.stderr).not.toBeNull();
      expect(JSON.parse(line![2]!)).toEqual({ errorType: 'TypeError', errorMessage: 'boom', code: 'E_BOOM', stack: expect.arrayContaining(['TypeError: boom']) });
    });

    it('Node.js, JSON format: the error itself is the ERROR object`s message', async () => {
      const run = await invoke('NodeJson');

      const errors = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(errors).toEqual([
        { timestamp: expect.any(String), level: 'ERROR', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), message: { errorType: 'TypeError', errorMessage: 'boom', stackTrace: expect.arrayContaining(['TypeError: boom']), code: 'E_BOOM' } },
      ]);
    });

    it("Node.js, a module that fails to load: 'Uncaught Exception' with no request id (init)", async () => {
      const run = await invoke('NodeInit');

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^\S+Z\tundefined\tERROR\tUncaught Exception \t\{"errorType":"Error","errorMessage":"Cannot find module .*no-such-module\.mjs/m);
    });

    it("Python, text format: '[ERROR] Type: message', then the traceback, indented in no-break spaces", async () => {
      const run = await invoke('PyText');

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^\[ERROR\] ValueError: bad value\nTraceback \(most recent call last\):\n\u00a0\u00a0File ".*fails\.py", line 2, in handler\n\u00a0{4}raise ValueError\("bad value"\)$/m);
    });

    it('Python, JSON format: the error document with timestamp, log_level and requestId', async () => {
      const run = await invoke('PyJson');

      const errors = run.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as Record<string, unknown>);
      expect(errors).toEqual([{ timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/), log_level: 'ERROR', errorMessage: 'bad value', errorType: 'ValueError', requestId: expect.stringMatching(/^[0-9a-f-]{36}$/), stackTrace: [expect.stringContaining('raise ValueError("bad value")')] }]);
    });

    it('Node.js: a console line after a raw process.stdout.write without a newline starts on a line of its own (Lambda logs it through its own channel)', async () => {
      const run = await invoke('NodeRaw');

      expect(run.code, run.stderr).toBe(0);
      // The function's own lines: not the gateway's, nor Lambda's START, END and REPORT around them.
      const lines = run.stderr.split('\n').filter((l) => l !== '' && !l.startsWith('sam-local-gateway:') && !/^(START|END|REPORT) RequestId: /.test(l));
      expect(lines.map((l) => l.replace(/^\S+Z\t[0-9a-f-]{36}\t/, ''))).toEqual(['partial', 'INFO\tnext', 'bytes', 'WARN\tafter bytes', 'whole', 'INFO\tclean']);
    });

    it('Python, an import that fails: the LAMBDA_WARNING line, then [ERROR] Runtime.ImportModuleError and an empty traceback', async () => {
      const run = await invoke('PyInit');

      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(/^\[WARNING\]\t\S+Z\t\tLAMBDA_WARNING: Unhandled exception\. /m);
      expect(run.stderr).toMatch(/^\[ERROR\] Runtime\.ImportModuleError: Unable to import module 'broken': No module named 'no_such_module'\nTraceback \(most recent call last\):$/m);
    });
  });

  it("a Python function's error prints the Python runtime's error document (errorMessage, errorType, requestId, stackTrace)", async () => {
    const run = await cli(['invoke', 'MissingHandlerFunction', '-t', 'tests/emulator/fixtures/python-app/template.yaml']);

    expect(run.code).toBe(1);
    expect(JSON.parse(run.stdout)).toEqual({ errorMessage: "Handler 'no_such_handler' missing on module 'app'", errorType: 'Runtime.HandlerNotFound', requestId: '', stackTrace: [] });
  });

  it.each([
    { given: 'no function named, several in the template', args: ['invoke', '-t', APP], want: /name the function to invoke; the template has EchoFunction, FailingFunction/ },
    { given: 'an unknown function', args: ['invoke', 'Nope', '-t', APP], want: /Resources\.Nope: no function with this logical id/ },
    { given: 'an event file that is not JSON', args: ['invoke', 'EchoFunction', '-t', APP, '-e', 'tests/emulator/fixtures/invoke-app/template.yaml'], want: /\(event\): not valid JSON/ },
    { given: 'a missing event file', args: ['invoke', 'EchoFunction', '-t', APP, '-e', 'no/such/event.json'], want: /no\/such\/event\.json: \(event\): not found/ },
    { given: 'an env-vars value that is an object', args: ['invoke', 'EchoFunction', '-t', APP, '-n', 'ENVFILE'], want: /Parameters\.SHARED: must be a string, number or boolean/ },
  ])('refuses $given: exit 1, the reason on stderr, nothing on stdout', async ({ args, want }) => {
    const bad = file('bad-env.json', { Parameters: { SHARED: { nested: true } } });

    const run = await cli(args.map((a) => (a === 'ENVFILE' ? bad : a)));

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
  });
});

/** Loosely typed: the tests read nested fields of the generated JSON. */
interface Event {
  [key: string]: unknown;
  requestContext: Record<string, unknown>;
  headers: Record<string, string>;
}

describe('sam-local-gateway generate-event apigateway (the gateway event builders)', () => {
  const generate = async (args: string[]) => {
    const run = await cli(['generate-event', 'apigateway', ...args]);
    expect(run.code, run.stderr).toBe(0);
    return JSON.parse(run.stdout) as Event;
  };

  it('R1.10 R1.17 aws-proxy: the REST proxy event of the request, path parameters from --resource', async () => {
    const event = await generate(['aws-proxy', '--method', 'post', '--path', '/tasks/42', '--resource', '/tasks/{taskId}', '--query', 'a=1&a=2', '--body', '{"x":1}', '--stage', 'v1']);

    expect(event).toMatchObject({ resource: '/tasks/{taskId}', path: '/tasks/42', httpMethod: 'POST', pathParameters: { taskId: '42' }, body: '{"x":1}', isBase64Encoded: false });
    expect(event.queryStringParameters).toEqual({ a: '2' });
    expect(event.multiValueQueryStringParameters).toEqual({ a: ['1', '2'] });
    expect(event.requestContext).toMatchObject({ stage: 'v1', path: '/v1/tasks/42', resourcePath: '/tasks/{taskId}', httpMethod: 'POST', accountId: '123456789012' });
  });

  it('R1.17 aws-proxy defaults: GET /examplepath under /{proxy+}, stage prod, no body', async () => {
    const event = await generate(['aws-proxy']);

    expect(event).toMatchObject({ resource: '/{proxy+}', path: '/examplepath', httpMethod: 'GET', pathParameters: { proxy: 'examplepath' }, body: null, queryStringParameters: null });
    expect(event.requestContext.stage).toBe('prod');
  });

  it('H4.1 H4.3 http-api-proxy: payload 2.0 with routeKey, rawPath and the $default stage', async () => {
    const event = await generate(['http-api-proxy', '--path', '/pets/7', '--resource', '/pets/{id}']);

    expect(event).toMatchObject({ version: '2.0', routeKey: 'GET /pets/{id}', rawPath: '/pets/7', rawQueryString: '', pathParameters: { id: '7' } });
    expect(event.requestContext).toMatchObject({ stage: '$default', routeKey: 'GET /pets/{id}', http: { method: 'GET', path: '/pets/7' } });
  });

  it('R7.5 authorizer: the TOKEN event with the method ARN of the request', async () => {
    const event = await generate(['authorizer', '--token', 'Bearer abc', '--method', 'DELETE', '--path', '/tasks/1', '--resource', '/tasks/{id}']);

    expect(event).toEqual({ type: 'TOKEN', authorizationToken: 'Bearer abc', methodArn: 'arn:aws:execute-api:us-east-1:123456789012:1234567890/prod/DELETE/tasks/1' });
  });

  it('R7.8 request-authorizer: the REQUEST event, absent maps as {}', async () => {
    const event = await generate(['request-authorizer', '--path', '/tasks', '--resource', '/tasks']);

    expect(event).toMatchObject({ type: 'REQUEST', resource: '/tasks', path: '/tasks', httpMethod: 'GET', queryStringParameters: {}, pathParameters: {}, stageVariables: {} });
    expect(event.headers.Authorization).toBe('allow');
    expect(event.methodArn).toBe('arn:aws:execute-api:us-east-1:123456789012:1234567890/prod/GET/tasks');
  });

  it('takes SAM`s --path without its leading slash (sam local generate-event apigateway aws-proxy --path hello)', async () => {
    const event = await generate(['aws-proxy', '--path', 'hello', '--resource', 'hello']);

    expect(event).toMatchObject({ path: '/hello', resource: '/hello', requestContext: { path: '/prod/hello', resourcePath: '/hello' } });
  });

  it.each([
    { args: ['kinesis', 'get-records'], want: /unknown service "kinesis"/ },
    { args: ['s3', 'copy'], want: /unknown s3 event "copy"/ },
    { args: ['apigateway', 'websocket'], want: /unknown apigateway event "websocket"/ },
    { args: ['apigateway', 'aws-proxy', '--path', '/a/b', '--resource', '/a'], want: /--path \/a\/b does not match --resource \/a/ },
  ])('$args is a usage error with exit 1 and nothing on stdout', async ({ args, want }) => {
    const run = await cli(['generate-event', ...args]);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toMatch(want);
  });
});
