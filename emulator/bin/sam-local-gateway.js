#!/usr/bin/env -S node --max-semi-space-size=1 --single-threaded-gc
/**
 * The `sam-local-gateway` command. In a source checkout (scripts/build.mjs is there; a packed install has only dist/)
 * the built tree is brought up to date first, in this same process: an npm `prestart` step would cost a shell, a
 * second Node process and esbuild's load on every `npm start`, which is most of the time to the ready line.
 * `--max-semi-space-size=1` (MB; `env -S` splits the line, as on Linux, macOS and npm's Windows shims): a request's
 * garbage is short-lived, and V8's default young generation was about 20 MB of the gateway's memory under load.
 * `--single-threaded-gc`: V8's GC helper threads compete with the environments and the services thread for a few
 * cores; without them (30 interleaved pairs of 5 s rounds per route) the throughput was the same, the helpers' CPU
 * gone, and the process 3 to 9 MB smaller.
 */
import { existsSync } from 'node:fs';

const buildScript = new URL('../scripts/build.mjs', import.meta.url);
if (existsSync(buildScript)) await (await import(buildScript.href)).build();
await import('../dist/cli.js');
