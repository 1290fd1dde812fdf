/**
 * Definition checks (ASL spec https://states-language.net/spec.html: "Structure of a State Machine", "States",
 * "Transitions", "Errors"; what CreateStateMachine refuses with InvalidDefinition) and what of a definition the local
 * interpreter does not run.
 */
import { describe, expect, it } from 'vitest';
import { checkDefinition, mapProcessor } from '../../../../emulator/services/stepfunctions/definition.js';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';

const FUNCTION = 'arn:aws:lambda:us-east-1:123456789012:function:work';

/** A machine of a first state `Work` (its fields given) and an `End` Pass state to go to. */
const withState = (work: Record<string, Json>): Record<string, Json> => ({ StartAt: 'Work', States: { Work: work, End: { Type: 'Pass', End: true } } });

describe('checkDefinition: valid definitions', () => {
  it.each([
    { given: 'a single Pass state', definition: { StartAt: 'A', States: { A: { Type: 'Pass', End: true } } } },
    { given: 'a Task with Retry and Catch', definition: withState({ Type: 'Task', Resource: FUNCTION, Retry: [{ ErrorEquals: ['Custom'] }, { ErrorEquals: ['States.ALL'] }], Catch: [{ ErrorEquals: ['States.ALL'], Next: 'End' }], Next: 'End' }) },
    { given: 'a Choice with a Default', definition: withState({ Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'End' }], Default: 'End' }) },
    { given: 'a Wait with Seconds', definition: withState({ Type: 'Wait', Seconds: 1, Next: 'End' }) },
    { given: 'a Wait with TimestampPath', definition: withState({ Type: 'Wait', TimestampPath: '$.at', Next: 'End' }) },
    { given: 'a Fail with ErrorPath and Cause', definition: { StartAt: 'F', States: { F: { Type: 'Fail', ErrorPath: '$.e', Cause: 'c' } } } },
    { given: 'a Succeed', definition: { StartAt: 'S', States: { S: { Type: 'Succeed' } } } },
    { given: 'a Parallel with a branch', definition: withState({ Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', End: true } } }], Next: 'End' }) },
    { given: 'a Map with an ItemProcessor', definition: withState({ Type: 'Map', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'End' }) },
    { given: 'a Map with the older Iterator', definition: withState({ Type: 'Map', Iterator: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'End' }) },
    { given: 'a state name of 80 characters', definition: { StartAt: 'a'.repeat(80), States: { ['a'.repeat(80)]: { Type: 'Pass', End: true } } } },
    { given: 'a Task with HeartbeatSeconds under TimeoutSeconds', definition: withState({ Type: 'Task', Resource: FUNCTION, TimeoutSeconds: 10, HeartbeatSeconds: 9, Next: 'End' }) },
  ])('$given: no problems', ({ definition }) => {
    // Act
    const report = checkDefinition(definition);

    // Assess
    expect(report.problems).toEqual([]);
  });
});

describe('checkDefinition: what CreateStateMachine refuses', () => {
  it.each([
    { given: 'no States', definition: { StartAt: 'A' }, want: /States/ },
    { given: 'empty States', definition: { StartAt: 'A', States: {} }, want: /States/ },
    { given: 'no StartAt', definition: { States: { A: { Type: 'Pass', End: true } } }, want: /StartAt/ },
    { given: 'a StartAt naming no state', definition: { StartAt: 'B', States: { A: { Type: 'Pass', End: true } } }, want: /StartAt.*"B"/ },
    { given: 'an unknown Type', definition: withState({ Type: 'Sleep', Next: 'End' }), want: /States\.Work\.Type/ },
    { given: 'a Next naming no state', definition: withState({ Type: 'Pass', Next: 'Nowhere' }), want: /States\.Work\.Next.*"Nowhere"/ },
    { given: 'neither Next nor End', definition: withState({ Type: 'Pass' }), want: /States\.Work\.Next/ },
    { given: 'both Next and End', definition: withState({ Type: 'Pass', Next: 'End', End: true }), want: /both Next and End/ },
    { given: 'a state name of 81 characters', definition: { StartAt: 'a'.repeat(81), States: { ['a'.repeat(81)]: { Type: 'Pass', End: true } } }, want: /80 characters/ },
    { given: 'a Catch Next naming no state', definition: withState({ Type: 'Task', Resource: FUNCTION, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Nowhere' }], Next: 'End' }), want: /Catch\[0\]\.Next/ },
    { given: 'a Choice without Choices', definition: withState({ Type: 'Choice', Choices: [], Default: 'End' }), want: /Choices/ },
    { given: 'a Choice rule Next naming no state', definition: withState({ Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'Nowhere' }] }), want: /Choices\[0\]\.Next/ },
    { given: 'a Choice Default naming no state', definition: withState({ Type: 'Choice', Choices: [{ Variable: '$.a', NumericEquals: 1, Next: 'End' }], Default: 'Nowhere' }), want: /Default/ },
    { given: 'a Parallel without Branches', definition: withState({ Type: 'Parallel', Branches: [], Next: 'End' }), want: /Branches/ },
    { given: 'a problem inside a Parallel branch', definition: withState({ Type: 'Parallel', Branches: [{ StartAt: 'B', States: { B: { Type: 'Pass', Next: 'Outside' } } }], Next: 'End' }), want: /Branches\[0\]\.States\.B\.Next/ },
    { given: 'a Map without a processor', definition: withState({ Type: 'Map', Next: 'End' }), want: /ItemProcessor/ },
    { given: 'a problem inside a Map processor', definition: withState({ Type: 'Map', ItemProcessor: { StartAt: 'Missing', States: { I: { Type: 'Pass', End: true } } }, Next: 'End' }), want: /ItemProcessor\.StartAt/ },
    { given: 'a Task without Resource', definition: withState({ Type: 'Task', Next: 'End' }), want: /Resource/ },
    { given: 'a Wait with none of its four fields', definition: withState({ Type: 'Wait', Next: 'End' }), want: /exactly one/ },
    { given: 'a Wait with Seconds and SecondsPath', definition: withState({ Type: 'Wait', Seconds: 1, SecondsPath: '$.s', Next: 'End' }), want: /exactly one/ },
    { given: 'a Fail with Error and ErrorPath', definition: { StartAt: 'F', States: { F: { Type: 'Fail', Error: 'E', ErrorPath: '$.e' } } }, want: /Error and ErrorPath/ },
    { given: 'a Fail with Cause and CausePath', definition: { StartAt: 'F', States: { F: { Type: 'Fail', Cause: 'C', CausePath: '$.c' } } }, want: /Cause and CausePath/ },
    // Spec "Retrying after error": States.ALL "MUST appear alone in the ErrorEquals array and MUST appear in the last Retrier".
    { given: 'a Retrier with States.ALL before another', definition: withState({ Type: 'Task', Resource: FUNCTION, Retry: [{ ErrorEquals: ['States.ALL'] }, { ErrorEquals: ['Custom'] }], Next: 'End' }), want: /States\.ALL/ },
    { given: 'a Retrier with States.ALL beside another name', definition: withState({ Type: 'Task', Resource: FUNCTION, Retry: [{ ErrorEquals: ['Custom', 'States.ALL'] }], Next: 'End' }), want: /States\.ALL/ },
    // Spec "Fallback states": the same rule for Catchers.
    { given: 'a Catcher with States.ALL before another', definition: withState({ Type: 'Task', Resource: FUNCTION, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'End' }, { ErrorEquals: ['Custom'], Next: 'End' }], Next: 'End' }), want: /States\.ALL/ },
    // Spec "Task State": TimeoutSeconds and TimeoutSecondsPath are exclusive; HeartbeatSeconds must be smaller than TimeoutSeconds.
    { given: 'a Task with TimeoutSeconds and TimeoutSecondsPath', definition: withState({ Type: 'Task', Resource: FUNCTION, TimeoutSeconds: 10, TimeoutSecondsPath: '$.t', Next: 'End' }), want: /TimeoutSeconds/ },
    { given: 'a Task with HeartbeatSeconds equal to TimeoutSeconds', definition: withState({ Type: 'Task', Resource: FUNCTION, TimeoutSeconds: 10, HeartbeatSeconds: 10, Next: 'End' }), want: /HeartbeatSeconds/ },
    { given: 'a JSONata Choice rule without a Condition', definition: { QueryLanguage: 'JSONata', StartAt: 'Pick', States: { Pick: { Type: 'Choice', Choices: [{ Next: 'Done' }] }, Done: { Type: 'Succeed' } } }, want: /Choices\[0\]: a JSONata rule needs a Condition/ },
    { given: 'a JSONPath Choice rule written as a Condition', definition: { StartAt: 'Pick', States: { Pick: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'Done' }] }, Done: { Type: 'Succeed' } } }, want: /Choices\[0\]: the rule has no Variable/ },
    // Spec "Error handling": Retry and Catch are fields of Task, Parallel and Map states only.
    { given: 'a Pass state with Retry', definition: withState({ Type: 'Pass', Retry: [{ ErrorEquals: ['States.ALL'] }], Next: 'End' }), want: /Retry/ },
  ])('$given', ({ definition, want }) => {
    // Act
    const report = checkDefinition(definition as Record<string, unknown>);

    // Assess
    expect(report.problems.join('\n')).toMatch(want);
  });
});

