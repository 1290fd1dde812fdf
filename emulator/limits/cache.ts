/**
 * API Gateway's stage cache (R9.1-R9.7): integration answers of cached methods, keyed by method, resource path (or
 * cacheNamespace) and the values of the method's cacheKeyParameters only, kept for the method's TTL on the clock.
 */
import { addStandardHeaders, GatewayError } from '../gateway/gateway-responses.js';
import type { CacheHook } from '../gateway/hooks.js';
import { Reply } from '../gateway/reply.js';
import { casedHeaders, casedPairs } from '../gateway/wire-headers.js';
import { methodSecurity } from '../gateway/identity.js';
import { headerValue, type RequestState } from '../gateway/request-state.js';
import { isObject, listOperations, type OperationRoute } from '../gateway/routes.js';
import type { SupportItem } from '../gateway/types.js';
import type { ApiSpec, LoadedTemplate } from '../template/model.js';
import type { Clock } from './clock.js';
import { methodSettingsFor, type MethodSettingsFor } from './method-settings.js';
import { checkIam, type IamOptions } from '../identity/iam.js';

/** R9.1: larger answers are served but not cached. */
export const MAX_CACHED_BYTES = 1_048_576;
/** A bound on entries so that a key with unbounded values cannot grow the emulator without limit. */
const MAX_ENTRIES = 10_000;

/** [AMBIGUOUS R9.5] The header added when an unauthorized `Cache-Control: max-age=0` is ignored. */
export const CACHE_CONTROL_IGNORED_WARNING = '199 - "Cache-Control: max-age=0 ignored: the caller may not invalidate the cache (execute-api:InvalidateCache)"';

interface Entry {
  expires: number;
  status: number;
  headers: [string, string][];
  body: Uint8Array<ArrayBuffer>;
}

interface CachedMethod {
  settings: MethodSettingsFor;
  keyParameters: string[];
  namespace: string;
}

/** Per-request headers: never replayed from the cache. */
const PER_REQUEST = new Set(['x-amzn-requestid', 'x-amz-apigw-id']);

/** The value a cache key parameter names in this request (method.request.{path|querystring|header}.name). */
function parameterValue(expr: string, state: RequestState): string | null {
  const match = /^method\.request\.(path|querystring|header|multivaluequerystring|multivalueheader)\.(.+)$/.exec(expr);
  if (!match) return null;
  const [, where, name] = match as unknown as [string, string, string];
  if (where === 'path') return state.route?.pathParameters?.[name] ?? null;
  if (where === 'header') return headerValue(state.headers, name) ?? null;
  if (where === 'multivalueheader') return state.headers.filter(([n]) => n.toLowerCase() === name.toLowerCase()).map(([, v]) => v).join(',') || null;
  const values = state.query.filter(([k]) => k === name).map(([, v]) => v);
  if (values.length === 0) return null;
  return where === 'querystring' ? (values.at(-1) as string) : values.join(',');
}

/** `Cache-Control: max-age=0` (R9.4): the client asks for a fresh answer. */
function asksForFreshAnswer(state: RequestState): boolean {
  const value = headerValue(state.headers, 'cache-control');
  return value !== undefined && /(^|,)\s*max-age\s*=\s*0\s*(,|$)/i.test(value);
}

/** The headers (authorizer identity sources) that identify the caller of a method, lower-cased. */
function callerHeaders(doc: ApiSpec['openapi'], op: OperationRoute): string[] {
  const security = methodSecurity(doc, op.operation);
  if (!security.authorizer) return [];
  const authorizer = security.authorizerScheme?.['x-amazon-apigateway-authorizer'];
  const source = isObject(authorizer) && typeof authorizer.identitySource === 'string' ? authorizer.identitySource : 'method.request.header.Authorization';
  const fromScheme = security.authorizerScheme && typeof security.authorizerScheme.name === 'string' ? [security.authorizerScheme.name] : [];
  const fromSource = [...source.matchAll(/method\.request\.header\.([^,\s]+)/gi)].map((m) => m[1] as string);
  return [...new Set([...fromSource, ...fromScheme].map((h) => h.toLowerCase()))];
}

/** The stage cache of one API stage, plugged into its pipeline as the CacheHook. */
export class StageCache implements CacheHook {
  private readonly entries = new Map<string, Entry>();
  private readonly methods = new Map<OperationRoute, CachedMethod | null>();
  private readonly lines: SupportItem[] = [];
  /** Requests whose unauthorized Cache-Control was ignored on a miss: their answer carries the warning (R9.5). */
  private readonly warned = new WeakMap<RequestState, string>();

