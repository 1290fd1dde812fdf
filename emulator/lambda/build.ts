/**
 * Build a function's code the way `sam build` does (esbuild metadata), or locate a plain handler file.
 * Functions whose build settings are the same are bundled by ONE esbuild build with several entry
 * points: esbuild then parses the modules they share (the AWS SDK, Powertools) once, not once per
 * function, which is most of the emulator's start-up time. Each function still gets its own output
 * file and runs in its own execution environments.
 */
import { createHash, randomBytes } from 'node:crypto';
import { existsSync, readdirSync, rmSync } from 'node:fs';
import { mkdir, rename, rm } from 'node:fs/promises';
import { basename, dirname, extname, join, relative, resolve as resolvePath } from 'node:path';
import { createRequire } from 'node:module';
import type * as esbuild from 'esbuild';
import { TemplateError, type FunctionSpec } from '../template/model.js';
import { hash, readCache, writeAtomically, writeCache } from './build-output.js';
import { NODE_CFN_RESPONSE, PYTHON_CFN_RESPONSE } from './cfn-response.js';
import { dottedFileHint, handlerPathHint } from './handler-hint.js';
import { installHint } from './install-hint.js';
import { externalPackages } from './external-packages.js';
import { processAlive } from './function-processes.js';

const requireCjs = createRequire(import.meta.url);

/** An entry point without an extension is its .ts file, else its .js file, as sam build's esbuild workflow reads it. */
function explicitEntry(entry: string): string {
  if (extname(entry) !== '') return entry;
  return ['.ts', '.js'].map((ext) => entry + ext).find((p) => existsSync(p)) ?? entry;
}
/** esbuild's API, loaded when something is to be compiled: a start whose builds are all cached never needs it. */
const loadEsbuild = (): typeof esbuild => requireCjs('esbuild') as typeof esbuild;
/** The installed esbuild's version (part of every build's cache key), read without loading esbuild. */
const esbuildVersion = (): string => (requireCjs('esbuild/package.json') as { version: string }).version;

export interface BuiltFunction {
  /** Absolute path of the module that exports the handler. */
  file: string;
  exportName: string;
  sourcemap: boolean;
  /**
   * Set for a plain `.js` handler with no package.json inside its code directory: Lambda then loads it as
   * CommonJS (the deployment package is all it sees), whatever a package.json above that directory says.
   */
  commonjsRoot?: string;
  /** Run from its code folder as it is (no build step): it resolves modules up the source tree, as a zip would not let it. */
  runsInPlace?: boolean;
  /** The packages the bundle imports and does not hold (External), which sam build's artifact lacks. */
  externals?: string[];
}

const PLAIN_EXTENSIONS = ['.js', '.mjs', '.cjs'];
const TS_EXTENSIONS = ['.ts', '.mts', '.cts'];

/**
 * "dir/file.export" → ["dir/file", "export"], as Lambda's Node.js runtime splits a Handler (UserFunction.js): the
 * module ends at the first dot after the last "/", and the rest is a property path ("app.handlers.get" → "app",
 * "handlers.get"), so a file named get.item.js is no module of a Handler.
 */
export function splitHandler(handler: string): [string, string] {
  const dot = handler.indexOf('.', handler.lastIndexOf('/') + 1);
  return [handler.slice(0, dot), handler.slice(dot + 1)];
}

const stem = (p: string): string => basename(p, extname(p));

/** Functions bundled together: same settings, distinct entry-point names (outputs share a folder). */
interface BuildGroup {
  id: string;
  specs: FunctionSpec[];
  entryPoints: string[];
  outDir: string;
  result?: Promise<esbuild.BuildResult>;
  ctx?: esbuild.BuildContext;
  listeners: Map<string, (built: BuiltFunction) => void>;
  /** Hash of each output file's last written contents, to reload only the functions that changed. */
  written: Map<string, string>;
  /** `sam build` ran again (refresh): built again at the next build(), after any build under way. */
  stale?: boolean;
}

/**
 * The Lambda Node.js runtime provides the AWS SDK v3: an `@aws-sdk/*` import the function's folders cannot resolve
 * (dependencies not installed, or only the runtime's relied on) stays an import in the bundle, which the environment
 * then resolves from the SDK installed beside the gateway (lambda/runtime-modules.ts), instead of failing the build.
 */
