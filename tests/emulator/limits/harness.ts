/**
 * The REAL pipeline over the limits fixture: template loader, LocalLambdaService (worker threads), identity stage,
 * and the limits and cache hooks on a ManualClock. `world()` builds fresh gateways (fresh buckets, usage, cache and
 * local folder) over the one Lambda service of the test file.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import type { Gateway } from '../../../emulator/gateway/types.js';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { CognitoPools } from '../../../emulator/identity/cognito.js';
import { createIdentityStage } from '../../../emulator/identity/gateway-stage.js';
import { LocalState } from '../../../emulator/identity/local-state.js';
import type { StageCache } from '../../../emulator/limits/cache.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { limitsFor, type SharedLimits } from '../../../emulator/limits/index.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';
import { wireHeaders } from '../../../emulator/gateway/wire-headers.js';

export const FIXTURE_TEMPLATE = fileURLToPath(new URL('../fixtures/limits/template.yaml', import.meta.url));
export const THROTTLED_KEY = 'limits-throttled-key-0001';
export const QUOTA_KEY = 'limits-quota-key-000001';
export const WEEKLY_KEY = 'limits-weekly-key-00001';
/** Monday 30 November 2026, 12:00 UTC. */
export const START = Date.UTC(2026, 10, 30, 12);
/** The local credentials of every world: a request they sign may invalidate a cache entry (R9.4). */
export const LOCAL_CREDENTIALS = { accessKeyId: 'ASIALIMITSLOCAL00001', secretAccessKey: 'limits-local-secret', sessionToken: 'limits-local-token' };

export interface Got {
  status: number;
  headers: Headers;
  /** The header names as sent on the wire (their case kept). */
  wireNames: string[];
  text: string;
  json: () => Record<string, unknown>;
}

export interface World {
  clock: ManualClock;
  limits: SharedLimits;
  state: LocalState;
  gateways: Record<string, Gateway>;
  caches: Record<string, StageCache>;
  token(sub: string): string;
  send(api: 'LimitsApi' | 'OtherApi', path: string, init?: { method?: string; headers?: [string, string][]; body?: string }): Promise<Got>;
  /** Status codes of `n` requests sent one after the other at the clock's current instant. */
  statuses(n: number, api: 'LimitsApi' | 'OtherApi', path: string, headers?: [string, string][]): Promise<number[]>;
}

export interface Fixture {
  template: LoadedTemplate;
  invocations(): number;
  /** Fresh gateways: new clock at START (unless given), new local folder unless `state` is given. */
  world(options?: { state?: LocalState; clock?: ManualClock }): World;
  close(): Promise<void>;
}

export async function startFixture(): Promise<Fixture> {
  const root = mkdtempSync(join(tmpdir(), 'limits-'));
  const template = await loadTemplate(FIXTURE_TEMPLATE);
  const lambda = new LocalLambdaService(template, { buildDir: join(root, 'build') });
  let invocations = 0;
  const invoker = {
    invoke: (id: string, event: unknown, options?: { deadlineMs?: number }) => {
      if (id === 'CounterFunction') invocations++;
      return lambda.invoke(id, event, options);
    },
  };
  let worlds = 0;
  const meters: SharedLimits['usage'][] = [];
  return {
    template,
    invocations: () => invocations,
    world(options = {}) {
      const state = options.state ?? new LocalState(join(root, `world-${++worlds}`));
      const clock = options.clock ?? new ManualClock(START);
      const apiKeys = ApiKeyRegistry.fromTemplate(template, state);
      const cognito = CognitoPools.fromTemplate(template, state);
      const limits = limitsFor(template, state, clock, { credentials: LOCAL_CREDENTIALS, region: template.region, accountId: template.accountId, now: () => clock.now() });
      meters.push(limits.usage);
      const gateways: Record<string, Gateway> = {};
      const caches: Record<string, StageCache> = {};
      for (const api of template.apis) {
        const identity = createIdentityStage({ template, api, invoker, state, apiKeys, cognito });
        const hooks = limits.forApi(api, template, apiKeys);
        caches[api.logicalId] = hooks.cache;
        gateways[api.logicalId] = createGateway({ api, template, invoker, identity, log: () => undefined, ...hooks });
      }
      const send: World['send'] = async (api, path, init = {}) => {
        const pairs: [string, string][] = [['Host', 'localhost:3000'], ...(init.headers ?? [])];
        const headers = new Headers();
        for (const [n, v] of pairs) headers.append(n, v);
        const request = new Request(`http://localhost:3000${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
        const response = await gateways[api]!.fetch(request, { remoteAddress: '127.0.0.1', rawHeaders: pairs.flat() });
        const text = await response.text();
        return { status: response.status, headers: response.headers, wireNames: wireHeaders(response).map(([name]) => name), text, json: () => JSON.parse(text) as Record<string, unknown> };
      };
      return {
        clock,
        limits,
        state,
        gateways,
        caches,
        token: (sub) => cognito.issueToken({ sub, tokenUse: 'id' }),
        send,
        async statuses(n, api, path, headers = []) {
          const out: number[] = [];
          for (let i = 0; i < n; i++) out.push((await send(api, path, { headers })).status);
          return out;
        },
      };
    },
    async close() {
      // Flushing clears each world's pending write-behind, so nothing writes into the folder once it is removed.
      for (const meter of meters) meter.flush();
      await lambda.close();
      rmSync(root, { recursive: true, force: true });
    },
  };
}

/** How many of each status code a list has, e.g. {200: 3, 429: 2}. */
export function tally(statuses: number[]): Record<number, number> {
  const out: Record<number, number> = {};
  for (const s of statuses) out[s] = (out[s] ?? 0) + 1;
  return out;
}
