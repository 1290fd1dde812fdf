/**
 * Custom runtimes (provided.al2023, provided.al2): the function's `bootstrap` is the environment's process and gets its
 * invocations from the Lambda runtime API (emulator/lambda/runtime-api.ts), with the builds `sam build` runs for them
 * (BuildMethod go1.x, makefile) run here. The bootstraps are the fixture's: a Node.js one speaking plain HTTP, and a
 * shell one in the shape of AWS's custom runtime tutorial (curl).
 */
import { randomUUID } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { errorDocument } from '../../../emulator/lambda/error-document.js';
import { FakeClock } from './support/fake-clock.js';
import { payload } from './support/outcome.js';

const DIR = resolve('tests/emulator/fixtures/custom-runtime');
const FIXTURE = join(DIR, 'template.yaml');
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());
/** A custom build's folder: this gateway's own, per template and process, so that two gateways never share one. */
const customBuildDir = (logicalId: string): RegExp => new RegExp(`^${join(BUILD_DIR, 'custom')}/${logicalId}-[0-9a-f]{8}-${process.pid}$`);
/** The FAKE go command (no Go toolchain here): it writes a bootstrap that records how it was built. */
const FAKE_GO = join(DIR, 'fake-go');

describe('custom runtimes', () => {
  let service: LocalLambdaService;
  let notBuilt: { logicalId: string; error: string }[];
  const path = process.env.PATH;

  beforeAll(async () => {
    process.env.PATH = `${FAKE_GO}${delimiter}${path ?? ''}`;
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, extraEnvironment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' } });
    notBuilt = await service.prepare();
  });
  afterAll(async () => {
    process.env.PATH = path;
    await service.close();
    rmSync(BUILD_DIR, { recursive: true, force: true });
  });

  it('runs the bootstrap, hands it the event from `next` and returns what it posted to `response`', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { path: '/custom' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'ok', cold: true, payload: { statusCode: 200, body: '{"path":"/custom","runtime":"custom"}' } });
  });

  it('keeps the bootstrap running between invocations: one process serves each next invocation, warm', async () => {
    // Act
    const first = payload(await service.invoke('NodeBootstrapFunction', { action: 'env' }));
    const second = await service.invoke('NodeBootstrapFunction', { action: 'env' });

    // Assess
    expect(second).toMatchObject({ kind: 'ok', cold: false, payload: { invocations: (first.invocations as number) + 1 } });
  });

  it('`next` carries the invocation headers Lambda sends: request id, deadline, function ARN, trace id', async () => {
    // Act
    const before = Date.now();
    const result = payload(await service.invoke('NodeBootstrapFunction', { action: 'env' }, { requestId: 'c0ffee00-0000-4000-8000-000000000001', traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' }));

    // Assess
    const headers = result.headers as Record<string, string>;
    expect(headers).toMatchObject({
      'content-type': 'application/json',
      'lambda-runtime-aws-request-id': 'c0ffee00-0000-4000-8000-000000000001',
      'lambda-runtime-invoked-function-arn': 'arn:aws:lambda:us-east-1:123456789012:function:custom-node',
      'lambda-runtime-trace-id': expect.stringMatching(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$/),
    });
    // The function's Timeout (3 s) from when the invocation was handed over.
    const deadline = Number(headers['lambda-runtime-deadline-ms']);
    expect(deadline).toBeGreaterThanOrEqual(before + 3000);
    expect(deadline).toBeLessThanOrEqual(Date.now() + 3000);
  });

  it('`next` names a tenant-isolated function\'s tenant (Lambda-Runtime-Aws-Tenant-Id), and no other function\'s', async () => {
    // Act
    const isolated = payload(await service.invoke('IsolatedBootstrapFunction', { action: 'env' }, { tenantId: 'blue' }));
    const other = payload(await service.invoke('NodeBootstrapFunction', { action: 'env' }));

    // Assess
    expect((isolated.headers as Record<string, string>)['lambda-runtime-aws-tenant-id']).toBe('blue');
    expect(Object.keys(other.headers as Record<string, string>)).not.toContain('lambda-runtime-aws-tenant-id');
  });

  it('LS-rec test_lambda_with_context: `next` hands Invoke`s client context over as Lambda-Runtime-Client-Context (JSON), and only when there is one', async () => {
    const clientContext = JSON.stringify({ custom: { cart: 'c-7' } });

    const given = payload(await service.invoke('NodeBootstrapFunction', { action: 'env' }, { clientContext }));
    const none = payload(await service.invoke('NodeBootstrapFunction', { action: 'env' }));

    expect((given.headers as Record<string, string>)['lambda-runtime-client-context']).toBe(clientContext);
    expect(Object.keys(none.headers as Record<string, string>)).not.toContain('lambda-runtime-client-context');
  });

  it('gives the bootstrap Lambda\'s variables for an OS-only runtime: the runtime API, the Handler, the task root as working directory, no AWS_EXECUTION_ENV', async () => {
    // Act
    const result = payload(await service.invoke('NodeBootstrapFunction', { action: 'env' }));

    // Assess
    const env = result.env as Record<string, string>;
    expect(env).toMatchObject({
      AWS_LAMBDA_RUNTIME_API: expect.stringMatching(/^127\.0\.0\.1:\d+$/),
      _HANDLER: 'ignored.by.this.runtime',
      LAMBDA_TASK_ROOT: join(DIR, 'node-bootstrap'),
      AWS_LAMBDA_FUNCTION_NAME: 'custom-node',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '128',
      GREETING: 'hello-custom',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
    });
    expect(env).not.toHaveProperty('AWS_EXECUTION_ENV');
    expect(result.cwd).toBe(join(DIR, 'node-bootstrap'));
  });

  it('refuses a post for another request id (400 InvalidRequestID), an unknown path (404) and web pages (403), and the invocation still completes', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'wrong-id' });

    // Assess
    expect(payload(outcome)).toEqual({ refused: { status: 400, body: { errorMessage: 'Invalid request ID', errorType: 'InvalidRequestID' } }, unknown: 404, fromPage: 403, rebound: 403 });
  });

  it('accepts a response with 202 {"status":"OK"}; a second one for the same invocation is refused and changes nothing', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'twice' });
    const posts = payload(await service.invoke('NodeBootstrapFunction', { action: 'posts' }));

    // Assess
    expect(payload(outcome)).toEqual({ answer: 'first' });
    expect(posts).toEqual({
      posts: [
        { status: 202, body: '{"status":"OK"}\n' },
        { status: 400, body: '{"errorMessage":"Invalid request ID","errorType":"InvalidRequestID"}\n' },
      ],
    });
  });

  it('a response over Lambda\'s 6,291,556 bytes is refused with 413 and fails the invocation (Function.ResponseSizeTooLarge)', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'huge' });
    const posts = payload(await service.invoke('NodeBootstrapFunction', { action: 'posts' }));

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    expect(posts).toEqual({ posts: [{ status: 413, body: '{"errorMessage":"Exceeded maximum allowed payload size (6291556 bytes).","errorType":"RequestEntityTooLarge"}\n' }] });
  });

  it('a custom runtime\'s response need not be JSON: Invoke returns its bytes as they are', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'text' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'ok', raw: true, payload: 'plain words, not JSON' });
  });

  it('an error posted to `error` fails the invocation with the error document the runtime sent', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'error' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Boom', errorMessage: 'it broke', stackTrace: ['at handler (main.go:12)'] });
    expect(outcome.kind === 'function-error' && errorDocument(outcome, 'provided.al2023')).toEqual({ errorMessage: 'it broke', errorType: 'Boom', stackTrace: ['at handler (main.go:12)'] });
  });

  it('a bootstrap that exits mid-invocation fails it as Runtime.ExitError, and the next invocation starts a new one', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'exit' });
    const next = await service.invoke('NodeBootstrapFunction', { action: 'env' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Runtime exited with error: exit status 3$/) });
    expect(next).toMatchObject({ kind: 'ok', cold: true, payload: { invocations: 1 } });
  });

  it('a bootstrap that dies while posting its response fails the invocation as Runtime.ExitError, not as a payload too large', async () => {
    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'half-post' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/Runtime exited with error: exit status 4$/) });
  });

  it('an error posted to `init/error` fails the invocation that started the environment with that error', async () => {
    // Act
    const outcome = await service.invoke('InitFailFunction', {});

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', cold: true, errorType: 'InitBoom', errorMessage: 'config missing', stackTrace: ['at init'] });
  });

  it('runs the shell runtime of AWS\'s tutorial (curl against the runtime API)', async () => {
    // Act
    const outcome = await service.invoke('ShellFunction', { hello: 'world' });

    // Assess: the handler echoes the event's size, 17 bytes of JSON.
    expect(outcome).toMatchObject({ kind: 'ok', payload: { statusCode: 200, body: 'Echoing request: 17 bytes' } });
  });

  it('no bootstrap in the code nor a layer: each invocation fails as Lambda\'s init does (Runtime.InvalidEntrypoint), and the start says so', async () => {
    // Act
    const outcome = await service.invoke('NoBootstrapFunction', {});

    // Assess
    const errorMessage = expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Couldn't find valid bootstrap\(s\): \[\/var\/task\/bootstrap \/opt\/bootstrap\]$/);
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.InvalidEntrypoint', errorMessage });
    expect(outcome.kind === 'function-error' && errorDocument(outcome, 'provided.al2023')).toEqual({ errorType: 'Runtime.InvalidEntrypoint', errorMessage });
    expect(notBuilt).toContainEqual({ logicalId: 'NoBootstrapFunction', error: expect.stringContaining(`no bootstrap in ${join(DIR, 'empty')} nor in a layer`) });
  });

  it('a bootstrap that is not executable fails its init as Lambda\'s fork/exec does', async () => {
    // Act
    const outcome = await service.invoke('NotExecutableFunction', {});

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.InvalidEntrypoint', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: fork\/exec .*\/not-executable\/bootstrap: permission denied$/) });
  });

  it('a layer\'s makefile build is not run: the template\'s warnings say so once, and the layer is used as it is', async () => {
    // Act
    const { warnings } = await loadTemplate(FIXTURE);

    // Assess
    expect(warnings?.filter((w) => w.startsWith('Resources.RuntimeLayer.Metadata.BuildMethod'))).toEqual([
      'Resources.RuntimeLayer.Metadata.BuildMethod: "makefile" builds of layers are not run locally: the layer is used from sam build\'s output (.aws-sam/build/RuntimeLayer) or its ContentUri as it is',
    ]);
  });

  it('a layer\'s bootstrap (/opt/bootstrap) runs when the code has none', async () => {
    // Act
    const outcome = await service.invoke('LayerBootstrapFunction', { action: 'env' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'ok', payload: { env: { LAMBDA_TASK_ROOT: join(DIR, 'empty') } } });
  });

  it('BuildMethod go1.x: `go build -o <task root>/bootstrap .` in the CodeUri, and the binary runs as the bootstrap', async () => {
    // Act
    const result = payload(await service.invoke('GoFunction', { action: 'env' }));

    // Assess
    const env = result.env as Record<string, string>;
    const taskRoot = env.LAMBDA_TASK_ROOT ?? '';
    expect(taskRoot).toMatch(customBuildDir('GoFunction'));
    expect(env.BUILT_BY).toBe(`go build -o ${join(taskRoot, 'bootstrap')} . (in go-src)`);
  });

  it('the startup report says what runs each custom function and where its code comes from', () => {
    // Act
    const notes = service.customNotes();

    // Assess
    expect(notes).toContainEqual(expect.stringMatching(/^GoFunction: provided\.al2023, runs .*\/custom\/GoFunction-[0-9a-f]{8}-\d+\/bootstrap \(built with go1\.x in (\d+ ms|\d+\.\d s)\)$/));
    expect(notes).toContainEqual('ShellFunction: provided.al2023, runs tests/emulator/fixtures/custom-runtime/shell/bootstrap (its CodeUri as it is)');
    // Those that cannot start are in the list of functions that did not build instead.
    expect(notes.filter((n) => /^(NoBootstrap|NotExecutable)Function: /.test(n))).toEqual([]);
    expect(notBuilt).toContainEqual({ logicalId: 'NotExecutableFunction', error: expect.stringMatching(/^its bootstrap .*\/not-executable\/bootstrap is not executable \(chmod \+x it/) });
  });

  it('BuildMethod makefile: `make build-<LogicalId>` in a scratch copy of the CodeUri (its working directory and PWD), with ARTIFACTS_DIR, which becomes the task root', async () => {
    // Act
    const result = payload(await service.invoke('MakeFunction', {}));

    // Assess
    const taskRoot = result.taskRoot as string;
    expect(taskRoot).toMatch(customBuildDir('MakeFunction'));
    expect(result).toEqual({ taskRoot, cwd: taskRoot, made: expect.stringMatching(/^made in sam-make-\d+-\w+$/) });
    // The build wrote nothing into the sources.
    expect(existsSync(join(DIR, 'make-src', 'made.txt'))).toBe(false);
  });

  it.each([
    { given: 'Node.js', logicalId: 'MadeNodeFunction' },
    { given: 'Python', logicalId: 'MadePythonFunction' },
  ])('BuildMethod makefile on $given: the function runs from what its Makefile wrote to ARTIFACTS_DIR, its task root and working directory', async ({ logicalId }) => {
    // Act
    const result = payload(await service.invoke(logicalId, {}));

    // Assess
    const taskRoot = result.taskRoot as string;
    expect(taskRoot).toMatch(customBuildDir(logicalId));
    expect(result).toEqual({ stamp: 'made by make', cwd: taskRoot, taskRoot });
    expect(service.customNotes()).toContainEqual(expect.stringMatching(new RegExp(`^${logicalId}: (nodejs20\\.x|python3\\.12), runs from .*/custom/${logicalId}-[0-9a-f]{8}-\\d+ \\(built with makefile in (\\d+ ms|\\d+\\.\\d s)\\)$`)));
  });

  it('InvokeWithResponseStream: a runtime that streams its response hands on each piece as it is posted', async () => {
    // Prepare
    const pieces: string[] = [];

    // Act
    const outcome = await service.invoke('NodeBootstrapFunction', { action: 'stream' }, { onChunk: (bytes) => pieces.push(Buffer.from(bytes).toString()) });

    // Assess
    expect(outcome).toMatchObject({ kind: 'ok', payload: undefined });
    expect(pieces.join('')).toBe('first second');
    expect(pieces.length).toBeGreaterThanOrEqual(2);
  });
});