const runtimeSdk: esbuild.Plugin = {
  name: 'runtime-provided-aws-sdk',
  setup(build) {
    build.onResolve({ filter: /^@aws-sdk\// }, async (args) => {
      if (args.pluginData === 'runtime-sdk') return undefined;
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'runtime-sdk' });
      return found.errors.length === 0 ? found : { path: args.path, external: true };
    });
  },
};

/** The build settings functions must share to be built together (everything but their entry points). */
function settingsHash(spec: FunctionSpec): string {
  return hash(JSON.stringify({ ...spec.build, entryPoints: undefined, plain: spec.build === undefined }));
}


/**
 * Removes the staging folders beside `outDir` that a gateway killed mid-build left (`<outDir>.<pid>.<hex>.tmp`, whose
 * pid no live process has); a live gateway's, this one's included, are left to it. Returns those removed.
 */
export function sweepStaleStaging(outDir: string, isAlive: (pid: number) => boolean = processAlive): string[] {
  const prefix = `${basename(outDir)}.`;
  let names: string[];
  try {
    names = readdirSync(dirname(outDir));
  } catch {
    return [];
  }
  const removed: string[] = [];
  for (const name of names) {
    const pid = name.startsWith(prefix) ? /^(\d+)\.[0-9a-f]{8}\.tmp$/.exec(name.slice(prefix.length))?.[1] : undefined;
    if (pid === undefined || Number(pid) === process.pid || isAlive(Number(pid))) continue;
    rmSync(join(dirname(outDir), name), { recursive: true, force: true });
    removed.push(join(dirname(outDir), name));
  }
  return removed;
}

/**
 * esbuild's service process is one per gateway, shared by every FunctionBuilder (the root stack's and each nested
 * stack's): it is stopped when no builder has a one-shot build under way or a watching context. A builder that
 * counted only its own builds stopped the service under another's, whose build then never ended (the start hung).
 */
const esbuildUse = { builds: 0, contexts: new Set<esbuild.BuildContext>() };

function stopEsbuildWhenIdle(): void {
  if (esbuildUse.builds === 0 && esbuildUse.contexts.size === 0) void loadEsbuild().stop();
}

export class FunctionBuilder {
  private readonly groups = new Map<string, BuildGroup>();
  private readonly groupOf = new Map<string, BuildGroup>();

  constructor(
    private readonly templateFile: string,
    /** Output root, `<repo>/.emulator/build` by default (inside the repo so externals resolve from node_modules). */
    private readonly outRoot = resolvePath('.emulator', 'build'),
  ) {}

  /** A short name for this builder's template, in the names of the folders it writes. */
  private get templateTag(): string {
    return createHash('sha256').update(resolvePath(this.templateFile)).digest('hex').slice(0, 8);
  }

  /** Declare every function up front so that those with the same settings are built together. */
  plan(specs: Iterable<FunctionSpec>): void {
    for (const spec of specs) {
      if (this.groupOf.has(spec.logicalId) || !this.needsBuild(spec)) continue;
      try {
        this.assign(spec);
      } catch {
        // A missing handler file is reported when that function is built, with its own key.
      }
    }
  }

  /** Build (or rebuild, incrementally) one function; `onRebuilt` turns on esbuild watch mode for its group. */
  async build(spec: FunctionSpec, onRebuilt?: (built: BuiltFunction) => void): Promise<BuiltFunction> {
    const [file, exportName] = splitHandler(spec.handler);
    if (spec.inlineCode !== undefined) return this.writeInline(spec, file, exportName);
    if (!this.needsBuild(spec)) {
      // No JavaScript (TypeScript only): the .js the runtime looks for, which it does not find.
      const plain = PLAIN_EXTENSIONS.map((ext) => join(spec.codeDir, file + ext)).find((p) => existsSync(p)) ?? join(spec.codeDir, `${file}.js`);
      const commonjs = plain.endsWith('.js') && !packageJsonWithin(dirname(plain), spec.codeDir);
      return { file: plain, exportName, sourcemap: false, runsInPlace: true, ...(commonjs ? { commonjsRoot: resolvePath(spec.codeDir) } : {}) };
    }
    const group = this.groupOf.get(spec.logicalId) ?? this.assign(spec);
    if (onRebuilt) group.listeners.set(spec.logicalId, onRebuilt);
    if (group.stale && !group.ctx) {
      group.stale = false;
      const previous = group.result ?? Promise.resolve();
      group.result = previous.then(
        () => this.start(group, false),
        () => this.start(group, false),
      );
    }
    group.result ??= this.start(group, onRebuilt !== undefined);
    try {
      return this.locate(spec, await group.result);
    } catch (error) {
      // One function that does not build (a dependency not installed) fails those built with it: each is then built
      // on its own, so that only the one at fault fails.
      if (group.specs.length === 1) throw error;
      group.listeners.delete(spec.logicalId);
      this.alone(spec);
      return this.build(spec, onRebuilt);
    }
  }

