/**
 * The modules a Node.js function's init loaded from outside the folders Lambda would give it. A function run in place
 * resolves as Node does, up the source tree (a repository's root node_modules, `require('../shared/db')`), where the
 * zip `sam build` makes holds the CodeUri folder alone. Runs inside the execution environment (bundled into worker.ts's
 * file): node built-ins only. Which packages `sam build` would have installed is the gateway's to judge
 * (outside-packages.ts). Read once, when init ends (a module required later, inside the handler, is not seen), and
 * only CommonJS modules: Node keeps no list of the ES modules it loaded.
 */
import { realpathSync } from 'node:fs';
import Module from 'node:module';
import { relative, sep } from 'node:path';

const NODE_MODULES = `${sep}node_modules${sep}`;

/** The package a file belongs to by its last node_modules folder (`@scope/name` or `name`); undefined outside one. */
export function packageOfFile(file: string): string | undefined {
  const at = file.lastIndexOf(NODE_MODULES);
  if (at < 0) return undefined;
  const [first, second] = file.slice(at + NODE_MODULES.length).split(sep);
  return first?.startsWith('@') && second ? `${first}/${second}` : first;
}

function real(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return path;
  }
}

/**
 * [name, file] for each package (by name) and each file outside any node_modules (by its path from the task root)
 * among `loaded` that is under none of `roots`; the module cache holds real paths, so the roots are compared as such.
 */
export function modulesOutside(roots: string[], taskRoot: string, loaded: string[] = Object.keys((Module as unknown as { _cache: Record<string, unknown> })._cache)): [string, string][] {
  const inside = [...new Set(roots.flatMap((root) => [root, real(root)]))].map((root) => (root.endsWith(sep) ? root : root + sep));
  const realTaskRoot = real(taskRoot);
  const found = new Map<string, string>();
  for (const file of loaded) {
    if (inside.some((root) => file.startsWith(root))) continue;
    const name = packageOfFile(file) ?? relative(realTaskRoot, file);
    if (!found.has(name)) found.set(name, file);
  }
  return [...found].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
}
