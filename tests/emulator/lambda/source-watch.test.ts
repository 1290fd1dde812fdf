import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { watchSources } from '../../../emulator/lambda/source-watch.js';

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
