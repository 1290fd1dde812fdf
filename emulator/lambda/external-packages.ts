/**
 * A package esbuild leaves out of the bundle (BuildProperties External, or "./node_modules/*" for every dependency) is
 * not in what `sam build` deploys: its esbuild step writes the bundle alone to the artifact, without node_modules. On
 * Lambda such an import then loads only from a layer (/opt/nodejs/node_modules) or from the runtime (the AWS SDK);
 * locally it also resolves from the project's node_modules, above the build folder, and works where Lambda fails.
 */
import { existsSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, relative } from 'node:path';
import type * as esbuild from 'esbuild';
import type { FunctionSpec } from '../template/model.js';
import { layerMounts, nodeLayerPaths } from './layer-paths.js';

const BUILTIN = new Set(builtinModules);

/** The package an import names ("@scope/name/sub" → "@scope/name"), or undefined for a path, a URL or a Node.js builtin. */
export function packageOf(path: string): string | undefined {
  if (path.startsWith('.') || path.startsWith('/') || path.startsWith('node:') || /^[a-z][a-z0-9+.-]*:/i.test(path)) return undefined;
  const parts = path.split('/');
  const name = path.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return BUILTIN.has(name) || BUILTIN.has(path) ? undefined : name;
}

/** The packages a built function's output imports as externals, through the chunks it imports (code split bundles). */
export function externalPackages(outputs: esbuild.Metafile['outputs'], file: string): string[] {
  const found = new Set<string>();
  const seen = new Set<string>();
  const visit = (out: string): void => {
    if (seen.has(out)) return;
    seen.add(out);
    for (const imported of outputs[out]?.imports ?? []) {
      if (!imported.external) visit(imported.path);
      else if (packageOf(imported.path) !== undefined) found.add(packageOf(imported.path) as string);
    }
  };
  visit(file);
  return [...found].sort();
}

/** Whether Lambda's Node.js runtime gives this package itself: the AWS SDK v3 from nodejs18.x, v2 before. */
export function runtimeProvides(name: string, runtime: string): boolean {
  const major = Number(/^nodejs(\d+)/.exec(runtime)?.[1] ?? 20);
  return major >= 18 ? /^@(aws-sdk|smithy|aws-crypto)\//.test(name) : name === 'aws-sdk';
}

/** The node_modules copy of a package that a module in `dir` resolves first by walking up (as require does), if any. */
export function projectCopy(dir: string, name: string): string | undefined {
  for (let current = dir; ; current = dirname(current)) {
    const candidate = join(current, 'node_modules', name);
    if (existsSync(candidate)) return candidate;
    if (dirname(current) === current) return undefined;
  }
}

/**
 * What the function is told of its external packages that neither the runtime nor its layers' node_modules folders
 * (`layerNodePaths`) hold, and of those a layer holds that a node_modules folder above the build (`localCopy`) shadows
 * here (the bundle's own folder is searched before NODE_PATH; Lambda's /var/task has no node_modules). "" when none.
 */
export function externalPackagesNotice(logicalId: string, runtime: string, externals: string[], layerNodePaths: string[], localCopy: (name: string) => string | undefined = () => undefined, layersUnknown = false): string {
  const own = externals.filter((name) => !runtimeProvides(name, runtime));
  const inLayer = (name: string): boolean => layerNodePaths.some((dir) => existsSync(join(dir, name)));
  const missing = layersUnknown ? [] : own.filter((name) => !inLayer(name));
  const shadowed = own.filter((name) => inLayer(name) && localCopy(name) !== undefined);
  const lines: string[] = [];
  if (missing.length > 0) {
    const one = missing.length === 1;
    lines.push(`${logicalId}: ${missing.join(', ')} ${one ? 'is' : 'are'} External in its esbuild BuildProperties and no layer of it has ${one ? 'it' : 'them'} (nodejs/node_modules): sam build deploys the bundle alone, so on Lambda ${one ? 'this import fails' : 'these imports fail'} (Runtime.ImportModuleError: Cannot find module '${missing[0]}') even where here ${one ? 'it loads' : 'they load'} from a node_modules folder above the build; bundle ${one ? 'it' : 'them'} (remove from External) or add a layer with ${one ? 'it' : 'them'}`);
  }
  for (const name of shadowed) {
    lines.push(`${logicalId}: ${name} (External) loads here from ${relative(process.cwd(), localCopy(name) as string)}, ahead of its layer's nodejs/node_modules copy, which is the one Lambda loads (sam build deploys the bundle alone): a version that differs between the two is not emulated`);
  }
  return lines.join('\n');
}

/**
 * The notice for a built function's External packages, once its layers are known: a layer `sam build` builds (a
 * BuildMethod) whose output is not there may hold any package on Lambda, so none is then said to be missing.
 */
export function functionExternalsNotice(spec: Pick<FunctionSpec, 'logicalId' | 'runtime' | 'layers'>, bundle: string, externals: string[], samBuildDir: string): string {
  const unbuilt = (spec.layers ?? []).some((layer) => layer.buildMethod !== undefined && !existsSync(join(samBuildDir, layer.logicalId)));
  const layerPaths = nodeLayerPaths(layerMounts(spec.layers, samBuildDir), spec.runtime);
  return externalPackagesNotice(spec.logicalId, spec.runtime, externals, layerPaths, (name) => projectCopy(dirname(bundle), name), unbuilt);
}
