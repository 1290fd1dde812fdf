import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import type { InvokeOutcome } from '../../../emulator/lambda/types.js';

const FIXTURE = resolve('tests/emulator/fixtures/runtime-app/template.yaml');
const BUILD_DIR = resolve('.emulator/test-build', randomUUID());

function payload(outcome: InvokeOutcome): Record<string, unknown> {
  if (outcome.kind !== 'ok') throw new Error(`expected ok, got ${JSON.stringify(outcome)}`);
  return outcome.payload as Record<string, unknown>;
}

describe('LocalLambdaService', () => {
  let service: LocalLambdaService;
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
      POWERTOOLS_DEV: 'true',
      AWS_ENDPOINT_URL_DYNAMODB: 'http://127.0.0.1:1',
      AWS_ENDPOINT_URL: expect.stringMatching(/^http:\/\/127\.0\.0\.1:\d+$/),
    });
    expect(env.AWS_LAMBDA_LOG_STREAM_NAME).toMatch(/^\d{4}\/\d{2}\/\d{2}\/\[\$LATEST\][0-9a-f]{32}$/);
    expect(env.AWS_ACCESS_KEY_ID).toBeTruthy();
  });

  it('isolates environments between functions (and from the emulator process)', async () => {
    const plain = payload(await service.invoke('PlainFunction', {}));
    const ts = payload(await service.invoke('TsPlainFunction', { name: 'ana' }));

    expect(plain.greeting).toBe('plain');
    expect(ts).toEqual({ kind: 'ts-plain', text: 'ANA!', greeting: 'global' });
    expect(process.env.GREETING).toBeUndefined();
  });

  it('reuses a warm environment: module state survives, second call is warm', async () => {
    const first = await service.invoke('PlainFunction', {});
    const second = await service.invoke('PlainFunction', {});

    expect(second.kind === 'ok' && second.cold).toBe(false);
    expect(payload(second).count).toBe((payload(first).count as number) + 1);
    expect(service.environmentCount('PlainFunction')).toBe(1);
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
    expect(ctx.remaining).toBeGreaterThan(800);
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

  it('R1.50 enforces Timeout: "Task timed out after N.NN seconds", then replaces the environment', async () => {
    const timedOut = await service.invoke('BehaviorFunction', { action: 'sleep', ms: 3000 });
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(timedOut).toMatchObject({ kind: 'function-error', errorMessage: expect.stringMatching(/^Task timed out after 1\.\d\d seconds$/) });
    expect(timedOut.durationMs).toBeLessThan(2500);
    expect(next).toMatchObject({ kind: 'ok', cold: true, payload: { invocations: 1 } });
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

  it('R1.53 deadline-exceeded when the caller deadline passes first; the busy environment is replaced', async () => {
    await service.invoke('BehaviorFunction', { action: 'count' });
    const outcome = await service.invoke('BehaviorFunction', { action: 'sleep', ms: 800 }, { deadlineMs: 100 });
    const next = await service.invoke('BehaviorFunction', { action: 'count' });

    expect(outcome.kind).toBe('deadline-exceeded');
    expect(outcome.durationMs).toBeLessThan(600);
    expect(next).toMatchObject({ kind: 'ok', cold: true });
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

  it('waiting in line for a busy function counts against the caller deadline; the busy calls still finish', async () => {
    const busy = Array.from({ length: 3 }, () => service.invoke('BehaviorFunction', { action: 'sleep', ms: 800 }));
    await new Promise((resolve) => setTimeout(resolve, 100));
    const started = Date.now();

    const queued = await service.invoke('BehaviorFunction', { action: 'count' }, { deadlineMs: 200 });
    const waitedMs = Date.now() - started;
    const finished = await Promise.all(busy);

    expect(queued.kind).toBe('deadline-exceeded');
    expect(waitedMs).toBeLessThan(650);
    expect(finished.map((o) => o.kind)).toEqual(['ok', 'ok', 'ok']);
  });

  it('an AWS call to a service the emulator does not serve fails fast through AWS_ENDPOINT_URL', async () => {
    const result = payload(await service.invoke('BehaviorFunction', { action: 'secret' }));

    expect(result.name).toBe('NotServedByEmulator');
    expect(result.failedAfterMs).toBeLessThan(900);
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

  it('a function that outgrows its MemorySize fails with Runtime.ExitError, and the next call gets a fresh environment', async () => {
    const hog = await service.invoke('MemoryHogFunction', { grow: true });
    const after = await service.invoke('MemoryHogFunction', {});

    expect(hog).toMatchObject({ kind: 'function-error', errorType: 'Runtime.ExitError' });
    expect(after).toMatchObject({ kind: 'ok', payload: { ok: true }, cold: true });
  });
});

describe('LocalLambdaService init phase', () => {
  let service: LocalLambdaService;

  beforeAll(async () => {
    service = new LocalLambdaService(await loadTemplate(FIXTURE), { buildDir: BUILD_DIR, initTimeoutMs: 400 });
  });
  afterAll(async () => {
    await service.close();
  });

  it("a module that never finishes loading fails the invoke at the init limit, as Lambda's 10 s init limit does", async () => {
    const started = Date.now();
    const outcome = await service.invoke('HangingInitFunction', {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.InitTimeout', cold: true });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the caller deadline (integration timeout) ends a hanging init first when it is shorter', async () => {
    const started = Date.now();
    const outcome = await service.invoke('HangingInitFunction', {}, { deadlineMs: 100 });

    expect(outcome.kind).toBe('deadline-exceeded');
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the hung environments are replaced, not kept: the pool does not fill up with them', async () => {
    const outcomes = await Promise.all(Array.from({ length: 4 }, () => service.invoke('HangingInitFunction', {})));

    expect(outcomes.map((o) => o.kind)).toEqual(['function-error', 'function-error', 'function-error', 'function-error']);
    expect(service.environmentCount('HangingInitFunction')).toBe(0);
  });
});
