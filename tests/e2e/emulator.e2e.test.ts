/**
 * End to end: the emulator's CLI as a child process, exercised over HTTP on loopback.
 * Part-1 behaviour only (mock, CORS preflight, unknown route, Lambda proxy, lifecycle, bad configuration).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { isPortOpen, runEmulatorToExit, startEmulatorProcess, type EmulatorProcess } from './emulator-process.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** template.yaml's AllowedOrigin parameter default. */
const TASK_API_ORIGIN = 'http://localhost:5173';

/** Start the CLI on a port the OS picks; a failure carries the child's stderr (startEmulatorProcess puts it in the message). */
async function start(template: string): Promise<{ emulator: EmulatorProcess; port: number }> {
  const emulator = await startEmulatorProcess(['--template', template, '--port', '0'], { timeoutMs: 60_000 });
  return { emulator, port: emulator.port };
}

/** SIGINT, as Ctrl-C: exit code 0 within 10 s and nothing left listening. */
async function expectCleanShutdown(emulator: EmulatorProcess, port: number): Promise<void> {
  const exit = await emulator.stop('SIGINT', 10_000);

  expect(exit, `stderr:\n${emulator.stderr()}`).toEqual({ code: 0, signal: null });
  expect(await isPortOpen(port)).toBe(false);
}

describe('emulator CLI serving the Task API (template.yaml)', () => {
  let emulator: EmulatorProcess;
  let port: number;

  beforeAll(async () => {
    ({ emulator, port } = await start('template.yaml'));
  });
  afterAll(async () => {
    await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
  });

  it('prints the stage URL on its ready line', () => {
    expect(emulator.url).toBe(`http://127.0.0.1:${port}/v1`);
    expect(emulator.apiLogicalId).toBe('TaskApi');
  });

  it('emulates all of its own template: no NOT EMULATED line, so --strict serves it (the TitleInput pattern was not read)', () => {
    expect(emulator.stdout().split('\n').filter((line) => line.includes('NOT EMULATED'))).toEqual([]);
  });

  it('R4.1 R4.2 GET /v1/health is answered by the mock integration with its response template and CORS header', async () => {
    const res = await fetch(`${emulator.url}/health`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
    expect(res.headers.get('access-control-allow-origin')).toBe(TASK_API_ORIGIN);
  });

  it('answers with a Content-Length, as API Gateway does, not a chunked body', async () => {
    const res = await fetch(`${emulator.url}/health`);
    const body = await res.text();

    expect(res.headers.get('content-length')).toBe(String(Buffer.byteLength(body)));
    expect(res.headers.get('transfer-encoding')).toBeNull();
  });

  it('R8.8 a chunked upload over 10 MB is answered 413 without being held in memory, and serving goes on', async () => {
    const chunk = new Uint8Array(1024 * 1024);
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      pull(controller) {
        if (sent++ < 12) controller.enqueue(chunk);
        else controller.close();
      },
    });
    const res = await fetch(`${emulator.url}/tasks`, { method: 'POST', body, duplex: 'half' } as RequestInit);

    expect(res.status).toBe(413);
    expect(await res.text()).toBe('HTTP content length exceeded 10485760 bytes.');
    expect((await fetch(`${emulator.url}/health`)).status).toBe(200);
  });

  it('R1.25 every response carries a UUID x-amzn-RequestId, a new one per request', async () => {
    const [a, b] = await Promise.all([fetch(`${emulator.url}/health`), fetch(`${emulator.url}/health`)]);

    expect(a.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(b.headers.get('x-amzn-requestid')).toMatch(UUID);
    expect(a.headers.get('x-amzn-requestid')).not.toBe(b.headers.get('x-amzn-requestid'));
  });

  describe('R10.1 OPTIONS /v1/tasks preflight is served by its mock integration', () => {
    let res: Response;
    beforeAll(async () => {
      res = await fetch(`${emulator.url}/tasks`, {
        method: 'OPTIONS',
        headers: { Origin: TASK_API_ORIGIN, 'Access-Control-Request-Method': 'POST', 'Access-Control-Request-Headers': 'content-type,idempotency-key' },
      });
    });

    it('answers 200', () => {
      expect(res.status).toBe(200);
    });

    it.each([
      { header: 'access-control-allow-origin', want: TASK_API_ORIGIN },
      { header: 'access-control-allow-methods', want: 'GET,POST,OPTIONS' },
      { header: 'access-control-allow-headers', want: 'Content-Type,Authorization,X-Api-Key,Idempotency-Key' },
      { header: 'access-control-max-age', want: '600' },
    ])('R4.2 sets $header from the integration response parameters', ({ header, want }) => {
      expect(res.headers.get(header)).toBe(want);
    });
  });

  describe.each([
    { given: 'an unknown path', method: 'GET', path: '/no/such/route' },
    { given: 'an undefined method on an existing resource', method: 'DELETE', path: '/health' },
  ])('R0.1 R8.9 $given gets the MISSING_AUTHENTICATION_TOKEN gateway response as customised by the contract', ({ method, path }) => {
    let res: Response;
    let body: Record<string, unknown>;
    beforeAll(async () => {
      res = await fetch(`${emulator.url}${path}`, { method });
      body = (await res.json()) as Record<string, unknown>;
    });

    it('answers 404 application/problem+json with the contract body', () => {
      expect(res.status).toBe(404);
      expect(res.headers.get('content-type')).toBe('application/problem+json');
      expect(body).toMatchObject({ type: 'urn:task-api:problem:no-such-route', title: 'Not Found', status: 404 });
    });

    it('R8.2 names the error type MissingAuthenticationTokenException', () => {
      expect(res.headers.get('x-amzn-errortype')).toBe('MissingAuthenticationTokenException');
    });

    it('R8.5 R10.4 carries the gateway response header parameters and the request id', () => {
      expect(res.headers.get('access-control-allow-origin')).toBe(TASK_API_ORIGIN);
      expect(body.requestId).toBe(res.headers.get('x-amzn-requestid'));
      expect(body.requestId).toMatch(UUID);
    });
  });

  it('exits 0 within 10 s of SIGINT and closes its port', async () => {
    await expectCleanShutdown(emulator, port);
  });
});

