/**
 * Executions whose tasks wait or start others (developer guide: the callback pattern with .waitForTaskToken and
 * SendTaskSuccess / Failure / Heartbeat, nested workflows with states:startExecution) and what public templates did
 * (the Step Functions sweep). Time is a fake clock; the other AWS services are fakes (executions-harness.ts).
 */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { settle } from '../../support/fake-scheduler.js';
import { ACCOUNT, apiError, arnOf, callback, failMachine, harness, REGION, spec, START, tokenSent, waitMachine } from './executions-harness.js';

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

describe('what public templates did (the Step Functions sweep)', () => {
  const single = (state: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({ ...extra, StartAt: 'S', States: { S: { ...state, End: true } } });
  const ended = async (h: ReturnType<typeof harness>, machine: string, input: unknown = {}) => {
    const arn = await h.start(machine, input);
    await h.clock.runAll();
    return { arn, described: await h.describe(arn) };
  };

  it.each([
    { given: 'a JSONata Map reading an S3 object listing', machine: single({ Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2', Arguments: { Bucket: 'b' } }, ItemProcessor: { StartAt: 'P', States: { P: { Type: 'Pass', End: true } } } }, { QueryLanguage: 'JSONata' }), cause: /listObjectsV2/ },
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
