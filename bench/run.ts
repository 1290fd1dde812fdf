/**
 * `npm run bench`: the gateway as a developer runs it (`npm start`, its functions in child-process environments,
 * its DynamoDB in its own thread), measured against a bare node:http server that calls the same handlers in-process
 * with a DynamoDB in a process of its own; then the start time of `npm start` on the Task API, warm and cold.
 * Also: the memory of the whole process tree `npm start` starts, the overhead of a usage plan's throttle and quota
 * on the secured route, the stage cache against the same route uncached, and how close a client sending at twice a
 * key's rate gets to that rate.
 * A measurement, not a test: exits 0 whether targets are met or not, non-zero on errors.
 * Defaults (each target warmed until its throughput stops rising, at most 40 s; 3 x 4 s rounds; 3 warm and 3 cold
 * starts) keep it near 7 minutes; override with
 * `npm run bench -- --rounds 5 --seconds 10 --workers 1 --startup-runs 3 --cold-runs 3`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { loadTemplate } from '../emulator/template/load.js';
import type { LoadedTemplate } from '../emulator/template/model.js';
import { ApiKeyRegistry } from '../emulator/identity/api-keys.js';
import { CognitoPools } from '../emulator/identity/cognito.js';
import { LocalState } from '../emulator/identity/local-state.js';
import { credentialVariables, localCredentials } from '../emulator/services/credentials.js';
import { createTables } from '../emulator/services/dynamodb.js';
import { accountLimit } from '../emulator/limits/method-settings.js';
import type { LocalCredentials } from '../emulator/services/sigv4.js';
import { freePort, startEmulatorProcess, type EmulatorProcess } from '../tests/e2e/emulator-process.js';
import { proxyEvent, startBaseline, startDynamoDbProcess, type Baseline, type DynamoDbProcess } from './baseline.js';
import { measureHop, type HopCost } from './hop.js';
import { median, runLoad, type LoadPlan, type Target, type TargetSummary } from './load.js';
import { descendants, processCpuMs, processTree, samplePeakMemory, type PeakMemory } from './process-tree.js';
import { formatReport } from './report.js';
import { measureStartup, type StartupRun } from './startup.js';
import { measureThrottleAccuracy, type AccuracyResult } from './throttle-accuracy.js';

const FIXTURE_TEMPLATE = 'bench/fixtures/template.yaml';
const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
const GET_ITEM_ID = 'BenchGetItemFunction';
const ITEM = { id: 'bench-1', title: 'benchmark item', done: false, tags: ['a', 'b'] };
const log = (line: string): void => console.log(`bench: ${line}`);

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '4' },
      // At most: each target's warm-up ends once its throughput stops rising (load.ts warmUp).
      warmup: { type: 'string', default: '40' },
      workers: { type: 'string', default: '1' },
      'startup-runs': { type: 'string', default: '3' },
      'cold-runs': { type: 'string', default: '3' },
    },
  });
  const count = (name: keyof typeof values, min: number): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer >= ${min}, got ${values[name]}`);
    return n;
  };
  const plan = (connections: number): LoadPlan => ({
    rounds: count('rounds', 1),
    roundSeconds: count('seconds', 1),
    warmupSeconds: count('warmup', 1),
    connections,
    workers: count('workers', 0) || undefined,
  });
  return { plan, startupRuns: count('startup-runs', 1), coldRuns: count('cold-runs', 1) };
}

/** What the bench needs from the running gateway: its URL, its DynamoDB, and local keys and tokens (as `npm run keys` / `token`). */
interface Gateway {
  process: EmulatorProcess;
  template: LoadedTemplate;
  url: string;
  dynamoDbEndpoint: string;
  credentials: LocalCredentials;
  keyOf(plan: string): string;
  token(): string;
}

