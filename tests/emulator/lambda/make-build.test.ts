/**
 * Makefile builds at start: the lines saying a build started and ended (a build may take minutes, during which the
 * start would show nothing otherwise), timed on the service's own clock, and the scratch copies they run in, removed
 * after the build and, when a gateway was killed mid-build, by the next one, never while their owner lives.
 */
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadTemplate } from '../../../emulator/template/load.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { buildDuration, failure } from '../../../emulator/lambda/custom-runtime.js';
import { sweepLeftScratch } from '../../../emulator/lambda/make-scratch.js';
import { FakeClock } from './support/fake-clock.js';

/** A project of one Node.js function whose Makefile runs `recipe` (after writing app.js into ARTIFACTS_DIR). */
function makefileProject(recipe: string): string {
  const project = mkdtempSync(join(tmpdir(), 'make-build-test-'));
  mkdirSync(join(project, 'src'));
  writeFileSync(join(project, 'src', 'app.js'), 'exports.handler = async () => "made";\n');
  writeFileSync(join(project, 'src', 'Makefile'), `build-Fn:\n\tcp app.js $(ARTIFACTS_DIR)/\n\techo $$PWD > $(ARTIFACTS_DIR)/where\n${recipe}`);
  writeFileSync(join(project, 'template.yaml'), 'Resources:\n  Fn:\n    Type: AWS::Serverless::Function\n    Metadata: {BuildMethod: makefile}\n    Properties: {Runtime: nodejs20.x, Handler: app.handler, CodeUri: src/}\n');
  return project;
}

describe('makefile build progress', () => {
  let project: string;
  let service: LocalLambdaService | undefined;
  afterEach(async () => {
    await service?.close();
    service = undefined;
    rmSync(project, { recursive: true, force: true });
  });

  it('says when a build starts and when it ends, with its duration on the service\'s clock, and not as a notice', async () => {
    // Prepare: a build the fake clock sees take 61.2 s (moved on as the build starts).
    project = makefileProject('');
    const clock = new FakeClock();
    const lines: string[] = [];
    const notices: string[] = [];
    const progress = (line: string): void => {
      lines.push(line);
      if (line.includes('started')) clock.advance(61_234);
    };
    service = new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')), { clock, buildDir: join(project, '.emulator'), buildProgress: progress, notice: (line) => notices.push(line) });

    // Act
    const notBuilt = await service.prepare();

    // Assert: both lines, in order, and the report's origin gives the same duration.
    expect(notBuilt).toEqual([]);
    expect(lines).toEqual(['Fn: makefile build started (make build-Fn)', 'Fn: makefile build done in 61.2 s']);
    expect(notices).toEqual([]);
    expect(service.customNotes()).toEqual([expect.stringMatching(/\(built with makefile in 61\.2 s\)$/)]);
    expect(await service.invoke('Fn', {})).toMatchObject({ kind: 'ok', payload: 'made' });
  });

  it('a build that fails ends with a line saying so and after how long; its reason stays the start\'s error', async () => {
    // Prepare
    project = makefileProject('\t@echo "no compiler here" >&2; exit 2\n');
    const clock = new FakeClock();
    const lines: string[] = [];
    const progress = (line: string): void => {
      lines.push(line);
      if (line.includes('started')) clock.advance(250);
    };
    service = new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')), { clock, buildDir: join(project, '.emulator'), buildProgress: progress, notice: () => undefined });

    // Act
    const notBuilt = await service.prepare();

    // Assert
    expect(lines).toEqual(['Fn: makefile build started (make build-Fn)', 'Fn: makefile build failed after 250 ms']);
    expect(notBuilt).toEqual([{ logicalId: 'Fn', error: expect.stringMatching(/Resources\.Fn\.Metadata\.BuildMethod: makefile build: make --makefile \S+ build-Fn failed \(exit status 2\): no compiler here\n/) }]);
  });

  it.each([
    { given: 'a compiler\'s error before make\'s own last line', output: 'cc -c main.c\nmain.c:3: error: expected ;\nmake: *** [Makefile:2: build-Fn] Error 1', code: 2, want: 'make build-Fn failed (exit status 2): main.c:3: error: expected ;\ncc -c main.c\n' },
    { given: 'a sub-make\'s lines too', output: 'tsc: error TS2322\nmake[1]: *** [sub] Error 2\nmake: *** [build-Fn] Error 2', code: 2, want: 'make build-Fn failed (exit status 2): tsc: error TS2322\n' },
    { given: 'no output', output: '', code: 1, want: 'make build-Fn failed (exit status 1)' },
  ])('a failed build\'s first line says why: $given', ({ output, code, want }) => {
    expect(failure('make build-Fn', { code }, output).startsWith(want)).toBe(true);
  });

  it('without buildProgress, the lines go where the service\'s notices go', async () => {
    // Prepare
    project = makefileProject('');
    const notices: string[] = [];
    service = new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')), { clock: new FakeClock(), buildDir: join(project, '.emulator'), notice: (line) => notices.push(line) });

    // Act
    await service.prepare();

    // Assert
    expect(notices).toEqual(['Fn: makefile build started (make build-Fn)', 'Fn: makefile build done in 0 ms']);
  });

  it.each([
    { ms: 0, want: '0 ms' },
    { ms: 999.4, want: '999 ms' },
    { ms: 1000, want: '1.0 s' },
    { ms: 125_060, want: '125.1 s' },
  ])('a duration of $ms ms reads $want', ({ ms, want }) => {
    expect(buildDuration(ms)).toBe(want);
  });
});

