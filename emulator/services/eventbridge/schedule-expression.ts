/**
 * EventBridge schedule expressions (EventBridge User Guide, "Creating an Amazon EventBridge rule that runs on a
 * schedule"; EventBridge Scheduler User Guide, "Schedule types"): `rate(value unit)`, `cron(Minutes Hours Day-of-month
 * Month Day-of-week Year)` and, for Scheduler, the one-time `at(yyyy-mm-ddThh:mm:ss)`; cron and at in UTC, or in the
 * Scheduler's ScheduleExpressionTimezone. A parsed expression answers when it next fires after a given moment.
 */

export interface Schedule {
  /** The expression as written, for reports. */
  expression: string;
  /** In words (`every 5 minutes`), for the startup report. */
  describe: string;
  /** The first firing strictly after `after` (epoch ms), or undefined when it never fires again. */
  next(after: number): number | undefined;
}

const MINUTE = 60_000;
/** The last moment a Date can hold: a firing after it never comes. */
const LAST_DATE_MS = 8.64e15;
const RATE_UNITS: Record<string, number> = { minute: MINUTE, hour: 60 * MINUTE, day: 24 * 60 * MINUTE };
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];
/** How far ahead a cron expression is searched: one that matches nothing in that time never fires. */
const SEARCH_YEARS = 10;

/** Why an expression is not one EventBridge accepts (its PutRule answer names it "Parameter ScheduleExpression is not valid"). */
export class ScheduleExpressionError extends Error {}

/**
 * Parses a ScheduleExpression; `start` is when a rate schedule starts counting (a rule's creation, a Scheduler
 * schedule's StartDate). `options.scheduler` reads it as EventBridge Scheduler does: the one-time `at(...)`, a rate's
 * unit singular or plural whatever its value (its API lists `minute | minutes | ...`), a rate firing first at `start`
 * ("If you don't provide a StartDate for a rate-based schedule, your schedule starts invoking the target
 * immediately"); `options.timezone` (an IANA name) is where cron and at read their wall time.
 */
export function parseSchedule(expression: string, start: number, options: { scheduler?: boolean; timezone?: string } = {}): Schedule {
  // Checked whatever the expression: Scheduler refuses a time zone that is none, a rate's included.
  const zone = options.timezone === undefined || options.timezone === 'UTC' ? undefined : checkedZone(options.timezone);
  const rate = /^rate\((.*)\)$/.exec(expression.trim());
  if (rate) return rateSchedule(expression, rate[1]!.trim(), start, options.scheduler === true);
  const cron = /^cron\((.*)\)$/.exec(expression.trim());
  if (cron) return zoned(cronSchedule(expression, cron[1]!.trim()), zone);
  const at = options.scheduler ? /^at\((\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d)\)$/.exec(expression.trim()) : null;
  if (at) {
    const wall = Date.parse(`${at[1]!}Z`);
    // Date.parse rolls 2030-02-30 over to March: a date must read back as written.
    if (Number.isNaN(wall) || new Date(wall).toISOString().slice(0, 19) !== at[1]) throw new ScheduleExpressionError(`${at[1]!} is not a date and time`);
    return zoned({ expression, describe: `once, at ${at[1]!} UTC`, next: (after) => (wall > after ? wall : undefined) }, zone);
  }
  throw new ScheduleExpressionError(options.scheduler ? 'not rate(...), cron(...) nor at(...)' : 'not rate(...) nor cron(...)');
}

function checkedZone(zone: string): string {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    throw new ScheduleExpressionError(`ScheduleExpressionTimezone ${zone} is not a time zone`);
  }
  return zone;
}

/** How far a zone's wall clock is ahead of UTC at an instant, in ms. */
function offsetMs(zone: string, instant: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: zone, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' }).formatToParts(instant);
  const part = (type: string): number => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second')) - Math.floor(instant / 1000) * 1000;
}

/** A wall-clock schedule (its times read as UTC) made to run in `zone`: the search runs on that zone's wall clock. */
function zoned(wallClock: Schedule, zone: string | undefined): Schedule {
  if (!zone) return wallClock;
  const toInstant = (wall: number): number => {
    const guess = wall - offsetMs(zone, wall);
    return wall - offsetMs(zone, guess);
  };
  return {
    expression: wallClock.expression,
    describe: wallClock.describe.replace(/ UTC$/, ` ${zone}`),
    next: (after) => {
      let from = after + offsetMs(zone, after);
      // A wall time that maps back to a moment not after `after` (a clock set back) is skipped.
      for (let i = 0; i < 4; i++) {
        const wall = wallClock.next(from);
        if (wall === undefined) return undefined;
        const instant = toInstant(wall);
        if (instant > after) return instant;
        from = wall;
      }
      return undefined;
    },
  };
}

/** Rules: "If the value is equal to 1, then the unit must be singular ... greater than 1, plural." Scheduler: either. */
function rateSchedule(expression: string, body: string, start: number, scheduler: boolean): Schedule {
  const match = /^(\d+)\s+(minute|minutes|hour|hours|day|days)$/.exec(body);
  if (!match) throw new ScheduleExpressionError('rate(value unit): a positive whole value, and minute(s), hour(s) or day(s)');
  const value = Number(match[1]);
  const unit = match[2]!;
  if (value < 1) throw new ScheduleExpressionError('the rate must be at least 1');
  if (!scheduler && (value === 1) !== !unit.endsWith('s')) throw new ScheduleExpressionError(`the unit must be ${value === 1 ? 'singular' : 'plural'} for ${value}`);
  const period = value * RATE_UNITS[unit.replace(/s$/, '')]!;
  return {
    expression,
    describe: `every ${value === 1 ? unit.replace(/s$/, '') : `${value} ${unit.replace(/s?$/, 's')}`}`,
    next: (after) => {
      const at = scheduler && after < start ? start : start + (Math.floor(Math.max(0, after - start) / period) + 1) * period;
      return at > LAST_DATE_MS ? undefined : at;
    },
  };
}

