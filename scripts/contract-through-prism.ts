/**
 * The HTTP contract suite through Prism (@stoplight/prism-cli) in proxy mode, in front of the local
 * gateway: Prism validates every response against openapi/api.yaml and, with --errors, turns a
 * violation into a 500 `VIOLATIONS` answer, which fails the test that made the call; any violation
 * in Prism's log fails this run too. A control first proves Prism reports a violating response.
 *
 * Suites run: operations, operation-errors, consistency, blank-text over openapi/api.yaml; then gateway-errors over
 * a copy of it without the operations' `security`, the only difference: Prism checks credentials even
 * with --validate-request=false and would answer a request without a key or token itself (401) instead
 * of forwarding it; response declarations, the only thing validated, are the same. Two kinds of
 * gateway-errors tests cannot be validated there and are left out by name (-t):
 * - "no-such-route" (unknown paths and methods): Prism's router answers them itself (404
 *   NO_PATH_MATCHED_ERROR, 405 NO_METHOD_MATCHED_ERROR), and no operation of the contract declares a
 *   response for a route it does not have; the suite checks them against the gateway directly.
 * - "malformed JSON": Prism parses a JSON body before proxying and answers an unparsable one itself
 *   (400, application/json), so the gateway's answer never reaches it.
 * For the same reason the consistency test of a body with a leading byte order mark ("byte order mark")
 * is left out of the first run: Prism's parser refuses the BOM that RFC 8259 lets the API ignore; and so are
 * the tests of bodies whose text matters beyond their JSON value ("member named twice", "padded past"): Prism
 * forwards the body it parsed, serialized again, so one of two same-named members and the padding never reach
 * the gateway (the suite checks those against the gateway directly).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse, stringify } from 'yaml';
import { startTarget, type Optional } from '../tests/contract/http/support/target.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CONTRACT = 'openapi/api.yaml';
const PRISM = 'node_modules/.bin/prism';
const SUITES = ['tests/contract/http/operations.test.ts', 'tests/contract/http/operation-errors.test.ts', 'tests/contract/http/consistency.test.ts', 'tests/contract/http/blank-text.test.ts'];
const GATEWAY_ERRORS = 'tests/contract/http/gateway-errors.test.ts';
/** gateway-errors tests whose answers Prism gives itself (see the header): every other test runs. */
const NOT_THROUGH_PRISM = '^(?!.*(no-such-route|malformed JSON)).*$';
/** Suite tests whose request Prism answers itself (see the header). */
const SUITES_NOT_THROUGH_PRISM = '^(?!.*(byte order mark|member named twice|padded past)).*$';
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
async function startPrism(upstream: string, contract = CONTRACT): Promise<Prism> {
  const port = await freePort();
  const args = ['proxy', contract, upstream, '--errors', '--validate-request=false', '--cors=false', '-h', '127.0.0.1', '-p', String(port)];
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

/** The contract without the operations' `security`: what Prism would otherwise refuse itself reaches the gateway. */
function contractWithoutSecurity(dir: string): string {
  const doc = parse(readFileSync(join(ROOT, CONTRACT), 'utf8')) as { paths: Record<string, Record<string, unknown>> };
  for (const item of Object.values(doc.paths)) {
    for (const operation of Object.values(item)) if (operation !== null && typeof operation === 'object') delete (operation as { security?: unknown }).security;
  }
  const file = join(dir, 'api.yaml');
  writeFileSync(file, stringify(doc));
  return file;
}

/** Runs vitest on `args` through a Prism over `contract`; the exit code and Prism's violation lines. */
async function throughPrism(target: Awaited<ReturnType<typeof startTarget>>, contract: string, args: string[]): Promise<{ code: number; violations: string[] }> {
  const prism = await startPrism(target.baseUrl, contract);
  try {
    const env: Record<string, string | undefined> = {
      ...process.env,
      // No JSON report: these are the README run's contract tests again, and this step's exit code is their verdict.
      CI: '',
      API_BASE_URL: prism.url,
      API_KEY: target.apiKey ?? undefined,
      ID_TOKEN: target.userA.token,
      ID_TOKEN_B: target.userB.ok ? target.userB.value.token : undefined,
      ADMIN_TOKEN: value(target.adminToken),
      NON_ADMIN_TOKEN: value(target.nonAdminToken),
      EXPIRED_ID_TOKEN: value(target.expiredToken),
    };
    const vitest = spawn('node_modules/.bin/vitest', ['run', '--project', 'default', ...args], { cwd: ROOT, env, stdio: 'inherit' });
    const code = await new Promise<number>((resolve) => vitest.once('exit', (c) => resolve(c ?? 1)));
    return { code, violations: prism.log.filter((line) => VIOLATION.test(line)) };
  } finally {
    prism.stop();
  }
}

async function main(): Promise<number> {
  if (!(await prismReportsViolations())) {
    console.error('contract-through-prism: Prism did not report a response that breaks the contract; it validates nothing here');
    return 1;
  }
  const target = await startTarget();
  const dir = mkdtempSync(join(tmpdir(), 'contract-prism-'));
  try {
    const runs = [
      { name: SUITES.join(', '), ...(await throughPrism(target, CONTRACT, [...SUITES, '-t', SUITES_NOT_THROUGH_PRISM])) },
      { name: `${GATEWAY_ERRORS} (contract without operation security)`, ...(await throughPrism(target, contractWithoutSecurity(dir), [GATEWAY_ERRORS, '-t', NOT_THROUGH_PRISM])) },
    ];
    for (const run of runs) {
      for (const line of run.violations) console.error(`contract-through-prism: ${line}`);
      console.log(`contract-through-prism: ${run.name}: exited ${run.code}; ${run.violations.length} response violation(s) reported by Prism`);
    }
    return runs.every((run) => run.code === 0 && run.violations.length === 0) ? 0 : 1;
  } finally {
    await target.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

process.exitCode = await main();
