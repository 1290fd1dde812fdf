/**
 * The REAL pipeline over the pipeline-identity fixture: the template loader, LocalLambdaService (worker
 * threads running the fixture's .mjs handlers), the identity stage of emulator/identity/gateway-stage.ts
 * and createGateway. Local values (key values, Cognito signing keys) live in a temporary folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { APIGatewayProxyEvent } from 'aws-lambda';
import { createGateway } from '../../../emulator/gateway/pipeline.js';
import type { Gateway } from '../../../emulator/gateway/types.js';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { CognitoPools, type IssueTokenInput } from '../../../emulator/identity/cognito.js';
import { createIdentityStage } from '../../../emulator/identity/gateway-stage.js';
import { LocalState } from '../../../emulator/identity/local-state.js';
import { LocalLambdaService } from '../../../emulator/lambda/runtime.js';
import type { InvokeOutcome, LambdaInvoker } from '../../../emulator/lambda/types.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import type { LoadedTemplate } from '../../../emulator/template/model.js';

export const FIXTURE_TEMPLATE = fileURLToPath(new URL('../fixtures/pipeline-identity/template.yaml', import.meta.url));
export const KEY = 'pipeline-identity-key-0001';
export const DISABLED_KEY = 'pipeline-identity-disabled-0001';
export const ORPHAN_KEY = 'pipeline-identity-orphan-0001';

/** Records which functions were invoked, then hands every call to the real LocalLambdaService. */
class RecordingInvoker implements LambdaInvoker {
  readonly calls: string[] = [];
  constructor(private readonly inner: LambdaInvoker) {}
  invoke(functionLogicalId: string, event: unknown, options?: { deadlineMs?: number }): Promise<InvokeOutcome> {
    this.calls.push(functionLogicalId);
    return this.inner.invoke(functionLogicalId, event, options);
  }
}

export interface Got {
  status: number;
  headers: Headers;
  text: string;
  json: () => unknown;
}

export interface Fixture {
  template: LoadedTemplate;
  invoker: RecordingInvoker;
  gateways: Record<string, Gateway>;
  /** Authorizer invocations so far (the echo function's are not counted). */
  authorizerCalls(): number;
  token(input?: Partial<IssueTokenInput>): string;
  send(api: string, path: string, init?: { method?: string; headers?: [string, string][]; body?: string }): Promise<Got>;
  close(): Promise<void>;
}

/** Start the fixture's functions and one gateway per API, with the identity stage plugged in. */
export async function startFixture(): Promise<Fixture> {
  const localDir = mkdtempSync(join(tmpdir(), 'pipeline-identity-'));
  const template = await loadTemplate(FIXTURE_TEMPLATE);
  const state = new LocalState(localDir);
  const lambda = new LocalLambdaService(template, { buildDir: join(localDir, 'build') });
  const invoker = new RecordingInvoker(lambda);
  const apiKeys = ApiKeyRegistry.fromTemplate(template, state);
  const cognito = CognitoPools.fromTemplate(template, state);
  const gateways: Record<string, Gateway> = {};
  for (const api of template.apis) {
    const identity = createIdentityStage({ template, api, invoker, state, apiKeys, cognito });
    gateways[api.logicalId] = createGateway({ api, template, invoker, identity, log: () => undefined });
  }
  return {
    template,
    invoker,
    gateways,
    authorizerCalls: () => invoker.calls.filter((c) => c !== 'EchoFunction').length,
    token: (input = {}) => cognito.issueToken({ sub: 'user-7', tokenUse: 'id', ...input }),
    async send(apiId, path, init = {}) {
      const gateway = gateways[apiId];
      if (!gateway) throw new Error(`no API ${apiId} in ${FIXTURE_TEMPLATE}`);
      const pairs: [string, string][] = [['Host', 'localhost:3000'], ...(init.headers ?? [])];
      const headers = new Headers();
      for (const [n, v] of pairs) headers.append(n, v);
      const request = new Request(`http://localhost:3000${path}`, { method: init.method ?? 'GET', headers, ...(init.body !== undefined ? { body: init.body } : {}) });
      const response = await gateway.fetch(request, { remoteAddress: '127.0.0.1', rawHeaders: pairs.flat() });
      const text = await response.text();
      return { status: response.status, headers: response.headers, text, json: () => JSON.parse(text) as unknown };
    },
    async close() {
      await lambda.close();
      rmSync(localDir, { recursive: true, force: true });
    },
  };
}

/** The proxy event the echo function received. */
export function echoed(got: Got): APIGatewayProxyEvent {
  if (got.status !== 200) throw new Error(`expected the echo function to answer 200, got ${got.status}: ${got.text}`);
  return (JSON.parse(got.text) as { event: APIGatewayProxyEvent }).event;
}
