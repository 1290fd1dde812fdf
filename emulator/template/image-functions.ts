/**
 * A container image function (PackageType Image) whose image `sam build` makes from a local Dockerfile on an AWS Lambda
 * base image for Node.js or Python (sam init's hello-img templates: `FROM public.ecr.aws/lambda/nodejs:22`, the code
 * copied to the task root, `CMD ["app.lambdaHandler"]`) holds what a zip function of that runtime would: its
 * DockerContext's files, run by that runtime with that handler. Such a function runs here that way, and the report says
 * so, with the Dockerfile's RUN steps it does not run. Any other Dockerfile (another base, a multi-stage build, files
 * copied elsewhere than the task root, ENV, ENTRYPOINT...) is not run, saying why.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve as resolvePath } from 'node:path';
import type { Stack } from './stack.js';

export type ImageAsZip = { runtime: string; handler: string; codeUri: string; note: string } | { unavailable: string };

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Where the base images put the function's code (LAMBDA_TASK_ROOT) and so where COPY must put it. */
const TASK_ROOT = new Set(['.', './', '/var/task', '/var/task/', '${LAMBDA_TASK_ROOT}', '${LAMBDA_TASK_ROOT}/', '$LAMBDA_TASK_ROOT', '$LAMBDA_TASK_ROOT/']);

/** Instructions that change nothing a zip function of the same runtime would see. */
const INERT = new Set(['ARG', 'LABEL', 'EXPOSE', 'MAINTAINER']);

const BASE_IMAGE = /^(?:public\.ecr\.aws\/lambda\/|amazon\/aws-lambda-)(nodejs|python):(\d+(?:\.\d+)?)/;

/** How an image function of the template runs locally: as a zip function of its base image's runtime, or not, with why. */
export function imageAsZip(stack: Stack, id: string, props: Record<string, unknown>, metadata: unknown): ImageAsZip {
  const context = isRecord(metadata) ? metadata.DockerContext : undefined;
  if (typeof context !== 'string') return { unavailable: 'no Metadata.DockerContext names a local Dockerfile to build it from' };
  const contextDir = resolvePath(stack.file, '..', context);
  const dockerfile = join(contextDir, typeof (metadata as Record<string, unknown>).Dockerfile === 'string' ? String((metadata as Record<string, unknown>).Dockerfile) : 'Dockerfile');
  if (!existsSync(dockerfile)) return { unavailable: `its Dockerfile ${relative(process.cwd(), dockerfile)} is missing` };
  const parsed = readDockerfile(readFileSync(dockerfile, 'utf8'), contextDir);
  if ('unavailable' in parsed) return parsed;
  const config = isRecord(props.ImageConfig) ? stack.resolve(props.ImageConfig, `Resources.${id}.Properties.ImageConfig`) : undefined;
  if (isRecord(config) && config.EntryPoint !== undefined) return { unavailable: "its ImageConfig.EntryPoint replaces the base image's runtime" };
  if (isRecord(config) && config.WorkingDirectory !== undefined && !TASK_ROOT.has(String(config.WorkingDirectory))) return { unavailable: `its ImageConfig.WorkingDirectory ${String(config.WorkingDirectory)} is not the task root` };
  const command = isRecord(config) && Array.isArray(config.Command) ? String(config.Command[0]) : parsed.handler;
  if (command === undefined) return { unavailable: "neither its Dockerfile's CMD nor ImageConfig.Command names the handler" };
  const runs = parsed.runs.length > 0 ? `; its RUN steps are not run here (${parsed.runs.join('; ')}): run them in ${context} for what they install` : '';
  const from = parsed.folder === undefined ? `its DockerContext ${context}` : `${join(context, parsed.folder)} (the folder of its DockerContext ${context} whose contents COPY puts in the task root)`;
  return {
    runtime: parsed.runtime,
    handler: command,
    codeUri: parsed.folder === undefined ? context : join(context, parsed.folder),
    note: `Resources.${id}.PackageType: Image: run as a ${parsed.runtime} function from ${from} with Handler ${command} (the Dockerfile's base image and ${isRecord(config) && Array.isArray(config.Command) ? 'ImageConfig.Command' : 'CMD'})${runs}`,
  };
}

/**
 * The runtime, handler (CMD) and RUN steps of a Dockerfile that only copies the context's files to the task root, or
 * the contents of one of its folders (`COPY src/ ${LAMBDA_TASK_ROOT}/`, `folder`) beside only installer inputs
 * (requirements.txt for a RUN pip install): the task root then holds that folder's layout, which runs from there.
 */
