/**
 * The WAF tests' harness: the fixture (../fixtures/waf/template.yaml, a mock-only API) loaded once per test file, a
 * gateway per API on the test clock, and builders of rules and of edited copies of the fixture. A test file calls
 * useWafFixture() at its top.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll } from 'vitest';
import { createGateway } from '../../../../emulator/gateway/pipeline.js';
import type { Gateway } from '../../../../emulator/gateway/types.js';
import { ApiKeyRegistry } from '../../../../emulator/identity/api-keys.js';
import { ManualClock } from '../../../../emulator/limits/clock.js';
import { limitsFor } from '../../../../emulator/limits/index.js';
import type { LambdaInvoker } from '../../../../emulator/lambda/types.js';
import { loadTemplate } from '../../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../../emulator/template/model.js';
import { tempLocalState } from '../../identity/support/fixtures.js';

export const FIXTURE = fileURLToPath(new URL('../../fixtures/waf/template.yaml', import.meta.url));
/** FAKE invoker: the fixture has mock integrations only, so nothing may be invoked. */
const noLambda: LambdaInvoker = { invoke: () => Promise.reject(new Error('the WAF fixture invokes no function')) };

export const local = tempLocalState();
/** The fixture as loaded, set by useWafFixture's beforeAll (an exported `let`: importers see the loaded value). */
export let template: LoadedTemplate;

/** Loads the fixture before the file's tests and removes the local state after them. */
export function useWafFixture(): void {
  beforeAll(async () => {
    template = await loadTemplate(FIXTURE);
  });
  afterAll(() => local.cleanup());
}

export interface Send {
  method?: string;
  headers?: [string, string][];
  body?: string;
  ip?: string;
}

/** The fixture's gateways (or `tpl`'s) on a clock of their own; send and exchange call one API, WafApi by default. */
export function world(tpl: LoadedTemplate = template) {
  const clock = new ManualClock(Date.UTC(2026, 10, 30, 12));
  const limits = limitsFor(tpl, local.state, clock);
  const registry = ApiKeyRegistry.fromTemplate(tpl, local.state);
  const gateways: Record<string, Gateway> = {};
  for (const api of tpl.apis) gateways[api.logicalId] = createGateway({ api, template: tpl, invoker: noLambda, log: () => undefined, ...limits.forApi(api, tpl, registry) });
  const exchange = async (path: string, init: Send = {}, api = 'WafApi') => {
    const given = init.headers ?? [];
    const has = (name: string) => given.some(([n]) => n.toLowerCase() === name);
    const pairs: [string, string][] = [...(has('host') ? [] : [['Host', 'localhost:3000'] as [string, string]]), ...(has('user-agent') ? [] : [['User-Agent', 'vitest'] as [string, string]]), ...given];
    const request = new Request(`http://localhost:3000${path}`, { method: init.method ?? 'GET', headers: pairs, ...(init.body !== undefined ? { body: init.body } : {}) });
    const res = await gateways[api]!.fetch(request, { remoteAddress: init.ip ?? '192.0.2.1', rawHeaders: pairs.flat() });
    return { status: res.status, type: res.headers.get('x-amzn-errortype'), body: await res.text(), headers: res.headers };
  };
  const send = async (path: string, init: Send = {}, api = 'WafApi') => {
    const got = await exchange(path, init, api);
    return { status: got.status, type: got.type, body: got.body };
  };
  return { clock, gateways, send, exchange };
}

export type Json = Record<string, unknown>;
export const NONE = [{ Priority: 0, Type: 'NONE' }];
export const LOWERCASE = [{ Priority: 0, Type: 'LOWERCASE' }];
/** A ByteMatchStatement on `field`. */
export const byteMatch = (field: Json, search: string, position = 'EXACTLY', transforms: Json[] = NONE): Json => ({ ByteMatchStatement: { SearchString: search, FieldToMatch: field, PositionalConstraint: position, TextTransformations: transforms } });
/** A rule blocking what `statement` matches. */
export const blockRule = (statement: Json, name = 'under-test', priority = 0): Json => ({ Name: name, Priority: priority, Action: { Block: {} }, Statement: statement });

/** The fixture with properties of one WAFv2 resource replaced (the web ACL Acl by default: its Rules, DefaultAction...). */
export function wafWith(props: Json, logicalId = 'Acl', base: LoadedTemplate = template): LoadedTemplate {
  const wafResources = structuredClone(base.wafResources!);
  const resource = wafResources.find((r) => r.logicalId === logicalId)!;
  resource.properties = { ...resource.properties, ...props };
  return { ...base, wafResources };
}

/** The fixture whose API `logicalId` has its OpenAPI document edited by `edit`. */
export function apiWith(logicalId: string, edit: (doc: Json) => void, base: LoadedTemplate = template): LoadedTemplate {
  const apis = base.apis.map((api) => {
    if (api.logicalId !== logicalId) return api;
    const openapi = structuredClone(api.openapi) as Json;
    edit(openapi);
    return { ...api, openapi } as typeof api;
  });
  return { ...base, apis };
}

/** `n` distinct filler headers (`X-Fill-<i>: 1`). */
export const fillers = (n: number): [string, string][] => Array.from({ length: n }, (_, i) => [`X-Fill-${i}`, '1'] as [string, string]);
/** The bytes a header takes in the 8 KB the host forwards to WAF (W4.3): its `Name: value` line with CRLF. */
export const lineBytes = ([name, value]: [string, string]) => name.length + value.length + 4;
/** Host and User-Agent, which every `send` adds first. */
export const SENT_FIRST = lineBytes(['Host', 'localhost:3000']) + lineBytes(['User-Agent', 'vitest']);
