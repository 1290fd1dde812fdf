/**
 * The hostile wire suites' APIs: the REST and HTTP API fixtures of fixtures/hostile served by startEmulator (the whole
 * emulator as `sam-local-gateway start-api` runs it), with their HTTP proxy integrations on a loopback backend, every
 * request the gateway saw recorded, and the checks every answer of API Gateway (or of the front end before it) passes.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { startEmulator, type RunningEmulator } from '../../../emulator/app.js';
import type { RequestLogEntry } from '../../../emulator/gateway/types.js';
import { exchange, header, type Exchanged, type RawAnswer } from './raw-http.js';

export type ApiType = 'rest' | 'http';

export interface HostileApi {
  type: ApiType;
  port: number;
  /** The stage's path prefix: `/test` (REST), `` (HTTP API, `$default` stage). */
  stage: string;
  /** A key of the REST API's usage plan (the HTTP API has none). */
  apiKey: string;
  /** Every request the gateway saw (the front end's refusals never reach it). */
  entries: RequestLogEntry[];
  /** Requests the HTTP proxy integrations' backend received. */
  backendHits: () => number;
  emulator: RunningEmulator;
}

const fixture = (name: string) => fileURLToPath(new URL(`../fixtures/hostile/${name}`, import.meta.url));

/** A backend that answers every request with what it received (method, target, body length). */
async function startBackend(): Promise<{ server: Server; url: string; hits: () => number }> {
  let hits = 0;
  const server = createServer((req, res) => {
    hits += 1;
    let length = 0;
    req.on('data', (c: Buffer) => (length += c.byteLength));
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ method: req.method, url: req.url, length }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, hits: () => hits };
}

/** Both fixtures served, and a close() for afterAll. */
export async function startHostileApis(): Promise<{ apis: HostileApi[]; close(): Promise<void> }> {
  const backend = await startBackend();
  const apis: HostileApi[] = [];
  for (const type of ['rest', 'http'] as const) {
    const entries: RequestLogEntry[] = [];
    const emulator = await startEmulator({
      templatePath: fixture(`${type}.yaml`),
      port: 0,
      localDir: mkdtempSync(join(tmpdir(), `hostile-${type}-`)),
      parameterOverrides: { BackendUrl: backend.url },
      log: () => undefined,
      platformLog: () => undefined,
      onRequest: (entry) => entries.push(entry),
    });
    const api = emulator.apis[0]!;
    apis.push({ type, port: api.port, stage: type === 'rest' ? '/test' : '', apiKey: api.apiKey ?? '', entries, backendHits: backend.hits, emulator });
  }
  return {
    apis,
    close: async () => {
      await Promise.all(apis.map((a) => a.emulator.close()));
      // Their local folders (keys, signing keys) too: each run made two more in the temp folder.
      for (const a of apis) rmSync(a.emulator.localDir, { recursive: true, force: true });
      await new Promise((resolve) => backend.server.close(resolve));
    },
  };
}

/** The refusals of the front end (malformedRequestResponse, head-limits.ts): before any API, so no request id. */
const FRONT_END_STATUSES = [400, 408, 413, 414, 417, 431];

/**
 * What every answer must be, whatever was sent: a complete HTTP/1.1 answer framed by its length; either API Gateway's
 * (its request id header, H10.8 / R1.25; JSON or its 413 text, never a page) or the front end's problem+json refusal
 * on a closed connection. Never an HTML page, a stack trace, or a 5xx but the few API Gateway itself sends.
 */
export function expectWellFormed(api: HostileApi, answer: RawAnswer): void {
  const text = answer.body.toString('latin1');
  expect(answer.statusLine).toMatch(/^HTTP\/1\.1 \d{3} \S/);
  expect(text).not.toMatch(/<html|<!doctype|\n\s+at \S+ \(|node:internal/i);
  expect(header(answer, 'x-powered-by')).toBeUndefined();
  expect(header(answer, 'keep-alive')).toBeUndefined();
  if (answer.status < 200) return;
  if (answer.status !== 204 && answer.status !== 304) expect(header(answer, 'content-length') ?? header(answer, 'transfer-encoding')).toBeDefined();
  if (header(answer, 'content-type') === 'application/problem+json' && header(answer, api.type === 'rest' ? 'x-amzn-RequestId' : 'apigw-requestid') === undefined) {
    expect(FRONT_END_STATUSES).toContain(answer.status);
    expect(header(answer, 'connection')).toBe('close');
    // The answer to a HEAD has no body to read.
    if (answer.body.byteLength > 0) expect(JSON.parse(text)).toMatchObject({ type: 'about:blank', status: answer.status });
    return;
  }
  expect(header(answer, api.type === 'rest' ? 'x-amzn-RequestId' : 'apigw-requestid')).toMatch(/\S/);
  // REST 502/504 and HTTP 500/503 are the integration failures API Gateway answers (R1.50-R1.53, H10.4-H10.5).
  if (answer.status >= 500) expect(api.type === 'rest' ? [500, 502, 504] : [500, 503]).toContain(answer.status);
  if (answer.status >= 400 && answer.status !== 413 && answer.body.byteLength > 0) expect(() => JSON.parse(text) as unknown).not.toThrow();
}

/** An exchange's checks: the server closed the connection (never a hang), each answer is well formed; its final answers. */
export function expectClosedWellFormed(api: HostileApi, got: Exchanged): RawAnswer[] {
  expect(got.ended, 'the server closed the connection').toBe('closed');
  for (const answer of got.answers) expectWellFormed(api, answer);
  return got.answers.filter((a) => a.status >= 200);
}

/** One request on its own connection, which must close with complete answers, each well formed. */
export async function hostile(api: HostileApi, parts: (string | Buffer)[], methods?: string[]): Promise<Exchanged> {
  const got = await exchange(api.port, parts, { ...(methods ? { methods } : {}) });
  expectClosedWellFormed(api, got);
  return got;
}

/** The API still serves a plain request after whatever came before. */
export async function stillServes(api: HostileApi): Promise<void> {
  const got = await exchange(api.port, [`GET ${api.stage}/items/1 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n`]);
  expect(got.answers.map((a) => a.status)).toEqual([200]);
}
