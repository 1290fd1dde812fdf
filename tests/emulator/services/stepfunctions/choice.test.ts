/** Choice rules (ASL spec "Choice State"; guide "Choice workflow state"). */
import { describe, expect, it } from 'vitest';
import type { Json } from '../../../../emulator/services/stepfunctions/json.js';
import { choiceRuleProblems, evaluateChoiceRule } from '../../../../emulator/services/stepfunctions/choice.js';
import { statesFailure } from '../../support/states-failure.js';

const input: Json = {
  s: 'b',
  n: 10,
  f: 10.5,
  whole: 1.0,
  b: true,
  t: '2016-08-18T17:33:00Z',
  z: null,
  list: [1],
  obj: {},
  numText: '10',
  file: 'foo23.log',
  star: 'a*b',
  back: 'a\\b',
  uni: 'é',
  other: { s: 'c', n: 10, b: true, t: '2016-08-18T18:33:00+01:00', later: '2016-08-18T17:33:00.5Z', list: [1] },
};
const context: Json = { Execution: { Name: 'run-1' } };
type Rule = Record<string, Json>;

describe('evaluateChoiceRule: comparisons', () => {
  it.each<{ rule: Rule; want: boolean }>([
    // Strings
    { rule: { Variable: '$.s', StringEquals: 'b' }, want: true },
    { rule: { Variable: '$.s', StringEquals: 'B' }, want: false },
    { rule: { Variable: '$.uni', StringEquals: 'é' }, want: true },
    { rule: { Variable: '$.s', StringLessThan: 'c' }, want: true },
    { rule: { Variable: '$.s', StringLessThan: 'b' }, want: false },
    { rule: { Variable: '$.s', StringLessThanEquals: 'b' }, want: true },
    { rule: { Variable: '$.s', StringGreaterThan: 'a' }, want: true },
    { rule: { Variable: '$.s', StringGreaterThan: 'ba' }, want: false },
    { rule: { Variable: '$.s', StringGreaterThanEquals: 'b' }, want: true },
    { rule: { Variable: '$.s', StringGreaterThanEquals: 'c' }, want: false },
    { rule: { Variable: '$.s', StringEqualsPath: '$.other.s' }, want: false },
    { rule: { Variable: '$.s', StringLessThanPath: '$.other.s' }, want: true },
    { rule: { Variable: '$.s', StringGreaterThanPath: '$.other.s' }, want: false },
    { rule: { Variable: '$.s', StringLessThanEqualsPath: '$.s' }, want: true },
    { rule: { Variable: '$.s', StringGreaterThanEqualsPath: '$.other.s' }, want: false },
    { rule: { Variable: '$$.Execution.Name', StringEquals: 'run-1' }, want: true },
    // StringMatches (the spec's examples and escapes)
    { rule: { Variable: '$.file', StringMatches: 'foo*.log' }, want: true },
    { rule: { Variable: '$.file', StringMatches: '*.log' }, want: true },
    { rule: { Variable: '$.file', StringMatches: 'foo*.*' }, want: true },
    { rule: { Variable: '$.file', StringMatches: '*.txt' }, want: false },
    { rule: { Variable: '$.file', StringMatches: 'foo23.log' }, want: true },
    { rule: { Variable: '$.file', StringMatches: 'foo2.log' }, want: false },
    { rule: { Variable: '$.file', StringMatches: '*' }, want: true },
    { rule: { Variable: '$.file', StringMatches: '**o*2*g' }, want: true },
    { rule: { Variable: '$.file', StringMatches: 'f?o23.log' }, want: false },
    { rule: { Variable: '$.star', StringMatches: 'a\\*b' }, want: true },
    { rule: { Variable: '$.file', StringMatches: 'foo\\*' }, want: false },
    { rule: { Variable: '$.back', StringMatches: 'a\\\\b' }, want: true },
    { rule: { Variable: '$.n', StringMatches: '*' }, want: false },
    // Numbers
    { rule: { Variable: '$.n', NumericEquals: 10 }, want: true },
    { rule: { Variable: '$.n', NumericEquals: 10.0 }, want: true },
    { rule: { Variable: '$.whole', NumericEquals: 1 }, want: true },
    { rule: { Variable: '$.f', NumericEquals: 10 }, want: false },
    { rule: { Variable: '$.n', NumericLessThan: 10.5 }, want: true },
    { rule: { Variable: '$.n', NumericLessThan: 10 }, want: false },
    { rule: { Variable: '$.n', NumericLessThanEquals: 10 }, want: true },
    { rule: { Variable: '$.n', NumericGreaterThan: 9.99 }, want: true },
    { rule: { Variable: '$.n', NumericGreaterThan: 10 }, want: false },
    { rule: { Variable: '$.n', NumericGreaterThanEquals: 10 }, want: true },
    { rule: { Variable: '$.n', NumericGreaterThanEquals: -1e3 }, want: true },
    { rule: { Variable: '$.n', NumericEqualsPath: '$.other.n' }, want: true },
    { rule: { Variable: '$.f', NumericGreaterThanPath: '$.other.n' }, want: true },
    { rule: { Variable: '$.n', NumericLessThanPath: '$.other.n' }, want: false },
    { rule: { Variable: '$.n', NumericLessThanEqualsPath: '$.other.n' }, want: true },
    { rule: { Variable: '$.n', NumericGreaterThanEqualsPath: '$.f' }, want: false },
    { rule: { Variable: '$.numText', NumericEquals: 10 }, want: false },
    { rule: { Variable: '$.n', NumericEqualsPath: '$.numText' }, want: false },
    // Booleans
    { rule: { Variable: '$.b', BooleanEquals: true }, want: true },
    { rule: { Variable: '$.b', BooleanEquals: false }, want: false },
    { rule: { Variable: '$.b', BooleanEqualsPath: '$.other.b' }, want: true },
    { rule: { Variable: '$.s', BooleanEquals: true }, want: false },
    // Timestamps (RFC 3339: offsets and fractions compare by instant)
    { rule: { Variable: '$.t', TimestampEquals: '2016-08-18T17:33:00Z' }, want: true },
    { rule: { Variable: '$.t', TimestampEquals: '2016-08-18T19:33:00+02:00' }, want: true },
    { rule: { Variable: '$.t', TimestampEquals: '2016-08-18T17:33:00.000Z' }, want: true },
    { rule: { Variable: '$.t', TimestampLessThan: '2016-08-18T17:33:00.0001Z' }, want: true },
    { rule: { Variable: '$.t', TimestampLessThan: '2016-08-18T17:33:00Z' }, want: false },
    { rule: { Variable: '$.t', TimestampGreaterThan: '2016-08-18T13:33:00-05:00' }, want: false },
    { rule: { Variable: '$.t', TimestampGreaterThan: '2016-08-18T13:32:59-04:00' }, want: true },
    { rule: { Variable: '$.t', TimestampLessThanEquals: '2016-08-18T17:33:00Z' }, want: true },
    { rule: { Variable: '$.t', TimestampGreaterThanEquals: '2017-01-01T00:00:00Z' }, want: false },
    { rule: { Variable: '$.t', TimestampEqualsPath: '$.other.t' }, want: true },
    { rule: { Variable: '$.t', TimestampLessThanPath: '$.other.later' }, want: true },
    { rule: { Variable: '$.t', TimestampGreaterThanPath: '$.other.later' }, want: false },
    { rule: { Variable: '$.t', TimestampLessThanEqualsPath: '$.other.t' }, want: true },
    { rule: { Variable: '$.t', TimestampGreaterThanEqualsPath: '$.other.later' }, want: false },
    { rule: { Variable: '$.s', TimestampEquals: '2016-08-18T17:33:00Z' }, want: false },
    { rule: { Variable: '$.n', TimestampLessThan: '2016-08-18T17:33:00Z' }, want: false },
    // Type tests
    { rule: { Variable: '$.z', IsNull: true }, want: true },
    { rule: { Variable: '$.s', IsNull: true }, want: false },
    { rule: { Variable: '$.s', IsNull: false }, want: true },
    { rule: { Variable: '$.s', IsPresent: true }, want: true },
    { rule: { Variable: '$.z', IsPresent: true }, want: true },
    { rule: { Variable: '$.missing', IsPresent: true }, want: false },
    { rule: { Variable: '$.missing', IsPresent: false }, want: true },
    { rule: { Variable: '$.list[3]', IsPresent: false }, want: true },
    { rule: { Variable: '$.n', IsNumeric: true }, want: true },
    { rule: { Variable: '$.numText', IsNumeric: true }, want: false },
    { rule: { Variable: '$.s', IsString: true }, want: true },
    { rule: { Variable: '$.z', IsString: true }, want: false },
    { rule: { Variable: '$.b', IsBoolean: true }, want: true },
    { rule: { Variable: '$.s', IsBoolean: false }, want: true },
    { rule: { Variable: '$.t', IsTimestamp: true }, want: true },
    { rule: { Variable: '$.s', IsTimestamp: true }, want: false },
    { rule: { Variable: '$.other.t', IsTimestamp: true }, want: true },
  ])('$rule: $want', ({ rule, want }) => {
    // Act
    const got = evaluateChoiceRule(rule, input, context);

    // Assess
    expect(got).toBe(want);
  });

  it.each([
    { given: 'a lowercase t', value: '2016-08-18t17:33:00Z' },
    { given: 'a lowercase z', value: '2016-08-18T17:33:00z' },
    { given: 'no time zone', value: '2016-08-18T17:33:00' },
    { given: 'a date only', value: '2016-08-18' },
    { given: 'a 13th month', value: '2016-13-18T17:33:00Z' },
    { given: 'February 30th', value: '2016-02-30T00:00:00Z' },
    { given: 'February 29th of a year that is not leap', value: '2015-02-29T00:00:00Z' },
    { given: 'hour 24', value: '2016-08-18T24:00:00Z' },
    { given: 'a space instead of T', value: '2016-08-18 17:33:00Z' },
  ])('IsTimestamp is false for $given', ({ value }) => {
    expect(evaluateChoiceRule({ Variable: '$.v', IsTimestamp: true }, { v: value }, context)).toBe(false);
  });

  it.each([
    { given: 'February 29th of a leap year', value: '2016-02-29T00:00:00Z' },
    { given: 'a year below 100', value: '0099-01-01T00:00:00+00:00' },
    { given: 'nanoseconds', value: '2016-08-18T17:33:00.123456789Z' },
  ])('IsTimestamp is true for $given', ({ value }) => {
    expect(evaluateChoiceRule({ Variable: '$.v', IsTimestamp: true }, { v: value }, context)).toBe(true);
  });
});