describe('emulator CLI serving a Lambda proxy route that reads DynamoDB (bench/fixtures)', () => {
  const item = { id: 'e2e-1', title: 'seeded by the e2e test', tags: ['x'] };
  let emulator: EmulatorProcess;
  let port: number;

  beforeAll(async () => {
    ({ emulator, port } = await start('bench/fixtures/template.yaml'));
    // The startup report names the embedded DynamoDB: seed it the way a developer would, with the SDK.
    const endpoint = /AWS_ENDPOINT_URL_DYNAMODB=(\S+)/.exec(emulator.stdout())?.[1];
    if (!endpoint) throw new Error(`no AWS_ENDPOINT_URL_DYNAMODB in the startup report:\n${emulator.stdout()}`);
    // ... signed with the local credentials the report prints (the endpoint refuses anything else).
    const accessKeyId = /AWS_ACCESS_KEY_ID=(\S+)/.exec(emulator.stdout())?.[1] ?? '';
    const secretAccessKey = /AWS_SECRET_ACCESS_KEY=(\S+)/.exec(emulator.stdout())?.[1] ?? '';
    const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: 'us-east-1', credentials: { accessKeyId, secretAccessKey } }));
    await client.send(new PutCommand({ TableName: 'local-ItemsTable', Item: item }));
    client.destroy();
  });
  afterAll(async () => {
    await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
  });

  it.each([
    { given: 'a seeded id', id: item.id, wantStatus: 200, wantBody: item },
    { given: 'an unknown id', id: 'missing', wantStatus: 404, wantBody: { message: 'no item missing' } },
  ])('R1.17 R1.49 GET /bench/items/{id} with $given returns what the handler read from DynamoDB', async ({ id, wantStatus, wantBody }) => {
    const res = await fetch(`${emulator.url}/items/${id}`);

    expect(res.status).toBe(wantStatus);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual(wantBody);
  });

  it('R4.1 serves the mock route next to the proxy route', async () => {
    const res = await fetch(`${emulator.url}/mock`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ mock: true });
  });

  it('logs one line per request with the function and cold/warm', () => {
    expect(emulator.stdout()).toMatch(/GET \/bench\/items\/e2e-1 200 [\d.]+ms BenchGetItemFunction \((cold|warm)\)/);
  });

  it("says once at start that the local Node differs from the functions' Runtime, and the SDK's own warning never shows", () => {
    const output = `${emulator.stdout()}\n${emulator.stderr()}`;
    const nodeWarnings = output.split('\n').filter((line) => line.includes('run on the local Node.js'));

    expect(nodeWarnings).toEqual(process.version.startsWith('v22.') ? [] : [expect.stringMatching(/^WARNING: functions declare nodejs22\.x \(2 functions\)/)]);
    expect(output).not.toContain('NodeVersionSupportWarning');
  });

  it('exits 0 within 10 s of SIGINT and closes its port', async () => {
    await expectCleanShutdown(emulator, port);
  });
});

