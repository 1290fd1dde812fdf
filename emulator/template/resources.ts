/**
 * Every resource of the template, accounted for at start: what the emulator serves from it, what it leaves out on
 * purpose (with why), and what it cannot do (custom domains). Grouped by type for the report.
 */
import type { RawResource } from './stack.js';
import { FUNCTION_EVENTS } from './sam-api/events.js';

export type ResourceStatus = 'emulated' | 'ignored' | 'not-emulated';

export interface ResourceGroup {
  type: string;
  logicalIds: string[];
  status: ResourceStatus;
  /** Why, for what is ignored or not emulated. */
  detail?: string;
}

/** Types the emulator reads and serves (template/*, identity/*, waf/*, services/*). */
const EMULATED = new Set([
  'AWS::Serverless::Function',
  'AWS::Lambda::Function',
  'AWS::Lambda::Permission',
  // Applied to the asynchronous invocations of its function (services/async-invoke.ts): retries, event age, destinations.
  'AWS::Lambda::EventInvokeConfig',
  'AWS::Lambda::Alias',
  // Served on a port of its own, as an HTTP API with one $default route (template/function-urls.ts).
  'AWS::Lambda::Url',
  'AWS::Lambda::Version',
  // A layer with a local content folder is added to the functions that list it (template/layers.ts warns of the others).
  'AWS::Serverless::LayerVersion',
  // A nested stack with a local template is read and served (template/nested.ts warns of the others).
  'AWS::Serverless::Application',
  'AWS::CloudFormation::Stack',
  'AWS::Lambda::LayerVersion',
  'AWS::Serverless::Api',
  'AWS::Serverless::HttpApi',
  // Rewritten into AWS::ApiGatewayV2::* resources as SAM does (template/sam-websocket-api.ts) and served as they are.
  'AWS::Serverless::WebSocketApi',
  'AWS::Serverless::SimpleTable',
  'AWS::DynamoDB::Table',
  // Created as one table in the embedded DynamoDB (its replicas are this one region's table).
  'AWS::DynamoDB::GlobalTable',
  'AWS::Cognito::UserPool',
  'AWS::Cognito::UserPoolClient',
  'AWS::SecretsManager::Secret',
  // Created in the embedded SQS; the functions' SQS event sources poll them (services/sqs/).
  'AWS::SQS::Queue',
  // Routed by the embedded event buses (services/eventbridge/): PutEvents reaches the rules' function and queue targets.
  'AWS::Events::Rule',
  'AWS::Events::EventBus',
  // Called by the rules and pipes that target them, with their connection's authorization (services/eventbridge/api-destination.ts).
  'AWS::Events::ApiDestination',
  'AWS::Events::Connection',
  // Run on their schedules, delivering to the same kinds of targets as rules (services/eventbridge/schedules.ts).
  'AWS::Scheduler::Schedule',
  'AWS::Scheduler::ScheduleGroup',
  // Created in the embedded S3 (services/s3/); uploads and deletes raise its event notifications.
  'AWS::S3::Bucket',
  // Served by the embedded Kinesis (services/kinesis/): records put reach the functions' Kinesis event sources.
  'AWS::Kinesis::Stream',
  'AWS::Kinesis::StreamConsumer',
  // Run on the embedded services (services/pipes/): SQS, DynamoDB stream and Kinesis sources to the served targets.
  'AWS::Pipes::Pipe',
  // Run by the embedded Step Functions (services/stepfunctions/): StartExecution from a function, an API or a rule.
  'AWS::Serverless::StateMachine',
  'AWS::StepFunctions::StateMachine',
  // Served by the embedded SNS (services/sns/): Publish reaches the function and queue subscriptions.
  'AWS::SNS::Topic',
  'AWS::SNS::Subscription',
  // In the embedded Parameter Store (services/ssm/): GetParameter and the rest read them.
  'AWS::SSM::Parameter',
  'AWS::WAFv2::WebACL',
  'AWS::WAFv2::WebACLAssociation',
  'AWS::WAFv2::IPSet',
  'AWS::WAFv2::RegexPatternSet',
  ...['RestApi', 'Resource', 'Method', 'Authorizer', 'Model', 'RequestValidator', 'GatewayResponse', 'Deployment', 'Stage', 'ApiKey', 'UsagePlan', 'UsagePlanKey'].map((t) => `AWS::ApiGateway::${t}`),
  ...['Api', 'Route', 'Integration', 'Authorizer', 'Stage', 'RouteResponse', 'IntegrationResponse'].map((t) => `AWS::ApiGatewayV2::${t}`),
]);

