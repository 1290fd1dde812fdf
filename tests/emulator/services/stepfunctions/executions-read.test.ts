/**
 * The embedded Step Functions API's reads (API Reference: DescribeExecution, ListExecutions, GetExecutionHistory,
 * DescribeStateMachine, ListStateMachines). Time is a fake clock; the other AWS services are fakes (executions-harness.ts).
 */
import { describe, expect, it } from 'vitest';
import { settle } from '../../support/fake-scheduler.js';
import { ACCOUNT, apiError, arnOf, harness, passMachine, REGION, spec, START } from './executions-harness.js';

describe('DescribeExecution', () => {
  it('describes a running execution: no stop date, no output', async () => {
    // Prepare
    const { start, describe } = harness();
    const arn = await start('Sleeper', { a: 1 }, 'sleepy');

    // Act
    const described = await describe(arn);

    // Assess
    expect(described).toMatchObject({ executionArn: arn, stateMachineArn: arnOf('Sleeper'), name: 'sleepy', status: 'RUNNING', startDate: START / 1000, input: '{"a":1}' });
    expect(described).not.toHaveProperty('stopDate');
    expect(described).not.toHaveProperty('output');
  });

  it('describes a succeeded execution: its output and stop date', async () => {
    // Prepare
    const { start, describe, clock } = harness();
    const arn = await start('Sleeper', { a: 1 });

    // Act
    await clock.advance(60_000);

    // Assess
    const described = await describe(arn);
    expect(described).toMatchObject({ status: 'SUCCEEDED', stopDate: START / 1000 + 60 });
    expect(JSON.parse(described.output as string)).toEqual({ a: 1 });
  });

  it('describes a failed execution: its error and cause, no output', async () => {
    // Prepare
    const { start, describe } = harness();

    // Act
    const arn = await start('Failer');

    // Assess
    const described = await describe(arn);
    expect(described).toMatchObject({ status: 'FAILED', error: 'Order.Invalid', cause: 'no items' });
    expect(described).not.toHaveProperty('output');
  });

  it.each([
    { given: 'a well-formed ARN of no execution', arn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Greeter:never`, want: 'ExecutionDoesNotExist' },
    { given: 'a state machine ARN', arn: arnOf('Greeter'), want: 'InvalidArn' },
    { given: 'not an ARN', arn: 'never', want: 'InvalidArn' },
  ])('refuses $given with $want', async ({ arn, want }) => {
    // Prepare
    const { describe } = harness();

    // Act
    const code = await apiError(describe(arn));

    // Assess
    expect(code).toBe(want);
  });
});

describe('ListExecutions', () => {
  /** Four executions, a second apart: a (SUCCEEDED by the end), b (ABORTED), c (FAILED), d (RUNNING). */
  async function four() {
    const h = harness([spec('Mixed', { StartAt: 'Pick', States: { Pick: { Type: 'Choice', Choices: [{ Variable: '$.fail', BooleanEquals: true, Next: 'Stop' }], Default: 'Pause' }, Pause: { Type: 'Wait', SecondsPath: '$.wait', End: true }, Stop: { Type: 'Fail', Error: 'E' } } })]);
    await h.start('Mixed', { fail: false, wait: 2 }, 'a');
    await h.clock.advance(1000);
    await h.start('Mixed', { fail: false, wait: 100 }, 'b');
    await h.clock.advance(1000);
    await h.start('Mixed', { fail: true }, 'c');
    await h.clock.advance(1000);
    await h.start('Mixed', { fail: false, wait: 100 }, 'd');
    await h.call('StopExecution', { executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Mixed:b` });
    const list = async (input: Record<string, unknown> = {}) => h.call<{ executions: { name: string; status: string }[]; nextToken?: string }>('ListExecutions', { stateMachineArn: arnOf('Mixed'), ...input });
    return { ...h, list };
  }

  it('lists the machine`s executions, newest first', async () => {
    // Prepare
    const { list, start } = await four();
    await start('Greeter');

    // Act
    const answer = await list();

    // Assess
    expect(answer.executions.map((e) => [e.name, e.status])).toEqual([
      ['d', 'RUNNING'],
      ['c', 'FAILED'],
      ['b', 'ABORTED'],
      ['a', 'SUCCEEDED'],
    ]);
    expect(answer.nextToken).toBeUndefined();
  });

  it.each([
    { statusFilter: 'RUNNING', want: ['d'] },
    { statusFilter: 'SUCCEEDED', want: ['a'] },
    { statusFilter: 'FAILED', want: ['c'] },
    { statusFilter: 'ABORTED', want: ['b'] },
    { statusFilter: 'TIMED_OUT', want: [] },
  ])('statusFilter $statusFilter: $want', async ({ statusFilter, want }) => {
    // Prepare
    const { list } = await four();

    // Act
    const answer = await list({ statusFilter });

    // Assess
    expect(answer.executions.map((e) => e.name)).toEqual(want);
  });

  it('pages by maxResults and nextToken', async () => {
    // Prepare
    const { list } = await four();

    // Act
    const first = await list({ maxResults: 3 });
    const second = await list({ maxResults: 3, nextToken: first.nextToken });

    // Assess
    expect(first.executions.map((e) => e.name)).toEqual(['d', 'c', 'b']);
    expect(first.nextToken).toEqual(expect.any(String));
    expect(second.executions.map((e) => e.name)).toEqual(['a']);
    expect(second.nextToken).toBeUndefined();
  });

  it('maxResults equal to the count: one page, no nextToken', async () => {
    // Prepare
    const { list } = await four();

    // Act
    const answer = await list({ maxResults: 4 });

    // Assess
    expect(answer.executions).toHaveLength(4);
    expect(answer.nextToken).toBeUndefined();
  });

  it('refuses an express machine with StateMachineTypeNotSupported', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call('ListExecutions', { stateMachineArn: arnOf('Quick') }));

    // Assess
    expect(code).toBe('StateMachineTypeNotSupported');
  });
});

