/**
 * The Amazon States Language interpreter (ASL spec https://states-language.net/spec.html; developer guide "States",
 * "Processing input and output", "Handling errors", "Context object"). Time is a fake clock driven by the test; tasks
 * are a fake task runner that stands for the services a Task calls.
 */
import { getEventListeners } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { StatesError } from '../../../../emulator/services/stepfunctions/json.js';
import { errorMatches, Interpreter, type ExecutionInfo, type TaskCall } from '../../../../emulator/services/stepfunctions/interpreter.js';
import { FakeScheduler, settle } from '../../support/fake-scheduler.js';

const START = Date.parse('2024-05-01T12:00:00.000Z');

/** The fake clock: a scheduler on a fixed start. */
class FakeClock extends FakeScheduler {
  constructor() {
    super(START);
  }
}

const PENDING = Symbol('pending');
type Responder = (call: TaskCall, index: number) => Json | typeof PENDING;

interface RecordedCall {
  call: TaskCall;
  at: number;
  resolve(output: Json): void;
  reject(error: StatesError): void;
}

/** A fake task runner standing for the AWS services a Task calls: answers by `respond`, or leaves the call pending. */
class FakeTaskRunner {
  readonly calls: RecordedCall[] = [];
  running = 0;
  maxRunning = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly respond: Responder = () => PENDING,
  ) {}
  readonly runTask = (call: TaskCall): Promise<Json> =>
    new Promise<Json>((resolve, reject) => {
      let settled = false;
      const end = (fn: () => void) => {
        if (settled) return;
        settled = true;
        this.running -= 1;
        fn();
      };
      this.running += 1;
      this.maxRunning = Math.max(this.maxRunning, this.running);
      const recorded: RecordedCall = { call, at: this.clock.now(), resolve: (v) => end(() => resolve(v)), reject: (e) => end(() => reject(e)) };
      this.calls.push(recorded);
      try {
        const answer = this.respond(call, this.calls.length - 1);
        if (answer !== PENDING) recorded.resolve(answer);
      } catch (error) {
        recorded.reject(error as StatesError);
      }
    });
}

const EXECUTION: ExecutionInfo = {
  id: 'arn:aws:states:us-east-1:123456789012:execution:Orders:run-1',
  name: 'run-1',
  input: { order: 42 },
  startTime: '2024-05-01T11:59:58.000Z',
  roleArn: 'arn:aws:iam::123456789012:role/orders-role',
  stateMachineId: 'arn:aws:states:us-east-1:123456789012:stateMachine:Orders',
  stateMachineName: 'Orders',
};

type Outcome = { status: 'running' } | { status: 'succeeded'; output: Json } | { status: 'failed'; error: string; cause: string } | { status: 'crashed'; reason: unknown };

/** An interpreter on a fake clock and a fake task runner, and a way to start a machine and watch its outcome. */
function harness(respond?: Responder, options: { random?: () => number } = {}) {
  const clock = new FakeClock();
  const tasks = new FakeTaskRunner(clock, respond);
  const events: { type: string; details: Record<string, Json> }[] = [];
  const interpreter = new Interpreter({ now: clock.now, after: clock.after, runTask: tasks.runTask, ...options, onEvent: (type, details) => events.push({ type, details }) }, EXECUTION);
  const start = (definition: object, input: unknown = {}) => {
    const controller = new AbortController();
    const watched: { outcome: Outcome } = { outcome: { status: 'running' } };
    interpreter.run(definition as Record<string, Json>, input as Json, controller.signal).then(
      (output) => (watched.outcome = { status: 'succeeded', output }),
      (reason: unknown) => (watched.outcome = reason instanceof StatesError ? { status: 'failed', error: reason.error, cause: reason.cause } : { status: 'crashed', reason }),
    );
    return { watched, controller };
  };
  /** Runs a machine to its end, firing every timer. */
  const run = async (definition: object, input: unknown = {}): Promise<Outcome> => {
    const { watched } = start(definition, input);
    await clock.runAll();
    return watched.outcome;
  };
  return { clock, tasks, events, start, run };
}

const fails = (error: string, cause = 'it broke') => () => {
  throw new StatesError(error, cause);
};

