/**
 * The emulator's composition root: template -> local services -> Lambda runtime -> one gateway
 * per API -> HTTP. The CLI and the tests both start the emulator through startEmulator().
 */
import { assertInspectorPortFree, debuggedFunction, type DebugRequest } from './lambda/debug.js';
import { existsSync } from 'node:fs';
import { ACCOUNT_ID, DEFAULT_REGION, loadTemplate } from './template/load.js';
import { cdkStackEnvironment } from './template/cdk-environment.js';
import { refuseApisWithUnknownFunctions } from './template/per-api.js';
import type { LoadedTemplate } from './template/model.js';
import { stacksOf } from './template/nested.js';
import { linkStacks, qualifiedId } from './lambda/linked-stacks.js';
import { localCredentials } from './services/credentials.js';
import type { LocalCredentials } from './services/sigv4.js';
import { startNotServed, type NotServedCall } from './services/not-served.js';
import { startSqs } from './services/sqs/server.js';
import type { BatchReport } from './services/sqs/event-source.js';
import type { DeliveryReport } from './services/eventbridge/targets.js';
import { createTemplateQueues, startQueuePollers, startStreamPollers, type StackInvoker } from './services/local-events.js';
import type { StreamBatchReport } from './services/dynamodb-streams/event-source.js';
import { stateMachineGaps } from './services/stepfunctions/start.js';
import { kinesisDestinationOn } from './services/kinesis/start.js';
import { startEventServices, withAsyncInvocations } from './services/event-services.js';
import type { AsyncScheduler } from './services/async-invoke.js';
import { functionsByIdentifier, startLambdaApi } from './services/lambda-api.js';
import { serveStacks } from './services/cloudformation/server.js';
import { pipeAwareInvoker, pipeGapReasons, pipeNotes, withPipeSources } from './services/pipes/start.js';
import type { ExecutionReport } from './services/stepfunctions/executions.js';
import type { ServiceEndpoints } from './gateway/aws-service-uri.js';
import type { Gateway, RequestLogEntry, RouteInfo, SupportItem } from './gateway/types.js';
import type { IssueTokenInput } from './identity/cognito.js';
import { notEmulatedRouteResources, strictItems, StrictModeError, unreachedFunctions, withNotEmulatedResources, withResourceStatuses, type ServedRoutes } from './start-gaps.js';
import { LocalState, localDirFor } from './identity/local-state.js';
import { resolveDynamicReferences } from './identity/dynamic-references.js';
import { systemClock, type Clock, type SharedLimits } from './limits/index.js';
import { UsageMeter } from './limits/usage.js';
import type { EnvVarsFile } from './lambda/env-vars.js';
import type { DocsLink } from './docs/docs-page.js';
import { startFunctionTls } from './identity/cognito-keys-endpoint.js';
import type { LocalHosts } from './lambda/local-hosts.js';
import { startServices } from './local-services.js';
import { localApiUrls, unservedStageNote } from './local-api-urls.js';
import { assertFunctions, assertSomethingServed } from './nothing-to-serve.js';
import { serveApi, serveHttpApi, serveWebSocketApi } from './serve-apis.js';
import { prepareStack, type SharedRuntime } from './prepare-stack.js';

// app.js is the package's entry (sam-local-gateway's export): what it exported stays importable from it.
export { StrictModeError } from './start-gaps.js';
export { startServices, type LocalServices } from './local-services.js';
export { gatewayEndpoints } from './serve-apis.js';
export { localApiUrls } from './local-api-urls.js';
export { servedEventSources } from './nothing-to-serve.js';

