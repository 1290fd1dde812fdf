/**
 * What the emulator knows about a SAM template once it is loaded: every value here has its
 * CloudFormation intrinsics resolved (parameters, conditions, Ref, Fn::Sub, Fn::GetAtt...).
 * This is the single contract between template loading and the rest of the emulator.
 */
import type { ResourceGroup } from './resources.js';
import type { WebSocketApiSpec } from './websocket-apis.js';
import type { StackDescription } from './outputs.js';
import type { RouteOnlyCallers } from './function-callers.js';
import type { TableSpec, StreamSourceSpec, QueueSpec, QueueSourceSpec, PipeSpec, KinesisStreamSpec, StateMachineSpec, BucketSpec, BucketNotificationSpec, TopicSpec, SsmParameterSpec, SubscriptionSpec, SchedulerScheduleSpec, EventRuleSpec, ApiDestinationSpec, EventConnectionSpec } from './services-model.js';
import type { HttpApiSpec } from './http-api-model.js';

// The contract in one import: the embedded services' resources and the HTTP APIs are declared in files of their own.
export type { TableSpec, StreamSourceSpec, QueueSpec, QueueSourceSpec, PipeSpec, KinesisStreamSpec, StateMachineSpec, BucketSpec, BucketCorsRule, BucketNotificationSpec, TopicSpec, SsmParameterSpec, SubscriptionSpec, EventTargetSpec, SchedulerScheduleSpec, EventRuleSpec, ApiDestinationSpec, ConnectionAuthorization, ConnectionHttpParameters, EventConnectionSpec } from './services-model.js';
export type { HttpIntegrationSpec, HttpParameterMapping, HttpRouteSpec, HttpAuthorizerSpec, HttpCorsSpec, HttpThrottleSettings, HttpStageSpec, HttpApiNote, HttpApiSpec } from './http-api-model.js';

/** A stage's access log setting (REST `AccessLogSetting`, HTTP `AccessLogSettings`), as the template gives it. */
export interface AccessLogSpec {
  /** `DestinationArn`: a CloudWatch Logs group (or Firehose stream) ARN, or whatever the template left unresolved. */
  destinationArn: string;
  format: string;
}

/** An OpenAPI 3.0 document with x-amazon-apigateway-* extensions, intrinsics resolved. */
export type OpenApiDocument = Record<string, unknown> & {
  openapi?: string;
  swagger?: string;
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, unknown>;
};

export interface FunctionBuild {
  /** Absolute paths of the entry points (Metadata.BuildProperties.EntryPoints, relative to CodeUri). */
  entryPoints: string[];
  target?: string;
  format?: 'cjs' | 'esm';
  minify?: boolean;
  sourcemap?: boolean;
  external?: string[];
  /** Metadata.BuildProperties.OutExtension as esbuild's map, e.g. { ".js": ".mjs" }. */
  outExtension?: Record<string, string>;
  /** BuildProperties.Banner ("js=..."): text esbuild puts at the top of each output. */
  banner?: Record<string, string>;
  /** BuildProperties.Footer ("js=..."): text at the end of each output. */
  footer?: Record<string, string>;
  /** BuildProperties.MainFields ("module,main"): which package.json fields esbuild resolves a package by. */
  mainFields?: string[];
  /** BuildProperties.Loader ([".png=file"]): esbuild's loader per extension. */
  loader?: Record<string, string>;
  /** BuildProperties.Define (["process.env.X=\"1\""]): identifiers replaced at build time. */
  define?: Record<string, string>;
  keepNames?: boolean;
}

/** A layer of the template whose content is a local folder: what Lambda would extract into /opt. */
export interface LayerSpec {
  logicalId: string;
  /** Absolute folder of ContentUri (or of the CDK asset). */
  contentDir: string;
  /** Metadata.BuildMethod (python3.12, nodejs20.x, makefile): `sam build` then puts the content under python/ or nodejs/. */
  buildMethod?: string;
}

