/**
 * Custom runtimes (provided.al2023, provided.al2, provided, and the retired go1.x): where a function's bootstrap is,
 * and the builds `sam build` runs for them (BuildMethod go1.x, makefile) run here with the local toolchain.
 */
import { execFile } from 'node:child_process';
import { accessSync, closeSync, constants, cpSync, existsSync, mkdirSync, openSync, readSync, rmSync } from 'node:fs';
import { basename, dirname, join, relative, sep } from 'node:path';
import { TemplateError, type FunctionSpec } from '../template/model.js';
import type { LayerMount } from './layer-paths.js';
import { dropScratch, makeScratch, trackBuild } from './make-scratch.js';

import { isCustomRuntime } from '../template/functions.js';

export { isCustomRuntime };

/** A custom-runtime function ready to start: its code folder (/var/task) and the executable Lambda would start. */
export interface CustomFunction {
  taskRoot: string;
  /** undefined when neither the code nor a layer has one: each init then fails as Lambda's does. */
  bootstrap: string | undefined;
  /** Where the code comes from, for the startup report ("built with go1.x in 612 ms", "sam build's output"). */
  origin: string;
}

/** Lambda's error when it finds no bootstrap (Runtime.InvalidEntrypoint), with the paths it looked at. */
export const NO_BOOTSTRAP = "Couldn't find valid bootstrap(s): [/var/task/bootstrap /opt/bootstrap]";

// Present is enough: one that cannot be executed fails at start, as Lambda's fork/exec does.
const present = (file: string): boolean => {
  try {
    accessSync(file, constants.F_OK);
    return true;
  } catch {
    return false;
  }
};

/**
 * The file Lambda starts: /var/task/bootstrap, then /opt/bootstrap (a layer's); go1.x started the binary the Handler
 * names instead.
 */
export function findBootstrap(spec: Pick<FunctionSpec, 'runtime' | 'handler'>, taskRoot: string, mounts: LayerMount[]): string | undefined {
  if (spec.runtime === 'go1.x') return [join(taskRoot, spec.handler)].find(present);
  const fromLayers = mounts.filter((m) => m.opt === '/opt').map((m) => join(m.dir, 'bootstrap'));
  return [join(taskRoot, 'bootstrap'), ...fromLayers].find(present);
}

/** ELF e_machine values, as Lambda's architectures name them. */
const ELF_MACHINES: Record<number, string> = { 0x03: 'x86', 0x28: 'arm', 0x3e: 'x86_64', 0xb7: 'arm64' };
const HOST_ARCH: Record<string, string> = { x64: 'x86_64', arm64: 'arm64', ia32: 'x86', arm: 'arm' };

/**
 * What the bootstrap is when this machine cannot execute it (a binary for another OS or CPU, as a Makefile's
 * `GOOS=linux GOARCH=arm64` builds for Lambda), else undefined. Such a file must not be started: the system would
 * hand it to /bin/sh, which fails with a syntax error instead of Lambda's `exec format error`.
 */
