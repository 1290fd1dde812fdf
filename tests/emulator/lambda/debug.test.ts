/**
 * `--debug-port` (sam local -d): the function under the debugger starts paused under the Node inspector, waits for a
 * debugger, and nothing timed ends it (its Timeout, the caller's deadline) while another function of the same
 * service keeps Lambda's limits. The debugger here is a WebSocket client speaking the inspector protocol.
 */
import { InvokeCommand, LambdaClient } from '@aws-sdk/client-lambda';
import { closeSync, mkdirSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debuggedFunction } from '../../../emulator/lambda/debug.js';
import { invokeFunction } from '../../../emulator/invoke.js';
import { startEmulator } from '../../../emulator/app.js';
import { TemplateError, type FunctionSpec } from '../../../emulator/template/model.js';
import { attachAndRun, debuggedService, freePort, inspectorUrl } from './support/inspector.js';

const PORT = await freePort();
const NESTED_PORT = await freePort();
const INVOKE_PORT = await freePort();
const fixture = (path: string) => fileURLToPath(new URL(`../fixtures/${path}`, import.meta.url));
const root = join(tmpdir(), `debug-test-${process.pid}`);

const SLOW = `exports.handler = async () => { await new Promise((r) => setTimeout(r, 1500)); return 'done'; };\n`;
const TEMPLATE = `Transform: AWS::Serverless-2016-10-31
Resources:
  Debugged:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: slow.handler, Runtime: nodejs20.x, Timeout: 1 }
  Other:
    Type: AWS::Serverless::Function
    Properties: { CodeUri: src/, Handler: slow.handler, Runtime: nodejs20.x, Timeout: 1 }
`;

const { service, logFile } = debuggedService(root, { 'template.yaml': TEMPLATE, 'src/slow.js': SLOW }, { functionLogicalId: 'Debugged', port: PORT });