async function startGateway(localDir: string): Promise<Gateway> {
  const port = await freePort();
  const process = await startEmulatorProcess(['--template', FIXTURE_TEMPLATE, '--port', String(port), '--quiet', '--local-dir', localDir], { launcher: 'npm', timeoutMs: 120_000 });
  const dynamoDbEndpoint = /AWS_ENDPOINT_URL_DYNAMODB=(\S+)/.exec(process.stdout())?.[1];
  if (!dynamoDbEndpoint) throw new Error(`no AWS_ENDPOINT_URL_DYNAMODB in the startup report:\n${process.stdout()}`);
  const template = await loadTemplate(FIXTURE_TEMPLATE);
  const state = new LocalState(localDir);
  const keys = ApiKeyRegistry.fromTemplate(template, state).keyValuesByPlan();
  const pools = CognitoPools.fromTemplate(template, state);
  return {
    process,
    template,
    url: process.url,
    dynamoDbEndpoint,
    credentials: localCredentials(state),
    keyOf: (plan) => {
      const key = keys[plan];
      if (typeof key !== 'string') throw new Error(`${FIXTURE_TEMPLATE}: Resources.${plan}: expected one API key`);
      return key;
    },
    token: () => pools.issueToken({ sub: 'bench-user', email: 'bench@example.com', ttlSeconds: 3600, tokenUse: 'id' }),
  };
}

/** The template's tables in a DynamoDB, with the benchmark's item. */
async function seed(template: LoadedTemplate, endpoint: string, credentials: LocalCredentials): Promise<void> {
  await createTables({ endpoint, credentials }, template.tables);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint, region: template.region, credentials }));
  await client.send(new PutCommand({ TableName: template.tables[0]!.tableName, Item: ITEM }));
  client.destroy();
}

/** The baseline: the fixture's handlers in this process, with the function's environment and its own DynamoDB. */
async function startBaselineOf(gateway: Gateway, dynamo: DynamoDbProcess): Promise<Baseline> {
  const spec = gateway.template.functions.get(GET_ITEM_ID);
  if (!spec) throw new Error(`${FIXTURE_TEMPLATE}: no function ${GET_ITEM_ID}`);
  Object.assign(process.env, spec.environment, { AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint, AWS_REGION: gateway.template.region }, credentialVariables(gateway.credentials));
  const stage = gateway.template.apis[0]!.stageName;
  return startBaseline([
    { handlerFile: join(FIXTURES, 'hello.ts'), exportName: 'handler', event: proxyEvent(stage, '/hello', '/hello', null) },
    { handlerFile: join(FIXTURES, 'getItem.ts'), exportName: 'handler', event: proxyEvent(stage, '/items/{id}', `/items/${ITEM.id}`, { id: ITEM.id }) },
  ]);
}