/** How Lambda handles a function's asynchronous invocations (template/async-config.ts). */
export interface AsyncInvokeSpec {
  /** Retries after a function error or timeout: 0-2 (2 by default). */
  maximumRetryAttempts: number;
  /** Events older than this are not retried (60-21600 s; 21600 by default). */
  maximumEventAgeSeconds: number;
  /** Destinations' ARNs (a queue, a topic, a function, an event bus). */
  onSuccess?: string;
  onFailure?: string;
  /** The dead-letter queue or topic's ARN. */
  deadLetter?: string;
}

export interface FunctionSpec {
  logicalId: string;
  /** Its asynchronous invocation settings, when the template gives any (Lambda's defaults otherwise). */
  asyncInvoke?: AsyncInvokeSpec;
  /** The physical name the emulator gives it (FunctionName if set, else the logical id). */
  functionName: string;
  /** arn:aws:lambda:<region>:<account>:function:<functionName> */
  arn: string;
  /** Absolute directory of CodeUri. */
  codeDir: string;
  /** Each FileSystemConfigs LocalMountPath: not mounted locally (no EFS); an error naming one gets a hint (lambda/efs-hint.ts). */
  efsMounts?: string[];
  /** "file.export" as in the template (e.g. "listTasks.handler"). */
  handler: string;
  runtime: string;
  architectures: string[];
  timeoutSeconds: number;
  memorySizeMb: number;
  /** ReservedConcurrentExecutions: at most this many invocations at once, the others throttled (0 throttles every one). */
  reservedConcurrency?: number;
  /**
   * TenancyConfig TenantIsolationMode PER_TENANT: every invocation names a tenant (Invoke's X-Amz-Tenant-Id), runs in
   * environments of that tenant only, and sees it as the context's tenant id (Lambda Developer Guide, "Tenant isolation").
   */
  tenantIsolation?: true;
  /** What a qualified Invoke may name besides `$LATEST`: its published version (`1` here) and its aliases. */
  qualifiers?: string[];
  /** LoggingConfig: the log format its runtime writes (AWS_LAMBDA_LOG_FORMAT) and, with JSON, the application log level (AWS_LAMBDA_LOG_LEVEL). */
  logging?: { format: 'Text' | 'JSON'; applicationLogLevel?: string };
  /** Globals.Function.Environment merged with the function's own, intrinsics resolved. */
  environment: Record<string, string>;
  /**
   * The variables of `environment` whose value `--env-vars` gave: the user's choice at run time, so they win over the
   * embedded services' endpoints (AWS_ENDPOINT_URL_DYNAMODB...) as in `sam local`, where the function gets the file's value.
   */
  fromEnvVars?: string[];
  /** Present when Metadata.BuildMethod is esbuild. */
  build?: FunctionBuild;
  /** A Metadata.BuildMethod run here with the local toolchain as `sam build` runs it (lambda/custom-runtime.ts): go1.x for a custom runtime, makefile for any. */
  customBuild?: 'go1.x' | 'makefile';
  /**
   * A makefile build's folders (absolute), as SAM reads them: the Makefile's (ContextPath, else the code's), the code
   * copied for the build (ProjectRootDirectory, else CodeUri), make's working directory (WorkingDirectory, else that copy).
   */
  makefile?: { contextDir?: string; projectRoot?: string; workingDir?: string };
  /** Code.ZipFile / InlineCode: the source Lambda writes to index.js. */
  inlineCode?: string;
  /** Its Layers found locally, in order (a later layer's files win, as when Lambda extracts them into /opt). */
  layers?: LayerSpec[];
  /** The ARNs of its Layers that exist only on AWS (given by ARN), which import hints name. */
  awsLayers?: string[];
  /** Its Layers of the template whose content folder does not exist (a script of the project makes it), which import hints name. */
  absentLayers?: LayerSpec[];
  /** Why the function cannot run locally (code on S3, a container image, not Node.js); its routes are reported as not emulated. */
  unavailable?: string;
  /**
   * Set with `unavailable` when Lambda (and sam local) would run the function and fail each invocation: its CodeUri
   * folder not built yet (sam local mounts an empty folder, the runtime finds no handler: Runtime.ImportModuleError), a
   * Handler that is no "file.export" (Runtime.MalformedHandlerName). Its routes are served and answer as a failed
   * function does (502 on a REST API, 500 on an HTTP API), not as a route that is not emulated.
   */
  invocationsFail?: boolean;
}

