/**
 * The emulator's composition root: template -> local services -> Lambda runtime -> one gateway
 * per API -> HTTP. The CLI and the tests both start the emulator through startEmulator().
 */
import { existsSync } from 'node:fs';
import { ACCOUNT_ID, DEFAULT_REGION, loadTemplate } from './template/load.js';
import { refuseApisWithUnknownFunctions } from './template/per-api.js';
import { TemplateError, type ApiSpec, type HttpApiSpec, type LoadedTemplate } from './template/model.js';
import { displayPath } from './template/apis.js';
import { stacksOf } from './template/nested.js';
import { LocalLambdaService } from './lambda/runtime.js';
import { linkStacks } from './lambda/linked-stacks.js';
import { tenancyNotes } from './lambda/tenancy.js';
import type { LambdaInvoker } from './lambda/types.js';
import { nestedBuildDir, samBuildDir } from './lambda/build.js';
import { pythonNotes } from './lambda/python.js';
import { createTables, type DynamoDbTarget } from './services/dynamodb.js';
import { localCredentials } from './services/credentials.js';
import type { LocalCredentials } from './services/sigv4.js';
import { startServicesThread } from './services/thread.js';
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
import { ruleSchedules, schedulerTimings } from './services/eventbridge/schedules.js';
import { functionsByIdentifier, startLambdaApi } from './services/lambda-api.js';
import { serveStacks } from './services/cloudformation/server.js';
import { pipeAwareInvoker, pipeGapReasons, pipeGaps, pipeNotes, runnablePipes, withPipeSources } from './services/pipes/start.js';
import type { ExecutionReport } from './services/stepfunctions/executions.js';
import type { ServicesThread } from './services/thread.js';
import type { ServiceEndpoints } from './gateway/aws-service-uri.js';
import { createGateway } from './gateway/pipeline.js';
import { createHttpGateway } from './gateway/http/pipeline.js';
import type { Gateway, RequestLogEntry, RouteInfo, SupportItem } from './gateway/types.js';
import { ApiKeyRegistry } from './identity/api-keys.js';
import { CognitoPools, type IssueTokenInput } from './identity/cognito.js';
import { createIdentityStage, explainAuthorizers, explainRoutes } from './identity/gateway-stage.js';
import { firstLine, notEmulatedRouteResources, strictItems, unreachedFunctions, withNotEmulatedResources, withResourceStatuses, withUnbuiltRoutes, type ServedRoutes } from './start-gaps.js';
import { LocalState, localDirFor } from './identity/local-state.js';
import { secretsFromTemplate } from './identity/secret-values.js';
import { resolveDynamicReferences } from './identity/dynamic-references.js';
import { serveGateway, type ListeningServer, type ServeExtras } from './server.js';
import { limitsFor, systemClock, type Clock, type SharedLimits } from './limits/index.js';
import type { IamOptions } from './identity/iam.js';
import { applyEnvVars, type EnvVarsFile } from './lambda/env-vars.js';
import { DOCS_PATH, withDocs, type DocsApi, type DocsLink } from './docs/docs-page.js';
import { httpApiOwnsDocs, httpDocsDocument } from './docs/http-document.js';
import type { WebSocketApiSpec } from './template/websocket-apis.js';
import type { LocalCertificate } from './identity/local-certificate.js';
import { startFunctionTls } from './identity/cognito-keys-endpoint.js';
import type { LocalHosts } from './lambda/local-hosts.js';

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
  onRequest?: (entry: RequestLogEntry) => void;
  /** A function's new build or changed code picked up (the changed files when known). */
  onReload?: (functionLogicalId: string, changedFiles?: string[]) => void;
  /** A function called an AWS service the emulator does not serve (console.error by default). */
  onNotServed?: (line: string, call: NotServedCall) => void;
  /** Gateway diagnostics (why a request was refused or failed); console.error by default. */
  log?: (line: string) => void;
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

/** Raised when --strict finds something the emulator would not do as API Gateway does. */
export class StrictModeError extends Error {
  constructor(readonly items: string[]) {
    super(`--strict: ${items.length} item(s) not emulated:\n  ${items.join('\n  ')}`);
    this.name = 'StrictModeError';
  }
}

