/**
 * EventBridge rules of a template (AWS::Events::Rule, and SAM's EventBridgeRule / CloudWatchEvent function and state
 * machine events, which SAM turns into a rule targeting the function or state machine) → EventRuleSpec, routed by the embedded event buses.
 */
import type { EventRuleSpec, EventTargetSpec, FunctionSpec } from './model.js';
import type { Stack } from './stack.js';
import { samRuleName } from './sam-generated.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** An event bus's name from its name or ARN (`arn:aws:events:<region>:<account>:event-bus/<name>`); `default` when absent. */
export function busName(value: unknown): string {
  if (typeof value !== 'string' || value === '') return 'default';
  return /^arn:[^:]+:events:[^:]*:[^:]*:event-bus\/(.+)$/.exec(value)?.[1] ?? value;
}

/** An EventPattern or FilterPolicy as the template writes it: an object, or its JSON text. */
export function patternOf(value: unknown): Record<string, unknown> | undefined {
  if (isRecord(value)) return value;
  if (typeof value !== 'string') return undefined;
  try {
    const parsed: unknown = JSON.parse(value);
    return isRecord(parsed) ? parsed : undefined;
  } catch {
    return undefined;
  }
}

function targetOf(raw: Record<string, unknown>, fallbackId: string): EventTargetSpec {
  const target: EventTargetSpec = { id: typeof raw.Id === 'string' ? raw.Id : fallbackId, arn: String(raw.Arn ?? '') };
  if (typeof raw.Input === 'string') target.input = raw.Input;
  else if (raw.Input !== undefined) target.input = JSON.stringify(raw.Input);
  if (typeof raw.InputPath === 'string') target.inputPath = raw.InputPath;
  const transformer = isRecord(raw.InputTransformer) ? raw.InputTransformer : undefined;
  if (transformer && typeof transformer.InputTemplate === 'string') {
    target.inputTransformer = { inputTemplate: transformer.InputTemplate, inputPathsMap: (isRecord(transformer.InputPathsMap) ? transformer.InputPathsMap : {}) as Record<string, string> };
  }
  const sqs = isRecord(raw.SqsParameters) ? raw.SqsParameters : undefined;
  if (typeof sqs?.MessageGroupId === 'string') target.messageGroupId = sqs.MessageGroupId;
  const kinesis = isRecord(raw.KinesisParameters) ? raw.KinesisParameters : undefined;
  if (typeof kinesis?.PartitionKeyPath === 'string') target.partitionKeyPath = kinesis.PartitionKeyPath;
  const http = isRecord(raw.HttpParameters) ? raw.HttpParameters : undefined;
  if (http) target.httpParameters = httpParametersOf(http);
  if (typeof raw.RoleArn === 'string') target.roleArn = raw.RoleArn;
  // A failed delivery is neither retried nor dead-lettered here: said at start rather than silently dropped.
  const notApplied = ['DeadLetterConfig', 'RetryPolicy'].filter((k) => raw[k] !== undefined);
  if (notApplied.length > 0) target.notApplied = notApplied;
  return target;
}

/** HttpParameters as strings: PathParameterValues a list, HeaderParameters and QueryStringParameters maps. */
function httpParametersOf(http: Record<string, unknown>): NonNullable<EventTargetSpec['httpParameters']> {
  const texts = (value: unknown): Record<string, string> | undefined => (isRecord(value) ? Object.fromEntries(Object.entries(value).map(([k, v]) => [k, String(v)])) : undefined);
  const path = Array.isArray(http.PathParameterValues) ? http.PathParameterValues.map(String) : undefined;
  const headers = texts(http.HeaderParameters);
  const query = texts(http.QueryStringParameters);
  return { ...(path ? { pathParameterValues: path } : {}), ...(headers ? { headerParameters: headers } : {}), ...(query ? { queryStringParameters: query } : {}) };
}

/**
 * SAM's `Schedule` event (SAM "Schedule" event source): a rule on the default bus with the ScheduleExpression, its
 * `Input`, `Enabled`/`State`, targeting the function (or state machine) with SAM's target id.
 */
