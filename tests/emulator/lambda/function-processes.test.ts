/**
 * Which processes belong to an environment (function-processes.ts): those whose environment holds its log stream
 * name as a whole AWS_LAMBDA_LOG_STREAM_NAME variable, read from a /proc laid out here as Linux lays it out.
 * That they are ended with their environment is checked over the wire in tests/emulator/faults/faults.test.ts.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { processesOfStreams } from '../../../emulator/lambda/function-processes.js';

const STREAM = '2026/12/07/[$LATEST]0123456789abcdef0123456789abcdef';
const OTHER = '2026/12/07/[$LATEST]fedcba9876543210fedcba9876543210';
let proc: string;

function fakeProc(entries: Record<string, string | undefined>): string {
  proc = mkdtempSync(join(tmpdir(), 'proc-'));
  for (const [entry, environ] of Object.entries(entries)) {
    mkdirSync(join(proc, entry));
    // undefined: a process whose environ cannot be read (another user's, or gone).
    if (environ !== undefined) writeFileSync(join(proc, entry, 'environ'), environ, 'latin1');
  }
  return proc;
}

afterEach(() => rmSync(proc, { recursive: true, force: true }));

describe('processesOfStreams', () => {
  it.each([
    { given: 'the variable first', environ: `AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}\0PATH=/bin\0`, want: true },
    { given: 'the variable after others', environ: `PATH=/bin\0AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}\0HOME=/\0`, want: true },
    { given: 'the variable last, without a final NUL', environ: `PATH=/bin\0AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}`, want: true },
    { given: "another environment's stream", environ: `AWS_LAMBDA_LOG_STREAM_NAME=${OTHER}\0`, want: false },
    { given: 'the stream name as a prefix of a longer value', environ: `AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}x\0`, want: false },
    { given: 'the name inside another variable', environ: `MY_AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}\0`, want: false },
    { given: 'the text inside another value', environ: `NOTE=AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}\0`, want: false },
    { given: 'no such variable (a process started with an environment of its own)', environ: 'PATH=/bin\0', want: false },
    { given: 'an empty environment (a zombie)', environ: '', want: false },
  ])('$given: found $want', ({ environ, want }) => {
    const found = processesOfStreams(new Set([STREAM]), fakeProc({ '4242': environ }));

    expect(found.has(4242)).toBe(want);
  });

  it('reads each process once for several streams, skipping what is no process or cannot be read', () => {
    const dir = fakeProc({
      '101': `AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}\0`,
      '102': `AWS_LAMBDA_LOG_STREAM_NAME=${OTHER}\0`,
      '103': undefined,
      self: `AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}\0`,
      [String(process.pid)]: `AWS_LAMBDA_LOG_STREAM_NAME=${STREAM}\0`,
    });

    const found = processesOfStreams(new Set([STREAM, OTHER]), dir);

    expect([...found].sort()).toEqual([
      [101, STREAM],
      [102, OTHER],
    ]);
  });

  it('finds nothing where there is no /proc', () => {
    fakeProc({});

    expect(processesOfStreams(new Set([STREAM]), join(proc, 'absent')).size).toBe(0);
  });
});