export function foreignBinary(file: string): string | undefined {
  const head = Buffer.alloc(20);
  let length = 0;
  try {
    const fd = openSync(file, 'r');
    try {
      length = readSync(fd, head, 0, head.length, 0);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const host = `${process.platform}/${HOST_ARCH[process.arch] ?? process.arch}`;
  if (length >= 20 && head.readUInt32BE(0) === 0x7f454c46) {
    const machine = ELF_MACHINES[head.readUInt16LE(18)] ?? `machine 0x${head.readUInt16LE(18).toString(16)}`;
    return `linux/${machine}` === host ? undefined : `a linux/${machine} binary (this machine is ${host})`;
  }
  const magic = length >= 4 ? head.readUInt32BE(0) : 0;
  if ([0xfeedfacf, 0xcffaedfe, 0xfeedface, 0xcefaedfe].includes(magic) && process.platform !== 'darwin') return `a macOS binary (this machine is ${host})`;
  if (length >= 2 && head.toString('latin1', 0, 2) === 'MZ' && process.platform !== 'win32') return `a Windows binary (this machine is ${host})`;
  return undefined;
}

/** Why the bootstrap cannot start here, for the startup report: not executable, or built for another machine. */
export function bootstrapProblem(file: string): string | undefined {
  try {
    accessSync(file, constants.X_OK);
  } catch {
    return `its bootstrap ${file} is not executable (chmod +x it; Lambda's init fails: fork/exec: permission denied)`;
  }
  const foreign = foreignBinary(file);
  return foreign ? `its bootstrap ${file} is ${foreign} and cannot run here (invocations fail: exec format error); build it for this machine (a Makefile's GOOS/GOARCH are for Lambda)` : undefined;
}

/** The build cannot run here at all: its command is not installed, or there is no Makefile where SAM reads it. */
export class MissingTool extends Error {
  constructor(
    readonly command: string,
    message = `${command} is not on PATH`,
  ) {
    super(message);
  }
}

/**
 * A failed build's message: its first line says why (the last line of the output that is not make's own "make: ***
 * [...] Error 2", as a compiler's error usually is), which is all the start report's route and resource lines show;
 * the whole output follows.
 */
export function failure(commandLine: string, error: { code?: unknown; signal?: unknown }, output: string): string {
  const telling = output
    .split('\n')
    .reverse()
    .find((line) => line.trim() !== '' && !/^make(\[\d+\])?: /.test(line));
  const status = typeof error.code === 'number' ? `exit status ${error.code}` : error.signal ? `signal ${String(error.signal)}` : 'failed';
  return `${commandLine} failed (${status})${telling ? `: ${telling.trim()}` : ''}${output ? `\n${output}` : ''}`;
}

function run(command: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = execFile(command, args, { ...options, maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      if (!error) return resolve();
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return reject(new MissingTool(command));
      reject(new Error(failure(`${command} ${args.join(' ')}`, error, `${stdout}${stderr}`.trim())));
    });
    // Ended if the gateway exits or is stopped mid-build, not left running in a folder that is being removed.
    trackBuild(child);
  });
}

/**
 * Runs the function's build as `sam build` does, into `outDir` (its /var/task): `go build` of the CodeUri for
 * BuildMethod go1.x, the binary named `bootstrap` (go1.x: after the Handler) and built for this machine so that it
 * runs here (Lambda's is linux/<architecture>); `make --makefile <ContextPath or code>/Makefile build-<LogicalId>` with
 * ARTIFACTS_DIR for makefile, in a scratch copy of the code (ProjectRootDirectory or CodeUri, without .aws-sam and .git)
 * or its WorkingDirectory, as `sam build` runs it, so that the build writes nothing into the sources (PWD too: a
 * Makefile's $(PWD) is where make runs, not the gateway's folder).
 */
export async function buildCustom(spec: FunctionSpec, outDir: string): Promise<void> {
  const method = spec.customBuild;
  if (!method) return;
  rmSync(outDir, { recursive: true, force: true });
  mkdirSync(outDir, { recursive: true });
  if (method === 'go1.x') {
    const binary = spec.runtime === 'go1.x' ? spec.handler : 'bootstrap';
    return run('go', ['build', '-o', join(outDir, binary), '.'], { cwd: spec.codeDir, env: { ...process.env, PWD: spec.codeDir } });
  }
  const source = spec.makefile?.projectRoot ?? spec.codeDir;
  const makefile = join(spec.makefile?.contextDir ?? source, 'Makefile');
  if (!existsSync(makefile)) throw new MissingTool('Makefile', `no Makefile in ${dirname(makefile)}`);
  // Under the temp folder: a code folder of `.` holds the gateway's own build folder, and a copy cannot go inside itself.
  const scratch = makeScratch();
  try {
    await make(spec, source, scratch, makefile, outDir);
  } finally {
    dropScratch(scratch);
  }
}

