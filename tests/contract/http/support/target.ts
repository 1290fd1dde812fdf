/**
 * Which API the contract suite talks to, and with which credentials. The API variant (REST or HTTP) and
 * everything that differs between them come from ./variant.ts.
 *
 * - Default: the local emulator, started in-process (`startEmulator`, port 0) with its local state in a
 *   fresh temporary folder; the Basic plan's API key, the ID tokens and the admin tokens come from the
 *   modules behind `npm run keys` and `npm run token` (same arguments, no child process).
 * - `API_BASE_URL` + `API_KEY` + `ID_TOKEN` set (no `API_KEY` for the HTTP variant): a deployed stage, unchanged. Optional `ID_TOKEN_B` (a
 *   second user), `ADMIN_TOKEN` and `NON_ADMIN_TOKEN` (admin-authorizer tokens with and without the
 *   `admin` role) and `EXPIRED_ID_TOKEN`; tests needing one that is absent are skipped, with the reason.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEmulator } from '../../../../emulator/app.js';
import { parseCfnYaml } from '../../../../emulator/template/cfn-yaml.js';
import { LocalState } from '../../../../emulator/identity/local-state.js';
import { tokenFor } from '../../../../emulator/tools/token.js';
import { logicalIdFor, variant } from './variant.js';


export interface Caller {
  /** The value of the Authorization header the API expects for this caller. */
  token: string;
  /** The Cognito `sub` (owner of the caller's tasks), read from the token. */
  sub: string;
}

/** Optional credentials: a value, or why it is not available. */
export type Optional<T> = { ok: true; value: T } | { ok: false; reason: string };

export interface Target {
  kind: 'local' | 'deployed';
  /** Stage invoke URL, e.g. http://127.0.0.1:41234/v1 */
  baseUrl: string;
  /** Random suffix of this run: user ids, titles and idempotency keys carry it. */
  runId: string;
  /** The Basic plan's API key, or null on a variant without API keys (no x-api-key header is sent). */
  apiKey: string | null;
  userA: Caller;
  userB: Optional<Caller>;
  /** `Bearer <jwt>` accepted by the admin authorizer with the `admin` role. */
  adminToken: Optional<string>;
  /** `Bearer <jwt>` that is well-formed and correctly signed but without the `admin` role. */
  nonAdminToken: Optional<string>;
  /** A Cognito ID token of the right pool and client whose `exp` is in the past. */
  expiredToken: Optional<string>;
  close(): Promise<void>;
}

/** What the environment provides, known before any test runs (for `it.skipIf`). */
export interface TargetPlan {
  kind: 'local' | 'deployed';
  /** Reason a test must be skipped for lack of a credential, or undefined when it can run. */
  skipReason: { userB?: string; admin?: string; nonAdmin?: string; expired?: string };
}

const env = (name: string): string | undefined => {
  const value = process.env[name]?.trim();
  return value ? value : undefined;
};

/** Decide local or deployed from the environment; fails fast on a half-configured deployed target. */
export function planTarget(): TargetPlan {
  const needed = variant.noApiKeys ? ['API_BASE_URL', 'ID_TOKEN'] : ['API_BASE_URL', 'API_KEY', 'ID_TOKEN'];
  const given = needed.filter((n) => env(n) !== undefined);
  if (given.length === 0) return { kind: 'local', skipReason: {} };
  if (given.length < needed.length) {
    const missing = needed.filter((n) => !given.includes(n));
    throw new Error(`tests/contract/http: set all of ${needed.join(', ')} to test a deployed stage (missing: ${missing.join(', ')})`);
  }
  const absent = (name: string, what: string) => (env(name) ? undefined : `${name} is not set: no ${what} on this deployed stage`);
  return {
    kind: 'deployed',
    skipReason: {
      userB: absent('ID_TOKEN_B', 'second user'),
      admin: absent('ADMIN_TOKEN', 'admin token'),
      nonAdmin: absent('NON_ADMIN_TOKEN', 'admin-authorizer token without the admin role'),
      expired: absent('EXPIRED_ID_TOKEN', 'expired ID token (Cognito signs them; none can be made here)'),
    },
  };
}

/** The `sub` claim of a JWT, read without verification (the API verifies it). */
export function subOf(jwt: string): string {
  const payload = jwt.replace(/^Bearer /, '').split('.')[1];
  const claims = payload ? (JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as { sub?: unknown }) : {};
  if (typeof claims.sub !== 'string') throw new Error(`tests/contract/http: token has no sub claim: ${jwt.slice(0, 40)}...`);
  return claims.sub;
}

const bearer = (token: string): string => (token.startsWith('Bearer ') ? token : `Bearer ${token}`);
const present = <T>(value: T): Optional<T> => ({ ok: true, value });
const absentValue = <T>(reason: string): Optional<T> => ({ ok: false, reason });
const optionalEnv = (name: string, reason: string | undefined, map: (v: string) => string = (v) => v): Optional<string> =>
  reason === undefined ? present(map(env(name) as string)) : absentValue(reason);

