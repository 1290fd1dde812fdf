/** Whole numbers a JSON text writes as decimals (draft 4's integer has no fraction or exponent part, R5.8). */
import { describe, expect, it } from 'vitest';
import { wholeNumbersWrittenAsDecimals } from '../../../emulator/gateway/json-number-forms.js';

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
