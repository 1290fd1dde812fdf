/**
 * Why a package a function imports does not resolve, when the answer is simple: its package.json declares it and
 * nobody installed it (`sam build` runs npm install in a copy of the code; the gateway bundles the code where it is).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';

/** The package a bare import names: `@scope/name` or `name` (a subpath dropped); undefined for a relative or absolute path. */
function packageOf(specifier: string): string | undefined {
  if (specifier.startsWith('.') || specifier.startsWith('/') || specifier.startsWith('node:')) return undefined;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

/** The nearest package.json from `dir` up to `root` (the template's folder), parsed, with its folder. */
function nearestManifest(dir: string, root: string): { dir: string; deps: Record<string, unknown> } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'package.json');
    if (existsSync(file)) {
      try {
        const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
        return { dir: at, deps: { ...json.devDependencies, ...json.dependencies } };
      } catch {
        return undefined;
      }
    }
    if (at === root || dirname(at) === at || !at.startsWith(root)) return undefined;
  }
}

/**
 * For esbuild's `Could not resolve "x"` errors: a hint naming the folder to run npm install in, when the function's
 * package.json declares every such package and none of them is installed there; else ''.
 */
export function installHint(errorTexts: string[], codeDirs: string[], root: string): string {
  const missing = [...new Set(errorTexts.map((t) => /^Could not resolve "([^"]+)"/.exec(t)?.[1]).map((s) => (s ? packageOf(s) : undefined)))];
  if (missing.length === 0 || missing.includes(undefined)) return '';
  for (const codeDir of codeDirs) {
    const manifest = nearestManifest(codeDir, root);
    if (!manifest) continue;
    const declared = missing.every((p) => p !== undefined && p in manifest.deps);
    const installed = missing.some((p) => existsSync(join(manifest.dir, 'node_modules', p as string)));
    if (!declared || installed) continue;
    const where = relative(process.cwd(), manifest.dir) || '.';
    return ` (${where}/package.json declares ${missing.join(', ')} but they are not installed: run npm install in ${where}, as sam build does)`;
  }
  return '';
}
