/** Lambda authorizer output: its validation (R7.10, R7.14, R7.15) and IAM policy evaluation (R7.11, R7.12). */

export interface PolicyStatement {
  effect: 'Allow' | 'Deny';
  actions: string[];
  resources: string[];
}

/** A validated authorizer result, kept in the cache and re-evaluated for each method ARN (R7.20). */
export interface AuthorizerResult {
  principalId?: string;
  statements: PolicyStatement[];
  /** Context values already stringified (R1.31): strings, or null. */
  context: Record<string, string | null>;
  usageIdentifierKey?: string;
}

export type ParsedOutput = { ok: true; result: AuthorizerResult } | { ok: false; reason: string };

/** Validate what the function returned; anything malformed is AUTHORIZER_CONFIGURATION_ERROR (R7.14). */
export function parseAuthorizerOutput(payload: unknown): ParsedOutput {
  if (!isObject(payload)) return { ok: false, reason: 'authorizer returned no object' };
  if (!isObject(payload.policyDocument)) return { ok: false, reason: 'authorizer output has no policyDocument (Could not parse policy)' };
  const statements = parseStatements(payload.policyDocument.Statement);
  if (typeof statements === 'string') return { ok: false, reason: statements };
  const context = stringifyContext(payload.context);
  if (typeof context === 'string') return { ok: false, reason: context };
  const result: AuthorizerResult = { statements, context };
  // [AMBIGUOUS] R7.16: principalId is optional (only policyDocument is required, as measured by marco).
  if (payload.principalId !== undefined && payload.principalId !== null) {
    if (typeof payload.principalId !== 'string' && typeof payload.principalId !== 'number') {
      return { ok: false, reason: 'principalId must be a string' };
    }
    result.principalId = String(payload.principalId);
  }
  if (typeof payload.usageIdentifierKey === 'string') result.usageIdentifierKey = payload.usageIdentifierKey;
  return { ok: true, result };
}

/** Policy statements of an authorizer output (R7.14), shared with HTTP API Lambda authorizers (H8.5). */
export function parseStatements(raw: unknown): PolicyStatement[] | string {
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  const out: PolicyStatement[] = [];
  for (const s of list) {
    if (!isObject(s)) return 'policy Statement entries must be objects (Could not parse policy)';
    if (s.Effect !== 'Allow' && s.Effect !== 'Deny') return `policy Effect must be Allow or Deny, got ${JSON.stringify(s.Effect)}`;
    const actions = stringList(s.Action);
    const resources = stringList(s.Resource);
    if (!actions || !resources) return 'policy Action and Resource must be strings or lists of strings (Could not parse policy)';
    out.push({ effect: s.Effect, actions, resources });
  }
  return out;
}

/** Context values must be string/number/boolean/null; they reach the integration as strings (R1.31, R7.15). */
export function stringifyContext(raw: unknown): Record<string, string | null> | string {
  if (raw === undefined || raw === null) return {};
  if (!isObject(raw)) return 'authorizer context must be an object';
  const out: Record<string, string | null> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (value === undefined) continue;
    if (value === null) out[key] = null;
    else if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') out[key] = String(value);
    else return `authorizer context value "${key}" is an object or array; only string, number and boolean are allowed`;
  }
  return out;
}

/** IAM evaluation of the policy for one method ARN: explicit Deny wins, else an Allow is needed (R7.11). */
export function evaluatePolicy(statements: PolicyStatement[], arn: string): 'allow' | 'explicit-deny' | 'implicit-deny' {
  const applies = (s: PolicyStatement) =>
    s.actions.some((a) => actionCoversInvoke(a)) && s.resources.some((r) => resourceMatches(r, arn));
  if (statements.some((s) => s.effect === 'Deny' && applies(s))) return 'explicit-deny';
  return statements.some((s) => s.effect === 'Allow' && applies(s)) ? 'allow' : 'implicit-deny';
}

/** Whether an IAM Action pattern covers `execute-api:Invoke` (actions are case-insensitive in IAM). */
export function actionCoversInvoke(action: string): boolean {
  return wildcardRegex(action.toLowerCase(), false).test('execute-api:invoke');
}

/**
 * IAM ARN matching (R7.12): `*` and `?` stay inside their colon-separated segment, except in the last
 * segment of the pattern where `*` may run on (so `arn:aws:execute-api:*` matches everything); anchored.
 */
export function resourceMatches(pattern: string, arn: string): boolean {
  return wildcardRegex(pattern, true).test(arn);
}

function wildcardRegex(pattern: string, segmented: boolean): RegExp {
  const segments = segmented ? pattern.split(':') : [pattern];
  const parts = segments.map((segment, i) => {
    const last = i === segments.length - 1;
    const star = last ? '.*' : '[^:]*';
    const one = last ? '.' : '[^:]';
    return segment
      .split('')
      .map((c) => (c === '*' ? star : c === '?' ? one : c.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
      .join('');
  });
  return new RegExp(`^${parts.join(':')}$`, 's');
}

function stringList(value: unknown): string[] | undefined {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  return undefined;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