describe('npm start -- --template tests/e2e/fixtures/hello-app/template.yaml (any SAM app, not only the Task API)', () => {
  let emulator: EmulatorProcess;
  let port: number;

  beforeAll(async () => {
    emulator = await startEmulatorProcess(['--template', 'tests/e2e/fixtures/hello-app/template.yaml', '--port', '0'], {
      launcher: 'npm',
      timeoutMs: 60_000,
    });
    port = emulator.port;
  });
  afterAll(async () => {
    await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
  });

  it('R11.1 R1.18 serves the fixture stage with its parameters and stage variables resolved', async () => {
    const res = await fetch(`${emulator.url}/hello/ada`);

    expect(emulator.url).toBe(`http://127.0.0.1:${port}/test`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ message: 'hello, ada', flavour: 'vanilla', stage: 'test' });
  });

  it('stops cleanly on SIGINT', async () => {
    const exit = await emulator.stop('SIGINT', 10_000);

    expect(exit.signal === 'SIGINT' || exit.code === 0, `exit ${JSON.stringify(exit)}\nstderr:\n${emulator.stderr()}`).toBe(true);
    expect(await isPortOpen(port)).toBe(false);
  });
});

describe('start-api writes Lambda`s START, END and REPORT lines of each invocation, and --quiet none', () => {
  it.each([
    { given: 'by default', args: [] as string[], lines: 1 },
    { given: 'with --quiet (no per-request lines)', args: ['--quiet'], lines: 0 },
  ])('$given', async ({ args, lines }) => {
    // Prepare
    const emulator = await startEmulatorProcess(['--template', 'tests/e2e/fixtures/hello-app/template.yaml', '--port', '0', ...args], { timeoutMs: 60_000 });
    // Act: one invocation, then a clean stop, after which every line it wrote has been read.
    const res = await fetch(`${emulator.url}/hello/ada`);
    await emulator.stop('SIGINT', 10_000);
    // Assess
    expect(res.status).toBe(200);
    expect(emulator.stdout().match(/^START RequestId: [0-9a-f-]{36} Version: \$LATEST$/gm) ?? []).toHaveLength(lines);
    expect(emulator.stdout().match(/^REPORT RequestId: [0-9a-f-]{36}\tDuration: /gm) ?? []).toHaveLength(lines);
  });
});

