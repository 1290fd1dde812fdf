/** Intrinsic functions of JSONPath states (guide "Intrinsic functions"; ASL spec "Intrinsic Functions"). */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { evaluateIntrinsic, isIntrinsic } from '../../../../emulator/services/stepfunctions/intrinsics.js';
import { statesFailure } from '../../support/states-failure.js';

const context: Json = { Execution: { Id: 'arn:aws:states:eu-west-1:123456789012:execution:machine:run-1' } };

describe('isIntrinsic', () => {
  it.each([
    { s: 'States.Format(\'{}\', $.x)', want: true },
    { s: 'States.UUID()', want: true },
    { s: 'States.Array(States.Array(1))', want: true },
    { s: '$.x', want: false },
    { s: 'States.Format', want: false },
    { s: 'states.Format(1)', want: false },
    { s: ' States.UUID()', want: false },
    { s: 'Foo.Bar(1)', want: false },
    { s: '', want: false },
  ])('$s: $want', ({ s, want }) => {
    expect(isIntrinsic(s)).toBe(want);
  });
});

describe('evaluateIntrinsic: the guide`s examples and their neighbours', () => {
  it.each([
    // States.Format
    { given: 'Format (guide)', expression: "States.Format('Hello, my name is {}.', $.name)", input: { name: 'Arnav' }, want: 'Hello, my name is Arnav.' },
    { given: 'Format with an escaped quote (guide)', expression: "States.Format('Welcome to {} {}\\'s playlist.', $.firstName, $.lastName)", input: { firstName: 'John', lastName: 'Doe' }, want: "Welcome to John Doe's playlist." },
    { given: 'Format with escaped braces', expression: "States.Format('\\{\\} is literal, {} is not', 'this')", input: {}, want: '{} is literal, this is not' },
    { given: 'Format with an escaped backslash', expression: "States.Format('a\\\\b{}', 1)", input: {}, want: 'a\\b1' },
    { given: 'Format of a number, a boolean and null', expression: "States.Format('{} {} {} {}', 1.0, 2.5, true, null)", input: {}, want: '1 2.5 true null' },
    { given: 'Format without placeholders', expression: "States.Format('plain')", input: {}, want: 'plain' },
    { given: 'Format with unicode', expression: "States.Format('{}→{}', 'é', $.emoji)", input: { emoji: '😀' }, want: 'é→😀' },
    { given: 'Format with a template read from a path', expression: 'States.Format($.template, 7)', input: { template: 'n={}' }, want: 'n=7' },
    { given: 'Format reading the context object', expression: "States.Format('id {}', $$.Execution.Id)", input: {}, want: 'id arn:aws:states:eu-west-1:123456789012:execution:machine:run-1' },
    // JSON
    { given: 'StringToJson (guide)', expression: 'States.StringToJson($.escapedJsonString)', input: { escapedJsonString: '{"foo": "bar"}' }, want: { foo: 'bar' } },
    { given: 'StringToJson of a number text', expression: "States.StringToJson('12')", input: {}, want: 12 },
    { given: 'JsonToString (guide)', expression: 'States.JsonToString($.unescapedJson)', input: { unescapedJson: { foo: 'bar' } }, want: '{"foo":"bar"}' },
    { given: 'JsonToString keeps unicode', expression: 'States.JsonToString($.v)', input: { v: ['é', 1.5] }, want: '["é",1.5]' },
    { given: 'JsonMerge (guide)', expression: 'States.JsonMerge($.json1, $.json2, false)', input: { json1: { a: { a1: 1, a2: 2 }, b: 2 }, json2: { a: { a3: 1, a4: 2 }, c: 3 } }, want: { a: { a3: 1, a4: 2 }, b: 2, c: 3 } },
    // Arrays
    { given: 'Array (guide)', expression: 'States.Array($.Id)', input: { Id: 123456 }, want: [123456] },
    { given: 'Array of mixed literals', expression: "States.Array('a', 1, true, null, $.o)", input: { o: { k: [] } }, want: ['a', 1, true, null, { k: [] }] },
    { given: 'Array of nothing', expression: 'States.Array()', input: {}, want: [] },
    { given: 'ArrayPartition (guide)', expression: 'States.ArrayPartition($.inputArray, 4)', input: { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, want: [[1, 2, 3, 4], [5, 6, 7, 8], [9]] },
    { given: 'ArrayPartition of an empty list', expression: 'States.ArrayPartition($.a, 2)', input: { a: [] }, want: [] },
    { given: 'ArrayPartition rounds a size of 1.6', expression: 'States.ArrayPartition($.a, 1.6)', input: { a: [1, 2, 3] }, want: [[1, 2], [3]] },
    { given: 'ArrayContains (guide)', expression: 'States.ArrayContains($.inputArray, $.lookingFor)', input: { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], lookingFor: 5 }, want: true },
    { given: 'ArrayContains: absent value', expression: 'States.ArrayContains($.a, 10)', input: { a: [1, 2] }, want: false },
    { given: 'ArrayContains compares objects by content', expression: 'States.ArrayContains($.a, $.o)', input: { a: [{ x: 1, y: 2 }], o: { y: 2, x: 1 } }, want: true },
    { given: 'ArrayContains: "1" is not 1', expression: "States.ArrayContains($.a, '1')", input: { a: [1] }, want: false },
    { given: 'ArrayRange (guide)', expression: 'States.ArrayRange(1, 9, 2)', input: {}, want: [1, 3, 5, 7, 9] },
    { given: 'ArrayRange not landing on its end', expression: 'States.ArrayRange(0, 10, 4)', input: {}, want: [0, 4, 8] },
    { given: 'ArrayRange downwards', expression: 'States.ArrayRange(3, -1, -2)', input: {}, want: [3, 1, -1] },
    { given: 'ArrayRange whose step goes away from its end', expression: 'States.ArrayRange(5, 1, 1)', input: {}, want: [] },
    { given: 'ArrayRange of exactly 1000 items', expression: 'States.ArrayRange(1, 1000, 1)', input: {}, want: Array.from({ length: 1000 }, (_, i) => i + 1) },
    { given: 'ArrayGetItem (guide)', expression: 'States.ArrayGetItem($.inputArray, $.index)', input: { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9], index: 5 }, want: 6 },
    { given: 'ArrayGetItem of the first item', expression: 'States.ArrayGetItem($.a, 0)', input: { a: ['x'] }, want: 'x' },
    { given: 'ArrayLength (guide)', expression: 'States.ArrayLength($.inputArray)', input: { inputArray: [1, 2, 3, 4, 5, 6, 7, 8, 9] }, want: 9 },
    { given: 'ArrayLength of an empty list', expression: 'States.ArrayLength($.a)', input: { a: [] }, want: 0 },
    { given: 'ArrayUnique (guide)', expression: 'States.ArrayUnique($.inputArray)', input: { inputArray: [1, 2, 3, 3, 3, 3, 3, 3, 4] }, want: [1, 2, 3, 4] },
    { given: 'ArrayUnique keeps first occurrences, compares content', expression: 'States.ArrayUnique($.a)', input: { a: [{ k: 1 }, 'x', { k: 1 }, 'X', 'x', null, null] }, want: [{ k: 1 }, 'x', 'X', null] },
    // Encoding
    { given: 'Base64Encode (guide)', expression: 'States.Base64Encode($.input)', input: { input: 'Data to encode' }, want: 'RGF0YSB0byBlbmNvZGU=' },
    { given: 'Base64Encode of UTF-8', expression: "States.Base64Encode('héllo ✓ 😀')", input: {}, want: 'aMOpbGxvIOKckyDwn5iA' },
    { given: 'Base64Encode of the empty string', expression: "States.Base64Encode('')", input: {}, want: '' },
    { given: 'Base64Decode (guide)', expression: 'States.Base64Decode($.base64)', input: { base64: 'RGF0YSB0byBlbmNvZGU=' }, want: 'Data to encode' },
    { given: 'Base64Decode without padding', expression: "States.Base64Decode('RGF0YSB0byBlbmNvZGU')", input: {}, want: 'Data to encode' },
    { given: 'Base64Decode of UTF-8', expression: "States.Base64Decode('aMOpbGxvIOKckyDwn5iA')", input: {}, want: 'héllo ✓ 😀' },
    { given: 'Base64Encode at the 10000 character limit', expression: 'States.Base64Encode($.s)', input: { s: 'a'.repeat(10_000) }, want: `${'YWFh'.repeat(3333)}YQ==` },
    { given: 'Base64Decode at the 10000 character limit', expression: 'States.Base64Decode($.s)', input: { s: 'YWFh'.repeat(2500) }, want: 'aaa'.repeat(2500) },
    // Hash (FIPS 180 / RFC 1321 vectors for "abc")
    { given: 'Hash MD5', expression: "States.Hash('abc', 'MD5')", input: {}, want: '900150983cd24fb0d6963f7d28e17f72' },
    { given: 'Hash SHA-1', expression: 'States.Hash($.Data, $.Algorithm)', input: { Data: 'abc', Algorithm: 'SHA-1' }, want: 'a9993e364706816aba3e25717850c26c9cd0d89d' },
    { given: 'Hash SHA-256', expression: "States.Hash('abc', 'SHA-256')", input: {}, want: 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad' },
    { given: 'Hash SHA-384', expression: "States.Hash('abc', 'SHA-384')", input: {}, want: 'cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7' },
    { given: 'Hash SHA-512', expression: "States.Hash('abc', 'SHA-512')", input: {}, want: 'ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f' },
    { given: 'Hash MD5 of the empty string', expression: "States.Hash('', 'MD5')", input: {}, want: 'd41d8cd98f00b204e9800998ecf8427e' },
    // Math
    { given: 'MathAdd (guide)', expression: 'States.MathAdd($.value1, $.step)', input: { value1: 111, step: -1 }, want: 110 },
    { given: 'MathAdd rounds non-integers', expression: 'States.MathAdd(1.6, 2.4)', input: {}, want: 4 },
    { given: 'MathAdd at the 32-bit limits', expression: 'States.MathAdd(2147483647, -2147483648)', input: {}, want: -1 },
    // Strings
    { given: 'StringSplit (guide)', expression: 'States.StringSplit($.inputString, $.splitter)', input: { inputString: '1,2,3,4,5', splitter: ',' }, want: ['1', '2', '3', '4', '5'] },
    { given: 'StringSplit on a set of characters (guide)', expression: 'States.StringSplit($.inputString, $.splitter)', input: { inputString: 'This.is+a,test=string', splitter: '.+,=' }, want: ['This', 'is', 'a', 'test', 'string'] },
    { given: 'StringSplit drops empty pieces', expression: "States.StringSplit(',a,,b,', ',')", input: {}, want: ['a', 'b'] },
    { given: 'StringSplit of the empty string', expression: "States.StringSplit('', ',')", input: {}, want: [] },
    { given: 'StringSplit without a delimiter present', expression: "States.StringSplit('abc', '/')", input: {}, want: ['abc'] },
    { given: 'StringSplit on a unicode delimiter', expression: "States.StringSplit('a😀b', '😀')", input: {}, want: ['a', 'b'] },
    { given: 'StringSplit of the execution ARN', expression: "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 3)", input: {}, want: 'eu-west-1' },
    // Nesting, spacing
    {
      given: 'nested calls (the guide`s ARN example, with matching placeholders)',
      expression: "States.Format('{}.{}', States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 0), States.ArrayGetItem(States.StringSplit(States.ArrayGetItem(States.StringSplit($.ImageRecipe.Arn, '/'), 2), '.'), 1))",
      input: { ImageRecipe: { Arn: 'arn:aws:imagebuilder:us-east-1:123456789012:image-recipe/recipe/1.0.0' } },
      want: '1.0',
    },
    { given: 'spaces around arguments', expression: 'States.Array(  1 ,\'a, b\' ,  $.x  )', input: { x: 2 }, want: [1, 'a, b', 2] },
    { given: 'a path with a bracketed name holding a comma', expression: "States.Array($['a,b'], $.c[0])", input: { 'a,b': 1, c: [2] }, want: [1, 2] },
    { given: 'ten levels of nesting', expression: `${'States.Array('.repeat(10)}1${')'.repeat(10)}`, input: {}, want: JSON.parse(`${'['.repeat(10)}1${']'.repeat(10)}`) as Json },
  ])('$given', ({ expression, input, want }) => {
    // Act
    const got = evaluateIntrinsic(expression, input as Json, context);

    // Assess
    expect(got).toEqual(want);
  });
});