const CUSTOM_DOMAIN = 'custom domains are not served: each API answers on its own local port, at its stage path as on its execute-api URL (R11.4)';
const GRAPHQL_API = 'GraphQL (AppSync) APIs are not served locally: nothing answers its queries, and a function calling it fails fast (NotImplemented)';

const NOT_EMULATED: Record<string, string> = {
  'AWS::ApiGateway::DomainName': CUSTOM_DOMAIN,
  'AWS::ApiGateway::DomainNameV2': CUSTOM_DOMAIN,
  'AWS::ApiGatewayV2::DomainName': CUSTOM_DOMAIN,
  'AWS::ApiGateway::BasePathMapping': 'custom-domain base paths are not served (R11.4)',
  'AWS::ApiGateway::BasePathMappingV2': 'custom-domain base paths are not served (R11.4)',
  'AWS::ApiGatewayV2::ApiMapping': 'custom-domain API mappings are not served (R11.4)',
  'AWS::ApiGatewayV2::RoutingRule': 'custom-domain routing rules are not served (R11.4): each API answers on its own local port',
  'AWS::Serverless::GraphQLApi': GRAPHQL_API,
  'AWS::AppSync::GraphQLApi': GRAPHQL_API,
  // A data path, not a side service: what a Kinesis stream source or PutRecord feeds it never reaches its destination.
  'AWS::KinesisFirehose::DeliveryStream': 'Firehose delivery streams do not run locally: nothing reads its Kinesis stream source or delivers to its destination (S3, an HTTP endpoint...), and PutRecord from a function fails fast (NotImplemented)',
};

const CUSTOM_RESOURCE =
  "a custom resource: CloudFormation sends its ServiceToken a Create request when the stack deploys; nothing deploys locally, so it never runs (invoke its function with a custom resource Create event to do its work, such as seeding a table)";

/** Ignored on purpose, by type prefix: nothing a request to the API observes locally. */
const IGNORED: [prefix: string, why: string][] = [
  ['AWS::IAM::', 'no IAM locally: roles and policies are neither created nor evaluated'],
  ['AWS::SQS::QueuePolicy', 'no IAM locally: queue policies are not evaluated (the queues are served)'],
  ['AWS::SNS::TopicPolicy', 'no IAM locally: topic policies are not evaluated (the topics are served)'],
  ['AWS::S3::BucketPolicy', 'no IAM locally: bucket policies are not evaluated (the buckets are served; every request must be signed with the local credentials)'],
  ['AWS::Events::Archive', 'no event archives or replays locally'],
  ['AWS::SQS::QueueInlinePolicy', 'no IAM locally: queue policies are not evaluated (the queues are served)'],
  ['AWS::Logs::', 'no CloudWatch Logs locally: functions log to the terminal, stages with an access log setting to the request log'],
  ['AWS::CloudWatch::', 'no CloudWatch locally'],
  ['AWS::ApiGateway::Account', 'account settings (the CloudWatch role) have no effect locally'],
  ['AWS::ApiGatewayV2::Deployment', 'every stage serves the template as it is'],
  ['AWS::ApiGatewayV2::Model', 'request models are not validated'],
  ['AWS::CDK::Metadata', "CDK's own bookkeeping"],
  ['AWS::AppSync::', 'part of an AppSync GraphQL API, which is not served locally (the API itself is listed as not emulated)'],
  ['AWS::Serverless::Connector', 'an IAM grant between two resources: IAM is not evaluated locally, so what it allows is not checked'],
  ['AWS::EC2::', "networking (VPC, subnets, security groups) has no local counterpart: functions use this machine's network"],
  ['AWS::EFS::', "no EFS locally: a function's FileSystemConfigs mount is absent"],
  ['AWS::CloudFront::', 'no CloudFront locally: each API and function URL answers on its own local port'],
  ['AWS::Route53::', 'no DNS locally: each API answers on its own local port'],
  ['AWS::CertificateManager::', 'no certificates locally: the APIs are served over plain HTTP'],
  ['AWS::ApiGateway::ClientCertificate', "API Gateway's certificate for its calls to HTTP backends (a stage's ClientCertificateId): local HTTP integrations present none"],
  ['AWS::ApiGateway::VpcLink', 'private integrations through a VPC link (connectionType VPC_LINK) have no local network to reach: their routes are reported as not emulated'],
  ['AWS::ApiGatewayV2::VpcLink', 'private integrations through a VPC link (connectionType VPC_LINK) have no local network to reach: their routes are reported as not emulated'],
  ['AWS::ApiGateway::Documentation', 'API documentation parts and versions are not served (the /docs page shows the served document)'],
  ['AWS::CodeDeploy::', "gradual deployments (SAM's DeploymentPreference) do not run locally: the template's code serves every request at once"],
  ['AWS::CloudFormation::WaitCondition', "CloudFormation's deployment signals: nothing deploys or waits locally"],
  ['AWS::CloudFormation::CustomResource', CUSTOM_RESOURCE],
  ['Custom::', CUSTOM_RESOURCE],
  // After AWS::SSM::Parameter, which is EMULATED (looked up first).
  ['AWS::SSM::', 'the embedded SSM serves Parameter Store only: documents, associations, maintenance windows and the rest are not created, and a call to them gets UnknownOperationException'],
];

