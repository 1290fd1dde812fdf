/**
 * Where builds are written, and how: `sam build`'s folders and the gateway's own, each output file written atomically
 * (gateways started from one folder share them), and the cache that lets a restart skip esbuild.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, statSync } from 'node:fs';
import { readFile, rename, writeFile } from 'node:fs/promises';
import { dirname, join, resolve as resolvePath } from 'node:path';
import type * as esbuild from 'esbuild';

/**
 * `sam build`'s output folder for a stack's functions and layers (each in `<that>/<LogicalId>`): the root template's
 * `.aws-sam/build`, and under it one folder per nested stack, `.aws-sam/build/<Child>/<Grandchild>`, as sam build lays
 * out nested stacks (aws-sam-cli pull 2623); not the nested template's own folder.
 */
export function samBuildDir(rootTemplatePath: string, stackPath = ''): string {
  return join(dirname(rootTemplatePath), '.aws-sam', 'build', ...stackPath.split('/').filter((part) => part !== ''));
}

/** Where a nested stack's functions are built: apart from the root's, whose logical ids they may share. */
export function nestedBuildDir(stackPath: string): string {
  return join(resolvePath('.emulator', 'build'), 'nested', stackPath);
}

/**
 * Restarts skip esbuild when nothing it read has changed: the cache records the size and mtime of
 * every input (sources and node_modules files alike) and the options it was built with.
 */
interface BuildCache {
  key: string;
  inputs: Record<string, [number, number]>;
  metafile: esbuild.Metafile;
}

const CACHE_FILE = 'build-cache.json';

function fingerprint(path: string): [number, number] | undefined {
  try {
    const st = statSync(path);
    return [st.size, st.mtimeMs];
  } catch {
    return undefined;
  }
}

/** The outputs cached for this key, when every input is as it was when they were built; undefined otherwise. */
export async function readCache(outDir: string, key: string): Promise<esbuild.BuildResult | undefined> {
  let cache: BuildCache;
  try {
    cache = JSON.parse(await readFile(join(outDir, CACHE_FILE), 'utf8')) as BuildCache;
  } catch {
    return undefined;
  }
  if (cache.key !== key) return undefined;
  for (const [path, [size, mtime]] of Object.entries(cache.inputs)) {
    const now = fingerprint(path);
    if (!now || now[0] !== size || now[1] !== mtime) return undefined;
  }
  if (Object.keys(cache.metafile.outputs).some((out) => !existsSync(out))) return undefined;
  return { errors: [], warnings: [], metafile: cache.metafile, outputFiles: undefined, mangleCache: undefined } as esbuild.BuildResult;
}

/** Records a build's inputs (size and mtime) and outputs under its key, for the next start's readCache. */
export async function writeCache(outDir: string, key: string, result: esbuild.BuildResult): Promise<void> {
  if (!result.metafile) return;
  const inputs: BuildCache['inputs'] = {};
  for (const path of Object.keys(result.metafile.inputs)) {
    const fp = fingerprint(path);
    if (fp) inputs[path] = fp;
  }
  const cache: BuildCache = { key, inputs, metafile: result.metafile };
  await writeAtomically(join(outDir, CACHE_FILE), JSON.stringify(cache));
}

/** Write to a unique temporary name, then rename over the target (atomic on one file system). */
export async function writeAtomically(path: string, contents: string | Uint8Array): Promise<void> {
  const temporary = `${path}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
  await writeFile(temporary, contents);
  await rename(temporary, path);
}

/** A short digest of a text (build settings, options): names a build group and keys its cache. */
export function hash(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 10);
}
