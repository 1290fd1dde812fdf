/**
 * `npm run bench`: the emulator's overhead, measured against a bare node:http server that calls the
 * same handler in-process, all against the same dynalite; then the startup time of `npm start`.
 * Also: the overhead of a usage plan's throttle and quota on the secured route, the stage cache against the
 * same route uncached, and how close a client sending at twice a key's rate gets to that rate.
 * A measurement, not a test: exits 0 whether targets are met or not, non-zero on errors.
 * Defaults (10 connections, 2 s warm-up, 3 x 4 s rounds, 3 startups) keep it near 80 s; override with
 * `npm run bench -- --rounds 5 --seconds 10 --connections 10 --workers 1 --startup-runs 3`.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulator, type RunningEmulator } from '../emulator/app.js';
import { credentialVariables } from '../emulator/services/credentials.js';
import { itemEvent, startBaseline, type Baseline } from './baseline.js';
import { median, runLoad, type LoadPlan, type Target, type TargetSummary } from './load.js';
import { formatReport } from './report.js';
import { measureStartup, type StartupRun } from './startup.js';
import { measureThrottleAccuracy, type AccuracyResult } from './throttle-accuracy.js';

const FIXTURE_TEMPLATE = fileURLToPath(new URL('./fixtures/template.yaml', import.meta.url));
const HANDLER_FILE = fileURLToPath(new URL('./fixtures/getItem.ts', import.meta.url));
const FUNCTION_ID = 'BenchGetItemFunction';
const ITEM = { id: 'bench-1', title: 'benchmark item', done: false, tags: ['a', 'b'] };
const log = (line: string): void => console.log(`bench: ${line}`);

function options() {
  const { values } = parseArgs({
    options: {
      rounds: { type: 'string', default: '3' },
      seconds: { type: 'string', default: '4' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '10' },
      workers: { type: 'string', default: '1' },
      'startup-runs': { type: 'string', default: '3' },
    },
  });
  const count = (name: keyof typeof values, min: number): number => {
    const n = Number(values[name]);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name}: expected an integer >= ${min}, got ${values[name]}`);
    return n;
  };
  const plan: LoadPlan = {
    rounds: count('rounds', 1),
    roundSeconds: count('seconds', 1),
    warmupSeconds: count('warmup', 1),
    connections: count('connections', 1),
    workers: count('workers', 0) || undefined,
  };
  return { plan, startupRuns: count('startup-runs', 0) };
}

/** The function's own environment (table name...) plus the emulator's endpoints, set on this process for the baseline. */
function useFunctionEnvironment(emulator: RunningEmulator): void {
  const spec = emulator.template.functions.get(FUNCTION_ID);
  if (!spec) throw new Error(`${FIXTURE_TEMPLATE}: no function ${FUNCTION_ID}`);
  // The baseline signs its calls to the embedded DynamoDB as the function does, with the local credentials.
  Object.assign(process.env, spec.environment, emulator.services, credentialVariables(emulator.credentials));
  process.env.AWS_REGION ??= emulator.template.region;
}

async function seed(emulator: RunningEmulator): Promise<void> {
  const tableName = emulator.template.tables[0]?.tableName;
  if (!tableName) throw new Error(`${FIXTURE_TEMPLATE}: no DynamoDB table`);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: emulator.services.AWS_ENDPOINT_URL_DYNAMODB, credentials: emulator.credentials }));
  await client.send(new PutCommand({ TableName: tableName, Item: ITEM }));
  client.destroy();
}

/** One request per target before loading it: a wrong answer is an error, not a data point. */
async function bodyOf(url: string, headers: Record<string, string> = {}): Promise<string> {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status !== 200) throw new Error(`GET ${url}: ${res.status} ${body}`);
  return body;
}

/** A usage plan's one local key value (`npm run keys`). */
function planKey(emulator: RunningEmulator, plan: string): string {
  const key = emulator.apiKeys[plan];
  if (typeof key !== 'string') throw new Error(`${FIXTURE_TEMPLATE}: Resources.${plan}: expected one API key`);
  return key;
}

/** The secured route needs a usage plan's key and an ID token from the local user pool (checked on every request). */
function credentials(emulator: RunningEmulator, plan: string): Record<string, string> {
  const token = emulator.issueToken({ sub: 'bench-user', email: 'bench@example.com', ttlSeconds: 3600 });
  return { 'x-api-key': planKey(emulator, plan), authorization: token };
}

