/** AWS::Serverless::Function → FunctionSpec, with SAM's Globals and `sam build` esbuild metadata. */
import { existsSync } from 'node:fs';
import { dirname, isAbsolute, resolve as resolvePath } from 'node:path';
import { TemplateError, type FunctionBuild, type FunctionSpec } from './model.js';
import { applyGlobals } from './globals.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Build every AWS::Serverless::Function; AWS::Lambda::Function is reported as not runnable locally. */
export function loadFunctions(stack: Stack, globals: unknown, warnings: string[]): Map<string, FunctionSpec> {
  const out = new Map<string, FunctionSpec>();
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Lambda::Function') {
      warnings.push(`Resources.${id}: AWS::Lambda::Function is not run locally (only AWS::Serverless::Function with a local CodeUri)`);
    }
    if (res.Type !== 'AWS::Serverless::Function') continue;
    const props = applyGlobals(globals, 'Function', res.Properties);
    out.set(id, functionSpec(stack, id, props, res.Metadata));
  }
  return out;
}

function prop(stack: Stack, props: Record<string, unknown>, id: string, name: string): unknown {
  return props[name] === undefined ? undefined : stack.resolve(props[name], `Resources.${id}.Properties.${name}`);
}

function functionSpec(stack: Stack, id: string, props: Record<string, unknown>, metadata: unknown): FunctionSpec {
  const key = `Resources.${id}.Properties`;
  if (props.PackageType === 'Image') throw new TemplateError(stack.file, `${key}.PackageType`, 'Image functions are not supported locally');
  if (props.InlineCode !== undefined) throw new TemplateError(stack.file, `${key}.InlineCode`, 'InlineCode is not supported locally; use CodeUri');
  const handler = prop(stack, props, id, 'Handler');
  if (typeof handler !== 'string' || !handler.includes('.')) {
    throw new TemplateError(stack.file, `${key}.Handler`, `expected "file.export", got ${JSON.stringify(handler)}`);
  }
  const codeUri = prop(stack, props, id, 'CodeUri') ?? '.';
  if (typeof codeUri !== 'string' || codeUri.startsWith('s3://')) {
    throw new TemplateError(stack.file, `${key}.CodeUri`, 'must be a local directory (S3 locations cannot run locally)');
  }
  const codeDir = isAbsolute(codeUri) ? codeUri : resolvePath(dirname(stack.file), codeUri);
  if (!existsSync(codeDir)) throw new TemplateError(stack.file, `${key}.CodeUri`, `directory ${codeDir} does not exist`);
  const functionName = stack.physicalName(id);
  const spec: FunctionSpec = {
    logicalId: id,
    functionName,
    arn: `arn:aws:lambda:${stack.opts.region}:${stack.opts.accountId}:function:${functionName}`,
    codeDir,
    handler,
    runtime: String(prop(stack, props, id, 'Runtime') ?? ''),
    architectures: (prop(stack, props, id, 'Architectures') as string[] | undefined) ?? ['x86_64'],
    timeoutSeconds: Number(prop(stack, props, id, 'Timeout') ?? 3),
    memorySizeMb: Number(prop(stack, props, id, 'MemorySize') ?? 128),
    environment: environment(stack, props, id),
  };
  const build = buildSpec(stack, id, codeDir, metadata);
  if (build) spec.build = build;
  return spec;
}

function environment(stack: Stack, props: Record<string, unknown>, id: string): Record<string, string> {
  const env = prop(stack, props, id, 'Environment');
  const vars = isRecord(env) ? env.Variables : undefined;
  const out: Record<string, string> = {};
  if (!isRecord(vars)) return out;
  for (const [k, v] of Object.entries(vars)) {
    if (typeof v === 'object' && v !== null) {
      throw new TemplateError(stack.file, `Resources.${id}.Properties.Environment.Variables.${k}`, 'must resolve to a string');
    }
    out[k] = v === null ? '' : String(v);
  }
  return out;
}

/** Metadata.BuildMethod esbuild + BuildProperties, as `sam build` reads them. */
function buildSpec(stack: Stack, id: string, codeDir: string, metadata: unknown): FunctionBuild | undefined {
  if (!isRecord(metadata) || metadata.BuildMethod === undefined) return undefined;
  const key = `Resources.${id}.Metadata`;
  if (metadata.BuildMethod !== 'esbuild') {
    throw new TemplateError(stack.file, `${key}.BuildMethod`, `only "esbuild" is supported locally, got ${JSON.stringify(metadata.BuildMethod)}`);
  }
  const p = isRecord(metadata.BuildProperties) ? (stack.resolve(metadata.BuildProperties, `${key}.BuildProperties`) as Record<string, unknown>) : {};
  const entries = Array.isArray(p.EntryPoints) ? p.EntryPoints.map(String) : [];
  if (entries.length === 0) throw new TemplateError(stack.file, `${key}.BuildProperties.EntryPoints`, 'esbuild needs at least one entry point');
  const build: FunctionBuild = { entryPoints: entries.map((e) => resolvePath(codeDir, e)) };
  if (p.Target !== undefined) build.target = String(p.Target);
  if (p.Format !== undefined) build.format = String(p.Format).toLowerCase() === 'esm' ? 'esm' : 'cjs';
  if (p.Minify !== undefined) build.minify = p.Minify === true || p.Minify === 'true';
  if (p.Sourcemap !== undefined) build.sourcemap = p.Sourcemap === true || p.Sourcemap === 'true';
  if (Array.isArray(p.External)) build.external = p.External.map(String);
  if (Array.isArray(p.OutExtension)) build.outExtension = keyValues(p.OutExtension.map(String));
  if (Array.isArray(p.Banner)) build.banner = keyValues(p.Banner.map(String));
  return build;
}

/** SAM writes OutExtension and Banner as lists of "key=value" strings (".js=.mjs", "js=import ..."). */
function keyValues(list: string[]): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of list) {
    const eq = item.indexOf('=');
    if (eq > 0) out[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return out;
}
