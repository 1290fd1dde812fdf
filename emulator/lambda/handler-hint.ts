/**
 * A Handler whose file is not where it says, when a file of that name sits in a folder below the code: the Handler's
 * path from the code's root (Lambda loads `handlers/signup.handler` from `handlers/signup.js`) is what names it.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join, relative } from 'node:path';

/** How deep the code folder is searched, and what is never the function's own code. */
const MAX_DEPTH = 4;
const SKIPPED = new Set(['node_modules', '.aws-sam', '.git']);

/** "; handlers/signup.js is there: Handler handlers/signup.handler names it" for each match (three at most), or "". */
export function handlerPathHint(codeDir: string, file: string, exportName: string, extensions: string[]): string {
  const names = new Set(extensions.map((ext) => basename(file) + ext));
  const found: string[] = [];
  const walk = (dir: string, depth: number): void => {
    let entries;
    try {
      entries = readdirSync(dir, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries) {
      if (found.length >= 3) return;
      const path = join(dir, entry.name);
      if (entry.isDirectory() && depth < MAX_DEPTH && !SKIPPED.has(entry.name)) walk(path, depth + 1);
      else if (entry.isFile() && names.has(entry.name)) found.push(relative(codeDir, path).split('\\').join('/'));
    }
  };
  walk(codeDir, 0);
  return found.map((path) => `; ${path} is there: Handler ${path.replace(/\.[^./]+$/, '')}.${exportName} names it`).join('');
}

/**
 * "; get.item.js is there, ..." when the file a Handler would name if its module ran to the last dot exists: Lambda's
 * Node.js runtime ends the module at the first dot, so a file whose name has a dot is never a Handler's module.
 */
export function dottedFileHint(codeDir: string, handler: string, extensions: string[]): string {
  const dir = handler.lastIndexOf('/') + 1;
  const last = handler.lastIndexOf('.');
  const dotted = handler.slice(0, last);
  if (handler.indexOf('.', dir) === last) return '';
  const found = extensions.map((ext) => dotted + ext).find((name) => existsSync(join(codeDir, name)));
  if (!found) return '';
  const module = handler.slice(0, handler.indexOf('.', dir));
  return `; ${found} is there, but Lambda's Node.js runtime takes the module up to the Handler's first dot (${module}) and the rest as a property path: a file whose name has a dot is no Handler's module (rename it)`;
}
