/** The built `sam-local-gateway` CLI as a child process: -l/--log-file, where sam local writes the functions' output. */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { APP, cli, serving } from './support/run.js';

describe('sam-local-gateway -l/--log-file (sam local writes the functions` output to the file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'cli-log-file-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const FUNCTION_LINE = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z\t([0-9a-f-]{36})\tINFO\ta log line from the function$/m;

  it('start-lambda: the function`s lines and Lambda`s START, END and REPORT go to the file, emptied first, not to the terminal', async () => {
    // Prepare
    const log = join(dir, 'start-lambda.log');
    writeFileSync(log, 'left from an earlier run\n');
    const { url, stdout, stderr, stop } = await serving(['start-lambda', '-t', APP, '-p', '0', '-l', log, '--local-dir', join(dir, 'local')]);

    // Act
    const res = await fetch(`${url}/2015-03-31/functions/echo-fn/invocations`, { method: 'POST', body: '{"id":3}' });
    await res.text();
    const exitCode = await stop();

    // Assess
    expect(res.status).toBe(200);
    expect(exitCode).toBe(0);
    const written = readFileSync(log, 'utf8');
    expect(written).not.toContain('left from an earlier run');
    const requestId = FUNCTION_LINE.exec(written)?.[1];
    expect(requestId).toBeDefined();
    expect(written).toContain(`START RequestId: ${requestId} Version: $LATEST`);
    expect(written).toMatch(new RegExp(`^END RequestId: ${requestId}\nREPORT RequestId: ${requestId}\t`, 'm'));
    expect(stdout() + stderr()).not.toContain('a log line from the function');
    expect(stdout()).not.toContain('START RequestId');
  });

  it('invoke: the logs and then the result go to the file (sam local invoke -l writes its stdout there), nothing on stdout', async () => {
    const log = join(dir, 'invoke.log');

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', '-', '--log-file', log], '{"id":11}');

    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect(run.stderr).not.toContain('a log line from the function');
    const lines = readFileSync(log, 'utf8').trimEnd().split('\n');
    expect(lines.join('\n')).toMatch(FUNCTION_LINE);
    expect(lines.at(-2)).toMatch(/^REPORT RequestId: /);
    expect(JSON.parse(lines.at(-1)!)).toMatchObject({ event: { id: 11 } });
  });

  it('invoke with an event file that does not exist: exit 1, the last run`s log left as it was (SAM checks -e first)', async () => {
    const log = join(dir, 'kept.log');
    writeFileSync(log, 'the last run\n');

    const run = await cli(['invoke', 'EchoFunction', '-t', APP, '-e', join(dir, 'no-such-event.json'), '-l', log]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain('no-such-event.json');
    expect(readFileSync(log, 'utf8')).toBe('the last run\n');
  });

  it.each([
    ['invoke', ['invoke', 'EchoFunction', '-t', APP]],
    ['start-api', ['start-api', '-t', APP, '-p', '0']],
  ])('%s with a log file in a folder that does not exist: exit 1, one line naming the file, nothing started', async (_name, args) => {
    const log = join(dir, 'missing', 'out.log');

    const run = await cli([...args, '-l', log]);

    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`--log-file ${log}: cannot be written (its folder does not exist)`);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(run.stdout).not.toContain('ready:');
  });
});
