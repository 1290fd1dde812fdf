/** EventBridge event patterns (EventBridge User Guide, "Event patterns"), as rules and Lambda filters apply them. */
import { describe, expect, it } from 'vitest';
import { matchesAnyPattern, matchesPattern, patternProblems } from '../../../emulator/services/event-patterns.js';

const event = { source: 'orders.api', 'detail-type': 'OrderPlaced', resources: ['arn:a', 'arn:b'], detail: { total: 42, customer: { tier: 'gold' }, file: 'report.csv', ip: '10.0.0.11', ip6: '2001:db8:0:0::1', items: [{ kind: 'dvd' }, { kind: 'book' }], name: 'Abc.PNG' } };

describe('event patterns', () => {
  it.each([
    { given: 'source and detail-type', pattern: { source: ['orders.api'], 'detail-type': ['OrderPlaced'] }, want: true },
    { given: 'a nested detail field', pattern: { detail: { customer: { tier: ['gold', 'silver'] } } }, want: true },
    { given: 'one item of a list field', pattern: { resources: ['arn:b'] }, want: true },
    { given: 'a wildcard', pattern: { detail: { file: [{ wildcard: 'report.*' }] } }, want: true },
    { given: 'a wildcard that does not match', pattern: { detail: { file: [{ wildcard: '*.json' }] } }, want: false },
    { given: 'anything-but a suffix', pattern: { detail: { file: [{ 'anything-but': { suffix: '.json' } }] } }, want: true },
    { given: '$or: the second alternative', pattern: { $or: [{ detail: { total: [{ numeric: ['<', 10] }] } }, { detail: { customer: { tier: ['gold'] } } }] }, want: true },
    { given: '$or: neither alternative', pattern: { $or: [{ source: ['other'] }, { detail: { total: [0] } }] }, want: false },
    { given: 'a field the event lacks', pattern: { detail: { missing: ['x'] } }, want: false },
    { given: 'a pattern value that is not a list', pattern: { source: 'orders.api' }, want: false },
    { given: 'a nested pattern against a list of objects: one of them matches', pattern: { detail: { items: { kind: ['book'] } } }, want: true },
    { given: 'a nested pattern against a list of objects: none matches', pattern: { detail: { items: { kind: ['cd'] } } }, want: false },
    { given: 'exists true on a leaf', pattern: { detail: { file: [{ exists: true }] } }, want: true },
    { given: 'exists true on an object (only leaves exist)', pattern: { detail: { customer: [{ exists: true }] } }, want: false },
    { given: 'prefix ignoring case', pattern: { detail: { name: [{ prefix: { 'equals-ignore-case': 'ab' } }] } }, want: true },
    { given: 'suffix ignoring case', pattern: { detail: { name: [{ suffix: { 'equals-ignore-case': '.png' } }] } }, want: true },
    { given: 'anything-but a wildcard it matches', pattern: { detail: { file: [{ 'anything-but': { wildcard: '*.csv' } }] } }, want: false },
    { given: 'anything-but a wildcard it does not match', pattern: { detail: { file: [{ 'anything-but': { wildcard: '*.tmp' } }] } }, want: true },
    { given: 'anything-but texts ignoring case', pattern: { detail: { name: [{ 'anything-but': { 'equals-ignore-case': ['x', 'ABC.png'] } }] } }, want: false },
    { given: 'an IPv4 address in a CIDR block', pattern: { detail: { ip: [{ cidr: '10.0.0.0/24' }] } }, want: true },
    { given: 'an IPv4 address outside it', pattern: { detail: { ip: [{ cidr: '10.0.1.0/24' }] } }, want: false },
    { given: 'an IPv6 address in a CIDR block', pattern: { detail: { ip6: [{ cidr: '2001:db8::/32' }] } }, want: true },
    { given: 'an IPv6 address outside it', pattern: { detail: { ip6: [{ cidr: '2001:db9::/32' }] } }, want: false },
  ])('$given: $want', ({ pattern, want }) => {
    expect(matchesPattern(pattern, event)).toBe(want);
  });

  it('no patterns match everything; any one matching is enough', () => {
    expect(matchesAnyPattern([], event)).toBe(true);
    expect(matchesAnyPattern([{ source: ['x'] }, { source: ['orders.api'] }], event)).toBe(true);
    expect(matchesAnyPattern([{ source: ['x'] }], event)).toBe(false);
  });
});

describe('what a pattern uses that is not evaluated here', () => {
  it('is named, in $or alternatives too; what is evaluated is not', () => {
    expect(patternProblems({ detail: { a: [{ prefix: 'x' }, { cidr: '10.0.0.0/8' }], b: [{ 'future-op': 1 }] }, $or: [{ c: [{ 'other-op': true }] }] })).toEqual([
      'the matcher "future-op" is not evaluated locally: it matches nothing',
      'the matcher "other-op" is not evaluated locally: it matches nothing',
    ]);
  });

  it.each([
    { given: 'a value that is not a list', pattern: { source: 'notalist' }, want: 'source: "notalist" is not a list of values: AWS refuses the pattern (InvalidEventPatternException)' },
    { given: 'numeric with a text', pattern: { detail: { n: [{ numeric: ['>', 'ten'] }] } }, want: 'detail.n: numeric [">","ten"] needs operators and numbers: AWS refuses the pattern (InvalidEventPatternException)' },
  ])('what AWS refuses: $given', ({ pattern, want }) => {
    expect(patternProblems(pattern)).toEqual([want]);
  });
});
