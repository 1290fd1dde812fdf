/**
 * What AWS answered for executions, as LocalStack's AWS-validated snapshot tests record it (the test named after
 * "LS-rec"): DescribeExecution's error and cause and the history's events. Definitions are our own; only the facts
 * (the answers) come from the recordings.
 */
import { describe, expect, it } from 'vitest';
import { StepFunctions, type OtherServices } from '../../../../emulator/services/stepfunctions/executions.js';
import type { StateMachineSpec } from '../../../../emulator/template/model.js';
import { FakeScheduler, settle } from '../../support/fake-scheduler.js';

const MACHINE_ARN = 'arn:aws:states:us-east-1:123456789012:stateMachine:Recorded';

/** Services no state here reaches: a call is a test error. */
const noServices: OtherServices = {
  invokeFunction: () => Promise.reject(new Error('no function is called')),
  call: () => Promise.reject(new Error('no service is called')),
};

/** Runs a definition to its end on a fake clock; DescribeExecution's answer and the history's events. */
async function execute(definition: Record<string, unknown>, input: unknown = {}) {
  const clock = new FakeScheduler(Date.parse('2024-05-01T12:00:00.000Z'));
  const machine: StateMachineSpec = { logicalId: 'RecordedMachine', name: 'Recorded', arn: MACHINE_ARN, type: 'STANDARD', definition };
  const sfn = new StepFunctions([machine], noServices, { region: 'us-east-1', accountId: '123456789012', now: clock.now, after: clock.after });
  const { executionArn } = (await sfn.handle('StartExecution', { stateMachineArn: MACHINE_ARN, input: JSON.stringify(input) })) as { executionArn: string };
  await settle();
  await clock.runAll();
  const described = (await sfn.handle('DescribeExecution', { executionArn })) as Record<string, unknown>;
  const { events } = (await sfn.handle('GetExecutionHistory', { executionArn })) as { events: Record<string, unknown>[] };
  return { described, events };
}