function notEmulated(routes: RouteInfo[], support: SupportItem[]): string[] {
  const fromRoutes = routes.filter((r) => !r.emulated).map((r) => `${r.method} ${r.path}: ${r.detail ?? 'not emulated'}`);
  const fromKeys = support.filter((s) => s.status === 'not-emulated').map((s) => `${s.subject} at ${s.location}${s.detail ? `: ${s.detail}` : ''}`);
  return [...fromRoutes, ...fromKeys];
}

/** A key value API Gateway would accept for this API stage (R6.4), for the report's curl example. */
function keyFor(registry: ApiKeyRegistry, api: LoadedTemplate['apis'][number]): string | undefined {
  for (const key of registry.keys) {
    const check = registry.checkApiKey({ source: 'HEADER', headerValue: key.value, restApiId: api.restApiId, apiLogicalId: api.logicalId, stage: api.stageName });
    if (check.ok) return key.value;
  }
  return undefined;
}

export interface LocalServices {
  dynamodb: DynamoDbTarget;
  /** Turns on DynamoDB Streams for these tables (the services' thread records their writes). */
  captureStreams?: ServicesThread['captureStreams'];
  /** What every function gets as environment (AWS_ENDPOINT_URL_DYNAMODB, _SECRETS_MANAGER, _SQS). */
  environment: Record<string, string>;
  /** The embedded SQS's URL. */
  sqsUrl?: string;
  /** The embedded EventBridge's URL. */
  eventBridgeUrl?: string;
  /** The embedded SNS's URL. */
  snsUrl?: string;
  /** The embedded S3's URL. */
  s3Url?: string;
  /** The embedded Step Functions' URL. */
  sfnUrl?: string;
  /** The embedded Kinesis' URL. */
  kinesisUrl?: string;
  /** The embedded SSM Parameter Store's URL. */
  ssmUrl?: string;
}

/**
 * DynamoDB with the template's tables and Secrets Manager with its secrets, both in a thread of their own (off the
 * gateway's event loop). The thread's closer is registered as soon as it runs, whatever happens meanwhile.
 */
export async function startServices(
  template: LoadedTemplate | Promise<LoadedTemplate>,
  state: LocalState,
  credentials: LocalCredentials,
  options: Pick<EmulatorOptions, 'dataDir' | 'log' | 'region'>,
  closers: (() => Promise<void>)[],
): Promise<LocalServices> {
  const loaded = Promise.resolve(template);
  const secrets = loaded.then((t) => secretsFromTemplate(t, state));
  const services = await startServicesThread({ credentials, secrets, ...(options.dataDir ? { dataDir: options.dataDir } : {}), ...(options.region ? { region: options.region } : {}) }, options.log);
  closers.push(() => services.close());
  const dynamodb: DynamoDbTarget = { endpoint: services.dynamoDbEndpoint, credentials };
  // Every stack's tables, nested ones included (their names carry their stack's name, as CloudFormation gives them).
  await createTables(dynamodb, stacksOf(await loaded).flatMap((s) => s.template.tables));
  return { dynamodb, captureStreams: services.captureStreams, environment: { AWS_ENDPOINT_URL_DYNAMODB: services.dynamoDbEndpoint, AWS_ENDPOINT_URL_SECRETS_MANAGER: services.secretsManagerUrl } };
}

interface Identity {
  state: LocalState;
  apiKeys: ApiKeyRegistry;
  cognito: CognitoPools;
  limits: SharedLimits;
  /** IAM (SigV4) authorization: the local credentials, the template's region and account, the clock. */
  iam: IamOptions;
}

/**
 * Where the gateways' AWS service integrations go: the user's AWS_ENDPOINT_URL_<SERVICE>, then the embedded SQS,
 * EventBridge, SNS, S3, Step Functions, Kinesis and SSM for theirs, then the user's AWS_ENDPOINT_URL ([AMBIGUOUS] choice, services/README.md "SQS": a service's own
 * variable wins, as in the SDKs, and the template's queues and rules are in the embedded services).
 */
