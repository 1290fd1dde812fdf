#!/usr/bin/env node
/**
 * Compile the gateway's TypeScript to JavaScript in emulator/dist/ (bundled ES modules, see ENTRIES), so that the
 * CLI runs with no TypeScript loader. Skipped when dist/ was built from the same sources (a stamp of every
 * source's path, size and mtime): `npm start`, `npm test` and vitest's global setup call it freely.
 * `--force` rebuilds anyway. The new tree is written beside dist/ and swapped in, so a concurrent reader
 * never sees a half-written file.
 */
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const DIST = join(ROOT, 'dist');
const STAMP = '.build-stamp';
const SKIP = new Set(['dist', 'node_modules', 'scripts']);
/**
 * What runs as a file of its own: the CLI, the package's API (exports), an execution environment's entry (forked)
 * and the services thread's entry. Everything else is bundled into them, with the code they share in chunks at the
 * root of dist/: one file to load per entry instead of ~140 modules (about a third of the time to ready went on
 * resolving and linking them).
 */
const ENTRIES = ['cli.ts', 'app.ts', 'lambda/worker.ts', 'services/thread-entry.ts'];
/** Files the gateway runs as they are, copied to the same place under dist/: Python's runtime interface client. */
const COPIED = ['lambda/python-bootstrap.py'];

function sources(dir = ROOT) {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    if (entry.name.startsWith('.') || SKIP.has(entry.name)) return [];
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts') ? [path] : [];
  });
}

function stampOf(files) {
  const hash = createHash('sha256');
  for (const file of [...files, ...COPIED.map((c) => join(ROOT, c)), fileURLToPath(import.meta.url)].sort()) {
    const { size, mtimeMs } = statSync(file);
    hash.update(`${relative(ROOT, file)}\0${size}\0${mtimeMs}\n`);
  }
  return hash.digest('hex');
}

function moveIfPresent(from, to) {
  try {
    renameSync(from, to);
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
}

/** Build dist/ unless it is up to date; returns true when it compiled. */
export async function build({ force = false } = {}) {
  const files = sources();
  const stamp = stampOf(files);
  const stampFile = join(DIST, STAMP);
  if (!force && existsSync(stampFile) && readFileSync(stampFile, 'utf8') === stamp) return false;
  // Loaded only to compile: the up-to-date check above is all most starts need.
  const esbuild = await import('esbuild');
  const temp = join(ROOT, `.dist-${process.pid}-${Date.now()}`);
  try {
    await esbuild.build({
      entryPoints: ENTRIES.map((entry) => join(ROOT, entry)),
      outdir: temp,
      outbase: ROOT,
      bundle: true,
      splitting: true,
      // Packages stay imports: node_modules is there at run time, and dynalite, ajv and esbuild load lazily.
      packages: 'external',
      format: 'esm',
      platform: 'node',
      target: 'node20',
      sourcemap: true,
      logLevel: 'warning',
    });
    for (const file of COPIED) copyFileSync(join(ROOT, file), join(temp, file));
    writeFileSync(join(temp, STAMP), stamp);
    const old = `${temp}-old`;
    moveIfPresent(DIST, old);
    try {
      renameSync(temp, DIST);
    } catch (error) {
      // Another build swapped its tree in meanwhile: fine when it compiled the same sources.
      if (!existsSync(stampFile) || readFileSync(stampFile, 'utf8') !== stamp) throw error;
    }
    rmSync(old, { recursive: true, force: true });
  } finally {
    rmSync(temp, { recursive: true, force: true });
    // esbuild's service process (about 13 MB) would otherwise live as long as the gateway that compiled itself.
    await esbuild.stop();
  }
  return true;
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const built = await build({ force: process.argv.includes('--force') });
  if (process.argv.includes('--verbose')) console.log(built ? 'emulator/dist built' : 'emulator/dist up to date');
}
