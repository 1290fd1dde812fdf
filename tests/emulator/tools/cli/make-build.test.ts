/**
 * The CLI while a function's makefile build runs at start: a line when the build starts and one when it ends
 * (stderr; none under --quiet), its scratch copy removed when the gateway is stopped mid-build, and the copies a
 * killed gateway left removed by the next start unless their owner still runs. Each gateway gets a TMPDIR of its
 * own, so that what is left in it is this test's doing alone.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ROOT } from './support/run.js';

const CLI = join(ROOT, 'emulator/dist/cli.js');

/** A SAM app of one Node.js function on a REST API, built by a Makefile that then runs `recipe`. */
function project(dir: string, recipe = ''): string {
  mkdirSync(join(dir, 'src'), { recursive: true });
  writeFileSync(join(dir, 'src', 'app.js'), 'exports.handler = async () => ({ statusCode: 200, body: "made" });\n');
  writeFileSync(join(dir, 'src', 'Makefile'), `build-Fn:\n\tcp app.js $(ARTIFACTS_DIR)/\n${recipe}`);
  writeFileSync(
    join(dir, 'template.yaml'),
    `Transform: AWS::Serverless-2016-10-31
Resources:
  Fn:
    Type: AWS::Serverless::Function
    Metadata: { BuildMethod: makefile }
    Properties: { Runtime: nodejs20.x, CodeUri: src/, Handler: app.handler, Events: { Get: { Type: Api, Properties: { Path: /made, Method: get } } } }
`,
  );
  return join(dir, 'template.yaml');
}

/** The makefile builds' scratch folders in a temp folder (the gateway keeps a YAML parse cache there too). */
const scratchIn = (temp: string): string[] => readdirSync(temp).filter((name) => name.startsWith('sam-make-'));

/** The gateways a test started: any still running once it ends (an assertion failed first) are killed. */
const started = new Set<ChildProcess>();

