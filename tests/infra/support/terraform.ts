/** infra/terraform read offline: every .tf parsed by HashiCorp's HCL parser (hcl2json, I14.3), merged into one tree. */
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from '@cdktf/hcl2json';
import { REPO_ROOT } from '../../../infra/contract.js';
import type { Json } from './cfn.js';
import { hclEvaluator } from './hcl-eval.js';

export const TERRAFORM_DIR = resolve(REPO_ROOT, 'infra/terraform');

type Block = Record<string, unknown>;
export interface TerraformConfig {
  files: string[];
  /** type → name → body */
  resource: Record<string, Record<string, Block>>;
  data: Record<string, Record<string, Block>>;
  ephemeral: Record<string, Record<string, Block>>;
  locals: Record<string, unknown>;
  variable: Record<string, Block>;
  output: Record<string, Block>;
  terraform: Block[];
}

const first = (blocks: unknown): Block => (Array.isArray(blocks) ? (blocks[0] as Block) : (blocks as Block));

/** A resource's parsed body; throws, naming it, when the configuration does not declare it. */
export function resourceOf(tf: TerraformConfig, type: string, name: string): Block {
  const body = tf.resource[type]?.[name];
  if (!body) throw new Error(`no resource ${type}.${name}`);
  return body;
}

/** The first `name` block of a parsed body (hcl2json gives blocks as lists), or {} when there is none. */
export function firstBlock(body: unknown, name: string): Block {
  return (((body as Block)[name] as Block[] | undefined)?.[0] ?? {}) as Block;
}

/** Parse every `.tf` file (a syntax error throws, naming the file). */
export async function loadTerraform(dir = TERRAFORM_DIR): Promise<TerraformConfig> {
  const files = readdirSync(dir).filter((f) => f.endsWith('.tf')).sort();
  const config: TerraformConfig = { files, resource: {}, data: {}, ephemeral: {}, locals: {}, variable: {}, output: {}, terraform: [] };
  for (const file of files) {
    const tree = (await parse(file, readFileSync(join(dir, file), 'utf8'))) as Record<string, unknown>;
    for (const kind of ['resource', 'data', 'ephemeral'] as const) {
      for (const [type, byName] of Object.entries((tree[kind] ?? {}) as Record<string, Record<string, unknown>>)) {
        for (const [name, body] of Object.entries(byName)) {
          const slot = (config[kind][type] ??= {});
          if (slot[name]) throw new Error(`${file}: ${kind} ${type}.${name} is declared twice`);
          slot[name] = first(body);
        }
      }
    }
    for (const block of (tree.locals ?? []) as Block[]) Object.assign(config.locals, block);
    for (const [name, body] of Object.entries((tree.variable ?? {}) as Record<string, unknown>)) config.variable[name] = first(body);
    for (const [name, body] of Object.entries((tree.output ?? {}) as Record<string, unknown>)) config.output[name] = first(body);
    config.terraform.push(...((tree.terraform ?? []) as Block[]));
  }
  return config;
}

/** The terraform binary, when this machine has one (none is installable from the reachable registries, I14.1). */
export function terraformBinary(): string | undefined {
  for (const candidate of [process.env.TERRAFORM_BIN, '/usr/local/bin/terraform', '/usr/bin/terraform'].filter(Boolean) as string[]) {
    if (existsSync(candidate)) return candidate;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v terraform'], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Every `${...}` interpolation in a parsed value (strings of nested objects and lists). */
export function interpolations(value: unknown): string[] {
  if (typeof value === 'string') return [...value.matchAll(/\$\{((?:[^{}]|\{[^{}]*\})*)\}/g)].map((m) => m[1] as string);
  if (Array.isArray(value)) return value.flatMap(interpolations);
  if (value && typeof value === 'object') return Object.values(value).flatMap(interpolations);
  return [];
}

/** Evaluates parsed values of `tf` with these variables (the others at their defaults), see hcl-eval.ts. */
export function evaluatorFor(tf: TerraformConfig, vars: Record<string, Json> = {}, names: Record<string, Json> = {}): ReturnType<typeof hclEvaluator> {
  const values = { ...Object.fromEntries(Object.entries(tf.variable).map(([k, v]) => [k, v.default as Json])), ...vars };
  return hclEvaluator({ vars: values, locals: tf.locals, names });
}

/** How many instances a resource has with these variables: its count, or the keys of its for_each. */
export function instanceKeys(tf: TerraformConfig, type: string, name: string, vars: Record<string, Json> = {}): (string | number)[] {
  const body = resourceOf(tf, type, name);
  const evaluate = evaluatorFor(tf, vars);
  if ('for_each' in body) return Object.keys(evaluate(body.for_each) as object);
  const count = 'count' in body ? evaluate(body.count) : 1;
  if (typeof count !== 'number') throw new Error(`${type}.${name}: count is ${JSON.stringify(count)}`);
  return Array.from({ length: count }, (_, i) => i);
}
