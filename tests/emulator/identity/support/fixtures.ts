/** Shared test fixtures for the identity modules: temp local folders, identity resources, a fake invoker. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IdentityResources } from '../../../../emulator/template/model.js';
import type { InvokeOutcome, LambdaInvoker } from '../../../../emulator/lambda/types.js';
import { LocalState } from '../../../../emulator/identity/local-state.js';

export const REGION = 'eu-west-1';
export const ACCOUNT = '123456789012';
export const TEMPLATE_PATH = '/repo/template.yaml';

/** A fresh local folder under the OS temp dir; call `cleanup` in afterEach/afterAll. */
export function tempLocalState(): { state: LocalState; dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), 'identity-test-'));
  return { state: new LocalState(join(dir, '.local')), dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** IdentityResources with every list empty unless given. */
export function identityResources(partial: Partial<IdentityResources> = {}): IdentityResources {
  return { apiKeys: [], usagePlans: [], usagePlanKeys: [], userPools: [], userPoolClients: [], secrets: [], ...partial };
}

/** A fixture authorizer: what a real handler would do with the event (return, or throw an Error). */
export type FixtureHandler = (event: Record<string, unknown>) => unknown;

/**
 * FAKE LambdaInvoker: runs fixture authorizer functions in-process instead of the local Lambda worker
 * runtime (built separately), translating a thrown Error into a function-error outcome as the runtime does.
 * `calls` records every event so tests can assert the function was (not) invoked.
 */
export class FakeInvoker implements LambdaInvoker {
  readonly calls: { functionLogicalId: string; event: Record<string, unknown>; deadlineMs?: number }[] = [];

  constructor(
    private readonly handlers: Record<string, FixtureHandler>,
    private readonly deadlineExceeded = new Set<string>(),
  ) {}

  async invoke(functionLogicalId: string, event: unknown, options?: { deadlineMs?: number }): Promise<InvokeOutcome> {
    this.calls.push({ functionLogicalId, event: event as Record<string, unknown>, deadlineMs: options?.deadlineMs });
    if (this.deadlineExceeded.has(functionLogicalId)) return { kind: 'deadline-exceeded', durationMs: options?.deadlineMs ?? 0 };
    const handler = this.handlers[functionLogicalId];
    if (!handler) throw new Error(`FakeInvoker: no fixture function ${functionLogicalId}`);
    try {
      const payload = JSON.parse(JSON.stringify(handler(event as Record<string, unknown>) ?? null)) as unknown;
      return { kind: 'ok', payload, cold: false, durationMs: 3 };
    } catch (error) {
      const e = error as Error;
      return { kind: 'function-error', errorType: e.name, errorMessage: e.message, stackTrace: [], cold: false, durationMs: 3 };
    }
  }
}