describe.each([
  { shape: 'TypeScript, esbuild Metadata', fixture: 'sam-init-ts' },
  { shape: 'JavaScript ES module, no build', fixture: 'sam-init-js' },
])('emulator CLI serving the `sam init` Node.js REST shape ($shape) unchanged (implicit API)', ({ fixture }) => {
  let emulator: EmulatorProcess;
  let port: number;

  beforeAll(async () => {
    ({ emulator, port } = await start(`tests/e2e/fixtures/${fixture}/template.yaml`));
  });
  afterAll(async () => {
    await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
  });

  it('R13.4 serves SAM\'s implicit ServerlessRestApi at stage Prod', () => {
    expect(emulator.url).toBe(`http://127.0.0.1:${port}/Prod`);
    expect(emulator.apiLogicalId).toBe('ServerlessRestApi');
    expect(emulator.stdout()).toMatch(/emulated\s+GET\s+\/hello\s+aws_proxy -> HelloWorldFunction/);
  });

  it.each([
    { method: 'GET', path: '/hello', status: 200 },
    { method: 'POST', path: '/hello', status: 403 },
    { method: 'GET', path: '/hello/there', status: 403 },
  ])('R1.54 R2.1 $method /Prod$path answers $status', async ({ method, path, status }) => {
    const res = await fetch(`${emulator.url}${path}`, { method });
    const body = (await res.json()) as Record<string, unknown>;

    expect(res.status).toBe(status);
    if (status === 200) expect(body).toEqual({ message: 'hello world', path: '/hello', resource: '/hello', stage: 'Prod' });
    else expect(body).toEqual({ message: 'Missing Authentication Token' });
  });

  it('stops cleanly on SIGINT', async () => {
    await expectCleanShutdown(emulator, port);
  });
});

describe('start-api -t -p --warm-containers EAGER --env-vars (the SAM CLI\'s flags)', () => {
  let emulator: EmulatorProcess;
  let dir: string;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'start-api-'));
    const envVars = join(dir, 'env.json');
    writeFileSync(envVars, JSON.stringify({ HelloFunction: { GREETING: 'hi' }, Parameters: { NOT_DECLARED: 'x' } }));
    emulator = await startEmulatorProcess(['start-api', '-t', 'tests/e2e/fixtures/hello-app/template.yaml', '-p', '0', '--warm-containers', 'EAGER', '--env-vars', envVars], { timeoutMs: 60_000 });
  });
  afterAll(async () => {
    await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  });

  it('EAGER initializes the function before the ready line, so the first request is warm', async () => {
    const res = await fetch(`${emulator.url}/hello/ada`);

    expect(res.status).toBe(200);
    expect(emulator.stdout()).toContain('--warm-containers EAGER: 1 of 1 functions initialized before serving');
    await expect.poll(() => emulator.stdout()).toMatch(/GET \/test\/hello\/ada 200 .* HelloFunction \(warm\)/);
  });

  it('--env-vars overrides the declared GREETING and reports the undeclared entry as ignored', async () => {
    const res = await fetch(`${emulator.url}/hello/grace`);

    expect(await res.json()).toMatchObject({ message: 'hi, grace' });
    expect(emulator.stdout()).toContain('--env-vars Parameters.NOT_DECLARED: ignored');
  });
});

describe.each([
  { launcher: 'npm' as const, how: 'SIGTERM to the npm process only (what IDEs and supervisors send)' },
  { launcher: 'node' as const, how: 'SIGTERM to the CLI process' },
])('emulator CLI started with $launcher, stopped by $how', ({ launcher }) => {
  let emulator: EmulatorProcess;
  let port: number;
  let served: Response;

  // Started and served once in the hook: a slow start on a loaded machine is not part of what is tested.
  beforeAll(async () => {
    emulator = await startEmulatorProcess(['--template', 'tests/e2e/fixtures/hello-app/template.yaml', '--port', '0'], { launcher, timeoutMs: 60_000 });
    port = emulator.port;
    served = await fetch(`${emulator.url}/hello/ada`);
  });
  afterAll(async () => {
    await emulator?.stop('SIGKILL', 5_000).catch(() => undefined);
  });

  it('stops the gateway, every process it started, and frees its port', async () => {
    // stop() rejects unless the launched process and (under npm) its whole process group are gone in time.
    const exit = await emulator.stop('SIGTERM', 15_000, 'launcher');

    expect(served.status).toBe(200);
    expect(exit.code === 0 || exit.signal === 'SIGTERM', `exit ${JSON.stringify(exit)}\nstderr:\n${emulator.stderr()}`).toBe(true);
    expect(await isPortOpen(port)).toBe(false);
  });
});