/** Start (or point at) the API under test. */
export async function startTarget(): Promise<Target> {
  const plan = planTarget();
  const runId = randomBytes(4).toString('hex');
  return plan.kind === 'deployed' ? deployedTarget(plan, runId) : localTarget(runId);
}

function deployedTarget(plan: TargetPlan, runId: string): Target {
  const idToken = env('ID_TOKEN') as string;
  const idTokenB = optionalEnv('ID_TOKEN_B', plan.skipReason.userB);
  return {
    kind: 'deployed',
    baseUrl: (env('API_BASE_URL') as string).replace(/\/+$/, ''),
    runId,
    apiKey: variant.noApiKeys ? null : (env('API_KEY') as string),
    userA: { token: idToken, sub: subOf(idToken) },
    userB: idTokenB.ok ? present({ token: idTokenB.value, sub: subOf(idTokenB.value) }) : idTokenB,
    adminToken: optionalEnv('ADMIN_TOKEN', plan.skipReason.admin, bearer),
    nonAdminToken: optionalEnv('NON_ADMIN_TOKEN', plan.skipReason.nonAdmin, bearer),
    expiredToken: optionalEnv('EXPIRED_ID_TOKEN', plan.skipReason.expired),
    close: async () => undefined,
  };
}

async function localTarget(runId: string): Promise<Target> {
  // A fresh local folder: this run's API key values, signing keys and secrets are its own.
  const localDir = mkdtempSync(join(tmpdir(), 'contract-http-'));
  // One execution environment per concurrent request, as Lambda gives: the races below then really overlap.
  // The variant's parameters; for REST the stage cache on (EnableCaching=true), as a production stage would run
  // it: caller-scoped routes must stay uncached, which caching.test.ts proves.
  const TEMPLATE = variant.templatePath;
  const emulator = await startEmulator({ templatePath: TEMPLATE, port: 0, localDir, maxConcurrency: 10, parameterOverrides: variant.parameterOverrides });
  try {
    const apiId = logicalIdFor(variant.ids.api, emulator.apis.map((a) => a.logicalId), `${TEMPLATE}: the API served`);
    const api = emulator.apis.find((a) => a.logicalId === apiId) as (typeof emulator.apis)[number];
    // What `npm run --silent keys` prints: usage plan logical id -> key value.
    const basicPlan = variant.noApiKeys ? undefined : logicalIdFor(variant.ids.basicPlan, Object.keys(emulator.apiKeys), `${TEMPLATE}: the Basic usage plan`);
    const apiKey = basicPlan === undefined ? null : emulator.apiKeys[basicPlan];
    if (apiKey !== null && typeof apiKey !== 'string') throw new Error(`${TEMPLATE}: Resources.${basicPlan}: expected exactly one API key, got ${JSON.stringify(apiKey)}`);
    const resources = (parseCfnYaml(readFileSync(TEMPLATE, 'utf8'), TEMPLATE) as { Resources: Record<string, unknown> }).Resources;
    const adminSecret = logicalIdFor(variant.ids.adminSecret, Object.keys(resources), `${TEMPLATE}: the admin signing key`);
    const idToken = (sub: string) => emulator.issueToken({ sub, email: `${sub}@example.com` });
    // What `npm run --silent token -- --admin-token --sub <sub> --roles <roles> --secret AdminJwtSecret` prints.
    const state = new LocalState(emulator.localDir);
    const adminToken = (sub: string, roles: string) =>
      attempt(() => bearer(tokenFor({ 'admin-token': true, sub, roles, secret: adminSecret }, emulator.template, state)));
    const userA = `contract-a-${runId}`;
    const userB = `contract-b-${runId}`;
    return {
      kind: 'local',
      baseUrl: api.url,
      runId,
      apiKey,
      userA: { token: idToken(userA), sub: userA },
      userB: present({ token: idToken(userB), sub: userB }),
      adminToken: adminToken(`admin-${runId}`, 'admin'),
      nonAdminToken: adminToken(`user-${runId}`, 'user'),
      // The CLI cannot back-date a token; the module behind it can (an hour-long token issued two hours ago).
      expiredToken: attempt(() => emulator.issueToken({ sub: userA, issuedAt: Math.floor(Date.now() / 1000) - 7200, ttlSeconds: 3600 })),
      close: async () => {
        await emulator.close();
        rmSync(localDir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await emulator.close();
    throw error;
  }
}

/** A credential, or the reason it could not be made (reported by the tests that need it). */
function attempt(make: () => string): Optional<string> {
  try {
    return present(make());
  } catch (error) {
    return absentValue((error as Error).message);
  }
}

/** The credential's value, or a failure naming why it is missing (locally every credential must exist). */
export function required<T>(credential: Optional<T>, what: string): T {
  if (credential.ok) return credential.value;
  throw new Error(`tests/contract/http: no ${what}: ${credential.reason}`);
}
