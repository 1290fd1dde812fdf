/** The benchmark's printout: one table of medians, the ratios, and the targets as PASS/MISS. */
import type { TargetSummary } from './load.js';
import type { AccuracyResult } from './throttle-accuracy.js';

export interface Targets {
  /** Emulator proxy throughput / baseline throughput must be at least this. */
  minProxyThroughputRatio: number;
  /** Emulator proxy p99 must stay under this, in ms. */
  maxProxyP99Ms: number;
  /** Median spawn-to-ready of `npm start`, in ms. */
  maxStartupMs: number;
  /** Throughput lost on the secured route when its key's plan has a throttle and a quota (fraction). */
  maxThrottleOverhead: number;
  /** Cached route throughput / the same route uncached. */
  minCacheSpeedup: number;
  /** |accepted rate - limit| / limit for a client at twice the limit. */
  maxThrottleError: number;
}

export interface BenchNumbers {
  mock: TargetSummary;
  proxy: TargetSummary;
  /** The same proxy route behind an API key and a Cognito user pool authorizer. */
  secured: TargetSummary;
  baseline: TargetSummary;
  /** The secured route with a key whose plan throttles and meters it. */
  securedLimited: TargetSummary;
  /** The proxy route behind the stage cache. */
  cached: TargetSummary;
  accuracy: AccuracyResult;
  startupReadyMs: number;
  startupCliMs: number;
  connections: number;
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mark = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

function table(rows: TargetSummary[]): string[] {
  const head = `${'target'.padEnd(26)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  per-round req/s`;
  const lines = rows.map(
    (r) =>
      `${r.name.padEnd(26)} ${fmt(r.rps).padStart(8)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)}  ${r.rounds.map((x) => fmt(x.rps)).join(' / ')}`,
  );
  return [head, '-'.repeat(head.length), ...lines];
}

/** Format the results; `missed` lists the targets not met (informative: the bench still exits 0). */
export function formatReport(n: BenchNumbers, targets: Targets): { text: string; missed: string[] } {
  const proxyRps = n.proxy.rps / n.baseline.rps;
  const proxyP99 = n.proxy.p99 / n.baseline.p99;
  const securedRps = n.secured.rps / n.baseline.rps;
  const securedP99 = n.secured.p99 / n.baseline.p99;
  const mockRps = n.mock.rps / n.baseline.rps;
  const mockP99 = n.mock.p99 / n.baseline.p99;
  const overhead = 1 - n.securedLimited.rps / n.secured.rps;
  const speedup = n.cached.rps / n.proxy.rps;
  const error = Math.abs(n.accuracy.acceptedRps - n.accuracy.limit) / n.accuracy.limit;
  const checks = [
    { ok: proxyRps >= targets.minProxyThroughputRatio, text: `proxy throughput >= ${targets.minProxyThroughputRatio} x baseline: ${fmt(proxyRps, 2)}` },
    { ok: securedRps >= targets.minProxyThroughputRatio, text: `proxy + key + Cognito throughput >= ${targets.minProxyThroughputRatio} x baseline: ${fmt(securedRps, 2)}` },
    { ok: n.proxy.p99 < targets.maxProxyP99Ms, text: `proxy p99 < ${targets.maxProxyP99Ms} ms at ${n.connections} connections: ${fmt(n.proxy.p99, 1)} ms` },
    { ok: overhead < targets.maxThrottleOverhead, text: `usage-plan throttle + quota overhead on the secured route < ${targets.maxThrottleOverhead * 100}%: ${fmt(overhead * 100, 1)}%` },
    { ok: speedup >= targets.minCacheSpeedup, text: `cached route >= ${targets.minCacheSpeedup} x the same route uncached: ${fmt(speedup, 1)} x` },
    {
      ok: error <= targets.maxThrottleError,
      text: `throttle accuracy within ${targets.maxThrottleError * 100}% (client at ${fmt(n.accuracy.sentRps)} req/s, limit ${n.accuracy.limit}/s): accepted ${fmt(n.accuracy.acceptedRps, 1)} req/s over ${n.accuracy.seconds} s, off by ${fmt(error * 100, 1)}%`,
    },
    { ok: n.startupReadyMs < targets.maxStartupMs, text: `startup < ${targets.maxStartupMs} ms (npm start -> ready): ${fmt(n.startupReadyMs)} ms` },
  ];
  const text = [
    `Medians of the rounds, ${n.connections} connections, loopback:`,
    ...table([n.baseline, n.proxy, n.secured, n.securedLimited, n.cached, n.mock]),
    '',
    `Ratios emulator / baseline: proxy throughput ${fmt(proxyRps, 2)}, proxy p99 ${fmt(proxyP99, 2)}; proxy + key + Cognito throughput ${fmt(securedRps, 2)}, p99 ${fmt(securedP99, 2)}; mock throughput ${fmt(mockRps, 2)}, mock p99 ${fmt(mockP99, 2)}`,
    `Startup (Task API template.yaml, median): npm start -> ready ${fmt(n.startupReadyMs)} ms; CLI-reported ${fmt(n.startupCliMs)} ms`,
    '',
    'Targets:',
    ...checks.map((c) => `  ${mark(c.ok)}  ${c.text}`),
  ].join('\n');
  return { text, missed: checks.filter((c) => !c.ok).map((c) => c.text) };
}
