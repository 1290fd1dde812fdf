/**
 * How the Node.js runtime settles an invocation (lambda/worker.ts), by handler style: a returned promise; the callback;
 * or, for a handler that returns no promise and takes no callback, `context.succeed`/`done`/`fail`, else null once the
 * event loop is empty (the runtime's beforeExit hook). `aws-serverless-express` relies on the third.
 */
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { serviceForSuite } from './support/project.js';

const root = mkdtempSync(join(tmpdir(), 'handler-styles-'));
const handlers: Record<string, string> = {
  // aws-serverless-express's shape: returns the server's handle (no promise), answers later through context.succeed.
  Succeed: '(event, context) => { setTimeout(() => context.succeed({ via: "succeed", n: event.n }), 20); return { not: "this" }; }',
  Done: '(event, context) => { setTimeout(() => context.done(null, { via: "done" }), 20); }',
  Fail: '(event, context) => { setTimeout(() => context.fail(new TypeError("failed later")), 20); }',
  // Its timer leaves a file: the invocation must not end before the timer has run.
  Idle: '(event) => { setTimeout(() => writeFileSync(event.mark, "ran"), 20); return 42; }',
  Callback: '(event, context, callback) => { setTimeout(() => callback(null, { via: "callback" }), 20); }',
  Async: 'async () => ({ via: "promise" })',
  // Keeps its first invocation's callback and calls it again in each later one, before answering through its own.
  Stale: '(event, context, callback) => { context.callbackWaitsForEmptyEventLoop = false; globalThis.first?.(null, { n: 1, stale: event.n }); globalThis.first ??= callback; setTimeout(() => callback(null, { n: event.n }), 1); }',
  Twice: '(event, context, callback) => { callback(null, { call: 1 }); callback(null, { call: 2 }); callback(new Error("third")); }',
};
/** The same handlers on nodejs24.x, which removed callback handlers and context.succeed/fail/done. */
const on24: Record<string, string> = {
  Callback24: handlers.Callback!,
  AsyncWithCallbackParam24: 'async (event, context, callback) => ({ via: "promise" })',
  Succeed24: '(event, context) => { setTimeout(() => { try { context.succeed({ via: "succeed" }); } catch (e) { context.failedWith = e; } }, 1); return new Promise((resolve) => setTimeout(() => resolve({ succeed: typeof context.succeed, waits: context.callbackWaitsForEmptyEventLoop }), 20)); }',
  Async24: handlers.Async!,
  Sync24: '(event) => ({ via: "sync return" })',
  Rest24: '(event, context, ...more) => ({ more: more.length })',
};
const files: Record<string, string> = {
  'src/package.json': '{"type": "module"}',
  ...Object.fromEntries(Object.entries({ ...handlers, ...on24 }).map(([id, code]) => [`src/${id}.js`, `import { writeFileSync } from 'node:fs';\nexport const handler = ${code};\n`])),
  'template.yaml': [
    'Resources:',
    ...Object.keys(handlers).map((id) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: ${id}.handler, Runtime: nodejs20.x, CodeUri: src, Timeout: 5}`),
    ...Object.keys(on24).map((id) => `  ${id}:\n    Type: AWS::Serverless::Function\n    Properties: {Handler: ${id}.handler, Runtime: nodejs24.x, CodeUri: src, Timeout: 5}`),
  ].join('\n'),
};
const service = serviceForSuite(root, files);

describe('a Node.js handler settles its invocation', () => {
  it.each([
    { given: 'no promise, no callback parameter, context.succeed later (aws-serverless-express)', id: 'Succeed', want: { kind: 'ok', payload: { via: 'succeed', n: 7 } } },
    { given: 'no promise, no callback parameter, context.done later', id: 'Done', want: { kind: 'ok', payload: { via: 'done' } } },
    { given: 'no promise, no callback parameter, context.fail later', id: 'Fail', want: { kind: 'function-error', errorType: 'TypeError', errorMessage: 'failed later' } },
    { given: 'the callback later', id: 'Callback', want: { kind: 'ok', payload: { via: 'callback' } } },
    { given: 'a promise', id: 'Async', want: { kind: 'ok', payload: { via: 'promise' } } },
  ])('$given', async ({ id, want }) => {
    // Act
    const outcome = await service.invoke(id, { n: 7 });

    // Assess
    expect(outcome).toMatchObject(want);
  });

  it('no promise, no callback: the answer (null) comes once the timers it set have run, not when it returns', async () => {
    // Prepare
    const mark = join(root, 'idle-mark');

    // Act
    const outcome = await service.invoke('Idle', { mark });

    // Assess
    expect(outcome).toMatchObject({ kind: 'ok', payload: null });
    expect(existsSync(mark)).toBe(true);
  });

  it('the same environment serves the next invocation of a handler answered through context.succeed', async () => {
    const first = await service.invoke('Succeed', { n: 1 });
    const second = await service.invoke('Succeed', { n: 2 });

    expect([first, second]).toMatchObject([{ payload: { n: 1 } }, { payload: { n: 2 } }]);
    expect(service.environmentCount('Succeed')).toBe(1);
  });
});

describe('a callback called again, in its own invocation or in a later one', () => {
  it('the first call answers; the others change nothing', async () => {
    expect(await service.invoke('Twice', {})).toMatchObject({ kind: 'ok', payload: { call: 1 } });
  });

  it('a callback of an invocation that has ended, called during the next ones, answers none of them', async () => {
    const outcomes = [await service.invoke('Stale', { n: 1 }), await service.invoke('Stale', { n: 2 }), await service.invoke('Stale', { n: 3 })];

    expect(outcomes).toMatchObject([{ kind: 'ok', payload: { n: 1 } }, { kind: 'ok', payload: { n: 2 } }, { kind: 'ok', payload: { n: 3 } }]);
    expect(service.environmentCount('Stale')).toBe(1);
  });
});

describe('nodejs24.x: no callback handlers (its runtime removed them)', () => {
  it.each([
    { given: 'a callback handler', id: 'Callback24' },
    { given: 'an async handler that declares a callback parameter (handler.length 3)', id: 'AsyncWithCallbackParam24' },
  ])('$given fails at init: Runtime.CallbackHandlerDeprecated, in the runtime`s words', async ({ id }) => {
    const outcome = await service.invoke(id, {});

    expect(outcome).toMatchObject({ kind: 'function-error', errorType: 'Runtime.CallbackHandlerDeprecated', errorMessage: expect.stringMatching(/^ERROR: AWS Lambda has removed support for callback-based function handlers starting with Node\.js 24\./) });
  });

  it('the context has no succeed/fail/done or callbackWaitsForEmptyEventLoop', async () => {
    expect(await service.invoke('Succeed24', {})).toMatchObject({ kind: 'ok', payload: { succeed: 'undefined' } });
  });

  it('a plain return value is the answer (the runtime awaits what the handler returns)', async () => {
    expect(await service.invoke('Sync24', {})).toMatchObject({ kind: 'ok', payload: { via: 'sync return' } });
  });

  it('the handler is called with two arguments: no callback behind a rest parameter', async () => {
    expect(await service.invoke('Rest24', {})).toMatchObject({ kind: 'ok', payload: { more: 0 } });
  });

  it('the neighbour: an async handler of two parameters runs', async () => {
    expect(await service.invoke('Async24', {})).toMatchObject({ kind: 'ok', payload: { via: 'promise' } });
  });
});
