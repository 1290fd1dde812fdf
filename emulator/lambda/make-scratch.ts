/**
 * The scratch copies makefile builds run in (`sam build` copies the code to a scratch folder too, so that a build
 * writes nothing into the sources). Each is named after the gateway that made it (`sam-make-<pid>-XXXXXX` in the
 * temp folder) and removed when its build ends, when the gateway exits, and on SIGINT/SIGTERM even while the start
 * is still building; one a SIGKILLed gateway left is removed by the next gateway that runs a makefile build, once no
 * live process has its pid. A live gateway's folders are never touched by another.
 */
import { type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { processAlive } from './function-processes.js';

const PREFIX = 'sam-make-';
const OWNED = /^sam-make-(\d+)-/;

/** This process's scratch folders and the builds running in them: removed and ended when it exits. */
const folders = new Set<string>();
const builds = new Set<ChildProcess>();
let installed = false;

/**
 * Removes the scratch folders left in `dir` by gateways that are gone (SIGKILLed, or a machine stopped mid-build):
 * those whose owner pid no live process has. Returns the folders removed. Folders of another naming (an older
 * gateway's, without a pid) are left as they are: nothing says whose they are.
 */
export function sweepLeftScratch(dir = tmpdir(), isAlive: (pid: number) => boolean = processAlive): string[] {
  let entries: string[];
  try {
    entries = readdirSync(dir);
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of entries) {
    const owner = OWNED.exec(name)?.[1];
    if (owner === undefined || Number(owner) === process.pid || isAlive(Number(owner))) continue;
    try {
      rmSync(join(dir, name), { recursive: true, force: true });
      removed.push(join(dir, name));
    } catch {
      // Another gateway's sweep got there first, or a folder not ours to remove (another user's).
    }
  }
  return removed;
}

/** Ends the running builds and removes every scratch folder of this process (synchronous: it runs at exit too). */
function cleanUp(): void {
  for (const child of builds) if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
  builds.clear();
  for (const folder of folders) rmSync(folder, { recursive: true, force: true });
  folders.clear();
}

/**
 * On SIGINT/SIGTERM when nothing else listens for the signal (the start is still building, before the CLI's own
 * shutdown is set up): clean up, then die of it as the default action would have. When another listener is there
 * (the CLI's shutdown, an application that started the gateway), it decides: the process may go on, its builds with
 * it, and 'exit' cleans up if it does not.
 */
function onSignal(signal: NodeJS.Signals): void {
  if (process.listenerCount(signal) > 1) return;
  cleanUp();
  process.removeListener('SIGINT', onSignal);
  process.removeListener('SIGTERM', onSignal);
  process.kill(process.pid, signal);
}

function install(): void {
  if (installed) return;
  installed = true;
  process.on('exit', cleanUp);
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  sweepLeftScratch();
}

/** A new scratch folder for a makefile build, removed at the latest when this process exits. */
export function makeScratch(): string {
  install();
  const folder = mkdtempSync(join(tmpdir(), `${PREFIX}${process.pid}-`));
  folders.add(folder);
  return folder;
}

/** The build ended: its scratch folder goes. */
export function dropScratch(folder: string): void {
  folders.delete(folder);
  rmSync(folder, { recursive: true, force: true });
}

/** A build process running in a scratch folder: ended with the gateway if still running. */
export function trackBuild(child: ChildProcess): void {
  builds.add(child);
  child.once('exit', () => builds.delete(child));
}
