/** The benchmark's printout: tables of medians, the ratios, and every target as PASS/MISS. */
import type { HopCost } from './hop.js';
import type { TargetSummary } from './load.js';
import type { PeakMemory } from './process-tree.js';
import type { AccuracyResult } from './throttle-accuracy.js';

/** Targets beside the route ratios (those travel with each Pair). */
export interface Targets {
  /** Median spawn-to-ready of `npm start` with a warm build cache, ms. */
  maxWarmStartMs: number;
  /** The same with no build cache, ms. */
  maxColdStartMs: number;
  /** Peak memory of the process tree `npm start` starts (PSS sum), MB. */
  maxTreeMb: number;
  /** Throughput lost on the secured route when its key's plan has a throttle and a quota (fraction). */
  maxThrottleOverhead: number;
  /** Cached route throughput / the same route uncached. */
  minCacheSpeedup: number;
  /** |accepted rate - limit| / limit for a client at twice the limit. */
  maxThrottleError: number;
}

/** A gateway route and the baseline serving the same handler, at one connection count. */
export interface Pair {
  gateway: TargetSummary;
  baseline: TargetSummary;
  connections: number;
  /** Throughput ratio the route must reach; its latency may be at most 1 / this times the baseline's. */
  minRatio: number;
}

export interface BenchNumbers {
  /** Every target loaded at 10 connections, in table order. */
  rows: TargetSummary[];
  /** Routes at 50 connections. */
  rows50: TargetSummary[];
  /** The GetItem route and its baseline at 1 connection (one request at a time, as one Lambda environment serves). */
  rows1: TargetSummary[];
  /** The account-level throttle (R6.11), requests a second: no route of the gateway answers faster. */
  accountRps: number;
  /** Requests a second the load generator sends a gateway route at most (under the account throttle). */
  maxRps: number;
  trivial: Pair[];
  getItem: Pair[];
  secured: Pair;
  mock: TargetSummary;
  securedLimited: TargetSummary;
  cached: TargetSummary;
  proxy: TargetSummary;
  accuracy: AccuracyResult;
  memory: PeakMemory;
  warmStartMs: number;
  warmCliMs: number;
  coldStartMs: number;
  coldCliMs: number;
  /** One IPC round trip to a child process, as each proxied request makes to its environment. */
  hop: HopCost;
}

const fmt = (n: number, digits = 0): string => (Number.isFinite(n) ? n.toFixed(digits) : 'n/a');
const mark = (ok: boolean): string => (ok ? 'PASS' : 'MISS');

function table(rows: TargetSummary[]): string[] {
  const head = `${'target'.padEnd(30)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(7)} ${'p99 ms'.padStart(7)}  per-round req/s`;
  const lines = rows.map(
    (r) => `${r.name.padEnd(30)} ${fmt(r.rps).padStart(8)} ${fmt(r.p50, 1).padStart(7)} ${fmt(r.p99, 1).padStart(7)}  ${r.rounds.map((x) => fmt(x.rps)).join(' / ')}`,
  );
  return [head, '-'.repeat(head.length), ...lines];
}

/** A target's CPU time per request, all parts together, microseconds. */
const cpuTotal = (r: TargetSummary): number => Object.values(r.cpuUs ?? {}).reduce((sum, us) => sum + us, 0);

/** Where each target's requests spent CPU, by part: the per-thread times /proc gives, per request. */
function cpuTable(rows: TargetSummary[], connections: number): string[] {
  const measured = rows.filter((r) => r.cpuUs);
  if (measured.length === 0) return [];
  return [
    `CPU time per request, microseconds (median of the rounds, ${connections} connection${connections === 1 ? '' : 's'}; Linux /proc, 10 ms ticks):`,
    ...measured.map((r) => {
      const parts = Object.entries(r.cpuUs ?? {});
      return `  ${r.name.padEnd(30)} ${fmt(cpuTotal(r)).padStart(6)} in all: ${parts.map(([part, us]) => `${part} ${fmt(us)}`).join(', ')}`;
    }),
    '',
  ];
}

/**
 * The hop to an environment, and the GetItem ratio it leaves possible: where CPU limits both (two cores, every part
 * busy), throughput goes as 1 / CPU per request, and the gateway spends at least the baseline's CPU plus the hop's.
 */
function hopLines(n: BenchNumbers): string[] {
  const hop = n.hop.cpuUs.sender + n.hop.cpuUs.environment;
  const pair = n.getItem[0];
  const base = pair?.baseline.cpuUs ? cpuTotal(pair.baseline) : Number.NaN;
  const bound = base / (base + hop);
  return [
    `One hop to an execution environment (invocation and result over IPC, one at a time, ${n.hop.roundTrips} round trips): ${fmt(hop)} us of CPU ` +
      `(sender ${fmt(n.hop.cpuUs.sender)}, environment ${fmt(n.hop.cpuUs.environment)}), ${fmt(n.hop.wallUs)} us wall.`,
    ...(Number.isFinite(bound)
      ? [`  The baseline's GetItem request costs ${fmt(base)} us of CPU in all (10 connections): where CPU limits both, the hop alone caps the GetItem ratio at ${fmt(base)} / (${fmt(base)} + ${fmt(hop)}) = ${fmt(bound, 2)}.`]
      : []),
    '',
  ];
}

interface Check {
  ok: boolean;
  text: string;
}

/**
 * Throughput ratio, then p50 and p99 against the baseline's (the latency a throughput ratio allows at equal connections).
 * A ratio the account throttle forbids (the baseline is faster than the throttle allows the gateway to be) says so.
 */