describe('a function under the debugger (--debug-port)', () => {
  it('starts paused on 127.0.0.1:<port>, runs once a debugger attaches, and outlives its Timeout and the caller deadline', async () => {
    // Prepare: the log file exists before the environment writes to it.
    closeSync(openSync(logFile, 'a'));

    // Act: the invocation starts the environment, which waits for a debugger.
    const outcome = service.invoke('Debugged', {}, { deadlineMs: 200 });
    const url = await inspectorUrl(logFile);
    const socket = await attachAndRun(url);

    // Assess: 1.5 s against a Timeout of 1 s and a deadline of 200 ms, and still its result.
    expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${PORT}/`));
    expect(await outcome).toMatchObject({ kind: 'ok', payload: 'done' });
    socket.close();
  }, 30_000);

  it("the template's other function keeps its Timeout (neighbour of the debugged one)", async () => {
    const outcome = await service.invoke('Other', {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Sandbox.Timedout' });
  }, 30_000);
});

describe('which function a debugger attaches to', () => {
  const fn = (logicalId: string, runtime: string): [string, FunctionSpec] => [logicalId, { logicalId, runtime } as FunctionSpec];
  const stack = (path: string, ...functions: [string, FunctionSpec][]) => ({ path, functions: new Map(functions) });
  const one = [stack('', fn('Api', 'nodejs20.x'), fn('Worker', 'python3.12'))];
  const two = [stack('', fn('A', 'nodejs20.x'), fn('B', 'nodejs22.x'))];
  // The root and a nested stack each have a Fn; Child has a Worker too, and so has Other.
  const nested = [stack('', fn('Fn', 'nodejs20.x')), stack('Child/', fn('Fn', 'nodejs20.x'), fn('Worker', 'nodejs20.x')), stack('Other/', fn('Worker', 'nodejs22.x'), fn('Only', 'nodejs22.x'))];
  const nestedOnly = [stack('', fn('Py', 'python3.12')), stack('Child/', fn('Fn', 'nodejs20.x'))];

  it.each([
    { given: 'the only Node.js function, unnamed', stacks: one, name: undefined, want: { path: '', functionLogicalId: 'Api' } },
    { given: 'a named Node.js function among several', stacks: two, name: 'B', want: { path: '', functionLogicalId: 'B' } },
    { given: "a nested stack's function by its full path (Child/Fn, the SAM CLI's identifier)", stacks: nested, name: 'Child/Fn', want: { path: 'Child/', functionLogicalId: 'Fn' } },
    { given: 'a logical id of the root stack and of a nested one: the root full path first, as SamFunctionProvider.get', stacks: nested, name: 'Fn', want: { path: '', functionLogicalId: 'Fn' } },
    { given: "a logical id only a nested stack has (the SAM CLI's DebugContext matches the logical id)", stacks: nested, name: 'Only', want: { path: 'Other/', functionLogicalId: 'Only' } },
    { given: "the template's only Node.js function, in a nested stack, unnamed", stacks: nestedOnly, name: undefined, want: { path: 'Child/', functionLogicalId: 'Fn' } },
  ])('$given: $want', ({ stacks, name, want }) => {
    expect(debuggedFunction('t.yaml', stacks, { port: 9229, ...(name ? { functionLogicalId: name } : {}) })).toEqual({ ...want, port: 9229 });
  });

  it.each([
    { given: 'several Node.js functions, none named', stacks: two, name: undefined, want: /--debug-function \(one of A, B\)/ },
    { given: 'Node.js functions in several stacks, none named: named by their full paths', stacks: nested, name: undefined, want: /--debug-function \(one of Fn, Child\/Fn, Child\/Worker, Other\/Worker, Other\/Only\)/ },
    { given: 'a function the template does not have', stacks: two, name: 'C', want: /no function C .*A, B/ },
    { given: 'a logical id of two nested stacks and not of the root', stacks: nested, name: 'Worker', want: /Worker is the logical id of a function in several stacks \(Child\/Worker, Other\/Worker\): name one by its full path/ },
    { given: 'a Python function', stacks: one, name: 'Worker', want: /Worker runs python3\.12: only Node\.js functions/ },
    { given: 'no Node.js function', stacks: [stack('', fn('Worker', 'python3.12'))], name: undefined, want: /no Node\.js function to debug/ },
  ])('$given: refused', ({ stacks, name, want }) => {
    const act = (): unknown => debuggedFunction('t.yaml', stacks, { port: 9229, ...(name ? { functionLogicalId: name } : {}) });
    expect(act).toThrow(TemplateError);
    expect(act).toThrow(want);
  });
});

describe("a nested stack's function under the debugger (start-lambda, tests/emulator/fixtures/nested-app)", () => {
  it('ChildStack/PingFunction starts paused on the port and answers once a debugger attaches; the report names it by its path', async () => {
    // Prepare: the functions' output (where the inspector URL is printed) goes to a file that exists before they start.
    const nestedRoot = join(root, 'nested');
    mkdirSync(nestedRoot, { recursive: true });
    const logFile = join(nestedRoot, 'functions.log');
    const logFd = openSync(logFile, 'a');
    const emulator = await startEmulator({ templatePath: fixture('nested-app/template.yaml'), serve: 'lambda', port: 0, localDir: join(nestedRoot, 'local'), functionLogFd: logFd, debug: { functionLogicalId: 'ChildStack/PingFunction', port: NESTED_PORT }, log: () => undefined, onRequest: () => undefined });
    const lambda = new LambdaClient({ region: 'us-east-1', endpoint: emulator.lambdaUrl, credentials: { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'secret' } });

    try {
      // Act
      const answer = lambda.send(new InvokeCommand({ FunctionName: 'ChildStack/PingFunction', Payload: '{}' }));
      // An invocation that ends without a debugger fails the test here, instead of leaving it waiting for a URL.
      const url = await Promise.race([inspectorUrl(logFile), answer.then((outcome) => `no debugger: ${JSON.stringify(outcome.FunctionError ?? outcome.StatusCode)}`)]);
      const socket = await attachAndRun(url);
      const outcome = await answer;
      socket.close();

      // Assess
      expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${NESTED_PORT}/`));
      expect(outcome.FunctionError).toBeUndefined();
      expect(emulator.functionNotes).toContainEqual(expect.stringMatching(new RegExp(`^ChildStack/PingFunction: runs under the Node\\.js inspector on 127\\.0\\.0\\.1:${NESTED_PORT}:`)));
    } finally {
      await emulator.close();
      closeSync(logFd);
    }
  }, 60_000);
  it('invoke ChildStack/PingFunction with --debug-function ChildStack/PingFunction runs it under the debugger (it was refused as not the invoked PingFunction)', async () => {
    // Prepare
    const nestedRoot = join(root, 'nested-invoke');
    mkdirSync(nestedRoot, { recursive: true });
    const logFile = join(nestedRoot, 'functions.log');
    const logFd = openSync(logFile, 'a');

    try {
      // Act
      const lines: string[] = [];
      const invoking = invokeFunction({ templatePath: fixture('nested-app/template.yaml'), functionLogicalId: 'ChildStack/PingFunction', debugFunction: 'ChildStack/PingFunction', debugPort: INVOKE_PORT, event: {}, localDir: join(nestedRoot, 'local'), functionStdout: { fd: logFd }, log: (line) => lines.push(line) });
      const url = await Promise.race([inspectorUrl(logFile), invoking.then((outcome) => `no debugger: ${JSON.stringify(outcome)}`)]);
      const socket = url.startsWith('ws:') ? await attachAndRun(url) : undefined;
      const outcome = await invoking;
      socket?.close();

      // Assess
      expect(url).toMatch(new RegExp(`^ws://127\\.0\\.0\\.1:${INVOKE_PORT}/`));
      expect(outcome.kind).toBe('ok');
      expect(lines).toContainEqual(expect.stringMatching(new RegExp(`^ChildStack/PingFunction: runs under the Node\\.js inspector on 127\\.0\\.0\\.1:${INVOKE_PORT}:`)));
    } finally {
      closeSync(logFd);
    }
  }, 60_000);
});

