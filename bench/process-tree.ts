/**
 * Memory of a process and all its descendants (Linux /proc), sampled to find its peak during a run. Two sums:
 * resident set sizes (RSS), which count every shared page once per process that maps it (the node binary, about
 * 34 MB, once per node process), and proportional set sizes (PSS, smaps_rollup), which share such a page among the
 * processes mapping it: the memory the tree really takes.
 */
import { readdirSync, readFileSync } from 'node:fs';

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Parent pid of every live process. */
function parents(): Map<number, number> {
  const out = new Map<number, number>();
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = read(`/proc/${entry}/stat`);
    // "pid (comm) state ppid ...": comm may hold spaces and parentheses, so parse after the last ')'.
    const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
    if (fields?.[1]) out.set(Number(entry), Number(fields[1]));
  }
  return out;
}

export interface ProcessMemory {
  pid: number;
  command: string;
  rssMb: number;
  pssMb: number;
}

/** `root` and its descendants, with each one's command line, RSS and PSS in MB. */
export function processTree(root: number): ProcessMemory[] {
  const byParent = new Map<number, number[]>();
  for (const [pid, ppid] of parents()) byParent.set(ppid, [...(byParent.get(ppid) ?? []), pid]);
  const out: ProcessMemory[] = [];
  for (const queue = [root]; queue.length > 0; ) {
    const pid = queue.shift() as number;
    const rollup = read(`/proc/${pid}/smaps_rollup`) ?? '';
    const kb = (field: string): number | undefined => {
      const match = new RegExp(`^${field}:\\s+(\\d+) kB$`, 'm').exec(rollup);
      return match ? Number(match[1]) / 1024 : undefined;
    };
    const [rssMb, pssMb] = [kb('Rss'), kb('Pss')];
    if (rssMb !== undefined && pssMb !== undefined) out.push({ pid, command: (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim(), rssMb, pssMb });
    queue.push(...(byParent.get(pid) ?? []));
  }
  return out;
}

export interface PeakMemory {
  /** Highest sum of the tree's PSS seen, MB. */
  peakPssMb: number;
  /** Highest sum of the tree's RSS seen, MB. */
  peakRssMb: number;
  /** Each process when the PSS sum peaked. */
  atPeak: ProcessMemory[];
}

/** Samples the tree every `everyMs` until stop() is called; stop() gives the peaks. */
export function samplePeakMemory(root: number, everyMs = 200): { stop(): PeakMemory } {
  let peak: PeakMemory = { peakPssMb: 0, peakRssMb: 0, atPeak: [] };
  const sample = (): void => {
    const tree = processTree(root);
    const pss = tree.reduce((sum, p) => sum + p.pssMb, 0);
    const rss = tree.reduce((sum, p) => sum + p.rssMb, 0);
    if (pss > peak.peakPssMb) peak = { ...peak, peakPssMb: pss, atPeak: tree };
    peak.peakRssMb = Math.max(peak.peakRssMb, rss);
  };
  sample();
  const timer = setInterval(sample, everyMs);
  return {
    stop: () => {
      clearInterval(timer);
      sample();
      return peak;
    },
  };
}

/** CPU time (user + system) in a /proc stat file, ms; 0 when it cannot be read. */
function cpuMsOf(statPath: string, ticksPerSecond = 100): number {
  const stat = read(statPath);
  // utime and stime are the 14th and 15th fields; after "pid (comm) " they are the 12th and 13th.
  const fields = stat?.slice(stat.lastIndexOf(')') + 2).split(' ');
  return fields?.[12] === undefined ? 0 : ((Number(fields[11]) + Number(fields[12])) * 1000) / ticksPerSecond;
}

/**
 * The process's CPU time, ms: its main thread (where its JavaScript runs) and its other threads together. The
 * process's own figure includes threads that have exited (a load generator's worker), which a sum over the live
 * threads would lose.
 */
export function processCpuMs(pid: number): { main: number; others: number } {
  const main = cpuMsOf(`/proc/${pid}/task/${pid}/stat`);
  return { main, others: Math.max(0, cpuMsOf(`/proc/${pid}/stat`) - main) };
}

/** Descendants of `root` (not `root` itself). */
export function descendants(root: number): number[] {
  return processTree(root)
    .map((p) => p.pid)
    .filter((pid) => pid !== root);
}
