import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { defaultConcurrency } from '../../../emulator/lambda/pool.js';
import type { InvokeOutcome } from '../../../emulator/lambda/types.js';
import { FakeClock } from './support/fake-clock.js';
import { payload } from './support/outcome.js';

const FIXTURE = resolve('tests/emulator/fixtures/runtime-app/template.yaml');
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());

describe('LocalLambdaService', () => {
  let service: LocalLambdaService;
  // The gateway's notices (the install hints).
  const notices: string[] = [];
  let notServed: Server;

  beforeAll(async () => {
    // A stand-in for the emulator's "not served" endpoint: answers every AWS call at once with an error.
    notServed = createServer((_req, res) => {
      res.writeHead(400, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify({ __type: 'NotServedByEmulator', message: 'service not emulated' }));
    });
    await new Promise<void>((r) => notServed.listen(0, '127.0.0.1', r));
    const endpoint = `http://127.0.0.1:${(notServed.address() as AddressInfo).port}`;
    const template = await loadTemplate(FIXTURE);
    service = new LocalLambdaService(template, {
      buildDir: BUILD_DIR,
      notice: (line) => notices.push(line),
      notServedEndpoint: endpoint,
      extraEnvironment: { AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1' },
      maxConcurrencyPerFunction: 3,
    });
    await service.prepare();
  });

  afterAll(async () => {
    await service.close();
    await new Promise((r) => notServed.close(r));
    rmSync(BUILD_DIR, { recursive: true, force: true });
  });

  it('gives each function its own environment: template variables plus the standard Lambda ones', async () => {
    const behavior = payload(await service.invoke('BehaviorFunction', { action: 'env' }));
    const env = behavior.env as Record<string, string>;

    expect(behavior.shout).toBe('HELLO-FROM-BEHAVIOR!');
    expect(env).toMatchObject({
      GREETING: 'hello-from-behavior',
      TABLE_NAME: 'tasks-dev',
      AWS_REGION: 'us-east-1',
      AWS_DEFAULT_REGION: 'us-east-1',
      AWS_LAMBDA_FUNCTION_NAME: 'local-behavior',
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: '256',
      AWS_LAMBDA_LOG_GROUP_NAME: '/aws/lambda/local-behavior',
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      _HANDLER: 'behavior.handler',
      TZ: ':UTC',
      AWS_XRAY_CONTEXT_MISSING: 'LOG_ERROR',
      AWS_XRAY_DAEMON_ADDRESS: '127.0.0.1:2000',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    // Lambda does not set it; under it Powertools' event handlers answer errors with their stack trace.
    expect(env.POWERTOOLS_DEV).toBeUndefined();
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    // Its working directory is its code folder, as /var/task is on Lambda (it was the gateway's own folder).
    expect(behavior.cwd).toBe(env.LAMBDA_TASK_ROOT);
    expect(behavior.cwd).not.toBe(process.cwd());
    expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
  });

  it('sets _X_AMZN_TRACE_ID for each invocation, as the Node.js runtime does from Lambda-Runtime-Trace-Id', async () => {
    // Act
    const first = payload(await service.invoke('BehaviorFunction', { action: 'env' }));
    const second = payload(await service.invoke('BehaviorFunction', { action: 'env' }, { traceHeader: 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1' }));

    // Assess
    const traceOf = (result: Record<string, unknown>) => (result.env as Record<string, string>)._X_AMZN_TRACE_ID;
    expect(traceOf(first)).toMatch(/^Root=1-[0-9a-f]{8}-[0-9a-f]{24};Parent=[0-9a-f]{16};Sampled=0$/);
    // The caller's trace goes on; the Parent is the function's own segment, not the caller's.
    expect(traceOf(second)).toMatch(/^Root=1-5759e988-bd862e3fe1be46a994272793;Parent=[0-9a-f]{16};Sampled=1$/);
    expect(traceOf(second)).not.toContain('53995c3f42cd8ad8');
  });

  it('isolates environments between functions (and from the emulator process)', async () => {
    const plain = payload(await service.invoke('PlainFunction', {}));
    const ts = payload(await service.invoke('TsPlainFunction', { name: 'ana' }));

    expect(plain.greeting).toBe('plain');
    expect(ts).toEqual({ kind: 'ts-plain', text: 'ANA!', greeting: 'global' });
    expect(process.env.GREETING).toBeUndefined();
  });

  it('a TypeScript handler with no build step fails as Lambda`s runtime fails it: Runtime.ImportModuleError, with why', async () => {
    const outcome = await service.invoke('TsNoBuildFunction', { name: 'ana' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ImportModuleError' });
    expect((outcome as { errorMessage: string }).errorMessage).toMatch(/Cannot find module '[^']*tsplain\.js'/);
    expect((outcome as { errorMessage: string }).errorMessage).not.toContain('is TypeScript');
    expect(notices).toContainEqual(expect.stringMatching(/^TsNoBuildFunction: \S*tsplain\.ts is TypeScript, and the function has no build step: Lambda runs JavaScript, which sam build makes from TypeScript only with Metadata BuildMethod: esbuild/));
  });

  it('reuses a warm environment: module state survives, second call is warm', async () => {
    const first = await service.invoke('PlainFunction', {});
    const second = await service.invoke('PlainFunction', {});

    expect(second.kind === 'ok' && second.cold).toBe(false);
    expect(payload(second).count).toBe((payload(first).count as number) + 1);
    expect(service.environmentCount('PlainFunction')).toBe(1);
  });

  it('an invocation given a request id (a function URL`s) runs with it as context.awsRequestId', async () => {
    const ctx = payload(await service.invoke('BehaviorFunction', { action: 'context' }, { requestId: '0f0e8a43-1111-4222-8333-944445555666' }));
    expect(ctx.awsRequestId).toBe('0f0e8a43-1111-4222-8333-944445555666');
  });

  it('passes a Lambda context object, with getRemainingTimeInMillis under the Timeout', async () => {
    const ctx = payload(await service.invoke('BehaviorFunction', { action: 'context' }));

    expect(ctx).toMatchObject({
      awsRequestId: expect.stringMatching(/^[0-9a-f-]{36}$/),
      functionName: 'local-behavior',
      functionVersion: '$LATEST',
      invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:local-behavior',
      memoryLimitInMB: '256',
      logGroupName: '/aws/lambda/local-behavior',
      callbackWaitsForEmptyEventLoop: true,
    });
    expect(ctx.remaining).toBeGreaterThan(0);
    expect(ctx.remaining).toBeLessThanOrEqual(1000);
  });

  it('returns null for a handler that returns undefined (Lambda serialises the result as JSON)', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'undefined' });

    expect(outcome).toMatchObject({ kind: 'ok', payload: null });
  });

  it('reports a thrown error as function-error with errorType, errorMessage and stack', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'throw' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'ValidationError', errorMessage: 'title is required' });
    expect(outcome.kind === 'function-error' && outcome.stackTrace[0]).toBe('ValidationError: title is required');
  });

  it('supports callback-style handlers, including callback(error)', async () => {
    const outcome = await service.invoke('PlainFunction', { fail: true });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Error', errorMessage: 'callback failure' });
  });

  it('process.exit(0) in the handler → Runtime.ExitError "without providing a reason", in Lambda`s words with the request id', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'exit', code: 0 }, { requestId: '0f0e8a43-1111-4222-8333-944445555777' });
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ExitError', errorMessage: 'RequestId: 0f0e8a43-1111-4222-8333-944445555777 Error: Runtime exited without providing a reason' });
  });

  it('a result over 6,291,556 bytes → Function.ResponseSizeTooLarge, as Lambda refuses it; the environment serves on', async () => {
    const outcome = await service.invoke('BehaviorFunction', { action: 'big' });
    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Function.ResponseSizeTooLarge', errorMessage: 'Response payload size exceeded maximum allowed payload size (6291556 bytes).' });
    expect(await service.invoke('BehaviorFunction', { action: 'count' })).toMatchObject({ kind: 'ok', cold: false });
  });

  it('process.exit in the handler → Runtime.ExitError, and the service keeps serving', async () => {
    const crashed = await service.invoke('BehaviorFunction', { action: 'exit' });
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(crashed).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ExitError', errorMessage: expect.stringMatching(/Runtime exited with error: exit status 3$/) });
    expect(next).toMatchObject({ kind: 'ok', cold: true });
  });

  it('an uncaught exception in a later tick fails the invocation with that error and replaces the environment', async () => {
    const crashed = await service.invoke('BehaviorFunction', { action: 'crash-later' });
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(crashed).toMatchObject({ kind: 'function-error', errorType: 'RangeError', errorMessage: 'boom in a later tick' });
    expect(next).toMatchObject({ kind: 'ok', cold: true, payload: { invocations: 1 } });
  });

  it('serves concurrent invocations in separate environments, growing the pool', async () => {
    const [a, b] = await Promise.all([
      service.invoke('BehaviorFunction', { action: 'sleep', ms: 200 }),
      service.invoke('BehaviorFunction', { action: 'sleep', ms: 200 }),
    ]);

    expect(a.kind).toBe('ok');
    expect(b.kind).toBe('ok');
    expect(service.environmentCount('BehaviorFunction')).toBeGreaterThanOrEqual(2);
  });

  it('queues beyond the concurrency cap instead of failing', async () => {
    const outcomes = await Promise.all(Array.from({ length: 5 }, () => service.invoke('TsPlainFunction', { name: 'q' })));

    expect(outcomes.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok', 'ok']);
    expect(service.environmentCount('TsPlainFunction')).toBeLessThanOrEqual(3);
  });

  it('an AWS call to a service the emulator does not serve fails at once through AWS_ENDPOINT_URL (no retries)', async () => {
    const result = payload(await service.invoke('BehaviorFunction', { action: 'secret' }));

    expect(result.name).toBe('NotServedByEmulator');
    expect(result.attempts).toBe(1);
  });

  it('an unknown logical id is rejected with a clear error', async () => {
    await expect(service.invoke('Nope', {})).rejects.toThrow(/Resources\.Nope: no AWS::Serverless::Function/);
  });
});

