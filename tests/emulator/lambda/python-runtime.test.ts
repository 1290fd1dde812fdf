/**
 * Python functions in the local Lambda service: the runtime interface client (emulator/lambda/python-bootstrap.py)
 * on the local Python, with Lambda's handler rules, context, error shapes and limits (R1.50, R1.53).
 */
import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { pythonNotes } from '../../../emulator/lambda/python.js';
import { FakeClock } from './support/fake-clock.js';
import { payload } from './support/outcome.js';

const FIXTURE = resolve('tests/emulator/fixtures/python-app/template.yaml');
const CODE = resolve('tests/emulator/fixtures/python-app/hello');
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());

describe('Python functions', () => {
  let service: LocalLambdaService;

  beforeAll(async () => {
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, extraEnvironment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' } });
    await service.prepare();
  });
  afterAll(async () => {
    await service.close();
    rmSync(BUILD_DIR, { recursive: true, force: true });
  });

  it('runs the hello world `sam init` writes: the handler\'s dict is the result', async () => {
    const outcome = await service.invoke('HelloWorldFunction', {});

    expect(outcome).toMatchObject({ kind: 'ok', cold: true, payload: { statusCode: 200, body: '{"message": "hello world"}' } });
  });

  it('R2.1 keeps the result`s JSON as the Python runtime wrote it (json.dumps: ", " and ": "), which Invoke and a non-proxy integration return byte for byte', async () => {
    const outcome = await service.invoke('InlineFunction', { a: [1, 2], é: 'ü' });

    expect(outcome).toMatchObject({ kind: 'ok', payloadJson: '{"inline": true, "echo": {"a": [1, 2], "\\u00e9": "\\u00fc"}}' });
  });

  it('R2.1 writes non-ASCII characters as themselves on python3.12 and later (awslambdaric`s Encoder: ensure_ascii=False there only)', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'unicode' });

    expect(outcome).toMatchObject({ kind: 'ok', payloadJson: '{"text": "café €"}' });
  });

  it('an environment ignores the SIGINT Ctrl-C sends the whole process group (the gateway stops it itself): no KeyboardInterrupt', async () => {
    // Prepare
    const { pid } = payload(await service.invoke('BehaviorFunction', { action: 'pid' })) as { pid: number };

    // Act
    process.kill(pid, 'SIGINT');
    const after = await service.invoke('BehaviorFunction', { action: 'pid' });

    // Assess: the same environment answers, warm.
    expect(after).toMatchObject({ kind: 'ok', cold: false, payload: { pid } });
  });

  it('keeps the environment warm between invocations (module state survives, as in one Lambda environment)', async () => {
    const first = payload(await service.invoke('BehaviorFunction', { action: 'count' }));
    const second = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(second).toMatchObject({ kind: 'ok', cold: false, payload: { invocations: (first.invocations as number) + 1 } });
  });

  it('gives the function Lambda\'s variables, its own, the code folder as working directory and first import path', async () => {
    const result = payload(await service.invoke('BehaviorFunction', { action: 'env' }));

    expect(result.env).toMatchObject({
      GREETING: 'hi-from-python',
      TABLE_NAME: 'py-items',
      AWS_LAMBDA_FUNCTION_NAME: 'py-behavior',
      AWS_EXECUTION_ENV: 'AWS_Lambda_python3.12',
      _HANDLER: 'behavior.handler',
      LAMBDA_TASK_ROOT: CODE,
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
    });
    // The gateway's channel is not the function's business (its own subprocesses would inherit it).
    expect(Object.keys(result.env as object)).not.toContain('NODE_CHANNEL_FD');
    expect(result.cwd).toBe(CODE);
    expect((result.path as string[])[0]).toBe(CODE);
  });

  it('sets _X_AMZN_TRACE_ID for each invocation as the Python runtime does: the caller`s Root and Sampled, a Parent of its own', async () => {
    // Act
    const traced = payload(await service.invoke('BehaviorFunction', { action: 'env' }, { traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1' }));
    const untraced = payload(await service.invoke('BehaviorFunction', { action: 'env' }));

    // Assess
    expect((traced.env as Record<string, string>)._X_AMZN_TRACE_ID).toMatch(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$/);
    expect((untraced.env as Record<string, string>)._X_AMZN_TRACE_ID).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
  });

  it('hands the handler a context with Lambda\'s Python attribute names and the remaining time', async () => {
    const result = payload(await service.invoke('BehaviorFunction', { action: 'context' }));

    expect(result).toMatchObject({
      function_name: 'py-behavior',
      function_version: '$LATEST',
      invoked_function_arn: 'arn:aws:lambda:us-east-1:123456789012:function:py-behavior',
      memory_limit_in_mb: '256',
      log_group_name: '/aws/lambda/py-behavior',
      identity: [null, null],
      client_context: null,
      tenant_id: null,
    });
    expect(result.aws_request_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(result.log_stream_name).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(result.remaining).toBeGreaterThan(0);
    expect(result.remaining).toBeLessThanOrEqual(1000);
  });

  it.each([
    { given: 'a handler in a module under a folder ("pkg/handlers.main")', id: 'NestedModuleFunction', event: {}, want: { module: 'pkg.handlers' } },
    { given: 'inline code (Code.ZipFile, written to index.py)', id: 'InlineFunction', event: { a: 1 }, want: { inline: true, echo: { a: 1 } } },
    { given: 'a Decimal (as boto3 reads DynamoDB numbers): a JSON number', id: 'BehaviorFunction', event: { action: 'decimal' }, want: { price: 12.5 } },
  ])('loads and answers: $given', async ({ id, event, want }) => {
    expect(payload(await service.invoke(id, event))).toEqual(want);
  });

  it('writes a Decimal as its own digits, as the runtime`s marshaller (simplejson RawJSON of str(value)) does: 5, not 5.0; 1.10; 23 digits unrounded', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'decimal-digits' });

    expect(outcome).toMatchObject({ kind: 'ok', payloadJson: '{"count": 5, "price": 1.10, "id": 12345678901234567890123}' });
  });

  it('answers null when the handler returns None', async () => {
    expect(await service.invoke('BehaviorFunction', { action: 'none' })).toMatchObject({ kind: 'ok', payload: null });
  });

  it('reports an exception as Lambda\'s Python runtime does: class name, message, the frames', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'raise' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'ValueError', errorMessage: 'the function refused' });
    const frames = outcome.kind === 'function-error' ? outcome.stackTrace : [];
    // The trace starts at the handler, as AWS's does: none of the runtime's own frames (LocalStack's recorded test).
    expect(frames).toHaveLength(1);
    expect(frames[0]).toMatch(/^ {2}File ".*behavior\.py", line \d+, in handler\n {4}raise ValueError\("the function refused"\)\n$/);
    expect(outcome).toMatchObject({ requestId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
  });

  it('a frame is file, line, name and code only: no ^^^ column markers (Python 3.11+ adds them; Lambda`s trace has none)', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'divide' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'ZeroDivisionError' });
    const frames = outcome.kind === 'function-error' ? outcome.stackTrace : [];
    expect(frames).toEqual([expect.stringMatching(/^ {2}File ".*behavior\.py", line \d+, in handler\n {4}return \{"ratio": 1 \/ event\.get\("by", 0\) \+ 0\}\n$/)]);
  });

  it.each([
    { given: 'a set (the message of the runtime`s encoder, simplejson)', action: 'set', want: 'Unable to marshal response: Object of type set is not JSON serializable' },
    { given: 'a NaN float', action: 'nan', want: 'Unable to marshal response: Out of range float values are not JSON compliant' },
  ])('refuses a result that is no JSON ($given) with Runtime.MarshalError', async ({ action, want }) => {
    const outcome = await service.invoke('BehaviorFunction', { action });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.MarshalError' });
    expect(outcome.kind === 'function-error' && outcome.errorMessage).toContain(want);
  });

  it.each([
    { given: 'a module that does not exist', id: 'MissingModuleFunction', type: 'Runtime.ImportModuleError', message: "Unable to import module 'nothere': No module named 'nothere'" },
    { given: 'a dependency that is not installed', id: 'MissingDependencyFunction', type: 'Runtime.ImportModuleError', message: "Unable to import module 'needs_package': No module named 'package_not_installed_anywhere'" },
    { given: 'no such function in the module', id: 'MissingHandlerFunction', type: 'Runtime.HandlerNotFound', message: "Handler 'no_such_handler' missing on module 'app'" },
    { given: 'a syntax error', id: 'SyntaxErrorFunction', type: 'Runtime.UserCodeSyntaxError', message: "Syntax error in module 'bad_syntax': " },
    // Wording of awslambdaric bootstrap._get_handler (aws/aws-lambda-python-runtime-interface-client).
    { given: 'a built-in module as handler module', id: 'BuiltinModuleFunction', type: 'Runtime.BuiltInModuleConflict', message: 'Cannot use built-in module sys as a handler module' },
    { given: 'an exception raised while the module loads', id: 'InitRaisesFunction', type: 'KeyError', message: "'SETTING_THAT_IS_NOT_SET'" },
  ])('fails the init phase on $given, with Lambda\'s error type and message', async ({ id, type, message }) => {
    const outcome = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: type, cold: true });
    expect(outcome.kind === 'function-error' && outcome.errorMessage).toContain(message);
  });

  it('reports a syntax error`s place as awslambdaric does: one frame, "Line", four spaces, the line as Python read it', async () => {
    const outcome = await service.invoke('SyntaxErrorFunction', {});

    expect(outcome.kind === 'function-error' && outcome.stackTrace).toEqual([
      expect.stringMatching(/^ {2}File ".*bad_syntax\.py" Line 1\n {4}def handler\(event, context\)\n$/),
    ]);
  });

  it('ends the environment when the handler exits the process (Runtime.ExitError), and starts a new one', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'exit' });
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ExitError', errorMessage: expect.stringContaining('Error: Runtime exited with error: exit status 3') });
    expect(next).toMatchObject({ kind: 'ok', cold: true });
  });

  // SystemExit and KeyboardInterrupt are no Exception: awslambdaric lets them end the runtime's process.
  it.each([
    { given: 'sys.exit(0)', event: { action: 'exit', code: 0 }, why: 'Runtime exited without providing a reason' },
    { given: 'sys.exit("bye") (a message: status 1)', event: { action: 'exit', code: 'bye' }, why: 'Runtime exited with error: exit status 1' },
    { given: 'os._exit(5)', event: { action: 'os-exit' }, why: 'Runtime exited with error: exit status 5' },
    { given: 'an uncaught KeyboardInterrupt (Python ends itself with SIGINT)', event: { action: 'interrupt' }, why: 'Runtime exited with error: signal: interrupt' },
  ])('$given: Runtime.ExitError "$why", and the next invocation gets a new environment', async ({ event, why }) => {
    const outcome = await service.invoke('BehaviorFunction', event);
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(new RegExp(`^RequestId: [0-9a-f-]{36} Error: ${why}$`)) });
    expect(next).toMatchObject({ kind: 'ok', cold: true });
  });
});