describe('emulator CLI and --strict', () => {
  it('serves a route it does not emulate only with a NOT EMULATED line, and answers it 500 rather than passing it through', async () => {
    const emulator = await startEmulatorProcess(['--template', 'tests/e2e/fixtures/not-emulated/template.yaml', '--port', '0'], { timeoutMs: 60_000 });
    try {
      const res = await fetch(`${emulator.url}/upstream`);

      expect(emulator.stdout()).toMatch(/NOT EMULATED\s+GET\s+\/upstream/);
      // R13.6: SAM writes Cors into the inline document as an OPTIONS mock method; so does the emulator.
      expect(emulator.stdout()).toMatch(/emulated\s+OPTIONS\s+\/upstream\s+mock/);
      expect(res.status).toBe(500);
    } finally {
      await emulator.stop('SIGINT', 10_000);
    }
  });

  it('--strict refuses to start, listing what is not emulated', async () => {
    const run = await runEmulatorToExit(['--template', 'tests/e2e/fixtures/not-emulated/template.yaml', '--port', '0', '--strict']);

    expect(run.code, `stderr:\n${run.stderr}`).toBe(1);
    expect(run.stderr).toMatch(/--strict: .*not emulated/);
    expect(run.stderr).toContain('GET /upstream');
    expect(run.stdout).not.toContain('ready:');
  });
});

describe('emulator CLI with a function whose source does not build', () => {
  it('starts, names the file, key and source under Functions, and that function\'s route answers 502 with the reason logged', async () => {
    const { emulator, port } = await start('tests/e2e/fixtures/build-error/template.yaml');

    const res = await fetch(`${emulator.url}/broken`);

    expect(res.status).toBe(502);
    expect(await res.json()).toEqual({ message: 'Internal server error' });
    expect(emulator.stdout()).toMatch(/Functions:\n {2}BrokenFunction: did not build, its requests fail .*tests\/e2e\/fixtures\/build-error\/template\.yaml: Resources\.BrokenFunction: esbuild failed: .*broken\.ts/);
    await expectCleanShutdown(emulator, port);
    expect(emulator.stderr()).toMatch(/BrokenFunction: the local Lambda service failed: .*esbuild failed/);
  });
});

describe('emulator CLI refusing a bad configuration', () => {
  it.each([
    { given: 'a template that is not valid YAML', template: 'tests/e2e/fixtures/yaml-error/template.yaml', want: ['tests/e2e/fixtures/yaml-error/template.yaml', 'line'] },
    { given: 'a template file that does not exist', template: 'does/not/exist.yaml', want: ['does/not/exist.yaml', 'not found'] },
    {
      given: 'a template from which no API is served (never silent)',
      template: 'tests/e2e/fixtures/no-api/template.yaml',
      want: ['tests/e2e/fixtures/no-api/template.yaml', 'no API to serve', 'function event of Type Api or HttpApi, FunctionUrlConfig, SQS event source on a queue of the template, EventBridge rule with an EventPattern or a ScheduleExpression, EventBridge Scheduler schedule, SNS subscription of a function or queue, S3 bucket notification, DynamoDB or Kinesis stream event source, table with a Kinesis streaming destination, state machine or EventBridge pipe'],
    },
    {
      given: 'an integration URI that names no function',
      template: 'tests/e2e/fixtures/unknown-function/template.yaml',
      want: ['tests/e2e/fixtures/unknown-function/template.yaml', 'paths./orphan.get.x-amazon-apigateway-integration.uri', 'NoSuchFunction'],
    },
  ])('exits non-zero on $given, naming the file and key on stderr', async ({ template, want }) => {
    const run = await runEmulatorToExit(['--template', template, '--port', '0']);

    expect(run.code, `stdout:\n${run.stdout}\nstderr:\n${run.stderr}`).toBe(1);
    for (const text of want) expect(run.stderr).toContain(text);
    expect(run.stdout).not.toContain('ready:');
  });
});
