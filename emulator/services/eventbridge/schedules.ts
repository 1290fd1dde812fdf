/**
 * Scheduled rules (EventBridge User Guide, "Creating a rule that runs on a schedule"): each enabled rule of the
 * default bus with a ScheduleExpression fires on its schedule, handing its targets a `Scheduled Event` from
 * `aws.events`. Time comes from a scheduler the caller gives (tests drive their own); timers end with stop().
 */
import type { EventRuleSpec } from '../../template/model.js';
import type { AsyncScheduler } from '../async-invoke.js';
import { parseSchedule, ScheduleExpressionError, type Schedule } from './schedule-expression.js';

/** setTimeout's longest delay (about 24.8 days): a later firing is reached in steps. */
const MAX_TIMER_MS = 2 ** 31 - 1;

/** A rule's schedule, or why it does not run here (for the startup report). */
export type RuleSchedule = { rule: EventRuleSpec; schedule: Schedule } | { rule: EventRuleSpec; problem: string };

/** The template's scheduled rules, each parsed; `start` is when rate schedules start counting. */
export function ruleSchedules(rules: EventRuleSpec[], start: number): RuleSchedule[] {
  return rules.flatMap((rule): RuleSchedule[] => {
    if (rule.schedule === undefined) return [];
    // "Scheduled rules are supported only on the default event bus" (PutRule refuses them elsewhere).
    if (rule.bus !== 'default') return [{ rule, problem: `a ScheduleExpression on bus ${rule.bus}: EventBridge runs schedules only on the default bus (PutRule refuses it)` }];
    try {
      return [{ rule, schedule: parseSchedule(rule.schedule, start) }];
    } catch (error) {
      if (!(error instanceof ScheduleExpressionError)) throw error;
      return [{ rule, problem: `ScheduleExpression ${rule.schedule} is not valid (EventBridge refuses it: ${error.message})` }];
    }
  });
}

/** Fires each enabled, valid schedule on time until stop(); `fire` hands the rule's targets its event at that time. */
export function runSchedules(schedules: RuleSchedule[], scheduler: AsyncScheduler, fire: (rule: EventRuleSpec, at: number) => void): { stop(): void } {
  const cancels = new Map<EventRuleSpec, () => void>();
  const arm = (rule: EventRuleSpec, schedule: Schedule, after: number): void => {
    const at = schedule.next(after);
    if (at === undefined) return void cancels.delete(rule);
    const wait = at - scheduler.now();
    if (wait > MAX_TIMER_MS) {
      // Not yet: wake up nearer to it, then look again.
      cancels.set(rule, scheduler.after(MAX_TIMER_MS, () => arm(rule, schedule, after)));
      return;
    }
    cancels.set(
      rule,
      scheduler.after(Math.max(0, wait), () => {
        fire(rule, at);
        // No backfill: a firing missed while the machine slept is not made up, as EventBridge does not.
        arm(rule, schedule, Math.max(at, scheduler.now()));
      }),
    );
  };
  for (const entry of schedules) {
    if ('schedule' in entry && entry.rule.enabled && entry.rule.targets.length > 0) arm(entry.rule, entry.schedule, scheduler.now());
  }
  return {
    stop: () => {
      for (const cancel of cancels.values()) cancel();
      cancels.clear();
    },
  };
}