export function gatewayEndpoints(options: Pick<EmulatorOptions, 'serviceEndpoints'>, services: Pick<LocalServices, 'sqsUrl' | 'eventBridgeUrl' | 'snsUrl' | 's3Url' | 'sfnUrl' | 'kinesisUrl' | 'ssmUrl'>): ServiceEndpoints {
  const user = options.serviceEndpoints ?? process.env;
  const embedded: Record<string, string> = {};
  if (services.sqsUrl && !user.AWS_ENDPOINT_URL_SQS) embedded.AWS_ENDPOINT_URL_SQS = services.sqsUrl;
  if (services.eventBridgeUrl && !user.AWS_ENDPOINT_URL_EVENTBRIDGE) embedded.AWS_ENDPOINT_URL_EVENTBRIDGE = services.eventBridgeUrl;
  if (services.snsUrl && !user.AWS_ENDPOINT_URL_SNS) embedded.AWS_ENDPOINT_URL_SNS = services.snsUrl;
  if (services.s3Url && !user.AWS_ENDPOINT_URL_S3) embedded.AWS_ENDPOINT_URL_S3 = services.s3Url;
  if (services.sfnUrl && !user.AWS_ENDPOINT_URL_SFN) embedded.AWS_ENDPOINT_URL_SFN = services.sfnUrl;
  if (services.kinesisUrl && !user.AWS_ENDPOINT_URL_KINESIS) embedded.AWS_ENDPOINT_URL_KINESIS = services.kinesisUrl;
  if (services.ssmUrl && !user.AWS_ENDPOINT_URL_SSM) embedded.AWS_ENDPOINT_URL_SSM = services.ssmUrl;
  return Object.keys(embedded).length === 0 ? user : { ...user, ...embedded };
}

/** The scheme of a REST or HTTP API's printed URLs: https with the user's certificate (SAM's Mounting lines say https:// then). */
const schemeOf = (options: EmulatorOptions): 'http' | 'https' => (options.tls ? 'https' : 'http');

/** The user's certificate on a REST or HTTP API's port (serveGateway tells TLS from plain HTTP by the first byte). */
const tlsExtras = (options: EmulatorOptions): ServeExtras => (options.tls ? { tls: { cert: options.tls.cert, key: options.tls.key } } : {});

/** Build and serve one API: its identity stage, its gateway, its port; --strict refuses what is not emulated. */
async function serveApi(api: ApiSpec, template: LoadedTemplate, lambda: LambdaInvoker, identity: Identity, services: LocalServices, port: number, options: EmulatorOptions, links: DocsLink[], localApis: Map<string, string>, unbuilt: ReadonlyMap<string, string>, stackPath = ''): Promise<{ served: ServedApi; close: () => Promise<void> }> {
  const stage = createIdentityStage({ template, api, invoker: lambda, state: identity.state, apiKeys: identity.apiKeys, cognito: identity.cognito, iam: identity.iam });
  const gateway = createGateway({
    api,
    template,
    invoker: lambda,
    identity: stage,
    services: { dynamodb: services.dynamodb, aws: { endpoints: gatewayEndpoints(options, services), credentials: services.dynamodb.credentials, region: template.region } },
    onRequest: options.onRequest,
    localApis,
    ...(options.log ? { log: options.log } : {}),
    ...identity.limits.forApi(api, template, identity.apiKeys),
  });
  const routes = withUnbuiltRoutes(explainRoutes(gateway.routes, stage), unbuilt);
  const support = explainAuthorizers(gateway.support, stage);
  const problems = notEmulated(routes, support);
  if (options.strict && problems.length > 0) throw new StrictModeError(problems);
  // A stage named "docs" owns /docs: the page is not served in front of it.
  const docs = docsFront(gateway, api.stageName === DOCS_PATH.slice(1) ? `the stage named "docs" owns ${DOCS_PATH}` : undefined, links);
  const listening: ListeningServer = await serveGateway(docs.front, port, options.host, undefined, tlsExtras(options));
  localApis.set(api.restApiId, `http://${options.host ?? '127.0.0.1'}:${listening.port}`);
  const key = keyFor(identity.apiKeys, api);
  const served: ServedApi & { kind: 'rest' } = {
    logicalId: `${stackPath}${api.logicalId}`,
    kind: 'rest',
    stageName: api.stageName,
    url: `${schemeOf(options)}://${options.host ?? '127.0.0.1'}:${listening.port}/${api.stageName}`,
    port: listening.port,
    gateway,
    routes,
    support,
    ...(key ? { apiKey: key } : {}),
  };
  docs.serve(served, api.openapi as Record<string, unknown>, options.host);
  return { served, close: () => listening.close() };
}

/**
 * `/docs` in front of an API's gateway, on its port, unless the API owns that path itself (then the report says why).
 * `serve` completes it once the port is known: the page's document targets the API's local base URL.
 */
