/** The stage cache's startup report for methods a stage-wide CachingEnabled does not cache (R9.2). */
import { describe, expect, it } from 'vitest';
import { StageCache } from '../../../emulator/limits/cache.js';
import { ManualClock } from '../../../emulator/limits/clock.js';
import type { ApiSpec, LoadedTemplate } from '../../../emulator/template/model.js';
import { stageSpec } from './stage-spec.js';

const proxy = { 'x-amazon-apigateway-integration': { type: 'aws_proxy', httpMethod: 'POST', uri: 'arn:aws:apigateway:us-east-1:lambda:path/2015-03-31/functions/arn:aws:lambda:us-east-1:123456789012:function:fn/invocations' } };

const api = (methodSettings: Record<string, unknown>[], cacheClusterEnabled = true): ApiSpec =>
  stageSpec(methodSettings, cacheClusterEnabled, { '/items': { get: proxy }, '/{proxy+}': { 'x-amazon-apigateway-any-method': proxy } });
const template = { region: 'us-east-1', accountId: '123456789012', path: 'template.yaml' } as LoadedTemplate;

/** The report's cache lines, as `status subject: detail`. */
const cacheLines = (spec: ApiSpec) =>
  new StageCache(spec, template, new ManualClock())
    .support()
    .filter((s) => s.subject.startsWith('cache '))
    .map((s) => `${s.status} ${s.subject}: ${s.detail}`);

describe('R9.2 an ANY method under a stage-wide CachingEnabled', () => {
  it('R9.2 is reported as not cached (its GET requests included), beside the GET method that is', () => {
    expect(cacheLines(api([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }]))).toEqual([
      'emulated cache GET /items: TTL 300 s, key: GET /items',
      'emulated cache ANY /{proxy+}: not cached, its GET requests included: MethodSettings /* * CachingEnabled caches GET methods only (R9.2), and ANY is a method of its own; a MethodSettings entry for this path and method caches it',
    ]);
  });

  it.each([
    { given: 'no cache cluster', spec: api([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }], false) },
    { given: 'no CachingEnabled', spec: api([]) },
    { given: 'an entry of its own turning caching off', spec: api([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }, { ResourcePath: '/~1{proxy+}', HttpMethod: 'ANY', CachingEnabled: false }]) },
  ])('R9.2 neighbour: with $given, nothing is said of ANY', ({ spec }) => {
    expect(cacheLines(spec).filter((l) => l.includes('ANY'))).toEqual([]);
  });

  it('R9.2 neighbour: an entry of its own enabling caching caches ANY (reported with its TTL)', () => {
    expect(cacheLines(api([{ ResourcePath: '/~1{proxy+}', HttpMethod: 'ANY', CachingEnabled: true }]))).toEqual(['emulated cache ANY /{proxy+}: TTL 300 s, key: ANY /{proxy+}']);
  });
});