describe('custom runtimes\' limits, on a fake clock', () => {
  let clock: FakeClock;
  let service: LocalLambdaService;

  beforeEach(async () => {
    clock = new FakeClock();
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, clock });
  });
  afterEach(async () => {
    await service.close();
  });

  it('R1.50 enforces Timeout on a custom runtime and replaces its process', async () => {
    // Act
    const timedOut = service.invoke('NodeBootstrapFunction', { action: 'hang' });
    await clock.armed(3000);
    clock.advance(3000);
    const outcome = await timedOut;
    const next = await service.invoke('NodeBootstrapFunction', { action: 'env' });

    // Assess
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 3\.00 seconds$/) });
    expect(next).toMatchObject({ kind: 'ok', cold: true, payload: { invocations: 1 } });
  });
});

describe('a Go function where Go is not installed', () => {
  const path = process.env.PATH;
  const dir = mkdtempSync(join(tmpdir(), 'custom-go-'));
  afterEach(() => {
    process.env.PATH = path;
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  /**
   * A PATH with node only (no go), or with a FAKE go that fails as an offline `go build` does; a project with a Go
   * function; `samBuilt` adds sam build's output for it.
   */
  async function goProject(samBuilt: boolean, go: 'missing' | 'offline' = 'missing'): Promise<LocalLambdaService> {
    const bin = join(dir, `bin-${go}`);
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
    if (go === 'offline') {
      writeFileSync(join(bin, 'go'), '#!/bin/sh\necho "go: github.com/aws/aws-lambda-go@v1.47.0: dial tcp: lookup proxy.golang.org: no such host" >&2\nexit 1\n');
      chmodSync(join(bin, 'go'), 0o755);
    }
    process.env.PATH = bin;
    const project = join(dir, `${samBuilt ? 'built' : 'unbuilt'}-${go}`);
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'template.yaml'), 'Resources:\n  GoFn:\n    Type: AWS::Serverless::Function\n    Metadata: {BuildMethod: go1.x}\n    Properties: {Runtime: provided.al2023, Handler: bootstrap, CodeUri: src/}\n');
    if (samBuilt) {
      mkdirSync(join(project, '.aws-sam', 'build', 'GoFn'), { recursive: true });
      const bootstrap = join(project, '.aws-sam', 'build', 'GoFn', 'bootstrap');
      writeFileSync(bootstrap, `#!/bin/sh\nexec ${join(DIR, 'node-bootstrap', 'bootstrap')}\n`);
      chmodSync(bootstrap, 0o755);
    }
    return new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')), { buildDir: BUILD_DIR });
  }

  it.each([
    { given: 'Go is not installed', go: 'missing' as const, why: 'go is not on PATH' },
    { given: 'go build fails offline', go: 'offline' as const, why: 'go build -o' },
  ])('$given: runs sam build\'s output when it is there, and the report says why', async ({ go, why }) => {
    // Prepare
    const service = await goProject(true, go);

    // Act
    const notBuilt = await service.prepare();
    const outcome = await service.invoke('GoFn', { action: 'env' });
    const notes = service.customNotes();
    await service.close();

    // Assess
    expect(notBuilt).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'ok', payload: { env: { LAMBDA_TASK_ROOT: join(dir, `built-${go}`, '.aws-sam', 'build', 'GoFn') } } });
    expect(notes).toEqual([expect.stringMatching(new RegExp(`^GoFn: provided\\.al2023, runs .*built-${go}/\\.aws-sam/build/GoFn/bootstrap \\(sam build's output: its go1\\.x build here failed \\(${why}`))]);
  });

  it('a Node.js function whose Makefile cannot run (no make) runs from its CodeUri as it is, as before makefile builds ran here', async () => {
    // Prepare: PATH without make; sources that run as they are.
    const bin = join(dir, 'bin-no-make');
    mkdirSync(bin, { recursive: true });
    if (!existsSync(join(bin, 'node'))) symlinkSync(process.execPath, join(bin, 'node'));
    process.env.PATH = bin;
    const project = join(dir, 'node-no-make');
    mkdirSync(join(project, 'src'), { recursive: true });
    writeFileSync(join(project, 'src', 'Makefile'), 'build-NodeFn:\n\tcp app.js $(ARTIFACTS_DIR)/\n');
    writeFileSync(join(project, 'src', 'app.js'), "exports.handler = async () => 'from the sources';\n");
    writeFileSync(join(project, 'template.yaml'), 'Resources:\n  NodeFn:\n    Type: AWS::Serverless::Function\n    Metadata: {BuildMethod: makefile}\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/}\n');
    const service = new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')), { buildDir: BUILD_DIR });

    // Act
    const notBuilt = await service.prepare();
    const outcome = await service.invoke('NodeFn', {});
    const notes = service.customNotes();
    await service.close();

    // Assess
    expect(notBuilt).toEqual([]);
    expect(outcome).toMatchObject({ kind: 'ok', payload: 'from the sources' });
    expect(notes).toEqual([expect.stringMatching(/^NodeFn: nodejs20\.x, runs from .*node-no-make\/src \(its CodeUri as it is: its makefile build here failed \(make is not on PATH\)\)$/)]);
  });

  it('says what to install when nothing is built', async () => {
    // Prepare
    const service = await goProject(false);

    // Act
    const notBuilt = await service.prepare();
    await service.close();

    // Assess
    expect(notBuilt).toEqual([{ logicalId: 'GoFn', error: expect.stringContaining('go1.x build: go is not on PATH: install it, or run sam build (the function then runs from .aws-sam/build/GoFn)') }]);
  });
});