describe('Python functions\' limits, on a fake clock', () => {
  let clock: FakeClock;
  let service: LocalLambdaService;

  beforeEach(async () => {
    clock = new FakeClock();
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, clock });
  });
  afterEach(async () => {
    await service.close();
  });

  it('R1.50 enforces Timeout on a Python handler and replaces its environment', async () => {
    const timedOut = service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 });
    await clock.armed(1000);
    clock.advance(1000);
    const outcome = await timedOut;
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/) });
    expect(next).toMatchObject({ kind: 'ok', cold: true, payload: { invocations: 1 } });
  });

  it('a Python function that grows past MemorySize is ended as Runtime.OutOfMemory (the resident-memory watchdog), and the next invocation gets a new environment', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'oom' });
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.OutOfMemory', errorMessage: expect.stringContaining('Runtime exited with error: signal: killed') });
    expect(next).toMatchObject({ kind: 'ok', cold: true, payload: { invocations: 1 } });
  });

  it('R1.53 the caller\'s deadline ends a Python invocation that runs past it', async () => {
    const invocation = service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 }, { deadlineMs: 100 });
    await clock.armed(100);
    clock.advance(100);

    expect(await invocation).toEqual({ kind: 'deadline-exceeded', durationMs: 100 });
  });
});

describe('Python functions in watch mode', () => {
  it('a changed .py file replaces the warm environments: the next request runs the new code, cold', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'py-watch-'));
    writeFileSync(join(dir, 'template.yaml'), 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Properties: {Runtime: python3.12, Handler: app.handler, CodeUri: .}\n');
    writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return "v1"\n');
    let reloaded!: () => void;
    const reload = new Promise<void>((r) => (reloaded = r));
    const service = new LocalLambdaService(await loadTemplate(join(dir, 'template.yaml')), { buildDir: BUILD_DIR, watch: true, onCodeChange: () => reloaded() });

    const before = await service.invoke('Fn', {});
    writeFileSync(join(dir, 'app.py'), 'def handler(event, context):\n    return "v2"\n');
    await reload;
    const after = await service.invoke('Fn', {});
    await service.close();
    rmSync(dir, { recursive: true, force: true });

    expect(before).toMatchObject({ kind: 'ok', payload: 'v1' });
    expect(after).toMatchObject({ kind: 'ok', payload: 'v2', cold: true });
  });
});

describe('pythonNotes (the startup report\'s line per Python runtime)', () => {
  it.each([
    { given: 'the same minor version', runtime: 'python3.11', version: '3.11.7', want: /^python3\.11: runs on the local Python 3\.11\.7 \(python3, with its installed packages\)$/ },
    { given: 'another minor version, naming the command that did not run', runtime: 'python3.12', version: '3.11.7', want: /python3\.12: runs on the local Python 3\.11\.7 .*; WARNING: not python3\.12 \(no python3\.12 command on PATH that runs: install it, or activate it, e\.g\. pyenv global\/shell\)/ },
    { given: 'a 3.1x runtime on 3.1', runtime: 'python3.13', version: '3.1.0', want: /WARNING: not python3\.13/ },
  ])('$given', ({ runtime, version, want }) => {
    expect(pythonNotes(new Map([[runtime, { command: 'python3', version, executable: '/usr/bin/python3' }]]))).toEqual([expect.stringMatching(want)]);
  });

  it('says when no interpreter was found', () => {
    expect(pythonNotes(new Map([['python3.12', undefined]]))).toEqual(['python3.12: no python3 on PATH; its functions fail (500) until one is installed']);
  });
});