const NOT_CREATED = 'not created locally: a function calling it reaches the not-served endpoint and fails fast (NotImplemented)';

/** Status and reason of one resource type. */
export function resourceStatus(type: string): { status: ResourceStatus; detail?: string } {
  if (EMULATED.has(type)) return { status: 'emulated' };
  const notEmulated = NOT_EMULATED[type];
  if (notEmulated) return { status: 'not-emulated', detail: notEmulated };
  const ignored = IGNORED.find(([prefix]) => type.startsWith(prefix));
  return { status: 'ignored', detail: ignored?.[1] ?? NOT_CREATED };
}

/**
 * The template's own resources (before SAM generates any), grouped by type and status: not emulated first, then
 * ignored, then emulated. `override` gives one resource a status of its own (a nested stack whose template is not local);
 * `conditionFalse` are those whose Condition is false, IGNORED as CloudFormation does not create them.
 */
export function accountResources(resources: Record<string, RawResource>, override: (id: string) => { status: ResourceStatus; detail?: string } | undefined = () => undefined, conditionFalse: Record<string, RawResource> = {}): ResourceGroup[] {
  const groups = new Map<string, ResourceGroup>();
  const absent = (res: RawResource) => ({ status: 'ignored' as const, detail: `Condition ${res.Condition} is false: CloudFormation does not create it, nor is it served` });
  for (const [id, res] of [...Object.entries(resources), ...Object.entries(conditionFalse)]) {
    const status = id in conditionFalse ? absent(res) : (override(id) ?? resourceStatus(res.Type));
    const key = `${res.Type}\0${status.status}\0${status.detail ?? ''}`;
    const group = groups.get(key) ?? { type: res.Type, logicalIds: [], ...status };
    group.logicalIds.push(id);
    groups.set(key, group);
  }
  for (const [type, ids] of untriggeredEvents(resources)) {
    groups.set(`${type}\0events`, { type, logicalIds: ids, status: 'ignored', detail: type.endsWith(' of state machines') ? UNTRIGGERED_MACHINE : UNTRIGGERED });
  }
  return [...groups.values()].sort(reportOrder);
}

const ORDER: Record<ResourceStatus, number> = { 'not-emulated': 0, ignored: 1, emulated: 2 };

/** The report's order of resource groups: not emulated first, then ignored, then emulated; by type within each. */
export function reportOrder(a: ResourceGroup, b: ResourceGroup): number {
  return ORDER[a.status] - ORDER[b.status] || a.type.localeCompare(b.type);
}

