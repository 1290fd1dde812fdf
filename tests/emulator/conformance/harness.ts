/** Drives createGateway over the conformance fixture app with the fake in-process invoker. */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createGateway, type PipelineOptions } from '../../../emulator/gateway/pipeline.js';
import type { Gateway, RequestLogEntry } from '../../../emulator/gateway/types.js';
import type { ApiSpec } from '../../../emulator/template/model.js';
import { FakeInProcessInvoker } from '../support/in-process-invoker.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { wireHeaders } from '../../../emulator/gateway/wire-headers.js';

export const FIXTURE_TEMPLATE = fileURLToPath(new URL('../fixtures/conformance/template.yaml', import.meta.url));
/** The gateway fidelity fixture: API "FidelityApi", stage "v1". */
export const FIDELITY_TEMPLATE = fileURLToPath(new URL('../fixtures/fidelity/template.yaml', import.meta.url));

export interface Given {
  method?: string;
  path: string;
  /** [name, value] pairs as the client sends them (casing kept through rawHeaders). */
  headers?: [string, string][];
  body?: string | Uint8Array;
}

export interface Got {
  status: number;
  headers: Headers;
  /** Header pairs as they go on the wire (names in the case given). */
  wire: [string, string][];
  text: string;
  json: () => unknown;
}

export interface Harness {
  gateway: Gateway;
  api: ApiSpec;
  invoker: FakeInProcessInvoker;
  entries: RequestLogEntry[];
  logs: string[];
  send(given: Given): Promise<Got>;
}

/** One gateway per API of the fixture template ("ConformanceApi" stage "test", "CustomResponsesApi" stage "custom"). */
export async function harness(apiLogicalId = 'ConformanceApi', extra: Partial<PipelineOptions> = {}, templatePath = FIXTURE_TEMPLATE): Promise<Harness> {
  // The real template loader; the functions run in-process through the fake invoker (fast, and it records calls).
  const template = await loadTemplate(templatePath);
  const api = template.apis.find((a) => a.logicalId === apiLogicalId);
  if (!api) throw new Error(`no API ${apiLogicalId} in ${templatePath}`);
  const invoker = new FakeInProcessInvoker(template);
  const entries: RequestLogEntry[] = [];
  const logs: string[] = [];
  const gateway = createGateway({ api, template, invoker, onRequest: (e) => entries.push(e), log: (l) => logs.push(l), ...extra });
  return {
    gateway,
    api,
    invoker,
    entries,
    logs,
    send: (given) => sendRequest(gateway, given),
  };
}

/** Sends one request through a gateway as the HTTP adapter would (Host added, header casing kept). */
export async function sendRequest(gateway: Gateway, given: Given): Promise<Got> {
  const given_ = given.headers ?? [];
  const hasHost = given_.some(([n]) => n.toLowerCase() === 'host');
  const pairs: [string, string][] = [...(hasHost ? [] : [['Host', 'localhost:3000'] as [string, string]]), ...given_];
  const headers = new Headers();
  for (const [n, v] of pairs) headers.append(n, v);
  const request = new Request(`http://localhost:3000${given.path}`, { method: given.method ?? 'GET', headers, ...(given.body !== undefined ? { body: given.body as BodyInit } : {}) });
  const response = await gateway.fetch(request, { remoteAddress: '::ffff:127.0.0.1', rawHeaders: pairs.flat() });
  const text = await response.text();
  return { status: response.status, headers: response.headers, wire: wireHeaders(response), text, json: () => JSON.parse(text) as unknown };
}

/** The proxy event the echo fixture received, parsed from its response body. */
export function echoed(got: Got): APIGatewayProxyEvent {
  if (got.status !== 200) throw new Error(`expected the echo function to answer 200, got ${got.status}: ${got.text}`);
  return JSON.parse(got.text) as APIGatewayProxyEvent;
}

/**
 * A template in a temp folder (removed after the file's tests) with one AWS::Serverless::Api "Api", stage "prod",
 * whose inline DefinitionBody holds `docLines` (YAML, at the document's indent: root keys and `paths:`), after
 * `resourceLines` (other resources, at the resource indent). Returns its path, for `harness('Api', {}, path)`.
 */
export function inlineApiTemplate(title: string, docLines: string[], resourceLines: string[] = []): string {
  const dir = mkdtempSync(join(tmpdir(), `${title}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = join(dir, 'template.yaml');
  const head = ['Resources:', ...resourceLines, '  Api:', '    Type: AWS::Serverless::Api', '    Properties:', '      StageName: prod', '      DefinitionBody:', '        openapi: 3.0.1', `        info: { title: ${title}, version: "1" }`];
  writeFileSync(file, [...head, ...docLines.map((l) => `        ${l}`)].join('\n'));
  return file;
}
