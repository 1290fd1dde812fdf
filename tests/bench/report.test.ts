/** bench/report.ts: the targets' verdicts, and what the account throttle (R6.11) makes unreachable. */
import { describe, expect, it } from 'vitest';
import { formatReport, type BenchNumbers, type Targets } from '../../bench/report.js';
import type { TargetSummary } from '../../bench/load.js';

const summary = (name: string, rps: number, p50 = 1, p99 = 2): TargetSummary => ({ name, url: `http://127.0.0.1/${name}`, rounds: [{ rps, p50, p99, failures: [] }], rps, p50, p99, failures: [] });

const TARGETS: Targets = { maxWarmStartMs: 1000, maxColdStartMs: 2500, maxTreeMb: 250, maxThrottleOverhead: 0.05, minCacheSpeedup: 5, maxThrottleError: 0.1 };

function numbers(given: { baselineTrivialRps: number; trivialRps: number; cachedRps: number }): BenchNumbers {
  const baseHello = summary('baseline trivial', given.baselineTrivialRps);
  const hello = summary('trivial proxy', given.trivialRps);
  const baseItem = summary('baseline GetItem', 1000);
  const item = summary('proxy GetItem', 850);
  return {
    rows: [baseHello, hello, baseItem, item],
    rows50: [],
    rows1: [],
    accountRps: 10_000,
    maxRps: 7500,
    trivial: [{ gateway: hello, baseline: baseHello, connections: 10, minRatio: 0.35 }],
    getItem: [{ gateway: item, baseline: baseItem, connections: 10, minRatio: 0.8 }],
    secured: { gateway: item, baseline: baseItem, connections: 10, minRatio: 0.8 },
    proxy: item,
    mock: summary('mock', 8000),
    securedLimited: summary('limited', 850),
    cached: summary('cached', given.cachedRps),
    accuracy: { limit: 100, seconds: 10, sentRps: 200, acceptedRps: 101, throttled: 990 },
    memory: { peakPssMb: 200, peakRssMb: 400, atPeak: [] },
    warmStartMs: 500,
    warmCliMs: 150,
    coldStartMs: 900,
    coldCliMs: 600,
    hop: { roundTrips: 1000, wallUs: 180, cpuUs: { sender: 100, environment: 150 } },
  };
}

const line = (text: string, start: string): string => text.split('\n').find((l) => l.includes(start)) ?? '';

