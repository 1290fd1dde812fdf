/** `-d/--debug-port` and `--debug-function` on the command line, read as sam local reads them. */
import { parseArgs } from 'node:util';
import { describe, expect, it } from 'vitest';
import { DEBUG_OPTIONS, debugOptionLines, parseDebug } from '../../../emulator/tools/debug-options.js';
import { UsageError } from '../../../emulator/tools/args.js';

const parse = (args: string[]) => parseDebug(parseArgs({ args, options: DEBUG_OPTIONS, strict: true }).values);

describe('debug options', () => {
  it.each([
    { given: [] as string[], want: undefined },
    { given: ['-d', '5858'], want: { port: 5858 } },
    { given: ['--debug-port', '9229', '--debug-function', 'ApiFunction'], want: { port: 9229, functionLogicalId: 'ApiFunction' } },
    { given: ['--debug-port=1'], want: { port: 1 } },
    { given: ['-d', '65535'], want: { port: 65535 } },
  ])('$given -> $want', ({ given, want }) => {
    expect(parse(given)).toEqual(want);
  });

  it.each([
    { given: ['-d', '0'], want: /--debug-port: not a port number: 0/ },
    { given: ['-d', '65536'], want: /not a port number: 65536/ },
    { given: ['-d', '58x'], want: /not a port number: 58x/ },
    { given: ['-d', '1e3'], want: /not a port number: 1e3/ },
  ])('$given refused', ({ given, want }) => {
    expect(() => parse(given)).toThrow(UsageError);
    expect(() => parse(given)).toThrow(want);
  });

  it('--debug-function without --debug-port (a samconfig debug_function) debugs nothing and is said ignored, as sam local ignores it', () => {
    const values = parseArgs({ args: ['--debug-function', 'ApiFunction'], options: DEBUG_OPTIONS, strict: true }).values;

    expect(parseDebug(values)).toBeUndefined();
    expect(debugOptionLines(values)).toEqual(['sam-local-gateway: --debug-function ApiFunction ignored: no --debug-port (sam local debugs only with a port too)']);
  });

  it('-d given several times: the first port is the Node.js inspector\'s, as the SAM CLI starts Node with --inspect-brk on debug_ports[0] (lambda_container.py), and the others are said unused', () => {
    const values = parseArgs({ args: ['-d', '5858', '--debug-port', '9230', '-d', '9231', '--debug-function', 'ApiFunction'], options: DEBUG_OPTIONS, strict: true }).values;

    expect(parseDebug(values)).toEqual({ port: 5858, functionLogicalId: 'ApiFunction' });
    expect(debugOptionLines(values)).toEqual(['sam-local-gateway: --debug-port 9230, 9231 unused: a Node.js function\'s inspector listens on the first port given (5858), as under sam local, which publishes the others from the container where nothing listens on them']);
  });

  it('-d given twice with one port that is not a number: refused', () => {
    expect(() => parse(['-d', '5858', '-d', 'x'])).toThrow(/--debug-port: not a port number: x/);
  });

  it('neighbour: with --debug-port, nothing is said', () => {
    expect(debugOptionLines(parseArgs({ args: ['-d', '5858', '--debug-function', 'ApiFunction'], options: DEBUG_OPTIONS, strict: true }).values)).toEqual([]);
  });
});
