import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchSources } from '../../../emulator/lambda/source-watch.js';
import { unwatchedNotice } from '../../../emulator/lambda/code-changes.js';

/** The source files whose change was reported, in order, and a way to wait for one. */
function recorder(): { isSource: (name: string) => boolean; onChange: () => void; seen: (name: string) => Promise<void>; changed: Set<string> } {
  let last = '';
  const changed = new Set<string>();
  const waiting = new Map<string, () => void>();
  return {
    isSource: (name) => {
      last = name;
      return name.endsWith('.js');
    },
    onChange: () => {
      changed.add(last);
      waiting.get(last)?.();
    },
    changed,
    seen: (name) => (changed.has(name) ? Promise.resolve() : new Promise((resolve) => waiting.set(name, resolve))),
  };
}

describe('watchSources', () => {
  // git checkout of another branch, or rm -rf lib && cp -r ...: the folder is a new one under the same name, and the
  // watcher of the removed one watches nothing any more (Linux reports its removal as a rename, not as an error).
  it('a subfolder removed and made again is watched again', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'source-watch-'));
    mkdirSync(join(dir, 'lib'));
    const { isSource, onChange, seen, changed } = recorder();
    const watch = watchSources(dir, isSource, onChange);

    // Act
    rmSync(join(dir, 'lib'), { recursive: true });
    mkdirSync(join(dir, 'lib'));
    // Events of one process's watchers come in order: once this one is seen, the folder's re-creation has been too.
    writeFileSync(join(dir, 'marker.js'), '');
    await seen('marker.js');
    writeFileSync(join(dir, 'lib', 'greeting.js'), 'export const greeting = "v2";\n');
    await seen('greeting.js');
    watch.close();
    rmSync(dir, { recursive: true, force: true });

    // Assess (without the change in the new folder reported, the wait above times out)
    expect([...changed]).toContain('greeting.js');
  });

  // As one there at the start (readdir's entry of a symlink is no folder): a link to an ancestor or to the home folder
  // would otherwise have every folder under its target read and watched, on the gateway's thread.
  it('a symlink to a folder made after the start is not followed, as one there at the start is not', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'source-watch-'));
    const outside = mkdtempSync(join(tmpdir(), 'source-watch-outside-'));
    const { isSource, onChange, seen, changed } = recorder();
    const watch = watchSources(dir, isSource, onChange);

    // Act
    symlinkSync(outside, join(dir, 'linked'));
    writeFileSync(join(dir, 'marker.js'), '');
    await seen('marker.js');
    writeFileSync(join(outside, 'elsewhere.js'), '');
    writeFileSync(join(dir, 'after.js'), '');
    await seen('after.js');
    watch.close();
    rmSync(dir, { recursive: true, force: true });
    rmSync(outside, { recursive: true, force: true });

    // Assess
    expect([...changed]).toEqual(['marker.js', 'after.js']);
  });
});

/** A fake fs.watch that records the folders watched and watches nothing. */
function recordingWatch(): { watched: string[]; watch: typeof import('node:fs').watch } {
  const watched: string[] = [];
  const watch = ((folder: string) => {
    watched.push(folder);
    return { on: () => undefined, close: () => undefined };
  }) as never;
  return { watched, watch };
}

describe('watchSources: the folders watched', () => {
  // `pip install -r requirements.txt -t .` beside the handler: thousands of files in folders the developer never edits,
  // each folder an inotify watch (8,192 by default on many systems).
  it('skips the packages pip vendored into the function folder (named by their *.dist-info/RECORD or *.egg-info/top_level.txt), their metadata and caches, and watches the code folders', () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'source-watch-vendored-'));
    for (const folder of ['lib', 'requests/adapters', 'charset_normalizer/cli', 'requests-2.32.3.dist-info', 'charset_normalizer-3.3.2.dist-info', '__pycache__', 'legacy/sub', 'legacy_pkg-1.0.egg-info']) mkdirSync(join(dir, folder), { recursive: true });
    writeFileSync(join(dir, 'legacy_pkg-1.0.egg-info/top_level.txt'), 'legacy\n');
    writeFileSync(join(dir, 'requests-2.32.3.dist-info/RECORD'), 'requests/__init__.py,sha256=x,494\nrequests/adapters/x.py,sha256=y,1\nrequests-2.32.3.dist-info/METADATA,sha256=z,2\n');
    writeFileSync(join(dir, 'charset_normalizer-3.3.2.dist-info/RECORD'), 'charset_normalizer/__init__.py,,\n../../bin/normalizer,,\n');
    const { watched, watch } = recordingWatch();

    // Act
    watchSources(dir, () => true, () => undefined, { watch }).close();
    rmSync(dir, { recursive: true, force: true });

    // Assess
    expect(watched.map((f) => relative(dir, f)).sort()).toEqual(['', 'lib']);
  });
});

