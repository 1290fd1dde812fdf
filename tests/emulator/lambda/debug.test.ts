/**
 * `--debug-port` (sam local -d): the function under the debugger starts paused under the Node inspector, waits for a
 * debugger, and nothing timed ends it (its Timeout, the caller's deadline) while another function of the same
 * service keeps Lambda's limits. The debugger here is a WebSocket client speaking the inspector protocol.
 */
import { closeSync, openSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { debuggedFunction } from '../../../emulator/lambda/debug.js';
import { invokeFunction } from '../../../emulator/invoke.js';
import { startEmulator } from '../../../emulator/app.js';
import { TemplateError, type FunctionSpec } from '../../../emulator/template/model.js';
import { attachAndRun, debuggedService, freePort, inspectorUrl } from './support/inspector.js';

const PORT = await freePort();
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
  const one = new Map([fn('Api', 'nodejs20.x'), fn('Worker', 'python3.12')]);
  const two = new Map([fn('A', 'nodejs20.x'), fn('B', 'nodejs22.x')]);

  it.each([
    { given: 'the only Node.js function, unnamed', functions: one, name: undefined, want: 'Api' },
    { given: 'a named Node.js function among several', functions: two, name: 'B', want: 'B' },
  ])('$given: $want', ({ functions, name, want }) => {
    expect(debuggedFunction('t.yaml', functions, { port: 9229, ...(name ? { functionLogicalId: name } : {}) })).toEqual({ functionLogicalId: want, port: 9229 });
  });

  it.each([
    { given: 'several Node.js functions, none named', functions: two, name: undefined, want: /--debug-function \(one of A, B\)/ },
    { given: 'a function the template does not have', functions: two, name: 'C', want: /no function C .*A, B/ },
    { given: 'a Python function', functions: one, name: 'Worker', want: /Worker runs python3\.12: only Node\.js functions/ },
    { given: 'no Node.js function', functions: new Map([fn('Worker', 'python3.12')]), name: undefined, want: /no Node\.js function to debug/ },
  ])('$given: refused', ({ functions, name, want }) => {
    const act = (): unknown => debuggedFunction('t.yaml', functions, { port: 9229, ...(name ? { functionLogicalId: name } : {}) });
    expect(act).toThrow(TemplateError);
    expect(act).toThrow(want);
  });
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
