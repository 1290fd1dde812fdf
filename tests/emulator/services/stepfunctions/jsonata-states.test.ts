/**
 * JSONata states (developer guide, "Transforming data with JSONata in Step Functions" and "Passing data between states
 * with variables"): Arguments, Output, Assign, Conditions, a Map's Items and ItemSelector, a Catch's errorOutput,
 * expressions in number and text fields, and what an expression that fails is; run by the embedded Step Functions on
 * a fake clock, tasks on fake AWS services.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { loadJsonata } from '../../../../emulator/services/stepfunctions/jsonata.js';
import type { FunctionAnswer } from '../../../../emulator/services/stepfunctions/task-resources.js';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { FakeAwsServices, FUNCTION, harness, spec } from './executions-harness.js';

type Machine = Record<string, unknown>;

// The package is read once, as the service reads it when it starts with a JSONata machine: the executions below
// then run on the fake clock alone, with no file read to wait for.
beforeAll(async () => {
  await loadJsonata();
});
const jsonata = (states: Record<string, unknown>, startAt = Object.keys(states)[0]!): Machine => ({ QueryLanguage: 'JSONata', StartAt: startAt, States: states });

/** Runs a machine to its end on the fake clock: its status, output (parsed), error and cause. */
async function run(machine: Machine, input: unknown, fakes = new FakeAwsServices()): Promise<{ status: unknown; output?: unknown; error?: unknown; cause?: unknown; fakes: FakeAwsServices }> {
  const h = harness([spec('M', machine)], fakes);
  const arn = await h.start('M', input);
  await h.clock.runAll();
  const d = await h.describe(arn);
  return { status: d.status, ...(typeof d.output === 'string' ? { output: JSON.parse(d.output) } : {}), ...(d.error !== undefined ? { error: d.error, cause: d.cause } : {}), fakes };
}

