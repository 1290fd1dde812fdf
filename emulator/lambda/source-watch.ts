/**
 * `--watch` for functions that run their folder as it is (plain Node.js, Python): a changed source file retires the
 * function's warm environments, and the next request starts one that loads the code anew, as `sam local` with warm
 * containers reloads on a change. One non-recursive watcher per folder: node's recursive watch on Linux (Node 20)
 * stats every file and opens a watcher for each, thousands in a folder with node_modules or vendored packages.
 */
import { lstatSync, readdirSync, watch, type FSWatcher } from 'node:fs';
import { join, sep } from 'node:path';

/** Folders never watched: installed packages, caches and build outputs, which change only when the developer installs or builds. */
const SKIPPED = new Set(['node_modules', '__pycache__', '.aws-sam', '.git', '.venv', 'venv', 'site-packages']);

/** Whether `path` is a folder itself, not a symlink to one (false when it is gone or cannot be looked at). */
function isRealFolder(path: string): boolean {
  try {
    return lstatSync(path, { throwIfNoEntry: false })?.isDirectory() ?? false;
  } catch {
    return false;
  }
}

export interface SourceWatch {
  close(): void;
}

/** Watches `dir` and its folders (except SKIPPED and dot folders) and calls `onChange` for a changed file that `isSource` accepts. */
export function watchSources(dir: string, isSource: (name: string) => boolean, onChange: () => void): SourceWatch {
  const watchers = new Map<string, FSWatcher>();
  let closed = false;
  const add = (folder: string): void => {
    if (closed || watchers.has(folder)) return;
    let watcher: FSWatcher;
    try {
      watcher = watch(folder, (event, name) => {
        if (typeof name !== 'string') return;
        if (isSource(name)) return onChange();
        if (SKIPPED.has(name) || name.startsWith('.')) return;
        const child = join(folder, name);
        // A folder removed (git checkout, rm -rf and a copy) is reported on Linux as a rename, not as an error: its
        // watcher and those under it watch nothing any more, and one made again under its name is a new folder.
        if (event === 'rename') drop(child);
        // A folder created after the start (a new module's package): watched from now on. A symlink is not followed, as
        // the start's readdir entries are not (one to an ancestor or the home folder would have all under it watched).
        if (isRealFolder(child)) addTree(child);
      });
    } catch {
      return; // not a folder (a file's rename event), or gone already
    }
    // A watched folder removed: its watcher ends, the rest go on.
    watcher.on('error', () => {
      watcher.close();
      watchers.delete(folder);
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
  const addTree = (folder: string): void => {
    let entries: import('node:fs').Dirent[];
    try {
      entries = readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    add(folder);
    for (const entry of entries) {
      if (entry.isDirectory() && !SKIPPED.has(entry.name) && !entry.name.startsWith('.')) addTree(join(folder, entry.name));
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
