import { describe, expect, it } from 'vitest';
import { nodeVersionWarning } from '../../../emulator/lambda/node-version.js';
import { functionSpec } from './support/function-spec.js';

const fn = (logicalId: string, runtime: string) => functionSpec(logicalId, { runtime });

describe('the Node.js version warning', () => {
  it.each([
    { given: 'every function on the local major', functions: [fn('A', 'nodejs20.x'), fn('B', 'nodejs20.x')], want: undefined },
    { given: 'no Node.js function', functions: [fn('A', 'python3.12')], want: undefined },
    { given: 'no function at all', functions: [], want: undefined },
    {
      given: 'three functions on another major',
      functions: [fn('A', 'nodejs22.x'), fn('B', 'nodejs22.x'), fn('C', 'nodejs22.x')],
      want: 'WARNING: functions declare nodejs22.x (3 functions) but run on the local Node.js v20.19.1; behaviour that differs between Node.js versions is not emulated',
    },
    {
      given: 'two other majors and one matching',
      functions: [fn('A', 'nodejs22.x'), fn('B', 'nodejs18.x'), fn('C', 'nodejs20.x')],
      want: 'WARNING: functions declare nodejs22.x (1 function), nodejs18.x (1 function) but run on the local Node.js v20.19.1; behaviour that differs between Node.js versions is not emulated',
    },
    {
      given: 'the old runtime names nodejs8.10 and nodejs4.3',
      functions: [fn('A', 'nodejs8.10'), fn('B', 'nodejs4.3')],
      want: 'WARNING: functions declare nodejs8.10 (1 function), nodejs4.3 (1 function) but run on the local Node.js v20.19.1; behaviour that differs between Node.js versions is not emulated',
    },
  ])('is one line (or none) for $given', ({ functions, want }) => {
    expect(nodeVersionWarning(functions, 'v20.19.1')).toBe(want);
  });
});