describe('evaluateChoiceRule: And, Or, Not', () => {
  const yes: Rule = { Variable: '$.n', NumericEquals: 10 };
  const no: Rule = { Variable: '$.n', NumericEquals: 11 };
  it.each<{ given: string; rule: Rule; want: boolean }>([
    { given: 'And of two true rules', rule: { And: [yes, yes] }, want: true },
    { given: 'And with a false rule', rule: { And: [yes, no] }, want: false },
    { given: 'Or with a true rule', rule: { Or: [no, yes] }, want: true },
    { given: 'Or of two false rules', rule: { Or: [no, no] }, want: false },
    { given: 'Not of a true rule', rule: { Not: yes }, want: false },
    { given: 'Not of a false rule', rule: { Not: no }, want: true },
    { given: "the guide's range test", rule: { And: [{ Variable: '$.n', IsPresent: true }, { Variable: '$.n', NumericGreaterThanEquals: 1 }, { Variable: '$.n', NumericLessThan: 100 }] }, want: true },
    { given: 'nested combinators', rule: { Or: [{ And: [yes, { Not: no }] }, no] }, want: true },
    { given: 'And stops at the first false rule (the absent path after it is not read)', rule: { And: [no, { Variable: '$.missing', NumericEquals: 1 }] }, want: false },
    { given: 'IsPresent guards a comparison', rule: { And: [{ Variable: '$.missing', IsPresent: true }, { Variable: '$.missing', NumericEquals: 1 }] }, want: false },
  ])('$given: $want', ({ rule, want }) => {
    expect(evaluateChoiceRule(rule, input, context)).toBe(want);
  });
});