export interface ApiSpec {
  logicalId: string;
  /** The id the emulator gives this RestApi (stable, derived from the logical id). */
  restApiId: string;
  /** The ids of the API's resources by path, as CloudFormation gives them (RootResourceId, Ref of an AWS::ApiGateway::Resource): `$context.resourceId`. */
  resourceIds?: Record<string, string>;
  stageName: string;
  /** null when the stage has no variables (R1.18). */
  stageVariables: Record<string, string> | null;
  /** Raw MethodSettings of the stage, intrinsics resolved (throttling/caching are reported, not enforced). */
  methodSettings: Record<string, unknown>[];
  cacheClusterEnabled: boolean;
  /** The stage's AccessLogSetting: one line per request in the request log. */
  accessLog?: AccessLogSpec;
  /** The OpenAPI document: DefinitionBody (inline or AWS::Include) or DefinitionUri, intrinsics resolved. */
  openapi: OpenApiDocument;
  /** An API built from resources: the AWS::ApiGateway::Method declaring each `<VERB> <path>`, for the start report. */
  methodResources?: Record<string, string>;
  /** An API built from resources: the id (Ref) of the AWS::ApiGateway::Authorizer behind each security scheme, in the ARN API Gateway invokes it with (R1.54). */
  authorizerIds?: Record<string, string>;
  /** Where the document came from, for error messages ("template.yaml#/Resources/Api/...", "openapi/api.yaml"). */
  openapiSource: string;
  /**
   * Other stages of the same deployment, served beside `stageName` with the stage's defaults (gateway/stages.ts):
   * SAM's "Stage", which its deployment creates for an API without OpenApiVersion.
   */
  extraStages?: string[];
}

/** Resources of identity and access (API keys, Cognito, secrets) kept raw for part 2 of the emulator. */
export interface IdentityResources {
  apiKeys: { logicalId: string; properties: Record<string, unknown> }[];
  usagePlans: { logicalId: string; properties: Record<string, unknown> }[];
  usagePlanKeys: { logicalId: string; properties: Record<string, unknown> }[];
  userPools: { logicalId: string; properties: Record<string, unknown> }[];
  userPoolClients: { logicalId: string; properties: Record<string, unknown> }[];
  secrets: { logicalId: string; properties: Record<string, unknown> }[];
}

