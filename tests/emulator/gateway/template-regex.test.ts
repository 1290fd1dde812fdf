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
    { given: 'a back-reference RE2 lacks, nothing repeated (JavaScript runs it)', pattern: '(a)\\1b', value: 'aab', want: true, engine: 'javascript' },
    { given: 'a group repeated a bounded number of times (it backtracks as unbounded: RE2)', pattern: '(a+){1,30}', value: `${'a'.repeat(30)}b`, want: false, engine: 're2' },
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

  // Java's character escapes, which one engine or the other spells differently (R5 model patterns).
  it.each([
    { given: '\\uXXXX in a class, a search (RE2)', pattern: '^[\\u2000-\\u200A]*x$', value: '\u2003x', want: true },
    { given: '\\uXXXX in a class, not matching', pattern: '^[\\u2000-\\u200A]*x$', value: '\u3000x', want: false },
    { given: '\\uXXXX outside a class', pattern: '^a\\u00E9*$', value: 'a\u00E9\u00E9', want: true },
    { given: '\\x{h..h}', pattern: '^\\x{1F600}+$', value: '\u{1F600}\u{1F600}', want: true },
    { given: '\\x{h..h}, not matching', pattern: '^\\x{1F600}+$', value: 'x', want: false },
    { given: '\\e (escape)', pattern: '^a\\e*$', value: 'a\u001B', want: true },
    { given: '\\e is not the letter e', pattern: '^a\\e*$', value: 'ae', want: false },
  ])('find, Java escape $given: $want', ({ pattern, value, want }) => {
    expect(templateRegex(pattern, 'find').test(value)).toBe(want);
  });

  it.each([
    { given: '\\uXXXX', pattern: '[\\u0041-\\u005A]+', value: 'ABC', want: true },
    { given: '\\x{h..h}', pattern: '\\x{41}b', value: 'Ab', want: true },
    { given: '\\a (bell)', pattern: 'x\\a', value: 'x\u0007', want: true },
    { given: '\\a is not the letter a', pattern: 'x\\a', value: 'xa', want: false },
  ])('full match on JavaScript, Java escape $given: $want', ({ pattern, value, want }) => {
    const regex = templateRegex(pattern, 'full');

    expect([regex.test(value), regex.engine]).toEqual([want, 'javascript']);
  });

  it("the Task API's TitleInput pattern is read (it was NOT EMULATED: RE2 has no \\u)", () => {
    const title = '^[\\x20\\xA0\\u1680\\u2000-\\u200A\\u202F\\u205F\\u3000\\uFEFF]*[^\\x00-\\x20\\x7F-\\xA0\\u1680\\u2000-\\u200A\\u2028\\u2029\\u202F\\u205F\\u3000\\uFEFF][^\\x00-\\x1F\\x7F-\\x9F\\u2028\\u2029]*$';
    const regex = templateRegex(title, 'find');

    expect(['Buy milk', '\u3000 x', '\u3000\u00A0', ' ', 'a\u2028b'].map((value) => regex.test(value))).toEqual([true, true, false, false, false]);
  });

  it.each(['(', '[a-', '(?x)a b'])('%s is read by neither engine: an error', (pattern) => {
    expect(() => templateRegex(pattern, 'full')).toThrow();
  });

  it.each([
    { given: 'a repeated back-reference (full)', pattern: '(a+)\\1+', mode: 'full' as const },
    { given: 'a repeated group before a back-reference (find)', pattern: '^(a+)+\\1$', mode: 'find' as const },
    { given: 'a lookahead and a repetition (find: quadratic on a long value)', pattern: '(?=a)a*b', mode: 'find' as const },
  ])('$given: RE2 cannot read it and JavaScript could backtrack without bound on a client`s value: not run (an error)', ({ pattern, mode }) => {
    expect(() => templateRegex(pattern, mode)).toThrow(/could backtrack without bound/);
  });

  it.each([
    { given: 'a search with one repetition (quadratic on JavaScript: RE2)', pattern: 'a*b', value: 'a'.repeat(100_000), want: false },
    { given: 'a search with a lookahead and no repetition (JavaScript)', pattern: '(?=a)ab', value: 'xab', want: true },
  ])('find, $given', ({ pattern, value, want }) => {
    expect(templateRegex(pattern, 'find').test(value)).toBe(want);
  });
});
