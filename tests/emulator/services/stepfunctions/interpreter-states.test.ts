/**
 * The Amazon States Language interpreter's flow states (ASL spec https://states-language.net/spec.html, developer
 * guide "States"): Wait, Choice, Succeed, Fail, Parallel and Map. Harness: interpreter-harness.ts.
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { StatesError } from '../../../../emulator/services/stepfunctions/json.js';
import { settle } from '../../support/fake-scheduler.js';
import { harness, single } from './interpreter-harness.js';

describe('Interpreter: Wait', () => {
  it.each([
    { given: 'Seconds', state: { Seconds: 10 }, input: {}, want: 10_000 },
    { given: 'Seconds 0', state: { Seconds: 0 }, input: {}, want: 0 },
    { given: 'SecondsPath', state: { SecondsPath: '$.delay' }, input: { delay: 3 }, want: 3000 },
    { given: 'Timestamp a minute ahead', state: { Timestamp: '2024-05-01T12:01:00Z' }, input: {}, want: 60_000 },
    { given: 'Timestamp with an offset', state: { Timestamp: '2024-05-01T14:00:30+02:00' }, input: {}, want: 30_000 },
    { given: 'Timestamp in the past: no wait', state: { Timestamp: '2024-05-01T11:00:00Z' }, input: {}, want: 0 },
    { given: 'TimestampPath', state: { TimestampPath: '$.at' }, input: { at: '2024-05-01T12:00:05Z' }, want: 5000 },
  ])('$given: waits $want ms', async ({ state, input, want }) => {
    // Prepare
    const { start, clock } = harness();
    const { watched } = start(single({ Type: 'Wait', ...state }), input);

    // Act
    await clock.advance(Math.max(0, want - 1));
    const before = watched.outcome.status;
    await clock.advance(want === 0 ? 0 : 1);

    // Assess
    if (want > 0) expect(before).toBe('running');
    expect(watched.outcome).toEqual({ status: 'succeeded', output: input });
  });

  it('InputPath and OutputPath shape a Wait`s output', async () => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run(single({ Type: 'Wait', Seconds: 1, InputPath: '$.a', OutputPath: '$.b' }), { a: { b: 'kept' }, c: 1 });

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: 'kept' });
  });

  it.each([
    { given: 'SecondsPath to a negative number', state: { SecondsPath: '$.v' }, input: { v: -1 } },
    { given: 'SecondsPath to a string', state: { SecondsPath: '$.v' }, input: { v: '5' } },
    { given: 'SecondsPath to nothing', state: { SecondsPath: '$.v' }, input: {} },
    { given: 'TimestampPath to a non-date', state: { TimestampPath: '$.v' }, input: { v: 'tomorrow' } },
    { given: 'TimestampPath to a number', state: { TimestampPath: '$.v' }, input: { v: 1714564800 } },
  ])('$given fails with States.Runtime', async ({ state, input }) => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run(single({ Type: 'Wait', ...state }), input);

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', error: 'States.Runtime' });
  });

  it('aborting the run during a Wait ends it with the abort`s reason and cancels the timer', async () => {
    // Prepare
    const { start, clock } = harness();
    const { watched, controller } = start(single({ Type: 'Wait', Seconds: 60 }));
    await clock.advance(1000);

    // Act
    controller.abort(new StatesError('States.Aborted', 'stopped'));
    await settle();

    // Assess
    expect(watched.outcome).toEqual({ status: 'failed', error: 'States.Aborted', cause: 'stopped' });
    expect(clock.pending).toBe(0);
  });
});

describe('Interpreter: Choice, Succeed and Fail', () => {
  const choosing = (withDefault: boolean): Record<string, Json> => ({
    StartAt: 'Pick',
    States: {
      Pick: { Type: 'Choice', Choices: [{ Variable: '$.kind', StringEquals: 'a', Next: 'A' }], ...(withDefault ? { Default: 'D' } : {}) },
      A: { Type: 'Pass', Result: 'A', End: true },
      D: { Type: 'Pass', Result: 'D', End: true },
    },
  });

  it.each([
    { given: 'a matching rule', withDefault: true, input: { kind: 'a' }, want: { status: 'succeeded', output: 'A' } },
    { given: 'no match: the Default', withDefault: true, input: { kind: 'b' }, want: { status: 'succeeded', output: 'D' } },
    { given: 'a matching rule without a Default', withDefault: false, input: { kind: 'a' }, want: { status: 'succeeded', output: 'A' } },
  ])('Choice: $given', async ({ withDefault, input, want }) => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run(choosing(withDefault), input);

    // Assess
    expect(outcome).toEqual(want);
  });

  it('Choice: no match and no Default fails with States.NoChoiceMatched', async () => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run(choosing(false), { kind: 'b' });

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', error: 'States.NoChoiceMatched' });
  });

  it('Succeed ends the machine with its input (InputPath, OutputPath applied)', async () => {
    // Prepare
    const { run } = harness();
    const definition = { StartAt: 'Stop', States: { Stop: { Type: 'Succeed', InputPath: '$.a', OutputPath: '$.b' } } };

    // Act
    const outcome = await run(definition, { a: { b: [1, 2] } });

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: [1, 2] });
  });

  it.each([
    { given: 'Error and Cause', state: { Error: 'Order.Invalid', Cause: 'no items' }, input: {}, want: { error: 'Order.Invalid', cause: 'no items' } },
    { given: 'ErrorPath and CausePath', state: { ErrorPath: '$.e', CausePath: '$.c' }, input: { e: 'From.Input', c: 'because' }, want: { error: 'From.Input', cause: 'because' } },
    { given: 'ErrorPath to an intrinsic', state: { ErrorPath: "States.Format('Code.{}', $.n)", Cause: 'x' }, input: { n: 7 }, want: { error: 'Code.7', cause: 'x' } },
  ])('Fail: $given', async ({ state, input, want }) => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run({ StartAt: 'Stop', States: { Stop: { Type: 'Fail', ...state } } }, input);

    // Assess
    expect(outcome).toEqual({ status: 'failed', ...want });
  });

  it('a Catch takes an error raised by a Fail state inside a Parallel branch', async () => {
    // Prepare
    const { run } = harness();
    const definition = {
      StartAt: 'Both',
      States: {
        Both: {
          Type: 'Parallel',
          Branches: [{ StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Branch.Failed', Cause: 'inside' } } }],
          Catch: [{ ErrorEquals: ['Branch.Failed'], Next: 'Caught' }],
          End: true,
        },
        Caught: { Type: 'Pass', End: true },
      },
    };

    // Act
    const outcome = await run(definition);

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: { Error: 'Branch.Failed', Cause: 'inside' } });
  });
});

describe('Interpreter: Parallel', () => {
  const branch = (name: string): Json => ({ StartAt: name, States: { [name]: { Type: 'Task', Resource: `arn:aws:lambda:us-east-1:123456789012:function:${name}`, End: true } } });

  it('gives every branch the same input and outputs their results in branch order, whatever order they end in', async () => {
    // Prepare
    const { start, tasks } = harness();
    const { watched } = start(single({ Type: 'Parallel', Branches: [branch('first'), branch('second')], ResultPath: '$.results' }), { id: 1 });
    await settle();

    // Act
    tasks.calls[1]!.resolve('second done');
    await settle();
    const afterOne = watched.outcome.status;
    tasks.calls[0]!.resolve('first done');
    await settle();

    // Assess
    expect(tasks.calls.map((c) => c.call.parameters)).toEqual([{ id: 1 }, { id: 1 }]);
    expect(afterOne).toBe('running');
    expect(watched.outcome).toEqual({ status: 'succeeded', output: { id: 1, results: ['first done', 'second done'] } });
  });

  it('Parameters makes the branches` input; ResultSelector shapes the array', async () => {
    // Prepare
    const { run, tasks } = harness((call) => call.resource.split(':').pop()!);

    // Act
    const outcome = await run(single({ Type: 'Parallel', Parameters: { 'only.$': '$.a' }, Branches: [branch('first'), branch('second')], ResultSelector: { 'last.$': '$[1]' } }), { a: 'x', b: 'y' });

    // Assess
    expect(tasks.calls.map((c) => c.call.parameters)).toEqual([{ only: 'x' }, { only: 'x' }]);
    expect(outcome).toEqual({ status: 'succeeded', output: { last: 'second' } });
  });

  it('a failing branch fails the state with its error and stops the other branches', async () => {
    // Prepare
    const { start, tasks } = harness();
    const { watched } = start(single({ Type: 'Parallel', Branches: [branch('first'), branch('second')] }));
    await settle();

    // Act
    tasks.calls[0]!.reject(new StatesError('First.Failed', 'no'));
    await settle();

    // Assess
    expect(watched.outcome).toEqual({ status: 'failed', error: 'First.Failed', cause: 'no' });
    expect(tasks.calls[1]!.call.signal.aborted).toBe(true);
  });
});

describe('Interpreter: Map', () => {
  const processor: Json = { StartAt: 'Each', States: { Each: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:each', End: true } } };

  it('ItemsPath picks the items; ItemSelector sees the state input and $$.Map.Item.Index / Value', async () => {
    // Prepare
    const { run } = harness((call) => call.parameters);
    const state = { Type: 'Map', ItemsPath: '$.items', ItemSelector: { 'index.$': '$$.Map.Item.Index', 'value.$': '$$.Map.Item.Value', 'shared.$': '$.shared' }, ItemProcessor: processor };

    // Act
    const outcome = await run(single(state), { items: ['a', 'b'], shared: 's' });

    // Assess
    expect(outcome).toEqual({
      status: 'succeeded',
      output: [
        { index: 0, value: 'a', shared: 's' },
        { index: 1, value: 'b', shared: 's' },
      ],
    });
  });

  it.each([
    { given: 'no ItemsPath: the input is the array', state: {}, input: [1, 2, 3], want: [1, 2, 3] },
    { given: 'an empty array', state: { ItemsPath: '$.items' }, input: { items: [] }, want: [] },
    { given: 'the older Iterator and Parameters', state: { ItemsPath: '$.items', Parameters: { 'v.$': '$$.Map.Item.Value' }, Iterator: processor, ItemProcessor: undefined }, input: { items: [1] }, want: [{ v: 1 }] },
    { given: 'ResultPath places the array in the input', state: { ItemsPath: '$.items', ResultPath: '$.out' }, input: { items: [1] }, want: { items: [1], out: [1] } },
  ])('$given', async ({ state, input, want }) => {
    // Prepare
    const { run } = harness((call) => call.parameters);
    const definition = JSON.parse(JSON.stringify(single({ Type: 'Map', ItemProcessor: processor, ...state }))) as Record<string, Json>;

    // Act
    const outcome = await run(definition, input);

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: want });
  });

  it('outputs the results in item order, whatever order the iterations end in', async () => {
    // Prepare
    const { start, tasks } = harness();
    const { watched } = start(single({ Type: 'Map', ItemProcessor: processor }), ['a', 'b', 'c']);
    await settle();

    // Act
    for (const i of [2, 0, 1]) tasks.calls[i]!.resolve(`done ${String(tasks.calls[i]!.call.parameters)}`);
    await settle();

    // Assess
    expect(watched.outcome).toEqual({ status: 'succeeded', output: ['done a', 'done b', 'done c'] });
  });

  it.each([
    { given: 'MaxConcurrency 1', maxConcurrency: 1, want: 1 },
    { given: 'MaxConcurrency 2', maxConcurrency: 2, want: 2 },
    { given: 'MaxConcurrency 4', maxConcurrency: 4, want: 4 },
    { given: 'MaxConcurrency above the item count', maxConcurrency: 10, want: 5 },
    { given: 'MaxConcurrency 0 (no limit)', maxConcurrency: 0, want: 5 },
    { given: 'no MaxConcurrency', maxConcurrency: undefined, want: 5 },
  ])('$given: at most $want tasks at once, every item processed', async ({ maxConcurrency, want }) => {
    // Prepare
    const { start, tasks } = harness();
    const { watched } = start(single({ Type: 'Map', ItemProcessor: processor, ...(maxConcurrency !== undefined ? { MaxConcurrency: maxConcurrency } : {}) }), [0, 1, 2, 3, 4]);
    await settle();
    const atFirst = tasks.running;

    // Act: answer the oldest running call, one at a time.
    for (let answered = 0; answered < 5; answered++) {
      tasks.calls[answered]!.resolve(answered);
      await settle();
    }

    // Assess
    expect(atFirst).toBe(want);
    expect(tasks.maxRunning).toBe(want);
    expect(tasks.calls.map((c) => c.call.parameters)).toEqual([0, 1, 2, 3, 4]);
    expect(watched.outcome).toEqual({ status: 'succeeded', output: [0, 1, 2, 3, 4] });
  });

  it('a failing iteration fails the Map state with its error', async () => {
    // Prepare
    const { run } = harness((call) => {
      if (call.parameters === 2) throw new StatesError('Item.Failed', 'two');
      return call.parameters;
    });

    // Act
    const outcome = await run(single({ Type: 'Map', ItemProcessor: processor }), [1, 2, 3]);

    // Assess
    expect(outcome).toEqual({ status: 'failed', error: 'Item.Failed', cause: 'two' });
  });

  it('ItemsPath to something other than an array fails with States.Runtime', async () => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run(single({ Type: 'Map', ItemsPath: '$.items', ItemProcessor: processor }), { items: { not: 'an array' } });

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', error: 'States.Runtime' });
  });

  it.each([
    { given: 'ToleratedFailurePercentage 50, 2 of 4 fail', tolerance: { ToleratedFailurePercentage: 50 }, failing: [0, 1], want: 'succeeded' },
    { given: 'ToleratedFailurePercentage 50, 3 of 4 fail', tolerance: { ToleratedFailurePercentage: 50 }, failing: [0, 1, 2], want: 'failed' },
    { given: 'ToleratedFailurePercentage 0, none fails', tolerance: { ToleratedFailurePercentage: 0 }, failing: [], want: 'succeeded' },
    { given: 'ToleratedFailurePercentage 0, 1 fails', tolerance: { ToleratedFailurePercentage: 0 }, failing: [3], want: 'failed' },
    { given: 'ToleratedFailureCount 1, 1 fails', tolerance: { ToleratedFailureCount: 1 }, failing: [2], want: 'succeeded' },
    { given: 'ToleratedFailureCount 1, 2 fail', tolerance: { ToleratedFailureCount: 1 }, failing: [1, 2], want: 'failed' },
    { given: 'ToleratedFailureCount 4, all 4 fail', tolerance: { ToleratedFailureCount: 4 }, failing: [0, 1, 2, 3], want: 'succeeded' },
  ])('distributed Map: $given → $want', async ({ tolerance, failing, want }) => {
    // Prepare
    const { run } = harness((call) => {
      if (failing.includes(call.parameters as number)) throw new StatesError('Item.Failed', String(call.parameters));
      return call.parameters;
    });
    const state = { Type: 'Map', ItemProcessor: { ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, ...(processor as object) }, ...tolerance };

    // Act
    const outcome = await run(single(state), [0, 1, 2, 3]);

    // Assess
    expect(outcome.status).toBe(want);
    if (want === 'failed') expect(outcome).toMatchObject({ error: 'States.ExceedToleratedFailureThreshold' });
  });
});