/** One request per target before loading it: a wrong answer is an error, not a data point. */
async function bodyOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body}`);
  return body;
}

async function target(name: string, url: string, headers?: Record<string, string>, cpu?: Target['cpu']): Promise<Target> {
  return { name, url, expectBody: await bodyOf(url, headers), ...(headers ? { headers } : {}), ...(cpu ? { cpu } : {}) };
}

/** The gateway's own node process under `npm start` (npm, then a shell, then node running the bin). */
function gatewayPidUnder(npmPid: number): number {
  const found = processTree(npmPid).find((p) => /(^|\/)node\s.*sam-local-gateway/.test(p.command));
  if (!found) throw new Error(`no sam-local-gateway node process under pid ${npmPid}`);
  return found.pid;
}

/** CPU readers: the gateway's parts, or the baseline's; the bench process's other threads are the load generator's. */
function cpuReaders(gatewayPid: number, dynamoDbPid: number): { gateway: () => Record<string, number>; baseline: () => Record<string, number> } {
  const loadGenerator = (): number => processCpuMs(process.pid).others;
  return {
    gateway: () => {
      const own = processCpuMs(gatewayPid);
      const children = descendants(gatewayPid).reduce((sum, pid) => {
        const c = processCpuMs(pid);
        return sum + c.main + c.others;
      }, 0);
      return { 'gateway main thread': own.main, 'its other threads (services, V8, libuv)': own.others, 'function environments': children, 'load generator': loadGenerator() };
    },
    baseline: () => {
      const own = processCpuMs(process.pid);
      const db = processCpuMs(dynamoDbPid);
      return { 'baseline server thread': own.main, 'its DynamoDB process': db.main + db.others, 'load generator': loadGenerator() };
    },
  };
}

/** The gateway's answer must be the baseline's, byte for byte. */
function sameAs(baseline: Target, ...others: Target[]): void {
  for (const t of others) {
    if (t.expectBody !== baseline.expectBody) throw new Error(`${t.name} and ${baseline.name} disagree:\n  gateway: ${t.expectBody}\n  baseline: ${baseline.expectBody}`);
  }
}

async function main(): Promise<number> {
  const { plan, startupRuns, coldRuns } = options();
  const localDir = mkdtempSync(join(tmpdir(), 'bench-local-'));
  let gateway: Gateway | undefined;
  let dynamo: DynamoDbProcess | undefined;
  let baseline: Baseline | undefined;
  let rows: TargetSummary[] = [];
  let rows50: TargetSummary[] = [];
  let rows1: TargetSummary[] = [];
  let accountRps = Number.NaN;
  let maxRps = Number.NaN;
  let accuracy: AccuracyResult | undefined;
  let memory: PeakMemory | undefined;
  let throttledLines = 0;
  let hop: HopCost | undefined;
  try {
    gateway = await startGateway(localDir);
    log(`gateway (npm start, pid ${gateway.process.child.pid}) ${gateway.url}, its DynamoDB ${gateway.dynamoDbEndpoint}`);
    const sampler = samplePeakMemory(gateway.process.child.pid as number);
    dynamo = await startDynamoDbProcess(credentialVariables(gateway.credentials));
    log(`baseline's DynamoDB (own process, pid ${dynamo.pid}) ${dynamo.endpoint}`);
    await seed(gateway.template, gateway.dynamoDbEndpoint, gateway.credentials);
    await seed(gateway.template, dynamo.endpoint, gateway.credentials);
    baseline = await startBaselineOf(gateway, dynamo);
    const secured = { 'x-api-key': gateway.keyOf('BenchUsagePlan'), authorization: gateway.token() };
    const limited = { 'x-api-key': gateway.keyOf('LimitedBenchPlan'), authorization: gateway.token() };
    const cpu = cpuReaders(gatewayPidUnder(gateway.process.child.pid as number), dynamo.pid);
    // The gateway answers 429 above the account's throttle (R6.11), as API Gateway does, so its routes are paced
    // under it and a throttled answer stays an error. autocannon releases each connection's allowance at the start
    // of that connection's own second, so two allowances can fall within one second: paced at (rate + burst) / 2,
    // twice that is what a full bucket lets through in a second.
    const account = accountLimit(gateway.template.region);
    accountRps = account.rate;
    maxRps = Math.floor((account.rate + account.burst) / 2);
    const paced = async (t: Promise<Target>): Promise<Target> => ({ ...(await t), maxRps });
    const [baseHello, baseItem] = [await target('baseline trivial (node:http)', baseline.urls[0]!, undefined, cpu.baseline), await target('baseline GetItem (node:http)', baseline.urls[1]!, undefined, cpu.baseline)];
    const hello = await paced(target('trivial proxy /hello', `${gateway.url}/hello`, undefined, cpu.gateway));
    const item = await paced(target('proxy /items/{id}', `${gateway.url}/items/${ITEM.id}`, undefined, cpu.gateway));
    const securedItem = await paced(target('proxy + key + Cognito', `${gateway.url}/secure/items/${ITEM.id}`, secured, cpu.gateway));
    const limitedItem = await paced(target('+ plan throttle + quota', `${gateway.url}/secure/items/${ITEM.id}`, limited));
    const cached = await paced(target('cached proxy (stage cache)', `${gateway.url}/cached/items/${ITEM.id}`));
    const mock = await paced(target('mock /mock', `${gateway.url}/mock`, undefined, cpu.gateway));
    sameAs(baseHello, hello);
    sameAs(baseItem, item, securedItem, limitedItem, cached);
    rows = await runLoad([baseHello, hello, baseItem, item, securedItem, limitedItem, cached, mock], plan(10), log);
    rows50 = await runLoad([baseHello, hello, baseItem, item], plan(50), log);
    // One request at a time, as one Lambda environment serves: what the handler costs without a process's
    // concurrency to share its wake-ups and its event loop's turns (the CPU table shows it per request).
    rows1 = await runLoad([{ ...baseItem, name: 'baseline GetItem, 1 connection' }, { ...item, name: 'proxy /items/{id}, 1 connection' }], plan(1), log);
    const before = (gateway.process.stderr().match(/THROTTLED/g) ?? []).length;
    accuracy = await measureThrottleAccuracy(`${gateway.url}/limited/mock`, gateway.keyOf('AccuracyPlan'), { limit: 100, seconds: 10 }, log);
    memory = sampler.stop();
    // After the load, with the gateway idle: the hop's CPU as the GetItem route's invocation and result carry it.
    const getItemEvent = proxyEvent(gateway.template.apis[0]!.stageName, '/items/{id}', `/items/${ITEM.id}`, { id: ITEM.id });
    const getItemResult = { statusCode: 200, headers: { 'content-type': 'application/json' }, body: baseItem.expectBody };
    hop = await measureHop(JSON.stringify(getItemEvent), JSON.stringify(getItemResult), plan(1).roundSeconds);
    log(`hop to an environment: ${hop.roundTrips} round trips, ${(hop.cpuUs.sender + hop.cpuUs.environment).toFixed(0)} us of CPU each`);
    throttledLines = (gateway.process.stderr().match(/THROTTLED/g) ?? []).length - before;
  } finally {
    await baseline?.close();
    dynamo?.close();
    await gateway?.process.stop('SIGINT', 10_000).catch((error: unknown) => console.error('bench: stopping the gateway:', error));
    rmSync(localDir, { recursive: true, force: true });
  }
  if (accuracy) log(`throttle accuracy: the gateway logged ${throttledLines} THROTTLED refusals (${accuracy.throttled} 429 answers)`);
  // A failed startup is an error, but the load numbers above are still worth printing.
  let cold: StartupRun[] = [];
  let warm: StartupRun[] = [];
  let startupError: unknown;
  try {
    cold = await measureStartup(coldRuns, 'template.yaml', true, log);
    warm = await measureStartup(startupRuns, 'template.yaml', false, log);
  } catch (error) {
    startupError = error;
  }
  const byName = new Map(rows.map((r) => [r.name, r]));
  const byName50 = new Map(rows50.map((r) => [r.name, r]));
  const row = (map: Map<string, TargetSummary>, name: string): TargetSummary => {
    const found = map.get(name);
    if (!found) throw new Error(`load produced no result for ${name}`);
    return found;
  };
  if (!accuracy || !memory || !hop) throw new Error('load produced no results');
  const pair = (name: string, base: string, connections: 10 | 50, minRatio: number) => {
    const map = connections === 10 ? byName : byName50;
    return { gateway: row(map, name), baseline: row(map, base), connections, minRatio };
  };
  const TRIVIAL = 0.35;
  const GET_ITEM = 0.8;
  const { text } = formatReport(
    {
      rows,
      rows50,
      rows1,
      accountRps,
      maxRps,
      trivial: [pair('trivial proxy /hello', 'baseline trivial (node:http)', 10, TRIVIAL), pair('trivial proxy /hello', 'baseline trivial (node:http)', 50, TRIVIAL)],
      getItem: [pair('proxy /items/{id}', 'baseline GetItem (node:http)', 10, GET_ITEM), pair('proxy /items/{id}', 'baseline GetItem (node:http)', 50, GET_ITEM)],
      secured: pair('proxy + key + Cognito', 'baseline GetItem (node:http)', 10, GET_ITEM),
      proxy: row(byName, 'proxy /items/{id}'),
      mock: row(byName, 'mock /mock'),
      securedLimited: row(byName, '+ plan throttle + quota'),
      cached: row(byName, 'cached proxy (stage cache)'),
      accuracy,
      memory,
      warmStartMs: median(warm.map((s) => s.readyAfterMs)),
      warmCliMs: median(warm.map((s) => s.startedInMs)),
      coldStartMs: median(cold.map((s) => s.readyAfterMs)),
      coldCliMs: median(cold.map((s) => s.startedInMs)),
      hop,
    },
    { maxWarmStartMs: 1000, maxColdStartMs: 2500, maxTreeMb: 250, maxThrottleOverhead: 0.05, minCacheSpeedup: 5, maxThrottleError: 0.1 },
  );
  console.log(`\n${text}`);
  const failures = [...rows, ...rows50, ...rows1].flatMap((s) => s.failures.map((f) => `${s.name}: ${f}`));
  if (failures.length > 0) console.error(`\nbench: ERRORS during load:\n  ${failures.join('\n  ')}`);
  if (startupError) console.error('\nbench: ERROR measuring startup:', startupError);
  return failures.length > 0 || startupError ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error('bench: failed:', error);
    process.exit(1);
  },
);
