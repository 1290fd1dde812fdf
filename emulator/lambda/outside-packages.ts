/**
 * Which of the modules a Node.js function run in place loaded from outside its code folder (outside-modules.ts) Lambda
 * would not have: `sam build` zips the CodeUri folder with the packages its package.json's dependencies install
 * (npm install --production there) and nothing else; the runtime adds its own AWS SDK (v3 from nodejs18.x, v2 before).
 */
import { existsSync, readFileSync, realpathSync } from 'node:fs';
import { join, relative } from 'node:path';
import type { FunctionSpec } from '../template/model.js';
import { packageOfFile } from './outside-modules.js';
import { projectCopy, runtimeProvides } from './external-packages.js';

type Manifest = { dependencies?: Record<string, string>; optionalDependencies?: Record<string, string> };

function readManifest(dir: string): Manifest | undefined {
  try {
    return JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Manifest;
  } catch {
    return undefined;
  }
}

/** The folder of package `name` as Node resolves it from `from`, by its real path: a pnpm install links each package to a store folder beside its own dependencies. */
function packageDir(name: string, from: string): string | undefined {
  const found = projectCopy(from, name);
  return found !== undefined && existsSync(join(found, 'package.json')) ? realpathSync(found) : undefined;
}

/** Closures already read, by their seed folders: every function run in place seeds the runtime SDK's, the same each time. */
const closures = new Map<string, Set<string>>();

/**
 * The names of the installed packages that `seeds` (package folders) depend on, themselves included, as npm installs
 * them. A name is followed once (the AWS SDK's ~150 packages share most of their ~1,500 dependency edges): resolving
 * every edge cost 86 ms of a start that ran one such function.
 */
function dependencyClosure(seeds: string[]): Set<string> {
  const key = [...seeds].sort().join('\0');
  const known = closures.get(key);
  if (known) return known;
  const names = new Set<string>();
  const queue = [...seeds];
  for (let dir = queue.shift(); dir !== undefined; dir = queue.shift()) {
    const manifest = readManifest(dir);
    for (const name of Object.keys({ ...manifest?.dependencies, ...manifest?.optionalDependencies })) {
      if (names.has(name)) continue;
      names.add(name);
      const found = packageDir(name, dir);
      if (found) queue.push(found);
    }
  }
  closures.set(key, names);
  return names;
}

/** The folder of the package that holds `file` (up to its node_modules/<name>). */
function packageFolderOf(file: string, name: string): string {
  const at = file.lastIndexOf(join('node_modules', name));
  return file.slice(0, at + join('node_modules', name).length);
}

/**
 * The modules among `outside` ([package or path, file]) that Lambda would not find: packages neither the code folder's
 * package.json installs (with what they depend on) nor the runtime provides, and files outside any package.
 */
export function missingOnLambda(spec: Pick<FunctionSpec, 'codeDir' | 'runtime'>, outside: [string, string][]): [string, string][] {
  // Most functions report nothing (every built one): their package.json's closure is not read for them.
  if (outside.length === 0) return [];
  const provided = (name: string): boolean => runtimeProvides(name, spec.runtime);
  const own = readManifest(spec.codeDir);
  const declared = Object.keys({ ...own?.dependencies, ...own?.optionalDependencies });
  const seeds = [
    ...declared.map((name) => packageDir(name, spec.codeDir)),
    ...outside.filter(([name, file]) => packageOfFile(file) === name && provided(name)).map(([name, file]) => packageFolderOf(file, name)),
  ].filter((dir): dir is string => dir !== undefined);
  const installed = new Set([...declared, ...dependencyClosure(seeds)]);
  return outside.filter(([name, file]) => (packageOfFile(file) === name ? !installed.has(name) && !provided(name) : true));
}

/** A notice naming the modules a Node.js function run in place reached that its Lambda package would lack; '' when none. */
export function nodeOutsideNotice(spec: Pick<FunctionSpec, 'logicalId' | 'codeDir' | 'runtime'>, outside: [string, string][]): string {
  const missing = missingOnLambda(spec, outside);
  if (missing.length === 0) return '';
  const folder = relative(process.cwd(), spec.codeDir) || '.';
  const named = missing.map(([name, file]) => `${name} (${relative(process.cwd(), file)})`).join(', ');
  const one = missing.length === 1;
  const packages = missing.filter(([name, file]) => packageOfFile(file) === name).map(([name]) => name);
  const fixes = [
    ...(packages.length > 0 ? [`list ${packages.join(', ')} in ${join(folder, 'package.json')} dependencies`] : []),
    ...(packages.length < missing.length ? ['put the other files in the code folder or a layer'] : []),
  ];
  const fix = packages.length === missing.length ? fixes[0] : packages.length === 0 ? `put ${one ? 'it' : 'them'} in the code folder or a layer` : fixes.join(', and ');
  return `${spec.logicalId}: loads ${named} from outside its code folder ${folder}: sam build packages only that folder, with the packages its package.json lists, so on Lambda ${one ? 'this import fails' : 'these imports fail'} (Cannot find module '${missing[0]![0]}'), where here ${one ? 'it resolves' : 'they resolve'} from the source tree; ${fix}`;
}