/** A machine of one state. */
const single = (state: object): Record<string, Json> => ({ StartAt: 'Only', States: { Only: { ...state, End: true } } });
const task = (extra: object = {}): Record<string, Json> => single({ Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', ...extra });

describe('Interpreter: input and output processing (InputPath → Parameters → ResultSelector → ResultPath → OutputPath)', () => {
  it.each([
    { given: 'no fields: the input passes through', state: {}, input: { a: 1 }, want: { a: 1 } },
    { given: 'InputPath selects the effective input', state: { InputPath: '$.a' }, input: { a: { b: 2 }, c: 3 }, want: { b: 2 } },
    { given: 'InputPath null: an empty object', state: { InputPath: null }, input: { a: 1 }, want: {} },
    { given: 'Parameters with a path and a static value', state: { Parameters: { 'x.$': '$.a', fixed: 'yes' } }, input: { a: 1 }, want: { x: 1, fixed: 'yes' } },
    { given: 'Result replaces the input (ResultPath $ by default)', state: { Result: { r: true } }, input: { a: 1 }, want: { r: true } },
    { given: 'Result at ResultPath $.r joins the input', state: { Result: 'done', ResultPath: '$.r' }, input: { a: 1 }, want: { a: 1, r: 'done' } },
    { given: 'Result at a nested ResultPath creates the objects on the way', state: { Result: 1, ResultPath: '$.x.y' }, input: { a: 1 }, want: { a: 1, x: { y: 1 } } },
    { given: 'ResultPath null discards the result', state: { Result: 'ignored', ResultPath: null }, input: { a: 1 }, want: { a: 1 } },
    { given: 'OutputPath selects from the result', state: { Result: { keep: 1, drop: 2 }, OutputPath: '$.keep' }, input: {}, want: 1 },
    { given: 'OutputPath null: an empty object', state: { OutputPath: null }, input: { a: 1 }, want: {} },
    { given: 'ResultPath merges into the raw input, not the InputPath selection', state: { InputPath: '$.a', Result: 'r', ResultPath: '$.out' }, input: { a: { b: 2 }, c: 3 }, want: { a: { b: 2 }, c: 3, out: 'r' } },
  ])('Pass: $given', async ({ state, input, want }) => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run(single({ Type: 'Pass', ...state }), input);

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: want });
  });

  it('Task: every step in the documented order', async () => {
    // Prepare
    const { run, tasks } = harness(() => ({ payload: { total: 10, noise: 'x' }, status: 200 }));
    const state = {
      InputPath: '$.order',
      Parameters: { 'id.$': '$.id', 'state.$': '$$.State.Name' },
      ResultSelector: { 'total.$': '$.payload.total' },
      ResultPath: '$.result',
      OutputPath: '$.result',
    };

    // Act
    const outcome = await run(task(state), { order: { id: 'o-1' }, other: true });

    // Assess
    expect(tasks.calls.map((c) => c.call.parameters)).toEqual([{ id: 'o-1', state: 'Only' }]);
    expect(outcome).toEqual({ status: 'succeeded', output: { total: 10 } });
  });

  it('Task: ResultPath keeps the whole raw input beside the result', async () => {
    // Prepare
    const { run } = harness(() => 'answer');

    // Act
    const outcome = await run(task({ InputPath: '$.order', ResultPath: '$.result' }), { order: { id: 'o-1' }, other: true });

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: { order: { id: 'o-1' }, other: true, result: 'answer' } });
  });

  it('a state`s output is the next state`s input', async () => {
    // Prepare
    const { run } = harness();
    const definition = {
      StartAt: 'One',
      States: {
        One: { Type: 'Pass', Result: 1, ResultPath: '$.one', Next: 'Two' },
        Two: { Type: 'Pass', Parameters: { 'sum.$': 'States.MathAdd($.one, 1)' }, End: true },
      },
    };

    // Act
    const outcome = await run(definition, {});

    // Assess
    expect(outcome).toEqual({ status: 'succeeded', output: { sum: 2 } });
  });

  it('a Parameters path that finds nothing fails the execution with States.Runtime', async () => {
    // Prepare
    const { run } = harness();

    // Act
    const outcome = await run(single({ Type: 'Pass', Parameters: { 'x.$': '$.missing' } }), { a: 1 });

    // Assess
    expect(outcome).toMatchObject({ status: 'failed', error: 'States.Runtime' });
  });
});

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

