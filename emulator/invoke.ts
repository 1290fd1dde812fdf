/**
 * `sam local invoke` without Docker: one synchronous invocation (Lambda Invoke, RequestResponse) of one function
 * of the template, with the embedded DynamoDB, Secrets Manager and not-served endpoint it would use behind the
 * gateway; no API is served. Everything started is stopped before it resolves.
 */
import { assertInspectorPortFree, debuggedFunction, debugNote } from './lambda/debug.js';
import type { FunctionOutput } from './lambda/environment-process.js';
import { resolveDynamicReferences } from './identity/dynamic-references.js';
import { existsSync } from 'node:fs';
import { ACCOUNT_ID, DEFAULT_REGION, loadTemplate } from './template/load.js';
import { cdkStackEnvironment } from './template/cdk-environment.js';
import { TemplateError, type LoadedTemplate } from './template/model.js';
import { LocalLambdaService } from './lambda/runtime.js';
import { applyEnvVars, type EnvVarsFile } from './lambda/env-vars.js';
import type { InvokeOutcome } from './lambda/types.js';
import { LocalState, localDirFor } from './identity/local-state.js';
import { startServices } from './local-services.js';
import { stacksOf } from './template/nested.js';
import { nestedBuildDir, samBuildDir } from './lambda/build-output.js';
import { localCredentials } from './services/credentials.js';
import { startNotServed } from './services/not-served.js';
import { startEventServices } from './services/event-services.js';
import { startSqs } from './services/sqs/server.js';
import { createTemplateQueues, type StackInvoker } from './services/local-events.js';

export interface InvokeOptions {
  templatePath: string;
  /** Optional when the template has exactly one function (as `sam local invoke`). */
  functionLogicalId?: string;
  event: unknown;
  parameterOverrides?: Record<string, string>;
  region?: string;
  envVars?: EnvVarsFile;
  /** What --env-vars changed, and what it changed nothing with (console.error by default: never dropped silently). */
  log?: (line: string) => void;
  localDir?: string;
  dataDir?: string;
  /** Where the function's own output goes; stderr (the default) keeps the caller's stdout for the result. */
  functionStdout?: FunctionOutput;
  /** The tenant a tenant-isolated function runs for (Invoke's X-Amz-Tenant-Id); Lambda refuses any other function one. */
  tenantId?: string;
  /** `-d/--debug-port`: the invoked function runs under the Node inspector (lambda/debug.ts); --debug-function, if given, must name it. */
  debugPort?: number;
  /** `--debug-function`: must be the invoked function (the only one, when no function was named). */
  debugFunction?: string;
}

/** The template's warnings about one function's own settings (`Resources.<Id>.…`). */
export function functionWarnings(template: LoadedTemplate, logicalId: string): string[] {
  return (template.warnings ?? []).filter((w) => w.startsWith(`Resources.${logicalId}.`) || w.startsWith(`Resources.${logicalId}:`));
}

/**
 * The function to invoke, and the stack it is in: the one named (a nested stack's as `Child/Function`, as the SAM CLI
 * names it; or by its FunctionName), or the template's only function.
 */
export function pickFunction(template: LoadedTemplate, logicalId: string | undefined): { template: LoadedTemplate; logicalId: string; path: string } {
  const all = stacksOf(template).flatMap(({ path, template: t }) => [...t.functions.keys()].map((id) => ({ template: t, logicalId: id, path, name: `${path}${id}` })));
  const names = all.map((f) => f.name);
  if (logicalId === undefined) {
    if (all.length === 1) return all[0]!;
    throw new TemplateError(template.path, 'Resources', `name the function to invoke; the template has ${names.length === 0 ? 'none' : names.join(', ')}`);
  }
  // As in the SAM CLI, a function's FunctionName names it too (a logical id wins, then the root stack's first).
  const found = all.find((f) => f.name === logicalId) ?? all.find((f) => f.path === '' && f.template.functions.get(f.logicalId)?.functionName === logicalId);
  if (!found) throw new TemplateError(template.path, `Resources.${logicalId}`, `no function with this logical id or FunctionName (functions: ${names.join(', ') || 'none'})`);
  return found;
}

