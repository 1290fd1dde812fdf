/**
 * The embedded Step Functions API (API Reference: StartExecution, StartSyncExecution, StopExecution) and how an
 * execution runs and ends (developer guide: execution timeouts). Reading executions back is in
 * executions-read.test.ts, tasks that wait or start others in executions-tasks.test.ts. Time is a fake clock; the
 * other AWS services a task reaches are fakes (executions-harness.ts).
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { longTimer } from '../../../../emulator/services/stepfunctions/executions.js';
import { settle } from '../../support/fake-scheduler.js';
import { ACCOUNT, apiError, arnOf, FakeAwsServices, FUNCTION, harness, passMachine, REGION, spec, START, waitMachine } from './executions-harness.js';

describe('StartExecution', () => {
  it('starts a named execution: its ARN and start date', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const answer = await call('StartExecution', { stateMachineArn: arnOf('Greeter'), name: 'first', input: '{"a":1}' });

    // Assess
    expect(answer).toEqual({ executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Greeter:first`, startDate: START / 1000 });
  });

  it('without a name, generates one; without an input, the input is {}', async () => {
    // Prepare
    const { start, describe } = harness();

    // Act
    const arn = await start('Greeter');

    // Assess
    const described = await describe(arn);
    expect(described.name).toMatch(/^[0-9a-f-]{36}$/);
    expect(arn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:Greeter:${String(described.name)}`);
    expect(described.input).toBe('{}');
  });

  it.each([
    { given: 'an empty name', name: '' },
    { given: '81 characters', name: 'a'.repeat(81) },
    { given: 'a space', name: 'has space' },
    { given: 'a tab', name: 'has\ttab' },
    ...['<', '>', '{', '}', '[', ']', '?', '*', '"', '#', '%', '\\', '^', '|', '~', '`', '$', '&', ',', ';', ':', '/'].map((c) => ({ given: `the character ${c}`, name: `a${c}b` })),
    { given: 'a control character U+0001', name: 'a\u0001b' },
    { given: 'a control character U+007F', name: 'a\u007fb' },
    { given: 'a control character U+009F', name: 'a\u009fb' },
  ])('refuses $given with InvalidName', async ({ name }) => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call('StartExecution', { stateMachineArn: arnOf('Greeter'), name }));

    // Assess
    expect(code).toBe('InvalidName');
  });

  it.each([
    { given: '80 characters', name: 'a'.repeat(80) },
    { given: 'one character', name: 'a' },
    { given: 'dashes and underscores', name: 'order-42_retry' },
    { given: 'dots, parentheses, @, = and +', name: 'v1.2(a)@b=c+d' },
    { given: 'non-ASCII letters', name: 'commande-été' },
    { given: 'U+00A0 neighbour of the control range (U+00A1)', name: 'a\u00a1b' },
  ])('accepts $given', async ({ name }) => {
    // Prepare
    const { call } = harness();

    // Act
    const answer = await call<{ executionArn: string }>('StartExecution', { stateMachineArn: arnOf('Greeter'), name });

    // Assess
    expect(answer.executionArn.endsWith(`:execution:Greeter:${name}`)).toBe(true);
  });

  it.each([
    { given: 'text that is not JSON', input: 'not json' },
    { given: 'an unclosed object', input: '{"a":' },
    { given: 'a trailing comma', input: '{"a":1,}' },
    { given: 'single quotes', input: "{'a':1}" },
  ])('refuses $given with InvalidExecutionInput', async ({ input }) => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call('StartExecution', { stateMachineArn: arnOf('Greeter'), input }));

    // Assess
    expect(code).toBe('InvalidExecutionInput');
  });

  it.each([
    { given: 'an object', input: '{"a":[1,2]}' },
    { given: 'an array', input: '[1,2]' },
    { given: 'a string', input: '"text"' },
    { given: 'whitespace around JSON', input: ' {"a":1}\n' },
  ])('accepts $given as the input', async ({ input }) => {
    // Prepare
    const { start, describe } = harness();

    // Act
    const arn = await start('Echo', input);

    // Assess
    expect(await describe(arn)).toMatchObject({ input, status: 'SUCCEEDED' });
    expect(JSON.parse((await describe(arn)).output as string)).toEqual(JSON.parse(input));
  });

  it('is idempotent for a running standard execution of the same name and input: the same answer', async () => {
    // Prepare
    const { call, clock } = harness();
    const request = { stateMachineArn: arnOf('Sleeper'), name: 'once', input: '{"a":1}' };
    const first = await call('StartExecution', request);
    await clock.advance(5000);

    // Act
    const second = await call('StartExecution', request);

    // Assess
    expect(second).toEqual(first);
    expect((await call<{ executions: unknown[] }>('ListExecutions', { stateMachineArn: arnOf('Sleeper') })).executions).toHaveLength(1);
  });

  it.each([
    { given: 'a running execution of the same name and another input', machine: 'Sleeper', input: '{"a":2}' },
    { given: 'an ended execution of the same name and input', machine: 'Greeter', input: '{"a":1}' },
    { given: 'an ended execution of the same name and another input', machine: 'Greeter', input: '{"a":2}' },
  ])('refuses $given with ExecutionAlreadyExists', async ({ machine, input }) => {
    // Prepare
    const { call, start } = harness();
    await start(machine, '{"a":1}', 'once');

    // Act
    const code = await apiError(call('StartExecution', { stateMachineArn: arnOf(machine), name: 'once', input }));

    // Assess
    expect(code).toBe('ExecutionAlreadyExists');
  });

  it('is not idempotent for an express machine: each call starts an execution', async () => {
    // Prepare
    const { call } = harness();
    const request = { stateMachineArn: arnOf('Quick'), name: 'same', input: '{}' };

    // Act
    const first = await call<{ executionArn: string }>('StartExecution', request);
    const second = await call<{ executionArn: string }>('StartExecution', request);

    // Assess
    expect(first.executionArn).toMatch(new RegExp(`^arn:aws:states:${REGION}:${ACCOUNT}:express:Quick:same:`));
    expect(second.executionArn).not.toBe(first.executionArn);
  });

  it('refuses a well-formed ARN of no state machine with StateMachineDoesNotExist', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call('StartExecution', { stateMachineArn: arnOf('Nobody') }));

    // Assess
    expect(code).toBe('StateMachineDoesNotExist');
  });

  it.each([
    { given: 'its alias', qualifier: 'live' },
    { given: 'the version its alias publishes', qualifier: '1' },
  ])('runs a machine with an alias (SAM AutoPublishAlias) started by the ARN of $given', async ({ qualifier }) => {
    // Prepare: govuk-one-login's step-functions-app starts "${HelloWorldStateMachine}:live".
    const { describe, call } = harness([{ ...spec('Aliased', passMachine), aliases: ['live'] }]);

    // Act
    const { executionArn } = await call<{ executionArn: string }>('StartExecution', { stateMachineArn: `${arnOf('Aliased')}:${qualifier}`, name: 'run' });
    await settle();

    // Assess
    expect(executionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:Aliased:run`);
    expect(await describe(executionArn)).toMatchObject({ status: 'SUCCEEDED', stateMachineArn: arnOf('Aliased') });
  });

  it.each([
    { given: 'an alias it does not have', arn: `${arnOf('Aliased')}:old` },
    { given: 'a version of a machine without an alias', arn: `${arnOf('Greeter')}:1` },
  ])('refuses $given with StateMachineDoesNotExist', async ({ arn }) => {
    const { call } = harness([{ ...spec('Aliased', passMachine), aliases: ['live'] }]);

    const code = await apiError(call('StartExecution', { stateMachineArn: arn }));

    expect(code).toBe('StateMachineDoesNotExist');
  });

  it.each([
    { given: 'not an ARN', arn: 'Greeter' },
    { given: 'an execution ARN', arn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Greeter:first` },
    { given: 'an activity ARN', arn: `arn:aws:states:${REGION}:${ACCOUNT}:activity:Greeter` },
    { given: 'a Lambda ARN', arn: FUNCTION },
  ])('refuses $given with InvalidArn', async ({ arn }) => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call('StartExecution', { stateMachineArn: arn }));

    // Assess
    expect(code).toBe('InvalidArn');
  });
});

describe('StartSyncExecution', () => {
  it('refuses a standard machine with StateMachineTypeNotSupported', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call('StartSyncExecution', { stateMachineArn: arnOf('Greeter') }));

    // Assess
    expect(code).toBe('StateMachineTypeNotSupported');
  });

  it('runs an express machine to its end and answers with its output', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const answer = await call('StartSyncExecution', { stateMachineArn: arnOf('Quick'), name: 'sync-1', input: '{"n":1}' });

    // Assess
    expect(answer).toMatchObject({ status: 'SUCCEEDED', name: 'sync-1', input: '{"n":1}', stateMachineArn: arnOf('Quick'), startDate: START / 1000, stopDate: START / 1000 });
    expect(JSON.parse(answer.output as string)).toEqual({ n: 1, said: { greeting: 'hi' } });
    expect(answer.billingDetails).toMatchObject({ billedDurationInMilliseconds: expect.any(Number) as number, billedMemoryUsedInMB: expect.any(Number) as number });
  });

  it('answers (does not fail) when the execution fails: status FAILED with its error and cause', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const answer = await call('StartSyncExecution', { stateMachineArn: arnOf('QuickFail') });

    // Assess
    expect(answer).toMatchObject({ status: 'FAILED', error: 'Order.Invalid', cause: 'no items' });
    expect(answer.output).toBeUndefined();
  });

  it('answers only when the execution ends', async () => {
    // Prepare
    const { sfn, clock } = harness([spec('SlowQuick', waitMachine(3), 'EXPRESS')]);
    let answer: unknown;
    void sfn.handle('StartSyncExecution', { stateMachineArn: arnOf('SlowQuick') }).then((a) => (answer = a));

    // Act
    await clock.advance(2999);
    const before = answer;
    await clock.advance(1);

    // Assess
    expect(before).toBeUndefined();
    expect(answer).toMatchObject({ status: 'SUCCEEDED', stopDate: START / 1000 + 3 });
  });

  it('answers TIMED_OUT when the machine`s TimeoutSeconds passes', async () => {
    // Prepare
    const { sfn, clock } = harness([spec('TooSlow', waitMachine(60, { TimeoutSeconds: 2 }), 'EXPRESS')]);
    let answer: unknown;
    void sfn.handle('StartSyncExecution', { stateMachineArn: arnOf('TooSlow') }).then((a) => (answer = a));

    // Act
    await clock.advance(2000);

    // Assess
    expect(answer).toMatchObject({ status: 'TIMED_OUT' });
  });
});

describe('StopExecution', () => {
  it('aborts a running execution with the error and cause given', async () => {
    // Prepare
    const { start, describe, call, clock } = harness();
    const arn = await start('Sleeper');
    await clock.advance(1000);

    // Act
    const answer = await call('StopExecution', { executionArn: arn, error: 'Operator.Stop', cause: 'by hand' });
    await settle();

    // Assess
    expect(answer).toEqual({ stopDate: START / 1000 + 1 });
    expect(await describe(arn)).toMatchObject({ status: 'ABORTED', stopDate: START / 1000 + 1, error: 'Operator.Stop', cause: 'by hand' });
  });

  it('an aborted execution stays aborted when its running task answers later, and its history ends at ExecutionAborted', async () => {
    // Prepare
    const fakes = new FakeAwsServices(() => 'pending');
    const { start, describe, call, history } = harness([], fakes);
    const arn = await start('Worker');
    await call('StopExecution', { executionArn: arn });

    // Act
    fakes.answer({ kind: 'ok', payload: 'late' });
    await settle();

    // Assess
    expect(await describe(arn)).toMatchObject({ status: 'ABORTED' });
    const events = await history(arn);
    expect(events.at(-1)!.type).toBe('ExecutionAborted');
    expect(events.map((e) => e.type)).not.toContain('ExecutionSucceeded');
  });

  it('a stopped execution is not waited for: close() ends while its task`s function has not answered', async () => {
    // Prepare
    const fakes = new FakeAwsServices(() => 'pending');
    const { start, call, sfn } = harness([], fakes);
    const arn = await start('Worker');
    await call('StopExecution', { executionArn: arn });

    // Act
    const closed = await Promise.race([sfn.close().then(() => 'closed'), settle().then(() => settle()).then(() => 'still waiting')]);

    // Assess
    expect(closed).toBe('closed');
  });

  it('an aborted execution does not go on to its next state after a Wait', async () => {
    // Prepare
    const { start, call, clock, fakes } = harness([spec('WaitThenWork', { StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: 5, Next: 'Work' }, Work: { Type: 'Task', Resource: FUNCTION, End: true } } })]);
    const arn = await start('WaitThenWork');
    await call('StopExecution', { executionArn: arn });

    // Act
    await clock.advance(10_000);

    // Assess
    expect(fakes.invocations).toHaveLength(0);
  });

  it('refuses an execution that does not exist with ExecutionDoesNotExist', async () => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call('StopExecution', { executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Sleeper:never` }));

    // Assess
    expect(code).toBe('ExecutionDoesNotExist');
  });
});

describe('the execution timeout (the definition`s TimeoutSeconds)', () => {
  it.each([
    { given: 'a run longer than TimeoutSeconds', wait: 60, want: 'TIMED_OUT' },
    { given: 'a run shorter than TimeoutSeconds', wait: 9, want: 'SUCCEEDED' },
  ])('$given: $want', async ({ wait, want }) => {
    // Prepare
    const { start, describe, clock } = harness([spec('Bounded', waitMachine(wait, { TimeoutSeconds: 10 }))]);
    const arn = await start('Bounded');

    // Act
    await clock.advance(9999);
    const before = (await describe(arn)).status;
    await clock.advance(1);

    // Assess
    expect(before).toBe(wait < 10 ? 'SUCCEEDED' : 'RUNNING');
    expect(await describe(arn)).toMatchObject({ status: want, ...(want === 'TIMED_OUT' ? { error: 'States.Timeout', stopDate: START / 1000 + 10 } : {}) });
  });

  it('records ExecutionTimedOut last in the history', async () => {
    // Prepare
    const { start, history, clock } = harness([spec('Bounded', waitMachine(60, { TimeoutSeconds: 10 }))]);
    const arn = await start('Bounded');

    // Act
    await clock.advance(10_000);

    // Assess
    const events = await history(arn);
    expect(events.at(-1)!.type).toBe('ExecutionTimedOut');
    expect(events.filter((e) => e.type === 'WaitStateExited')).toHaveLength(0);
  });
});

describe('longTimer (the service`s default clock)', () => {
  afterEach(() => {
    vi.useRealTimers();
  });

  it('calls back after a delay past setTimeout`s 24.8-day limit, not at once', () => {
    // Prepare: Node (and these fake timers) run a longer setTimeout delay after 1 ms.
    vi.useFakeTimers();
    const fired: number[] = [];
    longTimer(30 * 86_400_000, () => fired.push(Date.now()));
    const start = Date.now();

    // Act
    vi.advanceTimersByTime(25 * 86_400_000);
    const early = fired.length;
    vi.advanceTimersByTime(5 * 86_400_000);

    // Assess
    expect(early).toBe(0);
    expect(fired).toEqual([start + 30 * 86_400_000]);
  });

  it('is cancelled before it fires, across its steps', () => {
    vi.useFakeTimers();
    const fired: number[] = [];
    const cancel = longTimer(30 * 86_400_000, () => fired.push(1));

    vi.advanceTimersByTime(26 * 86_400_000);
    cancel();
    vi.advanceTimersByTime(10 * 86_400_000);

    expect(fired).toEqual([]);
  });
});
