/**
 * What a function's code watch saw between two requests. `sam local` without --warm-containers starts a container per
 * invocation, so each runs the code as it is on disk (aws-sam-cli samcli/local/lambdafn/runtime.py, LambdaRuntime:
 * `_on_invoke_done` stops the container); with --warm-containers its file observer stops a warm container whose code
 * changed, the next one started lazily (WarmLambdaRuntime `_on_code_change`). Here environments stay warm in every mode,
 * for speed, and the changes seen since the last request retire them before the next one: a burst of changes (a save
 * of many files, a git checkout) is one reload, at the request that follows it.
 */
import { relative } from 'node:path';

/**
 * A pass through the event loop's poll phase, where file events are read: a change the kernel queued before this call
 * (a save just before the request) is seen first. One setImmediate runs in the current turn's check phase, which may
 * come before any new poll when the save happened in this turn; the second runs after the next turn's poll.
 */
export const fileEventsRead = (): Promise<void> => new Promise((resolve) => setImmediate(() => setImmediate(resolve)));

/** One function's code changes since its last request, as `sam local`'s observer tells a warm container's code changed. */
export class CodeChanges {
  /** Changed files not yet acted on -> whether one of the changes came while the function was running. */
  private readonly pending = new Map<string, boolean>();
  /** Files whose change (seen while the function ran) caused the last reload: their change in the next run is the function's own. */
  private suspects = new Set<string>();
  /** Files the function writes itself while it runs: not changes to its code. */
  private readonly ownWrites = new Set<string>();
  private running = 0;
  /** Set when a folder of the function's code could not be watched: its changes go unseen. */
  unwatched = false;

  constructor(
    private readonly logicalId: string,
    private readonly codeDir: string,
    private readonly notice: (line: string) => void,
  ) {}

  /** A file of the function's code changed on disk. */
  changed(path: string): void {
    if (this.ownWrites.has(path)) return;
    const whileRunning = this.running > 0;
    // Lambda's code folder is read-only; here a function can write into its own, and each write would retire the
    // environment that made it: every request cold, for ever. A file that changes again in the run its own change
    // caused is the function's, and left alone from then on.
    if (whileRunning && this.suspects.has(path)) {
      this.ownWrites.add(path);
      this.suspects.delete(path);
      this.pending.delete(path);
      const file = relative(this.codeDir, path) || path;
      this.notice(`${this.logicalId} writes ${file} into its code folder while it runs (on Lambda that folder is read-only: write under /tmp): changes to ${file} no longer reload ${this.logicalId}`);
      return;
    }
    this.pending.set(path, (this.pending.get(path) ?? false) || whileRunning);
  }

  /** An invocation starts (call `end` when it is over). */
  begin(): void {
    this.running += 1;
  }

  /** An invocation is over; its own writes, whose events may still be queued, count as made while it ran. */
  end(): void {
    void fileEventsRead().then(() => {
      this.running -= 1;
      if (this.running === 0) this.suspects.clear();
    });
  }

  /** The files changed since the last call (empty when none): the function's warm environments are then retired. */
  take(): string[] {
    if (this.pending.size === 0) return [];
    this.suspects = new Set([...this.pending].filter(([, whileRunning]) => whileRunning).map(([path]) => path));
    const files = [...this.pending.keys()];
    this.pending.clear();
    return files;
  }
}

/**
 * The one line said when a code folder cannot be watched: which folder, why, and the fix (inotify's limits on Linux:
 * max_user_watches for ENOSPC, max_user_instances or the open files limit for EMFILE).
 */
export function unwatchedNotice(folder: string, error: NodeJS.ErrnoException, consequence: string): string {
  const fix =
    error.code === 'ENOSPC'
      ? 'the system limit on inotify watches is reached: raise it (sudo sysctl fs.inotify.max_user_watches=524288, and in /etc/sysctl.conf to keep it)'
      : error.code === 'EMFILE'
        ? 'too many inotify instances or open files: raise fs.inotify.max_user_instances (sudo sysctl fs.inotify.max_user_instances=512) or the open files limit (ulimit -n)'
        : error.message;
  return `cannot watch ${folder} for code changes (${error.code ?? 'error'}): ${fix}; ${consequence}`;
}
