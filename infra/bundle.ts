/**
 * One esbuild bundle per handler (`functions/<name>.ts` → `<out>/<name>/<name>.mjs` and its source map),
 * built locally with no Docker (I10.3). CDK (`Code.fromAsset`) and Terraform (`archive_file`) deploy
 * these same folders; the settings are those of template.yaml's `Metadata.BuildProperties`, which the
 * parity test holds equal, so `sam build` produces the same code.
 */
import { randomBytes } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import * as esbuild from 'esbuild';
import { REPO_ROOT } from './contract.js';

export const FUNCTIONS_DIR = resolve(REPO_ROOT, 'functions');
export const DEFAULT_BUNDLE_DIR = resolve(REPO_ROOT, 'infra/build/functions');

/** template.yaml's esbuild BuildProperties, in esbuild's own terms. */
export const BUNDLE_SETTINGS = {
  format: 'esm',
  outExtension: { '.js': '.mjs' },
  target: 'es2022',
  minify: true,
  sourcemap: true,
  banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
} as const satisfies esbuild.BuildOptions;

/** The handler files: every top-level `functions/*.ts` (shared code lives in functions/shared/). */
export function handlerNames(dir = FUNCTIONS_DIR): string[] {
  return readdirSync(dir)
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts'))
    .map((f) => basename(f, '.ts'))
    .sort();
}

/** Build every handler into `outDir/<name>/`; files whose content did not change are left untouched. */
export async function bundleFunctions(outDir = DEFAULT_BUNDLE_DIR): Promise<string[]> {
  const names = handlerNames();
  const result = await esbuild.build({
    ...BUNDLE_SETTINGS,
    entryPoints: Object.fromEntries(names.map((n) => [`${n}/${n}`, join(FUNCTIONS_DIR, `${n}.ts`)])),
    outdir: outDir,
    bundle: true,
    platform: 'node',
    write: false,
    logLevel: 'silent',
  });
  await Promise.all(result.outputFiles.map((file) => writeIfChanged(file.path, file.contents, join(outDir, '.tmp'))));
  return names;
}

/**
 * Unchanged files keep their mtime; changed ones are replaced atomically, through a temporary file
 * outside every function's folder, so that concurrent builds never show CDK's asset hashing a
 * half-written bundle or a stray temporary file.
 */
async function writeIfChanged(path: string, contents: Uint8Array, tmpDir: string): Promise<void> {
  const current = await readFile(path).catch(() => undefined);
  if (current && Buffer.compare(current, contents) === 0) return;
  await mkdir(dirname(path), { recursive: true });
  await mkdir(tmpDir, { recursive: true });
  const temporary = join(tmpDir, `${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}`);
  await writeFile(temporary, contents);
  await rename(temporary, path);
}