/** Invoke once and stop everything; the outcome is Lambda's (a payload, or the function's error). */
export async function invokeFunction(given: InvokeOptions): Promise<InvokeOutcome & { runtime: string }> {
  // As in start-api: a CDK stack synthesized for a region runs in it.
  const cdk = cdkStackEnvironment(given.templatePath);
  const options: InvokeOptions = { ...given, region: given.region ?? cdk.region ?? DEFAULT_REGION };
  const accountId = cdk.account ?? ACCOUNT_ID;
  const loadOptions = { parameterOverrides: options.parameterOverrides, region: options.region, accountId };
  // No template there: its error, with nothing started and no local state written beside it.
  if (!existsSync(options.templatePath)) await loadTemplate(options.templatePath, loadOptions);
  const state = new LocalState(options.localDir ?? localDirFor(options.templatePath));
  const closers: (() => Promise<void>)[] = [];
  try {
    const credentials = localCredentials(state);
    // As in start-api: the embedded SQS listens first, and queue URLs in the template name its port.
    const sqs = await startSqs({ credentials, region: options.region ?? DEFAULT_REGION, accountId });
    closers.push(() => sqs.close());
    const root = await loadTemplate(options.templatePath, { ...loadOptions, queueEndpoint: sqs.url });
    const { template, logicalId, path } = pickFunction(root, options.functionLogicalId);
    // --debug-function names a function as start-api's does (a nested one by its full path, or its logical id).
    const named = options.debugPort !== undefined && options.debugFunction !== undefined ? debuggedFunction(root.path, stacksOf(root).map((s) => ({ path: s.path, functions: s.template.functions })), { port: options.debugPort, functionLogicalId: options.debugFunction }) : undefined;
    if (named && (named.path !== path || named.functionLogicalId !== logicalId)) {
      throw new TemplateError(template.path, '--debug-function', `${options.debugFunction}: invoke debugs the function it invokes (${path}${logicalId})`);
    }
    // What start-api's report says of this function's settings that a local run lacks (DurableConfig, VpcConfig,
    // FileSystemConfigs...), said here too: `sam local invoke` is how the durable sam init templates are run.
    for (const warning of functionWarnings(template, logicalId)) (options.log ?? console.error)(`NOT APPLIED  ${warning}`);
    createTemplateQueues(sqs, stacksOf(root));
    for (const { template: t } of stacksOf(root)) resolveDynamicReferences(t, state);
    // Every stack's tables: a nested stack's function may use its parent's.
    const services = await startServices(root, state, credentials, { dataDir: options.dataDir, region: root.region, accountId: root.accountId }, closers);
    services.environment.AWS_ENDPOINT_URL_SQS = sqs.url;
    services.sqsUrl = sqs.url;
    // PutEvents, Publish, S3, Step Functions, Kinesis and Invoke are served as under start-api; its deliveries reach this stack's functions (and any queue) while the
    // invocation runs, and the log says what each delivery came to.
    const stacks = stacksOf(root);
    const index = stacks.findIndex((s) => s.template === template);
    let stackInvokers: (list: StackInvoker[]) => void = () => undefined;
    const invokers = new Promise<StackInvoker[]>((resolve) => (stackInvokers = resolve));
    // Only the function asked for runs: the streams are served, their event sources are not.
    await startEventServices({ stacks, invokers, services, sqsUrl: sqs.url, credentials, region: root.region, accountId, options: { log: options.log ?? console.error, eventSources: false }, closers });
    const notServed = await startNotServed({});
    closers.push(() => notServed.close());
    const withEnvVars = options.envVars ? applyEnvVars(template.functions, options.envVars, template.tables.map((t) => t.tableName)) : { functions: template.functions, notes: [] };
    for (const note of withEnvVars.notes) (options.log ?? console.error)(note);
    const functions = withEnvVars.functions;
    const debug = options.debugPort === undefined ? undefined : { functionLogicalId: logicalId, port: options.debugPort };
    if (debug) debuggedFunction(template.path, [{ path, functions }], { ...debug, functionLogicalId: `${path}${logicalId}` });
    if (debug) await assertInspectorPortFree(template.path, debug.port);
    if (debug) (options.log ?? console.error)(`${path}${debugNote(debug, functions.get(logicalId)!.timeoutSeconds)}`);
    const lambda = new LocalLambdaService(
      { ...template, functions },
      {
        extraEnvironment: services.environment,
        credentials,
        notServedEndpoint: notServed.endpointFor,
        maxConcurrencyPerFunction: 1,
        functionStdout: options.functionStdout ?? 'stderr',
        ...(path ? { buildDir: nestedBuildDir(path) } : {}),
        samBuildDir: samBuildDir(root.path, path),
        ...(debug ? { debug } : {}),
      },
    );
    closers.push(() => lambda.close());
    stackInvokers(stacks.map((s, i) => ({ path: s.path, template: s.template, invoker: i === index ? lambda : { invoke: async () => ({ kind: 'function-error', errorType: 'Runtime.Unavailable', errorMessage: `invoke runs the functions of ${path || 'the root stack'} only`, stackTrace: [], cold: false, durationMs: 0 }) } })));
    return { ...(await lambda.invoke(logicalId, options.event, options.tenantId === undefined ? {} : { tenantId: options.tenantId })), runtime: functions.get(logicalId)?.runtime ?? '' };
  } finally {
    for (const close of closers.reverse()) await close().catch(() => undefined);
  }
}