describe('evaluateIntrinsic: answers recorded from AWS', () => {
  it.each([
    // Step Functions prints an object argument as Java prints a map: key=value, strings unquoted, lists in brackets.
    { given: 'test_format_2: Format of objects', expression: "States.Format('a={} b={}', $.p, $.q)", input: { p: { k: 2, list: [] }, q: { s: 'txt', n: null } }, want: 'a={k=2, list=[]} b={s=txt, n=null}' },
    { given: 'test_context_json_path: Format of a context object', expression: "States.Format('m={}', $$.StateMachine)", input: {}, want: 'm={Id=arn:aws:states:eu-west-1:123456789012:stateMachine:machine, Name=machine}' },
    { given: 'test_string_to_json: StringToJson of the empty string', expression: 'States.StringToJson($.s)', input: { s: '' }, want: null },
    { given: 'test_string_to_json: StringToJson of a blank string', expression: 'States.StringToJson($.s)', input: { s: '  ' }, want: null },
  ])('LS-rec $given', ({ expression, input, want }) => {
    const withMachine: Json = { ...(context as Record<string, Json>), StateMachine: { Id: 'arn:aws:states:eu-west-1:123456789012:stateMachine:machine', Name: 'machine' } };
    expect(evaluateIntrinsic(expression, input as Json, withMachine)).toEqual(want);
  });

  it('Format of a list argument prints it as Java prints a list, as the lists inside a recorded object are', () => {
    expect(evaluateIntrinsic("States.Format('{}', $.a)", { a: [1, 'x', { k: true }] }, context)).toBe('[1, x, {k=true}]');
  });
});