describe('States.Runtime causes as Step Functions words them', () => {
  it('LS-rec test_catch_states_runtime: the cause names the state and the id of its StateEntered event', async () => {
    // Prepare: the failing state is the second entered (event #4, after ExecutionStarted and the first state's two events).
    const definition = {
      StartAt: 'First',
      States: {
        First: { Type: 'Pass', Next: 'Pick' },
        Pick: { Type: 'Pass', OutputPath: '$.absent', Next: 'Done' },
        Done: { Type: 'Succeed' },
      },
    };

    // Act
    const { described, events } = await execute(definition, { present: 1 });

    // Assess
    expect(events[3]).toMatchObject({ id: 4, type: 'PassStateEntered' });
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(described.cause).toMatch(/^An error occurred while executing the state 'Pick' \(entered at the event id #4\)\. /);
  });

  it('a States.Runtime inside a Parallel branch names the state inside, once', async () => {
    // Prepare
    const definition = {
      StartAt: 'Both',
      States: { Both: { Type: 'Parallel', End: true, Branches: [{ StartAt: 'Inner', States: { Inner: { Type: 'Pass', InputPath: '$.absent', End: true } } }] } },
    };

    // Act
    const { described } = await execute(definition);

    // Assess
    expect(described.cause).toMatch(/^An error occurred while executing the state 'Inner' \(entered at the event id #\d+\)\. (?!An error occurred)/);
  });
});

describe('the reasons after the prefix', () => {
  const single = (state: Record<string, unknown>) => ({ StartAt: 'Only', States: { Only: { ...state, End: true } } });
  const prefix = "An error occurred while executing the state 'Only' (entered at the event id #2). ";

  it.each([
    { given: 'test_base[wait_seconds_path.json5_ALL_False]: a SecondsPath with no value', state: { Type: 'Wait', SecondsPath: '$.wait.seconds' }, input: { wait: {} }, reason: 'The SecondsPath parameter does not reference an input value: $.wait.seconds' },
    { given: 'test_base_wait_seconds_path[-1]: a negative SecondsPath', state: { Type: 'Wait', SecondsPath: '$.s' }, input: { s: -3 }, reason: 'The SecondsPath parameter references a negative value: $.s == -3' },
    { given: 'test_base_wait_seconds_path[1.5]: a fractional SecondsPath', state: { Type: 'Wait', SecondsPath: '$.s' }, input: { s: 2.5 }, reason: 'The SecondsPath parameter cannot be parsed as a long value: $.s == 2.5' },
    { given: 'test_wait_timestamp_path[NO_Z]: a TimestampPath without an offset', state: { Type: 'Wait', TimestampPath: '$.at' }, input: { at: '2030-01-02T03:04:05' }, reason: 'The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.at == 2030-01-02T03:04:05' },
    { given: 'test_wait_timestamp_path[INVALID_DATE]: a TimestampPath of month 13', state: { Type: 'Wait', TimestampPath: '$.at' }, input: { at: '2030-13-02T03:04:05Z' }, reason: 'The TimestampPath parameter does not reference a valid ISO-8601 extended offset date-time format string: $.at == 2030-13-02T03:04:05Z' },
    { given: 'test_invalid_jsonpath[INVALID_JSONPATH_IN_ERRORPATH]: an ErrorPath with no value', state: { Type: 'Fail', ErrorPath: '$.why', Cause: 'c' }, input: { other: 1 }, reason: `The JSONPath '$.why' specified for the field 'ErrorPath' could not be found in the input '{"other":1}'` },
    { given: 'test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_CAUSEPATH]: a CausePath with no value', state: { Type: 'Fail', Error: 'E', CausePath: '$.why' }, input: { other: 1 }, reason: `The JSONPath '$.why' specified for the field 'CausePath' could not be found in the input '{"other":1}'` },
    { given: 'test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_INPUTPATH]: an InputPath with no value', state: { Type: 'Pass', InputPath: '$.none' }, input: { other: 1 }, reason: "Invalid path '$.none' : No results for path: $['none']" },
  ])('LS-rec $given', async ({ state, input, reason }) => {
    // Act
    const { described } = await execute(single(state), input);

    // Assess
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: `${prefix}${reason}` });
  });
});

describe('StartSyncExecution of a failing express machine', () => {
  it('LS-rec test_base[BASE_RAISE_FAILURE]: error, cause and outputDetails, no output', async () => {
    // Prepare
    const arn = 'arn:aws:states:us-east-1:123456789012:stateMachine:Quick';
    const machine: StateMachineSpec = { logicalId: 'QuickMachine', name: 'Quick', arn, type: 'EXPRESS', definition: { StartAt: 'Stop', States: { Stop: { Type: 'Fail', Error: 'Order.Invalid', Cause: 'no items' } } } };
    const clock = new FakeScheduler(Date.parse('2024-05-01T12:00:00.000Z'));
    const sfn = new StepFunctions([machine], noServices, { region: 'us-east-1', accountId: '123456789012', now: clock.now, after: clock.after });

    // Act
    const answer = (await sfn.handle('StartSyncExecution', { stateMachineArn: arn, input: '{}' })) as Record<string, unknown>;

    // Assess
    expect(answer).toMatchObject({ status: 'FAILED', error: 'Order.Invalid', cause: 'no items', inputDetails: { included: true }, outputDetails: { included: true } });
    expect(answer).not.toHaveProperty('output');
  });
});

describe('a Map state`s settings read from the input', () => {
  const map = (settings: Record<string, unknown>) => ({
    StartAt: 'Each',
    States: { Each: { Type: 'Map', ItemsPath: '$.items', ...settings, ItemProcessor: { StartAt: 'Refuse', States: { Refuse: { Type: 'Fail', Error: 'Item.Bad' } } }, End: true } },
  });
  const prefix = "An error occurred while executing the state 'Each' (entered at the event id #2). ";

  it.each([
    { given: 'test_max_concurrency_path[NoNumber]', settings: { MaxConcurrencyPath: '$.n' }, n: 'many', reason: 'The MaxConcurrencyPath field refers to value "many" which is not a valid integer: $.n' },
    { given: 'test_max_concurrency_path[max_concurrency_value0]', settings: { MaxConcurrencyPath: '$.n' }, n: {}, reason: 'The MaxConcurrencyPath field refers to value "{}" which is not a valid integer: $.n' },
    { given: 'test_map_state_tolerated_failure_count_path[-1]', settings: { ToleratedFailureCountPath: '$.n' }, n: -2, reason: 'ToleratedFailureCount cannot be negative.' },
    { given: 'test_map_state_tolerated_failure_percentage_path[NoNumber]', settings: { ToleratedFailurePercentagePath: '$.n' }, n: 'half', reason: 'The ToleratedFailurePercentagePath field refers to value "half" which is not a valid float: $.n' },
    { given: 'test_map_state_tolerated_failure_percentage_path[100.1]', settings: { ToleratedFailurePercentagePath: '$.n' }, n: 100.5, reason: 'ToleratedFailurePercentage must be between 0 and 100.' },
  ])('LS-rec $given: States.Runtime', async ({ settings, n, reason }) => {
    // Act
    const { described } = await execute(map(settings), { items: [1], n });

    // Assess
    expect(described).toMatchObject({ status: 'FAILED', error: 'States.Runtime', cause: `${prefix}${reason}` });
  });

  it.each([
    { given: 'ToleratedFailureCountPath', settings: { ToleratedFailureCountPath: '$.n' }, n: 2 },
    { given: 'ToleratedFailurePercentagePath', settings: { ToleratedFailurePercentagePath: '$.n' }, n: 100 },
  ])('$given read from the input tolerates the failures it allows (it was ignored)', async ({ settings, n }) => {
    // Act
    const { described } = await execute(map(settings), { items: [1, 2], n });

    // Assess
    expect(described).toMatchObject({ status: 'SUCCEEDED' });
  });
});
