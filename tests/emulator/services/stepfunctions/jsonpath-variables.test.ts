/**
 * Variables in JSONPath states (developer guide, "Passing data between states with variables"): a state's Assign
 * (its `.$` fields read the state's result, `$$` and the variables), `$name` in every path and `.$` field of a later
 * state, the scopes of Parallel branches and Map iterations, a Catch's Assign, what a reference to a variable no state
 * assigned is, and the history's assignedVariables. Facts marked LS-rec are what AWS answered in LocalStack's
 * AWS-validated snapshot tests (tests/aws/services/stepfunctions/v2/assign); the definitions are our own. Run by the
 * embedded Step Functions on a fake clock, tasks on fake AWS services.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { checkDefinition } from '../../../../emulator/services/stepfunctions/definition.js';
import { loadJsonata } from '../../../../emulator/services/stepfunctions/jsonata.js';
import type { FunctionAnswer } from '../../../../emulator/services/stepfunctions/task-resources.js';
import { FakeAwsServices, FUNCTION, harness, spec } from './executions-harness.js';

type Machine = Record<string, unknown>;
const machine = (states: Record<string, unknown>, startAt = Object.keys(states)[0]!): Machine => ({ StartAt: startAt, States: states });
/** A first state that assigns `assign`, then `then` (a state named Then). */
const after = (assign: Record<string, unknown>, then: Record<string, unknown>, extra: Record<string, unknown> = {}): Machine => machine({ Set: { Type: 'Pass', Assign: assign, Next: 'Then' }, Then: { End: true, ...then }, ...extra });

/** Runs a machine to its end on the fake clock: status, output (parsed), error, cause, the history's events. */
async function run(definition: Machine, input: unknown = {}, fakes = new FakeAwsServices()) {
  const h = harness([spec('M', definition)], fakes);
  const arn = await h.start('M', input);
  await h.clock.runAll();
  const d = await h.describe(arn);
  return { status: d.status, ...(typeof d.output === 'string' ? { output: JSON.parse(d.output) as unknown } : {}), ...(d.error !== undefined ? { error: d.error, cause: d.cause } : {}), events: await h.history(arn), fakes };
}

// The JSONata states here run on the fake clock alone once the package is read (as the service reads it at start).
beforeAll(async () => {
  await loadJsonata();
});

const ORDER = { id: 'o-1', lines: [{ sku: 'tea', qty: 2 }, { sku: 'cake', qty: 1 }], customer: { name: 'Ann', tier: 'gold' } };

