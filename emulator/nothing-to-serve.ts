/**
 * Never silent at start: a template from which nothing would be served (no API, no event source, no function for
 * start-lambda) is refused, saying why, instead of starting a gateway that answers nothing.
 */
import { TemplateError, type LoadedTemplate } from './template/model.js';
import { displayPath } from './template/apis.js';
import { stacksOf } from './template/nested.js';
import { ruleSchedules, schedulerTimings } from './services/eventbridge/schedules.js';
import { pipeGaps, runnablePipes } from './services/pipes/start.js';

const API_TYPES = new Set(['AWS::Serverless::Api', 'AWS::ApiGateway::RestApi', 'AWS::Serverless::HttpApi', 'AWS::ApiGatewayV2::Api', 'AWS::Lambda::Url']);

/** Never silent: a template from which no API would be served (nested stacks included) is refused, saying why. */
export function assertSomethingServed(template: LoadedTemplate): void {
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
export function assertFunctions(template: LoadedTemplate): void {
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
