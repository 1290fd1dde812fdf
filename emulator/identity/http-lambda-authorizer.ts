/**
 * An HTTP API Lambda authorizer (H8): identity sources checked before invoking (H8.4), simple or IAM
 * policy responses (H8.5), results cached by identity values and shared by every route (H8.7).
 */
import { queuedNote, type LambdaInvoker } from '../lambda/types.js';
import { evaluatePolicy, parseStatements, type PolicyStatement } from './authorizer-policy.js';
import { AUTHORIZER_TIMEOUT_MS } from './lambda-authorizer.js';

export type HttpAuthorizerOutcome =
  | { ok: true; context: Record<string, unknown>; principalId?: string }
  | { ok: false; status: 401 | 403 | 500; reason: string };

interface Decision {
  simple?: boolean;
  statements?: PolicyStatement[];
  context: Record<string, unknown>;
  principalId?: string;
}

export interface HttpLambdaAuthorizerOptions {
  functionLogicalId: string;
  simpleResponses: boolean;
  ttlSeconds: number;
  invoker: LambdaInvoker;
  /** Epoch milliseconds. */
  now: () => number;
  timeoutMs?: number;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** H8.5: `{isAuthorized, context}` when simple responses are enabled, else an IAM policy. */
function parseDecision(payload: unknown, simpleResponses: boolean): Decision | string {
  if (!isRecord(payload)) return 'the authorizer returned no object';
  if (payload.context !== undefined && payload.context !== null && !isRecord(payload.context)) return 'context must be an object';
  // [AMBIGUOUS] H4.18: context values keep their JSON types (the DG's HTTP API examples return numbers, lists and maps).
  const context = isRecord(payload.context) ? payload.context : {};
  if (simpleResponses) {
    if (typeof payload.isAuthorized !== 'boolean') return 'isAuthorized must be a boolean';
    return { simple: payload.isAuthorized, context };
  }
  if (!isRecord(payload.policyDocument)) return 'the authorizer output has no policyDocument';
  const statements = parseStatements(payload.policyDocument.Statement);
  if (typeof statements === 'string') return statements;
  return { statements, context, ...(payload.principalId !== undefined ? { principalId: String(payload.principalId) } : {}) };
}

/** One Lambda authorizer of one HTTP API; its cache is shared by every route using it (H8.7). */
export class HttpLambdaAuthorizer {
  private readonly cache = new Map<string, { expiresAt: number; decision: Decision }>();

  constructor(private readonly options: HttpLambdaAuthorizerOptions) {}

  /** Runs the authorizer for `routeArn` with the identity values (undefined: a source is missing, H8.4). */
  async authorize(identity: string[] | undefined, event: unknown, routeArn: string): Promise<HttpAuthorizerOutcome> {
    if (identity === undefined) return { ok: false, status: 401, reason: 'an identity source is missing (H8.4)' };
    const key = identity.join('\u0000');
    const cached = this.cached(key);
    if (cached) return decide(cached, routeArn);
    const result = await this.invoke(event);
    if ('failure' in result) return result.failure;
    if (this.options.ttlSeconds > 0) this.cache.set(key, { expiresAt: this.options.now() + this.options.ttlSeconds * 1000, decision: result.decision });
    return decide(result.decision, routeArn);
  }

  /** H8.9: no answer in time, a failure or an unreadable answer is a 500. */
  private async invoke(event: unknown): Promise<{ decision: Decision } | { failure: HttpAuthorizerOutcome }> {
    const fail = (reason: string, status: 401 | 500 = 500) => ({ failure: { ok: false as const, status, reason } });
    const outcome = await this.options.invoker.invoke(this.options.functionLogicalId, event, { deadlineMs: this.options.timeoutMs ?? AUTHORIZER_TIMEOUT_MS });
    if (outcome.kind === 'deadline-exceeded') return fail(`the authorizer timed out (H8.8)${queuedNote(outcome)}`);
    if (outcome.kind === 'function-error') {
      // [AMBIGUOUS] H8.9: an "Unauthorized" error is a 401, as on REST (R7.13); any other failure a 500.
      if (outcome.errorMessage === 'Unauthorized') return fail('the authorizer threw "Unauthorized"', 401);
      return fail(`the authorizer failed: ${outcome.errorType}: ${outcome.errorMessage}`);
    }
    const decision = parseDecision(outcome.payload, this.options.simpleResponses);
    return typeof decision === 'string' ? fail(decision) : { decision };
  }

  private cached(key: string): Decision | undefined {
    const entry = this.cache.get(key);
    if (!entry) return undefined;
    if (entry.expiresAt > this.options.now()) return entry.decision;
    this.cache.delete(key);
    return undefined;
  }
}

/** H8.5/H8.6: allow, or 403 for `isAuthorized: false` and for a policy without a matching Allow or with a Deny. */
function decide(decision: Decision, routeArn: string): HttpAuthorizerOutcome {
  const allowed = decision.simple ?? (decision.statements !== undefined && evaluatePolicy(decision.statements, routeArn) === 'allow');
  if (!allowed) return { ok: false, status: 403, reason: decision.simple === false ? 'isAuthorized is false' : `the policy does not allow ${routeArn}` };
  return { ok: true, context: decision.context, ...(decision.principalId !== undefined ? { principalId: decision.principalId } : {}) };
}
