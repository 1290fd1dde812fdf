/**
 * Throttling and quotas through the real pipeline, on the test clock (R6.5, R6.7-R6.17, A15, A16).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiKeyIdFor, usagePlanIdFor } from '../../../emulator/identity/local-ids.js';
import { QUOTA_KEY, THROTTLED_KEY, WEEKLY_KEY, startFixture, tally, type Fixture } from './harness.js';

let fx: Fixture;
beforeAll(async () => {
  fx = await startFixture();
});
afterAll(async () => fx?.close());

const key = (value: string): [string, string][] => [['x-api-key', value]];

describe('R6.9 THROTTLED answer', () => {
  it('R6.9 A15 past the plan burst: 429 {"message":"Too Many Requests"}, TooManyRequestsException, integration not called', async () => {
    const w = fx.world();
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([200, 200, 200]);
    const before = fx.invocations();
    const got = await w.send('LimitsApi', '/v1/keyed', { headers: key(THROTTLED_KEY) });
    expect({ status: got.status, body: got.json(), type: got.headers.get('x-amzn-errortype') }).toEqual({ status: 429, body: { message: 'Too Many Requests' }, type: 'TooManyRequestsException' });
    expect(got.headers.get('x-amzn-requestid')).toBeTruthy();
    expect(fx.invocations()).toBe(before);
  });
});

describe('R6.8 R6.10 token buckets at every level', () => {
  it('R6.8 the plan bucket refills at its rate: 1 token a second', async () => {
    const w = fx.world();
    await w.statuses(3, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY));
    w.clock.advance(999);
    expect(await w.statuses(1, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([429]);
    w.clock.advance(1);
    expect(await w.statuses(2, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([200, 429]);
    w.clock.advance(10_000);
    expect(await w.statuses(4, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([200, 200, 200, 429]);
  });

  it('R6.12 the plan per-method throttle ("/per-method/GET": burst 1) applies before the key throttle', async () => {
    const w = fx.world();
    expect(await w.statuses(2, 'LimitsApi', '/v1/per-method', key(THROTTLED_KEY))).toEqual([200, 429]);
    // The per-method refusal took no token from the key bucket: two more requests elsewhere still pass.
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([200, 200, 429]);
  });

  it.each(['/v1/slashed', '/v1/slashed/'])('R6.12 a document path with a trailing slash ("/slashed/") is throttled by the plan key "/slashed/GET": %s', async (path) => {
    const w = fx.world();
    expect(await w.statuses(2, 'LimitsApi', path, key(THROTTLED_KEY))).toEqual([200, 429]);
  });

  it('R6.12 the plan per-method throttle is for its API stage only: the same path on the other stage of the plan is not limited by it', async () => {
    const w = fx.world();
    expect(await w.statuses(2, 'OtherApi', '/v2/per-method', key(THROTTLED_KEY))).toEqual([200, 200]);
  });

  it('R6.7 a key shares its plan bucket across all the stages of the plan', async () => {
    const w = fx.world();
    expect(await w.statuses(2, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([200, 200]);
    expect(await w.statuses(2, 'OtherApi', '/v2/keyed', key(THROTTLED_KEY))).toEqual([200, 429]);
  });

  it('R6.7 limits are per key: another key of another plan is not throttled by the first one', async () => {
    const w = fx.world();
    await w.statuses(4, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY));
    expect(await w.statuses(2, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([200, 200]);
  });

  it('R6.13 stage MethodSettings throttle a method for every client (burst 2, rate 1), without any key', async () => {
    const w = fx.world();
    expect(await w.statuses(3, 'LimitsApi', '/v1/stage-limited')).toEqual([200, 200, 429]);
    w.clock.advance(1000);
    expect(await w.statuses(2, 'LimitsApi', '/v1/stage-limited')).toEqual([200, 429]);
    // Another method of the stage has its own bucket (stage-wide /* entry: 1000/s).
    expect(await w.statuses(3, 'LimitsApi', '/v1/open')).toEqual([200, 200, 200]);
  });

  it('R6.10 a stage without MethodSettings throttling is limited by the account only', async () => {
    const w = fx.world();
    expect(tally(await w.statuses(20, 'OtherApi', '/v2/stage-limited'))).toEqual({ 200: 20 });
  });

  it('R6.11 the account bucket (burst 5,000, 10,000/s) is shared by every API of the emulator', async () => {
    const w = fx.world();
    // Drain the account bucket to one token directly: 5,000 requests through HTTP would only be slower.
    for (let i = 0; i < 4999; i++) w.limits.account.account.take();
    expect(await w.statuses(2, 'OtherApi', '/v2/open')).toEqual([200, 429]);
    expect(await w.statuses(1, 'LimitsApi', '/v1/open')).toEqual([429]);
    w.clock.advance(1);
    expect(tally(await w.statuses(10, 'LimitsApi', '/v1/open'))).toEqual({ 200: 10 });
  });

  it('R6.10 [AMBIGUOUS] throttling runs after the identity checks: requests refused with 403 take no token', async () => {
    const w = fx.world();
    for (let i = 0; i < 4999; i++) w.limits.account.account.take();
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key('no-such-key-value-0000000'))).toEqual([403, 403, 403]);
    expect(await w.statuses(2, 'LimitsApi', '/v1/open')).toEqual([200, 429]);
  });

  it('R6.5 a method that requires no key ignores a sent key: no plan throttle, no usage counted', async () => {
    const w = fx.world();
    expect(tally(await w.statuses(6, 'LimitsApi', '/v1/open', key(THROTTLED_KEY)))).toEqual({ 200: 6 });
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([200, 200, 200]);
    expect(w.limits.usage.snapshot()).toEqual({ [planId('ThrottledPlan')]: { [keyId('ThrottledKey')]: { '2026-11-30': 3 } } });
  });
});

const planId = (logicalId: string): string => usagePlanIdFor(logicalId, fx.template.accountId);
const keyId = (logicalId: string): string => apiKeyIdFor(logicalId, fx.template.accountId);

describe('R6.14 R6.15 quotas', () => {
  it('R6.15 A16 past the quota: 429 {"message":"Limit Exceeded"}, LimitExceededException', async () => {
    const w = fx.world();
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([200, 200, 200]);
    const got = await w.send('LimitsApi', '/v1/keyed', { headers: key(QUOTA_KEY) });
    expect({ status: got.status, body: got.json(), type: got.headers.get('x-amzn-errortype') }).toEqual({ status: 429, body: { message: 'Limit Exceeded' }, type: 'LimitExceededException' });
  });

  it('R6.7 the quota is per key across the plan stages', async () => {
    const w = fx.world();
    expect(await w.statuses(2, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([200, 200]);
    expect(await w.statuses(2, 'OtherApi', '/v2/keyed', key(QUOTA_KEY))).toEqual([200, 429]);
  });

  it('R6.16 [AMBIGUOUS] a DAY quota renews at UTC midnight, not 24 h after the first request', async () => {
    const w = fx.world();
    await w.statuses(3, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY));
    w.clock.set(Date.UTC(2026, 10, 30, 23, 59, 59, 999));
    expect(await w.statuses(1, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([429]);
    w.clock.advance(1);
    expect(await w.statuses(4, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([200, 200, 200, 429]);
  });

  it('R6.16 [AMBIGUOUS] a WEEK quota with Offset 1 renews on Monday 00:00 UTC', async () => {
    const w = fx.world();
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key(WEEKLY_KEY))).toEqual([200, 200, 429]);
    w.clock.set(Date.UTC(2026, 11, 6, 23, 59)); // Sunday 6 December: same week
    expect(await w.statuses(1, 'LimitsApi', '/v1/keyed', key(WEEKLY_KEY))).toEqual([429]);
    w.clock.set(Date.UTC(2026, 11, 7)); // Monday 7 December
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key(WEEKLY_KEY))).toEqual([200, 200, 429]);
  });

  it('R6.17 [AMBIGUOUS] a throttled request is not counted against the quota', async () => {
    const w = fx.world();
    expect(await w.statuses(5, 'LimitsApi', '/v1/keyed', key(THROTTLED_KEY))).toEqual([200, 200, 200, 429, 429]);
    expect(w.limits.usage.snapshot()[planId('ThrottledPlan')]?.[keyId('ThrottledKey')]).toEqual({ '2026-11-30': 3 });
  });

  it('R6.17 [AMBIGUOUS] a request refused by validation after the limits still counts (it passed the key check)', async () => {
    const w = fx.world();
    const bad = await w.send('LimitsApi', '/v1/keyed', { method: 'POST', headers: [...key(QUOTA_KEY), ['Content-Type', 'application/json']], body: '{}' });
    expect(bad.status).toBe(400);
    expect(await w.statuses(3, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([200, 200, 429]);
  });

  it('R6.4 before R6.15: an invalid key is 403 and counts nowhere', async () => {
    const w = fx.world();
    expect(await w.statuses(5, 'LimitsApi', '/v1/keyed', key('no-such-key-value-0000000'))).toEqual([403, 403, 403, 403, 403]);
    expect(w.limits.usage.snapshot()).toEqual({});
  });

  it('R6.14 usage survives a restart: a new emulator on the same local folder continues the quota', async () => {
    const first = fx.world();
    expect(await first.statuses(2, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([200, 200]);
    first.limits.usage.flush();
    const second = fx.world({ state: first.state, clock: first.clock });
    expect(await second.statuses(2, 'LimitsApi', '/v1/keyed', key(QUOTA_KEY))).toEqual([200, 429]);
  });
});
