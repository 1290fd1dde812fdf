/**
 * The watchers behind code-changes.ts: each function's code folder (source-watch.ts) and `sam build`'s output, with
 * the one notice for a folder that cannot be watched.
 */
import { existsSync, watch } from 'node:fs';
import { join } from 'node:path';
import { unwatchedNotice, type CodeChanges } from './code-changes.js';
import { watchSources } from './source-watch.js';

export interface CodeWatchOptions {
  /** `--warm-containers`: what a function whose folder cannot be watched does (said in the notice). */
  warmContainers?: 'EAGER' | 'LAZY';
  /** Each change seen, as it comes (tests wait for it instead of sleeping). */
  onCodeChange?: (logicalId: string, path: string) => void;
  notice: (line: string) => void;
  /** fs.watch (tests give one that fails as a machine out of inotify watches does). */
  watchFolder?: typeof watch;
}

/** The fs watchers of one stack's functions (`sam local`'s LambdaFunctionObserver, without Docker images to watch). */
export class CodeWatchers {
  private readonly watchers: { close(): void }[] = [];
  /** Said once: past inotify's limit every other folder fails too. */
  private unwatchedSaid = false;
  private closed = false;

  constructor(private readonly options: CodeWatchOptions) {}

  /** A function's code folder: each change to a file `isSource` accepts goes to `changes`. */
  watch(logicalId: string, changes: CodeChanges, folder: string, isSource: (name: string) => boolean): void {
    if (this.closed) return;
    const onChange = (path: string): void => {
      changes.changed(path);
      this.options.onCodeChange?.(logicalId, path);
    };
    const onWatchError = (dir: string, error: NodeJS.ErrnoException): void => {
      changes.unwatched = true;
      if (this.unwatchedSaid) return;
      this.unwatchedSaid = true;
      const consequence = this.options.warmContainers
        ? `${logicalId} keeps the code its warm environments loaded until the gateway restarts`
        : `${logicalId} runs each request in a new environment (as sam local without --warm-containers): slower, never stale`;
      this.options.notice(unwatchedNotice(dir, error, consequence));
    };
    this.watchers.push(watchSources(folder, isSource, onChange, { onWatchError, ...(this.options.watchFolder ? { watch: this.options.watchFolder } : {}) }));
  }

  /**
   * `sam build` run again while the gateway runs rewrites `template.yaml` in its output last: every function (some run
   * from that output, or import its packages and layers) gets new environments at its next request.
   */
  watchSamBuild(samBuild: string, functions: () => Iterable<[string, CodeChanges | undefined]>): void {
    if (this.closed || !existsSync(samBuild)) return;
    const template = join(samBuild, 'template.yaml');
    try {
      const watcher = (this.options.watchFolder ?? watch)(samBuild, (_event, name) => {
        if (name !== 'template.yaml') return;
        for (const [logicalId, changes] of functions()) {
          changes?.changed(template);
          this.options.onCodeChange?.(logicalId, template);
        }
      });
      watcher.on('error', () => watcher.close());
      this.watchers.push(watcher);
    } catch {
      // The functions' own folders are still watched; one that cannot be is said there.
    }
  }

  close(): void {
    this.closed = true;
    for (const watcher of this.watchers.splice(0)) watcher.close();
  }
}