describe('evaluateIntrinsic: failures', () => {
  it.each([
    { given: 'Format with too few arguments', expression: "States.Format('{} {}', 1)", input: {} },
    { given: 'Format with too many arguments', expression: "States.Format('{}', 1, 2)", input: {} },
    { given: 'Format with arguments but only escaped braces', expression: "States.Format('\\{\\}', 1)", input: {} },
    { given: 'Format whose template is a number', expression: 'States.Format(1)', input: {} },
    { given: 'StringToJson of text that is not JSON', expression: "States.StringToJson('{nope')", input: {} },
    { given: 'StringToJson of a number', expression: 'States.StringToJson(1)', input: {} },
    { given: 'JsonMerge with deep merge', expression: 'States.JsonMerge($.a, $.b, true)', input: { a: {}, b: {} } },
    { given: 'JsonMerge of a list', expression: 'States.JsonMerge($.a, $.b, false)', input: { a: [], b: {} } },
    { given: 'JsonMerge without its flag', expression: 'States.JsonMerge($.a, $.b)', input: { a: {}, b: {} } },
    { given: 'ArrayPartition of a string', expression: "States.ArrayPartition('abc', 1)", input: {} },
    { given: 'ArrayPartition with a size of 0', expression: 'States.ArrayPartition($.a, 0)', input: { a: [1] } },
    { given: 'ArrayPartition with a negative size', expression: 'States.ArrayPartition($.a, -2)', input: { a: [1] } },
    { given: 'ArrayRange with a step of 0', expression: 'States.ArrayRange(1, 5, 0)', input: {} },
    { given: 'ArrayRange of 1001 items', expression: 'States.ArrayRange(0, 1000, 1)', input: {} },
    { given: 'ArrayRange with a string', expression: "States.ArrayRange('1', 5, 1)", input: {} },
    { given: 'ArrayGetItem past the end', expression: 'States.ArrayGetItem($.a, 2)', input: { a: [1, 2] } },
    { given: 'ArrayGetItem with a negative index', expression: 'States.ArrayGetItem($.a, -1)', input: { a: [1, 2] } },
    { given: 'ArrayGetItem with a fractional index', expression: 'States.ArrayGetItem($.a, 0.5)', input: { a: [1, 2] } },
    { given: 'ArrayLength of an object', expression: 'States.ArrayLength($.o)', input: { o: { length: 1 } } },
    { given: 'ArrayUnique of null', expression: 'States.ArrayUnique(null)', input: {} },
    { given: 'Base64Encode of 10001 characters', expression: 'States.Base64Encode($.s)', input: { s: 'a'.repeat(10_001) } },
    { given: 'Base64Encode of a number', expression: 'States.Base64Encode(12)', input: {} },
    { given: 'Base64Decode of 10001 characters', expression: 'States.Base64Decode($.s)', input: { s: 'A'.repeat(10_001) } },
    { given: 'Base64Decode of text that is not base64', expression: "States.Base64Decode('not base64!')", input: {} },
    { given: 'Base64Decode of an impossible length', expression: "States.Base64Decode('QUJDR')", input: {} },
    { given: 'Hash with an unknown algorithm', expression: "States.Hash('abc', 'SHA-224')", input: {} },
    { given: 'Hash with a lowercase algorithm', expression: "States.Hash('abc', 'sha-256')", input: {} },
    { given: 'Hash of 10001 characters', expression: "States.Hash($.s, 'MD5')", input: { s: 'a'.repeat(10_001) } },
    { given: 'Hash of an object', expression: "States.Hash($.o, 'MD5')", input: { o: {} } },
    { given: 'MathAdd past the 32-bit range', expression: 'States.MathAdd(2147483648, 1)', input: {} },
    { given: 'MathAdd of a string', expression: "States.MathAdd('1', 1)", input: {} },
    { given: 'MathRandom whose end is not above its start', expression: 'States.MathRandom(5, 5)', input: {} },
    { given: 'MathRandom with one argument', expression: 'States.MathRandom(5)', input: {} },
    { given: 'StringSplit of a number', expression: "States.StringSplit(1, ',')", input: {} },
    { given: 'UUID with an argument', expression: 'States.UUID(1)', input: {} },
    { given: 'an unknown function', expression: 'States.Nope(1)', input: {} },
    { given: 'an unclosed string', expression: "States.Format('abc)", input: {} },
    { given: 'a missing parenthesis', expression: 'States.Array(1', input: {} },
    { given: 'text after the call', expression: 'States.Array(1) x', input: {} },
    { given: 'an argument that is no literal', expression: 'States.Array(abc)', input: {} },
    { given: 'eleven levels of nesting', expression: `${'States.Array('.repeat(11)}1${')'.repeat(11)}`, input: {} },
    { given: 'a path argument that is not valid', expression: 'States.Array($.a[)', input: { a: [] } },
  ])('States.IntrinsicFailure: $given', ({ expression, input }) => {
    // Act
    const got = statesFailure(() => evaluateIntrinsic(expression, input as Json, context));

    // Assess
    expect(got.error).toBe('States.IntrinsicFailure');
    expect(got.cause).not.toBe('');
  });

  it.each([
    { given: 'an absent input path', expression: 'States.Array($.missing)', path: '$.missing' },
    { given: 'an absent context path', expression: 'States.Format($$.Execution.Nope)', path: '$$.Execution.Nope' },
    { given: 'an absent path in a nested call', expression: 'States.ArrayLength(States.Array($.a.b))', path: '$.a.b' },
  ])('States.Runtime for $given', ({ expression, path }) => {
    const got = statesFailure(() => evaluateIntrinsic(expression, { a: {} }, context));
    expect(got.error).toBe('States.Runtime');
    expect(got.cause).toContain(`'${path}'`);
  });
});

