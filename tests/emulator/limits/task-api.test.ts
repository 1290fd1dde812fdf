/**
 * What the limits and cache stages make of the Task API template (template.yaml + openapi/api.yaml): the startup
 * report lists usage plans, MethodSettings throttling and caching as emulated, and no caller-scoped route is cached.
 */
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import { limitsFor } from '../../../emulator/limits/index.js';
import { loadTemplate } from '../../../emulator/template/load.js';
import { tempLocalState } from '../identity/support/fixtures.js';

const TEMPLATE = fileURLToPath(new URL('../../../template.yaml', import.meta.url));

async function stageItems(parameterOverrides: Record<string, string>) {
  const local = tempLocalState();
  try {
    const template = await loadTemplate(TEMPLATE, { parameterOverrides });
    const api = template.apis.find((a) => a.logicalId === 'TaskApi')!;
    const registry = ApiKeyRegistry.fromTemplate(template, local.state);
    const hooks = limitsFor(template, local.state, new ManualClock()).forApi(api, template, registry);
    return { items: [...hooks.limits.support(), ...hooks.cache.support(), ...(hooks.firewall?.support() ?? [])], registry, firewall: hooks.firewall };
  } finally {
    local.cleanup();
  }
}

describe('Task API template', () => {
  it('R9.1 R9.2 with EnableCaching=true only GET /health is cached (TTL from CacheTtlSeconds), and no cache warning', async () => {
    const { items } = await stageItems({ EnableCaching: 'true', CacheTtlSeconds: '120' });
    const cached = items.filter((i) => i.subject.startsWith('cache ') || i.subject.startsWith('WARNING'));
    expect(cached.map((i) => `${i.subject}: ${i.detail}`)).toEqual(['cache GET /health: TTL 120 s, key: GET /health']);
    expect(items.find((i) => i.subject === 'CacheClusterEnabled')?.status).toBe('emulated');
  });

  it('R9.2 with EnableCaching=false nothing is cached and CacheClusterEnabled is not reported', async () => {
    const { items } = await stageItems({});
    expect(items.filter((i) => i.subject.startsWith('cache ') || i.subject === 'CacheClusterEnabled')).toEqual([]);
  });

  it('R6.10 R6.13 every method gets the stage throttle of MethodSettings (ThrottlingRateLimit / BurstLimit parameters)', async () => {
    const { items } = await stageItems({ ThrottlingRateLimit: '7', ThrottlingBurstLimit: '9' });
    const throttled = items.filter((i) => i.subject.startsWith('MethodSettings throttling'));
    expect(throttled.length).toBeGreaterThanOrEqual(7);
    for (const item of throttled) expect(item).toMatchObject({ status: 'emulated', detail: expect.stringMatching(/^throttle rate 7\/s burst 9 per method/) });
    expect(items.find((i) => i.subject === 'MethodSettings')?.status).toBe('emulated');
  });

  it('R6.7 the Basic and Premium plans carry their throttles and quotas as enforced', async () => {
    const { registry } = await stageItems({});
    const basic = registry.plans.find((p) => p.logicalId === 'BasicUsagePlan');
    expect({ throttle: basic?.throttle, quota: basic?.quota }).toEqual({ throttle: { rate: 50, burst: 100 }, quota: { limit: 10000, period: 'MONTH', offset: 0 } });
    expect(registry.summary().every((line) => line.includes('EMULATED'))).toBe(true);
  });

  it.each([
    { given: 'EnableWaf=false (default): no web ACL on the stage', overrides: {} as Record<string, string>, want: false },
    { given: 'EnableWaf=true: the web ACL is on the stage', overrides: { EnableWaf: 'true' } as Record<string, string>, want: true },
  ])('W1.2 $given', async ({ overrides, want }) => {
    const { firewall } = await stageItems(overrides);
    expect(firewall !== undefined).toBe(want);
  });

  it('W7 with EnableWaf=true the report lists the rate rule and the documented managed rules as emulated, the others not', async () => {
    const { items } = await stageItems({ EnableWaf: 'true' });
    const status = (subject: string) => items.find((i) => i.subject === subject)?.status;
    expect(status('AWS::WAFv2::WebACL')).toBe('emulated');
    expect(status('WAF rule rate-per-ip')).toBe('emulated');
    expect(status('WAF rule aws-common AWSManagedRulesCommonRuleSet:SizeRestrictions_BODY')).toBe('emulated');
    expect(status('WAF rule aws-common AWSManagedRulesCommonRuleSet:CrossSiteScripting_BODY')).toBe('not-emulated');
    expect(status('WAF rule aws-known-bad-inputs AWSManagedRulesKnownBadInputsRuleSet:PROPFIND_METHOD')).toBe('emulated');
  });
});
