/**
 * A Node.js function that installs its own AWS SDK v3 clients older than 3.428.0 (October 2023) reads no
 * AWS_ENDPOINT_URL_<SERVICE> variable: its calls go to AWS, not to the embedded services (or fail, offline), where
 * the runtime's SDK and newer clients reach them; nor does a newer client that resolves @smithy/middleware-endpoint
 * 4.1.14. Said at start, once per installed client, with the functions that resolve it.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import type { FunctionSpec } from '../template/model.js';

/** The first @aws-sdk/client-* release that reads AWS_ENDPOINT_URL and AWS_ENDPOINT_URL_<SERVICE> (aws-sdk-js-v3 #5350). */
const CONFIGURED_ENDPOINTS = [3, 428, 0];

function olderThanConfiguredEndpoints(version: string): boolean {
  const parts = /^(\d+)\.(\d+)\.(\d+)/.exec(version)?.slice(1).map(Number);
  if (!parts) return false;
  for (const [i, part] of parts.entries()) {
    const floor = CONFIGURED_ENDPOINTS[i] as number;
    if (part !== floor) return part < floor;
  }
  return false;
}

/** The dependencies the package.json in `dir` declares (none without one). */
function declared(dir: string): Record<string, unknown> {
  try {
    const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as Record<string, Record<string, unknown> | undefined>;
    return { ...json.devDependencies, ...json.dependencies };
  } catch {
    return {};
  }
}

/**
 * The @aws-sdk/client-* packages Node resolves from `dir` (the nearest copy of each) that the project beside them
 * declares, with their folder and version: the SDK's own clients (client-sts, client-sso) that its credential
 * providers pull in make no calls here, the credentials being in the environment.
 */
function installedClients(dir: string): Map<string, { dir: string; version: string }> {
  const found = new Map<string, { dir: string; version: string }>();
  for (let at = dir; ; at = dirname(at)) {
    const scope = join(at, 'node_modules', '@aws-sdk');
    if (existsSync(scope)) {
      const deps = declared(at);
      for (const name of readdirSync(scope).filter((n) => n.startsWith('client-'))) {
        const pkg = `@aws-sdk/${name}`;
        if (found.has(pkg) || !(pkg in deps)) continue;
        try {
          const { version } = JSON.parse(readFileSync(join(scope, name, 'package.json'), 'utf8')) as { version?: unknown };
          if (typeof version === 'string') found.set(pkg, { dir: join(scope, name), version });
        } catch {
          // A half-installed package: Node fails on it the same way, nothing to say here.
        }
      }
    }
    if (dirname(at) === at) return found;
  }
}

/**
 * @smithy/middleware-endpoint 4.1.14 (July 2025, the clients of 3.844.0) drops the endpoint it reads from
 * AWS_ENDPOINT_URL(_<SERVICE>) (smithy-typescript #1645, fixed in 4.1.15 and deprecated on npm): a lock file that
 * pins it sends a current client's calls to AWS.
 */
const BROKEN_ENDPOINT_MIDDLEWARE = new Set(['4.1.14']);

/** The version of `pkg` Node resolves from `dir` (its node_modules, then each parent's), if any. */
function resolvedVersion(dir: string, pkg: string): { dir: string; version: string } | undefined {
  for (let at = dir; ; at = dirname(at)) {
    const found = join(at, 'node_modules', pkg);
    try {
      const { version } = JSON.parse(readFileSync(join(found, 'package.json'), 'utf8')) as { version?: unknown };
      if (typeof version === 'string') return { dir: found, version };
    } catch {
      // Not installed at this level: Node looks one folder up.
    }
    if (dirname(at) === at) return undefined;
  }
}

/** Why a client installed at `client` reads no configured endpoint, if it does not. */
function endpointProblem(pkg: string, client: { dir: string; version: string }): { what: string; dir: string; fix: string } | undefined {
  if (olderThanConfiguredEndpoints(client.version)) return { what: `${pkg} ${client.version}`, dir: client.dir, fix: `(3.428.0 and later do): its calls go to AWS, not to the embedded services; update it (npm install ${pkg}@latest)` };
  const middleware = resolvedVersion(client.dir, '@smithy/middleware-endpoint');
  if (middleware && BROKEN_ENDPOINT_MIDDLEWARE.has(middleware.version)) {
    return { what: `${pkg} ${client.version} with @smithy/middleware-endpoint ${middleware.version}`, dir: middleware.dir, fix: '(an SDK bug, smithy-typescript #1645, fixed in 4.1.15): its calls go to AWS, not to the embedded services; update it (npm update @smithy/middleware-endpoint)' };
  }
  return undefined;
}

/** One note per old client a Node.js function resolves from its code folder, naming the functions that use it. */
export function oldSdkV3Notes(functions: Iterable<FunctionSpec>): string[] {
  const users = new Map<string, { what: string; dir: string; fix: string; ids: string[] }>();
  for (const fn of functions) {
    if (!fn.runtime.startsWith('nodejs') || fn.inlineCode !== undefined || fn.unavailable) continue;
    for (const [pkg, client] of installedClients(fn.codeDir)) {
      const problem = endpointProblem(pkg, client);
      if (!problem) continue;
      const key = `${problem.what} ${problem.dir}`;
      const entry = users.get(key) ?? { ...problem, ids: [] };
      entry.ids.push(fn.logicalId);
      users.set(key, entry);
    }
  }
  return [...users.values()].map(({ what, dir, fix, ids }) => `${ids.join(', ')}: ${what} (${relative(process.cwd(), dir) || dir}) reads no AWS_ENDPOINT_URL_<SERVICE> ${fix}`);
}