describe('States.MathRandom and States.UUID', () => {
  it.each([
    { given: 'the lowest draw gives the start', random: 0, want: 1 },
    { given: 'the highest draw stays below the end', random: 0.999999, want: 998 },
    { given: 'a middle draw', random: 0.5, want: 500 },
  ])('MathRandom(1, 999): $given (start inclusive, end exclusive)', ({ random, want }) => {
    expect(evaluateIntrinsic('States.MathRandom($.start, $.end)', { start: 1, end: 999 }, context, { random: () => random })).toBe(want);
  });

  it('a seed gives the same number each time, within the range, and another seed another sequence', () => {
    // Act
    const draws = [1, 2, 3].map(() => evaluateIntrinsic('States.MathRandom(0, 1000000, 42)', {}, context));
    const other = evaluateIntrinsic('States.MathRandom(0, 1000000, 43)', {}, context);

    // Assess
    expect(new Set(draws).size).toBe(1);
    expect(draws[0]).toBeGreaterThanOrEqual(0);
    expect(draws[0]).toBeLessThan(1_000_000);
    expect(other).not.toBe(draws[0]);
  });

  it('without a seed or an injected random, draws vary and stay in range', () => {
    const draws = Array.from({ length: 50 }, () => evaluateIntrinsic('States.MathRandom(10, 20)', {}, context) as number);
    expect(draws.every((n) => Number.isInteger(n) && n >= 10 && n < 20)).toBe(true);
    expect(new Set(draws).size).toBeGreaterThan(1);
  });

  it('UUID is a version 4 UUID, a new one each time, or the injected one', () => {
    const [a, b] = [evaluateIntrinsic('States.UUID()', {}, context), evaluateIntrinsic('States.UUID()', {}, context)];
    expect(a).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(a).not.toBe(b);
    expect(evaluateIntrinsic('States.UUID()', {}, context, { uuid: () => 'ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8' })).toBe('ca4c1140-dcc1-40cd-ad05-7b4aa23df4a8');
  });
});