function docsFront(gateway: Gateway, ownedBecause: string | undefined, links: DocsLink[]): { front: Gateway; serve: (served: ServedApi & { kind: 'rest' | 'http' }, document: Record<string, unknown>, host?: string) => void } {
  const docs: DocsApi[] = [];
  return {
    front: ownedBecause ? gateway : withDocs(gateway, docs, links),
    serve(served, document, host = '127.0.0.1') {
      if (ownedBecause) {
        served.docsNotServed = ownedBecause;
        return;
      }
      served.docsUrl = `${new URL(served.url).protocol}//${host}:${served.port}${DOCS_PATH}`;
      docs.push({ logicalId: served.logicalId, kind: served.kind, url: served.url, document });
      links.push({ logicalId: served.logicalId, kind: served.kind, docsUrl: served.docsUrl });
    },
  };
}

/** Build and serve one HTTP API, all its stages on one port (H3.1); --strict refuses what is not emulated. */
async function serveHttpApi(api: HttpApiSpec, template: LoadedTemplate, lambda: LambdaInvoker, identity: Identity, local: LocalServices, port: number, options: EmulatorOptions, links: DocsLink[], localApis: Map<string, string>, unbuilt: ReadonlyMap<string, string>, stackPath = ''): Promise<{ served: ServedApi; close: () => Promise<void> }> {
  const services = { endpoints: gatewayEndpoints(options, local), credentials: identity.iam.credentials, region: template.region };
  const gateway = createHttpGateway({ api, template, invoker: lambda, cognito: identity.cognito, iam: identity.iam, onRequest: options.onRequest, localApis, services, ...(options.log ? { log: options.log } : {}) });
  const routes = withUnbuiltRoutes(gateway.routes, unbuilt);
  const problems = notEmulated(routes, gateway.support);
  if (options.strict && problems.length > 0) throw new StrictModeError(problems);
  const docs = docsFront(gateway, httpApiOwnsDocs(api), links);
  const listening = await serveGateway(docs.front, port, options.host, undefined, tlsExtras(options));
  localApis.set(api.apiId, `http://${options.host ?? '127.0.0.1'}:${listening.port}`);
  const stage = api.stages[0]?.name ?? '$default';
  const served: ServedApi & { kind: 'http' } = {
    logicalId: `${stackPath}${api.logicalId}`,
    kind: 'http',
    stageName: stage,
    url: `${schemeOf(options)}://${options.host ?? '127.0.0.1'}:${listening.port}${stage === '$default' ? '' : `/${stage}`}`,
    port: listening.port,
    gateway,
    routes,
    support: gateway.support,
    ...(api.functionUrl ? { functionUrl: `function ${api.functionUrl.functionLogicalId}, AuthType ${api.functionUrl.authType}, InvokeMode ${api.functionUrl.invokeMode}` } : {}),
  };
  docs.serve(served, httpDocsDocument(api), options.host);
  return { served, close: () => listening.close() };
}

/**
 * Serve one WebSocket API, all its stages on one port: plain (ws://) and TLS (wss://, https://) alike, so that a
 * function posting to `https://<domainName>/<stage>/@connections/<id>` reaches it; --strict refuses what is not emulated.
 */
