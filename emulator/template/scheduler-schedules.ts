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

/** FlexibleTimeWindow as the API answers it: its Mode, and MaximumWindowInMinutes as a number (CloudFormation's type). */
function timeWindow(value: unknown): SchedulerScheduleSpec['flexibleTimeWindow'] {
  if (!isRecord(value)) return undefined;
  const max = Number(value.MaximumWindowInMinutes);
  return { Mode: String(value.Mode ?? ''), ...(value.MaximumWindowInMinutes !== undefined && Number.isFinite(max) ? { MaximumWindowInMinutes: max } : {}) };
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
  const window = timeWindow(props.FlexibleTimeWindow);
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
    ...(window ? { flexibleTimeWindow: window } : {}),
    target: { ...base, ...(eventBridge ? { eventBridge: { detailType: String(eventBridge.DetailType ?? ''), source: String(eventBridge.Source ?? '') } } : {}) },
    ...(skipped.length > 0 ? { notApplied: skipped } : {}),
    ...(problem ? { problem } : {}),
  };
}

/**
 * Every schedule of the stack, intrinsics resolved. What keeps CloudFormation from deploying the template is said in
 * `notEmulated`: an AWS::Scheduler::Schedule's ActionAfterCompletion (a CreateSchedule setting the resource does not
 * have: its schema takes no other property), two schedules of one name in one group (Scheduler keeps one).
 */
export function loadSchedulerSchedules(stack: Stack, functions: Map<string, FunctionSpec>, notEmulated: string[]): SchedulerScheduleSpec[] {
  const out: SchedulerScheduleSpec[] = [];
  for (const [id, res] of Object.entries(stack.resources)) {
    if (res.Type === 'AWS::Scheduler::Schedule') {
      const props = stack.resolve(res.Properties, `Resources.${id}.Properties`) as Record<string, unknown>;
      if (props.ActionAfterCompletion !== undefined) {
        notEmulated.push(`Resources.${id}.Properties.ActionAfterCompletion: AWS::Scheduler::Schedule has no such property, so CloudFormation refuses the template; it is a CreateSchedule setting (a schedule a function creates), not applied here`);
      }
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
      // SAM writes {Mode: OFF} unless the event gives a window (`self.FlexibleTimeWindow or DEFAULT_FLEXIBLE_TIME_WINDOW`).
      const window = isRecord(props.FlexibleTimeWindow) && Object.keys(props.FlexibleTimeWindow).length > 0 ? props.FlexibleTimeWindow : { Mode: 'OFF' };
      out.push(spec(`${id}.${eventId}`, name, { ...props, FlexibleTimeWindow: window }, { Arn: arn, ...(props.Input !== undefined ? { Input: props.Input } : {}), ...(props.RetryPolicy !== undefined ? { RetryPolicy: props.RetryPolicy } : {}), ...(props.DeadLetterConfig !== undefined ? { DeadLetterConfig: props.DeadLetterConfig } : {}) }));
    }
  }
  notEmulated.push(...sameNames(out));
  return out;
}

/** A schedule's place in the template: its resource, or its SAM event. */
const location = (id: string): string => (id.includes('.') ? `Resources.${id.replace('.', '.Properties.Events.')}` : `Resources.${id}`);

/** Scheduler keeps one schedule per name and group: creating a second fails, and the deploy with it. */
function sameNames(specs: SchedulerScheduleSpec[]): string[] {
  const first = new Map<string, string>();
  return specs.flatMap((s) => {
    const key = `${s.group}/${s.name}`;
    const owner = first.get(key);
    if (owner === undefined) {
      first.set(key, s.id);
      return [];
    }
    return [`${location(s.id)}: a second schedule named ${s.name} in group ${s.group}, beside ${owner}: Scheduler keeps one schedule per name and group, so CloudFormation fails creating one of them and the template does not deploy; only ${owner} runs here`];
  });
}