  /**
   * `sam build` ran again: as `sam local` then runs its new output, the function's group is built again at its next
   * build() (from the cache when none of its sources changed). A group esbuild watches rebuilds by itself.
   */
  refresh(logicalId: string): void {
    const group = this.groupOf.get(logicalId);
    if (group && !group.ctx) group.stale = true;
  }

  /** A group of its own for this function, from now on. */
  private alone(spec: FunctionSpec): void {
    const id = `${settingsHash(spec)}-${this.templateTag}-alone-${this.groups.size}`;
    const group: BuildGroup = { id, specs: [spec], entryPoints: this.entryPointsOf(spec), outDir: join(this.outRoot, id), listeners: new Map(), written: new Map() };
    this.groups.set(id, group);
    this.groupOf.set(spec.logicalId, group);
  }

  /**
   * Code.ZipFile / InlineCode: Lambda puts the source in index.js (CommonJS: no package.json says
   * otherwise) and loads the Handler's file from there, so a Handler not naming `index` fails to import, as on AWS.
   */
  private async writeInline(spec: FunctionSpec, file: string, exportName: string): Promise<BuiltFunction> {
    const dir = await this.writeInlineSource(spec, 'index.js');
    await writeAtomically(join(dir, 'package.json'), JSON.stringify({ type: 'commonjs' }));
    return { file: join(dir, `${file}.js`), exportName, sourcemap: false };
  }

  private readonly customDirs = new Set<string>();

  /**
   * Where a custom runtime's build (go build, make) writes the function's code, its /var/task: a folder of this
   * gateway's own (template, function, process), so that two gateways started from one folder (every `sam init`
   * template names its function HelloWorldFunction) never replace each other's binary; removed at dispose, and those
   * of gateways no longer running are removed here.
   */
  customOutDir(logicalId: string): string {
    const root = join(this.outRoot, 'custom');
    const template = this.templateTag;
    if (this.customDirs.size === 0 && existsSync(root)) {
      for (const name of readdirSync(root)) {
        const pid = Number(/-(\d+)$/.exec(name)?.[1]);
        if (pid && pid !== process.pid && !processAlive(pid)) rmSync(join(root, name), { recursive: true, force: true });
      }
    }
    const dir = join(root, `${logicalId}-${template}-${process.pid}`);
    this.customDirs.add(dir);
    return dir;
  }

  /**
   * Inline source written where Lambda puts it (index.js, index.py for Python); returns its directory. The folder is
   * named by the code as well as the function: gateways started from one folder share the build output, and two
   * templates with an inline function of the same name wrote one file, each then running the other's code.
   */
  async writeInlineSource(spec: FunctionSpec, fileName: string): Promise<string> {
    const digest = createHash('sha256').update(`${fileName}\0${spec.inlineCode ?? ''}`).digest('hex').slice(0, 16);
    const dir = join(this.outRoot, 'inline', `${spec.logicalId}-${digest}`);
    await mkdir(dir, { recursive: true });
    await writeAtomically(join(dir, fileName), spec.inlineCode ?? '');
    // CloudFormation gives inline code its cfn-response module (a custom resource's function answers with it).
    if (fileName.endsWith('.py')) await writeAtomically(join(dir, 'cfnresponse.py'), PYTHON_CFN_RESPONSE);
    else {
      await mkdir(join(dir, 'node_modules', 'cfn-response'), { recursive: true });
      await writeAtomically(join(dir, 'node_modules', 'cfn-response', 'index.js'), NODE_CFN_RESPONSE);
    }
    return dir;
  }

