/**
 * `npm run demo:throttle`: the Task API's Basic usage plan (burst 100, rate 50/s, 10,000 a month) enforced by the
 * local gateway. Part 1 sends GET /tasks with the Basic key at 100 requests a second (twice the rate) for 5 seconds
 * and prints, per second, how many were accepted and how many throttled (429 THROTTLED). Part 2 does the same
 * around the monthly quota (429 QUOTA_EXCEEDED) and the next month's renewal.
 * Time is the emulator's clock, driven here: the demo takes as long as the requests take, not 5 simulated seconds.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulator } from '../emulator/app.js';
import { apiKeyIdFor, usagePlanIdFor } from '../emulator/identity/local-ids.js';
import { ManualClock } from '../emulator/limits/clock.js';

const TEMPLATE = fileURLToPath(new URL('../template.yaml', import.meta.url));
const RATE_SENT = 100;
const SECONDS = 5;

interface Tally {
  accepted: number;
  throttled: number;
  quota: number;
  other: Record<number, number>;
}

async function send(url: string, headers: Record<string, string>, tally: Tally): Promise<void> {
  const res = await fetch(url, { headers });
  const body = await res.text();
  if (res.status === 200) tally.accepted++;
  else if (res.status === 429 && body.includes('problem:throttled')) tally.throttled++;
  else if (res.status === 429 && body.includes('problem:quota-exceeded')) tally.quota++;
  else tally.other[res.status] = (tally.other[res.status] ?? 0) + 1;
}

const line = (label: string, t: Tally) =>
  `${label.padEnd(28)} accepted ${String(t.accepted).padStart(4)}   throttled ${String(t.throttled).padStart(4)}   quota exceeded ${String(t.quota).padStart(4)}${Object.keys(t.other).length ? `   other ${JSON.stringify(t.other)}` : ''}`;

/** `n` requests spread evenly over one second of the emulator clock. */
async function oneSecond(clock: ManualClock, n: number, url: string, headers: Record<string, string>): Promise<Tally> {
  const tally: Tally = { accepted: 0, throttled: 0, quota: 0, other: {} };
  for (let i = 0; i < n; i++) {
    await send(url, headers, tally);
    clock.advance(1000 / n);
  }
  return tally;
}

async function main(): Promise<void> {
  const localDir = mkdtempSync(join(tmpdir(), 'demo-throttle-'));
  // Mid-month, so that the quota part can cross into the next month.
  const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));
  // The gateway logs each refusal (as API Gateway's execution log would); the demo counts them instead.
  const emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, clock, log: () => undefined });
  try {
    const api = emulator.apis.find((a) => a.logicalId === 'TaskApi')!;
    const key = emulator.apiKeys.BasicUsagePlan as string;
    const headers = { 'x-api-key': key, authorization: emulator.issueToken({ sub: 'demo-user', email: 'demo@example.com' }) };
    const url = `${api.url}/tasks`;
    console.log(`Basic usage plan: burst 100, rate 50/s, quota 10,000 a MONTH. Sending GET ${url} at ${RATE_SENT}/s.\n`);
    console.log('Part 1: throttling (token bucket: 100 at once, then 50 a second)');
    const total: Tally = { accepted: 0, throttled: 0, quota: 0, other: {} };
    for (let s = 1; s <= SECONDS; s++) {
      const t = await oneSecond(clock, RATE_SENT, url, headers);
      total.accepted += t.accepted;
      total.throttled += t.throttled;
      console.log(line(`  second ${s}`, t));
    }
    console.log(line(`  total over ${SECONDS} s`, total));
    const elapsed = SECONDS - 1 / RATE_SENT;
    console.log(`  expected: burst 100 + 50/s x ${elapsed} s between the first and the last request = ${Math.floor(100 + 50 * elapsed)}\n`);

    console.log('Part 2: the monthly quota (this month already used 9,990 of 10,000 requests)');
    const { accountId } = emulator.template;
    const [planId, keyId] = [usagePlanIdFor('BasicUsagePlan', accountId), apiKeyIdFor('BasicApiKey', accountId)];
    // Stand-ins for the month's earlier traffic: counted as the gateway counts an accepted request.
    while (emulator.limits.usage.usedInPeriod(planId, keyId, { period: 'MONTH', offset: 0 }) < 9990) emulator.limits.usage.count(planId, keyId);
    clock.advance(10_000);
    const before = await oneSecond(clock, 20, url, headers);
    console.log(line('  20 requests', before));
    clock.set(Date.UTC(2026, 11, 1));
    const after = await oneSecond(clock, 20, url, headers);
    console.log(line('  20 more on 1 December', after));
    console.log('\n`npm run usage` prints the same counts per key and day, as `aws apigateway get-usage` does.');
  } finally {
    await emulator.close();
    rmSync(localDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error('demo:throttle failed:', error);
  process.exit(1);
});
