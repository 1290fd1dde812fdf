import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { apiKeyIdFor, usagePlanIdFor } from '../../../emulator/identity/local-ids.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { parseDay, usageReport } from '../../../emulator/limits/usage-report.js';
import { readUsage, UsageMeter } from '../../../emulator/limits/usage.js';
import { ACCOUNT, TEMPLATE_PATH, identityResources, tempLocalState } from '../identity/support/fixtures.js';

const local = tempLocalState();
afterEach(() => local.state.write('usage', {}));
afterAll(() => local.cleanup());

describe('usage per key and day (local state)', () => {
  it('R6.14 counts survive a new meter on the same folder once flushed', () => {
    const clock = new ManualClock(Date.UTC(2026, 10, 30, 10));
    const meter = new UsageMeter(local.state, clock);
    meter.count('plan', 'key');
    meter.count('plan', 'key');
    clock.advance(86_400_000);
    meter.count('plan', 'key');
    meter.flush();
    const again = new UsageMeter(local.state, clock);
    expect(again.snapshot()).toEqual({ plan: { key: { '2026-11-30': 2, '2026-12-01': 1 } } });
    expect(again.usedInPeriod('plan', 'key', { period: 'DAY', offset: 0 })).toBe(1);
    expect(again.usedInPeriod('plan', 'key', { period: 'WEEK', offset: 0 })).toBe(3);
    expect(again.usedInPeriod('plan', 'key', { period: 'MONTH', offset: 0 })).toBe(1);
  });

  it('days older than the 90 get-usage serves are dropped when written', () => {
    const clock = new ManualClock(Date.UTC(2026, 0, 1));
    const meter = new UsageMeter(local.state, clock);
    meter.count('plan', 'key');
    clock.set(Date.UTC(2026, 3, 2));
    meter.count('plan', 'key');
    meter.flush();
    expect(readUsage(local.state)).toEqual({ plan: { key: { '2026-04-02': 1 } } });
  });

  it('a hand-edited store with bad entries is read without them, never crashing the gateway', () => {
    local.state.write('usage', { plan: { good: { '2026-11-30': 4 }, bad: { '2026-11-30': -1 }, worse: 'x' }, other: 7 });
    expect(readUsage(local.state)).toEqual({ plan: { good: { '2026-11-30': 4 } } });
  });
});

describe('get-usage report', () => {
  const registry = () =>
    ApiKeyRegistry.fromTemplate(
      {
        path: TEMPLATE_PATH,
        accountId: ACCOUNT,
        identity: identityResources({
          apiKeys: [{ logicalId: 'Key', properties: { Enabled: true, Value: 'usage-report-key-0000001' } }],
          usagePlans: [
            { logicalId: 'Plan', properties: { ApiStages: [{ ApiId: 'abc', Stage: 'v1' }], Quota: { Limit: 10, Period: 'WEEK', Offset: 1 } } },
            { logicalId: 'Free', properties: { ApiStages: [{ ApiId: 'abc', Stage: 'v2' }] } },
          ],
          usagePlanKeys: [
            { logicalId: 'L1', properties: { KeyId: 'Key', UsagePlanId: 'Plan' } },
            { logicalId: 'L2', properties: { KeyId: 'Key', UsagePlanId: 'Free' } },
          ],
        }),
      },
      local.state,
    );
  const plan = usagePlanIdFor('Plan', ACCOUNT);
  const key = apiKeyIdFor('Key', ACCOUNT);

  it('gives [used, remaining] per day; remaining restarts with the quota period (WEEK from Monday)', () => {
    const data = { [plan]: { [key]: { '2026-11-28': 4, '2026-11-29': 3, '2026-11-30': 2 } } };
    const [report] = usageReport(registry(), data, parseDay('2026-11-28', 's'), parseDay('2026-12-01', 'e'), 'Plan');
    expect(report).toEqual({
      usagePlanId: plan,
      usagePlan: 'Plan',
      startDate: '2026-11-28',
      endDate: '2026-12-01',
      items: { [key]: [[4, 6], [3, 3], [2, 8], [0, 8]] },
      keys: { [key]: 'Key' },
    });
  });

  it('a plan without a quota reports remaining null', () => {
    const [report] = usageReport(registry(), {}, parseDay('2026-11-30', 's'), parseDay('2026-11-30', 'e'), 'Free');
    expect(report?.items).toEqual({ [key]: [[0, null]] });
  });

  it.each([
    { name: 'a malformed date', run: () => parseDay('2026-13-01', '--start-date'), message: /--start-date: expected a date YYYY-MM-DD/ },
    { name: 'an end before the start', run: () => usageReport(registry(), {}, parseDay('2026-11-30', 's'), parseDay('2026-11-29', 'e')), message: /--end-date: must not be before --start-date/ },
    { name: 'an unknown plan', run: () => usageReport(registry(), {}, 0, 0, 'Nope'), message: /no usage plan "Nope"/ },
  ])('refuses $name with a clear message', ({ run, message }) => {
    expect(run).toThrow(message);
  });
});