function scheduleEventRule(stack: Stack, id: string, eventId: string, event: Record<string, unknown>, targetArn: string, machine: boolean): EventRuleSpec {
  const key = `Resources.${id}.Properties.Events.${eventId}.Properties`;
  const props = stack.resolve(isRecord(event.Properties) ? event.Properties : {}, key) as Record<string, unknown>;
  const target = targetOf({ Arn: targetArn, Id: `${id}${eventId}${machine ? 'StepFunctionsTarget' : 'LambdaTarget'}`, ...(props.Input !== undefined ? { Input: props.Input } : {}), ...(props.DeadLetterConfig !== undefined ? { DeadLetterConfig: props.DeadLetterConfig } : {}), ...(props.RetryPolicy !== undefined ? { RetryPolicy: props.RetryPolicy } : {}) }, `${id}${eventId}`);
  const state = props.State ?? (props.Enabled === false || props.Enabled === 'false' ? 'DISABLED' : 'ENABLED');
  return { id: `${id}.${eventId}`, name: samRuleName(stack, id, eventId, props, 'Schedule'), bus: 'default', ...(typeof props.Schedule === 'string' ? { schedule: props.Schedule } : {}), enabled: String(state).startsWith('ENABLED'), targets: [target] };
}

/** Every rule with an event pattern or a schedule (AWS::Events::Rule, SAM's EventBridgeRule, CloudWatchEvent and Schedule events). */
export function loadEventRules(stack: Stack, functions: Map<string, FunctionSpec>, warnings: string[] = []): EventRuleSpec[] {
  const rules: EventRuleSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Events::Rule') {
      const key = `Resources.${id}.Properties`;
      const props = stack.resolve(res.Properties, key) as Record<string, unknown>;
      const pattern = patternOf(props.EventPattern);
      if (props.EventPattern !== undefined && !pattern) warnings.push(`${key}.EventPattern: not a JSON object: the rule matches nothing`);
      const targets = (Array.isArray(props.Targets) ? props.Targets : []).filter(isRecord).map((t, i) => targetOf(t, `Target${i}`));
      rules.push({
        id,
        name: stack.physicalName(id),
        bus: busName(props.EventBusName),
        ...(pattern ? { pattern } : {}),
        ...(typeof props.ScheduleExpression === 'string' ? { schedule: props.ScheduleExpression } : {}),
        enabled: props.State === undefined || String(props.State).startsWith('ENABLED'),
        targets,
      });
    }
    const machine = res.Type === 'AWS::Serverless::StateMachine';
    if ((res.Type === 'AWS::Serverless::Function' || machine) && isRecord(res.Properties.Events)) {
      const fn = functions.get(id);
      // SAM's rule targets the function, or the state machine (StartExecution with the event as input).
      const targetArn = machine ? stack.arn(id, 'Arn') : (fn?.arn ?? '');
      for (const [eventId, event] of Object.entries(res.Properties.Events)) {
        if (isRecord(event) && event.Type === 'Schedule') {
          rules.push(scheduleEventRule(stack, id, eventId, event, targetArn, machine));
          continue;
        }
        if (!isRecord(event) || (event.Type !== 'EventBridgeRule' && event.Type !== 'CloudWatchEvent')) continue;
        const key = `Resources.${id}.Properties.Events.${eventId}.Properties`;
        const props = stack.resolve(isRecord(event.Properties) ? event.Properties : {}, key) as Record<string, unknown>;
        const pattern = patternOf(props.Pattern);
        if (!pattern) warnings.push(`${key}.Pattern: not a JSON object: the rule matches nothing`);
        const target = targetOf({ ...props, Arn: targetArn, Id: isRecord(props.Target) ? props.Target.Id : undefined }, `${id}${eventId}${machine ? 'StepFunctionsTarget' : 'LambdaTarget'}`);
        const state = props.State ?? (props.Enabled === false || props.Enabled === 'false' ? 'DISABLED' : 'ENABLED');
        // SAM names the rule's resource <Function><Event>; CloudFormation names the rule after it unless RuleName says.
        rules.push({ id: `${id}.${eventId}`, name: samRuleName(stack, id, eventId, props, event.Type), bus: busName(props.EventBusName), ...(pattern ? { pattern } : {}), enabled: String(state).startsWith('ENABLED'), targets: [target] });
      }
    }
  }
  return rules;
}
