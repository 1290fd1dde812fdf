import { describe, expect, it } from 'vitest';
import { quotaPeriod, utcDay } from '../../../emulator/limits/quota-period.js';

const iso = (ms: number) => new Date(ms).toISOString();
const at = (text: string) => Date.parse(text);

describe('R6.14 R6.16 [AMBIGUOUS] quota periods are UTC, Offset is the day the period starts', () => {
  it.each([
    { name: 'DAY: from UTC midnight to the next', period: 'DAY', offset: 0, now: '2026-11-30T23:59:59.999Z', start: '2026-11-30T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
    { name: 'DAY: midnight itself starts a new day', period: 'DAY', offset: 0, now: '2026-12-01T00:00:00.000Z', start: '2026-12-01T00:00:00.000Z', end: '2026-12-02T00:00:00.000Z' },
    { name: 'WEEK offset 0 starts on Sunday (Monday 30 Nov 2026)', period: 'WEEK', offset: 0, now: '2026-11-30T12:00:00.000Z', start: '2026-11-29T00:00:00.000Z', end: '2026-12-06T00:00:00.000Z' },
    { name: 'WEEK offset 1 starts on Monday', period: 'WEEK', offset: 1, now: '2026-11-30T12:00:00.000Z', start: '2026-11-30T00:00:00.000Z', end: '2026-12-07T00:00:00.000Z' },
    { name: 'WEEK offset 1 on a Sunday belongs to the week that began the Monday before', period: 'WEEK', offset: 1, now: '2026-11-29T08:00:00.000Z', start: '2026-11-23T00:00:00.000Z', end: '2026-11-30T00:00:00.000Z' },
    { name: 'MONTH offset 0: calendar month', period: 'MONTH', offset: 0, now: '2026-11-30T23:00:00.000Z', start: '2026-11-01T00:00:00.000Z', end: '2026-12-01T00:00:00.000Z' },
    { name: 'MONTH offset 14: from the 15th', period: 'MONTH', offset: 14, now: '2026-11-30T00:00:00.000Z', start: '2026-11-15T00:00:00.000Z', end: '2026-12-15T00:00:00.000Z' },
    { name: 'MONTH offset 14 before the 15th: the period began last month', period: 'MONTH', offset: 14, now: '2026-11-14T23:59:59.000Z', start: '2026-10-15T00:00:00.000Z', end: '2026-11-15T00:00:00.000Z' },
    { name: 'MONTH offset 9 in January before the 10th: the period began in December', period: 'MONTH', offset: 9, now: '2027-01-02T00:00:00.000Z', start: '2026-12-10T00:00:00.000Z', end: '2027-01-10T00:00:00.000Z' },
  ] as const)('$name', ({ period, offset, now, start, end }) => {
    const got = quotaPeriod({ period, offset }, at(now));
    expect({ start: iso(got.start), end: iso(got.end) }).toEqual({ start, end });
  });

  it('utcDay names the UTC date of an instant', () => {
    expect([utcDay(at('2026-11-30T23:59:59Z')), utcDay(at('2026-12-01T00:00:00Z'))]).toEqual(['2026-11-30', '2026-12-01']);
  });
});
