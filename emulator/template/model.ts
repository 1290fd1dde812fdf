/**
 * What the emulator knows about a SAM template once it is loaded: every value here has its
 * CloudFormation intrinsics resolved (parameters, conditions, Ref, Fn::Sub, Fn::GetAtt...).
 * This is the single contract between template loading and the rest of the emulator.
 */
import type { ResourceGroup } from './resources.js';
import type { WebSocketApiSpec } from './websocket-apis.js';
import type { StackDescription } from './outputs.js';
import type { RouteOnlyCallers } from './function-callers.js';

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

export interface TableSpec {
  logicalId: string;
  tableName: string;
  keySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
  attributeDefinitions: { AttributeName: string; AttributeType: 'S' | 'N' | 'B' }[];
  globalSecondaryIndexes?: {
    IndexName: string;
    KeySchema: { AttributeName: string; KeyType: 'HASH' | 'RANGE' }[];
    Projection: { ProjectionType: string; NonKeyAttributes?: string[] };
  }[];
  ttlAttribute?: string;
  /** StreamSpecification.StreamViewType: the table's writes make stream records (services/dynamodb-streams/). */
  streamViewType?: 'KEYS_ONLY' | 'NEW_IMAGE' | 'OLD_IMAGE' | 'NEW_AND_OLD_IMAGES';
  /** KinesisStreamSpecification.StreamArn: the table's changes are copied to this Kinesis stream. */
  kinesisStreamArn?: string;
}

/** A function's DynamoDB stream event source (SAM `Events: {Type: DynamoDB}` or AWS::Lambda::EventSourceMapping). */
export interface StreamSourceSpec {
  /** `Function.Event` for SAM events, the mapping's logical id otherwise. */
  id: string;
  functionLogicalId: string;
  /** The table's stream ARN (`…:table/<name>/stream/<label>`). */
  streamArn: string;
  batchSize: number;
  batchingWindowSeconds: number;
  enabled: boolean;
  reportBatchItemFailures: boolean;
  /** -1: until the record expires (Lambda's default); here, until it succeeds. */
  maximumRetryAttempts: number;
  /** TRIM_HORIZON or LATEST (required by Lambda; the same here: the stream starts with the emulator). */
  startingPosition?: string;
  filterCriteria?: Record<string, unknown>;
  /** Settings read but not applied (BisectBatchOnFunctionError, DestinationConfig, ParallelizationFactor...). */
  notApplied?: string[];
}

/** An AWS::SQS::Queue, created in the embedded SQS at start (template/queues.ts). */
export interface QueueSpec {
  logicalId: string;
  /** The physical name (QueueName, else CloudFormation's generated one; FIFO names end in .fifo). */
  name: string;
  /** SQS attributes as CreateQueue takes them (texts; RedrivePolicy as JSON text). */
  attributes: Record<string, string>;
}

/** A function's SQS event source (SAM `Events: {Type: SQS}` or AWS::Lambda::EventSourceMapping), polled as Lambda polls it. */
export interface QueueSourceSpec {
  /** `Function.Event` for SAM events, the mapping's logical id otherwise. */
  id: string;
  functionLogicalId: string;
  queueArn: string;
  batchSize: number;
  batchingWindowSeconds: number;
  enabled: boolean;
  /** FunctionResponseTypes has ReportBatchItemFailures: the function's batchItemFailures say which messages stay. */
  reportBatchItemFailures: boolean;
  maximumConcurrency?: number;
  /** FilterCriteria as written (its Filters' Patterns). */
  filterCriteria?: Record<string, unknown>;
}

/** An AWS::Pipes::Pipe, run by services/pipes/ (template/pipes.ts). */
export interface PipeSpec {
  logicalId: string;
  /** Name, else CloudFormation's generated one. */
  name: string;
  arn: string;
  /** The source's ARN (a Kinesis consumer's is its stream's). */
  source: string;
  sourceKind: 'sqs' | 'dynamodb' | 'kinesis' | 'other';
  batchSize: number;
  batchingWindowSeconds: number;
  maximumRetryAttempts: number;
  /** DesiredState RUNNING (the default); STOPPED pipes are not run. */
  running: boolean;
  filterCriteria?: Record<string, unknown>;
  /** The enrichment's ARN (a function, an express state machine, an API destination). */
  enrichment?: string;
  enrichmentInputTemplate?: string;
  target: string;
  /** TargetParameters as written (InputTemplate, the target kind's parameters). */
  targetParameters: Record<string, unknown>;
  /** Source settings read but not applied (DeadLetterConfig...). */
  notApplied?: string[];
}

