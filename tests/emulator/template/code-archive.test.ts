/** Code archives' symlink entries (emulator/template/code-archive.ts), as sam local extracts them (samcli/local/lambdafn/zip.py _is_symlink, _extract). */
import { lstatSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { extractCodeArchive } from '../../../emulator/template/code-archive.js';
import { zipOf } from '../../support/zip.js';

function archive(entries: Parameters<typeof zipOf>[0]): { file: string; root: string } {
  const dir = mkdtempSync(join(tmpdir(), 'code-archive-'));
  const file = join(dir, 'layer.zip');
  writeFileSync(file, zipOf(entries));
  return { file, root: join(dir, 'root') };
}

describe('symlink entries (Unix type 0xA in the external attributes)', () => {
  it('are extracted as symlinks to the target they hold, as sam local does (a layer library libx.so -> libx.so.1)', () => {
    const { file, root } = archive([
      { name: 'lib/libx.so.1', content: 'ELF' },
      { name: 'lib/libx.so', content: 'libx.so.1', symlink: true },
    ]);
    const dir = extractCodeArchive(file, root);
    expect(lstatSync(join(dir, 'lib/libx.so')).isSymbolicLink()).toBe(true);
    expect(readlinkSync(join(dir, 'lib/libx.so'))).toBe('libx.so.1');
    expect(readFileSync(join(dir, 'lib/libx.so'), 'utf8')).toBe('ELF');
  });

  it('an entry under a symlink pointing outside is refused: nothing is written through it, nothing left behind', () => {
    const outside = mkdtempSync(join(tmpdir(), 'code-archive-outside-'));
    const { file, root } = archive([
      { name: 'out', content: outside, symlink: true },
      { name: 'out/a/escaped', content: 'x', symlink: true },
      { name: 'out/written', content: 'x' },
    ]);
    expect(() => extractCodeArchive(file, root)).toThrow(/names a path through a symlink/);
    expect(readdirSync(outside)).toEqual([]);
    expect(readdirSync(root)).toEqual([]);
  });
});