async function serveWebSocketApi(api: WebSocketApiSpec, template: LoadedTemplate, lambda: LambdaInvoker, identity: Identity, local: LocalServices, certificate: LocalCertificate, port: number, options: EmulatorOptions, localApis: Map<string, string>, unbuilt: ReadonlyMap<string, string>, stackPath = ''): Promise<{ served: ServedApi; close: () => Promise<void> }> {
  // Loaded only for a template that has one (it brings the ws package): other templates start without it.
  const { WebSocketGateway } = await import('./gateway/websocket/gateway.js');
  // AWS integrations reach the embedded services, DynamoDB included (the user's AWS_ENDPOINT_URL_DYNAMODB wins, as for the others).
  const endpoints = gatewayEndpoints(options, local);
  const services = { endpoints: endpoints.AWS_ENDPOINT_URL_DYNAMODB ? endpoints : { ...endpoints, AWS_ENDPOINT_URL_DYNAMODB: local.dynamodb.endpoint }, credentials: identity.iam.credentials, region: template.region };
  const gateway = new WebSocketGateway({ api, template, invoker: lambda, iam: identity.iam, services, ...(options.log ? { log: options.log } : {}), ...(options.onRequest ? { onRequest: options.onRequest } : {}) });
  const routes = withUnbuiltRoutes(gateway.routes, unbuilt);
  const problems = notEmulated(routes, gateway.support);
  if (options.strict && problems.length > 0) throw new StrictModeError(problems);
  const listening = await serveGateway(gateway, port, options.host, undefined, { upgrade: (req, socket, head) => gateway.upgrade(req, socket, head), tls: { key: certificate.keyPem, cert: certificate.certPem } });
  const origin = `${options.host ?? '127.0.0.1'}:${listening.port}`;
  localApis.set(api.apiId, `http://${origin}`);
  const stage = api.stages[0]?.name ?? '';
  const served: ServedApi = { logicalId: `${stackPath}${api.logicalId}`, kind: 'websocket', stageName: stage, url: `ws://${origin}/${stage}`, port: listening.port, gateway, routes, support: gateway.support, docsNotServed: 'a WebSocket API has no OpenAPI document' };
  return {
    served,
    close: async () => {
      await gateway.close();
      await listening.close();
    },
  };
}

/**
 * A variable's value naming one of the template's APIs by its execute-api URL (`https://<apiId>.execute-api.<region>
 * .amazonaws.com/<stage>`, what templates `!Sub` for a @connections client or a self-call, or a private API's
 * `<apiId>-<vpce-id>.execute-api...`) gets the API's local URL.
 */
