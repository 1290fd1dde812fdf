/**
 * A Lambda TOKEN or REQUEST authorizer as API Gateway runs it (7.2-7.5): identity sources checked before
 * invoking, the function invoked through the local Lambda service, its policy evaluated for the method ARN,
 * results cached by identity for authorizerResultTtlInSeconds and re-evaluated per method ARN.
 */
import { queuedNote, type LambdaInvoker } from '../lambda/types.js';
import {
  identitySourceValue,
  methodArn,
  requestEvent,
  tokenEvent,
  type ApiContext,
  type AuthorizerRequest,
} from './authorizer-event.js';
import { evaluatePolicy, parseAuthorizerOutput, type AuthorizerResult } from './authorizer-policy.js';
import { accessDenied, authorizerConfigurationError, methodArnTooLong, unauthorized, type IdentityOutcome } from './outcome.js';
import type { AuthorizerConfig } from './security.js';

/**
 * [AMBIGUOUS] R11.17: REST does not document the authorizer timeout; we use the 10 s HTTP APIs document.
 * Timing out is AUTHORIZER_CONFIGURATION_ERROR (R7.14).
 */
export const AUTHORIZER_TIMEOUT_MS = 10_000;
/** R7.17: the longest method ARN a Lambda-authorized method accepts. */
const MAX_METHOD_ARN_BYTES = 1600;

export interface LambdaAuthorizerOptions {
  config: AuthorizerConfig;
  functionLogicalId: string;
  invoker: LambdaInvoker;
  timeoutMs?: number;
  now?: () => number;
  /** Why API Gateway may not invoke the function (R1.54): each request that would invoke it is a 500 instead. */
  notPermitted?: string;
  /** Why its function cannot be named (a stage variable of the uri the stage lacks): each request that would invoke it is a 500. */
  unresolved?: string;
}

interface CacheEntry {
  expiresAt: number;
  result: AuthorizerResult;
}

/** One Lambda authorizer of one API (its cache is shared by every method that uses it, R7.20). */
export class LambdaAuthorizer {
  private readonly cache = new Map<string, CacheEntry>();
  private readonly now: () => number;

  constructor(private readonly options: LambdaAuthorizerOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Run the authorizer for a request: 401 / 403 / 500 outcomes of section 7.7, or the authorizer context. */
  async authorize(request: AuthorizerRequest, api: ApiContext): Promise<IdentityOutcome> {
    const { config } = this.options;
    const identity = this.identity(request);
    if (!identity.ok) return unauthorized(identity.reason);
    const arn = methodArn(api, request.httpMethod, request.path);
    if (Buffer.byteLength(arn) > MAX_METHOD_ARN_BYTES) return methodArnTooLong(`method ARN of ${Buffer.byteLength(arn)} bytes (limit 1600, R7.17)`);
    // Only a request that gets as far as invoking meets the missing permission: one without its token is still a 401.
    if (this.options.notPermitted) return authorizerConfigurationError(`Invalid permissions on Lambda function: ${this.options.notPermitted} (R1.54, R7.14)`);
    if (this.options.unresolved) return authorizerConfigurationError(`${this.options.unresolved} (R7.14)`);
    const cacheKey = identity.values.join('\u0000');
    const cached = this.cached(cacheKey);
    if (cached) return decide(cached, arn, 0);
    const event = config.type === 'token' ? tokenEvent(identity.values[0] ?? '', arn) : requestEvent(request, arn);
    const started = this.now();
    let outcome;
    try {
      outcome = await this.options.invoker.invoke(this.options.functionLogicalId, event, {
        deadlineMs: this.options.timeoutMs ?? AUTHORIZER_TIMEOUT_MS,
      });
    } catch (error) {
      // The function could not be run at all (its code not built): API Gateway sees an authorizer that failed.
      return authorizerConfigurationError(`authorizer failed: ${error instanceof Error ? error.message : String(error)}`);
    }
    const latency = Math.max(0, Math.round(outcome.durationMs ?? this.now() - started));
    if (outcome.kind === 'deadline-exceeded') return authorizerConfigurationError(`authorizer timed out${queuedNote(outcome)}`);
    if (outcome.kind === 'function-error') {
      // Only the exact message "Unauthorized" means 401 (R7.13); any other failure is a configuration error.
      if (outcome.errorMessage === 'Unauthorized') return unauthorized('authorizer threw "Unauthorized"');
      return authorizerConfigurationError(`authorizer failed: ${outcome.errorType}: ${outcome.errorMessage}`);
    }
    const parsed = parseAuthorizerOutput(outcome.payload);
    if (!parsed.ok) return authorizerConfigurationError(parsed.reason);
    // [AMBIGUOUS] only valid policies are cached; 401 and configuration errors are not.
    if (config.ttlSeconds > 0) this.cache.set(cacheKey, { expiresAt: this.now() + config.ttlSeconds * 1000, result: parsed.result });
    return decide(parsed.result, arn, latency);
  }

  /** The identity values: the token (TOKEN) or every configured source (REQUEST) — the cache key (R7.19). */
  private identity(request: AuthorizerRequest): { ok: true; values: string[] } | { ok: false; reason: string } {
    const { config } = this.options;
    const values: string[] = [];
    for (const source of config.identitySources) {
      const value = identitySourceValue(request, source);
      const required = config.type === 'token' || config.ttlSeconds > 0;
      // [AMBIGUOUS] R7.9: with caching disabled (TTL 0) REQUEST identity sources are optional, as DG says.
      if (!value && required) return { ok: false, reason: `identity source ${source.expression} is missing or empty` };
      values.push(value ?? '');
    }
    if (config.type === 'token') {
      const token = values[0] ?? '';
      if (!token) return { ok: false, reason: 'no token' };
      if (config.identityValidationPattern && !config.identityValidationPattern.test(token)) {
        return { ok: false, reason: 'token does not match identityValidationExpression' };
      }
    }
    return { ok: true, values };
  }

  private cached(key: string): AuthorizerResult | undefined {
    if (this.options.config.ttlSeconds <= 0) return undefined;
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.now()) return entry.result;
    this.cache.delete(key);
    return undefined;
  }
}

function decide(result: AuthorizerResult, arn: string, integrationLatency: number): IdentityOutcome {
  const decision = evaluatePolicy(result.statements, arn);
  if (decision === 'explicit-deny') return accessDenied(true, `policy denies ${arn}`);
  if (decision === 'implicit-deny') return accessDenied(false, `policy does not allow ${arn}`);
  const authorizer: Record<string, unknown> = { ...result.context };
  if (result.principalId !== undefined) authorizer.principalId = result.principalId;
  authorizer.integrationLatency = integrationLatency;
  const allowed: IdentityOutcome = { ok: true, authorizer };
  if (result.principalId !== undefined) allowed.principalId = result.principalId;
  if (result.usageIdentifierKey !== undefined) allowed.usageIdentifierKey = result.usageIdentifierKey;
  return allowed;
}
