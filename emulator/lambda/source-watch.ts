/**
 * The code folders of functions run as they are (plain Node.js, Python, custom runtimes): a changed source file retires
 * the function's warm environments (code-changes.ts), as `sam local`'s file observer stops a warm container whose code
 * changed. One non-recursive watcher per folder: node's recursive watch on Linux (Node 20) stats every file and opens
 * a watcher for each, thousands in a folder with node_modules or vendored packages.
 */
import { lstatSync, readdirSync, readFileSync, watch, type Dirent, type FSWatcher } from 'node:fs';
import { join, sep } from 'node:path';

/** Folders never watched: installed packages, caches and build outputs, which change only when the developer installs or builds. */
const SKIPPED = new Set(['node_modules', '__pycache__', '.aws-sam', '.git', '.venv', 'venv', 'site-packages']);

/** pip's metadata folders (`pip install -t .` writes one beside each package it installs). */
const PIP_METADATA = /\.(?:dist-info|egg-info)$/;

/** Whether `path` is a folder itself, not a symlink to one (false when it is gone or cannot be looked at). */
function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

/**
 * The folders `pip install -t <folder>` put there (`requirements.txt` vendored beside the handler, as `sam build`
 * does into its output): the top-level names in each `*.dist-info/RECORD` (`requests/api.py,...` -> `requests`), or
 * in the `top_level.txt` of an `*.egg-info` (a legacy setup.py install). Thousands of files the developer does not
 * edit; watching them would spend the inotify watches on nothing.
 */
function vendoredPackages(folder: string, entries: Dirent[]): Set<string> {
  const names = new Set<string>();
  for (const entry of entries) {
    if (!entry.isDirectory() || !PIP_METADATA.test(entry.name)) continue;
    const listing = entry.name.endsWith('.dist-info') ? 'RECORD' : 'top_level.txt';
    let text: string;
    try {
      text = readFileSync(join(folder, entry.name, listing), 'utf8');
    } catch {
      continue;
    }
    for (const line of text.split('\n')) {
      const top = line.split(/[/,]/, 1)[0]?.trim();
      if (top && !top.startsWith('..') && top !== entry.name) names.add(top);
    }
  }
  return names;
}

/** Whether a folder of this name is skipped at every depth (installed packages, caches, hidden folders). */
function skipped(name: string): boolean {
  return SKIPPED.has(name) || name.startsWith('.') || PIP_METADATA.test(name);
}

export interface SourceWatch {
  close(): void;
}

export interface SourceWatchOptions {
  /** fs.watch (tests give one that fails as a machine out of inotify watches does). */
  watch?: typeof watch;
  /** A folder that cannot be watched for a reason other than being gone (ENOSPC, EMFILE, EACCES): its changes go unseen. */
  onWatchError?: (folder: string, error: NodeJS.ErrnoException) => void;
}

/** A watch error that only says the folder is gone (removed, or replaced by a file) since it was listed. */
function gone(error: NodeJS.ErrnoException): boolean {
  return error.code === 'ENOENT' || error.code === 'ENOTDIR';
}

/**
 * Watches `dir` and its folders (except SKIPPED, hidden, pip metadata and vendored package folders) and calls
 * `onChange` with the path of each changed file that `isSource` accepts, as each event comes (callers coalesce them).
 */
export function watchSources(dir: string, isSource: (name: string) => boolean, onChange: (path: string) => void, options: SourceWatchOptions = {}): SourceWatch {
  const watchers = new Map<string, FSWatcher>();
  const watchFolder = options.watch ?? watch;
  let closed = false;
  const failed = (folder: string, error: NodeJS.ErrnoException): void => {
    if (!gone(error)) options.onWatchError?.(folder, error);
  };
  const add = (folder: string, vendored: Set<string>): void => {
    if (closed || watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watchFolder(folder, (event, name) => {
        if (typeof name !== 'string') return;
        const child = join(folder, name);
        if (isSource(name)) return onChange(child);
        // `pip install -t .` after the start: the packages its metadata lists are no longer watched.
        if (PIP_METADATA.test(name) && isRealFolder(child)) return unwatchVendored(folder, vendored);
        if (skipped(name) || vendored.has(name)) return;
        // A folder removed (git checkout, rm -rf and a copy) is reported on Linux as a rename, not as an error: its
        // watcher and those under it watch nothing any more, and one made again under its name is a new folder.
        if (event === 'rename') drop(child);
        // A folder created after the start (a new module's package): watched from now on. A symlink is not followed, as
        // the start's readdir entries are not (one to an ancestor or the home folder would have all under it watched).
        if (isRealFolder(child)) addTree(child);
      });
    } catch (error) {
      return failed(folder, error as NodeJS.ErrnoException);
    }
    // A watched folder removed: its watcher ends, the rest go on.
    watcher.on('error', (error: NodeJS.ErrnoException) => {
      watcher.close();
      watchers.delete(folder);
      failed(folder, error);
    });
    watchers.set(folder, watcher);
  };
  /** Stops watching `folder` and the folders under it. */
  const drop = (folder: string): void => {
    for (const [path, watcher] of watchers) {
      if (path !== folder && !path.startsWith(folder + sep)) continue;
      watcher.close();
      watchers.delete(path);
    }
  };
  const unwatchVendored = (folder: string, vendored: Set<string>): void => {
    try {
      for (const name of vendoredPackages(folder, readdirSync(folder, { withFileTypes: true }))) {
        vendored.add(name);
        drop(join(folder, name));
      }
    } catch {
      // gone since its event
    }
  };
  const addTree = (folder: string): void => {
    let entries: Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    const vendored = vendoredPackages(folder, entries);
    add(folder, vendored);
    for (const entry of entries) {
      if (entry.isDirectory() && !skipped(entry.name) && !vendored.has(entry.name)) addTree(join(folder, entry.name));
    }
  };
  addTree(dir);
  return {
    close: () => {
      closed = true;
      for (const watcher of watchers.values()) watcher.close();
      watchers.clear();
    },
  };
}