  /**
   * Only a function with a build step (SAM's BuildMethod esbuild, CDK's bundled code) is built; one without runs as its
   * folder holds it, as Lambda runs a deployed package: a handler with only a TypeScript file there fails as Lambda's
   * runtime fails it (sam build compiles TypeScript only with esbuild; a CDK asset is deployed as it is), with a hint
   * (install-hint.ts). A handler with no file at all is reported as such (tsEntry).
   */
  private needsBuild(spec: FunctionSpec): boolean {
    if (spec.inlineCode !== undefined) return false;
    if (spec.build) return true;
    const [file] = splitHandler(spec.handler);
    return ![...PLAIN_EXTENSIONS, ...TS_EXTENSIONS].some((ext) => existsSync(join(spec.codeDir, file + ext)));
  }

  private entryPointsOf(spec: FunctionSpec): string[] {
    const [file] = splitHandler(spec.handler);
    return spec.build?.entryPoints.map(explicitEntry) ?? [this.tsEntry(spec, file)];
  }

  private assign(spec: FunctionSpec): BuildGroup {
    const entries = this.entryPointsOf(spec);
    const settings = settingsHash(spec);
    const clash = (g: BuildGroup): boolean => entries.some((e) => g.entryPoints.some((o) => o !== e && stem(o) === stem(e)));
    let group = [...this.groups.values()].find((g) => g.id.startsWith(settings) && !g.result && !clash(g));
    if (!group) {
      // Named by the template too: gateways started from one folder share the output root, and two templates' groups
      // with the same settings (two sam init apps, each an app.ts) wrote into one folder, the later bundle replacing
      // the earlier one's.
      const id = `${settings}-${this.templateTag}-${this.groups.size}`;
      group = { id, specs: [], entryPoints: [], outDir: join(this.outRoot, id), listeners: new Map(), written: new Map() };
      this.groups.set(id, group);
    }
    group.specs.push(spec);
    for (const e of entries) if (!group.entryPoints.includes(e)) group.entryPoints.push(e);
    this.groupOf.set(spec.logicalId, group);
    return group;
  }

  private async start(group: BuildGroup, watch: boolean): Promise<esbuild.BuildResult> {
    let resolveFirst!: (r: esbuild.BuildResult) => void;
    const firstBuild = new Promise<esbuild.BuildResult>((r) => (resolveFirst = r));
    const options = await this.options(group, resolveFirst);
    const cacheKey = hash(JSON.stringify({ ...options, plugins: undefined, esbuild: esbuildVersion() }));
    if (!watch) return (await readCache(group.outDir, cacheKey)) ?? this.buildOnce(group, options, cacheKey);
    group.ctx = await loadEsbuild().context(options);
    esbuildUse.contexts.add(group.ctx);
    // watch() starts with a build of its own: take that one as the first build.
    await group.ctx.watch();
    const result = await firstBuild;
    if (result.errors.length > 0) throw await this.pinpoint(group, result.errors);
    return result;
  }

  /**
   * One build, no watcher: esbuild writes the bundles itself into a sibling folder (the same depth, so the source
   * maps' relative paths hold), then each file is renamed into place, atomically. Passing the outputs through this
   * process instead (write: false) moved every bundle and source map over esbuild's pipe: most of a cold start.
   */
  private async buildOnce(group: BuildGroup, options: esbuild.BuildOptions, cacheKey: string): Promise<esbuild.BuildResult> {
    sweepStaleStaging(group.outDir);
    const staging = `${group.outDir}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`;
    esbuildUse.builds += 1;
    try {
      let result: esbuild.BuildResult;
      try {
        result = await loadEsbuild().build({ ...options, outdir: staging, write: true, plugins: [runtimeSdk] });
      } catch (err) {
        throw await this.pinpoint(group, (err as esbuild.BuildFailure).errors ?? [], err);
      }
      const outputs: esbuild.Metafile['outputs'] = {};
      const from = relative(process.cwd(), staging);
      const to = relative(process.cwd(), group.outDir);
      for (const [path, output] of Object.entries(result.metafile?.outputs ?? {})) {
        const final = join(to, relative(from, path));
        await rename(path, final);
        outputs[final] = output;
      }
      const moved = { ...result, metafile: { inputs: result.metafile?.inputs ?? {}, outputs } };
      await writeCache(group.outDir, cacheKey, moved);
      return moved;
    } finally {
      await rm(staging, { recursive: true, force: true });
      esbuildUse.builds -= 1;
      // esbuild keeps its service process (about 13 MB) for the next call; with no build under way and no watcher, the
      // gateway has no use for it until a function is built again (esbuild then starts a new one).
      stopEsbuildWhenIdle();
    }
  }