describe('watchSources: pip install -t . while it runs', () => {
  it('a package folder is no longer watched once its *.dist-info arrives', async () => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'source-watch-pip-'));
    const { isSource, onChange, seen, changed } = recorder();
    const watch = watchSources(dir, isSource, onChange);

    // Act (each marker's event comes after those of what was written before it)
    mkdirSync(join(dir, 'pkg'));
    writeFileSync(join(dir, 'marker1.js'), '');
    await seen('marker1.js');
    mkdirSync(join(dir, 'pkg-1.0.dist-info'));
    writeFileSync(join(dir, 'pkg-1.0.dist-info/RECORD'), 'pkg/__init__.py,,\npkg/mod.js,,\n');
    writeFileSync(join(dir, 'marker2.js'), '');
    await seen('marker2.js');
    writeFileSync(join(dir, 'pkg/mod.js'), '');
    writeFileSync(join(dir, 'marker3.js'), '');
    await seen('marker3.js');
    watch.close();
    rmSync(dir, { recursive: true, force: true });

    // Assess
    expect([...changed]).toEqual(['marker1.js', 'marker2.js', 'marker3.js']);
  });
});

describe('watchSources: a folder that cannot be watched', () => {
  it.each([
    { code: 'ENOSPC', message: 'System limit for number of file watchers reached' },
    { code: 'EMFILE', message: 'too many open files' },
  ])('$code from fs.watch is reported with the folder, never swallowed', ({ code, message }) => {
    // Prepare
    const dir = mkdtempSync(join(tmpdir(), 'source-watch-limit-'));
    mkdirSync(join(dir, 'lib'));
    const errors: string[] = [];
    const watch = ((folder: string) => {
      throw Object.assign(new Error(`${code}: ${message}, watch '${folder}'`), { code });
    }) as never;

    // Act
    watchSources(dir, () => true, () => undefined, { watch, onWatchError: (folder, error) => errors.push(`${relative(dir, folder)} ${error.code}`) }).close();
    rmSync(dir, { recursive: true, force: true });

    // Assess
    expect(errors).toEqual([` ${code}`, `lib ${code}`]);
  });

  it('a folder removed between its listing and its watch (ENOENT) is not reported', () => {
    const dir = mkdtempSync(join(tmpdir(), 'source-watch-gone-'));
    const errors: unknown[] = [];
    const watch = (() => {
      throw Object.assign(new Error('ENOENT: no such file or directory'), { code: 'ENOENT' });
    }) as never;

    watchSources(dir, () => true, () => undefined, { watch, onWatchError: (...args) => errors.push(args) }).close();
    rmSync(dir, { recursive: true, force: true });

    expect(errors).toEqual([]);
  });
});

describe('unwatchedNotice', () => {
  it.each([
    { code: 'ENOSPC', want: /^cannot watch \/app\/src for code changes \(ENOSPC\): the system limit on inotify watches is reached: raise it \(sudo sysctl fs\.inotify\.max_user_watches=524288.*\); Fn runs/ },
    { code: 'EMFILE', want: /^cannot watch \/app\/src for code changes \(EMFILE\): .*fs\.inotify\.max_user_instances.*ulimit -n.*; Fn runs/ },
  ])('$code names the folder and the fix', ({ code, want }) => {
    expect(unwatchedNotice('/app/src', Object.assign(new Error(code), { code }), 'Fn runs ...')).toMatch(want);
  });
});
