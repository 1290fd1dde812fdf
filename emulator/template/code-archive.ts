/**
 * A function's code given as a .zip (or .jar) archive (`CodeUri: src/code.zip`, `Code: ./code.zip`): AWS deploys the
 * archive as the function's package, and `sam local` unzips it into a folder of its own and runs the function from
 * there (aws-sam-cli samcli/local/lambdafn/runtime.py `_get_code_dir`, SUPPORTED_ARCHIVE_EXTENSIONS .zip/.jar, the
 * entries' Unix permissions kept). Here the archive is extracted once, at start, into a folder named after the
 * archive's SHA-256 under the system's temporary folder, so an unchanged archive is not extracted again.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, lstatSync, mkdirSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { inflateRawSync } from 'node:zlib';

/** The archive extensions `sam local` unzips (case as SAM lists them: .zip, .jar, .ZIP, .JAR). */
export const isCodeArchive = (path: string): boolean => /\.(zip|jar|ZIP|JAR)$/.test(path);

/** Lambda's limit on a function's unzipped code (layers included): a larger archive could not deploy. */
const MAX_UNZIPPED_BYTES = 262_144_000;

const END_OF_CENTRAL_DIRECTORY = 0x06054b50;
const CENTRAL_ENTRY = 0x02014b50;
const LOCAL_HEADER = 0x04034b50;

interface Entry {
  name: string;
  method: number;
  compressedSize: number;
  offset: number;
  mode: number;
  /** Unix file type 0xA in the external attributes' top bits: the entry's content is the link's target. */
  symlink: boolean;
}