describe('makefile scratch folders', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'scratch-sweep-test-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('the build\'s scratch copy is named after this process and removed once the build ends', async () => {
    // Prepare
    const project = makefileProject('');
    const service = new LocalLambdaService(await loadTemplate(join(project, 'template.yaml')), { buildDir: join(project, '.emulator'), notice: () => undefined });
    try {
      // Act
      await service.prepare();

      // Assert: make ran in sam-make-<pid>-..., gone now.
      const outDir = service.customNotes()[0]!.match(/runs from (\S+)/)![1]!;
      const where = readFileSync(join(outDir.startsWith('/') ? outDir : join(process.cwd(), outDir), 'where'), 'utf8').trim();
      expect(basename(where)).toMatch(new RegExp(`^sam-make-${process.pid}-`));
      expect(existsSync(where)).toBe(false);
    } finally {
      await service.close();
      rmSync(project, { recursive: true, force: true });
    }
  });

  it('removes the folders of owners that are gone, keeps a live owner\'s and those that name no owner', () => {
    // Prepare: pid 1 is alive; 4242 is said to be gone.
    for (const name of ['sam-make-4242-abc123', 'sam-make-1-def456', 'sam-make-x1y2z3', 'other-4242-folder']) mkdirSync(join(dir, name, 'inside'), { recursive: true });
    const isAlive = (pid: number): boolean => pid !== 4242;

    // Act
    const removed = sweepLeftScratch(dir, isAlive);

    // Assert
    expect(removed).toEqual([join(dir, 'sam-make-4242-abc123')]);
    expect(existsSync(join(dir, 'sam-make-1-def456'))).toBe(true);
    expect(existsSync(join(dir, 'sam-make-x1y2z3'))).toBe(true);
    expect(existsSync(join(dir, 'other-4242-folder'))).toBe(true);
  });

  it('tells a live process from a gone one by itself (a child that has exited, init that has not)', async () => {
    // Prepare: the pid of a process that has exited, and pid 1's folder.
    const child = spawn(process.execPath, ['-e', '']);
    const pid = child.pid!;
    await new Promise((resolve) => child.once('exit', resolve));
    mkdirSync(join(dir, `sam-make-${pid}-gone00`));
    mkdirSync(join(dir, 'sam-make-1-alive0'));

    // Act
    sweepLeftScratch(dir);

    // Assert
    expect(existsSync(join(dir, `sam-make-${pid}-gone00`))).toBe(false);
    expect(existsSync(join(dir, 'sam-make-1-alive0'))).toBe(true);
  });
});
