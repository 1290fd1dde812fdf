/**
 * WAF rate-based rules on the injected clock (W6): counted per IP, forwarded IP or all clients, within the
 * scope-down statement, over a sliding window.
 */
import { describe, expect, it } from 'vitest';
import { byteMatch, type Json, type Send, useWafFixture, wafWith, world } from './support/world.js';

useWafFixture();

describe('W6 rate-based rules on the clock', () => {
  it('W6.1 W6.2 past Limit requests from one IP in the window the IP is blocked, other IPs are not', async () => {
    const w = world();
    const statuses: number[] = [];
    for (let i = 0; i < 12; i++) statuses.push((await w.send('/v1/limited')).status);
    expect(statuses).toEqual([...Array(10).fill(200), 403, 403]);
    expect((await w.send('/v1/limited', { ip: '192.0.2.2' })).status).toBe(200);
  });

  it('W6.1 requests outside the scope-down statement are neither counted nor limited', async () => {
    const w = world();
    for (let i = 0; i < 20; i++) await w.send('/v1/elsewhere');
    expect((await w.send('/v1/limited')).status).toBe(200);
  });

  it('W6.1 the window slides: 60 s after the burst the IP passes again', async () => {
    const w = world();
    for (let i = 0; i < 11; i++) await w.send('/v1/limited');
    w.clock.advance(59_999);
    expect((await w.send('/v1/limited')).status).toBe(403);
    w.clock.advance(60_001);
    expect((await w.send('/v1/limited')).status).toBe(200);
  });

  it('W6.1 FORWARDED_IP aggregates on the first X-Forwarded-For address, not the peer', async () => {
    const w = world();
    const from = (ip: string): Send => ({ headers: [['X-Forwarded-For', `${ip}, 10.0.0.1`]] });
    for (let i = 0; i < 10; i++) expect((await w.send('/v1/fwd', from('192.0.2.50'))).status).toBe(200);
    expect((await w.send('/v1/fwd', from('192.0.2.50'))).status).toBe(403);
    expect((await w.send('/v1/fwd', from('192.0.2.51'))).status).toBe(200);
  });

  it('W6.1 FORWARDED_IP with a malformed header takes the FallbackBehavior (MATCH: acted on)', async () => {
    expect((await world().send('/v1/fwd', { headers: [['X-Forwarded-For', 'not-an-ip']] })).status).toBe(403);
  });
});

describe('W6.3 W6.4 rate-based rules on the injected clock: exactly at the limit and one over', () => {
  const rate = (statement: Json): Json[] => [{ Name: 'rate', Priority: 0, Action: { Block: {} }, Statement: { RateBasedStatement: statement } }];

  it.each([
    { limit: 10, window: 60 },
    { limit: 100, window: 300 },
    { limit: 2000, window: undefined },
  ])('W6.4 Limit $limit, EvaluationWindowSec $window: request Limit passes, Limit + 1 is blocked at once (no detection lag)', async ({ limit, window }) => {
    // Prepare
    const w = world(wafWith({ Rules: rate({ Limit: limit, AggregateKeyType: 'IP', ...(window ? { EvaluationWindowSec: window } : {}) }) }));
    for (let i = 1; i < limit; i++) await w.send('/v1/x');

    // Act
    const atLimit = await w.send('/v1/x');
    const over = await w.send('/v1/x');

    // Assess
    expect([atLimit.status, over.status]).toEqual([200, 403]);
  });

  it.each([
    { given: 'one millisecond before the window has passed: still blocked', after: 59_999, want: 403 },
    { given: 'the instant the window has passed: allowed again, no lingering mitigation', after: 60_000, want: 200 },
  ])('W6.3 [choice W6.4] $given', async ({ after, want }) => {
    // Prepare: 11 requests at one instant, Limit 10 in 60 s
    const w = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'IP' }) }));
    for (let i = 0; i < 11; i++) await w.send('/v1/x');

    // Act
    w.clock.advance(after);
    const got = await w.send('/v1/x');

    // Assess
    expect(got.status).toBe(want);
  });

  it('W6.4 the window slides: requests spread over it count until each is older than the window', async () => {
    // Prepare: Limit 10 in 60 s; 5 requests at t, 5 at t + 30 s
    const w = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'IP' }) }));
    for (let i = 0; i < 5; i++) await w.send('/v1/x');
    w.clock.advance(30_000);
    for (let i = 0; i < 5; i++) await w.send('/v1/x');

    // Act: t + 59 s (10 in the window, the 11th is over), then t + 60 s (the first 5 have left it)
    w.clock.advance(29_000);
    const over = await w.send('/v1/x');
    w.clock.advance(1_000);
    const again = await w.send('/v1/x');

    // Assess
    expect([over.status, again.status]).toEqual([403, 200]);
  });

  it('W6.4 CONSTANT aggregation counts every client together (within the scope-down statement)', async () => {
    // Prepare
    const w = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60, AggregateKeyType: 'CONSTANT', ScopeDownStatement: byteMatch({ UriPath: {} }, '/v1/limited', 'STARTS_WITH') }) }));
    for (let i = 0; i < 10; i++) await w.send('/v1/limited', { ip: `192.0.2.${i + 10}` });

    // Act
    const over = await w.send('/v1/limited', { ip: '192.0.2.99' });
    const outOfScope = await w.send('/v1/other', { ip: '192.0.2.99' });

    // Assess
    expect([over.status, outOfScope.status]).toEqual([403, 200]);
  });

  it('W6.3 a changed rate setting starts from zero counts (a reloaded template is a new web ACL)', async () => {
    // Prepare
    const first = world(wafWith({ Rules: rate({ Limit: 10, EvaluationWindowSec: 60 }) }));
    for (let i = 0; i < 11; i++) await first.send('/v1/x');

    // Act
    const reloaded = world(wafWith({ Rules: rate({ Limit: 20, EvaluationWindowSec: 60 }) }));
    const got = await reloaded.send('/v1/x');

    // Assess
    expect((await first.send('/v1/x')).status).toBe(403);
    expect(got.status).toBe(200);
  });
});
