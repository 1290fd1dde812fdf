#!/usr/bin/env node
/**
 * Build the typed client consumers import as `task-api/client`: openapi/client.ts and the generated types compiled
 * by tsc into openapi/dist/ (JavaScript plus .d.ts), so that plain Node and TypeScript both consume it. Run by
 * `npm ci`/`npm install` (prepare) and by `npm run build:client`; a no-op when dist/ is newer than its sources.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const OPENAPI = fileURLToPath(new URL('../openapi/', import.meta.url));
const SOURCES = ['client.ts', 'types.gen.ts', 'tsconfig.build.json'].map((f) => `${OPENAPI}${f}`).concat(fileURLToPath(import.meta.url));
const OUTPUTS = ['dist/client.js', 'dist/client.d.ts', 'dist/types.gen.d.ts'].map((f) => `${OPENAPI}${f}`);

const newest = Math.max(...SOURCES.map((f) => statSync(f).mtimeMs));
const upToDate = OUTPUTS.every((f) => existsSync(f) && statSync(f).mtimeMs >= newest);
/** tsc, or undefined in an install without dev dependencies (`npm install --omit=dev`, `sam build`'s copy of the project). */
function findTsc() {
  try {
    return createRequire(import.meta.url).resolve('typescript/bin/tsc');
  } catch {
    return undefined;
  }
}

if (!upToDate || process.argv.includes('--force')) {
  const tsc = findTsc();
  if (tsc) execFileSync(process.execPath, [tsc, '-p', `${OPENAPI}tsconfig.build.json`], { stdio: 'inherit' });
  else console.error('build-client: typescript is not installed (no dev dependencies): task-api/client is not built');
}
