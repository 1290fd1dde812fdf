/**
 * vitest global setup: one temp folder for the whole run, removed when it ends. Suites make their scratch folders
 * with `mkdtemp(tmpdir())` and many never remove them (31,000 had gathered in this machine's /tmp); pointing TMPDIR
 * at a folder of the run's own, before the test forks start and inherit it, cleans up after every suite at once,
 * and after the gateways and function environments the suites start, which read TMPDIR too.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  // Short: some suites put Unix sockets under tmpdir(), whose paths may not exceed 107 bytes.
  const root = mkdtempSync(join(tmpdir(), 'vt-'));
  process.env.TMPDIR = root;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    rmSync(root, { recursive: true, force: true });
  };
}
