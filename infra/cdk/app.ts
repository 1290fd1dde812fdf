/** The CDK app: one environment-agnostic stack, checked by cdk-nag's AwsSolutions pack. */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { suppressFindings } from './nag.js';
import { TaskApiStack } from './stack.js';
import { settingsFrom, type TaskApiSettings } from './settings.js';

/** Context every synth uses, whether from the CDK CLI (cdk.json) or from `app.synth()` directly. */
export const APP_CONTEXT = {
  // Asset paths in resource Metadata, so that local tools (sam local, the emulator) find the code.
  'aws:cdk:enable-asset-metadata': true,
  'aws:cdk:enable-path-metadata': true,
  '@aws-cdk/aws-apigateway:usagePlanKeyOrderInsensitiveId': true,
};

export const STACK_NAME = 'TaskApi';

export interface TaskApiApp {
  app: App;
  stack: TaskApiStack;
}

export interface BuildOptions {
  /** Folder of the esbuild bundles (infra/bundle.ts). */
  bundleDir: string;
  outdir?: string;
  /** `-c name=value` context strings or typed values (see settings.ts). */
  settings?: Record<string, unknown>;
  /**
   * CDK's built-in CloudFormation schema validation at synth (default on). It is the slow part of a
   * synth, so tests that only read the template turn it off; `npm run cdk:synth` keeps it.
   */
  cfnValidation?: boolean;
  /** Acknowledge the accepted cdk-nag findings (nag.ts); off only to list every finding in a test. */
  acknowledge?: boolean;
}

/** The app with its stack and the cdk-nag AwsSolutions pack (unacknowledged findings fail the synth). */
export function buildApp(opts: BuildOptions): TaskApiApp {
  const app = new App({ context: APP_CONTEXT, builtinCloudFormationValidation: opts.cfnValidation ?? true, ...(opts.outdir ? { outdir: opts.outdir } : {}) });
  const settings: TaskApiSettings = settingsFrom(opts.settings ?? {});
  const stack = new TaskApiStack(app, STACK_NAME, { settings, bundleDir: opts.bundleDir, description: 'Task API: REST API from openapi/api.yaml, Lambda, DynamoDB, Cognito, usage plans, WAF (CDK)' });
  if (opts.acknowledge ?? true) suppressFindings(stack, settings.enableWaf);
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  return { app, stack };
}