describe('checkDefinition: what the local interpreter does not run', () => {
  it.each([
    { given: 'a JSONata Map reading an S3 object listing', definition: { QueryLanguage: 'JSONata', StartAt: 'M', States: { M: { Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2' }, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, End: true } } }, want: /States\.M\.ItemReader: ItemReader Resource arn:aws:states:::s3:listObjectsV2/ },
    { given: 'a distributed Map reading an S3 object listing', definition: withState({ Type: 'Map', ItemReader: { Resource: 'arn:aws:states:::s3:listObjectsV2' }, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'End' }), want: /ItemReader/ },
    { given: 'a distributed Map writing to S3', definition: withState({ Type: 'Map', ResultWriter: { Resource: 'arn:aws:states:::s3:putObject' }, ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } }, Next: 'End' }), want: /ResultWriter/ },
    { given: 'an activity', definition: withState({ Type: 'Task', Resource: 'arn:aws:states:us-east-1:123456789012:activity:approve', Next: 'End' }), want: /activit/ },
    { given: 'an integration not served', definition: withState({ Type: 'Task', Resource: 'arn:aws:states:::glue:startJobRun.sync', Next: 'End' }), want: /glue/ },
  ])('$given', ({ definition, want }) => {
    // Act
    const report = checkDefinition(definition as Record<string, unknown>);

    // Assess
    expect(report.notEmulated.join('\n')).toMatch(want);
    expect(report.problems).toEqual([]);
  });

  it.each([
    { given: 'QueryLanguage JSONPath', definition: { QueryLanguage: 'JSONPath', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } } },
    { given: 'QueryLanguage JSONata at the top', definition: { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', End: true } } } },
    { given: 'QueryLanguage JSONata on a state', definition: { StartAt: 'A', States: { A: { Type: 'Pass', QueryLanguage: 'JSONata', End: true } } } },
    // A JSONata Choice rule is a Condition, not a Variable and an operator: AWS takes it (no false InvalidDefinition).
    {
      given: 'a JSONata Choice (its rules Conditions), in a machine and in a Map processor',
      definition: {
        QueryLanguage: 'JSONata',
        StartAt: 'Pick',
        States: {
          Pick: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 1 %}', Next: 'Each' }], Default: 'Each' },
          Each: { Type: 'Map', ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Choice', Choices: [{ Condition: '{% true %}', Next: 'Out' }] }, Out: { Type: 'Succeed' } } }, End: true },
        },
      },
    },
    { given: 'a JSONata state Choice in a JSONPath machine', definition: { StartAt: 'Pick', States: { Pick: { Type: 'Choice', QueryLanguage: 'JSONata', Choices: [{ Condition: '{% true %}', Next: 'Done' }] }, Done: { Type: 'Succeed' } } } },
    { given: 'a JSONata state assigning variables', definition: { QueryLanguage: 'JSONata', StartAt: 'A', States: { A: { Type: 'Pass', Assign: { x: '{% 1 %}' }, End: true } } } },
    { given: 'a Lambda task', definition: withState({ Type: 'Task', Resource: FUNCTION, Next: 'End' }) },
    { given: 'an optimized integration served', definition: withState({ Type: 'Task', Resource: 'arn:aws:states:::sqs:sendMessage.waitForTaskToken', Next: 'End' }) },
  ])('$given: everything runs locally', ({ definition }) => {
    // Act
    const report = checkDefinition(definition as Record<string, unknown>);

    // Assess
    expect(report.notEmulated).toEqual([]);
  });
});

describe('mapProcessor', () => {
  const processor = { StartAt: 'I', States: { I: { Type: 'Pass', End: true } } };

  it.each([
    { given: 'ItemProcessor', state: { Type: 'Map', ItemProcessor: processor }, want: processor },
    { given: 'the older Iterator', state: { Type: 'Map', Iterator: processor }, want: processor },
    { given: 'neither', state: { Type: 'Map' }, want: undefined },
    { given: 'an ItemProcessor that is not an object', state: { Type: 'Map', ItemProcessor: 'I' }, want: undefined },
  ])('$given', ({ state, want }) => {
    // Act
    const found = mapProcessor(state as unknown as Record<string, Json>);

    // Assess
    expect(found).toEqual(want);
  });
});
