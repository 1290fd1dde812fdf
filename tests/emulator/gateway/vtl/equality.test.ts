/** Unit: Velocity's `==` / `!=` as API Gateway runs it (R3.5 and Velocity's comparison rules). */
import { describe, expect, it } from 'vitest';
import { renderTemplate } from '../../../../emulator/gateway/vtl/engine.js';
import { velocityEquals } from '../../../../emulator/gateway/vtl/equality.js';

const BODY = JSON.stringify({ emptyList: [], emptyMap: {}, list: [1, 2], map: { a: 1, b: 2 }, mapReordered: { b: 2, a: 1 }, one: 1, oneText: '1', yes: true, nothing: null, empty: '' });

function compare(left: string, right: string): string {
  const context = { responseOverride: { header: {} }, requestOverride: { header: {}, path: {}, querystring: {} } };
  const template = `#set($l = ${left})#set($r = ${right})#if($l == $r)eq#{else}ne#end/#if($l != $r)ne#{else}eq#end`;
  return renderTemplate(template, { input: { body: BODY, params: { path: {}, querystring: {}, header: {} } }, context, stageVariables: null }).output;
}

const p = (path: string) => `$input.path('$.${path}')`;

describe('R3.5 / Velocity == in templates', () => {
  it.each([
    { case: 'an empty list is not ""', left: p('emptyList'), right: '""', want: 'ne/ne' },
    { case: 'an empty map is not ""', left: p('emptyMap'), right: '""', want: 'ne/ne' },
    { case: 'an empty list is not null', left: p('emptyList'), right: p('missing'), want: 'ne/ne' },
    { case: 'an empty list equals an empty list', left: p('emptyList'), right: '[]', want: 'eq/eq' },
    { case: 'lists compare by their items', left: p('list'), right: '[1, 2]', want: 'eq/eq' },
    { case: 'lists in another order differ', left: p('list'), right: '[2, 1]', want: 'ne/ne' },
    { case: 'maps compare by entries, in any order', left: p('map'), right: p('mapReordered'), want: 'eq/eq' },
    { case: 'null equals "" (R3.5)', left: p('nothing'), right: '""', want: 'eq/eq' },
    { case: 'missing equals $null (R3.5)', left: p('missing'), right: '$null', want: 'eq/eq' },
    { case: '"" equals "" ', left: p('empty'), right: '""', want: 'eq/eq' },
    { case: 'a number and its text compare by string form', left: p('one'), right: p('oneText'), want: 'eq/eq' },
    { case: 'a boolean and its text compare by string form', left: p('yes'), right: '"true"', want: 'eq/eq' },
    { case: 'different numbers differ', left: p('one'), right: '2', want: 'ne/ne' },
    { case: 'a string is case-sensitive', left: '"abc"', right: '"ABC"', want: 'ne/ne' },
  ])('$case', ({ left, right, want }) => {
    expect(compare(left, right)).toBe(want);
  });
});

describe('velocityEquals', () => {
  it.each([
    { a: [], b: '', want: false },
    { a: {}, b: '', want: false },
    { a: null, b: '', want: true },
    { a: undefined, b: null, want: true },
    { a: null, b: 0, want: false },
    { a: 0, b: '', want: false },
    { a: 1, b: 1.0, want: true },
    { a: [1, [2]], b: [1, [2]], want: true },
    { a: { a: [1] }, b: { a: [1] }, want: true },
    { a: { a: 1 }, b: { a: 1, b: 2 }, want: false },
    { a: [1, 2], b: '[1,2]', want: true },
    { a: { a: 1 }, b: '{a=1}', want: true },
  ])('$a == $b → $want', ({ a, b, want }) => {
    expect(velocityEquals(a, b)).toBe(want);
    expect(velocityEquals(b, a)).toBe(want);
  });
});
