/** The Node flags of a Node.js execution environment: the heap Lambda's MemorySize allows, GC on one thread up to one vCPU. */
import { expect, it } from 'vitest';
import { environmentFlags } from '../../../emulator/lambda/environment-process.js';

it.each([
  { given: 128, want: ['--max-old-space-size=128', '--max-semi-space-size=2', '--single-threaded-gc'] },
  { given: 1769, want: ['--max-old-space-size=1769', '--max-semi-space-size=2', '--single-threaded-gc'] },
  { given: 1770, want: ['--max-old-space-size=1770', '--max-semi-space-size=2'] },
  { given: 10240, want: ['--max-old-space-size=10240', '--max-semi-space-size=2'] },
])('MemorySize $given: $want', ({ given, want }) => {
  expect(environmentFlags(given)).toEqual(want);
});