describe('formatReport', () => {
  it.each([
    // R6.11: 0.35 of a 60,000 req/s baseline is 21,000 req/s, over the 10,000 the account throttle lets through.
    { given: { baselineTrivialRps: 60_000, trivialRps: 6000 }, want: { verdict: 'MISS', unreachable: true } },
    // 0.35 of 25,000 is 8,750: under the throttle, but over the 7,500 the bench paces the gateway's routes at.
    { given: { baselineTrivialRps: 25_000, trivialRps: 6000 }, want: { verdict: 'MISS', unreachable: true } },
    // 0.35 of a 20,000 req/s baseline is 7,000: a miss is the gateway's own.
    { given: { baselineTrivialRps: 20_000, trivialRps: 6000 }, want: { verdict: 'MISS', unreachable: false } },
    { given: { baselineTrivialRps: 10_000, trivialRps: 6000 }, want: { verdict: 'PASS', unreachable: false } },
  ])('trivial ratio against a $given.baselineTrivialRps req/s baseline: $want.verdict, unreachable $want.unreachable', ({ given, want }) => {
    // Prepare
    const n = numbers({ ...given, cachedRps: 5000 });

    // Act
    const { text, missed } = formatReport(n, TARGETS);

    // Assess
    const verdict = line(text, 'trivial proxy route throughput');
    expect(verdict.trim().startsWith(want.verdict)).toBe(true);
    expect(verdict.includes('unreachable on this machine: routes are paced at 7500 req/s under the account throttle, 10000 req/s (R6.11)')).toBe(want.unreachable);
    expect(missed.some((m) => m.startsWith('trivial proxy route throughput'))).toBe(want.verdict === 'MISS');
  });

  it.each([
    { given: { cachedRps: 7490 }, want: { paced: true } },
    { given: { cachedRps: 6000 }, want: { paced: false } },
  ])('a cached route at $given.cachedRps req/s says it was paced under the throttle: $want.paced', ({ given, want }) => {
    // Prepare
    const n = numbers({ baselineTrivialRps: 20_000, trivialRps: 6000, ...given });

    // Act
    const { text } = formatReport(n, TARGETS);

    // Assess
    const verdict = line(text, 'cached route >= 5 x');
    expect(verdict.trim().startsWith('PASS')).toBe(true);
    expect(verdict.includes('at least: the client was paced under the account throttle')).toBe(want.paced);
  });

  it.each([
    { given: { mockRps: 7480 }, want: { paced: true } },
    { given: { mockRps: 5000 }, want: { paced: false } },
  ])('the mock route at $given.mockRps req/s says it was paced under the throttle: $want.paced', ({ given, want }) => {
    // Prepare
    const n = { ...numbers({ baselineTrivialRps: 20_000, trivialRps: 6000, cachedRps: 5000 }), mock: summary('mock', given.mockRps) };

    // Act
    const { text } = formatReport(n, TARGETS);

    // Assess
    const verdict = line(text, 'Mock route (no function) / trivial baseline');
    expect(verdict).toContain(`throughput ${(given.mockRps / 20_000).toFixed(2)}`);
    expect(verdict.includes('at least: the client was paced under the account throttle')).toBe(want.paced);
  });

  it('prints the one-connection table and the pacing the gateway routes had', () => {
    // Prepare
    const n = { ...numbers({ baselineTrivialRps: 20_000, trivialRps: 6000, cachedRps: 5000 }), rows1: [summary('baseline GetItem, 1 connection', 700), summary('proxy GetItem, 1 connection', 500)] };

    // Act
    const { text } = formatReport(n, TARGETS);

    // Assess
    const section = text.split('Medians of the rounds, 1 connection')[1] ?? '';
    expect(section).toMatch(/baseline GetItem, 1 connection\s+700/);
    expect(section).toMatch(/proxy GetItem, 1 connection\s+500/);
    expect(text).toContain('loaded at most at 7500 req/s, under the account throttle (10000 req/s, R6.11)');
  });

  it.each([
    // 1,000 / (1,000 + 250): the gateway spends the baseline's CPU and the hop's at least.
    { given: { baselineCpuUs: { server: 600, db: 300, loadgen: 100 } }, want: { bound: '0.80' } },
    { given: { baselineCpuUs: { server: 300, db: 150, loadgen: 50 } }, want: { bound: '0.67' } },
    // No CPU readings (not Linux): the hop is printed, no bound is claimed.
    { given: { baselineCpuUs: undefined }, want: { bound: undefined } },
  ])('the hop to an environment caps the GetItem ratio at $want.bound', ({ given, want }) => {
    // Prepare
    const n = numbers({ baselineTrivialRps: 20_000, trivialRps: 6000, cachedRps: 5000 });
    const baseline = { ...n.getItem[0]!.baseline, ...(given.baselineCpuUs ? { cpuUs: given.baselineCpuUs } : {}) };
    const given_ = { ...n, getItem: [{ ...n.getItem[0]!, baseline }] };

    // Act
    const { text } = formatReport(given_, TARGETS);

    // Assess
    expect(line(text, 'One hop to an execution environment')).toContain('1000 round trips): 250 us of CPU (sender 100, environment 150), 180 us wall');
    const cap = line(text, 'the hop alone caps the GetItem ratio');
    expect(cap).toEqual(want.bound === undefined ? '' : expect.stringMatching(new RegExp(`= ${want.bound.replace('.', '\\.')}\\.$`)));
  });
});
