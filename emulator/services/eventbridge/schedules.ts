/**
 * What runs on a schedule: EventBridge's scheduled rules (EventBridge User Guide, "Creating a rule that runs on a
 * schedule": each enabled rule of the default bus with a ScheduleExpression hands its targets a `Scheduled Event` from
 * `aws.events`) and EventBridge Scheduler's schedules (Scheduler User Guide: rate, cron and one-time `at` schedules
 * in their time zone, between StartDate and EndDate, handing their target its Input or Scheduler's default
 * notification). Time comes from a scheduler the caller gives (tests drive their own); timers end with stop().
 */
import { randomUUID } from 'node:crypto';
import type { EventRuleSpec, SchedulerScheduleSpec } from '../../template/model.js';
import type { AsyncScheduler } from '../async-invoke.js';
import type { BusEvent, Delivery, EventBuses } from './bus.js';
import { parseSchedule, ScheduleExpressionError, type Schedule } from './schedule-expression.js';

/** setTimeout's longest delay (about 24.8 days): a later firing is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A rule's or a schedule's timing, or why it does not run here (for the startup report). */
export type Timing<T> = { subject: T; schedule: Schedule } | { subject: T; problem: string };
export type RuleSchedule = Timing<EventRuleSpec>;

function parsed<T>(subject: T, expression: string, service: string, parse: () => Schedule): Timing<T> {
  try {
    return { subject, schedule: parse() };
  } catch (error) {
    if (!(error instanceof ScheduleExpressionError)) throw error;
    return { subject, problem: `ScheduleExpression ${expression} is not valid (${service} refuses it: ${error.message})` };
  }
}

/** The template's scheduled rules, each parsed; `start` is when rate schedules start counting. */
export function ruleSchedules(rules: EventRuleSpec[], start: number): RuleSchedule[] {
  return rules.flatMap((rule): RuleSchedule[] => {
    if (rule.schedule === undefined) return [];
    // "Scheduled rules are supported only on the default event bus" (PutRule refuses them elsewhere).
    if (rule.bus !== 'default') return [{ subject: rule, problem: `a ScheduleExpression on bus ${rule.bus}: EventBridge runs schedules only on the default bus (PutRule refuses it)` }];
    return [parsed(rule, rule.schedule, 'EventBridge', () => parseSchedule(rule.schedule!, start))];
  });
}

/** Scheduler's schedules, each parsed: at(...) allowed, its time zone applied, nothing before StartDate or after EndDate. */
export function schedulerTimings(schedules: SchedulerScheduleSpec[], start: number): Timing<SchedulerScheduleSpec>[] {
  return schedules.map((spec) =>
    spec.problem ? { subject: spec, problem: `${spec.problem} (EventBridge Scheduler refuses it)` } : parsed(spec, spec.expression, 'EventBridge Scheduler', () => {
      const inner = parseSchedule(spec.expression, spec.startDate ?? start, { scheduler: true, ...(spec.timezone ? { timezone: spec.timezone } : {}) });
      return {
        ...inner,
        next: (after) => {
          const at = inner.next(spec.startDate !== undefined ? Math.max(after, spec.startDate - 1) : after);
          return at === undefined || (spec.endDate !== undefined && at > spec.endDate) ? undefined : at;
        },
      };
    }),
  );
}

/**
 * Fires each runnable timing on time until stop(); `fire` hands its target(s) what they get at that time. `from` is the
 * moment after which the first firing is looked for (now by default; a Scheduler rate fires at the start itself).
 */
export function runSchedules<T>(timings: Timing<T>[], runnable: (subject: T) => boolean, scheduler: AsyncScheduler, fire: (subject: T, at: number) => void, from = scheduler.now()): { stop(): void } {
  const cancels = new Map<T, () => void>();
  const arm = (subject: T, schedule: Schedule, after: number): void => {
    const at = schedule.next(after);
    if (at === undefined) return void cancels.delete(subject);
    const wait = at - scheduler.now();
    if (wait > MAX_TIMER_MS) {
      // Not yet: wake up nearer to it, then look again.
      cancels.set(subject, scheduler.after(MAX_TIMER_MS, () => arm(subject, schedule, after)));
      return;
    }
    cancels.set(
      subject,
      scheduler.after(Math.max(0, wait), () => {
        fire(subject, at);
        // No backfill: a firing missed while the machine slept is not made up, as EventBridge does not.
        arm(subject, schedule, Math.max(at, scheduler.now()));
      }),
    );
  };
  for (const timing of timings) {
    if ('schedule' in timing && runnable(timing.subject)) arm(timing.subject, timing.schedule, from);
  }
  return {
    stop: () => {
      for (const cancel of cancels.values()) cancel();
      cancels.clear();
    },
  };
}

const isoSeconds = (ms: number): string => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');

/**
 * One firing of a Scheduler schedule: an event bus target (EventBridgeParameters) gets PutEvents with the Input as
 * Detail; any other target its Input, or Scheduler's default notification (a Scheduled Event from aws.scheduler whose
 * `detail` is the text "{}", as Scheduler sends it).
 */
export function fireSchedulerSchedule(spec: SchedulerScheduleSpec, at: number, context: { region: string; accountId: string; bus: EventBuses; deliver: (delivery: Delivery) => void }): void {
  const arn = `arn:aws:scheduler:${context.region}:${context.accountId}:schedule/${spec.group}/${spec.name}`;
  const event: BusEvent = { version: '0', id: randomUUID(), 'detail-type': 'Scheduled Event', source: 'aws.scheduler', account: context.accountId, time: isoSeconds(at), region: context.region, resources: [arn], detail: {} };
  const input = spec.target.input ?? JSON.stringify({ ...event, detail: '{}' });
  const bus = /^arn:[^:]+:events:[^:]*:\d*:event-bus\/(.+)$/.exec(spec.target.arn)?.[1];
  if (bus && spec.target.eventBridge) {
    context.bus.putEvents({ Entries: [{ EventBusName: bus, Source: spec.target.eventBridge.source, DetailType: spec.target.eventBridge.detailType, Detail: input }] });
    return;
  }
  context.deliver({ rule: { id: spec.id, name: spec.name, bus: 'default', enabled: spec.enabled, targets: [spec.target] }, target: spec.target, event, input, via: 'scheduler' });
}