describe('what a later state reads of a variable', () => {
  it.each<{ given: string; definition: Machine; input?: unknown; want: unknown }>([
    { given: 'a constant, in Parameters', definition: after({ greeting: 'hello' }, { Type: 'Pass', Parameters: { 'said.$': '$greeting' } }), want: { said: 'hello' } },
    { given: 'a value read from the input (name.$)', definition: after({ 'who.$': '$.customer.name' }, { Type: 'Pass', Parameters: { 'who.$': '$who' } }), input: ORDER, want: { who: 'Ann' } },
    { given: 'an object variable, through a nested path', definition: after({ 'order.$': '$' }, { Type: 'Pass', Parameters: { 'tier.$': '$order.customer.tier', 'first.$': '$order.lines[0].sku', 'skus.$': '$order.lines[*].sku' } }), input: ORDER, want: { tier: 'gold', first: 'tea', skus: ['tea', 'cake'] } },
    { given: 'the context object (name.$ on $$)', definition: after({ 'run.$': '$$.Execution.Name', 'state.$': '$$.State.Name' }, { Type: 'Pass', Parameters: { 'run.$': '$run', 'state.$': '$state' } }), want: { run: expect.stringMatching(/^[0-9a-f-]{36}$/), state: 'Set' } },
    { given: 'a "$name" text without .$ (a literal, LS-rec BASE_VAR)', definition: after({ greeting: 'hi', literal: '$greeting' }, { Type: 'Pass', Parameters: { 'literal.$': '$literal', plain: '$greeting' } }), want: { literal: '$greeting', plain: '$greeting' } },
    { given: 'InputPath (LS-rec BASE_REFERENCE_IN_INPUTPATH)', definition: after({ answer: 42 }, { Type: 'Pass', InputPath: '$answer' }), want: 42 },
    { given: 'OutputPath (LS-rec BASE_REFERENCE_IN_OUTPUTPATH)', definition: after({ answer: { value: 42 } }, { Type: 'Pass', OutputPath: '$answer.value' }), want: 42 },
    { given: 'intrinsic function arguments', definition: after({ name: 'Ann', n: 41, 'list.$': '$.lines' }, { Type: 'Pass', Parameters: { 'line.$': "States.Format('{} has {} lines', $name, States.ArrayLength($list))", 'next.$': 'States.MathAdd($n, 1)', 'first.$': 'States.ArrayGetItem($list[*].sku, 0)' } }), input: ORDER, want: { line: 'Ann has 2 lines', next: 42, first: 'tea' } },
    { given: 'a Fail state`s ErrorPath and CausePath', definition: after({ code: 'Order.Refused', why: { text: 'no stock' } }, { Type: 'Fail', ErrorPath: '$code', CausePath: '$why.text', End: undefined }), want: undefined },
    { given: 'a Choice rule`s Variable and its …Path operand (LS-rec BASE_REFERENCE_IN_CHOICE)', definition: after({ guess: 'tea', answer: 'tea' }, { Type: 'Choice', Choices: [{ Variable: '$guess', StringEqualsPath: '$answer', Next: 'Right' }], Default: 'Wrong', End: undefined }, { Right: { Type: 'Pass', Result: 'right', End: true }, Wrong: { Type: 'Pass', Result: 'wrong', End: true } }), want: 'right' },
    { given: 'IsPresent on a variable no state assigned (false, no failure)', definition: after({ x: 1 }, { Type: 'Choice', Choices: [{ Variable: '$never', IsPresent: true, Next: 'Right' }], Default: 'Wrong', End: undefined }, { Right: { Type: 'Pass', Result: 'present', End: true }, Wrong: { Type: 'Pass', Result: 'absent', End: true } }), want: 'absent' },
    { given: 'a Map`s ItemsPath, ItemSelector and MaxConcurrencyPath', definition: after({ 'items.$': '$.lines', factor: 10, limit: 1 }, { Type: 'Map', ItemsPath: '$items', MaxConcurrencyPath: '$limit', ItemSelector: { 'sku.$': '$$.Map.Item.Value.sku', 'times.$': '$factor' }, ItemProcessor: { StartAt: 'Each', States: { Each: { Type: 'Pass', End: true } } } }), input: ORDER, want: [{ sku: 'tea', times: 10 }, { sku: 'cake', times: 10 }] },
    { given: 'a Wait`s SecondsPath and TimestampPath (LS-rec BASE_REFERENCE_IN_WAIT)', definition: after({ seconds: 5, at: '2024-05-01T12:00:30Z' }, { Type: 'Wait', SecondsPath: '$seconds', Next: 'Until', End: undefined }, { Until: { Type: 'Wait', TimestampPath: '$at', End: true } }), input: { kept: true }, want: { kept: true } },
    { given: 'a Task`s Parameters and TimeoutSecondsPath', definition: after({ 'order.$': '$', timeout: 30 }, { Type: 'Task', Resource: FUNCTION, TimeoutSecondsPath: '$timeout', Parameters: { 'id.$': '$order.id', 'skus.$': '$order.lines[*].sku' } }), input: ORDER, want: { id: 'o-1', skus: ['tea', 'cake'] } },
  ])('$given', async ({ definition, input, want }) => {
    const result = await run(definition, input ?? {});

    if (want === undefined) expect(result).toMatchObject({ status: 'FAILED', error: 'Order.Refused', cause: 'no stock' });
    else expect(result).toMatchObject({ status: 'SUCCEEDED', output: want });
  });
});

