/**
 * The embedded Step Functions API (API Reference: StartExecution, StartSyncExecution, DescribeExecution,
 * StopExecution, ListExecutions, GetExecutionHistory, SendTaskSuccess / Failure / Heartbeat) and the executions it
 * runs (developer guide: execution timeouts, the callback pattern, nested workflows). Time is a fake clock; the other
 * AWS services a task reaches are fakes.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { longTimer, SfnError, StepFunctions, type OtherServices } from '../../../../emulator/services/stepfunctions/executions.js';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import type { FunctionAnswer } from '../../../../emulator/services/stepfunctions/task-resources.js';
import type { StateMachineSpec } from '../../../../emulator/template/model.js';
import { FakeScheduler, settle } from '../../support/fake-scheduler.js';

const START = Date.parse('2024-05-01T12:00:00.000Z');
const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

/** The fake clock: a scheduler on a fixed start. */
class FakeClock extends FakeScheduler {
  constructor() {
    super(START);
  }
}

/** Fake AWS services (Lambda, SQS...) that tasks reach: every call recorded; Lambda answers by `functions`, others by `answer`. */
class FakeAwsServices implements OtherServices {
  readonly invocations: { functionRef: string; payload: Json }[] = [];
  readonly calls: { service: string; action: string; input: Record<string, Json> }[] = [];
  private readonly pending: ((answer: FunctionAnswer) => void)[] = [];
  constructor(private readonly functions: (payload: Json) => FunctionAnswer | 'pending' = (payload) => ({ kind: 'ok', payload })) {}
  readonly invokeFunction = (functionRef: string, payload: Json): Promise<FunctionAnswer> => {
    this.invocations.push({ functionRef, payload });
    const answer = this.functions(payload);
    if (answer !== 'pending') return Promise.resolve(answer);
    return new Promise((resolve) => this.pending.push(resolve));
  };
  /** Answers the oldest pending invocation. */
  answer(answer: FunctionAnswer): void {
    this.pending.shift()!(answer);
  }
  readonly call = (service: 'dynamodb' | 'sqs' | 'sns' | 'eventbridge', action: string, input: Record<string, Json>): Promise<Json> => {
    this.calls.push({ service, action, input });
    return Promise.resolve({ MessageId: `m-${this.calls.length}` });
  };
}

const arnOf = (name: string): string => `arn:aws:states:${REGION}:${ACCOUNT}:stateMachine:${name}`;
const spec = (name: string, definition: Record<string, unknown>, type: 'STANDARD' | 'EXPRESS' = 'STANDARD'): StateMachineSpec => ({ logicalId: `${name}Machine`, name, arn: arnOf(name), type, definition });

const FUNCTION = `arn:aws:lambda:${REGION}:${ACCOUNT}:function:work`;
const passMachine = { StartAt: 'Hello', States: { Hello: { Type: 'Pass', Result: { greeting: 'hi' }, ResultPath: '$.said', End: true } } };
const waitMachine = (seconds: number, extra: Record<string, unknown> = {}) => ({ ...extra, StartAt: 'Pause', States: { Pause: { Type: 'Wait', Seconds: seconds, End: true } } });
const taskMachine = { StartAt: 'Work', States: { Work: { Type: 'Task', Resource: FUNCTION, End: true } } };
const echoMachine = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };
const failMachine = { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'no items' } } };

/** The service on a fake clock with fake AWS services, its usual machines included. */
function harness(machines: StateMachineSpec[] = [], fakes = new FakeAwsServices()) {
  const clock = new FakeClock();
  const all = [spec('Greeter', passMachine), spec('Sleeper', waitMachine(60)), spec('Worker', taskMachine), spec('Failer', failMachine), spec('Quick', passMachine, 'EXPRESS'), spec('QuickFail', failMachine, 'EXPRESS'), spec('Echo', echoMachine), ...machines];
  const sfn = new StepFunctions(all, fakes, { region: REGION, accountId: ACCOUNT, now: clock.now, after: clock.after });
  const call = async <T = Record<string, unknown>>(action: string, input: Record<string, unknown>): Promise<T> => (await sfn.handle(action, input)) as T;
  const start = async (machine: string, input?: unknown, name?: string): Promise<string> => {
    const answer = await call<{ executionArn: string }>('StartExecution', { stateMachineArn: arnOf(machine), ...(input !== undefined ? { input: typeof input === 'string' ? input : JSON.stringify(input) } : {}), ...(name !== undefined ? { name } : {}) });
    await settle();
    return answer.executionArn;
  };
  const describe = (executionArn: string) => call<Record<string, unknown>>('DescribeExecution', { executionArn });
  const history = async (executionArn: string, extra: Record<string, unknown> = {}) => (await call<{ events: Record<string, unknown>[]; nextToken?: string }>('GetExecutionHistory', { executionArn, ...extra })).events;
  return { clock, sfn, fakes, call, start, describe, history };
}