  constructor(
    private readonly api: ApiSpec,
    private readonly template: LoadedTemplate,
    private readonly clock: Clock,
    /** The local credentials: a request they signed may invalidate an entry (R9.4). */
    private readonly iam?: IamOptions,
  ) {
    const where = `${api.logicalId} stage ${api.stageName}`;
    const cluster: SupportItem = { subject: 'CacheClusterEnabled', location: where, status: 'emulated', detail: 'in-memory stage cache, on the emulator clock (R9.1)' };
    if (api.cacheClusterEnabled) this.lines.push(cluster);
    else if (api.methodSettings.some((m) => m.CachingEnabled === true || m.CachingEnabled === 'true')) {
      this.lines.push({ subject: 'MethodSettings CachingEnabled', location: where, status: 'ignored', detail: 'the stage has no cache cluster (CacheClusterEnabled is not true), so nothing is cached, as on AWS' });
    }
    const ops = listOperations(api.openapi);
    for (const op of ops) this.describe(op, this.methodOf(op));
    // R9.2: a cache cluster alone caches nothing (SAM's CacheClusterEnabled without MethodSettings, as its
    // function_request_parameters example has it); said where the report would otherwise suggest caching.
    if (api.cacheClusterEnabled && ops.every((op) => this.methodOf(op) === null)) {
      cluster.detail += '; no method of the stage is cached: no MethodSettings entry with CachingEnabled applies to one (R9.2), so every request reaches its integration';
    }
  }

  /** R9.3/R9.4: a live entry for this request's key, unless the client may and does ask for a fresh answer. */
  lookup(state: RequestState, route: OperationRoute): Reply | undefined {
    const method = this.methodOf(route);
    if (!method) return undefined;
    let warning: string | undefined;
    if (asksForFreshAnswer(state)) {
      // R9.4: with authorization required, only a signed caller may invalidate; IAM policies are not evaluated
      // locally, so any valid signature by the local key holds execute-api:InvalidateCache (as it holds Invoke).
      if (!method.settings.requireAuthorizationForCacheControl || this.signedByLocalKey(state)) return undefined;
      const strategy = method.settings.unauthorizedCacheControlHeaderStrategy;
      if (strategy === 'FAIL_WITH_403') {
        const arn = `arn:aws:execute-api:${this.template.region}:${this.template.accountId}:${this.api.restApiId}/${this.api.stageName}/${route.method}${route.resourcePath}`;
        throw new GatewayError('ACCESS_DENIED', { message: `User: anonymous is not authorized to perform: execute-api:InvalidateCache on resource: ${arn}`, log: 'ACCESS_DENIED: Cache-Control: max-age=0 without execute-api:InvalidateCache (FAIL_WITH_403, R9.5)' });
      }
      if (strategy === 'SUCCEED_WITH_RESPONSE_HEADER') warning = CACHE_CONTROL_IGNORED_WARNING;
    }
    const key = this.keyOf(state, route, method);
    const entry = this.entries.get(key);
    if (!entry || entry.expires <= this.clock.now()) {
      if (entry) this.entries.delete(key);
      if (warning) this.warned.set(state, warning);
      return undefined;
    }
    // The names as the integration spelled them, as an uncached answer keeps them.
    const headers = casedHeaders(entry.headers);
    addStandardHeaders(headers, state);
    if (warning) headers.set('Warning', warning);
    return new Reply(entry.status, headers, [204, 304].includes(entry.status) ? null : entry.body);
  }

  /** A caller IAM authorized already, or a request carrying a valid SigV4 signature by the local credentials. */
  private signedByLocalKey(state: RequestState): boolean {
    if (state.iam) return true;
    if (!this.iam || headerValue(state.headers, 'authorization') === undefined) return false;
    const target = `${state.contextPath}${state.rawQuery ? `?${state.rawQuery}` : ''}`;
    return checkIam({ method: state.httpMethod, target, headers: state.headers, body: state.body }, this.iam).ok;
  }