describe('what Assign reads, and when it takes effect', () => {
  it.each<{ given: string; state: Record<string, unknown>; input?: unknown; want: Record<string, unknown> }>([
    { given: 'a Pass with Result: $ is the Result (LS-rec BASE_EVALUATION_ORDER_PASS_STATE)', state: { Type: 'Pass', Result: { question: 'why?' }, Assign: { 'q.$': '$.question' } }, input: { question: 'not this' }, want: { q: 'why?' } },
    { given: 'a Pass with Parameters: $ is what Parameters built (LS-rec BASE_ASSIGN_FROM_PARAMETERS)', state: { Type: 'Pass', Parameters: { status: 'PENDING' }, Assign: { 's.$': '$.status' } }, want: { s: 'PENDING' } },
    { given: 'a Pass with neither: $ is its input after InputPath', state: { Type: 'Pass', InputPath: '$.customer', Assign: { 'n.$': '$.name' } }, input: ORDER, want: { n: 'Ann' } },
    { given: 'a Pass: ResultPath and OutputPath do not change what $ is', state: { Type: 'Pass', Result: { v: 1 }, ResultPath: '$.placed', OutputPath: '$.placed', Assign: { 'v.$': '$.v' } }, want: { v: 1 } },
    { given: 'a Task: $ is its result as ResultSelector leaves it, before ResultPath', state: { Type: 'Task', Resource: FUNCTION, Parameters: { n: 3 }, ResultSelector: { 'got.$': '$.n' }, ResultPath: '$.r', Assign: { 'got.$': '$.got' } }, want: { got: 3 } },
    { given: 'a Task without ResultSelector: $ is its result', state: { Type: 'Task', Resource: FUNCTION, Parameters: { n: 4 }, ResultPath: null, Assign: { 'all.$': '$' } }, want: { all: { n: 4 } } },
    { given: 'a Parallel: $ is the branches` outputs', state: { Type: 'Parallel', Branches: [{ StartAt: 'A', States: { A: { Type: 'Pass', Result: 1, End: true } } }, { StartAt: 'B', States: { B: { Type: 'Pass', Result: 2, End: true } } }], Assign: { 'both.$': '$' } }, want: { both: [1, 2] } },
    { given: 'a Map: $ is the iterations` outputs, as ResultSelector leaves them', state: { Type: 'Map', ItemsPath: '$.lines', ItemProcessor: { StartAt: 'I', States: { I: { Type: 'Pass', InputPath: '$.sku', End: true } } }, ResultSelector: { 'count.$': 'States.ArrayLength($)' }, Assign: { 'count.$': '$.count' } }, input: ORDER, want: { count: 2 } },
    { given: 'a Wait: $ is its input (LS-rec test_assign_in_wait_state)', state: { Type: 'Wait', Seconds: 1, Assign: { 'id.$': '$.id', fixed: 'oof' } }, input: ORDER, want: { id: 'o-1', fixed: 'oof' } },
    { given: 'an intrinsic function over the variables and $$', state: { Type: 'Pass', Assign: { 'label.$': "States.Format('{}@{}', $.id, $$.State.Name)" } }, input: ORDER, want: { label: 'o-1@Only' } },
  ])('$given', async ({ state, input, want }) => {
    const definition = machine({ Only: { ...state, Next: 'Show' }, Show: { Type: 'Pass', Parameters: Object.fromEntries(Object.keys(want).map((k) => [`${k}.$`, `$${k}`])), End: true } });

    const { status, output } = await run(definition, input ?? {});

    expect({ status, output }).toEqual({ status: 'SUCCEEDED', output: want });
  });

  it('every value of an Assign reads the variables as the state was entered: two variables swap', async () => {
    const { output } = await run(after({ a: 1, b: 2 }, { Type: 'Pass', Assign: { 'a.$': '$b', 'b.$': '$a' }, Next: 'Show', End: undefined }, { Show: { Type: 'Pass', Parameters: { 'a.$': '$a', 'b.$': '$b' }, End: true } }));

    expect(output).toEqual({ a: 2, b: 1 });
  });

  it('the state`s own paths read the value from before its Assign (LS-rec: OutputPath $answer is still 42)', async () => {
    const { output } = await run(after({ answer: 42 }, { Type: 'Pass', InputPath: '$answer', Parameters: { 'was.$': '$answer' }, OutputPath: '$.was', Assign: { answer: 'changed' } }));

    expect(output).toBe(42);
  });

  it('a retried Task assigns once, from the attempt that succeeded', async () => {
    let calls = 0;
    const flaky = new FakeAwsServices((): FunctionAnswer => (++calls === 1 ? { kind: 'error', errorType: 'Busy', errorMessage: 'try again', trace: [] } : { kind: 'ok', payload: { attempt: calls } }));
    const definition = machine({ T: { Type: 'Task', Resource: FUNCTION, Retry: [{ ErrorEquals: ['Busy'], IntervalSeconds: 1 }], Assign: { 'attempt.$': '$.attempt' }, Next: 'Show' }, Show: { Type: 'Pass', Parameters: { 'attempt.$': '$attempt' }, End: true } });

    const { output } = await run(definition, {}, flaky);

    expect(output).toEqual({ attempt: 2 });
  });
});