/** The API error code a call fails with. */
async function apiError(act: Promise<unknown>): Promise<string> {
  try {
    await act;
  } catch (error) {
    if (error instanceof SfnError) return error.code;
    throw error;
  }
  throw new Error('the call succeeded');
}

/** The task token an SQS .waitForTaskToken task sent in its message body. */
const tokenSent = (fakes: FakeAwsServices, index = 0): string => (JSON.parse(fakes.calls[index]!.input.MessageBody as string) as { token: string }).token;
const callback = (state: Record<string, unknown> = {}, after: Record<string, unknown> = {}) => ({
  StartAt: 'Ask',
  States: {
    Ask: { Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Parameters: { QueueUrl: 'https://sqs.us-east-1.amazonaws.com/123456789012/q', MessageBody: { 'token.$': '$$.Task.Token' } }, End: true, ...state },
    ...after,
  },
});

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

describe('the callback pattern (.waitForTaskToken) and SendTask*', () => {
  it('waits for SendTaskSuccess: its output is the task`s result', async () => {
    // Prepare
    const { start, describe, call, fakes } = harness([spec('Asker', callback())]);
    const arn = await start('Asker');
    const running = (await describe(arn)).status;

    // Act
    const answer = await call('SendTaskSuccess', { taskToken: tokenSent(fakes), output: '{"approved":true}' });
    await settle();

    // Assess
    expect(running).toBe('RUNNING');
    expect(answer).toEqual({});
    expect(await describe(arn)).toMatchObject({ status: 'SUCCEEDED', output: '{"approved":true}' });
  });

  it('history: TaskStarted, then TaskSubmitted with the service`s answer, then TaskSucceeded once the token comes back', async () => {
    // Prepare
    const { start, history, call, fakes } = harness([spec('Asker', callback())]);
    const arn = await start('Asker');
    const waiting = (await history(arn)).map((e) => e.type);

    // Act
    await call('SendTaskSuccess', { taskToken: tokenSent(fakes), output: '{"approved":true}' });
    await settle();
    const events = await history(arn);

    // Assess
    expect(waiting.slice(-3)).toEqual(['TaskScheduled', 'TaskStarted', 'TaskSubmitted']);
    expect(events.map((e) => e.type)).toEqual(['ExecutionStarted', 'TaskStateEntered', 'TaskScheduled', 'TaskStarted', 'TaskSubmitted', 'TaskSucceeded', 'TaskStateExited', 'ExecutionSucceeded']);
    const submitted = events.find((e) => e.type === 'TaskSubmitted') as unknown as { taskSubmittedEventDetails: { resourceType: string; resource: string; output: string } };
    expect(submitted.taskSubmittedEventDetails).toMatchObject({ resourceType: 'sqs', resource: 'sendMessage.waitForTaskToken' });
    expect(JSON.parse(submitted.taskSubmittedEventDetails.output)).toHaveProperty('MessageId');
  });

  it.each([
    { given: 'text that is not JSON', output: 'yes' },
    { given: 'an unclosed object', output: '{"a":' },
  ])('refuses SendTaskSuccess with $given (InvalidOutput); the task still waits', async ({ output }) => {
    // Prepare
    const { start, describe, call, fakes } = harness([spec('Asker', callback())]);
    const arn = await start('Asker');

    // Act
    const code = await apiError(call('SendTaskSuccess', { taskToken: tokenSent(fakes), output }));
    await settle();

    // Assess
    expect(code).toBe('InvalidOutput');
    expect((await describe(arn)).status).toBe('RUNNING');
    await call('SendTaskSuccess', { taskToken: tokenSent(fakes), output: '1' });
    await settle();
    expect(await describe(arn)).toMatchObject({ status: 'SUCCEEDED', output: '1' });
  });

  it.each(['SendTaskSuccess', 'SendTaskFailure', 'SendTaskHeartbeat'])('%s with a token no task has: TaskDoesNotExist', async (action) => {
    // Prepare
    const { call } = harness();

    // Act
    const code = await apiError(call(action, { taskToken: `AQ${'x'.repeat(120)}`, output: '{}' }));

    // Assess
    expect(code).toBe('TaskDoesNotExist');
  });

  it.each(['not-a-token', '', 'AQ'])('SendTaskSuccess with %j, which is no task token at all: InvalidToken (API Reference)', async (taskToken) => {
    const { call } = harness();

    const code = await apiError(call('SendTaskSuccess', { taskToken, output: '{}' }));

    expect(code).toBe('InvalidToken');
  });

  it('SendTaskSuccess with the token of a task already closed: TaskTimedOut (API Reference)', async () => {
    // Prepare
    const { start, call, fakes } = harness([spec('Asker', callback())]);
    await start('Asker');
    const token = tokenSent(fakes);
    await call('SendTaskSuccess', { taskToken: token, output: '{}' });
    await settle();

    // Act
    const code = await apiError(call('SendTaskSuccess', { taskToken: token, output: '{}' }));

    // Assess
    expect(code).toBe('TaskTimedOut');
  });

  it('SendTaskFailure fails the task with its error and cause', async () => {
    // Prepare
    const { start, describe, call, fakes } = harness([spec('Asker', callback())]);
    const arn = await start('Asker');

    // Act
    await call('SendTaskFailure', { taskToken: tokenSent(fakes), error: 'Review.Rejected', cause: 'too expensive' });
    await settle();

    // Assess
    expect(await describe(arn)).toMatchObject({ status: 'FAILED', error: 'Review.Rejected', cause: 'too expensive' });
  });

  it('a Catch naming SendTaskFailure`s error takes it', async () => {
    // Prepare
    const machine = callback({ Catch: [{ ErrorEquals: ['Review.Rejected'], Next: 'Rejected' }] }, { Rejected: { Type: 'Pass', End: true } });
    const { start, describe, call, fakes } = harness([spec('Asker', machine)]);
    const arn = await start('Asker');

    // Act
    await call('SendTaskFailure', { taskToken: tokenSent(fakes), error: 'Review.Rejected', cause: 'too expensive' });
    await settle();

    // Assess
    const described = await describe(arn);
    expect(described.status).toBe('SUCCEEDED');
    expect(JSON.parse(described.output as string)).toEqual({ Error: 'Review.Rejected', Cause: 'too expensive' });
  });

  it.each([
    { given: 'no heartbeat: fails at HeartbeatSeconds', beats: [], wantAliveAt: 9999, wantDeadAt: 10_000 },
    { given: 'a heartbeat at 8 s: the countdown starts again', beats: [8000], wantAliveAt: 17_999, wantDeadAt: 18_000 },
    { given: 'heartbeats at 8 s and 16 s', beats: [8000, 16_000], wantAliveAt: 25_999, wantDeadAt: 26_000 },
  ])('HeartbeatSeconds 10, $given, with States.HeartbeatTimeout', async ({ beats, wantAliveAt, wantDeadAt }) => {
    // Prepare
    const { start, describe, call, fakes, clock } = harness([spec('Asker', callback({ HeartbeatSeconds: 10 }))]);
    const arn = await start('Asker');
    for (const at of beats) {
      await clock.advance(at - (clock.now() - START));
      expect(await call('SendTaskHeartbeat', { taskToken: tokenSent(fakes) })).toEqual({});
    }

    // Act
    await clock.advance(wantAliveAt - (clock.now() - START));
    const before = (await describe(arn)).status;
    await clock.advance(wantDeadAt - wantAliveAt);

    // Assess
    expect(before).toBe('RUNNING');
    expect(await describe(arn)).toMatchObject({ status: 'FAILED', error: 'States.HeartbeatTimeout' });
  });

  it('SendTaskSuccess before the heartbeat timeout ends the task: no timeout afterwards', async () => {
    // Prepare
    const { start, describe, call, fakes, clock } = harness([spec('Asker', callback({ HeartbeatSeconds: 10 }))]);
    const arn = await start('Asker');
    await clock.advance(5000);

    // Act
    await call('SendTaskSuccess', { taskToken: tokenSent(fakes), output: '"done"' });
    await clock.advance(60_000);

    // Assess
    expect(await describe(arn)).toMatchObject({ status: 'SUCCEEDED', output: '"done"' });
  });
});

