/**
 * Loading a function's handler module as Lambda's Node.js runtime loads it: CommonJS by the deployment package's
 * boundary, the runtime's AWS SDK for ES modules, /opt from the layers, load failures classified as the runtime
 * classifies them. Runs inside the execution environment, bundled into worker.ts's file: node built-ins only.
 */
import { existsSync, readFileSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { dirname, join, sep } from 'node:path';
import type { LambdaError } from './environment-messages.js';
import { runtimeError, toLambdaError } from './runtime-errors.js';

type CompiledModule = { _compile(source: string, filename: string): void };

/**
 * Lambda sees only the deployment package: a `.js` file with no package.json between it and the package
 * root is CommonJS there, even when a package.json above the code directory (a repo's "type": "module")
 * would make Node load it as ESM here. Such files are compiled as CommonJS, whoever requires them.
 */
export function requireAsLambda(file: string, root: string): Record<string, unknown> {
  const extensions = (Module as unknown as { _extensions: Record<string, (m: CompiledModule, filename: string) => void> })._extensions;
  const nodeDefault = extensions['.js'] as (m: CompiledModule, filename: string) => void;
  const ownPackageJson = (filename: string): boolean => {
    for (let dir = dirname(filename); dir.startsWith(root); dir = dirname(dir)) {
      if (existsSync(join(dir, 'package.json'))) return true;
      if (dir === root) break;
    }
    return false;
  };
  extensions['.js'] = (module, filename) => {
    if (filename.startsWith(root + sep) && !ownPackageJson(filename)) return module._compile(readFileSync(filename, 'utf8'), filename);
    return nodeDefault(module, filename);
  };
  // Required from the runtime client's own file (the environment's entry script), as Lambda's runtime requires it
  // from /var/runtime/index.mjs: a failed import's "Require stack" ends there, not with the handler's file again.
  return createRequire(process.argv[1] ?? file)(file) as Record<string, unknown>;
}

const AGAIN = '?runtime-sdk';

/**
 * Lambda's runtime provides the AWS SDK v3 to ES modules too. Resolve hooks cost a loader thread, so they are added
 * only when an `@aws-sdk/*` import failed; the handler is then imported again under a new URL (a failed import stays
 * cached under its own), which is safe because a module whose imports do not resolve has not run. So are the files
 * it imports, each under its URL with the same mark: the module whose `@aws-sdk` import failed may be one of them,
 * and its cached failure would otherwise be thrown again without the hook ever being asked.
 */
export async function importWithRuntimeSdk(url: string, sdkParentUrl: string | undefined): Promise<Record<string, unknown>> {
  try {
    return (await import(url)) as Record<string, unknown>;
  } catch (error) {
    if (!sdkParentUrl || !missingSdkPackage(error)) throw error;
    const hook = `const parent = ${JSON.stringify(sdkParentUrl)};
const again = ${JSON.stringify(AGAIN)};
export async function resolve(specifier, context, next) {
  let found;
  try { found = await next(specifier, context); } catch (error) {
    if (error?.code !== 'ERR_MODULE_NOT_FOUND' || !specifier.startsWith('@aws-sdk/')) throw error;
    try { return await next(specifier, { ...context, parentURL: parent }); } catch { throw error; }
  }
  const marked = context.parentURL?.endsWith(again) && found.url.startsWith('file:') && !found.url.includes('?');
  return marked ? { ...found, url: found.url + again } : found;
}`;
    Module.register(`data:text/javascript,${encodeURIComponent(hook)}`);
    return (await import(`${url}${AGAIN}`)) as Record<string, unknown>;
  }
}

/** The `@aws-sdk/...` package an import failed to find, if that is why it failed. */
function missingSdkPackage(error: unknown): string | undefined {
  return /Cannot find (?:module|package) '(@aws-sdk\/[^/']+)/.exec(error instanceof Error ? error.message : '')?.[1];
}

/**
 * A path under /opt (`require('/opt/nodejs/util')`, `import '/opt/nodejs/util.mjs'`) is read from the layers' local
 * folders, as Lambda would read it from the layers it extracted there: CommonJS through Node's resolver, ES modules
 * through a resolve hook (added only for a function that has layers).
 */
export function mountLayers(mounts: { opt: string; dir: string }[], esm: boolean): void {
  const local = (optPath: string): string[] => mounts.filter((m) => optPath === m.opt || optPath.startsWith(`${m.opt}/`)).map((m) => m.dir + optPath.slice(m.opt.length));
  const resolver = Module as unknown as { _resolveFilename: (request: string, ...rest: unknown[]) => string };
  const resolveFilename = resolver._resolveFilename;
  resolver._resolveFilename = function (request, ...rest) {
    if (request.startsWith('/opt/')) {
      for (const candidate of local(request)) {
        try {
          return resolveFilename.call(this, candidate, ...rest);
        } catch {
          // Not in this layer: the next one, then Node's own error for /opt.
        }
      }
    }
    return resolveFilename.call(this, request, ...rest);
  };
  if (!esm) return;
  const hook = `import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
const mounts = ${JSON.stringify(mounts)};
export async function resolve(specifier, context, next) {
  const path = specifier.startsWith('file:///opt/') ? decodeURIComponent(specifier.slice(7)) : specifier.startsWith('/opt/') ? specifier : undefined;
  if (path !== undefined) {
    for (const m of mounts) {
      if (path !== m.opt && !path.startsWith(m.opt + '/')) continue;
      try { return await next(pathToFileURL(m.dir + path.slice(m.opt.length)).href, context); } catch {}
    }
  }
  return next(specifier, context);
}`;
  Module.register(`data:text/javascript,${encodeURIComponent(hook)}`);
}

/**
 * A failure to load the handler's module, as the runtime interface client classifies it (UserFunction.js
 * _loadUserApp): a syntax error is wrapped in Runtime.UserCodeSyntaxError, a CommonJS module not found (or no handler
 * file) in Runtime.ImportModuleError, each with the error as text (`SyntaxError: ...`, `Error: Cannot find module ...`)
 * for message and the wrapper's own trace; anything else (an ES module's missing package, ERR_MODULE_NOT_FOUND, or an
 * error the module's own code threw) is reported as it was thrown.
 */
export function loadError(err: unknown, file: string): LambdaError {
  const e = toLambdaError(err);
  if (err instanceof SyntaxError) return toLambdaError(runtimeError('UserCodeSyntaxError', `SyntaxError: ${e.errorMessage}`));
  if ((err as { code?: unknown } | null)?.code === 'MODULE_NOT_FOUND' || !existsSync(file)) return toLambdaError(runtimeError('ImportModuleError', `${e.errorType}: ${e.errorMessage}`));
  return e;
}