export function localApiUrls(localApis: ReadonlyMap<string, string>): (value: string) => string {
  return (value) => functionUrls(localApis, value.includes('.execute-api.')
      ? value.replace(/(?:\b(https|wss):\/\/)?\b([a-z0-9]+)(?:-vpce-[0-9a-f]+)?\.execute-api\.[a-z0-9-]+\.amazonaws\.com(?:\.cn)?(?::443)?/g, (whole, scheme: string | undefined, id: string) => {
          const local = localApis.get(id);
          if (local === undefined) return whole;
          // A bare host (`${Api}.execute-api.${AWS::Region}.${AWS::URLSuffix}/dev`, given `https://` by the function): the
          // local host and port, which answer TLS too.
          if (scheme === undefined) return local.replace(/^http:\/\//, '');
          return scheme === 'wss' ? local.replace(/^http/, 'ws') : local;
        })
      : value);
}

/** A function URL of the template (`https://<url-id>.lambda-url.<region>.on.aws/`, GetAtt FunctionUrl) → its local port. */
function functionUrls(localApis: ReadonlyMap<string, string>, value: string): string {
  if (!value.includes('.lambda-url.')) return value;
  return value.replace(/(?:\bhttps:\/\/)?\b([a-z0-9]{32})\.lambda-url\.[a-z0-9-]+\.on\.aws(?::443)?/g, (whole, id: string) => {
    const local = localApis.get(id);
    if (local === undefined) return whole;
    // A bare host (the function adds the scheme): the local host and port.
    return whole.startsWith('https://') ? local : local.replace(/^http:\/\//, '');
  });
}

/** One line for the warmed environments, one per function whose init failed (its requests will fail as on Lambda). */
function warmNotes(results: { logicalId: string; error?: string }[]): string[] {
  const failed = results.filter((r) => r.error);
  return [
    `--warm-containers EAGER: ${results.length - failed.length} of ${results.length} functions initialized before serving`,
    ...failed.map((r) => `--warm-containers EAGER: ${r.logicalId} failed its init phase (${r.error}); each request to it starts a new environment`),
  ];
}

const API_TYPES = new Set(['AWS::Serverless::Api', 'AWS::ApiGateway::RestApi', 'AWS::Serverless::HttpApi', 'AWS::ApiGatewayV2::Api', 'AWS::Lambda::Url']);

/** Never silent: a template from which no API would be served (nested stacks included) is refused, saying why. */
function assertSomethingServed(template: LoadedTemplate): void {
  if (stacksOf(template).some(({ template: t }) => t.apis.length > 0 || t.httpApis.length > 0 || (t.websocketApis ?? []).length > 0)) return;
  // A template of queue consumers or event rules only is served too: its pollers and buses are what it is for.
  if (servedEventSources(template) > 0) return;
  const notServed = template.notEmulated ?? [];
  // The warnings follow the reason; alone (a parameter without a value, say) they would read as the reason.
  const notes = template.warnings ?? [];
  // An API or state machine it declares but does not serve (a WebSocket API, a definition on S3) is explained by the notes alone.
  const declaresApi = stacksOf(template).some(({ template: t }) => (t.resources ?? []).some((g) => API_TYPES.has(g.type)) || (t.stateMachines ?? []).length > 0 || (t.pipes ?? []).length > 0);
  const reason = notServed.length > 0 || declaresApi ? '' : `: it declares no ${[...API_TYPES].join(', ')}, function event of Type Api or HttpApi, FunctionUrlConfig, SQS event source on a queue of the template, EventBridge rule with an EventPattern or a ScheduleExpression, EventBridge Scheduler schedule, SNS subscription of a function or queue, S3 bucket notification, DynamoDB or Kinesis stream event source, table with a Kinesis streaming destination, state machine or EventBridge pipe`;
  // A pipe that is not run (its source or target not served) says so.
  const lines = [...notServed, ...stacksOf(template).flatMap(({ path, template: t }) => pipeGaps(t).map((gap) => `${path}${gap}`)), ...notes];
  const why = `${reason}${lines.length > 0 ? `${reason ? '; also' : ''}:\n  ${lines.join('\n  ')}` : ''}`;
  throw new TemplateError(displayPath(template.path), 'Resources', `no API to serve${why}${functionsAlone(template)}`);
}

/**
 * The way to run a template's functions when nothing reaches them (sam init's quick start from scratch, run with `sam
 * local invoke`): `invoke` and `start-lambda`, named with the functions that can run.
 */
function functionsAlone(template: LoadedTemplate): string {
  const runnable = stacksOf(template).flatMap(({ path, template: t }) => [...t.functions].filter(([, fn]) => !fn.unavailable).map(([id]) => `${path}${id}`));
  if (runnable.length === 0) return '';
  const named = runnable.length > 3 ? `${runnable.slice(0, 3).join(', ')} and ${runnable.length - 3} more` : runnable.join(', ');
  return `\n  its functions (${named}) run without an API: sam-local-gateway invoke ${runnable[0]} -e event.json (as sam local invoke), or start-lambda for the Lambda Invoke API`;
}

/** `start-lambda` serves the template's functions: one without any (nested stacks included) is refused, saying so. */
function assertFunctions(template: LoadedTemplate): void {
  if (stacksOf(template).some(({ template: t }) => t.functions.size > 0)) return;
  const notes = [...(template.notEmulated ?? []), ...(template.warnings ?? [])];
  throw new TemplateError(displayPath(template.path), 'Resources', `no function to serve: it declares no AWS::Serverless::Function or AWS::Lambda::Function${notes.length > 0 ? `; also:\n  ${notes.join('\n  ')}` : ''}`);
}

/** SQS event sources on the template's queues, EventBridge rules with a pattern and a target, SNS subscriptions, S3 notifications, stream event sources and state machines, in every stack. */
export function servedEventSources(template: LoadedTemplate): number {
  const stacks = stacksOf(template).map((s) => s.template);
  const queueArns = new Set(stacks.flatMap((t) => (t.queues ?? []).map((q) => `arn:aws:sqs:${t.region}:${t.accountId}:${q.name}`)));
  const polled = stacks.flatMap((t) => (t.queueSources ?? []).filter((s) => s.enabled && queueArns.has(s.queueArn)));
  const routed = stacks.flatMap((t) => (t.eventRules ?? []).filter((r) => r.enabled && r.pattern && r.targets.length > 0));
  // A scheduled rule fires by itself: a template of scheduled functions only is served.
  const scheduled = stacks.flatMap((t) => [
    ...ruleSchedules((t.eventRules ?? []).filter((r) => r.enabled && !r.pattern && r.targets.length > 0), 0),
    ...schedulerTimings((t.schedulerSchedules ?? []).filter((s) => s.enabled), 0),
  ]).filter((s) => 'schedule' in s);
  const topicArns = new Set(stacks.flatMap((t) => (t.topics ?? []).map((topic) => topic.arn)));
  const subscribed = stacks.flatMap((t) => (t.subscriptions ?? []).filter((s) => topicArns.has(s.topicArn) && (s.protocol === 'lambda' || s.protocol === 'sqs')));
  const bucketNames = new Set(stacks.flatMap((t) => (t.buckets ?? []).map((b) => b.name)));
  const notified = stacks.flatMap((t) => (t.bucketNotifications ?? []).filter((n) => bucketNames.has(n.bucket)));
  const streamed = stacks.flatMap((t) => (t.streamSources ?? []).filter((s) => s.enabled));
  // A state machine runs on the embedded Step Functions: StartExecution from a test, a script or the SDK.
  const machines = stacks.flatMap((t) => (t.stateMachines ?? []).filter((m) => m.definition));
  const kinesisArns = new Set(stacks.flatMap((t) => (t.kinesisStreams ?? []).map((k) => k.arn)));
  const read = stacks.flatMap((t) => (t.kinesisSources ?? []).filter((s) => s.enabled && kinesisArns.has(s.streamArn)));
  const piped = stacks.flatMap((t) => runnablePipes(t));
  // A table copying its changes to a stream of the template (KinesisStreamSpecification): write to one, read the other.
  const copied = stacks.flatMap((t) => t.tables.filter((table) => table.kinesisStreamArn !== undefined && kinesisArns.has(table.kinesisStreamArn)));
  return polled.length + routed.length + scheduled.length + subscribed.length + notified.length + streamed.length + machines.length + read.length + piped.length + copied.length;
}

/** What every stack's functions and APIs share: the local folder, the credentials, the services, the closers. */
interface SharedRuntime {
  state: LocalState;
  credentials: LocalCredentials;
  environment: Record<string, string>;
  notServed: { endpointFor: (functionName: string) => string };
  /** The template's APIs by id -> their local origin, filled as each listens (read when an environment starts). */
  localApis: Map<string, string>;
  /** The WebSocket APIs' execute-api hosts -> their local ports, for Node.js functions' TLS connections. */
  localHosts: LocalHosts;
  options: EmulatorOptions;
  closers: (() => Promise<void>)[];
}

interface PreparedStack {
  path: string;
  template: LoadedTemplate;
  lambda: LocalLambdaService;
  identity: Identity;
  /** The functions that did not build, with the build's error: their routes and resources are reported NOT EMULATED. */
  unbuilt: ReadonlyMap<string, string>;
  functionNotes(): Promise<string[]>;
}

/**
 * One stack's identity (keys, pools, usage plans: template-wide, as in AWS) and its Lambda service, its functions
 * built. A nested stack's functions are built apart from the root's (their logical ids may be the same).
 */
async function prepareStack(template: LoadedTemplate, path: string, rootPath: string, shared: SharedRuntime): Promise<PreparedStack> {
  const { state, credentials, options, closers } = shared;
  const clock = options.clock ?? systemClock;
  const iam: IamOptions = { credentials, region: template.region, accountId: template.accountId, now: () => clock.now() };
  const identity: Identity = { state, apiKeys: ApiKeyRegistry.fromTemplate(template, state), cognito: CognitoPools.fromTemplate(template, state), limits: limitsFor(template, state, options.clock, iam), iam };
  closers.push(async () => identity.limits.usage.flush());
  const withEnvVars = options.envVars ? applyEnvVars(template.functions, options.envVars, template.tables.map((t) => t.tableName)) : { functions: template.functions, notes: [] };
  const lambda = new LocalLambdaService({ ...template, functions: withEnvVars.functions }, {
    extraEnvironment: shared.environment,
    credentials,
    notServedEndpoint: shared.notServed.endpointFor,
    localUrls: localApiUrls(shared.localApis),
    localHosts: () => shared.localHosts,
    watch: options.watch,
    codeWatch: options.codeWatch ?? true,
    ...(options.warmContainers ? { warmContainers: options.warmContainers } : {}),
    ...(options.log ? { notice: options.log } : {}),
    maxConcurrencyPerFunction: options.maxConcurrency,
    onReload: options.onReload,
    ...(options.platformLog ? { platformLog: options.platformLog } : {}),
    ...(options.functionLogFd !== undefined ? { functionStdout: { fd: options.functionLogFd } } : {}),
    ...(path ? { buildDir: nestedBuildDir(path) } : {}),
    samBuildDir: samBuildDir(rootPath, path),
  });
  closers.push(() => lambda.close());
  // A function that does not build (its dependencies not installed, a syntax error) fails its own requests only.
  const unbuilt = new Map((await lambda.prepare()).map(({ logicalId, error }) => [logicalId, error]));
  const functionNotes = async (): Promise<string[]> => {
    const notes = [...[...unbuilt].map(([logicalId, error]) => `${logicalId}: ${DID_NOT_BUILD}: ${error}`), ...withEnvVars.notes, ...reservedNotes(template), ...tenancyNotes(template.functions.values()), ...pythonNotes(await lambda.pythonInterpreters()), ...lambda.customNotes(), ...(options.warmContainers === 'EAGER' ? warmNotes(await lambda.warm()) : [])];
    return path ? notes.map((n) => `${path}${n}`) : notes;
  };
  // Known only now, after the template's loading accounted for its resources: the report must not say EMULATED for them.
  template.resources = withNotEmulatedResources(template.resources ?? [], new Map([...unbuilt].map(([id, error]) => [id, `${DID_NOT_BUILD}: ${firstLine(error)}`])));
  return { path, template, lambda, identity, unbuilt, functionNotes };
}

const DID_NOT_BUILD = 'did not build, its requests fail (502 on a REST API and a function URL, 500 on an HTTP API)';

/** Each function's ReservedConcurrentExecutions, applied as Lambda applies it (lambda/runtime.ts). */
function reservedNotes(template: LoadedTemplate): string[] {
  return [...template.functions.values()].flatMap((fn) =>
    fn.reservedConcurrency === undefined ? [] : [`${fn.logicalId}: ReservedConcurrentExecutions ${fn.reservedConcurrency}: ${fn.reservedConcurrency === 0 ? 'every invocation is throttled' : `at most ${fn.reservedConcurrency} at once, the others throttled`} (TooManyRequestsException; 500 on an API route, 429 on a function URL)`],
  );
}

/** Start everything the template needs and serve its APIs; close() stops it all. */
export async function startEmulator(options: EmulatorOptions): Promise<RunningEmulator> {
  const loadOptions = { parameterOverrides: options.parameterOverrides, importValues: options.importValues, region: options.region };
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
  const sqs = await startSqs({ credentials, region: options.region ?? DEFAULT_REGION, accountId: ACCOUNT_ID });
  closers.push(() => sqs.close());
  const templateLoading = loadTemplate(options.templatePath, { ...loadOptions, queueEndpoint: sqs.url });
  // Awaited below; a failure before then must not leave its rejection unhandled.
  templateLoading.catch(() => undefined);
  // The services' thread boots first, beside the template's reading and the builds: its boot (a Node thread, dynalite)
  // is the longest step to the ready line, and it needs only the credentials until the template is read.
  const servicesStarting = startServices(templateLoading, state, credentials, options, closers);
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
    const shared: SharedRuntime = { state, credentials, environment, notServed, localApis, localHosts, options, closers };
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
    const embedded = await startEventServices({ stacks, invokers: invokers.promise, services, sqsUrl: sqs.url, credentials, region: template.region, accountId: ACCOUNT_ID, localApis, options, closers });
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
    for (const [index, { path, identity, unbuilt }] of options.serve === 'lambda' ? [] : prepared.entries()) {
      const { template: t, invoker: linkedInvoker } = linked[index]!;
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
    const queueNotes = [...refusedQueues, ...startQueuePollers(pollerStacks, services, credentials, options, closers)];
    const copyToKinesis = embedded.kinesisStreams ? kinesisDestinationOn(embedded.kinesisStreams, options.log ?? ((line: string) => console.error(line))) : undefined;
    const streamNotes = startStreamPollers(pollerStacks, services.captureStreams, options, closers, copyToKinesis);
    invokers.resolve(withInvokers);
    const lambdaApi = options.serve === 'lambda' ? await startLambdaApi(functionsByIdentifier(withInvokers), { region: template.region, accountId: ACCOUNT_ID, asyncInvocations: embedded.asyncInvocations, port: options.port ?? 3001, ...(options.host ? { host: options.host } : {}) }) : undefined;
    if (lambdaApi) closers.push(() => lambdaApi.close());
    const identity = prepared[0]!.identity;
    return {
      template,
      apis,
      services: services.environment,
      credentials,
      apiKeys: identity.apiKeys.keyValuesByPlan(),
      usagePlans: identity.apiKeys.summary(),
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
      cloudFormationNotes: stackNotes(),
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
