/** Whole numbers a JSON text writes as decimals (draft 4's integer has no fraction or exponent part, R5.8). */
import { describe, expect, it } from 'vitest';
import { JsonDecimal, parseJsonKeepingNumbers, stringifyJson, wholeNumbersWrittenAsDecimals } from '../../../emulator/gateway/json-number-forms.js';

describe('wholeNumbersWrittenAsDecimals', () => {
  it.each([
    { given: 'no decimals', text: '{"a":1,"b":[2,3],"c":"4.0"}', want: [] },
    { given: 'a whole number written 2015.0', text: '{"year":2015.0}', want: ['/year'] },
    { given: 'an exponent (1e3, -2E+2)', text: '[1e3,-2E+2]', want: ['/0', '/1'] },
    { given: 'a real fraction is no integer anyway', text: '{"x":2.5,"y":1.5e-1}', want: [] },
    { given: 'nested, keys with / and ~ escaped as JSON Pointer', text: '{"a/b":{"c~d":[0,{"e":7.00}]}}', want: ['/a~1b/c~0d/1/e'] },
    { given: 'strings holding numbers and escaped quotes are skipped', text: '{"s":"x\\" 1.0 \\"","n":  5.0 }', want: ['/n'] },
    { given: 'a top-level number', text: ' 12.0 ', want: [''] },
    { given: 'true, false, null between', text: '[true,false,null,3.0]', want: ['/3'] },
  ])('$given', ({ text, want }) => {
    expect(JSON.parse(text)).toBeDefined();
    expect(wholeNumbersWrittenAsDecimals(text)).toEqual(want);
  });

  it.each([
    { given: 'a long whole number (1e20 written out)', big: `1${'0'.repeat(20)}.0`, want: ['/big', '/next'] },
    { given: 'a number too large for a double (Infinity is no integer)', big: `1${'0'.repeat(600)}.0`, want: ['/next'] },
  ])('$given is read whole, and what follows it too', ({ big, want }) => {
    expect(wholeNumbersWrittenAsDecimals(`{"big":${big},"next":2.0}`)).toEqual(want);
  });
});

describe('parseJsonKeepingNumbers / stringifyJson', () => {
  it.each([
    { given: 'an integer past 2^53', text: '[9007199254740993]', want: [9007199254740993n] },
    { given: 'a key written twice keeps its last value, as JSON.parse', text: '{"a":1,"a":9007199254740993}', want: { a: 9007199254740993n } },
    { given: 'a decimal out of range', text: '{"x":-1E+999}', want: { x: new JsonDecimal('-1E+999') } },
    { given: 'escaped strings and literals around it', text: ' {"s":"\\"9007199254740993\\"","t":[true,false,null],"n":12345678901234567.5} ', want: { s: '"9007199254740993"', t: [true, false, null], n: 12345678901234568 } },
  ])('$given', ({ text, want }) => {
    const parsed = parseJsonKeepingNumbers(text);

    expect(parsed).toEqual(want);
  });

  it('refuses a text that is no JSON, as JSON.parse does', () => {
    expect(() => parseJsonKeepingNumbers('{"id": 90071992547409931,}')).toThrow(SyntaxError);
  });

  it('writes what it read: the digits as numbers, undefined members left out', () => {
    const text = '{"a":[18446744073709551617,1e400,"x"],"b":{"c":null}}';

    const written = stringifyJson({ ...(parseJsonKeepingNumbers(text) as object), gone: undefined });

    expect(written).toBe(text);
  });
});