describe('a bootstrap built for another machine', () => {
  it('is not started: the start says so and each invocation fails with Lambda\'s exec format error', async () => {
    // Prepare: an ELF header for the CPU this machine is not (as a Makefile's GOARCH for Lambda builds it).
    const dir = mkdtempSync(join(tmpdir(), 'custom-foreign-'));
    const header = Buffer.alloc(64);
    header.writeUInt32BE(0x7f454c46, 0);
    header.writeUInt16LE(process.arch === 'arm64' ? 0x3e : 0xb7, 18);
    mkdirSync(join(dir, 'out'));
    writeFileSync(join(dir, 'out', 'bootstrap'), header);
    chmodSync(join(dir, 'out', 'bootstrap'), 0o755);
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: provided.al2023, Handler: bootstrap, CodeUri: out/}\n');
    const service = new LocalLambdaService(await loadTemplate(join(dir, 'template.yaml')), { buildDir: BUILD_DIR });

    try {
      // Act
      const notBuilt = await service.prepare();
      const outcome = await service.invoke('Fn', {});

      // Assess
      const other = process.arch === 'arm64' ? 'x86_64' : 'arm64';
      expect(notBuilt).toEqual([{ logicalId: 'Fn', error: expect.stringContaining(`is a linux/${other} binary (this machine is ${process.platform}/`) }]);
      expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.InvalidEntrypoint', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: fork\/exec .*\/out\/bootstrap: exec format error$/) });
    } finally {
      await service.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('makefile builds laid out as SAM reads them', () => {
  it.each([
    { given: 'CodeUri . (the build copies the folder that holds the gateway\'s own build output)', metadata: '{BuildMethod: makefile}', codeUri: '.', makefileAt: '.', want: 'made in sam-make-' },
    { given: 'ContextPath (the Makefile elsewhere) and ProjectRootDirectory (the code copied)', metadata: '{BuildMethod: makefile, ContextPath: build, ProjectRootDirectory: .}', codeUri: 'fn/', makefileAt: 'build', want: 'made in sam-make-' },
    { given: 'a WorkingDirectory inside the code (taken in the copy; the Makefile is the project root\'s)', metadata: '{BuildMethod: makefile, ProjectRootDirectory: ., WorkingDirectory: fn}', codeUri: 'fn/', makefileAt: '.', want: 'made in fn' },
  ])('$given', async ({ metadata, codeUri, makefileAt, want }) => {
    // Prepare: a project whose Makefile writes a Node.js handler that says where make ran.
    const project = mkdtempSync(join(tmpdir(), 'custom-make-layout-'));
    mkdirSync(join(project, 'fn'), { recursive: true });
    mkdirSync(join(project, makefileAt), { recursive: true });
    writeFileSync(join(project, makefileAt, 'Makefile'), 'build-Fn:\n\techo "exports.handler = async () => \\"made in $$(basename $$PWD)\\";" > $(ARTIFACTS_DIR)/app.js\n');
    writeFileSync(join(project, 'template.yaml'), `Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Metadata: ${metadata}\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: ${codeUri}}\n`);
    const cwd = process.cwd();
    // The gateway started in the project, as `npm start` there: its build folder is inside the code copied.
    process.chdir(project);
    const service = new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')));

    try {
      // Act
      const notBuilt = await service.prepare();
      const outcome = await service.invoke('Fn', {});

      // Assess
      expect(notBuilt).toEqual([]);
      expect(outcome).toMatchObject({ kind: 'ok', payload: expect.stringContaining(want) });
    } finally {
      await service.close();
      process.chdir(cwd);
      rmSync(project, { recursive: true, force: true });
    }
  });
});
