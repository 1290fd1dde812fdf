/**
 * Said at start: a Node.js function run from its folder (no build step) whose package.json declares dependencies that
 * are not installed. `sam build` runs npm install in a copy of the code; here the code runs where it is, so until
 * npm install each import of them fails the invocation (Runtime.ImportModuleError), which the start report said
 * nothing about (a bundled function's missing import is a build error, listed already).
 */
import { existsSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FunctionSpec } from '../template/model.js';
import { nearestManifest } from './install-hint.js';
import { layerMounts, nodeLayerPaths } from './layer-paths.js';

/** The AWS SDK comes with Lambda's runtime (v2 up to nodejs16.x, v3 after), locally from the gateway's packages. */
const RUNTIME_PROVIDED = (name: string): boolean => name === 'aws-sdk' || name.startsWith('@aws-sdk/');

/** Whether Node's resolution from `dir` would find the package in a node_modules of it or of a folder above. */
function resolvable(name: string, dir: string): boolean {
  for (let at = dir; ; at = dirname(at)) {
    if (existsSync(join(at, 'node_modules', name))) return true;
    if (dirname(at) === at) return false;
  }
}

/**
 * One note per package.json whose declared dependencies are not installed, naming the functions that run from it; a
 * dependency one of a function's layers holds (nodejs/node_modules) resolves from there, as on Lambda.
 */
export function uninstalledDependencyNotes(functions: Iterable<FunctionSpec>, root: string, samBuildDir: string): string[] {
  const byManifest = new Map<string, { missing: Set<string>; ids: string[] }>();
  for (const fn of functions) {
    if (!fn.runtime.startsWith('nodejs') || fn.inlineCode !== undefined || fn.build || fn.unavailable) continue;
    const manifest = nearestManifest(fn.codeDir, root);
    if (!manifest) continue;
    const layers = nodeLayerPaths(layerMounts(fn.layers, samBuildDir), fn.runtime);
    const missing = Object.keys(manifest.dependencies).filter((d) => !RUNTIME_PROVIDED(d) && !resolvable(d, manifest.dir) && !layers.some((dir) => existsSync(join(dir, d))));
    const entry = byManifest.get(manifest.dir) ?? { missing: new Set<string>(), ids: [] };
    if (missing.length === 0) continue;
    for (const d of missing) entry.missing.add(d);
    entry.ids.push(fn.logicalId);
    byManifest.set(manifest.dir, entry);
  }
  return [...byManifest].map(([dir, { missing: set, ids }]) => {
    const missing = [...set];
    const where = relative(process.cwd(), dir) || '.';
    const named = missing.length > 3 ? `${missing.slice(0, 3).join(', ')} and ${missing.length - 3} more` : missing.join(', ');
    return `${ids.join(', ')}: ${where}/package.json declares ${named}, not installed: run npm install in ${where}, as sam build does (until then an import of them fails the invocation: Runtime.ImportModuleError)`;
  });
}
