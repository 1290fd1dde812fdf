/** Stage throttling of HTTP APIs (H11.2) on a hand-moved clock. */
import { describe, expect, it } from 'vitest';
import { StageThrottle } from '../../../../emulator/gateway/http/throttle.js';
import type { HttpStageSpec } from '../../../../emulator/template/model.js';

const stage = (defaults: HttpStageSpec['defaultThrottle'], routes: HttpStageSpec['routeThrottle'] = {}): HttpStageSpec => ({ name: '$default', stageVariables: null, defaultThrottle: defaults, routeThrottle: routes });
const takes = (t: StageThrottle, key: string, n: number) => Array.from({ length: n }, () => t.take(key));

describe('StageThrottle', () => {
  it('H11.2 DefaultRouteSettings apply to every route, each with its own bucket', () => {
    const t = new StageThrottle(stage({ burstLimit: 1, rateLimit: 1 }), () => 0);
    expect(takes(t, 'GET /a', 2)).toEqual([true, false]);
    expect(takes(t, 'GET /b', 2)).toEqual([true, false]);
  });

  it('H11.2 RouteSettings override the defaults for their route key only', () => {
    const t = new StageThrottle(stage({ burstLimit: 1 }, { 'GET /a': { burstLimit: 3 } }), () => 0);
    expect(takes(t, 'GET /a', 4)).toEqual([true, true, true, false]);
    expect(takes(t, 'GET /b', 2)).toEqual([true, false]);
  });

  it('H11.1 tokens refill at the rate, never above the burst', () => {
    let now = 0;
    const t = new StageThrottle(stage({ burstLimit: 2, rateLimit: 2 }), () => now);
    expect(takes(t, 'k', 3)).toEqual([true, true, false]);
    now = 500;
    expect(takes(t, 'k', 2)).toEqual([true, false]);
    now = 60_000;
    expect(takes(t, 'k', 3)).toEqual([true, true, false]);
  });

  it('H11.2 a burst of 0 refuses every request; no settings refuse none', () => {
    expect(takes(new StageThrottle(stage({ burstLimit: 0, rateLimit: 10 }), () => 0), 'k', 1)).toEqual([false]);
    expect(takes(new StageThrottle(stage({}), () => 0), 'k', 100).every(Boolean)).toBe(true);
  });

  it('H11.1 a rate without a burst gets the account burst of 5 000', () => {
    const t = new StageThrottle(stage({ rateLimit: 1 }), () => 0);
    expect(takes(t, 'k', 5_000).every(Boolean)).toBe(true);
    expect(t.take('k')).toBe(false);
  });
});