describe('evaluateChoiceRule: States.Runtime', () => {
  it.each<{ given: string; rule: Rule; path: string }>([
    { given: 'a comparison on an absent Variable', rule: { Variable: '$.missing', StringEquals: 'x' }, path: '$.missing' },
    { given: 'a type test on an absent Variable', rule: { Variable: '$.missing', IsNull: true }, path: '$.missing' },
    { given: 'IsNumeric false on an absent Variable', rule: { Variable: '$.missing', IsNumeric: false }, path: '$.missing' },
    { given: 'a *Path operator whose path is absent', rule: { Variable: '$.n', NumericEqualsPath: '$.missing' }, path: '$.missing' },
    { given: 'a Variable past the end of a list', rule: { Variable: '$.list[1]', NumericEquals: 1 }, path: '$.list[1]' },
    { given: 'an absent Variable inside Not', rule: { Not: { Variable: '$.gone', BooleanEquals: true } }, path: '$.gone' },
  ])('$given', ({ rule, path }) => {
    // Act
    const got = statesFailure(() => evaluateChoiceRule(rule, input, context));

    // Assess
    expect(got.error).toBe('States.Runtime');
    expect(got.cause).toContain(`'${path}'`);
  });

  it('a rule that is not valid fails with States.Runtime rather than choosing', () => {
    expect(statesFailure(() => evaluateChoiceRule({ Variable: '$.n' }, input, context)).error).toBe('States.Runtime');
  });
});