/** An AWS::Kinesis::Stream, served by the embedded Kinesis (template/kinesis.ts). */
export interface KinesisStreamSpec {
  logicalId: string;
  /** Name, else CloudFormation's generated one. */
  name: string;
  arn: string;
  /** ShardCount (provisioned), 4 for an ON_DEMAND stream (what Kinesis starts one with). */
  shardCount: number;
  mode: 'PROVISIONED' | 'ON_DEMAND';
  retentionHours: number;
  /** StreamEncryption: its type (KMS) and key, answered as the stream's. */
  encryption?: 'KMS';
  keyId?: string;
}

/** A state machine, run by the embedded Step Functions (template/state-machines.ts). */
export interface StateMachineSpec {
  logicalId: string;
  /** Name (StateMachineName) or CloudFormation's generated one. */
  name: string;
  arn: string;
  type: 'STANDARD' | 'EXPRESS';
  /** The Amazon States Language definition, substitutions applied; absent when it cannot be read locally. */
  definition?: Record<string, unknown>;
  /** Why it cannot run here (its definition on S3...). */
  unavailable?: string;
  /** Settings not applied locally, each `Name: why` (Tracing, Logging). */
  notApplied?: string[];
}

/** An AWS::S3::Bucket, created in the embedded S3 at start (template/buckets.ts). */
export interface BucketSpec {
  logicalId: string;
  /** BucketName, else CloudFormation's generated lower-case name. */
  name: string;
  /** NotificationConfiguration's EventBridgeConfiguration.EventBridgeEnabled: events go to the default bus. */
  eventBridge: boolean;
  /** CorsConfiguration.CorsRules: what a web page's requests (presigned URLs) are answered with. */
  cors?: BucketCorsRule[];
  /** OwnershipControls allow ACLs (ObjectWriter, BucketOwnerPreferred); S3's default, BucketOwnerEnforced, refuses them. */
  aclsEnabled?: boolean;
  /** Settings of the bucket that are not applied locally (VersioningConfiguration...), for the report. */
  notApplied?: string[];
}

/** One of a bucket's CorsRules, methods upper-cased. */
export interface BucketCorsRule {
  allowedOrigins: string[];
  allowedMethods: string[];
  allowedHeaders: string[];
  exposedHeaders: string[];
  maxAge?: number;
}

/** One of a bucket's event notifications (NotificationConfiguration, or a SAM function's S3 event). */
export interface BucketNotificationSpec {
  /** `Bucket.LambdaConfigurations[0]` or `Function.Event`. */
  id: string;
  /** The bucket's physical name. */
  bucket: string;
  /** S3 event types, e.g. `s3:ObjectCreated:*`. */
  events: string[];
  /** Filter.S3Key.Rules: prefix and suffix of the key. */
  prefix?: string;
  suffix?: string;
  /** The function, queue or topic ARN notified. */
  target: string;
}

/** An AWS::SNS::Topic, served by the embedded SNS (template/topics.ts). */
export interface TopicSpec {
  logicalId: string;
  name: string;
  arn: string;
  fifo: boolean;
  /** FIFO topics: ContentBasedDeduplication. */
  contentBasedDeduplication?: boolean;
  /** Properties the embedded SNS does not apply, each `Name: why` for the startup report. */
  notApplied?: string[];
}

/** An AWS::SSM::Parameter: what Parameter Store holds once the stack is deployed. */
export interface SsmParameterSpec {
  logicalId: string;
  name: string;
  type: 'String' | 'StringList';
  value: string;
  description?: string;
  /** `text` or `aws:ec2:image`. */
  dataType?: string;
}

/** A subscription to a topic (AWS::SNS::Subscription, a Topic's Subscription list, or a SAM SNS function event). */
export interface SubscriptionSpec {
  /** The subscription's logical id, `Topic.Subscription[n]`, or `Function.Event`. */
  id: string;
  arn: string;
  topicArn: string;
  /** lambda and sqs are delivered to; others (email, http, sms...) are reported. */
  protocol: string;
  /** The function's or the queue's ARN (or the address of another protocol). */
  endpoint: string;
  filterPolicy?: Record<string, unknown>;
  filterPolicyScope?: 'MessageAttributes' | 'MessageBody';
  rawMessageDelivery?: boolean;
  /** Settings read but not applied (RedrivePolicy, DeliveryPolicy, SAM SqsSubscription). */
  notApplied?: string[];
}

