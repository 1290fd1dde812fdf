import { statSync } from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { ApiKeyRegistry } from '../../../emulator/identity/api-keys.js';
import { apiKeyIdFor, usagePlanIdFor } from '../../../emulator/identity/local-ids.js';
import { ACCOUNT, TEMPLATE_PATH, identityResources, tempLocalState } from './support/fixtures.js';
import type { IdentityResources } from '../../../emulator/template/model.js';

const tpl = (identity: IdentityResources) => ({ identity, path: TEMPLATE_PATH, accountId: ACCOUNT });

const TEMPLATE_KEY = 'template-key-value-0123456789';
const resources = () =>
  identityResources({
    apiKeys: [
      { logicalId: 'FixedKey', properties: { Enabled: true, Value: TEMPLATE_KEY } },
      { logicalId: 'LocalKey', properties: { Enabled: true, Name: 'local' } },
      { logicalId: 'DisabledKey', properties: { Enabled: false, Value: 'disabled-key-value-0123456789' } },
      { logicalId: 'DefaultKey', properties: { Value: 'default-enabled-unset-0123456789' } },
      { logicalId: 'OrphanKey', properties: { Enabled: true, Value: 'orphan-key-value-0123456789' } },
      { logicalId: 'OtherStageKey', properties: { Enabled: true, Value: 'other-stage-key-0123456789' } },
    ],
    usagePlans: [
      { logicalId: 'Plan', properties: { ApiStages: [{ ApiId: 'abc123', Stage: 'v1' }], Throttle: { RateLimit: 10, BurstLimit: 20 }, Quota: { Limit: 1000, Period: 'MONTH' } } },
      { logicalId: 'ProdPlan', properties: { ApiStages: [{ ApiId: 'abc123', Stage: 'prod' }] } },
    ],
    usagePlanKeys: [
      { logicalId: 'L1', properties: { KeyId: apiKeyIdFor('FixedKey', ACCOUNT), UsagePlanId: usagePlanIdFor('Plan', ACCOUNT), KeyType: 'API_KEY' } },
      { logicalId: 'L2', properties: { KeyId: { Ref: 'LocalKey' }, UsagePlanId: 'Plan', KeyType: 'API_KEY' } },
      { logicalId: 'L3', properties: { KeyId: 'DisabledKey', UsagePlanId: 'Plan' } },
      { logicalId: 'L4', properties: { KeyId: 'DefaultKey', UsagePlanId: 'Plan' } },
      { logicalId: 'L5', properties: { KeyId: 'OtherStageKey', UsagePlanId: 'ProdPlan' } },
    ],
  });