  /** [AMBIGUOUS R9.7] Every integration answer of a cached method is kept, whatever its status, up to 1 MB (R9.1). */
  store(state: RequestState, route: OperationRoute, response: Reply): Reply {
    const method = this.methodOf(route);
    const warning = this.warned.get(state);
    // Choice: a streamed answer is sent as it comes, never kept (it may exceed any cache entry's size).
    if (!method || response.stream) return response;
    const body = new Uint8Array(response.bytes());
    const pairs = casedPairs(response.headers);
    const headers = casedHeaders(pairs);
    if (body.byteLength <= MAX_CACHED_BYTES) {
      const kept = pairs.filter(([name]) => !PER_REQUEST.has(name.toLowerCase()));
      if (this.entries.size >= MAX_ENTRIES) this.entries.delete(this.entries.keys().next().value as string);
      this.entries.set(this.keyOf(state, route, method), { expires: this.clock.now() + method.settings.ttlSeconds * 1000, status: response.status, headers: kept, body });
    }
    if (warning) headers.set('Warning', warning);
    return new Reply(response.status, headers, [204, 304].includes(response.status) ? null : body);
  }

  /** R9.6: flushing the stage cache drops every entry. */
  flush(): void {
    this.entries.clear();
  }

  /** Startup-report items: one per cached method (TTL, key), with a warning when the key cannot tell callers apart. */
  support(): SupportItem[] {
    return this.lines;
  }

  private keyOf(state: RequestState, route: OperationRoute, method: CachedMethod): string {
    return JSON.stringify([route.method, method.namespace, ...method.keyParameters.map((p) => parameterValue(p, state))]);
  }

  private methodOf(op: OperationRoute): CachedMethod | null {
    let found = this.methods.get(op);
    if (found === undefined) {
      const settings = methodSettingsFor(this.api, op.method, op.resourcePath, this.template.region, this.template.path);
      const integration = op.integration ?? {};
      const keyParameters = Array.isArray(integration.cacheKeyParameters) ? integration.cacheKeyParameters.filter((p): p is string => typeof p === 'string') : [];
      const namespace = typeof integration.cacheNamespace === 'string' ? integration.cacheNamespace : op.resourcePath;
      found = settings.caching ? { settings, keyParameters, namespace } : null;
      this.methods.set(op, found);
    }
    return found;
  }

  private describe(op: OperationRoute, method: CachedMethod | null): void {
    const where = `${this.api.logicalId} stage ${this.api.stageName}`;
    if (!method) {
      if (!this.describeUncachedAny(op, where)) this.describeUnusedKey(op, where);
      return;
    }
    const key = [`${op.method} ${method.namespace}`, ...method.keyParameters].join(' + ');
    this.lines.push({ subject: `cache ${op.method} ${op.resourcePath}`, location: where, status: 'emulated', detail: `TTL ${method.settings.ttlSeconds} s, key: ${key}` });
    const callers = callerHeaders(this.api.openapi, op);
    const keyed = method.keyParameters.some((p) => callers.some((h) => p.toLowerCase() === `method.request.header.${h}`));
    if (callers.length > 0 && !keyed) {
      this.lines.push({
        subject: `WARNING cache ${op.method} ${op.resourcePath}`,
        location: where,
        status: 'emulated',
        detail: `its authorizer identifies the caller (${callers.join(', ')}) but the cache key does not include it: one caller's cached answer is served to others`,
      });
    }
  }

  /**
   * [AMBIGUOUS R9.2] An ANY method under a stage-wide CachingEnabled: API Gateway caches GET methods only by default,
   * and ANY is a method of its own, so its GET requests are not cached either. Said, where a user expects them cached.
   */
  private describeUncachedAny(op: OperationRoute, where: string): boolean {
    if (op.method !== 'ANY') return false;
    const passedOver = methodSettingsFor(this.api, op.method, op.resourcePath, this.template.region, this.template.path).getOnlyCaching;
    if (!passedOver) return false;
    this.lines.push({
      subject: `cache ANY ${op.resourcePath}`,
      location: where,
      status: 'emulated',
      detail: `not cached, its GET requests included: MethodSettings ${passedOver} CachingEnabled caches GET methods only (R9.2), and ANY is a method of its own; a MethodSettings entry for this path and method caches it`,
    });
    return true;
  }

  /**
   * R9.1/R9.2: cacheKeyParameters key nothing on a method that is not cached (SAM's RequestParameters `Caching: true`
   * writes them whatever the stage's settings); said, since the extension alone reads as caching.
   */
  private describeUnusedKey(op: OperationRoute, where: string): void {
    const keys = op.integration?.cacheKeyParameters;
    if (!Array.isArray(keys) || keys.length === 0) return;
    const why = this.api.cacheClusterEnabled ? 'no MethodSettings entry with CachingEnabled applies to it (R9.2)' : 'the stage has no cache cluster (R9.1)';
    this.lines.push({ subject: `cache ${op.method} ${op.resourcePath}`, location: where, status: 'ignored', detail: `not cached: ${why}, so its cacheKeyParameters (${keys.join(', ')}) have no effect` });
  }
}