/** `make build-<LogicalId>` in the scratch copy of `source` (or the function's WorkingDirectory), with ARTIFACTS_DIR. */
async function make(spec: FunctionSpec, source: string, scratch: string, makefile: string, outDir: string): Promise<void> {
  cpSync(source, scratch, { recursive: true, filter: (path) => !['.aws-sam', '.git', '.emulator'].includes(basename(path)) || path === source });
  // A WorkingDirectory inside the copied code is taken in the copy, as SAM maps it; one outside is used as it is.
  const working = spec.makefile?.workingDir;
  const cwd = working === undefined ? scratch : working === source || working.startsWith(`${source}${sep}`) ? join(scratch, relative(source, working)) : working;
  await run('make', ['--makefile', makefile, `build-${spec.logicalId}`], { cwd, env: { ...process.env, ARTIFACTS_DIR: outDir, PWD: cwd } });
}

/** A build's duration as the progress lines and the report give it: ms under a second, else seconds. */
export function buildDuration(ms: number): string {
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/** What toolchainBuild needs besides the function: where builds go, and where its progress lines go. */
export interface ToolchainWhere {
  outDir: () => string;
  samBuild: string;
  templatePath: string;
  /**
   * A line when the build starts and one when it ends, with its duration: a makefile build may take minutes, during
   * which the start would otherwise show nothing (`sam build` prints its own "Running ..." lines).
   */
  progress?: (line: string) => void;
  /** Monotonic ms for the build's duration (the service's clock: tests drive a fake one). */
  now?: () => number;
}

/**
 * Where a function's code is when `sam build` would run a toolchain for it (BuildMethod go1.x, makefile): built
 * here into `outDir` (a folder of this gateway's own, made when first asked for); when that cannot run or fails,
 * `sam build`'s output for it, as `sam local` runs it, else (the tool missing) its CodeUri as it is for a runtime that
 * can run sources; else the start says why.
 */
export async function toolchainBuild(spec: FunctionSpec, where: ToolchainWhere): Promise<{ taskRoot: string; origin: string }> {
  const samBuilt = join(where.samBuild, spec.logicalId);
  const fallback = existsSync(samBuilt) ? { taskRoot: samBuilt, origin: "sam build's output" } : { taskRoot: spec.codeDir, origin: 'its CodeUri as it is' };
  if (!spec.customBuild) return fallback;
  const out = where.outDir();
  const now = where.now ?? (() => performance.now());
  const started = now();
  const command = spec.customBuild === 'makefile' ? `make build-${spec.logicalId}` : 'go build';
  where.progress?.(`${spec.logicalId}: ${spec.customBuild} build started (${command})`);
  try {
    await buildCustom(spec, out);
    const took = buildDuration(now() - started);
    where.progress?.(`${spec.logicalId}: ${spec.customBuild} build done in ${took}`);
    return { taskRoot: out, origin: `built with ${spec.customBuild} in ${took}` };
  } catch (error) {
    // The reason is in the report (or the error the start fails with): this line only closes the one that started.
    where.progress?.(`${spec.logicalId}: ${spec.customBuild} build failed after ${buildDuration(now() - started)}`);
    const message = (error as Error).message;
    const sourcesRun = !isCustomRuntime(spec.runtime) && error instanceof MissingTool;
    if (fallback.taskRoot === samBuilt || sourcesRun) {
      return { taskRoot: fallback.taskRoot, origin: `${fallback.origin}: its ${spec.customBuild} build here failed (${message.split('\n').slice(0, 2).join(' ')})` };
    }
    const what = error instanceof MissingTool && error.command === 'Makefile' ? 'add one' : 'install it';
    const hint = error instanceof MissingTool ? `: ${what}, or run sam build (the function then runs from ${relative(dirname(where.templatePath), samBuilt) || '.'})` : '';
    // The go1.x runtime is built with Go without any Metadata: its Runtime is what asks for the build.
    const key = spec.runtime === 'go1.x' ? 'Properties.Runtime' : 'Metadata.BuildMethod';
    throw new TemplateError(where.templatePath, `Resources.${spec.logicalId}.${key}`, `${spec.customBuild} build: ${message}${hint}`);
  }
}
