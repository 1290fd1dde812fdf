/** Startup time of `npm start` on the Task API: spawn to the `ready:` line, as a developer waits for it. */
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { PARSE_CACHE_DIR } from '../emulator/template/parse-cache.js';
import { freePort, REPO_ROOT, startEmulatorProcess } from '../tests/e2e/emulator-process.js';

export interface StartupRun {
  /** Spawn of `npm start` to the `ready:` line. */
  readyAfterMs: number;
  /** What the CLI reports itself (template load, services, builds, listen). */
  startedInMs: number;
}

/** Where `npm start` keeps its function builds (FunctionBuilder's default under the working directory). */
export const BUILD_CACHE = join(REPO_ROOT, '.emulator', 'build');

/**
 * Start and stop `npm start -- --port <free>` `runs` times; each run must reach ready and exit 0 on SIGINT.
 * `cold`: the function build cache and the parsed-template cache are removed before each run, so every function is
 * built and every file parsed again (as on a fresh clone, after `npm ci` has built the gateway itself).
 */
export async function measureStartup(runs: number, template: string, cold: boolean, log: (line: string) => void): Promise<StartupRun[]> {
  const results: StartupRun[] = [];
  const kind = cold ? 'cold' : 'warm';
  for (let i = 1; i <= runs; i += 1) {
    if (cold) for (const dir of [BUILD_CACHE, PARSE_CACHE_DIR]) rmSync(dir, { recursive: true, force: true });
    // --port is the FIRST port (one per API): ask for a free one rather than 0 so the URL is known up front.
    const port = await freePort();
    const emulator = await startEmulatorProcess(['--template', template, '--port', String(port), '--quiet'], { launcher: 'npm', timeoutMs: 60_000 });
    const exit = await emulator.stop('SIGINT', 10_000);
    // Ctrl-C reaches npm too, and npm re-raises SIGINT on itself once its script has exited: that is npm's
    // exit, not the CLI's (the CLI's own exit 0 is asserted by tests/e2e). Any other exit is an error.
    const npmExitOnCtrlC = exit.code === 0 || (exit.code === null && exit.signal === 'SIGINT');
    if (!npmExitOnCtrlC) throw new Error(`npm start exited with ${exit.code ?? exit.signal} after SIGINT\nstderr:\n${emulator.stderr()}`);
    log(`startup ${kind} ${i}/${runs}: ready after ${emulator.readyAfterMs.toFixed(0)} ms (CLI says ${emulator.startedInMs} ms)`);
    results.push({ readyAfterMs: emulator.readyAfterMs, startedInMs: emulator.startedInMs });
  }
  return results;
}
