/**
 * Generated hostile requests (support/hostile-requests.ts, fixed seed, bounded runs) against the Task API itself as
 * `npm start` and `npm run start:http` serve it (template.yaml, ApiType REST and HTTP), with a valid token and API key
 * among the header lines so that requests reach the functions and DynamoDB. Whatever comes of them, every answer is
 * complete and API Gateway's, the front end's or a function's (expectWellFormed), the connection closes, nothing is a
 * 5xx (the functions answer hostile input with their 4xx problems), and the API serves the next client.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { startEmulator } from '../../emulator/app.js';
import type { RequestLogEntry } from '../../emulator/gateway/types.js';
import { expectClosedWellFormed, type HostileApi } from './support/hostile-apis.js';
import { hostileRequest } from './support/hostile-requests.js';
import { exchange } from './support/raw-http.js';

const TEMPLATE = fileURLToPath(new URL('../../template.yaml', import.meta.url));
/** Fixed, so CI runs the same cases; HOSTILE_RUNS and HOSTILE_SEED explore more by hand. */
const RUNS = Math.ceil(Number(process.env.HOSTILE_RUNS ?? 300) / 2);
const SEED = Number(process.env.HOSTILE_SEED ?? 20_261_207);

async function serveTaskApi(apiType: 'REST' | 'HTTP'): Promise<{ api: HostileApi; always: string[] }> {
  const entries: RequestLogEntry[] = [];
  const emulator = await startEmulator({
    templatePath: TEMPLATE,
    port: 0,
    localDir: mkdtempSync(join(tmpdir(), `hostile-task-api-${apiType}-`)),
    parameterOverrides: { ApiType: apiType },
    log: () => undefined,
    platformLog: () => undefined,
    onRequest: (entry) => entries.push(entry),
  });
  const served = emulator.apis[0]!;
  const token = emulator.issueToken({ sub: 'hostile-user', email: 'hostile@example.com' });
  const type = apiType === 'REST' ? 'rest' : 'http';
  const api: HostileApi = { type, port: served.port, stage: '/v1', apiKey: served.apiKey ?? '', entries, backendHits: () => 0, emulator };
  const always = type === 'rest' ? [`Authorization: ${token}`, `x-api-key: ${api.apiKey}`] : [`Authorization: Bearer ${token}`];
  return { api, always };
}

const variants = [await serveTaskApi('REST'), await serveTaskApi('HTTP')];
afterAll(async () => {
  await Promise.all(variants.map((v) => v.api.emulator.close()));
  for (const v of variants) rmSync(v.api.emulator.localDir, { recursive: true, force: true });
});

describe.each(variants)('Task API ($api.type): generated hostile requests', ({ api, always }) => {
  it(`${RUNS} requests, one per connection (seed ${SEED}): complete answers, no 5xx`, async () => {
    const paths = ['/v1/tasks', '/v1/tasks', '/v1/tasks/01J0000000000000000000000', '/v1/health', '/v1/admin/users/hostile-user/tasks'];
    const target = { stage: api.stage, segments: ['tasks', 'health', 'admin', 'users'], headers: ['Idempotency-Key: hostile-1', 'If-Match: "1"'], paths, always };

    await fc.assert(
      fc.asyncProperty(hostileRequest(target), async ({ bytes, method }) => {
        const seen = api.entries.length;

        const got = await exchange(api.port, [bytes], { halfClose: true, methods: [method.toUpperCase()] });

        const answered = expectClosedWellFormed(api, got);
        expect(answered.filter((a) => a.status >= 500).map((a) => [a.status, a.body.toString()])).toEqual([]);
        expect(api.entries.length - seen).toBeLessThanOrEqual(answered.length);
      }),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );

    const health = await exchange(api.port, [`GET /v1/health HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`]);
    expect(health.answers.map((a) => a.status)).toEqual([200]);
  });
});
