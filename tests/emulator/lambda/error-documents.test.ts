/**
 * The error a Node.js function's invocation fails with, as the Node.js runtime interface client
 * (aws-lambda-nodejs-runtime-interface-client) reports it: Errors.js `toRapidResponse` (an error is duck-typed; any
 * other value is `{errorType: typeof, errorMessage: toString()}`), CallbackContext.js (`context.fail()` with no error
 * fails with the string 'handled', as a promise rejected with no reason does), RAPIDClient.js (a result JSON.stringify
 * refuses fails with 'Unable to stringify response body'), index.mjs (an unhandled rejection is wrapped in
 * Runtime.UnhandledPromiseRejection, whose message is the reason as text) UserFunction.js (HandlerNotFound's two
 * messages) and Runtime.js (an invocation still pending when the event loop empties). What Invoke's payload carries (R2.7).
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceForSuite } from './support/project.js';

const root = mkdtempSync(join(tmpdir(), 'error-documents-'));
const handlers: Record<string, string> = {
  ErrorLike: 'async () => { throw { name: "MyError", message: "made by hand", stack: "MyError: made by hand\\n    at somewhere" }; }',
  FailNoArgument: '(event, context) => { context.fail(); }',
  RejectNoReason: '() => Promise.reject()',
  Circular: 'async () => { const result = { statusCode: 200 }; result.self = result; return result; }',
  BigIntResult: 'async () => ({ statusCode: 200, count: 10n })',
  RejectLater: 'async () => { Promise.reject(new Error("nobody catches this")); return new Promise(() => {}); }',
  NotAFunction: '{ not: "a function" }',
  AsyncNeverSettles: 'async () => new Promise(() => {})',
  CallbackNeverCalled: '(event, context, callback) => {}',
  PlainPromiseNeverSettles: '() => new Promise(() => {})',
  // nodejs24.x (no callbacks: the handler's promise is awaited), the same two cases.
  RejectNoReason24: '() => Promise.reject()',
  AsyncNeverSettles24: 'async () => new Promise(() => {})',
};
/** Modules that fail to give a handler: their files (`<id>.js`, or `.cjs`) and whole text, the handler `<id>.handler`. */
const unloadable: Record<string, [string, string]> = {
  NotExported: ['js', 'export const main = async () => 1;\n'],
  BrokenSyntax: ['js', 'export const handler = async () => { return 1;\n'],
  MissingRequire: ['cjs', "require('./nowhere');\nexports.handler = async () => 1;\n"],
};
const ids = [...Object.keys(handlers), ...Object.keys(unloadable)];
const files: Record<string, string> = {
  'src/package.json': '{"type": "module"}',
  ...Object.fromEntries(Object.entries(handlers).map(([id, code]) => [`src/${id}.js`, `export const handler = ${code};\n`])),
  ...Object.fromEntries(Object.entries(unloadable).map(([id, [extension, text]]) => [`src/${id}.${extension}`, text])),
  'template.yaml': ['Resources:', ...ids.map((id) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: ${id}.handler, Runtime: ${id.endsWith('24') ? 'nodejs24.x' : 'nodejs20.x'}, CodeUri: src, Timeout: 5}`)].join('\n'),
};
const service = serviceForSuite(root, files);

describe('the Node.js runtime`s error document', () => {
  it('an object with a string name, message and stack is read as an error (Errors.js _isError), not as "[object Object]"', async () => {
    const outcome = await service.invoke('ErrorLike', {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'MyError', errorMessage: 'made by hand', stackTrace: ['MyError: made by hand', '    at somewhere'] });
  });

  it.each([
    { given: 'context.fail() with no error', id: 'FailNoArgument' },
    { given: 'a promise rejected with no reason', id: 'RejectNoReason' },
    { given: 'a promise rejected with no reason on nodejs24.x', id: 'RejectNoReason24' },
  ])('$given fails with the string "handled" (CallbackContext.js fail)', async ({ id }) => {
    const outcome = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'string', errorMessage: 'handled', stackTrace: [] });
  });

  it.each([
    { given: 'a cycle', id: 'Circular' },
    { given: 'a BigInt', id: 'BigIntResult' },
  ])('a result JSON.stringify refuses ($given) fails with "Unable to stringify response body" (RAPIDClient.js)', async ({ id }) => {
    const outcome = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Error', errorMessage: 'Unable to stringify response body' });
    expect(outcome.kind === 'function-error' && outcome.stackTrace[0]).toBe('Error: Unable to stringify response body');
  });

  it('an unhandled rejection is Runtime.UnhandledPromiseRejection with the reason as text ("Error: <message>"), its trace the wrapper`s', async () => {
    const outcome = await service.invoke('RejectLater', {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.UnhandledPromiseRejection', errorMessage: 'Error: nobody catches this' });
    expect(outcome.kind === 'function-error' && outcome.stackTrace[0]).toBe('Runtime.UnhandledPromiseRejection: Error: nobody catches this');
  });

  it('a handler export that is no function is Runtime.HandlerNotFound "<handler> is not a function" (UserFunction.js), not "undefined or not exported"', async () => {
    const outcome = await service.invoke('NotAFunction', {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.HandlerNotFound', errorMessage: 'NotAFunction.handler is not a function', cold: true });
  });

  it.each(['AsyncNeverSettles', 'AsyncNeverSettles24'])('an async handler whose promise never settles, with nothing left to run, fails with Runtime.NodeJsExit (Runtime.js beforeExit listener), not a timeout: %s', async (id) => {
    const outcome = await service.invoke(id, {});
    const again = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.NodeJsExit', errorMessage: expect.stringContaining('a Promise that was never settled') });
    expect(again).toMatchObject({ kind: 'function-error', errorType: 'Runtime.NodeJsExit', cold: false });
  });

  it.each([
    { given: 'a callback handler that never calls back', id: 'CallbackNeverCalled' },
    { given: 'a plain function whose promise never settles', id: 'PlainPromiseNeverSettles' },
  ])('$given answers null once nothing is left to run (the runtime`s beforeExit listener), and its environment serves on', async ({ id }) => {
    const outcome = await service.invoke(id, {});
    const again = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'ok', payload: null });
    expect(again).toMatchObject({ kind: 'ok', payload: null, cold: false });
  });

  it.each([
    { kind: 'Runtime.HandlerNotFound', id: 'NotExported', message: /^NotExported\.handler is undefined or not exported$/ },
    { kind: 'Runtime.UserCodeSyntaxError', id: 'BrokenSyntax', message: /^SyntaxError: / },
    { kind: 'Runtime.ImportModuleError', id: 'MissingRequire', message: /^Error: Cannot find module '\.\/nowhere'/ },
  ])('$kind carries the runtime`s trace, "$kind: <message>" then the loader`s frames, as Errors.js raises it, never an empty trace ($id)', async ({ kind, id, message }) => {
    const outcome = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: kind, errorMessage: expect.stringMatching(message) });
    const trace = outcome.kind === 'function-error' ? outcome.stackTrace : [];
    const errorMessage = outcome.kind === 'function-error' ? outcome.errorMessage : '';
    const header = `${kind}: ${errorMessage}`.split('\n');
    expect(trace.slice(0, header.length)).toEqual(header);
    expect(trace.length).toBeGreaterThan(header.length);
    expect(trace.slice(header.length).every((line) => line.startsWith('    at '))).toBe(true);
  });
});