  private async options(group: BuildGroup, onFirst: (r: esbuild.BuildResult) => void): Promise<esbuild.BuildOptions> {
    const spec = group.specs[0] as FunctionSpec;
    const b = spec.build;
    const format = b ? (b.format ?? 'cjs') : 'esm';
    await mkdir(group.outDir, { recursive: true });
    // The repo is "type": "module": pin the output's module type so .js files load as the chosen format.
    await writeAtomically(join(group.outDir, 'package.json'), JSON.stringify({ type: format === 'esm' ? 'module' : 'commonjs' }));
    let first = true;
    const rebuilt: esbuild.Plugin = {
      name: 'emulator-rebuilt',
      setup: (build) => {
        build.onEnd(async (result) => {
          // Outputs are written by us, each atomically: a worker (or another emulator sharing the
          // folder) never loads a half-written bundle.
          const changed = new Set<string>();
          for (const file of result.outputFiles ?? []) {
            const digest = createHash('sha1').update(file.contents).digest('hex');
            if (group.written.get(file.path) !== digest) changed.add(resolvePath(file.path));
            group.written.set(file.path, digest);
          }
          await Promise.all((result.outputFiles ?? []).filter((f) => changed.has(resolvePath(f.path))).map((f) => writeAtomically(f.path, f.contents)));
          if (first) {
            first = false;
            return onFirst(result);
          }
          if (result.errors.length > 0) {
            // The warm code stays as it was until the sources compile again.
            console.error(this.buildError(group.specs, result.errors).message);
            return;
          }
          // A shared build rebuilds every entry point; only functions whose bundle changed are reloaded.
          for (const s of group.specs) {
            const built = this.locate(s, result);
            if (changed.has(built.file)) group.listeners.get(s.logicalId)?.(built);
          }
        });
      },
    };
    return {
      entryPoints: group.entryPoints,
      outdir: group.outDir,
      bundle: true,
      platform: 'node',
      // sam build adds --target=es2020 and --minify when BuildProperties leaves them out (aws-lambda-builders'
      // build_default_values): the bundle Lambda runs is built so (a top-level await refused, class names mangled).
      // Without esbuild metadata a function is not bundled (only its missing handler file is reported from here).
      target: b ? (b.target ?? 'es2020') : 'node20',
      format,
      minify: b ? (b.minify ?? true) : false,
      sourcemap: b?.sourcemap ?? true,
      external: b?.external ?? [],
      // Without esbuild metadata only the handler's own sources are compiled; packages load from node_modules.
      ...(b ? {} : { packages: 'external' as const }),
      ...(b?.outExtension ? { outExtension: b.outExtension } : {}),
      ...(b?.banner ? { banner: b.banner } : {}),
      ...(b?.footer ? { footer: b.footer } : {}),
      ...(b?.mainFields ? { mainFields: b.mainFields } : {}),
      ...(b?.loader ? { loader: b.loader as Record<string, esbuild.Loader> } : {}),
      ...(b?.define ? { define: b.define } : {}),
      ...(b?.keepNames !== undefined ? { keepNames: b.keepNames } : {}),
      // The functions of a group are built together; with ES modules esbuild then writes the code they share (the AWS
      // SDK, Powertools) once, in chunks beside the bundles, instead of once per function (measured on the Task API's 8
      // functions: ~0.25 s instead of ~1.0 s, most of a cold start). Each environment still runs one function's entry
      // and what it imports, as from its own bundle: nothing is shared between environments at run time.
      ...(format === 'esm' && group.entryPoints.length > 1 ? { splitting: true } : {}),
      metafile: true,
      write: false,
      logLevel: 'silent',
      plugins: [rebuilt, runtimeSdk],
    };
  }

