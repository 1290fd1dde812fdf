/** The entry file of the Node.js execution environments (worker.ts), built or bundled from sources. */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

let cachedScript: string | undefined;

/**
 * The environment's entry file: dist/lambda/worker.js once built (this code is then bundled at the root of dist/);
 * from sources (tsx, vitest) worker.ts bundled into one CommonJS file under the temp folder, named by its content so
 * that concurrent emulators share it safely.
 */
export function workerScript(): string {
  // Checked on every spawn: a temp-folder cleaner may have removed the file since.
  if (cachedScript && existsSync(cachedScript)) return cachedScript;
  const ts = fileURLToPath(new URL('./worker.ts', import.meta.url));
  if (!existsSync(ts)) return (cachedScript = fileURLToPath(new URL('./lambda/worker.js', import.meta.url)));
  // Loaded here only: a built gateway never compiles its own runtime.
  const esbuild = createRequire(import.meta.url)('esbuild') as typeof import('esbuild');
  const out = esbuild.buildSync({ entryPoints: [ts], bundle: true, platform: 'node', format: 'cjs', target: 'node20', write: false });
  const source = out.outputFiles[0]?.text ?? '';
  const dir = join(tmpdir(), 'sam-emulator-runtime');
  const file = join(dir, `worker-${createHash('sha256').update(source).digest('hex').slice(0, 16)}.cjs`);
  if (!existsSync(file)) {
    mkdirSync(dir, { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    writeFileSync(temp, source);
    renameSync(temp, file);
  }
  return (cachedScript = file);
}
