/**
 * The Amazon States Language interpreter (ASL spec https://states-language.net/spec.html; developer guide "States",
 * "Processing input and output", "Context object"): how data flows through a machine, the context object, what a task
 * call carries and the events an execution records. Errors are in interpreter-errors.test.ts, the states that steer
 * a machine (Wait, Choice, Parallel, Map) in interpreter-states.test.ts. Harness: interpreter-harness.ts.
 */
import { describe, expect, it } from 'vitest';
import { EXECUTION, fails, harness, single, task } from './interpreter-harness.js';

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

describe('Interpreter: what a task call carries', () => {
  it('the execution`s ARN and its state machine`s (events:putEvents appends them to each entry`s Resources)', async () => {
    const { run, tasks } = harness(() => ({}));

    await run(task());

    expect(tasks.calls[0]!.call).toMatchObject({ executionArn: EXECUTION.id, stateMachineArn: EXECUTION.stateMachineId });
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
