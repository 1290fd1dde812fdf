/**
 * `npm run bench`: the emulator's overhead, measured against a bare node:http server that calls the
 * same handler in-process, all against the same dynalite; then the startup time of `npm start`.
 * A measurement, not a test: exits 0 whether targets are met or not, non-zero on errors.
 * Defaults (10 connections, 2 s warm-up, 3 x 4 s rounds, 3 startups) keep it near 80 s; override with
 * `npm run bench -- --rounds 5 --seconds 10 --connections 10 --workers 1 --startup-runs 3`.
 */
import { parseArgs } from 'node:util';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { startEmulator, type RunningEmulator } from '../emulator/app.js';
import { itemEvent, startBaseline, type Baseline } from './baseline.js';
import { median, runLoad, type LoadPlan, type Target, type TargetSummary } from './load.js';
import { formatReport } from './report.js';
import { measureStartup, type StartupRun } from './startup.js';

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
  Object.assign(process.env, spec.environment, emulator.services);
  process.env.AWS_REGION ??= emulator.template.region;
  process.env.AWS_ACCESS_KEY_ID ??= 'AKIABENCHLOCAL000000';
  process.env.AWS_SECRET_ACCESS_KEY ??= 'bench-local-secret';
}

async function seed(emulator: RunningEmulator): Promise<void> {
  const tableName = emulator.template.tables[0]?.tableName;
  if (!tableName) throw new Error(`${FIXTURE_TEMPLATE}: no DynamoDB table`);
  const client = DynamoDBDocumentClient.from(new DynamoDBClient({ endpoint: emulator.services.AWS_ENDPOINT_URL_DYNAMODB }));
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

/** The secured route needs the usage plan's key and an ID token from the local user pool (checked on every request). */
function credentials(emulator: RunningEmulator): Record<string, string> {
  const key = emulator.apis[0]?.apiKey;
  if (!key) throw new Error(`${FIXTURE_TEMPLATE}: no API key for the bench stage`);
  const token = emulator.issueToken({ sub: 'bench-user', email: 'bench@example.com', ttlSeconds: 3600 });
  return { 'x-api-key': key, authorization: token };
}

async function targetsOf(emulator: RunningEmulator, baseline: Baseline): Promise<Target[]> {
  const api = emulator.apis[0]!;
  const proxyUrl = `${api.url}/items/${ITEM.id}`;
  const securedUrl = `${api.url}/secure/items/${ITEM.id}`;
  const headers = credentials(emulator);
  const [baselineBody, proxyBody, securedBody, mockBody] = await Promise.all([
    bodyOf(baseline.url),
    bodyOf(proxyUrl),
    bodyOf(securedUrl, headers),
    bodyOf(`${api.url}/mock`),
  ]);
  for (const [name, body] of [['proxy', proxyBody], ['secured proxy', securedBody]] as const) {
    if (body !== baselineBody) throw new Error(`emulator ${name} and baseline disagree:\n  emulator: ${body}\n  baseline: ${baselineBody}`);
  }
  return [
    { name: 'baseline (node:http)', url: baseline.url, expectBody: baselineBody },
    { name: 'emulator proxy /items/{id}', url: proxyUrl, expectBody: proxyBody },
    { name: 'proxy + key + Cognito', url: securedUrl, expectBody: securedBody, headers },
    { name: 'emulator mock /mock', url: `${api.url}/mock`, expectBody: mockBody },
  ];
}

async function main(): Promise<number> {
  const { plan, startupRuns } = options();
  const emulator = await startEmulator({ templatePath: FIXTURE_TEMPLATE, port: 0 });
  let baseline: Baseline | undefined;
  let summaries: TargetSummary[] = [];
  try {
    log(`emulator ${emulator.apis[0]?.url}, dynalite ${emulator.services.AWS_ENDPOINT_URL_DYNAMODB}`);
    useFunctionEnvironment(emulator);
    await seed(emulator);
    baseline = await startBaseline(HANDLER_FILE, 'handler', itemEvent(emulator.apis[0]!.stageName, ITEM.id));
    summaries = await runLoad(await targetsOf(emulator, baseline), plan, log);
  } finally {
    await baseline?.close();
    await emulator.close();
  }
  // A failed startup is an error, but the load numbers above are still worth printing.
  let startup: StartupRun[] = [];
  let startupError: unknown;
  await measureStartup(startupRuns, 'template.yaml', log).then((runs) => (startup = runs), (error: unknown) => (startupError = error));
  const [baselineSummary, proxy, secured, mock] = summaries;
  if (!baselineSummary || !proxy || !secured || !mock) throw new Error('load produced no results');
  const { text } = formatReport(
    {
      baseline: baselineSummary,
      proxy,
      secured,
      mock,
      startupReadyMs: median(startup.map((s) => s.readyAfterMs)),
      startupCliMs: median(startup.map((s) => s.startedInMs)),
      connections: plan.connections,
    },
    { minProxyThroughputRatio: 0.8, maxProxyP99Ms: 10, maxStartupMs: 2000 },
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