/** A field's allowed values from its text: lists, ranges, steps and `*` over [min, max]. */
function values(text: string, min: number, max: number, names: string[] = [], nameBase = min): Set<number> {
  const out = new Set<number>();
  const number = (part: string): number => {
    const named = names.indexOf(part.toUpperCase());
    const n = named >= 0 ? named + nameBase : /^\d+$/.test(part) ? Number(part) : NaN;
    if (!Number.isInteger(n) || n < min || n > max) throw new ScheduleExpressionError(`${part} is not within ${min}-${max}`);
    return n;
  };
  for (const item of text.split(',')) {
    const [range, stepText] = item.split('/') as [string, string | undefined];
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!Number.isInteger(step) || step < 1) throw new ScheduleExpressionError(`${item}: the step must be a positive whole number`);
    let [from, to] = [min, max];
    if (range !== '*') {
      const [a, b] = range.split('-') as [string, string | undefined];
      from = number(a);
      // `5/15` runs from 5 to the field's end; `5` alone is that value only.
      to = b !== undefined ? number(b) : stepText !== undefined ? max : from;
    }
    if (from > to) throw new ScheduleExpressionError(`${item}: the range runs backwards`);
    for (let v = from; v <= to; v += step) out.add(v);
  }
  return out;
}

type DayTest = (date: Date) => boolean;

const daysInMonth = (y: number, m: number): number => new Date(Date.UTC(y, m + 1, 0)).getUTCDate();

/** Day-of-month: values, `L` (last day), `LW` and `<n>W` (the weekday nearest the day, within its month). */
function dayOfMonth(text: string): DayTest {
  if (text === 'L') return (d) => d.getUTCDate() === daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
  const weekday = /^(L|\d{1,2})W$/.exec(text);
  if (weekday) {
    return (d) => {
      const last = daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
      const target = weekday[1] === 'L' ? last : Math.min(Number(weekday[1]), last);
      const dow = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), target)).getUTCDay();
      let day = target;
      if (dow === 6) day = target === 1 ? 3 : target - 1;
      else if (dow === 0) day = target === last ? target - 2 : target + 1;
      return d.getUTCDate() === day;
    };
  }
  const days = values(text, 1, 31);
  return (d) => days.has(d.getUTCDate());
}

/** Day-of-week (1 = SUN ... 7 = SAT): values, `L` (Saturday), `<n>L` (the month's last such day), `<n>#<k>` (its k-th). */
function dayOfWeek(text: string): DayTest {
  const dow = (d: Date): number => d.getUTCDay() + 1;
  if (text === 'L') return (d) => dow(d) === 7;
  const last = /^(\w+)L$/.exec(text);
  if (last) {
    const day = [...values(last[1]!, 1, 7, DAYS)][0]!;
    return (d) => dow(d) === day && d.getUTCDate() + 7 > daysInMonth(d.getUTCFullYear(), d.getUTCMonth());
  }
  const nth = /^(\w+)#([1-5])$/.exec(text);
  if (nth) {
    const day = [...values(nth[1]!, 1, 7, DAYS)][0]!;
    return (d) => dow(d) === day && Math.ceil(d.getUTCDate() / 7) === Number(nth[2]);
  }
  const days = values(text, 1, 7, DAYS);
  return (d) => days.has(dow(d));
}

/** "You can't specify the Day-of-month and Day-of-week fields in the same cron expression": one of them is `?`. */
function cronSchedule(expression: string, body: string): Schedule {
  const fields = body.split(/\s+/);
  if (fields.length !== 6) throw new ScheduleExpressionError('cron(...) takes six fields: Minutes Hours Day-of-month Month Day-of-week Year');
  const [min, hour, dom, month, dow, year] = fields as [string, string, string, string, string, string];
  const minutes = [...values(min, 0, 59)].sort((a, b) => a - b);
  const hours = [...values(hour, 0, 23)].sort((a, b) => a - b);
  const months = values(month, 1, 12, MONTHS);
  const years = year === '*' ? undefined : values(year, 1970, 2199);
  if ((dom === '?') === (dow === '?')) throw new ScheduleExpressionError('one of Day-of-month and Day-of-week must be ?, and only one');
  const dayMatches: DayTest = dom === '?' ? dayOfWeek(dow) : dayOfMonth(dom);
  return {
    expression,
    describe: `at cron(${body}) UTC`,
    next: (after) => {
      const from = new Date(Math.floor(after / MINUTE) * MINUTE + MINUTE);
      const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
      for (let i = 0; i < SEARCH_YEARS * 366; i++, day.setUTCDate(day.getUTCDate() + 1)) {
        if (years && !years.has(day.getUTCFullYear())) {
          // A year not allowed is skipped whole: cron(0 0 1 1 ? 2199) is found however far away.
          const later = [...years].filter((y) => y > day.getUTCFullYear()).sort((a, b) => a - b)[0];
          if (later === undefined) return undefined;
          day.setTime(Date.UTC(later, 0, 0));
          continue;
        }
        if (!months.has(day.getUTCMonth() + 1) || !dayMatches(day)) continue;
        for (const h of hours) {
          for (const m of minutes) {
            const at = day.getTime() + (h * 60 + m) * MINUTE;
            if (at >= from.getTime()) return at;
          }
        }
      }
      return undefined;
    },
  };
}
