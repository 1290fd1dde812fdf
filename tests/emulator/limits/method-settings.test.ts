import { describe, expect, it } from 'vitest';
import { accountLimit, decodeSettingPath, methodSettingsFor } from '../../../emulator/limits/method-settings.js';
import type { ApiSpec } from '../../../emulator/template/model.js';
import { stageSpec } from './stage-spec.js';

const api = (methodSettings: Record<string, unknown>[], cacheClusterEnabled = true): ApiSpec => stageSpec(methodSettings, cacheClusterEnabled);
const settings = (spec: ApiSpec, method: string, path: string) => methodSettingsFor(spec, method, path, 'us-east-1', 'template.yaml');

describe('R6.13 MethodSettings ResourcePath encoding', () => {
  it.each([
    ['/~1tasks~1{taskId}', '/tasks/{taskId}'],
    ['/~1health', '/health'],
    ['/', '/'],
    ['/*', '*'],
    ['/tasks', '/tasks'],
  ])('R6.13 %s names %s', (raw, want) => {
    expect(decodeSettingPath(raw)).toBe(want);
  });
});

describe('R6.10 stage throttling from MethodSettings', () => {
  const stage = api([
    { ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: '100', ThrottlingBurstLimit: '200' },
    { ResourcePath: '/~1health', HttpMethod: 'GET', ThrottlingRateLimit: 5, ThrottlingBurstLimit: 10 },
    { ResourcePath: '/~1tasks', HttpMethod: '*', ThrottlingBurstLimit: 7 },
    { ResourcePath: '/~1off', HttpMethod: 'GET', ThrottlingRateLimit: -1, ThrottlingBurstLimit: -1 },
  ]);
  it.each([
    { name: 'the exact method entry wins', method: 'GET', path: '/health', want: { rate: 5, burst: 10 } },
    { name: '/* + * applies to every other method (numbers from !Ref strings)', method: 'POST', path: '/health', want: { rate: 100, burst: 200 } },
    { name: '[AMBIGUOUS] a path + * entry overrides one field and inherits the other', method: 'DELETE', path: '/tasks', want: { rate: 100, burst: 7 } },
    { name: '-1 means not set at that entry: the stage-wide value applies', method: 'GET', path: '/off', want: { rate: 100, burst: 200 } },
  ])('R6.10 $name', ({ method, path, want }) => {
    expect(settings(stage, method, path).throttle).toEqual(want);
  });

  it('R6.10 without throttling entries the stage has no method throttle (only the account one applies)', () => {
    expect(settings(api([{ ResourcePath: '/*', HttpMethod: '*', MetricsEnabled: true }]), 'GET', '/x').throttle).toBeUndefined();
  });

  it('R6.11 a field left out takes the account default, as GetStage reports it', () => {
    expect(settings(api([{ ResourcePath: '/*', HttpMethod: '*', ThrottlingRateLimit: 3 }]), 'GET', '/x').throttle).toEqual({ rate: 3, burst: 5000 });
  });

  it.each([
    { region: 'us-east-1', want: { rate: 10_000, burst: 5000 } },
    { region: 'af-south-1', want: { rate: 2500, burst: 1250 } },
    { region: 'eu-south-1', want: { rate: 2500, burst: 1250 } },
  ])('R6.11 account limit in $region', ({ region, want }) => {
    expect(accountLimit(region)).toEqual(want);
  });

  it.each([
    { name: 'a non-numeric rate', entry: { ThrottlingRateLimit: 'fast' }, message: /ThrottlingRateLimit: must be a number/ },
    { name: 'a fractional burst', entry: { ThrottlingBurstLimit: 1.5 }, message: /ThrottlingBurstLimit: must be a whole number/ },
    { name: 'a TTL over 3600', entry: { CachingEnabled: true, CacheTtlInSeconds: 3601 }, message: /CacheTtlInSeconds: must be at most 3600/ },
  ])('refuses $name with the key that caused it', ({ entry, message }) => {
    expect(() => settings(api([{ ResourcePath: '/*', HttpMethod: '*', ...entry }]), 'GET', '/x')).toThrow(message);
  });
});

describe('R9.1 R9.2 caching from MethodSettings', () => {
  it.each([
    { name: 'stage-wide CachingEnabled caches GET', entries: [{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }], method: 'GET', want: { caching: true, ttlSeconds: 300 } },
    { name: 'stage-wide CachingEnabled does not cache POST', entries: [{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }], method: 'POST', want: { caching: false, ttlSeconds: 300 } },
    { name: 'a POST method entry caches POST', entries: [{ ResourcePath: '/~1x', HttpMethod: 'POST', CachingEnabled: 'true' }], method: 'POST', want: { caching: true, ttlSeconds: 300 } },
    { name: 'CacheTtlInSeconds sets the TTL', entries: [{ ResourcePath: '/~1x', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: '60' }], method: 'GET', want: { caching: true, ttlSeconds: 60 } },
    { name: 'TTL 0 disables caching', entries: [{ ResourcePath: '/~1x', HttpMethod: 'GET', CachingEnabled: true, CacheTtlInSeconds: 0 }], method: 'GET', want: { caching: false, ttlSeconds: 0 } },
    { name: 'a method entry turns stage-wide caching off', entries: [{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }, { ResourcePath: '/~1x', HttpMethod: 'GET', CachingEnabled: false }], method: 'GET', want: { caching: false, ttlSeconds: 300 } },
    { name: 'no CachingEnabled: not cached even with a cluster', entries: [], method: 'GET', want: { caching: false, ttlSeconds: 300 } },
  ])('R9.2 $name', ({ entries, method, want }) => {
    const got = settings(api(entries), method, '/x');
    expect({ caching: got.caching, ttlSeconds: got.ttlSeconds }).toEqual(want);
  });

  it('R9.2 without CacheClusterEnabled nothing is cached, whatever MethodSettings say', () => {
    expect(settings(api([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }], false), 'GET', '/x').caching).toBe(false);
  });

  it('R9.5 [AMBIGUOUS] Cache-Control authorization defaults: required, ignore with a warning header', () => {
    const got = settings(api([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }]), 'GET', '/x');
    expect([got.requireAuthorizationForCacheControl, got.unauthorizedCacheControlHeaderStrategy]).toEqual([true, 'SUCCEED_WITH_RESPONSE_HEADER']);
  });
});