describe('invoke -d with a --debug-function', () => {
  it('that is not the invoked function is refused before anything runs', async () => {
    const invoking = invokeFunction({ templatePath: join(root, 'template.yaml'), functionLogicalId: 'Other', debugFunction: 'Debugged', event: {}, localDir: join(root, 'local-other'), debugPort: 22152, log: () => undefined });

    await expect(invoking).rejects.toThrow(/--debug-function: Debugged: invoke debugs the function it invokes \(Other\)/);
  });
});

describe('a debug port something else listens on (another debugger, the gateway run with node --inspect)', () => {
  const taken = createServer();
  beforeAll(() => new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve)));
  afterAll(() => new Promise<void>((resolve) => taken.close(() => resolve())));

  it.each([
    { command: 'invoke', act: (port: number) => invokeFunction({ templatePath: join(root, 'template.yaml'), functionLogicalId: 'Other', event: {}, localDir: join(root, 'local-taken'), debugPort: port, log: () => undefined }) },
    { command: 'start-lambda', act: (port: number) => startEmulator({ templatePath: join(root, 'template.yaml'), serve: 'lambda', port: 0, localDir: join(root, 'local-taken'), debug: { functionLogicalId: 'Other', port }, log: () => undefined }) },
  ])('$command: refused before the function runs (its inspector could not listen there, and it would run with no debugger and no time limit)', async ({ act }) => {
    // Prepare
    const port = (taken.address() as { port: number }).port;

    // Act
    const starting = act(port);

    // Assess
    await expect(starting).rejects.toThrow(new RegExp(`--debug-port: 127\\.0\\.0\\.1:${port} is in use`));
  }, 30_000);
});