/** start-api as a child process with a TMPDIR of its own; `until` resolves once its output matches, and fails if it exits first. */
function startApi(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [CLI, 'start-api', '-p', '0', '--host', '127.0.0.1', ...args], { cwd: ROOT, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  started.add(child);
  const output = { stdout: '', stderr: '' };
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const until = (stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void> =>
    new Promise((resolve, reject) => {
      const check = (): void => void (pattern.test(output[stream]) && resolve());
      child[stream].on('data', check);
      check();
      void exited.then(() => reject(new Error(`exited before ${pattern}:\n${output.stdout}\n${output.stderr}`)));
    });
  child.stdout.on('data', (chunk: Buffer) => (output.stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (output.stderr += chunk.toString('utf8')));
  return { child, output, exited, until };
}

describe('start-api with a makefile build', () => {
  let dir: string;
  let temp: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'cli-make-'));
    temp = join(dir, 'tmp');
    mkdirSync(temp);
  });
  afterEach(() => {
    for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    started.clear();
    rmSync(dir, { recursive: true, force: true });
  });

  it('says on stderr when the build starts and when it ends, with its duration; --quiet says neither', async () => {
    // Prepare
    const template = project(dir);

    // Act
    const loud = startApi(['-t', template, '--local-dir', join(dir, 'local')], { TMPDIR: temp });
    await loud.until('stdout', /^ready: /m);
    loud.child.kill('SIGTERM');
    await loud.exited;
    const quiet = startApi(['-t', template, '--quiet', '--local-dir', join(dir, 'local')], { TMPDIR: temp });
    await quiet.until('stdout', /^ready: /m);
    quiet.child.kill('SIGTERM');
    await quiet.exited;

    // Assert: the two lines, in order, before the report; nothing of them on stdout, nor anywhere under --quiet.
    expect(loud.output.stderr).toMatch(/^Fn: makefile build started \(make build-Fn\)\nFn: makefile build done in (\d+ ms|\d+\.\d s)$/m);
    expect(loud.output.stdout).not.toContain('makefile build');
    expect(quiet.output.stderr).not.toContain('makefile build');
    expect(quiet.output.stdout).not.toContain('makefile build');
    expect(scratchIn(temp)).toEqual([]);
  });

  it('a build that fails: the route and the report say why on their first line, the whole output indented under the function', async () => {
    // Prepare
    const template = project(dir, '\t@echo "cc -c main.c"\n\t@echo "main.c:3: error: expected ;" >&2; exit 2\n');

    // Act
    const gateway = startApi(['-t', template, '--local-dir', join(dir, 'local')], { TMPDIR: temp });
    await gateway.until('stdout', /^ready: /m);
    gateway.child.kill('SIGTERM');
    await gateway.exited;

    // Assert
    const { stdout, stderr } = gateway.output;
    expect(stderr).toContain('Fn: makefile build failed after ');
    expect(stdout).toMatch(/^ {2}NOT EMULATED GET {5}\/made .*function Fn did not build: .*Resources\.Fn\.Metadata\.BuildMethod: makefile build: make --makefile \S+ build-Fn failed \(exit status 2\): main\.c:3: error: expected ;\)$/m);
    expect(stdout).toMatch(/^ {2}Fn: did not build, .* failed \(exit status 2\): main\.c:3: error: expected ;\n {4}cp app\.js .*\n {4}cc -c main\.c\n {4}main\.c:3: error: expected ;\n {4}make: \*\*\* .*Error 2\n/m);
  });

  it.each(['SIGINT', 'SIGTERM'] as const)('stopped by %s while the build runs: the build is ended and its scratch copy removed', async (signal) => {
    // Prepare: a build that says where it runs through a FIFO, then waits on its stdin (which ends with the gateway).
    const fifo = join(dir, 'where.fifo');
    execFileSync('mkfifo', [fifo]);
    const template = project(dir, '\techo $$PWD > $(WHERE_FIFO)\n\tcat > /dev/null\n');
    const gateway = startApi(['-t', template, '--local-dir', join(dir, 'local')], { TMPDIR: temp, WHERE_FIFO: fifo });
    const where = (await Promise.race([readFile(fifo, 'utf8'), gateway.exited.then(() => '')])).trim();
    expect(where).toMatch(new RegExp(`^${temp}/sam-make-${gateway.child.pid}-\\w+$`));
    expect(existsSync(where)).toBe(true);

    // Act
    gateway.child.kill(signal);
    const exit = await gateway.exited;

    // Assert: it died of the signal, as before the build's clean-up listened for it, leaving nothing behind.
    expect(exit).toEqual({ code: null, signal });
    expect(existsSync(where)).toBe(false);
    expect(scratchIn(temp)).toEqual([]);
    expect(gateway.output.stderr).toContain('Fn: makefile build started (make build-Fn)');
  });

  it('removes the scratch copies of a gateway that is gone at its next start, and keeps those of one still running', async () => {
    // Prepare: one copy named after an exited process, one after a live one (this test's own process).
    const exited = spawn(process.execPath, ['-e', '']);
    await new Promise((resolve) => exited.once('exit', resolve));
    const left = join(temp, `sam-make-${exited.pid}-left00`);
    const live = join(temp, `sam-make-${process.pid}-live00`);
    for (const folder of [left, live]) mkdirSync(join(folder, 'node_modules'), { recursive: true });
    const template = project(dir);

    // Act
    const gateway = startApi(['-t', template, '--quiet', '--local-dir', join(dir, 'local')], { TMPDIR: temp });
    await gateway.until('stdout', /^ready: /m);
    gateway.child.kill('SIGTERM');
    await gateway.exited;

    // Assert
    expect(existsSync(left)).toBe(false);
    expect(existsSync(live)).toBe(true);
    expect(readFileSync(join(dir, 'src', 'app.js'), 'utf8')).toContain('made');
  });
});
