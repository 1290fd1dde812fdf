/** CDK deploy settings: template.yaml's parameter defaults and constraints, checked at synth time. */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { REPO_ROOT } from '../../../infra/contract.js';
import { DEFAULT_SETTINGS, settingsFrom, SettingsError } from '../../../infra/cdk/settings.js';

describe('CDK settings (settingsFrom)', () => {
  it("are template.yaml's Parameters, one for one, with the same defaults", () => {
    const template = parse(readFileSync(resolve(REPO_ROOT, 'template.yaml'), 'utf8'), { logLevel: 'silent' }) as { Parameters: Record<string, { Default: string | number }> };
    // ApiType chooses template.yaml's HTTP API variant instead of the REST API; the CDK stack deploys the REST API.
    const fromSam = Object.fromEntries(
      Object.entries(template.Parameters)
        .filter(([name]) => name !== 'ApiType')
        .map(([name, p]) => [name[0]?.toLowerCase() + name.slice(1), String(p.Default)]),
    );
    expect(template.Parameters.ApiType?.Default).toBe('REST');
    expect(Object.keys(fromSam).sort()).toEqual(Object.keys(DEFAULT_SETTINGS).sort());
    expect(settingsFrom(fromSam)).toEqual(settingsFrom({}));
  });

  it('reads `-c name=value` strings as their types', () => {
    expect(settingsFrom({ enableWaf: 'true', enableCaching: 'false', cacheTtlSeconds: '0', throttlingRateLimit: '12.5', logRetentionDays: '365' })).toMatchObject({
      enableWaf: true,
      enableCaching: false,
      cacheTtlSeconds: 0,
      throttlingRateLimit: 12.5,
      logRetentionDays: 365,
    });
  });

  it.each([
    ['stageName', 'a'.repeat(128)],
    ['stageName', 'v_1-b'],
    ['allowedOrigin', '*'],
    ['allowedOrigin', 'https://app.example.com:8443'],
    ['cacheTtlSeconds', '3600'],
    ['wafRateLimitPer5Min', '100'],
    ['logLevel', 'DEBUG'],
    ['logRetentionDays', '1'],
  ])('accepts %s=%s (the edge of the allowed range)', (name, value) => {
    expect(() => settingsFrom({ [name]: value })).not.toThrow();
  });

  it.each([
    ['stageName', 'a'.repeat(129)],
    ['stageName', ''],
    ['stageName', 'v 1'],
    ['allowedOrigin', "https://x.example.com'"],
    ['allowedOrigin', 'app.example.com'],
    ['cacheTtlSeconds', '3601'],
    ['cacheTtlSeconds', '-1'],
    ['wafRateLimitPer5Min', '99'],
    ['logLevel', 'TRACE'],
    ['logRetentionDays', '31'],
    ['enableWaf', 'yes'],
    ['throttlingBurstLimit', 'many'],
    ['enableWAF', 'true'],
  ])('refuses %s=%s', (name, value) => {
    expect(() => settingsFrom({ [name]: value })).toThrow(SettingsError);
  });
});