/** The central directory's entries; an archive this reader cannot take (ZIP64, encrypted, damaged) throws why. */
function entriesOf(zip: Buffer): Entry[] {
  // The end-of-central-directory record is in the last 22 + 65535 bytes (its comment is at most 65535 bytes).
  let end = -1;
  for (let i = zip.length - 22; i >= Math.max(0, zip.length - 22 - 0xffff); i--) {
    if (zip.readUInt32LE(i) === END_OF_CENTRAL_DIRECTORY) {
      end = i;
      break;
    }
  }
  if (end < 0) throw new Error('not a zip archive (no end of central directory)');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  if (count === 0xffff || at === 0xffffffff) throw new Error('a ZIP64 archive, which is not read locally');
  const entries: Entry[] = [];
  for (let i = 0; i < count; i++) {
    if (at + 46 > zip.length || zip.readUInt32LE(at) !== CENTRAL_ENTRY) throw new Error('a damaged central directory');
    const flags = zip.readUInt16LE(at + 8);
    const nameLength = zip.readUInt16LE(at + 28);
    const name = zip.toString(flags & 0x800 ? 'utf8' : 'latin1', at + 46, at + 46 + nameLength);
    if (flags & 0x1) throw new Error(`${name} is encrypted`);
    entries.push({ name, method: zip.readUInt16LE(at + 10), compressedSize: zip.readUInt32LE(at + 20), offset: zip.readUInt32LE(at + 42), mode: (zip.readUInt32LE(at + 38) >>> 16) & 0o777, symlink: zip.readUInt32LE(at + 38) >>> 28 === 0xa });
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return entries;
}

/** One entry's bytes: stored (0) or deflated (8), the two methods Lambda's packaging tools write. */
function contentOf(zip: Buffer, entry: Entry, room: number): Buffer {
  if (zip.readUInt32LE(entry.offset) !== LOCAL_HEADER) throw new Error(`${entry.name}: a damaged local header`);
  const start = entry.offset + 30 + zip.readUInt16LE(entry.offset + 26) + zip.readUInt16LE(entry.offset + 28);
  const data = zip.subarray(start, start + entry.compressedSize);
  if (entry.method === 0) return data;
  // Bounded, so that an archive that inflates without end (a zip bomb) is refused instead of filling the disk.
  if (entry.method === 8) return inflateRawSync(data, { maxOutputLength: Math.max(1, room) });
  throw new Error(`${entry.name}: compression method ${entry.method} is not read locally`);
}

/** Refuses an entry whose path crosses a symlink already extracted: writing there could land outside `dir`. */
function throughNoSymlink(dir: string, target: string, name: string): void {
  let at = dir;
  for (const part of relative(dir, dirname(target)).split(sep).filter((p) => p !== '')) {
    at = join(at, part);
    if (lstatOf(at)?.isSymbolicLink()) throw new Error(`${name} names a path through a symlink`);
  }
}

const lstatOf = (path: string) => lstatSync(path, { throwIfNoEntry: false });

/**
 * Extracts the archive's entries under `dir`; an entry naming a path outside it (`../x`, `/x`) or through one of its
 * symlinks is refused. Symlink entries become symlinks, as `sam local` makes them (samcli/local/lambdafn/zip.py
 * `_is_symlink`, `_extract`): a layer's `libx.so -> libx.so.1` must stay a link, not a file holding its target's name.
 */
function extractTo(zip: Buffer, dir: string, limit: number): void {
  let written = 0;
  for (const entry of entriesOf(zip)) {
    const target = resolve(dir, entry.name);
    if (target !== dir && !target.startsWith(dir + sep)) throw new Error(`${entry.name} names a path outside the archive's folder`);
    throughNoSymlink(dir, target, entry.name);
    if (entry.name.endsWith('/')) {
      mkdirSync(target, { recursive: true });
      continue;
    }
    mkdirSync(dirname(target), { recursive: true });
    let content: Buffer;
    try {
      content = contentOf(zip, entry, limit - written);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE') throw new Error(`unzipped, it is over Lambda's ${limit} bytes`);
      throw error;
    }
    written += content.length;
    if (written > limit) throw new Error(`unzipped, it is over Lambda's ${limit} bytes`);
    if (entry.symlink) {
      // A later entry of the same name replaces the earlier one, as sam's _extract removes it first.
      const existing = lstatOf(target);
      if (existing && !existing.isDirectory()) rmSync(target);
      symlinkSync(content.toString('utf8'), target);
      continue;
    }
    if (lstatOf(target)?.isSymbolicLink()) rmSync(target);
    writeFileSync(target, content);
    // Unix permissions as the archive records them (a custom runtime's bootstrap must stay executable).
    if (entry.mode !== 0) chmodSync(target, entry.mode);
  }
}

/** Extracts a function's code archive (once per content) and returns the folder the function runs from. */
export function extractCodeArchive(file: string, root = join(tmpdir(), `sam-local-gateway-code-${process.getuid?.() ?? 'user'}`), limit = MAX_UNZIPPED_BYTES): string {
  const zip = readFileSync(file);
  // The temporary folder is shared: code is run only from a folder of this user's own, closed to others.
  mkdirSync(root, { recursive: true, mode: 0o700 });
  // A real folder (no symlink to elsewhere) of this user's, that no one else may write into.
  const own = lstatSync(root);
  if (!own.isDirectory() || (process.getuid && own.uid !== process.getuid()) || (own.mode & 0o022) !== 0) throw new Error(`${root} is not a folder of this user's that others cannot write to: its code is not run`);
  const dir = join(root, createHash('sha256').update(zip).digest('hex').slice(0, 32));
  if (existsSync(dir)) return dir;
  // Into a fresh folder first, renamed when complete: a start that stops half-way leaves no half-extracted code.
  const partial = `${dir}.${process.pid}.partial`;
  rmSync(partial, { recursive: true, force: true });
  mkdirSync(partial, { recursive: true });
  try {
    extractTo(zip, resolve(partial), limit);
    renameSync(partial, dir);
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    // Another process extracting the same archive at the same time won the rename: its folder is the same code.
    if (existsSync(dir)) return dir;
    throw error;
  }
  return dir;
}
