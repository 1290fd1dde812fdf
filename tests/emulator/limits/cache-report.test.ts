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

describe('R9.2 a cache cluster no MethodSettings entry caches from', () => {
  const keyed = { 'x-amazon-apigateway-integration': { ...proxy['x-amazon-apigateway-integration'], cacheKeyParameters: ['method.request.header.Authorization'] } };
  const spec = (methodSettings: Record<string, unknown>[], cacheClusterEnabled = true): ApiSpec => stageSpec(methodSettings, cacheClusterEnabled, { '/orders': { post: keyed, get: proxy } });
  const lines = (s: ApiSpec) => new StageCache(s, template, new ManualClock()).support().map((l) => `${l.status} ${l.subject}: ${l.detail}`);

  it('R9.2 says that no method of the stage is cached, and that a method`s cacheKeyParameters have no effect', () => {
    expect(lines(spec([]))).toEqual([
      'emulated CacheClusterEnabled: in-memory stage cache, on the emulator clock (R9.1); no method of the stage is cached: no MethodSettings entry with CachingEnabled applies to one (R9.2), so every request reaches its integration',
      'ignored cache POST /orders: not cached: no MethodSettings entry with CachingEnabled applies to it (R9.2), so its cacheKeyParameters (method.request.header.Authorization) have no effect',
    ]);
  });

  it('R9.2 a stage-wide CachingEnabled caches the GET method only: the POST method`s key is still said to have no effect', () => {
    expect(lines(spec([{ ResourcePath: '/*', HttpMethod: '*', CachingEnabled: true }]))).toEqual([
      'emulated CacheClusterEnabled: in-memory stage cache, on the emulator clock (R9.1)',
      'ignored cache POST /orders: not cached: no MethodSettings entry with CachingEnabled applies to it (R9.2), so its cacheKeyParameters (method.request.header.Authorization) have no effect',
      'emulated cache GET /orders: TTL 300 s, key: GET /orders',
    ]);
  });

  it('R9.1 without a cache cluster the key has no effect either, and nothing is said of a cluster', () => {
    expect(lines(spec([], false))).toEqual([
      'ignored cache POST /orders: not cached: the stage has no cache cluster (R9.1), so its cacheKeyParameters (method.request.header.Authorization) have no effect',
    ]);
  });

  it('R9.3 neighbour: a cached method`s key is reported with the method, nothing said to be without effect', () => {
    expect(lines(spec([{ ResourcePath: '/orders', HttpMethod: 'POST', CachingEnabled: true }]))).toEqual([
      'emulated CacheClusterEnabled: in-memory stage cache, on the emulator clock (R9.1)',
      'emulated cache POST /orders: TTL 300 s, key: POST /orders + method.request.header.Authorization',
    ]);
  });
});
