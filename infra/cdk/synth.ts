/** Synthesize the stack to a folder, as `cdk synth` does, with no AWS account and no CLI. */
import { resolve } from 'node:path';
import { bundleFunctions, DEFAULT_BUNDLE_DIR } from '../bundle.js';
import { buildApp, STACK_NAME } from './app.js';

export const CDK_OUT = resolve(import.meta.dirname, 'cdk.out');

/** Bundle the functions, synthesize into `outdir`; returns the template's path. Throws on unacknowledged cdk-nag findings. */
export async function synthToDir(outdir = CDK_OUT, settings: Record<string, unknown> = {}, bundleDir = DEFAULT_BUNDLE_DIR): Promise<string> {
  await bundleFunctions(bundleDir);
  const { app } = buildApp({ bundleDir, outdir, settings });
  const assembly = app.synth();
  return resolve(assembly.directory, `${STACK_NAME}.template.json`);
}