async function targetsOf(emulator: RunningEmulator, baseline: Baseline): Promise<Target[]> {
  const api = emulator.apis[0]!;
  const proxyUrl = `${api.url}/items/${ITEM.id}`;
  const securedUrl = `${api.url}/secure/items/${ITEM.id}`;
  const cachedUrl = `${api.url}/cached/items/${ITEM.id}`;
  const headers = credentials(emulator, 'BenchUsagePlan');
  const limitedHeaders = credentials(emulator, 'LimitedBenchPlan');
  const [baselineBody, proxyBody, securedBody, limitedBody, cachedBody, mockBody] = await Promise.all([
    bodyOf(baseline.url),
    bodyOf(proxyUrl),
    bodyOf(securedUrl, headers),
    bodyOf(securedUrl, limitedHeaders),
    bodyOf(cachedUrl),
    bodyOf(`${api.url}/mock`),
  ]);
  const bodies = [['proxy', proxyBody], ['secured proxy', securedBody], ['secured proxy, limited plan', limitedBody], ['cached proxy', cachedBody]] as const;
  for (const [name, body] of bodies) {
    if (body !== baselineBody) throw new Error(`emulator ${name} and baseline disagree:\n  emulator: ${body}\n  baseline: ${baselineBody}`);
  }
  return [
    { name: 'baseline (node:http)', url: baseline.url, expectBody: baselineBody },
    { name: 'emulator proxy /items/{id}', url: proxyUrl, expectBody: proxyBody },
    { name: 'proxy + key + Cognito', url: securedUrl, expectBody: securedBody, headers },
    { name: 'emulator mock /mock', url: `${api.url}/mock`, expectBody: mockBody },
    { name: '+ plan throttle + quota', url: securedUrl, expectBody: limitedBody, headers: limitedHeaders },
    { name: 'cached proxy (stage cache)', url: cachedUrl, expectBody: cachedBody },
  ];
}

async function main(): Promise<number> {
  const { plan, startupRuns } = options();
  // The accuracy run is throttled on purpose: its THROTTLED diagnostics are counted, not printed one by one.
  let throttledLines = 0;
  const gatewayLog = (line: string): void => {
    if (line.includes('THROTTLED')) throttledLines += 1;
    else console.error(line);
  };
  const emulator = await startEmulator({ templatePath: FIXTURE_TEMPLATE, port: 0, log: gatewayLog });
  let baseline: Baseline | undefined;
  let summaries: TargetSummary[] = [];
  let accuracy: AccuracyResult | undefined;
  try {
    log(`emulator ${emulator.apis[0]?.url}, dynalite ${emulator.services.AWS_ENDPOINT_URL_DYNAMODB}`);
    useFunctionEnvironment(emulator);
    await seed(emulator);
    baseline = await startBaseline(HANDLER_FILE, 'handler', itemEvent(emulator.apis[0]!.stageName, ITEM.id));
    summaries = await runLoad(await targetsOf(emulator, baseline), plan, log);
    throttledLines = 0;
    accuracy = await measureThrottleAccuracy(`${emulator.apis[0]!.url}/limited/mock`, planKey(emulator, 'AccuracyPlan'), { limit: 100, seconds: 10 }, log);
  } finally {
    await baseline?.close();
    await emulator.close();
  }
  if (accuracy) log(`throttle accuracy: the gateway logged ${throttledLines} THROTTLED refusals (${accuracy.throttled} 429 answers)`);
  // A failed startup is an error, but the load numbers above are still worth printing.
  let startup: StartupRun[] = [];
  let startupError: unknown;
  await measureStartup(startupRuns, 'template.yaml', log).then((runs) => (startup = runs), (error: unknown) => (startupError = error));
  const [baselineSummary, proxy, secured, mock, securedLimited, cached] = summaries;
  if (!baselineSummary || !proxy || !secured || !mock || !securedLimited || !cached || !accuracy) throw new Error('load produced no results');
  const { text } = formatReport(
    {
      baseline: baselineSummary,
      proxy,
      secured,
      mock,
      securedLimited,
      cached,
      accuracy,
      startupReadyMs: median(startup.map((s) => s.readyAfterMs)),
      startupCliMs: median(startup.map((s) => s.startedInMs)),
      connections: plan.connections,
    },
    { minProxyThroughputRatio: 0.8, maxProxyP99Ms: 10, maxStartupMs: 2000, maxThrottleOverhead: 0.05, minCacheSpeedup: 5, maxThrottleError: 0.1 },
  );
  console.log(`\n${text}`);
  const failures = summaries.flatMap((s) => s.failures.map((f) => `${s.name}: ${f}`));
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
