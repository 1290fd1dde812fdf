/** The CLI's argument handling (tools/args.ts): the SAM CLI's forms of `--parameter-overrides`. */
import { describe, expect, it } from 'vitest';
import { joinOverrideWords, parseArgs } from '../../../emulator/tools/args.js';

describe('joinOverrideWords: --parameter-overrides takes the Key=Value words after it, as the SAM CLI does', () => {
  it.each([
    { given: 'several words', argv: ['--parameter-overrides', 'A=1', 'B=2', '--port', '9'], want: ['--parameter-overrides', 'A=1 B=2', '--port', '9'] },
    { given: 'the inline form, then more words', argv: ['--parameter-overrides=A=1', 'B=2'], want: ['--parameter-overrides=A=1 B=2'] },
    { given: 'the quoted form (one word)', argv: ['--parameter-overrides', 'A=1 B=2'], want: ['--parameter-overrides', 'A=1 B=2'] },
    { given: 'ParameterKey/ParameterValue words', argv: ['--parameter-overrides', 'ParameterKey=A,ParameterValue=1', 'ParameterKey=B,ParameterValue=2'], want: ['--parameter-overrides', 'ParameterKey=A,ParameterValue=1 ParameterKey=B,ParameterValue=2'] },
    { given: 'a word without = after it (an invoke`s function id)', argv: ['--parameter-overrides', 'A=1', 'MyFunction'], want: ['--parameter-overrides', 'A=1', 'MyFunction'] },
    { given: 'no option', argv: ['-t', 'x.yaml', 'A=1'], want: ['-t', 'x.yaml', 'A=1'] },
  ])('$given', ({ argv, want }) => {
    expect(joinOverrideWords(argv)).toEqual(want);
  });

  it('parseArgs reads them as one value', () => {
    expect(parseArgs(['--parameter-overrides', 'A=1', 'B=2'], ['parameter-overrides'], [])).toEqual({ 'parameter-overrides': 'A=1 B=2' });
  });
});
