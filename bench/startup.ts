/** Startup time of `npm start` on the Task API: spawn to the `ready:` line, as a developer waits for it. */
import { freePort, startEmulatorProcess } from '../tests/e2e/emulator-process.js';

export interface StartupRun {
  /** Spawn of `npm start` to the `ready:` line. */
  readyAfterMs: number;
  /** What the CLI reports itself (template load, dynalite, builds, listen). */
  startedInMs: number;
}

/** Start and stop `npm start -- --port <free>` `runs` times; each run must reach ready and exit 0 on SIGINT. */
export async function measureStartup(runs: number, template: string, log: (line: string) => void): Promise<StartupRun[]> {
  const results: StartupRun[] = [];
  for (let i = 1; i <= runs; i += 1) {
    // --port is the FIRST port (one per API): ask for a free one rather than 0 so the URL is known up front.
    const port = await freePort();
    const emulator = await startEmulatorProcess(['--template', template, '--port', String(port), '--quiet'], { launcher: 'npm', timeoutMs: 60_000 });
    const exit = await emulator.stop('SIGINT', 10_000);
    // Ctrl-C reaches npm too, and npm re-raises SIGINT on itself once its script has exited: that is npm's
    // exit, not the CLI's (the CLI's own exit 0 is asserted by tests/e2e). Any other exit is an error.
    const npmExitOnCtrlC = exit.code === 0 || (exit.code === null && exit.signal === 'SIGINT');
    if (!npmExitOnCtrlC) throw new Error(`npm start exited with ${exit.code ?? exit.signal} after SIGINT\nstderr:\n${emulator.stderr()}`);
    log(`startup ${i}/${runs}: ready after ${emulator.readyAfterMs.toFixed(0)} ms (CLI says ${emulator.startedInMs} ms)`);
    results.push({ readyAfterMs: emulator.readyAfterMs, startedInMs: emulator.startedInMs });
  }
  return results;
}
