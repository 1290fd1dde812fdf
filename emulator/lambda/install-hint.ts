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

/** The nearest package.json from `dir` up to `root` (the template's folder), parsed, with its folder: `deps` with its devDependencies, `dependencies` without. */
export function nearestManifest(dir: string, root: string): { dir: string; deps: Record<string, unknown>; dependencies: Record<string, unknown> } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const file = join(at, 'package.json');
    if (existsSync(file)) {
      try {
        const json = JSON.parse(readFileSync(file, 'utf8')) as Record<string, Record<string, unknown> | undefined>;
        return { dir: at, deps: { ...json.devDependencies, ...json.dependencies }, dependencies: { ...json.dependencies } };
      } catch {
        return undefined;
      }
    }
    if (at === root || dirname(at) === at || !at.startsWith(root)) return undefined;
  }
}

/** Where to run npm install when the nearest package.json declares every missing package and none is installed; else ''. */
function notInstalled(missing: string[], codeDirs: string[], root: string): string {
  for (const codeDir of codeDirs) {
    const manifest = nearestManifest(codeDir, root);
    if (!manifest) continue;
    const declared = missing.every((p) => p in manifest.deps);
    const installed = missing.some((p) => existsSync(join(manifest.dir, 'node_modules', p)));
    if (!declared || installed) continue;
    const where = relative(process.cwd(), manifest.dir) || '.';
    return ` (${where}/package.json declares ${missing.join(', ')} but they are not installed: run npm install in ${where}, as sam build does)`;
  }
  return '';
}

/**
 * For esbuild's `Could not resolve "x"` errors: a hint naming the folder to run npm install in, when the function's
 * package.json declares every such package and none of them is installed there; else ''.
 */
export function installHint(errorTexts: string[], codeDirs: string[], root: string): string {
  const missing = [...new Set(errorTexts.map((t) => /^Could not resolve "([^"]+)"/.exec(t)?.[1]).map((s) => (s ? packageOf(s) : undefined)))];
  if (missing.length === 0 || missing.includes(undefined)) return '';
  return notInstalled(missing as string[], codeDirs, root);
}

/** Lambda's Node.js runtimes up to nodejs16.x include the AWS SDK v2 (`aws-sdk`); nodejs18.x and later only v3. */
function runtimeHasSdkV2(runtime: string): boolean {
  const major = Number(/^nodejs(\d+)/.exec(runtime)?.[1]);
  return Number.isInteger(major) && major <= 16;
}

/** For a handler file not found (`/code/app.js`), the TypeScript file beside it that was not built, if any. */
function typescriptOnly(specifier: string): string | undefined {
  if (!specifier.startsWith('/') || !/\.(m|c)?js$/.test(specifier)) return undefined;
  const stem = specifier.replace(/\.(m|c)?js$/, '');
  return ['.ts', '.mts', '.cts', '.tsx'].map((ext) => stem + ext).find((file) => existsSync(file));
}

/** The file whose import failed: the first of a CommonJS "Require stack", or what an ES module names ("imported from"). */
function importingFile(errorMessage: string): string | undefined {
  const required = /Require stack:\n- ([^\n]+)/.exec(errorMessage)?.[1];
  if (required !== undefined) return required.trim();
  const imported = / imported from (\S+)/.exec(errorMessage)?.[1];
  return imported?.replace(/^file:\/\//, '');
}

/**
 * For a Node.js function whose init failed on an import (`Cannot find module|package 'x'`): the folder to run npm
 * install in when its package.json declares the package; else what Lambda's runtime would have provided (the AWS SDK
 * v2 up to nodejs16.x, v3 from nodejs18.x) or that the import fails on Lambda too; '' for other failures.
 */
export function importHint(errorMessage: string, runtime: string, codeDir: string, root: string, layerDirs: string[] = []): string {
  const specifier = /Cannot find (?:module|package) '([^']+)'/.exec(errorMessage)?.[1];
  const typescript = specifier === undefined ? undefined : typescriptOnly(specifier);
  if (typescript) {
    return ` (${relative(process.cwd(), typescript) || typescript} is TypeScript, and the function has no build step: Lambda runs JavaScript, which sam build makes from TypeScript only with Metadata BuildMethod: esbuild, and a CDK asset is deployed as it is; on AWS this fails as here)`;
  }
  const pkg = specifier === undefined ? undefined : packageOf(specifier);
  if (pkg === undefined) return '';
  const layer = layerDirs.find((dir) => importingFile(errorMessage)?.startsWith(`${dir}/`));
  if (layer !== undefined && !pkg.startsWith('@aws-sdk/') && pkg !== 'aws-sdk') {
    // On Lambda a layer's code resolves from /opt/nodejs/node_modules and the runtime's, never from /var/task.
    return ` (imported by the layer in ${relative(process.cwd(), layer) || '.'}: a layer's code does not see the function's node_modules, on Lambda either; install ${pkg} in the layer's nodejs/node_modules)`;
  }
  const install = notInstalled([pkg], [codeDir], root);
  if (install) return install;
  const v2 = runtimeHasSdkV2(runtime);
  if (pkg === 'aws-sdk') {
    // Installed, its clients reach the embedded services (lambda/sdk-v2-endpoints.ts).
    return v2 ? ` (the ${runtime} runtime provides the AWS SDK v2 on Lambda; locally it must be installed: npm install aws-sdk in ${relative(process.cwd(), codeDir) || '.'}; its clients then reach the embedded services)` : ` (the ${runtime} runtime provides only the AWS SDK v3, @aws-sdk/*: this import fails on Lambda too)`;
  }
  if (!pkg.startsWith('@aws-sdk/')) return '';
  return v2
    ? ` (the ${runtime} runtime provides the AWS SDK v2, aws-sdk, not ${pkg}: install it with the function, or this import fails on Lambda too)`
    : ` (the Lambda runtime provides ${pkg}; locally it resolves from the function's folders or the packages installed beside the gateway: install it there, npm install --save-dev ${pkg})`;
}
