/**
 * The Amazon States Language interpreter's error handling (developer guide "Handling errors", "Error names"):
 * ErrorEquals, Retry, Catch, a Task's TimeoutSeconds and the execution's abort signal. Harness: interpreter-harness.ts.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import { StatesError } from '../../../../emulator/services/stepfunctions/json.js';
import { errorMatches } from '../../../../emulator/services/stepfunctions/state-errors.js';
import { settle } from '../../support/fake-scheduler.js';
import { START, fails, harness, single, task } from './interpreter-harness.js';

describe('errorMatches: which ErrorEquals names an error (guide "Error names")', () => {
  it.each([
    { errorEquals: ['Custom.Error'], error: 'Custom.Error', want: true },
    { errorEquals: ['Custom.Error'], error: 'custom.error', want: false },
    { errorEquals: ['Other.Error'], error: 'Custom.Error', want: false },
    { errorEquals: ['Other.Error', 'Custom.Error'], error: 'Custom.Error', want: true },
    { errorEquals: [], error: 'Custom.Error', want: false },
    { errorEquals: ['States.ALL'], error: 'Custom.Error', want: true },
    { errorEquals: ['States.ALL'], error: 'States.Timeout', want: true },
    { errorEquals: ['States.ALL'], error: 'States.TaskFailed', want: true },
    { errorEquals: ['States.ALL'], error: 'States.Runtime', want: false },
    { errorEquals: ['States.ALL'], error: 'States.DataLimitExceeded', want: false },
    { errorEquals: ['States.DataLimitExceeded'], error: 'States.DataLimitExceeded', want: true },
    { errorEquals: ['States.TaskFailed'], error: 'Lambda.Unknown', want: true },
    { errorEquals: ['States.TaskFailed'], error: 'States.Timeout', want: false },
    { errorEquals: ['States.TaskFailed'], error: 'States.Runtime', want: false },
    { errorEquals: ['States.Timeout'], error: 'States.Timeout', want: true },
    // Guide: States.Timeout is "a Task state either ran longer than TimeoutSeconds, or failed to send a heartbeat for
    // a period longer than the HeartbeatSeconds value".
    { errorEquals: ['States.Timeout'], error: 'States.HeartbeatTimeout', want: true },
    { errorEquals: ['States.HeartbeatTimeout'], error: 'States.HeartbeatTimeout', want: true },
    { errorEquals: ['States.Timeout'], error: 'Custom.Error', want: false },
  ])('$errorEquals names $error: $want', ({ errorEquals, error, want }) => {
    // Act
    const matched = errorMatches(errorEquals, error);

    // Assess
    expect(matched).toBe(want);
  });
});

describe('Interpreter: Retry', () => {
  it.each([
    { given: 'the defaults (IntervalSeconds 1, BackoffRate 2, MaxAttempts 3)', retrier: {}, want: [1000, 2000, 4000] },
    { given: 'IntervalSeconds 3, BackoffRate 1.5, MaxAttempts 2', retrier: { IntervalSeconds: 3, BackoffRate: 1.5, MaxAttempts: 2 }, want: [3000, 4500] },
    { given: 'BackoffRate 1: a constant interval', retrier: { IntervalSeconds: 2, BackoffRate: 1, MaxAttempts: 3 }, want: [2000, 2000, 2000] },
    { given: 'MaxAttempts 1', retrier: { MaxAttempts: 1 }, want: [1000] },
    { given: 'MaxAttempts 0: never retried', retrier: { MaxAttempts: 0 }, want: [] },
    { given: 'MaxDelaySeconds caps the growing interval', retrier: { IntervalSeconds: 2, BackoffRate: 3, MaxAttempts: 4, MaxDelaySeconds: 5 }, want: [2000, 5000, 5000, 5000] },
    { given: 'MaxDelaySeconds above every interval changes nothing', retrier: { IntervalSeconds: 1, BackoffRate: 2, MaxAttempts: 2, MaxDelaySeconds: 60 }, want: [1000, 2000] },
    { given: 'JitterStrategy FULL: a random share of each interval', retrier: { IntervalSeconds: 4, BackoffRate: 2, MaxAttempts: 2, JitterStrategy: 'FULL' }, want: [1000, 2000] },
    { given: 'JitterStrategy NONE: the interval as it is', retrier: { IntervalSeconds: 4, BackoffRate: 2, MaxAttempts: 2, JitterStrategy: 'NONE' }, want: [4000, 8000] },
  ])('$given: waits $want between attempts, then fails with the error', async ({ retrier, want }) => {
    // Prepare
    const { run, tasks } = harness(fails('Custom.Error'), { random: () => 0.25 });

    // Act
    const outcome = await run(task({ Retry: [{ ErrorEquals: ['States.ALL'], ...retrier }] }));

    // Assess
    const gaps = tasks.calls.slice(1).map((c, i) => c.at - tasks.calls[i]!.at);
    expect(gaps).toEqual(want);
    expect(outcome).toEqual({ status: 'failed', error: 'Custom.Error', cause: 'it broke' });
  });

  it('does not retry before the interval has passed', async () => {
    // Prepare
    const { start, tasks, clock } = harness(fails('Custom.Error'));
    start(task({ Retry: [{ ErrorEquals: ['Custom.Error'], IntervalSeconds: 2 }] }));

    // Act
    await clock.advance(1999);
    const before = tasks.calls.length;
    await clock.advance(1);

    // Assess
    expect(before).toBe(1);
    expect(tasks.calls).toHaveLength(2);
  });

  it('a retry that succeeds gives the task`s output; $$.State.RetryCount counts the retries, EnteredTime stays', async () => {
    // Prepare
    const { run, tasks } = harness((_call, index) => {
      if (index < 2) throw new StatesError('Custom.Error', 'flaky');
      return 'ok';
    });
    const state = { Parameters: { 'retry.$': '$$.State.RetryCount', 'entered.$': '$$.State.EnteredTime' }, Retry: [{ ErrorEquals: ['Custom.Error'], IntervalSeconds: 1 }] };

    // Act
    const outcome = await run(task(state));

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: 'ok' });
    expect(tasks.calls.map((c) => c.call.parameters)).toEqual([
      { retry: 0, entered: '2024-05-01T12:00:00.000Z' },
      { retry: 1, entered: '2024-05-01T12:00:00.000Z' },
      { retry: 2, entered: '2024-05-01T12:00:00.000Z' },
    ]);
  });

  it.each([
    { given: 'an error no retrier names', errorEquals: ['Other.Error'], want: 1 },
    { given: 'the error named among others', errorEquals: ['Other.Error', 'Custom.Error'], want: 2 },
    { given: 'States.TaskFailed for a task`s own error', errorEquals: ['States.TaskFailed'], want: 2 },
  ])('$given: $want attempt(s)', async ({ errorEquals, want }) => {
    // Prepare
    const { run, tasks } = harness(fails('Custom.Error'));

    // Act
    await run(task({ Retry: [{ ErrorEquals: errorEquals, MaxAttempts: 1 }] }));

    // Assess
    expect(tasks.calls).toHaveLength(want);
  });

  it('the first retrier naming the error applies, with its own interval', async () => {
    // Prepare
    const { run, tasks } = harness(fails('Custom.Error'));
    const retry = [
      { ErrorEquals: ['Custom.Error'], IntervalSeconds: 7, MaxAttempts: 1 },
      { ErrorEquals: ['States.ALL'], IntervalSeconds: 1, MaxAttempts: 5 },
    ];

    // Act
    await run(task({ Retry: retry }));

    // Assess: once exhausted, the first retrier's error does not fall through to the next one.
    expect(tasks.calls.map((c) => c.at - START)).toEqual([0, 7000]);
  });

  it('States.Runtime is not retried by States.ALL', async () => {
    // Prepare: the task answers, then the ResultSelector's path finds nothing (States.Runtime).
    const { run, tasks } = harness(() => ({ present: 1 }));

    // Act
    const outcome = await run(task({ ResultSelector: { 'x.$': '$.absent' }, Retry: [{ ErrorEquals: ['States.ALL'] }] }));

    // Assess
    expect(tasks.calls).toHaveLength(1);
    expect(outcome).toMatchObject({ status: 'failed', error: 'States.Runtime' });
  });
});

describe('Interpreter: Catch', () => {
  const withFallback = (catcher: object, extra: object = {}): object => ({
    StartAt: 'Work',
    States: {
      Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', Catch: [{ Next: 'Fallback', ...catcher }], Next: 'Done', ...extra },
      Fallback: { Type: 'Pass', End: true },
      Done: { Type: 'Pass', Result: 'done', End: true },
    },
  });

  it.each([
    { given: 'no ResultPath: the error output replaces the input', catcher: { ErrorEquals: ['States.ALL'] }, want: { Error: 'Custom.Error', Cause: 'it broke' } },
    { given: 'ResultPath $.error: the error output joins the input', catcher: { ErrorEquals: ['States.ALL'], ResultPath: '$.error' }, want: { id: 'o-1', error: { Error: 'Custom.Error', Cause: 'it broke' } } },
    { given: 'ResultPath null: the input as it was', catcher: { ErrorEquals: ['Custom.Error'], ResultPath: null }, want: { id: 'o-1' } },
    { given: 'the error named', catcher: { ErrorEquals: ['Custom.Error'] }, want: { Error: 'Custom.Error', Cause: 'it broke' } },
    { given: 'States.TaskFailed', catcher: { ErrorEquals: ['States.TaskFailed'] }, want: { Error: 'Custom.Error', Cause: 'it broke' } },
  ])('$given', async ({ catcher, want }) => {
    // Prepare
    const { run } = harness(fails('Custom.Error'));

    // Act
    const outcome = await run(withFallback(catcher), { id: 'o-1' });

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: want });
  });

  it('an error no catcher names fails the execution with it', async () => {
    // Prepare
    const { run } = harness(fails('Custom.Error'));

    // Act
    const outcome = await run(withFallback({ ErrorEquals: ['Other.Error'] }), { id: 'o-1' });

    // Assess
    expect(outcome).toEqual({ status: 'failed', error: 'Custom.Error', cause: 'it broke' });
  });

  it('catchers are tried in order: the first that names the error wins', async () => {
    // Prepare
    const { run } = harness(fails('Custom.Error'));
    const definition = {
      StartAt: 'Work',
      States: {
        Work: {
          Type: 'Task',
          Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work',
          Catch: [
            { ErrorEquals: ['Other.Error'], Next: 'First' },
            { ErrorEquals: ['Custom.Error'], Next: 'Second' },
            { ErrorEquals: ['States.ALL'], Next: 'Third' },
          ],
          End: true,
        },
        First: { Type: 'Pass', Result: 'first', End: true },
        Second: { Type: 'Pass', Result: 'second', End: true },
        Third: { Type: 'Pass', Result: 'third', End: true },
      },
    };

    // Act
    const outcome = await run(definition);

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: 'second' });
  });

  it('Retry runs out first, then Catch takes the error', async () => {
    // Prepare
    const { run, tasks } = harness(fails('Custom.Error'));

    // Act
    const outcome = await run(withFallback({ ErrorEquals: ['States.ALL'], ResultPath: '$.error' }, { Retry: [{ ErrorEquals: ['Custom.Error'], MaxAttempts: 2, IntervalSeconds: 1 }] }), { id: 'o-1' });

    // Assess
    expect(tasks.calls).toHaveLength(3);
    expect(outcome).toEqual({ status: 'succeeded', output: { id: 'o-1', error: { Error: 'Custom.Error', Cause: 'it broke' } } });
  });

  it('States.Runtime is not caught by States.ALL', async () => {
    // Prepare
    const { run } = harness(() => ({ present: 1 }));

    // Act
    const outcome = await run(withFallback({ ErrorEquals: ['States.ALL'] }, { ResultSelector: { 'x.$': '$.absent' } }));

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', error: 'States.Runtime' });
  });

  it('a task result of exactly 256 KiB is within the limit', async () => {
    // Prepare: a JSON string of 262144 bytes, the quotes included.
    const { run } = harness(() => 'x'.repeat(262_142));

    // Act
    const outcome = await run(task());

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: 'x'.repeat(262_142) });
  });

  it.each([
    { given: 'a function`s ARN', resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', who: 'arn:aws:lambda:us-east-1:123456789012:function:work', event: 'LambdaFunctionFailed' },
    { given: 'lambda:invoke', resource: 'arn:aws:states:::lambda:invoke', who: 'lambda', event: 'TaskFailed' },
  ])('LS-rec test_task_lambda_catch_state_all_data_limit_exceeded_on_large_utf8_response: States.ALL catches a result over 256 KiB from $given', async ({ resource, who, event }) => {
    // Prepare
    const { run, events } = harness(() => 'x'.repeat(262_200));
    const cause = `The state/task '${who}' returned a result with a size exceeding the maximum number of bytes service limit.`;

    // Act
    const outcome = await run(withFallback({ ErrorEquals: ['States.ALL'] }, { Resource: resource }));

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: { Error: 'States.DataLimitExceeded', Cause: cause } });
    expect(events.find((e) => e.type === event)?.details).toMatchObject({ error: 'States.DataLimitExceeded', cause });
  });

  it('LS-rec test_start_large_input: a Pass state`s output over 256 KiB fails the execution, the state named in the cause', async () => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run({ StartAt: 'Grow', States: { Grow: { Type: 'Pass', Result: 'x'.repeat(262_200), End: true } } });

    // Assess
    expect(outcome).toEqual({ status: 'failed', error: 'States.DataLimitExceeded', cause: "The state/task 'Grow' returned a result with a size exceeding the maximum number of bytes service limit." });
  });

  it('a task result over 256 KiB fails with States.DataLimitExceeded even when ResultPath discards it', async () => {
    // Prepare: guide "Error names": "The output from a connector is larger than payload size quota".
    const { run } = harness(() => 'x'.repeat(262_200));

    // Act
    const outcome = await run(task({ ResultPath: null }), { small: true });

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', error: 'States.DataLimitExceeded' });
  });
});

describe('Interpreter: Task TimeoutSeconds', () => {
  it('a task still running at TimeoutSeconds fails with States.Timeout and is told to stop', async () => {
    // Prepare
    const { start, tasks, clock } = harness();
    const { watched } = start(task({ TimeoutSeconds: 5 }));

    // Act
    await clock.advance(4999);
    const before = watched.outcome.status;
    await clock.advance(1);

    // Assess
    expect(before).toBe('running');
    expect(watched.outcome).toMatchObject({ status: 'failed', error: 'States.Timeout' });
    expect(tasks.calls[0]!.call.signal.aborted).toBe(true);
  });

  it.each([
    { given: 'lambda:invoke', resource: 'arn:aws:states:::lambda:invoke', event: 'TaskTimedOut', details: { error: 'States.Timeout', resource: 'invoke', resourceType: 'lambda' } },
    { given: 'a function`s ARN', resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', event: 'LambdaFunctionTimedOut', details: { error: 'States.Timeout' } },
  ])('LS-rec test_fixed_timeout_service_lambda: the timed-out event of $given has no cause, a Catch gets an empty Cause', async ({ resource, event, details }) => {
    // Prepare
    const { start, clock, events } = harness();
    const { watched } = start({
      StartAt: 'Work',
      States: { Work: { Type: 'Task', Resource: resource, TimeoutSeconds: 2, Catch: [{ ErrorEquals: ['States.Timeout'], Next: 'Fallback' }], End: true }, Fallback: { Type: 'Pass', End: true } },
    });

    // Act
    await clock.advance(2000);

    // Assess
    expect(events.find((e) => e.type === event)?.details).toEqual(details);
    expect(watched.outcome).toEqual({ status: 'succeeded', output: { Error: 'States.Timeout', Cause: '' } });
  });

  it('a task that answers before TimeoutSeconds succeeds, and its timer is cancelled', async () => {
    // Prepare
    const { start, tasks, clock } = harness();
    const { watched } = start(task({ TimeoutSeconds: 5 }));
    await clock.advance(4999);

    // Act
    tasks.calls[0]!.resolve('in time');
    await settle();

    // Assess
    expect(watched.outcome).toEqual({ status: 'succeeded', output: 'in time' });
    expect(clock.pending).toBe(0);
  });

  it('TimeoutSecondsPath reads the timeout from the input', async () => {
    // Prepare
    const { start, clock } = harness();
    const { watched } = start(task({ TimeoutSecondsPath: '$.limit' }), { limit: 2 });

    // Act
    await clock.advance(1999);
    const before = watched.outcome.status;
    await clock.advance(1);

    // Assess
    expect(before).toBe('running');
    expect(watched.outcome).toMatchObject({ status: 'failed', error: 'States.Timeout' });
  });

  it.each([
    { given: 'States.TaskFailed does not catch it; States.ALL after it does', catchers: [['States.TaskFailed'], ['States.ALL']], want: 'B' },
    { given: 'States.Timeout catches it', catchers: [['States.Timeout'], ['States.ALL']], want: 'A' },
  ])('a timeout: $given', async ({ catchers, want }) => {
    // Prepare
    const { run } = harness();
    const definition = {
      StartAt: 'Work',
      States: {
        Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', TimeoutSeconds: 1, Catch: catchers.map((errorEquals, i) => ({ ErrorEquals: errorEquals, Next: i === 0 ? 'A' : 'B' })), End: true },
        A: { Type: 'Pass', Result: 'A', End: true },
        B: { Type: 'Pass', Result: 'B', End: true },
      },
    };

    // Act
    const outcome = await run(definition);

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: want });
  });
});

describe('Interpreter: the execution`s abort signal', () => {
  it('keeps no listener for a task, Parallel or Map once it is done (they grew with every state: MaxListenersExceededWarning)', async () => {
    // Prepare: 12 tasks in a row, a Parallel of two tasks, a Map of 12 items of a task each.
    const { start, clock } = harness(() => ({ ok: true }));
    const work = { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', ResultPath: null };
    const states: Record<string, object> = {};
    for (let i = 0; i < 12; i++) states[`T${i}`] = { ...work, Next: i < 11 ? `T${i + 1}` : 'Both' };
    states.Both = { Type: 'Parallel', Branches: [single(work), single(work)], ResultPath: null, Next: 'Each' };
    states.Each = { Type: 'Map', ItemsPath: '$.items', ItemProcessor: single(work), End: true };

    // Act
    const { watched, controller } = start({ StartAt: 'T0', States: states }, { items: Array.from({ length: 12 }, (_, i) => i) });
    await clock.runAll();

    // Assess
    expect(watched.outcome.status).toBe('succeeded');
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
  });

  it('still stops a task under way when the execution is stopped', async () => {
    const { start, tasks } = harness();
    const { watched, controller } = start(task());
    await settle();

    controller.abort(new StatesError('States.Aborted', 'stopped'));
    await settle();

    expect(tasks.calls[0]!.call.signal.aborted).toBe(true);
    expect(watched.outcome).toEqual({ status: 'failed', error: 'States.Aborted', cause: 'stopped' });
  });
});