export interface EmulatorOptions {
  templatePath: string;
  /** First port; a template with several APIs gets one port each (API Gateway gives each its own host). 0 = any free port. */
  port?: number;
  host?: string;
  parameterOverrides?: Record<string, string>;
  /** Fn::ImportValue values by export name (`--import-values`). */
  importValues?: Record<string, string>;
  region?: string;
  /** Persist DynamoDB data here across restarts; in memory when absent. */
  dataDir?: string;
  /** Local API key values, signing keys and secrets; `.local/` next to the template (or $TASK_API_LOCAL_DIR) by default. */
  localDir?: string;
  /** Refuse to start when anything in the template is not emulated. */
  strict?: boolean;
  /** Rebuild functions on source change. */
  watch?: boolean;
  /**
   * Retire the warm environments of a function run from its folder when its code changes, so that the next request
   * runs the code on disk, as `sam local` does (lambda/code-changes.ts). On by default; the SAM CLI turns it off only
   * with `--warm-containers` and `--no-watch`.
   */
  codeWatch?: boolean;
  /** Execution environments per function, a hard cap (default: one per core; a call that waits 1 s gets one more, up to 10: lambda/pool.ts ScaleOut). */
  maxConcurrency?: number;
  /** `--env-vars` (sam local's format): overrides of the variables the functions declare. */
  envVars?: EnvVarsFile;
  /** `--warm-containers`: EAGER starts and initializes one environment per function before serving; LAZY (default) on first use. */
  warmContainers?: 'EAGER' | 'LAZY';
  /** `--debug-port` (and `--debug-function`): a Node.js function (a nested stack's by its path, Child/Fn) runs under the inspector (lambda/debug.ts). */
  debug?: DebugRequest;
  onRequest?: (entry: RequestLogEntry) => void;
  /** A function's new build or changed code picked up (the changed files when known). */
  onReload?: (functionLogicalId: string, changedFiles?: string[]) => void;
  /** A function called an AWS service the emulator does not serve (console.error by default). */
  onNotServed?: (line: string, call: NotServedCall) => void;
  /** Gateway diagnostics (why a request was refused or failed); console.error by default. */
  log?: (line: string) => void;
  /** A line when a function's go or makefile build starts and when it ends, with its duration (written to `log` by default). */
  onBuildProgress?: (line: string) => void;
  /** Each batch an SQS event source handed a function (written to `log` by default). */
  onQueueBatch?: (report: BatchReport) => void;
  /** Lambda's START, END and REPORT lines of each invocation; by default where the functions' output goes. */
  platformLog?: (line: string) => void;
  /** `--log-file`: an open file the functions' stdout and stderr go to (and Lambda's lines, unless platformLog is given). */
  functionLogFd?: number;
  /** Each batch a DynamoDB stream event source handed a function (written to `log` by default). */
  onStreamBatch?: (report: StreamBatchReport) => void;
  /** Each event an EventBridge rule delivered to a target (written to `log` by default). */
  onEventDelivery?: (report: DeliveryReport) => void;
  /** Each state machine execution's end (written to `log` by default). */
  onExecution?: (report: ExecutionReport) => void;
  /** The clock of throttling, quotas, the cache and IAM signatures' 5-minute window (the system clock by default; tests and demos drive their own). */
  clock?: Clock;
  /** Where AWS service integrations are forwarded: AWS_ENDPOINT_URL_<SERVICE> / AWS_ENDPOINT_URL (the process environment by default). */
  serviceEndpoints?: ServiceEndpoints;
  /** The timers of scheduled rules and of asynchronous invocations' retries (the system's by default; tests drive their own). */
  scheduler?: AsyncScheduler;
  /**
   * What `port` serves: the template's APIs (`start-api`, the default), or the Lambda Invoke API for every function of
   * the template (`start-lambda`, as `sam local start-lambda`: no API served, a template of functions only is enough).
   */
  serve?: 'apis' | 'lambda';
  /**
   * `sam local start-api --ssl-cert-file --ssl-key-file`: the REST and HTTP API ports answer HTTPS with this PEM
   * certificate and key, and their URLs say https://. Plain HTTP is still answered on the same port (the template's own
   * integrations, state machines and functions reach the APIs that way, trusting no user certificate).
   */
  tls?: { cert: string; key: string; /** The certificate's file, named in the report's curl example (--cacert). */ certFile?: string };
}

