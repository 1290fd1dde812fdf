/**
 * EventBridge Scheduler schedules of a template: AWS::Scheduler::Schedule and SAM's `ScheduleV2` function and state
 * machine events (SAM "ScheduleV2" event source: a schedule named `<Function><Event>` unless Name or OmitName says
 * otherwise, targeting the function or state machine) → SchedulerScheduleSpec, run by services/scheduler/.
 */
import type { EventTargetSpec, FunctionSpec, SchedulerScheduleSpec } from './model.js';
import type { Stack } from './stack.js';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** StartDate / EndDate: an ISO date and time (CloudFormation's form), epoch ms. */
function date(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const ms = Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** What the schedule sets that is not applied here, by name. */
function notApplied(props: Record<string, unknown>, target: Record<string, unknown>): string[] {
  const window = isRecord(props.FlexibleTimeWindow) ? props.FlexibleTimeWindow : {};
  return [
    ...(window.Mode === 'FLEXIBLE' ? [`FlexibleTimeWindow FLEXIBLE (it fires at the start of its window here)`] : []),
    ...['RetryPolicy', 'DeadLetterConfig'].filter((k) => target[k] !== undefined || props[k] !== undefined),
  ];
}

function spec(id: string, name: string, props: Record<string, unknown>, target: Record<string, unknown>): SchedulerScheduleSpec {
  const eventBridge = isRecord(target.EventBridgeParameters) ? target.EventBridgeParameters : undefined;
  const sqs = isRecord(target.SqsParameters) ? target.SqsParameters : undefined;
  const base: EventTargetSpec = { id: `${id}Target`, arn: String(target.Arn ?? ''), ...(typeof target.Input === 'string' ? { input: target.Input } : target.Input !== undefined ? { input: JSON.stringify(target.Input) } : {}) };
  if (typeof sqs?.MessageGroupId === 'string') base.messageGroupId = sqs.MessageGroupId;
  const skipped = notApplied(props, target);
  const startDate = date(props.StartDate);
  const endDate = date(props.EndDate);
  const unreadable = (['StartDate', 'EndDate'] as const).find((k) => props[k] !== undefined && date(props[k]) === undefined);
  const problem = unreadable ? `${unreadable} ${JSON.stringify(props[unreadable])} is not a date and time` : startDate !== undefined && endDate !== undefined && startDate >= endDate ? 'its StartDate is not before its EndDate' : undefined;
  return {
    id,
    name,
    group: typeof props.GroupName === 'string' ? props.GroupName : 'default',
    expression: String(props.ScheduleExpression ?? ''),
    ...(typeof props.ScheduleExpressionTimezone === 'string' ? { timezone: props.ScheduleExpressionTimezone } : {}),
    enabled: props.State === undefined || props.State === 'ENABLED',
    ...(startDate !== undefined ? { startDate } : {}),
    ...(endDate !== undefined ? { endDate } : {}),
    target: { ...base, ...(eventBridge ? { eventBridge: { detailType: String(eventBridge.DetailType ?? ''), source: String(eventBridge.Source ?? '') } } : {}) },
    ...(skipped.length > 0 ? { notApplied: skipped } : {}),
    ...(problem ? { problem } : {}),
  };
}

/** Every schedule of the stack, intrinsics resolved. */
export function loadSchedulerSchedules(stack: Stack, functions: Map<string, FunctionSpec>): SchedulerScheduleSpec[] {
  const out: SchedulerScheduleSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Scheduler::Schedule') {
      const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
      out.push(spec(id, typeof props.Name === 'string' ? props.Name : stack.physicalName(id), props, isRecord(props.Target) ? props.Target : {}));
    }
    const machine = res.Type === 'AWS::Serverless::StateMachine';
    if ((res.Type !== 'AWS::Serverless::Function' && !machine) || !isRecord(res.Properties.Events)) continue;
    for (const [eventId, event] of Object.entries(res.Properties.Events)) {
      if (!isRecord(event) || event.Type !== 'ScheduleV2') continue;
      const key = `Resources.${id}.Properties.Events.${eventId}.Properties`;
      const props = stack.resolve(isRecord(event.Properties) ? event.Properties : {}, key) as Record<string, unknown>;
      const arn = machine ? String(stack.arn(id, 'Arn')) : (functions.get(id)?.arn ?? '');
      const name = typeof props.Name === 'string' ? props.Name : props.OmitName === true ? stack.physicalName(`${id}${eventId}`) : `${id}${eventId}`;
      out.push(spec(`${id}.${eventId}`, name, props, { Arn: arn, ...(props.Input !== undefined ? { Input: props.Input } : {}), ...(props.RetryPolicy !== undefined ? { RetryPolicy: props.RetryPolicy } : {}), ...(props.DeadLetterConfig !== undefined ? { DeadLetterConfig: props.DeadLetterConfig } : {}) }));
    }
  }
  return out;
}
