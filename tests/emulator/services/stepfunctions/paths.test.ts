/** Paths, Reference Paths, InputPath / OutputPath and ResultPath (ASL spec "Paths"; guide "Processing input and output"). */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { applyResultPath, isReferencePath, readPath, selectPath } from '../../../../emulator/services/stepfunctions/paths.js';
import { statesFailure } from '../../support/states-failure.js';

/** The spec's own example document for Paths (a bookstore). */
const store: Json = {
  store: {
    book: [
      { category: 'reference', author: 'Nigel Rees', title: 'Sayings of the Century', price: 8.95 },
      { category: 'fiction', author: 'Evelyn Waugh', title: 'Sword of Honour', price: 12.99 },
      { category: 'fiction', author: 'Herman Melville', title: 'Moby Dick', isbn: '0-553-21311-3', price: 8.99 },
    ],
    bicycle: { color: 'red', price: 19.95 },
  },
  'a b': 'spaced',
  'detail-type': 'OrderPlaced',
  clé: 'é',
  数量: 3,
  whole: 1.0,
  nothing: null,
  empty: [],
  text: 'plain',
};
const context: Json = { Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:m:e', Input: { x: 1 } }, State: { Name: 'S' } };

describe('readPath', () => {
  it.each([
    { given: 'the root', path: '$', want: store },
    { given: 'a dotted name', path: '$.store.bicycle.color', want: 'red' },
    { given: 'a bracketed name with a space', path: "$['a b']", want: 'spaced' },
    { given: 'a double-quoted bracketed name', path: '$["store"]["bicycle"]["price"]', want: 19.95 },
    { given: 'a name with a dash', path: '$.detail-type', want: 'OrderPlaced' },
    { given: 'a unicode name', path: '$.clé', want: 'é' },
    { given: 'a bracketed unicode name', path: "$['数量']", want: 3 },
    { given: 'a number written 1.0', path: '$.whole', want: 1 },
    { given: 'a null value (present, so no failure)', path: '$.nothing', want: null },
    { given: 'an index', path: '$.store.book[1].author', want: 'Evelyn Waugh' },
    { given: 'a negative index (Jayway: from the end)', path: '$.store.book[-1].author', want: 'Herman Melville' },
    { given: 'a wildcard on a list', path: '$.store.book[*].author', want: ['Nigel Rees', 'Evelyn Waugh', 'Herman Melville'] },
    { given: 'a wildcard on an object', path: '$.store.bicycle.*', want: ['red', 19.95] },
    { given: 'a wildcard where some items lack the name', path: '$.store.book[*].isbn', want: ['0-553-21311-3'] },
    { given: 'a wildcard on an empty list', path: '$.empty[*]', want: [] },
    { given: 'a deep scan, in document order', path: '$..price', want: [8.95, 12.99, 8.99, 19.95] },
    { given: 'a deep scan that matches nothing', path: '$..missing', want: [] },
    { given: 'a deep scan then an index', path: '$..book[2].title', want: ['Moby Dick'] },
    { given: 'an index union', path: '$.store.book[0,2].title', want: ['Sayings of the Century', 'Moby Dick'] },
    { given: 'a name union', path: "$.store.bicycle['color','price']", want: ['red', 19.95] },
    { given: 'a slice', path: '$.store.book[1:].price', want: [12.99, 8.99] },
    { given: 'a slice to an end', path: '$.store.book[:1].price', want: [8.95] },
    { given: 'a slice with a negative start', path: '$.store.book[-2:].price', want: [12.99, 8.99] },
    { given: 'a slice with a step', path: '$.store.book[::2].price', want: [8.95, 8.99] },
    { given: 'a filter on a number', path: '$.store.book[?(@.price < 10)].title', want: ['Sayings of the Century', 'Moby Dick'] },
    { given: 'a filter at the boundary', path: '$.store.book[?(@.price >= 12.99)].title', want: ['Sword of Honour'] },
    { given: 'a filter on a string', path: "$.store.book[?(@.category == 'fiction')].author", want: ['Evelyn Waugh', 'Herman Melville'] },
    { given: 'a filter with !=', path: "$.store.book[?(@.category != 'fiction')].author", want: ['Nigel Rees'] },
    { given: 'a filter testing presence', path: '$.store.book[?(@.isbn)].title', want: ['Moby Dick'] },
    { given: 'a negated presence filter', path: '$.store.book[?(!@.isbn)].title', want: ['Sayings of the Century', 'Sword of Honour'] },
    { given: 'a filter with && and ||', path: "$.store.book[?(@.category == 'fiction' && (@.price > 12 || @.isbn == 'x'))].title", want: ['Sword of Honour'] },
    { given: 'a filter comparing with the root', path: '$.store.book[?(@.price > $.store.book[0].price)].title', want: ['Sword of Honour', 'Moby Dick'] },
    { given: 'a filter comparing a number with a string (no match)', path: "$.store.book[?(@.price > '1')].title", want: [] },
  ])('$given: $path', ({ path, want }) => {
    // Act
    const got = readPath(path, store, context);

    // Assess
    expect(got).toEqual(want);
  });

  it.each([
    { given: 'the context object', path: '$$', want: context },
    { given: 'a context field', path: '$$.Execution.Id', want: 'arn:aws:states:us-east-1:123456789012:execution:m:e' },
    { given: 'the execution input in the context', path: '$$.Execution.Input.x', want: 1 },
  ])('$given: $path reads the context, not the input', ({ path, want }) => {
    expect(readPath(path, { Execution: 'not this' }, context)).toEqual(want);
  });

  it.each([
    { given: 'an absent name', path: '$.missing' },
    { given: 'an absent name under a present one', path: '$.store.bicycle.gears' },
    { given: 'an index past the end', path: '$.store.book[3]' },
    { given: 'a negative index past the start', path: '$.store.book[-4]' },
    { given: 'a name on a string', path: '$.text.length' },
    { given: 'a name on a list', path: '$.store.book.author' },
    { given: 'an index on an object', path: '$.store[0]' },
    { given: 'a name below null', path: '$.nothing.x' },
    { given: 'an absent context field', path: '$$.Execution.Nope' },
  ])('a definite path with no value fails with States.Runtime: $given', ({ path }) => {
    // Act
    const got = statesFailure(() => readPath(path, store, context));

    // Assess
    expect(got.error).toBe('States.Runtime');
    expect(got.cause).toContain(`'${path}'`);
  });

  it.each([
    { given: 'no $', path: 'store.book' },
    { given: 'an empty path', path: '' },
    { given: 'a trailing dot', path: '$.store.' },
    { given: 'an unclosed bracket', path: '$.store[' },
    { given: 'an unclosed quote', path: "$['store]" },
    { given: 'a non-numeric index', path: '$.store.book[x]' },
    { given: 'a zero slice step', path: '$.store.book[::0]' },
    { given: 'text after the path', path: '$.store)' },
    { given: 'an unclosed filter', path: '$.store.book[?(@.price < 10]' },
  ])('a path that is not valid fails with States.Runtime: $given', ({ path }) => {
    expect(statesFailure(() => readPath(path, store, context)).error).toBe('States.Runtime');
  });
});

describe('isReferencePath', () => {
  it.each([
    { path: '$', want: true },
    { path: '$.a.b', want: true },
    { path: "$['a b'].c[0]", want: true },
    { path: '$.a[12]', want: true },
    { path: '$$.Execution.Id', want: true },
    { path: '$.a[*]', want: false },
    { path: '$..a', want: false },
    { path: '$.a[-1]', want: false },
    { path: '$.a[0:1]', want: false },
    { path: '$.a[0,1]', want: false },
    { path: "$['a','b']", want: false },
    { path: '$.a[?(@.x)]', want: false },
    { path: 'a.b', want: false },
    { path: '', want: false },
    { path: '$.', want: false },
  ])('$path: $want', ({ path, want }) => {
    expect(isReferencePath(path)).toBe(want);
  });
});

describe('applyResultPath', () => {
  /** The guide's ResultPath example: a Lambda function's greeting added to the state's input. */
  const guideInput: Json = { comment: 'An input comment.', data: { val1: 23, val2: 17 }, extra: 'foo', lambda: { who: 'AWS Step Functions' } };

  it.each<{ given: string; input: Json; resultPath: string | null | undefined; result: Json; want: Json }>([
    { given: 'no ResultPath: the result replaces the input', input: guideInput, resultPath: undefined, result: 'Hello, AWS Step Functions!', want: 'Hello, AWS Step Functions!' },
    { given: '$: the result replaces the input', input: guideInput, resultPath: '$', result: { r: 1 }, want: { r: 1 } },
    { given: 'null: the result is discarded', input: guideInput, resultPath: null, result: 'ignored', want: guideInput },
    {
      given: "the guide's $.taskresult",
      input: guideInput,
      resultPath: '$.taskresult',
      result: 'Hello, AWS Step Functions!',
      want: { comment: 'An input comment.', data: { val1: 23, val2: 17 }, extra: 'foo', lambda: { who: 'AWS Step Functions' }, taskresult: 'Hello, AWS Step Functions!' },
    },
    { given: 'an existing field is replaced', input: { a: 1, b: 2 }, resultPath: '$.a', result: [1], want: { a: [1], b: 2 } },
    { given: 'missing objects are created on the way', input: { a: 1 }, resultPath: '$.x.y.z', result: null, want: { a: 1, x: { y: { z: null } } } },
    { given: 'an existing object is extended', input: { x: { keep: true } }, resultPath: '$.x.y', result: 2, want: { x: { keep: true, y: 2 } } },
    { given: 'a bracketed name', input: {}, resultPath: "$['a b']", result: 'v', want: { 'a b': 'v' } },
    { given: 'an index of an existing list', input: { list: [1, 2, 3] }, resultPath: '$.list[1]', result: 'two', want: { list: [1, 'two', 3] } },
    { given: 'a name inside a list item', input: { list: [{}, {}] }, resultPath: '$.list[1].n', result: 5, want: { list: [{}, { n: 5 }] } },
  ])('$given', ({ input, resultPath, result, want }) => {
    expect(applyResultPath(input, resultPath, result)).toEqual(want);
  });

  it('neighbour: the input is not changed, and the result is not shared with it', () => {
    // Prepare
    const input: Json = { a: { b: 1 } };

    // Act
    const output = applyResultPath(input, '$.a.c', 2) as { a: { c: number } };

    // Assess
    expect(input).toEqual({ a: { b: 1 } });
    expect(output.a).not.toBe((input as { a: unknown }).a);
  });

  it.each<{ given: string; input: Json; resultPath: string }>([
    { given: 'the input is a string', input: 'abc', resultPath: '$.x' },
    { given: 'the input is a list', input: [1, 2], resultPath: '$.x' },
    { given: 'the input is null', input: null, resultPath: '$.x' },
    { given: 'a field on the way holds a number', input: { a: 5 }, resultPath: '$.a.b' },
    { given: 'a field on the way holds null', input: { a: null }, resultPath: '$.a.b' },
    { given: 'an index past the end of a list', input: { list: [1] }, resultPath: '$.list[1]' },
    { given: 'an index of an object', input: { a: {} }, resultPath: '$.a[0]' },
    { given: 'an index of a missing field', input: {}, resultPath: '$.a[0]' },
  ])('States.ResultPathMatchFailure when $given', ({ input, resultPath }) => {
    // Act
    const got = statesFailure(() => applyResultPath(input, resultPath, 'r'));

    // Assess
    expect(got.error).toBe('States.ResultPathMatchFailure');
    expect(got.cause).toContain(resultPath);
  });

  it.each([{ resultPath: '$$.x' }, { resultPath: '$.a[*]' }, { resultPath: '$..a' }, { resultPath: 'a' }])('a ResultPath that is no reference path on the input fails with States.Runtime: $resultPath', ({ resultPath }) => {
    expect(statesFailure(() => applyResultPath({}, resultPath, 1)).error).toBe('States.Runtime');
  });
});

describe('selectPath (InputPath, OutputPath)', () => {
  it.each([
    { given: 'null gives the empty object', path: null, want: {} },
    { given: 'no path passes the value through', path: undefined, want: { a: { b: [1] } } },
    { given: '$ passes the value through', path: '$', want: { a: { b: [1] } } },
    { given: 'a path selects', path: '$.a.b', want: [1] },
    { given: 'a context path selects from the context', path: '$$.State.Name', want: 'S' },
  ])('$given', ({ path, want }) => {
    expect(selectPath(path, { a: { b: [1] } }, context)).toEqual(want);
  });

  it.each([
    { given: 'test_invalid_jsonpath[ST.INVALID_JSONPATH_IN_OUTPUTPATH]: a missing leaf', path: '$.nope', cause: "Invalid path '$.nope' : No results for path: $['nope']" },
    { given: 'test_catch_states_runtime: a missing step before the leaf', path: '$.gone.deeper.leaf', cause: "Invalid path '$.gone.deeper.leaf' : Missing property in path $['gone']" },
    { given: 'a missing leaf under present objects', path: '$.a.nope', cause: "Invalid path '$.a.nope' : No results for path: $['a']['nope']" },
  ])('LS-rec $given: States.Runtime in Jayway`s words', ({ path, cause }) => {
    expect(statesFailure(() => selectPath(path, { a: { b: 1 } }, context))).toEqual({ error: 'States.Runtime', cause });
  });
});

describe('a dot before a bracket (Jayway`s JsonPath, which Step Functions uses)', () => {
  it.each([
    { path: '$.[0].body', want: 'a' },
    { path: '$.[1]', want: { body: 'b' } },
  ])('$path reads as its bracket alone', ({ path, want }) => {
    expect(readPath(path, [{ body: 'a' }, { body: 'b' }], null)).toEqual(want);
  });
});