describe('LocalLambdaService memory', () => {
  let service: LocalLambdaService;

  beforeAll(async () => {
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR });
  });
  afterAll(async () => {
    await service.close();
  });

  it('a function whose JS heap outgrows its MemorySize ends its environment, and the next call gets a fresh one', async () => {
    const hog = await service.invoke('MemoryHogFunction', { grow: true });
    const after = await service.invoke('MemoryHogFunction', {});

    // Whichever comes first: the memory watchdog (Runtime.OutOfMemory, killed) or V8's heap limit (aborted).
    expect(hog).toMatchObject({ kind: 'function-error', errorMessage: expect.stringMatching(/Runtime exited with error: signal: (killed|aborted)$/) });
    expect(['Runtime.OutOfMemory', 'Runtime.ExitError']).toContain(hog.kind === 'function-error' && hog.errorType);
    expect(after).toMatchObject({ kind: 'ok', payload: { ok: true }, cold: true });
  });
});

/**
 * Lets `limitMs` of wall time pass of which `waitingMs` the environment spent waiting for a CPU, then the
 * missing `waitingMs`; says whether the invocation had settled before its own time reached the limit.
 */
async function settledWhileWaitingForCpu(clock: FakeClock, invocation: Promise<InvokeOutcome>, limitMs: number, waitingMs: number): Promise<boolean> {
  let settled = false;
  void invocation.finally(() => (settled = true));
  await clock.armed(limitMs);
  clock.advance(limitMs, waitingMs);
  await clock.armed(waitingMs);
  const early = settled;
  clock.advance(waitingMs);
  return early;
}