describe('nested executions: states:startExecution', () => {
  const CHILD = { StartAt: 'Double', States: { Double: { Type: 'Pass', Parameters: { 'n.$': 'States.MathAdd($.n, $.n)' }, End: true } } };
  const parent = (resource: string, extra: Record<string, unknown> = {}) => ({
    StartAt: 'Child',
    States: { Child: { Type: 'Task', Resource: resource, Parameters: { StateMachineArn: arnOf('Child'), Input: { 'n.$': '$.n' }, Name: 'child-run' }, End: true, ...extra }, Caught: { Type: 'Pass', End: true } },
  });

  it('.sync:2 waits for the child and gives its output as JSON', async () => {
    // Prepare
    const { start, describe } = harness([spec('Child', CHILD), spec('Parent', parent('arn:aws:states:::states:startExecution.sync:2'))]);

    // Act
    const arn = await start('Parent', { n: 21 });

    // Assess
    const described = await describe(arn);
    expect(described.status).toBe('SUCCEEDED');
    expect((JSON.parse(described.output as string) as { Output: Json }).Output).toEqual({ n: 42 });
  });

  it('.sync waits for the child and gives its output as a JSON string', async () => {
    // Prepare
    const { start, describe } = harness([spec('Child', CHILD), spec('Parent', parent('arn:aws:states:::states:startExecution.sync'))]);

    // Act
    const arn = await start('Parent', { n: 2 });

    // Assess
    const output = JSON.parse((await describe(arn)).output as string) as { Output: Json };
    expect(output.Output).toBe('{"n":4}');
  });

  it('without .sync the task ends once the child has started', async () => {
    // Prepare
    const { start, describe, call } = harness([spec('Child', waitMachine(60)), spec('Parent', parent('arn:aws:states:::states:startExecution'))]);

    // Act
    const arn = await start('Parent', { n: 1 });

    // Assess
    const output = JSON.parse((await describe(arn)).output as string) as { ExecutionArn: string };
    expect(output.ExecutionArn).toBe(`arn:aws:states:${REGION}:${ACCOUNT}:execution:Child:child-run`);
    expect(await call('DescribeExecution', { executionArn: output.ExecutionArn })).toMatchObject({ status: 'RUNNING', input: '{"n":1}' });
  });

  it('.sync waits while the child runs', async () => {
    // Prepare
    const { start, describe, clock } = harness([spec('Child', waitMachine(30)), spec('Parent', parent('arn:aws:states:::states:startExecution.sync:2'))]);
    const arn = await start('Parent', { n: 1 });

    // Act
    await clock.advance(29_999);
    const before = (await describe(arn)).status;
    await clock.advance(1);

    // Assess
    expect(before).toBe('RUNNING');
    expect((await describe(arn)).status).toBe('SUCCEEDED');
  });

  it('a failed child fails the .sync task with States.TaskFailed', async () => {
    // Prepare
    const { start, describe } = harness([spec('Child', failMachine), spec('Parent', parent('arn:aws:states:::states:startExecution.sync:2', { Catch: [{ ErrorEquals: ['States.TaskFailed'], Next: 'Caught' }], End: undefined, Next: 'Caught' }))]);

    // Act
    const arn = await start('Parent', { n: 1 });

    // Assess
    const described = await describe(arn);
    expect(described.status).toBe('SUCCEEDED');
    expect((JSON.parse(described.output as string) as { Error: string }).Error).toBe('States.TaskFailed');
  });

  it('stopping the parent stops a .sync child', async () => {
    // Prepare
    const { start, call } = harness([spec('Child', waitMachine(60)), spec('Parent', parent('arn:aws:states:::states:startExecution.sync:2'))]);
    const arn = await start('Parent', { n: 1 });

    // Act
    await call('StopExecution', { executionArn: arn });
    await settle();

    // Assess
    expect(await call('DescribeExecution', { executionArn: `arn:aws:states:${REGION}:${ACCOUNT}:execution:Child:child-run` })).toMatchObject({ status: 'ABORTED' });
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

describe('what public templates did (the Step Functions sweep)', () => {
  const single = (state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...extra, StartAt: 'S', States: { S: { ...state, End: true } } });
  const ended = async (h: ReturnType<typeof harness>, machine: string, input: unknown = {}) => {
    const arn = await h.start(machine, input);
    await h.clock.runAll();
    return { arn, described: await h.describe(arn) };
  };

  it.each([
    { given: 'a machine in JSONata', machine: single({ Type: 'Pass', Output: '{% $states.input.a %}' }, { QueryLanguage: 'JSONata' }), cause: /uses QueryLanguage JSONata/ },
    { given: 'a JSONata state in a JSONPath machine', machine: single({ Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% 1 %}' }), cause: /uses QueryLanguage JSONata/ },
    { given: 'a state assigning variables', machine: single({ Type: 'Pass', Assign: { x: 1 } }), cause: /assigns variables/ },
    { given: 'a distributed Map reading an S3 object listing', machine: single({ Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Parameters: { Bucket: 'b' } }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }), cause: /ItemReader/ },
    { given: 'a task of a service not run here (Retry on States.TaskFailed does not repeat it)', machine: single({ Type: 'Task', Resource: 'arn:aws:states:::ecs:runTask.sync', Retry: [{ ErrorEquals: ['States.TaskFailed'], MaxAttempts: 5 }] }), cause: /ecs:runTask\.sync is not run by the local emulator/ },
  ])('$given fails the execution with States.Runtime, named, rather than running it as something else', async ({ machine, cause }) => {
    // Prepare
    const h = harness([spec('Unrun', machine)]);

    // Act
    const { described } = await ended(h, 'Unrun', { a: 'x' });

    // Assess
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(described.cause).toMatch(cause);
  });

  it.each([
    { given: 'Seconds of 30 days', state: { Type: 'Wait', Seconds: 30 * 86_400 }, input: {} },
    { given: 'a Timestamp in 2099', state: { Type: 'Wait', TimestampPath: '$.at' }, input: { at: '2099-06-25T17:47:00Z' } },
  ])('a Wait of $given waits that long: not over before then', async ({ state, input }) => {
    // Prepare
    const h = harness([spec('Long', single(state))]);
    const arn = await h.start('Long', input);

    // Act
    await h.clock.advance(25 * 86_400_000);

    // Assess
    expect((await h.describe(arn)).status).toBe('RUNNING');
  });

  it.each(['2021-06-25T17:47:00', '2021-06-25 17:47:00Z', 'tomorrow'])('a Wait TimestampPath of %j (no offset, not RFC 3339) fails with States.Runtime', async (at) => {
    const h = harness([spec('Stamp', single({ Type: 'Wait', TimestampPath: '$.at' }))]);

    const { described } = await ended(h, 'Stamp', { at });

    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it('a Fail state with neither Error nor Cause leaves both out of the description', async () => {
    const h = harness([spec('Bare', { StartAt: 'F', States: { F: { Type: 'Fail' } } })]);

    const { described } = await ended(h, 'Bare');

    expect(described.status).toBe('FAILED');
    expect(described).not.toHaveProperty('error');
    expect(described).not.toHaveProperty('cause');
  });

  it('the history holds a task`s parameters and output as JSON text, once (not JSON of JSON)', async () => {
    const h = harness([spec('Send', single({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage', Parameters: { QueueUrl: 'q', MessageBody: 'hi' } }))]);

    const { arn } = await ended(h, 'Send');
    const events = await h.history(arn);

    const scheduled = events.find((e) => e.type === 'TaskScheduled')!.taskScheduledEventDetails as { parameters: string };
    const succeeded = events.find((e) => e.type === 'TaskSucceeded')!.taskSucceededEventDetails as { output: string };
    expect(JSON.parse(scheduled.parameters)).toEqual({ QueueUrl: 'q', MessageBody: 'hi' });
    expect(JSON.parse(succeeded.output)).toMatchObject({ MessageId: 'm-1' });
  });

  it('Map and Parallel states report their start, iterations and end in the history', async () => {
    const branch = { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } };
    const h = harness([spec('Fan', { StartAt: 'M', States: { M: { Type: 'Map', ItemProcessor: branch, Next: 'B' }, B: { Type: 'Parallel', Branches: [branch], End: true } } })]);

    const { arn } = await ended(h, 'Fan', [1, 2]);
    const types = (await h.history(arn)).map((e) => e.type).filter((t) => /^(Map|Parallel)/.test(String(t)));

    expect(types).toEqual(['MapStateEntered', 'MapStateStarted', 'MapIterationStarted', 'MapIterationStarted', 'MapIterationSucceeded', 'MapIterationSucceeded', 'MapStateSucceeded', 'MapStateExited', 'ParallelStateEntered', 'ParallelStateStarted', 'ParallelStateSucceeded', 'ParallelStateExited']);
  });

  it('a failed child of states:startExecution.sync fails the task with its description as the Java SDK writes it (PascalCase, ms)', async () => {
    const h = harness([spec('Parent', single({ Type: 'Task', Resource: 'arn:aws:states:::states:startExecution.sync:2', Parameters: { StateMachineArn: arnOf('Failer'), Input: {} } }))]);

    const { described } = await ended(h, 'Parent');
    const cause = JSON.parse(String(described.cause)) as Record<string, unknown>;

    expect(described).toMatchObject({ status: 'FAILED', error: 'States.TaskFailed' });
    expect(cause).toMatchObject({ Status: 'FAILED', Error: 'Order.Invalid', Cause: 'no items', StartDate: START, StateMachineArn: arnOf('Failer'), RedriveCount: 0 });
    expect(cause).not.toHaveProperty('status');
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
