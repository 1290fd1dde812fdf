/**
 * The HTTP contract suite through Prism (@stoplight/prism-cli) in proxy mode, in front of the local
 * gateway: Prism validates every response against openapi/api.yaml and, with --errors, turns a
 * violation into a 500 `VIOLATIONS` answer, which fails the test that made the call; any violation
 * in Prism's log fails this run too. A control first proves Prism reports a violating response.
 *
 * Suites run: operations, operation-errors, consistency. Not gateway-errors: its requests (no key, no
 * token, unknown routes and methods, unparsable JSON) are answered by Prism itself before they reach
 * the gateway (its security check and router run even with --validate-request=false).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { startTarget, type Optional } from '../tests/contract/http/support/target.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONTRACT = 'openapi/api.yaml';
const PRISM = 'node_modules/.bin/prism';
const SUITES = ['tests/contract/http/operations.test.ts', 'tests/contract/http/operation-errors.test.ts', 'tests/contract/http/consistency.test.ts'];
const VIOLATION = /VIOLATIONS|sl-violations/;

interface Prism {
  url: string;
  log: string[];
  stop(): void;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts `prism proxy` towards `upstream`; resolves once it listens (fails if it exits first). */
async function startPrism(upstream: string): Promise<Prism> {
  const port = await freePort();
  const args = ['proxy', CONTRACT, upstream, '--errors', '--validate-request=false', '--cors=false', '-h', '127.0.0.1', '-p', String(port)];
  const child: ChildProcess = spawn(PRISM, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  const log: string[] = [];
  await new Promise<void>((resolve, reject) => {
    const onData = (chunk: Buffer) => {
      for (const line of chunk.toString('utf8').split('\n')) if (line.trim() !== '') log.push(line);
      if (log.some((line) => line.includes('Prism is listening'))) resolve();
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => reject(new Error(`prism exited (${String(code)}) before listening:\n${log.join('\n')}`)));
    child.once('error', reject);
  });
  return { url: `http://127.0.0.1:${port}`, log, stop: () => child.kill() };
}

/** Control: a FAKE upstream whose /health breaks the contract must be reported by Prism. */
async function prismReportsViolations(): Promise<boolean> {
  const fake: Server = createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json', 'access-control-allow-origin': 'x' });
    res.end('{"status":"broken"}');
  });
  await new Promise<void>((resolve) => fake.listen(0, '127.0.0.1', resolve));
  const prism = await startPrism(`http://127.0.0.1:${(fake.address() as AddressInfo).port}/v1`);
  try {
    const response = await fetch(`${prism.url}/health`);
    return response.status === 500 && VIOLATION.test(`${response.headers.get('sl-violations') ?? ''} ${await response.text()}`);
  } finally {
    prism.stop();
    await new Promise((resolve) => fake.close(resolve));
  }
}

const value = (credential: Optional<string>): string | undefined => (credential.ok ? credential.value : undefined);

async function main(): Promise<number> {
  if (!(await prismReportsViolations())) {
    console.error('contract-through-prism: Prism did not report a response that breaks the contract; it validates nothing here');
    return 1;
  }
  const target = await startTarget();
  const prism = await startPrism(target.baseUrl);
  try {
    const env: Record<string, string | undefined> = {
      ...process.env,
      // The child's report must not replace the main run's .ci/out/vitest.json.
      CI: '',
      API_BASE_URL: prism.url,
      API_KEY: target.apiKey ?? undefined,
      ID_TOKEN: target.userA.token,
      ID_TOKEN_B: target.userB.ok ? target.userB.value.token : undefined,
      ADMIN_TOKEN: value(target.adminToken),
      NON_ADMIN_TOKEN: value(target.nonAdminToken),
      EXPIRED_ID_TOKEN: value(target.expiredToken),
    };
    const vitest = spawn('node_modules/.bin/vitest', ['run', '--project', 'default', ...SUITES], { cwd: ROOT, env, stdio: 'inherit' });
    const code = await new Promise<number>((resolve) => vitest.once('exit', (c) => resolve(c ?? 1)));
    const violations = prism.log.filter((line) => VIOLATION.test(line));
    for (const line of violations) console.error(`contract-through-prism: ${line}`);
    console.log(`contract-through-prism: suites exited ${code}; ${violations.length} response violation(s) reported by Prism`);
    return code === 0 && violations.length === 0 ? 0 : 1;
  } finally {
    prism.stop();
    await target.close();
  }
}

process.exitCode = await main();
