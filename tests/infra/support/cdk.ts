/** The CDK stack synthesized in-process for assertions (no CLI, no account, no CloudFormation schema pass). */
import { Template } from 'aws-cdk-lib/assertions';
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