describe('choiceRuleProblems', () => {
  it.each<{ given: string; rule: Rule }>([
    { given: 'a comparison', rule: { Variable: '$.n', NumericEquals: 1 } },
    { given: 'a top-level rule with Next and Comment', rule: { Variable: '$.n', NumericEquals: 1, Next: 'A', Comment: 'c' } },
    { given: 'a *Path operator with a path', rule: { Variable: '$.n', NumericEqualsPath: '$.m' } },
    { given: 'a context path', rule: { Variable: '$$.Execution.Name', StringMatches: 'run-*' } },
    { given: 'nested combinators', rule: { And: [{ Not: { Variable: '$.a', IsPresent: true } }, { Or: [{ Variable: '$.b', BooleanEquals: false }] }] } },
    { given: 'a timestamp', rule: { Variable: '$.t', TimestampEquals: '2016-08-18T17:33:00Z' } },
  ])('none for $given', ({ rule }) => {
    expect(choiceRuleProblems(rule)).toEqual([]);
  });

  it.each<{ given: string; rule: Rule; want: string[] }>([
    { given: 'no operator', rule: { Variable: '$.n' }, want: ['the rule has no comparison operator'] },
    { given: 'two operators', rule: { Variable: '$.n', NumericEquals: 1, NumericLessThan: 2 }, want: ['the rule has more than one comparison operator: NumericEquals, NumericLessThan'] },
    { given: 'an unknown operator', rule: { Variable: '$.n', NumericIs: 1 }, want: ['unknown comparison operator NumericIs'] },
    { given: 'a made-up *Path operator', rule: { Variable: '$.n', StringMatchesPath: '$.p' }, want: ['unknown comparison operator StringMatchesPath'] },
    { given: 'a *Path operator whose value is no path', rule: { Variable: '$.n', NumericEqualsPath: 'm' }, want: ['NumericEqualsPath needs a path, not "m"'] },
    { given: 'a *Path operator whose value is a number', rule: { Variable: '$.n', StringEqualsPath: 3 }, want: ['StringEqualsPath needs a path, not 3'] },
    { given: 'no Variable', rule: { NumericEquals: 1 }, want: ['the rule has no Variable'] },
    { given: 'a Variable that is no path', rule: { Variable: 'n', NumericEquals: 1 }, want: ['the Variable "n" is not a path'] },
    { given: 'a number compared as a string', rule: { Variable: '$.n', NumericEquals: '1' }, want: ['NumericEquals needs a number, not "1"'] },
    { given: 'a string operator with a number', rule: { Variable: '$.s', StringEquals: 1 }, want: ['StringEquals needs a string, not 1'] },
    { given: 'BooleanEquals with a string', rule: { Variable: '$.b', BooleanEquals: 'true' }, want: ['BooleanEquals needs a boolean, not "true"'] },
    { given: 'a type test with a string', rule: { Variable: '$.b', IsNull: 'yes' }, want: ['IsNull needs a boolean, not "yes"'] },
    { given: 'a timestamp that is not RFC 3339', rule: { Variable: '$.t', TimestampLessThan: '2016-08-18' }, want: ['TimestampLessThan needs an RFC 3339 timestamp, not "2016-08-18"'] },
    { given: 'And with no rules', rule: { And: [] }, want: ['And needs a non-empty list of rules'] },
    { given: 'Or that is no list', rule: { Or: { Variable: '$.n', IsPresent: true } }, want: ['Or needs a non-empty list of rules'] },
    { given: 'Not with a list', rule: { Not: [] }, want: ['Not: a rule must be an object'] },
    { given: 'And with a Variable beside it', rule: { And: [{ Variable: '$.n', IsPresent: true }], Variable: '$.n' }, want: ['a rule with And cannot also have Variable'] },
    { given: 'And and Or together', rule: { And: [], Or: [] }, want: ['a rule has one of And, Or, Not, not And and Or'] },
    { given: 'a problem deep inside', rule: { Or: [{ Variable: '$.a', IsPresent: true }, { Not: { Variable: '$.a' } }] }, want: ['Or[1]: Not: the rule has no comparison operator'] },
  ])('$given', ({ rule, want }) => {
    expect(choiceRuleProblems(rule)).toEqual(want);
  });
});