export interface ServedApi {
  logicalId: string;
  /** REST API (v1), HTTP API (v2) or WebSocket API (v2). */
  kind: 'rest' | 'http' | 'websocket';
  stageName: string;
  /** e.g. http://127.0.0.1:3000/v1 (ws://127.0.0.1:3002/prod for a WebSocket API) */
  url: string;
  /** The other stages served on the same port (ApiSpec.extraStages: SAM's "Stage"), e.g. http://127.0.0.1:3000/Stage. */
  extraStageUrls?: string[];
  port: number;
  gateway: Gateway;
  routes: RouteInfo[];
  support: SupportItem[];
  /** A local API key value accepted by this API stage (first enabled key of a plan naming it), if any. */
  apiKey?: string;
  /** Swagger UI of this API on its own port, outside the stage path (absent when the API owns /docs itself). */
  docsUrl?: string;
  /** Why /docs is not served on this API's port (a stage named "docs", an HTTP API route matching it). */
  docsNotServed?: string;
  /** A Lambda function URL served as an HTTP API: its function, AuthType and InvokeMode, for the report. */
  functionUrl?: string;
}

/** Token minting input for `issueToken`: as `npm run token`, an ID token unless tokenUse says otherwise. */
export type TokenRequest = Omit<IssueTokenInput, 'tokenUse'> & { tokenUse?: IssueTokenInput['tokenUse'] };

export interface RunningEmulator {
  template: LoadedTemplate;
  apis: ServedApi[];
  /** Endpoints of the embedded AWS services, as functions see them. */
  services: Record<string, string>;
  /** The credentials functions get; the embedded services accept only requests signed with them. */
  credentials: LocalCredentials;
  /** Each usage plan's logical id -> its local API key value(s), as `npm run --silent keys` prints them. */
  apiKeys: Record<string, string | string[]>;
  /** Each API key of a usage plan with its local value and its plans (startup report). */
  apiKeyLines: string[];
  /** Usage plans with their keys and their enforced throttle/quota (startup report). */
  usagePlans: string[];
  /** Usage-plan usage per key and day, as `npm run usage` prints it (flushed to the local folder on close). */
  limits: SharedLimits;
  /** The local folder holding key values, signing keys and generated secrets. */
  localDir: string;
  /** --ssl-cert-file: the certificate a client trusts to call the https:// URLs (the report's curl example names it). */
  caFile?: string;
  /** Base URL of the fallback endpoint for AWS services the emulator does not serve (functions get AWS_ENDPOINT_URL under it). */
  notServedUrl: string;
  /** What --env-vars and --warm-containers did, for the startup report (values replaced, entries that changed nothing, init errors). */
  functionNotes: string[];
  /** The embedded SQS's queues and who polls them, one line each (and the queues SQS would refuse). */
  queueNotes: string[];
  /** The EventBridge rules and where they deliver, one line each. */
  eventNotes: string[];
  /** The SNS topics and where they deliver, one line each. */
  topicNotes: string[];
  /** The template's SSM parameters in the embedded Parameter Store, one line each. */
  ssmNotes: string[];
  /** The S3 buckets and what they notify, one line each (and the buckets S3 would refuse). */
  bucketNotes: string[];
  /** The tables' DynamoDB streams and who reads them, one line each. */
  streamNotes: string[];
  /** The state machines and what of them is not run locally, one line each. */
  stateMachineNotes: string[];
  /** The Kinesis streams and who reads them, one line each. */
  kinesisNotes: string[];
  /** The functions' asynchronous invocation settings (retries, destinations, dead-letter queues), one line each. */
  asyncNotes: string[];
  /** The EventBridge pipes, from where to where, one line each (and what is not run). */
  pipeNotes: string[];
  /** The stacks the embedded CloudFormation describes and their outputs as it serves them (local URLs), one line each. */
  cloudFormationNotes: string[];
  /** A Cognito token signed by the local user pool the authorizers verify with (as `npm run token`). */
  issueToken(input: TokenRequest): string;
  /** `serve: 'lambda'`: the Lambda Invoke API's base URL (`aws lambda invoke --endpoint-url`). */
  lambdaUrl?: string;
  close(): Promise<void>;
}


