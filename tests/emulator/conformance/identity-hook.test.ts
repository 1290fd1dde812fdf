/**
 * Conformance of the identity hook part 2 plugs in (R0.3, R0.4, R1.29-R1.31), driven by a FAKE IdentityStage
 * (the real authorizers / API keys are part 2's work).
 */
import { describe, expect, it } from 'vitest';
import { GatewayError } from '../../../emulator/gateway/gateway-responses.js';
import type { IdentityStage, MethodSecurity } from '../../../emulator/gateway/identity.js';
import { echoed, harness } from './harness.js';

/** FAKE identity stage: allows token "good" and key "k-123", records the order it was called in. */
function fakeIdentity(seen: string[]): IdentityStage {
  return {
    supports: () => true,
    async run(state, security: MethodSecurity) {
      seen.push(`identity ${state.httpMethod} ${state.route?.resourcePath}`);
      const header = (n: string) => state.headers.find(([k]) => k.toLowerCase() === n)?.[1];
      if (security.authorizer) {
        if (header('authorization') !== 'good') return { ok: false, error: new GatewayError('UNAUTHORIZED') };
        state.authorizer = { principalId: 'user-1', integrationLatency: 3, role: 'admin' };
      }
      if (security.apiKeyRequired) {
        if (header('x-api-key') !== 'k-123') return { ok: false, error: new GatewayError('INVALID_API_KEY') };
        state.apiKey = { value: 'k-123', id: 'key-id-1' };
      }
      return { ok: true };
    },
  };
}

const seen: string[] = [];
const h = await harness('ConformanceApi', { identity: fakeIdentity(seen) });

describe('identity hook', () => {
  it('R1.31 / R1.30 the authorizer context set by the stage becomes requestContext.authorizer', async () => {
    const event = echoed(await h.send({ path: '/test/secured', headers: [['Authorization', 'good']] }));
    expect(event.requestContext.authorizer).toEqual({ principalId: 'user-1', integrationLatency: 3, role: 'admin' });
  });

  it('R1.29 identity.apiKey / apiKeyId appear for key-required methods', async () => {
    const event = echoed(await h.send({ path: '/test/keyed', headers: [['x-api-key', 'k-123']] }));
    expect(event.requestContext.identity.apiKey).toBe('k-123');
    expect(event.requestContext.identity.apiKeyId).toBe('key-id-1');
  });

  it.each([
    { path: '/test/secured', headers: [] as [string, string][], status: 401, body: { message: 'Unauthorized' }, type: 'UnauthorizedException' },
    { path: '/test/keyed', headers: [['x-api-key', 'bad']] as [string, string][], status: 403, body: { message: 'Forbidden' }, type: 'ForbiddenException' },
  ])('R0.3 / R0.4 a failed identity check answers its gateway response without invoking ($status)', async ({ path, headers, status, body, type }) => {
    const before = h.invoker.calls.length;
    const got = await h.send({ path, headers });
    expect(got.status).toBe(status);
    expect(got.json()).toEqual(body);
    expect(got.headers.get('x-amzn-errortype')).toBe(type);
    expect(h.invoker.calls.length).toBe(before);
  });

  it('R0.1 the identity stage never sees unmatched routes; unsecured methods skip it', async () => {
    seen.length = 0;
    await h.send({ path: '/test/nowhere' });
    await h.send({ path: '/test/a' });
    expect(seen).toEqual([]);
  });

  it('routes are reported emulated when the stage supports them', () => {
    expect(h.gateway.routes.find((r) => r.path === '/secured')?.emulated).toBe(true);
  });
});
