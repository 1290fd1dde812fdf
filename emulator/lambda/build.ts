/** Build a function's code the way `sam build` does (esbuild metadata), or locate a plain handler file. */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join, relative, resolve as resolvePath } from 'node:path';
import * as esbuild from 'esbuild';
import { TemplateError, type FunctionSpec } from '../template/model.js';

export interface BuiltFunction {
  /** Absolute path of the module that exports the handler. */
  file: string;
  exportName: string;
  sourcemap: boolean;
}

const PLAIN_EXTENSIONS = ['.js', '.mjs', '.cjs'];
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];

/** "dir/file.export" → ["dir/file", "export"]; the export is after the last dot, as in Lambda's Node runtime. */
export function splitHandler(handler: string): [string, string] {
  const dot = handler.lastIndexOf('.');
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

export class FunctionBuilder {
  private readonly contexts = new Map<string, esbuild.BuildContext>();

  constructor(
    private readonly templateFile: string,
    /** Output root, `<repo>/.emulator/build` by default (inside the repo so externals resolve from node_modules). */
    private readonly outRoot = resolvePath('.emulator', 'build'),
  ) {}

  /** Build (or rebuild, incrementally) one function; `onRebuilt` turns on esbuild watch mode for it. */
  async build(spec: FunctionSpec, onRebuilt?: (built: BuiltFunction) => void): Promise<BuiltFunction> {
    const [file, exportName] = splitHandler(spec.handler);
    if (!spec.build) {
      const plain = PLAIN_EXTENSIONS.map((ext) => join(spec.codeDir, file + ext)).find((p) => existsSync(p));
      if (plain) return { file: plain, exportName, sourcemap: false };
    }
    const outDir = join(this.outRoot, spec.logicalId);
    let ctx = this.contexts.get(spec.logicalId);
    let firstBuild: Promise<esbuild.BuildResult> | undefined;
    if (!ctx) {
      let resolveFirst!: (r: esbuild.BuildResult) => void;
      firstBuild = new Promise((r) => (resolveFirst = r));
      ctx = await esbuild.context(await this.options(spec, file, outDir, resolveFirst, onRebuilt));
      this.contexts.set(spec.logicalId, ctx);
    }
    if (!onRebuilt || !firstBuild) return this.locate(spec, await this.rebuild(ctx, spec), file, exportName);
    // watch() starts with a build of its own: take that one as the first build.
    await ctx.watch();
    const result = await firstBuild;
    if (result.errors.length > 0) throw this.buildError(spec, result.errors);
    return this.locate(spec, result, file, exportName);
  }

  private async options(
    spec: FunctionSpec,
    file: string,
    outDir: string,
    onFirst: (r: esbuild.BuildResult) => void,
    onRebuilt?: (b: BuiltFunction) => void,
  ): Promise<esbuild.BuildOptions> {
    const b = spec.build;
    const entryPoints = b?.entryPoints ?? [this.tsEntry(spec, file)];
    const format = b ? (b.format ?? 'cjs') : 'esm';
    await mkdir(outDir, { recursive: true });
    // The repo is "type": "module": pin the output's module type so .js files load as the chosen format.
    await writeFile(join(outDir, 'package.json'), JSON.stringify({ type: format === 'esm' ? 'module' : 'commonjs' }));
    const watchPlugin: esbuild.Plugin = {
      name: 'emulator-rebuilt',
      setup: (build) => {
        let first = true;
        build.onEnd((result) => {
          if (first) {
            first = false;
            return onFirst(result);
          }
          if (!onRebuilt) return;
          if (result.errors.length > 0) {
            // The warm code stays as it was until the sources compile again.
            console.error(this.buildError(spec, result.errors).message);
            return;
          }
          const [, exportName] = splitHandler(spec.handler);
          onRebuilt(this.locate(spec, result, file, exportName));
        });
      },
    };
    return {
      entryPoints,
      outdir: outDir,
      bundle: true,
      platform: 'node',
      // Local runs use this Node (20), whatever nodejsXX.x the template names.
      target: b?.target ?? 'node20',
      format,
      minify: b?.minify ?? false,
      sourcemap: b?.sourcemap ?? true,
      external: b?.external ?? [],
      // Without esbuild metadata only the handler's own sources are compiled; packages load from node_modules.
      ...(b ? {} : { packages: 'external' as const }),
      ...(b?.outExtension ? { outExtension: b.outExtension } : {}),
      metafile: true,
      logLevel: 'silent',
      plugins: [watchPlugin],
    };
  }

  private tsEntry(spec: FunctionSpec, file: string): string {
    const entry = TS_EXTENSIONS.map((ext) => join(spec.codeDir, file + ext)).find((p) => existsSync(p));
    if (!entry) {
      const tried = [...PLAIN_EXTENSIONS, ...TS_EXTENSIONS].map((e) => file + e).join(', ');
      throw new TemplateError(this.templateFile, `Resources.${spec.logicalId}.Properties.Handler`, `no handler file in ${spec.codeDir} (tried ${tried})`);
    }
    return entry;
  }

  private async rebuild(ctx: esbuild.BuildContext, spec: FunctionSpec): Promise<esbuild.BuildResult> {
    try {
      return await ctx.rebuild();
    } catch (err) {
      throw this.buildError(spec, (err as esbuild.BuildFailure).errors ?? [], err);
    }
  }

  private buildError(spec: FunctionSpec, errors: esbuild.Message[], cause?: unknown): TemplateError {
    const text = errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ');
    return new TemplateError(this.templateFile, `Resources.${spec.logicalId}`, `esbuild failed: ${text || String(cause)}`);
  }

  /** The output whose entry point matches the Handler's file part (sam build names outputs after entry points). */
  private locate(spec: FunctionSpec, result: esbuild.BuildResult, file: string, exportName: string): BuiltFunction {
    const outputs = Object.entries(result.metafile?.outputs ?? {}).filter(([, o]) => o.entryPoint !== undefined);
    const stem = (p: string): string => basename(p, extname(p));
    const match = outputs.find(([out]) => stem(out) === stem(file));
    if (!match) {
      const names = outputs.map(([o]) => relative(process.cwd(), o)).join(', ');
      throw new TemplateError(this.templateFile, `Resources.${spec.logicalId}.Properties.Handler`, `"${spec.handler}" matches no built entry point (${names})`);
    }
    return { file: resolvePath(match[0]), exportName, sourcemap: spec.build?.sourcemap ?? true };
  }

  /** Stop every esbuild context (and its watcher). */
  async dispose(): Promise<void> {
    const all = [...this.contexts.values()];
    this.contexts.clear();
    await Promise.all(all.map((c) => c.dispose()));
  }
}