/** Start everything the template needs and serve its APIs; close() stops it all. */
export async function startEmulator(given: EmulatorOptions): Promise<RunningEmulator> {
  // The region before anything starts: SQS and the services thread name it in their ARNs, as the template's do.
  const cdk = cdkStackEnvironment(given.templatePath);
  // The default too: loadTemplate reads the manifest again when it is given no region.
  const options: EmulatorOptions = { ...given, region: given.region ?? cdk.region ?? DEFAULT_REGION };
  // And in its account, which a CDK stack synthesized for one names in its ARNs (R1.54 checks its permissions' SourceArn).
  const accountId = cdk.account ?? ACCOUNT_ID;
  const loadOptions = { parameterOverrides: options.parameterOverrides, importValues: options.importValues, region: options.region, accountId };
  // No template there (a mistyped path): its error, with nothing started and no local state written beside it.
  if (!existsSync(options.templatePath)) await loadTemplate(options.templatePath, loadOptions);
  const state = new LocalState(options.localDir ?? localDirFor(options.templatePath));
  const credentials = localCredentials(state);
  const closers: (() => Promise<void>)[] = [];
  const close = async (): Promise<void> => {
    for (const fn of closers.reverse()) await fn().catch(() => undefined);
  };
  // The embedded SQS listens before the template is read: queue URLs (Ref, QueueUrl) name its port, because SDKs send
  // each call to its QueueUrl's host. It runs on this thread: its port is known only once it listens.
  const sqs = await startSqs({ credentials, region: options.region ?? DEFAULT_REGION, accountId });
  closers.push(() => sqs.close());
  const templateLoading = loadTemplate(options.templatePath, { ...loadOptions, queueEndpoint: sqs.url });
  // Awaited below; a failure before then must not leave its rejection unhandled.
  templateLoading.catch(() => undefined);
  // The services' thread boots first, beside the template's reading and the builds: its boot (a Node thread, dynalite)
  // is the longest step to the ready line, and it needs only the credentials until the template is read.
  const servicesStarting = startServices(templateLoading, state, credentials, { ...options, accountId }, closers);
  servicesStarting.catch(() => undefined);
  try {
    const template = await templateLoading;
    if (options.serve === 'lambda') assertFunctions(template);
    else assertSomethingServed(template);
    // What --strict refuses: the template's settings it does not emulate and its resources it does not (every stack's).
    const stacks = stacksOf(template);
    // An API whose Lambda URI names no function costs that API (API Gateway would not create it), before --strict counts.
    let refusedApis = 0;
    for (const { template: t } of stacks) {
      const refused = refuseApisWithUnknownFunctions(t, stacks.map((s) => s.template).filter((other) => other !== t));
      t.resources = withNotEmulatedResources(t.resources ?? [], new Map([...refused].map((id) => [id, 'not served (why is listed under the settings not emulated)'])));
      refusedApis += refused.size;
    }
    if (refusedApis > 0 && options.serve !== 'lambda') assertSomethingServed(template);
    // A pipe that is not run is no EMULATED resource (its source or target is known not served only now).
    for (const { template: t } of stacks) t.resources = withNotEmulatedResources(t.resources ?? [], pipeGapReasons(t));
    const notEmulatedItems = stacks.flatMap(({ path, template: t }) => [
      ...(t.notEmulated ?? []),
      ...(t.resources ?? []).filter((g) => g.status === 'not-emulated').flatMap((g) => g.logicalIds.map((id) => `Resources.${id} (${g.type}): ${g.detail ?? 'not emulated'}`)),
      ...stateMachineGaps(t),
    ].map((item) => `${path}${item}`));
    if (options.strict && notEmulatedItems.length > 0) throw new StrictModeError(notEmulatedItems);
    // The template's own secrets and parameters in its dynamic references, as CloudFormation fills them at deploy.
    for (const { template: t } of stacks) resolveDynamicReferences(t, state);
    const notServed = await startNotServed(options.onNotServed ? { log: options.onNotServed } : {});
    closers.push(() => notServed.close());
    // Read by environments when they start (never before the gateway listens): filled once the services run.
    const environment: Record<string, string> = {};
    // Filled as each API listens: an HTTP integration reads it per request, so an API may call one served after it.
    const localApis = new Map<string, string>();
    const localHosts: LocalHosts = {};
    const debug = options.debug ? debuggedFunction(template.path, stacks.map((s) => ({ path: s.path, functions: s.template.functions })), options.debug) : undefined;
    if (debug) await assertInspectorPortFree(template.path, debug.port);
    const usage = new UsageMeter(state, options.clock ?? systemClock);
    const shared: SharedRuntime = { state, credentials, environment, notServed, localApis, localHosts, options, closers, usage, ...(debug ? { debug } : {}) };
    const prepared = await Promise.all(stacks.map(({ path, template: t }) => prepareStack(t, path, template.path, shared)));
    const unbuiltItems = prepared.flatMap((p) => strictItems(p.template.resources ?? [], p.unbuilt, p.path));
    if (options.strict && unbuiltItems.length > 0) throw new StrictModeError(unbuiltItems);
    const services = await servicesStarting;
    const refusedQueues = createTemplateQueues(sqs, stacks);
    services.environment.AWS_ENDPOINT_URL_SQS = sqs.url;
    services.sqsUrl = sqs.url;
    // The event buses deliver to the stacks' functions once those are linked (below); no event comes before the APIs listen.
    let linkedInvokers: (stacks: StackInvoker[]) => void = () => undefined;
    const invokers = { promise: new Promise<StackInvoker[]>((resolve) => (linkedInvokers = resolve)), resolve: (stacks: StackInvoker[]) => linkedInvokers(stacks) };
    // Step Functions' apigateway:invoke tasks read localApis per task: the APIs listen after the services start.
    const embedded = await startEventServices({ stacks, invokers: invokers.promise, services, sqsUrl: sqs.url, credentials, region: template.region, accountId, localApis, localUrl: localApiUrls(localApis), options, closers });
    const uncreated = stacks.flatMap(({ path, template: t }) => {
      const why = new Map((t.buckets ?? []).flatMap((b) => (embedded.refusedBuckets.has(b.name) ? [[b.logicalId, `not created: ${embedded.refusedBuckets.get(b.name)!}`] as const] : [])));
      t.resources = withNotEmulatedResources(t.resources ?? [], why);
      return strictItems(t.resources, why, path);
    });
    if (options.strict && uncreated.length > 0) throw new StrictModeError(uncreated);
    // A read-only CloudFormation: integration tests find the APIs by the stack's Outputs, their URLs the local ones (the APIs listen below).
    const stackNotes = await serveStacks(stacks, { credentials, localValue: localApiUrls(localApis), ...(options.log ? { log: options.log } : {}) }, closers, services.environment);
    // WebSocket APIs and the user pools' published keys answer functions over TLS, with a certificate they trust.
    const publishedPools = prepared.flatMap(({ identity }) => identity.cognito.pools.map((pool) => ({ id: pool.id, jwks: () => identity.cognito.jwks(pool) })));
    const hasWebSockets = stacks.some(({ template: t }) => (t.websocketApis ?? []).length > 0);
    const functionTls = await startFunctionTls({ dir: state.dir, region: template.region, webSockets: hasWebSockets, functions: stacks.some(({ template: t }) => t.functions.size > 0), pools: publishedPools, log: options.log ?? ((line: string) => console.error(line)) });
    const certificate = functionTls.certificate;
    if (functionTls.close) closers.push(functionTls.close);
    Object.assign(services.environment, functionTls.environment);
    Object.assign(localHosts, functionTls.localHosts);
    Object.assign(environment, services.environment);
    const functionNotes: string[] = [...functionTls.notes];
    for (const stack of prepared) functionNotes.push(...(await stack.functionNotes()));

    const apis: ServedApi[] = [];
    const links: DocsLink[] = [];
    let nextPort = options.port ?? 3000;
    const linked = linkStacks(prepared.map(({ path, template: t, lambda }) => ({ path, template: t, lambda })));
    for (const { identity } of prepared) identity.cognito.link(prepared.map((p) => ({ path: p.path, pools: p.identity.cognito })));
    // start-lambda serves no API: its port is the Invoke API's (below).
    for (const [index, { path, identity, unbuilt: own }] of options.serve === 'lambda' ? [] : prepared.entries()) {
      const { template: t, invoker: linkedInvoker } = linked[index]!;
      // A route may invoke another stack's function (linked-stacks.ts): its build error is known under its qualified id.
      const unbuilt = new Map([...own, ...prepared.filter((p) => p.path !== path).flatMap((p) => [...p.unbuilt].map(([id, error]) => [qualifiedId(p.path, id), error] as const))]);
      const lambda = withAsyncInvocations(linkedInvoker, t, embedded.asyncInvocations);
      const servedRoutes: ServedRoutes[] = [];
      for (const api of t.apis) {
        const { served, close: stop } = await serveApi(api, t, lambda, identity, services, nextPort, options, links, localApis, unbuilt, path);
        closers.push(stop);
        apis.push(served);
        servedRoutes.push({ api: api.logicalId, routes: served.routes });
        nextPort = nextPort === 0 ? 0 : served.port + 1;
      }
      for (const api of t.httpApis) {
        const { served, close: stop } = await serveHttpApi(api, t, lambda, identity, services, nextPort, options, links, localApis, unbuilt, path);
        closers.push(stop);
        apis.push(served);
        servedRoutes.push({ api: api.logicalId, routes: served.routes });
        nextPort = nextPort === 0 ? 0 : served.port + 1;
      }
      for (const api of t.websocketApis ?? []) {
        const { served, close: stop } = await serveWebSocketApi(api, t, lambda, identity, services, certificate!, nextPort, options, localApis, unbuilt, path);
        localHosts[`${api.apiId}.execute-api.${t.region}.amazonaws.com`] = { host: options.host ?? '127.0.0.1', port: served.port };
        closers.push(stop);
        apis.push(served);
        servedRoutes.push({ api: api.logicalId, routes: served.routes });
        nextPort = nextPort === 0 ? 0 : served.port + 1;
      }
      // Known only now that the routes are: a route not emulated, and a function only such routes call, serve no request.
      t.resources = withResourceStatuses(t.resources ?? [], new Map([...notEmulatedRouteResources(servedRoutes), ...unreachedFunctions(t, servedRoutes)]));
    }
    const withInvokers = prepared.map((p, i) => ({ path: p.path, template: p.template, invoker: linked[i]!.invoker }));
    const pollerStacks = withPipeSources(withInvokers).map((s) => ({ ...s, invoker: pipeAwareInvoker(s.invoker, embedded.runners) }));
    const queueNotes = [...refusedQueues, ...startQueuePollers(pollerStacks, services, credentials, options, closers, refusedQueues.uncreated)];
    const copyToKinesis = embedded.kinesisStreams ? kinesisDestinationOn(embedded.kinesisStreams, options.log ?? ((line: string) => console.error(line))) : undefined;
    const streamNotes = startStreamPollers(pollerStacks, services.captureStreams, options, closers, copyToKinesis);
    invokers.resolve(withInvokers);
    const lambdaApi = options.serve === 'lambda' ? await startLambdaApi(functionsByIdentifier(withInvokers), { region: template.region, accountId, asyncInvocations: embedded.asyncInvocations, port: options.port ?? 3001, ...(options.host ? { host: options.host } : {}) }) : undefined;
    if (lambdaApi) closers.push(() => lambdaApi.close());
    const identity = prepared[0]!.identity;
    return {
      template,
      apis,
      services: services.environment,
      credentials,
      // Each stack's keys and plans are its own (a nested application's too, reached by its APIs): all are listed.
      apiKeys: Object.assign({}, ...prepared.map((p) => p.identity.apiKeys.keyValuesByPlan(p.path))) as Record<string, string | string[]>,
      apiKeyLines: prepared.flatMap((p) => p.identity.apiKeys.keyLines(p.path)),
      usagePlans: prepared.flatMap((p) => p.identity.apiKeys.summary(p.path)),
      limits: identity.limits,
      localDir: state.dir,
      ...(options.tls?.certFile ? { caFile: options.tls.certFile } : {}),
      notServedUrl: notServed.url,
      functionNotes,
      queueNotes,
      eventNotes: embedded.eventNotes,
      topicNotes: embedded.topicNotes,
      ssmNotes: embedded.ssmNotes,
      bucketNotes: embedded.bucketNotes,
      streamNotes,
      stateMachineNotes: embedded.stateMachineNotes,
      kinesisNotes: embedded.kinesisNotes,
      asyncNotes: embedded.asyncNotes,
      pipeNotes: pipeNotes(stacks),
      cloudFormationNotes: stackNotes((local) => unservedStageNote(apis, local)),
      issueToken: (input) => identity.cognito.issueToken({ ...input, tokenUse: input.tokenUse ?? 'id' }),
      ...(lambdaApi ? { lambdaUrl: lambdaApi.url } : {}),
      close,
    };
  } catch (error) {
    // A thread still starting registers its closer first: nothing is left running.
    await servicesStarting.catch(() => undefined);
    await close();
    throw error;
  }
}