  private tsEntry(spec: FunctionSpec, file: string): string {
    const entry = TS_EXTENSIONS.map((ext) => join(spec.codeDir, file + ext)).find((p) => existsSync(p));
    if (!entry) {
      const tried = [...PLAIN_EXTENSIONS, ...TS_EXTENSIONS].map((e) => file + e).join(', ');
      const extensions = [...PLAIN_EXTENSIONS, ...TS_EXTENSIONS];
      const hint = handlerPathHint(spec.codeDir, file, splitHandler(spec.handler)[1], extensions) + dottedFileHint(spec.codeDir, spec.handler, extensions);
      throw new TemplateError(this.templateFile, `Resources.${spec.logicalId}.Properties.Handler`, `no handler file in ${spec.codeDir} (tried ${tried})${hint}`);
    }
    return entry;
  }

  /** A group failed: build its functions one by one (error path only) to name the one that does not build. */
  private async pinpoint(group: BuildGroup, errors: esbuild.Message[], cause?: unknown): Promise<TemplateError> {
    if (group.specs.length === 1) return this.buildError(group.specs, errors, cause);
    for (const spec of group.specs) {
      const alone = await loadEsbuild()
        .build({ entryPoints: this.entryPointsOf(spec), bundle: true, platform: 'node', write: false, logLevel: 'silent', plugins: [runtimeSdk], ...(spec.build ? {} : { packages: 'external' as const }) })
        .then(() => undefined, (err: esbuild.BuildFailure) => err.errors ?? []);
      if (alone) return this.buildError([spec], alone);
    }
    return this.buildError(group.specs, errors, cause);
  }

  private buildError(specs: FunctionSpec[], errors: esbuild.Message[], cause?: unknown): TemplateError {
    const text = errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`).join('; ');
    const key = specs.map((s) => `Resources.${s.logicalId}`).join(', ');
    const hint = installHint(errors.map((e) => e.text), specs.map((s) => s.codeDir), dirname(resolvePath(this.templateFile)));
    return new TemplateError(this.templateFile, key, `esbuild failed: ${text || String(cause)}${hint}`);
  }

  /** The output built from this function's entry point whose name is the Handler's file part (as sam build names it). */
  private locate(spec: FunctionSpec, result: esbuild.BuildResult): BuiltFunction {
    const [file, exportName] = splitHandler(spec.handler);
    const own = new Set(this.entryPointsOf(spec).map((e) => resolvePath(e)));
    const outputs = Object.entries(result.metafile?.outputs ?? {}).filter(([, o]) => o.entryPoint !== undefined && own.has(resolvePath(o.entryPoint)));
    const match = outputs.find(([out]) => stem(out) === stem(file));
    if (!match) {
      const names = outputs.map(([o]) => relative(process.cwd(), o)).join(', ');
      throw new TemplateError(this.templateFile, `Resources.${spec.logicalId}.Properties.Handler`, `"${spec.handler}" matches no built entry point (${names})`);
    }
    const externals = externalPackages(result.metafile?.outputs ?? {}, match[0]);
    return { file: resolvePath(match[0]), exportName, sourcemap: spec.build?.sourcemap ?? true, ...(externals.length > 0 ? { externals } : {}) };
  }

  /** Stop every esbuild context (and its watcher). */
  async dispose(): Promise<void> {
    for (const dir of this.customDirs) rmSync(dir, { recursive: true, force: true });
    this.customDirs.clear();
    const all = [...this.groups.values()].map((g) => g.ctx).filter((c): c is esbuild.BuildContext => c !== undefined);
    this.groups.clear();
    this.groupOf.clear();
    for (const c of all) esbuildUse.contexts.delete(c);
    await Promise.all(all.map((c) => c.dispose()));
  }
}

/** Whether a process with this id runs (signal 0 checks without sending anything). */
/** Whether a package.json sits in `dir` or a parent of it up to `root` (inclusive): what Lambda's Node runtime can see. */
function packageJsonWithin(dir: string, root: string): boolean {
  const top = resolvePath(root);
  for (let current = resolvePath(dir); ; current = dirname(current)) {
    if (existsSync(join(current, 'package.json'))) return true;
    if (current === top || dirname(current) === current) return false;
  }
}
