/** Load rounds with autocannon: warm-up, then interleaved rounds, summarised by medians. */
import autocannon, { type Result } from 'autocannon';

export interface Target {
  name: string;
  url: string;
  /** Every response must carry exactly this body (autocannon counts the others as mismatches). */
  expectBody: string;
  /** Request headers (an API key, a token). */
  headers?: Record<string, string>;
  /** Cumulative CPU time, ms, of each part serving this target (read before and after every round). */
  cpu?: () => Record<string, number>;
  /** Requests a second the client sends at most (autocannon's overallRate): under a throttle the gateway must apply. */
  maxRps?: number;
}

export interface RoundResult {
  rps: number;
  p50: number;
  p99: number;
  /** Connection errors, timeouts, non-2xx responses and body mismatches. */
  failures: string[];
  /** CPU time per request of each part serving the target, microseconds (when the target has a `cpu` reader). */
  cpuUs?: Record<string, number>;
}

export interface TargetSummary {
  name: string;
  url: string;
  rounds: RoundResult[];
  rps: number;
  p50: number;
  p99: number;
  failures: string[];
  /** Median over the rounds of each part's CPU time per request, microseconds. */
  cpuUs?: Record<string, number>;
}

export interface LoadPlan {
  connections: number;
  /** The longest warm-up of one target, s; it ends sooner once the target's throughput stops rising (warmUp). */
  warmupSeconds: number;
  rounds: number;
  roundSeconds: number;
  /** Generate load from a worker thread so the load generator does not share the targets' event loop. */
  workers?: number;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

function failuresOf(result: Result): string[] {
  const failures: string[] = [];
  if (result.errors > 0) failures.push(`${result.errors} connection errors (${result.timeouts} timeouts)`);
  if (result.non2xx > 0) failures.push(`${result.non2xx} non-2xx responses ${JSON.stringify(result.statusCodeStats)}`);
  if (result.mismatches > 0) failures.push(`${result.mismatches} unexpected bodies`);
  return failures;
}

async function round(target: Target, plan: LoadPlan, seconds: number): Promise<RoundResult> {
  const before = target.cpu?.();
  const result = await autocannon({
    url: target.url,
    connections: plan.connections,
    duration: seconds,
    expectBody: target.expectBody,
    ...(target.headers ? { headers: target.headers } : {}),
    ...(plan.workers ? { workers: plan.workers } : {}),
    ...(target.maxRps ? { overallRate: target.maxRps } : {}),
  });
  const after = target.cpu?.();
  const cpuUs = before && after && result.requests.total > 0 ? Object.fromEntries(Object.keys(after).map((part) => [part, ((after[part]! - (before[part] ?? 0)) * 1000) / result.requests.total])) : undefined;
  return {
    rps: result.requests.total / result.duration,
    p50: result.latency.p50,
    p99: result.latency.p99,
    failures: failuresOf(result),
    ...(cpuUs ? { cpuUs } : {}),
  };
}

/** Each part's median over the rounds. */
function medianCpu(rounds: RoundResult[]): Record<string, number> | undefined {
  const parts = [...new Set(rounds.flatMap((r) => Object.keys(r.cpuUs ?? {})))];
  if (parts.length === 0) return undefined;
  return Object.fromEntries(parts.map((part) => [part, median(rounds.map((r) => r.cpuUs?.[part] ?? Number.NaN).filter((v) => Number.isFinite(v)))]));
}

/** A warm-up window, s: short enough to see the throughput climb, long enough for a few thousand requests. */
const WARMUP_WINDOW_SECONDS = 2;
/** A window counts as a new high only above the best before it by more than this (the machine's noise). */
const RISE = 0.05;

/** The warm-up is over once this many windows in a row set no new high (and at least `MIN_WINDOWS` have run). */
const FLAT_WINDOWS = 2;
const MIN_WINDOWS = 3;

/**
 * Load a target until its throughput stops rising, at most `plan.warmupSeconds`. A function environment is a process
 * of its own whose JIT warms up on its own traffic, so two environments sharing a route's load each take twice as
 * long as one process would: on the bench's GetItem route (10 connections, two environments) the gateway went from
 * 166 to 615-651 req/s over six 8-s rounds, its environments' CPU per request from 2,600 to 960 us, while the 2 s
 * warm-up this replaces left the rounds measuring the climb. The baseline warms the same way and usually settles
 * within the first windows.
 */
async function warmUp(target: Target, plan: LoadPlan): Promise<{ failures: string[]; rates: number[] }> {
  const failures: string[] = [];
  const rates: number[] = [];
  let flat = 0;
  for (let spent = 0; spent < plan.warmupSeconds; spent += WARMUP_WINDOW_SECONDS) {
    const result = await round(target, plan, Math.min(WARMUP_WINDOW_SECONDS, plan.warmupSeconds - spent));
    failures.push(...result.failures);
    const best = Math.max(0, ...rates);
    rates.push(result.rps);
    flat = result.rps > best * (1 + RISE) ? 0 : flat + 1;
    if (rates.length >= MIN_WINDOWS && flat >= FLAT_WINDOWS) break;
  }
  return { failures, rates };
}

/** Warm every target, then run the rounds round-robin so machine noise spreads over all targets alike. */
export async function runLoad(targets: Target[], plan: LoadPlan, log: (line: string) => void): Promise<TargetSummary[]> {
  const rounds = new Map<string, RoundResult[]>(targets.map((t) => [t.name, []]));
  const warmupFailures = new Map<string, string[]>();
  for (const target of targets) {
    const { failures, rates } = await warmUp(target, plan);
    log(`warm-up ${target.name}: ${rates.length} windows, req/s per ${WARMUP_WINDOW_SECONDS}-s window ${rates.map((r) => r.toFixed(0)).join(', ')}`);
    warmupFailures.set(target.name, failures);
  }
  for (let r = 1; r <= plan.rounds; r += 1) {
    for (const target of targets) {
      const result = await round(target, plan, plan.roundSeconds);
      log(`round ${r}/${plan.rounds} ${target.name}: ${result.rps.toFixed(0)} req/s, p50 ${result.p50} ms, p99 ${result.p99} ms`);
      rounds.get(target.name)!.push(result);
    }
  }
  return targets.map((target) => {
    const done = rounds.get(target.name)!;
    return {
      name: target.name,
      url: target.url,
      rounds: done,
      rps: median(done.map((d) => d.rps)),
      p50: median(done.map((d) => d.p50)),
      p99: median(done.map((d) => d.p99)),
      ...(medianCpu(done) ? { cpuUs: medianCpu(done) } : {}),
      failures: [...(warmupFailures.get(target.name) ?? []).map((f) => `warm-up: ${f}`), ...done.flatMap((d) => d.failures)],
    };
  });
}
