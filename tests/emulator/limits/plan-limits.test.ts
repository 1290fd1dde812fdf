import { describe, expect, it } from 'vitest';
import { parseMethodThrottles, parseQuota, parseThrottle, planMethodKey } from '../../../emulator/limits/plan-limits.js';

describe('usage plan limits (R6.7-R6.16)', () => {
  it.each([
    { name: 'both fields (numbers as !Ref strings)', raw: { RateLimit: '50', BurstLimit: '100' }, want: { rate: 50, burst: 100 } },
    { name: '[AMBIGUOUS] rate only: burst = rate rounded up', raw: { RateLimit: 2.5 }, want: { rate: 2.5, burst: 3 } },
    { name: '[AMBIGUOUS] burst only: rate = burst', raw: { BurstLimit: 4 }, want: { rate: 4, burst: 4 } },
    { name: 'neither field: no throttle', raw: {}, want: undefined },
    { name: 'absent', raw: undefined, want: undefined },
  ])('R6.8 Throttle $name', ({ raw, want }) => {
    expect(parseThrottle(raw, 'template.yaml', 'Plan.Throttle')).toEqual(want);
  });

  it.each([
    { name: 'MONTH without Offset', raw: { Limit: 10000, Period: 'MONTH' }, want: { limit: 10000, period: 'MONTH', offset: 0 } },
    { name: 'WEEK offset 1 (Monday)', raw: { Limit: '5', Period: 'WEEK', Offset: '1' }, want: { limit: 5, period: 'WEEK', offset: 1 } },
    { name: 'DAY', raw: { Limit: 1, Period: 'DAY' }, want: { limit: 1, period: 'DAY', offset: 0 } },
  ])('R6.14 Quota $name', ({ raw, want }) => {
    expect(parseQuota(raw, 'template.yaml', 'Plan.Quota')).toEqual(want);
  });

  it.each([
    { name: 'a period AWS does not have', raw: { Limit: 1, Period: 'YEAR' }, message: /Period: must be DAY, WEEK or MONTH/ },
    { name: 'an offset on a DAY quota', raw: { Limit: 1, Period: 'DAY', Offset: 1 }, message: /Offset: must be at most 0/ },
    { name: 'a WEEK offset past Saturday', raw: { Limit: 1, Period: 'WEEK', Offset: 7 }, message: /Offset: must be at most 6/ },
    { name: 'a missing Limit', raw: { Period: 'DAY' }, message: /Limit: is required/ },
    { name: 'a negative Limit', raw: { Limit: -1, Period: 'DAY' }, message: /Limit: must be at least 0/ },
  ])('R6.14 Quota refuses $name', ({ raw, message }) => {
    expect(() => parseQuota(raw, 'template.yaml', 'Plan.Quota')).toThrow(message);
  });

  it('R6.12 per-method throttles are keyed "/path/METHOD", the root "//GET"', () => {
    const got = parseMethodThrottles({ '/tasks/GET': { RateLimit: 1, BurstLimit: 2 }, '//GET': { RateLimit: 3, BurstLimit: 4 } }, 'template.yaml', 'Plan.ApiStages[0].Throttle');
    expect(Object.fromEntries(got)).toEqual({ '/tasks/GET': { rate: 1, burst: 2 }, '//GET': { rate: 3, burst: 4 } });
    expect([planMethodKey('/tasks', 'GET'), planMethodKey('/', 'GET')]).toEqual(['/tasks/GET', '//GET']);
  });

  it('R6.12 a method key without a method is refused', () => {
    expect(() => parseMethodThrottles({ tasks: { RateLimit: 1 } }, 'template.yaml', 'T')).toThrow(/"\/resourcePath\/HTTPMETHOD"/);
  });
});
