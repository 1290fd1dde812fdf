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

/** Warm every target, then run the rounds round-robin so machine noise spreads over all targets alike. */
export async function runLoad(targets: Target[], plan: LoadPlan, log: (line: string) => void): Promise<TargetSummary[]> {
  const rounds = new Map<string, RoundResult[]>(targets.map((t) => [t.name, []]));
  const warmupFailures = new Map<string, string[]>();
  for (const target of targets) {
    log(`warm-up ${target.name} (${plan.warmupSeconds} s)`);
    warmupFailures.set(target.name, (await round(target, plan, plan.warmupSeconds)).failures);
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