describe('a Choice`s Assign (LS-rec test_assign_in_choice_state)', () => {
  const choice = machine({
    Pick: { Type: 'Choice', Choices: [{ Variable: '$.n', NumericEquals: 42, Assign: { status: 'CORRECT' }, Next: 'Show' }, { Variable: '$.n', IsNumeric: false, Next: 'Show' }], Assign: { status: 'INCORRECT', 'guess.$': '$.n' }, Default: 'Show' },
    Show: { Type: 'Pass', Parameters: { 'status.$': '$status' }, End: true },
  });

  it.each([
    { given: 'the rule that holds has an Assign: its own', input: { n: 42 }, want: { status: 'CORRECT' } },
    { given: 'the Default is taken: the state`s', input: { n: 7 }, want: { status: 'INCORRECT' } },
    { given: 'the rule that holds has none: the state`s', input: { n: 'x' }, want: { status: 'INCORRECT' } },
  ])('$given', async ({ input, want }) => {
    const { output } = await run(choice, input);

    expect(output).toEqual(want);
  });
});

describe('a Catch`s Assign', () => {
  const failing = () => new FakeAwsServices((): FunctionAnswer => ({ kind: 'error', errorType: 'Order.Invalid', errorMessage: 'no items', trace: [] }));

  it('reads the error output as $; the state`s own Assign is not made; ResultPath places the error as before', async () => {
    const definition = machine({
      Set: { Type: 'Pass', Assign: { status: 'started' }, Next: 'T' },
      T: { Type: 'Task', Resource: FUNCTION, Assign: { status: 'done' }, Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.problem', Assign: { 'failedWith.$': '$.Error', 'before.$': '$status' }, Next: 'Show' }], End: true },
      Show: { Type: 'Pass', Parameters: { 'failedWith.$': '$failedWith', 'before.$': '$before', 'status.$': '$status', 'problem.$': '$.problem.Error', 'id.$': '$.id' }, End: true },
    });

    const { output } = await run(definition, { id: 'o-1' }, failing());

    expect(output).toEqual({ failedWith: 'Order.Invalid', before: 'started', status: 'started', problem: 'Order.Invalid', id: 'o-1' });
  });

  it('a Catch of a Map state assigns in the Map`s own scope (the one after it reads it)', async () => {
    const definition = machine({
      Each: { Type: 'Map', ItemsPath: '$.lines', ItemProcessor: { StartAt: 'Bill', States: { Bill: { Type: 'Task', Resource: FUNCTION, End: true } } }, Catch: [{ ErrorEquals: ['Order.Invalid'], Assign: { 'cause.$': '$.Cause' }, Next: 'Show' }], End: true },
      Show: { Type: 'Pass', Parameters: { 'cause.$': '$cause' }, End: true },
    });

    const { output } = await run(definition, ORDER, failing());

    expect(output).toMatchObject({ cause: expect.stringContaining('no items') });
  });
});

describe('scopes: Parallel branches and Map iterations', () => {
  it('a Map iteration reads the outer variables; what it assigns stays in it (LS-rec BASE_SCOPE_MAP)', async () => {
    const definition = machine({
      Set: { Type: 'Pass', Assign: { rate: 10, 'items.$': '$.lines' }, Next: 'Each' },
      Each: { Type: 'Map', ItemsPath: '$items', ItemProcessor: { StartAt: 'Price', States: { Price: { Type: 'Pass', Assign: { 'mine.$': '$.qty' }, Parameters: { 'qty.$': '$.qty', 'rate.$': '$rate' }, Next: 'Mine' }, Mine: { Type: 'Pass', Parameters: { 'mine.$': '$mine', 'rate.$': '$.rate' }, End: true } } }, Next: 'After' },
      After: { Type: 'Pass', Parameters: { 'results.$': '$', 'rate.$': '$rate' }, Next: 'Leak' },
      Leak: { Type: 'Choice', Choices: [{ Variable: '$mine', IsPresent: true, Next: 'Leaked' }], Default: 'Done' },
      Leaked: { Type: 'Fail', Error: 'Leaked' },
      Done: { Type: 'Succeed' },
    });

    const { status, output } = await run(definition, ORDER);

    expect(status).toBe('SUCCEEDED');
    expect(output).toEqual({ results: [{ mine: 2, rate: 10 }, { mine: 1, rate: 10 }], rate: 10 });
  });

  it('a name an iteration assigns over an outer one: its own value inside, the outer one after (and the definition is one AWS refuses)', async () => {
    const definition = machine({
      Set: { Type: 'Pass', Assign: { rate: 10 }, Next: 'Each' },
      Each: { Type: 'Map', ItemsPath: '$.lines', ItemProcessor: { StartAt: 'Own', States: { Own: { Type: 'Pass', Assign: { rate: 0 }, Next: 'Read' }, Read: { Type: 'Pass', Parameters: { 'rate.$': '$rate' }, End: true } } }, Next: 'After' },
      After: { Type: 'Pass', Parameters: { 'inside.$': '$[*].rate', 'outside.$': '$rate' }, End: true },
    });

    const { output } = await run(definition, ORDER);

    expect(output).toEqual({ inside: [0, 0], outside: 10 });
    expect(checkDefinition(definition).problems).toEqual(['States.Each.ItemProcessor.States.Own.Assign: rate is assigned in an outer scope too, which a Parallel branch or Map iteration cannot assign']);
  });

  it('Parallel branches read the outer variables, not each other`s (LS-rec BASE_SCOPE_PARALLEL)', async () => {
    const branch = (name: string, value: number) => ({ StartAt: name, States: { [name]: { Type: 'Pass', Assign: { [`own${name}`]: value }, Next: `${name}Read` }, [`${name}Read`]: { Type: 'Choice', Choices: [{ Variable: name === 'A' ? '$ownB' : '$ownA', IsPresent: true, Next: `${name}Saw` }], Default: `${name}Blind` }, [`${name}Saw`]: { Type: 'Fail', Error: 'SawTheOther' }, [`${name}Blind`]: { Type: 'Pass', Parameters: { 'x.$': '$x', [`own.$`]: `$own${name}` }, End: true } } });
    const definition = machine({ Set: { Type: 'Pass', Assign: { x: 42 }, Next: 'Both' }, Both: { Type: 'Parallel', Branches: [branch('A', 1), branch('B', 2)], End: true } });

    const { status, output } = await run(definition);

    expect(status).toBe('SUCCEEDED');
    expect(output).toEqual([{ x: 42, own: 1 }, { x: 42, own: 2 }]);
  });

  it('a Distributed Map`s child workflows see no outer variable (its own fields do)', async () => {
    const processor = (reads: string) => ({ ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' }, StartAt: 'In', States: { In: { Type: 'Pass', Parameters: { 'v.$': reads }, End: true } } });
    const definition = (reads: string) => machine({ Set: { Type: 'Pass', Assign: { 'items.$': '$.lines', tag: 'outer' }, Next: 'Each' }, Each: { Type: 'Map', ItemsPath: '$items', ItemSelector: { 'tag.$': '$tag' }, ItemProcessor: processor(reads), End: true } });

    const ownFields = await run(definition('$.tag'), ORDER);
    const inside = await run(definition('$tag'), ORDER);

    expect(ownFields).toMatchObject({ status: 'SUCCEEDED', output: [{ v: 'outer' }, { v: 'outer' }] });
    expect(inside).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(String(inside.cause)).toMatch(/no state assigned '\$tag'/);
  });
});

describe('what fails', () => {
  it.each<{ given: string; definition: Machine; cause: RegExp }>([
    { given: 'a variable no state assigned, in Parameters', definition: after({ x: 1 }, { Type: 'Pass', Parameters: { 'y.$': '$y' } }), cause: /The JSONPath '\$y' specified for the field 'y\.\$' could not be found in the variables: no state assigned '\$y'/ },
    { given: 'a variable no state assigned, in InputPath', definition: after({ x: 1 }, { Type: 'Pass', InputPath: '$y' }), cause: /Invalid path '\$y' : No results for path: \$y \(no state assigned '\$y'\)/ },
    { given: 'a field the variable`s object does not have', definition: after({ order: { id: 'o-1' } }, { Type: 'Pass', Parameters: { 'sku.$': '$order.sku' } }), cause: /could not be found in the variable '\$order' \('\{"id":"o-1"\}'\)/ },
    { given: 'a variable no state assigned, in an intrinsic function', definition: after({ x: 1 }, { Type: 'Pass', Parameters: { 'm.$': "States.Format('{}', $y)" } }), cause: /The JsonPath argument '\$y' could not be found in the variables: no state assigned '\$y'/ },
    { given: '$states, which is JSONata`s', definition: after({ x: 1 }, { Type: 'Pass', Parameters: { 'in.$': '$states.input' } }), cause: /'\$states' is reserved to JSONata states/ },
    { given: 'a variable as a Choice rule`s Variable', definition: after({ x: 1 }, { Type: 'Choice', Choices: [{ Variable: '$y', StringEquals: 'a', Next: 'Then2' }], Default: 'Then2', End: undefined }, { Then2: { Type: 'Succeed' } }), cause: /Invalid path '\$y': The choice state's condition path references an invalid value/ },
    { given: 'a variable in an Assign of a later state', definition: after({ x: 1 }, { Type: 'Pass', Assign: { 'z.$': '$y' } }), cause: /The JSONPath '\$y' specified for the field 'z\.\$'/ },
    { given: 'a variable as ResultPath (results go into the input)', definition: after({ x: 1 }, { Type: 'Pass', ResultPath: '$x' }), cause: /The ResultPath '\$x' is not a reference path on the input/ },
  ])('$given: States.Runtime, naming the state', async ({ definition, cause }) => {
    const result = await run(definition);

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
    expect(String(result.cause)).toMatch(/^An error occurred while executing the state 'Then'/);
    expect(String(result.cause)).toMatch(cause);
  });

  it('a reference to a variable no state assigned is not caught by States.ALL', async () => {
    const definition = machine({ T: { Type: 'Task', Resource: FUNCTION, Parameters: { 'y.$': '$never' }, Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Handled' }], End: true }, Handled: { Type: 'Succeed' } });

    const result = await run(definition);

    expect(result).toMatchObject({ status: 'FAILED', error: 'States.Runtime' });
  });

  it.each([
    { given: 'a JSONPath state', language: 'JSONPath', read: '$.big' },
    { given: 'a JSONata state (the same store)', language: 'JSONata', read: '{% $states.input.big %}' },
  ])('a state assigning more than 256 KiB of values is States.DataLimitExceeded ($given)', async ({ language, read }) => {
    const assign = (names: string[]) => Object.fromEntries(names.map((n) => (language === 'JSONPath' ? [`${n}.$`, read] : [n, read])));
    const definition = (names: string[]) => ({ QueryLanguage: language, StartAt: 'Set', States: { Set: { Type: 'Pass', Assign: assign(names), End: true } } });

    const once = await run(definition(['a']), { big: 'x'.repeat(140_000) });
    const twice = await run(definition(['a', 'b']), { big: 'x'.repeat(140_000) });

    expect(once.status).toBe('SUCCEEDED');
    expect(twice).toMatchObject({ status: 'FAILED', error: 'States.DataLimitExceeded' });
    expect(String(twice.cause)).toMatch(/The Assign field assigns 280004 bytes of variables, over the 262144 bytes a state may assign/);
  });
});

describe('the history: each state`s assignedVariables (LS-rec, as JSON text)', () => {
  it('a StateExited event lists what the state assigned; a state that assigned nothing has none', async () => {
    const definition = machine({ Set: { Type: 'Pass', Result: { question: 'why?' }, Assign: { 'question.$': '$.question', answer: 42, list: [1, 2] }, Next: 'Plain' }, Plain: { Type: 'Pass', End: true } });

    const { events } = await run(definition);

    const exited = events.filter((e) => e.type === 'PassStateExited').map((e) => e.stateExitedEventDetails as Record<string, unknown>);
    expect(exited[0]).toMatchObject({ name: 'Set', assignedVariables: { question: '"why?"', answer: '42', list: '[1,2]' }, assignedVariablesDetails: { truncated: false } });
    expect(exited[1]).not.toHaveProperty('assignedVariables');
  });

  it('a Catch`s Assign shows on the state`s exit (LS-rec test_assign_in_catch_state), a JSONata state`s as a JSONPath one`s', async () => {
    const failing = new FakeAwsServices((): FunctionAnswer => ({ kind: 'error', errorType: 'Boom', errorMessage: 'x', trace: [] }));
    const definition = machine({ T: { Type: 'Task', Resource: FUNCTION, Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'error.$': '$.Error' }, Next: 'Ata' }], End: true }, Ata: { Type: 'Pass', QueryLanguage: 'JSONata', Assign: { seen: '{% $error %}' }, End: true } });

    const { events } = await run(definition, {}, failing);

    expect(events.find((e) => e.type === 'TaskStateExited')?.stateExitedEventDetails).toMatchObject({ assignedVariables: { error: '"Boom"' } });
    expect(events.find((e) => e.type === 'PassStateExited')?.stateExitedEventDetails).toMatchObject({ assignedVariables: { seen: '"Boom"' } });
  });
});

describe('checkDefinition: Assign', () => {
  const inMap = (inner: Record<string, unknown>, outer: Record<string, unknown> = { x: 1 }) => machine({ Set: { Type: 'Pass', Assign: outer, Next: 'Each' }, Each: { Type: 'Map', ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Pass', Assign: inner, End: true } } }, End: true } });

  it.each([
    { given: 'a JSONPath state with Assign (run, not reported)', definition: inMap({ y: 1 }) },
    { given: 'a Catch`s and a Choice rule`s Assign', definition: machine({ C: { Type: 'Choice', Choices: [{ Variable: '$.a', IsPresent: true, Assign: { a: 1 }, Next: 'T' }], Default: 'T', Assign: { b: 1 } }, T: { Type: 'Task', Resource: FUNCTION, Catch: [{ ErrorEquals: ['States.ALL'], Assign: { 'c.$': '$.Error' }, Next: 'D' }], End: true }, D: { Type: 'Succeed' } }) },
    { given: 'two iterations` states assigning the same name (one scope)', definition: machine({ Each: { Type: 'Map', ItemProcessor: { StartAt: 'A', States: { A: { Type: 'Pass', Assign: { y: 1 }, Next: 'B' }, B: { Type: 'Pass', Assign: { y: 2 }, End: true } } }, End: true } }) },
  ])('$given: no problem, nothing unrun', ({ definition }) => {
    const report = checkDefinition(definition);

    expect(report).toEqual({ problems: [], notEmulated: [] });
  });

  it.each([
    { given: 'Assign on a Succeed state', definition: machine({ S: { Type: 'Succeed', Assign: { x: 1 } } }), want: 'States.S.Assign: only Pass, Task, Map, Parallel, Choice, Wait states may have one' },
    { given: 'an Assign that is no object', definition: machine({ S: { Type: 'Pass', Assign: ['x'], End: true } }), want: 'States.S.Assign: must be an object' },
    { given: 'a name that is no identifier', definition: machine({ S: { Type: 'Pass', Assign: { 'my-var': 1 }, End: true } }), want: 'States.S.Assign: "my-var" is not a variable name (a letter or _, then letters, digits or _)' },
    { given: 'the reserved name states', definition: machine({ S: { Type: 'Pass', Assign: { 'states.$': '$' }, End: true } }), want: 'States.S.Assign: states is reserved ($states is the JSONata states` own)' },
    { given: 'an iteration assigning an outer name', definition: inMap({ 'x.$': '$' }), want: 'States.Each.ItemProcessor.States.In.Assign: x is assigned in an outer scope too, which a Parallel branch or Map iteration cannot assign' },
    { given: 'a nested iteration assigning a name of the scope two levels out', definition: machine({ Set: { Type: 'Pass', Assign: { x: 1 }, Next: 'Each' }, Each: { Type: 'Map', ItemProcessor: { StartAt: 'Inner', States: { Inner: { Type: 'Map', ItemProcessor: { StartAt: 'In', States: { In: { Type: 'Pass', Assign: { x: 2 }, End: true } } }, End: true } } }, End: true } }), want: 'States.Each.ItemProcessor.States.Inner.ItemProcessor.States.In.Assign: x is assigned in an outer scope too, which a Parallel branch or Map iteration cannot assign' },
  ])('$given is a problem', ({ definition, want }) => {
    const report = checkDefinition(definition);

    expect(report.problems).toEqual([want]);
  });
});