function readDockerfile(text: string, contextDir: string): { runtime: string; handler?: string; runs: string[]; folder?: string } | { unavailable: string } {
  const instructions = text
    .replace(/\\\r?\n/g, ' ')
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const [keyword = '', ...rest] = line.split(/\s+/);
      return { keyword: keyword.toUpperCase(), args: rest.join(' ') };
    });
  const froms = instructions.filter((i) => i.keyword === 'FROM');
  if (froms.length !== 1) return { unavailable: `its Dockerfile has ${froms.length} FROM instructions (a single AWS Lambda base image is read)` };
  const base = BASE_IMAGE.exec(froms[0]!.args.split(/\s+/).filter((t) => !t.startsWith('--'))[0] ?? '');
  if (!base) return { unavailable: `its base image ${froms[0]!.args} is not an AWS Lambda base image for Node.js or Python` };
  const runtime = base[1] === 'nodejs' ? `nodejs${base[2]!.split('.')[0]}.x` : `python${base[2]}`;
  let handler: string | undefined;
  const runs: string[] = [];
  const copied: CopiedSource[] = [];
  for (const { keyword, args } of instructions) {
    if (keyword === 'FROM' || INERT.has(keyword)) continue;
    if (keyword === 'RUN') runs.push(args);
    else if (keyword === 'CMD') handler = commandOf(args);
    else if (keyword === 'WORKDIR' && !TASK_ROOT.has(args)) return { unavailable: `its Dockerfile's WORKDIR ${args} is not the task root` };
    else if (keyword === 'COPY' || keyword === 'ADD') {
      const sources = copySources(keyword, args, contextDir);
      if ('unavailable' in sources) return sources;
      copied.push(...sources);
    } else if (keyword !== 'WORKDIR') return { unavailable: `its Dockerfile's ${keyword} is not applied locally` };
  }
  const folders = copied.filter((c) => c.folder !== undefined);
  // One folder's contents make the task root only when nothing else the function could read lands beside them.
  const alone = folders.length === 1 && copied.every((c) => c.folder !== undefined || INSTALLER_INPUT.test(c.source));
  if (folders.length > 0 && !alone) return { unavailable: `its Dockerfile's ${folders[0]!.keyword} ${folders[0]!.source} does not keep the context's layout in the task root` };
  return { runtime, ...(handler === undefined ? {} : { handler }), runs, ...(alone ? { folder: folders[0]!.folder! } : {}) };
}

/** Files only a RUN step reads (the package installers' inputs): copied to the task root, the function never reads them. */
const INSTALLER_INPUT = /^(?:requirements[\w.-]*\.txt|Pipfile(?:\.lock)?|pyproject\.toml|poetry\.lock|uv\.lock|package(?:-lock)?\.json|npm-shrinkwrap\.json|yarn\.lock|pnpm-lock\.yaml)$/;

/** One source of a COPY or ADD to the task root: `folder` when it is a context folder whose contents land there. */
interface CopiedSource {
  keyword: string;
  source: string;
  folder?: string;
}

function commandOf(args: string): string | undefined {
  if (args.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(args);
      return Array.isArray(parsed) && typeof parsed[0] === 'string' ? parsed[0] : undefined;
    } catch {
      return undefined;
    }
  }
  return args.split(/\s+/)[0];
}

/** The sources a COPY or ADD puts in the task root, or why it would not leave the context's files where the function reads them. */
function copySources(keyword: string, args: string, contextDir: string): CopiedSource[] | { unavailable: string } {
  let tokens: string[];
  try {
    tokens = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  } catch {
    return { unavailable: `its Dockerfile's ${keyword} ${args} cannot be read` };
  }
  const flags = tokens.filter((t) => t.startsWith('--'));
  const paths = tokens.filter((t) => !t.startsWith('--'));
  if (flags.some((f) => f.startsWith('--from'))) return { unavailable: `its Dockerfile copies from another image (${keyword} ${args})` };
  const destination = paths.pop() ?? '';
  if (!TASK_ROOT.has(destination)) return { unavailable: `its Dockerfile copies to ${destination}, not the task root where the function's code is read (${keyword} ${args})` };
  const sources: CopiedSource[] = [];
  for (const source of paths) {
    if (source === '.' || source === './') {
      sources.push({ keyword, source });
      continue;
    }
    // A folder copied to the task root leaves its contents there, not the folder: the task root is that folder's layout.
    const folder = source.replace(/^\.\//, '').replace(/\/+$/, '');
    const isFolder = !/[*?]/.test(folder) && existsSync(join(contextDir, folder)) && statSync(join(contextDir, folder)).isDirectory();
    const matches = matching(source, contextDir);
    if (isFolder && !folder.split('/').includes('..')) sources.push({ keyword, source, folder });
    else if (source.includes('/') || /^[a-z]+:\/\//i.test(source) || matches.some((m) => statSync(join(contextDir, m)).isDirectory())) {
      return { unavailable: `its Dockerfile's ${keyword} ${source} does not keep the context's layout in the task root` };
    } else sources.push({ keyword, source });
  }
  return sources;
}

/** The context's entries a COPY source names (a name, or a glob of * and ?). */
function matching(source: string, contextDir: string): string[] {
  if (!/[*?]/.test(source)) return existsSync(join(contextDir, source)) ? [source] : [];
  const pattern = new RegExp(`^${source.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return readdirSync(contextDir).filter((name) => pattern.test(name));
}
