/**
 * An HTTP API JWT authorizer (H7): signature through the issuer's JWKS (the template's local Cognito
 * pools, whose keys the emulator holds), then iss, aud/client_id, exp/nbf/iat and the route's scopes.
 */
import { createPublicKey, verify, type JsonWebKey, type KeyObject } from 'node:crypto';

export type JwtOutcome =
  | { ok: true; claims: Record<string, unknown>; tokenScopes: string[] }
  | { ok: false; status: 401 | 403; reason: string };

export interface JwtAuthorizerConfig {
  issuer: string;
  audience: string[];
  /** The issuer's published keys (`jwks_uri`), or undefined when the emulator cannot reach them. */
  jwks: { keys: (JsonWebKey & { kid?: string })[] } | undefined;
  /** Epoch milliseconds. */
  now: () => number;
}

/** [AMBIGUOUS] H7.2: RSA algorithms only, as the DG's 2023 text says. */
const ALGORITHMS: Record<string, string> = { RS256: 'sha256', RS384: 'sha384', RS512: 'sha512' };

function decodePart(part: string | undefined): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(Buffer.from(part ?? '', 'base64url').toString('utf8')) as unknown;
    return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** H7.4: `scope` (space-delimited) or `scp` (list or string). */
function scopesOf(claims: Record<string, unknown>): string[] {
  const raw = claims.scope ?? claims.scp;
  if (Array.isArray(raw)) return raw.map(String);
  return typeof raw === 'string' ? raw.split(' ').filter(Boolean) : [];
}

/** H7.4: `aud` when present (string or list), `client_id` only when `aud` is absent. */
function audienceMatches(claims: Record<string, unknown>, audience: string[]): boolean {
  if (claims.aud !== undefined) {
    const list = Array.isArray(claims.aud) ? claims.aud.map(String) : [String(claims.aud)];
    return list.some((a) => audience.includes(a));
  }
  return typeof claims.client_id === 'string' && audience.includes(claims.client_id);
}

function timeProblem(claims: Record<string, unknown>, nowSeconds: number): string | undefined {
  if (typeof claims.exp !== 'number' || claims.exp <= nowSeconds) return 'the token has expired';
  if (typeof claims.nbf === 'number' && claims.nbf > nowSeconds) return 'the token is not valid yet (nbf)';
  if (typeof claims.iat === 'number' && claims.iat > nowSeconds) return 'the token is issued in the future (iat)';
  return undefined;
}

/** Tokens whose signature a key has verified, per key; the oldest is forgotten first. */
const verifiedBy = new WeakMap<JsonWebKey, { key: KeyObject; tokens: Set<string> }>();
const REMEMBERED_TOKENS = 1024;

/**
 * Whether the key signed the token. A token's signature is checked once per key (a check and a key import were most
 * of a JWT route's authorizer cost); everything else (issuer, audience, time, scopes) is checked on every request.
 */
function signedBy(jwk: JsonWebKey, algorithm: string, parts: string[]): boolean {
  let known = verifiedBy.get(jwk);
  if (!known) verifiedBy.set(jwk, (known = { key: createPublicKey({ key: jwk, format: 'jwk' }), tokens: new Set() }));
  const token = parts.join('.');
  if (known.tokens.has(token)) return true;
  if (!verify(algorithm, Buffer.from(`${parts[0]}.${parts[1]}`), known.key, Buffer.from(parts[2]!, 'base64url'))) return false;
  if (known.tokens.size >= REMEMBERED_TOKENS) known.tokens.delete(known.tokens.values().next().value!);
  known.tokens.add(token);
  return true;
}

type ParsedJwt = { problem: string } | { parts: string[]; header: Record<string, unknown>; claims: Record<string, unknown> };

/** H7.1: the bearer value (`Bearer ` optional) split and its header and claims decoded, or why it is no JWT. */
function parseJwt(raw: string | undefined): ParsedJwt {
  const token = (raw ?? '').replace(/^Bearer(\s+|$)/i, '').trim();
  if (!token) return { problem: 'the token is missing' };
  const parts = token.split('.');
  // An HTTP API names this case so in its challenge (live answers to an opaque bearer value).
  if (parts.length !== 3) return { problem: 'token contains an invalid number of segments' };
  const header = decodePart(parts[0]);
  const claims = decodePart(parts[1]);
  if (!header || !claims) return { problem: 'the token is not a valid JWT' };
  return { parts, header, claims };
}

/**
 * H7.1/R7.21: why a bearer value cannot be a token of any issuer (missing, not a JWT), or undefined: such a request
 * is refused with 401 before any key is looked at.
 */
export function jwtShapeProblem(raw: string | undefined): string | undefined {
  const parsed = parseJwt(raw);
  return 'problem' in parsed ? parsed.problem : undefined;
}

/** Verify a bearer token for a route requiring `routeScopes` (H7.1-H7.7). */
export function verifyJwt(raw: string | undefined, routeScopes: string[], config: JwtAuthorizerConfig): JwtOutcome {
  const deny = (reason: string): JwtOutcome => ({ ok: false, status: 401, reason });
  const parsed = parseJwt(raw);
  if ('problem' in parsed) return deny(parsed.problem);
  const { parts, header, claims } = parsed;
  const algorithm = ALGORITHMS[String(header.alg)];
  if (!algorithm) return deny(`the token's algorithm ${String(header.alg)} is not supported`);
  if (!config.jwks) return deny(`no JWKS for issuer ${config.issuer}`);
  const jwk = config.jwks.keys.find((k) => k.kid === header.kid);
  if (!jwk) return deny('the token kid is not in the issuer JWKS');
  if (!signedBy(jwk, algorithm, parts)) return deny('the token signature is invalid');
  if (claims.iss !== config.issuer) return deny('the token does not have a valid issuer');
  if (!audienceMatches(claims, config.audience)) return deny('the token does not have a valid audience');
  const timing = timeProblem(claims, Math.floor(config.now() / 1000));
  if (timing) return deny(timing);
  const tokenScopes = scopesOf(claims);
  // [AMBIGUOUS] H7.7: a valid token without any of the route's scopes is 403 Forbidden.
  if (routeScopes.length > 0 && !routeScopes.some((s) => tokenScopes.includes(s))) return { ok: false, status: 403, reason: 'the token has none of the route scopes' };
  return { ok: true, claims, tokenScopes };
}

/** H4.17: claims as strings; lists as "[a b]", objects as JSON text, null claims omitted. */
export function jwtClaimsForEvent(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(claims)) {
    if (value === null || value === undefined) continue;
    if (Array.isArray(value)) out[name] = `[${value.map(String).join(' ')}]`;
    else if (typeof value === 'object') out[name] = JSON.stringify(value);
    else out[name] = String(value);
  }
  return out;
}