describe('GetExecutionHistory', () => {
  it('numbers the events of a Pass machine in order, each pointing at the one before', async () => {
    // Prepare
    const { start, history } = harness();
    const arn = await start('Greeter', { a: 1 });

    // Act
    const events = await history(arn);

    // Assess
    expect(events.map((e) => [e.id, e.previousEventId, e.type])).toEqual([
      [1, 0, 'ExecutionStarted'],
      [2, 1, 'PassStateEntered'],
      [3, 2, 'PassStateExited'],
      [4, 3, 'ExecutionSucceeded'],
    ]);
    expect(events[0]!.executionStartedEventDetails).toMatchObject({ input: '{"a":1}' });
    expect(events[1]!.stateEnteredEventDetails).toMatchObject({ name: 'Hello', input: '{"a":1}' });
    expect(JSON.parse((events[2]!.stateExitedEventDetails as { output: string }).output)).toEqual({ a: 1, said: { greeting: 'hi' } });
    expect(JSON.parse((events[3]!.executionSucceededEventDetails as { output: string }).output)).toEqual({ a: 1, said: { greeting: 'hi' } });
    expect(events.every((e) => e.timestamp === START / 1000)).toBe(true);
  });

  it('reverseOrder gives the newest event first', async () => {
    // Prepare
    const { start, history } = harness();
    const arn = await start('Greeter');

    // Act
    const events = await history(arn, { reverseOrder: true });

    // Assess
    expect(events.map((e) => e.id)).toEqual([4, 3, 2, 1]);
  });

  it('pages by maxResults and nextToken', async () => {
    // Prepare
    const { start, call } = harness();
    const arn = await start('Greeter');

    // Act
    const first = await call<{ events: { id: number }[]; nextToken?: string }>('GetExecutionHistory', { executionArn: arn, maxResults: 3 });
    const second = await call<{ events: { id: number }[]; nextToken?: string }>('GetExecutionHistory', { executionArn: arn, maxResults: 3, nextToken: first.nextToken });

    // Assess
    expect(first.events.map((e) => e.id)).toEqual([1, 2, 3]);
    expect(second.events.map((e) => e.id)).toEqual([4]);
    expect(second.nextToken).toBeUndefined();
  });

  it('a service integration task: TaskStateEntered, TaskScheduled, TaskStarted, TaskSucceeded, TaskStateExited', async () => {
    // Prepare
    const { start, history } = harness([spec('Sender', { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'hi' }, End: true } } })]);
    const arn = await start('Sender');

    // Act
    const events = await history(arn);

    // Assess
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
  });

  it('TaskScheduled names the resource type, the resource and the region (HistoryEvent TaskScheduledEventDetails)', async () => {
    // Prepare
    const { start, history } = harness([spec('Sender', { StartAt: 'Send', States: { Send: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'hi' }, End: true } } })]);
    const arn = await start('Sender');

    // Act
    const scheduled = (await history(arn)).find((e) => e.type === 'TaskScheduled');

    // Assess
    expect(scheduled?.taskScheduledEventDetails).toMatchObject({ resourceType: 'sqs', resource: 'sendMessage', region: REGION });
    expect(JSON.parse((scheduled?.taskScheduledEventDetails as { parameters: string }).parameters)).toEqual({ QueueUrl: 'q', MessageBody: 'hi' });
  });

  it.each([
    { given: 'a failed execution', machine: 'Failer', stop: false, want: { type: 'ExecutionFailed', key: 'executionFailedEventDetails', details: { error: 'Order.Invalid', cause: 'no items' } } },
    { given: 'an aborted execution', machine: 'Sleeper', stop: true, want: { type: 'ExecutionAborted', key: 'executionAbortedEventDetails', details: { error: 'Operator.Stop', cause: 'by hand' } } },
  ])('$given ends with $want.type', async ({ machine, stop, want }) => {
    // Prepare
    const { start, history, call } = harness();
    const arn = await start(machine);

    // Act
    if (stop) await call('StopExecution', { executionArn: arn, error: 'Operator.Stop', cause: 'by hand' });
    await settle();

    // Assess
    const last = (await history(arn)).at(-1)!;
    expect(last.type).toBe(want.type);
    expect(last[want.key]).toMatchObject(want.details);
  });

  it('refuses an execution that does not exist with ExecutionDoesNotExist', async () => {
    // Prepare
    const { history } = harness();

    // Act
    const code = await apiError(history(`arn:aws:states:${REGION}:${ACCOUNT}:execution:Greeter:never`));

    // Assess
    expect(code).toBe('ExecutionDoesNotExist');
  });
});

describe('DescribeStateMachine and ListStateMachines', () => {
  it('describes a machine: its definition, type and status', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const described = await call('DescribeStateMachine', { stateMachineArn: arnOf('Quick') });

    // Assess
    expect(described).toMatchObject({ stateMachineArn: arnOf('Quick'), name: 'Quick', type: 'EXPRESS', status: 'ACTIVE' });
    expect(JSON.parse(described.definition as string)).toEqual(passMachine);
  });

  it('lists every machine', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const answer = await call<{ stateMachines: { name: string }[] }>('ListStateMachines', {});

    // Assess
    expect(answer.stateMachines.map((m) => m.name).sort()).toEqual(['Echo', 'Failer', 'Greeter', 'Quick', 'QuickFail', 'Sleeper', 'Worker']);
  });
});