describe('Interpreter: the context object ($$)', () => {
  it('gives Execution, StateMachine and State to Parameters', async () => {
    // Prepare
    const { run } = harness();
    const definition = {
      StartAt: 'Pause',
      States: {
        Pause: { Type: 'Wait', Seconds: 5, Next: 'Look' },
        Look: {
          Type: 'Pass',
          Parameters: {
            'id.$': '$$.Execution.Id',
            'name.$': '$$.Execution.Name',
            'input.$': '$$.Execution.Input',
            'started.$': '$$.Execution.StartTime',
            'state.$': '$$.State.Name',
            'entered.$': '$$.State.EnteredTime',
            'retries.$': '$$.State.RetryCount',
            'machine.$': '$$.StateMachine.Id',
            'machineName.$': '$$.StateMachine.Name',
          },
          End: true,
        },
      },
    };

    // Act
    const outcome = await run(definition, { notTheExecutionInput: true });

    // Assess
    expect(outcome).toEqual({
      status: 'succeeded',
      output: {
        id: EXECUTION.id,
        name: 'run-1',
        input: { order: 42 },
        started: '2024-05-01T11:59:58.000Z',
        state: 'Look',
        entered: '2024-05-01T12:00:05.000Z',
        retries: 0,
        machine: EXECUTION.stateMachineId,
        machineName: 'Orders',
      },
    });
  });

  it.each([
    { given: '.waitForTaskToken', resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', want: true },
    { given: 'a request-response integration', resource: 'arn:aws:states:::sqs:sendMessage', want: false },
  ])('$$.Task.Token with $given: $want', async ({ resource, want }) => {
    // Prepare
    const { run, tasks } = harness(() => 'sent');

    // Act
    const outcome = await run(single({ Type: 'Task', Resource: resource, Parameters: { 'token.$': '$$.Task.Token' } }));

    // Assess
    if (want) {
      const token = tasks.calls[0]!.call.taskToken;
      expect(token).toMatch(/^\S{20,}$/);
      expect(tasks.calls[0]!.call.parameters).toEqual({ token });
      expect(outcome).toEqual({ status: 'succeeded', output: 'sent' });
    } else {
      expect(tasks.calls).toHaveLength(0);
      expect(outcome).toMatchObject({ status: 'failed', error: 'States.Runtime' });
    }
  });

  it('a new task token for every .waitForTaskToken task', async () => {
    // Prepare
    const { run, tasks } = harness(() => 'sent');
    const definition = {
      StartAt: 'One',
      States: {
        One: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Next: 'Two' },
        Two: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', End: true },
      },
    };

    // Act
    await run(definition);

    // Assess
    const [one, two] = tasks.calls.map((c) => c.call.taskToken);
    expect(one).toBeTypeOf('string');
    expect(two).toBeTypeOf('string');
    expect(one).not.toBe(two);
  });
});

describe('Interpreter: events', () => {
  it('reports each state`s entry and exit and a task`s scheduling and end, in order', async () => {
    // Prepare
    const { run, events } = harness(() => 'answer');
    const definition = {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Result: { a: 1 }, Next: 'Work' },
        Work: { Type: 'Task', Resource: 'arn:aws:lambda:us-east-1:123456789012:function:work', End: true },
      },
    };

    // Act
    await run(definition, { start: true });

    // Assess
    // A function's ARN as Resource: the LambdaFunction* events (API Reference, HistoryEvent).
    expect(events.map((e) => e.type)).toEqual(['PassStateEntered', 'PassStateExited', 'TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionSucceeded', 'TaskStateExited']);
    expect(events[0]!.details).toMatchObject({ name: 'First', input: { start: true } });
    expect(events[1]!.details).toMatchObject({ name: 'First', output: { a: 1 } });
    expect(events[6]!.details).toMatchObject({ name: 'Work', output: 'answer' });
  });

  it('reports a task`s failure', async () => {
    // Prepare
    const { run, events } = harness(fails('Custom.Error', 'why'));

    // Act
    await run(task());

    // Assess
    expect(events.map((e) => e.type)).toEqual(['TaskStateEntered', 'LambdaFunctionScheduled', 'LambdaFunctionStarted', 'LambdaFunctionFailed']);
    expect(events[3]!.details).toMatchObject({ error: 'Custom.Error', cause: 'why' });
  });

  it('an integration`s task reports Task* events with its resourceType, resource and region', async () => {
    // Prepare
    const { run, events } = harness(() => ({ ok: true }));

    // Act
    await run(single({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'm' }, End: true }));

    // Assess
    expect(events.map((e) => e.type)).toEqual(['TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited']);
    expect(events[1]!.details).toMatchObject({ resourceType: 'sqs', resource: 'sendMessage', region: 'us-east-1', parameters: { QueueUrl: 'q', MessageBody: 'm' } });
    expect(events[3]!.details).toMatchObject({ resourceType: 'sqs', resource: 'sendMessage', output: { ok: true } });
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

describe('Interpreter: what a task call carries', () => {
  it('the execution`s ARN and its state machine`s (events:putEvents appends them to each entry`s Resources)', async () => {
    const { run, tasks } = harness(() => ({}));

    await run(task());

    expect(tasks.calls[0]!.call).toMatchObject({ executionArn: EXECUTION.id, stateMachineArn: EXECUTION.stateMachineId });
  });
});
