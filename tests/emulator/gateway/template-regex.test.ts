/**
 * Template patterns matched against client input (R7.7 identityValidationExpression, W5.2 WAF regexes): Java's
 * syntax read as Java reads it, and a pattern that could backtrack run on RE2, in linear time.
 */
import { describe, expect, it } from 'vitest';
import { templateRegex } from '../../../emulator/gateway/template-regex.js';

describe('templateRegex', () => {
  it.each([
    { given: 'one repetition', pattern: 'Bearer .*', value: 'Bearer abc', want: true, engine: 'javascript' },
    { given: 'one repetition, R7.7 full match', pattern: 'Bearer .*', value: 'xBearer abc', want: false, engine: 'javascript' },
    { given: "the Task API's JWT shape (three repetitions)", pattern: '^Bearer [-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+\\.[-0-9A-Za-z_]+$', value: 'Bearer a.b.c', want: true, engine: 're2' },
    { given: 'a repeated repetition on 40 characters and a mismatch (backtracking: 2^40 steps)', pattern: '(a+)+', value: `${'a'.repeat(40)}!`, want: false, engine: 're2' },
    { given: 'a repeated alternation', pattern: '(a|aa)+b', value: `${'a'.repeat(40)}c`, want: false, engine: 're2' },
    { given: 'the same, matching', pattern: '(a+)+', value: 'aaaa', want: true, engine: 're2' },
    { given: 'Java inline case-insensitivity (?i)', pattern: '(?i)bearer [a-z]+', value: 'BEARER ABC', want: true, engine: 'javascript' },
    { given: '(?i) further in, read by RE2', pattern: 'x(?i)bearer [a-z]+ [0-9]+', value: 'xBEARER ABC 12', want: true, engine: 're2' },
    { given: 'a POSIX class and a possessive quantifier', pattern: '\\p{Alpha}++', value: 'abc', want: true, engine: 'javascript' },
    { given: 'a POSIX class, not matching', pattern: '\\p{Alpha}++', value: 'ab1', want: false, engine: 'javascript' },
    { given: 'a POSIX class inside a class', pattern: '[\\p{Digit}x]+', value: '12x3', want: true, engine: 'javascript' },
    { given: 'an escaped plus before a plus (no possessive)', pattern: 'a\\++', value: 'a+++', want: true, engine: 'javascript' },
    { given: 'a back-reference RE2 lacks (JavaScript runs it)', pattern: '(a+)\\1+', value: 'aaaa', want: true, engine: 'javascript' },
  ])('full match, $given: $want on $engine', ({ pattern, value, want, engine }) => {
    const regex = templateRegex(pattern, 'full');

    expect([regex.test(value), regex.engine]).toEqual([want, engine]);
  });

  it.each([
    { given: 'a word inside', pattern: 'ba+d', value: 'a baad word', want: true },
    { given: 'no such word', pattern: 'ba+d', value: 'a good word', want: false },
    { given: 'a backtracking WAF pattern on a hostile header', pattern: '(x+x+)+y', value: 'x'.repeat(50), want: false },
  ])('find (WAF), $given: $want', ({ pattern, value, want }) => {
    expect(templateRegex(pattern, 'find').test(value)).toBe(want);
  });

  it.each(['(', '[a-', '(?x)a b'])('%s is read by neither engine: an error', (pattern) => {
    expect(() => templateRegex(pattern, 'full')).toThrow();
  });
});