describe('API keys and usage plans (6.1, 6.2)', () => {
  const local = tempLocalState();
  afterAll(() => local.cleanup());

  it('R6.6 gives keys without Value a stable local value of 20-128 chars, kept 0600 in the local folder', () => {
    const first = ApiKeyRegistry.fromTemplate(tpl(resources()), local.state);
    const second = ApiKeyRegistry.fromTemplate(tpl(resources()), local.state);
    const value = first.keys.find((k) => k.logicalId === 'LocalKey')!.value;
    expect(value.length).toBeGreaterThanOrEqual(20);
    expect(value.length).toBeLessThanOrEqual(128);
    expect(second.keys.find((k) => k.logicalId === 'LocalKey')!.value).toBe(value);
    expect(statSync(local.state.fileOf('api-keys')).mode & 0o777).toBe(0o600);
    expect(first.keys.find((k) => k.logicalId === 'FixedKey')).toMatchObject({ value: TEMPLATE_KEY, valueSource: 'template', id: apiKeyIdFor('FixedKey', ACCOUNT) });
  });

  type Case = { name: string; source: 'HEADER' | 'AUTHORIZER'; header?: string | null; usage?: string; stage?: string; want: 'ok' | 403 };
  const cases: Case[] = [
    { name: 'A14 R6.4 no x-api-key ⇒ 403', source: 'HEADER', header: null, want: 403 },
    { name: 'R6.4 empty x-api-key ⇒ 403', source: 'HEADER', header: '', want: 403 },
    { name: 'R6.4 unknown key ⇒ 403', source: 'HEADER', header: 'not-a-key-of-this-template-0000', want: 403 },
    { name: 'A14 R6.4 disabled key ⇒ 403', source: 'HEADER', header: 'disabled-key-value-0123456789', want: 403 },
    { name: 'R6.4 key with Enabled unset (CloudFormation default false) ⇒ 403', source: 'HEADER', header: 'default-enabled-unset-0123456789', want: 403 },
    { name: 'R6.4 key in no usage plan ⇒ 403', source: 'HEADER', header: 'orphan-key-value-0123456789', want: 403 },
    { name: 'R6.4 key whose plan lacks this stage ⇒ 403', source: 'HEADER', header: 'other-stage-key-0123456789', want: 403 },
    { name: 'R6.4 same key on the stage its plan has ⇒ ok', source: 'HEADER', header: 'other-stage-key-0123456789', stage: 'prod', want: 'ok' },
    { name: 'R6.4 valid template key ⇒ ok', source: 'HEADER', header: TEMPLATE_KEY, want: 'ok' },
    { name: 'R6.3 AUTHORIZER source ignores the header', source: 'AUTHORIZER', header: TEMPLATE_KEY, want: 403 },
    { name: 'R6.3 AUTHORIZER source uses usageIdentifierKey', source: 'AUTHORIZER', header: null, usage: TEMPLATE_KEY, want: 'ok' },
  ];

  it.each(cases)('$name', ({ source, header, usage, stage, want }) => {
    const registry = ApiKeyRegistry.fromTemplate(tpl(resources()), local.state);
    const outcome = registry.checkApiKey({ source, headerValue: header, authorizerUsageKey: usage, restApiId: 'abc123', stage: stage ?? 'v1' });
    if (want === 'ok') expect(outcome).toMatchObject({ ok: true, apiKey: { value: usage ?? header } });
    else expect(outcome).toMatchObject({ ok: false, responseType: 'INVALID_API_KEY', message: 'Forbidden', defaultBody: '{"message":"Forbidden"}', errorType: 'ForbiddenException' });
  });

  it('R6.4 ok outcome carries the key id and usage plan id (R1.29 identity.apiKeyId)', () => {
    const registry = ApiKeyRegistry.fromTemplate(tpl(resources()), local.state);
    const outcome = registry.checkApiKey({ source: 'HEADER', headerValue: TEMPLATE_KEY, restApiId: 'abc123', stage: 'v1' });
    expect(outcome).toEqual({ ok: true, apiKey: { value: TEMPLATE_KEY, id: apiKeyIdFor('FixedKey', ACCOUNT), usagePlanId: usagePlanIdFor('Plan', ACCOUNT) } });
  });

  it('the report lists each key of a plan once, by its own name, with its value and plans; one in no plan is not listed', () => {
    // Prepare: FixedKey in both plans.
    const both = resources();
    both.usagePlanKeys.push({ logicalId: 'L6', properties: { KeyId: 'FixedKey', UsagePlanId: 'ProdPlan' } });
    const registry = ApiKeyRegistry.fromTemplate(tpl(both), local.state);
    const localValue = registry.keys.find((k) => k.logicalId === 'LocalKey')!.value;

    // Act
    const lines = registry.keyLines();

    // Assert
    expect(lines).toEqual([
      `FixedKey: ${TEMPLATE_KEY} (usage plans Plan, ProdPlan)`,
      `LocalKey: ${localValue} (usage plan Plan)`,
      'DisabledKey: disabled-key-value-0123456789 (usage plan Plan; disabled: refused)',
      'DefaultKey: default-enabled-unset-0123456789 (usage plan Plan; disabled: refused)',
      'OtherStageKey: other-stage-key-0123456789 (usage plan ProdPlan)',
    ]);
  });

  it('maps each usage plan to its local key values and reports its limits as enforced', () => {
    const registry = ApiKeyRegistry.fromTemplate(tpl(resources()), local.state);
    const local1 = registry.keys.find((k) => k.logicalId === 'LocalKey')!.value;
    expect(registry.keyValuesByPlan()).toEqual({
      Plan: [TEMPLATE_KEY, local1, 'disabled-key-value-0123456789', 'default-enabled-unset-0123456789'],
      ProdPlan: 'other-stage-key-0123456789',
    });
    expect(registry.summary()[0]).toBe(
      'usage plan Plan [abc123/v1] keys: FixedKey, LocalKey, DisabledKey (disabled), DefaultKey (disabled); throttle rate 10/s burst 20, quota 1000/MONTH: EMULATED (enforced per key across all stages of the plan, R6.7)',
    );
  });

  it.each([
    { name: 'R6.6 a Value under 20 characters', mutate: (r: ReturnType<typeof resources>) => { r.apiKeys[0]!.properties.Value = 'short'; }, want: /FixedKey\.Properties\.Value: API key value must be 20-128/ },
    { name: 'R6.6 two keys with one value', mutate: (r: ReturnType<typeof resources>) => { r.apiKeys[5]!.properties.Value = TEMPLATE_KEY; }, want: /unique/ },
    { name: 'R6.6 a key in two plans for the same stage', mutate: (r: ReturnType<typeof resources>) => { r.usagePlans[1]!.properties.ApiStages = [{ ApiId: 'abc123', Stage: 'v1' }]; r.usagePlanKeys.push({ logicalId: 'L6', properties: { KeyId: 'FixedKey', UsagePlanId: 'ProdPlan' } }); }, want: /same API stage abc123\/v1/ },
    { name: 'a UsagePlanKey naming no key', mutate: (r: ReturnType<typeof resources>) => { r.usagePlanKeys[0]!.properties.KeyId = 'nope'; }, want: /L1\.Properties\.KeyId: names no AWS::ApiGateway::ApiKey/ },
  ])('rejects $name with an error naming the template and key', ({ mutate, want }) => {
    const r = resources();
    mutate(r);
    expect(() => ApiKeyRegistry.fromTemplate(tpl(r), local.state)).toThrow(want);
  });
});