/** One target of an EventBridge rule: a function or a queue of the template (others are reported, not delivered to). */
export interface EventTargetSpec {
  id: string;
  arn: string;
  /** Input: a constant JSON text sent instead of the event. */
  input?: string;
  /** InputPath: the part of the event sent (`$.detail`). */
  inputPath?: string;
  inputTransformer?: { inputPathsMap: Record<string, string>; inputTemplate: string };
  /** SqsParameters.MessageGroupId, for a FIFO queue target. */
  messageGroupId?: string;
  /** KinesisParameters.PartitionKeyPath, for a Kinesis stream target (the event id when absent). */
  partitionKeyPath?: string;
  /** HttpParameters, for an API Gateway target: the path's wildcards, query string and headers. */
  httpParameters?: { pathParameterValues?: string[]; headerParameters?: Record<string, string>; queryStringParameters?: Record<string, string> };
  /** RoleArn: the role the target is invoked with (an API Gateway target's request is then signed). */
  roleArn?: string;
  /** Target settings read but not applied here (DeadLetterConfig, RetryPolicy): named in the startup report. */
  notApplied?: string[];
}

/** An EventBridge Scheduler schedule (AWS::Scheduler::Schedule, or a SAM ScheduleV2 function or state machine event). */
export interface SchedulerScheduleSpec {
  /** Its logical id, or `Function.Event` for a SAM event. */
  id: string;
  name: string;
  group: string;
  /** rate(...), cron(...) or at(...). */
  expression: string;
  /** ScheduleExpressionTimezone (IANA), for cron and at. */
  timezone?: string;
  enabled: boolean;
  /** StartDate / EndDate, epoch ms: no firing before or after. */
  startDate?: number;
  endDate?: number;
  /** Its one target; `input` is Target.Input (EventBridge Scheduler's default notification otherwise). */
  target: EventTargetSpec & { eventBridge?: { detailType: string; source: string } };
  /** Settings read but not applied (a flexible window, retries, a dead-letter queue), for the report. */
  notApplied?: string[];
  /** Why Scheduler would refuse it (a StartDate that is no date, one after the EndDate): it never fires here. */
  problem?: string;
}

/** An EventBridge rule (AWS::Events::Rule, or a SAM EventBridgeRule / CloudWatchEvent function event). */
export interface EventRuleSpec {
  /** The rule's logical id, or `Function.Event` for a SAM event. */
  id: string;
  /** Its name on AWS: Name (RuleName), else CloudFormation's `<stack>-<LogicalId>` (what `<aws.events.rule-name>` is). */
  name: string;
  /** The event bus's name (`default` when none is named). */
  bus: string;
  pattern?: Record<string, unknown>;
  /** ScheduleExpression: the rule fires on it (services/eventbridge/schedules.ts). */
  schedule?: string;
  enabled: boolean;
  targets: EventTargetSpec[];
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
  /** Where the document came from, for error messages ("template.yaml#/Resources/Api/...", "openapi/api.yaml"). */
  openapiSource: string;
}

/** A Lambda (or other) integration of an HTTP API route (H1.6, H2.3). */
export interface HttpIntegrationSpec {
  /** Lower-cased: aws_proxy, http_proxy, ... */
  type: string;
  /** Lambda invocation URI (arn:aws:apigateway:...:lambda:path/.../invocations) or HTTP URL. */
  uri: string;
  payloadFormatVersion: '1.0' | '2.0';
  /** H2.4: 50-30 000 ms, 30 000 when not given. */
  timeoutInMillis: number;
  /** credentials / CredentialsArn: the role API Gateway invokes with, which needs no resource-based permission. */
  credentials?: string;
  /** The function a function URL invokes, known without its uri (its name may hold a parameter not given locally). */
  functionLogicalId?: string;
  /** http_proxy: the endpoint's method (httpMethod / IntegrationMethod); ANY or none sends the client's. */
  method?: string;
  /** VPC_LINK: a private integration (ALB, NLB, Cloud Map behind a VPC link); INTERNET or none: a public URL. */
  connectionType?: string;
  /** An AWS service integration's action (`SQS-SendMessage`...); its requestParameters are the action's, not mappings. */
  subtype?: string;
  /** The subtype's parameters: name → static text or a `$request...` / `${...}` value evaluated per request. */
  serviceParameters?: Record<string, string>;
  /** H11.6: how the request is changed before the integration gets it. */
  requestParameters?: HttpParameterMapping[];
  /** H11.6: how the integration's answer is changed, by its status code. */
  responseParameters?: Record<string, HttpParameterMapping[]>;
  /** Why this one integration is not served though its API is (H2.3: no payloadFormatVersion); its route answers 500. */
  notServed?: string;
}

