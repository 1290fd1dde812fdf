/** Payload templates: Parameters, ResultSelector, ItemSelector (guide "Processing input and output"). */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { evaluatePayloadTemplate } from '../../../../emulator/services/stepfunctions/payload.js';
import { statesFailure } from '../../support/states-failure.js';

/** The guide's Parameters example input. */
const product: Json = {
  comment: 'Example for Parameters.',
  product: { details: { color: 'blue', size: 'small', material: 'cotton' }, availability: 'in stock', sku: '2317', cost: '$23' },
};
const context: Json = { Execution: { Id: 'arn:aws:states:us-east-1:123456789012:execution:m:e' }, Map: { Item: { Index: 2, Value: 'v' } } };

describe('evaluatePayloadTemplate', () => {
  it.each([
    {
      given: "the guide's Parameters example",
      template: { comment: 'Selecting what I care about.', MyDetails: { 'size.$': '$.product.details.size', 'exists.$': '$.product.availability', StaticValue: 'foo' } },
      input: product,
      want: { comment: 'Selecting what I care about.', MyDetails: { size: 'small', exists: 'in stock', StaticValue: 'foo' } },
    },
    {
      given: "the guide's ResultSelector example (a task result)",
      template: { 'ClusterId.$': '$.output.ClusterId', 'ResourceType.$': '$.resourceType' },
      input: { resourceType: 'elasticmapreduce', resource: 'createCluster.sync', output: { SdkHttpMetadata: { HttpStatusCode: 200 }, ClusterId: 'AKIAIOSFODNN7EXAMPLE' } },
      want: { ClusterId: 'AKIAIOSFODNN7EXAMPLE', ResourceType: 'elasticmapreduce' },
    },
    { given: 'a context object path', template: { 'execution.$': '$$.Execution.Id', 'index.$': '$$.Map.Item.Index' }, input: {}, want: { execution: 'arn:aws:states:us-east-1:123456789012:execution:m:e', index: 2 } },
    { given: 'the whole input', template: { 'all.$': '$' }, input: { a: 1 }, want: { all: { a: 1 } } },
    { given: 'a path to null, an object and a list', template: { 'n.$': '$.n', 'o.$': '$.o', 'l.$': '$.l' }, input: { n: null, o: { k: 1 }, l: [] }, want: { n: null, o: { k: 1 }, l: [] } },
    { given: 'an indefinite path gives a list', template: { 'sizes.$': '$.items[*].size' }, input: { items: [{ size: 1 }, { size: 2 }, {}] }, want: { sizes: [1, 2] } },
    { given: 'an intrinsic function', template: { 'greeting.$': "States.Format('Hello, {}', $.name)" }, input: { name: 'Ana' }, want: { greeting: 'Hello, Ana' } },
    { given: 'an intrinsic function reading the context', template: { 'region.$': "States.ArrayGetItem(States.StringSplit($$.Execution.Id, ':'), 3)" }, input: {}, want: { region: 'us-east-1' } },
    { given: 'objects nested in a list', template: { items: [{ 'v.$': '$.a' }, 'x', [{ 'w.$': '$.b' }]] }, input: { a: 1, b: 2 }, want: { items: [{ v: 1 }, 'x', [{ w: 2 }]] } },
    { given: 'a template that is a list', template: [{ 'v.$': '$.a' }, 3], input: { a: 'x' }, want: [{ v: 'x' }, 3] },
    { given: 'static values of every type', template: { s: 's', n: 1.5, b: false, z: null, l: [1, 'a'], o: {} }, input: {}, want: { s: 's', n: 1.5, b: false, z: null, l: [1, 'a'], o: {} } },
    { given: 'a static string that looks like a path stays as it is', template: { path: '$.a', fn: 'States.UUID()' }, input: { a: 1 }, want: { path: '$.a', fn: 'States.UUID()' } },
    { given: 'a static field named with $ in the middle', template: { 'a.$b': '$.a' }, input: { a: 1 }, want: { 'a.$b': '$.a' } },
    { given: 'a unicode field name', template: { 'größe.$': '$.größe' }, input: { größe: 'XL' }, want: { größe: 'XL' } },
    { given: 'a scalar template', template: 'plain', input: { a: 1 }, want: 'plain' },
    { given: 'an empty template', template: {}, input: { a: 1 }, want: {} },
  ])('$given', ({ template, input, want }) => {
    // Act
    const got = evaluatePayloadTemplate(template as Json, input as Json, context);

    // Assess
    expect(got).toEqual(want);
  });

  it('passes the injectable random and uuid on to the intrinsic functions', () => {
    // Act
    const got = evaluatePayloadTemplate({ 'id.$': 'States.UUID()', 'n.$': 'States.MathRandom(1, 11)' }, {}, context, { uuid: () => 'fixed-uuid', random: () => 0.5 });

    // Assess
    expect(got).toEqual({ id: 'fixed-uuid', n: 6 });
  });

  it('neighbour: the payload is a copy, so changing it leaves the input as it was', () => {
    // Prepare
    const input: Json = { o: { k: [1] } };

    // Act
    const got = evaluatePayloadTemplate({ 'o.$': '$.o', 'l.$': 'States.Array($.o)' }, input, context) as { o: { k: number[] }; l: { k: number[] }[] };
    got.o.k.push(2);
    (got.l[0] as { k: number[] }).k.push(3);

    // Assess
    expect(input).toEqual({ o: { k: [1] } });
  });

  it("a path with no value fails with States.Runtime and AWS's cause", () => {
    expect(statesFailure(() => evaluatePayloadTemplate({ outer: { 'y.$': '$.x' } }, { a: 1 }, context))).toEqual({
      error: 'States.Runtime',
      cause: `The JSONPath '$.x' specified for the field 'y.$' could not be found in the input '{"a":1}'`,
    });
  });

  it('a context path with no value names the context object in its cause', () => {
    const got = statesFailure(() => evaluatePayloadTemplate({ 'y.$': '$$.Task.Token' }, { a: 1 }, context));
    expect(got.error).toBe('States.Runtime');
    expect(got.cause).toContain(`'$$.Task.Token' specified for the field 'y.$'`);
    expect(got.cause).toContain('"Execution"');
  });

  it.each([
    { given: 'a number', value: 1 },
    { given: 'null', value: null },
    { given: 'an object', value: { a: '$.a' } },
    { given: 'a plain string', value: 'hello' },
    { given: 'an empty string', value: '' },
    { given: 'a path that is not valid', value: '$.a[' },
    { given: 'a lowercase function name', value: 'states.UUID()' },
  ])('a .$ field holding $given fails with States.Runtime', ({ value }) => {
    // Act
    const got = statesFailure(() => evaluatePayloadTemplate({ 'f.$': value as Json }, { a: 1 }, context));

    // Assess
    expect(got.error).toBe('States.Runtime');
    expect(got.cause).toContain("'f.$'");
  });

  it('a failing intrinsic function fails the payload with States.IntrinsicFailure', () => {
    expect(statesFailure(() => evaluatePayloadTemplate({ 'f.$': 'States.ArrayLength($.a)' }, { a: 'no list' }, context)).error).toBe('States.IntrinsicFailure');
  });
});