export interface LoadedTemplate {
  /** Absolute path of template.yaml. */
  path: string;
  region: string;
  accountId: string;
  parameters: Record<string, string>;
  functions: Map<string, FunctionSpec>;
  apis: ApiSpec[];
  /** HTTP APIs (API Gateway v2). */
  httpApis: HttpApiSpec[];
  /** WebSocket APIs (API Gateway v2, ProtocolType WEBSOCKET). */
  websocketApis?: WebSocketApiSpec[];
  tables: TableSpec[];
  /** AWS::SQS::Queue resources (created in the embedded SQS). */
  queues?: QueueSpec[];
  /** The functions' SQS event sources. */
  queueSources?: QueueSourceSpec[];
  /** The functions' DynamoDB stream event sources. */
  streamSources?: StreamSourceSpec[];
  /** S3 buckets and their event notifications (the embedded S3). */
  buckets?: BucketSpec[];
  /** State machines (the embedded Step Functions). */
  stateMachines?: StateMachineSpec[];
  /** Kinesis data streams and the functions' event sources on them (the embedded Kinesis). */
  kinesisStreams?: KinesisStreamSpec[];
  kinesisSources?: StreamSourceSpec[];
  /** EventBridge Pipes (services/pipes/). */
  pipes?: PipeSpec[];
  bucketNotifications?: BucketNotificationSpec[];
  /** SNS topics and their subscriptions (the embedded SNS). */
  topics?: TopicSpec[];
  /** AWS::SSM::Parameter resources, served by the embedded Parameter Store (services/ssm/). */
  ssmParameters?: SsmParameterSpec[];
  subscriptions?: SubscriptionSpec[];
  /** EventBridge rules (routed by the embedded event buses) and the template's own buses' names. */
  eventRules?: EventRuleSpec[];
  /** EventBridge Scheduler schedules (services/scheduler/). */
  schedulerSchedules?: SchedulerScheduleSpec[];
  /** AWS::Scheduler::ScheduleGroup names: groups the embedded Scheduler API takes schedules in (besides `default`). */
  schedulerGroups?: string[];
  eventBuses?: string[];
  /** EventBridge API destinations with their connections: a rule or pipe target calls them (services/eventbridge/api-destination.ts). */
  apiDestinations?: ApiDestinationSpec[];
  /** EventBridge connections: an API destination's, or one a state machine's HTTP Task names (stepfunctions/http-invoke.ts). */
  eventConnections?: EventConnectionSpec[];
  identity: IdentityResources;
  /** AWS::WAFv2::* resources (web ACLs, associations, IP and regex sets), properties resolved (emulator/waf/). */
  wafResources?: { logicalId: string; type: string; properties: Record<string, unknown> }[];
  /** The template's own resources by type: emulated, ignored (why) or not emulated (why), for the startup report. */
  resources?: ResourceGroup[];
  /** The functions only API routes or unrun events call, with those (template/function-callers.ts): reached only if a route is served. */
  routeOnlyFunctions?: Map<string, RouteOnlyCallers>;
  /** Things found in the template that the emulator recognises but does not apply (for the startup report). */
  warnings?: string[];
  /** Things in the template (or generated from it by the SAM transform) that the emulator does not emulate: refused by --strict. */
  notEmulated?: string[];
  /** Nested stacks read from local templates (AWS::Serverless::Application, AWS::CloudFormation::Stack), each served beside this one. */
  nestedStacks?: NestedStack[];
  /** The stack as DescribeStacks gives it once deployed (its name, id, Parameters, resolved Outputs): template/outputs.ts. */
  stack?: StackDescription;
  /**
   * Whether API Gateway may invoke the function for this execute-api source ARN
   * (`arn:aws:execute-api:<region>:<account>:<apiId>/<stage>/<METHOD>/<path>`): R1.54.
   */
  apiGatewayMayInvoke(functionLogicalId: string, sourceArn: string): boolean;
  /**
   * Whether a permission of this template that names a function it does not have (by name or ARN: one of another
   * stack) lets API Gateway invoke the function of one of `references` for this source ARN.
   */
  apiGatewayMayInvokeOther?(references: string[], sourceArn: string): boolean;
  /** Logical id of the function an API Gateway integration/authorizer URI invokes, or undefined. */
  functionForUri(uri: string): FunctionSpec | undefined;
}

/** A nested stack: the logical id of its resource in the parent (its path from the root, `Parent/Child`) and its template. */
export interface NestedStack {
  path: string;
  template: LoadedTemplate;
}

/** One grant to API Gateway; without a SourceArn it covers every API, stage, method and path. */
export interface ApiGatewayGrant {
  functionLogicalId: string;
  sourceArn?: string;
  /** Set when the function is not this template's: the name or ARN the permission gives (functionLogicalId is then ''). */
  otherFunction?: string;
}

/** A configuration problem, reported with the file and the key that caused it. */
export class TemplateError extends Error {
  constructor(
    readonly file: string,
    readonly key: string,
    /** What is wrong there, without the file and key. */
    readonly detail: string,
  ) {
    super(`${file}: ${key}: ${detail}`);
    this.name = 'TemplateError';
  }
}
