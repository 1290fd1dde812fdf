/**
 * vitest global setup: the gateway's JavaScript build (emulator/dist), which the CLI tests run as users do.
 * A no-op when dist/ is up to date; `npx vitest run` alone (without npm test) still gets a fresh build.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export default function setup(): void {
  execFileSync(process.execPath, [fileURLToPath(new URL('../../emulator/scripts/build.mjs', import.meta.url))], { stdio: 'inherit' });
}
