/**
 * Where a function's layers are, in place of /opt. Lambda extracts each layer into /opt (a later layer's files over an
 * earlier one's); its runtimes then look in /opt/python and /opt/python/lib/pythonX.Y/site-packages (Python) and in
 * /opt/nodejs/node_modules and /opt/nodejs/nodeNN/node_modules (Node.js, CommonJS `require`), and a function may name a
 * file under /opt itself. Locally each layer is mounted at the /opt folder its content stands for, first in its source
 * folder (edits show at once), then in `sam build`'s output for it (.aws-sam/build/<LayerId>, with its dependencies; a nested stack's under
 * .aws-sam/build/<Stack>/, build-output.ts samBuildDir).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { LayerSpec } from '../template/model.js';

/** A local folder that stands for `opt` (/opt, or /opt/python or /opt/nodejs for a layer `sam build` builds by runtime). */
export interface LayerMount {
  opt: string;
  dir: string;
}

/**
 * The mounts of a function's layers, the one that wins first. A layer with a BuildMethod of a runtime and no python/ or
 * nodejs/ folder of its own is that folder's content: `sam build` puts it there.
 */
export function layerMounts(layers: LayerSpec[] | undefined, samBuildDir: string): LayerMount[] {
  const mounts: LayerMount[] = [];
  for (const layer of [...(layers ?? [])].reverse()) {
    const own = ['python', 'nodejs'].some((d) => existsSync(join(layer.contentDir, d)));
    const runtime = /^(python|nodejs)/.exec(layer.buildMethod ?? '')?.[1];
    const opt = !own && runtime === 'python' ? '/opt/python' : !own && runtime === 'nodejs' ? '/opt/nodejs' : '/opt';
    mounts.push({ opt, dir: layer.contentDir });
    const built = join(samBuildDir, layer.logicalId);
    if (existsSync(built)) mounts.push({ opt: '/opt', dir: built });
  }
  return mounts;
}

/** The local folders for an /opt path, in the mounts' order, that exist. */
function localFolders(mounts: LayerMount[], optPath: string): string[] {
  return mounts.flatMap((m) => (optPath === m.opt || optPath.startsWith(`${m.opt}/`) ? [join(m.dir, optPath.slice(m.opt.length))] : [])).filter((dir) => existsSync(dir));
}

/** Python's import path from layers (after the function's own code): site-packages, then python/, of each layer. */
export function pythonLayerPaths(mounts: LayerMount[], runtime: string): string[] {
  const minor = /^python(\d+\.\d+)/.exec(runtime)?.[1] ?? '3';
  return [...localFolders(mounts, `/opt/python/lib/python${minor}/site-packages`), ...localFolders(mounts, '/opt/python')];
}

/** NODE_PATH entries from layers, before the runtime's own (the provided AWS SDK), as Lambda orders them. */
export function nodeLayerPaths(mounts: LayerMount[], runtime: string): string[] {
  const major = /^nodejs(\d+)/.exec(runtime)?.[1] ?? '20';
  return [...localFolders(mounts, `/opt/nodejs/node${major}/node_modules`), ...localFolders(mounts, '/opt/nodejs/node_modules')];
}

/** LD_LIBRARY_PATH entries from layers (Lambda's /opt/lib, last on its list). */
export function libraryLayerPaths(mounts: LayerMount[]): string[] {
  return localFolders(mounts, '/opt/lib');
}