const UNTRIGGERED_MACHINE = 'no event source runs locally, so nothing starts them: start an execution yourself (StartExecution on the embedded Step Functions, AWS_ENDPOINT_URL_SFN in the startup report)';
const UNTRIGGERED = 'no event source runs locally, so nothing triggers them: invoke the function with such an event (`sam-local-gateway invoke <Function> -e event.json`, as `sam local invoke`)';

/** Function and state machine events nothing runs here (IoTRule, Cognito...), by type: `Events (IoTRule)` → [`Fn.Readings`]. */
function untriggeredEvents(resources: Record<string, RawResource>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const [id, res] of Object.entries(resources)) {
    if (res.Type !== 'AWS::Serverless::Function' && res.Type !== 'AWS::Serverless::StateMachine') continue;
    const events = res.Properties?.Events;
    if (typeof events !== 'object' || events === null || Array.isArray(events)) continue;
    for (const [eventId, event] of Object.entries(events as Record<string, unknown>)) {
      const type = typeof event === 'object' && event !== null ? (event as { Type?: unknown }).Type : undefined;
      // SQS events are polled, DynamoDB and Kinesis streams, SNS, S3 and EventBridge rule events delivered (the report lists each).
      // A type SAM does not know is no event (sam-api/events.ts unreadEvents names it).
      if (typeof type !== 'string' || !FUNCTION_EVENTS.includes(type) || ['Api', 'HttpApi', 'SQS', 'DynamoDB', 'Kinesis', 'SNS', 'S3', 'EventBridgeRule', 'CloudWatchEvent', 'Schedule', 'ScheduleV2'].includes(type)) continue;
      // A state machine's is started, not invoked: its advice differs (below).
      const key = `Events (${type})${res.Type === 'AWS::Serverless::StateMachine' ? ' of state machines' : ''}`;
      out.set(key, [...(out.get(key) ?? []), `${id}.${eventId}`]);
    }
  }
  return out;
}

/** Each string of a value (intrinsics' arguments included) with its path: where a dynamic reference may sit. */
function* strings(value: unknown, path: string): Generator<[string, string]> {
  if (typeof value === 'string') yield [value, path];
  else if (Array.isArray(value)) for (const [i, v] of value.entries()) yield* strings(v, `${path}[${i}]`);
  else if (typeof value === 'object' && value !== null) for (const [k, v] of Object.entries(value)) yield* strings(v, `${path}.${k}`);
}

/** Where dynamic references to the template's own secrets and parameters are resolved (identity/dynamic-references.ts). */
function resolvedLocally(type: string, path: string, id: string): boolean {
  if (type.startsWith('AWS::WAFv2::')) return true;
  if (type === 'AWS::Events::Connection') return path.startsWith(`Resources.${id}.Properties.AuthParameters`);
  return (type === 'AWS::Serverless::Function' || type === 'AWS::Lambda::Function') && path.startsWith(`Resources.${id}.Properties.Environment`);
}

/**
 * CloudFormation's dynamic references (`{{resolve:ssm:...}}`, `{{resolve:secretsmanager:...}}`) in the properties of
 * the resources the emulator serves, outside a function's environment and the WAF rules: resolved at deploy time by
 * CloudFormation, here left as the text written, each named. Those in the environment and WAF rules are resolved to
 * the template's own secrets and parameters once these are known; the ones naming anything else are named then.
 */
export function dynamicReferences(resources: Record<string, RawResource>): string[] {
  const notes: string[] = [];
  for (const [id, res] of Object.entries(resources)) {
    if (resourceStatus(res.Type).status !== 'emulated') continue;
    for (const [text, path] of strings(res.Properties, `Resources.${id}.Properties`)) {
      const reference = /\{\{resolve:(ssm|ssm-secure|secretsmanager):/.exec(text);
      if (!reference) continue;
      // ssm-secure is never resolved locally, wherever it is.
      if (reference[1] !== 'ssm-secure' && resolvedLocally(res.Type, path, id)) continue;
      notes.push(`${path}: the dynamic reference {{resolve:${reference[1]}:...}} is resolved by CloudFormation at deploy time: locally only one naming a secret or parameter of the template, in a function's environment or a WAF rule, takes its value; here it stays the text as written`);
    }
  }
  return notes;
}
