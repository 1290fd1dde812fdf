/**
 * Lambda's Node.js 18+ runtimes ship the AWS SDK for JavaScript v3: a function may import `@aws-sdk/client-dynamodb`
 * without bundling it or listing it in a package.json. Locally the same import resolves, when the function's own
 * folders do not have the package, from the `@aws-sdk` packages installed beside the gateway, and from nothing else
 * (a function must not see the gateway's other dependencies, which Lambda would not give it).
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, renameSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where a function resolves runtime-provided packages from: a folder holding only `node_modules/@aws-sdk`. */
export interface RuntimeModules {
  /** For NODE_PATH (CommonJS `require`). */
  nodeModules: string;
  /** A file URL inside that folder, the parent that ES module resolution falls back to. */
  parentUrl: string;
}

let cached: RuntimeModules | null | undefined;

/** The runtime-provided SDK folder, created once per gateway install; null when the gateway has no `@aws-sdk` beside it. */
export function runtimeModules(): RuntimeModules | null {
  if (cached !== undefined && (cached === null || existsSync(cached.nodeModules))) return cached;
  const sdk = installedSdk(dirname(fileURLToPath(import.meta.url)));
  if (!sdk) return (cached = null);
  const root = join(tmpdir(), 'sam-emulator-runtime', `sdk-${createHash('sha256').update(sdk).digest('hex').slice(0, 16)}`);
  const nodeModules = join(root, 'node_modules');
  if (!existsSync(join(nodeModules, '@aws-sdk'))) {
    mkdirSync(nodeModules, { recursive: true });
    // Another gateway may create the same link at the same moment: build it aside, then move it into place.
    const temp = join(nodeModules, `.@aws-sdk.${process.pid}`);
    symlinkSync(sdk, temp, 'dir');
    renameSync(temp, join(nodeModules, '@aws-sdk'));
  }
  return (cached = { nodeModules, parentUrl: `file://${join(root, 'function.js')}` });
}

/** The nearest `node_modules/@aws-sdk` above `from`, as Node's resolution would find it. */
function installedSdk(from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, 'node_modules', '@aws-sdk');
    if (existsSync(candidate)) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