describe('LocalLambdaService limits, on a fake clock (no test waits for real time to pass)', () => {
  let clock: FakeClock;
  let service: LocalLambdaService;

  beforeEach(async () => {
    clock = new FakeClock();
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, clock, maxConcurrencyPerFunction: 4 });
  });
  afterEach(async () => {
    await service.close();
  });

  it('R1.50 enforces Timeout: "Task timed out after N.NN seconds", then replaces the environment', async () => {
    const timedOut = service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 });
    await clock.armed(1000);
    clock.advance(1000);
    const outcome = await timedOut;
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Sandbox.Timedout', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/), durationMs: 1000 });
    expect(next).toMatchObject({ kind: 'ok', cold: true, payload: { invocations: 1 } });
  });

  it('R1.50 time spent waiting for a CPU does not count against Timeout (a loaded machine is not the function)', async () => {
    const invocation = service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 });

    expect(await settledWhileWaitingForCpu(clock, invocation, 1000, 400)).toBe(false);
    expect(await invocation).toMatchObject({ kind: 'function-error', errorMessage: expect.stringMatching(/^RequestId: [0-9a-f-]{36} Error: Task timed out after 1\.00 seconds$/), durationMs: 1400 });
  });

  it('R1.53 deadline-exceeded when the caller deadline passes first; the busy environment is replaced', async () => {
    await service.invoke('BehaviorFunction', { action: 'count' });
    const invocation = service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 }, { deadlineMs: 100 });
    await clock.armed(100);
    clock.advance(100);
    const outcome = await invocation;
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(outcome).toEqual({ kind: 'deadline-exceeded', durationMs: 100 });
    expect(next).toMatchObject({ kind: 'ok', cold: true });
  });

  it('R1.53 the caller deadline counts the environment\'s own time: waiting for a CPU does not make it pass', async () => {
    await service.invoke('BehaviorFunction', { action: 'count' });
    const invocation = service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 }, { deadlineMs: 100 });

    expect(await settledWhileWaitingForCpu(clock, invocation, 100, 60)).toBe(false);
    expect(await invocation).toEqual({ kind: 'deadline-exceeded', durationMs: 160 });
  });

  it('waiting in line for a busy function counts against the caller deadline; the busy calls still finish', async () => {
    const busy = Array.from({ length: 4 }, () => service.invoke('BehaviorFunction', { action: 'sleep', ms: 300 }));
    const queued = service.invoke('BehaviorFunction', { action: 'count' }, { deadlineMs: 200 });
    await clock.armed(200);
    clock.advance(200);

    // It never ran: said so (the log lines of the gateway name it), unlike a function that ran out of time.
    expect(await queued).toEqual({ kind: 'deadline-exceeded', durationMs: 200, queued: true });
    expect((await Promise.all(busy)).map((o) => o.kind)).toEqual(['ok', 'ok', 'ok', 'ok']);
  });

  it("a module that never finishes loading fails the invoke at Lambda's 10 s init limit", async () => {
    const invocation = service.invoke('HangingInitFunction', {});
    await clock.armed(10_000);
    clock.advance(10_000);

    expect(await invocation).toMatchObject({ kind: 'function-error', errorType: 'Runtime.InitTimeout', errorMessage: 'Init phase did not complete within 10.00 seconds', cold: true });
  });

  it('the init limit counts the init\'s own time: 10 s of wall time of which 6 s waiting for a CPU is not enough', async () => {
    const invocation = service.invoke('HangingInitFunction', {});

    expect(await settledWhileWaitingForCpu(clock, invocation, 10_000, 6_000)).toBe(false);
    expect(await invocation).toMatchObject({ kind: 'function-error', errorType: 'Runtime.InitTimeout' });
  });

  it('the caller deadline (integration timeout) ends a hanging init first when it is shorter', async () => {
    const invocation = service.invoke('HangingInitFunction', {}, { deadlineMs: 100 });
    await clock.armed(100);
    clock.advance(100);

    expect(await invocation).toEqual({ kind: 'deadline-exceeded', durationMs: 100 });
  });

  it('the hung environments are replaced, not kept: the pool does not fill up with them', async () => {
    const invocations = Array.from({ length: 4 }, () => service.invoke('HangingInitFunction', {}));
    await clock.armed(10_000, 4);
    clock.advance(10_000);
    const outcomes = await Promise.all(invocations);

    expect(outcomes.map((o) => o.kind)).toEqual(['function-error', 'function-error', 'function-error', 'function-error']);
    expect(service.environmentCount('HangingInitFunction')).toBe(0);
  });
});

