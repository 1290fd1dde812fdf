/**
 * The resources of a loaded template that the embedded services serve (tables, queues, streams, buckets, topics,
 * Parameter Store, state machines, pipes, event buses and schedules) and the functions' event sources on them.
 * Part of the contract model.ts describes, which re-exports every type here: import them from model.ts.
 */
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
  /** Its aliases (SAM's AutoPublishAlias): StartExecution takes `<arn>:<alias>`, or `<arn>:1`, the version they name. */
  aliases?: string[];
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

/** Name/value pairs of a connection's HTTP parameters (ConnectionHttpParameters): headers, query string, body. */
export interface ConnectionHttpParameters {
  headers: [string, string][];
  query: [string, string][];
  body: [string, string][];
}

/** How a connection authorizes its API destinations' requests (AWS::Events::Connection AuthorizationType). */
export type ConnectionAuthorization =
  | { type: 'API_KEY'; name: string; value: string }
  | { type: 'BASIC'; username: string; password: string }
  | { type: 'OAUTH_CLIENT_CREDENTIALS'; endpoint: string; method: string; clientId: string; clientSecret: string; parameters: ConnectionHttpParameters };

/** An EventBridge connection (AWS::Events::Connection): API destinations and Step Functions' HTTP Task use it. */
export interface EventConnectionSpec {
  logicalId: string;
  arn: string;
  /** Its authorization, or why EventBridge would refuse the connection. */
  authorization: ConnectionAuthorization | string;
  invocation: ConnectionHttpParameters;
}

/** An EventBridge API destination (AWS::Events::ApiDestination) with its connection (AWS::Events::Connection). */
export interface ApiDestinationSpec {
  logicalId: string;
  arn: string;
  /** InvocationEndpoint: each `*` is filled by a target's HttpParameters.PathParameterValues. */
  endpoint: string;
  method: string;
  /** InvocationRateLimitPerSecond (not applied here: the report says so). */
  rateLimitPerSecond?: number;
  connection?: { logicalId: string; authorization: ConnectionAuthorization; invocation: ConnectionHttpParameters };
  /** Why its deliveries fail here, as EventBridge would refuse it (no connection of the template, no endpoint...). */
  problem?: string;
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
  /** FlexibleTimeWindow as GetSchedule answers it (a template's; SAM's ScheduleV2 default is {Mode: OFF}). */
  flexibleTimeWindow?: { Mode: string; MaximumWindowInMinutes?: number };
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
