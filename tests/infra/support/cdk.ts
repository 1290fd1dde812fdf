/** The CDK stack synthesized in-process for assertions (no CLI, no account, no CloudFormation schema pass). */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { Template } from 'aws-cdk-lib/assertions';
import { REPO_ROOT } from '../../../infra/contract.js';
import { bundleFunctions, DEFAULT_BUNDLE_DIR } from '../../../infra/bundle.js';
import { buildApp } from '../../../infra/cdk/app.js';
import type { TaskApiStack } from '../../../infra/cdk/stack.js';
import { cdkNamer, type CfnTemplate, type Namer } from './cfn.js';

export interface SynthesizedStack {
  stack: TaskApiStack;
  template: Template;
  json: CfnTemplate;
  /** Logical id → construct name (`ListTasksFunction`), see cdkNamer. */
  name: Namer;
}

let bundled: Promise<unknown> | undefined;

/** Bundle the handlers (once per test file) and synthesize the stack with these settings. */
export async function synthesize(settings: Record<string, unknown> = {}): Promise<SynthesizedStack> {
  bundled ??= bundleFunctions(DEFAULT_BUNDLE_DIR);
  await bundled;
  const { stack } = buildApp({ bundleDir: DEFAULT_BUNDLE_DIR, settings, cfnValidation: false });
  const template = Template.fromStack(stack);
  const json = template.toJSON() as CfnTemplate;
  return { stack, template, json, name: cdkNamer(json) };
}

export const CDK_DIR = resolve(REPO_ROOT, 'infra/cdk');

/** The source of every infra/cdk/*.ts file, by file name (what the app is written with, for rules about APIs it must not call). */
export function cdkSources(dir = CDK_DIR): Record<string, string> {
  return Object.fromEntries(
    readdirSync(dir)
      .filter((f) => f.endsWith('.ts'))
      .sort()
      .map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
  );
}

/** `file: line` for each line of the infra/cdk sources that matches `pattern` (empty when none does). */
export function sourceLinesMatching(pattern: RegExp, sources = cdkSources()): string[] {
  return Object.entries(sources).flatMap(([file, text]) =>
    text
      .split('\n')
      .filter((line) => pattern.test(line))
      .map((line) => `${file}: ${line.trim()}`),
  );
}