/** One H11.6 mapping: `overwrite:header.x-user` → `$context.authorizer.claims.sub`. */
export interface HttpParameterMapping {
  action: 'append' | 'overwrite' | 'remove';
  target: 'header' | 'querystring' | 'path' | 'statuscode';
  /** The header or query string name; '' for path and statuscode. */
  name: string;
  /** `$request.header.x`, `${context.requestId}-${request.path.id}`, or static text. */
  value: string;
}

/** One route of an HTTP API: `GET /pets/{id}`, `ANY /{proxy+}` or `$default` (H3.2). */
export interface HttpRouteSpec {
  routeKey: string;
  integration?: HttpIntegrationSpec;
  authorizationType: 'NONE' | 'JWT' | 'CUSTOM' | 'AWS_IAM';
  /** Name of the authorizer (security scheme or AWS::ApiGatewayV2::Authorizer logical id). */
  authorizer?: string;
  /** H2.9: scopes the route requires of a JWT. */
  authorizationScopes: string[];
  /** Where it was declared, for messages. */
  location: string;
  /** The AWS::ApiGatewayV2::Integration resource its integration is, when one is (for the start report). */
  integrationResource?: string;
}

/** A JWT or Lambda REQUEST authorizer of an HTTP API (H2.8). */
export interface HttpAuthorizerSpec {
  name: string;
  type: 'jwt' | 'request';
  /** `$request.header.X`, `$request.querystring.X`, `$context.X`, `$stageVariables.X`. */
  identitySource: string[];
  issuer?: string;
  audience: string[];
  authorizerUri?: string;
  payloadFormatVersion: '1.0' | '2.0';
  enableSimpleResponses: boolean;
  ttlSeconds: number;
  location: string;
  /** authorizerCredentials / AuthorizerCredentialsArn / SAM FunctionInvokeRole: the role API Gateway invokes the authorizer with. */
  credentials?: string;
}

/** x-amazon-apigateway-cors / CorsConfiguration (H2.7, H9.1), names lower-cased where case does not matter. */
export interface HttpCorsSpec {
  allowOrigins: string[];
  allowMethods: string[];
  allowHeaders: string[];
  exposeHeaders: string[];
  maxAge?: number;
  allowCredentials: boolean;
}

/** Stage throttling of one route or of every route (H11.2). */
export interface HttpThrottleSettings {
  burstLimit?: number;
  rateLimit?: number;
}

export interface HttpStageSpec {
  /** `$default` (served at the root) or a name (served under /name, H3.1). */
  name: string;
  stageVariables: Record<string, string> | null;
  defaultThrottle: HttpThrottleSettings;
  /** By route key. */
  routeThrottle: Record<string, HttpThrottleSettings>;
  /** AccessLogSettings (H11.5): one line per request in the request log. */
  accessLog?: AccessLogSpec;
}

/** A setting the startup report lists for an HTTP API (same shape as the gateway's SupportItem). */
export interface HttpApiNote {
  subject: string;
  location: string;
  status: 'emulated' | 'not-emulated' | 'ignored';
  detail?: string;
}

/** An HTTP API (v2) from AWS::Serverless::HttpApi, implicit HttpApi events or AWS::ApiGatewayV2::* resources. */
export interface HttpApiSpec {
  logicalId: string;
  /** The id the emulator gives this API (stable, derived from the logical id). */
  apiId: string;
  stages: HttpStageSpec[];
  routes: HttpRouteSpec[];
  authorizers: Record<string, HttpAuthorizerSpec>;
  cors?: HttpCorsSpec;
  /** Where the routes came from ("template.yaml#/Resources/Api/..."). */
  source: string;
  notes: HttpApiNote[];
  /** The OpenAPI document the routes were imported from (SAM's generated one, or the Body); absent when only resources declare routes. */
  definition?: OpenApiDocument;
  /** Set when this "API" is a Lambda function URL (template/function-urls.ts): one `$default` route to the function. */
  functionUrl?: {
    functionLogicalId: string;
    authType: 'NONE' | 'AWS_IAM';
    invokeMode: 'BUFFERED' | 'RESPONSE_STREAM';
    /** AuthType NONE: the public grants the function's resource-based policy lacks (every request is then refused 403). */
    missingPermissions?: string[];
  };
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
  eventBuses?: string[];
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