describe('scale-out past one environment per core, on a fake clock', () => {
  const steady = defaultConcurrency();
  let clock: FakeClock;
  let service: LocalLambdaService;
  let busy: Promise<InvokeOutcome>[];

  /** Every environment the pool keeps is running a call that will not end before the test does. */
  async function allBusy(): Promise<void> {
    busy = Array.from({ length: steady }, () => service.invoke('BehaviorFunction', { action: 'sleep', ms: 60_000 }));
    // Each busy call has reached its handler once its 1 s Timeout is armed.
    await clock.armed(1000, steady);
  }

  afterEach(async () => {
    await service.close();
    await Promise.allSettled(busy);
  });

  it('Lambda scales out: a call that waited afterMs gets an environment of its own, up to the ceiling; it leaves when no call waits', async () => {
    // Prepare
    clock = new FakeClock();
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, clock, scaleOut: { ceiling: steady + 1, afterMs: 500 } });
    await allBusy();
    const first = service.invoke('BehaviorFunction', { action: 'count' });
    const second = service.invoke('BehaviorFunction', { action: 'count' });
    await clock.armed(500, 2);

    // Act
    clock.advance(500);
    const outcomes = await Promise.all([first, second]);

    // Assess: one environment past the steady size served both waiters in turn, the ceiling kept a second from starting.
    expect(outcomes).toEqual([expect.objectContaining({ kind: 'ok', cold: true, payload: expect.objectContaining({ invocations: 1 }) }), expect.objectContaining({ kind: 'ok', cold: false, payload: expect.objectContaining({ invocations: 2 }) })]);
    expect(service.environmentCount('BehaviorFunction')).toBe(steady);
  });

  it('a given maxConcurrencyPerFunction is a hard cap: the waiting call gets no environment of its own', async () => {
    // Prepare
    clock = new FakeClock();
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, clock, maxConcurrencyPerFunction: steady, scaleOut: { ceiling: steady + 1, afterMs: 500 } });
    await allBusy();
    let settled = false;
    const waiting = service.invoke('BehaviorFunction', { action: 'count' }, { deadlineMs: 800 }).finally(() => (settled = true));
    await clock.armed(800);

    // Act
    clock.advance(500);
    // A loop turn, so that a call handed an environment would have settled by now.
    await new Promise((resolve) => setImmediate(resolve));

    // Assess: still in line, then out of time in line.
    expect(service.environmentCount('BehaviorFunction')).toBe(steady);
    expect(settled).toBe(false);
    clock.advance(300);
    expect(await waiting).toEqual({ kind: 'deadline-exceeded', durationMs: 800, queued: true });
  });
});