function pairChecks(label: string, pair: Pair, n: Pick<BenchNumbers, 'accountRps' | 'maxRps'>): Check[] {
  const ratio = pair.gateway.rps / pair.baseline.rps;
  const ceiling = n.maxRps / pair.baseline.rps;
  const unreachable =
    ceiling < pair.minRatio ? ` (unreachable on this machine: routes are paced at ${fmt(n.maxRps)} req/s under the account throttle, ${fmt(n.accountRps)} req/s (R6.11): ${fmt(ceiling, 2)} x this baseline)` : '';
  const maxLatency = 1 / pair.minRatio;
  const at = `at ${pair.connections} connections`;
  const latency = (name: 'p50' | 'p99'): Check => {
    const r = pair.gateway[name] / pair.baseline[name];
    return { ok: r <= maxLatency, text: `${label} ${name} <= ${fmt(maxLatency, 2)} x baseline ${at}: ${fmt(pair.gateway[name], 1)} ms vs ${fmt(pair.baseline[name], 1)} ms (${fmt(r, 2)} x)` };
  };
  return [{ ok: ratio >= pair.minRatio, text: `${label} throughput >= ${pair.minRatio} x baseline ${at}: ${fmt(ratio, 2)}${unreachable}` }, latency('p50'), latency('p99')];
}

/** Format the results; `missed` lists the targets not met (informative: the bench still exits 0). */
export function formatReport(n: BenchNumbers, targets: Targets): { text: string; missed: string[] } {
  const overhead = 1 - n.securedLimited.rps / n.secured.gateway.rps;
  const speedup = n.cached.rps / n.proxy.rps;
  const error = Math.abs(n.accuracy.acceptedRps - n.accuracy.limit) / n.accuracy.limit;
  const checks: Check[] = [
    ...n.trivial.flatMap((p) => pairChecks('trivial proxy route', p, n)),
    ...n.getItem.flatMap((p) => pairChecks('one-GetItem proxy route', p, n)),
    ...pairChecks('GetItem route + API key + Cognito', n.secured, n),
    { ok: n.warmStartMs <= targets.maxWarmStartMs, text: `start to ready, warm build cache (npm start, Task API) <= ${targets.maxWarmStartMs} ms: ${fmt(n.warmStartMs)} ms` },
    { ok: n.coldStartMs <= targets.maxColdStartMs, text: `start to ready, no build cache (npm start, Task API) <= ${targets.maxColdStartMs} ms: ${fmt(n.coldStartMs)} ms` },
    { ok: n.memory.peakPssMb <= targets.maxTreeMb, text: `peak memory of the npm start process tree during the load (PSS sum) <= ${targets.maxTreeMb} MB: ${fmt(n.memory.peakPssMb)} MB (RSS sum ${fmt(n.memory.peakRssMb)} MB)` },
    { ok: overhead < targets.maxThrottleOverhead, text: `usage-plan throttle + quota overhead on the secured route < ${targets.maxThrottleOverhead * 100}%: ${fmt(overhead * 100, 1)}%` },
    {
      ok: speedup >= targets.minCacheSpeedup,
      text: `cached route >= ${targets.minCacheSpeedup} x the same route uncached: ${fmt(speedup, 1)} x${n.cached.rps >= 0.95 * n.maxRps ? ' (at least: the client was paced under the account throttle)' : ''}`,
    },
    {
      ok: error <= targets.maxThrottleError,
      text: `throttle accuracy within ${targets.maxThrottleError * 100}% (client at ${fmt(n.accuracy.sentRps)} req/s, limit ${n.accuracy.limit}/s): accepted ${fmt(n.accuracy.acceptedRps, 1)} req/s over ${n.accuracy.seconds} s, off by ${fmt(error * 100, 1)}%`,
    },
  ];
  const memoryLines = n.memory.atPeak.map((p) => `  ${fmt(p.pssMb).padStart(5)} MB PSS ${fmt(p.rssMb).padStart(5)} MB RSS  ${p.command.slice(0, 90)}`);
  const text = [
    'Medians of the rounds, 10 connections, loopback:',
    ...table(n.rows),
    '',
    'Medians of the rounds, 50 connections:',
    ...table(n.rows50),
    '',
    'Medians of the rounds, 1 connection (one request at a time, as one Lambda environment serves):',
    ...table(n.rows1),
    '',
    `Gateway routes are loaded at most at ${fmt(n.maxRps)} req/s, under the account throttle (${fmt(n.accountRps)} req/s, R6.11), which the gateway applies as API Gateway does.`,
    '',
    ...cpuTable(n.rows, 10),
    ...cpuTable(n.rows1, 1),
    ...hopLines(n),
    `Mock route (no function) / trivial baseline: throughput ${fmt(n.mock.rps / (n.trivial[0]?.baseline.rps ?? NaN), 2)}${n.mock.rps >= 0.95 * n.maxRps ? ' (at least: the client was paced under the account throttle)' : ''}`,
    `Startup (Task API template.yaml, medians): warm ${fmt(n.warmStartMs)} ms (CLI-reported ${fmt(n.warmCliMs)} ms); no build cache ${fmt(n.coldStartMs)} ms (CLI-reported ${fmt(n.coldCliMs)} ms)`,
    'Process tree at its peak memory (PSS counts pages shared between processes, such as the node binary, once):',
    ...memoryLines,
    '',
    'Targets:',
    ...checks.map((c) => `  ${mark(c.ok)}  ${c.text}`),
  ].join('\n');
  return { text, missed: checks.filter((c) => !c.ok).map((c) => c.text) };
}
