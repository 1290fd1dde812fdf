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
  return {
    runtime: parsed.runtime,
    handler: command,
    codeUri: context,
    note: `Resources.${id}.PackageType: Image: run as a ${parsed.runtime} function from its DockerContext ${context} with Handler ${command} (the Dockerfile's base image and ${isRecord(config) && Array.isArray(config.Command) ? 'ImageConfig.Command' : 'CMD'})${runs}`,
  };
}

/** The runtime, handler (CMD) and RUN steps of a Dockerfile that only copies the context's files to the task root. */
function readDockerfile(text: string, contextDir: string): { runtime: string; handler?: string; runs: string[] } | { unavailable: string } {
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
  for (const { keyword, args } of instructions) {
    if (keyword === 'FROM' || INERT.has(keyword)) continue;
    if (keyword === 'RUN') runs.push(args);
    else if (keyword === 'CMD') handler = commandOf(args);
    else if (keyword === 'WORKDIR' && !TASK_ROOT.has(args)) return { unavailable: `its Dockerfile's WORKDIR ${args} is not the task root` };
    else if (keyword === 'COPY' || keyword === 'ADD') {
      const why = copyProblem(keyword, args, contextDir);
      if (why) return { unavailable: why };
    } else if (keyword !== 'WORKDIR') return { unavailable: `its Dockerfile's ${keyword} is not applied locally` };
  }
  return { runtime, ...(handler === undefined ? {} : { handler }), runs };
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

/** Why a COPY or ADD would not leave the context's files where the function reads them ('' when it would). */
function copyProblem(keyword: string, args: string, contextDir: string): string {
  let tokens: string[];
  try {
    tokens = args.startsWith('[') ? (JSON.parse(args) as string[]) : args.split(/\s+/);
  } catch {
    return `its Dockerfile's ${keyword} ${args} cannot be read`;
  }
  const flags = tokens.filter((t) => t.startsWith('--'));
  const paths = tokens.filter((t) => !t.startsWith('--'));
  if (flags.some((f) => f.startsWith('--from'))) return `its Dockerfile copies from another image (${keyword} ${args})`;
  const destination = paths.pop() ?? '';
  if (!TASK_ROOT.has(destination)) return `its Dockerfile copies to ${destination}, not the task root where the function's code is read (${keyword} ${args})`;
  for (const source of paths) {
    if (source === '.' || source === './') continue;
    // A folder copied to the task root leaves its contents there, not the folder: the layout would not be the context's.
    const matches = matching(source, contextDir);
    if (source.includes('/') || /^[a-z]+:\/\//i.test(source) || matches.some((m) => statSync(join(contextDir, m)).isDirectory())) {
      return `its Dockerfile's ${keyword} ${source} does not keep the context's layout in the task root`;
    }
  }
  return '';
}

/** The context's entries a COPY source names (a name, or a glob of * and ?). */
function matching(source: string, contextDir: string): string[] {
  if (!/[*?]/.test(source)) return existsSync(join(contextDir, source)) ? [source] : [];
  const pattern = new RegExp(`^${source.replace(/[.+^${}()|[\]\\]/g, '\\$&').replace(/\*/g, '.*').replace(/\?/g, '.')}$`);
  return readdirSync(contextDir).filter((name) => pattern.test(name));
}