describe('JSONata states: what each outputs', () => {
  it.each<{ given: string; machine: Machine; input: unknown; want: unknown }>([
    { given: 'a Pass with an Output expression over $states.input', machine: jsonata({ P: { Type: 'Pass', Output: { total: '{% $sum($states.input.items.price) %}', first: '{% $states.input.items[0].name %}', fixed: 7 }, End: true } }), input: { items: [{ name: 'a', price: 2 }, { name: 'b', price: 3 }] }, want: { total: 5, first: 'a', fixed: 7 } },
    { given: 'a Pass without Output (its input)', machine: jsonata({ P: { Type: 'Pass', End: true } }), input: { a: 1 }, want: { a: 1 } },
    { given: 'a nested expression that yields nothing (its key left out)', machine: jsonata({ P: { Type: 'Pass', Output: { kept: 1, gone: '{% $states.input.missing %}' }, End: true } }), input: {}, want: { kept: 1 } },
    { given: 'the context object', machine: jsonata({ P: { Type: 'Pass', Output: '{% $states.context.State.Name & "/" & $states.context.StateMachine.Name %}', End: true } }), input: {}, want: 'P/M' },
    { given: 'a Task: Arguments sent, Output over $states.result', machine: jsonata({ T: { Type: 'Task', Resource: FUNCTION, Arguments: { id: '{% $states.input.id %}' }, Output: { got: '{% $states.result %}', id: '{% $states.input.id %}' }, End: true } }), input: { id: 'x' }, want: { got: { id: 'x' }, id: 'x' } },
    { given: 'a Task without Output (its result)', machine: jsonata({ T: { Type: 'Task', Resource: FUNCTION, Arguments: { n: '{% 1 + 1 %}' }, End: true } }), input: {}, want: { n: 2 } },
    { given: 'a Choice on a Condition, its rule`s Output', machine: jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 10 %}', Output: { size: 'big' }, Next: 'Done' }], Default: 'Small' }, Small: { Type: 'Pass', Output: { size: 'small' }, End: true }, Done: { Type: 'Succeed' } }), input: { n: 11 }, want: { size: 'big' } },
    { given: 'a Choice falling to its Default', machine: jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% $states.input.n > 10 %}', Next: 'Done' }], Default: 'Small' }, Small: { Type: 'Pass', Output: { size: 'small' }, End: true }, Done: { Type: 'Succeed' } }), input: { n: 3 }, want: { size: 'small' } },
    { given: 'a Parallel: Arguments to every branch, Output over the branches` results', machine: jsonata({ Both: { Type: 'Parallel', Arguments: { v: '{% $states.input.v * 2 %}' }, Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Output: '{% $states.input.v + 1 %}', End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', Output: '{% $states.input.v - 1 %}', End: true } } }], Output: '{% $sum($states.result) %}', End: true } }), input: { v: 5 }, want: 20 },
    { given: 'a Map: Items, ItemSelector with the item and its index, MaxConcurrency as an expression', machine: jsonata({ Each: { Type: 'Map', Items: '{% $states.input.orders %}', MaxConcurrency: '{% 1 %}', ItemSelector: { order: '{% $states.context.Map.Item.Value %}', at: '{% $states.context.Map.Item.Index %}', shop: '{% $states.input.shop %}' }, ItemProcessor: { StartAt: 'Tag', States: { Tag: { Type: 'Pass', Output: '{% $states.input.shop & ":" & $states.input.order & "@" & $states.input.at %}', End: true } } }, End: true } }), input: { shop: 'north', orders: ['a', 'b'] }, want: ['north:a@0', 'north:b@1'] },
    { given: 'a Wait of Seconds given as an expression', machine: jsonata({ W: { Type: 'Wait', Seconds: '{% $states.input.s %}', Output: 'waited', End: true } }), input: { s: 30 }, want: 'waited' },
  ])('$given', async ({ machine, input, want }) => {
    const { status, output } = await run(machine, input);

    expect(status).toBe('SUCCEEDED');
    expect(output).toEqual(want);
  });

  it('a Task gets Arguments as its function`s payload', async () => {
    const { fakes } = await run(jsonata({ T: { Type: 'Task', Resource: FUNCTION, Arguments: { order: '{% $states.input.id %}', at: '{% $states.context.Execution.Name %}' }, End: true } }), { id: 'o-1' });

    expect(fakes.invocations).toEqual([{ functionRef: FUNCTION, payload: { order: 'o-1', at: expect.any(String) } }]);
  });
});

describe('variables (Assign)', () => {
  it('a later state reads what an earlier one assigned; a state`s own Output sees the values from before its Assign', async () => {
    const machine = jsonata({
      First: { Type: 'Pass', Assign: { count: '{% $states.input.start %}', label: 'first' }, Next: 'Second' },
      Second: { Type: 'Pass', Assign: { count: '{% $count + 1 %}' }, Output: { before: '{% $count %}', label: '{% $label %}' }, Next: 'Third' },
      Third: { Type: 'Pass', Output: { after: '{% $count %}', was: '{% $states.input.before %}' }, End: true },
    });

    const { output } = await run(machine, { start: 41 });

    expect(output).toEqual({ after: 42, was: 41 });
  });

  it('a Task`s Assign reads its result', async () => {
    const { output } = await run(jsonata({ T: { Type: 'Task', Resource: FUNCTION, Arguments: { n: 3 }, Assign: { got: '{% $states.result.n %}' }, Next: 'Show' }, Show: { Type: 'Pass', Output: '{% $got %}', End: true } }), {});

    expect(output).toBe(3);
  });

  it('a Map iteration reads the outer variables; what it assigns stays inside it', async () => {
    const machine = jsonata({
      Set: { Type: 'Pass', Assign: { rate: 10 }, Next: 'Each' },
      Each: { Type: 'Map', Items: '{% [1, 2] %}', ItemProcessor: { StartAt: 'Times', States: { Times: { Type: 'Pass', Assign: { rate: 0 }, Output: '{% $states.input * $rate %}', End: true } } }, Next: 'After' },
      After: { Type: 'Pass', Output: { results: '{% $states.input %}', rate: '{% $rate %}' }, End: true },
    });

    const { output } = await run(machine, {});

    expect(output).toEqual({ results: [10, 20], rate: 10 });
  });
});

describe('errors', () => {
  const failing = (): FakeAwsServices => new FakeAwsServices((): FunctionAnswer => ({ kind: 'error', errorType: 'Order.Invalid', errorMessage: 'no items', trace: [] }));

  it('a Catch outputs $states.errorOutput by default', async () => {
    const { status, output } = await run(jsonata({ T: { Type: 'Task', Resource: FUNCTION, Catch: [{ ErrorEquals: ['Order.Invalid'], Next: 'Handled' }], End: true }, Handled: { Type: 'Succeed' } }), {}, failing());

    expect(status).toBe('SUCCEEDED');
    expect(output).toMatchObject({ Error: 'Order.Invalid', Cause: expect.stringContaining('no items') });
  });

  it('a Catch`s Output and Assign read $states.errorOutput and the state`s input', async () => {
    const machine = jsonata({ T: { Type: 'Task', Resource: FUNCTION, Catch: [{ ErrorEquals: ['States.ALL'], Output: { failed: '{% $states.errorOutput.Error %}', id: '{% $states.input.id %}' }, Assign: { reason: '{% $states.errorOutput.Error %}' }, Next: 'Handled' }], End: true }, Handled: { Type: 'Pass', Output: { seen: '{% $states.input %}', reason: '{% $reason %}' }, End: true } });

    const { output } = await run(machine, { id: 'o-1' }, failing());

    expect(output).toEqual({ seen: { failed: 'Order.Invalid', id: 'o-1' }, reason: 'Order.Invalid' });
  });

  it('a Fail state`s Error and Cause may be expressions', async () => {
    const { status, error, cause } = await run(jsonata({ F: { Type: 'Fail', Error: '{% "Order." & $states.input.kind %}', Cause: '{% "order " & $states.input.id & " refused" %}' } }), { kind: 'Refused', id: 'o-2' });

    expect({ status, error, cause }).toEqual({ status: 'FAILED', error: 'Order.Refused', cause: 'order o-2 refused' });
  });

  it.each([
    { given: 'an expression that throws', output: '{% $error("boom") %}', want: /boom/ },
    { given: 'a top-level expression that yields nothing', output: '{% $states.input.missing %}', want: /returned nothing/ },
    { given: 'an expression that does not parse', output: '{% 1 + %}', want: /could not be parsed/ },
  ])('$given is States.QueryEvaluationError, which States.ALL catches', async ({ output, want }) => {
    const uncaught = await run(jsonata({ P: { Type: 'Pass', Output: output, End: true } }), {});
    const caught = await run(jsonata({ T: { Type: 'Task', Resource: FUNCTION, Output: output, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true }, Handled: { Type: 'Pass', Output: '{% $states.input.Error %}', End: true } }), {});

    expect(uncaught).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(String(uncaught.cause)).toMatch(want);
    expect(caught).toMatchObject({ status: 'SUCCEEDED', output: 'States.QueryEvaluationError' });
  });

  it('a Choice whose Condition is no boolean fails; no rule and no Default is States.NoChoiceMatched', async () => {
    const notBoolean = await run(jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% "yes" %}', Next: 'D' }] }, D: { Type: 'Succeed' } }), {});
    const noMatch = await run(jsonata({ C: { Type: 'Choice', Choices: [{ Condition: '{% false %}', Next: 'D' }] }, D: { Type: 'Succeed' } }), {});

    expect(notBoolean).toMatchObject({ status: 'FAILED', error: 'States.QueryEvaluationError' });
    expect(noMatch).toMatchObject({ status: 'FAILED', error: 'States.NoChoiceMatched' });
  });
});

describe('a JSONata state in a JSONPath machine', () => {
  it('runs in JSONata, the states around it in JSONPath', async () => {
    const machine: Record<string, Json> = { StartAt: 'Path', States: { Path: { Type: 'Pass', Parameters: { 'v.$': '$.value' }, Next: 'Ata' }, Ata: { Type: 'Pass', QueryLanguage: 'JSONata', Output: '{% $states.input.v * 3 %}', End: true } } };

    const { output } = await run(machine, { value: 4 });

    expect(output).toBe(12);
  });
});
